/* map: records through a jq program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "msg.h"
#include "tmpl.h"

/* libjq, compiled now or at the first record that needs it. */
static struct jqx *
compile(struct map *m, const char **why)
{
	if (m->jx == NULL)
		m->jx = jqx_new(m->prog, m->args, m->n_args,
		    (m->mode == MAP_VALUE ? JQX_RECORD : JQX_RECORD_IS_INPUT) |
		    JQX_ALL, why);
	return m->jx;
}

struct map *
map_new(const char *prog, enum map_mode mode, const struct jqx_arg *args,
    size_t n_args, const char **why)
{
	struct map *m = xmalloc(sizeof *m);
	size_t i;
	int json = 0;

	memset(m, 0, sizeof *m);
	m->mode = mode;
	for (i = 0; i < REC_NF; i++)
		m->field[i] = (struct buf)BUF_INIT;
	m->extra = (struct buf)BUF_INIT;
	m->line = (struct buf)BUF_INIT;
	m->pending = (struct buf)BUF_INIT;
	m->scratch = (struct buf)BUF_INIT;
	for (i = 0; i < REC_NF; i++) {
		m->fname[i] = (struct buf)BUF_INIT;
		buf_addc(&m->fname[i], '"');
		buf_adds(&m->fname[i], rec_names[i]);
		buf_add(&m->fname[i], "\":", 2);
	}
	m->prog = xstrdup(prog);
	m->args = args;
	m->n_args = n_args;
	for (i = 0; i < n_args; i++)
		json |= args[i].json;
	if (mode == MAP_RECORD)
		m->tmpl = tmpl_parse(prog);
	if (m->tmpl == NULL)
		m->sp = spipe_parse(prog);
	/*
	 * Compiling costs libjq 1.6 tens of milliseconds, most of it in its
	 * builtins: a pipeline spipe runs (always valid jq) waits for a
	 * record that needs jq.  An --argjson text is checked now, still.
	 */
	if ((m->sp == NULL || json) && compile(m, why) == NULL) {
		map_free(m);
		return NULL;
	}
	return m;
}

void
map_free(struct map *m)
{
	int i;

	if (m == NULL)
		return;
	jqx_free(m->jx);
	free(m->prog);
	tmpl_free(m->tmpl);
	spipe_free(m->sp);
	free(m->same);
	buf_free(&m->pending);
	buf_free(&m->scratch);
	for (i = 0; i < REC_NF; i++) {
		buf_free(&m->field[i]);
		buf_free(&m->fname[i]);
	}
	buf_free(&m->extra);
	buf_free(&m->line);
	free(m->other);
	free(m);
}

static const char *
kind_name(enum jqx_kind k)
{
	static const char *const names[] = { "null", "boolean", "boolean",
	    "number", "string", "array", "object" };

	return names[k];
}

/* Does the output replace the input's member name (n bytes)? */
typedef int replaced_fn(const struct map *m, const char *name, size_t n);

static int
by_object(const struct map *m, const char *name, size_t n)
{
	return jqx_has(m->jx, name, n) && !jqx_member_same(m->jx, name, n);
}

static int
by_tmpl(const struct map *m, const char *name, size_t n)
{
	const char *tn;
	size_t i, k = tmpl_count(m->tmpl), tl;

	for (i = 0; i < k; i++) {
		tn = tmpl_name(m->tmpl, i, &tl);
		if (tl == n && memcmp(tn, name, n) == 0)
			return !tmpl_same(m->tmpl, i);
	}
	return 0;
}

/*
 * The input's unknown members go into o, less those the output replaces;
 * names with escapes are compared as written.
 */
static void
keep_others(struct map *m, const struct rec *r, struct rec *o,
    replaced_fn *replaced)
{
	size_t j;

	if (m->cap_other < r->n_other) {
		m->cap_other = r->n_other;
		m->other = xrealloc(m->other, m->cap_other * sizeof *m->other);
	}
	o->other = m->other;
	o->n_other = 0;
	for (j = 0; j < r->n_other; j++) {
		struct span nm = r->other[j].name;

		if (!replaced(m, nm.p + 1, nm.n - 2))
			m->other[o->n_other++] = r->other[j];
	}
}

