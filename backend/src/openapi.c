/* openapi.c — the OpenAPI 3.1 document built from the route table, so the description cannot drift from the API. */
#include "openapi.h"
#include "log.h"
#include "role.h"
#include "routes.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *body_schema(const struct body_spec *spec);

/*
 * src/openapi_schemas.json, embedded at build time (the Makefile writes its
 * bytes as a C initialiser): the response schemas (components.schemas) and
 * which of them each route answers with ("responses").
 */
static const char schemas_json[] = {
#include "openapi_schemas.inc"
};

/* JSON Schema of one body member. */
static json_t *field_schema(const struct field_spec *f)
{
	json_t *s = json_object(), *item;

	switch (f->type) {
	case FT_STRING:
		json_object_set_new(s, "type", json_string("string"));
		if (f->min_len > 0)
			json_object_set_new(s, "minLength", json_integer(f->min_len));
		if (f->max_len > 0)
			json_object_set_new(s, "maxLength", json_integer(f->max_len));
		break;
	case FT_INT:
		json_object_set_new(s, "type", json_string("integer"));
		json_object_set_new(s, "minimum", json_integer(f->min));
		json_object_set_new(s, "maximum", json_integer(f->max));
		break;
	case FT_ID:
		json_object_set_new(s, "type", json_string("integer"));
		json_object_set_new(s, "minimum", json_integer(1));
		break;
	case FT_BOOL:
		json_object_set_new(s, "type", json_string("boolean"));
		if (f->flags & FF_TRUE_ONLY)
			json_object_set_new(s, "const", json_true());
		break;
	case FT_DATE:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "format", json_string("date"));
		break;
	case FT_STRING_ARRAY:
	case FT_ID_ARRAY:
	case FT_OBJECT_ARRAY:
		item = f->type == FT_OBJECT_ARRAY ? body_schema(f->object)
		       : f->type == FT_ID_ARRAY   ? json_pack("{s:s, s:i}", "type", "integer", "minimum", 1)
						  : json_pack("{s:s}", "type", "string");
		if (f->type == FT_STRING_ARRAY && f->max_len > 0)
			json_object_set_new(item, "maxLength", json_integer(f->max_len));
		if (f->type == FT_STRING_ARRAY && f->allowed) {
			json_t *e = json_array();
			for (const char *const *a = f->allowed; *a; a++)
				json_array_append_new(e, json_string(*a));
			json_object_set_new(item, "enum", e);
		}
		json_object_set_new(s, "type", json_string("array"));
		json_object_set_new(s, "items", item);
		if (f->max_items > 0)
			json_object_set_new(s, "maxItems", json_integer(f->max_items));
		if (f->flags & FF_NOT_EMPTY)
			json_object_set_new(s, "minItems", json_integer(1));
		if (f->flags & FF_UNIQUE)
			json_object_set_new(s, "uniqueItems", json_true());
		break;
	case FT_OBJECT:
		json_decref(s);
		s = body_schema(f->object);
		break;
	}
	if (f->type == FT_STRING && f->allowed) {
		json_t *e = json_array();
		for (const char *const *a = f->allowed; *a; a++)
			json_array_append_new(e, json_string(*a));
		json_object_set_new(s, "enum", e);
	}
	if (f->flags & FF_LOGIN)
		json_object_set_new(s, "pattern", json_string("^[A-Za-z0-9._-]+$"));
	if (f->flags & FF_NULLABLE) { /* 3.1: a type list instead of nullable */
		json_t *t = json_object_get(s, "type");
		if (json_is_string(t))
			json_object_set_new(s, "type", json_pack("[s, s]", json_string_value(t), "null"));
		if (json_object_get(s, "enum"))
			json_array_append_new(json_object_get(s, "enum"), json_null());
	}
	return s;
}

