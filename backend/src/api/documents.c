/* documents.c — /api/v1/documents: orders, decisions, plan-graphs, letters and municipal road maps with their numbered items. */
#include "api.h"
#include "../router.h"

#include <stdlib.h>

/* Lists the visible documents, newest first; ?kind=&project_id=. */
int h_documents_list(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "kind")->str, req_query(req, "project_id")->str,
			    req_query(req, "limit")->str, req_query(req, "offset")->str };
	return api_json_call(req, resp, 200, "SELECT app.documents_list($1, $2::bigint, $3::int, $4::int)", 4, p);
}

/* One document with its item tree and the execution records the caller sees; 404 when not visible. */
int h_documents_get(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.document_get($1::bigint)", 1, p);
}

/* Registers a document: 201. A municipality may register only its own road map (SQL: kind not_allowed). */
int h_documents_create(struct req *req, struct resp *resp)
{
	const char *p[] = { api_body_text(req) };
	return api_json_call(req, resp, 201, "SELECT app.document_create($1::jsonb)", 1, p);
}

/* Changes a document its caller issued (403 otherwise); If-Match → p_version. */
int h_documents_update(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->has_version ? req->version_text : NULL, api_body_text(req) };
	return api_json_call(req, resp, 200, "SELECT app.document_update($1::bigint, $2::int, $3::jsonb)", 3, p);
}

/*
 * Adds items and creates their execution records: one item → 201 with the
 * item; {items: [...]} (pasted in bulk, all or nothing) → 201 with the
 * document and its tree. The body spec allows exactly one of the two forms.
 */
int h_documents_items_create(struct req *req, struct resp *resp)
{
	json_t *items = json_object_get(req->json, "items");
	if (items != NULL) {
		char *text = json_dumps(items, JSON_COMPACT);
		const char *p[] = { req->id_text[0], text ? pool_strdup(&req->pool, text) : "[]" };
		free(text);
		return api_json_call(req, resp, 201, "SELECT app.document_items_create($1::bigint, $2::jsonb)", 2,
				     p);
	}
	const char *p[] = { req->id_text[0], api_body_text(req) };
	return api_json_call(req, resp, 201, "SELECT app.document_item_create($1::bigint, $2::jsonb)", 2, p);
}
