/* test_execution.c — projects, documents and execution records (issue 5): input specs, route matching, the CSV route's guards and the import's error entries; in process, no database. */
#include "dispatch.h"
#include "db_error.h"


static void project_bodies(void **state)
{
	(void)state;
	static const struct body_case create[] = {
		{ "minimal", "{\"title\":\"ШНОР\",\"starts_on\":\"2024-09-01\"}", BODY_OK, NULL, NULL },
		{ "full", "{\"title\":\"ШНОР\",\"description\":null,\"starts_on\":\"2024-09-01\",\"ends_on\":\"2025-08-31\","
			  "\"lead\":\"loiro\",\"order_number\":\"2510-р\",\"order_date\":\"2024-08-20\"}", BODY_OK, NULL, NULL },
		{ "no title", "{\"starts_on\":\"2024-09-01\"}", BODY_INVALID, "title", "required" },
		{ "blank title", "{\"title\":\"  \",\"starts_on\":\"2024-09-01\"}", BODY_INVALID, "title", "too_short" },
		{ "no start", "{\"title\":\"П\"}", BODY_INVALID, "starts_on", "required" },
		{ "bad date", "{\"title\":\"П\",\"starts_on\":\"2024-02-30\"}", BODY_INVALID, "starts_on", "invalid_date" },
		{ "date as number", "{\"title\":\"П\",\"starts_on\":20240901}", BODY_INVALID, "starts_on", "type" },
		{ "ends before start", "{\"title\":\"П\",\"starts_on\":\"2024-09-01\",\"ends_on\":\"2024-08-31\"}", BODY_INVALID, "ends_on", "invalid" },
		{ "order number alone", "{\"title\":\"П\",\"starts_on\":\"2024-09-01\",\"order_number\":\"1-р\"}", BODY_INVALID, "order_date", "required" },
		{ "order date alone", "{\"title\":\"П\",\"starts_on\":\"2024-09-01\",\"order_date\":\"2024-08-01\"}", BODY_INVALID, "order_number", "required" },
		{ "bad lead", "{\"title\":\"П\",\"starts_on\":\"2024-09-01\",\"lead\":\"school\"}", BODY_INVALID, "lead", "invalid" },
		{ "long order number", "{\"title\":\"П\",\"starts_on\":\"2024-09-01\",\"order_number\":\"12345678901234567890123456789012345678901234567890123456789012345\",\"order_date\":\"2024-08-01\"}", BODY_INVALID, "order_number", "too_long" },
		{ "unknown", "{\"title\":\"П\",\"starts_on\":\"2024-09-01\",\"region_id\":2}", BODY_INVALID, "region_id", "unknown" },
	};
	static const struct body_case update[] = {
		{ "one field", "{\"ends_on\":null}", BODY_OK, NULL, NULL },
		{ "order cleared", "{\"order_number\":null,\"order_date\":null}", BODY_OK, NULL, NULL },
		{ "empty", "{}", BODY_INVALID, "", "empty" },
		{ "title null", "{\"title\":null}", BODY_INVALID, "title", "type" },
		{ "ends before start", "{\"starts_on\":\"2024-09-01\",\"ends_on\":\"2023-01-01\"}", BODY_INVALID, "ends_on", "invalid" },
	};
	static const struct body_case school[] = {
		{ "valid", "{\"school_id\":5,\"group\":\"risk_zone\"}", BODY_OK, NULL, NULL },
		{ "with flag", "{\"school_id\":5,\"group\":\"academic_failure\",\"unfavorable_conditions\":true}", BODY_OK, NULL, NULL },
		{ "no school", "{\"group\":\"risk_zone\"}", BODY_INVALID, "school_id", "required" },
		{ "bad group", "{\"school_id\":5,\"group\":\"high\"}", BODY_INVALID, "group", "invalid" },
		{ "flag as int", "{\"school_id\":5,\"group\":\"risk_zone\",\"unfavorable_conditions\":1}", BODY_INVALID, "unfavorable_conditions", "type" },
		{ "school zero", "{\"school_id\":0,\"group\":\"risk_zone\"}", BODY_INVALID, "school_id", "out_of_range" },
	};
	RUN("POST", "/api/v1/projects", create);
	RUN("PATCH", "/api/v1/projects/{id}", update);
	RUN("POST", "/api/v1/projects/{id}/schools", school);
}

