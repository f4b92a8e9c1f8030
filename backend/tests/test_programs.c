/* test_programs.c — development programs, deficit closing, practices, mentors, partnerships (issue 4): input specs, route matching, If-Match flags, the dispatcher's guards and the uncovered-deficits error; in process, no database. */
#include "dispatch.h"
#include "db_error.h"


#define PERIOD "\"period_start\":\"2025-09-01\",\"period_end\":\"2027-08-31\""

static void program_bodies(void **state)
{
	(void)state;
	static const struct body_case create[] = {
		{ "valid", "{\"campaign_id\":3,\"title\":\"Программа развития\"," PERIOD "}", BODY_OK, NULL, NULL },
		{ "no campaign", "{\"title\":\"П\"," PERIOD "}", BODY_INVALID, "campaign_id", "required" },
		{ "campaign as string", "{\"campaign_id\":\"3\",\"title\":\"П\"," PERIOD "}", BODY_INVALID, "campaign_id", "type" },
		{ "no title", "{\"campaign_id\":3," PERIOD "}", BODY_INVALID, "title", "required" },
		{ "blank title", "{\"campaign_id\":3,\"title\":\" \"," PERIOD "}", BODY_INVALID, "title", "too_short" },
		{ "no end", "{\"campaign_id\":3,\"title\":\"П\",\"period_start\":\"2025-09-01\"}", BODY_INVALID, "period_end", "required" },
		{ "not a date", "{\"campaign_id\":3,\"title\":\"П\",\"period_start\":\"01.09.2025\",\"period_end\":\"2027-08-31\"}", BODY_INVALID, "period_start", "invalid_date" },
		{ "end before start", "{\"campaign_id\":3,\"title\":\"П\",\"period_start\":\"2025-09-01\",\"period_end\":\"2025-08-31\"}", BODY_INVALID, "period_end", "invalid" },
		{ "school named", "{\"campaign_id\":3,\"title\":\"П\"," PERIOD ",\"school_id\":5}", BODY_INVALID, "school_id", "unknown" },
		{ "no body", NULL, BODY_MALFORMED, NULL, NULL },
	};
	static const struct body_case update[] = {
		{ "title", "{\"title\":\"Новое название\"}", BODY_OK, NULL, NULL },
		{ "period", "{" PERIOD "}", BODY_OK, NULL, NULL },
		{ "empty", "{}", BODY_INVALID, "", "empty" },
		{ "title null", "{\"title\":null}", BODY_INVALID, "title", "type" },
		{ "end before start", "{\"period_start\":\"2026-01-01\",\"period_end\":\"2025-12-31\"}", BODY_INVALID, "period_end", "invalid" },
		{ "status is not a field", "{\"status\":\"approved\"}", BODY_INVALID, "status", "unknown" },
	};
	static const struct body_case analysis[] = {
		{ "text", "{\"text\":\"Низкая доля участников олимпиад\"}", BODY_OK, NULL, NULL },
		{ "null removes", "{\"text\":null}", BODY_OK, NULL, NULL },
		{ "blank removes", "{\"text\":\"\"}", BODY_OK, NULL, NULL },
		{ "missing", "{}", BODY_INVALID, "text", "required" },
		{ "number", "{\"text\":5}", BODY_INVALID, "text", "type" },
	};
	RUN("POST", "/api/v1/programs", create);
	RUN("PATCH", "/api/v1/programs/{id}", update);
	RUN("PUT", "/api/v1/programs/{id}/analyses/{direction_id}", analysis);
}

#define MEASURE "\"title\":\"Курсы для учителей\",\"due_date\":\"2026-05-31\",\"responsible\":\"Завуч\""

