/* agg: aggregate functions. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "msg.h"
#include "path.h"

enum agg_kind { AGG_COUNT, AGG_FUNCS, AGG_REDUCE };
enum fn { FN_COUNT, FN_SUM, FN_MIN, FN_MAX, FN_AVG, FN_FIRST, FN_LAST };
static const char *const fn_names[] = {
	"count", "sum", "min", "max", "avg", "first", "last"
};
#define N_FNS (sizeof(fn_names) / sizeof(fn_names[0]))

/* A function's fixed slot in the state: a number and a count. */
#define SLOT 16

struct func {
	enum fn fn;
	char *name;		/* as a JSON string, quotes included */
	struct jqx *jx;		/* NULL: count alone */
	struct path path;	/* when the expression is a plain path */
	char *expr;
	struct func *same;	/* an earlier function of the same expr */
	/* This record's input: */
	int null;
	double d;
	struct buf text;	/* first, last: the output's JSON text */
};

struct agg {
	enum agg_kind kind;
	struct func *f;
	size_t n;
	size_t n_texts;		/* first and last functions */
	struct jqx *reduce;
	struct jqx *merge;	/* --merge, over [$a, $b] */
	char *init;
	struct buf tmp;
};

static struct agg *
agg_alloc(enum agg_kind kind)
{
	struct agg *a = xmalloc(sizeof(*a));

	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->tmp = (struct buf)BUF_INIT;
	return a;
}

struct agg *
agg_new_count(void)
{
	return agg_alloc(AGG_COUNT);
}

static int
parse_spec(struct func *f, const char *spec, const struct jqx_arg *args,
    size_t n_args, const char **why)
{
	static char msg[256];
	const char *eq, *open, *close;
	struct buf b = BUF_INIT;
	size_t i, len;

	eq = strchr(spec, '=');
	if (eq == NULL || eq == spec) {
		snprintf(msg, sizeof(msg), "-a '%.200s': expected "
		    "NAME=FUNC(EXPR)", spec);
		*why = msg;
		return -1;
	}
	open = strchr(eq, '(');
	len = open != NULL ? (size_t)(open - eq - 1) : strlen(eq + 1);
	for (i = 0; i < N_FNS; i++)
		if (strlen(fn_names[i]) == len &&
		    memcmp(fn_names[i], eq + 1, len) == 0)
			break;
	if (i == N_FNS) {
		snprintf(msg, sizeof(msg), "-a '%.200s': unknown function "
		    "'%.*s'", spec, (int)len, eq + 1);
		*why = msg;
		return -1;
	}
	f->fn = (enum fn)i;
	close = open != NULL ? strrchr(open, ')') : NULL;
	if (open != NULL && (close == NULL || close[1] != '\0')) {
		snprintf(msg, sizeof(msg), "-a '%.200s': expected "
		    "NAME=FUNC(EXPR)", spec);
		*why = msg;
		return -1;
	}
	if (open != NULL && close > open + 1) {
		buf_add(&b, open + 1, close - open - 1);
		f->expr = b.p;
		b = (struct buf)BUF_INIT;
		/*
		 * A plain path is read without jq, which compiles (some ms)
		 * only when a record needs it.
		 */
		if (!path_parse(&f->path, f->expr) && (f->jx = jqx_new(f->expr,
		    args, n_args, 0, why)) == NULL)
			return -1;
	} else if (f->fn != FN_COUNT) {
		snprintf(msg, sizeof(msg), "-a '%.200s': %s needs an "
		    "expression", spec, fn_names[i]);
		*why = msg;
		return -1;
	}
	if (!rec_utf8_valid(spec, eq - spec)) {
		*why = "-a: the name is not UTF-8";
		return -1;
	}
	buf_addjstr(&b, spec, eq - spec);
	f->name = b.p;
	return 0;
}

/* min(.x) and avg(.x) read .x once. */
static void
same_expr(struct agg *a, struct func *f)
{
	struct func *g;
	int text = f->fn == FN_FIRST || f->fn == FN_LAST;

	if (f->expr == NULL)
		return;
	for (g = a->f; g < f; g++)
		if (g->expr != NULL && g->same == NULL &&
		    strcmp(g->expr, f->expr) == 0 &&
		    (g->fn == FN_FIRST || g->fn == FN_LAST) == text &&
		    (text || (g->fn != FN_COUNT) == (f->fn != FN_COUNT))) {
			f->same = g;
			return;
		}
}

