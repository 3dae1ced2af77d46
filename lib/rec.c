/* rec: the record codec. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b64.h"
#include "msg.h"
#include "rec.h"

const char *const rec_names[REC_NF] = {
	"ts", "key", "key_base64", "value", "value_base64", "window",
	"headers", "topic", "partition", "offset", "@"
};

/* Deeper nesting is refused: libjq 1.6 itself stops at 256. */
#define MAX_DEPTH 1024

static char whybuf[96];

/*
 * The scanner keeps its position in a local pointer, passed and returned
 * (NULL on failure), not in struct scan: through a pointer the compiler
 * stores and reloads it at every byte.  struct scan holds the bounds and,
 * after a failure, where and why.
 */
struct scan {
	const unsigned char *p, *b, *e;
	const char *why;
};

static const unsigned char *
fail(struct scan *s, const unsigned char *p, const char *what)
{
	s->p = p;
	snprintf(whybuf, sizeof whybuf, "%s at column %zu", what,
	    (size_t)(p - s->b) + 1);
	s->why = whybuf;
	return NULL;
}

static const unsigned char *
unexpected(struct scan *s, const unsigned char *p)
{
	if (p >= s->e)
		return fail(s, p, "unexpected end of line");
	if (*p == '\0')
		return fail(s, p, "NUL byte");
	if (*p >= 0x80)
		return fail(s, p, "unexpected non-ASCII byte");
	s->p = p;
	snprintf(whybuf, sizeof whybuf, "unexpected '%c' at column %zu",
	    *p >= 0x20 && *p < 0x7f ? *p : '?', (size_t)(p - s->b) + 1);
	s->why = whybuf;
	return NULL;
}

static inline const unsigned char *
ws(const unsigned char *p, const unsigned char *e)
{
	/* Compact JSON has none: one test tells. */
	while (p < e && *p <= ' ' &&
	    (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* Length of the UTF-8 sequence at p (0: invalid). */
static size_t
utf8_len(const unsigned char *p, const unsigned char *e)
{
	unsigned c = p[0];

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	if (c < 0xe0)
		return e - p >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c < 0xf0) {
		if (e - p < 3 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && p[1] >= 0xa0)
			return 0;	/* surrogate */
		return 3;
	}
	if (e - p < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
	    (p[3] & 0xc0) != 0x80)
		return 0;
	if (c == 0xf0 && p[1] < 0x90)
		return 0;	/* overlong */
	if (c == 0xf4 && p[1] >= 0x90)
		return 0;	/* beyond U+10FFFF */
	return 4;
}

int
rec_utf8_valid(const char *p, size_t n)
{
	const unsigned char *q = (const unsigned char *)p, *e = q + n;
	size_t k;

	while (q < e) {
		if (*q < 0x80) {
			q++;
			continue;
		}
		if ((k = utf8_len(q, e)) == 0)
			return 0;
		q += k;
	}
	return 1;
}

static int
hex4(const unsigned char *p)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!((p[i] >= '0' && p[i] <= '9') ||
		    (p[i] >= 'a' && p[i] <= 'f') ||
		    (p[i] >= 'A' && p[i] <= 'F')))
			return 0;
	return 1;
}

/* Bytes that a string holds as they are: printable ASCII but '"', '\\'. */
static const unsigned char plain[256] = {
	[0x20] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* 0x80 in each byte of w that is '"', '\\', a control or non-ASCII. */
static inline uint64_t
special8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
	uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');

	/*
	 * A byte that is zero (after the xor) or below 0x20 borrows: its
	 * high bit comes up.  Without a borrow a high bit comes up only in
	 * a byte of 0x80 or more, which w flags anyway.  A borrow can also
	 * flag a byte above a flagged one, never one below: the lowest
	 * flagged byte is the first that is not plain.
	 */
	return ((q - ones) | (bs - ones) | (w - ones * 0x20) | w) & high;
}

/*
 * The rest of a string, from p after the opening quote: the byte after
 * the closing quote, or NULL.
 */