static void measure_bodies(void **state)
{
	(void)state;
	static const struct body_case create[] = {
		{ "valid", "{" MEASURE ",\"deficit_ids\":[4,9],\"expected_result\":\"Все учителя обучены\"}", BODY_OK, NULL, NULL },
		{ "result null", "{" MEASURE ",\"deficit_ids\":[4],\"expected_result\":null}", BODY_OK, NULL, NULL },
		{ "no deficits", "{" MEASURE "}", BODY_INVALID, "deficit_ids", "required" },
		{ "empty deficits", "{" MEASURE ",\"deficit_ids\":[]}", BODY_INVALID, "deficit_ids", "required" },
		{ "repeated deficit", "{" MEASURE ",\"deficit_ids\":[4,4]}", BODY_INVALID, "deficit_ids", "duplicate" },
		{ "deficit zero", "{" MEASURE ",\"deficit_ids\":[0]}", BODY_INVALID, "deficit_ids", "out_of_range" },
		{ "deficit as string", "{" MEASURE ",\"deficit_ids\":[\"4\"]}", BODY_INVALID, "deficit_ids", "type" },
		{ "no due date", "{\"title\":\"К\",\"responsible\":\"З\",\"deficit_ids\":[4]}", BODY_INVALID, "due_date", "required" },
		{ "no responsible", "{\"title\":\"К\",\"due_date\":\"2026-05-31\",\"deficit_ids\":[4]}", BODY_INVALID, "responsible", "required" },
		{ "bad due date", "{\"title\":\"К\",\"due_date\":\"2026-02-29\",\"responsible\":\"З\",\"deficit_ids\":[4]}", BODY_INVALID, "due_date", "invalid_date" },
		{ "status is progress", "{" MEASURE ",\"deficit_ids\":[4],\"status\":\"done\"}", BODY_INVALID, "status", "unknown" },
	};
	static const struct body_case update[] = {
		{ "deficits", "{\"deficit_ids\":[4,5,6]}", BODY_OK, NULL, NULL },
		{ "clear result", "{\"expected_result\":null}", BODY_OK, NULL, NULL },
		{ "empty", "{}", BODY_INVALID, "", "empty" },
		{ "deficits null", "{\"deficit_ids\":null}", BODY_INVALID, "deficit_ids", "type" },
		{ "blank responsible", "{\"responsible\":\"   \"}", BODY_INVALID, "responsible", "too_short" },
	};
	static const struct body_case progress[] = {
		{ "in progress", "{\"status\":\"in_progress\"}", BODY_OK, NULL, NULL },
		{ "done with note", "{\"status\":\"done\",\"note\":\"Курсы пройдены\"}", BODY_OK, NULL, NULL },
		{ "not done with reason", "{\"status\":\"not_done\",\"note\":\"Нет финансирования\"}", BODY_OK, NULL, NULL },
		{ "planned again, note null", "{\"status\":\"planned\",\"note\":null}", BODY_OK, NULL, NULL },
		{ "no body", NULL, BODY_INVALID, "status", "required" },
		{ "done without note", "{\"status\":\"done\"}", BODY_INVALID, "note", "required" },
		{ "not done, blank reason", "{\"status\":\"not_done\",\"note\":\" \"}", BODY_INVALID, "note", "required" },
		{ "bad status", "{\"status\":\"approved\"}", BODY_INVALID, "status", "invalid" },
	};
	RUN("POST", "/api/v1/programs/{id}/measures", create);
	RUN("PATCH", "/api/v1/programs/{id}/measures/{measure_id}", update);
	RUN("POST", "/api/v1/programs/{id}/measures/{measure_id}/progress", progress);
}

static void review_bodies(void **state)
{
	(void)state;
	static const struct body_case ret[] = {
		{ "valid", "{\"comment\":\"Добавьте мероприятия по здоровью\"}", BODY_OK, NULL, NULL },
		{ "no body", NULL, BODY_INVALID, "comment", "required" },
		{ "blank", "{\"comment\":\"\\t\"}", BODY_INVALID, "comment", "too_short" },
	};
	static const struct body_case comment[] = {
		{ "valid", "{\"text\":\"Обратите внимание на критические показатели\"}", BODY_OK, NULL, NULL },
		{ "missing", "{}", BODY_INVALID, "text", "required" },
		{ "no body", NULL, BODY_MALFORMED, NULL, NULL },
	};
	static const struct body_case close[] = {
		{ "valid", "{\"reason\":\"Устранён в ходе проверки\"}", BODY_OK, NULL, NULL },
		{ "no body", NULL, BODY_INVALID, "reason", "required" },
		{ "null", "{\"reason\":null}", BODY_INVALID, "reason", "type" },
	};
	RUN("POST", "/api/v1/programs/{id}/return", ret);
	RUN("POST", "/api/v1/programs/{id}/comments", comment);
	RUN("POST", "/api/v1/deficits/{id}/close", close);
}

