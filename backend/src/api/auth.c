/* auth.c — /api/v1/auth: sign in, refresh the access token from the cookie, sign out. */
#include "api.h"
#include "../auth_jwt.h"
#include "../auth_password.h"
#include "../auth_refresh.h"
#include "../config.h"
#include "../db.h"
#include "../log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char T_BAD_CREDENTIALS[] = "Неверный логин или пароль";
static const char T_BAD_REFRESH[] = "Сессия истекла, войдите снова";

static void set_cookie(struct req *req, struct resp *resp, const char *value)
{
	struct buf c = BUF_INIT;
	refresh_cookie(&c, value, req->cfg->refresh_ttl, req->cfg->cookie_secure);
	resp_header(resp, "Set-Cookie", c.data);
	buf_free(&c);
}

static int64_t id_or_zero(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);
	return json_is_integer(v) && json_integer_value(v) > 0 ? json_integer_value(v) : 0;
}

/*
 * Answers 200 {access_token, token_type, expires_in, user} for the session
 * user PostgreSQL returned (user_json, passed through as it is) and sets the
 * refresh cookie to cookie_value. The claims come from user_json: sub = id,
 * role, reg/mun/sch = region_id/municipality_id/school_id, ep = token_epoch.
 * 500 when user_json is not such an object.
 */
static int session_respond(struct req *req, struct resp *resp, const char *user_json,
			   const char *cookie_value)
{
	json_t *user = json_loads(user_json, 0, NULL);
	char *token = NULL;
	struct buf body = BUF_INIT;
	struct claims c = { 0 };

	json_t *id = json_object_get(user, "id");
	c.user_id = json_is_integer(id) ? json_integer_value(id) : 0;
	c.role = role_parse(json_string_value(json_object_get(user, "role")));
	c.region_id = id_or_zero(user, "region_id");
	c.municipality_id = id_or_zero(user, "municipality_id");
	c.school_id = id_or_zero(user, "school_id");
	c.epoch = id_or_zero(user, "token_epoch");
	if (c.user_id <= 0 || c.role == ROLE_NONE ||
	    access_token_issue(req->cfg->jwt_key, req->cfg->jwt_key_len, &c, time(NULL),
			       req->cfg->access_ttl, &token) != 0) {
		log_msg(LL_ERROR, req->request_id, "cannot issue a token for the session user");
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		goto out;
	}
	buf_puts(&body, "{\"access_token\":\"");
	buf_json_escape(&body, token, strlen(token));
	buf_printf(&body, "\",\"token_type\":\"Bearer\",\"expires_in\":%ld,\"user\":", req->cfg->access_ttl);
	buf_puts(&body, user_json);
	buf_putc(&body, '}');
	resp_json(resp, 200, body.data, body.len);
	set_cookie(req, resp, cookie_value);
	req->log_user_id = c.user_id;
	req->log_role = c.role;
out:
	free(token); /* from jwt_encode_str: plain free() */
	buf_free(&body);
	json_decref(user);
	return resp->status;
}

/* Records a failed attempt (user_id NULL for an unknown login) and answers 401 auth.invalid_credentials. */
static int login_failed(struct req *req, struct resp *resp, const char *user_id, const char *login)
{
	const char *p[] = { user_id, login, api_remote_addr(req) };
	if (api_void_call(req, resp, "SELECT app.login_fail($1::bigint, $2, $3)", 3, p) == 204)
		resp_error(resp, 401, "auth.invalid_credentials", T_BAD_CREDENTIALS);
	return resp->status;
}

/*
 * {login, password} → 200 session, 401 auth.invalid_credentials (unknown
 * login, wrong password, inactive user — one message for all), 429
 * auth.throttled with Retry-After while this login from this address is
 * throttled (app.login_throttle; checked before any password work, so nothing
 * waits in a worker). Unknown logins are throttled like real ones and cost
 * the same PBKDF2 time.
 */
