/* test_input.c — request bodies and query strings against the real route specs, table-driven. */
#include "testutil.h"
#include "input.h"
#include "routes.h"

#include <stdio.h>
#include <stdlib.h>

static const struct route *route_of(const char *method, const char *pattern)
{
	for (size_t i = 0; i < api_routes_count; i++)
		if (strcmp(api_routes[i].method, method) == 0 && strcmp(api_routes[i].pattern, pattern) == 0)
			return &api_routes[i];
	fail_msg("no route %s %s", method, pattern);
	return NULL;
}

struct body_case {
	const char *name;
	const char *body;
	enum body_result want;
	const char *field; /* one expected error (BODY_INVALID) */
	const char *code;
};

static void run_body_cases(const struct body_spec *spec, const struct body_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_t *errors = json_array(), *out = NULL;
		const char *title = NULL;
		enum body_result r = body_validate(spec, cases[i].body, strlen(cases[i].body), &out, errors, &title);
		if (r != cases[i].want) {
			char *e = json_dumps(errors, 0);
			fail_msg("%s: result %d, want %d; errors %s", cases[i].name, r, cases[i].want, e);
		}
		assert_non_null(title);
		if (r == BODY_OK)
			assert_true(json_is_object(out));
		else
			assert_null(out);
		if (cases[i].field && !array_has_error(errors, cases[i].field, cases[i].code)) {
			char *e = json_dumps(errors, 0);
			fail_msg("%s: no error %s/%s in %s", cases[i].name, cases[i].field, cases[i].code, e);
		}
		json_decref(out);
		json_decref(errors);
	}
}

#define OKU "\"login\":\"ivan.petrov\",\"full_name\":\"Иван Петров\",\"role\":\"school\",\"password\":\"0123456789\""

static void user_create_body_table(void **state)
{
	(void)state;
	static const struct body_case cases[] = {
		{ "valid", "{" OKU ",\"school_id\":5}", BODY_OK, NULL, NULL },
		{ "valid with nulls", "{" OKU ",\"municipality_id\":null,\"is_active\":false}", BODY_OK, NULL, NULL },
		{ "empty body", "", BODY_MALFORMED, NULL, NULL },
		{ "unclosed", "{", BODY_MALFORMED, NULL, NULL },
		{ "truncated", "{\"login\":1", BODY_MALFORMED, NULL, NULL },
		{ "not json", "nope", BODY_MALFORMED, NULL, NULL },
		{ "trailing garbage", "{" OKU "} x", BODY_MALFORMED, NULL, NULL },
		{ "single quotes", "{'login':'a'}", BODY_MALFORMED, NULL, NULL },
		{ "array", "[]", BODY_INVALID, "", "type" },
		{ "string", "\"x\"", BODY_INVALID, "", "type" },
		{ "unknown field", "{" OKU ",\"admin\":true}", BODY_INVALID, "admin", "unknown" },
		{ "missing field", "{\"login\":\"ivan\",\"role\":\"school\",\"password\":\"0123456789\"}", BODY_INVALID, "full_name", "required" },
		{ "bad role", "{\"login\":\"ivan\",\"full_name\":\"И\",\"role\":\"boss\",\"password\":\"0123456789\"}", BODY_INVALID, "role", "invalid" },
		{ "id as string", "{" OKU ",\"school_id\":\"5\"}", BODY_INVALID, "school_id", "type" },
		{ "id zero", "{" OKU ",\"school_id\":0}", BODY_INVALID, "school_id", "out_of_range" },
		{ "id real", "{" OKU ",\"school_id\":1.0}", BODY_INVALID, "school_id", "type" },
		{ "id overflow", "{" OKU ",\"school_id\":99999999999999999999}", BODY_INVALID, "school_id", "out_of_range" },
		{ "bool as int", "{" OKU ",\"is_active\":1}", BODY_INVALID, "is_active", "type" },
		{ "bool null", "{" OKU ",\"is_active\":null}", BODY_INVALID, "is_active", "type" },
		{ "short login", "{\"login\":\"ab\",\"full_name\":\"И\",\"role\":\"school\",\"password\":\"0123456789\"}", BODY_INVALID, "login", "too_short" },
		{ "login chars", "{\"login\":\"иван\",\"full_name\":\"И\",\"role\":\"school\",\"password\":\"0123456789\"}", BODY_INVALID, "login", "format" },
		{ "short password", "{\"login\":\"ivan\",\"full_name\":\"И\",\"role\":\"school\",\"password\":\"123456789\"}", BODY_INVALID, "password", "too_short" },
		{ "blank name", "{\"login\":\"ivan\",\"full_name\":\"   \",\"role\":\"school\",\"password\":\"0123456789\"}", BODY_INVALID, "full_name", "too_short" },
		{ "invalid utf8", "{\"login\":\"ivan\",\"full_name\":\"\xd0\x28\",\"role\":\"school\",\"password\":\"0123456789\"}", BODY_INVALID, "full_name", "invalid_utf8" },
		{ "duplicate key", "{\"login\":\"ivan\",\"login\":\"oleg\",\"full_name\":\"И\",\"role\":\"school\",\"password\":\"0123456789\"}", BODY_INVALID, "login", "duplicate" },
		{ "nul char", "{\"login\":\"ivan\",\"full_name\":\"a\\u0000b\",\"role\":\"school\",\"password\":\"0123456789\"}", BODY_INVALID, "full_name", "invalid_char" },
		{ "deep", "{\"login\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}", BODY_INVALID, "login", "too_deep" },
		{ "object value", "{" OKU ",\"school_id\":{\"a\":1}}", BODY_INVALID, "school_id", "type" },
	};
	run_body_cases(route_of("POST", "/api/v1/users")->body, cases, sizeof cases / sizeof cases[0]);
}

