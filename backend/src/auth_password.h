/* auth_password.h — PBKDF2-HMAC-SHA256 password hashes in the format of docs/design.md. */
#ifndef ORIENTIR_AUTH_PASSWORD_H
#define ORIENTIR_AUTH_PASSWORD_H

#include <stddef.h>

#define PASSWORD_ITERATIONS 600000
#define PASSWORD_SALT_LEN 16
#define PASSWORD_KEY_LEN 32
/* Hashes may carry other iteration counts (older or stronger), within these bounds. */
#define PASSWORD_ITERATIONS_MIN 1000
#define PASSWORD_ITERATIONS_MAX 10000000
/* "pbkdf2_sha256$" + up to 8 digits + "$" + 88 salt chars + "$" + 44 key chars + NUL */
#define PASSWORD_HASH_MAX 192

/*
 * Hashes pw[0..len) with a fresh 16-byte salt into out as
 * `pbkdf2_sha256$<iterations>$<salt b64>$<key b64>`. Returns 0, or -1 when
 * out is too small or OpenSSL fails. Costs about as much as one verify.
 */
int password_hash(const char *pw, size_t len, unsigned iterations, char *out, size_t outsz);

/*
 * Checks pw against an encoded hash in constant time (CRYPTO_memcmp).
 * Returns 1 on match, 0 on mismatch, -1 when the hash is malformed (wrong
 * prefix, iterations outside the bounds, bad base64, salt of 8..64 bytes,
 * key not 32 bytes) — then no PBKDF2 work is done.
 */
int password_verify(const char *pw, size_t len, const char *encoded);

/*
 * Spends the same time as a verify of a PASSWORD_ITERATIONS hash, to be
 * called for an unknown login so that timing does not tell which logins exist.
 */
void password_spend_time(const char *pw, size_t len);

#endif