static void practice_and_partnership_bodies(void **state)
{
	(void)state;
	static const struct body_case create[] = {
		{ "valid", "{\"title\":\"Школьный театр\",\"body\":\"Как мы создали театр\",\"links\":[\"https://edu.ru/a\"],\"indicator_ids\":[7]}", BODY_OK, NULL, NULL },
		{ "no links", "{\"title\":\"Т\",\"body\":\"Т\",\"indicator_ids\":[7,8]}", BODY_OK, NULL, NULL },
		{ "no indicators", "{\"title\":\"Т\",\"body\":\"Т\",\"indicator_ids\":[]}", BODY_INVALID, "indicator_ids", "required" },
		{ "no body", "{\"title\":\"Т\",\"indicator_ids\":[7]}", BODY_INVALID, "body", "required" },
		{ "link scheme", "{\"title\":\"Т\",\"body\":\"Т\",\"links\":[\"https://a.ru\",\"javascript:alert(1)\"],\"indicator_ids\":[7]}", BODY_INVALID, "links[1]", "invalid" },
		{ "empty link", "{\"title\":\"Т\",\"body\":\"Т\",\"links\":[\"\"],\"indicator_ids\":[7]}", BODY_INVALID, "links", "too_short" },
		{ "too many indicators", "{\"title\":\"Т\",\"body\":\"Т\",\"indicator_ids\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100,101]}", BODY_INVALID, "indicator_ids", "too_many" },
	};
	static const struct body_case update[] = {
		{ "links", "{\"links\":[]}", BODY_OK, NULL, NULL },
		{ "empty", "{}", BODY_INVALID, "", "empty" },
		{ "author is not a field", "{\"author_name\":\"Я\"}", BODY_INVALID, "author_name", "unknown" },
	};
	static const struct body_case partnership[] = {
		{ "valid", "{\"school_id\":5,\"mentor_school_id\":9,\"indicator_ids\":[3,4]}", BODY_OK, NULL, NULL },
		{ "in general", "{\"school_id\":5,\"mentor_school_id\":9,\"indicator_ids\":[]}", BODY_OK, NULL, NULL },
		{ "its own mentor", "{\"school_id\":5,\"mentor_school_id\":5,\"indicator_ids\":[]}", BODY_INVALID, "mentor_school_id", "invalid" },
		{ "no mentor", "{\"school_id\":5,\"indicator_ids\":[]}", BODY_INVALID, "mentor_school_id", "required" },
		{ "repeated indicator", "{\"school_id\":5,\"mentor_school_id\":9,\"indicator_ids\":[3,3]}", BODY_INVALID, "indicator_ids", "duplicate" },
	};
	RUN("POST", "/api/v1/practices", create);
	RUN("PATCH", "/api/v1/practices/{id}", update);
	RUN("POST", "/api/v1/partnerships", partnership);
}

/* ---- query strings ---- */

