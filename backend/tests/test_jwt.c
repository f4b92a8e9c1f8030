/* test_jwt.c — access tokens: a valid one passes, and every attack of the foundation issue is refused. */
#include "testutil.h"
#include "auth_jwt.h"
#include "token_cache.h"
#include "strutil.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>

static const unsigned char KEY[] = "0123456789abcdef0123456789abcdef-test-key";
#define KEYLEN (sizeof KEY - 1)
static const time_t NOW = 1700000000;

/*
 * Builds a token by hand so that any header, payload, algorithm and key can
 * be used (libjwt refuses to sign some of the attacks). md NULL: no signature.
 */
static char *forge(const char *header, const char *payload, const EVP_MD *md, const void *key,
		   size_t keylen)
{
	char *out = malloc(4096);
	size_t n = b64url_encode((const unsigned char *)header, strlen(header), out);
	out[n++] = '.';
	n += b64url_encode((const unsigned char *)payload, strlen(payload), out + n);
	out[n++] = '.';
	out[n] = '\0';
	if (md) {
		unsigned char mac[64];
		unsigned int maclen = 0;
		HMAC(md, key, (int)keylen, (const unsigned char *)out, n - 1, mac, &maclen);
		b64url_encode(mac, maclen, out + n);
	}
	return out;
}

/* A payload with every claim right, except those overridden by extra JSON members. */
static char *payload_with(const char *replace_key, const char *replace_json)
{
	json_t *p = json_pack("{s:s, s:s, s:i, s:n, s:n, s:i, s:s, s:s, s:I, s:I, s:I, s:s}", "sub", "17", "role",
			      "municipality", "reg", 1, "mun", "sch", "ep", 1, "iss", "orientir", "aud", "orientir",
			      "iat", (json_int_t)NOW, "nbf", (json_int_t)NOW, "exp", (json_int_t)NOW + 900,
			      "jti", "abc");
	if (replace_key) {
		if (replace_json)
			json_object_set_new(p, replace_key, json_loads(replace_json, JSON_DECODE_ANY, NULL));
		else
			json_object_del(p, replace_key);
	}
	char *s = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	return s;
}

static enum token_result verify(const char *token)
{
	struct claims c;
	return access_token_verify(KEY, KEYLEN, token, NOW, &c, NULL);
}

static enum token_result verify_hs256(const char *key_name, const char *val)
{
	char *p = payload_with(key_name, val);
	char *t = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", p, EVP_sha256(), KEY, KEYLEN);
	enum token_result r = verify(t);
	free(t);
	free(p);
	return r;
}

static void issued_token_verifies_with_its_claims(void **state)
{
	(void)state;
	struct claims in = { .user_id = 42, .role = ROLE_SCHOOL, .region_id = 1, .municipality_id = 5, .school_id = 300, .epoch = 1 }, out;
	char *token = NULL, *payload = NULL;
	assert_int_equal(access_token_issue(KEY, KEYLEN, &in, NOW, 900, &token), 0);
	assert_int_equal(access_token_verify(KEY, KEYLEN, token, NOW + 10, &out, &payload), TOKEN_VALID);
	assert_true(out.user_id == 42 && out.role == ROLE_SCHOOL && out.region_id == 1 &&
		    out.municipality_id == 5 && out.school_id == 300 && out.epoch == 1);
	json_t *p = json_loads(payload, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(p, "sub")), "42");
	assert_string_equal(json_string_value(json_object_get(p, "iss")), "orientir");
	assert_string_equal(json_string_value(json_object_get(p, "aud")), "orientir");
	assert_int_equal(json_integer_value(json_object_get(p, "exp")), NOW + 900);
	assert_true(json_is_string(json_object_get(p, "jti")));
	json_decref(p);
	free(payload);
	free(token);
}