static void document_bodies(void **state)
{
	(void)state;
	static const struct body_case create[] = {
		{ "valid", "{\"kind\":\"order\",\"number\":\"1584-р\",\"date\":\"2024-06-20\",\"title\":\"О плане-графике\"}", BODY_OK, NULL, NULL },
		{ "with project", "{\"kind\":\"roadmap\",\"number\":\"1\",\"date\":\"2024-06-20\",\"title\":\"Дорожная карта\",\"project_id\":2}", BODY_OK, NULL, NULL },
		{ "bad kind", "{\"kind\":\"memo\",\"number\":\"1\",\"date\":\"2024-06-20\",\"title\":\"Т\"}", BODY_INVALID, "kind", "invalid" },
		{ "no number", "{\"kind\":\"order\",\"date\":\"2024-06-20\",\"title\":\"Т\"}", BODY_INVALID, "number", "required" },
		{ "bad date", "{\"kind\":\"order\",\"number\":\"1\",\"date\":\"20.06.2024\",\"title\":\"Т\"}", BODY_INVALID, "date", "invalid_date" },
		{ "project as string", "{\"kind\":\"order\",\"number\":\"1\",\"date\":\"2024-06-20\",\"title\":\"Т\",\"project_id\":\"2\"}", BODY_INVALID, "project_id", "type" },
		{ "unknown", "{\"kind\":\"order\",\"number\":\"1\",\"date\":\"2024-06-20\",\"title\":\"Т\",\"municipality_id\":3}", BODY_INVALID, "municipality_id", "unknown" },
	};
	static const struct body_case update[] = {
		{ "detach project", "{\"project_id\":null}", BODY_OK, NULL, NULL },
		{ "empty", "{}", BODY_INVALID, "", "empty" },
		{ "blank number", "{\"number\":\" \"}", BODY_INVALID, "number", "too_short" },
	};
	RUN("POST", "/api/v1/documents", create);
	RUN("PATCH", "/api/v1/documents/{id}", update);
}

