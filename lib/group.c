/* group: grouped, windowed aggregation over the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "ctl.h"
#include "dur.h"
#include "group.h"
#include "hash.h"
#include "msg.h"

/*
 * The store's layout.  data: KEY (all time) or KEY \0 START (windows) ->
 * END MAXTS PROVLEN PROV STATE, where KEY is the key's JSON text (which
 * holds no NUL), START and END the window's as store_key_i64 writes them,
 * so a key's windows are adjacent and in time order.  index: END KEY \0
 * START, so windows close in the order of their ends, as Kafka Streams'
 * suppression buffer emits them (by time, then key).  meta: stream_ms,
 * closed_ms (the largest end already closed), and the store's epoch.
 */

struct ent {
	struct ent *next;	/* hash chain */
	struct ent *dnext, *dprev;	/* dirty list */
	uint64_t h;
	int64_t start_ms, end_ms, max_ts;
	char *key;
	size_t kn;
	struct buf state;	/* lib/agg.c's bytes */
	struct buf prov;	/* ,"topic":..,"partition":..,"offset":.. */
	int dirty, stored;
};

#define DEFAULT_MEM ((size_t)64 << 20)
#define BATCH 4096

struct group {
	struct group_conf c;
	struct store *st;
	struct out *out;
	int windowed;
	struct ent **tab;
	size_t n_tab, n_ent, mem;
	struct ent *dirty;
	int stored_any;		/* the store's data table is not empty */
	int resident;		/* fixed windows or none, no retention:
				   closed windows are forgotten */
	int spilled;		/* the store may hold groups that memory
				   does not: look there, sweep there */
	struct ent **heap;	/* windows only in memory, by end, key, start */
	size_t n_heap, cap_heap;
	int64_t stream_ms;	/* INT64_MIN: no record yet */
	int64_t closed_ms;	/* windows ending at or before are closed */
	int64_t next_ms;	/* the smallest end of an open window */
	int64_t epoch;
	int resumed;		/* the stream began with resume: undo on */
	int64_t *starts;
	struct ent **wins;
	struct buf *scratch;
	struct buf key, line, k, v, batch, prov, comb, right;
	int64_t *found;		/* windows_of's starts */
	size_t n_found, cap_found;
	struct ent **wins_s;	/* sessions merging */
	FILE *late;		/* --late, once opened */
	size_t n_out, n_late, n_null, n_null_value;
};

static uint64_t
hash(const char *p, size_t n, int64_t start)
{
	return hash_fold(hash_fnv1a(p, n, HASH_FNV_BASIS ^ (uint64_t)start));
}

static void
data_key(struct group *g, struct buf *b, const char *key, size_t kn,
    int64_t start)
{
	buf_reset(b);
	buf_add(b, key, kn);
	if (g->windowed) {
		buf_addc(b, '\0');
		store_key_i64(b, start);
	}
}

static void
index_key(struct buf *b, const char *key, size_t kn, int64_t start,
    int64_t end)
{
	buf_reset(b);
	store_key_i64(b, end);
	buf_add(b, key, kn);
	buf_addc(b, '\0');
	store_key_i64(b, start);
}

static size_t
ent_mem(const struct ent *e)
{
	return sizeof(*e) + e->kn + e->state.cap + e->prov.cap;
}

static void
ent_free(struct ent *e)
{
	free(e->key);
	buf_free(&e->state);
	buf_free(&e->prov);
	free(e);
}

static void
grow(struct group *g)
{
	size_t n = g->n_tab ? g->n_tab * 2 : 1024, i;
	struct ent **t = xmalloc(n * sizeof(*t)), *e, *next;

	memset(t, 0, n * sizeof(*t));
	for (i = 0; i < g->n_tab; i++)
		for (e = g->tab[i]; e != NULL; e = next) {
			next = e->next;
			e->next = t[e->h & (n - 1)];
			t[e->h & (n - 1)] = e;
		}
	free(g->tab);
	g->tab = t;
	g->n_tab = n;
}

static struct ent **
slot(struct group *g, const char *key, size_t kn, int64_t start, uint64_t h)
{
	struct ent **pe;

	for (pe = &g->tab[h & (g->n_tab - 1)]; *pe != NULL;
	    pe = &(*pe)->next)
		if ((*pe)->h == h && (*pe)->start_ms == start &&
		    (*pe)->kn == kn && memcmp((*pe)->key, key, kn) == 0)
			break;
	return pe;
}

/* Index order: end, then key bytes (a prefix first), then start. */
static int
before(const struct ent *a, const struct ent *b)
{
	size_t n = a->kn < b->kn ? a->kn : b->kn;
	int c;

	if (a->end_ms != b->end_ms)
		return a->end_ms < b->end_ms;
	if ((c = memcmp(a->key, b->key, n)) != 0)
		return c < 0;
	if (a->kn != b->kn)
		return a->kn < b->kn;
	return a->start_ms < b->start_ms;
}

/*
 * While the store holds nothing, windows close from memory alone: a heap
 * gives them in the store's index order, and the store is never touched.
 */
static void
heap_push(struct group *g, struct ent *e)
{
	size_t i, up;

	if (g->n_heap == g->cap_heap) {
		g->cap_heap = g->cap_heap ? g->cap_heap * 2 : 64;
		g->heap = xrealloc(g->heap, g->cap_heap * sizeof(*g->heap));
	}
	for (i = g->n_heap++; i > 0; i = up) {
		up = (i - 1) / 2;
		if (!before(e, g->heap[up]))
			break;
		g->heap[i] = g->heap[up];
	}
	g->heap[i] = e;
}

static struct ent *
heap_pop(struct group *g)
{
	struct ent *top = g->heap[0], *last = g->heap[--g->n_heap];
	size_t i = 0, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= g->n_heap)
			break;
		if (c + 1 < g->n_heap && before(g->heap[c + 1], g->heap[c]))
			c++;
		if (!before(g->heap[c], last))
			break;
		g->heap[i] = g->heap[c];
		i = c;
	}
	if (g->n_heap > 0)
		g->heap[i] = last;
	return top;
}

static void
dirty_add(struct group *g, struct ent *e)
{
	e->dirty = 1;
	e->dprev = NULL;
	e->dnext = g->dirty;
	if (g->dirty != NULL)
		g->dirty->dprev = e;
	g->dirty = e;
}