struct agg *
agg_new_funcs(char *const *specs, size_t n, const struct jqx_arg *args,
    size_t n_args, const char **why)
{
	struct agg *a = agg_alloc(AGG_FUNCS);
	size_t i, j;

	a->f = xmalloc(n * sizeof(*a->f));
	memset(a->f, 0, n * sizeof(*a->f));
	for (i = 0; i < n; i++) {
		a->f[i].text = (struct buf)BUF_INIT;
		a->n++;
		if (parse_spec(&a->f[i], specs[i], args, n_args, why) != 0) {
			agg_free(a);
			return NULL;
		}
		if (a->f[i].fn == FN_FIRST || a->f[i].fn == FN_LAST)
			a->n_texts++;
		same_expr(a, &a->f[i]);
		for (j = 0; j < i; j++)
			if (strcmp(a->f[j].name, a->f[i].name) == 0) {
				*why = "-a: a name given twice";
				agg_free(a);
				return NULL;
			}
	}
	return a;
}

struct agg *
agg_new_reduce(const char *init, const char *reduce,
    const struct jqx_arg *args, size_t n_args, const char **why)
{
	struct agg *a;

	if (rec_json_check(init, strlen(init), why) != 0) {
		*why = "--init: not JSON";
		return NULL;
	}
	a = agg_alloc(AGG_REDUCE);
	a->init = xstrdup(init);
	if ((a->reduce = jqx_new(reduce, args, n_args, JQX_RECORD,
	    why)) == NULL) {
		agg_free(a);
		return NULL;
	}
	return a;
}

void
agg_free(struct agg *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		jqx_free(a->f[i].jx);
		path_free(&a->f[i].path);
		free(a->f[i].expr);
		free(a->f[i].name);
		buf_free(&a->f[i].text);
	}
	free(a->f);
	jqx_free(a->reduce);
	jqx_free(a->merge);
	free(a->init);
	buf_free(&a->tmp);
	free(a);
}

static void
put_slot(char *p, double d, int64_t n)
{
	memcpy(p, &d, 8);
	memcpy(p + 8, &n, 8);
}

static void
get_slot(const char *p, double *d, int64_t *n)
{
	memcpy(d, p, 8);
	memcpy(n, p + 8, 8);
}

void
agg_init(struct agg *a, struct buf *state)
{
	size_t i;
	uint32_t zero = 0;
	int64_t n = 0;

	buf_reset(state);
	switch (a->kind) {
	case AGG_COUNT:
		buf_add(state, &n, 8);
		break;
	case AGG_FUNCS:
		buf_grow(state, a->n * SLOT);
		for (i = 0; i < a->n; i++)
			put_slot(state->p + i * SLOT, 0, 0);
		state->n = a->n * SLOT;
		for (i = 0; i < a->n_texts; i++)
			buf_add(state, &zero, 4);
		break;
	case AGG_REDUCE:
		buf_adds(state, a->init);
		break;
	}
}

static int
not_number(struct func *f, const char **why)
{
	static char msg[128];

	snprintf(msg, sizeof(msg), "-a %s: %s of a value that is not a "
	    "number", f->name, fn_names[f->fn]);
	*why = msg;
	return -1;
}

/* Take the JSON text v, which a plain path found, as f's input. */
static int
eval_text(struct func *f, struct span v, const char **why)
{
	int null = v.n == 4 && memcmp(v.p, "null", 4) == 0;

	if (f->fn == FN_FIRST || f->fn == FN_LAST) {
		buf_reset(&f->text);
		buf_add(&f->text, v.p, v.n);
		f->null = 0;
		return 0;
	}
	if (null)
		return 0;
	if (f->fn != FN_COUNT) {
		if (v.p[0] != '-' && (v.p[0] < '0' || v.p[0] > '9'))
			return not_number(f, why);
		f->d = jqx_number_parse(&v.p, v.p + v.n);
	}
	f->null = 0;
	return 0;
}

/* Evaluate f's expression on r into f->null, f->d, f->text. */
static int
eval(struct func *f, const struct rec *r, const char **why)
{
	struct span v;
	int st;

	f->null = 1;
	if (f->expr == NULL) {
		f->null = 0;
		return 0;
	}
	if (f->path.n > 0 && (st = path_get(&f->path, r, &v)) >= 0)
		return eval_text(f, st ? v : (struct span){ "null", 4 }, why);
	if (f->jx == NULL && (f->jx = jqx_new(f->expr, NULL, 0, 0,
	    why)) == NULL)
		return -1;
	jqx_start(f->jx, r->line.p, r->line.n, r->line);
	if ((st = jqx_next(f->jx, why)) < 0)
		return -1;
	if (f->fn == FN_FIRST || f->fn == FN_LAST) {
		/* No output is null, as jq's first(empty) would be. */
		buf_reset(&f->text);
		if (st == 0)
			buf_adds(&f->text, "null");
		else
			jqx_fmt(f->jx, &f->text);
		f->null = 0;
		return 0;
	}
	if (st == 0 || jqx_kind(f->jx) == JQX_NULL)
		return 0;
	if (f->fn == FN_COUNT) {
		f->null = 0;
		return 0;
	}
	if (jqx_kind(f->jx) != JQX_NUMBER)
		return not_number(f, why);
	f->d = jqx_number(f->jx);
	f->null = 0;
	return 0;
}

