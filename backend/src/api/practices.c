/* practices.c — /api/v1/practices: ЛОИРО's library of recommendations by indicator; /api/v1/indicators/{id}/mentors: schools with full points to learn from. */
#include "api.h"
#include "../router.h"

/*
 * Lists the region's practices, newest first; ?indicator_id= matches by
 * indicator code within the same instrument code (variants and versions
 * share recommendations), ?q= a substring of title or text.
 */
int h_practices_list(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "indicator_id")->str, req_query(req, "q")->str,
			    req_query(req, "limit")->str, req_query(req, "offset")->str };
	return api_json_call(req, resp, 200, "SELECT app.practices_list($1::bigint, $2, $3::int, $4::int)", 4, p);
}

/* ЛОИРО adds a practice {title, body, links?, indicator_ids}: 201. */
int h_practices_create(struct req *req, struct resp *resp)
{
	const char *p[] = { api_body_text(req) };
	return api_json_call(req, resp, 201, "SELECT app.practice_create($1::jsonb)", 1, p);
}

/* One practice with its text, links and indicators; 404 when not visible. */
int h_practices_get(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.practice_get($1::bigint)", 1, p);
}

/* ЛОИРО changes the fields present; If-Match → p_version (409 when stale). */
int h_practices_update(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->has_version ? req->version_text : NULL, api_body_text(req) };
	return api_json_call(req, resp, 200, "SELECT app.practice_update($1::bigint, $2::int, $3::jsonb)", 3, p);
}

/*
 * Schools of the region whose accepted submission gives this indicator (by
 * instrument and indicator code) full points, the caller's municipality
 * first; ?campaign_id= (default: the newest such campaign). 404 when the
 * indicator is not visible.
 */
int h_indicator_mentors(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req_query(req, "campaign_id")->str, req_query(req, "limit")->str,
			    req_query(req, "offset")->str };
	return api_json_call(req, resp, 200,
			     "SELECT app.indicator_mentors($1::bigint, $2::bigint, $3::int, $4::int)", 4, p);
}