static void issued_tokens_have_distinct_jti_and_null_ids(void **state)
{
	(void)state;
	struct claims in = { .user_id = 1, .role = ROLE_COMMITTEE, .region_id = 1, .municipality_id = 0, .school_id = 0, .epoch = 1 }, out;
	char *a = NULL, *b = NULL, *pa = NULL;
	assert_int_equal(access_token_issue(KEY, KEYLEN, &in, NOW, 900, &a), 0);
	assert_int_equal(access_token_issue(KEY, KEYLEN, &in, NOW, 900, &b), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(access_token_verify(KEY, KEYLEN, a, NOW, &out, &pa), TOKEN_VALID);
	assert_true(out.municipality_id == 0 && out.school_id == 0);
	json_t *p = json_loads(pa, 0, NULL);
	assert_true(json_is_null(json_object_get(p, "mun")));
	json_decref(p);
	free(pa);
	free(a);
	free(b);
}

static void a_hand_made_valid_token_is_accepted(void **state)
{
	(void)state;
	assert_int_equal(verify_hs256(NULL, NULL), TOKEN_VALID);
}

static void token_expires_at_exp(void **state)
{
	(void)state;
	struct claims in = { .user_id = 1, .role = ROLE_LOIRO, .region_id = 1, .municipality_id = 0, .school_id = 0, .epoch = 1 }, out;
	char *t = NULL;
	assert_int_equal(access_token_issue(KEY, KEYLEN, &in, NOW, 900, &t), 0);
	assert_int_equal(access_token_verify(KEY, KEYLEN, t, NOW + 899, &out, NULL), TOKEN_VALID);
	assert_int_equal(access_token_verify(KEY, KEYLEN, t, NOW + 900, &out, NULL), TOKEN_EXPIRED);
	free(t);
}

static void attack_alg_none(void **state)
{
	(void)state;
	char *p = payload_with(NULL, NULL);
	char *t = forge("{\"alg\":\"none\",\"typ\":\"JWT\"}", p, NULL, NULL, 0);
	assert_int_not_equal(verify(t), TOKEN_VALID);
	/* and with a junk signature appended */
	char *t2 = malloc(strlen(t) + 8);
	sprintf(t2, "%sAAAA", t);
	assert_int_not_equal(verify(t2), TOKEN_VALID);
	free(t2);
	free(t);
	free(p);
}

static void attack_empty_key_hs256(void **state)
{
	(void)state;
	char *p = payload_with(NULL, NULL);
	char *t = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", p, EVP_sha256(), "", 0);
	assert_int_equal(verify(t), TOKEN_BAD_SIGNATURE);
	free(t);
	free(p);
}

static void attack_hs512_with_the_same_secret(void **state)
{
	(void)state;
	char *p = payload_with(NULL, NULL);
	char *t = forge("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", p, EVP_sha512(), KEY, KEYLEN);
	assert_int_not_equal(verify(t), TOKEN_VALID);
	char *t384 = forge("{\"alg\":\"HS384\",\"typ\":\"JWT\"}", p, EVP_sha384(), KEY, KEYLEN);
	assert_int_not_equal(verify(t384), TOKEN_VALID);
	free(t384);
	free(t);
	free(p);
}

static void attack_tampered_payload(void **state)
{
	(void)state;
	struct claims in = { .user_id = 17, .role = ROLE_SCHOOL, .region_id = 1, .municipality_id = 2, .school_id = 3, .epoch = 1 };
	char *t = NULL;
	assert_int_equal(access_token_issue(KEY, KEYLEN, &in, NOW, 900, &t), 0);
	/* Replace the payload with a committee one, keeping header and signature. */
	char *p = payload_with("role", "\"committee\"");
	char enc[1024];
	b64url_encode((const unsigned char *)p, strlen(p), enc);
	char *d1 = strchr(t, '.'), *d2 = strchr(d1 + 1, '.');
	char forged[4096];
	snprintf(forged, sizeof forged, "%.*s.%s%s", (int)(d1 - t), t, enc, d2);
	assert_int_equal(verify(forged), TOKEN_BAD_SIGNATURE);
	/* A flipped signature character too. */
	size_t last = strlen(t) - 2;
	t[last] = t[last] == 'A' ? 'B' : 'A';
	assert_int_equal(verify(t), TOKEN_BAD_SIGNATURE);
	free(p);
	free(t);
}

static void attack_other_key(void **state)
{
	(void)state;
	static const char other[] = "another-key-another-key-another-key!!";
	char *p = payload_with(NULL, NULL);
	char *t = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", p, EVP_sha256(), other, sizeof other - 1);
	assert_int_equal(verify(t), TOKEN_BAD_SIGNATURE);
	free(t);
	free(p);
}

static void attack_expired(void **state)
{
	(void)state;
	char exp[32];
	snprintf(exp, sizeof exp, "%lld", (long long)NOW - 1);
	assert_int_equal(verify_hs256("exp", exp), TOKEN_EXPIRED);
	snprintf(exp, sizeof exp, "%lld", (long long)NOW);
	assert_int_equal(verify_hs256("exp", exp), TOKEN_EXPIRED);
}

static void attack_missing_or_non_integer_exp(void **state)
{
	(void)state;
	assert_int_equal(verify_hs256("exp", NULL), TOKEN_EXPIRED);
	assert_int_equal(verify_hs256("exp", "\"99999999999\""), TOKEN_EXPIRED);
	assert_int_equal(verify_hs256("exp", "1.7e12"), TOKEN_EXPIRED);
}

static void attack_nbf_in_the_future(void **state)
{
	(void)state;
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)NOW + 31);
	assert_int_equal(verify_hs256("nbf", v), TOKEN_NOT_YET_VALID);
	snprintf(v, sizeof v, "%lld", (long long)NOW + 30);
	assert_int_equal(verify_hs256("nbf", v), TOKEN_VALID); /* within the leeway */
	assert_int_equal(verify_hs256("nbf", NULL), TOKEN_NOT_YET_VALID);
}

