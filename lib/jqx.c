/* jqx: jq programs over records. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>

#include "jqx.h"
#include "msg.h"
#include "path.h"

#define KEYCACHE 256

struct jqx {
	jq_state *jq;
	int record;		/* the program reads $record */
	int running;		/* a run has outputs not yet read */
	int drain;		/* a run is read to its end (finish) */
	jv in;			/* the current input */
	jv out;			/* the current output, or invalid */
	struct buf err;		/* compile errors, runtime messages */
	struct buf scratch;	/* decoded strings */
	struct jqx_key {
		jv v;
		ptrdiff_t n;	/* -1: empty */
		char s[32];
	} keys[KEYCACHE];	/* recent keys and short strings */
};

/* "debug": its message on stderr, as jq writes it. */
static void
on_debug(void *ctx, jv msg)
{
	jv s = jv_dump_string(JV_ARRAY(jv_string("DEBUG:"), msg), 0);

	(void)ctx;
	msg_note("%s", jv_string_value(s));
	jv_free(s);
}

/*
 * End a run before the next or before teardown.  libjq 1.6 cannot start
 * over in the middle of a path expression (paths, tostream), nor break
 * out of one without a leak: a program that may stop in one is run to its
 * end, its later outputs dropped.
 */
static void
finish(struct jqx *jx)
{
	jv v;

	if (!jx->drain)
		jx->running = 0;
	while (jx->running) {
		/* An error ends a run too: libjq goes no further. */
		v = jq_next(jx->jq);
		if (!jv_is_valid(v))
			jx->running = 0;
		jv_free(v);
	}
}

/* Whether prog begins with a module directive: jq allows them first only. */
static int
directive(const char *p)
{
	static const char *const words[] = { "import", "include", "module" };
	size_t i, n;

	/* Spaces and comments may come first. */
	while (*(p = path_ws(p)) == '#')
		while (*p != '\0' && *p != '\n')
			p++;
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		n = strlen(words[i]);
		if (strncmp(p, words[i], n) == 0 &&
		    !path_name_char((unsigned char)p[n], 0))
			return 1;
	}
	return 0;
}

static void
on_error(void *ctx, jv msg)
{
	struct jqx *jx = ctx;
	jv s;

	if (jx->err.n)
		buf_adds(&jx->err, "; ");
	if (jv_get_kind(msg) == JV_KIND_STRING)
		buf_adds(&jx->err, jv_string_value(msg));
	else {
		s = jv_dump_string(jv_copy(msg), 0);
		buf_adds(&jx->err, jv_string_value(s));
		jv_free(s);
	}
	jv_free(msg);
}