/* JSON Schema of a body: an object of exactly the spec's members. */
static json_t *body_schema(const struct body_spec *spec)
{
	json_t *s = json_pack("{s:s}", "type", "object"), *props = json_object(), *required = json_array();

	if (spec == NULL || (spec->flags & BS_DOCUMENT)) { /* checked in depth by SQL */
		json_decref(props);
		json_decref(required);
		return s;
	}
	for (size_t i = 0; i < spec->nfields; i++) {
		json_object_set_new(props, spec->fields[i].name, field_schema(&spec->fields[i]));
		if (spec->fields[i].flags & FF_REQUIRED)
			json_array_append_new(required, json_string(spec->fields[i].name));
	}
	json_object_set_new(s, "properties", props);
	json_object_set_new(s, "additionalProperties", json_false());
	if (json_array_size(required) > 0)
		json_object_set_new(s, "required", required);
	else
		json_decref(required);
	if (spec->min_fields > 0)
		json_object_set_new(s, "minProperties", json_integer(spec->min_fields));
	if (spec->flags & BS_EXACTLY_ONE) {
		json_t *one = json_array();
		for (size_t i = 0; i < spec->nfields; i++)
			json_array_append_new(one, json_pack("{s:[s]}", "required", spec->fields[i].name));
		json_object_set_new(s, "oneOf", one);
	}
	return s;
}

static json_t *query_param(const struct qparam_spec *p)
{
	json_t *schema = json_object();

	switch (p->type) {
	case QP_ID:
		json_object_set_new(schema, "type", json_string("integer"));
		json_object_set_new(schema, "minimum", json_integer(1));
		break;
	case QP_INT:
		json_object_set_new(schema, "type", json_string("integer"));
		json_object_set_new(schema, "minimum", json_integer(p->min));
		json_object_set_new(schema, "maximum", json_integer(p->max));
		if (p->has_default)
			json_object_set_new(schema, "default", json_integer(p->dflt));
		break;
	case QP_STRING:
		json_object_set_new(schema, "type", json_string("string"));
		json_object_set_new(schema, "maxLength", json_integer(p->max_len));
		break;
	case QP_ENUM: {
		json_t *e = json_array();
		for (const char *const *a = p->allowed; a && *a; a++)
			json_array_append_new(e, json_string(*a));
		json_object_set_new(schema, "type", json_string("string"));
		json_object_set_new(schema, "enum", e);
		break;
	}
	}
	json_t *param = json_pack("{s:s, s:s, s:b, s:o}", "name", p->name, "in", "query", "required",
				  p->required != NULL, "schema", schema);
	if (p->description)
		json_object_set_new(param, "description", json_string(p->description));
	return param;
}

/* Path parameters in order: every {name} is a positive 64-bit id. */
static void path_params(const char *pattern, json_t *params)
{
	for (const char *p = pattern; (p = strchr(p, '{')) != NULL; p++) {
		const char *end = strchr(p, '}');
		if (end == NULL)
			return;
		json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s, s:i, s:s}}", "name", p + 1,
							(size_t)(end - p - 1), "in", "path", "required", 1, "schema",
							"type", "integer", "minimum", 1, "format", "int64"));
	}
}

/* "GET /api/v1/schools/{id}" → "get_schools_id" */
static json_t *operation_id(const struct route *r)
{
	char id[256];
	size_t n = 0;
	for (const char *m = r->method; *m && n < sizeof id - 1; m++)
		id[n++] = (char)(*m | 0x20);
	for (const char *p = r->pattern + strlen("/api/v1"); *p && n < sizeof id - 1; p++) {
		char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			id[n++] = c;
		else if (c == '/' || c == '.' || c == '_')
			id[n++] = '_';
	}
	id[n] = '\0';
	return json_string(id);
}

static json_t *problem_ref(const char *description)
{
	return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", description, "content", "application/problem+json",
			 "schema", "$ref", "#/components/schemas/Problem");
}

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/*
 * A success schema from an entry of the "responses" map of
 * openapi_schemas.json: "Name" refers to components.schemas.Name, {"page":
 * "Name"} is a Page whose items are Name, {"created": "Name"} is Name answered
 * with 201 by a handler (*created set; a route row's call says so itself).
 * A new reference; NULL for any other entry (none, 204, a misspelt form).
 */
static json_t *success_schema(const json_t *entry, int *created)
{
	const json_t *page = json_object_get(entry, "page"), *made = json_object_get(entry, "created");

	if (json_is_string(entry))
		return json_pack("{s:s+}", "$ref", "#/components/schemas/", json_string_value(entry));
	if (!json_is_object(entry) || json_object_size(entry) != 1)
		return NULL;
	if (json_is_string(made)) {
		*created = 1;
		return json_pack("{s:s+}", "$ref", "#/components/schemas/", json_string_value(made));
	}
	if (!json_is_string(page))
		return NULL;
	/* unevaluatedProperties sees through allOf, so a member outside Page is still refused */
	return json_pack("{s:[{s:s}], s:{s:{s:{s:s+}}}, s:b}", "allOf", "$ref", "#/components/schemas/Page",
			 "properties", "items", "items", "$ref", "#/components/schemas/", json_string_value(page),
			 "unevaluatedProperties", 0);
}