static const unsigned char *
string_rest(struct scan *s, const unsigned char *p)
{
	const unsigned char *e = s->e;
	uint64_t w;
	size_t k;

	for (;;) {
		/*
		 * Eight bytes at a time to the first that is not plain (the
		 * lowest flagged byte is exact), then one at a time near the
		 * end of the line.
		 */
		while (e - p >= 8) {
			memcpy(&w, p, 8);
			if ((w = special8(w)) != 0) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				p += __builtin_ctzll(w) >> 3;
#else
				while (plain[*p])
					p++;
#endif
				goto special;
			}
			p += 8;
		}
		while (p < e && plain[*p])
			p++;
special:
		if (p >= e)
			return fail(s, p, "unterminated string");
		if (*p == '"')
			return p + 1;
		if (*p == '\\') {
			if (e - p < 2)
				return fail(s, p, "unterminated string");
			switch (p[1]) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				p += 2;
				break;
			case 'u':
				if (e - p < 6 || !hex4(p + 2))
					return fail(s, p, "bad \\u escape");
				p += 6;
				break;
			default:
				return fail(s, p, "bad escape");
			}
			continue;
		}
		if (*p < 0x20)
			return fail(s, p, *p == 0 ? "NUL byte" :
			    "control character in string");
		if ((k = utf8_len(p, e)) == 0)
			return fail(s, p, "invalid UTF-8");
		p += k;
	}
}

/*
 * p is at the opening quote: the byte after the closing one, or NULL.
 * Most strings are short and plain: their closing quote is among the
 * next eight bytes, found here without a call.
 */
static inline const unsigned char *
string(struct scan *s, const unsigned char *p)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;

	p++;
	if (s->e - p >= 8) {
		memcpy(&w, p, 8);
		if ((w = special8(w)) == 0)
			p += 8;
		else {
			p += __builtin_ctzll(w) >> 3;
			if (*p == '"')
				return p + 1;
		}
	}
	return string_rest(s, p);
#else
	return string_rest(s, p + 1);
#endif
}

static inline int
is_digit(unsigned c)
{
	return c - '0' < 10;
}

/*
 * Bits set in each byte of w that is not a digit: a digit's high nibble
 * is 3, and still is after adding 6.  A digit never carries into the
 * byte above it, so the lowest byte flagged is the first non-digit.
 */
static inline uint64_t
nondigit8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull;

	return ((w & ones * 0xf0) ^ ones * 0x30) |
	    (((w + ones * 0x06) & ones * 0xf0) ^ ones * 0x30);
}

/* Past the decimal digits from p. */
static inline const unsigned char *
digits(const unsigned char *p, const unsigned char *e)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w, t;

	while (e - p >= 8) {
		memcpy(&w, p, 8);
		if ((t = nondigit8(w)) != 0)
			return p + (__builtin_ctzll(t) >> 3);
		p += 8;
	}
#endif
	while (p < e && is_digit(*p))
		p++;
	return p;
}

static inline const unsigned char *
number(struct scan *s, const unsigned char *p)
{
	const unsigned char *e = s->e;

	if (p < e && *p == '-')
		p++;
	if (p < e && *p == '0')
		p++;
	else if (p < e && *p >= '1' && *p <= '9')
		p = digits(p + 1, e);
	else
		return unexpected(s, p);
	if (p < e && *p == '.') {
		p++;
		if (p >= e || !is_digit(*p))
			return unexpected(s, p);
		p = digits(p + 1, e);
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || !is_digit(*p))
			return unexpected(s, p);
		while (p < e && is_digit(*p))
			p++;
	}
	return p;
}

static const unsigned char *
literal(struct scan *s, const unsigned char *p, const char *w, size_t n)
{
	if ((size_t)(s->e - p) < n || memcmp(p, w, n) != 0)
		return unexpected(s, p);
	return p + n;
}

