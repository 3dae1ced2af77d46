/* pay: payloads as record JSON. */
#include <stdio.h>
#include <string.h>

#include "b64.h"
#include "pay.h"
#include "rec.h"

int
pay_kind_parse(const char *s, enum pay_kind *k)
{
	if (strcmp(s, "auto") == 0)
		*k = PAY_AUTO;
	else if (strcmp(s, "json") == 0)
		*k = PAY_JSON;
	else if (strcmp(s, "string") == 0)
		*k = PAY_STRING;
	else if (strcmp(s, "base64") == 0)
		*k = PAY_BASE64;
	else
		return -1;
	return 0;
}

/*
 * Is p a payload auto keeps as JSON?  Not a string or null (those read as
 * text), and no spaces around it: a record cannot carry them, and
 * kcat-in | kout must give every one-line payload back byte for byte.
 */
static int
auto_json(const char *p, size_t n)
{
	static const char space[] = " \t\r\n";

	return n > 0 && p[0] != '"' && p[0] != 'n' &&
	    strchr(space, p[0]) == NULL && strchr(space, p[n - 1]) == NULL;
}

static void
add_json(struct buf *out, const char *p, size_t n)
{
	size_t i, n0 = out->n;

	buf_add(out, p, n);
	/* A record is one line: line breaks outside strings become spaces. */
	for (i = n0; i < out->n; i++)
		if (out->p[i] == '\n' || out->p[i] == '\r')
			out->p[i] = ' ';
}

int
pay_json(struct buf *out, const char *p, size_t n, enum pay_kind k,
    const char **why)
{
	const char *w;

	if (p == NULL) {
		buf_add(out, "null", 4);
		return 0;
	}
	switch (k) {
	case PAY_JSON:
		if (rec_json_check(p, n, why) != 0) {
			static char whybuf[128];

			snprintf(whybuf, sizeof whybuf, "not JSON: %s", *why);
			*why = whybuf;
			return -1;
		}
		add_json(out, p, n);
		return 0;
	case PAY_AUTO:
		if (auto_json(p, n) && rec_json_check(p, n, &w) == 0) {
			add_json(out, p, n);
			return 0;
		}
		/* FALLTHROUGH */
	case PAY_STRING:
		if (rec_utf8_valid(p, n)) {
			buf_addjstr(out, p, n);
			return 0;
		}
		/* FALLTHROUGH */
	case PAY_BASE64:
		buf_addc(out, '"');
		b64_fmt(out, p, n);
		buf_addc(out, '"');
		return 1;
	}
	return 0;
}