#define EXEC_MUN "{\"kind\":\"municipality\",\"id\":5}"
static void item_bodies(void **state)
{
	(void)state;
	static const struct body_case items[] = {
		{ "one item", "{\"number\":\"2.1.3\",\"content\":\"Провести совещание\",\"deadline\":\"2024-12-31\","
			      "\"executors\":[{\"kind\":\"all_municipalities\"}," EXEC_MUN ",{\"kind\":\"school\",\"id\":7}]}", BODY_OK, NULL, NULL },
		{ "no executors, no deadline", "{\"number\":\"1\",\"content\":\"Принять к сведению\"}", BODY_OK, NULL, NULL },
		{ "period text", "{\"number\":\"1.\",\"content\":\"К\",\"deadline\":\"2024-12-31\",\"deadline_text\":\"в течение 2024 года\",\"expected_result\":null}", BODY_OK, NULL, NULL },
		{ "bulk", "{\"items\":[{\"number\":\"1\",\"content\":\"А\"},{\"number\":\"2\",\"content\":\"Б\",\"deadline\":\"2024-01-10\",\"executors\":[{\"kind\":\"loiro\",\"id\":null}]}]}", BODY_OK, NULL, NULL },
		{ "no number", "{\"content\":\"К\"}", BODY_INVALID, "number", "required" },
		{ "no content", "{\"number\":\"1\"}", BODY_INVALID, "content", "required" },
		{ "empty content", "{\"number\":\"1\",\"content\":\"\",\"deadline\":null}", BODY_INVALID, "content", "too_short" },
		{ "executors without deadline", "{\"number\":\"1\",\"content\":\"К\",\"executors\":[" EXEC_MUN "]}", BODY_INVALID, "deadline", "required" },
		{ "period without deadline", "{\"number\":\"1\",\"content\":\"К\",\"deadline_text\":\"в течение года\"}", BODY_INVALID, "deadline", "required" },
		{ "executor kind", "{\"number\":\"1\",\"content\":\"К\",\"deadline\":\"2024-01-10\",\"executors\":[{\"kind\":\"everyone\"}]}", BODY_INVALID, "executors[0].kind", "invalid" },
		{ "executor without kind", "{\"number\":\"1\",\"content\":\"К\",\"deadline\":\"2024-01-10\",\"executors\":[{\"id\":5}]}", BODY_INVALID, "executors[0].kind", "required" },
		{ "executor unknown member", "{\"number\":\"1\",\"content\":\"К\",\"deadline\":\"2024-01-10\",\"executors\":[{\"kind\":\"loiro\",\"name\":\"x\"}]}", BODY_INVALID, "executors[0].name", "unknown" },
		{ "executor not an object", "{\"number\":\"1\",\"content\":\"К\",\"deadline\":\"2024-01-10\",\"executors\":[\"loiro\"]}", BODY_INVALID, "executors[0]", "type" },
		{ "executors not an array", "{\"number\":\"1\",\"content\":\"К\",\"deadline\":\"2024-01-10\",\"executors\":{\"kind\":\"loiro\"}}", BODY_INVALID, "executors", "type" },
		{ "municipality without id", "{\"number\":\"1\",\"content\":\"К\",\"deadline\":\"2024-01-10\",\"executors\":[{\"kind\":\"loiro\"},{\"kind\":\"municipality\"}]}", BODY_INVALID, "executors[1].id", "required" },
		{ "committee with id", "{\"number\":\"1\",\"content\":\"К\",\"deadline\":\"2024-01-10\",\"executors\":[{\"kind\":\"committee\",\"id\":1}]}", BODY_INVALID, "executors[0].id", "must_be_empty" },
		{ "executor id zero", "{\"number\":\"1\",\"content\":\"К\",\"deadline\":\"2024-01-10\",\"executors\":[{\"kind\":\"school\",\"id\":0}]}", BODY_INVALID, "executors[0].id", "out_of_range" },
		{ "item and items", "{\"number\":\"1\",\"items\":[{\"number\":\"1\",\"content\":\"А\"}]}", BODY_INVALID, "items", "invalid" },
		{ "empty bulk", "{\"items\":[]}", BODY_INVALID, "items", "required" },
		{ "bulk item without content", "{\"items\":[{\"number\":\"1\",\"content\":\"А\"},{\"number\":\"2\"}]}", BODY_INVALID, "items[1].content", "required" },
		{ "bulk nested executor", "{\"items\":[{\"number\":\"1\",\"content\":\"А\",\"deadline\":\"2024-01-10\",\"executors\":[{\"kind\":\"loiro\"},{\"kind\":\"school\",\"id\":\"7\"}]}]}", BODY_INVALID, "items[0].executors[1].id", "type" },
		{ "bulk rule", "{\"items\":[{\"number\":\"1\",\"content\":\"А\"},{\"number\":\"2\",\"content\":\"Б\",\"executors\":[{\"kind\":\"school\"}]}]}", BODY_INVALID, "items[1].deadline", "required" },
		{ "bulk rule on ids", "{\"items\":[{\"number\":\"2\",\"content\":\"Б\",\"deadline\":\"2024-01-10\",\"executors\":[{\"kind\":\"school\"}]}]}", BODY_INVALID, "items[0].executors[0].id", "required" },
		{ "bulk item not object", "{\"items\":[1]}", BODY_INVALID, "items[0]", "type" },
	};
	RUN("POST", "/api/v1/documents/{id}/items", items);
}

