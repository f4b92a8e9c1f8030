/* http_request.c — turns FastCGI parameters and stdin into a struct req: path, query, cookies, headers, body. */
#include "http.h"
#include "strutil.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

void req_init(struct req *req, const struct config *cfg, struct db *db)
{
	memset(req, 0, sizeof *req);
	req->cfg = cfg;
	req->db = db;
	req->method = req->path = req->query_string = "";
	req->content_length = -1;
}

int http_parse_query(struct pool *pool, const char *qs, struct kv **out, size_t *n)
{
	size_t len = strlen(qs), count = 0;
	*out = NULL;
	*n = 0;
	if (len > HTTP_MAX_QUERY)
		return -1;
	struct kv *pairs = pool_alloc(pool, sizeof *pairs * HTTP_MAX_PARAMS);
	const char *p = qs, *end = qs + len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		if (stop > p) {
			if (count == HTTP_MAX_PARAMS)
				return -1;
			const char *eq = memchr(p, '=', (size_t)(stop - p));
			const char *kend = eq ? eq : stop;
			const char *vstart = eq ? eq + 1 : stop;
			char *k = pool_alloc(pool, (size_t)(kend - p) + 1);
			char *v = pool_alloc(pool, (size_t)(stop - vstart) + 1);
			long kl = url_decode(p, (size_t)(kend - p), k, 1);
			long vl = url_decode(vstart, (size_t)(stop - vstart), v, 1);
			if (kl <= 0 || vl < 0 || !utf8_valid(k, (size_t)kl))
				return -1;
			pairs[count].key = k;
			pairs[count].val = v;
			pairs[count].val_len = (size_t)vl;
			count++;
		}
		p = stop + (amp ? 1 : 0);
	}
	*out = pairs;
	*n = count;
	return 0;
}

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

size_t http_parse_cookies(struct pool *pool, const char *header, struct kv **out)
{
	size_t len = header ? strlen(header) : 0, count = 0;
	*out = NULL;
	if (len == 0 || len > HTTP_MAX_COOKIE_HEADER)
		return 0;
	struct kv *pairs = pool_alloc(pool, sizeof *pairs * HTTP_MAX_COOKIES);
	const char *p = header, *end = header + len;
	while (p < end && count < HTTP_MAX_COOKIES) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *stop = semi ? semi : end;
		const char *s = p, *e = stop;
		while (s < e && is_ows(*s))
			s++;
		while (e > s && is_ows(e[-1]))
			e--;
		const char *eq = memchr(s, '=', (size_t)(e - s));
		if (eq && eq > s) {
			const char *ke = eq;
			while (ke > s && is_ows(ke[-1]))
				ke--;
			const char *vs = eq + 1;
			while (vs < e && is_ows(*vs))
				vs++;
			const char *ve = e;
			if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
				vs++;
				ve--;
			}
			if (ke > s) {
				pairs[count].key = pool_strndup(pool, s, (size_t)(ke - s));
				pairs[count].val = pool_strndup(pool, vs, (size_t)(ve - vs));
				pairs[count].val_len = (size_t)(ve - vs);
				count++;
			}
		}
		p = stop + (semi ? 1 : 0);
	}
	*out = pairs;
	return count;
}

const char *req_cookie(const struct req *req, const char *name)
{
	for (size_t i = 0; i < req->ncookies; i++)
		if (strcmp(req->cookies[i].key, name) == 0)
			return req->cookies[i].val;
	return NULL;
}

/* The value of NAME in a FastCGI environment, or NULL. */
static const char *env_get(char **envp, const char *name)
{
	size_t n = strlen(name);
	for (char **e = envp; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static const char *env_dup(struct req *req, char **envp, const char *name)
{
	const char *v = env_get(envp, name);
	return v ? pool_strdup(&req->pool, v) : NULL;
}

static void make_request_id(struct req *req, const char *given)
{
	unsigned char raw[16];
	if (token_is_sane(given, REQUEST_ID_MAX)) {
		strcpy(req->request_id, given);
		return;
	}
	if (RAND_bytes(raw, sizeof raw) != 1)
		memset(raw, 0, sizeof raw);
	hex_encode(raw, sizeof raw, req->request_id);
}

void req_load_params(struct req *req, char **envp)
{
	const char *v;

	v = env_dup(req, envp, "REQUEST_METHOD");
	req->method = v ? v : "";
	v = env_get(envp, "DOCUMENT_URI");
	if (v && *v) {
		req->path = pool_strdup(&req->pool, v);
	} else if ((v = env_get(envp, "REQUEST_URI")) != NULL) {
		const char *q = strchr(v, '?');
		req->path = pool_strndup(&req->pool, v, q ? (size_t)(q - v) : strlen(v));
	}
	v = env_dup(req, envp, "QUERY_STRING");
	req->query_string = v ? v : "";
	if (http_parse_query(&req->pool, req->query_string, &req->query, &req->nquery) != 0)
		req->query_malformed = 1;
	req->ncookies = http_parse_cookies(&req->pool, env_get(envp, "HTTP_COOKIE"), &req->cookies);
	req->authorization = env_dup(req, envp, "HTTP_AUTHORIZATION");
	req->content_type = env_dup(req, envp, "CONTENT_TYPE");
	req->if_match = env_dup(req, envp, "HTTP_IF_MATCH");
	req->remote_addr = env_dup(req, envp, "REMOTE_ADDR");
	v = env_get(envp, "CONTENT_LENGTH");
	if (v && *v) {
		int64_t n;
		if (parse_int64(v, strlen(v), &n) != 0 || n < 0)
			req->content_length_bad = 1;
		else
			req->content_length = req->body_unread = n;
	}
	make_request_id(req, env_get(envp, "HTTP_X_REQUEST_ID"));
}

void req_set_body_source(struct req *req, body_reader read, void *ctx)
{
	req->body_source = read;
	req->body_source_ctx = ctx;
}

long req_body_next(struct req *req, char *p, size_t n)
{
	if (req->body_unread <= 0 || n == 0)
		return 0;
	if ((int64_t)n > req->body_unread)
		n = (size_t)req->body_unread;
	long r = req->body_source ? req->body_source(req->body_source_ctx, p, n) : -1;
	if (r <= 0) {
		req->body_unread = 0; /* the stream is over: nothing more will come */
		return -1;
	}
	req->body_unread -= r;
	return r;
}

int req_read_body(struct req *req, int64_t limit)
{
	if (req->content_length_bad || req->content_length <= 0)
		return 0;
	if (req->content_length > limit)
		return 1;
	size_t want = (size_t)req->content_length, got = 0;
	char *p = pool_alloc(&req->pool, want + 1);
	while (got < want) {
		long r = req_body_next(req, p + got, want - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	p[got] = '\0';
	req->body = p;
	req->body_len = got;
	return got == want ? 0 : -1;
}

void req_body_discard(struct req *req)
{
	char sink[16384];
	while (req_body_next(req, sink, sizeof sink) > 0)
		;
}

void req_free(struct req *req)
{
	if (req == NULL)
		return;
	/* Bodies carry passwords; the pool is returned to malloc, so wipe first. */
	if (req->body)
		OPENSSL_cleanse(req->body, req->body_len);
	json_decref(req->json);
	pool_free(&req->pool);
	memset(req, 0, sizeof *req);
}