/* Fill o from an object output, over the input record r. */
static int
from_object(struct map *m, const struct rec *r, struct rec *o,
    const char **why)
{
	static char whybuf[64];
	int i, present[REC_NF], same[REC_NF];
	int64_t ts;

	if (jqx_kind(m->jx) != JQX_OBJECT) {
		snprintf(whybuf, sizeof whybuf, "program output is %s %s, "
		    "not an object", jqx_kind(m->jx) == JQX_ARRAY ? "an" : "a",
		    kind_name(jqx_kind(m->jx)));
		*why = whybuf;
		return -1;
	}
	memset(present, 0, sizeof present);
	memset(same, 0, sizeof same);
	for (i = 0; i < REC_NF; i++)
		buf_reset(&m->field[i]);
	buf_reset(&m->extra);
	jqx_split(m->jx, m->field, present, same, &m->extra);
	if (present[REC_AT]) {
		*why = "program output has an \"@\" member: only the stream "
		    "makes control records";
		return -1;
	}
	for (i = 0; i < REC_AT; i++) {
		if (present[i] && same[i])
			o->f[i] = r->f[i];
		else if (present[i]) {
			o->f[i].p = m->field[i].p;
			o->f[i].n = m->field[i].n;
		}
	}
	o->extra.p = m->extra.p;
	o->extra.n = m->extra.n;
	if (present[REC_TS] && !same[REC_TS] && !rec_int(o->f[REC_TS], &ts)) {
		*why = "program output's ts is not an integer (milliseconds)";
		return -1;
	}
	keep_others(m, r, o, by_object);
	return 0;
}

/* Has the input a member name (n bytes, no escapes) among its others? */
static int
other_has(const struct rec *r, const char *name, size_t n)
{
	size_t j;

	for (j = 0; j < r->n_other; j++)
		if (r->other[j].name.n == n + 2 &&
		    memcmp(r->other[j].name.p + 1, name, n) == 0)
			return 1;
	return 0;
}

/*
 * A template program, without jq (lib/tmpl.c): the same record the jq
 * path would make.  Returns 0 with o filled, -1 with *why, or 1 when jq
 * must run instead.
 */
static int
from_tmpl(struct map *m, const struct rec *r, struct rec *o,
    const char **why)
{
	const struct tmpl *t = m->tmpl;
	const char *name;
	size_t i, n, k = tmpl_count(t);
	int f, same;
	int64_t ts;

	buf_reset(&m->extra);
	for (i = 0; i < k; i++) {
		name = tmpl_name(t, i, &n);
		f = rec_field(name, n);
		if (f == REC_AT)
			return 1;	/* jq's error message */
		same = tmpl_same(t, i) && (f >= 0 ? r->f[f].p != NULL :
		    other_has(r, name, n));
		if (f < 0) {
			if (same)
				continue;	/* stays where it was */
			if (m->extra.n > 0)
				buf_addc(&m->extra, ',');
			buf_addjstr(&m->extra, name, n);
			buf_addc(&m->extra, ':');
			if (tmpl_value(t, i, r, &m->extra) != 0)
				return 1;
			continue;
		}
		if (same) {
			o->f[f] = r->f[f];
			continue;
		}
		buf_reset(&m->field[f]);
		if (tmpl_value(t, i, r, &m->field[f]) != 0)
			return 1;
		/*
		 * A number equal to the input's member of that name is copied
		 * from the input by the jq path: leave such cases to it.
		 */
		if (r->f[f].p != NULL && (m->field[f].p[0] == '-' ||
		    (m->field[f].p[0] >= '0' && m->field[f].p[0] <= '9')))
			return 1;
		o->f[f].p = m->field[f].p;
		o->f[f].n = m->field[f].n;
		if (f == REC_TS && !rec_int(o->f[f], &ts)) {
			*why = "program output's ts is not an integer "
			    "(milliseconds)";
			return -1;
		}
	}
	o->extra.p = m->extra.p;
	o->extra.n = m->extra.n;
	keep_others(m, r, o, by_tmpl);
	return 0;
}