static void
dirty_del(struct group *g, struct ent *e)
{
	if (!e->dirty)
		return;
	if (e->dprev != NULL)
		e->dprev->dnext = e->dnext;
	else
		g->dirty = e->dnext;
	if (e->dnext != NULL)
		e->dnext->dprev = e->dprev;
	e->dirty = 0;
}

/* The group (key, start): from memory, else the store, else new. */
static struct ent *
lookup(struct group *g, const char *key, size_t kn, int64_t start)
{
	uint64_t h = hash(key, kn, start);
	struct ent **pe = slot(g, key, kn, start, h), *e;
	struct group_result r;

	if (*pe != NULL)
		return *pe;
	e = xmalloc(sizeof(*e));
	memset(e, 0, sizeof(*e));
	e->h = h;
	e->key = xmalloc(kn + 1);
	memcpy(e->key, key, kn);
	e->kn = kn;
	e->start_ms = start;
	e->state = (struct buf)BUF_INIT;
	e->prov = (struct buf)BUF_INIT;
	if (g->spilled)
		data_key(g, &g->k, key, kn, start);
	if (g->spilled &&
	    store_get(g->st, STORE_DATA, g->k.p, g->k.n, &g->v)) {
		if (group_decode(g->windowed, g->k.p, g->k.n, g->v.p, g->v.n,
		    &r) != 0)
			die(KP_EXIT_STORE, "store '%s': a damaged entry",
			    store_path(g->st));
		e->end_ms = r.end_ms;
		e->max_ts = r.max_ts;
		buf_add(&e->prov, r.prov.p, r.prov.n);
		buf_add(&e->state, r.state.p, r.state.n);
		e->stored = 1;
	} else {
		e->end_ms = g->windowed ? start + g->c.win.size_ms : 0;
		e->max_ts = INT64_MIN;
		agg_init(g->c.agg, &e->state);
		if (g->windowed && !g->spilled)
			heap_push(g, e);
	}
	*pe = e;
	g->n_ent++;
	g->mem += ent_mem(e);
	if (g->n_ent > g->n_tab)
		grow(g);
	return e;
}

static void
forget(struct group *g, const char *key, size_t kn, int64_t start)
{
	uint64_t h = hash(key, kn, start);
	struct ent **pe = slot(g, key, kn, start, h), *e = *pe;

	if (e == NULL)
		return;
	*pe = e->next;
	dirty_del(g, e);
	g->n_ent--;
	g->mem -= ent_mem(e);
	ent_free(e);
}

/* Write the dirty groups into the store's open transaction. */
static void
flush(struct group *g)
{
	struct ent *e;
	uint32_t pn;

	for (e = g->dirty; e != NULL; e = e->dnext) {
		data_key(g, &g->k, e->key, e->kn, e->start_ms);
		buf_reset(&g->v);
		buf_add(&g->v, &e->end_ms, 8);
		buf_add(&g->v, &e->max_ts, 8);
		pn = (uint32_t)e->prov.n;
		buf_add(&g->v, &pn, 4);
		buf_add(&g->v, e->prov.p, e->prov.n);
		buf_add(&g->v, e->state.p, e->state.n);
		store_put(g->st, STORE_DATA, g->k.p, g->k.n, g->v.p, g->v.n);
		if (g->windowed && !e->stored) {
			index_key(&g->k, e->key, e->kn, e->start_ms,
			    e->end_ms);
			store_put(g->st, STORE_INDEX, g->k.p, g->k.n, "", 0);
		}
		e->stored = 1;
		e->dirty = 0;
		g->stored_any = 1;
	}
	g->dirty = NULL;
	/*
	 * Every window is in the store now.  A resident table keeps them in
	 * memory too, and goes on closing them from there; else the store
	 * is where they close.
	 */
	if (!g->resident && g->stored_any) {
		g->spilled = 1;
		g->n_heap = 0;
	}
}

/* Forget every group held in memory. */
static void
drop(struct group *g)
{
	struct ent *e, *next;
	size_t i;

	for (i = 0; i < g->n_tab; i++) {
		for (e = g->tab[i]; e != NULL; e = next) {
			next = e->next;
			ent_free(e);
		}
		g->tab[i] = NULL;
	}
	g->n_ent = 0;
	g->mem = 0;
	g->dirty = NULL;
	g->n_heap = 0;
	g->spilled = g->stored_any;
}

void
group_fmt(const struct agg *a, int windowed, const struct group_result *r,
    struct buf *b)
{
	buf_adds(b, "{\"ts\":");
	buf_addi(b, r->max_ts);
	buf_adds(b, ",\"key\":");
	buf_add(b, r->key.p, r->key.n);
	buf_adds(b, ",\"value\":");
	if (r->state.p == NULL)
		buf_adds(b, "null");
	else
		agg_fmt(a, r->state.p, r->state.n, b);
	if (windowed) {
		buf_adds(b, ",\"window\":{\"start\":");
		buf_addi(b, r->start_ms);
		buf_adds(b, ",\"end\":");
		buf_addi(b, r->end_ms);
		buf_addc(b, '}');
	}
	buf_add(b, r->prov.p, r->prov.n);
	buf_add(b, "}\n", 2);
}

int
group_decode(int windowed, const void *k, size_t kn, const void *v,
    size_t vn, struct group_result *r)
{
	const char *kp = k, *val = v;
	uint32_t pn;

	if ((windowed && kn < 9) || vn < 20)
		return -1;
	r->key.p = kp;
	r->key.n = windowed ? kn - 9 : kn;
	r->start_ms = windowed ? store_i64_key(kp + kn - 8) : 0;
	memcpy(&r->end_ms, val, 8);
	memcpy(&r->max_ts, val + 8, 8);
	memcpy(&pn, val + 16, 4);
	if (pn > vn - 20)
		return -1;
	r->prov.p = val + 20;
	r->prov.n = pn;
	r->state.p = val + 20 + pn;
	r->state.n = vn - 20 - pn;
	return 0;
}

static void
emit(struct group *g, const struct ent *e)
{
	struct group_result r = {
		{ e->key, e->kn }, e->start_ms, e->end_ms, e->max_ts,
		{ e->prov.p, e->prov.n }, { e->state.p, e->state.n }
	};

	buf_reset(&g->line);
	group_fmt(g->c.agg, g->windowed, &r, &g->line);
	out_write(g->out, g->line.p, g->line.n);
	g->n_out++;
}