static void report_and_review_bodies(void **state)
{
	(void)state;
	static const struct body_case report[] = {
		{ "in progress", "{\"status\":\"in_progress\"}", BODY_OK, NULL, NULL },
		{ "done", "{\"status\":\"done\",\"text\":\"Совещание проведено\",\"links\":[\"https://edu.lenobl.ru/a\",\"http://x.ru\"]}", BODY_OK, NULL, NULL },
		{ "no status", "{\"text\":\"x\"}", BODY_INVALID, "status", "required" },
		{ "accepted is not a report", "{\"status\":\"accepted\"}", BODY_INVALID, "status", "invalid" },
		{ "done without text", "{\"status\":\"done\",\"text\":\"  \"}", BODY_INVALID, "text", "required" },
		{ "link scheme", "{\"status\":\"in_progress\",\"links\":[\"https://a.ru\",\"ftp://a.ru\"]}", BODY_INVALID, "links[1]", "invalid" },
		{ "too many links", "{\"status\":\"in_progress\",\"links\":[\"http://1\",\"http://2\",\"http://3\",\"http://4\",\"http://5\",\"http://6\",\"http://7\",\"http://8\",\"http://9\",\"http://10\",\"http://11\"]}", BODY_INVALID, "links", "too_many" },
		{ "link not a string", "{\"status\":\"in_progress\",\"links\":[1]}", BODY_INVALID, "links", "type" },
		{ "unknown", "{\"status\":\"done\",\"text\":\"x\",\"version\":\"3\"}", BODY_INVALID, "version", "unknown" },
	};
	static const struct body_case ret[] = {
		{ "valid", "{\"comment\":\"Приложите протокол\"}", BODY_OK, NULL, NULL },
		{ "blank", "{\"comment\":\" \"}", BODY_INVALID, "comment", "too_short" },
		{ "missing", "{}", BODY_INVALID, "comment", "required" },
	};
	RUN("POST", "/api/v1/assignments/{id}/report", report);
	RUN("POST", "/api/v1/assignments/{id}/return", ret);
}

/* ---- query strings ---- */

