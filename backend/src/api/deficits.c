/* deficits.c — what submissions derive: a school's deficits and results across campaigns, the deficit summary by indicator, closing a deficit. */
#include "api.h"
#include "../router.h"

/* Deficits and growth areas of a school (?campaign_id=); 404 when the school is not visible. */
int h_school_deficits(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req_query(req, "campaign_id")->str };
	return api_json_call(req, resp, 200, "SELECT app.school_deficits($1::bigint, $2::bigint)", 2, p);
}

/* A school's results of every campaign it submitted to (levels per direction, to compare). */
int h_school_results(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.school_results($1::bigint)", 1, p);
}

/* Per indicator: how many schools in the caller's scope have it as a deficit. */
int h_deficits_summary(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "campaign_id")->str, req_query(req, "municipality_id")->str,
			    req_query(req, "limit")->str, req_query(req, "offset")->str };
	return api_json_call(req, resp, 200,
			     "SELECT app.deficits_summary($1::bigint, $2::bigint, $3::int, $4::int)", 4, p);
}

/*
 * The municipality closes its school's open or in-work deficit with a
 * reason: 200 with the deficit item; 409 once eliminated or closed.
 */
int h_deficits_close(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], json_string_value(json_object_get(req->json, "reason")) };
	return api_json_call(req, resp, 200, "SELECT app.deficit_close($1::bigint, $2)", 2, p);
}
