/*
 * buf: a growable byte buffer.
 *
 * b.p is never NULL after BUF_INIT and always has room for a terminating NUL,
 * which buf_* functions keep in place (so b.p can be used as a C string when
 * the contents have no NUL).  buf_reset empties it and keeps the capacity;
 * buf_free releases the memory and leaves it as after BUF_INIT.
 */
#ifndef KP_BUF_H
#define KP_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	char *p;
	size_t n;	/* bytes in use */
	size_t cap;	/* bytes allocated; 0 while p is the static empty */
};

extern char buf_empty[1];
#define BUF_INIT { buf_empty, 0, 0 }

/* Make room for extra more bytes (and the NUL). */
void buf_grow(struct buf *b, size_t extra);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Append n bytes at p, a C string, a byte: inline, as they are hot. */
static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->n + n >= b->cap)
		buf_grow(b, n);
	if (n > 0)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static inline void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static inline void
buf_addc(struct buf *b, char c)
{
	if (b->n + 1 >= b->cap)
		buf_grow(b, 1);
	b->p[b->n++] = c;
	b->p[b->n] = '\0';
}
/*
 * Items, as walks collect what they cannot change while they walk: n,
 * then n bytes.  buf_additem appends one; buf_item reads the one at p
 * into *q and *n, and returns the next.
 */
void buf_additem(struct buf *b, const void *p, size_t n);
const char *buf_item(const char *p, const char **q, size_t *n);
/* Append a decimal integer. */
void buf_addi(struct buf *b, int64_t v);
/* Append s as a JSON string, quotes included; s must be valid UTF-8. */
void buf_addjstr(struct buf *b, const char *s, size_t n);
void buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
