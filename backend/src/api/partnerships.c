/* partnerships.c — /api/v1/partnerships: mentor schools paired with a school by its municipality («сетевое наставничество»). */
#include "api.h"
#include "../router.h"

/* The partnerships the caller sees, newest first; ?school_id= those where it is the school or the mentor. */
int h_partnerships_list(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "school_id")->str, req_query(req, "limit")->str,
			    req_query(req, "offset")->str };
	return api_json_call(req, resp, 200, "SELECT app.partnerships_list($1::bigint, $2::int, $3::int)", 3, p);
}

/*
 * The municipality of school_id pairs it with a mentor school
 * {school_id, mentor_school_id, indicator_ids}: 201; 409 when the pair exists.
 */
int h_partnerships_create(struct req *req, struct resp *resp)
{
	const char *p[] = { api_body_text(req) };
	return api_json_call(req, resp, 201, "SELECT app.partnership_create($1::jsonb)", 1, p);
}

/* Ends a partnership: 204; only the municipality of the mentee school (others 404). */
int h_partnerships_delete(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_void_call(req, resp, "SELECT app.partnership_delete($1::bigint)", 1, p);
}
