/* kjoin: a stream joined with a table, or two streams within a window. */
#include <stdint.h>
#include <string.h>

#include "join.h"
#include "msg.h"
#include "opt.h"
#include "out.h"
#include "store.h"
#include "stream.h"

static const char usage[] =
    "usage: kjoin [-hqv] --table [--versioned [--history duration]] |\n"
    "             --tables | --fk expr [--type inner|left|outer] "
    "[--with expr]\n"
    "             [--left-topic topic --right-topic topic | --right file]\n"
    "             [-s dir] [--name name] [--cache-size size]\n"
    "             [--arg name value] [--argjson name json]\n"
    "             [--on-error fail|skip|file] [file]\n"
    "       kjoin [-hqv] [--window duration] [--before duration]\n"
    "             [--after duration] [--grace duration] [--close-at-end]\n"
    "             [--type inner|left|outer] [--with expr]\n"
    "             [--left-topic topic --right-topic topic | --right file]\n"
    "             [-s dir] [--name name] [--cache-size size]\n"
    "             [--arg name value] [--argjson name json]\n"
    "             [--on-error fail|skip|file] [file]\n";

static const struct opt_def defs[] = {
	OPT_DEFS_BASE, OPT_DEFS_JQ, OPT_DEFS_ON_ERROR, OPT_DEFS_VERBOSE,
	OPT_DEFS_STATE,
	{ "after", 0, 1, 'a' },
	{ "before", 0, 1, 'b' },
	{ "cache-size", 0, 1, 'C' },
	{ "close-at-end", 0, 0, 'c' },
	{ "fk", 0, 1, 'f' },
	{ "grace", 0, 1, 'g' },
	{ "history", 0, 1, 'H' },
	{ "left-topic", 0, 1, 'L' },
	{ "right", 0, 1, 'r' },
	{ "right-topic", 0, 1, 'R' },
	{ "table", 0, 0, 't' },
	{ "tables", 0, 0, 'T' },
	{ "type", 0, 1, 'y' },
	{ "versioned", 0, 0, 'V' },
	{ "window", 0, 1, 'W' },
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
	const char *with = NULL, *fk = NULL, *type = "inner", *why;
	int id, table = 0, tables = 0, window = 0, grace = 0;
	int64_t win = 0, before = -1, after = -1, history = -1;

	opt_init(&o, argc, argv, usage);
	while ((id = opt_next(&o, defs)) != 0) {
		if (opt_common(&c, &o, id))
			continue;
		switch (id) {
		case 'a':
			after = opt_dur(&o);
			break;
		case 'b':
			before = opt_dur(&o);
			break;
		case 'c':
			jc.close_at_end = 1;
			break;
		case 'C':
			jc.cache_bytes = opt_cache_size(&o);
			break;
		case 'f':
			fk = o.arg;
			tables = 1;
			break;
		case 'g':
			jc.grace = opt_dur(&o);
			grace = 1;
			break;
		case 'H':
			history = opt_dur(&o);
			break;
		case 'V':
			jc.versioned = 1;
			break;
		case 'W':
			win = opt_dur(&o);
			window = 1;
			break;
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
		case 'T':
			tables = 1;
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
	window |= before >= 0 || after >= 0;
	if (table + tables + window != 1)
		opt_usage(&o, "give --table, --tables, --fk or a window "
		    "(--window, --before, --after)");
	if (jc.versioned && !table)
		opt_usage(&o, "--versioned: a stream-table join only");
	if (history >= 0 && !jc.versioned)
		opt_usage(&o, "--history: give --versioned too");
	jc.history = history >= 0 ? history : INT64_MAX;
	if (!window && grace)
		opt_usage(&o, "--grace: a join of %s has no window", table ?
		    "a stream and a table" : "two tables");
	if (table && strcmp(type, "outer") == 0)
		opt_usage(&o, "--type outer: a stream-table join is inner or "
		    "left");
	if (fk != NULL && strcmp(type, "outer") == 0)
		opt_usage(&o, "--type outer: a foreign-key join is inner or "
		    "left");
	/* --window sets both bounds; --before and --after set one. */
	jc.before = before >= 0 ? before : win;
	jc.after = after >= 0 ? after : win;
	jc.kind = table ? JOIN_TABLE : tables ? JOIN_TABLES : JOIN_WINDOW;
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
	jc.left = strcmp(type, "inner") != 0;
	jc.right = strcmp(type, "outer") == 0;
	jc.quiet = c.quiet;
	jc.verbose = c.verbose;
	if (with != NULL &&
	    (jc.with = join_with(with, c.args, c.n_args, &why)) == NULL)
		die(KP_EXIT_USAGE, "--with: %s", why);
	if (fk != NULL &&
	    (jc.fk = jqx_new(fk, c.args, c.n_args, 0, &why)) == NULL)
		die(KP_EXIT_USAGE, "--fk: %s", why);

	/* What the table means: a store refuses other options. */
	store_sig_add(&sig, "command", "kjoin");
	store_sig_add(&sig, "join", table ? "table" : tables ? "tables" :
	    "window");
	store_sig_add(&sig, "type", type);
	if (jc.versioned)
		store_sig_addi(&sig, "history", history);
	if (!table) {
		store_sig_addi(&sig, "before", jc.before);
		store_sig_addi(&sig, "after", jc.after);
		store_sig_addi(&sig, "grace", jc.grace);
	}
	if (fk != NULL)
		store_sig_add(&sig, "fk", fk);
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
	if (jc.cache_bytes == 0)
		jc.cache_bytes = (size_t)64 << 20;
	sc.cache_bytes = jc.cache_bytes;
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
	jqx_free(jc.fk);
	buf_free(&sig);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
