/* test_router.c — route matching and the dispatcher's guards (401/403/404/405/413/400/422), in process, no socket, no database. */
#include "dispatch.h"


/* ---- matching ---- */

static void ids_must_be_positive_integers(void **state)
{
	(void)state;
	static const char *const paths[] = {
		"/api/v1/schools/abc", "/api/v1/schools/0", "/api/v1/schools/-1", "/api/v1/schools/1.5",
		"/api/v1/schools/01", "/api/v1/schools/99999999999999999999", "/api/v1/schools/1/",
		"/api/v1/schools/", "/api/v1/schools//1", "/api/v1/schools/1x", "/api/v1/schools/%31",
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		const struct route *r;
		int64_t ids[HTTP_MAX_IDS];
		size_t n;
		char allow[64];
		if (router_match(api_routes, api_routes_count, "GET", paths[i], &r, ids, &n, allow,
				 sizeof allow) != MATCH_NO_PATH)
			fail_msg("%s matched", paths[i]);
	}
}

static void a_numeric_id_matches_and_is_captured(void **state)
{
	(void)state;
	const struct route *r;
	int64_t ids[HTTP_MAX_IDS];
	size_t n;
	char allow[64];
	assert_int_equal(router_match(api_routes, api_routes_count, "POST", "/api/v1/users/9223372036854775807/password",
				      &r, ids, &n, allow, sizeof allow), MATCH_OK);
	assert_string_equal(r->pattern, "/api/v1/users/{id}/password");
	assert_int_equal(n, 1);
	assert_true(ids[0] == INT64_MAX);
}

