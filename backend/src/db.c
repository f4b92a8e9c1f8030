/* db.c — per-worker libpq connection: lazy reconnect with capped back-off, request transactions with claims (opened in one pipeline). */
#include "db.h"
#include "db_error.h"
#include "log.h"
#include "mem.h"
#include "role.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BACKOFF_FIRST_MS 50
#define BACKOFF_MAX_MS 1000

struct db {
	PGconn *conn;        /* NULL while disconnected */
	char *conninfo;      /* owned */
	long backoff_ms;     /* 0 after a success */
	struct timespec next_attempt; /* CLOCK_MONOTONIC; no attempt before it */
};

static struct timespec now_mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t;
}

static int before(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

static void drop(struct db *db)
{
	if (db->conn) {
		PQfinish(db->conn);
		db->conn = NULL;
	}
}

/* One connection attempt. On failure schedules the next one 50 ms … 1 s later. */
static int db_connect(struct db *db)
{
	/* expand_dbname: conninfo may be a full connection string; the later client_encoding wins over it. */
	const char *const keys[] = { "connect_timeout", "fallback_application_name", "dbname",
				     "client_encoding", NULL };
	const char *const vals[] = { "3", "orientir-api", db->conninfo, "UTF8", NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 1);

	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		char msg[256];
		snprintf(msg, sizeof msg, "%s", c ? PQerrorMessage(c) : "out of memory");
		msg[strcspn(msg, "\n")] = '\0';
		if (db->backoff_ms == 0)
			log_msg(LL_WARN, NULL, "database unavailable: %s", msg);
		PQfinish(c);
		db->backoff_ms = db->backoff_ms ? db->backoff_ms * 2 : BACKOFF_FIRST_MS;
		if (db->backoff_ms > BACKOFF_MAX_MS)
			db->backoff_ms = BACKOFF_MAX_MS;
		struct timespec t = now_mono();
		t.tv_nsec += db->backoff_ms * 1000000L;
		t.tv_sec += t.tv_nsec / 1000000000L;
		t.tv_nsec %= 1000000000L;
		db->next_attempt = t;
		return -1;
	}
	if (db->backoff_ms)
		log_msg(LL_INFO, NULL, "database connection restored");
	db->conn = c;
	db->backoff_ms = 0;
	return 0;
}

/* 0 with a usable connection, -1 while the database is away (no waiting inside back-off). */
static int ensure(struct db *db)
{
	if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	drop(db);
	if (before(now_mono(), db->next_attempt))
		return -1;
	return db_connect(db);
}

struct db *db_new(const char *conninfo)
{
	struct db *db = xcalloc(1, sizeof *db);
	db->conninfo = xstrdup(conninfo);
	(void)db_connect(db);
	return db;
}

void db_free(struct db *db)
{
	if (db == NULL)
		return;
	drop(db);
	free(db->conninfo);
	free(db);
}

static int broken(const struct db *db)
{
	return db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK;
}

int db_ping(struct db *db)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (ensure(db) != 0)
			return -1;
		PGresult *r = PQexec(db->conn, "SELECT 1");
		int ok = PQresultStatus(r) == PGRES_TUPLES_OK;
		PQclear(r);
		if (ok)
			return 0;
		if (!broken(db))
			return -1;
		drop(db); /* the server went away under us: try a fresh connection once */
	}
	return -1;
}

/*
 * The opening's statements. Every value is a bind parameter; the anonymous
 * role is a constant of the code, not a value of the request.
 */
#define SQL_BEGIN "BEGIN"
#define SQL_CLAIMS                                                                                  \
	"SELECT set_config('request.claims', $1, true), set_config('request.id', $2, true), "      \
	"set_config('role', $3, true)"
#define SQL_ANON_CLAIMS "SELECT set_config('request.id', $1, true), set_config('role', 'orientir_anon', true)"
#define SQL_ACTIVE "SELECT app.current_user_is_active()"

/*
 * Queues the opening on db->conn in pipeline mode and sends it with one
 * sync, so it costs one round trip: BEGIN, the claims and role, and for a
 * signed-in caller the active check (role is its PostgreSQL role). The
 * check is a query of its own: PostgreSQL checks EXECUTE on a function when
 * the statement is executed, so it must come after the role switch.
 * Returns the number of queries queued, or -1 when libpq could not queue or
 * send them (the connection is then left in pipeline mode: drop it).
 */
static int send_opening(struct db *db, const struct req *req, const char *role)
{
	PGconn *c = db->conn;

	if (PQenterPipelineMode(c) != 1 || PQsendQueryParams(c, SQL_BEGIN, 0, NULL, NULL, NULL, NULL, 0) != 1)
		return -1;
	if (!req->authenticated) {
		const char *const p[] = { req->request_id };
		if (PQsendQueryParams(c, SQL_ANON_CLAIMS, 1, NULL, p, NULL, NULL, 0) != 1 || PQpipelineSync(c) != 1)
			return -1;
		return 2;
	}
	const char *const p[] = { req->claims_json ? req->claims_json : "{}", req->request_id, role };
	if (PQsendQueryParams(c, SQL_CLAIMS, 3, NULL, p, NULL, NULL, 0) != 1 ||
	    PQsendQueryParams(c, SQL_ACTIVE, 0, NULL, NULL, NULL, NULL, 0) != 1 || PQpipelineSync(c) != 1)
		return -1;
	return 3;
}

