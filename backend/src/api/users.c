/* users.c — /api/v1/users: list, one user, create (with a password), update, reset a password. */
#include "api.h"
#include "../auth_password.h"
#include "../router.h"

#include <openssl/crypto.h>

/* Lists users in the caller's scope, filtered by role, municipality and school. */
int h_users_list(struct req *req, struct resp *resp)
{
	const char *p[] = { req_query(req, "role")->str, req_query(req, "municipality_id")->str,
			    req_query(req, "school_id")->str, req_query(req, "limit")->str,
			    req_query(req, "offset")->str };
	return api_json_call(req, resp, 200,
			     "SELECT app.users_list($1, $2::bigint, $3::bigint, $4::int, $5::int)", 5, p);
}

/* One user; 404 outside the caller's scope. */
int h_users_get(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	return api_json_call(req, resp, 200, "SELECT app.user_get($1::bigint)", 1, p);
}

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

/* Updates a user (e.g. {"is_active": false}); If-Match → p_version. */
int h_users_update(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0], req->has_version ? req->version_text : NULL,
			    api_body_text(req) };
	return api_json_call(req, resp, 200, "SELECT app.user_update($1::bigint, $2::int, $3::jsonb)", 3,
			     p);
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
