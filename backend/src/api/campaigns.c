/* campaigns.c — /api/v1/campaigns: list by computed status, one campaign, create, extend, progress by municipality. */
#include "api.h"
#include "../router.h"

/* Lists visible campaigns, newest first; ?status=planned|open|closed (computed in Europe/Moscow). */
int h_campaigns_list(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "status")->str, req_query(req, "limit")->str,
			    req_query(req, "offset")->str };
	return api_json_call(req, resp, 200, "SELECT app.campaigns_list($1, $2::int, $3::int)", 3, p);
}

/* One campaign; 404 when not visible (a school sees only campaigns that target it). */
int h_campaigns_get(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.campaign_get($1::bigint)", 1, p);
}

/*
 * Creates a campaign: 201. The shape (target: exactly one way of choosing
 * schools, dates in order) is checked before; SQL checks the instruments are
 * published and that every targeted school gets a fitting variant (422
 * field target otherwise).
 */
int h_campaigns_create(struct req *req, struct resp *resp)
{
	const char *p[] = { api_body_text(req) };
	return api_json_call(req, resp, 201, "SELECT app.campaign_create($1::jsonb)", 1, p);
}

/* Moves the closing date ({closes_on}); If-Match → p_version (409 conflict.stale_version when stale). */
int h_campaigns_update(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->has_version ? req->version_text : NULL,
			    api_body_text(req) };
	return api_json_call(req, resp, 200, "SELECT app.campaign_update($1::bigint, $2::int, $3::jsonb)", 3,
			     p);
}

/* Counts by status per municipality (a municipality: its own schools only). */
int h_campaigns_progress(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.campaign_progress($1::bigint)", 1, p);
}