/* A scalar at p (p < s->e): the byte after it, or NULL. */
static inline const unsigned char *
scalar(struct scan *s, const unsigned char *p)
{
	switch (*p) {
	case '"':
		return string(s, p);
	case 't':
		return literal(s, p, "true", 4);
	case 'f':
		return literal(s, p, "false", 5);
	case 'n':
		return literal(s, p, "null", 4);
	default:
		return number(s, p);
	}
}

/*
 * One JSON value at p (no leading space): the byte after it, or NULL.
 * Iterative over nesting.
 */
static const unsigned char *
value(struct scan *s, const unsigned char *p)
{
	const unsigned char *e = s->e;
	unsigned char stack[MAX_DEPTH];
	int depth = 0;

	for (;;) {
		/* At the start of a value. */
		if (p >= e)
			return unexpected(s, p);
		if (*p == '{' || *p == '[') {
			if (depth == MAX_DEPTH)
				return fail(s, p, "nesting too deep");
			stack[depth++] = *p++;
			p = ws(p, e);
			if (p < e && *p == (stack[depth - 1] == '{' ?
			    '}' : ']')) {
				p++;
				depth--;
				goto after;
			}
			if (stack[depth - 1] == '{')
				goto member;
			continue;
		}
		if ((p = scalar(s, p)) == NULL)
			return NULL;
after:
		/* After a value: close containers or go on to the next. */
		for (;;) {
			if (depth == 0)
				return p;
			/* Compact JSON: no space to skip, one test. */
			if (p >= e || *p != ',')
				p = ws(p, e);
			if (p >= e)
				return unexpected(s, p);
			if (*p == ',') {
				p = ws(p + 1, e);
				if (stack[depth - 1] == '{')
					goto member;
				break;
			}
			if (*p != (stack[depth - 1] == '{' ? '}' : ']'))
				return unexpected(s, p);
			p++;
			depth--;
		}
		continue;
member:
		if (p >= e || *p != '"')
			return unexpected(s, p);
		if ((p = string(s, p)) == NULL)
			return NULL;
		if (p >= e || *p != ':')
			p = ws(p, e);
		if (p >= e || *p != ':')
			return unexpected(s, p);
		p = ws(p + 1, e);
	}
}

int
rec_json_check(const char *p, size_t n, const char **why)
{
	struct scan s = { (const unsigned char *)p, (const unsigned char *)p,
	    (const unsigned char *)p + n, NULL };
	const unsigned char *q;

	q = ws(s.b, s.e);
	if (q == s.e) {
		*why = "empty line";
		return -1;
	}
	if ((q = value(&s, q)) == NULL) {
		*why = s.why;
		return -1;
	}
	q = ws(q, s.e);
	if (q != s.e) {
		fail(&s, q, "trailing characters");
		*why = s.why;
		return -1;
	}
	return 0;
}

int
rec_field(const char *cname, size_t n)
{
	const unsigned char *name = (const unsigned char *)cname;

	switch (n) {
	case 1:
		return name[0] == '@' ? REC_AT : -1;
	case 2:
		return memcmp(name, "ts", 2) == 0 ? REC_TS : -1;
	case 3:
		return memcmp(name, "key", 3) == 0 ? REC_KEY : -1;
	case 5:
		if (memcmp(name, "value", 5) == 0)
			return REC_VALUE;
		return memcmp(name, "topic", 5) == 0 ? REC_TOPIC : -1;
	case 6:
		if (memcmp(name, "window", 6) == 0)
			return REC_WINDOW;
		return memcmp(name, "offset", 6) == 0 ? REC_OFFSET : -1;
	case 7:
		return memcmp(name, "headers", 7) == 0 ? REC_HEADERS : -1;
	case 9:
		return memcmp(name, "partition", 9) == 0 ? REC_PARTITION : -1;
	case 10:
		return memcmp(name, "key_base64", 10) == 0 ? REC_KEY_B64 : -1;
	case 12:
		return memcmp(name, "value_base64", 12) == 0 ?
		    REC_VALUE_B64 : -1;
	}
	return -1;
}

