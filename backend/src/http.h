/* http.h — one HTTP request as FastCGI hands it over, and the response we build for it. */
#ifndef ORIENTIR_HTTP_H
#define ORIENTIR_HTTP_H

#include "auth_jwt.h"
#include "buf.h"
#include "pool.h"
#include "role.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_BODY (1024 * 1024) /* bytes of a JSON body; larger bodies get 413 unread */
#define HTTP_MAX_QUERY 4096         /* bytes of QUERY_STRING; more is 400 */
#define HTTP_MAX_PARAMS 32          /* query pairs; more is 400 */
#define HTTP_MAX_COOKIES 50         /* cookies beyond this are ignored */
#define HTTP_MAX_COOKIE_HEADER 8192 /* a longer Cookie header is ignored */
#define HTTP_MAX_IDS 4              /* {id} segments in one path */
#define HTTP_MAX_QPARAMS 12         /* declared query parameters of one route (test_router checks each route fits) */
#define REQUEST_ID_MAX 64
#define HTTP_FILE_CHUNK (64 * 1024) /* a file body goes out in pieces of at most this many bytes */

struct config;
struct db;
struct route;

/* One decoded name/value pair (query or cookie); strings live in the request pool. */
struct kv {
	const char *key;
	const char *val;
	size_t val_len;
};

/* A validated query parameter (see input.h): present or not, its number, its text. */
struct qval {
	int present;
	int64_t num;        /* integer kinds */
	const char *str;    /* the value as SQL text: decimal for integers; NULL when absent */
	char numbuf[24];
};

struct req {
	struct pool pool; /* owns every string below unless said otherwise */

	/* From the FastCGI parameters (req_load_params). Absent headers are NULL. */
	const char *method;        /* never NULL ("" when absent) */
	const char *path;          /* DOCUMENT_URI, else REQUEST_URI without the query; never NULL */
	const char *query_string;  /* never NULL */
	struct kv *query;          /* decoded pairs, in order */
	size_t nquery;
	int query_malformed;       /* bad %-escape, too long, too many pairs: 400 */
	struct kv *cookies;
	size_t ncookies;
	const char *authorization, *content_type, *if_match, *remote_addr;
	int64_t content_length;    /* -1 when absent */
	int content_length_bad;    /* not a decimal number: 400 */
	char *body;                /* read whole (req_read_body): NUL-terminated, may hold NULs inside; wiped on free */
	size_t body_len;
	/* Where the body comes from; it is read on demand, once the route (and its limit) is known. */
	long (*body_source)(void *ctx, char *p, size_t n);
	void *body_source_ctx;
	int64_t body_unread;       /* bytes announced and not yet read */
	char request_id[REQUEST_ID_MAX + 1];

	/* Set by the dispatcher before the handler runs. */
	const struct route *route;
	int64_t ids[HTTP_MAX_IDS]; /* placeholder path segments ({id}, {indicator_id}, …), in order */
	char id_text[HTTP_MAX_IDS][24];
	size_t nids;
	struct qval qv[HTTP_MAX_QPARAMS]; /* parallel to route->query->params */
	int has_version;           /* If-Match given (routes that accept it) */
	int32_t version;
	char version_text[16];
	json_t *json;              /* validated body, owned (json_decref in req_free) */
	int authenticated;         /* a valid access token on a non-public route */
	struct claims claims;

	/* Per-worker context, borrowed. */
	const struct config *cfg;
	struct db *db;

	/* Who the access log names; a handler that signs somebody in sets it. */
	int64_t log_user_id;
	enum role log_role;
};

/* Reads at most n bytes of the body into p: returns the count, 0 at the end, < 0 on error. */
typedef long (*body_reader)(void *ctx, char *p, size_t n);

/* Zeroes req and borrows cfg and db (either may be NULL in tests). */
void req_init(struct req *req, const struct config *cfg, struct db *db);

/*
 * Fills the request from a NULL-terminated FastCGI environment ("NAME=value"
 * strings): method, path, query (parsed), cookies (parsed), the headers we
 * use, content length and the request id (X-Request-Id when it is 1..64
 * chars of [A-Za-z0-9._-], else 32 random hex chars). Copies everything into
 * the pool, so envp may go away after the call.
 */
void req_load_params(struct req *req, char **envp);

/* Names where the body announced by CONTENT_LENGTH is read from (the server's input stream). */
void req_set_body_source(struct req *req, body_reader read, void *ctx);

/*
 * Reads the whole body into req->body with the source's reads in a loop (a
 * reader may return less than asked). Returns 0; 1 when the body is over
 * limit bytes (nothing is read); -1 when it ends early.
 */
int req_read_body(struct req *req, int64_t limit);

/*
 * Streams the body instead (uploads, CSV imports): the next at most n bytes
 * into p. Returns the count, 0 at the end of the announced body, -1 when the
 * body ends before it.
 */