struct jqx *
jqx_new(const char *prog, const struct jqx_arg *args, size_t n_args,
    int flags, const char **why)
{
	static struct buf whybuf = BUF_INIT;
	struct jqx *jx = xmalloc(sizeof *jx);
	struct buf text = BUF_INIT;
	jv vars, v;
	size_t i;

	/* libjq 1.6 leaks on a module it cannot find; there are none. */
	if (directive(prog)) {
		free(jx);
		*why = "jq: error: import, include and module are not "
		    "supported: a program stands alone";
		return NULL;
	}
	vars = jv_object();
	jx->jq = jq_init();
	if (jx->jq == NULL)
		die(KP_EXIT_DATA, "out of memory");
	jx->err = (struct buf)BUF_INIT;
	jx->scratch = (struct buf)BUF_INIT;
	for (i = 0; i < KEYCACHE; i++) {
		jx->keys[i].v = jv_null();
		jx->keys[i].n = -1;
	}
	jx->in = jv_null();
	jx->out = jv_invalid();
	jx->record = (flags & (JQX_RECORD | JQX_RECORD_IS_INPUT)) &&
	    strstr(prog, "$record") != NULL;
	jx->running = jx->drain = 0;
	jq_set_error_cb(jx->jq, on_error, jx);
	/*
	 * libjq 1.6's jq_init leaves these two unset.  Without an input
	 * callback, input has no more inputs: a program sees one record.
	 */
	jq_set_input_cb(jx->jq, NULL, NULL);
	jq_set_debug_cb(jx->jq, on_debug, NULL);
	for (i = 0; i < n_args; i++) {
		if (args[i].json) {
			v = jv_parse(args[i].value);
			if (!jv_is_valid(v)) {
				jv_free(v);
				jv_free(vars);
				buf_reset(&whybuf);
				buf_addf(&whybuf, "--argjson %s: invalid JSON "
				    "text '%s'", args[i].name, args[i].value);
				*why = whybuf.p;
				jqx_free(jx);
				return NULL;
			}
		} else
			v = jv_string(args[i].value);
		vars = jv_object_set(vars, jv_string(args[i].name), v);
	}
	/*
	 * $record cannot be an --arg: libjq 1.6 binds those as constants at
	 * compile time.  The input is [record, value] instead, and the
	 * program runs on its second element.  The wrapper shares the
	 * program's first line, so that error messages keep its line numbers.
	 */
	if (jx->record && (flags & JQX_RECORD_IS_INPUT)) {
		buf_adds(&text, ". as $record | (");
		buf_adds(&text, prog);
		buf_adds(&text, "\n)");
		jx->record = 0;
	} else if (jx->record) {
		buf_adds(&text, ".[0] as $record | .[1] | (");
		buf_adds(&text, prog);
		buf_adds(&text, "\n)");
	} else
		buf_adds(&text, prog);
	/* What may leave a path expression open (a superset: see finish). */
	jx->drain = !(flags & JQX_ALL) && (strstr(prog, "path") != NULL ||
	    strstr(prog, "stream") != NULL);
	if (!jq_compile_args(jx->jq, text.p, vars)) {
		buf_reset(&whybuf);
		buf_adds(&whybuf, jx->err.n ? jx->err.p : "compile error");
		*why = whybuf.p;
		buf_free(&text);
		jqx_free(jx);
		return NULL;
	}
	/* vars now belongs to the compiled program. */
	buf_free(&text);
	buf_reset(&jx->err);
	return jx;
}

void
jqx_free(struct jqx *jx)
{
	int i;

	if (jx == NULL)
		return;
	finish(jx);
	jv_free(jx->in);
	jv_free(jx->out);
	jq_teardown(&jx->jq);
	buf_free(&jx->err);
	buf_free(&jx->scratch);
	for (i = 0; i < KEYCACHE; i++)
		jv_free(jx->keys[i].v);
	free(jx);
}

static const double pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static void
skipws(const char **p, const char *e)
{
	while (*p < e && (**p == ' ' || **p == '\t' || **p == '\r' ||
	    **p == '\n'))
		(*p)++;
}

double
jqx_number_parse(const char **p, const char *e)
{
	const char *q = *p, *start = *p;
	uint64_t m = 0;
	int neg = 0, nd = 0, frac = 0;
	char tmp[64], *end;
	size_t n;

	/*
	 * Clinger's fast path: a mantissa below 2^53 scaled by an exact
	 * power of ten rounds correctly in one division or multiplication.
	 */
	if (q < e && *q == '-') {
		neg = 1;
		q++;
	}
	while (q < e && *q >= '0' && *q <= '9' && nd < 19) {
		m = m * 10 + (*q++ - '0');
		nd++;
	}
	if (q < e && *q == '.') {
		q++;
		while (q < e && *q >= '0' && *q <= '9' && nd < 19) {
			m = m * 10 + (*q++ - '0');
			nd++;
			frac++;
		}
	}
	if ((q == e || (*q != 'e' && *q != 'E' && (*q < '0' || *q > '9')))
	    && m < (1ULL << 53) && frac <= 22) {
		*p = q;
		return (neg ? -1.0 : 1.0) * ((double)m / pow10[frac]);
	}
	q = start;
	while (q < e && ((*q >= '0' && *q <= '9') || *q == '-' || *q == '+' ||
	    *q == '.' || *q == 'e' || *q == 'E'))
		q++;
	n = q - start;
	*p = q;
	if (n < sizeof tmp) {
		memcpy(tmp, start, n);
		tmp[n] = '\0';
		return strtod(tmp, &end);
	} else {
		char *big = xmalloc(n + 1);
		double d;

		memcpy(big, start, n);
		big[n] = '\0';
		d = strtod(big, &end);
		free(big);
		return d;
	}
}