static void over_long_strings_are_counted_in_characters(void **state)
{
	(void)state;
	const struct body_spec *spec = route_of("POST", "/api/v1/users")->body;
	char body[2048];
	char name[1024] = "";
	for (int i = 0; i < 200; i++)
		strcat(name, "я"); /* 200 characters, 400 bytes: allowed */
	snprintf(body, sizeof body, "{\"login\":\"ivan\",\"full_name\":\"%s\",\"role\":\"school\",\"password\":\"0123456789\"}", name);
	struct body_case ok[] = { { "200 chars", body, BODY_OK, NULL, NULL } };
	run_body_cases(spec, ok, 1);
	strcat(name, "я");
	snprintf(body, sizeof body, "{\"login\":\"ivan\",\"full_name\":\"%s\",\"role\":\"school\",\"password\":\"0123456789\"}", name);
	struct body_case bad[] = { { "201 chars", body, BODY_INVALID, "full_name", "too_long" } };
	run_body_cases(spec, bad, 1);
}

static void every_problem_is_reported_at_once(void **state)
{
	(void)state;
	const struct body_spec *spec = route_of("POST", "/api/v1/users")->body;
	static const char body[] = "{\"login\":\"a b\",\"role\":\"boss\",\"x\":1,\"school_id\":-1}";
	json_t *errors = json_array(), *out = NULL;
	const char *title;
	assert_int_equal(body_validate(spec, body, strlen(body), &out, errors, &title), BODY_INVALID);
	assert_true(array_has_error(errors, "x", "unknown"));
	assert_true(array_has_error(errors, "login", "format"));
	assert_true(array_has_error(errors, "role", "invalid"));
	assert_true(array_has_error(errors, "school_id", "out_of_range"));
	assert_true(array_has_error(errors, "full_name", "required"));
	assert_true(array_has_error(errors, "password", "required"));
	assert_int_equal(json_array_size(errors), 6);
	json_decref(errors);
}

static void thousands_of_unknown_fields_get_a_bounded_answer(void **state)
{
	(void)state;
	const struct body_spec *spec = route_of("POST", "/api/v1/users")->body;
	size_t cap = 200000, len = 0;
	char *body = malloc(cap);
	body[len++] = '{';
	for (int i = 0; i < 5000; i++)
		len += (size_t)sprintf(body + len, "%s\"f%d\":1", i ? "," : "", i);
	body[len++] = '}';
	json_t *errors = json_array(), *out = NULL;
	const char *title;
	assert_int_equal(body_validate(spec, body, len, &out, errors, &title), BODY_INVALID);
	assert_true(json_array_size(errors) <= 50);
	json_decref(errors);
	free(body);
}

