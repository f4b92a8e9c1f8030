/* input_body.c — JSON request bodies: parsed strictly with jansson, checked against a field spec, every problem collected. */
#include "input.h"
#include "strutil.h"
#include "field_messages.h"

#include <stdio.h>
#include <string.h>

#define MAX_ERRORS 50 /* a body with thousands of unknown keys gets a bounded answer */

static const char T_MALFORMED[] = "Тело запроса не является корректным JSON";
static const char T_NO_BODY[] = "Ожидается тело запроса в формате JSON";
static const char T_INVALID[] = "Проверьте введённые данные";
static const char T_EMPTY[] = "Нет данных для изменения";

static void add_error(json_t *errors, const char *field, const char *code, const char *message)
{
	if (json_array_size(errors) < MAX_ERRORS)
		field_error_add(errors, field, code, message);
}

/*
 * Lexical walk over the raw body, tracking strings and nesting only. Stops
 * at stop_at (or the end). Returns the greatest depth seen; *deep_at gets the
 * offset where depth first exceeded JSON_MAX_DEPTH (or len). key receives
 * the last top-level key that started before the stopping point (raw bytes
 * between the quotes, "" when none, not longer than keysz - 1).
 */
static int walk(const char *s, size_t len, size_t stop_at, size_t *deep_at, char *key, size_t keysz)
{
	int depth = 0, max = 0, in_str = 0, esc = 0, expect_key = 0, str_is_key = 0;
	size_t key_start = 0;
	*deep_at = len;
	key[0] = '\0';
	for (size_t i = 0; i < len && i < stop_at; i++) {
		char c = s[i];
		if (in_str) {
			if (esc) {
				esc = 0;
			} else if (c == '\\') {
				esc = 1;
			} else if (c == '"') {
				in_str = 0;
				if (str_is_key) {
					size_t n = i - key_start;
					if (n >= keysz)
						n = keysz - 1;
					memcpy(key, s + key_start, n);
					key[n] = '\0';
				}
			}
			continue;
		}
		switch (c) {
		case '"':
			in_str = 1;
			str_is_key = depth == 1 && expect_key;
			if (str_is_key) {
				key_start = i + 1;
				expect_key = 0;
				/* A key cut off by stop_at still names the field. */
				size_t n = stop_at > key_start ? stop_at - key_start : 0;
				if (n > 0 && stop_at <= len) {
					const char *q = memchr(s + key_start, '"', n);
					if (q == NULL) {
						if (n >= keysz)
							n = keysz - 1;
						memcpy(key, s + key_start, n);
						key[n] = '\0';
					}
				}
			}
			break;
		case '{':
		case '[':
			depth++;
			if (depth > max)
				max = depth;
			if (depth > JSON_MAX_DEPTH && *deep_at == len) {
				*deep_at = i;
				return max;
			}
			expect_key = c == '{' && depth == 1;
			break;
		case '}':
		case ']':
			depth--;
			break;
		case ',':
			if (depth == 1)
				expect_key = 1;
			break;
		default:
			break;
		}
	}
	return max;
}

/* The top-level field at byte offset pos, or "" when it cannot be named as UTF-8 without escapes. */
static void field_at(const char *body, size_t len, size_t pos, char *key, size_t keysz)
{
	size_t unused;
	walk(body, len, pos, &unused, key, keysz);
	if (strchr(key, '\\') || !utf8_valid(key, strlen(key)))
		key[0] = '\0';
}

static const char *type_message(enum field_type t)
{
	switch (t) {
	case FT_STRING: return "Ожидается строка";
	case FT_INT: return "Ожидается целое число";
	case FT_ID: return "Ожидается идентификатор (целое число больше нуля)";
	case FT_BOOL: return "Ожидается логическое значение (true или false)";
	case FT_STRING_ARRAY: return "Ожидается массив строк";
	case FT_DATE: return "Ожидается дата в формате ГГГГ-ММ-ДД";
	case FT_ID_ARRAY: return "Ожидается массив идентификаторов (целых чисел больше нуля)";
	case FT_OBJECT: return "Ожидается JSON-объект";
	case FT_OBJECT_ARRAY: return "Ожидается массив JSON-объектов";
	}
	return "Неверный тип значения";
}

