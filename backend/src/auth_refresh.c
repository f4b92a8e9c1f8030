/* auth_refresh.c — refresh-token values, their SHA-256, and the cookie that carries them. */
#include "auth_refresh.h"
#include "strutil.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

static int sha256_hex(const unsigned char *in, size_t n, char *hash_hex)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	if (EVP_Digest(in, n, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != sizeof md)
		return -1;
	hex_encode(md, sizeof md, hash_hex);
	return 0;
}

int refresh_token_new(char *value, char *hash_hex)
{
	unsigned char raw[REFRESH_TOKEN_BYTES];
	int rc = -1;
	if (RAND_bytes(raw, sizeof raw) != 1)
		goto out;
	b64url_encode(raw, sizeof raw, value);
	rc = sha256_hex(raw, sizeof raw, hash_hex);
out:
	OPENSSL_cleanse(raw, sizeof raw);
	return rc;
}

int refresh_token_hash(const char *value, char *hash_hex)
{
	unsigned char raw[REFRESH_TOKEN_BYTES + 2];
	int rc = -1;
	if (value == NULL || strlen(value) != REFRESH_VALUE_LEN)
		goto out;
	if (b64url_decode(value, REFRESH_VALUE_LEN, raw, sizeof raw) != REFRESH_TOKEN_BYTES)
		goto out;
	rc = sha256_hex(raw, REFRESH_TOKEN_BYTES, hash_hex);
out:
	OPENSSL_cleanse(raw, sizeof raw);
	return rc;
}

void refresh_cookie(struct buf *out, const char *value, long max_age, int secure)
{
	buf_printf(out, REFRESH_COOKIE "=%s; Path=" REFRESH_COOKIE_PATH
		   "; HttpOnly; SameSite=Strict; Max-Age=%ld%s",
		   value ? value : "", value ? max_age : 0L, secure ? "; Secure" : "");
}