static void query_strings(void **state)
{
	(void)state;
	static const struct {
		const char *method, *pattern, *qs, *field, *code;
	} cases[] = {
		{ "GET", "/api/v1/programs", "status=approved&municipality_id=2&school_id=3&campaign_id=4&limit=10&offset=20", NULL, NULL },
		{ "GET", "/api/v1/programs", "status=not_started", NULL, NULL },
		{ "GET", "/api/v1/programs", "status=superseded", NULL, NULL },
		{ "GET", "/api/v1/programs", "status=accepted", "status", "invalid" },
		{ "GET", "/api/v1/programs", "school_id=x", "school_id", "type" },
		{ "GET", "/api/v1/programs", "revision=2", "revision", "unknown" },
		{ "GET", "/api/v1/practices", "indicator_id=7&q=театр&limit=5", NULL, NULL },
		{ "GET", "/api/v1/practices", "indicator_id=0", "indicator_id", "type" },
		{ "GET", "/api/v1/indicators/{id}/mentors", "campaign_id=3&limit=200", NULL, NULL },
		{ "GET", "/api/v1/indicators/{id}/mentors", "limit=201", "limit", "out_of_range" },
		{ "GET", "/api/v1/indicators/{id}/mentors", "municipality_id=2", "municipality_id", "unknown" },
		{ "GET", "/api/v1/partnerships", "school_id=5&offset=0", NULL, NULL },
		{ "GET", "/api/v1/partnerships", "school_id=5&school_id=6", "school_id", "duplicate" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		query_case(cases[i].method, cases[i].pattern, cases[i].qs, cases[i].field, cases[i].code);
}

/* ---- matching and flags ---- */

static void program_paths_match_with_their_ids(void **state)
{
	(void)state;
	static const struct {
		const char *method, *path, *pattern;
		size_t nids;
		int64_t id0, id1;
	} cases[] = {
		{ "GET", "/api/v1/programs", "/api/v1/programs", 0, 0, 0 },
		{ "POST", "/api/v1/programs", "/api/v1/programs", 0, 0, 0 },
		{ "GET", "/api/v1/programs/12", "/api/v1/programs/{id}", 1, 12, 0 },
		{ "PATCH", "/api/v1/programs/12", "/api/v1/programs/{id}", 1, 12, 0 },
		{ "PUT", "/api/v1/programs/12/analyses/3", "/api/v1/programs/{id}/analyses/{direction_id}", 2, 12, 3 },
		{ "POST", "/api/v1/programs/12/measures", "/api/v1/programs/{id}/measures", 1, 12, 0 },
		{ "PATCH", "/api/v1/programs/12/measures/40", "/api/v1/programs/{id}/measures/{measure_id}", 2, 12, 40 },
		{ "DELETE", "/api/v1/programs/12/measures/40", "/api/v1/programs/{id}/measures/{measure_id}", 2, 12, 40 },
		{ "POST", "/api/v1/programs/12/measures/40/progress", "/api/v1/programs/{id}/measures/{measure_id}/progress", 2, 12, 40 },
		{ "POST", "/api/v1/programs/12/submit", "/api/v1/programs/{id}/submit", 1, 12, 0 },
		{ "POST", "/api/v1/programs/12/approve", "/api/v1/programs/{id}/approve", 1, 12, 0 },
		{ "POST", "/api/v1/programs/12/return", "/api/v1/programs/{id}/return", 1, 12, 0 },
		{ "POST", "/api/v1/programs/12/comments", "/api/v1/programs/{id}/comments", 1, 12, 0 },
		{ "POST", "/api/v1/programs/12/revise", "/api/v1/programs/{id}/revise", 1, 12, 0 },
		{ "POST", "/api/v1/deficits/77/close", "/api/v1/deficits/{id}/close", 1, 77, 0 },
		{ "GET", "/api/v1/deficits", "/api/v1/deficits", 0, 0, 0 },
		{ "GET", "/api/v1/practices/5", "/api/v1/practices/{id}", 1, 5, 0 },
		{ "PATCH", "/api/v1/practices/5", "/api/v1/practices/{id}", 1, 5, 0 },
		{ "GET", "/api/v1/indicators/8/mentors", "/api/v1/indicators/{id}/mentors", 1, 8, 0 },
		{ "DELETE", "/api/v1/partnerships/2", "/api/v1/partnerships/{id}", 1, 2, 0 },
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
	const struct route *r;
	int64_t ids[HTTP_MAX_IDS];
	size_t n;
	char allow[64];
	assert_int_equal(router_match(api_routes, api_routes_count, "GET", "/api/v1/programs/12/measures/40", &r, ids,
				      &n, allow, sizeof allow), MATCH_NO_METHOD);
	assert_string_equal(allow, "PATCH, DELETE");
	assert_int_equal(router_match(api_routes, api_routes_count, "GET", "/api/v1/deficits/77", &r, ids, &n, allow,
				      sizeof allow), MATCH_NO_PATH);
	assert_int_equal(router_match(api_routes, api_routes_count, "GET", "/api/v1/indicators/8", &r, ids, &n, allow,
				      sizeof allow), MATCH_NO_PATH);
}

/* Exactly the routes the contract names read If-Match (the optimistic lock of each state change). */
static void if_match_on_the_contract_routes_only(void **state)
{
	(void)state;
	static const char *const with[][2] = {
		{ "PATCH", "/api/v1/programs/{id}" },
		{ "POST", "/api/v1/programs/{id}/submit" },
		{ "POST", "/api/v1/programs/{id}/approve" },
		{ "POST", "/api/v1/programs/{id}/return" },
		{ "POST", "/api/v1/programs/{id}/revise" },
		{ "PATCH", "/api/v1/programs/{id}/measures/{measure_id}" },
		{ "POST", "/api/v1/programs/{id}/measures/{measure_id}/progress" },
		{ "PATCH", "/api/v1/practices/{id}" },
	};
	static const char *const without[][2] = {
		{ "POST", "/api/v1/programs" },
		{ "PUT", "/api/v1/programs/{id}/analyses/{direction_id}" },
		{ "POST", "/api/v1/programs/{id}/measures" },
		{ "DELETE", "/api/v1/programs/{id}/measures/{measure_id}" },
		{ "POST", "/api/v1/programs/{id}/comments" },
		{ "POST", "/api/v1/deficits/{id}/close" },
		{ "POST", "/api/v1/practices" },
		{ "POST", "/api/v1/partnerships" },
		{ "DELETE", "/api/v1/partnerships/{id}" },
	};
	for (size_t i = 0; i < sizeof with / sizeof with[0]; i++)
		assert_true(route_of(with[i][0], with[i][1])->flags & RF_IF_MATCH);
	for (size_t i = 0; i < sizeof without / sizeof without[0]; i++)
		assert_false(route_of(without[i][0], without[i][1])->flags & RF_IF_MATCH);
	/* submit, approve and revise take no body (or {}); return, progress and close count none as {} */
	assert_null(route_of("POST", "/api/v1/programs/{id}/submit")->body);
	assert_null(route_of("POST", "/api/v1/programs/{id}/approve")->body);
	assert_null(route_of("POST", "/api/v1/programs/{id}/revise")->body);
	assert_true(route_of("POST", "/api/v1/programs/{id}/return")->body->flags & BS_EMPTY_IS_OBJECT);
	assert_true(route_of("POST", "/api/v1/programs/{id}/measures/{measure_id}/progress")->body->flags &
		    BS_EMPTY_IS_OBJECT);
	assert_true(route_of("POST", "/api/v1/deficits/{id}/close")->body->flags & BS_EMPTY_IS_OBJECT);
}

/* ---- through the dispatcher (no database: 503 means "every guard let it through") ---- */

/* One request as role (ROLE_NONE: no token) with an optional JSON body and If-Match header. */
static void expect(const char *method, const char *uri, enum role role, const char *body, const char *if_match,
		   int status, const char *code)
{
	char im[64];
	const char *extra[3] = { NULL, NULL, NULL };
	size_t n = 0;
	if (body)
		extra[n++] = "CONTENT_TYPE=application/json";
	if (if_match) {
		snprintf(im, sizeof im, "HTTP_IF_MATCH=%s", if_match);
		extra[n++] = im;
	}
	call_expect(method, uri, role, body, extra, status, code);
}

#define UNAVAILABLE 503, "service.unavailable"

static void the_dispatcher_guards_the_program_routes(void **state)
{
	(void)state;
	/* roles outside the route table's */
	static const struct {
		const char *method, *uri;
		enum role role;
	} forbidden[] = {
		{ "POST", "/api/v1/programs", ROLE_MUNICIPALITY },
		{ "PATCH", "/api/v1/programs/1", ROLE_LOIRO },
		{ "POST", "/api/v1/programs/1/measures", ROLE_COMMITTEE },
		{ "POST", "/api/v1/programs/1/submit", ROLE_MUNICIPALITY },
		{ "POST", "/api/v1/programs/1/approve", ROLE_SCHOOL },
		{ "POST", "/api/v1/programs/1/approve", ROLE_COMMITTEE },
		{ "POST", "/api/v1/programs/1/return", ROLE_LOIRO },
		{ "POST", "/api/v1/programs/1/comments", ROLE_SCHOOL },
		{ "POST", "/api/v1/programs/1/revise", ROLE_MUNICIPALITY },
		{ "POST", "/api/v1/programs/1/measures/2/progress", ROLE_MUNICIPALITY },
		{ "POST", "/api/v1/deficits/1/close", ROLE_SCHOOL },
		{ "POST", "/api/v1/deficits/1/close", ROLE_COMMITTEE },
		{ "POST", "/api/v1/practices", ROLE_COMMITTEE },
		{ "PATCH", "/api/v1/practices/1", ROLE_MUNICIPALITY },
		{ "POST", "/api/v1/partnerships", ROLE_SCHOOL },
		{ "DELETE", "/api/v1/partnerships/1", ROLE_LOIRO },
	};
	for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++)
		expect(forbidden[i].method, forbidden[i].uri, forbidden[i].role, "{}", NULL, 403, "auth.forbidden");
	expect("GET", "/api/v1/programs", ROLE_NONE, NULL, NULL, 401, "auth.unauthorized");

	/* the allowed ones pass every guard */
	expect("GET", "/api/v1/programs?status=not_started", ROLE_MUNICIPALITY, NULL, NULL, UNAVAILABLE);
	expect("POST", "/api/v1/programs/1/submit", ROLE_SCHOOL, NULL, "W/\"4\"", UNAVAILABLE);
	expect("POST", "/api/v1/programs/1/submit", ROLE_SCHOOL, "{}", NULL, UNAVAILABLE);
	expect("POST", "/api/v1/programs/1/approve", ROLE_MUNICIPALITY, NULL, "4", UNAVAILABLE);
	expect("POST", "/api/v1/programs/1/revise", ROLE_SCHOOL, NULL, NULL, UNAVAILABLE);
	expect("DELETE", "/api/v1/programs/1/measures/2", ROLE_SCHOOL, NULL, NULL, UNAVAILABLE);
	expect("POST", "/api/v1/programs/1/comments", ROLE_LOIRO, "{\"text\":\"Хорошо\"}", NULL, UNAVAILABLE);
	expect("GET", "/api/v1/indicators/3/mentors?campaign_id=2", ROLE_SCHOOL, NULL, NULL, UNAVAILABLE);

	/* input problems are 422 before any SQL: a bad If-Match, a missing comment, a body where none is taken */
	expect("POST", "/api/v1/programs/1/approve", ROLE_MUNICIPALITY, NULL, "v4", 422, "validation.failed");
	expect("POST", "/api/v1/programs/1/return", ROLE_MUNICIPALITY, NULL, "4", 422, "validation.failed");
	expect("POST", "/api/v1/programs/1/measures/2/progress", ROLE_SCHOOL, "{\"status\":\"done\"}", NULL, 422,
	       "validation.failed");
	expect("POST", "/api/v1/programs/1/revise", ROLE_SCHOOL, "{\"comment\":\"x\"}", NULL, 422, "validation.failed");
	expect("POST", "/api/v1/deficits/1/close", ROLE_MUNICIPALITY, NULL, NULL, 422, "validation.failed");
	expect("GET", "/api/v1/programs?status=late", ROLE_COMMITTEE, NULL, NULL, 422, "validation.failed");
	/* If-Match is not read where the contract does not take it */
	expect("POST", "/api/v1/programs/1/comments", ROLE_MUNICIPALITY, "{\"text\":\"x\"}", "garbage", UNAVAILABLE);
}

/* ---- the uncovered deficits: every entry of the HINT comes through, in order ---- */

static void uncovered_deficits_pass_through(void **state)
{
	(void)state;
	struct resp resp;
	resp_init(&resp, "r1");
	int status = db_error_respond(
		&resp, "OR422", "Не все дефициты закрыты мероприятиями: 2", "program.deficits_uncovered",
		"[{\"field\":\"deficits.41\",\"code\":\"required\",\"message\":\"Нет мероприятия для дефицита K01: …\"},"
		"{\"field\":\"deficits.17\",\"code\":\"required\",\"message\":\"Нет мероприятия для дефицита H01: …\"}]");
	assert_int_equal(status, 422);
	json_t *j = body_json(&resp), *errors = json_object_get(j, "errors");
	assert_string_equal(json_string_value(json_object_get(j, "code")), "program.deficits_uncovered");
	assert_string_equal(json_string_value(json_object_get(j, "title")), "Не все дефициты закрыты мероприятиями: 2");
	assert_int_equal(json_array_size(errors), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 0), "field")), "deficits.41");
	assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 1), "field")), "deficits.17");
	json_decref(j);
	resp_free(&resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(program_bodies),
		cmocka_unit_test(measure_bodies),
		cmocka_unit_test(review_bodies),
		cmocka_unit_test(practice_and_partnership_bodies),
		cmocka_unit_test(query_strings),
		cmocka_unit_test(program_paths_match_with_their_ids),
		cmocka_unit_test(if_match_on_the_contract_routes_only),
		cmocka_unit_test(the_dispatcher_guards_the_program_routes),
		cmocka_unit_test(uncovered_deficits_pass_through),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
