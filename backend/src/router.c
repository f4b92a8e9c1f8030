/* router.c — path matching and the checks every request passes before its handler runs. */
#include "router.h"
#include "api/api.h"
#include "auth_jwt.h"
#include "config.h"
#include "log.h"
#include "strutil.h"
#include "token_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 1 when the pattern segment p[0..n) is a placeholder: "{id}", "{indicator_id}", … */
static int is_placeholder(const char *p, size_t n)
{
	return n >= 3 && p[0] == '{' && p[n - 1] == '}';
}

/*
 * Matches one pattern; fills ids with the placeholder segments in order
 * (every placeholder is a positive int64, whatever its name). Returns 1 on a match.
 */
static int match_pattern(const char *pattern, const char *path, int64_t *ids, size_t *nids)
{
	const char *p = pattern, *s = path;
	size_t k = 0;

	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return 0;
		p++;
		s++;
		const char *pe = strchr(p, '/'), *se = strchr(s, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p);
		size_t sl = se ? (size_t)(se - s) : strlen(s);
		if (is_placeholder(p, pl)) {
			int64_t id;
			if (k == HTTP_MAX_IDS || parse_id(s, sl, &id) != 0)
				return 0;
			ids[k++] = id;
		} else if (pl != sl || memcmp(p, s, pl) != 0) {
			return 0;
		}
		p += pl;
		s += sl;
	}
	if (*p || *s)
		return 0;
	*nids = k;
	return 1;
}

enum match_result router_match(const struct route *table, size_t n, const char *method,
			       const char *path, const struct route **found, int64_t *ids,
			       size_t *nids, char *allow, size_t allowsz)
{
	int path_seen = 0;
	size_t off = 0;
	int64_t tmp[HTTP_MAX_IDS];
	size_t ntmp;

	*found = NULL;
	*nids = 0;
	if (allowsz)
		allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!match_pattern(table[i].pattern, path, tmp, &ntmp))
			continue;
		if (strcmp(table[i].method, method) == 0) {
			*found = &table[i];
			memcpy(ids, tmp, sizeof tmp[0] * ntmp);
			*nids = ntmp;
			return MATCH_OK;
		}
		path_seen = 1;
		if (off < allowsz && !strstr(allow, table[i].method))
			off += (size_t)snprintf(allow + off, allowsz - off, "%s%s", off ? ", " : "",
						table[i].method);
	}
	return path_seen ? MATCH_NO_METHOD : MATCH_NO_PATH;
}

const struct qval *req_query(const struct req *req, const char *name)
{
	static const struct qval absent = { 0 };
	const struct query_spec *q = req->route ? req->route->query : NULL;
	for (size_t i = 0; q && i < q->n; i++)
		if (strcmp(q->params[i].name, name) == 0)
			return &req->qv[i];
	return &absent;
}

/* 1 when ct names the media type mime (any case), with at most a UTF-8 charset parameter. */
static int content_type_is(const char *ct, const char *mime)
{
	if (ct == NULL)
		return 0;
	const char *semi = strchr(ct, ';');
	const char *end = semi ? semi : ct + strlen(ct);
	while (*ct == ' ' || *ct == '\t')
		ct++;
	while (end > ct && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (!ascii_ieq(ct, (size_t)(end - ct), mime))
		return 0;
	/* Parameters: only a UTF-8 charset may be declared. */
	while (semi) {
		const char *p = semi + 1;
		semi = strchr(p, ';');
		const char *pe = semi ? semi : p + strlen(p);
		while (p < pe && (*p == ' ' || *p == '\t'))
			p++;
		while (pe > p && (pe[-1] == ' ' || pe[-1] == '\t'))
			pe--;
		if (pe - p >= 8 && ascii_ieq(p, 8, "charset=")) {
			const char *v = p + 8;
			size_t vl = (size_t)(pe - v);
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v++;
				vl -= 2;
			}
			if (!ascii_ieq(v, vl, "utf-8") && !ascii_ieq(v, vl, "utf8"))
				return 0;
		}
	}
	return 1;
}

int content_type_is_json(const char *ct)
{
	return content_type_is(ct, "application/json");
}

int content_type_is_csv(const char *ct)
{
	return content_type_is(ct, "text/csv");
}

static void unauthorized(struct resp *resp, const char *code, const char *title)
{
	resp_header(resp, "WWW-Authenticate",
		    strcmp(code, "auth.invalid_token") == 0
			    ? "Bearer realm=\"orientir\", error=\"invalid_token\""
			    : "Bearer realm=\"orientir\"");
	resp_error(resp, 401, code, title);
}

/* Verifies the bearer token; on success fills req->claims. Returns 0, or -1 after answering 401. */
static int authenticate(struct req *req, struct resp *resp)
{
	const char *h = req->authorization;
	enum token_result r;
	time_t now;

	if (h == NULL || *h == '\0') {
		unauthorized(resp, "auth.unauthorized", "Требуется вход в систему");
		return -1;
	}
	if (strlen(h) < 7 || !ascii_ieq(h, 6, "bearer") || h[6] != ' ') {
		unauthorized(resp, "auth.unauthorized", "Требуется вход в систему");
		return -1;
	}
	h += 7;
	while (*h == ' ')
		h++;
	now = time(NULL);
	if (token_cache_get(req->cfg->jwt_key, req->cfg->jwt_key_len, h, now, &req->claims))
		goto valid;
	r = access_token_verify(req->cfg->jwt_key, req->cfg->jwt_key_len, h, now, &req->claims, NULL);
	if (r != TOKEN_VALID) {
		log_msg(LL_DEBUG, req->request_id, "access token refused: %s", token_result_str(r));
		memset(&req->claims, 0, sizeof req->claims);
		unauthorized(resp, "auth.invalid_token", "Сессия недействительна или истекла, войдите снова");
		return -1;
	}
	token_cache_put(req->cfg->jwt_key, req->cfg->jwt_key_len, h, &req->claims);
valid:
	req->authenticated = 1;
	req->log_user_id = req->claims.user_id;
	req->log_role = req->claims.role;
	return 0;
}

