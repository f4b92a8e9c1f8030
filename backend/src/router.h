/* router.h — route table entries, path matching and the dispatcher that guards every handler. */
#ifndef ORIENTIR_ROUTER_H
#define ORIENTIR_ROUTER_H

#include "http.h"
#include "input.h"

#include <stddef.h>

/*
 * Every handler has this shape. It runs only after the dispatcher has
 * matched the path, authenticated the caller, checked the role, and
 * validated the query, If-Match and body, so it reads validated values
 * (req->ids, req->qv, req->json, req->claims). It must set a response;
 * the return value is the status it set (informational).
 */
typedef int (*handler_fn)(struct req *req, struct resp *resp);

#define RF_PUBLIC   0x1u /* no access token needed; runs as orientir_anon */
#define RF_IF_MATCH 0x2u /* reads If-Match into req->version */
#define RF_CSV_BODY 0x4u /* the body is raw text/csv (UTF-8), not JSON, up to ORIENTIR_MAX_IMPORT: the handler streams it */
#define RF_THROTTLED 0x8u /* checks a password: may answer 429 auth.throttled (documented in OpenAPI) */
#define RF_UPLOAD   0x10u /* the body is a file's bytes, any Content-Type, up to ORIENTIR_MAX_UPLOAD: the handler streams it */

/* Where one argument of a route's SQL call comes from (all validated before the call). */
enum arg_source {
	ARG_PATH,        /* the index-th {placeholder} of the path */
	ARG_IF_MATCH,    /* the If-Match version; NULL when absent (SQL then does not check it) */
	ARG_BODY,        /* the validated JSON body, serialised again */
	ARG_DOCUMENT,    /* the body exactly as the client wrote it (BS_DOCUMENT) */
	ARG_MEMBER,      /* one string member of the validated body; NULL when absent or null */
	ARG_QUERY,       /* a query parameter of the route's query spec; NULL when absent */
	ARG_QUERY_FLAG,  /* a 0/1 query parameter as SQL boolean text; NULL when absent */
};

struct sql_arg {
	enum arg_source source;
	int index;         /* ARG_PATH */
	const char *name;  /* ARG_MEMBER, ARG_QUERY, ARG_QUERY_FLAG */
	const char *type;  /* the parameter's SQL type: bigint, int, boolean, text, json, jsonb */
};

enum sql_answer {
	ANSWER_JSON,           /* the function's JSON with `status`; NULL → 404 */
	ANSWER_CREATED_OR_OK,  /* {created, <member>}: 201 when created, else 200, with <member> */
	ANSWER_NO_CONTENT,     /* 204 */
};

/* The SQL function a route calls and where its arguments come from (routes that only call SQL). */
struct sql_call {
	const char *function;         /* schema-qualified: "app.schools_list" */
	enum sql_answer answer;
	int status;                   /* ANSWER_JSON: 200 or 201 */
	const char *member;           /* ANSWER_CREATED_OR_OK: the member holding the object */
	const struct sql_arg *args;
	size_t nargs;
};

struct route {
	const char *method;              /* "GET", "POST", "PATCH", … */
	const char *pattern;             /* "/api/v1/schools/{id}": every {name} segment is a positive int64 */
	unsigned roles;                  /* enum role bits allowed; ignored when RF_PUBLIC */
	unsigned flags;                  /* RF_* */
	const struct body_spec *body;    /* JSON body shape; NULL: no body (or "{}") */
	const struct query_spec *query;  /* allowed query parameters; NULL: none */
	const struct sql_call *call;     /* the SQL the route runs, answered by api_sql_call(); or */
	handler_fn handler;              /* a handler for routes where C does real work */
};

enum match_result {
	MATCH_OK,
	MATCH_NO_PATH,    /* 404 */
	MATCH_NO_METHOD,  /* 405: the path exists with other methods (listed in allow) */
};

/*
 * Finds the route for method and path. On MATCH_OK *found is set and ids[]
 * receives the placeholder segments ({id}, {indicator_id}, …) in path order
 * (*nids of them, at most HTTP_MAX_IDS). On MATCH_NO_METHOD allow gets
 * "GET, PATCH"-style text. A non-numeric, zero, negative or overflowing
 * placeholder segment does not match (hence 404).
 */
enum match_result router_match(const struct route *table, size_t n, const char *method,
			       const char *path, const struct route **found, int64_t *ids,
			       size_t *nids, char *allow, size_t allowsz);

/*
 * Answers one request: 404/405 (no route), 401 auth.unauthorized /
 * auth.invalid_token, 403 auth.forbidden, 413 request.too_large, 400
 * request.malformed (bad query string, bad Content-Length, wrong Content-Type,
 * malformed JSON), 422 validation.failed (query, If-Match and body problems,
 * all collected) — and only then calls the handler. A handler that sets no
 * response yields 500 internal.
 */
void router_dispatch(const struct route *table, size_t n, struct req *req, struct resp *resp);

/* The most bytes of body the route takes (cfg may be NULL: the defaults). */
int64_t route_body_limit(const struct route *route, const struct config *cfg);

/* The validated query parameter called name of the current route; an absent one when undeclared. */
const struct qval *req_query(const struct req *req, const char *name);

/* 1 when a Content-Type value is application/json (charset, if any, utf-8), else 0. */
int content_type_is_json(const char *ct);
/* 1 when a Content-Type value is text/csv (charset, if any, utf-8), else 0. */
int content_type_is_csv(const char *ct);

#endif
