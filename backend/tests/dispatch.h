/*
 * dispatch.h — the unit tests' way into the real route table, in process (no socket, no
 * database): a request made of FastCGI parameters run through router_dispatch, the route
 * of a pattern, and table-driven checks of its body and query specs. Shared by
 * test_router.c, test_execution.c and test_programs.c.
 */
#ifndef ORIENTIR_TEST_DISPATCH_H
#define ORIENTIR_TEST_DISPATCH_H

#include "testutil.h"
#include "config.h"
#include "input.h"
#include "router.h"
#include "routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static unsigned char TEST_KEY[] = "dispatch-test-key-dispatch-test-key-0123";
static struct config test_cfg = { .jwt_key = TEST_KEY, .jwt_key_len = sizeof TEST_KEY - 1, .access_ttl = 900,
				  .refresh_ttl = 3600 };

static const char *const JSON_CT[] = { "CONTENT_TYPE=application/json", NULL };

/* The route with exactly this method and pattern; fails the test when there is none. */
static inline const struct route *route_of(const char *method, const char *pattern)
{
	for (size_t i = 0; i < api_routes_count; i++)
		if (strcmp(api_routes[i].method, method) == 0 && strcmp(api_routes[i].pattern, pattern) == 0)
			return &api_routes[i];
	fail_msg("no route %s %s", method, pattern);
	return NULL;
}

/* A valid access token of user 7 in region 1 (municipality 2, school 3 where the role has them); free() it. */
static inline char *token_for(enum role role)
{
	struct claims c = { .user_id = 7, .role = role, .region_id = 1,
			    .municipality_id = role == ROLE_SCHOOL || role == ROLE_MUNICIPALITY ? 2 : 0,
			    .school_id = role == ROLE_SCHOOL ? 3 : 0, .epoch = 1 };
	char *t = NULL;
	assert_int_equal(access_token_issue(TEST_KEY, sizeof TEST_KEY - 1, &c, time(NULL), 900, &t), 0);
	return t;
}

struct call {
	struct req req;
	struct resp resp;
};

struct src {
	const char *p;
	size_t n, pos;
};

static inline long read_src(void *ctx, char *p, size_t n)
{
	struct src *s = ctx;
	size_t k = s->n - s->pos < n ? s->n - s->pos : n;
	memcpy(p, s->p + s->pos, k);
	s->pos += k;
	return (long)k;
}

/*
 * Runs one request through the real route table. role ROLE_NONE: no token; a body gets its
 * CONTENT_LENGTH; extra: NULL-terminated "NAME=value" parameters besides those (a content
 * type, an If-Match, a CONTENT_LENGTH of a body that is not sent). call_done frees it.
 */
static inline void call_run(struct call *c, const char *method, const char *uri, enum role role, const char *body,
			    const char *const *extra)
{
	char *env[32];
	size_t n = 0;
	char m[64], u[512], q[512], auth[4200], len[64];
	char *token = role != ROLE_NONE ? token_for(role) : NULL;
	const char *qs = strchr(uri, '?');

	snprintf(m, sizeof m, "REQUEST_METHOD=%s", method);
	snprintf(u, sizeof u, "REQUEST_URI=%s", uri);
	snprintf(q, sizeof q, "QUERY_STRING=%s", qs ? qs + 1 : "");
	env[n++] = m;
	env[n++] = u;
	env[n++] = q;
	if (token) {
		snprintf(auth, sizeof auth, "HTTP_AUTHORIZATION=Bearer %s", token);
		env[n++] = auth;
	}
	if (body) {
		snprintf(len, sizeof len, "CONTENT_LENGTH=%zu", strlen(body));
		env[n++] = len;
	}
	for (size_t i = 0; extra && extra[i] && n < sizeof env / sizeof env[0] - 1; i++)
		env[n++] = (char *)extra[i];
	env[n] = NULL;

	req_init(&c->req, &test_cfg, NULL);
	req_load_params(&c->req, env);
	resp_init(&c->resp, c->req.request_id);
	struct src s = { body ? body : "", body ? strlen(body) : 0, 0 };
	req_set_body_source(&c->req, read_src, &s);
	router_dispatch(api_routes, api_routes_count, &c->req, &c->resp);
	free(token);
}

static inline void call_done(struct call *c)
{
	resp_free(&c->resp);
	req_free(&c->req);
}

/* Runs the request and fails unless it answers status (and, when given, the problem code). */
static inline void call_expect(const char *method, const char *uri, enum role role, const char *body,
			       const char *const *extra, int status, const char *code)
{
	struct call c;
	call_run(&c, method, uri, role, body, extra);
	if (c.resp.status != status || (code && strcmp(problem_code(&c.resp), code) != 0))
		fail_msg("%s %s: got %d %s, want %d %s", method, uri, c.resp.status, c.resp.body.data, status,
			 code ? code : "");
	call_done(&c);
}

/* ---- body specs, table-driven ---- */

struct body_case {
	const char *name;
	const char *body;
	enum body_result want;
	const char *field; /* one expected error (BODY_INVALID) */
	const char *code;
};

static inline void run_body_cases(const char *method, const char *pattern, const struct body_case *cases, size_t n)
{
	const struct body_spec *spec = route_of(method, pattern)->body;
	assert_non_null(spec);
	for (size_t i = 0; i < n; i++) {
		json_t *errors = json_array(), *out = NULL;
		const char *title = NULL;
		size_t len = cases[i].body ? strlen(cases[i].body) : 0;
		enum body_result r = body_validate(spec, cases[i].body, len, &out, errors, &title);
		char *e = json_dumps(errors, 0);
		if (r != cases[i].want)
			fail_msg("%s %s / %s: result %d, want %d; errors %s", method, pattern, cases[i].name, r,
				 cases[i].want, e);
		if (cases[i].field && !array_has_error(errors, cases[i].field, cases[i].code))
			fail_msg("%s %s / %s: no error %s/%s in %s", method, pattern, cases[i].name, cases[i].field,
				 cases[i].code, e);
		assert_true((r == BODY_OK) == (out != NULL));
		free(e);
		json_decref(out);
		json_decref(errors);
	}
}
#define RUN(m, p, cases) run_body_cases(m, p, cases, sizeof cases / sizeof cases[0])

/* ---- query specs ---- */

/* Validates qs against the route's query spec: no error when field is NULL, else that field/code among them. */
static inline void query_case(const char *method, const char *pattern, const char *qs, const char *field,
			      const char *code)
{
	struct pool pool = POOL_INIT;
	struct kv *pairs = NULL;
	size_t n = 0;
	struct qval vals[HTTP_MAX_QPARAMS];
	json_t *errors = json_array();
	assert_int_equal(http_parse_query(&pool, qs, &pairs, &n), 0);
	int bad = query_validate(route_of(method, pattern)->query, pairs, n, vals, errors);
	char *e = json_dumps(errors, 0);
	if (field == NULL && bad != 0)
		fail_msg("%s?%s: unexpected errors %s", pattern, qs, e);
	if (field && !array_has_error(errors, field, code))
		fail_msg("%s?%s: no error %s/%s in %s", pattern, qs, field, code, e);
	free(e);
	json_decref(errors);
	pool_free(&pool);
}

#endif