/*
 * Reads the results of the n queued queries and then the sync, in order,
 * and leaves pipeline mode. Each query yields one result and then NULL; after
 * a failed one the server skips the rest up to the sync, and libpq reports
 * them as PGRES_PIPELINE_ABORTED. Returns 0 with *last the last query's
 * result (PGRES_TUPLES_OK), or -1 with *last the first failed result (an
 * error result for fail()) or NULL. Anything else — a lost connection, a
 * result out of order, a pipeline libpq will not leave — drops the
 * connection rather than risk a stuck one: broken(db) then holds and *last
 * is NULL. The caller PQclear()s *last.
 */
static int read_opening(struct db *db, int n, PGresult **last)
{
	PGresult *r = NULL, *ok = NULL, *err = NULL;
	int rc = -1;

	*last = NULL;
	for (int i = 0; i < n; i++) {
		r = PQgetResult(db->conn);
		if (r == NULL || broken(db))
			goto lost;
		ExecStatusType st = PQresultStatus(r);
		if (err == NULL && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) {
			PQclear(ok);
			ok = r;
		} else if (err == NULL && st == PGRES_FATAL_ERROR) {
			err = r;
		} else if (err != NULL && st == PGRES_PIPELINE_ABORTED) {
			PQclear(r);
		} else {
			goto lost;
		}
		r = PQgetResult(db->conn); /* the end of this query's results */
		if (r != NULL || broken(db))
			goto lost;
	}
	r = PQgetResult(db->conn);
	if (PQresultStatus(r) != PGRES_PIPELINE_SYNC || broken(db))
		goto lost;
	PQclear(r);
	r = NULL;
	if (PQexitPipelineMode(db->conn) != 1)
		goto lost;
	if (err) {
		*last = err;
		err = NULL;
	} else {
		*last = ok;
		ok = NULL;
		rc = 0;
	}
	goto out;
lost:
	drop(db);
out:
	PQclear(r);
	PQclear(ok);
	PQclear(err);
	return rc;
}

/*
 * Opens the request's transaction on a connected db (see db.h): 0 with *last
 * the result of its last query (for a signed-in caller, the active check);
 * -1 with *last the failed result or NULL, the connection either idle out of
 * pipeline mode (possibly inside a failed transaction) or dropped. The
 * caller PQclear()s *last.
 */
static int open_request(struct db *db, const struct req *req, PGresult **last)
{
	const char *role = req->authenticated ? role_db_name(req->claims.role) : NULL;
	int n;

	*last = NULL;
	if (req->authenticated && role == NULL) {
		log_msg(LL_ERROR, req->request_id, "no database role for the caller's role");
		return -1;
	}
	n = send_opening(db, req, role);
	if (n < 0) {
		drop(db);
		return -1;
	}
	return read_opening(db, n, last);
}

/* Answers resp from a failed result and logs what the client must not see. */
static void fail(struct db *db, const struct req *req, struct resp *resp, const PGresult *r,
		 const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	int status;

	if (broken(db) || state == NULL) {
		log_msg(LL_WARN, req->request_id, "database connection lost during %s", what);
		drop(db);
		resp_unavailable(resp);
		return;
	}
	status = db_error_respond(resp, state, msg, PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL),
				  PQresultErrorField(r, PG_DIAG_MESSAGE_HINT));
	log_msg(status >= 500 ? LL_ERROR : LL_DEBUG, req->request_id, "%s failed: %s %s", what, state,
		msg ? msg : "");
}

static void rollback(struct db *db)
{
	if (broken(db))
		return;
	PQclear(PQexec(db->conn, "ROLLBACK"));
}

PGresult *db_call_steps(struct req *req, struct resp *resp, db_steps_fn steps, void *ctx)
{
	struct db *db = req->db;
	PGresult *r = NULL, *result = NULL;
	int in_tx = 0;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (db == NULL || ensure(db) != 0) {
			resp_unavailable(resp);
			goto out;
		}
		if (open_request(db, req, &r) == 0)
			break;
		if (!broken(db) || attempt == 1) {
			in_tx = PQtransactionStatus(db->conn) != PQTRANS_IDLE;
			fail(db, req, resp, r, "request opening");
			goto out;
		}
		/* Dead connection (e.g. the server restarted): reconnect now, once. */
		PQclear(r);
		r = NULL;
		drop(db);
		db->next_attempt = (struct timespec){ 0, 0 };
	}
	in_tx = 1;
	if (req->authenticated) {
		const char *active = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "f";
		if (strcmp(active, "t") != 0) {
			resp_header(resp, "WWW-Authenticate", "Bearer realm=\"orientir\", error=\"invalid_token\"");
			resp_error(resp, 401, "auth.inactive", "Учётная запись отключена");
			goto out;
		}
	}
	PQclear(r);
	r = steps(db->conn, ctx);
	if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
		fail(db, req, resp, r, "call");
		goto out;
	}
	result = r;
	r = PQexec(db->conn, "COMMIT");
	in_tx = 0; /* a failed COMMIT ends the transaction too */
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fail(db, req, resp, r, "commit");
		PQclear(result);
		result = NULL;
		goto out;
	}
out:
	if (result == NULL && in_tx)
		rollback(db);
	PQclear(r);
	return result;
}

/* One parameterised statement: the steps of a plain db_call. */
struct one_call {
	const char *sql;
	int nparams;
	const char *const *params;
};

static PGresult *run_one_call(PGconn *conn, void *ctx)
{
	const struct one_call *c = ctx;
	return PQexecParams(conn, c->sql, c->nparams, NULL, c->params, NULL, NULL, 0);
}

PGresult *db_call(struct req *req, struct resp *resp, const char *sql, int nparams,
		  const char *const *params)
{
	struct one_call c = { sql, nparams, params };
	return db_call_steps(req, resp, run_one_call, &c);
}
