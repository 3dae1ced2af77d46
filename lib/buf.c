/* buf: growable byte buffer. */
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "msg.h"

char buf_empty[1];

void
buf_grow(struct buf *b, size_t extra)
{
	size_t want = b->n + extra + 1, cap;

	if (want <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap * 2;
	if (b->cap == 0) {
		b->p = xmalloc(cap);
		b->p[0] = '\0';
	} else
		b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void
buf_reset(struct buf *b)
{
	b->n = 0;
	if (b->cap)
		b->p[0] = '\0';
}

void
buf_free(struct buf *b)
{
	if (b->cap)
		free(b->p);
	b->p = buf_empty;
	b->n = b->cap = 0;
}

void
buf_additem(struct buf *b, const void *p, size_t n)
{
	buf_add(b, &n, sizeof n);
	buf_add(b, p, n);
}

const char *
buf_item(const char *p, const char **q, size_t *n)
{
	memcpy(n, p, sizeof *n);
	*q = p + sizeof *n;
	return *q + *n;
}

void
buf_addi(struct buf *b, int64_t v)
{
	char tmp[24], *e = tmp + sizeof tmp, *q = e;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do
		*--q = '0' + u % 10;
	while ((u /= 10) != 0);
	if (v < 0)
		*--q = '-';
	buf_add(b, q, e - q);
}

void
buf_addjstr(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	const unsigned char *run;

	buf_grow(b, n + 2);
	b->p[b->n++] = '"';
	while (p < e) {
		run = p;
		while (p < e && *p >= 0x20 && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			buf_add(b, run, p - run);
		if (p == e)
			break;
		buf_grow(b, 6);
		b->p[b->n++] = '\\';
		switch (*p) {
		case '"': b->p[b->n++] = '"'; break;
		case '\\': b->p[b->n++] = '\\'; break;
		case '\n': b->p[b->n++] = 'n'; break;
		case '\t': b->p[b->n++] = 't'; break;
		case '\r': b->p[b->n++] = 'r'; break;
		case '\b': b->p[b->n++] = 'b'; break;
		case '\f': b->p[b->n++] = 'f'; break;
		default:
			b->p[b->n++] = 'u';
			b->p[b->n++] = '0';
			b->p[b->n++] = '0';
			b->p[b->n++] = hex[*p >> 4];
			b->p[b->n++] = hex[*p & 15];
		}
		p++;
	}
	buf_addc(b, '"');
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, n + 1, fmt, ap);
	va_end(ap);
	b->n += n;
}