static void school_update_body_table(void **state)
{
	(void)state;
	static const struct body_case cases[] = {
		{ "one field", "{\"is_rural\":true}", BODY_OK, NULL, NULL },
		{ "levels", "{\"education_levels\":[\"primary\",\"secondary\"]}", BODY_OK, NULL, NULL },
		{ "address null", "{\"address\":null}", BODY_OK, NULL, NULL },
		{ "empty object", "{}", BODY_INVALID, "", "empty" },
		{ "repeated level", "{\"education_levels\":[\"primary\",\"primary\"]}", BODY_INVALID, "education_levels", "duplicate" },
		{ "unknown level", "{\"education_levels\":[\"kindergarten\"]}", BODY_INVALID, "education_levels", "invalid" },
		{ "levels not array", "{\"education_levels\":\"primary\"}", BODY_INVALID, "education_levels", "type" },
		{ "level not string", "{\"education_levels\":[1]}", BODY_INVALID, "education_levels", "type" },
		{ "too many levels", "{\"education_levels\":[\"primary\",\"basic\",\"secondary\",\"basic\"]}", BODY_INVALID, "education_levels", "too_many" },
		{ "name null", "{\"name\":null}", BODY_INVALID, "name", "type" },
		{ "version is not a body field", "{\"version\":3}", BODY_INVALID, "version", "unknown" },
	};
	run_body_cases(route_of("PATCH", "/api/v1/schools/{id}")->body, cases, sizeof cases / sizeof cases[0]);
}

static void login_and_password_bodies(void **state)
{
	(void)state;
	static const struct body_case login[] = {
		{ "valid", "{\"login\":\"committee\",\"password\":\"x\"}", BODY_OK, NULL, NULL },
		{ "no password", "{\"login\":\"committee\"}", BODY_INVALID, "password", "required" },
		{ "empty login", "{\"login\":\"\",\"password\":\"x\"}", BODY_INVALID, "login", "too_short" },
	};
	run_body_cases(route_of("POST", "/api/v1/auth/login")->body, login, 3);
	static const struct body_case pw[] = {
		{ "valid", "{\"current_password\":\"a\",\"new_password\":\"0123456789\"}", BODY_OK, NULL, NULL },
		{ "new too short", "{\"current_password\":\"a\",\"new_password\":\"012345678\"}", BODY_INVALID, "new_password", "too_short" },
	};
	run_body_cases(route_of("POST", "/api/v1/me/password")->body, pw, 2);
}

static void dates_are_real_calendar_dates(void **state)
{
	(void)state;
	static const struct field_spec f[] = { { .name = "d", .type = FT_DATE, .flags = FF_REQUIRED } };
	static const struct body_spec spec = { .fields = f, .nfields = 1 };
	static const struct body_case cases[] = {
		{ "leap day", "{\"d\":\"2024-02-29\"}", BODY_OK, NULL, NULL },
		{ "not leap", "{\"d\":\"2023-02-29\"}", BODY_INVALID, "d", "invalid_date" },
		{ "month 13", "{\"d\":\"2024-13-01\"}", BODY_INVALID, "d", "invalid_date" },
		{ "short year", "{\"d\":\"24-01-01\"}", BODY_INVALID, "d", "invalid_date" },
		{ "with time", "{\"d\":\"2024-01-01T00:00\"}", BODY_INVALID, "d", "invalid_date" },
		{ "number", "{\"d\":20240101}", BODY_INVALID, "d", "type" },
		{ "2000 leap", "{\"d\":\"2000-02-29\"}", BODY_OK, NULL, NULL },
		{ "1900 not leap", "{\"d\":\"1900-02-29\"}", BODY_INVALID, "d", "invalid_date" },
	};
	run_body_cases(&spec, cases, sizeof cases / sizeof cases[0]);
}

/* ---- self-diagnostics bodies ---- */

#define CAMPAIGN(target) \
	"{\"title\":\"Самодиагностика 2025\",\"instrument_ids\":[3,4],\"opens_on\":\"2025-09-01\"," \
	"\"closes_on\":\"2025-10-15\",\"target\":" target "}"

