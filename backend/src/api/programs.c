/* programs.c — /api/v1/programs: a school's development program on its deficits, its measures, the municipality's review, progress and revisions. */
#include "api.h"
#include "../router.h"

/* If-Match as SQL text, NULL when absent (p_version NULL = not checked). */
static const char *version_of(const struct req *req)
{
	return req->has_version ? req->version_text : NULL;
}

/* The string member name of the validated body, NULL when absent or null. */
static const char *body_string(const struct req *req, const char *name)
{
	return json_string_value(json_object_get(req->json, name));
}

/*
 * Lists the programs in the caller's scope (every revision);
 * ?status=not_started lists the schools with deficits but no program.
 */
int h_programs_list(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "status")->str, req_query(req, "municipality_id")->str,
			    req_query(req, "school_id")->str, req_query(req, "campaign_id")->str,
			    req_query(req, "limit")->str, req_query(req, "offset")->str };
	return api_json_call(req, resp, 200,
			     "SELECT app.programs_list($1, $2::bigint, $3::bigint, $4::bigint, $5::int, $6::int)", 6, p);
}

/*
 * The school starts its program for a campaign: 201. SQL: 422 campaign_id
 * not_found / not_accepted, period_end invalid; 409 conflict.duplicate when
 * the school already has one for that campaign.
 */
int h_programs_create(struct req *req, struct resp *resp)
{
	const char *p[] = { api_body_text(req) };
	return api_json_call(req, resp, 201, "SELECT app.program_create($1::jsonb)", 1, p);
}

/* One program with its measures, deficits, uncovered deficits, comments, history and revisions; 404 when not visible. */
int h_programs_get(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.program_get($1::bigint)", 1, p);
}

/* Changes title or period of a draft/returned program (school); If-Match → p_version. */
int h_programs_update(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], version_of(req), api_body_text(req) };
	return api_json_call(req, resp, 200, "SELECT app.program_update($1::bigint, $2::int, $3::jsonb)", 3, p);
}

/* Sets the problem analysis of one direction ({text}; null or blank removes it): 200 with the program. */
int h_programs_analysis_set(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->id_text[1], body_string(req, "text") };
	return api_json_call(req, resp, 200, "SELECT app.program_analysis_set($1::bigint, $2::bigint, $3)", 3, p);
}

/* Adds a measure addressing deficits of the program's school and campaign: 201 with the measure. */
int h_program_measures_create(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], api_body_text(req) };
	return api_json_call(req, resp, 201, "SELECT app.program_measure_create($1::bigint, $2::jsonb)", 2, p);
}

/* Changes a measure of a draft/returned program; If-Match is the measure's version. */
int h_program_measures_update(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->id_text[1], version_of(req), api_body_text(req) };
	return api_json_call(req, resp, 200,
			     "SELECT app.program_measure_update($1::bigint, $2::bigint, $3::int, $4::jsonb)", 4, p);
}

/* Deletes a measure of a draft/returned program: 204. */
int h_program_measures_delete(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->id_text[1] };
	return api_void_call(req, resp, "SELECT app.program_measure_delete($1::bigint, $2::bigint)", 2, p);
}

/*
 * Submits to the municipality: 200 with the program. 422
 * program.deficits_uncovered lists deficits.<id> (db_error passes the HINT
 * on), 422 measures required without any measure.
 */
int h_programs_submit(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], version_of(req) };
	return api_json_call(req, resp, 200, "SELECT app.program_submit($1::bigint, $2::int)", 2, p);
}

/* The school's municipality approves a submitted program: the previous approved revision is superseded. */
int h_programs_approve(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], version_of(req) };
	return api_json_call(req, resp, 200, "SELECT app.program_approve($1::bigint, $2::int)", 2, p);
}

/* The municipality returns a submitted program with a comment (required, checked before). */
int h_programs_return(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], version_of(req), body_string(req, "comment") };
	return api_json_call(req, resp, 200, "SELECT app.program_return($1::bigint, $2::int, $3)", 3, p);
}

/* Comments on a program (committee, ЛОИРО, municipality): 201; status and version stay. */
int h_programs_comment(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], body_string(req, "text") };
	return api_json_call(req, resp, 201, "SELECT app.program_comment_add($1::bigint, $2)", 2, p);
}

/* Starts a new revision of an approved program: 201 with the new draft (the approved one stays in force). */
int h_programs_revise(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], version_of(req) };
	return api_json_call(req, resp, 201, "SELECT app.program_revise($1::bigint, $2::int)", 2, p);
}

/* Reports a measure's progress {status, note} while the program is approved; If-Match = the measure's version. */
int h_program_measures_progress(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->id_text[1], version_of(req), api_body_text(req) };
	return api_json_call(req, resp, 200,
			     "SELECT app.program_measure_progress($1::bigint, $2::bigint, $3::int, $4::jsonb)", 4, p);
}
