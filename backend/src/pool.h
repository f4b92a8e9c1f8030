/* pool.h — per-request memory pool: many small allocations, one release. */
#ifndef ORIENTIR_POOL_H
#define ORIENTIR_POOL_H

#include <stddef.h>

struct pool_chunk;

struct pool {
	struct pool_chunk *head; /* owned list of chunks, newest first */
};

#define POOL_INIT { NULL }

/*
 * Returns n bytes aligned for any type, valid until pool_free(). Never NULL
 * (out of memory aborts). The memory is not zeroed.
 */
void *pool_alloc(struct pool *p, size_t n);
/* Copies n bytes of s and appends a NUL; the copy lives in the pool. */
char *pool_strndup(struct pool *p, const char *s, size_t n);
char *pool_strdup(struct pool *p, const char *s);
/* Releases every allocation at once; accepts an empty pool; the pool is reusable. */
void pool_free(struct pool *p);

#endif