static void query_strings(void **state)
{
	(void)state;
	static const struct {
		const char *method, *pattern, *qs, *field, *code;
	} cases[] = {
		{ "GET", "/api/v1/assignments", "mine=1&overdue=1&executor=municipality:5&document_id=3&municipality_id=5&status=returned&limit=20&offset=0", NULL, NULL },
		{ "GET", "/api/v1/assignments", "mine=2", "mine", "out_of_range" },
		{ "GET", "/api/v1/assignments", "overdue=yes", "overdue", "type" },
		{ "GET", "/api/v1/assignments", "status=late", "status", "invalid" },
		{ "GET", "/api/v1/assignments", "document_id=0", "document_id", "type" },
		{ "GET", "/api/v1/assignments", "executor=school:1234567890123456789012345678901234567890x", "executor", "too_long" },
		{ "GET", "/api/v1/assignments", "sort=-deadline&status=done", NULL, NULL },
		{ "GET", "/api/v1/assignments", "sort=created_at", "sort", "invalid" },
		{ "GET", "/api/v1/assignments", "order=deadline", "order", "unknown" },
		{ "GET", "/api/v1/projects/{id}/schools", "sort=group", NULL, NULL },
		{ "GET", "/api/v1/documents", "sort=kind", "sort", "invalid" },
		{ "GET", "/api/v1/assignments/summary", "by=executor&municipality_id=4", NULL, NULL },
		{ "GET", "/api/v1/assignments/summary", "by=school", "by", "invalid" },
		{ "GET", "/api/v1/projects/{id}/schools", "group=low_results&municipality_id=2&limit=200", NULL, NULL },
		{ "GET", "/api/v1/projects/{id}/schools", "group=high", "group", "invalid" },
		{ "GET", "/api/v1/documents", "kind=roadmap&project_id=1", NULL, NULL },
		{ "GET", "/api/v1/documents", "kind=memo", "kind", "invalid" },
		{ "POST", "/api/v1/projects/{id}/schools/import", "dry_run=1", NULL, NULL },
		{ "POST", "/api/v1/projects/{id}/schools/import", "dry_run=true", "dry_run", "type" },
		{ "POST", "/api/v1/projects/{id}/schools/import", "dry_run=1&dry_run=0", "dry_run", "duplicate" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		query_case(cases[i].method, cases[i].pattern, cases[i].qs, cases[i].field, cases[i].code);
}

/* ---- matching ---- */

static void execution_paths_match_with_their_ids(void **state)
{
	(void)state;
	static const struct {
		const char *method, *path, *pattern;
		size_t nids;
		int64_t id0, id1;
	} cases[] = {
		{ "GET", "/api/v1/projects", "/api/v1/projects", 0, 0, 0 },
		{ "POST", "/api/v1/projects", "/api/v1/projects", 0, 0, 0 },
		{ "GET", "/api/v1/projects/2", "/api/v1/projects/{id}", 1, 2, 0 },
		{ "PATCH", "/api/v1/projects/2", "/api/v1/projects/{id}", 1, 2, 0 },
		{ "GET", "/api/v1/projects/2/schools", "/api/v1/projects/{id}/schools", 1, 2, 0 },
		{ "POST", "/api/v1/projects/2/schools", "/api/v1/projects/{id}/schools", 1, 2, 0 },
		{ "DELETE", "/api/v1/projects/2/schools/77", "/api/v1/projects/{id}/schools/{school_id}", 2, 2, 77 },
		{ "POST", "/api/v1/projects/2/schools/import", "/api/v1/projects/{id}/schools/import", 1, 2, 0 },
		{ "GET", "/api/v1/documents", "/api/v1/documents", 0, 0, 0 },
		{ "POST", "/api/v1/documents", "/api/v1/documents", 0, 0, 0 },
		{ "GET", "/api/v1/documents/9", "/api/v1/documents/{id}", 1, 9, 0 },
		{ "PATCH", "/api/v1/documents/9", "/api/v1/documents/{id}", 1, 9, 0 },
		{ "POST", "/api/v1/documents/9/items", "/api/v1/documents/{id}/items", 1, 9, 0 },
		{ "GET", "/api/v1/assignments", "/api/v1/assignments", 0, 0, 0 },
		{ "GET", "/api/v1/assignments/summary", "/api/v1/assignments/summary", 0, 0, 0 },
		{ "GET", "/api/v1/assignments/31", "/api/v1/assignments/{id}", 1, 31, 0 },
		{ "POST", "/api/v1/assignments/31/report", "/api/v1/assignments/{id}/report", 1, 31, 0 },
		{ "POST", "/api/v1/assignments/31/accept", "/api/v1/assignments/{id}/accept", 1, 31, 0 },
		{ "POST", "/api/v1/assignments/31/return", "/api/v1/assignments/{id}/return", 1, 31, 0 },
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

/* A CSV route takes no JSON and reads no If-Match; only the import is one. */
static void only_the_import_takes_csv(void **state)
{
	(void)state;
	size_t csv = 0;
	for (size_t i = 0; i < api_routes_count; i++) {
		const struct route *r = &api_routes[i];
		if (!(r->flags & RF_CSV_BODY))
			continue;
		csv++;
		assert_string_equal(r->method, "POST");
		assert_null(r->body);
		assert_false(r->flags & (RF_IF_MATCH | RF_PUBLIC));
		assert_string_equal(r->pattern, "/api/v1/projects/{id}/schools/import");
	}
	assert_int_equal(csv, 1);
}

static void bad_ids_and_other_methods(void **state)
{
	(void)state;
	static const char *const no_path[] = {
		"/api/v1/projects/0", "/api/v1/projects/x/schools", "/api/v1/projects/2/schools/0",
		"/api/v1/assignments/summary/1", "/api/v1/assignments/-1", "/api/v1/documents/1/items/2",
		"/api/v1/projects/2/schools/import/1",
	};
	const struct route *r;
	int64_t ids[HTTP_MAX_IDS];
	size_t n;
	char allow[64];
	for (size_t i = 0; i < sizeof no_path / sizeof no_path[0]; i++)
		if (router_match(api_routes, api_routes_count, "GET", no_path[i], &r, ids, &n, allow, sizeof allow) !=
		    MATCH_NO_PATH)
			fail_msg("%s matched", no_path[i]);
	assert_int_equal(router_match(api_routes, api_routes_count, "GET", "/api/v1/projects/2/schools/5", &r, ids, &n,
				      allow, sizeof allow), MATCH_NO_METHOD);
	assert_string_equal(allow, "DELETE");
	assert_int_equal(router_match(api_routes, api_routes_count, "DELETE", "/api/v1/documents/2", &r, ids, &n,
				      allow, sizeof allow), MATCH_NO_METHOD);
	assert_string_equal(allow, "GET, PATCH");
	/* "summary" is a word, not an id: only GET */
	assert_int_equal(router_match(api_routes, api_routes_count, "POST", "/api/v1/assignments/summary", &r, ids, &n,
				      allow, sizeof allow), MATCH_NO_METHOD);
	assert_string_equal(allow, "GET");
}

/* ---- through the dispatcher (no database: 503 means "every guard let it through") ---- */

/* One request as role (ROLE_NONE: no token) with a Content-Type or none. */
static void expect(const char *method, const char *uri, enum role role, const char *body, const char *ct,
		   int status, const char *code)
{
	char type[128];
	const char *extra[2] = { NULL, NULL };
	if (ct) {
		snprintf(type, sizeof type, "CONTENT_TYPE=%s", ct);
		extra[0] = type;
	}
	call_expect(method, uri, role, body, extra, status, code);
}

#define CSV_TEXT "school_code;group;unfavorable_conditions\n47-01-001;low_results;1\n"
#define JSON "application/json"

static void the_import_takes_text_csv_only(void **state)
{
	(void)state;
	const char *uri = "/api/v1/projects/2/schools/import?dry_run=1";
	expect("POST", uri, ROLE_COMMITTEE, CSV_TEXT, "text/csv", 503, "service.unavailable");
	expect("POST", uri, ROLE_COMMITTEE, CSV_TEXT, "text/csv; charset=utf-8", 503, "service.unavailable");
	expect("POST", uri, ROLE_COMMITTEE, "\xEF\xBB\xBF" CSV_TEXT, "Text/CSV", 503, "service.unavailable");
	/* an empty file reaches the handler (SQL reports the missing header) */
	expect("POST", uri, ROLE_COMMITTEE, NULL, NULL, 503, "service.unavailable");
	/* not JSON, even when it looks like it */
	expect("POST", uri, ROLE_COMMITTEE, "{\"a\":1}", JSON, 400, "request.malformed");
	expect("POST", uri, ROLE_COMMITTEE, CSV_TEXT, NULL, 400, "request.malformed");
	expect("POST", uri, ROLE_COMMITTEE, CSV_TEXT, "text/csv; charset=windows-1251", 400, "request.malformed");
	expect("POST", uri, ROLE_COMMITTEE, CSV_TEXT, "text/plain", 400, "request.malformed");
	expect("POST", "/api/v1/projects/2/schools/import?dry_run=yes", ROLE_COMMITTEE, CSV_TEXT, "text/csv", 422,
	       "validation.failed");
	/* an import's own limit (ORIENTIR_MAX_IMPORT, 64 MiB by default), not JSON's 1 MiB */
	struct call c;
	static const char *const too_large[] = { "CONTENT_TYPE=text/csv", "CONTENT_LENGTH=67108865", NULL };
	call_run(&c, "POST", uri, ROLE_COMMITTEE, NULL, too_large);
	assert_int_equal(c.resp.status, 413);
	assert_string_equal(problem_code(&c.resp), "request.too_large");
	call_done(&c);
	/* each route its own limit: a file up to ORIENTIR_MAX_UPLOAD (20 MiB), JSON up to 1 MiB */
	static const char *const upload_too_large[] = { "CONTENT_LENGTH=20971521", NULL };
	call_run(&c, "POST", "/api/v1/programs/2/attachments?name=a.pdf", ROLE_SCHOOL, NULL, upload_too_large);
	assert_int_equal(c.resp.status, 413);
	call_done(&c);
	static const char *const json_too_large[] = { "CONTENT_TYPE=application/json", "CONTENT_LENGTH=1048577", NULL };
	call_run(&c, "POST", "/api/v1/schools", ROLE_COMMITTEE, NULL, json_too_large);
	assert_int_equal(c.resp.status, 413);
	call_done(&c);
	/* only the committee imports; other routes do not take CSV */
	expect("POST", uri, ROLE_MUNICIPALITY, CSV_TEXT, "text/csv", 403, "auth.forbidden");
	expect("POST", uri, ROLE_NONE, CSV_TEXT, "text/csv", 401, "auth.unauthorized");
	expect("POST", "/api/v1/projects/2/schools", ROLE_COMMITTEE, CSV_TEXT, "text/csv", 400, "request.malformed");
}

static void roles_outside_the_execution_routes_are_403(void **state)
{
	(void)state;
	static const struct {
		const char *method, *uri;
		enum role role;
	} cases[] = {
		{ "POST", "/api/v1/projects", ROLE_LOIRO },
		{ "POST", "/api/v1/projects", ROLE_MUNICIPALITY },
		{ "PATCH", "/api/v1/projects/1", ROLE_SCHOOL },
		{ "POST", "/api/v1/projects/1/schools", ROLE_LOIRO },
		{ "DELETE", "/api/v1/projects/1/schools/2", ROLE_MUNICIPALITY },
		{ "POST", "/api/v1/documents", ROLE_LOIRO },
		{ "POST", "/api/v1/documents", ROLE_SCHOOL },
		{ "PATCH", "/api/v1/documents/1", ROLE_LOIRO },
		{ "POST", "/api/v1/documents/1/items", ROLE_SCHOOL },
		{ "GET", "/api/v1/assignments/summary", ROLE_SCHOOL },
		{ "POST", "/api/v1/assignments/1/accept", ROLE_LOIRO },
		{ "POST", "/api/v1/assignments/1/accept", ROLE_MUNICIPALITY },
		{ "POST", "/api/v1/assignments/1/return", ROLE_SCHOOL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		expect(cases[i].method, cases[i].uri, cases[i].role, "{}", JSON, 403, "auth.forbidden");
	/* and the allowed ones pass every guard */
	expect("GET", "/api/v1/assignments?mine=1&overdue=1", ROLE_SCHOOL, NULL, NULL, 503, "service.unavailable");
	expect("POST", "/api/v1/assignments/1/report", ROLE_SCHOOL, "{\"status\":\"in_progress\"}", JSON, 503,
	       "service.unavailable");
	expect("POST", "/api/v1/assignments/1/accept", ROLE_COMMITTEE, NULL, NULL, 503, "service.unavailable");
	expect("DELETE", "/api/v1/projects/1/schools/2", ROLE_COMMITTEE, NULL, NULL, 503, "service.unavailable");
	expect("POST", "/api/v1/documents", ROLE_MUNICIPALITY,
	       "{\"kind\":\"roadmap\",\"number\":\"1\",\"date\":\"2024-01-09\",\"title\":\"Дорожная карта\"}", JSON, 503,
	       "service.unavailable");
}

/* ---- the import's error entries keep their line numbers ---- */

static void import_errors_keep_their_lines(void **state)
{
	(void)state;
	struct resp resp;
	resp_init(&resp, "r1");
	int status = db_error_respond(
		&resp, "OR422", "Файл не загружен: ошибки в строках — 2", "import.invalid_lines",
		"[{\"line\":3,\"field\":\"school_code\",\"code\":\"not_found\",\"message\":\"Строка 3: нет\"},"
		"{\"line\":\"5\",\"field\":\"group\",\"code\":\"invalid\",\"message\":\"Строка 5: группа\"},"
		"{\"line\":7,\"code\":\"x\",\"message\":\"без поля\"}]");
	assert_int_equal(status, 422);
	json_t *j = body_json(&resp), *errors = json_object_get(j, "errors");
	assert_string_equal(json_string_value(json_object_get(j, "code")), "import.invalid_lines");
	assert_int_equal(json_array_size(errors), 2); /* an entry without a field is dropped */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(errors, 0), "line")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 0), "message")), "Строка 3: нет");
	assert_null(json_object_get(json_array_get(errors, 1), "line")); /* only an integer line comes along */
	json_decref(j);
	resp_free(&resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(project_bodies),
		cmocka_unit_test(document_bodies),
		cmocka_unit_test(item_bodies),
		cmocka_unit_test(report_and_review_bodies),
		cmocka_unit_test(query_strings),
		cmocka_unit_test(execution_paths_match_with_their_ids),
		cmocka_unit_test(only_the_import_takes_csv),
		cmocka_unit_test(bad_ids_and_other_methods),
		cmocka_unit_test(the_import_takes_text_csv_only),
		cmocka_unit_test(roles_outside_the_execution_routes_are_403),
		cmocka_unit_test(import_errors_keep_their_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
