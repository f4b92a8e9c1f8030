/* strutil.h — small pure string helpers: URL decoding, UTF-8, integers, base64url, hex. */
#ifndef ORIENTIR_STRUTIL_H
#define ORIENTIR_STRUTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes n bytes of application/x-www-form-urlencoded text into dst, which
 * must hold n + 1 bytes; '+' becomes a space when plus_is_space. Returns the
 * decoded length, or -1 for a malformed or incomplete %XX escape or a decoded
 * NUL byte (which no value of ours may contain). dst is NUL-terminated.
 */
long url_decode(const char *src, size_t n, char *dst, int plus_is_space);

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF), else 0. */
int utf8_valid(const char *s, size_t n);
/* Number of code points in well-formed UTF-8 (counts lead bytes). */
size_t utf8_len(const char *s, size_t n);

/*
 * Strict decimal integer: optional '-', 1..19 digits, no spaces, no '+',
 * fits int64. Returns 0 and stores into *out, or -1.
 */
int parse_int64(const char *s, size_t n, int64_t *out);
/* A positive id: [1-9][0-9]* that fits int64. Returns 0 or -1. */
int parse_id(const char *s, size_t n, int64_t *out);

/*
 * base64url without padding. Encode writes 4*ceil(n/3) - padding chars plus
 * a NUL into out (outsz must be ≥ b64url_encoded_len(n) + 1) and returns the
 * length. Decode returns the byte count, or -1 for a bad character, an
 * impossible length or an output that does not fit outsz.
 */
size_t b64url_encoded_len(size_t n);
size_t b64url_encode(const unsigned char *in, size_t n, char *out);
long b64url_decode(const char *in, size_t n, unsigned char *out, size_t outsz);

/* Lower-case hex of n bytes into out (2n + 1 bytes, NUL-terminated). */
void hex_encode(const unsigned char *in, size_t n, char *out);

/* 1 when s is 1..maxlen chars of [A-Za-z0-9._-] (a sane request id), else 0. */
int token_is_sane(const char *s, size_t maxlen);

/* ASCII case-insensitive comparison of s[0..n) with the NUL-terminated lit. */
int ascii_ieq(const char *s, size_t n, const char *lit);

#endif
