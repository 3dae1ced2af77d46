/*
 * wjoin: the windowed (stream-stream) join, as Kafka Streams' KStream-
 * KStream join with its fix for spurious left and outer results
 * (KAFKA-10847), over the store.
 *
 * Each side is buffered as Kafka's window store for the join: retention
 * R = before + after + grace, its own observed time obs (the largest ts
 * put on that side); a record with ts <= obs - R is not kept, and a lookup
 * sees only ts > obs - R.  A record is first joined with the other side's
 * buffer, then kept in its own.
 *
 * An unmatched record of an outer side waits in the outer store, ordered
 * by ts, then right before left, then key (Kafka's TimestampedKeyAndJoin-
 * Side), until its window has closed: then it is emitted with null for the
 * other side, when a record brings stream time (the largest ts of either
 * side) forward; a later match removes it.  One whose window has already
 * closed when it comes is emitted at once.  min is Kafka's lower bound on
 * the outer store's times, kept as Kafka keeps it.
 *
 * The store's layout.  data, the buffers: SIDE KEY \0 TS SEQ -> value,
 * SIDE 'l' or 'r', so that a key's records are adjacent and in time order;
 * index: 'E' SIDE TS KEY \0 SEQ -> "" (expiry order) and 'O' TS S KEY \0
 * SEQ -> value (the outer store; S is 0 for right, 1 for left).  SEQ
 * keeps records with the same key and ts apart, in arrival order.  meta:
 * stream time, min, each side's obs and the next SEQ.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "join.h"
#include "msg.h"

struct wjoin {
	const struct join_conf *c;
	struct store *st;
	struct join *j;
	int64_t retention;
	int64_t stream, min, obs[2], seq;
	int64_t oldest[2];	/* a lower bound on each buffer's times */
	size_t n_late;
	struct buf k, sk, lo, found, gone;
};

