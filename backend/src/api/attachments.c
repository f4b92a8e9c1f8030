/*
 * attachments.c — files attached to objects: the upload (streamed to the store while hashed,
 * its type decided by its content, optionally scanned, then registered by SQL) and the
 * download (SQL checks the caller's scope; nginx sends the bytes via X-Accel-Redirect).
 */
#include "api.h"
#include "../config.h"
#include "../db.h"
#include "../file_store.h"
#include "../file_type.h"
#include "../log.h"
#include "../router.h"

#include <errno.h>
#include <jansson.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>


#define UPLOAD_CHUNK (64 * 1024)
#define FILE_NAME_MAX 255

/* Which object an upload route attaches to, and which path ids name it (SQL's p_id, p_sub_id). */
struct attach_target {
	const char *pattern;
	const char *kind;
	int id_index, sub_index; /* sub_index -1: none */
};

static const struct attach_target targets[] = {
	{ "/api/v1/assignments/{id}/attachments", "assignment", 0, -1 },
	{ "/api/v1/programs/{id}/attachments", "program", 0, -1 },
	{ "/api/v1/programs/{id}/measures/{measure_id}/attachments", "measure", 1, 0 },
	{ "/api/v1/submissions/{id}/answers/{indicator_id}/attachments", "answer", 0, 1 },
	{ "/api/v1/documents/{id}/attachments", "document", 0, -1 },
	{ "/api/v1/practices/{id}/attachments", "practice", 0, -1 },
};

static const struct attach_target *target_of(const char *pattern)
{
	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
		if (strcmp(targets[i].pattern, pattern) == 0)
			return &targets[i];
	return NULL;
}

/* A file name is kept as given, but it must be one line of printable text. */
static int name_is_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* 422 with every problem of the name and the body at once; 0 when there is none. */
static int check_upload_input(struct req *req, struct resp *resp, const char **name)
{
	const struct qval *q = req_query(req, "name");
	json_t *errors = json_array();
	*name = q->present ? q->str : NULL;
	if (*name == NULL || strspn(*name, " \t") == strlen(*name))
		field_error_add(errors, "name", "required", "Укажите имя файла");
	else if (!name_is_printable(*name))
		field_error_add(errors, "name", "invalid", "Имя файла не может содержать управляющие символы");
	if (req->content_length <= 0)
		field_error_add(errors, "file", "required", "Выберите файл: он пуст или не передан");
	int bad = json_array_size(errors) > 0;
	if (bad)
		resp_error_fields(resp, 422, "validation.failed", "Проверьте файл и его имя", errors);
	json_decref(errors);
	return bad;
}

/* Writes the whole body into the upload. 0, or -1 after answering (400 short body, 500 disk). */
static int receive(struct req *req, struct resp *resp, struct file_upload *u)
{
	char buf[UPLOAD_CHUNK];
	long n;
	while ((n = req_body_next(req, buf, sizeof buf)) > 0) {
		if (file_upload_write(u, buf, (size_t)n) != 0) {
			log_msg(LL_ERROR, req->request_id, "cannot write upload %s: %s", u->tmp_path, strerror(errno));
			resp_error(resp, 500, "internal", "Не удалось сохранить файл");
			return -1;
		}
	}
	if (n < 0) {
		resp_error(resp, 400, "request.malformed", "Файл получен не полностью");
		return -1;
	}
	if (file_upload_finish(u) != 0) {
		log_msg(LL_ERROR, req->request_id, "cannot finish upload %s: %s", u->tmp_path, strerror(errno));
		resp_error(resp, 500, "internal", "Не удалось сохранить файл");
		return -1;
	}
	return 0;
}

/*
 * Runs ORIENTIR_SCAN_COMMAND with the file's path as its last argument (through sh, so the
 * setting may carry options): exit 0 is clean, 1 infected (as clamdscan). 0 clean, or -1
 * after answering 422 file.infected or 503 file.scan_failed.
 */
static int scan(struct req *req, struct resp *resp, const char *path)
{
	const char *cmd = req->cfg ? req->cfg->scan_command : NULL;
	if (cmd == NULL)
		return 0;
	char script[4200];
	snprintf(script, sizeof script, "%s \"$1\"", cmd);
	char *argv[] = { "sh", "-c", script, "orientir-scan", (char *)path, NULL };
	/* The scanner gets a search path and a locale, not the API's environment (its settings). */
	char *envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", NULL };
	pid_t pid;
	int status = -1;
	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, envp) == 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1) {
		log_msg(LL_WARN, req->request_id, "upload refused by the virus scanner");
		resp_error(resp, 422, "file.infected", "Файл не прошёл антивирусную проверку и не сохранён");
		return -1;
	}
	log_msg(LL_ERROR, req->request_id, "the virus scanner failed (status %d)", status);
	resp_error(resp, 503, "file.scan_failed", "Антивирусная проверка сейчас недоступна: попробуйте позже");
	return -1;
}

struct attach {
	struct req *req;
	struct file_upload *u;
	const char *params[8];
};

