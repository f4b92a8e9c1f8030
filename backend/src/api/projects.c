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
	struct req *req;        /* the body is streamed from the request */
	const char *project_id; /* decimal text */
	const char *dry_run;    /* "true" / "false" */
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
 * Finds COPY's end-of-data marker while the file streams past: the first
 * line that is exactly "\." (optionally before a CR). COPY would stop there
 * and drop the lines after it without a word; the import must read every
 * line or refuse.
 */
struct marker_scan {
	size_t line;  /* the line being read, from 1 */
	size_t col;   /* bytes of it seen so far */
	char head[3]; /* its first bytes */
	size_t found; /* the marker's line, or 0 */
};

static int is_marker(const struct marker_scan *m)
{
	return m->head[0] == '\\' && m->head[1] == '.' && (m->col == 2 || (m->col == 3 && m->head[2] == '\r'));
}

static void marker_feed(struct marker_scan *m, const char *p, size_t n)
{
	for (size_t i = 0; i < n && m->found == 0; i++) {
		if (p[i] == '\n') {
			if (is_marker(m))
				m->found = m->line;
			m->line++;
			m->col = 0;
		} else if (m->col++ < sizeof m->head) {
			m->head[m->col - 1] = p[i];
		}
	}
}

/* At the end of the file: a last line without a newline counts too. */
static void marker_end(struct marker_scan *m)
{
	if (m->found == 0 && is_marker(m))
		m->found = m->line;
}

/*
 * Streams the body into COPY … FROM STDIN in pieces of CSV_CHUNK (a leading
 * UTF-8 BOM dropped), watching for the end marker. Returns COPY's final
 * result (PGRES_COMMAND_OK or its error, with SQLSTATE and CONTEXT "COPY …,
 * line N"), or NULL when the connection failed. *marker is the marker's line
 * (then COPY was cancelled), *empty 1 for a body without a byte. Every result
 * libpq hands back is drained, so the connection is ready for the next command.
 */
static PGresult *copy_csv(PGconn *conn, struct req *req, size_t *marker, int *empty)
{
	PGresult *r = PQexec(conn, CSV_COPY_SQL), *last = NULL;
	struct marker_scan m = { .line = 1 };
	size_t total = 0;
	long n;

	if (PQresultStatus(r) != PGRES_COPY_IN)
		return r; /* e.g. the temporary table is missing: an error result */
	PQclear(r);
	char buf[CSV_CHUNK];
	while ((n = req_body_next(req, buf, sizeof buf)) > 0) {
		const char *p = buf;
		size_t len = (size_t)n;
		if (total == 0 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
			p += 3;
			len -= 3;
		}
		total += len;
		marker_feed(&m, p, len);
		if (m.found)
			break;
		if (len > 0 && PQputCopyData(conn, p, (int)len) != 1)
			break; /* the end below reports what went wrong */
	}
	if (n == 0)
		marker_end(&m);
	*marker = m.found;
	*empty = total == 0;
	/* Nothing of a file with the marker, an empty one or one cut short may be stored. */
	if (PQputCopyEnd(conn, m.found || total == 0 || n < 0 ? "cancelled" : NULL) != 1)
		return NULL;
	while ((r = PQgetResult(conn)) != NULL) {
		PQclear(last);
		last = r;
	}
	return last;
}

/* Turns a failed COPY (SQLSTATE, CONTEXT "COPY …, line N") into the import's 422, after the savepoint. */
static PGresult *copy_error(PGconn *conn, const char *state, const char *context)
{
	const char *e[2] = { state, context };
	PGresult *rb = NULL;
	if (!exec_ok(conn, "ROLLBACK TO SAVEPOINT csv_import", &rb))
		return rb; /* connection trouble: db_call_steps answers 503 */
	return PQexecParams(conn, "SELECT app.project_schools_import_copy_error($1, $2)", 2, NULL, e, NULL, NULL, 0);
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
	size_t marker = 0;
	int empty = 0;

	if (!exec_ok(conn, "SELECT app.project_schools_import_begin()", &r) ||
	    !exec_ok(conn, "SAVEPOINT csv_import", &r))
		return r;
	r = copy_csv(conn, c->req, &marker, &empty);
	if (r == NULL)
		return NULL;
	if (empty || marker > 0) {
		/* An empty file has no header: the same answer as a wrong one; "\." is a malformed line. */
		char context[64];
		snprintf(context, sizeof context, "COPY project_school_csv, line %zu", marker > 0 ? marker : 1);
		PQclear(r);
		return copy_error(conn, "22P04", context);
	}
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		const char *context = PQresultErrorField(r, PG_DIAG_CONTEXT);
		if (state == NULL)
			return r; /* connection trouble: db_call_steps answers 503 */
		PGresult *ce = copy_error(conn, state, context ? context : ""); /* the strings live in r until here */
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
	struct csv_import c = { req, req->id_text[0], req_query(req, "dry_run")->num == 1 ? "true" : "false" };
	PGresult *r;

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