/* Saturating a + b (b >= 0): times near the ends do not wrap. */
static int64_t
add(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static int64_t
sub(int64_t a, int64_t b)
{
	return a < INT64_MIN + b ? INT64_MIN : a - b;
}

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static const char side_byte[2] = { 'l', 'r' };

/* The buffer's key: SIDE KEY \0 TS SEQ. */
static void
buf_key(struct buf *b, int side, const struct buf *k, int64_t ts,
    int64_t seq)
{
	buf_reset(b);
	buf_addc(b, side_byte[side]);
	buf_add(b, k->p, k->n);
	buf_addc(b, '\0');
	store_key_i64(b, ts);
	store_key_i64(b, seq);
}

/* The outer store's key: 'O' TS S KEY \0 SEQ (SEQ < 0: no SEQ). */
static void
outer_key(struct buf *b, int64_t ts, int side, const char *k, size_t kn,
    int64_t seq)
{
	buf_reset(b);
	buf_addc(b, 'O');
	store_key_i64(b, ts);
	buf_addc(b, side == 0 ? 1 : 0);
	buf_add(b, k, kn);
	buf_addc(b, '\0');
	if (seq >= 0)
		store_key_i64(b, seq);
}

struct wjoin *
wjoin_new(const struct join_conf *c, struct store *st, struct join *j)
{
	struct wjoin *w;

	w = xmalloc(sizeof *w);
	memset(w, 0, sizeof *w);
	w->c = c;
	w->st = st;
	w->j = j;
	w->retention = add(add(c->before, c->after), c->grace);
	w->k = w->sk = w->lo = w->found = w->gone = (struct buf)BUF_INIT;
	wjoin_load(w);
	return w;
}

void
wjoin_free(struct wjoin *w)
{
	if (w == NULL)
		return;
	buf_free(&w->k);
	buf_free(&w->sk);
	buf_free(&w->lo);
	buf_free(&w->found);
	buf_free(&w->gone);
	free(w);
}

void
wjoin_load(struct wjoin *w)
{
	if (!store_meta_get(w->st, "stream", &w->stream))
		w->stream = -1;
	if (!store_meta_get(w->st, "min", &w->min))
		w->min = INT64_MAX;
	if (!store_meta_get(w->st, "obs-left", &w->obs[0]))
		w->obs[0] = -1;
	if (!store_meta_get(w->st, "obs-right", &w->obs[1]))
		w->obs[1] = -1;
	if (!store_meta_get(w->st, "seq", &w->seq))
		w->seq = 0;
	w->oldest[0] = w->oldest[1] = INT64_MIN;
}

void
wjoin_save(struct wjoin *w)
{
	store_meta_put(w->st, "stream", w->stream);
	store_meta_put(w->st, "min", w->min);
	store_meta_put(w->st, "obs-left", w->obs[0]);
	store_meta_put(w->st, "obs-right", w->obs[1]);
	store_meta_put(w->st, "seq", w->seq);
}

size_t
wjoin_n_late(const struct wjoin *w)
{
	return w->n_late;
}

/* The outer store's entries, as the walk reads them. */
struct scan {
	struct wjoin *w;
	int all;		/* at the end: every entry */
	int open[2];		/* an entry of that side is still open */
};

static int
scan_one(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct scan *sc = ctx;
	struct wjoin *w = sc->w;
	const char *p = k;
	int64_t ts, look;
	int side;

	if (kn < 10 || p[0] != 'O')
		return 1;
	ts = store_i64_key(p + 1);
	side = p[9] == 1 ? 0 : 1;
	if (!sc->all) {
		w->min = ts;
		if (sc->open[0] && sc->open[1])
			return 1;
		/* A left record looks forward by after, a right by before. */
		look = side == 0 ? w->c->after : w->c->before;
		if (add(add(ts, look), w->c->grace) >= w->stream) {
			sc->open[side] = 1;
			return 0;
		}
	}
	buf_additem(&w->gone, k, kn);
	buf_additem(&w->gone, v, vn);
	return 0;
}

/* Emit, and delete, what the walk collected. */
static void
emit_gone(struct wjoin *w, const struct rec *trig)
{
	const char *p = w->gone.p, *end = w->gone.p + w->gone.n;
	struct span k, v;
	int side;

	while (p < end) {
		p = buf_item(p, &k.p, &k.n);
		p = buf_item(p, &v.p, &v.n);
		side = k.p[9] == 1 ? 0 : 1;
		join_emit(w->j, trig, k.p + 10, k.n - 10 - 1 - 8,
		    store_i64_key(k.p + 1), side == 0 ? &v : NULL,
		    side == 0 ? NULL : &v);
		store_del(w->st, STORE_INDEX, k.p, k.n);
	}
	buf_reset(&w->gone);
}

/*
 * Emit the waiting records whose window has closed, before a record that
 * brought stream time to its ts (trig; NULL for a tick), whose processor
 * looks ahead by ahead.
 */
static void
emit_closed(struct wjoin *w, const struct rec *trig, int64_t ahead)
{
	struct scan sc = { w, 0, { 0, 0 } };
	static const char o = 'O';

	if (w->min == INT64_MAX ||
	    add(add(w->min, ahead), w->c->grace) >= w->stream)
		return;
	w->min = INT64_MAX;
	buf_reset(&w->gone);
	store_walk(w->st, STORE_INDEX, &o, 1, scan_one, &sc);
	emit_gone(w, trig);
}

void
wjoin_end(struct wjoin *w)
{
	struct scan sc = { w, 1, { 0, 0 } };
	static const char o = 'O';

	if (!w->c->close_at_end || w->min == INT64_MAX)
		return;
	buf_reset(&w->gone);
	store_walk(w->st, STORE_INDEX, &o, 1, scan_one, &sc);
	emit_gone(w, NULL);
	w->min = INT64_MAX;
}

void
wjoin_tick(struct wjoin *w, int64_t ts)
{
	if (ts < w->stream)
		return;
	w->stream = ts;
	if (w->c->left || w->c->right)
		emit_closed(w, NULL, w->c->before < w->c->after ?
		    w->c->before : w->c->after);
}

/* The other side's records for key w->k, from lo to hi: ts, then value. */
struct fetch {
	struct wjoin *w;
	size_t pn;		/* SIDE KEY \0 */
	int64_t hi;
};

static int
fetch_one(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct fetch *f = ctx;
	int64_t ts;

	if (kn != f->pn + 16 || memcmp(k, f->w->lo.p, f->pn) != 0)
		return 1;
	ts = store_i64_key((const char *)k + f->pn);
	if (ts > f->hi)
		return 1;
	buf_add(&f->w->found, &ts, sizeof ts);
	buf_additem(&f->w->found, v, vn);
	return 0;
}

/* Delete what waits with ts, side and key w->k: it has found its match. */
static int
del_one(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct wjoin *w = ctx;

	(void)v;
	(void)vn;
	if (kn != w->sk.n + 8 || memcmp(k, w->sk.p, w->sk.n) != 0)
		return 1;
	buf_additem(&w->gone, k, kn);
	return 0;
}

static void
matched(struct wjoin *w, int side, int64_t ts)
{
	const char *p, *end;
	struct span k;

	outer_key(&w->sk, ts, side, w->k.p, w->k.n, -1);
	buf_reset(&w->gone);
	store_walk(w->st, STORE_INDEX, w->sk.p, w->sk.n, del_one, w);
	for (p = w->gone.p, end = p + w->gone.n; p < end; ) {
		p = buf_item(p, &k.p, &k.n);
		store_del(w->st, STORE_INDEX, k.p, k.n);
	}
	buf_reset(&w->gone);
}

/* Drop side's records older than its retention. */
struct expiry {
	struct wjoin *w;
	int side;
};

static int
expire_one(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct expiry *ex = ctx;
	struct wjoin *w = ex->w;
	const char *p = k;
	int side = ex->side;
	int64_t ts;

	(void)v;
	(void)vn;
	if (kn < 2 + 8 + 1 + 8 || p[0] != 'E' || p[1] != side_byte[side])
		return 1;
	ts = store_i64_key(p + 2);
	if (ts > sub(w->obs[side], w->retention)) {
		w->oldest[side] = ts;
		return 1;
	}
	buf_additem(&w->gone, k, kn);
	return 0;
}

static void
expire(struct wjoin *w, int side)
{
	struct expiry ex = { w, side };
	const char *p, *end;
	char lo[2] = { 'E', side_byte[side] };
	struct span k;
	size_t kn;

	if (w->oldest[side] > sub(w->obs[side], w->retention))
		return;
	w->oldest[side] = INT64_MAX;
	buf_reset(&w->gone);
	store_walk(w->st, STORE_INDEX, lo, 2, expire_one, &ex);
	for (p = w->gone.p, end = p + w->gone.n; p < end; ) {
		p = buf_item(p, &k.p, &k.n);
		store_del(w->st, STORE_INDEX, k.p, k.n);
		/* E SIDE TS KEY \0 SEQ -> SIDE KEY \0 TS SEQ */
		kn = k.n - 2 - 8 - 8;
		buf_reset(&w->sk);
		buf_addc(&w->sk, side_byte[side]);
		buf_add(&w->sk, k.p + 10, kn);
		buf_add(&w->sk, k.p + 2, 8);
		buf_add(&w->sk, k.p + k.n - 8, 8);
		store_del(w->st, STORE_DATA, w->sk.p, w->sk.n);
	}
	buf_reset(&w->gone);
}

/* Keep r (ts, value v) in side's buffer, unless it is too old for it. */
static void
keep(struct wjoin *w, int side, int64_t ts, struct span v)
{
	w->obs[side] = max64(w->obs[side], ts);
	if (ts <= sub(w->obs[side], w->retention)) {
		w->n_late++;
		return;
	}
	buf_key(&w->sk, side, &w->k, ts, w->seq);
	store_put(w->st, STORE_DATA, w->sk.p, w->sk.n, v.p, v.n);
	buf_reset(&w->sk);
	buf_addc(&w->sk, 'E');
	buf_addc(&w->sk, side_byte[side]);
	store_key_i64(&w->sk, ts);
	buf_add(&w->sk, w->k.p, w->k.n);
	buf_addc(&w->sk, '\0');
	store_key_i64(&w->sk, w->seq);
	store_put(w->st, STORE_INDEX, w->sk.p, w->sk.n, "", 0);
	w->seq++;
	if (ts < w->oldest[side])
		w->oldest[side] = ts;
	expire(w, side);
}

void
wjoin_record(struct wjoin *w, const struct rec *r, int side)
{
	const struct join_conf *c = w->c;
	struct span v = join_value(r), m;
	struct fetch f;
	int64_t t = r->ts_ms, ahead, behind, from, to, ts;
	int other = !side, outer = side == 0 ? c->left : c->right;
	int waits = c->left || c->right, other_waits;
	const char *p, *end;
	size_t n = 0;

	if (t > w->stream)
		w->stream = t;
	if (join_key(r, &w->k) != 0) {
		join_skip_null(w->j, 1);
		return;
	}
	if (join_is_null(v)) {
		/* As Kafka: its side's store still sees the time. */
		w->obs[side] = max64(w->obs[side], t);
		join_skip_null(w->j, 0);
		return;
	}
	/* The right side's processor sees the window from the other end. */
	behind = side == 0 ? c->before : c->after;
	ahead = side == 0 ? c->after : c->before;
	if (waits && t == w->stream)
		emit_closed(w, r, ahead);
	from = max64(0, sub(t, behind));
	to = max64(0, add(t, ahead));
	from = max64(from, add(sub(w->obs[other], w->retention), 1));
	buf_reset(&w->found);
	if (to >= from) {
		buf_key(&w->lo, other, &w->k, from, 0);
		f.w = w;
		f.pn = w->lo.n - 16;
		f.hi = to;
		store_walk(w->st, STORE_DATA, w->lo.p, w->lo.n, fetch_one, &f);
	}
	other_waits = other == 0 ? c->left : c->right;
	for (p = w->found.p, end = p + w->found.n; p < end; n++) {
		memcpy(&ts, p, sizeof ts);
		p = buf_item(p + sizeof ts, &m.p, &m.n);
		if (other_waits && w->min != INT64_MAX)
			matched(w, other, ts);
		join_emit(w->j, r, w->k.p, w->k.n, max64(t, ts),
		    side == 0 ? &v : &m, side == 0 ? &m : &v);
	}
	if (outer && n == 0) {
		if (!waits || to < w->stream)
			join_emit(w->j, r, w->k.p, w->k.n, t,
			    side == 0 ? &v : NULL, side == 0 ? NULL : &v);
		else {
			if (t < w->min)
				w->min = t;
			outer_key(&w->sk, t, side, w->k.p, w->k.n, w->seq++);
			store_put(w->st, STORE_INDEX, w->sk.p, w->sk.n, v.p,
			    v.n);
		}
	}
	keep(w, side, t, v);
}
