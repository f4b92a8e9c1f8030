/* assignments.c — /api/v1/assignments: execution records («Мои поручения»), the summary, reports and the issuer's review. */
#include "api.h"
#include "../router.h"

/* "1" → "true", "0" → "false", absent → NULL: a 0/1 query flag as an SQL boolean. */
static const char *flag(const struct req *req, const char *name)
{
	const struct qval *v = req_query(req, name);
	return v->present ? (v->num ? "true" : "false") : NULL;
}

/*
 * Lists the visible records, overdue first, then by deadline;
 * ?mine=1&overdue=1&executor=municipality:5&document_id=&municipality_id=&status=.
 * SQL checks the executor's form (422 field executor).
 */
int h_assignments_list(struct req *req, struct resp *resp)
{
	const char *p[] = { flag(req, "mine"), flag(req, "overdue"), req_query(req, "executor")->str,
			    req_query(req, "document_id")->str, req_query(req, "municipality_id")->str,
			    req_query(req, "status")->str, req_query(req, "limit")->str,
			    req_query(req, "offset")->str };
	return api_json_call(req, resp, 200,
			     "SELECT app.assignments_list($1::boolean, $2::boolean, $3, $4::bigint, $5::bigint, $6, "
			     "$7::int, $8::int)",
			     8, p);
}

/* Counts by document or by executor (?by=document|executor, required), optionally of one municipality. */
int h_assignments_summary(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "by")->str, req_query(req, "municipality_id")->str };
	return api_json_call(req, resp, 200, "SELECT app.execution_summary($1, $2::bigint)", 2, p);
}

/* One record; 404 when not visible. */
int h_assignments_get(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.assignment_get($1::bigint)", 1, p);
}

/*
 * The executor reports {status, text, links}: 200 with the record. SQL: 403
 * on a visible record that is not the caller's own, 409 once accepted or
 * with a stale If-Match version.
 */
int h_assignments_report(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->has_version ? req->version_text : NULL, api_body_text(req) };
	return api_json_call(req, resp, 200, "SELECT app.assignment_report($1::bigint, $2::int, $3::jsonb)", 3, p);
}

/* The issuing committee accepts a done report: 200 with the record; 409 unless done. */
int h_assignments_accept(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->has_version ? req->version_text : NULL };
	return api_json_call(req, resp, 200, "SELECT app.assignment_accept($1::bigint, $2::int)", 2, p);
}

/* The issuing committee returns a done report with a comment (required): 200 with the record. */
int h_assignments_return(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->has_version ? req->version_text : NULL,
			    json_string_value(json_object_get(req->json, "comment")) };
	return api_json_call(req, resp, 200, "SELECT app.assignment_return($1::bigint, $2::int, $3)", 3, p);
}
