/* db_error.c — maps PostgreSQL errors (custom ORnnn ones included) onto problem responses. */
#include "db_error.h"
#include "strutil.h"

#include <jansson.h>
#include <string.h>

/* A machine code must look like one: [a-z0-9_.], 1..63 chars. */
static int code_sane(const char *s)
{
	size_t n = 0;
	if (s == NULL)
		return 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (n >= 63 || !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'))
			return 0;
	}
	return n > 0;
}

static const char *default_code(int status)
{
	switch (status) {
	case 400: return "request.malformed";
	case 401: return "auth.unauthorized";
	case 403: return "auth.forbidden";
	case 404: return "not_found";
	case 409: return "conflict.state";
	case 422: return "validation.failed";
	case 429: return "auth.throttled";
	case 503: return "service.unavailable";
	}
	return "internal";
}

static const char *default_title(int status)
{
	switch (status) {
	case 400: return "Некорректный запрос";
	case 401: return "Требуется вход в систему";
	case 403: return "Недостаточно прав для этого действия";
	case 404: return "Объект не найден";
	case 409: return "Действие невозможно в текущем состоянии";
	case 422: return "Проверьте введённые данные";
	case 429: return "Слишком много попыток, повторите позже";
	case 503: return "Сервис временно недоступен, повторите попытку позже";
	}
	return "Внутренняя ошибка сервера";
}

int db_error_is_unavailable(const char *s)
{
	if (s == NULL || *s == '\0')
		return 1;
	return strncmp(s, "08", 2) == 0 || strcmp(s, "57P01") == 0 || strcmp(s, "57P02") == 0 ||
	       strcmp(s, "57P03") == 0 || strcmp(s, "53300") == 0 || strncmp(s, "40", 2) == 0 ||
	       strcmp(s, "57014") == 0;
}

void resp_unavailable(struct resp *resp)
{
	resp_header(resp, "Retry-After", "1");
	resp_error(resp, 503, "service.unavailable", default_title(503));
}

/*
 * The well-formed {field, code, message} entries of a HINT, as a new array
 * (or NULL). An entry's integer `line` (the CSV import's line number) comes
 * along; nothing else does.
 */
static json_t *hint_errors(const char *hint)
{
	json_t *in, *out, *e;
	size_t i;
	if (hint == NULL || *hint != '[')
		return NULL;
	in = json_loads(hint, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_array(in)) {
		json_decref(in);
		return NULL;
	}
	out = json_array();
	json_array_foreach(in, i, e) {
		const char *f = json_string_value(json_object_get(e, "field"));
		const char *c = json_string_value(json_object_get(e, "code"));
		const char *m = json_string_value(json_object_get(e, "message"));
		json_t *line = json_object_get(e, "line");
		if (f && c && m) {
			field_error_add(out, f, c, m);
			if (json_is_integer(line))
				json_object_set(json_array_get(out, json_array_size(out) - 1), "line", line);
		}
	}
	json_decref(in);
	return out;
}

int db_error_respond(struct resp *resp, const char *sqlstate, const char *message, const char *detail,
		     const char *hint)
{
	const char *s = sqlstate ? sqlstate : "";

	if (strlen(s) == 5 && s[0] == 'O' && s[1] == 'R') {
		int64_t n;
		int status = parse_int64(s + 2, 3, &n) == 0 && n >= 400 && n <= 599 ? (int)n : 500;
		const char *code = code_sane(detail) ? detail : default_code(status);
		const char *title = message && *message && utf8_valid(message, strlen(message))
					    ? message : default_title(status);
		json_t *errors = status == 500 ? NULL : hint_errors(hint);
		if (status == 500) {
			code = "internal";
			title = default_title(500);
		}
		resp_error_fields(resp, status, code, title, errors);
		json_decref(errors);
		return status;
	}
	if (strcmp(s, "42501") == 0) {
		resp_error(resp, 404, "not_found", default_title(404));
		return 404;
	}
	if (strcmp(s, "23505") == 0) {
		resp_error(resp, 409, "conflict.duplicate", "Такая запись уже существует");
		return 409;
	}
	if (strncmp(s, "22", 2) == 0 || strncmp(s, "23", 2) == 0) {
		resp_error(resp, 422, "validation.failed", "Данные не прошли проверку");
		return 422;
	}
	if (db_error_is_unavailable(sqlstate)) {
		resp_unavailable(resp);
		return 503;
	}
	resp_error(resp, 500, "internal", default_title(500));
	return 500;
}
