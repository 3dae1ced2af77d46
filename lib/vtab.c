/* vtab: a versioned table, over a store. */
#include <string.h>

#include "vtab.h"

void
vtab_open(struct vtab *t, struct store *st, int64_t history)
{
	t->st = st;
	t->history = history;
	t->k = t->v = (struct buf)BUF_INIT;
	vtab_load(t);
}

void
vtab_close(struct vtab *t)
{
	buf_free(&t->k);
	buf_free(&t->v);
}

void
vtab_load(struct vtab *t)
{
	if (!store_meta_get(t->st, "observed", &t->observed))
		t->observed = -1;
}

void
vtab_save(struct vtab *t)
{
	store_meta_put(t->st, "observed", t->observed);
}

/* The oldest time lookups reach. */
static int64_t
reach(const struct vtab *t)
{
	if (t->history == INT64_MAX || t->observed < INT64_MIN + t->history)
		return INT64_MIN;
	return t->observed - t->history;
}

/* 'v' KEY \0, and -TS when ts is given. */
static void
vkey(struct vtab *t, const char *k, size_t kn, const int64_t *ts)
{
	buf_reset(&t->k);
	buf_addc(&t->k, 'v');
	buf_add(&t->k, k, kn);
	buf_addc(&t->k, '\0');
	if (ts != NULL)
		store_key_i64(&t->k, -*ts);
}

/* A walk over one key's versions, newest first. */
struct walk {
	struct vtab *t;
	size_t pn;		/* 'v' KEY \0 */
	int n;			/* versions seen */
	int64_t ts;		/* the first one's time */
	int found;		/* it is a value, now in t->v */
	int64_t before;		/* prune: the reach */
	struct buf gone;	/* their keys, each after its length */
};

static int
first(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct walk *w = ctx;

	if (kn != w->pn + 8 || memcmp(k, w->t->k.p, w->pn) != 0 || vn < 1)
		return 1;
	w->ts = -store_i64_key((const char *)k + w->pn);
	w->found = ((const char *)v)[0] == 1;
	buf_reset(&w->t->v);
	if (w->found)
		buf_add(&w->t->v, (const char *)v + 1, vn - 1);
	w->n = 1;
	return 1;
}

static int
old(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct walk *w = ctx;

	(void)v;
	(void)vn;
	if (kn != w->pn + 8 || memcmp(k, w->t->k.p, w->pn) != 0)
		return 1;
	/*
	 * The newest version at the reach is still the row there: it
	 * stays; those before it go.
	 */
	if (w->n > 0)
		buf_additem(&w->gone, k, kn);
	else if (-store_i64_key((const char *)k + w->pn) <= w->before)
		w->n = 1;
	return 0;
}

int
vtab_put(struct vtab *t, const char *k, size_t kn, int64_t ts, const char *v,
    size_t vn)
{
	struct walk w = { t, 0, 0, 0, 0, 0, BUF_INIT };
	const char *p, *end, *q;
	size_t n;

	if (ts < reach(t))
		return 0;
	if (ts > t->observed)
		t->observed = ts;
	vkey(t, k, kn, &ts);
	buf_reset(&t->v);
	buf_addc(&t->v, v != NULL ? 1 : 0);
	if (v != NULL)
		buf_add(&t->v, v, vn);
	store_put(t->st, STORE_DATA, t->k.p, t->k.n, t->v.p, t->v.n);
	/* Versions out of reach go, but the newest. */
	if (reach(t) == INT64_MIN)
		return 1;
	vkey(t, k, kn, NULL);
	w.pn = t->k.n;
	w.before = reach(t);
	store_walk(t->st, STORE_DATA, t->k.p, t->k.n, old, &w);
	for (p = w.gone.p, end = p + w.gone.n; p < end; ) {
		p = buf_item(p, &q, &n);
		store_del(t->st, STORE_DATA, q, n);
	}
	buf_free(&w.gone);
	return 1;
}

int
vtab_get(struct vtab *t, const char *k, size_t kn, int64_t asof,
    struct buf *v)
{
	struct walk w = { t, 0, 0, 0, 0, 0, BUF_INIT };

	/* Beyond the history only the newest version answers. */
	if (asof < reach(t)) {
		vkey(t, k, kn, NULL);
		w.pn = t->k.n;
		store_walk(t->st, STORE_DATA, t->k.p, t->k.n, first, &w);
		if (w.n == 0 || w.ts > asof || !w.found)
			return 0;
	} else {
		vkey(t, k, kn, &asof);
		w.pn = t->k.n - 8;
		store_walk(t->st, STORE_DATA, t->k.p, t->k.n, first, &w);
		if (w.n == 0 || !w.found)
			return 0;
	}
	buf_reset(v);
	buf_add(v, t->v.p, t->v.n);
	return 1;
}
