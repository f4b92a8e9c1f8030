/* mem.h — allocation wrappers: out of memory is fatal (logged, then abort). */
#ifndef ORIENTIR_MEM_H
#define ORIENTIR_MEM_H

#include <stddef.h>

/*
 * Why abort: a request handler that half-fails on OOM is harder to get right
 * than a process that dies and is restarted; glibc overcommits anyway. Every
 * pointer returned here is owned by the caller and released with free().
 */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