/*
 * Success and error answers of one route. The success answer comes from the
 * route's entry in map ("METHOD /pattern"): 204 for an answer without a body,
 * else a schema (success_schema()); a JSON answer with no entry is a bare
 * object. *used counts the entries taken, so that the caller can tell an
 * entry that fits no route.
 */
static json_t *responses(const struct route *r, json_t *map, size_t *used)
{
	char key[256];
	json_t *out = json_object(), *entry;
	const char *file = strstr(r->pattern, ".xlsx") ? XLSX_TYPE : strstr(r->pattern, ".csv") ? "text/csv" : NULL;
	int no_content_entry;

	snprintf(key, sizeof key, "%s %s", r->method, r->pattern);
	entry = json_object_get(map, key);
	if (json_is_string(entry) && strcmp(json_string_value(entry), "file") == 0) {
		file = "*/*"; /* a stored file, of the type it was stored with */
		(*used)++;
	}
	no_content_entry = json_is_integer(entry) && json_integer_value(entry) == 204;
	if (no_content_entry || (r->call && r->call->answer == ANSWER_NO_CONTENT)) {
		json_object_set_new(out, "204", json_pack("{s:s}", "description", "Выполнено"));
		*used += (size_t)no_content_entry;
	} else if (file) {
		json_object_set_new(out, "200", json_pack("{s:s, s:{s:{s:{s:s, s:s}}}}", "description", "Файл",
							  "content", file, "schema", "type", "string",
							  "contentMediaType", file));
	} else {
		int created = r->call && r->call->answer == ANSWER_JSON && r->call->status == 201;
		json_t *schema = success_schema(entry, &created);
		if (schema != NULL)
			(*used)++;
		else /* a handler's own answer, not (yet) in the map */
			schema = json_pack("{s:s}", "type", "object");
		if (r->call && r->call->answer == ANSWER_CREATED_OR_OK) /* the same object, found or created */
			json_object_set_new(out, "201", json_pack("{s:s, s:{s:{s:O}}}", "description", "Создано",
								  "content", "application/json", "schema",
								  schema));
		json_object_set_new(out, created ? "201" : "200",
				    json_pack("{s:s, s:{s:{s:o}}}", "description", "Успешно", "content",
					      "application/json", "schema", schema));
	}
	json_object_set_new(out, "400", problem_ref("Некорректный запрос"));
	if (!(r->flags & RF_PUBLIC)) {
		json_object_set_new(out, "401", problem_ref("Требуется вход в систему"));
		json_object_set_new(out, "403", problem_ref("Недостаточно прав"));
	}
	json_object_set_new(out, "404", problem_ref("Объект не найден"));
	if (strcmp(r->method, "GET") != 0)
		json_object_set_new(out, "409", problem_ref("Конфликт состояния или версии"));
	if (r->flags & (RF_UPLOAD | RF_CSV_BODY))
		json_object_set_new(out, "413", problem_ref("Тело запроса больше допустимого (request.too_large)"));
	if (r->flags & RF_UPLOAD)
		json_object_set_new(out, "415", problem_ref("Тип файла не допускается (file.type_not_allowed)"));
	json_object_set_new(out, "422", problem_ref("Проверьте введённые данные"));
	if (r->flags & RF_THROTTLED)
		json_object_set_new(out, "429", problem_ref("Слишком много неудачных попыток (auth.throttled, "
							    "заголовок Retry-After — сколько секунд ждать)"));
	json_object_set_new(out, "503", problem_ref("Сервис временно недоступен"));
	return out;
}

