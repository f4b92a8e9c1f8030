/* auth_jwt.c — HS256 access tokens. libjwt 1.10 checks only the signature, so everything else is checked here. */
#include "auth_jwt.h"
#include "strutil.h"

#include <errno.h>
#include <jansson.h>
#include <jwt.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *token_result_str(enum token_result r)
{
	switch (r) {
	case TOKEN_VALID: return "valid";
	case TOKEN_MALFORMED: return "malformed";
	case TOKEN_BAD_SIGNATURE: return "bad signature";
	case TOKEN_BAD_ALG: return "algorithm not HS256";
	case TOKEN_EXPIRED: return "expired or no exp";
	case TOKEN_NOT_YET_VALID: return "nbf/iat missing or in the future";
	case TOKEN_BAD_CLAIMS: return "bad claims";
	}
	return "unknown";
}

/* Adds an id claim: a JSON integer, or null for 0. */
static int set_id(json_t *o, const char *name, int64_t id)
{
	return json_object_set_new(o, name, id > 0 ? json_integer(id) : json_null());
}

int access_token_issue(const unsigned char *key, size_t key_len, const struct claims *c, time_t now,
		       long ttl, char **out)
{
	int rc = -1;
	jwt_t *jwt = NULL;
	json_t *payload = NULL;
	char *payload_text = NULL;
	unsigned char jti_raw[16];
	char jti[32], sub[24];

	*out = NULL;
	if (key_len < 32 || key_len > INT32_MAX || role_name(c->role) == NULL || c->user_id <= 0 || c->epoch <= 0)
		goto out;
	if (RAND_bytes(jti_raw, sizeof jti_raw) != 1)
		goto out;
	b64url_encode(jti_raw, sizeof jti_raw, jti);
	snprintf(sub, sizeof sub, "%lld", (long long)c->user_id);

	payload = json_object();
	if (payload == NULL ||
	    json_object_set_new(payload, "sub", json_string(sub)) != 0 ||
	    json_object_set_new(payload, "role", json_string(role_name(c->role))) != 0 ||
	    set_id(payload, "reg", c->region_id) != 0 ||
	    set_id(payload, "mun", c->municipality_id) != 0 ||
	    set_id(payload, "sch", c->school_id) != 0 ||
	    json_object_set_new(payload, "ep", json_integer(c->epoch)) != 0 ||
	    json_object_set_new(payload, "iss", json_string(JWT_ISSUER)) != 0 ||
	    json_object_set_new(payload, "aud", json_string(JWT_AUDIENCE)) != 0 ||
	    json_object_set_new(payload, "iat", json_integer(now)) != 0 ||
	    json_object_set_new(payload, "nbf", json_integer(now)) != 0 ||
	    json_object_set_new(payload, "exp", json_integer(now + ttl)) != 0 ||
	    json_object_set_new(payload, "jti", json_string(jti)) != 0)
		goto out;
	payload_text = json_dumps(payload, JSON_COMPACT);
	if (payload_text == NULL)
		goto out;
	if (jwt_new(&jwt) != 0 || jwt_add_grants_json(jwt, payload_text) != 0 ||
	    jwt_set_alg(jwt, JWT_ALG_HS256, key, (int)key_len) != 0)
		goto out;
	*out = jwt_encode_str(jwt); /* malloc'd by libjwt: the caller free()s it */
	if (*out != NULL)
		rc = 0;
out:
	free(payload_text);
	json_decref(payload);
	jwt_free(jwt);
	return rc;
}