static void campaign_create_body_table(void **state)
{
	(void)state;
	static const struct body_case cases[] = {
		{ "all schools", CAMPAIGN("{\"all\":true}"), BODY_OK, NULL, NULL },
		{ "municipalities", CAMPAIGN("{\"municipality_ids\":[1,2,18]}"), BODY_OK, NULL, NULL },
		{ "schools", CAMPAIGN("{\"school_ids\":[7]}"), BODY_OK, NULL, NULL },
		{ "one day", "{\"title\":\"Т\",\"instrument_ids\":[1],\"opens_on\":\"2025-09-01\",\"closes_on\":\"2025-09-01\",\"target\":{\"all\":true}}", BODY_OK, NULL, NULL },
		{ "target missing", "{\"title\":\"Т\",\"instrument_ids\":[1],\"opens_on\":\"2025-09-01\",\"closes_on\":\"2025-09-02\"}", BODY_INVALID, "target", "required" },
		{ "target empty", CAMPAIGN("{}"), BODY_INVALID, "target", "invalid" },
		{ "two ways", CAMPAIGN("{\"all\":true,\"school_ids\":[7]}"), BODY_INVALID, "target", "invalid" },
		{ "all false", CAMPAIGN("{\"all\":false}"), BODY_INVALID, "target.all", "invalid" },
		{ "all not bool", CAMPAIGN("{\"all\":1}"), BODY_INVALID, "target.all", "type" },
		{ "all null", CAMPAIGN("{\"all\":null}"), BODY_INVALID, "target.all", "type" },
		{ "unknown way", CAMPAIGN("{\"region_ids\":[1]}"), BODY_INVALID, "target.region_ids", "unknown" },
		{ "no municipality", CAMPAIGN("{\"municipality_ids\":[]}"), BODY_INVALID, "target.municipality_ids", "required" },
		{ "ids not array", CAMPAIGN("{\"school_ids\":7}"), BODY_INVALID, "target.school_ids", "type" },
		{ "id as string", CAMPAIGN("{\"school_ids\":[\"7\"]}"), BODY_INVALID, "target.school_ids", "type" },
		{ "id zero", CAMPAIGN("{\"school_ids\":[0]}"), BODY_INVALID, "target.school_ids", "out_of_range" },
		{ "id real", CAMPAIGN("{\"school_ids\":[7.0]}"), BODY_INVALID, "target.school_ids", "type" },
		{ "id repeated", CAMPAIGN("{\"school_ids\":[7,8,7]}"), BODY_INVALID, "target.school_ids", "duplicate" },
		{ "target array", CAMPAIGN("[{\"all\":true}]"), BODY_INVALID, "target", "type" },
		{ "target string", CAMPAIGN("\"all\""), BODY_INVALID, "target", "type" },
		{ "no instruments", "{\"title\":\"Т\",\"instrument_ids\":[],\"opens_on\":\"2025-09-01\",\"closes_on\":\"2025-09-02\",\"target\":{\"all\":true}}", BODY_INVALID, "instrument_ids", "required" },
		{ "instrument repeated", "{\"title\":\"Т\",\"instrument_ids\":[1,1],\"opens_on\":\"2025-09-01\",\"closes_on\":\"2025-09-02\",\"target\":{\"all\":true}}", BODY_INVALID, "instrument_ids", "duplicate" },
		{ "too many instruments", "{\"title\":\"Т\",\"instrument_ids\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21],\"opens_on\":\"2025-09-01\",\"closes_on\":\"2025-09-02\",\"target\":{\"all\":true}}", BODY_INVALID, "instrument_ids", "too_many" },
		{ "closes before opens", "{\"title\":\"Т\",\"instrument_ids\":[1],\"opens_on\":\"2025-09-02\",\"closes_on\":\"2025-09-01\",\"target\":{\"all\":true}}", BODY_INVALID, "closes_on", "invalid" },
		{ "closes before opens across years", "{\"title\":\"Т\",\"instrument_ids\":[1],\"opens_on\":\"2025-01-01\",\"closes_on\":\"2024-12-31\",\"target\":{\"all\":true}}", BODY_INVALID, "closes_on", "invalid" },
		{ "no such date", "{\"title\":\"Т\",\"instrument_ids\":[1],\"opens_on\":\"2025-02-30\",\"closes_on\":\"2025-03-01\",\"target\":{\"all\":true}}", BODY_INVALID, "opens_on", "invalid_date" },
		{ "date with time", "{\"title\":\"Т\",\"instrument_ids\":[1],\"opens_on\":\"2025-09-01T00:00:00Z\",\"closes_on\":\"2025-09-02\",\"target\":{\"all\":true}}", BODY_INVALID, "opens_on", "invalid_date" },
		{ "date missing", "{\"title\":\"Т\",\"instrument_ids\":[1],\"opens_on\":\"2025-09-01\",\"target\":{\"all\":true}}", BODY_INVALID, "closes_on", "required" },
		{ "blank title", "{\"title\":\"  \",\"instrument_ids\":[1],\"opens_on\":\"2025-09-01\",\"closes_on\":\"2025-09-02\",\"target\":{\"all\":true}}", BODY_INVALID, "title", "too_short" },
		{ "unknown field", "{\"title\":\"Т\",\"instrument_ids\":[1],\"opens_on\":\"2025-09-01\",\"closes_on\":\"2025-09-02\",\"target\":{\"all\":true},\"status\":\"open\"}", BODY_INVALID, "status", "unknown" },
	};
	run_body_cases(route_of("POST", "/api/v1/campaigns")->body, cases, sizeof cases / sizeof cases[0]);
}

