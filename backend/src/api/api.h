/* api.h — the hand-written handlers (routes where C does real work; every other route only declares its SQL call in routes.c) and the helpers they share. */
#ifndef ORIENTIR_API_H
#define ORIENTIR_API_H

#include "../http.h"

/* health.c */
int h_health(struct req *req, struct resp *resp);
int h_openapi(struct req *req, struct resp *resp);
/* auth.c */
int h_auth_login(struct req *req, struct resp *resp);
int h_auth_refresh(struct req *req, struct resp *resp);
int h_auth_logout(struct req *req, struct resp *resp);
/* me.c */
int h_me_password(struct req *req, struct resp *resp);
/* users.c */
int h_users_create(struct req *req, struct resp *resp);
int h_users_password(struct req *req, struct resp *resp);
/* projects.c */
int h_project_schools_import(struct req *req, struct resp *resp);
/* documents.c */
int h_documents_items_create(struct req *req, struct resp *resp);
/* attachments.c */
int h_attachment_upload(struct req *req, struct resp *resp);
int h_attachment_download(struct req *req, struct resp *resp);
/* reports.c */
int h_reports_summary_xlsx(struct req *req, struct resp *resp);
int h_reports_summary_csv(struct req *req, struct resp *resp);

/* ---- call.c ---- */

/*
 * The handler of every route that declares a struct sql_call instead of a
 * handler: collects the arguments from the path, If-Match, body and query
 * as the row says, runs the function through db_call and answers as the
 * row says. Returns the status set.
 */
int api_sql_call(struct req *req, struct resp *resp);

/* ---- common.c ---- */

/*
 * Runs sql (one json column, one row) through db_call and answers ok_status
 * with PostgreSQL's text as it is; a NULL value or no row is 404 not_found.
 * Errors are answered by db_call. Returns the status set.
 */
int api_json_call(struct req *req, struct resp *resp, int ok_status, const char *sql, int nparams,
		  const char *const *params);

/*
 * For "create or return the existing one" calls: sql yields one row of two
 * columns, (created boolean, object json). Answers 201 with the object when
 * created is true, 200 when false; no row or a NULL is 404. The JSON goes
 * out untouched. Returns the status set.
 */
int api_json_call_created(struct req *req, struct resp *resp, const char *sql, int nparams,
			  const char *const *params);

/* Runs sql through db_call and answers 204. Returns the status set. */
int api_void_call(struct req *req, struct resp *resp, const char *sql, int nparams,
		  const char *const *params);

/* The validated body re-serialised compactly, in the request pool (for a jsonb parameter). */
const char *api_body_text(struct req *req);

/*
 * The raw body of a BS_DOCUMENT route, exactly as the client sent it (for a
 * json parameter that keeps the client's layout and key order); borrowed
 * from the request. NULL when there is none (cannot happen after the
 * dispatcher accepted the body).
 */
const char *api_raw_body(const struct req *req);

/*
 * Hashes a password taken from the validated body into out
 * (PASSWORD_HASH_MAX bytes) and wipes the plain text inside req->json.
 * Returns 0, or -1 after answering 500.
 */
int api_hash_body_password(struct req *req, struct resp *resp, const char *field, char *out);

/* The client's address as nginx passed it (REMOTE_ADDR), or NULL when there is none. */
const char *api_remote_addr(const struct req *req);

/*
 * Answers 429 auth.throttled: Retry-After is retry_after (whole seconds, as
 * text from SQL; at least 1) and the Russian title says how long to wait.
 */
void api_throttled(struct resp *resp, const char *retry_after);

/* Overwrites a JSON string's bytes in place (passwords), so freed memory does not keep them. */
void api_wipe_json_string(json_t *s);

#endif