/* Collect into g->batch up to BATCH index keys whose end is <= upto. */
struct walk {
	struct group *g;
	int64_t upto;
	size_t n;
	int more;
};

static int
collect(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct walk *w = ctx;
	uint32_t n = (uint32_t)kn;

	(void)v, (void)vn;
	if (store_i64_key(k) > w->upto)
		return 1;
	buf_add(&w->g->batch, &n, 4);
	buf_add(&w->g->batch, k, kn);
	if (++w->n == BATCH) {
		w->more = 1;
		return 1;
	}
	return 0;
}

/*
 * Act on every window whose end is in (from, upto], in index order: emit
 * its final result, delete it, or both.  Returns the largest end met.
 */
static int64_t
sweep(struct group *g, int64_t from, int64_t upto, int final, int del)
{
	struct buf lo = BUF_INIT;
	struct walk w = { g, upto, 0, 1 };
	const char *p, *e;
	int64_t end, start, last = from;
	struct ent *ent;
	uint32_t n;

	store_key_i64(&lo, from == INT64_MAX ? from : from + 1);
	while (w.more) {
		w.n = 0;
		w.more = 0;
		buf_reset(&g->batch);
		store_walk(g->st, STORE_INDEX, lo.p, lo.n, collect, &w);
		for (p = g->batch.p, e = p + g->batch.n; p < e; p += n) {
			memcpy(&n, p, 4);
			p += 4;
			end = store_i64_key(p);
			start = store_i64_key(p + n - 8);
			last = end;
			if (final) {
				ent = lookup(g, p + 8, n - 17, start);
				emit(g, ent);
			}
			if (del) {
				forget(g, p + 8, n - 17, start);
				data_key(g, &g->k, p + 8, n - 17, start);
				store_del(g->st, STORE_DATA, g->k.p, g->k.n);
				store_del(g->st, STORE_INDEX, p, n);
			}
			/* Resume after this key: it, then a NUL. */
			buf_reset(&lo);
			buf_add(&lo, p, n);
			buf_addc(&lo, '\0');
		}
	}
	buf_free(&lo);
	return last;
}

static int
any(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	(void)ctx, (void)k, (void)kn, (void)v, (void)vn;
	return 1;
}

static int
first_end(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	(void)kn, (void)v, (void)vn;
	*(int64_t *)ctx = store_i64_key(k);
	return 1;
}

/* The smallest end of a window still open. */
static void
find_next(struct group *g)
{
	struct buf lo = BUF_INIT;
	int64_t end = INT64_MAX;

	g->next_ms = INT64_MAX;
	if (g->n_heap > 0)
		g->next_ms = g->heap[0]->end_ms;
	if (g->closed_ms == INT64_MAX || !g->spilled)
		return;
	store_key_i64(&lo, g->closed_ms + 1);
	store_walk(g->st, STORE_INDEX, lo.p, lo.n, first_end, &end);
	if (end < g->next_ms)
		g->next_ms = end;
	buf_free(&lo);
}

/* Close the windows ending at or before upto; expire old ones. */
static void
close_upto(struct group *g, int64_t upto)
{
	int keep = g->c.retention_ms > 0;
	int64_t last, expire;
	struct ent *e;

	if (g->spilled) {
		flush(g);
		last = sweep(g, g->closed_ms, upto, g->c.emit_final, !keep);
	} else
		last = g->closed_ms;
	while (g->n_heap > 0 && g->heap[0]->end_ms <= upto) {
		e = heap_pop(g);
		last = e->end_ms;
		if (g->c.emit_final)
			emit(g, e);
		if (keep)
			continue;
		/* Committed at a barrier: the store forgets it too. */
		if (e->stored) {
			data_key(g, &g->k, e->key, e->kn, e->start_ms);
			store_del(g->st, STORE_DATA, g->k.p, g->k.n);
			index_key(&g->k, e->key, e->kn, e->start_ms,
			    e->end_ms);
			store_del(g->st, STORE_INDEX, g->k.p, g->k.n);
		}
		forget(g, e->key, e->kn, e->start_ms);
	}
	g->closed_ms = upto == INT64_MAX ? last : upto;
	if (keep && g->stream_ms != INT64_MIN) {
		/* Retention counts from a window's start, as Kafka's. */
		expire = g->stream_ms - g->c.retention_ms + g->c.win.size_ms;
		if (expire > g->closed_ms)
			expire = g->closed_ms;
		sweep(g, INT64_MIN, expire, 0, 1);
	}
	find_next(g);
}

static void
late(struct group *g, const struct rec *r, const char *src, size_t lineno)
{
	char why[160];

	g->n_late++;
	if (g->c.late_path == NULL)
		return;
	if (g->late == NULL && (g->late = fopen(g->c.late_path, "a")) == NULL)
		die_sys(KP_EXIT_DATA, "--late '%s'", g->c.late_path);
	snprintf(why, sizeof(why), "late: its window closed (stream time "
	    "%lld, grace %lld ms)", (long long)g->stream_ms,
	    (long long)g->c.win.grace_ms);
	buf_reset(&g->v);
	bad_fmt(&g->v, why, src, lineno, r->line.p, r->line.n);
	if (fwrite(g->v.p, 1, g->v.n, g->late) != g->v.n)
		die_sys(KP_EXIT_DATA, "--late '%s'", g->c.late_path);
}

static void
prov(struct buf *b, const struct rec *r)
{
	static const struct {
		enum rec_field f;
		const char *name;
		size_t n;
	} p[] = {
		{ REC_TOPIC, ",\"topic\":", 9 },
		{ REC_PARTITION, ",\"partition\":", 13 },
		{ REC_OFFSET, ",\"offset\":", 10 }
	};
	size_t i;

	buf_reset(b);
	for (i = 0; i < 3; i++)
		if (r->f[p[i].f].p != NULL) {
			buf_add(b, p[i].name, p[i].n);
			buf_add(b, r->f[p[i].f].p, r->f[p[i].f].n);
		}
}

/*
 * A window ending at end_ms is closed: by stream time, or because an
 * earlier --close-at-end closed every window up to closed_ms.
 */
