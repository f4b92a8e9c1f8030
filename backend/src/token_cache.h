/* token_cache.h — access tokens this worker thread has verified, remembered until they expire. */
#ifndef ORIENTIR_TOKEN_CACHE_H
#define ORIENTIR_TOKEN_CACHE_H

#include "auth_jwt.h"

#include <time.h>

/*
 * Why: verifying a token with libjwt (an HMAC through OpenSSL 3's algorithm
 * fetch, and its JSON decoded twice) was a third of the API's CPU per
 * request, and a client sends the same token for up to 15 minutes. A token
 * is remembered by its SHA-256 digest (so a lookup compares digests in
 * constant time and keeps no token text) with its verified claims, in a
 * small direct-mapped table per thread: no locks. Only verified tokens are
 * put; an entry is used only before its exp. Revocation is unaffected: the
 * database checks the account and the token epoch on every request.
 */

/*
 * 1 and *c filled when token was verified with key by this thread and has not
 * expired at now; else 0. The key is part of the digest: a token verified
 * under one secret is never found under another.
 */
int token_cache_get(const unsigned char *key, size_t key_len, const char *token, time_t now, struct claims *c);
/* Remembers a token that access_token_verify() accepted with key, with its claims c (c->exp included). */
void token_cache_put(const unsigned char *key, size_t key_len, const char *token, const struct claims *c);

#endif
