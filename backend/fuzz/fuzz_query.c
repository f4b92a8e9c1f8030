/* fuzz_query.c — libFuzzer target: query-string parsing and validation against a real route's parameters. */
#include "http.h"
#include "input.h"
#include "routes.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool pool = POOL_INIT;
	char *qs = malloc(size + 1);
	struct kv *pairs;
	size_t n;

	memcpy(qs, data, size);
	qs[size] = '\0'; /* FastCGI params are C strings: bytes after a NUL never arrive */
	if (http_parse_query(&pool, qs, &pairs, &n) == 0) {
		for (size_t i = 0; i < api_routes_count; i++) {
			struct qval vals[HTTP_MAX_QPARAMS];
			json_t *errors = json_array();
			query_validate(api_routes[i].query, pairs, n, vals, errors);
			json_decref(errors);
		}
	}
	pool_free(&pool);
	free(qs);
	return 0;
}