static int
closed(const struct group *g, int64_t end_ms)
{
	return win_closed(&g->c.win, end_ms, g->stream_ms) ||
	    end_ms <= g->closed_ms;
}

/* The record being added, for each kind of window. */
struct cur {
	const struct rec *r;
	const char *key;
	size_t kn;
	struct bad *bad;
	const char *src;
	size_t lineno;
	int late;		/* it was late for some window */
	int64_t prev_ms;	/* stream time before it */
};

static void
bad_cur(struct group *g, struct cur *c, const char *why)
{
	/* A bad record leaves stream time where it was. */
	g->stream_ms = c->prev_ms;
	bad_line(c->bad, c->src, c->lineno, c->r->line.p, c->r->line.n, why);
}

/* e's state changed for record c->r, whose ts is ts_ms. */
static void
updated(struct group *g, struct ent *e, int64_t ts_ms)
{
	if (ts_ms > e->max_ts)
		e->max_ts = ts_ms;
	g->mem -= e->prov.cap;
	buf_reset(&e->prov);
	buf_add(&e->prov, g->prov.p, g->prov.n);
	g->mem += e->prov.cap;
	if (!e->dirty)
		dirty_add(g, e);
	if (g->windowed && e->end_ms < g->next_ms)
		g->next_ms = e->end_ms;
	if (!g->c.emit_final)
		emit(g, e);
}

/* Fold c->r into e: 0, or -1 after reporting the record as bad. */
static int
fold(struct group *g, struct cur *c, struct ent *e)
{
	const char *why;
	struct buf tmp;

	buf_reset(&g->scratch[0]);
	buf_add(&g->scratch[0], e->state.p, e->state.n);
	if (agg_fold(g->c.agg, &g->scratch[0], c->r, &why) != 0) {
		bad_cur(g, c, why);
		return -1;
	}
	g->mem -= ent_mem(e);
	tmp = e->state;
	e->state = g->scratch[0];
	g->scratch[0] = tmp;
	g->mem += ent_mem(e);
	updated(g, e, c->r->ts_ms);
	return 0;
}

/* Set e's state to state, with ts_ms, as a window made from another. */
static void
set(struct group *g, struct ent *e, const struct buf *state, int64_t ts_ms)
{
	g->mem -= ent_mem(e);
	buf_reset(&e->state);
	buf_add(&e->state, state->p, state->n);
	e->max_ts = ts_ms;
	g->mem += ent_mem(e);
}

/* Tumbling, hopping, or no window (KStreamWindowAggregate). */
static void
add_fixed(struct group *g, struct cur *c)
{
	const struct rec *r = c->r;
	int fallible = agg_can_fail(g->c.agg);
	const char *why;
	struct buf tmp;
	struct ent *e;
	size_t n, i;

	if (g->windowed)
		n = win_hopping(&g->c.win, r->ts_ms, g->starts);
	else {
		n = 1;
		g->starts[0] = 0;
	}
	for (i = 0; i < n; i++) {
		g->wins[i] = NULL;
		if (g->windowed && closed(g, g->starts[i] +
		    g->c.win.size_ms)) {
			c->late = 1;
			continue;
		}
		e = g->wins[i] = lookup(g, c->key, c->kn, g->starts[i]);
		if (!fallible)
			continue;
		/* Fold into copies first: a failing reducer changes none. */
		buf_reset(&g->scratch[i]);
		buf_add(&g->scratch[i], e->state.p, e->state.n);
		if (agg_fold(g->c.agg, &g->scratch[i], r, &why) != 0) {
			c->late = 0;
			bad_cur(g, c, why);
			return;
		}
	}
	for (i = 0; i < n; i++) {
		if ((e = g->wins[i]) == NULL)
			continue;
		g->mem -= ent_mem(e);
		if (fallible) {
			tmp = e->state;
			e->state = g->scratch[i];
			g->scratch[i] = tmp;
		} else
			agg_fold(g->c.agg, &e->state, r, &why);
		g->mem += ent_mem(e);
		updated(g, e, r->ts_ms);
	}
}

/* Collect the starts of a key's windows in [lo, hi] from the store. */
struct range {
	struct group *g;
	size_t kn;
	int64_t hi;
};

static int
in_range(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct range *rg = ctx;
	struct group *g = rg->g;
	int64_t start;

	(void)v, (void)vn;
	if (kn != rg->kn + 9 || memcmp(k, g->k.p, rg->kn + 1) != 0)
		return 1;
	if ((start = store_i64_key((const char *)k + rg->kn + 1)) > rg->hi)
		return 1;
	if (g->n_found == g->cap_found) {
		g->cap_found = g->cap_found ? g->cap_found * 2 : 16;
		g->found = xrealloc(g->found, g->cap_found *
		    sizeof(*g->found));
		g->wins_s = xrealloc(g->wins_s, g->cap_found *
		    sizeof(*g->wins_s));
	}
	g->found[g->n_found++] = start;
	return 0;
}

/* The starts of key's windows with start in [lo, hi], ascending. */
static void
windows_of(struct group *g, struct cur *c, int64_t lo, int64_t hi)
{
	struct range rg = { g, c->kn, hi };
	struct buf lok = BUF_INIT;

	/* The store holds every window once the table is flushed. */
	flush(g);
	g->n_found = 0;
	data_key(g, &g->k, c->key, c->kn, lo);
	buf_add(&lok, g->k.p, g->k.n);
	store_walk(g->st, STORE_DATA, lok.p, lok.n, in_range, &rg);
	buf_free(&lok);
}

static int
found(const struct group *g, size_t n, int64_t start)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (g->found[i] == start)
			return 1;
	return 0;
}

/*
 * Update the sliding window at start for c->r: the window as it is (base
 * NULL; new ones start from the initializer), or a new one holding base
 * as of base_ts.  A closed window is late for the record.
 */
static int
slide(struct group *g, struct cur *c, int64_t start, const struct buf *base,
    int64_t base_ts)
{
	struct ent *e;

	if (closed(g, start + g->c.win.size_ms)) {
		c->late = 1;
		return 0;
	}
	e = lookup(g, c->key, c->kn, start);
	if (base != NULL)
		set(g, e, base, base_ts);
	return fold(g, c, e);
}

