/* query: kquery's reading of a store: a group's, or kjoin's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "group.h"
#include "msg.h"
#include "query.h"

struct walk {
	const struct query *q;
	const struct agg *agg;
	int windowed;
	struct buf *out;
	struct store *st;
	struct buf lo;
};

/* Is key k (kn bytes) outside q's key or range? */
static int
outside(const struct query *q, const char *k, size_t kn)
{
	size_t hi, n;
	int c;

	if (q->key != NULL && (kn != strlen(q->key) ||
	    memcmp(k, q->key, kn) != 0))
		return 1;
	if (q->to != NULL) {
		hi = strlen(q->to);
		n = kn < hi ? kn : hi;
		if ((c = memcmp(k, q->to, n)) > 0 || (c == 0 && kn > hi))
			return 1;
	}
	return 0;
}

static int
one(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct walk *w = ctx;
	const struct query *q = w->q;
	struct group_result r;

	if (group_decode(w->windowed, k, kn, v, vn, &r) != 0)
		die(KP_EXIT_STORE, "store '%s': not a kcount or kwindow store",
		    store_path(w->st));
	if (outside(q, r.key.p, r.key.n))
		return 1;
	if (w->windowed && (r.start_ms < q->time_from ||
	    r.start_ms > q->time_to))
		return 0;
	group_fmt(w->agg, w->windowed, &r, w->out);
	return 0;
}

/* ,"key":K, or ,"key_base64":K for a key kept after a \1. */
static void
put_key(struct buf *out, const char *k, size_t kn, const char *sep)
{
	if (kn > 0 && k[0] == '\1') {
		buf_adds(out, sep);
		buf_adds(out, "\"key_base64\":");
		buf_add(out, k + 1, kn - 1);
	} else {
		buf_adds(out, sep);
		buf_adds(out, "\"key\":");
		buf_add(out, k, kn);
	}
}

/* A row of kjoin's table: KEY -> VALUE, as {"key":K,"value":V}. */
static int
row(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct walk *w = ctx;
	const char *kp = k;

	if (outside(w->q, kp, kn))
		return 1;
	put_key(w->out, kp, kn, "{");
	buf_adds(w->out, ",\"value\":");
	buf_add(w->out, v, vn);
	buf_add(w->out, "}\n", 2);
	return 0;
}

/*
 * A record or row of one side of kjoin's store, as {"side":"left","ts":T,
 * "key":K,"value":V}, if q selects it; the store is in side order, so the
 * walk goes on past a key out of range.
 */
static int
side_rec(struct walk *w, char side, const char *kp, size_t n, int64_t ts,
    const char *v, size_t vn)
{
	const struct query *q = w->q;
	size_t lo, m;
	char num[24];

	if (q->from != NULL) {
		lo = strlen(q->from);
		m = n < lo ? n : lo;
		if (memcmp(kp, q->from, m) < 0 ||
		    (memcmp(kp, q->from, m) == 0 && n < lo))
			return 0;
	}
	if (outside(q, kp, n) || ts < q->time_from || ts > q->time_to)
		return 0;
	buf_adds(w->out, side == 'l' ? "{\"side\":\"left\",\"ts\":" :
	    "{\"side\":\"right\",\"ts\":");
	snprintf(num, sizeof num, "%lld", (long long)ts);
	buf_adds(w->out, num);
	put_key(w->out, kp, n, ",");
	buf_adds(w->out, ",\"value\":");
	buf_add(w->out, v, vn);
	buf_add(w->out, "}\n", 2);
	return 0;
}

/* A record that kjoin keeps for a windowed join: SIDE KEY \0 TS SEQ. */
static int
kept(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct walk *w = ctx;
	const char *kp = k;

	if (kn < 1 + 1 + 16 || (kp[0] != 'l' && kp[0] != 'r') ||
	    kp[kn - 17] != '\0')
		die(KP_EXIT_STORE, "store '%s': not a kjoin store",
		    store_path(w->st));
	return side_rec(w, kp[0], kp + 1, kn - 18,
	    store_i64_key(kp + kn - 16), v, vn);
}

/*
 * A row of kjoin's two tables, SIDE KEY -> TS VALUE (lib/tjoin.c), as kept
 * records are: in side order too.
 */
static int
side_row(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct walk *w = ctx;
	const char *kp = k;

	if (kn < 1 || (kp[0] != 'l' && kp[0] != 'r') || vn < 8)
		die(KP_EXIT_STORE, "store '%s': not a kjoin store",
		    store_path(w->st));
	return side_rec(w, kp[0], kp + 1, kn - 1, store_i64_key(v),
	    (const char *)v + 8, vn - 8);
}

/*
 * A version of kjoin's versioned table, 'v' KEY \0 -TS -> 1 VALUE or 0
 * (lib/vtab.c), as {"ts":T,"key":K,"value":V}, V null for a deletion: a
 * key's versions newest first.
 */
