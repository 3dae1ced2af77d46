/*
 * b64: base64 (RFC 4648, with padding), for payloads that are not UTF-8.
 * Pure apart from appending to a buf.
 */
#ifndef KP_B64_H
#define KP_B64_H

#include <stddef.h>

#include "buf.h"

/* Append the base64 text of p (n bytes) to out. */
void b64_fmt(struct buf *out, const void *p, size_t n);
/* Append the bytes of base64 text s (n bytes) to out; -1 if not base64. */
int b64_parse(struct buf *out, const char *s, size_t n);

#endif
