/* openapi.h — the OpenAPI 3.1 description of the API, generated from the route table. */
#ifndef ORIENTIR_OPENAPI_H
#define ORIENTIR_OPENAPI_H

#include "router.h"

#include <jansson.h>

/*
 * The description of routes[0..n): every path as the table spells it, each
 * method with its roles (x-roles and the bearer scheme), path, query and
 * If-Match parameters, the request body's JSON Schema from its body spec,
 * the success answer (its schema from openapi_schemas.json, embedded at build
 * time) and the problem+json errors. A new reference; NULL when out of
 * memory or when openapi_schemas.json does not parse or has an entry that
 * fits no route of the table (logged).
 */
json_t *openapi_document(const struct route *routes, size_t n);

/* The document for the API's own table, serialised once: a static string, never freed; NULL as above. */
const char *openapi_text(size_t *len);

#endif