static int
version(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct walk *w = ctx;
	const struct query *q = w->q;
	const char *kp = k;
	char num[24];
	int64_t ts;
	size_t n;

	if (kn < 1 + 1 + 8 || kp[0] != 'v' || kp[kn - 9] != '\0' || vn < 1)
		die(KP_EXIT_STORE, "store '%s': not a kjoin store",
		    store_path(w->st));
	n = kn - 10;
	ts = -store_i64_key(kp + kn - 8);
	if (outside(q, kp + 1, n))
		return 1;	/* the walk began at the key, or from */
	if (ts < q->time_from || ts > q->time_to)
		return 0;
	snprintf(num, sizeof num, "%lld", (long long)ts);
	buf_adds(w->out, "{\"ts\":");
	buf_adds(w->out, num);
	put_key(w->out, kp + 1, n, ",");
	buf_adds(w->out, ",\"value\":");
	if (((const char *)v)[0] == 1)
		buf_add(w->out, (const char *)v + 1, vn - 1);
	else
		buf_adds(w->out, "null");
	buf_add(w->out, "}\n", 2);
	return 0;
}

/* The aggregate the store's command was given, from its fingerprint. */
static struct agg *
agg_of(struct store *st)
{
	static const char *const kind[] = { "arg", "argjson" };
	const char *sig = store_sig(st), *why = NULL;
	struct buf v = BUF_INIT, init = BUF_INIT;
	struct jqx_arg *args = NULL;
	char **specs = NULL, **strs = NULL, *eq;
	size_t n_args = 0, n_specs = 0, n_strs = 0, i;
	struct agg *a;
	int j, n;

	for (j = 0; j < 2; j++)
		for (n = 0; store_sig_get(sig, kind[j], n, &v); n++) {
			strs = xrealloc(strs, (n_strs + 1) * sizeof(*strs));
			strs[n_strs] = xstrdup(v.p);
			if ((eq = strchr(strs[n_strs], '=')) == NULL)
				die(KP_EXIT_STORE, "store '%s': bad %s",
				    store_path(st), kind[j]);
			*eq = '\0';
			args = xrealloc(args, (n_args + 1) * sizeof(*args));
			args[n_args].name = strs[n_strs++];
			args[n_args].value = eq + 1;
			args[n_args++].json = j;
		}
	for (n = 0; store_sig_get(sig, "a", n, &v); n++) {
		specs = xrealloc(specs, (n_specs + 1) * sizeof(*specs));
		specs[n_specs++] = xstrdup(v.p);
	}
	if (n_specs > 0)
		a = agg_new_funcs(specs, n_specs, args, n_args, &why);
	else if (store_sig_get(sig, "init", 0, &init) &&
	    store_sig_get(sig, "reduce", 0, &v))
		a = agg_new_reduce(init.p, v.p, args, n_args, &why);
	else
		a = agg_new_count();
	if (a == NULL)
		die(KP_EXIT_STORE, "store '%s': %s", store_path(st), why);
	for (i = 0; i < n_specs; i++)
		free(specs[i]);
	for (i = 0; i < n_strs; i++)
		free(strs[i]);
	free(specs);
	free(strs);
	free(args);
	buf_free(&v);
	buf_free(&init);
	return a;
}

void
query_run(struct store *st, const struct query *q, struct buf *out)
{
	struct buf v = BUF_INIT;
	struct walk w;

	w.q = q;
	w.out = out;
	w.st = st;
	w.lo = (struct buf)BUF_INIT;
	if (store_sig_get(store_sig(st), "join", 0, &v) &&
	    strcmp(v.p, "table") != 0) {
		store_walk(st, STORE_DATA, NULL, 0, strcmp(v.p, "window") == 0 ?
		    kept : side_row, &w);
		buf_free(&v);
		return;
	}
	if (store_sig_get(store_sig(st), "history", 0, &v)) {
		buf_reset(&w.lo);
		buf_addc(&w.lo, 'v');
		if (q->key != NULL || q->from != NULL)
			buf_adds(&w.lo, q->key != NULL ? q->key : q->from);
		store_walk(st, STORE_DATA, w.lo.p, w.lo.n, version, &w);
		buf_free(&w.lo);
		buf_free(&v);
		return;
	}
	if (store_sig_get(store_sig(st), "command", 0, &v) &&
	    strcmp(v.p, "kjoin") == 0) {
		store_walk(st, STORE_DATA, q->key != NULL ? q->key : q->from,
		    q->key != NULL ? strlen(q->key) : q->from != NULL ?
		    strlen(q->from) : 0, row, &w);
		buf_free(&v);
		return;
	}
	w.windowed = store_sig_get(store_sig(st), "window", 0, &v);
	w.agg = agg_of(st);
	if (q->key != NULL)
		store_walk(st, STORE_DATA, q->key, strlen(q->key), one, &w);
	else
		store_walk(st, STORE_DATA, q->from, q->from != NULL ?
		    strlen(q->from) : 0, one, &w);
	agg_free((struct agg *)w.agg);
	buf_free(&v);
}
