/* db.h — one PostgreSQL connection per worker, reconnecting with back-off, and the per-request transaction. */
#ifndef ORIENTIR_DB_H
#define ORIENTIR_DB_H

#include "http.h"

#include <libpq-fe.h>

struct db;

/*
 * Creates a handle for conninfo (copied) and tries to connect once; a
 * failure is logged, not fatal: requests get 503 until a reconnect works.
 * Free with db_free().
 */
struct db *db_new(const char *conninfo);
/* Closes the connection and frees the handle; accepts NULL. */
void db_free(struct db *db);

/* 0 when `SELECT 1` succeeds now (reconnecting if needed), else -1. */
int db_ping(struct db *db);

/*
 * Runs sql with text params in one transaction of its own: BEGIN, the
 * opening (app.session_check of the token's user and epoch, the claims as
 * request.sub/role/reg/mun/sch, the request id, the role; anonymous
 * requests set request.id and orientir_anon only), the call (prepared once
 * per connection) and COMMIT, queued in one libpq pipeline: one round trip.
 * Returns the call's result (the caller PQclear()s it before the request
 * ends), or NULL after answering resp: 401 auth.inactive or
 * auth.invalid_token, 503 service.unavailable, or the SQLSTATE mapping of
 * db_error.h (then a ROLLBACK ends the failed transaction). A connection
 * found dead before BEGIN ran is re-opened and the pipeline sent once more,
 * so a database restart costs no request; one that misbehaves mid-pipeline
 * is dropped, never left half-read.
 */
PGresult *db_call(struct req *req, struct resp *resp, const char *sql, int nparams,
		  const char *const *params);

/*
 * The statements of one request after the opening: runs on conn inside the
 * claims transaction and returns the request's result. A result whose
 * status is PGRES_TUPLES_OK or PGRES_COMMAND_OK is the answer; any other
 * (an error result, PGRES_FATAL_ERROR) is answered like a failed call;
 * NULL means the connection failed (503). The steps own and clear every
 * intermediate result; the returned one passes to db_call_steps.
 */
typedef PGresult *(*db_steps_fn)(PGconn *conn, void *ctx);

/*
 * db_call for a short sequence in the same transaction (a COPY between two
 * calls, a savepoint): BEGIN and the opening go as one pipeline, then
 * steps(conn, ctx) runs, then COMMIT — or ROLLBACK and resp answered on an
 * error result. Returns the steps' result (the caller PQclear()s it), or
 * NULL after answering resp (401, 503, the SQLSTATE mapping).
 */
PGresult *db_call_steps(struct req *req, struct resp *resp, db_steps_fn steps, void *ctx);

#endif
