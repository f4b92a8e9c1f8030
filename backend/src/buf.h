/* buf.h — a growable byte buffer, always NUL-terminated once anything is appended. */
#ifndef ORIENTIR_BUF_H
#define ORIENTIR_BUF_H

#include <stddef.h>

struct buf {
	char *data;  /* owned; NULL until the first append */
	size_t len;  /* bytes used, not counting the terminating NUL */
	size_t cap;  /* bytes allocated */
};

#define BUF_INIT { NULL, 0, 0 }

/* Appends n bytes; data stays NUL-terminated. Old data pointers are invalid after. */
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
/* printf-style append (formatted with vsnprintf, so %zu is fine here). */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as the inside of a JSON string (quotes not included). */
void buf_json_escape(struct buf *b, const char *s, size_t n);
/* Forgets the content, keeps the memory. */
void buf_reset(struct buf *b);
/* Releases the memory; accepts a zeroed buffer. The buffer is reusable after. */
void buf_free(struct buf *b);

#endif