static void attack_iat_in_the_future_or_missing(void **state)
{
	(void)state;
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)NOW + 3600);
	assert_int_equal(verify_hs256("iat", v), TOKEN_NOT_YET_VALID);
	assert_int_equal(verify_hs256("iat", NULL), TOKEN_NOT_YET_VALID);
}

static void attack_wrong_iss(void **state)
{
	(void)state;
	assert_int_equal(verify_hs256("iss", "\"evil\""), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("iss", NULL), TOKEN_BAD_CLAIMS);
}

static void attack_wrong_aud(void **state)
{
	(void)state;
	assert_int_equal(verify_hs256("aud", "\"other\""), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("aud", "[\"other\"]"), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("aud", NULL), TOKEN_BAD_CLAIMS);
}

static void attack_unknown_role(void **state)
{
	(void)state;
	assert_int_equal(verify_hs256("role", "\"admin\""), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("role", "\"Committee\""), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("role", "1"), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("role", NULL), TOKEN_BAD_CLAIMS);
}

static void attack_bad_subject_and_ids(void **state)
{
	(void)state;
	assert_int_equal(verify_hs256("sub", "17"), TOKEN_BAD_CLAIMS); /* must be a string */
	assert_int_equal(verify_hs256("sub", "\"abc\""), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("sub", "\"0\""), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("sub", NULL), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("reg", "\"1\""), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("sch", "-5"), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("jti", NULL), TOKEN_BAD_CLAIMS);
	/* ep: the token epoch, a positive integer; a token without it predates epochs */
	assert_int_equal(verify_hs256("ep", NULL), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("ep", "0"), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("ep", "\"1\""), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("ep", "1.5"), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("ep", "4294967296"), TOKEN_BAD_CLAIMS);
	assert_int_equal(verify_hs256("ep", "7"), TOKEN_VALID);
}

