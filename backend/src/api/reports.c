/* reports.c — the monitoring summary exported as XLSX and CSV (the JSON reports are rows of routes.c). */
#include "api.h"
#include "../db.h"
#include "../export_csv.h"
#include "../export_xlsx.h"
#include "../log.h"
#include "../router.h"
#include "../strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define CSV_TYPE "text/csv; charset=utf-8"
#define FILENAME_MAX_CHARS 120

/* ---- exports: report_export_begin (scope check, audit row, «Параметры»), then the rows ---- */

/* The sheets of the summary workbook after «Параметры», in order; SQL names and types the columns. */
static const struct export_sheet {
	const char *name;
	const char *sql;
	int takes_campaign;
} summary_sheets[] = {
	{ "Сводка по МО", "SELECT * FROM app.report_municipality_rows($1::bigint)", 1 },
	{ "Школы", "SELECT * FROM app.report_school_rows($1::bigint)", 1 },
	{ "Дефициты", "SELECT * FROM app.report_deficit_rows($1::bigint)", 1 },
	{ "Программы", "SELECT * FROM app.report_program_rows($1::bigint)", 1 },
	{ "Исполнение", "SELECT * FROM app.report_execution_rows()", 0 },
};

#define CSV_ROWS_QUERY                                                                                   \
	"SELECT * FROM app.report_municipality_rows(current_setting('orientir.report_campaign_id')::bigint)"

/* What the steps of one export share with its handler. */
struct export_ctx {
	const char *campaign_id;  /* decimal text */
	const char *format;       /* "xlsx" | "csv" */
	const char *request_id;
	/* xlsx */
	struct xlsx_book *book;   /* owned: closed or freed by the handler */
	/* csv */
	int fd;                   /* the unlinked temporary file; owned by the handler */
	char sep;
	/* results */
	char filename[FILENAME_MAX_CHARS + 1]; /* without the extension */
	int not_found;            /* report_export_begin returned NULL */
	int local_error;          /* writing the file failed: 500 */
};

/*
 * SELECT app.report_export_begin('summary', campaign, format): OR404 when
 * the campaign is not visible (an error result), the audit row, and
 * {rows, filename}. Returns NULL with *parsed set (the caller json_decref()s
 * it) — or the result to hand back to db_call_steps: an error, or one whose
 * value is NULL (ctx->not_found set).
 */
static PGresult *export_begin(PGconn *conn, struct export_ctx *x, json_t **parsed)
{
	const char *p[] = { x->campaign_id, x->format };
	PGresult *r = PQexecParams(conn, "SELECT app.report_export_begin('summary', $1::bigint, $2)", 2, NULL, p,
				   NULL, NULL, 0);
	const char *name;

	*parsed = NULL;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		return r;
	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
		x->not_found = 1;
		return r;
	}
	*parsed = json_loadb(PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0), 0, NULL);
	name = json_string_value(json_object_get(*parsed, "filename"));
	/* It goes into a header: only a plain ASCII name, else one of ours. */
	if (name && token_is_sane(name, FILENAME_MAX_CHARS))
		snprintf(x->filename, sizeof x->filename, "%s", name);
	else
		snprintf(x->filename, sizeof x->filename, "orientir-summary-%s", x->campaign_id);
	if (*parsed == NULL) {
		log_msg(LL_ERROR, x->request_id, "report_export_begin returned no JSON object");
		x->local_error = 1;
		*parsed = json_object();
	}
	PQclear(r);
	return NULL;
}

/*
 * The XLSX export's statements inside the request's transaction: begin,
 * «Параметры», then each sheet's query in single-row mode straight into the
 * workbook. Returns the last result (db_call_steps COMMITs on success). A
 * failure of our own (disk full) sets local_error and stops without running
 * more queries; the transaction still commits, so the audit row records the
 * attempt the handler then answers with 500.
 */
static PGresult *xlsx_steps(PGconn *conn, void *ctx)
{
	struct export_ctx *x = ctx;
	const char *p[] = { x->campaign_id };
	json_t *begin = NULL;
	PGresult *r = export_begin(conn, x, &begin);

	if (r != NULL || x->local_error)
		goto out;
	if (xlsx_book_pairs_sheet(x->book, "Параметры", json_object_get(begin, "rows")) != 0) {
		x->local_error = 1;
		goto out;
	}
	for (size_t i = 0; i < sizeof summary_sheets / sizeof summary_sheets[0]; i++) {
		const struct export_sheet *s = &summary_sheets[i];
		PQclear(r);
		r = xlsx_sheet_from_query(x->book, conn, s->name, s->sql, s->takes_campaign ? 1 : 0, p, &x->local_error);
		if (PQresultStatus(r) != PGRES_TUPLES_OK || x->local_error)
			goto out;
	}
out:
	json_decref(begin);
	if (r == NULL && x->local_error)
		r = PQexec(conn, "SELECT 1"); /* commits what ran; the handler answers 500 */
	return r;
}

/* Ends a handler's XLSX export: the file's descriptor (unlinked), or -1 after answering. */
static int xlsx_finish(struct req *req, struct resp *resp, struct export_ctx *x, const char *path)
{
	int fd = -1;
	struct xlsx_book *book = x->book;

	x->book = NULL;
	if (xlsx_book_close(book, req->request_id) == 0)
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_msg(LL_ERROR, req->request_id, "XLSX export not readable: %s", strerror(errno));
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
	}
	return fd;
}