const char *
rec_ts_why(const struct rec *r)
{
	if (r->f[REC_TS].p == NULL)
		return "record has no ts";
	if (!r->ts_ok)
		return "ts is not an integer";
	if (r->ts_ms < 0)
		return "ts is negative";
	return NULL;
}

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The value of eight digits, the first in w's lowest byte. */
static inline uint64_t
eight_digits(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull;

	w -= ones * '0';
	/* Pairs: each 16-bit lane holds 10 * first + second. */
	w = (w * 10 + (w >> 8)) & 0x00ff00ff00ff00ffull;
	/* Fours: each 32-bit lane holds 100 * first pair + second. */
	w = (w * 100 + (w >> 16)) & 0x0000ffff0000ffffull;
	/* Eight: 10000 * first four + second. */
	return (w & 0xffffffffull) * 10000 + (w >> 32);
}
#endif

int
rec_int(struct span s, int64_t *v)
{
	const char *p = s.p, *e = s.p + s.n;
	int64_t x = 0;
	int neg = 0;

	if (p == NULL || s.n == 0)
		return 0;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (p == e || e - p > 18 || (*p == '0' && e - p > 1))
		return 0;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Eight digits at a time, as a millisecond timestamp has 13. */
	while (e - p >= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		if (nondigit8(w) != 0)
			return 0;
		x = x * 100000000 + eight_digits(w);
		p += 8;
	}
#endif
	for (; p < e; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		x = x * 10 + (*p - '0');
	}
	*v = neg ? -x : x;
	return 1;
}

void
rec_free(struct rec *r)
{
	free(r->other);
	*r = (struct rec)REC_INIT;
}

/* Skip spaces, noting in *canon whether there were any. */
static inline const unsigned char *
ws_canon(const unsigned char *p, const unsigned char *e, int *canon)
{
	const unsigned char *q = ws(p, e);

	if (q != p)
		*canon = 0;
	return q;
}

int
rec_scan(struct rec *r, const char *line, size_t n, const char **why)
{
	struct scan s = { (const unsigned char *)line,
	    (const unsigned char *)line, (const unsigned char *)line + n,
	    NULL };
	const unsigned char *p, *e = s.e, *name, *v;
	int k, last = -1, canon = 1;

	memset(r->f, 0, sizeof r->f);
	r->n_other = 0;
	r->extra.p = NULL;
	r->extra.n = 0;
	r->ts_ok = 0;
	r->canon = 0;
	r->line.p = line;
	r->line.n = n;
	p = ws_canon(s.b, e, &canon);
	if (p == e) {
		*why = memchr(line, '\0', n) ? "NUL byte in an empty line" :
		    "empty line";
		return -1;
	}
	if (*p != '{') {
		static char objwhy[128];

		if (rec_json_check(line, n, why) != 0) {
			snprintf(objwhy, sizeof objwhy, "not a JSON object: %s",
			    *why);
			*why = objwhy;
		} else
			*why = "not a JSON object";
		return -1;
	}
	p = ws_canon(p + 1, e, &canon);
	if (p < e && *p == '}') {
		p++;
		goto end;
	}
	for (;;) {
		if (p >= e || *p != '"') {
			unexpected(&s, p);
			goto bad;
		}
		name = p;
		if ((p = string(&s, p)) == NULL)
			goto bad;
		k = rec_field((const char *)name + 1, p - name - 2);
		/* In order: known members in rec_fmt's order, then others. */
		if (k >= 0 ? k <= last || last == REC_NF : 0)
			canon = 0;
		last = k >= 0 ? k : REC_NF;
		if (p >= e || *p != ':')
			p = ws_canon(p, e, &canon);
		if (p >= e || *p != ':') {
			unexpected(&s, p);
			goto bad;
		}
		v = p = ws_canon(p + 1, e, &canon);
		if ((p = p < e && *p != '{' && *p != '[' ? scalar(&s, p) :
		    value(&s, p)) == NULL)
			goto bad;
		if (k >= 0) {
			if (r->f[k].p != NULL)
				canon = 0;	/* a repeat: the last wins */
			r->f[k].p = (const char *)v;
			r->f[k].n = p - v;
		} else {
			if (r->n_other == r->cap_other) {
				r->cap_other = r->cap_other ?
				    r->cap_other * 2 : 8;
				r->other = xrealloc(r->other,
				    r->cap_other * sizeof *r->other);
			}
			r->other[r->n_other].name.p = (const char *)name;
			r->other[r->n_other].name.n = v - name;
			/* Trim the colon and spaces off the name span. */
			while (r->other[r->n_other].name.p[
			    r->other[r->n_other].name.n - 1] != '"')
				r->other[r->n_other].name.n--;
			r->other[r->n_other].val.p = (const char *)v;
			r->other[r->n_other].val.n = p - v;
			r->n_other++;
		}
		if (p >= e || *p != ',')
			p = ws_canon(p, e, &canon);
		if (p < e && *p == ',') {
			p = ws_canon(p + 1, e, &canon);
			continue;
		}
		if (p < e && *p == '}') {
			p++;
			break;
		}
		unexpected(&s, p);
		goto bad;
	}
end:
	p = ws_canon(p, e, &canon);
	if (p != e) {
		fail(&s, p, "trailing characters after the object");
		goto bad;
	}
	r->ts_ok = rec_int(r->f[REC_TS], &r->ts_ms);
	r->canon = canon;
	return 0;
bad:
	*why = s.why;
	return -1;
}