/* A new window at start holding state as of ts_ms, with no record added. */
static void
slide_put(struct group *g, struct cur *c, int64_t start,
    const struct buf *state, int64_t ts_ms)
{
	struct ent *e = lookup(g, c->key, c->kn, start);

	set(g, e, state, ts_ms);
	updated(g, e, ts_ms);
}

/*
 * Sliding windows, as KStreamSlidingWindowAggregate: each record has a
 * left window [ts - D, ts] and, when later records fall in it, a right
 * window [ts + 1, ts + 1 + D]; the windows a record falls into are updated
 * newest first (processReverse).  A record before D folds its would-be
 * windows into [0, D] (processEarly).
 */
static void
add_sliding(struct group *g, struct cur *c)
{
	int64_t ts = c->r->ts_ms, d = g->c.win.size_ms, s, end, prev = 0;
	int64_t right_ts = 0;
	int have_prev = 0, have_right = 0, left_exists = 0, right_exists = 0;
	int have_comb = 0, have_left = 0;
	int64_t comb_ts = 0, pre_ts;
	size_t i, n;
	struct ent *e;

	/* Every window that could hold it is closed: dropped whole. */
	if (closed(g, ts + d)) {
		c->late = 1;
		return;
	}
	if (ts < d) {
		windows_of(g, c, 0, ts + 1);
		n = g->n_found;
		for (i = 0; i < n; i++) {
			s = g->found[i];
			e = lookup(g, c->key, c->kn, s);
			if (s == 0) {
				buf_reset(&g->comb);
				buf_add(&g->comb, e->state.p, e->state.n);
				comb_ts = e->max_ts;
				have_comb = 1;
				if (e->max_ts < ts) {
					prev = e->max_ts;
					have_prev = 1;
				}
			} else if (s <= ts) {
				buf_reset(&g->right);
				buf_add(&g->right, e->state.p, e->state.n);
				right_ts = e->max_ts;
				have_right = 1;
				if (slide(g, c, s, NULL, 0) != 0)
					return;
			} else if (s == ts + 1)
				right_exists = 1;
		}
		if (!have_right && have_comb && comb_ts > ts) {
			buf_reset(&g->right);
			buf_add(&g->right, g->comb.p, g->comb.n);
			right_ts = comb_ts;
			have_right = 1;
		}
		if (!right_exists && have_right && right_ts > ts)
			slide_put(g, c, ts + 1, &g->right, right_ts);
		if (have_prev && !found(g, n, prev + 1) &&
		    slide(g, c, prev + 1, NULL, 0) != 0)
			return;
		slide(g, c, 0, NULL, 0);
		return;
	}

	windows_of(g, c, ts - 2 * d > 0 ? ts - 2 * d : 0, ts + 1);
	n = g->n_found;
	for (i = n; i-- > 0;) {
		s = g->found[i];
		end = s + d;
		e = lookup(g, c->key, c->kn, s);
		if (s == ts + 1)
			right_exists = 1;
		else if (end > ts) {
			if (!have_right) {
				buf_reset(&g->right);
				buf_add(&g->right, e->state.p, e->state.n);
				right_ts = e->max_ts;
				have_right = 1;
			}
			if (slide(g, c, s, NULL, 0) != 0)
				return;
		} else if (end == ts) {
			left_exists = 1;
			pre_ts = e->max_ts;
			if (slide(g, c, s, NULL, 0) != 0)
				return;
			if (pre_ts >= ts)
				return;	/* every window is done */
			prev = pre_ts;
			have_prev = 1;
		} else {
			buf_reset(&g->comb);
			buf_add(&g->comb, e->state.p, e->state.n);
			have_left = 1;
			prev = e->max_ts;
			have_prev = 1;
			break;
		}
	}
	/* The previous record's right window now holds this one. */
	if (have_prev && !found(g, n, prev + 1) && prev + 1 + d >= ts &&
	    slide(g, c, prev + 1, NULL, 0) != 0)
		return;
	if (!left_exists) {
		if (have_left && ts - d <= prev) {
			if (slide(g, c, ts - d, &g->comb, ts) != 0)
				return;
		} else if (slide(g, c, ts - d, NULL, 0) != 0)
			return;
	}
	if (!right_exists && have_right && right_ts > ts)
		slide_put(g, c, ts + 1, &g->right, right_ts);
}

/* Remove window e from the table and the store (it was flushed). */
static void
remove_win(struct group *g, struct ent *e)
{
	data_key(g, &g->k, e->key, e->kn, e->start_ms);
	store_del(g->st, STORE_DATA, g->k.p, g->k.n);
	index_key(&g->k, e->key, e->kn, e->start_ms, e->end_ms);
	store_del(g->st, STORE_INDEX, g->k.p, g->k.n);
	forget(g, e->key, e->kn, e->start_ms);
}

static void
emit_tombstone(struct group *g, const struct ent *e)
{
	/* Kafka gives a retracted session's tombstone the session's end. */
	struct group_result r = {
		{ e->key, e->kn }, e->start_ms, e->end_ms, e->end_ms,
		{ g->prov.p, g->prov.n }, { NULL, 0 }
	};

	buf_reset(&g->line);
	group_fmt(g->c.agg, g->windowed, &r, &g->line);
	out_write(g->out, g->line.p, g->line.n);
	g->n_out++;
}

/*
 * Session windows, as KStreamSessionWindowAggregate: the sessions within
 * a gap of the record merge with it into one; each one replaced is
 * retracted with a tombstone (ts: its end) before the merged session
 * (ts: its end) is emitted.
 */
static void
add_session(struct group *g, struct cur *c)
{
	int64_t ts = c->r->ts_ms, gap = g->c.win.gap_ms, ms = ts, me = ts;
	const char *why;
	struct ent *e;
	size_t i, n, m = 0;

	windows_of(g, c, 0, ts + gap);
	n = g->n_found;
	agg_init(g->c.agg, &g->comb);
	for (i = 0; i < n; i++) {
		e = lookup(g, c->key, c->kn, g->found[i]);
		/* A closed session (kept by --retention) stays as it was. */
		if (e->end_ms < ts - gap || e->end_ms <= g->closed_ms)
			continue;
		g->wins_s[m++] = e;
		if (agg_merge(g->c.agg, &g->comb, e->state.p, e->state.n,
		    &why) != 0) {
			bad_cur(g, c, why);
			return;
		}
		if (e->start_ms < ms)
			ms = e->start_ms;
		if (e->end_ms > me)
			me = e->end_ms;
	}
	if (closed(g, me)) {
		c->late = 1;
		return;
	}
	if (agg_fold(g->c.agg, &g->comb, c->r, &why) != 0) {
		bad_cur(g, c, why);
		return;
	}
	for (i = 0; i < m; i++) {
		/* A session of this one instant is replaced silently. */
		if ((ms != ts || me != ts) && !g->c.emit_final)
			emit_tombstone(g, g->wins_s[i]);
		remove_win(g, g->wins_s[i]);
	}
	e = lookup(g, c->key, c->kn, ms);
	set(g, e, &g->comb, me);
	e->end_ms = me;
	updated(g, e, me);
}

