/* auth_password.c — PBKDF2-HMAC-SHA256 (OpenSSL) hashing and constant-time verification. */
#include "auth_password.h"
#include "strutil.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PREFIX "pbkdf2_sha256$"
#define SALT_MIN 8
#define SALT_MAX 64
#define STR_(x) #x
#define STR(x) STR_(x)

static int derive(const char *pw, size_t len, const unsigned char *salt, size_t salt_len,
		  unsigned iterations, unsigned char key[PASSWORD_KEY_LEN])
{
	if (len > INT32_MAX)
		return -1;
	return PKCS5_PBKDF2_HMAC(pw, (int)len, salt, (int)salt_len, (int)iterations, EVP_sha256(),
				 PASSWORD_KEY_LEN, key) == 1 ? 0 : -1;
}

int password_hash(const char *pw, size_t len, unsigned iterations, char *out, size_t outsz)
{
	unsigned char salt[PASSWORD_SALT_LEN], key[PASSWORD_KEY_LEN];
	/* EVP_EncodeBlock writes 4*ceil(n/3) chars plus a NUL. */
	char salt_b64[4 * ((PASSWORD_SALT_LEN + 2) / 3) + 1];
	char key_b64[4 * ((PASSWORD_KEY_LEN + 2) / 3) + 1];
	int rc = -1;

	if (iterations < PASSWORD_ITERATIONS_MIN || iterations > PASSWORD_ITERATIONS_MAX)
		goto out;
	if (RAND_bytes(salt, sizeof salt) != 1)
		goto out;
	if (derive(pw, len, salt, sizeof salt, iterations, key) != 0)
		goto out;
	EVP_EncodeBlock((unsigned char *)salt_b64, salt, sizeof salt);
	EVP_EncodeBlock((unsigned char *)key_b64, key, sizeof key);
	int n = snprintf(out, outsz, PREFIX "%u$%s$%s", iterations, salt_b64, key_b64);
	if (n < 0 || (size_t)n >= outsz)
		goto out;
	rc = 0;
out:
	OPENSSL_cleanse(key, sizeof key);
	return rc;
}

/*
 * Decodes standard base64 (with padding, length a multiple of 4, no
 * whitespace) into out. Returns the byte count, or -1. EVP_DecodeBlock
 * counts padding as zero bytes and skips whitespace, hence the checks.
 */
static long b64_decode(const char *in, size_t n, unsigned char *out, size_t outsz)
{
	size_t pad = 0;
	if (n == 0 || n % 4 != 0 || n / 4 * 3 > outsz + 2 || n > INT32_MAX)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			 c == '+' || c == '/';
		if (c == '=' && i >= n - 2) {
			pad++;
			continue;
		}
		if (!ok || pad)
			return -1; /* '=' only at the very end */
	}
	unsigned char tmp[SALT_MAX + 3];
	if (n / 4 * 3 > sizeof tmp)
		return -1;
	int r = EVP_DecodeBlock(tmp, (const unsigned char *)in, (int)n);
	if (r < 0 || (size_t)r < pad || (size_t)r - pad > outsz)
		return -1;
	memcpy(out, tmp, (size_t)r - pad);
	return (long)((size_t)r - pad);
}

int password_verify(const char *pw, size_t len, const char *encoded)
{
	unsigned char salt[SALT_MAX], want[PASSWORD_KEY_LEN + 2], got[PASSWORD_KEY_LEN];
	int rc = -1;
	const char *p, *d1, *d2;
	int64_t iterations;
	long salt_len, key_len;

	if (encoded == NULL || strncmp(encoded, PREFIX, strlen(PREFIX)) != 0)
		goto out;
	p = encoded + strlen(PREFIX);
	d1 = strchr(p, '$');
	if (d1 == NULL)
		goto out;
	d2 = strchr(d1 + 1, '$');
	if (d2 == NULL || strchr(d2 + 1, '$') != NULL)
		goto out;
	if (parse_id(p, (size_t)(d1 - p), &iterations) != 0 ||
	    iterations < PASSWORD_ITERATIONS_MIN || iterations > PASSWORD_ITERATIONS_MAX)
		goto out;
	salt_len = b64_decode(d1 + 1, (size_t)(d2 - d1 - 1), salt, sizeof salt);
	if (salt_len < SALT_MIN)
		goto out;
	key_len = b64_decode(d2 + 1, strlen(d2 + 1), want, sizeof want);
	if (key_len != PASSWORD_KEY_LEN)
		goto out;
	if (derive(pw, len, salt, (size_t)salt_len, (unsigned)iterations, got) != 0)
		goto out;
	rc = CRYPTO_memcmp(got, want, PASSWORD_KEY_LEN) == 0 ? 1 : 0;
out:
	OPENSSL_cleanse(got, sizeof got);
	return rc;
}

void password_spend_time(const char *pw, size_t len)
{
	/* A well-formed hash of nothing anybody types; only the work matters. */
	static const char dummy[] = PREFIX STR(PASSWORD_ITERATIONS) "$b3JpZW50aXItZHVtbXk=$"
				    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
	(void)password_verify(pw, len, dummy);
}
