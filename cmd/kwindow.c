/* kwindow: windowed aggregation per key. */
#include <stdlib.h>

#include "group.h"
#include "msg.h"
#include "opt.h"

static const char usage[] =
    "usage: kwindow [-hqv] [-s dir] [--name name] [--by expr]\n"
    "               [--tumbling size | --hopping size --advance advance |\n"
    "               --sliding difference | --session gap]\n"
    "               [--grace grace] [--emit update|final] [--close-at-end]\n"
    "               [--late file] [--retention duration] "
    "[--cache-size size]\n"
    "               -a name=func(expr) ... |\n"
    "               --init json --reduce expr [--merge expr]\n"
    "               [--arg name value] [--argjson name json]\n"
    "               [--on-error fail|skip|file] [file]\n";

static const struct opt_def defs[] = {
	OPT_DEFS_BASE, OPT_DEFS_JQ, OPT_DEFS_ON_ERROR, OPT_DEFS_VERBOSE,
	OPT_DEFS_STATE, GROUP_OPT_DEFS,
	{ "agg", 'a', 1, 'a' },
	{ "init", 0, 1, 'i' },
	{ "merge", 0, 1, 'm' },
	{ "reduce", 0, 1, 'r' },
	OPT_DEFS_END
};

int
main(int argc, char **argv)
{
	struct opt o;
	struct opt_common c = { 0 };
	struct group_opts go = { 0 };
	struct buf sig = BUF_INIT;
	char **specs = NULL;
	const char *init = NULL, *reduce = NULL, *merge = NULL, *why;
	size_t n_specs = 0, i;
	int id;

	opt_init(&o, argc, argv, usage);
	while ((id = opt_next(&o, defs)) != 0) {
		if (opt_common(&c, &o, id) || group_opt(&go, &o, id))
			continue;
		if (id == 'a') {
			specs = xrealloc(specs, (n_specs + 1) * sizeof(*specs));
			specs[n_specs++] = (char *)o.arg;
		} else if (id == 'i')
			init = o.arg;
		else if (id == 'r')
			reduce = o.arg;
		else if (id == 'm')
			merge = o.arg;
	}
	if (o.n_operands > 1)
		opt_usage(&o, "too many arguments");
	if (n_specs > 0 && (init != NULL || reduce != NULL))
		opt_usage(&o, "-a and --init/--reduce exclude each other");
	if (n_specs == 0 && (init == NULL || reduce == NULL))
		opt_usage(&o, "needs -a, or --init and --reduce");
	if (merge != NULL && reduce == NULL)
		opt_usage(&o, "--merge goes with --init and --reduce");
	if (n_specs > 0) {
		go.conf.agg = agg_new_funcs(specs, n_specs, c.args, c.n_args,
		    &why);
		for (i = 0; i < n_specs; i++)
			store_sig_add(&sig, "a", specs[i]);
	} else {
		go.conf.agg = agg_new_reduce(init, reduce, c.args, c.n_args,
		    &why);
		if (go.conf.agg != NULL && merge != NULL &&
		    agg_set_merge(go.conf.agg, merge, c.args, c.n_args,
		    &why) != 0) {
			agg_free(go.conf.agg);
			go.conf.agg = NULL;
		}
		store_sig_add(&sig, "init", init);
		store_sig_add(&sig, "reduce", reduce);
		if (merge != NULL)
			store_sig_add(&sig, "merge", merge);
	}
	if (go.conf.agg == NULL)
		die(KP_EXIT_USAGE, "%s", why);
	group_main(&go, &o, &c, &sig, o.n_operands > 0 ? o.operands[0] :
	    "-");
	agg_free(go.conf.agg);
	free(specs);
	buf_free(&sig);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
