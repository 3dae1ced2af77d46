/* fmt: records as output text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dur.h"
#include "fmt.h"
#include "msg.h"

#define OP_TS_ISO 'I'

static void
add_op(struct fmt *f, int op, size_t off, size_t n)
{
	f->ops = xrealloc(f->ops, (f->n_ops + 1) * sizeof *f->ops);
	f->ops[f->n_ops].op = op;
	f->ops[f->n_ops].off = off;
	f->ops[f->n_ops].n = n;
	f->n_ops++;
}

int
fmt_parse(struct fmt *f, const char *spec, const char **why)
{
	static char whybuf[64];
	const char *p;
	size_t start;

	memset(f, 0, sizeof *f);
	f->lit = (struct buf)BUF_INIT;
	f->tmp = f->pay = f->pay_tmp = (struct buf)BUF_INIT;
	if (strcmp(spec, "json") == 0)
		f->kind = FMT_JSON;
	else if (strcmp(spec, "value") == 0)
		f->kind = FMT_VALUE;
	else if (strcmp(spec, "kv") == 0)
		f->kind = FMT_KV;
	else if (strcmp(spec, "tsv") == 0)
		f->kind = FMT_TSV;
	else if (strchr(spec, '%') == NULL && strchr(spec, '\\') == NULL) {
		*why = "unknown format (json, value, kv, tsv, or a template "
		    "with %k, %v, ...)";
		return -1;
	} else
		f->kind = FMT_TEMPLATE;
	if (f->kind != FMT_TEMPLATE)
		return 0;
	for (p = spec; *p; p++) {
		start = f->lit.n;
		if (*p == '\\' && p[1] != '\0') {
			p++;
			buf_addc(&f->lit, *p == 'n' ? '\n' : *p == 't' ? '\t' :
			    *p == 'r' ? '\r' : *p);
			add_op(f, 0, start, 1);
			continue;
		}
		if (*p != '%') {
			buf_addc(&f->lit, *p);
			add_op(f, 0, start, 1);
			continue;
		}
		p++;
		switch (*p) {
		case 'k': case 'v': case 'K': case 'V': case 't': case 'p':
		case 'o': case 'T': case 'h':
			add_op(f, *p, 0, 0);
			break;
		case '%':
			buf_addc(&f->lit, '%');
			add_op(f, 0, start, 1);
			break;
		case '{':
			if (strncmp(p, "{ts:iso}", 8) == 0) {
				add_op(f, OP_TS_ISO, 0, 0);
				p += 7;
				break;
			}
			/* FALLTHROUGH */
		default:
			snprintf(whybuf, sizeof whybuf, "unknown conversion "
			    "'%%%.*s'", *p == '{' ? (int)strcspn(p, "}") + 1 :
			    *p ? 1 : 0, p);
			*why = whybuf;
			fmt_free(f);
			return -1;
		}
	}
	return 0;
}

void
fmt_free(struct fmt *f)
{
	free(f->ops);
	f->ops = NULL;
	f->n_ops = 0;
	buf_free(&f->lit);
	buf_free(&f->tmp);
	buf_free(&f->pay);
	buf_free(&f->pay_tmp);
}

/* Append the text of a key or value (b64 its base64 form); -1 for null. */
static long
text(struct fmt *f, struct buf *out, struct span json, struct span b64)
{
	const void *p;
	size_t n;

	if (rec_payload(json, b64, &f->pay, &f->pay_tmp, &p, &n) != 0)
		return -1;
	buf_add(out, p, n);
	return (long)n;
}

static void
tsv_field(struct buf *out, const char *p, size_t n)
{
	const char *e = p + n;

	for (; p < e; p++)
		switch (*p) {
		case '\\': buf_add(out, "\\\\", 2); break;
		case '\t': buf_add(out, "\\t", 2); break;
		case '\n': buf_add(out, "\\n", 2); break;
		case '\r': buf_add(out, "\\r", 2); break;
		default: buf_addc(out, *p);
		}
}

