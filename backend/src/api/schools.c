/* schools.c — /api/v1/schools: list with filters, one school, create and update (committee). */
#include "api.h"
#include "../router.h"

/* Lists the schools the caller may see, filtered by municipality and text. */
int h_schools_list(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "municipality_id")->str, req_query(req, "q")->str,
			    req_query(req, "limit")->str, req_query(req, "offset")->str };
	return api_json_call(req, resp, 200,
			     "SELECT app.schools_list($1::bigint, $2, $3::int, $4::int)", 4, p);
}

/* One school; 404 when it does not exist or is outside the caller's scope. */
int h_schools_get(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.school_get($1::bigint)", 1, p);
}

/* Creates a school: 201 with the new object. */
int h_schools_create(struct req *req, struct resp *resp)
{
	const char *p[] = { api_body_text(req) };
	return api_json_call(req, resp, 201, "SELECT app.school_create($1::jsonb)", 1, p);
}

/* Updates a school; If-Match → p_version (409 conflict.stale_version from SQL when stale). */
int h_schools_update(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->has_version ? req->version_text : NULL,
			    api_body_text(req) };
	return api_json_call(req, resp, 200, "SELECT app.school_update($1::bigint, $2::int, $3::jsonb)",
			     3, p);
}