long req_body_next(struct req *req, char *p, size_t n);

/* Reads and drops what is left of the body, so that the web server can finish sending it. */
void req_body_discard(struct req *req);

/*
 * Parses a query string into decoded pairs allocated in pool. Empty pieces
 * ("a=1&&b=2") are skipped; a piece without '=' has the value "". Returns 0,
 * or -1 when qs is longer than HTTP_MAX_QUERY, has more than HTTP_MAX_PARAMS
 * pairs, a bad %-escape, an encoded NUL, an empty name, or a name that is
 * not UTF-8.
 */
int http_parse_query(struct pool *pool, const char *qs, struct kv **out, size_t *n);

/*
 * Parses a Cookie header ("a=b; c=d") into pairs in pool. Pieces without
 * '=' or with an empty name are skipped, surrounding double quotes are
 * removed, nothing is %-decoded. Stops at HTTP_MAX_COOKIES; a header longer
 * than HTTP_MAX_COOKIE_HEADER yields no cookies. Returns the count.
 */
size_t http_parse_cookies(struct pool *pool, const char *header, struct kv **out);

/* The first cookie called name, or NULL. */
const char *req_cookie(const struct req *req, const char *name);

/* Frees what the request owns (json, claims, pool), wiping the body; accepts NULL. */
void req_free(struct req *req);

/* ---- response ---- */

struct resp {
	int status;               /* 0 until something is set */
	const char *content_type; /* static string; NULL for no body */
	struct buf headers;       /* extra "Name: value\r\n" lines */
	struct buf body;
	const char *request_id;   /* borrowed from the request */
	char error_code[64];      /* machine code of a problem response, for the log */
	/*
	 * A file body (exports) instead of `body`, when has_file: file_fd is an
	 * open descriptor, owned, read from its current offset. The server
	 * streams it in HTTP_FILE_CHUNK pieces and closes it; any other answer
	 * set afterwards (an error) closes it first. A zeroed resp has none.
	 */
	int has_file;
	int file_fd;
	uint64_t file_size;       /* bytes from the offset to the end: the Content-Length */
};

void resp_init(struct resp *resp, const char *request_id);
/* Frees the buffers; accepts NULL. */
void resp_free(struct resp *resp);

/* Adds a header line; refuses (and logs) a name or value with CR, LF or NUL. */
void resp_header(struct resp *resp, const char *name, const char *value);
/* Answers status with a copy of json[0..len) as application/json. */
void resp_json(struct resp *resp, int status, const char *json, size_t len);
/* Answers 204 with no body. */
void resp_no_content(struct resp *resp);

/*
 * Answers status with the bytes of fd from its current offset to the end as
 * the body (content_type static). Takes fd over whatever happens: it is
 * closed by resp_free or by a later answer. The file should already be
 * unlinked (nothing then outlives the request, even a crash). Returns 0, or
 * -1 after answering 500 when fd cannot be measured.
 */
int resp_file(struct resp *resp, int status, const char *content_type, int fd);

/* Writes n bytes to the client; 0, or -1 when the client is gone. */
typedef int (*body_writer)(void *ctx, const char *p, size_t n);

/*
 * Sends a file body through put(ctx, …) in pieces of at most
 * HTTP_FILE_CHUNK bytes, file_size bytes in all, then closes the file
 * (has_file becomes 0). Stops early on a read error, a file shorter than
 * announced or a failed write (the client then sees a body shorter than
 * its Content-Length). Returns the bytes sent; 0 without a file body.
 */
uint64_t resp_send_file(struct resp *resp, body_writer put, void *ctx);

/*
 * The problem+json family: {status, code, title, errors?, request_id}.
 * code is a stable machine code ("validation.failed"), title a Russian
 * sentence. errors, borrowed and possibly NULL, is a JSON array of
 * {field, code, message}; an empty array is left out. Replaces any body
 * set before; keeps extra headers (e.g. a cookie being cleared).
 */
void resp_error(struct resp *resp, int status, const char *code, const char *title);
void resp_error_fields(struct resp *resp, int status, const char *code, const char *title,
		       const json_t *errors);
/* The same with extension members (RFC 7807 §3.2) copied from members, an object (borrowed). */
void resp_error_members(struct resp *resp, int status, const char *code, const char *title,
			const json_t *members);

/* Appends {field, code, message} to errors (a JSON array); non-UTF-8 text becomes "?". */
void field_error_add(json_t *errors, const char *field, const char *code, const char *message);

/* Appends the FastCGI response head (Status, Content-Type, Content-Length — of the file body when there is one —, Cache-Control, X-Request-Id, extras, blank line). */
void resp_head(const struct resp *resp, struct buf *out);

/* The reason phrase of a status we use ("Unprocessable Entity"); "Unknown" otherwise. */
const char *http_reason(int status);

#endif