static int
is_null_text(struct span s)
{
	return s.p == NULL || (s.n == 4 && memcmp(s.p, "null", 4) == 0);
}

/* Add delta to group key's count, as of ts_ms, and emit it. */
static void
count_row(struct group *g, const char *key, size_t kn, int delta,
    int64_t ts_ms)
{
	struct ent *e = lookup(g, key, kn, 0);

	g->mem -= ent_mem(e);
	agg_count_add(g->c.agg, &e->state, delta);
	g->mem += ent_mem(e);
	updated(g, e, ts_ms);
}

/*
 * A table's changelog (kcount --table), as KGroupedTable.count: each row
 * key's latest group is kept (in the index table, unused without
 * windows); a row that changes group leaves the old one (its count goes
 * down, to 0 included) and then joins the new one; a row that stays in its
 * group updates it once; a null value deletes the row.
 */
static void
add_table(struct group *g, const struct rec *r, struct bad *bad,
    const char *src, size_t lineno)
{
	struct span row = r->f[REC_KEY];
	const char *why;
	int st, had, has;

	if (is_null_text(row)) {
		g->n_null++;
		return;
	}
	buf_reset(&g->key);
	has = !is_null_text(r->f[REC_VALUE]) || r->f[REC_VALUE_B64].p != NULL;
	if (has && g->c.by != NULL) {
		jqx_start(g->c.by, r->line.p, r->line.n, r->line);
		if ((st = jqx_next(g->c.by, &why)) < 0) {
			bad_line(bad, src, lineno, r->line.p, r->line.n, why);
			return;
		}
		if (st == 1)
			jqx_fmt(g->c.by, &g->key);
		has = st == 1 && !(g->key.n == 4 &&
		    memcmp(g->key.p, "null", 4) == 0);
		/* KTableRepartitionMap: a row with a null group is skipped. */
		if (!has)
			g->n_null++;
	} else if (has)
		buf_add(&g->key, row.p, row.n);
	had = store_get(g->st, STORE_INDEX, row.p, row.n, &g->v);
	prov(&g->prov, r);
	if (had && has && g->v.n == g->key.n &&
	    memcmp(g->v.p, g->key.p, g->key.n) == 0)
		count_row(g, g->key.p, g->key.n, 0, r->ts_ms);
	else {
		if (had)
			count_row(g, g->v.p, g->v.n, -1, r->ts_ms);
		if (has)
			count_row(g, g->key.p, g->key.n, 1, r->ts_ms);
	}
	if (has)
		store_put(g->st, STORE_INDEX, row.p, row.n, g->key.p,
		    g->key.n);
	else if (had)
		store_del(g->st, STORE_INDEX, row.p, row.n);
}

static void
add(struct group *g, const struct rec *r, struct bad *bad, const char *src,
    size_t lineno)
{
	const char *why, *key;
	struct cur c;
	size_t kn;
	int st;

	if ((why = rec_ts_why(r)) != NULL) {
		bad_line(bad, src, lineno, r->line.p, r->line.n, why);
		return;
	}
	if (g->c.table) {
		add_table(g, r, bad, src, lineno);
		return;
	}
	if (g->c.by != NULL) {
		jqx_start(g->c.by, r->line.p, r->line.n, r->line);
		if ((st = jqx_next(g->c.by, &why)) < 0) {
			bad_line(bad, src, lineno, r->line.p, r->line.n, why);
			return;
		}
		buf_reset(&g->key);
		if (st == 0)
			buf_adds(&g->key, "null");
		else
			jqx_fmt(g->c.by, &g->key);
		key = g->key.p;
		kn = g->key.n;
	} else if (r->f[REC_KEY].p != NULL) {
		key = r->f[REC_KEY].p;
		kn = r->f[REC_KEY].n;
	} else {
		key = "null";
		kn = 4;
	}
	/* KStreamAggregate: a null key is skipped before time advances. */
	if (kn == 4 && memcmp(key, "null", 4) == 0) {
		g->n_null++;
		return;
	}
	if (agg_eval(g->c.agg, r, &why) != 0) {
		bad_line(bad, src, lineno, r->line.p, r->line.n, why);
		return;
	}
	/*
	 * KStreamAggregate and KStreamSlidingWindowAggregate skip null values
	 * too; the others aggregate them.
	 */
	if ((g->c.win.kind == WIN_SLIDING || g->c.win.kind == WIN_NONE) &&
	    (r->f[REC_VALUE].p == NULL ||
	    (r->f[REC_VALUE].n == 4 && memcmp(r->f[REC_VALUE].p, "null",
	    4) == 0)) && r->f[REC_VALUE_B64].p == NULL) {
		g->n_null_value++;
		return;
	}
	c.prev_ms = g->stream_ms;
	if (g->stream_ms == INT64_MIN || r->ts_ms > g->stream_ms)
		g->stream_ms = r->ts_ms;
	prov(&g->prov, r);
	c.r = r;
	c.key = key;
	c.kn = kn;
	c.bad = bad;
	c.src = src;
	c.lineno = lineno;
	c.late = 0;
	switch (g->c.win.kind) {
	case WIN_SLIDING:
		add_sliding(g, &c);
		break;
	case WIN_SESSION:
		add_session(g, &c);
		break;
	default:
		add_fixed(g, &c);
		break;
	}
	if (c.late)
		late(g, r, src, lineno);
}

/* Stream time moved: close what it closes. */
static void
advance(struct group *g)
{
	int64_t upto;

	if (!g->windowed || g->stream_ms == INT64_MIN)
		return;
	upto = win_close_upto(&g->c.win, g->stream_ms);
	if (upto >= g->next_ms)
		close_upto(g, upto);
}

