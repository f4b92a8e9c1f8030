/* municipalities.c — GET /api/v1/municipalities?region_id=. */
#include "api.h"
#include "../router.h"

/* Lists municipalities, optionally of one region, by name. */
int h_municipalities_list(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "region_id")->str, req_query(req, "limit")->str,
			    req_query(req, "offset")->str };
	return api_json_call(req, resp, 200,
			     "SELECT app.municipalities_list($1::bigint, $2::int, $3::int)", 3, p);
}
