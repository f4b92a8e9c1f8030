/* The per-connection cache of prepared statement names. */
#include "testutil.h"
#include "stmt_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void the_same_text_gets_the_same_name(void **state)
{
	(void)state;
	struct stmt_cache *c = calloc(1, sizeof *c);
	char copy[] = "SELECT app.schools_list($1::bigint)";
	struct stmt_entry *a = stmt_cache_get(c, "SELECT app.schools_list($1::bigint)");
	assert_non_null(a);
	assert_false(a->ready);
	stmt_cache_ready(a);
	struct stmt_entry *b = stmt_cache_get(c, copy); /* by text, not by pointer */
	assert_ptr_equal(a, b);
	assert_true(b->ready);
	struct stmt_entry *d = stmt_cache_get(c, "SELECT app.me()");
	assert_string_not_equal(a->name, d->name);
	stmt_cache_clear(c);
	assert_int_equal(c->n, 0);
	free(c);
}

static void a_failed_preparation_is_forgotten_and_a_full_cache_says_so(void **state)
{
	(void)state;
	struct stmt_cache *c = calloc(1, sizeof *c);
	char sql[64];
	struct stmt_entry *e = stmt_cache_get(c, "SELECT app.nonexistent()");
	stmt_cache_forget(c, e);
	assert_int_equal(c->n, 0);
	for (int i = 0; i < STMT_CACHE_MAX; i++) {
		snprintf(sql, sizeof sql, "SELECT %d", i);
		assert_non_null(stmt_cache_get(c, sql));
	}
	assert_null(stmt_cache_get(c, "SELECT 'one too many'"));
	snprintf(sql, sizeof sql, "SELECT %d", 7);
	assert_non_null(stmt_cache_get(c, sql)); /* known texts are still found */
	stmt_cache_clear(c);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_same_text_gets_the_same_name),
		cmocka_unit_test(a_failed_preparation_is_forgotten_and_a_full_cache_says_so),
	};
	return cmocka_run_group_tests_name("stmt_cache", tests, NULL, NULL);
}
