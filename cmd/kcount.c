/* kcount: count per key, over all time or per window. */
#include "group.h"
#include "msg.h"
#include "opt.h"
#include "out.h"
#include "store.h"
#include "stream.h"

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
	struct store_conf sc;
	struct buf sig = BUF_INIT;
	struct store *st;
	struct group *g;
	struct stream s;
	struct out out;
	int id;

	opt_init(&o, argc, argv, usage);
	while ((id = opt_next(&o, defs)) != 0)
		if (!opt_common(&c, &o, id))
			group_opt(&go, &o, id);
	if (o.n_operands > 1)
		opt_usage(&o, "too many arguments");
	go.conf.agg = agg_new_count();
	store_sig_add(&sig, "agg", "count");
	group_opts_done(&go, &o, &c, &sig, &sc);
	st = store_open(&sc);
	out_open(&out, NULL);
	g = group_new(&go.conf, st, &out);
	stream_open(&s, o.n_operands > 0 ? o.operands[0] : "-", &c.bad, &out,
	    STREAM_CTL);
	group_run(g, &s);
	stream_close(&s);
	out_close(&out);
	group_free(g);
	store_close(st);
	bad_close(&c.bad);
	agg_free(go.conf.agg);
	jqx_free(go.conf.by);
	buf_free(&sig);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