static void a_bad_target_is_reported_with_the_other_fields(void **state)
{
	(void)state;
	const struct body_spec *spec = route_of("POST", "/api/v1/campaigns")->body;
	static const char body[] = "{\"title\":\"\",\"opens_on\":\"2025-13-01\",\"closes_on\":\"2025-09-01\","
				   "\"target\":{\"municipality_ids\":[0],\"x\":1}}";
	json_t *errors = json_array(), *out = NULL;
	const char *title;
	assert_int_equal(body_validate(spec, body, strlen(body), &out, errors, &title), BODY_INVALID);
	assert_true(array_has_error(errors, "title", "too_short"));
	assert_true(array_has_error(errors, "instrument_ids", "required"));
	assert_true(array_has_error(errors, "opens_on", "invalid_date"));
	assert_true(array_has_error(errors, "target.x", "unknown"));
	assert_true(array_has_error(errors, "target.municipality_ids", "out_of_range"));
	/* the date order is judged only when each date is fine on its own */
	assert_false(array_has_error(errors, "closes_on", "invalid"));
	assert_int_equal(json_array_size(errors), 5);
	json_decref(errors);
}

static void campaign_update_body_table(void **state)
{
	(void)state;
	static const struct body_case cases[] = {
		{ "extend", "{\"closes_on\":\"2025-11-30\"}", BODY_OK, NULL, NULL },
		{ "empty", "{}", BODY_INVALID, "closes_on", "required" },
		{ "bad date", "{\"closes_on\":\"30.11.2025\"}", BODY_INVALID, "closes_on", "invalid_date" },
		{ "null", "{\"closes_on\":null}", BODY_INVALID, "closes_on", "type" },
		{ "other field", "{\"closes_on\":\"2025-11-30\",\"opens_on\":\"2025-09-01\"}", BODY_INVALID, "opens_on", "unknown" },
		{ "no body", "", BODY_MALFORMED, NULL, NULL },
	};
	run_body_cases(route_of("PATCH", "/api/v1/campaigns/{id}")->body, cases, sizeof cases / sizeof cases[0]);
}

static void answer_body_table(void **state)
{
	(void)state;
	char long_comment[4200] = "{\"value\":\"yes\",\"comment\":\"";
	for (int i = 0; i < 2001; i++)
		strcat(long_comment, "ж");
	strcat(long_comment, "\"}");
	const struct body_case cases[] = {
		{ "value", "{\"value\":\"yes\"}", BODY_OK, NULL, NULL },
		{ "with comment", "{\"value\":\"partly-2\",\"comment\":\"Кабинет оснащён частично\"}", BODY_OK, NULL, NULL },
		{ "comment null", "{\"value\":\"no\",\"comment\":null}", BODY_OK, NULL, NULL },
		{ "comment empty", "{\"value\":\"no\",\"comment\":\"\"}", BODY_OK, NULL, NULL },
		{ "no value", "{\"comment\":\"x\"}", BODY_INVALID, "value", "required" },
		{ "value null", "{\"value\":null}", BODY_INVALID, "value", "type" },
		{ "value number", "{\"value\":1}", BODY_INVALID, "value", "type" },
		{ "value empty", "{\"value\":\"\"}", BODY_INVALID, "value", "too_short" },
		{ "value cyrillic", "{\"value\":\"да\"}", BODY_INVALID, "value", "format" },
		{ "value too long", "{\"value\":\"abcdefghijklmnopqrstuvwxyz0123456\"}", BODY_INVALID, "value", "too_long" },
		{ "comment too long", long_comment, BODY_INVALID, "comment", "too_long" },
		{ "indicator in body", "{\"value\":\"yes\",\"indicator_id\":5}", BODY_INVALID, "indicator_id", "unknown" },
	};
	run_body_cases(route_of("PUT", "/api/v1/submissions/{id}/answers/{indicator_id}")->body, cases,
		       sizeof cases / sizeof cases[0]);
}