/* SQL registers the file; only then are its bytes moved into the store, before the commit. */
static PGresult *attach_steps(PGconn *conn, void *ctx)
{
	struct attach *a = ctx;
	PGresult *r = PQexecParams(conn,
				   "SELECT app.attachment_add($1, $2::bigint, $3::bigint, $4, $5::bigint, $6, $7, $8::bigint)",
				   8, NULL, a->params, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK &&
	    file_upload_store(a->u, a->req->cfg ? a->req->cfg->files_dir : "var/files") != 0) {
		log_msg(LL_ERROR, a->req->request_id, "cannot store upload %s: %s", a->u->sha256, strerror(errno));
		PQclear(r);
		return PQmakeEmptyPGresult(conn, PGRES_FATAL_ERROR); /* answered 500, rolled back */
	}
	return r;
}

/*
 * POST …/attachments?name=<file name> with the file's bytes as the body: 201 with the
 * attachment; 422 name / file required; 415 file.type_not_allowed; 422 file.infected,
 * file.quota_exceeded; 404, 403, 409 from SQL.
 */
int h_attachment_upload(struct req *req, struct resp *resp)
{
	const struct attach_target *t = target_of(req->route->pattern);
	const char *name;
	struct file_upload u;
	char size[24], quota[24];

	if (t == NULL) {
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		return resp->status;
	}
	if (check_upload_input(req, resp, &name) != 0)
		return resp->status;
	if (file_upload_begin(&u, req->cfg ? req->cfg->files_dir : "var/files") != 0) {
		log_msg(LL_ERROR, req->request_id, "cannot start an upload: %s", strerror(errno));
		resp_error(resp, 500, "internal", "Не удалось сохранить файл");
		return resp->status;
	}
	if (receive(req, resp, &u) == 0) {
		const char *type = file_type_allowed(u.tmp_path);
		if (type == NULL || scan(req, resp, u.tmp_path) == 0) {
			snprintf(size, sizeof size, "%llu", (unsigned long long)u.size);
			snprintf(quota, sizeof quota, "%lld", req->cfg ? req->cfg->file_quota : CONFIG_FILE_QUOTA_DEFAULT);
			struct attach a = { req, &u, { t->kind, req->id_text[t->id_index],
						      t->sub_index >= 0 ? req->id_text[t->sub_index] : NULL, name,
						      size, type, u.sha256, quota } };
			PGresult *r = db_call_steps(req, resp, attach_steps, &a);
			if (r != NULL)
				resp_json(resp, 201, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
			PQclear(r);
		}
	}
	file_upload_discard(&u);
	return resp->status;
}

/* RFC 5987 attr-char: what may stand unescaped in filename*=UTF-8''… */
static int is_attr_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$&+-.^_`|~", c) != NULL);
}

/*
 * Content-Disposition per RFC 6266: inline or attachment, an ASCII fallback name (each other
 * character, quotes and backslashes as '_') and the real name as filename*=UTF-8''<%-encoded>.
 */
static void content_disposition(struct buf *out, const char *name, int is_inline)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_puts(out, is_inline ? "inline; filename=\"" : "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue; /* the rest of a UTF-8 character already written as '_' */
		buf_printf(out, "%c", *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' ? *p : '_');
	}
	buf_puts(out, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (is_attr_char(*p))
			buf_printf(out, "%c", *p);
		else
			buf_printf(out, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

/*
 * GET /attachments/{id}: SQL says whether the caller sees the file (404 otherwise) and
 * audits a read from outside its organisation; nginx then sends the stored bytes from its
 * internal location /_files/ (X-Accel-Redirect), so the API never streams a download.
 */
int h_attachment_download(struct req *req, struct resp *resp)
{
	const char *p[] = { req->id_text[0] };
	PGresult *r = db_call(req, resp, "SELECT app.attachment_get($1::bigint)", 1, p);
	json_t *a = NULL;
	char rel[FILE_SHA256_HEX + 4], redirect[FILE_SHA256_HEX + 16];
	struct buf disposition = BUF_INIT;

	if (r == NULL)
		goto out;
	if (PQntuples(r) < 1 || PQgetisnull(r, 0, 0)) {
		resp_error(resp, 404, "not_found", "Файл не найден");
		goto out;
	}
	a = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
	const char *name = json_string_value(json_object_get(a, "name"));
	const char *type = file_type_static(json_string_value(json_object_get(a, "content_type")));
	const char *sha = json_string_value(json_object_get(a, "sha256"));
	if (name == NULL || type == NULL || sha == NULL || file_store_relpath(sha, rel, sizeof rel) != 0) {
		log_msg(LL_ERROR, req->request_id, "attachment %s has unusable metadata", req->id_text[0]);
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		goto out;
	}
	snprintf(redirect, sizeof redirect, "/_files/%s", rel);
	content_disposition(&disposition, name, file_type_is_inline(type));
	resp_json(resp, 200, "", 0);
	resp->content_type = type;
	resp_header(resp, "Content-Disposition", disposition.data);
	resp_header(resp, "X-Accel-Redirect", redirect);
out:
	buf_free(&disposition);
	json_decref(a);
	PQclear(r);
	return resp->status;
}