static jv
string(const char **p, const char *e, struct buf *scratch)
{
	const char *q = *p + 1, *s = q;
	struct span sp;

	while (q < e && *q != '"' && *q != '\\')
		q++;
	if (q < e && *q == '"') {
		*p = q + 1;
		return jv_string_sized(s, (int)(q - s));
	}
	/* Escapes: find the end, then decode. */
	while (q < e && *q != '"')
		q += *q == '\\' ? 2 : 1;
	sp.p = *p;
	sp.n = q + 1 - *p;
	*p = q + 1;
	buf_reset(scratch);
	rec_str_decode(scratch, sp);
	return jv_string_sized(scratch->p, (int)scratch->n);
}

/*
 * Object keys and short strings repeat from record to record: a small
 * direct-mapped cache of them saves an allocation (and for keys a hash)
 * per member.
 */
static jv
key(struct jqx *jx, const char **p, const char *e)
{
	const char *q = *p + 1, *s = q;
	unsigned h;
	struct jqx_key *slot;

	while (q < e && *q != '"' && *q != '\\')
		q++;
	if (q >= e || *q != '"' || q - s > 32)
		return string(p, e, &jx->scratch);
	h = (unsigned)(q - s) * 31;
	if (q > s)
		h = h * 131 + (unsigned char)s[0] * 7 +
		    (unsigned char)q[-1] * 13 + (unsigned char)s[(q - s) / 2];
	slot = &jx->keys[h % KEYCACHE];
	*p = q + 1;
	if (slot->n == q - s && memcmp(slot->s, s, q - s) == 0)
		return jv_copy(slot->v);
	jv_free(slot->v);
	slot->v = jv_string_sized(s, (int)(q - s));
	slot->n = q - s;
	memcpy(slot->s, s, q - s);
	return jv_copy(slot->v);
}

/* Build a jv from JSON text that rec_scan or rec_json_check passed. */
static jv
build(struct jqx *jx, const char **p, const char *e)
{
	jv v, k;

	skipws(p, e);
	switch (**p) {
	case '{':
		v = jv_object();
		(*p)++;
		skipws(p, e);
		if (**p == '}') {
			(*p)++;
			return v;
		}
		for (;;) {
			skipws(p, e);
			k = key(jx, p, e);
			skipws(p, e);
			(*p)++;		/* ':' */
			v = jv_object_set(v, k, build(jx, p, e));
			skipws(p, e);
			if (*(*p)++ == '}')
				return v;
		}
	case '[':
		v = jv_array();
		(*p)++;
		skipws(p, e);
		if (**p == ']') {
			(*p)++;
			return v;
		}
		for (;;) {
			v = jv_array_append(v, build(jx, p, e));
			skipws(p, e);
			if (*(*p)++ == ']')
				return v;
		}
	case '"':
		/* Short strings repeat too: symbols, names, topics. */
		return key(jx, p, e);
	case 't':
		*p += 4;
		return jv_true();
	case 'f':
		*p += 5;
		return jv_false();
	case 'n':
		*p += 4;
		return jv_null();
	default:
		return jv_number(jqx_number_parse(p, e));
	}
}

static jv
parse(struct jqx *jx, const char *p, size_t n)
{
	if (p == NULL)
		return jv_null();
	return build(jx, &p, p + n);
}

void
jqx_start(struct jqx *jx, const char *in, size_t n, struct span rec)
{
	jv input;

	finish(jx);
	jv_free(jx->in);
	jv_free(jx->out);
	jx->out = jv_invalid();
	jx->in = parse(jx, in, n);
	if (jx->record)
		input = JV_ARRAY(parse(jx, rec.p, rec.n), jv_copy(jx->in));
	else
		input = jv_copy(jx->in);
	jq_start(jx->jq, input, 0);
	jx->running = 1;
}

int
jqx_next(struct jqx *jx, const char **why)
{
	jv msg, s;

	jv_free(jx->out);
	jx->out = jq_next(jx->jq);
	if (jv_is_valid(jx->out))
		return 1;
	jx->running = 0;
	if (!jv_invalid_has_msg(jv_copy(jx->out)))
		return 0;
	msg = jv_invalid_get_msg(jx->out);
	jx->out = jv_invalid();
	buf_reset(&jx->err);
	buf_adds(&jx->err, "jq: error: ");
	if (jv_get_kind(msg) == JV_KIND_STRING)
		buf_adds(&jx->err, jv_string_value(msg));
	else {
		s = jv_dump_string(jv_copy(msg), 0);
		buf_adds(&jx->err, jv_string_value(s));
		buf_adds(&jx->err, " (not a string)");
		jv_free(s);
	}
	jv_free(msg);
	*why = jx->err.p;
	return -1;
}