static void return_and_reopen_bodies(void **state)
{
	(void)state;
	static const struct body_case ret[] = {
		{ "comment", "{\"comment\":\"Уточните показатель З-04\"}", BODY_OK, NULL, NULL },
		{ "no body at all", "", BODY_INVALID, "comment", "required" },
		{ "empty object", "{}", BODY_INVALID, "comment", "required" },
		{ "blank", "{\"comment\":\" \\n \"}", BODY_INVALID, "comment", "too_short" },
		{ "not a string", "{\"comment\":true}", BODY_INVALID, "comment", "type" },
		{ "reason is not its field", "{\"reason\":\"x\"}", BODY_INVALID, "reason", "unknown" },
		{ "not json", "comment=x", BODY_MALFORMED, NULL, NULL },
	};
	run_body_cases(route_of("POST", "/api/v1/submissions/{id}/return")->body, ret, sizeof ret / sizeof ret[0]);
	static const struct body_case reopen[] = {
		{ "reason", "{\"reason\":\"Ошибка в разделе «Здоровье»\"}", BODY_OK, NULL, NULL },
		{ "no body at all", "", BODY_INVALID, "reason", "required" },
		{ "comment is not its field", "{\"comment\":\"x\"}", BODY_INVALID, "comment", "unknown" },
	};
	run_body_cases(route_of("POST", "/api/v1/submissions/{id}/reopen")->body, reopen,
		       sizeof reopen / sizeof reopen[0]);
}

/* The instrument document: any members, any nesting up to the limit; the rest is SQL's. */
static void instrument_document_body_table(void **state)
{
	(void)state;
	char deep[256] = "{\"directions\":";
	for (int i = 0; i < 16; i++)
		strcat(deep, "[");
	for (int i = 0; i < 16; i++)
		strcat(deep, "]");
	strcat(deep, "}");
	char ok_depth[256] = "{\"directions\":";
	for (int i = 0; i < 15; i++)
		strcat(ok_depth, "[");
	for (int i = 0; i < 15; i++)
		strcat(ok_depth, "]");
	strcat(ok_depth, "}");
	const struct body_case cases[] = {
		{ "document", "{\"code\":\"shmr\",\"version\":1,\"directions\":[{\"code\":\"k\",\"indicators\":[{\"code\":\"K01\",\"options\":[{\"value\":\"no\",\"points\":0}]}]}]}", BODY_OK, NULL, NULL },
		{ "unknown members are SQL's", "{\"whatever\":{\"a\":[1,2,{\"b\":null}]}}", BODY_OK, NULL, NULL },
		{ "empty object", "{}", BODY_OK, NULL, NULL },
		{ "depth 16", ok_depth, BODY_OK, NULL, NULL },
		{ "depth 17", deep, BODY_INVALID, "directions", "too_deep" },
		{ "array", "[{\"code\":\"shmr\"}]", BODY_INVALID, "", "type" },
		{ "number", "1", BODY_INVALID, "", "type" },
		{ "nested duplicate key", "{\"directions\":[{\"code\":\"a\",\"code\":\"b\"}]}", BODY_INVALID, "directions", "duplicate" },
		{ "nested bad utf8", "{\"title\":\"ok\",\"directions\":[{\"title\":\"\xd0\x28\"}]}", BODY_INVALID, "directions", "invalid_utf8" },
		{ "nested nul", "{\"directions\":[{\"title\":\"a\\u0000b\"}]}", BODY_INVALID, "directions", "invalid_char" },
		{ "nested huge number", "{\"version\":1,\"thresholds\":{\"basic\":99999999999999999999}}", BODY_INVALID, "thresholds", "out_of_range" },
		{ "no body", "", BODY_MALFORMED, NULL, NULL },
		{ "truncated", "{\"directions\":[{\"code\":\"k\"", BODY_MALFORMED, NULL, NULL },
		{ "trailing text", "{} {}", BODY_MALFORMED, NULL, NULL },
	};
	run_body_cases(route_of("POST", "/api/v1/instruments")->body, cases, sizeof cases / sizeof cases[0]);
}

