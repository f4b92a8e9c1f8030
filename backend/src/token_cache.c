/* token_cache.c — a per-thread direct-mapped table of verified access tokens, keyed by SHA-256. */
#include "token_cache.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <string.h>

#define SLOTS 64 /* per worker thread: more than the distinct clients a worker sees in a minute */

struct slot {
	unsigned char digest[32];
	int used;
	struct claims claims;
};

static _Thread_local struct slot slots[SLOTS];

static EVP_MD *sha256;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

/* Fetched once: the implicit fetch of SHA256() costs more than the digest of a token. */
static void fetch_sha256(void)
{
	sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

/* SHA-256 of the key's length, the key and the token (both bounded: JWT_MAX_LEN, the config's 4096). */
static int digest_of(const unsigned char *key, size_t key_len, const char *token, unsigned char out[32])
{
	unsigned char buf[sizeof(size_t) + 4096 + JWT_MAX_LEN];
	size_t token_len = strlen(token);
	unsigned int len = 0;

	if (key_len > 4096 || token_len > JWT_MAX_LEN)
		return -1;
	pthread_once(&sha256_once, fetch_sha256);
	memcpy(buf, &key_len, sizeof key_len);
	memcpy(buf + sizeof key_len, key, key_len);
	memcpy(buf + sizeof key_len + key_len, token, token_len);
	return sha256 != NULL &&
			       EVP_Digest(buf, sizeof key_len + key_len + token_len, out, &len, sha256, NULL) == 1 &&
			       len == 32
		       ? 0
		       : -1;
}

int token_cache_get(const unsigned char *key, size_t key_len, const char *token, time_t now, struct claims *c)
{
	unsigned char d[32];
	struct slot *s;

	if (key == NULL || token == NULL || digest_of(key, key_len, token, d) != 0)
		return 0;
	s = &slots[d[0] % SLOTS];
	if (!s->used || CRYPTO_memcmp(s->digest, d, sizeof d) != 0 || s->claims.exp <= (int64_t)now)
		return 0;
	*c = s->claims;
	return 1;
}

void token_cache_put(const unsigned char *key, size_t key_len, const char *token, const struct claims *c)
{
	unsigned char d[32];
	struct slot *s;

	if (key == NULL || token == NULL || digest_of(key, key_len, token, d) != 0)
		return;
	s = &slots[d[0] % SLOTS];
	memcpy(s->digest, d, sizeof d);
	s->claims = *c;
	s->used = 1;
}
