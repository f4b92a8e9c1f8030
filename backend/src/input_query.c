/* input_query.c — query-string parameters checked against a route's declared list; If-Match. */
#include "input.h"
#include "strutil.h"
#include "field_messages.h"

#include <stdio.h>
#include <string.h>

static int find_param(const struct query_spec *spec, const char *name)
{
	for (size_t i = 0; spec && i < spec->n; i++)
		if (strcmp(spec->params[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void set_num(struct qval *v, int64_t n)
{
	v->present = 1;
	v->num = n;
	snprintf(v->numbuf, sizeof v->numbuf, "%lld", (long long)n);
	v->str = v->numbuf;
}

/* Checks one non-empty value; fills *v or adds one error. */
static void check_param(const struct qparam_spec *p, const struct kv *kv, struct qval *v, json_t *errors)
{
	int64_t n;
	char msg[256];

	switch (p->type) {
	case QP_ID:
		if (parse_id(kv->val, kv->val_len, &n) != 0) {
			field_error_add(errors, p->name, "type", "Ожидается идентификатор (целое число больше нуля)");
			return;
		}
		set_num(v, n);
		return;
	case QP_INT:
		if (parse_int64(kv->val, kv->val_len, &n) != 0) {
			field_error_add(errors, p->name, "type", "Ожидается целое число");
			return;
		}
		if (n < p->min || n > p->max) {
			snprintf(msg, sizeof msg, "Значение должно быть от %lld до %lld", (long long)p->min,
				 (long long)p->max);
			field_error_add(errors, p->name, "out_of_range", msg);
			return;
		}
		set_num(v, n);
		return;
	case QP_STRING:
		if (!utf8_valid(kv->val, kv->val_len)) {
			field_error_add(errors, p->name, "invalid_utf8", FM_INVALID_UTF8);
			return;
		}
		if (utf8_len(kv->val, kv->val_len) > (size_t)p->max_len) {
			snprintf(msg, sizeof msg, "Не длиннее %d символов", p->max_len);
			field_error_add(errors, p->name, "too_long", msg);
			return;
		}
		v->present = 1;
		v->str = kv->val;
		return;
	case QP_ENUM:
		for (const char *const *a = p->allowed; a && *a; a++)
			if (strcmp(*a, kv->val) == 0) {
				v->present = 1;
				v->str = kv->val;
				return;
			}
		{
			size_t off = (size_t)snprintf(msg, sizeof msg, "Недопустимое значение; допустимы: ");
			for (size_t i = 0; p->allowed && p->allowed[i] && off < sizeof msg; i++)
				off += (size_t)snprintf(msg + off, sizeof msg - off, "%s%s", i ? ", " : "",
							p->allowed[i]);
		}
		field_error_add(errors, p->name, "invalid", msg);
		return;
	}
}

int query_validate(const struct query_spec *spec, const struct kv *pairs, size_t npairs,
		   struct qval *vals, json_t *errors)
{
	size_t before = json_array_size(errors);
	int seen[HTTP_MAX_QPARAMS] = { 0 }, refused[HTTP_MAX_QPARAMS] = { 0 };
	size_t n = spec ? spec->n : 0;

	memset(vals, 0, sizeof *vals * HTTP_MAX_QPARAMS);
	for (size_t i = 0; i < npairs; i++) {
		int k = find_param(spec, pairs[i].key);
		if (k < 0) {
			field_error_add(errors, pairs[i].key, "unknown", "Неизвестный параметр запроса");
			continue;
		}
		if (seen[k]++) {
			field_error_add(errors, pairs[i].key, "duplicate", "Параметр указан больше одного раза");
			continue;
		}
		if (pairs[i].val_len == 0)
			continue; /* "?municipality_id=" means "no filter" */
		size_t had = json_array_size(errors);
		check_param(&spec->params[k], &pairs[i], &vals[k], errors);
		refused[k] = json_array_size(errors) > had;
	}
	for (size_t k = 0; k < n; k++) {
		if (!vals[k].present && spec->params[k].has_default)
			set_num(&vals[k], spec->params[k].dflt);
		if (!vals[k].present && !refused[k] && spec->params[k].required)
			field_error_add(errors, spec->params[k].name, "required", spec->params[k].required);
	}
	return (int)(json_array_size(errors) - before);
}

int if_match_parse(const char *s, int32_t *version)
{
	int64_t n;
	size_t len;

	if (s == NULL)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= 2 && s[0] == 'W' && s[1] == '/') {
		s += 2;
		len -= 2;
	}
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		s++;
		len -= 2;
	}
	if (parse_int64(s, len, &n) != 0 || n < 0 || n > INT32_MAX)
		return -1;
	*version = (int32_t)n;
	return 0;
}