/* The input's unknown member name (n bytes), the last if it repeats. */
static struct span
other_get(const struct rec *r, const char *name, size_t n)
{
	struct span v = { NULL, 0 };
	size_t j;

	for (j = 0; j < r->n_other; j++)
		if (r->other[j].name.n == n + 2 &&
		    memcmp(r->other[j].name.p + 1, name, n) == 0)
			v = r->other[j].val;
	return v;
}

/*
 * Are the input's member names as jq reads them?  A name with escapes
 * ("k\u0065y") is kept as written by rec_scan, but jq decodes it.
 */
static int
plain_names(const struct rec *r)
{
	size_t j;

	for (j = 0; j < r->n_other; j++)
		if (memchr(r->other[j].name.p, '\\', r->other[j].name.n))
			return 0;
	return 1;
}

/*
 * Is v the input's member f?  A string of another length than the
 * member's text (less its quotes) can be only if escapes shorten that
 * text: whether they are is found once per record, not once per output.
 */
static int
same_field(struct map *m, const struct spipe_val *v, int f)
{
	struct span w = m->in->f[f];

	if (v->kind == SPIPE_STRING && REC_IS_STR(w) && v->n != w.n - 2) {
		if (v->n > w.n - 2)
			return 0;
		if (m->esc[f] < 0)
			m->esc[f] = memchr(w.p, '\\', w.n) != NULL;
		if (!m->esc[f])
			return 0;
	}
	return spipe_same(v, w, &m->scratch);
}

/*
 * Append r as rec_fmt writes it, in one pass over a buffer grown once:
 * spipe makes a line per word.
 */
static void
line_fmt(const struct map *m, struct buf *out, const struct rec *r)
{
	size_t need = 3, j;
	char *q;
	int i;

	for (i = 0; i < REC_NF; i++)
		if (r->f[i].p != NULL)
			need += m->fname[i].n + r->f[i].n + 1;
	need += r->extra.n + 1;
	for (j = 0; j < r->n_other; j++)
		if (r->other[j].name.p != NULL)
			need += r->other[j].name.n + r->other[j].val.n + 2;
	buf_grow(out, need);
	q = out->p + out->n;
	*q++ = '{';
	for (i = 0; i < REC_NF; i++) {
		if (r->f[i].p == NULL)
			continue;
		memcpy(q, m->fname[i].p, m->fname[i].n);
		q += m->fname[i].n;
		memcpy(q, r->f[i].p, r->f[i].n);
		q += r->f[i].n;
		*q++ = ',';
	}
	if (r->extra.p != NULL && r->extra.n > 0) {
		memcpy(q, r->extra.p, r->extra.n);
		q += r->extra.n;
		*q++ = ',';
	}
	for (j = 0; j < r->n_other; j++) {
		if (r->other[j].name.p == NULL)
			continue;
		memcpy(q, r->other[j].name.p, r->other[j].name.n);
		q += r->other[j].name.n;
		*q++ = ':';
		memcpy(q, r->other[j].val.p, r->other[j].val.n);
		q += r->other[j].val.n;
		*q++ = ',';
	}
	if (q[-1] == ',')
		q--;
	*q++ = '}';
	*q++ = '\n';
	*q = '\0';
	out->n = q - out->p;
}

static int
by_spipe(const struct map *m, const char *name, size_t n)
{
	const char *mn;
	size_t i, k = spipe_count(m->obj), ml;

	for (i = 0; i < k; i++) {
		spipe_member(m->obj, i, &mn, &ml);
		if (ml == n && memcmp(mn, name, n) == 0)
			return !m->same[i];
	}
	return 0;
}

