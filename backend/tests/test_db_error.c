/* test_db_error.c — the SQLSTATE → HTTP table of docs/design.md. */
#include "testutil.h"
#include "db_error.h"

struct map_case {
	const char *sqlstate, *message, *detail, *hint;
	int status;
	const char *code, *title;
};

static void sqlstate_table(void **state)
{
	(void)state;
	static const struct map_case cases[] = {
		{ "OR404", "Школа не найдена", "not_found", NULL, 404, "not_found", "Школа не найдена" },
		{ "OR409", "Запись изменена", "conflict.stale_version", NULL, 409, "conflict.stale_version", "Запись изменена" },
		{ "OR409", "Нельзя", "conflict.state", NULL, 409, "conflict.state", "Нельзя" },
		{ "OR401", "Сессия истекла", "auth.invalid_refresh", NULL, 401, "auth.invalid_refresh", "Сессия истекла" },
		{ "OR403", "Нет", "auth.forbidden", NULL, 403, "auth.forbidden", "Нет" },
		{ "OR429", "Подождите", "auth.throttled", NULL, 429, "auth.throttled", "Подождите" },
		{ "OR422", "Ошибка", "validation.failed", NULL, 422, "validation.failed", "Ошибка" },
		{ "OR422", "", "Bad Code!", NULL, 422, "validation.failed", "Проверьте введённые данные" },
		{ "OR422", NULL, NULL, NULL, 422, "validation.failed", "Проверьте введённые данные" },
		{ "OR999", "x", "y", NULL, 500, "internal", "Внутренняя ошибка сервера" },
		{ "ORabc", "x", "y", NULL, 500, "internal", "Внутренняя ошибка сервера" },
		{ "42501", "permission denied for table school", NULL, NULL, 404, "not_found", NULL },
		{ "23505", "duplicate key value", NULL, NULL, 409, "conflict.duplicate", NULL },
		{ "23502", "null value", NULL, NULL, 422, "validation.failed", NULL },
		{ "23514", "check constraint", NULL, NULL, 422, "validation.failed", NULL },
		{ "22P02", "invalid input syntax", NULL, NULL, 422, "validation.failed", NULL },
		{ "22001", "value too long", NULL, NULL, 422, "validation.failed", NULL },
		{ "08006", "connection failure", NULL, NULL, 503, "service.unavailable", NULL },
		{ "57P01", "terminating connection", NULL, NULL, 503, "service.unavailable", NULL },
		{ "40P01", "deadlock detected", NULL, NULL, 503, "service.unavailable", NULL },
		{ NULL, NULL, NULL, NULL, 503, "service.unavailable", NULL },
		{ "42883", "function app.x() does not exist", NULL, NULL, 500, "internal", "Внутренняя ошибка сервера" },
		{ "XX000", "internal error", NULL, NULL, 500, "internal", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct resp resp;
		resp_init(&resp, "rid");
		int st = db_error_respond(&resp, cases[i].sqlstate, cases[i].message, cases[i].detail, cases[i].hint);
		json_t *j = body_json(&resp);
		const char *code = json_string_value(json_object_get(j, "code"));
		const char *title = json_string_value(json_object_get(j, "title"));
		if (st != cases[i].status || resp.status != cases[i].status || strcmp(code, cases[i].code) != 0 ||
		    (cases[i].title && strcmp(title, cases[i].title) != 0))
			fail_msg("case %zu (%s): got %d %s «%s»", i, cases[i].sqlstate ? cases[i].sqlstate : "NULL",
				 st, code, title);
		/* internal details never leak into the answer */
		assert_null(strstr(resp.body.data, "permission denied"));
		assert_null(strstr(resp.body.data, "does not exist"));
		json_decref(j);
		resp_free(&resp);
	}
}

static void hint_carries_field_errors(void **state)
{
	(void)state;
	struct resp resp;
	resp_init(&resp, "rid");
	db_error_respond(&resp, "OR422", "Роль не соответствует организации", "validation.failed",
			 "[{\"field\":\"school_id\",\"code\":\"required\",\"message\":\"Укажите школу\"},"
			 "{\"field\":\"login\",\"code\":\"taken\",\"message\":\"Логин занят\"},"
			 "{\"field\":1},\"junk\"]");
	assert_int_equal(resp.status, 422);
	assert_true(has_field_error(&resp, "school_id", "required"));
	assert_true(has_field_error(&resp, "login", "taken"));
	json_t *j = body_json(&resp);
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 2);
	json_decref(j);
	resp_free(&resp);
}

static void a_hint_that_is_not_json_is_ignored(void **state)
{
	(void)state;
	struct resp resp;
	resp_init(&resp, "rid");
	db_error_respond(&resp, "OR422", "Ошибка", "validation.failed", "Check the manual");
	json_t *j = body_json(&resp);
	assert_null(json_object_get(j, "errors"));
	json_decref(j);
	resp_free(&resp);
}

static void unavailability_classes(void **state)
{
	(void)state;
	assert_true(db_error_is_unavailable(NULL));
	assert_true(db_error_is_unavailable("08001"));
	assert_true(db_error_is_unavailable("57P03"));
	assert_true(db_error_is_unavailable("53300"));
	assert_false(db_error_is_unavailable("42501"));
	assert_false(db_error_is_unavailable("OR404"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sqlstate_table),
		cmocka_unit_test(hint_carries_field_errors),
		cmocka_unit_test(a_hint_that_is_not_json_is_ignored),
		cmocka_unit_test(unavailability_classes),
	};
	return cmocka_run_group_tests_name("db_error", tests, NULL, NULL);
}