static void
commit(struct group *g)
{
	flush(g);
	store_meta_put(g->st, "stream_ms", g->stream_ms);
	store_meta_put(g->st, "closed_ms", g->closed_ms);
	ckpt_store_commit(g->st, g->c.dir, g->epoch, g->resumed);
}

/* Where the store stands: stream time, what is closed, the epoch. */
static void
load(struct group *g)
{
	struct store *st = g->st;

	if (!store_meta_get(st, "stream_ms", &g->stream_ms))
		g->stream_ms = INT64_MIN;
	if (!store_meta_get(st, "closed_ms", &g->closed_ms))
		g->closed_ms = INT64_MIN;
	if (!store_meta_get(st, "epoch", &g->epoch))
		g->epoch = 0;
	g->stored_any = store_walk(st, STORE_DATA, NULL, 0, any, NULL);
	g->spilled = g->stored_any;
	if (g->windowed)
		find_next(g);
}

/*
 * resume N: the pipeline goes on from checkpoint N, so the store goes back
 * to the end of epoch N, and from now on logs what each epoch replaces.
 */
static void
resume(struct group *g, const struct stream *s, const struct rec *r)
{
	ckpt_store_resume(g->st, r, s->rd.lineno);
	g->resumed = 1;
	load(g);
}

struct group *
group_new(const struct group_conf *c, struct store *st, struct out *out)
{
	struct group *g = xmalloc(sizeof(*g));
	size_t i, n;

	memset(g, 0, sizeof(*g));
	g->c = *c;
	g->st = st;
	g->out = out;
	g->windowed = c->win.kind != WIN_NONE;
	/*
	 * A sliding window is still needed after it closes: a later record
	 * builds its own windows from those up to 2 D before it (Kafka keeps
	 * them 2 D + grace, as SlidingWindowedKStreamImpl's store does).
	 */
	if (c->win.kind == WIN_SLIDING &&
	    g->c.retention_ms < 2 * c->win.size_ms + c->win.grace_ms)
		g->c.retention_ms = 2 * c->win.size_ms + c->win.grace_ms;
	g->resident = (c->win.kind == WIN_NONE ||
	    c->win.kind == WIN_HOPPING) && g->c.retention_ms == 0;
	g->key = g->line = g->k = g->v = g->batch = g->prov = g->comb =
	    g->right = (struct buf)BUF_INIT;
	n = win_count(&c->win);
	g->starts = xmalloc(n * sizeof(*g->starts));
	g->wins = xmalloc(n * sizeof(*g->wins));
	g->scratch = xmalloc(n * sizeof(*g->scratch));
	for (i = 0; i < n; i++)
		g->scratch[i] = (struct buf)BUF_INIT;
	grow(g);
	load(g);
	return g;
}

static void
forward(struct group *g, const struct rec *r)
{
	out_write(g->out, r->line.p, r->line.n);
	out_write(g->out, "\n", 1);
}

static void
finish(struct group *g)
{
	if (g->c.close_at_end && g->windowed)
		close_upto(g, INT64_MAX);
	commit(g);
}

void
group_run(struct group *g, struct stream *s)
{
	struct rec *r;
	int64_t epoch;

	while ((r = stream_next(s)) != NULL) {
		switch (s->kind) {
		case CTL_DATA:
			add(g, r, s->bad, s->rd.name, s->rd.lineno);
			advance(g);
			/* Keep memory bounded: the store holds it all. */
			if (g->mem > g->c.mem_bytes) {
				flush(g);
				drop(g);
			}
			continue;
		case CTL_TICK:
			if (r->ts_ok && r->ts_ms > g->stream_ms)
				g->stream_ms = r->ts_ms;
			advance(g);
			break;
		case CTL_RESUME:
			resume(g, s, r);
			break;
		case CTL_BARRIER:
			if (ctl_epoch(r, &epoch) == 0)
				g->epoch = epoch;
			commit(g);
			break;
		case CTL_END:
			finish(g);
			break;
		default:
			break;
		}
		forward(g, r);
		if (s->kind == CTL_BARRIER && fflush(g->out->f) == EOF)
			die_sys(KP_EXIT_DATA, "%s", g->out->name);
	}
	msg_at(NULL, 0);
	if (!s->ctl.ended)
		finish(g);
	if (g->c.verbose)
		msg_stats(s->n_in, g->n_out, s->bad->n);
	if (g->n_null > 0 && !g->c.quiet)
		msg_note("skipped %zu record%s with a null key", g->n_null,
		    g->n_null == 1 ? "" : "s");
	if (g->n_null_value > 0 && !g->c.quiet)
		msg_note("skipped %zu record%s with a null value",
		    g->n_null_value, g->n_null_value == 1 ? "" : "s");
	if (g->n_late > 0 && !g->c.quiet)
		msg_note("dropped %zu late record%s%s%s%s", g->n_late,
		    g->n_late == 1 ? "" : "s", g->c.late_path ? " (see '" : "",
		    g->c.late_path ? g->c.late_path : "",
		    g->c.late_path ? "')" : "");
}

void
group_free(struct group *g)
{
	size_t i, n = win_count(&g->c.win);

	drop(g);
	free(g->tab);
	for (i = 0; i < n; i++)
		buf_free(&g->scratch[i]);
	free(g->scratch);
	free(g->starts);
	free(g->wins);
	buf_free(&g->key);
	buf_free(&g->line);
	buf_free(&g->k);
	buf_free(&g->v);
	buf_free(&g->batch);
	buf_free(&g->prov);
	buf_free(&g->comb);
	buf_free(&g->right);
	free(g->found);
	free(g->wins_s);
	free(g->heap);
	if (g->late != NULL && fclose(g->late) == EOF)
		die_sys(KP_EXIT_DATA, "--late '%s'", g->c.late_path);
	free(g);
}

static const char *const win_names[] = {
	"none", "hopping", "sliding", "session"
};