/*
 * An object output of spipe into o, over the input record r, member by
 * member as jqx_split and from_object do it: 0, or 1 when jq must run
 * instead (an error of jq's, a value only jq prints).
 */
static int
from_spipe_obj(struct map *m, const struct rec *r, struct rec *o,
    const struct spipe_val *v)
{
	const struct spipe_val *x;
	const char *name;
	size_t i, n, k = spipe_count(v);
	int f;
	int64_t ts;

	if (m->cap_same < k) {
		m->cap_same = k;
		m->same = xrealloc(m->same, k * sizeof *m->same);
	}
	buf_reset(&m->extra);
	for (i = 0; i < k; i++) {
		x = spipe_member(v, i, &name, &n);
		f = rec_field(name, n);
		if (f == REC_AT)
			return 1;	/* jq's error message */
		m->same[i] = f >= 0 ? same_field(m, x, f) :
		    spipe_same(x, other_get(r, name, n), &m->scratch);
		if (f < 0) {
			if (m->same[i])
				continue;	/* stays where it was */
			if (m->extra.n > 0)
				buf_addc(&m->extra, ',');
			buf_addjstr(&m->extra, name, n);
			buf_addc(&m->extra, ':');
			if (spipe_fmt(x, &m->extra) != 0)
				return 1;
			continue;
		}
		if (m->same[i]) {
			o->f[f] = r->f[f];
			continue;
		}
		buf_reset(&m->field[f]);
		if (spipe_fmt(x, &m->field[f]) != 0)
			return 1;
		o->f[f].p = m->field[f].p;
		o->f[f].n = m->field[f].n;
		if (f == REC_TS && !rec_int(o->f[f], &ts))
			return 1;
	}
	o->extra.p = m->extra.p;
	o->extra.n = m->extra.n;
	m->obj = v;
	keep_others(m, m->in, o, by_spipe);
	return 0;
}

/* An output of spipe: its record onto m->pending, or 1 for jq. */
static int
spipe_out(void *ctx, const struct spipe_val *v)
{
	struct map *m = ctx;
	const struct rec *r = m->in;
	struct rec o = *r;
	struct span w;
	enum rec_field f;

	o.extra.p = NULL;
	o.extra.n = 0;
	if (m->mode == MAP_RECORD) {
		/* The input itself is a record as it came. */
		if (v->kind != SPIPE_RECORD) {
			o.f[REC_KEY].p = o.f[REC_KEY_B64].p = NULL;
			o.f[REC_VALUE].p = o.f[REC_VALUE_B64].p = NULL;
			if (v->kind != SPIPE_OBJECT ||
			    from_spipe_obj(m, r, &o, v) != 0)
				return 1;
		}
		if (o.f[REC_KEY].p == NULL && o.f[REC_KEY_B64].p == NULL)
			o.f[REC_KEY] = (struct span){ "null", 4 };
		if (o.f[REC_VALUE].p == NULL && o.f[REC_VALUE_B64].p == NULL)
			o.f[REC_VALUE] = (struct span){ "null", 4 };
	} else {
		f = m->mode == MAP_VALUE ? REC_VALUE : REC_KEY;
		w = r->f[f];
		if (m->mode == MAP_VALUE && w.p == NULL)
			w = (struct span){ "null", 4 };	/* the input */
		if (r->f[f].p != NULL ? !same_field(m, v, f) :
		    !spipe_same(v, w, &m->scratch)) {
			buf_reset(&m->field[f]);
			if (spipe_fmt(v, &m->field[f]) != 0)
				return 1;
			o.f[f].p = m->field[f].p;
			o.f[f].n = m->field[f].n;
			o.f[f + 1].p = NULL;
		} else if (o.f[f].p == NULL && o.f[f + 1].p == NULL)
			o.f[f] = (struct span){ "null", 4 };
	}
	line_fmt(m, &m->pending, &o);
	m->n_pending++;
	return 0;
}

/*
 * A pipeline, without jq (lib/spipe.c): its records are written only
 * once all were made, as jq may yet have to run instead.  Returns 0 when
 * done, 1 when jq must run.
 */
