/* testutil.h — what every unit test needs: cmocka's prerequisites and small helpers over struct resp. */
#ifndef ORIENTIR_TESTUTIL_H
#define ORIENTIR_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "http.h"

/* The problem/JSON body of a response, parsed (json_decref it). Fails the test when it is not JSON. */
static inline json_t *body_json(const struct resp *resp)
{
	json_t *j = json_loadb(resp->body.data ? resp->body.data : "", resp->body.len, 0, NULL);
	assert_non_null(j);
	return j;
}

/* The "code" of a problem response (a static copy, valid until the next call). */
static inline const char *problem_code(const struct resp *resp)
{
	static char code[128];
	json_t *j = body_json(resp);
	snprintf(code, sizeof code, "%s", json_string_value(json_object_get(j, "code")));
	json_decref(j);
	return code;
}

/* 1 when errors[] of a problem response has an entry with this field and code. */
static inline int has_field_error(const struct resp *resp, const char *field, const char *code)
{
	json_t *j = body_json(resp), *e;
	size_t i;
	int found = 0;
	json_array_foreach(json_object_get(j, "errors"), i, e) {
		if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0 &&
		    strcmp(json_string_value(json_object_get(e, "code")), code) == 0)
			found = 1;
	}
	json_decref(j);
	return found;
}

/* Same for an errors array collected directly. */
static inline int array_has_error(const json_t *errors, const char *field, const char *code)
{
	json_t *e;
	size_t i;
	json_array_foreach(errors, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0 &&
		    strcmp(json_string_value(json_object_get(e, "code")), code) == 0)
			return 1;
	}
	return 0;
}

#endif