static int is_allowed(const char *const *allowed, const char *s)
{
	if (allowed == NULL)
		return 1;
	for (; *allowed; allowed++)
		if (strcmp(*allowed, s) == 0)
			return 1;
	return 0;
}

static void allowed_message(const char *const *allowed, char *msg, size_t sz)
{
	size_t off = (size_t)snprintf(msg, sz, "Недопустимое значение; допустимы: ");
	for (size_t i = 0; allowed[i] && off < sz; i++)
		off += (size_t)snprintf(msg + off, sz - off, "%s%s", i ? ", " : "", allowed[i]);
}

static int login_chars_ok(const char *s)
{
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/*
 * Checks one string (a field or an array item) against length, charset and
 * allowed values; errors are named path (the field's full name).
 */
static void check_string(const struct field_spec *f, const char *path, json_t *v, json_t *errors)
{
	const char *s = json_string_value(v);
	size_t bytes = json_string_length(v);
	size_t chars = utf8_len(s, bytes);
	char msg[256];

	if (f->allowed) {
		if (!is_allowed(f->allowed, s)) {
			allowed_message(f->allowed, msg, sizeof msg);
			add_error(errors, path, "invalid", msg);
		}
		return;
	}
	if (f->max_len > 0 && chars > (size_t)f->max_len) {
		snprintf(msg, sizeof msg, "Не длиннее %d символов", f->max_len);
		add_error(errors, path, "too_long", msg);
	} else if (chars < (size_t)f->min_len || (f->min_len > 0 && (f->flags & FF_NOT_BLANK) && is_blank(s))) {
		if (f->min_len <= 1)
			snprintf(msg, sizeof msg, "Не может быть пустым");
		else
			snprintf(msg, sizeof msg, "Не короче %d символов", f->min_len);
		add_error(errors, path, "too_short", msg);
	} else if ((f->flags & FF_LOGIN) && !login_chars_ok(s)) {
		add_error(errors, path, "format",
			  "Допустимы только латинские буквы, цифры, точка, дефис и подчёркивание");
	}
}

static int date_ok(const char *s, size_t n)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

/*
 * The array part of FT_STRING_ARRAY and FT_ID_ARRAY: count, item types,
 * distinct items. One message per field is enough: stops at the first problem.
 */
static void check_array(const struct field_spec *f, const char *path, json_t *v, json_t *errors)
{
	size_t n = json_array_size(v);
	char msg[128];

	if (n == 0 && (f->flags & FF_NOT_EMPTY)) {
		add_error(errors, path, "required", "Выберите хотя бы одно значение");
		return;
	}
	if (f->max_items > 0 && n > (size_t)f->max_items) {
		snprintf(msg, sizeof msg, "Не больше %d элементов", f->max_items);
		add_error(errors, path, "too_many", msg);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(v, i);
		if (f->type == FT_ID_ARRAY) {
			if (!json_is_integer(item)) {
				add_error(errors, path, "type", type_message(f->type));
				return;
			}
			if (json_integer_value(item) < 1) {
				add_error(errors, path, "out_of_range", type_message(f->type));
				return;
			}
		} else {
			if (!json_is_string(item)) {
				add_error(errors, path, "type", type_message(f->type));
				return;
			}
			size_t before = json_array_size(errors);
			check_string(f, path, item, errors);
			if (json_array_size(errors) != before)
				return;
		}
		if (f->flags & FF_UNIQUE)
			for (size_t k = 0; k < i; k++)
				if (json_equal(json_array_get(v, k), item)) {
					add_error(errors, path, "duplicate", "Значения не должны повторяться");
					return;
				}
	}
}

static size_t check_object(const struct body_spec *spec, json_t *obj, const char *prefix, json_t *errors);

/*
 * FT_OBJECT_ARRAY: the count, then every item against f->object, each
 * named "path[i]" (0-based, as SQL names them), so a member reads
 * "items[1].executors[0].id".
 */
static void check_object_array(const struct field_spec *f, const char *path, json_t *v, json_t *errors)
{
	size_t n = json_array_size(v);
	char msg[128], item_path[288];

	if (n == 0 && (f->flags & FF_NOT_EMPTY)) {
		add_error(errors, path, "required", "Добавьте хотя бы один элемент");
		return;
	}
	if (f->max_items > 0 && n > (size_t)f->max_items) {
		snprintf(msg, sizeof msg, "Не больше %d элементов", f->max_items);
		add_error(errors, path, "too_many", msg);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(v, i);
		snprintf(item_path, sizeof item_path, "%s[%zu]", path, i);
		if (!json_is_object(item))
			add_error(errors, item_path, "type", type_message(FT_OBJECT));
		else if (f->object)
			check_object(f->object, item, item_path, errors);
	}
}

/* Checks one present member against its spec; errors are named path. */
static void check_field(const struct field_spec *f, const char *path, json_t *v, json_t *errors)
{
	char msg[128];

	if (json_is_null(v)) {
		if (!(f->flags & FF_NULLABLE))
			add_error(errors, path, "type", "Значение не может быть null");
		return;
	}
	switch (f->type) {
	case FT_STRING:
		if (!json_is_string(v))
			add_error(errors, path, "type", type_message(f->type));
		else
			check_string(f, path, v, errors);
		break;
	case FT_INT:
	case FT_ID: {
		if (!json_is_integer(v)) {
			add_error(errors, path, "type", type_message(f->type));
			break;
		}
		json_int_t n = json_integer_value(v);
		int64_t min = f->type == FT_ID ? 1 : f->min;
		int64_t max = f->type == FT_ID ? INT64_MAX : f->max;
		if (n < min || n > max) {
			if (f->type == FT_ID)
				snprintf(msg, sizeof msg, "%s", type_message(f->type));
			else
				snprintf(msg, sizeof msg, "Значение должно быть от %lld до %lld",
					 (long long)min, (long long)max);
			add_error(errors, path, "out_of_range", msg);
		}
		break;
	}
	case FT_BOOL:
		if (!json_is_boolean(v))
			add_error(errors, path, "type", type_message(f->type));
		else if ((f->flags & FF_TRUE_ONLY) && !json_is_true(v))
			add_error(errors, path, "invalid", "Допустимо только значение true");
		break;
	case FT_DATE:
		if (!json_is_string(v))
			add_error(errors, path, "type", type_message(f->type));
		else if (!date_ok(json_string_value(v), json_string_length(v)))
			add_error(errors, path, "invalid_date", FM_INVALID_DATE);
		break;
	case FT_STRING_ARRAY:
	case FT_ID_ARRAY:
		if (!json_is_array(v))
			add_error(errors, path, "type", type_message(f->type));
		else
			check_array(f, path, v, errors);
		break;
	case FT_OBJECT:
		if (!json_is_object(v))
			add_error(errors, path, "type", type_message(f->type));
		else if (f->object)
			check_object(f->object, v, path, errors);
		break;
	case FT_OBJECT_ARRAY:
		if (!json_is_array(v))
			add_error(errors, path, "type", type_message(f->type));
		else
			check_object_array(f, path, v, errors);
		break;
	}
}

static const struct field_spec *find_field(const struct body_spec *spec, const char *name)
{
	for (size_t i = 0; i < spec->nfields; i++)
		if (strcmp(spec->fields[i].name, name) == 0)
			return &spec->fields[i];
	return NULL;
}

/* "prefix.name" into out (just name at the top, where prefix is ""). */
static const char *member_path(const char *prefix, const char *name, char *out, size_t outsz)
{
	if (*prefix == '\0')
		return name;
	snprintf(out, outsz, "%s.%s", prefix, name);
	return out;
}

/*
 * Checks obj against spec: unknown members, required ones, each member,
 * "exactly one of" and the cross-field rule. Members are named
 * "prefix.name" ("" at the top, where the object itself is ""). Nesting is
 * bounded by the specs (static tables), not by the input. Returns how many
 * declared members are present.
 */
static size_t check_object(const struct body_spec *spec, json_t *obj, const char *prefix, json_t *errors)
{
	size_t present = 0, before = json_array_size(errors);
	const char *name;
	json_t *val;
	char path[256], msg[256];

	json_object_foreach(obj, name, val) {
		if (find_field(spec, name) == NULL)
			add_error(errors, member_path(prefix, name, path, sizeof path), "unknown", FM_UNKNOWN);
		else
			present++;
	}
	for (size_t i = 0; i < spec->nfields; i++) {
		const struct field_spec *f = &spec->fields[i];
		json_t *v = json_object_get(obj, f->name);
		const char *p = member_path(prefix, f->name, path, sizeof path);
		if (v == NULL) {
			if (f->flags & FF_REQUIRED)
				add_error(errors, p, "required", FM_REQUIRED);
			continue;
		}
		check_field(f, p, v, errors);
	}
	if ((spec->flags & BS_EXACTLY_ONE) && present != 1 && json_array_size(errors) == before) {
		size_t off = (size_t)snprintf(msg, sizeof msg, "Укажите ровно одно из полей: ");
		for (size_t i = 0; i < spec->nfields && off < sizeof msg; i++)
			off += (size_t)snprintf(msg + off, sizeof msg - off, "%s%s", i ? ", " : "",
						spec->fields[i].name);
		add_error(errors, prefix, "invalid", msg);
	}
	if (spec->check && json_array_size(errors) == before)
		spec->check(obj, errors);
	return present;
}

enum body_result body_validate(const struct body_spec *spec, const char *body, size_t len,
			       json_t **out, json_t *errors, const char **title)
{
	enum body_result r = BODY_MALFORMED;
	json_t *root = NULL;
	json_error_t jerr;
	size_t deep_at, errors_before = json_array_size(errors);
	char key[128];

	*out = NULL;
	*title = T_MALFORMED;
	if ((body == NULL || len == 0) && (spec->flags & BS_EMPTY_IS_OBJECT)) {
		body = "{}";
		len = 2;
	}
	if (body == NULL || len == 0) {
		*title = T_NO_BODY;
		goto out;
	}
	r = BODY_INVALID;
	*title = T_INVALID;
	if (walk(body, len, len, &deep_at, key, sizeof key) > JSON_MAX_DEPTH) {
		field_at(body, len, deep_at, key, sizeof key);
		add_error(errors, key, "too_deep", FM_TOO_DEEP);
		goto out;
	}
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (root == NULL) {
		field_at(body, len, (size_t)jerr.position, key, sizeof key);
		switch (json_error_code(&jerr)) {
		case json_error_invalid_utf8:
			add_error(errors, key, "invalid_utf8", FM_INVALID_UTF8);
			break;
		case json_error_duplicate_key:
			add_error(errors, key, "duplicate", "Поле указано больше одного раза");
			break;
		case json_error_numeric_overflow:
			add_error(errors, key, "out_of_range", "Число вне допустимого диапазона");
			break;
		case json_error_null_character:
		case json_error_null_byte_in_key:
			add_error(errors, key, "invalid_char", FM_INVALID_CHAR);
			break;
		default:
			r = BODY_MALFORMED;
			*title = T_MALFORMED;
			break;
		}
		goto out;
	}
	if (!json_is_object(root)) {
		add_error(errors, "", "type", "Ожидается JSON-объект");
		goto out;
	}
	if (spec->flags & BS_DOCUMENT) {
		/* Raw text goes on to SQL as a C string: it must not hide a NUL (jansson refuses one anyway). */
		if (memchr(body, '\0', len) != NULL) {
			add_error(errors, "", "invalid_char", FM_INVALID_CHAR);
			goto out;
		}
	} else {
		size_t present = check_object(spec, root, "", errors);
		if (json_array_size(errors) == errors_before && present < (size_t)spec->min_fields) {
			*title = T_EMPTY;
			add_error(errors, "", "empty", "Укажите хотя бы одно поле");
		}
	}
	if (json_array_size(errors) != errors_before)
		goto out;
	*out = root;
	root = NULL;
	r = BODY_OK;
out:
	json_decref(root);
	return r;
}
