/* projects.c — POST /api/v1/projects/{id}/schools/import: the CSV list of participating schools, streamed through COPY. */
#include "api.h"
#include "../db.h"
#include "../router.h"

#include <stdio.h>
#include <string.h>

/* ---- CSV import: PostgreSQL's COPY parses the file, SQL checks every line ---- */

#define CSV_COPY_SQL                                                                                      \
	"COPY pg_temp.project_school_csv (school_code, \"group\", unfavorable_conditions) FROM STDIN "    \
	"(FORMAT csv, DELIMITER ';', HEADER match, ENCODING 'UTF8')"
#define CSV_CHUNK (64 * 1024)

struct csv_import {
	const char *project_id; /* decimal text */
	const char *dry_run;    /* "true" / "false" */
	const char *csv;        /* the body without a leading BOM; borrowed from the request */
	size_t csv_len;
};

/* Runs sql with no parameters and says whether it succeeded; clears the result. On failure *err keeps it. */
static int exec_ok(PGconn *conn, const char *sql, PGresult **err)
{
	PGresult *r = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		PQclear(r);
		return 1;
	}
	*err = r;
	return 0;
}

/*
 * Streams the CSV into COPY … FROM STDIN. Returns COPY's final result
 * (PGRES_COMMAND_OK or its error, with SQLSTATE and CONTEXT "COPY …, line
 * N"), or NULL when the connection failed. Every result libpq hands back
 * after the data is drained, so the connection is ready for the next command.
 */
static PGresult *copy_csv(PGconn *conn, const struct csv_import *c)
{
	PGresult *r = PQexec(conn, CSV_COPY_SQL), *last = NULL;
	if (PQresultStatus(r) != PGRES_COPY_IN)
		return r; /* e.g. the temporary table is missing: an error result */
	PQclear(r);
	for (size_t off = 0; off < c->csv_len; off += CSV_CHUNK) {
		size_t n = c->csv_len - off < CSV_CHUNK ? c->csv_len - off : CSV_CHUNK;
		if (PQputCopyData(conn, c->csv + off, (int)n) != 1)
			break; /* the end below reports what went wrong */
	}
	if (PQputCopyEnd(conn, NULL) != 1)
		return NULL;
	while ((r = PQgetResult(conn)) != NULL) {
		PQclear(last);
		last = r;
	}
	return last;
}

/*
 * The line number of the first line that is exactly "\." (COPY's end-of-data
 * marker, optionally before a CR), or 0. COPY would stop there and drop the
 * lines after it without a word; the import must read every line or refuse.
 */
static size_t end_marker_line(const char *csv, size_t len)
{
	size_t line = 1;
	for (size_t i = 0; i < len; line++) {
		const char *nl = memchr(csv + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - csv) : len, n = end - i;
		if ((n == 2 || (n == 3 && csv[i + 2] == '\r')) && csv[i] == '\\' && csv[i + 1] == '.')
			return line;
		i = end + 1;
	}
	return 0;
}

/*
 * The import sequence of docs/design.md, inside the request's transaction:
 * begin (temporary table), SAVEPOINT, COPY; a COPY that fails is rolled
 * back to the savepoint and turned into the import's 422 by
 * project_schools_import_copy_error; otherwise project_schools_import
 * checks every line and stores all or none (nothing on a dry run).
 */
static PGresult *import_steps(PGconn *conn, void *ctx)
{
	const struct csv_import *c = ctx;
	const char *params[2] = { c->project_id, c->dry_run };
	PGresult *r = NULL;

	if (!exec_ok(conn, "SELECT app.project_schools_import_begin()", &r) ||
	    !exec_ok(conn, "SAVEPOINT csv_import", &r))
		return r;
	size_t marker = end_marker_line(c->csv, c->csv_len);
	if (c->csv_len == 0 || marker > 0) {
		/* An empty file has no header: the same answer as a wrong one; "\." is a malformed line. */
		char context[64];
		snprintf(context, sizeof context, "COPY project_school_csv, line %zu", marker > 0 ? marker : 1);
		const char *e[2] = { "22P04", context };
		return PQexecParams(conn, "SELECT app.project_schools_import_copy_error($1, $2)", 2, NULL, e, NULL,
				    NULL, 0);
	}
	r = copy_csv(conn, c);
	if (r == NULL)
		return NULL;
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		const char *context = PQresultErrorField(r, PG_DIAG_CONTEXT);
		/* copy_error raises; the strings live in r, freed after the call. */
		const char *e[2] = { state ? state : "22P04", context ? context : "" };
		PGresult *rb = NULL;
		if (state == NULL || !exec_ok(conn, "ROLLBACK TO SAVEPOINT csv_import", &rb)) {
			PQclear(rb);
			return r; /* connection trouble: db_call_steps answers 503 */
		}
		PGresult *ce = PQexecParams(conn, "SELECT app.project_schools_import_copy_error($1, $2)", 2, NULL, e,
					    NULL, NULL, 0);
		PQclear(r);
		return ce;
	}
	PQclear(r);
	return PQexecParams(conn, "SELECT app.project_schools_import($1::bigint, $2::boolean)", 2, NULL, params, NULL,
			    NULL, 0);
}

/*
 * POST /projects/{id}/schools/import[?dry_run=1] with a text/csv body
 * (`school_code;group;unfavorable_conditions`, header = line 1, a leading
 * UTF-8 BOM ignored): 200 {imported, would_import}; 422
 * import.invalid_lines with errors [{line, field, code, message}] for every
 * bad line, nothing stored; 404 for a project not visible.
 */
int h_project_schools_import(struct req *req, struct resp *resp)
{
	struct csv_import c = { req->id_text[0], req_query(req, "dry_run")->num == 1 ? "true" : "false",
				req->body ? req->body : "", req->body_len };
	PGresult *r;

	if (c.csv_len >= 3 && memcmp(c.csv, "\xEF\xBB\xBF", 3) == 0) {
		c.csv += 3;
		c.csv_len -= 3;
	}
	r = db_call_steps(req, resp, import_steps, &c);
	if (r == NULL)
		return resp->status;
	if (PQntuples(r) < 1 || PQgetisnull(r, 0, 0))
		resp_error(resp, 404, "not_found", "Объект не найден");
	else
		resp_json(resp, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
	PQclear(r);
	return resp->status;
}