int
group_opt(struct group_opts *go, struct opt *o, int id)
{
	struct group_conf *c = &go->conf;

	switch (id) {
	case GROUP_ADVANCE:
		if ((go->advance_ms = opt_dur(o)) <= 0)
			opt_usage(o, "--advance must be above 0");
		return 1;
	case GROUP_BY:
		go->by = o->arg;
		return 1;
	case GROUP_CACHE_SIZE:
		go->cache_bytes = opt_cache_size(o);
		return 1;
	case GROUP_CLOSE_AT_END:
		c->close_at_end = 1;
		return 1;
	case GROUP_EMIT:
		if (strcmp(o->arg, "update") == 0)
			c->emit_final = 0;
		else if (strcmp(o->arg, "final") == 0)
			c->emit_final = 1;
		else
			opt_usage(o, "--emit '%s': not update or final",
			    o->arg);
		return 1;
	case GROUP_GRACE:
		c->win.grace_ms = opt_dur(o);
		go->grace_set = 1;
		return 1;
	case GROUP_TABLE:
		c->table = 1;
		return 1;
	case GROUP_HOPPING:
	case GROUP_TUMBLING:
		if (c->win.kind != WIN_NONE)
			opt_usage(o, "one window option only");
		c->win.kind = WIN_HOPPING;
		if ((c->win.size_ms = opt_dur(o)) <= 0)
			opt_usage(o, "%s must be above 0", o->optname);
		go->tumbling = id == GROUP_TUMBLING;
		return 1;
	case GROUP_LATE:
		c->late_path = o->arg;
		return 1;
	case GROUP_SESSION:
	case GROUP_SLIDING:
		if (c->win.kind != WIN_NONE)
			opt_usage(o, "one window option only");
		c->win.kind = id == GROUP_SESSION ? WIN_SESSION : WIN_SLIDING;
		if (id == GROUP_SESSION) {
			if ((c->win.gap_ms = opt_dur(o)) <= 0)
				opt_usage(o, "--session must be above 0");
		} else if ((c->win.size_ms = opt_dur(o)) <= 0)
			opt_usage(o, "--sliding must be above 0");
		return 1;
	case GROUP_RETENTION:
		c->retention_ms = opt_dur(o);
		return 1;
	}
	return 0;
}

void
group_opts_done(struct group_opts *go, struct opt *o, struct opt_common *c,
    struct buf *sig, struct store_conf *sc)
{
	struct group_conf *gc = &go->conf;
	const char *why;

	if (gc->table && (gc->win.kind != WIN_NONE || !agg_can_table(gc->agg)))
		opt_usage(o, "--table counts a table over all time: no window");
	if (go->advance_ms != 0 && (gc->win.kind != WIN_HOPPING ||
	    go->tumbling))
		opt_usage(o, "--advance needs --hopping");
	if (go->tumbling)
		gc->win.advance_ms = gc->win.size_ms;
	else if (gc->win.kind == WIN_HOPPING)
		gc->win.advance_ms = go->advance_ms;
	if (gc->win.kind == WIN_NONE) {
		if (go->grace_set || gc->emit_final || gc->close_at_end ||
		    gc->late_path != NULL || gc->retention_ms != 0)
			opt_usage(o, "--grace, --emit final, --close-at-end, "
			    "--late and --retention need a window");
	} else if (gc->win.kind == WIN_HOPPING) {
		if (gc->win.advance_ms == 0)
			opt_usage(o, "--hopping needs --advance");
		if (gc->win.advance_ms > gc->win.size_ms)
			opt_usage(o, "--advance must not exceed the window "
			    "size");
		if (win_count(&gc->win) > WIN_MAX_HOPS)
			opt_usage(o, "--hopping and --advance put each record "
			    "in %zu windows: at most %d", win_count(&gc->win),
			    WIN_MAX_HOPS);
	}
	if (gc->retention_ms != 0 && gc->retention_ms < gc->win.size_ms +
	    gc->win.gap_ms + gc->win.grace_ms)
		opt_usage(o, "--retention must be at least the window's size "
		    "(or gap) + grace");
	if (gc->win.kind == WIN_SESSION && !agg_can_merge(gc->agg))
		opt_usage(o, "--session with --reduce needs --merge");
	if (gc->win.kind != WIN_SESSION && agg_has_merge(gc->agg))
		opt_usage(o, "--merge needs --session");
	if (go->by != NULL && (gc->by = jqx_new(go->by, c->args, c->n_args,
	    0, &why)) == NULL)
		die(KP_EXIT_USAGE, "--by: %s", why);
	gc->quiet = c->quiet;
	gc->verbose = c->verbose;
	if (go->cache_bytes == 0)
		go->cache_bytes = DEFAULT_MEM;
	gc->mem_bytes = go->cache_bytes;

	store_sig_add(sig, "command", msg_prog);
	if (gc->win.kind != WIN_NONE)
		store_sig_add(sig, "window", win_names[gc->win.kind]);
	if (gc->win.kind == WIN_HOPPING || gc->win.kind == WIN_SLIDING)
		store_sig_addi(sig, "size", gc->win.size_ms);
	if (gc->win.kind == WIN_HOPPING)
		store_sig_addi(sig, "advance", gc->win.advance_ms);
	if (gc->win.kind == WIN_SESSION)
		store_sig_addi(sig, "gap", gc->win.gap_ms);
	if (gc->table)
		store_sig_add(sig, "input", "table");
	store_sig_addi(sig, "grace", gc->win.grace_ms);
	store_sig_addi(sig, "retention", gc->retention_ms);
	if (go->by != NULL)
		store_sig_add(sig, "by", go->by);
	store_sig_args(sig, c->args, c->n_args);

	sc->dir = opt_state_dir(c);
	sc->name = c->name != NULL ? c->name : msg_prog;
	sc->sig = sig->p;
	sc->cache_bytes = go->cache_bytes;
	sc->readonly = 0;
}

void
group_main(struct group_opts *go, struct opt *o, struct opt_common *c,
    struct buf *sig, const char *path)
{
	struct store_conf sc;
	struct store *st;
	struct group *g;
	struct stream s;
	struct out out;

	group_opts_done(go, o, c, sig, &sc);
	go->conf.dir = sc.dir;
	st = store_open(&sc);
	out_open(&out, NULL);
	g = group_new(&go->conf, st, &out);
	stream_open(&s, path, &c->bad, &out, STREAM_CTL);
	group_run(g, &s);
	stream_close(&s);
	out_close(&out);
	group_free(g);
	store_close(st);
	bad_close(&c->bad);
	jqx_free(go->conf.by);
	go->conf.by = NULL;
}