/* Answers the file: 200 with its type and an attachment name, or 500 (resp_file). */
static void answer_file(struct resp *resp, int fd, const char *type, const char *filename, const char *ext)
{
	char disposition[64 + FILENAME_MAX_CHARS];
	if (resp_file(resp, 200, type, fd) != 0)
		return;
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s.%s\"", filename, ext);
	resp_header(resp, "Content-Disposition", disposition);
}

/*
 * GET /reports/summary.xlsx?campaign_id=: the workbook «Параметры»,
 * «Сводка по МО», «Школы», «Дефициты», «Программы», «Исполнение». Written to
 * a temporary file (libxlsxwriter cannot write to memory), opened, unlinked,
 * and streamed by the server. 404 for a campaign not visible; errors come
 * before the first byte, as problem responses.
 */
int h_reports_summary_xlsx(struct req *req, struct resp *resp)
{
	struct export_ctx x = { .campaign_id = req_query(req, "campaign_id")->str, .format = "xlsx",
				.request_id = req->request_id, .fd = -1 };
	char path[PATH_MAX] = "";
	const char *tmpdir;
	PGresult *r = NULL;
	int fd = -1;

	fd = export_temp_file(path, sizeof path);
	if (fd < 0) {
		log_msg(LL_ERROR, req->request_id, "no temporary file for an export: %s", strerror(errno));
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		return resp->status;
	}
	close(fd); /* libxlsxwriter writes the file by its name when the book is closed */
	fd = -1;
	tmpdir = getenv("TMPDIR");
	x.book = xlsx_book_new(path, tmpdir && *tmpdir ? tmpdir : NULL);
	if (x.book == NULL) {
		log_msg(LL_ERROR, req->request_id, "XLSX workbook not created");
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		goto out;
	}
	r = db_call_steps(req, resp, xlsx_steps, &x);
	if (r == NULL)
		goto out; /* answered: 401, 404, 503, … */
	if (x.not_found) {
		resp_error(resp, 404, "not_found", "Объект не найден");
		goto out;
	}
	if (x.local_error) {
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		goto out;
	}
	fd = xlsx_finish(req, resp, &x, path);
	if (fd >= 0)
		answer_file(resp, fd, XLSX_TYPE, x.filename, "xlsx");
out:
	xlsx_book_free(x.book);
	if (path[0])
		unlink(path); /* the open descriptor keeps the bytes until they are sent */
	PQclear(r);
	return resp->status;
}

/*
 * The CSV export's statements: begin, the campaign id into a setting COPY
 * can read (COPY takes no bind parameters), then COPY … TO STDOUT streamed
 * into the file. Returns COPY's result (or the first failure).
 */
static PGresult *csv_steps(PGconn *conn, void *ctx)
{
	struct export_ctx *x = ctx;
	const char *p[] = { x->campaign_id, x->sep == ';' ? "comma" : "point" };
	char copy[512];
	json_t *begin = NULL;
	PGresult *r = export_begin(conn, x, &begin);

	json_decref(begin);
	if (r != NULL)
		return r;
	if (x->local_error || csv_copy_statement(copy, sizeof copy, CSV_ROWS_QUERY, x->sep) != 0) {
		x->local_error = 1;
		return PQexec(conn, "SELECT 1"); /* commits what ran; the handler answers 500 */
	}
	/* COPY takes no parameters: the campaign goes in as a setting, with the flag that
	 * neutralises formula-like text cells (app.export_text) and the decimal mark of
	 * percentages (app.export_percent): a comma beside semicolons, as Russian Excel reads. */
	r = PQexecParams(conn,
			 "SELECT set_config('orientir.report_campaign_id', $1, true), "
			 "set_config('orientir.report_csv', 'on', true), set_config('orientir.report_decimal', $2, true)",
			 2, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		return r;
	PQclear(r);
	return csv_copy_to_fd(conn, copy, x->fd, &x->local_error);
}

/*
 * GET /reports/summary.csv?campaign_id=&sep=semicolon|comma: «Сводка по МО»
 * as CSV (UTF-8 BOM, RFC 4180 quoting by COPY), written into an unlinked
 * temporary file and streamed by the server. 404 for a campaign not visible.
 */
int h_reports_summary_csv(struct req *req, struct resp *resp)
{
	struct export_ctx x = { .campaign_id = req_query(req, "campaign_id")->str, .format = "csv",
				.request_id = req->request_id, .fd = -1,
				.sep = csv_separator(req_query(req, "sep")->str) };
	PGresult *r = NULL;

	x.fd = export_anonymous_file(); /* nothing is left behind, whatever happens next */
	if (x.fd < 0) {
		log_msg(LL_ERROR, req->request_id, "no temporary file for an export: %s", strerror(errno));
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		return resp->status;
	}
	r = db_call_steps(req, resp, csv_steps, &x);
	if (r == NULL)
		goto out;
	if (x.not_found) {
		resp_error(resp, 404, "not_found", "Объект не найден");
		goto out;
	}
	if (x.local_error || lseek(x.fd, 0, SEEK_SET) != 0) {
		log_msg(LL_ERROR, req->request_id, "CSV export not written: %s", strerror(errno));
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		goto out;
	}
	answer_file(resp, x.fd, CSV_TYPE, x.filename, "csv");
	x.fd = -1; /* resp owns it now */
out:
	if (x.fd >= 0)
		close(x.fd);
	PQclear(r);
	return resp->status;
}
