/* pool.c — bump allocator over a list of chunks (the h2o "per-request pool" habit). */
#include "pool.h"
#include "mem.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define POOL_CHUNK_SIZE 4096

struct pool_chunk {
	struct pool_chunk *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

void *pool_alloc(struct pool *p, size_t n)
{
	const size_t align = alignof(max_align_t);
	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	struct pool_chunk *c = p->head;
	if (c == NULL || c->size - c->used < n) {
		/* Large requests get a chunk of their own, so a big body does not waste a page. */
		size_t size = n > POOL_CHUNK_SIZE ? n : POOL_CHUNK_SIZE;
		c = xmalloc(sizeof *c + size);
		c->used = 0;
		c->size = size;
		c->next = p->head;
		p->head = c;
	}
	void *r = c->data + c->used;
	c->used += n;
	return r;
}

char *pool_strndup(struct pool *p, const char *s, size_t n)
{
	char *d = pool_alloc(p, n + 1);
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *pool_strdup(struct pool *p, const char *s)
{
	return pool_strndup(p, s, strlen(s));
}

void pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	struct pool_chunk *c = p->head;
	while (c) {
		struct pool_chunk *next = c->next;
		free(c);
		c = next;
	}
	p->head = NULL;
}
