/*
 * tjoin: table-table joins, as Kafka Streams' KTable-KTable join, and
 * foreign-key joins, as its KTable-KTable foreign-key join (KIP-213),
 * computed in one process: every change is joined before the next comes.
 *
 * The store's data table holds both tables, a row as SIDE KEY -> TS VALUE
 * (SIDE 'l' or 'r', TS 8 bytes), so that a result can carry the time of
 * the row it joined.  A foreign-key join keeps its subscriptions in the
 * index table: 's' FK \0 KEY -> HASH, the left keys whose row named the
 * right key FK, with a hash of that row: a right change reaches a left key
 * only while its row is still the one that subscribed (Kafka's check for
 * stale responses).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "join.h"
#include "msg.h"

struct tjoin {
	const struct join_conf *c;
	struct store *st;
	struct join *j;
	size_t n_null_fk;
	struct buf k, row, old, other, fko, fkn, sk, subs;
};

struct tjoin *
tjoin_new(const struct join_conf *c, struct store *st, struct join *j)
{
	struct tjoin *t;

	t = xmalloc(sizeof *t);
	memset(t, 0, sizeof *t);
	t->c = c;
	t->st = st;
	t->j = j;
	t->k = t->row = t->old = t->other = t->fko = t->fkn = t->sk =
	    t->subs = (struct buf)BUF_INIT;
	return t;
}

void
tjoin_free(struct tjoin *t)
{
	if (t == NULL)
		return;
	buf_free(&t->k);
	buf_free(&t->row);
	buf_free(&t->old);
	buf_free(&t->other);
	buf_free(&t->fko);
	buf_free(&t->fkn);
	buf_free(&t->sk);
	buf_free(&t->subs);
	free(t);
}

size_t
tjoin_n_null_fk(const struct tjoin *t)
{
	return t->n_null_fk;
}

/* A row's time and value, as the store keeps them. */
static int64_t
row_ts(const struct buf *row)
{
	return store_i64_key(row->p);
}

static struct span
row_value(const struct buf *row)
{
	return (struct span){ row->p + 8, row->n - 8 };
}

/* The store's key of key k's row of side, in t->sk. */
static void
row_key(struct tjoin *t, int side, const struct buf *k)
{
	buf_reset(&t->sk);
	buf_addc(&t->sk, side == 0 ? 'l' : 'r');
	buf_add(&t->sk, k->p, k->n);
}

/* Key k's row of side into row: 1, or 0 when absent. */
static int
get(struct tjoin *t, int side, const struct buf *k, struct buf *row)
{
	row_key(t, side, k);
	return join_row_get(t->j, t->sk.p, t->sk.n, row);
}

/* Set key k's row of side to r's value and time, or delete it. */
static void
put(struct tjoin *t, int side, const struct buf *k, const struct rec *r,
    struct span v)
{
	row_key(t, side, k);
	if (join_is_null(v)) {
		join_row_put(t->j, t->sk.p, t->sk.n, NULL, 0);
		return;
	}
	buf_reset(&t->row);
	store_key_i64(&t->row, r->ts_ms);
	buf_add(&t->row, v.p, v.n);
	join_row_put(t->j, t->sk.p, t->sk.n, t->row.p, t->row.n);
}

/*
 * A change of side's row, as Kafka's KTableKTable{Inner,Left,Outer,Right}-
 * Join processors take it: an inner join writes only when the other row
 * is there; a left or outer side also when it is not, unless a row that
 * was not there is deleted; the right side of a left join only when the
 * left row is there, and never a tombstone.  The result has the later
 * time of this record and the other row.
 */
