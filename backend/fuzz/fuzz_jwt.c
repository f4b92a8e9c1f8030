/* fuzz_jwt.c — libFuzzer target: access-token verification must never accept what it did not issue. */
#include "auth_jwt.h"

#include <stdlib.h>
#include <string.h>

static const unsigned char KEY[] = "fuzz-key-fuzz-key-fuzz-key-fuzz-key!";
#define NOW 1700000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *token = malloc(size + 1);
	struct claims c;
	char *payload = NULL;

	memcpy(token, data, size);
	token[size] = '\0';
	enum token_result r = access_token_verify(KEY, sizeof KEY - 1, token, NOW, &c, &payload);
	if (r == TOKEN_VALID && (payload == NULL || c.user_id <= 0 || role_name(c.role) == NULL))
		__builtin_trap();
	free(payload);
	free(token);
	return 0;
}
