/* fuzz_json_body.c — libFuzzer target: JSON body validation against every body spec in the route table (nested objects, arrays of objects and documents included). */
#include "input.h"
#include "routes.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < api_routes_count; i++) {
		const struct body_spec *spec = api_routes[i].body;
		if (spec == NULL)
			continue;
		json_t *errors = json_array(), *out = NULL;
		const char *title = NULL;
		enum body_result r = body_validate(spec, (const char *)data, size, &out, errors, &title);
		/* The contract: OK ⇔ an object and no errors; otherwise no object. */
		if ((r == BODY_OK) != (out != NULL) || (r == BODY_OK && json_array_size(errors) != 0) ||
		    (r == BODY_INVALID && json_array_size(errors) == 0) || title == NULL)
			__builtin_trap();
		/*
		 * A document goes to SQL as the raw text: it must be a C string
		 * (no NUL inside) that says exactly what was validated.
		 */
		if (r == BODY_OK && (spec->flags & BS_DOCUMENT)) {
			json_t *again = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
			if (size == 0 || memchr(data, 0, size) != NULL || !json_equal(again, out))
				__builtin_trap();
			json_decref(again);
		}
		json_decref(out);
		json_decref(errors);
	}
	return 0;
}