void
rec_fmt(struct buf *out, const struct rec *r)
{
	int i, first = 1;
	size_t j;

	buf_addc(out, '{');
	for (i = 0; i < REC_NF; i++) {
		if (r->f[i].p == NULL)
			continue;
		if (!first)
			buf_addc(out, ',');
		first = 0;
		buf_addc(out, '"');
		buf_adds(out, rec_names[i]);
		buf_add(out, "\":", 2);
		buf_add(out, r->f[i].p, r->f[i].n);
	}
	if (r->extra.p != NULL && r->extra.n > 0) {
		if (!first)
			buf_addc(out, ',');
		first = 0;
		buf_add(out, r->extra.p, r->extra.n);
	}
	for (j = 0; j < r->n_other; j++) {
		if (r->other[j].name.p == NULL)
			continue;	/* struck out by the caller */
		if (!first)
			buf_addc(out, ',');
		first = 0;
		buf_add(out, r->other[j].name.p, r->other[j].name.n);
		buf_addc(out, ':');
		buf_add(out, r->other[j].val.p, r->other[j].val.n);
	}
	buf_add(out, "}\n", 2);
}

static unsigned
hexval(const char *p)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

static void
put_utf8(struct buf *out, unsigned c)
{
	char t[4];

	if (c < 0x80) {
		buf_addc(out, c);
		return;
	}
	if (c < 0x800) {
		t[0] = 0xc0 | c >> 6;
		t[1] = 0x80 | (c & 0x3f);
		buf_add(out, t, 2);
	} else if (c < 0x10000) {
		t[0] = 0xe0 | c >> 12;
		t[1] = 0x80 | (c >> 6 & 0x3f);
		t[2] = 0x80 | (c & 0x3f);
		buf_add(out, t, 3);
	} else {
		t[0] = 0xf0 | c >> 18;
		t[1] = 0x80 | (c >> 12 & 0x3f);
		t[2] = 0x80 | (c >> 6 & 0x3f);
		t[3] = 0x80 | (c & 0x3f);
		buf_add(out, t, 4);
	}
}

