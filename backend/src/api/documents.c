/* documents.c — POST /api/v1/documents/{id}/items: one item or a pasted list, each with its execution records. */
#include "api.h"
#include "../router.h"

#include <stdlib.h>

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
