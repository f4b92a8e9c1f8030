/* me.c — POST /api/v1/me/password: changing one's own password (verified and hashed in C). */
#include "api.h"
#include "../auth_password.h"
#include "../db.h"
#include "../log.h"

#include <string.h>

/*
 * {current_password, new_password} (the policy — at least 10 characters — is
 * in the body spec). Verifies the current password against
 * app.my_password_hash() (422 current_password/wrong when it does not
 * match; the failure counts with the login's failed sign-ins, and while they
 * throttle it the answer is 429 auth.throttled before any PBKDF2), stores the
 * new hash: 204. SQL revokes every refresh token of the user, this session's
 * included.
 */
int h_me_password(struct req *req, struct resp *resp)
{
	json_t *cur = json_object_get(req->json, "current_password");
	json_t *errors = NULL;
	PGresult *r = NULL;
	char hash[PASSWORD_HASH_MAX];
	int ok;

	const char *a[] = { api_remote_addr(req) };
	r = db_call(req, resp, "SELECT password_hash, retry_after FROM app.my_password_hash($1)", 1, a);
	if (r == NULL)
		goto out;
	if (PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 1), "0") != 0) {
		api_throttled(resp, PQgetvalue(r, 0, 1));
		goto out;
	}
	ok = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)
		     ? password_verify(json_string_value(cur), json_string_length(cur), PQgetvalue(r, 0, 0))
		     : -1;
	if (ok < 0)
		log_msg(LL_ERROR, req->request_id, "stored password hash of user %lld is malformed",
			(long long)req->claims.user_id);
	if (ok != 1) {
		if (api_void_call(req, resp, "SELECT app.my_password_failed($1)", 1, a) != 204)
			goto out;
		errors = json_array();
		field_error_add(errors, "current_password", "wrong", "Неверный текущий пароль");
		resp_error_fields(resp, 422, "validation.failed", "Неверный текущий пароль", errors);
		goto out;
	}
	PQclear(r);
	r = NULL;
	if (api_hash_body_password(req, resp, "new_password", hash) != 0)
		goto out;
	const char *p[] = { hash };
	api_void_call(req, resp, "SELECT app.change_my_password($1)", 1, p);
out:
	api_wipe_json_string(cur);
	json_decref(errors);
	PQclear(r);
	return resp->status;
}
