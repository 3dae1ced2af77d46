/* b64: base64. */
#include "b64.h"

static const char abc[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
b64_fmt(struct buf *out, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;
	unsigned v;

	buf_grow(out, (n + 2) / 3 * 4);
	for (i = 0; i + 2 < n; i += 3) {
		v = s[i] << 16 | s[i + 1] << 8 | s[i + 2];
		out->p[out->n++] = abc[v >> 18];
		out->p[out->n++] = abc[v >> 12 & 63];
		out->p[out->n++] = abc[v >> 6 & 63];
		out->p[out->n++] = abc[v & 63];
	}
	if (i < n) {
		v = s[i] << 16 | (i + 1 < n ? s[i + 1] << 8 : 0);
		out->p[out->n++] = abc[v >> 18];
		out->p[out->n++] = abc[v >> 12 & 63];
		out->p[out->n++] = i + 1 < n ? abc[v >> 6 & 63] : '=';
		out->p[out->n++] = '=';
	}
	out->p[out->n] = '\0';
}

static int
val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

int
b64_parse(struct buf *out, const char *s, size_t n)
{
	unsigned v = 0;
	int bits = 0, d;
	size_t i;

	while (n > 0 && s[n - 1] == '=')
		n--;
	for (i = 0; i < n; i++) {
		if ((d = val(s[i])) < 0)
			return -1;
		v = v << 6 | d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(out, (char)(v >> bits & 0xff));
		}
	}
	return 0;
}
