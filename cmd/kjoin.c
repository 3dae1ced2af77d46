/* kjoin: a stream joined with a table (KStream-KTable join). */
#include <string.h>

#include "join.h"
#include "msg.h"
#include "opt.h"
#include "out.h"
#include "store.h"
#include "stream.h"

static const char usage[] =
    "usage: kjoin [-hqv] --table [--type inner|left] [--with expr]\n"
    "             [--left-topic topic --right-topic topic | --right file]\n"
    "             [-s dir] [--name name] [--arg name value] "
    "[--argjson name json]\n"
    "             [--on-error fail|skip|file] [file]\n";

static const struct opt_def defs[] = {
	OPT_DEFS_BASE, OPT_DEFS_JQ, OPT_DEFS_ON_ERROR, OPT_DEFS_VERBOSE,
	OPT_DEFS_STATE,
	{ "left-topic", 0, 1, 'L' },
	{ "right", 0, 1, 'r' },
	{ "right-topic", 0, 1, 'R' },
	{ "table", 0, 0, 't' },
	{ "type", 0, 1, 'y' },
	{ "with", 0, 1, 'w' },
	OPT_DEFS_END
};

int
main(int argc, char **argv)
{
	struct opt o;
	struct opt_common c = { 0 };
	struct join_conf jc = { 0 };
	struct store_conf sc = { 0 };
	struct buf sig = BUF_INIT;
	struct store *st;
	struct stream s;
	struct out out;
	const char *with = NULL, *type = "inner", *why;
	int id, table = 0;

	opt_init(&o, argc, argv, usage);
	while ((id = opt_next(&o, defs)) != 0) {
		if (opt_common(&c, &o, id))
			continue;
		switch (id) {
		case 'L':
			jc.left_topic = o.arg;
			break;
		case 'r':
			jc.right_path = o.arg;
			break;
		case 'R':
			jc.right_topic = o.arg;
			break;
		case 't':
			table = 1;
			break;
		case 'y':
			type = o.arg;
			if (strcmp(type, "inner") != 0 &&
			    strcmp(type, "left") != 0 &&
			    strcmp(type, "outer") != 0)
				opt_usage(&o, "--type '%s': not inner, left or "
				    "outer", type);
			break;
		case 'w':
			with = o.arg;
			break;
		}
	}
	if (!table)
		opt_usage(&o, "give --table (stream-table joins are what "
		    "this version does)");
	if (strcmp(type, "outer") == 0)
		opt_usage(&o, "--type outer: a stream-table join is inner or "
		    "left");
	if ((jc.left_topic == NULL) != (jc.right_topic == NULL))
		opt_usage(&o, "--left-topic and --right-topic go together");
	if (jc.left_topic != NULL && jc.right_path != NULL)
		opt_usage(&o, "--right and --left-topic exclude each other");
	if (jc.left_topic == NULL && jc.right_path == NULL)
		opt_usage(&o, "give --right file, or --left-topic and "
		    "--right-topic");
	if (jc.left_topic != NULL &&
	    strcmp(jc.left_topic, jc.right_topic) == 0)
		opt_usage(&o, "--left-topic and --right-topic are the same");
	if (o.n_operands > 1)
		opt_usage(&o, "too many arguments");
	jc.left = strcmp(type, "left") == 0;
	jc.quiet = c.quiet;
	jc.verbose = c.verbose;
	if (with != NULL &&
	    (jc.with = join_with(with, c.args, c.n_args, &why)) == NULL)
		die(KP_EXIT_USAGE, "--with: %s", why);

	/* What the table means: a store refuses other options. */
	store_sig_add(&sig, "command", "kjoin");
	store_sig_add(&sig, "join", "table");
	store_sig_add(&sig, "type", type);
	if (with != NULL)
		store_sig_add(&sig, "with", with);
	if (jc.left_topic != NULL) {
		store_sig_add(&sig, "left-topic", jc.left_topic);
		store_sig_add(&sig, "right-topic", jc.right_topic);
	}
	store_sig_args(&sig, c.args, c.n_args);
	sc.dir = jc.dir = opt_state_dir(&c);
	sc.name = c.name != NULL ? c.name : "kjoin";
	sc.sig = sig.p;
	/* The table's pages stay in memory (as kcount's default cache). */
	sc.cache_bytes = (size_t)64 << 20;
	st = store_open(&sc);
	out_open(&out, NULL);
	stream_open(&s, o.n_operands > 0 ? o.operands[0] : "-", &c.bad, &out,
	    STREAM_CTL);
	join_run(&jc, st, &s, &out);
	stream_close(&s);
	out_close(&out);
	store_close(st);
	bad_close(&c.bad);
	jqx_free(jc.with);
	buf_free(&sig);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
