/* fuzz_cookie.c — libFuzzer target: Cookie header parsing and the refresh-token cookie check. */
#include "auth_refresh.h"
#include "http.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool pool = POOL_INIT;
	char *header = malloc(size + 1);
	struct kv *cookies;
	char hash[REFRESH_HASH_HEX + 1];

	memcpy(header, data, size);
	header[size] = '\0';
	size_t n = http_parse_cookies(&pool, header, &cookies);
	for (size_t i = 0; i < n; i++) {
		if (strlen(cookies[i].key) == 0)
			abort(); /* empty names are skipped by contract */
		(void)refresh_token_hash(cookies[i].val, hash);
	}
	pool_free(&pool);
	free(header);
	return 0;
}
