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
#define RF_CSV_BODY 0x4u /* the body is raw text/csv (UTF-8), not JSON: left in req->body for the handler */

struct route {
	const char *method;              /* "GET", "POST", "PATCH", … */
	const char *pattern;             /* "/api/v1/schools/{id}": every {name} segment is a positive int64 */
	handler_fn handler;
	unsigned roles;                  /* enum role bits allowed; ignored when RF_PUBLIC */
	unsigned flags;                  /* RF_* */
	const struct body_spec *body;    /* JSON body shape; NULL: no body (or "{}") */
	const struct query_spec *query;  /* allowed query parameters; NULL: none */
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

/* The validated query parameter called name of the current route; an absent one when undeclared. */
const struct qval *req_query(const struct req *req, const char *name);

/* 1 when a Content-Type value is application/json (charset, if any, utf-8), else 0. */
int content_type_is_json(const char *ct);
/* 1 when a Content-Type value is text/csv (charset, if any, utf-8), else 0. */
int content_type_is_csv(const char *ct);

#endif