/* A raw NUL byte never reaches SQL inside a document (text parameters end at NUL). */
static void a_document_with_a_raw_nul_is_refused(void **state)
{
	(void)state;
	const struct body_spec *spec = route_of("POST", "/api/v1/instruments")->body;
	static const char inside[] = "{\"a\":\"x\0y\"}";
	static const char after[] = "{\"a\":1}\0";
	json_t *errors = json_array(), *out = NULL;
	const char *title;
	assert_int_not_equal(body_validate(spec, inside, sizeof inside - 1, &out, errors, &title), BODY_OK);
	assert_null(out);
	assert_int_not_equal(body_validate(spec, after, sizeof after - 1, &out, errors, &title), BODY_OK);
	assert_null(out);
	json_decref(errors);
}

/* ---- query strings ---- */

struct query_case {
	const char *name, *qs;
	int nerrors;
	const char *field, *code;
};

static void run_query_cases(const struct query_spec *spec, const struct query_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct pool pool = POOL_INIT;
		struct kv *pairs;
		size_t np;
		struct qval vals[HTTP_MAX_QPARAMS];
		json_t *errors = json_array();
		assert_int_equal(http_parse_query(&pool, cases[i].qs, &pairs, &np), 0);
		int got = query_validate(spec, pairs, np, vals, errors);
		if (got != cases[i].nerrors)
			fail_msg("%s: %d errors, want %d", cases[i].name, got, cases[i].nerrors);
		if (cases[i].field && !array_has_error(errors, cases[i].field, cases[i].code))
			fail_msg("%s: no %s/%s", cases[i].name, cases[i].field, cases[i].code);
		json_decref(errors);
		pool_free(&pool);
	}
}

static void school_list_query_table(void **state)
{
	(void)state;
	char longq[2048] = "q=";
	for (int i = 0; i < 201; i++)
		strcat(longq, "%D1%8F");
	const struct query_case cases[] = {
		{ "none", "", 0, NULL, NULL },
		{ "all", "municipality_id=3&q=%D1%88%D0%BA&limit=200&offset=400", 0, NULL, NULL },
		{ "empty filters", "municipality_id=&q=", 0, NULL, NULL },
		{ "limit too big", "limit=201", 1, "limit", "out_of_range" },
		{ "limit zero", "limit=0", 1, "limit", "out_of_range" },
		{ "limit text", "limit=ten", 1, "limit", "type" },
		{ "negative offset", "offset=-1", 1, "offset", "out_of_range" },
		{ "id text", "municipality_id=abc", 1, "municipality_id", "type" },
		{ "id zero", "municipality_id=0", 1, "municipality_id", "type" },
		{ "q too long", longq, 1, "q", "too_long" },
		{ "q not utf8", "q=%FF", 1, "q", "invalid_utf8" },
		{ "unknown", "page=2", 1, "page", "unknown" },
		{ "repeated", "limit=1&limit=2", 1, "limit", "duplicate" },
		{ "two problems", "limit=500&offset=x", 2, "offset", "type" },
	};
	run_query_cases(route_of("GET", "/api/v1/schools")->query, cases, sizeof cases / sizeof cases[0]);
}

static void list_defaults_are_filled(void **state)
{
	(void)state;
	const struct query_spec *spec = route_of("GET", "/api/v1/schools")->query;
	struct qval vals[HTTP_MAX_QPARAMS];
	json_t *errors = json_array();
	assert_int_equal(query_validate(spec, NULL, 0, vals, errors), 0);
	/* order in the spec: municipality_id, q, sort, limit, offset */
	assert_int_equal(spec->n, 5);
	assert_string_equal(spec->params[2].name, "sort");
	assert_false(vals[0].present);
	assert_null(vals[0].str);
	assert_false(vals[2].present); /* no sort: the list's own order */
	assert_null(vals[2].str);
	assert_string_equal(vals[3].str, "50");
	assert_string_equal(vals[4].str, "0");
	json_decref(errors);
}

static void user_list_role_filter(void **state)
{
	(void)state;
	const struct query_case cases[] = {
		{ "role ok", "role=school", 0, NULL, NULL },
		{ "role bad", "role=admin", 1, "role", "invalid" },
	};
	run_query_cases(route_of("GET", "/api/v1/users")->query, cases, 2);
}