static int
from_spipe(struct map *m, const struct rec *r,
    void (*emit)(void *ctx, const char *p, size_t n, size_t lines),
    void *ctx)
{

	if (m->mode != MAP_VALUE && !plain_names(r))
		return 1;
	buf_reset(&m->pending);
	m->n_pending = 0;
	m->in = r;
	memset(m->esc, -1, sizeof m->esc);
	if (spipe_run(m->sp, r, m->mode == MAP_VALUE, spipe_out, m) != 0)
		return 1;
	if (m->n_pending > 0)
		emit(ctx, m->pending.p, m->pending.n, m->n_pending);
	return 0;
}

int
map_run(struct map *m, const struct rec *r,
    void (*emit)(void *ctx, const char *p, size_t n, size_t lines),
    void *ctx, const char **why)
{
	struct rec o;
	struct span in = r->line;
	int st;
	enum rec_field f;

	if (m->tmpl != NULL) {
		o = *r;
		o.extra.p = NULL;
		o.extra.n = 0;
		o.f[REC_KEY].p = o.f[REC_KEY_B64].p = NULL;
		o.f[REC_VALUE].p = o.f[REC_VALUE_B64].p = NULL;
		if ((st = from_tmpl(m, r, &o, why)) < 0)
			return -1;
		if (st == 0) {
			if (o.f[REC_KEY].p == NULL &&
			    o.f[REC_KEY_B64].p == NULL)
				o.f[REC_KEY] = (struct span){ "null", 4 };
			if (o.f[REC_VALUE].p == NULL &&
			    o.f[REC_VALUE_B64].p == NULL)
				o.f[REC_VALUE] = (struct span){ "null", 4 };
			buf_reset(&m->line);
			rec_fmt(&m->line, &o);
			emit(ctx, m->line.p, m->line.n, 1);
			return 0;
		}
	}
	if (m->sp != NULL && from_spipe(m, r, emit, ctx) == 0)
		return 0;
	if (compile(m, why) == NULL)
		die(KP_EXIT_USAGE, "%s", *why);
	if (m->mode == MAP_VALUE)
		in = r->f[REC_VALUE];
	jqx_start(m->jx, in.p, in.n, r->line);
	while ((st = jqx_next(m->jx, why)) == 1) {
		o = *r;
		o.extra.p = NULL;
		o.extra.n = 0;
		if (m->mode == MAP_RECORD) {
			/* Key and value come from the output alone. */
			o.f[REC_KEY].p = o.f[REC_KEY_B64].p = NULL;
			o.f[REC_VALUE].p = o.f[REC_VALUE_B64].p = NULL;
			if (from_object(m, r, &o, why) != 0)
				return -1;
			if (o.f[REC_KEY].p == NULL &&
			    o.f[REC_KEY_B64].p == NULL)
				o.f[REC_KEY] = (struct span){ "null", 4 };
			if (o.f[REC_VALUE].p == NULL &&
			    o.f[REC_VALUE_B64].p == NULL)
				o.f[REC_VALUE] = (struct span){ "null", 4 };
		} else {
			f = m->mode == MAP_VALUE ? REC_VALUE : REC_KEY;
			/* Unchanged, it keeps its bytes, or its base64 form. */
			if (!(m->mode == MAP_VALUE ? jqx_same(m->jx) :
			    jqx_same_member(m->jx, "key"))) {
				buf_reset(&m->field[f]);
				jqx_fmt(m->jx, &m->field[f]);
				o.f[f].p = m->field[f].p;
				o.f[f].n = m->field[f].n;
				o.f[f + 1].p = NULL;
			} else if (o.f[f].p == NULL && o.f[f + 1].p == NULL)
				o.f[f] = (struct span){ "null", 4 };
		}
		buf_reset(&m->line);
		rec_fmt(&m->line, &o);
		emit(ctx, m->line.p, m->line.n, 1);
	}
	return st;
}
