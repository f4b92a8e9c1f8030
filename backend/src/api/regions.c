/* regions.c — GET /api/v1/regions. */
#include "api.h"
#include "../router.h"

/* Lists regions ({items,total,limit,offset}), by name. */
int h_regions_list(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "limit")->str, req_query(req, "offset")->str };
	return api_json_call(req, resp, 200, "SELECT app.regions_list($1::int, $2::int)", 2, p);
}