static void garbage_is_malformed(void **state)
{
	(void)state;
	static const char *const junk[] = {
		"", "abc", "a.b", "a.b.c.d", "..", "a..c", "a.b.", "a b.c.d", "eyJ.eyJ.AAAA",
		"eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.AAAA",
	};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
		assert_int_not_equal(verify(junk[i]), TOKEN_VALID);
	char *big = malloc(JWT_MAX_LEN + 10);
	memset(big, 'a', JWT_MAX_LEN + 9);
	big[10] = '.';
	big[20] = '.';
	big[JWT_MAX_LEN + 9] = '\0';
	assert_int_equal(verify(big), TOKEN_MALFORMED);
	free(big);
}

static void verification_refuses_to_run_without_a_real_key(void **state)
{
	(void)state;
	struct claims c;
	char *p = payload_with(NULL, NULL);
	char *t = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", p, EVP_sha256(), "", 0);
	assert_int_not_equal(access_token_verify(NULL, 0, t, NOW, &c, NULL), TOKEN_VALID);
	assert_int_not_equal(access_token_verify((const unsigned char *)"", 0, t, NOW, &c, NULL), TOKEN_VALID);
	free(t);
	free(p);
}

/* The per-thread cache of verified tokens: a hit gives the verified claims, under the same key only, until exp. */
static void token_cache_remembers_verified_tokens_until_exp(void **state)
{
	(void)state;
	static const unsigned char other[] = "another-secret-of-at-least-32-bytes!!";
	struct claims in = { .user_id = 9, .role = ROLE_SCHOOL, .region_id = 1, .municipality_id = 2, .school_id = 3,
			     .epoch = 4 },
		      out, hit;
	char *t = NULL;
	assert_int_equal(access_token_issue(KEY, KEYLEN, &in, NOW, 900, &t), 0);
	assert_int_equal(token_cache_get(KEY, KEYLEN, t, NOW, &hit), 0);
	assert_int_equal(access_token_verify(KEY, KEYLEN, t, NOW, &out, NULL), TOKEN_VALID);
	assert_int_equal(out.exp, NOW + 900);
	token_cache_put(KEY, KEYLEN, t, &out);
	assert_int_equal(token_cache_get(KEY, KEYLEN, t, NOW + 899, &hit), 1);
	assert_memory_equal(&hit, &out, sizeof hit);
	assert_int_equal(token_cache_get(KEY, KEYLEN, t, NOW + 900, &hit), 0);
	assert_int_equal(token_cache_get(other, sizeof other - 1, t, NOW, &hit), 0);
	t[strlen(t) - 1] = t[strlen(t) - 1] == 'A' ? 'B' : 'A'; /* another signature: another token */
	assert_int_equal(token_cache_get(KEY, KEYLEN, t, NOW, &hit), 0);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(issued_token_verifies_with_its_claims),
		cmocka_unit_test(issued_tokens_have_distinct_jti_and_null_ids),
		cmocka_unit_test(a_hand_made_valid_token_is_accepted),
		cmocka_unit_test(token_expires_at_exp),
		cmocka_unit_test(attack_alg_none),
		cmocka_unit_test(attack_empty_key_hs256),
		cmocka_unit_test(attack_hs512_with_the_same_secret),
		cmocka_unit_test(attack_tampered_payload),
		cmocka_unit_test(attack_other_key),
		cmocka_unit_test(attack_expired),
		cmocka_unit_test(attack_missing_or_non_integer_exp),
		cmocka_unit_test(attack_nbf_in_the_future),
		cmocka_unit_test(attack_iat_in_the_future_or_missing),
		cmocka_unit_test(attack_wrong_iss),
		cmocka_unit_test(attack_wrong_aud),
		cmocka_unit_test(attack_unknown_role),
		cmocka_unit_test(attack_bad_subject_and_ids),
		cmocka_unit_test(garbage_is_malformed),
		cmocka_unit_test(verification_refuses_to_run_without_a_real_key),
		cmocka_unit_test(token_cache_remembers_verified_tokens_until_exp),
	};
	return cmocka_run_group_tests_name("jwt", tests, NULL, NULL);
}