/* Three non-empty base64url parts separated by dots, at most JWT_MAX_LEN chars. */
static int token_shape_ok(const char *t)
{
	size_t n = 0, dots = 0, part = 0;
	for (; t[n]; n++) {
		char ch = t[n];
		if (n >= JWT_MAX_LEN)
			return 0;
		if (ch == '.') {
			if (part == 0)
				return 0;
			dots++;
			part = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_'))
			return 0;
		part++;
	}
	/* An empty third part is alg "none": refuse it before libjwt sees it. */
	return dots == 2 && part > 0;
}

/* An integer claim present as a JSON integer; 0 with *v set, else -1. */
static int int_claim(json_t *p, const char *name, json_int_t *v)
{
	json_t *x = json_object_get(p, name);
	if (!json_is_integer(x))
		return -1;
	*v = json_integer_value(x);
	return 0;
}

/* An optional id claim: absent or null → 0, a positive integer → it, else -1. */
static int id_claim(json_t *p, const char *name, int64_t *v)
{
	json_t *x = json_object_get(p, name);
	if (x == NULL || json_is_null(x)) {
		*v = 0;
		return 0;
	}
	if (!json_is_integer(x) || json_integer_value(x) <= 0)
		return -1;
	*v = json_integer_value(x);
	return 0;
}

static int string_claim_is(json_t *p, const char *name, const char *want)
{
	json_t *x = json_object_get(p, name);
	return json_is_string(x) && strcmp(json_string_value(x), want) == 0;
}

enum token_result access_token_verify(const unsigned char *key, size_t key_len, const char *token,
				      time_t now, struct claims *c, char **payload)
{
	enum token_result r = TOKEN_MALFORMED;
	jwt_t *jwt = NULL;
	char *text = NULL;
	json_t *p = NULL;
	json_int_t exp, nbf, iat, ep;
	struct claims got = { 0 };
	const char *sub;

	if (payload)
		*payload = NULL;
	/* Never decode without the key: libjwt then accepts any signature and alg none. */
	if (key == NULL || key_len < 32 || key_len > INT32_MAX || token == NULL || !token_shape_ok(token))
		goto out;
	if (jwt_decode(&jwt, token, key, (int)key_len) != 0) {
		r = TOKEN_BAD_SIGNATURE;
		goto out;
	}
	if (jwt_get_alg(jwt) != JWT_ALG_HS256) {
		r = TOKEN_BAD_ALG;
		goto out;
	}
	text = jwt_get_grants_json(jwt, NULL);
	p = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
	if (!json_is_object(p))
		goto out;
	r = TOKEN_EXPIRED;
	if (int_claim(p, "exp", &exp) != 0 || exp <= (json_int_t)now)
		goto out;
	r = TOKEN_NOT_YET_VALID;
	if (int_claim(p, "nbf", &nbf) != 0 || nbf > (json_int_t)now + JWT_LEEWAY)
		goto out;
	if (int_claim(p, "iat", &iat) != 0 || iat > (json_int_t)now + JWT_LEEWAY)
		goto out;
	r = TOKEN_BAD_CLAIMS;
	if (!string_claim_is(p, "iss", JWT_ISSUER) || !string_claim_is(p, "aud", JWT_AUDIENCE))
		goto out;
	if (!json_is_string(json_object_get(p, "jti")))
		goto out;
	sub = json_string_value(json_object_get(p, "sub"));
	if (sub == NULL || parse_id(sub, strlen(sub), &got.user_id) != 0)
		goto out;
	got.role = role_parse(json_string_value(json_object_get(p, "role")));
	if (got.role == ROLE_NONE)
		goto out;
	if (id_claim(p, "reg", &got.region_id) != 0 || id_claim(p, "mun", &got.municipality_id) != 0 ||
	    id_claim(p, "sch", &got.school_id) != 0)
		goto out;
	/* A token from before epochs existed cannot be checked against its account: refuse it. */
	if (int_claim(p, "ep", &ep) != 0 || ep <= 0 || ep > INT32_MAX)
		goto out;
	got.epoch = ep;
	got.exp = exp;
	*c = got;
	if (payload) {
		*payload = text;
		text = NULL;
	}
	r = TOKEN_VALID;
out:
	json_decref(p);
	free(text);
	jwt_free(jwt);
	return r;
}
