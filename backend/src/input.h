/* input.h — declarative shapes of request bodies and query strings, checked before any handler runs. */
#ifndef ORIENTIR_INPUT_H
#define ORIENTIR_INPUT_H

#include "http.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 16 /* nesting deeper than this is 422 before jansson parses anything */

enum field_type {
	FT_STRING,        /* JSON string; min_len..max_len characters; allowed values */
	FT_INT,           /* JSON integer in min..max (1.0 is not an integer) */
	FT_ID,            /* JSON integer ≥ 1 */
	FT_BOOL,          /* true / false */
	FT_STRING_ARRAY,  /* array of strings, at most max_items, each like FT_STRING */
	FT_DATE,          /* "YYYY-MM-DD", a real calendar date */
	FT_ID_ARRAY,      /* array of ids (integers ≥ 1), at most max_items */
	FT_OBJECT,        /* JSON object checked against the nested spec `object` (errors: "name.member") */
	FT_OBJECT_ARRAY,  /* array of at most max_items objects, each checked against `object` (errors: "name[i].member") */
};

#define FF_REQUIRED 0x1u /* absent → "required" */
#define FF_NULLABLE 0x2u /* JSON null is accepted (meaning "none") */
#define FF_LOGIN    0x4u /* only ASCII letters, digits, '.', '_', '-' */
#define FF_UNIQUE   0x8u /* array items must be distinct */
#define FF_NOT_BLANK 0x10u /* a string of only spaces is "too_short" */
#define FF_NOT_EMPTY 0x20u /* an empty array is "required" (nothing chosen) */
#define FF_TRUE_ONLY 0x40u /* FT_BOOL: only true is accepted ("invalid" for false) */

struct field_spec {
	const char *name;
	enum field_type type;
	unsigned flags;
	int min_len, max_len;        /* characters (code points), strings and array items */
	int64_t min, max;            /* FT_INT */
	const char *const *allowed;  /* NULL-terminated list, or NULL for any */
	int max_items;               /* FT_STRING_ARRAY, FT_ID_ARRAY, FT_OBJECT_ARRAY */
	const struct body_spec *object; /* FT_OBJECT, FT_OBJECT_ARRAY: the shape of the nested object(s) */
};

/*
 * BS_DOCUMENT: the body is a nested document validated in depth by SQL (an
 * instrument). Here only what every body gets — well-formed JSON, size,
 * depth, UTF-8, no duplicate keys or \u0000, an object at the top — and the
 * members are not looked at; the handler passes the raw text on, so the
 * document is stored as the client wrote it.
 */
#define BS_DOCUMENT        0x1u
#define BS_EXACTLY_ONE     0x2u /* exactly one of the fields present, else "invalid" on the object */
#define BS_EMPTY_IS_OBJECT 0x4u /* no body at all counts as {} (actions whose fields say what is missing) */

struct body_spec {
	const struct field_spec *fields;
	size_t nfields;
	int min_fields;   /* e.g. 1 for PATCH: an empty object is 422 */
	unsigned flags;   /* BS_* */
	/*
	 * Rules across fields, run only when every field passed on its own;
	 * adds entries to errors (borrowed). obj is the validated object. NULL: none.
	 */
	void (*check)(const json_t *obj, json_t *errors);
};

enum body_result {
	BODY_OK,        /* *out holds the validated object */
	BODY_MALFORMED, /* 400 request.malformed: not JSON, trailing garbage */
	BODY_INVALID,   /* 422 validation.failed: errors holds one entry per problem */
};

/*
 * Parses body[0..len) with JSON_REJECT_DUPLICATES and checks it against spec,
 * collecting every field problem into errors (a JSON array, borrowed).
 * Depth over JSON_MAX_DEPTH, invalid UTF-8, duplicate keys (at any level),
 * \u0000, numbers out of range and a non-object are 422; syntax errors 400.
 * An empty body is 400, or {} under BS_EMPTY_IS_OBJECT. Under BS_DOCUMENT
 * the members are not checked; a body that passes contains no NUL byte, so
 * body[0..len) can go to SQL as text as it is. On BODY_OK the caller owns
 * *out (json_decref); otherwise *out is NULL. *title is a static Russian
 * sentence for the problem response.
 */
enum body_result body_validate(const struct body_spec *spec, const char *body, size_t len,
			       json_t **out, json_t *errors, const char **title);

enum qparam_type {
	QP_ID,     /* positive int64 */
	QP_INT,    /* integer in min..max */
	QP_STRING, /* UTF-8, at most max_len characters */
	QP_ENUM,   /* one of allowed */
};

struct qparam_spec {
	const char *name;
	enum qparam_type type;
	int64_t min, max;            /* QP_INT */
	int has_default;
	int64_t dflt;                /* QP_INT when absent */
	int max_len;                 /* QP_STRING */
	const char *const *allowed;  /* QP_ENUM */
	const char *required;        /* non-NULL: the parameter must be given; the Russian message when not */
	const char *description;     /* optional: what the value means, for the OpenAPI description */
};

struct query_spec {
	const struct qparam_spec *params;
	size_t n; /* ≤ HTTP_MAX_QPARAMS */
};

/*
 * Checks the decoded query pairs against spec and fills vals[i] for
 * spec->params[i] (strings borrowed from the pairs, i.e. the request pool).
 * An empty value counts as absent. Unknown and repeated names, bad numbers,
 * values out of range, over-long or non-UTF-8 strings each add one entry to
 * errors. spec may be NULL (no parameters allowed). Returns the number of
 * errors added.
 */
int query_validate(const struct query_spec *spec, const struct kv *pairs, size_t npairs,
		   struct qval *vals, json_t *errors);

/*
 * Parses an If-Match value: a decimal version 0..2^31-1, optionally in
 * double quotes, optionally weak (W/"3"). Returns 0 or -1.
 */
int if_match_parse(const char *s, int32_t *version);

#endif
