/* common.c — helpers shared by the resource handlers: pass-through JSON calls, body text, password fields. */
#include "api.h"
#include "../auth_password.h"
#include "../db.h"
#include "../log.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int api_json_call(struct req *req, struct resp *resp, int ok_status, const char *sql, int nparams,
		  const char *const *params)
{
	PGresult *r = db_call(req, resp, sql, nparams, params);
	if (r == NULL)
		goto out;
	if (PQntuples(r) < 1 || PQnfields(r) < 1 || PQgetisnull(r, 0, 0)) {
		resp_error(resp, 404, "not_found", "Объект не найден");
		goto out;
	}
	/* PostgreSQL built the JSON: it goes out untouched, never re-parsed. */
	resp_json(resp, ok_status, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
out:
	PQclear(r);
	return resp->status;
}

int api_json_call_created(struct req *req, struct resp *resp, const char *sql, int nparams,
			  const char *const *params)
{
	PGresult *r = db_call(req, resp, sql, nparams, params);
	if (r == NULL)
		goto out;
	if (PQntuples(r) < 1 || PQnfields(r) < 2 || PQgetisnull(r, 0, 0) || PQgetisnull(r, 0, 1)) {
		resp_error(resp, 404, "not_found", "Объект не найден");
		goto out;
	}
	resp_json(resp, strcmp(PQgetvalue(r, 0, 0), "t") == 0 ? 201 : 200, PQgetvalue(r, 0, 1),
		  (size_t)PQgetlength(r, 0, 1));
out:
	PQclear(r);
	return resp->status;
}

int api_void_call(struct req *req, struct resp *resp, const char *sql, int nparams,
		  const char *const *params)
{
	PGresult *r = db_call(req, resp, sql, nparams, params);
	if (r != NULL)
		resp_no_content(resp);
	PQclear(r);
	return resp->status;
}

const char *api_body_text(struct req *req)
{
	char *text = req->json ? json_dumps(req->json, JSON_COMPACT) : NULL;
	const char *copy = pool_strdup(&req->pool, text ? text : "{}");
	free(text);
	return copy;
}

const char *api_raw_body(const struct req *req)
{
	/* body_validate (BS_DOCUMENT) passed it: well-formed JSON, an object, no NUL inside. */
	return req->body && req->body_len > 0 && memchr(req->body, '\0', req->body_len) == NULL ? req->body
												   : NULL;
}

void api_wipe_json_string(json_t *s)
{
	if (json_is_string(s))
		OPENSSL_cleanse((char *)json_string_value(s), json_string_length(s));
}

int api_hash_body_password(struct req *req, struct resp *resp, const char *field, char *out)
{
	json_t *pw = json_object_get(req->json, field);
	int rc = -1;
	if (!json_is_string(pw) ||
	    password_hash(json_string_value(pw), json_string_length(pw), PASSWORD_ITERATIONS, out,
			  PASSWORD_HASH_MAX) != 0) {
		log_msg(LL_ERROR, req->request_id, "password hashing failed");
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		goto out;
	}
	rc = 0;
out:
	api_wipe_json_string(pw);
	return rc;
}

const char *api_remote_addr(const struct req *req)
{
	return req->remote_addr && *req->remote_addr ? req->remote_addr : NULL;
}

/* "1 минуту", "2 минуты", "5 минут": the accusative after «через». */
static const char *russian_plural(long n, const char *one, const char *few, const char *many)
{
	long d10 = n % 10, d100 = n % 100;
	if (d10 == 1 && d100 != 11)
		return one;
	if (d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14))
		return few;
	return many;
}

void api_throttled(struct resp *resp, const char *retry_after)
{
	char *end = NULL;
	long seconds = retry_after ? strtol(retry_after, &end, 10) : 0;
	char title[200], header[24];

	if (end == retry_after || seconds < 1)
		seconds = 1;
	if (seconds > 24 * 3600)
		seconds = 24 * 3600;
	snprintf(header, sizeof header, "%ld", seconds);
	if (seconds < 60) {
		snprintf(title, sizeof title, "Слишком много неудачных попыток. Повторите через %ld %s", seconds,
			 russian_plural(seconds, "секунду", "секунды", "секунд"));
	} else {
		long minutes = (seconds + 59) / 60;
		snprintf(title, sizeof title, "Слишком много неудачных попыток. Повторите через %ld %s", minutes,
			 russian_plural(minutes, "минуту", "минуты", "минут"));
	}
	resp_header(resp, "Retry-After", header);
	resp_error(resp, 429, "auth.throttled", title);
}
