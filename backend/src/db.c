/* db.c — per-worker libpq connection: lazy reconnect with capped back-off, request transactions with claims. */
#include "db.h"
#include "buf.h"
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
 * The opening message: BEGIN and the claims, and for a signed-in caller the
 * active check, as separate statements in one simple-query round trip.
 * Separate statements matter: PostgreSQL checks EXECUTE on a function when
 * the statement starts, so the check must be planned after the role switch.
 */
static int build_opening(struct db *db, const struct req *req, struct buf *sql)
{
	char *rid = PQescapeLiteral(db->conn, req->request_id, strlen(req->request_id));
	char *claims = NULL, *role = NULL;
	int rc = -1;

	if (rid == NULL)
		goto out;
	if (!req->authenticated) {
		buf_printf(sql, "BEGIN; SELECT set_config('request.id', %s, true), "
				"set_config('role', 'orientir_anon', true)", rid);
		rc = 0;
		goto out;
	}
	claims = PQescapeLiteral(db->conn, req->claims_json ? req->claims_json : "{}",
				 strlen(req->claims_json ? req->claims_json : "{}"));
	const char *r = role_db_name(req->claims.role);
	role = r ? PQescapeLiteral(db->conn, r, strlen(r)) : NULL;
	if (claims == NULL || role == NULL)
		goto out;
	buf_printf(sql, "BEGIN; SELECT set_config('request.claims', %s, true), "
			"set_config('request.id', %s, true), set_config('role', %s, true); "
			"SELECT app.current_user_is_active()", claims, rid, role);
	rc = 0;
out:
	PQfreemem(rid);
	PQfreemem(claims);
	PQfreemem(role);
	return rc;
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
	struct buf opening = BUF_INIT;
	PGresult *r = NULL, *result = NULL;
	int in_tx = 0;

	for (int attempt = 0; attempt < 2; attempt++) {
		buf_reset(&opening);
		if (db == NULL || ensure(db) != 0) {
			resp_unavailable(resp);
			goto out;
		}
		if (build_opening(db, req, &opening) != 0) {
			fail(db, req, resp, NULL, "escaping");
			goto out;
		}
		r = PQexec(db->conn, opening.data);
		if (PQresultStatus(r) == PGRES_TUPLES_OK)
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
	buf_free(&opening);
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
