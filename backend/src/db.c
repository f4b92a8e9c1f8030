/* db.c — per-worker libpq connection: lazy reconnect with capped back-off, request transactions with claims (opened in one pipeline). */
#include "db.h"
#include "db_error.h"
#include "log.h"
#include "mem.h"
#include "role.h"
#include "stmt_cache.h"

#include <openssl/crypto.h>
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
	struct stmt_cache stmts;      /* the calls prepared on conn */
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
	stmt_cache_clear(&db->stmts); /* prepared statements die with their connection */
}

static int prepare(PGconn *c, char *msg, size_t msgsz);

/* One connection attempt (connect and prepare the openings). On failure schedules the next one 50 ms … 1 s later. */
static int db_connect(struct db *db)
{
	/* expand_dbname: conninfo may be a full connection string; the later client_encoding wins over it. */
	const char *const keys[] = { "connect_timeout", "fallback_application_name", "dbname",
				     "client_encoding", NULL };
	const char *const vals[] = { "3", "orientir-api", db->conninfo, "UTF8", NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 1);

	char msg[256];

	if (c == NULL || PQstatus(c) != CONNECTION_OK || prepare(c, msg, sizeof msg) != 0) {
		if (c == NULL || PQstatus(c) != CONNECTION_OK)
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
	OPENSSL_cleanse(db->conninfo, strlen(db->conninfo)); /* may carry the password */
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
 * The opening of a request, prepared once per connection (prepare()). A
 * signed-in caller's opening is one statement: the account check
 * (app.session_check raises OR401 unless the account is active and the
 * token's epoch is current), the claims as separate settings (the claim
 * helpers read them without parsing JSON), the request id and the role.
 * EXECUTE on session_check is checked when the statement starts, still as
 * orientir_api, which holds it; the check reads only its arguments, so where
 * set_config('role') falls in the list does not matter.
 * Parameters: $1 sub, $2 ep, $3 role, $4 reg, $5 mun, $6 sch ('' for none),
 * $7 request id, $8 the database role.
 */
#define STMT_OPEN "orientir_open"
#define SQL_OPEN                                                                                     \
	"SELECT app.session_check($1, $2), set_config('request.sub', $1::text, true), "             \
	"set_config('request.role', $3, true), set_config('request.reg', $4, true), "               \
	"set_config('request.mun', $5, true), set_config('request.sch', $6, true), "                \
	"set_config('request.id', $7, true), set_config('role', $8, true)"
#define OPEN_NPARAMS 8
/* The anonymous role is a constant of the code, not a value of the request. */
#define STMT_OPEN_ANON "orientir_open_anon"
#define SQL_OPEN_ANON "SELECT set_config('request.id', $1, true), set_config('role', 'orientir_anon', true)"

#define OID_INT8 20
#define OID_INT4 23
#define OID_TEXT 25

/* Prepares the openings on a new connection; 0, or -1 with the reason in msg. */
static int prepare(PGconn *c, char *msg, size_t msgsz)
{
	static const Oid open_types[OPEN_NPARAMS] = { OID_INT8, OID_INT4, OID_TEXT, OID_TEXT,
						      OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT };
	static const Oid anon_types[1] = { OID_TEXT };
	PGresult *a = PQprepare(c, STMT_OPEN, SQL_OPEN, OPEN_NPARAMS, open_types);
	PGresult *b = PQresultStatus(a) == PGRES_COMMAND_OK ? PQprepare(c, STMT_OPEN_ANON, SQL_OPEN_ANON, 1, anon_types)
							   : NULL;
	int ok = PQresultStatus(b) == PGRES_COMMAND_OK;

	if (!ok)
		snprintf(msg, msgsz, "cannot prepare the request opening: %s", PQerrorMessage(c));
	PQclear(a);
	PQclear(b);
	return ok ? 0 : -1;
}

/* The request's SQL call, queued after the opening in the same pipeline. */
struct call {
	const char *sql;
	int nparams;
	const char *const *params;
};

/* The queries of one pipeline, in order: BEGIN, the opening and, for db_call, the call's
 * statement when this connection has not prepared it yet, the call and COMMIT. */
enum { Q_BEGIN, Q_OPEN, Q_MAX = 5 };

struct pipeline {
	int n;                        /* queries queued */
	int call;                     /* index of the call, -1 without one */
	struct stmt_entry *preparing; /* prepared in this pipeline, at index call - 1 */
};

static const char *query_name(const struct pipeline *p, int i)
{
	if (i == Q_BEGIN)
		return "begin";
	if (i == Q_OPEN)
		return "request opening";
	if (p->call < 0 || i > p->call)
		return "commit";
	return i == p->call ? "call" : "prepare";
}

/* An id claim as the setting holds it: decimal, or '' for none (0). */
static void id_text(char *buf, size_t size, int64_t id)
{
	if (id > 0)
		snprintf(buf, size, "%lld", (long long)id);
	else
		buf[0] = '\0';
}

/* Queues the call: by name when prepared (preparing it first when new), else unnamed. */
static int send_call(struct db *db, const struct call *call, struct pipeline *p)
{
	PGconn *c = db->conn;
	struct stmt_entry *e = stmt_cache_get(&db->stmts, call->sql);

	if (e == NULL)
		return PQsendQueryParams(c, call->sql, call->nparams, NULL, call->params, NULL, NULL, 0);
	if (!e->ready) {
		if (PQsendPrepare(c, e->name, call->sql, call->nparams, NULL) != 1) {
			stmt_cache_forget(&db->stmts, e);
			return 0;
		}
		p->preparing = e;
		p->n++;
	}
	return PQsendQueryPrepared(c, e->name, call->nparams, call->params, NULL, NULL, 0);
}

/*
 * Queues BEGIN and the opening — and, given a call, the call and COMMIT —
 * on db->conn in pipeline mode and sends them with one sync: one round
 * trip. Fills *p; returns 0, or -1 when libpq could not queue or send them
 * (the connection is then left in pipeline mode: drop it).
 */
static int send_pipeline(struct db *db, const struct req *req, const struct call *call, struct pipeline *p)
{
	PGconn *c = db->conn;
	const struct claims *k = &req->claims;
	char sub[24], ep[24], reg[24], mun[24], sch[24];
	int ok;

	*p = (struct pipeline){ .n = 2, .call = -1 };
	if (PQenterPipelineMode(c) != 1 || PQsendQueryParams(c, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) != 1)
		return -1;
	if (req->authenticated) {
		snprintf(sub, sizeof sub, "%lld", (long long)k->user_id);
		snprintf(ep, sizeof ep, "%lld", (long long)k->epoch);
		id_text(reg, sizeof reg, k->region_id);
		id_text(mun, sizeof mun, k->municipality_id);
		id_text(sch, sizeof sch, k->school_id);
		const char *const v[OPEN_NPARAMS] = { sub, ep, role_name(k->role), reg, mun, sch, req->request_id,
						      role_db_name(k->role) };
		ok = PQsendQueryPrepared(c, STMT_OPEN, OPEN_NPARAMS, v, NULL, NULL, 0);
	} else {
		const char *const v[] = { req->request_id };
		ok = PQsendQueryPrepared(c, STMT_OPEN_ANON, 1, v, NULL, NULL, 0);
	}
	if (ok != 1)
		return -1;
	if (call != NULL) {
		if (send_call(db, call, p) != 1 || PQsendQueryParams(c, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) != 1)
			return -1;
		p->call = p->n;
		p->n += 2;
	}
	return PQpipelineSync(c) == 1 ? 0 : -1;
}

static int result_ok(const PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/*
 * Reads the results of the n queued queries into res[0..n-1] and then the
 * sync, and leaves pipeline mode. Each query yields one result and then
 * NULL; after a failed one the server skips the rest up to the sync, and
 * libpq reports them as PGRES_PIPELINE_ABORTED. Returns 0 when the pipeline
 * was read in full. Anything else — a lost connection, a result out of
 * order, a pipeline libpq will not leave — drops the connection rather than
 * risk a stuck one and returns -1; res[] keeps what arrived (the caller
 * PQclear()s every entry either way).
 */
static int read_pipeline(struct db *db, int n, PGresult **res)
{
	PGresult *r = NULL;
	int failed = 0;

	for (int i = 0; i < n; i++) {
		r = PQgetResult(db->conn);
		if (r == NULL || broken(db))
			goto lost;
		ExecStatusType st = PQresultStatus(r);
		if (!failed && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) {
			res[i] = r;
		} else if (!failed && st == PGRES_FATAL_ERROR) {
			res[i] = r;
			failed = 1;
		} else if (failed && st == PGRES_PIPELINE_ABORTED) {
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
	if (PQexitPipelineMode(db->conn) != 1)
		goto lost_cleared;
	return 0;
lost:
	PQclear(r);
lost_cleared:
	drop(db);
	return -1;
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
	if (status == 401) /* the account check: the token no longer opens a session */
		resp_header(resp, "WWW-Authenticate", "Bearer realm=\"orientir\", error=\"invalid_token\"");
	log_msg(status >= 500 ? LL_ERROR : LL_DEBUG, req->request_id, "%s failed: %s %s", what, state,
		msg ? msg : "");
}

/* Ends a transaction left open or failed; a no-op on an idle or dropped connection. */
static void rollback(struct db *db)
{
	if (broken(db) || PQtransactionStatus(db->conn) == PQTRANS_IDLE)
		return;
	PQclear(PQexec(db->conn, "ROLLBACK"));
}

/*
 * Sends one pipeline (see send_pipeline) and reads it. Returns 0 when every
 * query succeeded: with a call, its result is moved to *result and the
 * transaction is committed; without, the transaction is open. Otherwise
 * answers resp, rolls back whatever is open and returns -1. A connection
 * found dead before any query of the pipeline ran (e.g. PostgreSQL
 * restarted meanwhile) is re-opened and the pipeline sent once more, so a
 * restart costs no request; once BEGIN has succeeded nothing is resent.
 */
static int run_pipeline(struct db *db, const struct req *req, struct resp *resp, const struct call *call,
			PGresult **result)
{
	PGresult *res[Q_MAX];
	struct pipeline p = { 0, -1, NULL };
	int sent = -1, failed = -1, rc = -1;

	for (int attempt = 0; attempt < 2; attempt++) {
		memset(res, 0, sizeof res);
		if (ensure(db) != 0) {
			resp_unavailable(resp);
			return -1;
		}
		sent = send_pipeline(db, req, call, &p);
		if (sent != 0)
			drop(db);
		else if (read_pipeline(db, p.n, res) == 0)
			break;
		if (!broken(db) || result_ok(res[Q_BEGIN]) || attempt == 1)
			break;
		/* Dead before BEGIN ran: reconnect now, once. */
		for (int i = 0; i < Q_MAX; i++)
			PQclear(res[i]);
		db->next_attempt = (struct timespec){ 0, 0 };
	}
	if (sent != 0) {
		memset(res, 0, sizeof res);
		p.n = 0;
	}
	for (int i = 0; i < p.n && failed < 0; i++)
		if (!result_ok(res[i]))
			failed = i;
	if (p.preparing && !broken(db)) { /* broken: drop() has emptied the cache */
		if (result_ok(res[p.call - 1]))
			stmt_cache_ready(p.preparing);
		else
			stmt_cache_forget(&db->stmts, p.preparing);
	}
	if (sent != 0) {
		fail(db, req, resp, NULL, "begin");
	} else if (failed >= 0) {
		fail(db, req, resp, res[failed], query_name(&p, failed));
		rollback(db);
	} else {
		if (call) {
			*result = res[p.call];
			res[p.call] = NULL;
		}
		rc = 0;
	}
	for (int i = 0; i < Q_MAX; i++)
		PQclear(res[i]);
	return rc;
}

PGresult *db_call_steps(struct req *req, struct resp *resp, db_steps_fn steps, void *ctx)
{
	struct db *db = req->db;
	PGresult *r = NULL, *result = NULL;

	if (db == NULL) {
		resp_unavailable(resp);
		return NULL;
	}
	if (run_pipeline(db, req, resp, NULL, NULL) != 0)
		return NULL;
	r = steps(db->conn, ctx);
	if (!result_ok(r)) {
		fail(db, req, resp, r, "call");
		goto out;
	}
	result = r;
	r = PQexec(db->conn, "COMMIT");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fail(db, req, resp, r, "commit");
		PQclear(result);
		result = NULL;
	}
out:
	if (result == NULL)
		rollback(db);
	PQclear(r);
	return result;
}

PGresult *db_call(struct req *req, struct resp *resp, const char *sql, int nparams,
		  const char *const *params)
{
	struct call c = { sql, nparams, params };
	PGresult *result = NULL;

	if (req->db == NULL) {
		resp_unavailable(resp);
		return NULL;
	}
	if (run_pipeline(req->db, req, resp, &c, &result) != 0)
		return NULL;
	return result;
}
