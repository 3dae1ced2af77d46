/* map: records through a jq program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "msg.h"
#include "tmpl.h"

struct map *
map_new(const char *prog, enum map_mode mode, const struct jqx_arg *args,
    size_t n_args, const char **why)
{
	struct map *m = xmalloc(sizeof *m);
	int i;

	memset(m, 0, sizeof *m);
	m->mode = mode;
	for (i = 0; i < REC_NF; i++)
		m->field[i] = (struct buf)BUF_INIT;
	m->extra = (struct buf)BUF_INIT;
	m->line = (struct buf)BUF_INIT;
	m->jx = jqx_new(prog, args, n_args, mode == MAP_VALUE ? JQX_RECORD :
	    JQX_RECORD_IS_INPUT,
	    why);
	if (m->jx == NULL) {
		free(m);
		return NULL;
	}
	if (mode == MAP_RECORD)
		m->tmpl = tmpl_parse(prog);
	return m;
}

void
map_free(struct map *m)
{
	int i;

	if (m == NULL)
		return;
	jqx_free(m->jx);
	tmpl_free(m->tmpl);
	for (i = 0; i < REC_NF; i++)
		buf_free(&m->field[i]);
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

int
map_run(struct map *m, const struct rec *r,
    void (*emit)(void *ctx, const char *p, size_t n), void *ctx,
    const char **why)
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
			emit(ctx, m->line.p, m->line.n);
			return 0;
		}
	}
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
		emit(ctx, m->line.p, m->line.n);
	}
	return st;
}
