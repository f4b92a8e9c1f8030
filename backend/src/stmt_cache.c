/* stmt_cache.c — per-connection prepared statement names by SQL text (FNV-1a hash, then strcmp). */
#include "stmt_cache.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long fnv1a(const char *s)
{
	unsigned long long h = 14695981039346656037ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

struct stmt_entry *stmt_cache_get(struct stmt_cache *c, const char *sql)
{
	unsigned long long h = fnv1a(sql);
	struct stmt_entry *e;

	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].hash == h && strcmp(c->entries[i].sql, sql) == 0)
			return &c->entries[i];
	if (c->n == STMT_CACHE_MAX)
		return NULL;
	e = &c->entries[c->n];
	e->hash = h;
	e->sql = xstrdup(sql);
	e->ready = 0;
	snprintf(e->name, sizeof e->name, "orientir_s%zu", c->n);
	c->n++;
	return e;
}

void stmt_cache_ready(struct stmt_entry *e)
{
	e->ready = 1;
}

void stmt_cache_forget(struct stmt_cache *c, struct stmt_entry *e)
{
	/* Only the newest entry can be unprepared: names stay tied to their slots. */
	if (c->n > 0 && e == &c->entries[c->n - 1] && !e->ready) {
		free(e->sql);
		e->sql = NULL;
		c->n--;
	}
}

void stmt_cache_clear(struct stmt_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->entries[i].sql);
	c->n = 0;
}