enum jqx_kind
jqx_kind(struct jqx *jx)
{
	switch (jv_get_kind(jx->out)) {
	case JV_KIND_FALSE: return JQX_FALSE;
	case JV_KIND_TRUE: return JQX_TRUE;
	case JV_KIND_NUMBER: return JQX_NUMBER;
	case JV_KIND_STRING: return JQX_STRING;
	case JV_KIND_ARRAY: return JQX_ARRAY;
	case JV_KIND_OBJECT: return JQX_OBJECT;
	default: return JQX_NULL;
	}
}

int
jqx_truthy(struct jqx *jx)
{
	jv_kind k = jv_get_kind(jx->out);

	return k != JV_KIND_FALSE && k != JV_KIND_NULL;
}

double
jqx_number(struct jqx *jx)
{
	return jv_number_value(jx->out);
}

struct span
jqx_string(struct jqx *jx)
{
	struct span s = { jv_string_value(jx->out),
	    (size_t)jv_string_length_bytes(jv_copy(jx->out)) };

	return s;
}

static int same_as(struct jqx *, jv, jv, int);

int
jqx_same(struct jqx *jx)
{
	jv x = jv_copy(jx->out);
	int same = same_as(jx, x, jv_invalid(), 0);

	jv_free(x);
	return same;
}

void
jqx_number_fmt(double d, struct buf *out)
{
	char tmp[32];
	int prec;

	if (isnan(d)) {
		buf_adds(out, "null");	/* as jq prints NaN */
		return;
	}
	if (isinf(d))
		d = d > 0 ? DBL_MAX : -DBL_MAX;
	if (d == trunc(d) && fabs(d) < 1e17) {
		if (d == 0)
			buf_addc(out, '0');
		else
			buf_addi(out, (int64_t)d);
		return;
	}
	/*
	 * Most numbers in records have a few decimals: find the fewest, k,
	 * for which m / 10^k reads back as d (an exact power of ten and a
	 * mantissa below 2^53 make that division correctly rounded), and
	 * print m with its point put in.
	 */
	if (fabs(d) < 1e9) {
		double a = fabs(d), sc;
		int64_t m;
		int k, i;
		char *q;

		for (k = 1, sc = 10; k <= 6; k++, sc *= 10) {
			m = (int64_t)llround(a * sc);
			if ((double)m / sc != a)
				continue;
			q = tmp + sizeof tmp;
			*--q = '\0';
			for (i = 0; i < k; i++, m /= 10)
				*--q = '0' + m % 10;
			*--q = '.';
			do
				*--q = '0' + m % 10;
			while ((m /= 10) != 0);
			if (d < 0)
				*--q = '-';
			buf_adds(out, q);
			return;
		}
	}
	/*
	 * %.15g is the shortest form whenever one of 15 digits or fewer reads
	 * back; otherwise 16 or 17 digits are needed.
	 */
	for (prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (prec == 17 || strtod(tmp, NULL) == d)
			break;
	}
	buf_adds(out, tmp);
}

static void
dump(jv v, struct buf *out)
{
	jv k, x;
	int i, n, first;

	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
		buf_add(out, "null", 4);
		break;
	case JV_KIND_TRUE:
		buf_add(out, "true", 4);
		break;
	case JV_KIND_FALSE:
		buf_add(out, "false", 5);
		break;
	case JV_KIND_NUMBER:
		jqx_number_fmt(jv_number_value(v), out);
		break;
	case JV_KIND_STRING:
		buf_addjstr(out, jv_string_value(v),
		    jv_string_length_bytes(jv_copy(v)));
		break;
	case JV_KIND_ARRAY:
		buf_addc(out, '[');
		n = jv_array_length(jv_copy(v));
		for (i = 0; i < n; i++) {
			if (i)
				buf_addc(out, ',');
			x = jv_array_get(jv_copy(v), i);
			dump(x, out);
			jv_free(x);
		}
		buf_addc(out, ']');
		break;
	case JV_KIND_OBJECT:
		buf_addc(out, '{');
		first = 1;
		for (i = jv_object_iter(v); jv_object_iter_valid(v, i);
		    i = jv_object_iter_next(v, i)) {
			if (!first)
				buf_addc(out, ',');
			first = 0;
			k = jv_object_iter_key(v, i);
			buf_addjstr(out, jv_string_value(k),
			    jv_string_length_bytes(jv_copy(k)));
			jv_free(k);
			buf_addc(out, ':');
			x = jv_object_iter_value(v, i);
			dump(x, out);
			jv_free(x);
		}
		buf_addc(out, '}');
		break;
	default:
		buf_add(out, "null", 4);
	}
}