int
agg_eval(struct agg *a, const struct rec *r, const char **why)
{
	struct func *f;
	size_t i;

	for (i = 0; i < a->n; i++) {
		f = &a->f[i];
		if (f->same == NULL) {
			if (eval(f, r, why) != 0)
				return -1;
			continue;
		}
		f->null = f->same->null;
		f->d = f->same->d;
		if (f->fn == FN_FIRST || f->fn == FN_LAST) {
			buf_reset(&f->text);
			buf_add(&f->text, f->same->text.p, f->same->text.n);
		}
	}
	return 0;
}

static void
fold_funcs(struct agg *a, struct buf *state)
{
	const char *tail;
	struct func *f;
	double d;
	int64_t n;
	uint32_t len, olen;
	size_t i;

	buf_reset(&a->tmp);
	tail = state->p + a->n * SLOT;
	for (i = 0; i < a->n; i++) {
		f = &a->f[i];
		get_slot(state->p + i * SLOT, &d, &n);
		if (f->fn == FN_FIRST || f->fn == FN_LAST) {
			memcpy(&olen, tail, 4);
			if (f->fn == FN_LAST || n == 0) {
				len = (uint32_t)f->text.n;
				buf_add(&a->tmp, &len, 4);
				buf_add(&a->tmp, f->text.p, f->text.n);
				n = 1;
			} else
				buf_add(&a->tmp, tail, 4 + olen);
			tail += 4 + olen;
			put_slot(state->p + i * SLOT, d, n);
			continue;
		}
		if (f->null)
			continue;
		switch (f->fn) {
		case FN_COUNT:
			n++;
			break;
		case FN_SUM:
		case FN_AVG:
			d += f->d;
			n++;
			break;
		case FN_MIN:
			if (n == 0 || f->d < d)
				d = f->d;
			n = 1;
			break;
		case FN_MAX:
			if (n == 0 || f->d > d)
				d = f->d;
			n = 1;
			break;
		default:
			break;
		}
		put_slot(state->p + i * SLOT, d, n);
	}
	if (a->n_texts > 0) {
		state->n = a->n * SLOT;
		buf_add(state, a->tmp.p, a->tmp.n);
	}
}

int
agg_fold(struct agg *a, struct buf *state, const struct rec *r,
    const char **why)
{
	int st;

	switch (a->kind) {
	case AGG_COUNT:
		agg_count_add(a, state, 1);
		return 0;
	case AGG_FUNCS:
		fold_funcs(a, state);
		return 0;
	case AGG_REDUCE:
		jqx_start(a->reduce, state->p, state->n, r->line);
		if ((st = jqx_next(a->reduce, why)) < 0)
			return -1;
		if (st == 0) {
			*why = "--reduce gave no output";
			return -1;
		}
		buf_reset(&a->tmp);
		jqx_fmt(a->reduce, &a->tmp);
		buf_reset(state);
		buf_add(state, a->tmp.p, a->tmp.n);
		return 0;
	}
	return 0;
}

int
agg_set_merge(struct agg *a, const char *merge, const struct jqx_arg *args,
    size_t n_args, const char **why)
{
	static char msg[512];
	struct buf b = BUF_INIT;
	struct jqx_arg *ab;
	struct jqx *jx;

	/* Compile it alone first, for errors in the user's own words. */
	ab = xmalloc((n_args + 2) * sizeof(*ab));
	if (n_args > 0)
		memcpy(ab, args, n_args * sizeof(*ab));
	ab[n_args] = (struct jqx_arg){ "a", "null", 1 };
	ab[n_args + 1] = (struct jqx_arg){ "b", "null", 1 };
	jx = jqx_new(merge, ab, n_args + 2, 0, why);
	free(ab);
	if (jx == NULL) {
		snprintf(msg, sizeof(msg), "--merge: %s", *why);
		*why = msg;
		return -1;
	}
	jqx_free(jx);
	/* The program sees $a and $b; its input is [$a, $b]. */
	buf_addf(&b, ". as [$a, $b] | (%s\n)", merge);
	a->merge = jqx_new(b.p, args, n_args, 0, why);
	buf_free(&b);
	return a->merge != NULL ? 0 : -1;
}

int
agg_has_merge(const struct agg *a)
{
	return a->merge != NULL;
}