/* Every self-diagnostics pattern, matched with its ids; placeholders of any name are ids. */
static void diagnostics_paths_match_with_their_ids(void **state)
{
	(void)state;
	static const struct {
		const char *method, *path, *pattern;
		size_t nids;
		int64_t id0, id1;
	} cases[] = {
		{ "GET", "/api/v1/instruments", "/api/v1/instruments", 0, 0, 0 },
		{ "POST", "/api/v1/instruments", "/api/v1/instruments", 0, 0, 0 },
		{ "GET", "/api/v1/instruments/4", "/api/v1/instruments/{id}", 1, 4, 0 },
		{ "GET", "/api/v1/instruments/4/document", "/api/v1/instruments/{id}/document", 1, 4, 0 },
		{ "POST", "/api/v1/instruments/4/publish", "/api/v1/instruments/{id}/publish", 1, 4, 0 },
		{ "PATCH", "/api/v1/campaigns/12", "/api/v1/campaigns/{id}", 1, 12, 0 },
		{ "GET", "/api/v1/campaigns/12/progress", "/api/v1/campaigns/{id}/progress", 1, 12, 0 },
		{ "POST", "/api/v1/campaigns/12/submissions", "/api/v1/campaigns/{id}/submissions", 1, 12, 0 },
		{ "GET", "/api/v1/submissions/31", "/api/v1/submissions/{id}", 1, 31, 0 },
		{ "PUT", "/api/v1/submissions/31/answers/9001", "/api/v1/submissions/{id}/answers/{indicator_id}", 2, 31, 9001 },
		{ "POST", "/api/v1/submissions/31/submit", "/api/v1/submissions/{id}/submit", 1, 31, 0 },
		{ "POST", "/api/v1/submissions/31/accept", "/api/v1/submissions/{id}/accept", 1, 31, 0 },
		{ "POST", "/api/v1/submissions/31/return", "/api/v1/submissions/{id}/return", 1, 31, 0 },
		{ "POST", "/api/v1/submissions/31/reopen", "/api/v1/submissions/{id}/reopen", 1, 31, 0 },
		{ "GET", "/api/v1/schools/8/deficits", "/api/v1/schools/{id}/deficits", 1, 8, 0 },
		{ "GET", "/api/v1/schools/8/results", "/api/v1/schools/{id}/results", 1, 8, 0 },
		{ "GET", "/api/v1/deficits", "/api/v1/deficits", 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct route *r;
		int64_t ids[HTTP_MAX_IDS];
		size_t n;
		char allow[64];
		if (router_match(api_routes, api_routes_count, cases[i].method, cases[i].path, &r, ids, &n, allow,
				 sizeof allow) != MATCH_OK)
			fail_msg("%s %s did not match", cases[i].method, cases[i].path);
		assert_string_equal(r->pattern, cases[i].pattern);
		assert_int_equal(n, cases[i].nids);
		if (n > 0)
			assert_true(ids[0] == cases[i].id0);
		if (n > 1)
			assert_true(ids[1] == cases[i].id1);
	}
}

static void a_second_id_must_be_a_positive_integer_too(void **state)
{
	(void)state;
	static const char *const paths[] = {
		"/api/v1/submissions/5/answers/abc", "/api/v1/submissions/5/answers/0",
		"/api/v1/submissions/5/answers/-7", "/api/v1/submissions/5/answers/",
		"/api/v1/submissions/5/answers", "/api/v1/submissions/abc/answers/7",
		"/api/v1/submissions/5/answers/7/x", "/api/v1/submissions/5/answers/99999999999999999999",
		"/api/v1/submissions/5/answers/{indicator_id}", "/api/v1/campaigns/x/progress",
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		const struct route *r;
		int64_t ids[HTTP_MAX_IDS];
		size_t n;
		char allow[64];
		if (router_match(api_routes, api_routes_count, "PUT", paths[i], &r, ids, &n, allow,
				 sizeof allow) != MATCH_NO_PATH)
			fail_msg("%s matched", paths[i]);
		call_expect("PUT", paths[i], ROLE_SCHOOL, "{\"value\":\"yes\"}", JSON_CT, 404, "not_found");
	}
	call_expect("GET", "/api/v1/submissions/5/answers/7", ROLE_SCHOOL, NULL, NULL, 405, "method_not_allowed");
}

static void other_methods_give_405_with_allow(void **state)
{
	(void)state;
	const struct route *r;
	int64_t ids[HTTP_MAX_IDS];
	size_t n;
	char allow[64];
	assert_int_equal(router_match(api_routes, api_routes_count, "DELETE", "/api/v1/schools/5", &r, ids, &n,
				      allow, sizeof allow), MATCH_NO_METHOD);
	assert_string_equal(allow, "GET, PATCH");

	struct call c;
	call_run(&c, "PUT", "/api/v1/health", ROLE_NONE, NULL, NULL);
	assert_int_equal(c.resp.status, 405);
	assert_string_equal(problem_code(&c.resp), "method_not_allowed");
	assert_non_null(strstr(c.resp.headers.data, "Allow: GET\r\n"));
	call_done(&c);
}

/* ---- the dispatcher's guards ---- */

static void unknown_paths_are_404(void **state)
{
	(void)state;
	call_expect("GET", "/api/v1/nothing", ROLE_COMMITTEE, NULL, NULL, 404, "not_found");
	call_expect("GET", "/api/v1/schools/abc", ROLE_COMMITTEE, NULL, NULL, 404, "not_found");
	call_expect("GET", "/api/v1/schools/abc", ROLE_NONE, NULL, NULL, 404, "not_found");
	call_expect("GET", "/", ROLE_NONE, NULL, NULL, 404, "not_found");
}

static void missing_token_is_401_unauthorized(void **state)
{
	(void)state;
	struct call c;
	call_run(&c, "GET", "/api/v1/schools", ROLE_NONE, NULL, NULL);
	assert_int_equal(c.resp.status, 401);
	assert_string_equal(problem_code(&c.resp), "auth.unauthorized");
	assert_non_null(strstr(c.resp.headers.data, "WWW-Authenticate: Bearer"));
	call_done(&c);
	static const char *const basic[] = { "HTTP_AUTHORIZATION=Basic YWJjOmRlZg==", NULL };
	call_expect("GET", "/api/v1/me", ROLE_NONE, NULL, basic, 401, "auth.unauthorized");
}

static void bad_tokens_are_401_invalid_token(void **state)
{
	(void)state;
	static const char *const garbage[] = { "HTTP_AUTHORIZATION=Bearer abc.def.ghi", NULL };
	static const char *const empty[] = { "HTTP_AUTHORIZATION=Bearer ", NULL };
	call_expect("GET", "/api/v1/me", ROLE_NONE, NULL, garbage, 401, "auth.invalid_token");
	call_expect("GET", "/api/v1/me", ROLE_NONE, NULL, empty, 401, "auth.invalid_token");
}

static void roles_outside_the_route_are_403(void **state)
{
	(void)state;
	call_expect("GET", "/api/v1/users", ROLE_SCHOOL, NULL, NULL, 403, "auth.forbidden");
	call_expect("GET", "/api/v1/users/1", ROLE_LOIRO, NULL, NULL, 403, "auth.forbidden");
	call_expect("POST", "/api/v1/schools", ROLE_MUNICIPALITY, "{}", JSON_CT, 403, "auth.forbidden");
	call_expect("PATCH", "/api/v1/schools/1", ROLE_SCHOOL, "{}", JSON_CT, 403, "auth.forbidden");
}

static void bodies_over_a_mebibyte_are_413(void **state)
{
	(void)state;
	static const char *const big[] = { "CONTENT_LENGTH=1048577", "CONTENT_TYPE=application/json", NULL };
	call_expect("POST", "/api/v1/schools", ROLE_COMMITTEE, NULL, big, 413, "request.too_large");
}

static void wrong_content_type_and_bad_json_are_400(void **state)
{
	(void)state;
	static const char *const text[] = { "CONTENT_TYPE=text/plain", NULL };
	static const char *const latin1[] = { "CONTENT_TYPE=application/json; charset=latin1", NULL };
	call_expect("POST", "/api/v1/schools", ROLE_COMMITTEE, "{}", text, 400, "request.malformed");
	call_expect("POST", "/api/v1/schools", ROLE_COMMITTEE, "{}", NULL, 400, "request.malformed");
	call_expect("POST", "/api/v1/schools", ROLE_COMMITTEE, "{}", latin1, 400, "request.malformed");
	call_expect("POST", "/api/v1/schools", ROLE_COMMITTEE, "{\"code\":", JSON_CT, 400, "request.malformed");
	call_expect("POST", "/api/v1/schools", ROLE_COMMITTEE, NULL, JSON_CT, 400, "request.malformed");
	call_expect("POST", "/api/v1/auth/login", ROLE_NONE, "login=a&password=b",
	       (const char *const[]){ "CONTENT_TYPE=application/x-www-form-urlencoded", NULL }, 400,
	       "request.malformed");
	call_expect("GET", "/api/v1/schools?limit=%zz", ROLE_COMMITTEE, NULL, NULL, 400, "request.malformed");
}

static void invalid_input_is_422_with_every_field(void **state)
{
	(void)state;
	struct call c;
	call_run(&c, "POST", "/api/v1/schools", ROLE_COMMITTEE, "{\"code\":\"\",\"extra\":1}", JSON_CT);
	assert_int_equal(c.resp.status, 422);
	assert_string_equal(problem_code(&c.resp), "validation.failed");
	assert_true(has_field_error(&c.resp, "code", "too_short"));
	assert_true(has_field_error(&c.resp, "extra", "unknown"));
	assert_true(has_field_error(&c.resp, "name", "required"));
	assert_true(has_field_error(&c.resp, "municipality_id", "required"));
	call_done(&c);

	call_run(&c, "GET", "/api/v1/schools?limit=500&municipality_id=x", ROLE_SCHOOL, NULL, NULL);
	assert_int_equal(c.resp.status, 422);
	assert_true(has_field_error(&c.resp, "limit", "out_of_range"));
	assert_true(has_field_error(&c.resp, "municipality_id", "type"));
	call_done(&c);

	static const char *const bad_version[] = { "CONTENT_TYPE=application/json", "HTTP_IF_MATCH=abc", NULL };
	call_run(&c, "PATCH", "/api/v1/schools/3", ROLE_COMMITTEE, "{\"is_rural\":true}", bad_version);
	assert_int_equal(c.resp.status, 422);
	assert_true(has_field_error(&c.resp, "If-Match", "type"));
	call_done(&c);

	call_expect("POST", "/api/v1/auth/login", ROLE_NONE, "{\"login\":\"a\",\"password\":\"\xff\"}", JSON_CT, 422,
	       "validation.failed");
	call_expect("POST", "/api/v1/auth/logout", ROLE_NONE, "{\"everything\":true}", JSON_CT, 422,
	       "validation.failed");
}

static void diagnostics_roles_outside_the_route_are_403(void **state)
{
	(void)state;
	static const struct {
		const char *method, *uri;
		enum role role;
	} cases[] = {
		{ "POST", "/api/v1/instruments", ROLE_SCHOOL },
		{ "POST", "/api/v1/instruments", ROLE_MUNICIPALITY },
		{ "GET", "/api/v1/instruments/1/document", ROLE_SCHOOL },
		{ "POST", "/api/v1/instruments/1/publish", ROLE_MUNICIPALITY },
		{ "POST", "/api/v1/campaigns", ROLE_SCHOOL },
		{ "PATCH", "/api/v1/campaigns/1", ROLE_MUNICIPALITY },
		{ "GET", "/api/v1/campaigns/1/progress", ROLE_SCHOOL },
		{ "POST", "/api/v1/campaigns/1/submissions", ROLE_COMMITTEE },
		{ "PUT", "/api/v1/submissions/1/answers/2", ROLE_MUNICIPALITY },
		{ "POST", "/api/v1/submissions/1/submit", ROLE_LOIRO },
		{ "POST", "/api/v1/submissions/1/accept", ROLE_SCHOOL },
		{ "POST", "/api/v1/submissions/1/accept", ROLE_COMMITTEE },
		{ "POST", "/api/v1/submissions/1/return", ROLE_LOIRO },
		{ "POST", "/api/v1/submissions/1/reopen", ROLE_LOIRO },
		{ "POST", "/api/v1/submissions/1/reopen", ROLE_MUNICIPALITY },
		{ "POST", "/api/v1/submissions/1/reopen", ROLE_SCHOOL },
		{ "GET", "/api/v1/deficits", ROLE_SCHOOL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		call_expect(cases[i].method, cases[i].uri, cases[i].role, "{}", JSON_CT, 403, "auth.forbidden");
}

/*
 * Without a database a request that passed every guard gets 503 from its
 * handler: so 503 here means "the dispatcher let it through".
 */
static void actions_need_no_body_and_no_content_type(void **state)
{
	(void)state;
	call_expect("POST", "/api/v1/submissions/5/submit", ROLE_SCHOOL, NULL, NULL, 503, "service.unavailable");
	call_expect("POST", "/api/v1/submissions/5/accept", ROLE_MUNICIPALITY, NULL, NULL, 503, "service.unavailable");
	call_expect("POST", "/api/v1/instruments/5/publish", ROLE_LOIRO, NULL, NULL, 503, "service.unavailable");
	call_expect("POST", "/api/v1/campaigns/5/submissions", ROLE_SCHOOL, NULL, NULL, 503, "service.unavailable");
	call_expect("POST", "/api/v1/submissions/5/submit", ROLE_SCHOOL, "{}", JSON_CT, 503, "service.unavailable");
	/* but a body they do not take is refused */
	struct call c;
	call_run(&c, "POST", "/api/v1/submissions/5/accept", ROLE_MUNICIPALITY, "{\"comment\":\"x\"}", JSON_CT);
	assert_int_equal(c.resp.status, 422);
	assert_true(has_field_error(&c.resp, "comment", "unknown"));
	call_done(&c);
	call_expect("POST", "/api/v1/submissions/5/submit", ROLE_SCHOOL, "{}", NULL, 400, "request.malformed");
}

static void return_and_reopen_without_a_reason_are_422(void **state)
{
	(void)state;
	static const struct {
		const char *uri;
		enum role role;
		const char *body, *field, *code;
	} cases[] = {
		{ "/api/v1/submissions/5/return", ROLE_MUNICIPALITY, NULL, "comment", "required" },
		{ "/api/v1/submissions/5/return", ROLE_MUNICIPALITY, "{}", "comment", "required" },
		{ "/api/v1/submissions/5/return", ROLE_MUNICIPALITY, "{\"comment\":\"  \"}", "comment", "too_short" },
		{ "/api/v1/submissions/5/return", ROLE_MUNICIPALITY, "{\"comment\":null}", "comment", "type" },
		{ "/api/v1/submissions/5/reopen", ROLE_COMMITTEE, NULL, "reason", "required" },
		{ "/api/v1/submissions/5/reopen", ROLE_COMMITTEE, "{\"reason\":\"\"}", "reason", "too_short" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct call c;
		call_run(&c, "POST", cases[i].uri, cases[i].role, cases[i].body, cases[i].body ? JSON_CT : NULL);
		if (c.resp.status != 422 || !has_field_error(&c.resp, cases[i].field, cases[i].code))
			fail_msg("case %zu: %d %s", i, c.resp.status, c.resp.body.data);
		call_done(&c);
	}
	call_expect("POST", "/api/v1/submissions/5/return", ROLE_MUNICIPALITY, "{\"comment\":\"Уточните ответы\"}",
	       JSON_CT, 503, "service.unavailable");
}

static void an_instrument_document_passes_with_any_members(void **state)
{
	(void)state;
	static const char doc[] =
		"{\"code\":\"shmr\",\"version\":1,\"title\":\"Самодиагностика\",\"critical_rule\":true,"
		"\"thresholds\":{\"basic\":1,\"medium\":2,\"high\":3},\"directions\":[{\"code\":\"k\","
		"\"title\":\"Знание\",\"indicators\":[{\"code\":\"K01\",\"text\":\"…\",\"options\":"
		"[{\"value\":\"no\",\"label\":\"Нет\",\"points\":0}]}]}],\"anything\":[1,{\"x\":null}]}";
	call_expect("POST", "/api/v1/instruments", ROLE_LOIRO, doc, JSON_CT, 503, "service.unavailable");
	call_expect("POST", "/api/v1/instruments", ROLE_COMMITTEE, "[]", JSON_CT, 422, "validation.failed");
	call_expect("POST", "/api/v1/instruments", ROLE_COMMITTEE, NULL, JSON_CT, 400, "request.malformed");
	call_expect("POST", "/api/v1/instruments", ROLE_COMMITTEE, doc, NULL, 400, "request.malformed");
	call_expect("POST", "/api/v1/instruments", ROLE_COMMITTEE, "{\"directions\":[{\"code\":}]}", JSON_CT, 400,
	       "request.malformed");
	struct call c;
	call_run(&c, "POST", "/api/v1/instruments", ROLE_COMMITTEE,
	    "{\"directions\":[{\"code\":\"a\",\"code\":\"b\"}]}", JSON_CT);
	assert_int_equal(c.resp.status, 422);
	assert_true(has_field_error(&c.resp, "directions", "duplicate"));
	call_done(&c);
}

static void if_match_is_read_on_answers_and_decisions(void **state)
{
	(void)state;
	static const char *const bad[] = { "CONTENT_TYPE=application/json", "HTTP_IF_MATCH=v7", NULL };
	static const char *const bad_nobody[] = { "HTTP_IF_MATCH=v7", NULL };
	struct call c;
	call_run(&c, "PUT", "/api/v1/submissions/5/answers/6", ROLE_SCHOOL, "{\"value\":\"yes\"}", bad);
	assert_int_equal(c.resp.status, 422);
	assert_true(has_field_error(&c.resp, "If-Match", "type"));
	call_done(&c);
	call_expect("POST", "/api/v1/submissions/5/submit", ROLE_SCHOOL, NULL, bad_nobody, 422, "validation.failed");
	call_expect("POST", "/api/v1/submissions/5/accept", ROLE_MUNICIPALITY, NULL, bad_nobody, 422, "validation.failed");
	static const char *const good[] = { "CONTENT_TYPE=application/json", "HTTP_IF_MATCH=W/\"7\"", NULL };
	call_expect("PUT", "/api/v1/submissions/5/answers/6", ROLE_SCHOOL, "{\"value\":\"yes\",\"comment\":null}", good,
	       503, "service.unavailable");
}

/* ---- real handlers that need no database ---- */

static void logout_without_a_cookie_clears_it_and_answers_204(void **state)
{
	(void)state;
	struct call c;
	call_run(&c, "POST", "/api/v1/auth/logout", ROLE_NONE, NULL, NULL);
	assert_int_equal(c.resp.status, 204);
	assert_non_null(strstr(c.resp.headers.data, "Set-Cookie: orientir_refresh=; Path=/api/v1/auth; "
						    "HttpOnly; SameSite=Strict; Max-Age=0\r\n"));
	call_done(&c);
	/* "{}" with a JSON content type is an empty body too */
	call_expect("POST", "/api/v1/auth/logout", ROLE_NONE, "{}", JSON_CT, 204, NULL);
}

static void refresh_without_a_valid_cookie_is_401(void **state)
{
	(void)state;
	static const char *const junk[] = { "HTTP_COOKIE=orientir_refresh=short", NULL };
	struct call c;
	call_run(&c, "POST", "/api/v1/auth/refresh", ROLE_NONE, NULL, junk);
	assert_int_equal(c.resp.status, 401);
	assert_string_equal(problem_code(&c.resp), "auth.invalid_refresh");
	assert_non_null(strstr(c.resp.headers.data, "Max-Age=0"));
	call_done(&c);
	call_expect("POST", "/api/v1/auth/refresh", ROLE_NONE, NULL, NULL, 401, "auth.invalid_refresh");
}

static void without_a_database_requests_get_503(void **state)
{
	(void)state;
	struct call c;
	call_run(&c, "GET", "/api/v1/health", ROLE_NONE, NULL, NULL);
	assert_int_equal(c.resp.status, 503);
	assert_string_equal(c.resp.content_type, "application/problem+json");
	json_t *j = body_json(&c.resp);
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 503);
	assert_string_equal(json_string_value(json_object_get(j, "code")), "service.unavailable");
	assert_string_equal(json_string_value(json_object_get(j, "database")), "unavailable");
	assert_non_null(json_object_get(j, "request_id"));
	json_decref(j);
	call_done(&c);
	call_expect("GET", "/api/v1/me", ROLE_SCHOOL, NULL, NULL, 503, "service.unavailable");
	call_expect("GET", "/api/v1/schools?limit=10", ROLE_SCHOOL, NULL, NULL, 503, "service.unavailable");
}

/* ---- a handler sees validated values ---- */

static int seen_status;
static int64_t seen_ids[2];
static int64_t seen_limit;
static int seen_version;

static int h_probe(struct req *req, struct resp *resp)
{
	seen_ids[0] = req->ids[0];
	seen_ids[1] = req->ids[1];
	seen_limit = req_query(req, "limit")->num;
	seen_version = req->has_version ? req->version : -1;
	resp_json(resp, 200, "{}", 2);
	return seen_status = 200;
}

static int h_silent(struct req *req, struct resp *resp)
{
	(void)req;
	(void)resp;
	return 0;
}

static void handlers_receive_ids_query_and_version(void **state)
{
	(void)state;
	static const struct qparam_spec qp[] = {
		{ .name = "limit", .type = QP_INT, .min = 1, .max = 200, .has_default = 1, .dflt = 50 }
	};
	static const struct query_spec q = { .params = qp, .n = 1 };
	const struct route table[] = {
		{ .method = "GET", .pattern = "/t/{id}/x/{id}", .roles = ROLES_ALL, .flags = RF_IF_MATCH, .query = &q,
		  .handler = h_probe },
		{ .method = "GET", .pattern = "/silent", .flags = RF_PUBLIC, .handler = h_silent },
	};
	char *token = token_for(ROLE_LOIRO), auth[4200];
	snprintf(auth, sizeof auth, "HTTP_AUTHORIZATION=Bearer %s", token);
	char *env[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/t/5/x/7", "QUERY_STRING=", auth,
			"HTTP_IF_MATCH=\"4\"", NULL };
	struct call c;
	req_init(&c.req, &test_cfg, NULL);
	req_load_params(&c.req, env);
	resp_init(&c.resp, c.req.request_id);
	router_dispatch(table, 2, &c.req, &c.resp);
	assert_int_equal(seen_status, 200);
	assert_true(seen_ids[0] == 5 && seen_ids[1] == 7);
	assert_true(seen_limit == 50);
	assert_int_equal(seen_version, 4);
	assert_int_equal(c.req.log_user_id, 7);
	assert_string_equal(c.req.id_text[1], "7");
	call_done(&c);

	char *env2[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/silent", NULL };
	req_init(&c.req, &test_cfg, NULL);
	req_load_params(&c.req, env2);
	resp_init(&c.resp, c.req.request_id);
	router_dispatch(table, 2, &c.req, &c.resp);
	assert_int_equal(c.resp.status, 500);
	assert_string_equal(problem_code(&c.resp), "internal");
	call_done(&c);
	free(token);
}

/* ---- content types and the table itself ---- */

static void content_types(void **state)
{
	(void)state;
	assert_true(content_type_is_json("application/json"));
	assert_true(content_type_is_json("Application/JSON; charset=UTF-8"));
	assert_true(content_type_is_json("application/json;charset=\"utf-8\""));
	assert_true(content_type_is_json(" application/json ; boundary=x"));
	assert_false(content_type_is_json(NULL));
	assert_false(content_type_is_json(""));
	assert_false(content_type_is_json("application/jsonx"));
	assert_false(content_type_is_json("text/json"));
	assert_false(content_type_is_json("application/json; charset=koi8-r"));
}

/* The index of a query parameter of r, or -1: a call may only read what the route validates. */
static int query_index(const struct route *r, const char *name)
{
	for (size_t k = 0; r->query && k < r->query->n; k++)
		if (strcmp(r->query->params[k].name, name) == 0)
			return (int)k;
	return -1;
}

static int body_has_member(const struct route *r, const char *name)
{
	for (size_t k = 0; r->body && k < r->body->nfields; k++)
		if (strcmp(r->body->fields[k].name, name) == 0)
			return 1;
	return 0;
}

/* Every argument of a route's SQL call names something the dispatcher validated for that route. */
static void assert_call_fits_route(const struct route *r)
{
	static const char *const types[] = { "bigint", "int", "boolean", "text", "json", "jsonb", NULL };
	size_t placeholders = 0;
	for (const char *p = r->pattern; (p = strchr(p, '{')) != NULL; p++)
		placeholders++;
	assert_true(strncmp(r->call->function, "app.", 4) == 0);
	assert_true(r->call->nargs <= 16);
	assert_true(r->call->answer != ANSWER_CREATED_OR_OK || r->call->member != NULL);
	for (size_t i = 0; i < r->call->nargs; i++) {
		const struct sql_arg *a = &r->call->args[i];
		int known_type = 0;
		for (const char *const *t = types; *t; t++)
			known_type |= strcmp(*t, a->type) == 0;
		if (!known_type)
			fail_msg("%s %s: argument %zu has type %s", r->method, r->pattern, i + 1, a->type);
		switch (a->source) {
		case ARG_PATH:
			assert_true(a->index >= 0 && (size_t)a->index < placeholders);
			break;
		case ARG_IF_MATCH:
			assert_true(r->flags & RF_IF_MATCH);
			break;
		case ARG_BODY:
			assert_true(r->body != NULL && !(r->body->flags & BS_DOCUMENT));
			break;
		case ARG_DOCUMENT:
			assert_true(r->body != NULL && (r->body->flags & BS_DOCUMENT));
			break;
		case ARG_MEMBER:
			if (!body_has_member(r, a->name))
				fail_msg("%s %s: no body member %s", r->method, r->pattern, a->name);
			break;
		case ARG_QUERY:
		case ARG_QUERY_FLAG:
			if (query_index(r, a->name) < 0)
				fail_msg("%s %s: no query parameter %s", r->method, r->pattern, a->name);
			break;
		}
	}
}

static void route_table_is_consistent(void **state)
{
	(void)state;
	for (size_t i = 0; i < api_routes_count; i++) {
		const struct route *r = &api_routes[i];
		assert_true(strncmp(r->pattern, "/api/v1/", 8) == 0);
		assert_true((r->handler == NULL) != (r->call == NULL)); /* a handler or a SQL call, not both */
		if (r->call)
			assert_call_fits_route(r);
		if (!(r->flags & RF_PUBLIC))
			assert_true(r->roles != 0 && (r->roles & ~ROLES_ALL) == 0);
		if (r->flags & RF_IF_MATCH) /* a version guards a write */
			assert_true(strcmp(r->method, "PATCH") == 0 || strcmp(r->method, "PUT") == 0 ||
				    strcmp(r->method, "POST") == 0);
		size_t placeholders = 0;
		for (const char *p = r->pattern; (p = strchr(p, '{')) != NULL; p++)
			placeholders++;
		assert_true(placeholders <= HTTP_MAX_IDS);
		if (r->body && (r->body->flags & BS_DOCUMENT))
			assert_true(r->body->nfields == 0); /* a document's members are SQL's to check */
		assert_true(r->query == NULL || r->query->n <= HTTP_MAX_QPARAMS);
		for (size_t k = 0; k < i; k++)
			assert_false(strcmp(r->method, api_routes[k].method) == 0 &&
				     strcmp(r->pattern, api_routes[k].pattern) == 0);
	}
}

static void routes_print_as_json(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_int_equal(routes_print_json(f), 0);
	fclose(f);
	json_t *all = json_loads(text, 0, NULL), *r;
	size_t i;
	int users_seen = 0;
	assert_int_equal(json_array_size(all), api_routes_count);
	json_array_foreach(all, i, r) {
		const char *path = json_string_value(json_object_get(r, "path"));
		if (strcmp(path, "/api/v1/users") == 0 &&
		    strcmp(json_string_value(json_object_get(r, "method")), "GET") == 0) {
			json_t *roles = json_object_get(r, "roles");
			assert_int_equal(json_array_size(roles), 2);
			assert_string_equal(json_string_value(json_array_get(roles, 0)), "committee");
			assert_string_equal(json_string_value(json_array_get(roles, 1)), "municipality");
			assert_true(json_is_false(json_object_get(r, "public")));
			users_seen = 1;
		}
		if (strcmp(path, "/api/v1/health") == 0)
			assert_true(json_is_true(json_object_get(r, "public")));
	}
	assert_true(users_seen);
	json_decref(all);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_must_be_positive_integers),
		cmocka_unit_test(a_numeric_id_matches_and_is_captured),
		cmocka_unit_test(diagnostics_paths_match_with_their_ids),
		cmocka_unit_test(a_second_id_must_be_a_positive_integer_too),
		cmocka_unit_test(other_methods_give_405_with_allow),
		cmocka_unit_test(unknown_paths_are_404),
		cmocka_unit_test(missing_token_is_401_unauthorized),
		cmocka_unit_test(bad_tokens_are_401_invalid_token),
		cmocka_unit_test(roles_outside_the_route_are_403),
		cmocka_unit_test(bodies_over_a_mebibyte_are_413),
		cmocka_unit_test(wrong_content_type_and_bad_json_are_400),
		cmocka_unit_test(invalid_input_is_422_with_every_field),
		cmocka_unit_test(diagnostics_roles_outside_the_route_are_403),
		cmocka_unit_test(actions_need_no_body_and_no_content_type),
		cmocka_unit_test(return_and_reopen_without_a_reason_are_422),
		cmocka_unit_test(an_instrument_document_passes_with_any_members),
		cmocka_unit_test(if_match_is_read_on_answers_and_decisions),
		cmocka_unit_test(logout_without_a_cookie_clears_it_and_answers_204),
		cmocka_unit_test(refresh_without_a_valid_cookie_is_401),
		cmocka_unit_test(without_a_database_requests_get_503),
		cmocka_unit_test(handlers_receive_ids_query_and_version),
		cmocka_unit_test(content_types),
		cmocka_unit_test(route_table_is_consistent),
		cmocka_unit_test(routes_print_as_json),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
