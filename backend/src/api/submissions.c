/* submissions.c — a school's self-diagnostic: open, read, answer, submit; the municipality accepts or returns; the committee reopens. */
#include "api.h"
#include "../router.h"

/*
 * The school opens its questionnaire of a campaign: 201 with a new draft,
 * 200 with the one that already exists (SQL says which; the submission is
 * passed through as PostgreSQL built it).
 */
int h_submissions_open(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call_created(req, resp,
				     "SELECT (r ->> 'created')::boolean, r -> 'submission' "
				     "FROM app.submission_open($1::bigint) AS r",
				     1, p);
}

/* Lists the submissions in the caller's scope, by campaign, status and municipality. */
int h_submissions_list(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "campaign_id")->str, req_query(req, "status")->str,
			    req_query(req, "municipality_id")->str, req_query(req, "limit")->str,
			    req_query(req, "offset")->str };
	return api_json_call(req, resp, 200,
			     "SELECT app.submissions_list($1::bigint, $2, $3::bigint, $4::int, $5::int)", 5, p);
}

/* One submission with its answers, result and history; 404 outside the caller's scope. */
int h_submissions_get(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.submission_get($1::bigint)", 1, p);
}

/*
 * Saves one answer {value, comment?} (an absent, null or blank comment
 * clears it); If-Match → p_version. SQL answers 422 field value for an
 * option the indicator does not offer, 422 field indicator_id (not_found)
 * for an indicator outside the submission's instrument, 409 after submit,
 * outside the campaign's dates or for a stale version.
 */
int h_submissions_answer(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->id_text[1],
			    json_string_value(json_object_get(req->json, "value")),
			    json_string_value(json_object_get(req->json, "comment")),
			    req->has_version ? req->version_text : NULL };
	return api_json_call(req, resp, 200,
			     "SELECT app.submission_answer($1::bigint, $2::bigint, $3, $4, $5::int)", 5, p);
}

/* Submits (school): 200 with the result; 422 submission.incomplete lists answers.<indicator_id>. */
int h_submissions_submit(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->has_version ? req->version_text : NULL };
	return api_json_call(req, resp, 200, "SELECT app.submission_submit($1::bigint, $2::int)", 2, p);
}

/* Accepts a submitted one (its own municipality): the deficits become official, the submission frozen. */
int h_submissions_accept(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->has_version ? req->version_text : NULL };
	return api_json_call(req, resp, 200, "SELECT app.submission_accept($1::bigint, $2::int)", 2, p);
}

/* Returns a submitted one to the school with a comment (required, checked before). */
int h_submissions_return(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->has_version ? req->version_text : NULL,
			    json_string_value(json_object_get(req->json, "comment")) };
	return api_json_call(req, resp, 200, "SELECT app.submission_return($1::bigint, $2::int, $3)", 3, p);
}

/* The committee reopens an accepted submission with a reason (it goes back to returned; audited). */
int h_submissions_reopen(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->has_version ? req->version_text : NULL,
			    json_string_value(json_object_get(req->json, "reason")) };
	return api_json_call(req, resp, 200, "SELECT app.submission_reopen($1::bigint, $2::int, $3)", 3, p);
}