static void diagnostics_list_queries(void **state)
{
	(void)state;
	const struct query_case submissions[] = {
		{ "none", "", 0, NULL, NULL },
		{ "all", "campaign_id=2&status=submitted&municipality_id=5&limit=20&offset=40", 0, NULL, NULL },
		{ "empty filters", "campaign_id=&status=&municipality_id=", 0, NULL, NULL },
		{ "bad status", "status=approved", 1, "status", "invalid" },
		{ "schools not started", "status=not_started&campaign_id=2", 0, NULL, NULL },
		{ "open is a campaign's status", "status=open", 1, "status", "invalid" },
		{ "bad campaign", "campaign_id=two", 1, "campaign_id", "type" },
		{ "school_id is not a filter", "school_id=3", 1, "school_id", "unknown" },
	};
	run_query_cases(route_of("GET", "/api/v1/submissions")->query, submissions,
			sizeof submissions / sizeof submissions[0]);
	const struct query_case campaigns[] = {
		{ "open", "status=open", 0, NULL, NULL },
		{ "planned", "status=planned&limit=5", 0, NULL, NULL },
		{ "closed", "status=closed", 0, NULL, NULL },
		{ "draft is not a campaign status", "status=draft", 1, "status", "invalid" },
		{ "twice", "status=open&status=closed", 1, "status", "duplicate" },
	};
	run_query_cases(route_of("GET", "/api/v1/campaigns")->query, campaigns, sizeof campaigns / sizeof campaigns[0]);
	const struct query_case instruments[] = {
		{ "published", "status=published", 0, NULL, NULL },
		{ "open is not an instrument status", "status=open", 1, "status", "invalid" },
	};
	run_query_cases(route_of("GET", "/api/v1/instruments")->query, instruments, 2);
	const struct query_case school_deficits[] = {
		{ "campaign", "campaign_id=4", 0, NULL, NULL },
		{ "none", "", 0, NULL, NULL },
		{ "no paging", "limit=10", 1, "limit", "unknown" },
	};
	run_query_cases(route_of("GET", "/api/v1/schools/{id}/deficits")->query, school_deficits, 3);
	const struct query_case summary[] = {
		{ "both", "campaign_id=4&municipality_id=2", 0, NULL, NULL },
		{ "bad municipality", "campaign_id=4&municipality_id=-2", 1, "municipality_id", "type" },
		{ "no campaign", "municipality_id=2", 1, "campaign_id", "required" },
		{ "an empty campaign is none", "campaign_id=", 1, "campaign_id", "required" },
	};
	run_query_cases(route_of("GET", "/api/v1/deficits")->query, summary, 4);
}

static void routes_without_parameters_reject_any(void **state)
{
	(void)state;
	const struct query_case cases[] = { { "any", "x=1", 1, "x", "unknown" } };
	run_query_cases(NULL, cases, 1);
}

static void if_match_values(void **state)
{
	(void)state;
	int32_t v;
	assert_int_equal(if_match_parse("3", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(if_match_parse("\"7\"", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(if_match_parse("W/\"8\"", &v), 0);
	assert_int_equal(v, 8);
	assert_int_equal(if_match_parse(" 9 ", &v), 0);
	assert_int_equal(if_match_parse("2147483647", &v), 0);
	static const char *const bad[] = { "", "abc", "-1", "2147483648", "\"3", "3\"", "*", "1.0", "W/3x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(if_match_parse(bad[i], &v), -1);
	assert_int_equal(if_match_parse(NULL, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(user_create_body_table),
		cmocka_unit_test(over_long_strings_are_counted_in_characters),
		cmocka_unit_test(every_problem_is_reported_at_once),
		cmocka_unit_test(thousands_of_unknown_fields_get_a_bounded_answer),
		cmocka_unit_test(school_update_body_table),
		cmocka_unit_test(login_and_password_bodies),
		cmocka_unit_test(dates_are_real_calendar_dates),
		cmocka_unit_test(campaign_create_body_table),
		cmocka_unit_test(a_bad_target_is_reported_with_the_other_fields),
		cmocka_unit_test(campaign_update_body_table),
		cmocka_unit_test(answer_body_table),
		cmocka_unit_test(return_and_reopen_bodies),
		cmocka_unit_test(instrument_document_body_table),
		cmocka_unit_test(a_document_with_a_raw_nul_is_refused),
		cmocka_unit_test(school_list_query_table),
		cmocka_unit_test(diagnostics_list_queries),
		cmocka_unit_test(list_defaults_are_filled),
		cmocka_unit_test(user_list_role_filter),
		cmocka_unit_test(routes_without_parameters_reject_any),
		cmocka_unit_test(if_match_values),
	};
	return cmocka_run_group_tests_name("input", tests, NULL, NULL);
}