int h_auth_login(struct req *req, struct resp *resp)
{
	json_t *jlogin = json_object_get(req->json, "login");
	json_t *jpw = json_object_get(req->json, "password");
	const char *login = json_string_value(jlogin);
	PGresult *r = NULL, *s = NULL;
	char value[REFRESH_VALUE_LEN + 1], hash[REFRESH_HASH_HEX + 1], ttl[24];
	int ok;

	const char *p[] = { login, api_remote_addr(req) };
	r = db_call(req, resp,
		    "SELECT user_id, password_hash, is_active, retry_after FROM app.login_lookup($1, $2)", 2, p);
	if (r == NULL)
		goto out;
	if (PQntuples(r) != 1) {
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		goto out;
	}
	if (strcmp(PQgetvalue(r, 0, 3), "0") != 0) {
		api_throttled(resp, PQgetvalue(r, 0, 3));
		goto out;
	}
	if (PQgetisnull(r, 0, 0)) {
		password_spend_time(json_string_value(jpw), json_string_length(jpw));
		login_failed(req, resp, NULL, login);
		goto out;
	}
	ok = password_verify(json_string_value(jpw), json_string_length(jpw),
			     PQgetisnull(r, 0, 1) ? NULL : PQgetvalue(r, 0, 1));
	if (ok < 0) {
		/* No usable hash (e.g. a disabled password): spend the time anyway. */
		password_spend_time(json_string_value(jpw), json_string_length(jpw));
	}
	if (ok != 1) {
		login_failed(req, resp, PQgetvalue(r, 0, 0), login);
		goto out;
	}
	if (strcmp(PQgetvalue(r, 0, 2), "t") != 0) {
		resp_error(resp, 401, "auth.invalid_credentials", T_BAD_CREDENTIALS);
		goto out;
	}
	if (refresh_token_new(value, hash) != 0) {
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		goto out;
	}
	snprintf(ttl, sizeof ttl, "%ld", req->cfg->refresh_ttl);
	const char *q[] = { PQgetvalue(r, 0, 0), api_remote_addr(req), hash, ttl };
	s = db_call(req, resp,
		    "SELECT app.login_succeed($1::bigint, $2, decode($3, 'hex'), "
		    "now() + make_interval(secs => $4::int))",
		    4, q);
	if (s == NULL)
		goto out;
	if (PQntuples(s) != 1 || PQgetisnull(s, 0, 0)) {
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		goto out;
	}
	session_respond(req, resp, PQgetvalue(s, 0, 0), value);
out:
	api_wipe_json_string(jpw);
	PQclear(s);
	PQclear(r);
	return resp->status;
}

/*
 * Rotates the refresh cookie: 200 session with a new cookie, or 401
 * auth.invalid_refresh (and the cookie cleared) for a missing, malformed,
 * unknown, expired or revoked token.
 */
int h_auth_refresh(struct req *req, struct resp *resp)
{
	char old_hash[REFRESH_HASH_HEX + 1], value[REFRESH_VALUE_LEN + 1], hash[REFRESH_HASH_HEX + 1];
	char ttl[24];
	PGresult *r = NULL;

	if (refresh_token_hash(req_cookie(req, REFRESH_COOKIE), old_hash) != 0) {
		set_cookie(req, resp, NULL);
		resp_error(resp, 401, "auth.invalid_refresh", T_BAD_REFRESH);
		goto out;
	}
	if (refresh_token_new(value, hash) != 0) {
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		goto out;
	}
	snprintf(ttl, sizeof ttl, "%ld", req->cfg->refresh_ttl);
	const char *p[] = { old_hash, hash, ttl };
	r = db_call(req, resp,
		    "SELECT app.refresh_rotate(decode($1, 'hex'), decode($2, 'hex'), "
		    "now() + make_interval(secs => $3::int))",
		    3, p);
	if (r == NULL) {
		if (resp->status == 401)
			set_cookie(req, resp, NULL);
		goto out;
	}
	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
		set_cookie(req, resp, NULL);
		resp_error(resp, 401, "auth.invalid_refresh", T_BAD_REFRESH);
		goto out;
	}
	session_respond(req, resp, PQgetvalue(r, 0, 0), value);
out:
	PQclear(r);
	return resp->status;
}

/* Revokes the refresh token of the cookie (if any) and clears the cookie: 204. */
int h_auth_logout(struct req *req, struct resp *resp)
{
	char hash[REFRESH_HASH_HEX + 1];

	set_cookie(req, resp, NULL);
	if (refresh_token_hash(req_cookie(req, REFRESH_COOKIE), hash) != 0) {
		resp_no_content(resp);
		return resp->status;
	}
	const char *p[] = { hash };
	return api_void_call(req, resp, "SELECT app.logout(decode($1, 'hex'))", 1, p);
}