void
rec_str_decode(struct buf *out, struct span s)
{
	const char *p = s.p + 1, *e = s.p + s.n - 1, *run;
	unsigned c, lo;

	while (p < e) {
		run = p;
		while (p < e && *p != '\\')
			p++;
		buf_add(out, run, p - run);
		if (p >= e)
			break;
		switch (p[1]) {
		case 'b': buf_addc(out, '\b'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'n': buf_addc(out, '\n'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'u':
			c = hexval(p + 2);
			p += 4;
			if (c >= 0xd800 && c < 0xdc00 && e - p >= 8 &&
			    p[2] == '\\' && p[3] == 'u' &&
			    (lo = hexval(p + 4)) >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (c >= 0xd800 && c < 0xe000)
				c = 0xfffd;	/* a lone surrogate, as jq */
			put_utf8(out, c);
			break;
		default: buf_addc(out, p[1]); break;
		}
		p += 2;
	}
}

int
rec_payload(struct span json, struct span b64, struct buf *b,
    struct buf *tmp, const void **p, size_t *n)
{
	if (REC_IS_STR(b64)) {
		/* The text first: JSON may escape a '/' as "\/". */
		buf_reset(tmp);
		rec_str_decode(tmp, b64);
		buf_reset(b);
		if (b64_parse(b, tmp->p, tmp->n) != 0)
			return -1;
		*p = b->p;
		*n = b->n;
		return 0;
	}
	if (json.p == NULL || (json.n == 4 && memcmp(json.p, "null", 4) == 0)) {
		*p = NULL;
		*n = 0;
		return 1;
	}
	if (REC_IS_STR(json) &&
	    memchr(json.p + 1, '\\', json.n - 2) == NULL) {
		/* Nothing escaped: the bytes between the quotes. */
		*p = json.p + 1;
		*n = json.n - 2;
	} else if (REC_IS_STR(json)) {
		buf_reset(b);
		rec_str_decode(b, json);
		*p = b->p;
		*n = b->n;
	} else {
		*p = json.p;
		*n = json.n;
	}
	return 0;
}

static const char *
skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* The end of the JSON value at p, in text already validated. */
static const char *
skip_value(const char *p, const char *e)
{
	int depth = 0;

	if (p < e && *p != '"' && *p != '[' && *p != '{') {
		while (p < e && *p != ',' && *p != ']' && *p != '}' &&
		    *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			p++;
		return p;
	}
	for (; p < e; p++) {
		if (*p == '"') {
			for (p++; p < e && *p != '"'; p++)
				if (*p == '\\')
					p++;
		} else if (*p == '[' || *p == '{')
			depth++;
		else if (*p == ']' || *p == '}')
			depth--;
		if (depth == 0)
			return p + 1;
	}
	return p;
}

int
rec_member(struct span obj, const char *name, size_t n, struct span *out)
{
	const char *p = obj.p, *e = obj.p + obj.n, *k, *ke;
	int found = 0;

	p = skip_ws(p, e);
	if (p == e || *p != '{')
		return 0;
	for (p = skip_ws(p + 1, e); p < e && *p == '"';
	    p = skip_ws(p + 1, e)) {
		for (k = ke = p + 1; ke < e && *ke != '"'; ke++)
			if (*ke == '\\')
				return -1;
		p = skip_ws(ke + 1, e);		/* at the colon */
		p = skip_ws(p + 1, e);
		/* The last of duplicate names wins, as in jq. */
		if ((size_t)(ke - k) == n && memcmp(k, name, n) == 0) {
			out->p = p;
			out->n = skip_value(p, e) - p;
			found = 1;
		}
		p = skip_ws(skip_value(p, e), e);
		if (p == e || *p != ',')
			break;
	}
	return found;
}

int
rec_obj_next(struct span *obj, struct span *name, struct span *val)
{
	const char *p = obj->p, *e = obj->p + obj->n, *q;

	p = skip_ws(p, e);
	if (p < e && (*p == '{' || *p == ','))
		p = skip_ws(p + 1, e);
	if (p >= e || *p != '"') {
		obj->n = 0;
		return 0;
	}
	q = skip_value(p, e);
	*name = (struct span){ p, q - p };
	p = skip_ws(skip_ws(q, e) + 1, e);	/* past the colon */
	q = skip_value(p, e);
	*val = (struct span){ p, q - p };
	obj->n = e - q;
	obj->p = q;
	return 1;
}

void
rec_hdrs_init(struct rec_hdrs *it, struct span h)
{
	it->p = h.p;
	it->e = h.p ? h.p + h.n : NULL;
	it->started = 0;
}

int
rec_hdrs_next(struct rec_hdrs *it, struct span *name, struct span *val)
{
	const char *p = it->p, *e = it->e, *q;

	if (p == NULL)
		return 0;
	if (!it->started) {
		if (p >= e || *p != '[')
			return -1;
		it->started = 1;
		p = skip_ws(p + 1, e);
		if (p < e && *p == ']') {
			it->p = NULL;
			return 0;
		}
	}
	if (p >= e || *p != '[')
		return -1;
	p = skip_ws(p + 1, e);
	if (p >= e || *p != '"')
		return -1;
	q = skip_value(p, e);
	*name = (struct span){ p, q - p };
	p = skip_ws(q, e);
	if (p >= e || *p != ',')
		return -1;
	p = skip_ws(p + 1, e);
	q = skip_value(p, e);
	*val = (struct span){ p, q - p };
	p = skip_ws(q, e);
	if (p >= e || *p != ']')
		return -1;
	p = skip_ws(p + 1, e);
	if (p < e && *p == ']')
		it->p = NULL;		/* that was the last */
	else if (p < e && *p == ',')
		it->p = skip_ws(p + 1, e);
	else
		return -1;
	return 1;
}

int
rec_reader_open(struct rec_reader *rd, const char *path)
{
	memset(rd, 0, sizeof *rd);
	rd->name = path;
	if (strcmp(path, "-") == 0)
		rd->fd = 0;
	else if ((rd->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	rd->cap = 1 << 16;
	rd->buf = xmalloc(rd->cap);
	return 0;
}

int
rec_reader_line(struct rec_reader *rd, struct span *line)
{
	char *nl;
	ssize_t got;
	size_t n;

	for (;;) {
		nl = memchr(rd->buf + rd->scan, '\n', rd->end - rd->scan);
		if (nl != NULL || (rd->eof && rd->end > rd->beg))
			break;
		if (rd->eof)
			return 0;
		rd->scan = rd->end;
		if (rd->beg > 0 && rd->end == rd->cap) {
			memmove(rd->buf, rd->buf + rd->beg, rd->end - rd->beg);
			rd->end -= rd->beg;
			rd->scan -= rd->beg;
			rd->beg = 0;
		}
		if (rd->end == rd->cap) {
			rd->cap *= 2;
			rd->buf = xrealloc(rd->buf, rd->cap);
		}
		if (fflush(stdout) == EOF) {
			msg_at(NULL, 0);
			die_sys(KP_EXIT_DATA, "write error on standard output");
		}
		do
			got = read(rd->fd, rd->buf + rd->end,
			    rd->cap - rd->end);
		while (got < 0 && errno == EINTR);
		if (got < 0) {
			msg_at(NULL, 0);
			die_sys(KP_EXIT_DATA, "read error on '%s'", rd->name);
		}
		if (got == 0)
			rd->eof = 1;
		rd->end += got;
	}
	line->p = rd->buf + rd->beg;
	rd->cut = nl == NULL;
	if (nl != NULL) {
		n = nl - line->p;
		rd->beg = rd->scan = nl - rd->buf + 1;
	} else {
		n = rd->end - rd->beg;
		rd->beg = rd->scan = rd->end;
	}
	if (n > 0 && line->p[n - 1] == '\r')
		n--;
	line->n = n;
	rd->lineno++;
	if (rd->beg == rd->end)
		rd->beg = rd->end = rd->scan = 0;
	return 1;
}

size_t
rec_reader_peek(const struct rec_reader *rd, struct span *lines, size_t n)
{
	const char *p, *end, *nl;
	size_t i;

	if (rd->buf == NULL)
		return 0;
	p = rd->buf + rd->beg;
	end = rd->buf + rd->end;
	for (i = 0; i < n; i++) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			break;
		lines[i].p = p;
		lines[i].n = nl - p;
		p = nl + 1;
	}
	return i;
}

void
rec_reader_close(struct rec_reader *rd)
{
	if (rd->fd > 0)
		close(rd->fd);
	free(rd->buf);
	rd->buf = NULL;
}
