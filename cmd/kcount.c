/* kcount: count per key, over all time or per window. */
#include "group.h"
#include "msg.h"
#include "opt.h"

static const char usage[] =
    "usage: kcount [-hqv] [-s dir] [--name name] [--by expr] [--table]\n"
    "              [--tumbling size | --hopping size --advance advance |\n"
    "              --sliding difference | --session gap]\n"
    "              [--grace grace] [--emit update|final] [--close-at-end]\n"
    "              [--late file] [--retention duration] [--cache-size size]\n"
    "              [--arg name value] [--argjson name json]\n"
    "              [--on-error fail|skip|file] [file]\n";

static const struct opt_def defs[] = {
	OPT_DEFS_BASE, OPT_DEFS_JQ, OPT_DEFS_ON_ERROR, OPT_DEFS_VERBOSE,
	OPT_DEFS_STATE, GROUP_OPT_DEFS, GROUP_OPT_TABLE,
	OPT_DEFS_END
};

int
main(int argc, char **argv)
{
	struct opt o;
	struct opt_common c = { 0 };
	struct group_opts go = { 0 };
	struct buf sig = BUF_INIT;
	int id;

	opt_init(&o, argc, argv, usage);
	while ((id = opt_next(&o, defs)) != 0)
		if (!opt_common(&c, &o, id))
			group_opt(&go, &o, id);
	if (o.n_operands > 1)
		opt_usage(&o, "too many arguments");
	go.conf.agg = agg_new_count();
	store_sig_add(&sig, "agg", "count");
	group_main(&go, &o, &c, &sig, o.n_operands > 0 ? o.operands[0] :
	    "-");
	agg_free(go.conf.agg);
	buf_free(&sig);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
