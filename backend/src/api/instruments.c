/* instruments.c — /api/v1/instruments: list, the full tree, the document as loaded (export), load a draft, publish. */
#include "api.h"
#include "../router.h"

/* Lists visible instruments (municipalities and schools: published ones only, by RLS). */
int h_instruments_list(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "status")->str, req_query(req, "limit")->str,
			    req_query(req, "offset")->str };
	return api_json_call(req, resp, 200, "SELECT app.instruments_list($1, $2::int, $3::int)", 3, p);
}

/* The full tree (directions → indicators → options with points); 404 when not visible. */
int h_instruments_get(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.instrument_get($1::bigint)", 1, p);
}

/* The JSON document exactly as it was loaded (export; committee, ЛОИРО). */
int h_instruments_document(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.instrument_document($1::bigint)", 1, p);
}

/*
 * Loads an instrument document as a draft: 201 with the tree. The body is
 * passed on as the client wrote it (a json parameter keeps its layout for
 * the export); SQL validates it in depth and answers 422 with field paths
 * such as directions[0].indicators[2].code, storing nothing.
 */
int h_instruments_create(struct req *req, struct resp *resp)
{
	const char *doc = api_raw_body(req);
	if (doc == NULL) {
		resp_error(resp, 400, "request.malformed", "Ожидается тело запроса в формате JSON");
		return resp->status;
	}
	const char *p[] = { doc };
	return api_json_call(req, resp, 201, "SELECT app.instrument_create($1::json)", 1, p);
}

/* Publishes a draft (then immutable): 200 with the tree; 409 conflict.state when already published. */
int h_instruments_publish(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.instrument_publish($1::bigint)", 1, p);
}
