/* health.c — GET /api/v1/health: is the API up, and can it reach PostgreSQL right now. */
#include "api.h"
#include "../db.h"
#include "../db_error.h"

#include <string.h>

/*
 * 200 {"status":"ok","database":"ok"}, or 503 problem+json service.unavailable
 * with the extension member "database":"unavailable" (and Retry-After: 1).
 */
int h_health(struct req *req, struct resp *resp)
{
	static const char ok[] = "{\"status\":\"ok\",\"database\":\"ok\"}";

	if (req->db != NULL && db_ping(req->db) == 0) {
		resp_json(resp, 200, ok, strlen(ok));
	} else {
		json_t *members = json_pack("{s:s}", "database", "unavailable");
		resp_header(resp, "Retry-After", "1");
		resp_error_members(resp, 503, "service.unavailable",
				   "База данных недоступна, повторите попытку позже", members);
		json_decref(members);
	}
	return resp->status;
}