static void
tables(struct tjoin *t, const struct rec *r, int side)
{
	const struct join_conf *c = t->c;
	struct span nv = join_value(r), now = { NULL, 0 }, ov;
	const struct span *lp, *rp;
	int64_t ts = r->ts_ms;
	int had, other, tomb;

	had = get(t, side, &t->k, &t->old);
	if ((other = get(t, !side, &t->k, &t->other)) != 0) {
		if (row_ts(&t->other) > ts)
			ts = row_ts(&t->other);
		ov = row_value(&t->other);
	}
	put(t, side, &t->k, r, nv);
	if (!join_is_null(nv))
		now = nv;
	if (!other && !(side == 0 ? c->left : c->right))
		return;
	if (!other && now.p == NULL && !had)
		return;
	if (side == 1 && c->left && !c->right)
		tomb = 0;
	else if (c->right)
		tomb = now.p == NULL && !other;
	else
		tomb = now.p == NULL;
	lp = side == 0 ? (now.p != NULL ? &now : NULL) : (other ? &ov : NULL);
	rp = side == 0 ? (other ? &ov : NULL) : (now.p != NULL ? &now : NULL);
	join_result(t->j, r, t->k.p, t->k.n, ts, tomb ? NULL : lp,
	    tomb ? NULL : rp, tomb);
}

/*
 * The foreign key of left value v into fk: 1, or 0 for none (null, or no
 * output); -1 when the program fails on it (bad input).
 */
static int
fk_of(struct tjoin *t, const struct rec *r, struct span v, struct buf *fk)
{
	const char *why;

	buf_reset(fk);
	jqx_start(t->c->fk, v.p, v.n, r->line);
	switch (jqx_next(t->c->fk, &why)) {
	case -1:
		join_bad(t->j, r, why);
		return -1;
	case 0:
		return 0;
	}
	jqx_fmt(t->c->fk, fk);
	return !join_is_null((struct span){ fk->p, fk->n });
}

