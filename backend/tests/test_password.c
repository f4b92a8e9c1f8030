/* test_password.c — PBKDF2 hashes: format, verification, a published test vector, malformed hashes. */
#include "testutil.h"
#include "auth_password.h"

#include <stdio.h>

#define FAST 1000 /* the minimum iteration count keeps most tests quick */

static void hash_has_the_documented_format(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("secret-pass", 11, PASSWORD_ITERATIONS, h, sizeof h), 0);
	assert_true(strncmp(h, "pbkdf2_sha256$600000$", 21) == 0);
	const char *salt = h + 21, *d = strchr(salt, '$');
	assert_non_null(d);
	assert_int_equal(d - salt, 24);        /* 16 bytes in standard base64 */
	assert_int_equal(strlen(d + 1), 44);   /* 32 bytes */
}

static void right_password_verifies_wrong_one_does_not(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("пароль-123", strlen("пароль-123"), FAST, h, sizeof h), 0);
	assert_int_equal(password_verify("пароль-123", strlen("пароль-123"), h), 1);
	assert_int_equal(password_verify("пароль-124", strlen("пароль-124"), h), 0);
	assert_int_equal(password_verify("", 0, h), 0);
	assert_int_equal(password_verify("пароль-12", strlen("пароль-12"), h), 0);
}

static void same_password_gets_a_fresh_salt(void **state)
{
	(void)state;
	char a[PASSWORD_HASH_MAX], b[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("x", 1, FAST, a, sizeof a), 0);
	assert_int_equal(password_hash("x", 1, FAST, b, sizeof b), 0);
	assert_string_not_equal(a, b);
}

static void full_cost_hash_verifies(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("orientir-demo", 13, PASSWORD_ITERATIONS, h, sizeof h), 0);
	assert_int_equal(password_verify("orientir-demo", 13, h), 1);
}

/*
 * The published PBKDF2-HMAC-SHA256 vector P="passwordPASSWORDpassword",
 * S="saltSALTsaltSALTsaltSALTsaltSALTsalt", c=4096 (first 32 bytes:
 * 348c89db…dd53e1), written in our format.
 */
static void known_vector_verifies(void **state)
{
	(void)state;
	static const char h[] = "pbkdf2_sha256$4096$c2FsdFNBTFRzYWx0U0FMVHNhbHRTQUxUc2FsdFNBTFRzYWx0$"
				"NIyJ28vTKy8y2BS4EW6EzysXNH68GAAYHE4qH7jdU+E=";
	assert_int_equal(password_verify("passwordPASSWORDpassword", 24, h), 1);
	assert_int_equal(password_verify("passwordPASSWORDpassworD", 24, h), 0);
}

static void malformed_hashes_are_refused_without_work(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"pbkdf2_sha256",
		"pbkdf2_sha256$",
		"pbkdf2_sha1$4096$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
		"pbkdf2_sha256$4096$c2FsdA==",
		"pbkdf2_sha256$4096$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=$",
		"pbkdf2_sha256$$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
		"pbkdf2_sha256$abc$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
		"pbkdf2_sha256$0$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
		"pbkdf2_sha256$1$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
		"pbkdf2_sha256$99999999999$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
		"pbkdf2_sha256$-4096$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
		"pbkdf2_sha256$4096$c2F*dA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
		"pbkdf2_sha256$4096$c2FsdA=$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
		"pbkdf2_sha256$4096$c2=sdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
		"pbkdf2_sha256$4096$$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
		"pbkdf2_sha256$4096$YQ==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=", /* 1-byte salt */
		"pbkdf2_sha256$4096$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=", /* 4-byte salt */
		"pbkdf2_sha256$4096$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qY",  /* 30-byte key */
		"pbkdf2_sha256$4096$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=AAAA",
		"pbkdf2_sha256$4096$c2FsdA==$xeR41ZKIyEGqUw22 hFxMjZYok6ABzk4RpJY4c6qYE0o",
		"$pbkdf2_sha256$4096$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (password_verify("password", 8, bad[i]) != -1)
			fail_msg("accepted malformed hash %s", bad[i]);
	assert_int_equal(password_verify("password", 8, NULL), -1);
}

static void hash_refuses_small_buffers_and_bad_costs(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX], tiny[20];
	assert_int_equal(password_hash("x", 1, FAST, tiny, sizeof tiny), -1);
	assert_int_equal(password_hash("x", 1, 10, h, sizeof h), -1);
}

static void unknown_login_path_spends_time_and_returns(void **state)
{
	(void)state;
	password_spend_time("whatever", 8); /* must not crash; its cost is the point */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_has_the_documented_format),
		cmocka_unit_test(right_password_verifies_wrong_one_does_not),
		cmocka_unit_test(same_password_gets_a_fresh_salt),
		cmocka_unit_test(full_cost_hash_verifies),
		cmocka_unit_test(known_vector_verifies),
		cmocka_unit_test(malformed_hashes_are_refused_without_work),
		cmocka_unit_test(hash_refuses_small_buffers_and_bad_costs),
		cmocka_unit_test(unknown_login_path_spends_time_and_returns),
	};
	return cmocka_run_group_tests_name("password", tests, NULL, NULL);
}