static json_t *operation(const struct route *r, json_t *map, size_t *used)
{
	static const enum role order[] = { ROLE_COMMITTEE, ROLE_LOIRO, ROLE_MUNICIPALITY, ROLE_SCHOOL };
	json_t *op = json_object(), *params = json_array(), *roles = json_array();
	int pub = (r->flags & RF_PUBLIC) != 0;

	json_object_set_new(op, "operationId", operation_id(r));
	for (size_t k = 0; !pub && k < sizeof order / sizeof order[0]; k++)
		if (r->roles & order[k])
			json_array_append_new(roles, json_string(role_name(order[k])));
	json_object_set_new(op, "x-roles", roles);
	json_object_set_new(op, "security", pub ? json_array() : json_pack("[{s:[]}]", "bearer"));
	path_params(r->pattern, params);
	for (size_t k = 0; r->query && k < r->query->n; k++)
		json_array_append_new(params, query_param(&r->query->params[k]));
	if (r->flags & RF_IF_MATCH)
		json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:s, s:{s:s}}", "name", "If-Match", "in",
							"header", "required", 0, "description",
							"Версия объекта; устаревшая — 409 conflict.stale_version",
							"schema", "type", "string"));
	if (json_array_size(params) > 0)
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	if (r->flags & RF_UPLOAD)
		json_object_set_new(op, "requestBody",
				    json_pack("{s:b, s:s, s:{s:{s:{s:s, s:s}}}}", "required", 1, "description",
					      "Байты файла (PDF, DOCX, XLSX, ODT, ODS, JPEG, PNG); тип определяется по содержимому",
					      "content", "application/octet-stream", "schema", "type", "string",
					      "contentMediaType", "application/octet-stream"));
	else if (r->flags & RF_CSV_BODY)
		json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
								 "text/csv", "schema", "type", "string"));
	else if (r->body)
		json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content",
								 "application/json", "schema",
								 body_schema(r->body)));
	json_object_set_new(op, "responses", responses(r, map, used));
	return op;
}

json_t *openapi_document(const struct route *routes, size_t n)
{
	json_error_t error;
	json_t *paths = json_object(), *shapes, *map, *schemas;
	size_t used = 0;

	shapes = json_loadb(schemas_json, sizeof schemas_json, 0, &error);
	map = json_object_get(shapes, "responses");
	schemas = json_object_get(shapes, "schemas");
	if (!json_is_object(map) || !json_is_object(schemas)) {
		log_msg(LL_ERROR, NULL, "openapi_schemas.json: line %d: %s", error.line,
			shapes ? "no responses or schemas object" : error.text);
		json_decref(shapes);
		json_decref(paths);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		char method[16];
		size_t k = 0;
		json_t *item = json_object_get(paths, routes[i].pattern);
		if (item == NULL) {
			item = json_object();
			json_object_set_new(paths, routes[i].pattern, item);
		}
		for (; routes[i].method[k] && k < sizeof method - 1; k++)
			method[k] = (char)(routes[i].method[k] | 0x20);
		method[k] = '\0';
		json_object_set_new(item, method, operation(&routes[i], map, &used));
	}
	if (used != json_object_size(map)) { /* a misspelt route or form: say so rather than describe less */
		log_msg(LL_ERROR, NULL, "openapi_schemas.json: %zu of the %zu responses fit no route of the table",
			json_object_size(map) - used, json_object_size(map));
		json_decref(shapes);
		json_decref(paths);
		return NULL;
	}
	json_t *doc = json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:{s:{s:s, s:s, s:s}}, s:O}}",
				"openapi", "3.1.0", "info", "title", "Ориентир API", "version", "1", "description",
				"Сгенерировано из таблицы маршрутов (backend/src/routes.c); схемы ответов — "
				"backend/src/openapi_schemas.json. x-roles — роли, которым маршрут доступен; "
				"ошибки — application/problem+json.",
				"servers", "url", "/", "paths", paths, "components", "securitySchemes", "bearer", "type",
				"http", "scheme", "bearer", "bearerFormat", "JWT", "schemas", schemas);
	json_decref(shapes);
	return doc;
}

static char *text;
static size_t text_len;
static pthread_once_t text_once = PTHREAD_ONCE_INIT;

static void build_text(void)
{
	json_t *doc = openapi_document(api_routes, api_routes_count);
	text = json_dumps(doc, JSON_COMPACT);
	text_len = text ? strlen(text) : 0;
	json_decref(doc);
}

const char *openapi_text(size_t *len)
{
	pthread_once(&text_once, build_text);
	*len = text_len;
	return text;
}
