/* query: kquery's reading of a group store. */
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

static int
one(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct walk *w = ctx;
	const struct query *q = w->q;
	struct group_result r;
	size_t hi, n;
	int c;

	if (group_decode(w->windowed, k, kn, v, vn, &r) != 0)
		die(KP_EXIT_STORE, "store '%s': not a kcount or kwindow store",
		    store_path(w->st));
	if (q->key != NULL && (r.key.n != strlen(q->key) ||
	    memcmp(r.key.p, q->key, r.key.n) != 0))
		return 1;
	if (q->to != NULL) {
		hi = strlen(q->to);
		n = r.key.n < hi ? r.key.n : hi;
		if ((c = memcmp(r.key.p, q->to, n)) > 0 ||
		    (c == 0 && r.key.n > hi))
			return 1;
	}
	if (w->windowed && (r.start_ms < q->time_from ||
	    r.start_ms > q->time_to))
		return 0;
	group_fmt(w->agg, w->windowed, &r, w->out);
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