static int method_has_body(const char *m)
{
	return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0 ||
	       strcmp(m, "DELETE") == 0;
}

int64_t route_body_limit(const struct route *route, const struct config *cfg)
{
	if (route->flags & RF_UPLOAD)
		return cfg && cfg->max_upload > 0 ? cfg->max_upload : CONFIG_MAX_UPLOAD_DEFAULT;
	if (route->flags & RF_CSV_BODY)
		return cfg && cfg->max_import > 0 ? cfg->max_import : CONFIG_MAX_IMPORT_DEFAULT;
	return HTTP_MAX_BODY;
}

void router_dispatch(const struct route *table, size_t n, struct req *req, struct resp *resp)
{
	static const struct body_spec no_fields = { NULL, 0, 0, 0, NULL };
	json_t *errors = json_array();
	const struct route *route;
	const char *title = "Проверьте введённые данные";
	char allow[64];

	switch (router_match(table, n, req->method, req->path, &route, req->ids, &req->nids, allow,
			     sizeof allow)) {
	case MATCH_NO_PATH:
		resp_error(resp, 404, "not_found", "Ресурс не найден");
		goto out;
	case MATCH_NO_METHOD:
		resp_header(resp, "Allow", allow);
		resp_error(resp, 405, "method_not_allowed", "Метод не поддерживается для этого адреса");
		goto out;
	case MATCH_OK:
		break;
	}
	req->route = route;
	for (size_t i = 0; i < req->nids; i++)
		snprintf(req->id_text[i], sizeof req->id_text[i], "%lld", (long long)req->ids[i]);

	if (!(route->flags & RF_PUBLIC)) {
		if (authenticate(req, resp) != 0)
			goto out;
		if (!(route->roles & req->claims.role)) {
			resp_error(resp, 403, "auth.forbidden", "Недостаточно прав для этого действия");
			goto out;
		}
	}
	int64_t limit = route_body_limit(route, req->cfg);
	if (req->content_length > limit) {
		char too_large[96];
		snprintf(too_large, sizeof too_large, "Размер запроса больше допустимого (%lld МиБ)",
			 (long long)(limit >> 20));
		resp_error(resp, 413, "request.too_large", too_large);
		goto out;
	}
	if (req->content_length_bad || req->query_malformed) {
		resp_error(resp, 400, "request.malformed",
			   req->query_malformed ? "Некорректная строка запроса" : "Некорректная длина тела запроса");
		goto out;
	}
	if (route->flags & RF_UPLOAD) {
		/* A file's bytes: its type is what its content is, whatever the client calls it. */
	} else if (route->flags & RF_CSV_BODY) {
		/* The handler streams it to PostgreSQL's own CSV parser; only the type is ours to check. */
		if (req->content_length > 0 && !content_type_is_csv(req->content_type)) {
			resp_error(resp, 400, "request.malformed", "Ожидается Content-Type: text/csv");
			goto out;
		}
	} else if (req_read_body(req, limit) != 0) {
		resp_error(resp, 400, "request.malformed", "Тело запроса получено не полностью");
		goto out;
	} else if (method_has_body(req->method) && (route->body || req->body_len > 0)) {
		if (!content_type_is_json(req->content_type) && req->body_len > 0) {
			resp_error(resp, 400, "request.malformed", "Ожидается Content-Type: application/json");
			goto out;
		}
		const struct body_spec *spec = route->body ? route->body : &no_fields;
		switch (body_validate(spec, req->body, req->body_len, &req->json, errors, &title)) {
		case BODY_MALFORMED:
			resp_error(resp, 400, "request.malformed", title);
			goto out;
		case BODY_INVALID:
		case BODY_OK:
			break;
		}
	}
	if ((route->flags & RF_IF_MATCH) && req->if_match) {
		if (if_match_parse(req->if_match, &req->version) != 0)
			field_error_add(errors, "If-Match", "type", "Ожидается номер версии (целое число)");
		else {
			req->has_version = 1;
			snprintf(req->version_text, sizeof req->version_text, "%d", (int)req->version);
		}
	}
	query_validate(route->query, req->query, req->nquery, req->qv, errors);
	if (json_array_size(errors) > 0) {
		resp_error_fields(resp, 422, "validation.failed", title, errors);
		goto out;
	}
	/* A route without a handler only calls SQL: api_sql_call runs what its row declares. */
	(route->handler ? route->handler : api_sql_call)(req, resp);
	if (resp->status == 0) {
		log_msg(LL_ERROR, req->request_id, "handler for %s %s set no response", route->method,
			route->pattern);
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
	}
out:
	json_decref(errors);
}
