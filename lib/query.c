/* query: kquery's reading of a store: a group's, or kjoin's table. */
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

/* A row of kjoin's table: KEY -> VALUE, as {"key":K,"value":V}. */
static int
row(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct walk *w = ctx;
	const char *kp = k;

	if (outside(w->q, kp, kn))
		return 1;
	if (kn > 0 && kp[0] == '\1') {
		buf_adds(w->out, "{\"key_base64\":");
		kp++;
		kn--;
	} else
		buf_adds(w->out, "{\"key\":");
	buf_add(w->out, kp, kn);
	buf_adds(w->out, ",\"value\":");
	buf_add(w->out, v, vn);
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
