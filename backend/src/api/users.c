/* users.c — creating a user and setting a password: the password is hashed in C and never reaches SQL. */
#include "api.h"
#include "../auth_password.h"
#include "../router.h"

#include <openssl/crypto.h>

/*
 * Creates a user. The password is hashed here and removed from the object
 * before it reaches SQL, so p never carries it. 201 with the new user.
 */
int h_users_create(struct req *req, struct resp *resp)
{
	char hash[PASSWORD_HASH_MAX];
	if (api_hash_body_password(req, resp, "password", hash) != 0)
		return resp->status;
	json_object_del(req->json, "password");
	const char *p[] = { api_body_text(req), hash };
	return api_json_call(req, resp, 201, "SELECT app.user_create($1::jsonb, $2)", 2, p);
}

/* Sets another user's password (committee, municipality): 204; 404 outside the caller's scope. */
int h_users_password(struct req *req, struct resp *resp)
{
	char hash[PASSWORD_HASH_MAX];
	if (api_hash_body_password(req, resp, "new_password", hash) != 0)
		return resp->status;
	const char *p[] = { req->id_text[0], hash };
	return api_void_call(req, resp, "SELECT app.user_set_password($1::bigint, $2)", 2, p);
}
