/* auth_jwt.h — access tokens: HS256 JWTs issued and verified with libjwt 1.10. */
#ifndef ORIENTIR_AUTH_JWT_H
#define ORIENTIR_AUTH_JWT_H

#include "role.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define JWT_ISSUER "orientir"
#define JWT_AUDIENCE "orientir"
#define JWT_LEEWAY 30      /* seconds of clock skew allowed for nbf and iat */
#define JWT_MAX_LEN 4096   /* longer Authorization tokens are rejected unparsed */

/* The verified identity of a caller. Ids of 0 mean JSON null. */
struct claims {
	int64_t user_id;          /* "sub", a decimal string in the token */
	enum role role;           /* "role" */
	int64_t region_id;        /* "reg" */
	int64_t municipality_id;  /* "mun" */
	int64_t school_id;        /* "sch" */
	int64_t epoch;            /* "ep": the user's token epoch at issue (app.users.token_epoch), >= 1 */
	int64_t exp;              /* "exp", seconds since the epoch; set by verification, ignored by issue */
};

enum token_result {
	TOKEN_VALID = 0,
	TOKEN_MALFORMED,      /* not three base64url parts, too long, or libjwt cannot decode it */
	TOKEN_BAD_SIGNATURE,  /* jwt_decode with the key failed (covers alg none and other keys) */
	TOKEN_BAD_ALG,        /* decoded, but the algorithm is not HS256 */
	TOKEN_EXPIRED,        /* exp missing, not an integer, or not in the future */
	TOKEN_NOT_YET_VALID,  /* nbf or iat missing, or later than now + JWT_LEEWAY */
	TOKEN_BAD_CLAIMS,     /* iss, aud, sub, role, reg/mun/sch, ep or jti wrong */
};

/*
 * Issues an access token for c, valid from now for ttl seconds, with a
 * random jti. key must be at least 32 bytes. Returns 0 and stores a
 * malloc'd string (free() it) in *out, or -1.
 */
int access_token_issue(const unsigned char *key, size_t key_len, const struct claims *c, time_t now,
		       long ttl, char **out);

/*
 * Verifies token. Always decodes with the real key (libjwt accepts anything
 * without one), then pins HS256 and checks every claim. On TOKEN_VALID fills
 * *c and, when payload is not NULL, stores the verified payload as compact
 * JSON (malloc'd, free() it).
 */
enum token_result access_token_verify(const unsigned char *key, size_t key_len, const char *token,
				      time_t now, struct claims *c, char **payload);

/* A short English name of a result, for logs. */
const char *token_result_str(enum token_result r);

#endif
