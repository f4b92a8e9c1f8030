/* stmt_cache.h — the SQL texts a connection has prepared, and the statement name of each. */
#ifndef ORIENTIR_STMT_CACHE_H
#define ORIENTIR_STMT_CACHE_H

#include <stddef.h>

/*
 * Why: PostgreSQL parses, analyses and plans an unnamed statement on every
 * request; a named one only once per connection (measured: +25 % tps for a
 * school list). The routes' SQL texts are a fixed set, so each connection
 * prepares each text the first time it runs it and keeps it.
 */
#define STMT_CACHE_MAX 256   /* more distinct texts than routes: the rest run unnamed */
#define STMT_NAME_MAX 24

struct stmt_cache {
	size_t n;
	struct stmt_entry {
		unsigned long long hash;
		char *sql;               /* owned copy */
		int ready;               /* prepared on the server */
		char name[STMT_NAME_MAX];
	} entries[STMT_CACHE_MAX];
};

/*
 * The entry for sql, added (not ready) when new; NULL when the cache is full.
 * The caller prepares it on the server and then calls stmt_cache_ready(), or
 * stmt_cache_forget() when preparing failed.
 */
struct stmt_entry *stmt_cache_get(struct stmt_cache *c, const char *sql);
void stmt_cache_ready(struct stmt_entry *e);
/* Removes e (the last one added, whose preparation failed). */
void stmt_cache_forget(struct stmt_cache *c, struct stmt_entry *e);
/* Forgets everything, for a new connection; frees the copies. */
void stmt_cache_clear(struct stmt_cache *c);

#endif
