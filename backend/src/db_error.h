/* db_error.h — the SQLSTATE → HTTP table of docs/design.md, as one pure function. */
#ifndef ORIENTIR_DB_ERROR_H
#define ORIENTIR_DB_ERROR_H

#include "http.h"

/*
 * Answers resp for a failed statement, given its SQLSTATE (NULL when the
 * connection died), primary message, DETAIL and HINT (each may be NULL):
 *   ORnnn          → status nnn (400..599, else 500), code from DETAIL,
 *                    Russian title from MESSAGE, errors from HINT (JSON array)
 *   42501          → 404 not_found (RLS and grants never reveal existence)
 *   23505          → 409 conflict.duplicate
 *   class 22, 23   → 422 validation.failed
 *   class 08, 57P01-57P03, 53300, NULL → 503 service.unavailable
 *   class 40, 57014 → 503 service.unavailable (transient: retry)
 *   anything else  → 500 internal (the caller logs the message; it is never shown)
 * Returns the status it set.
 */
int db_error_respond(struct resp *resp, const char *sqlstate, const char *message, const char *detail,
		     const char *hint);

/* 1 when the SQLSTATE (or NULL: no server answer) means the database is unavailable. */
int db_error_is_unavailable(const char *sqlstate);

/* Answers 503 service.unavailable with Retry-After: 1. */
void resp_unavailable(struct resp *resp);

#endif
