/* health.c — the public descriptions of the running API: GET /api/v1/health and GET /api/v1/openapi.json. */
#include "api.h"
#include "../db.h"
#include "../db_error.h"
#include "../openapi.h"

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

/* The OpenAPI 3.1 description generated from the route table (built once, then served as it is). */
int h_openapi(struct req *req, struct resp *resp)
{
	size_t len = 0;
	const char *text = openapi_text(&len);

	(void)req;
	if (text == NULL)
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
	else
		resp_json(resp, 200, text, len);
	return resp->status;
}
