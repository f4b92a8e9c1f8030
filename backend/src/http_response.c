/* http_response.c — building responses: JSON bodies, problem+json errors, the FastCGI head. */
#include "http.h"
#include "log.h"
#include "mem.h"
#include "strutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void resp_init(struct resp *resp, const char *request_id)
{
	memset(resp, 0, sizeof *resp);
	resp->request_id = request_id;
	resp->file_fd = -1;
}

/* Forgets a file body, closing its descriptor: another answer replaces it. */
static void drop_file(struct resp *resp)
{
	if (resp->has_file)
		close(resp->file_fd);
	resp->has_file = 0;
	resp->file_fd = -1;
	resp->file_size = 0;
}

void resp_free(struct resp *resp)
{
	if (resp == NULL)
		return;
	drop_file(resp);
	buf_free(&resp->headers);
	buf_free(&resp->body);
}

static int header_safe(const char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n')
			return 0;
	return 1;
}

void resp_header(struct resp *resp, const char *name, const char *value)
{
	if (!header_safe(name) || !header_safe(value)) {
		log_msg(LL_ERROR, resp->request_id, "refused header %s with a line break", name);
		return;
	}
	buf_printf(&resp->headers, "%s: %s\r\n", name, value);
}

void resp_json(struct resp *resp, int status, const char *json, size_t len)
{
	drop_file(resp);
	resp->status = status;
	resp->content_type = "application/json";
	buf_reset(&resp->body);
	buf_append(&resp->body, json, len);
}

void resp_no_content(struct resp *resp)
{
	drop_file(resp);
	resp->status = 204;
	resp->content_type = NULL;
	buf_reset(&resp->body);
}

int resp_file(struct resp *resp, int status, const char *content_type, int fd)
{
	struct stat st;
	off_t at;

	drop_file(resp);
	buf_reset(&resp->body);
	at = fd >= 0 ? lseek(fd, 0, SEEK_CUR) : -1;
	if (at < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < at) {
		log_msg(LL_ERROR, resp->request_id, "file body cannot be measured: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		return -1;
	}
	resp->status = status;
	resp->content_type = content_type;
	resp->has_file = 1;
	resp->file_fd = fd;
	resp->file_size = (uint64_t)(st.st_size - at);
	return 0;
}

uint64_t resp_send_file(struct resp *resp, body_writer put, void *ctx)
{
	uint64_t sent = 0;
	char *chunk;

	if (!resp->has_file)
		return 0;
	/* On the heap: worker threads keep small stacks, and this runs once per export. */
	chunk = xmalloc(HTTP_FILE_CHUNK);
	while (sent < resp->file_size) {
		uint64_t left = resp->file_size - sent;
		size_t want = left < HTTP_FILE_CHUNK ? (size_t)left : HTTP_FILE_CHUNK;
		ssize_t got = read(resp->file_fd, chunk, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			log_msg(LL_ERROR, resp->request_id, "file body ended after %llu of %llu bytes",
				(unsigned long long)sent, (unsigned long long)resp->file_size);
			break;
		}
		if (put(ctx, chunk, (size_t)got) != 0) {
			log_msg(LL_WARN, resp->request_id, "client went away after %llu bytes of a file body",
				(unsigned long long)sent);
			break;
		}
		sent += (uint64_t)got;
	}
	free(chunk);
	drop_file(resp);
	return sent;
}

/* A JSON string of s, or of "?" when s is not UTF-8 (jansson refuses such strings). */
static json_t *safe_string(const char *s)
{
	json_t *j = json_string(s ? s : "");
	return j ? j : json_string("?");
}

void field_error_add(json_t *errors, const char *field, const char *code, const char *message)
{
	json_t *e = json_object();
	json_object_set_new(e, "field", safe_string(field));
	json_object_set_new(e, "code", safe_string(code));
	json_object_set_new(e, "message", safe_string(message));
	json_array_append_new(errors, e);
}

/* Builds the problem body; extra members (borrowed, may be NULL) never replace the standard ones. */
static void problem(struct resp *resp, int status, const char *code, const char *title,
		    const json_t *errors, const json_t *extra)
{
	json_t *o = json_object();
	char *text = NULL;
	const char *key;
	json_t *val;

	json_object_set_new(o, "status", json_integer(status));
	json_object_set_new(o, "code", safe_string(code));
	json_object_set_new(o, "title", safe_string(title));
	if (json_is_array(errors) && json_array_size(errors) > 0)
		json_object_set_new(o, "errors", json_deep_copy(errors));
	json_object_foreach((json_t *)extra, key, val)
		if (json_object_get(o, key) == NULL && strcmp(key, "request_id") != 0)
			json_object_set_new(o, key, json_deep_copy(val));
	json_object_set_new(o, "request_id", safe_string(resp->request_id));
	text = json_dumps(o, JSON_COMPACT);

	drop_file(resp);
	resp->status = status;
	resp->content_type = "application/problem+json";
	buf_reset(&resp->body);
	if (text)
		buf_puts(&resp->body, text);
	else
		buf_printf(&resp->body, "{\"status\":%d,\"code\":\"internal\",\"title\":\"\"}", status);
	snprintf(resp->error_code, sizeof resp->error_code, "%s", code ? code : "");
	free(text);
	json_decref(o);
}

void resp_error_fields(struct resp *resp, int status, const char *code, const char *title,
		       const json_t *errors)
{
	problem(resp, status, code, title, errors, NULL);
}

void resp_error_members(struct resp *resp, int status, const char *code, const char *title,
			const json_t *members)
{
	problem(resp, status, code, title, NULL, members);
}

void resp_error(struct resp *resp, int status, const char *code, const char *title)
{
	problem(resp, status, code, title, NULL, NULL);
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	}
	return "Unknown";
}

void resp_head(const struct resp *resp, struct buf *out)
{
	int status = resp->status ? resp->status : 500;
	buf_printf(out, "Status: %d %s\r\n", status, http_reason(status));
	if (resp->content_type && status != 204) {
		buf_printf(out, "Content-Type: %s\r\n", resp->content_type);
		if (resp->has_file)
			buf_printf(out, "Content-Length: %llu\r\n", (unsigned long long)resp->file_size);
		else
			buf_printf(out, "Content-Length: %zu\r\n", resp->body.len);
	}
	buf_puts(out, "Cache-Control: no-store\r\n");
	if (resp->request_id && resp->request_id[0])
		buf_printf(out, "X-Request-Id: %s\r\n", resp->request_id);
	if (resp->headers.len)
		buf_append(out, resp->headers.data, resp->headers.len);
	buf_puts(out, "\r\n");
}