static int
same(const struct buf *a, const struct buf *b)
{
	return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

/* The subscription of left key k to right key fk: 's' FK \0 KEY. */
static void
sub_key(struct tjoin *t, const struct buf *fk, const struct buf *k)
{
	buf_reset(&t->sk);
	buf_addc(&t->sk, 's');
	buf_add(&t->sk, fk->p, fk->n);
	buf_addc(&t->sk, '\0');
	buf_add(&t->sk, k->p, k->n);
}

/*
 * The answer for left key k, its row now (nv, NULL when deleted), from
 * right key fk (NULL: none) at ts: only: nothing if fk has no row (a new
 * left row of an inner join); drop: as if fk had no row (the key is left).
 */
enum answer { ANSWER, ANSWER_ONLY, ANSWER_DROP };

static void
answer(struct tjoin *t, const struct rec *r, const struct span *nv,
    const struct buf *fk, enum answer how)
{
	struct span rv;
	int64_t ts = r->ts_ms;
	int found = 0;

	if (fk != NULL && (found = get(t, 1, fk, &t->other)) != 0) {
		if (row_ts(&t->other) > ts)
			ts = row_ts(&t->other);
		rv = row_value(&t->other);
	}
	if (how == ANSWER_DROP)
		found = 0;
	if (!found && how == ANSWER_ONLY)
		return;
	if (!found && (!t->c->left || nv == NULL))
		join_result(t->j, r, t->k.p, t->k.n, ts, NULL, NULL, 1);
	else
		join_result(t->j, r, t->k.p, t->k.n, ts, nv,
		    found ? &rv : NULL, 0);
}

/*
 * A change of a left row, as Kafka's SubscriptionSendProcessor and the
 * processors behind it answer it: the subscription moves to the new
 * foreign key; a left join answers every change, with null when the
 * foreign key has no row; an inner join answers a new row only if its
 * foreign key has one, and retracts (a tombstone) when the row goes, its
 * foreign key goes, or its foreign key has no row.
 */
static void
fk_left(struct tjoin *t, const struct rec *r)
{
	struct span nv = join_value(r), ov;
	const struct span *now = NULL;
	int fo = 0, fn = 0, had;
	uint64_t h;

	if ((had = get(t, 0, &t->k, &t->old)) != 0) {
		ov = row_value(&t->old);
		if ((fo = fk_of(t, r, ov, &t->fko)) < 0)
			return;
	}
	if (!join_is_null(nv)) {
		now = &nv;
		if ((fn = fk_of(t, r, nv, &t->fkn)) < 0)
			return;
	}
	put(t, 0, &t->k, r, nv);
	/* The old subscription goes when the key changes or goes. */
	if (fo && !(fn && same(&t->fko, &t->fkn))) {
		sub_key(t, &t->fko, &t->k);
		store_del(t->st, STORE_INDEX, t->sk.p, t->sk.n);
	}
	if (fn) {
		h = hash_fnv1a(nv.p, nv.n, HASH_FNV_BASIS);
		sub_key(t, &t->fkn, &t->k);
		store_put(t->st, STORE_INDEX, t->sk.p, t->sk.n, &h, sizeof h);
	} else if (now != NULL && !t->c->left)
		t->n_null_fk++;		/* an inner join has nothing for it */
	if (t->c->left) {
		if (fo && !(fn && same(&t->fko, &t->fkn)))
			answer(t, r, now, &t->fko, ANSWER_DROP);
		if (had || now != NULL)
			answer(t, r, now, fn ? &t->fkn : NULL, ANSWER);
		return;
	}
	if (fn)
		answer(t, r, now, &t->fkn, fo ? ANSWER : ANSWER_ONLY);
	else if (fo)
		answer(t, r, now, &t->fko, ANSWER_DROP);
}

/* The subscribers of a right key, each as its left key. */
static int
sub_one(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct tjoin *t = ctx;
	size_t pn = t->sk.n;

	if (kn < pn || memcmp(k, t->sk.p, pn) != 0 || vn != sizeof(uint64_t))
		return 1;
	buf_additem(&t->subs, (const char *)k + pn, kn - pn);
	buf_additem(&t->subs, v, vn);
	return 0;
}

/*
 * A change of a right row reaches each left key subscribed to it, in the
 * order of the keys, whose row is still the one that subscribed; the
 * result has the right record's time.
 */
static void
fk_right(struct tjoin *t, const struct rec *r)
{
	struct span nv = join_value(r), lv;
	const char *p, *end, *kp, *hp;
	uint64_t h;
	size_t kn, hn;
	int gone = join_is_null(nv);

	put(t, 1, &t->k, r, nv);
	buf_reset(&t->sk);
	buf_addc(&t->sk, 's');
	buf_add(&t->sk, t->k.p, t->k.n);
	buf_addc(&t->sk, '\0');
	buf_reset(&t->subs);
	store_walk(t->st, STORE_INDEX, t->sk.p, t->sk.n, sub_one, t);
	for (p = t->subs.p, end = p + t->subs.n; p < end; ) {
		p = buf_item(p, &kp, &kn);
		p = buf_item(p, &hp, &hn);
		buf_reset(&t->fkn);
		buf_add(&t->fkn, kp, kn);
		memcpy(&h, hp, sizeof h);
		if (!get(t, 0, &t->fkn, &t->old))
			continue;
		lv = row_value(&t->old);
		if (hash_fnv1a(lv.p, lv.n, HASH_FNV_BASIS) != h)
			continue;	/* stale: the row has changed since */
		if (gone && !t->c->left)
			join_result(t->j, r, t->fkn.p, t->fkn.n, r->ts_ms,
			    NULL, NULL, 1);
		else
			join_result(t->j, r, t->fkn.p, t->fkn.n, r->ts_ms,
			    &lv, gone ? NULL : &nv, 0);
	}
}

void
tjoin_record(struct tjoin *t, const struct rec *r, int side)
{
	if (join_key(r, &t->k) != 0) {
		join_skip_null(t->j, 1);
		return;
	}
	if (t->c->fk == NULL)
		tables(t, r, side);
	else if (side == 0)
		fk_left(t, r);
	else
		fk_right(t, r);
}
