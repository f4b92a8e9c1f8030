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
 * Runs sql with text params in one transaction of its own, opened by
 *   BEGIN; SELECT set_config('request.claims', $1, true),
 *   set_config('request.id', $2, true), set_config('role', $3, true);
 *   SELECT app.current_user_is_active();
 * as separate bind-parameter queries in one libpq pipeline (one round trip;
 * anonymous requests set request.id and orientir_anon only), then the call,
 * then COMMIT. Returns the call's result (the caller
 * PQclear()s it before the request ends), or NULL after answering resp:
 * 401 auth.inactive, 503 service.unavailable, or the SQLSTATE mapping of
 * db_error.h. A connection found dead at the opening is re-opened and the
 * transaction retried once, so a database restart costs no request; one
 * that misbehaves mid-pipeline is dropped, never left half-read.
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
 * calls, a savepoint): opens it exactly as db_call does, runs steps(conn,
 * ctx), then COMMITs — or ROLLBACKs and answers resp on an error result.
 * Returns the steps' result (the caller PQclear()s it), or NULL after
 * answering resp (401 auth.inactive, 503, the SQLSTATE mapping).
 */
PGresult *db_call_steps(struct req *req, struct resp *resp, db_steps_fn steps, void *ctx);

#endif
