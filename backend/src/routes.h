/* routes.h — the API's one route table. */
#ifndef ORIENTIR_ROUTES_H
#define ORIENTIR_ROUTES_H

#include "router.h"

#include <stdio.h>

extern const struct route api_routes[];
extern const size_t api_routes_count;

/* Writes the table as JSON [{method, path, roles, public, call?: {function, args: [sql types]}}] and a newline. Returns 0 or -1. */
int routes_print_json(FILE *out);

#endif