void
jqx_fmt(struct jqx *jx, struct buf *out)
{
	dump(jx->out, out);
}

int
jqx_has(struct jqx *jx, const char *name, size_t n)
{
	jv k = jv_string_sized(name, (int)n);
	int r;

	if (jv_get_kind(jx->out) != JV_KIND_OBJECT) {
		jv_free(k);
		return 0;
	}
	r = jv_object_has(jv_copy(jx->out), k);
	return r;
}

/*
 * Is x, from the output, the input's member k (or the input itself, k
 * invalid)?  x is the caller's own reference, besides the output's.
 */
static int
same_as(struct jqx *jx, jv x, jv k, int shared)
{
	jv w;
	int same;
	jv_kind kind = jv_get_kind(x);

	/*
	 * A container that only its parent in the output holds (besides the
	 * caller's reference) was made by the program, unless that parent
	 * is the input itself (shared): it cannot be the input's.
	 */
	if (!shared && (kind == JV_KIND_OBJECT || kind == JV_KIND_ARRAY) &&
	    jv_get_refcnt(x) <= 2) {
		jv_free(k);
		return 0;
	}
	if (jv_is_valid(k)) {
		if (jv_get_kind(jx->in) != JV_KIND_OBJECT) {
			jv_free(k);
			return 0;
		}
		w = jv_object_get(jv_copy(jx->in), k);
	} else {
		jv_free(k);
		w = jv_copy(jx->in);
	}
	/*
	 * A container a program passed through is the very same jv;
	 * comparing others deeply costs more than printing them.
	 */
	same = jv_is_valid(w) && (jv_identical(jv_copy(x), jv_copy(w)) ||
	    (jv_get_kind(x) != JV_KIND_OBJECT &&
	    jv_get_kind(x) != JV_KIND_ARRAY && jv_equal(jv_copy(x),
	    jv_copy(w))));
	jv_free(w);
	return same;
}

int
jqx_member_same(struct jqx *jx, const char *name, size_t n)
{
	jv x;
	int same;

	if (jv_get_kind(jx->out) != JV_KIND_OBJECT)
		return 0;
	x = jv_object_get(jv_copy(jx->out), jv_string_sized(name, (int)n));
	same = jv_is_valid(x) && same_as(jx, x, jv_string_sized(name, (int)n),
	    jv_identical(jv_copy(jx->out), jv_copy(jx->in)));
	jv_free(x);
	return same;
}

int
jqx_same_member(struct jqx *jx, const char *name)
{
	jv x = jv_copy(jx->out);
	int same = same_as(jx, x, jv_string(name), 0);

	jv_free(x);
	return same;
}

void
jqx_split(struct jqx *jx, struct buf field[REC_NF], int present[REC_NF],
    int same[REC_NF], struct buf *extra)
{
	jv v = jx->out, k, x;
	int i, f, shared = jv_identical(jv_copy(jx->out), jv_copy(jx->in));

	for (i = jv_object_iter(v); jv_object_iter_valid(v, i);
	    i = jv_object_iter_next(v, i)) {
		k = jv_object_iter_key(v, i);
		x = jv_object_iter_value(v, i);
		f = rec_field(jv_string_value(k),
		    jv_string_length_bytes(jv_copy(k)));
		if (f < 0 && same_as(jx, x, jv_copy(k), shared)) {
			/* The caller keeps the input's bytes. */
			jv_free(x);
			jv_free(k);
			continue;
		}
		if (f < 0) {
			if (extra->n)
				buf_addc(extra, ',');
			buf_addjstr(extra, jv_string_value(k),
			    jv_string_length_bytes(jv_copy(k)));
			buf_addc(extra, ':');
			dump(x, extra);
			jv_free(x);
			jv_free(k);
			continue;
		}
		present[f] = 1;
		same[f] = same_as(jx, x, jv_copy(k), shared);
		if (!same[f])
			dump(x, &field[f]);
		jv_free(x);
		jv_free(k);
	}
}