/* A member as text: a string's characters, else the JSON as it came. */
static void
plain(struct buf *out, struct span s)
{
	if (s.p == NULL)
		return;
	if (REC_IS_STR(s))
		rec_str_decode(out, s);
	else if (!(s.n == 4 && memcmp(s.p, "null", 4) == 0))
		buf_add(out, s.p, s.n);
}

/* headers [["a","1"],["b",null]] as a=1,b= */
static void
headers(struct buf *out, struct span h)
{
	struct rec_hdrs it;
	struct span name, val;
	int first = 1;

	rec_hdrs_init(&it, h);
	while (rec_hdrs_next(&it, &name, &val) == 1) {
		if (!first)
			buf_addc(out, ',');
		first = 0;
		plain(out, name);
		buf_addc(out, '=');
		plain(out, val);
	}
}

void
fmt_record(struct fmt *f, const struct rec *r, struct buf *out)
{
	char iso[DUR_ISO_MAX];
	size_t i, n0;
	long n;

	switch (f->kind) {
	case FMT_JSON:
		if (r->canon && r->extra.p == NULL) {
			buf_add(out, r->line.p, r->line.n);
			buf_addc(out, '\n');
		} else
			rec_fmt(out, r);
		return;
	case FMT_VALUE:
		text(f, out, r->f[REC_VALUE], r->f[REC_VALUE_B64]);
		buf_addc(out, '\n');
		return;
	case FMT_KV:
		text(f, out, r->f[REC_KEY], r->f[REC_KEY_B64]);
		buf_addc(out, '\t');
		text(f, out, r->f[REC_VALUE], r->f[REC_VALUE_B64]);
		buf_addc(out, '\n');
		return;
	case FMT_TSV:
		plain(out, r->f[REC_TS]);
		buf_addc(out, '\t');
		buf_reset(&f->tmp);
		text(f, &f->tmp, r->f[REC_KEY], r->f[REC_KEY_B64]);
		tsv_field(out, f->tmp.p, f->tmp.n);
		buf_addc(out, '\t');
		buf_reset(&f->tmp);
		text(f, &f->tmp, r->f[REC_VALUE], r->f[REC_VALUE_B64]);
		tsv_field(out, f->tmp.p, f->tmp.n);
		buf_addc(out, '\t');
		buf_reset(&f->tmp);
		plain(&f->tmp, r->f[REC_TOPIC]);
		tsv_field(out, f->tmp.p, f->tmp.n);
		buf_addc(out, '\t');
		plain(out, r->f[REC_PARTITION]);
		buf_addc(out, '\t');
		plain(out, r->f[REC_OFFSET]);
		buf_addc(out, '\n');
		return;
	case FMT_TEMPLATE:
		break;
	}
	for (i = 0; i < f->n_ops; i++) {
		switch (f->ops[i].op) {
		case 0:
			buf_add(out, f->lit.p + f->ops[i].off, f->ops[i].n);
			break;
		case 'k':
			text(f, out, r->f[REC_KEY], r->f[REC_KEY_B64]);
			break;
		case 'v':
			text(f, out, r->f[REC_VALUE], r->f[REC_VALUE_B64]);
			break;
		case 'K':
		case 'V':
			n0 = out->n;
			n = f->ops[i].op == 'K' ?
			    text(f, out, r->f[REC_KEY], r->f[REC_KEY_B64]) :
			    text(f, out, r->f[REC_VALUE], r->f[REC_VALUE_B64]);
			out->n = n0;
			buf_addi(out, n);
			break;
		case 't':
			plain(out, r->f[REC_TOPIC]);
			break;
		case 'p':
			plain(out, r->f[REC_PARTITION]);
			break;
		case 'o':
			plain(out, r->f[REC_OFFSET]);
			break;
		case 'T':
			plain(out, r->f[REC_TS]);
			break;
		case OP_TS_ISO:
			if (r->ts_ok)
				buf_add(out, iso, dur_iso_fmt(r->ts_ms, iso));
			break;
		case 'h':
			headers(out, r->f[REC_HEADERS]);
			break;
		}
	}
}