int
agg_can_merge(const struct agg *a)
{
	return a->kind != AGG_REDUCE || a->merge != NULL;
}

static void
merge_funcs(struct agg *a, struct buf *state, const char *other)
{
	const char *tail = state->p + a->n * SLOT, *otail = other + a->n * SLOT;
	struct func *f;
	double d, od;
	int64_t n, on;
	uint32_t len, olen;
	size_t i;

	buf_reset(&a->tmp);
	for (i = 0; i < a->n; i++) {
		f = &a->f[i];
		get_slot(state->p + i * SLOT, &d, &n);
		get_slot(other + i * SLOT, &od, &on);
		switch (f->fn) {
		case FN_COUNT:
		case FN_SUM:
		case FN_AVG:
			d += od;
			n += on;
			break;
		case FN_MIN:
		case FN_MAX:
			if (on > 0 && (n == 0 || (f->fn == FN_MIN ? od < d :
			    od > d)))
				d = od;
			n = n || on;
			break;
		case FN_FIRST:
		case FN_LAST:
			memcpy(&len, tail, 4);
			memcpy(&olen, otail, 4);
			if (on > 0 && (n == 0 || f->fn == FN_LAST))
				buf_add(&a->tmp, otail, 4 + olen);
			else
				buf_add(&a->tmp, tail, 4 + len);
			tail += 4 + len;
			otail += 4 + olen;
			n = n || on;
			break;
		}
		put_slot(state->p + i * SLOT, d, n);
	}
	if (a->n_texts > 0) {
		state->n = a->n * SLOT;
		buf_add(state, a->tmp.p, a->tmp.n);
	}
}

int
agg_merge(struct agg *a, struct buf *state, const char *other, size_t n,
    const char **why)
{
	int64_t y;
	int st;

	switch (a->kind) {
	case AGG_COUNT:
		memcpy(&y, other, 8);
		agg_count_add(a, state, y);
		return 0;
	case AGG_FUNCS:
		merge_funcs(a, state, other);
		return 0;
	case AGG_REDUCE:
		buf_reset(&a->tmp);
		buf_addc(&a->tmp, '[');
		buf_add(&a->tmp, state->p, state->n);
		buf_addc(&a->tmp, ',');
		buf_add(&a->tmp, other, n);
		buf_addc(&a->tmp, ']');
		jqx_start(a->merge, a->tmp.p, a->tmp.n,
		    (struct span){ NULL, 0 });
		if ((st = jqx_next(a->merge, why)) < 0)
			return -1;
		if (st == 0) {
			*why = "--merge gave no output";
			return -1;
		}
		buf_reset(state);
		jqx_fmt(a->merge, state);
		return 0;
	}
	return 0;
}

int
agg_can_table(const struct agg *a)
{
	return a->kind == AGG_COUNT;
}

void
agg_count_add(struct agg *a, struct buf *state, int64_t delta)
{
	int64_t n;

	(void)a;
	memcpy(&n, state->p, 8);
	n += delta;
	memcpy(state->p, &n, 8);
}

int
agg_can_fail(const struct agg *a)
{
	return a->kind == AGG_REDUCE;
}

void
agg_fmt(const struct agg *a, const char *state, size_t n_state,
    struct buf *out)
{
	const char *tail;
	const struct func *f;
	double d;
	int64_t n;
	uint32_t len;
	size_t i;

	switch (a->kind) {
	case AGG_COUNT:
		memcpy(&n, state, 8);
		buf_addi(out, n);
		return;
	case AGG_REDUCE:
		buf_add(out, state, n_state);
		return;
	case AGG_FUNCS:
		break;
	}
	tail = state + a->n * SLOT;
	buf_addc(out, '{');
	for (i = 0; i < a->n; i++) {
		f = &a->f[i];
		if (i > 0)
			buf_addc(out, ',');
		buf_adds(out, f->name);
		buf_addc(out, ':');
		get_slot(state + i * SLOT, &d, &n);
		switch (f->fn) {
		case FN_COUNT:
			buf_addi(out, n);
			break;
		case FN_SUM:
			jqx_number_fmt(d, out);
			break;
		case FN_MIN:
		case FN_MAX:
		case FN_AVG:
			if (n == 0)
				buf_adds(out, "null");
			else
				jqx_number_fmt(f->fn == FN_AVG ? d / n : d,
				    out);
			break;
		case FN_FIRST:
		case FN_LAST:
			memcpy(&len, tail, 4);
			if (n == 0)
				buf_adds(out, "null");
			else
				buf_add(out, tail + 4, len);
			tail += 4 + len;
			break;
		}
	}
	buf_addc(out, '}');
}
