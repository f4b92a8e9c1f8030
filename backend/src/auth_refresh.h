/* auth_refresh.h — refresh tokens: 32 random bytes in an HttpOnly cookie, SHA-256 in the database. */
#ifndef ORIENTIR_AUTH_REFRESH_H
#define ORIENTIR_AUTH_REFRESH_H

#include "buf.h"

#define REFRESH_COOKIE "orientir_refresh"
#define REFRESH_COOKIE_PATH "/api/v1/auth"
#define REFRESH_TOKEN_BYTES 32
#define REFRESH_VALUE_LEN 43   /* base64url of 32 bytes, no padding */
#define REFRESH_HASH_HEX 64    /* hex of SHA-256 */

/*
 * Makes a fresh token: value gets the cookie value (REFRESH_VALUE_LEN + 1
 * bytes), hash_hex the hex SHA-256 of the raw bytes (REFRESH_HASH_HEX + 1).
 * Returns 0, or -1 when the random generator fails.
 */
int refresh_token_new(char *value, char *hash_hex);

/*
 * Hashes a cookie value as presented by the browser. Returns 0, or -1 when
 * it is not exactly the base64url form of 32 bytes (then it cannot be ours).
 */
int refresh_token_hash(const char *value, char *hash_hex);

/*
 * Appends the Set-Cookie value that stores value for max_age seconds, or,
 * with value NULL, the one that deletes the cookie (Max-Age=0).
 */
void refresh_cookie(struct buf *out, const char *value, long max_age, int secure);

#endif
