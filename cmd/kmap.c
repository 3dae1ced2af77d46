/* kmap: every output of a jq program becomes a record. */
#include "map.h"
#include "msg.h"
#include "opt.h"
#include "out.h"
#include "stream.h"

static const char usage[] =
    "usage: kmap [-hqv] [--key | --value] [--arg name value]\n"
    "            [--argjson name json] [--on-error fail|skip|file] expr "
    "[file]\n";

static const struct opt_def defs[] = {
	OPT_DEFS_BASE, OPT_DEFS_JQ, OPT_DEFS_ON_ERROR, OPT_DEFS_VERBOSE,
	{ "key", 0, 0, 'k' },
	{ "value", 0, 0, 'V' },
	OPT_DEFS_END
};

static size_t n_out;

static void
emit(void *ctx, const char *p, size_t n, size_t lines)
{
	out_write(ctx, p, n);
	n_out += lines;
}

int
main(int argc, char **argv)
{
	struct opt o;
	struct opt_common c = { 0 };
	struct stream s;
	struct out out;
	struct map *m;
	struct rec *r;
	const char *why;
	int id, key = 0, value = 0;

	opt_init(&o, argc, argv, usage);
	while ((id = opt_next(&o, defs)) != 0) {
		if (opt_common(&c, &o, id))
			continue;
		if (id == 'k')
			key = 1;
		else if (id == 'V')
			value = 1;
	}
	if (key && value)
		opt_usage(&o, "--key and --value exclude each other");
	if (o.n_operands < 1)
		opt_usage(&o, "missing the jq program");
	if (o.n_operands > 2)
		opt_usage(&o, "too many arguments");
	m = map_new(o.operands[0], key ? MAP_KEY : value ? MAP_VALUE :
	    MAP_RECORD, c.args, c.n_args, &why);
	if (m == NULL)
		die(KP_EXIT_USAGE, "%s", why);
	out_open(&out, NULL);
	stream_open(&s, o.n_operands > 1 ? o.operands[1] : "-", &c.bad,
	    &out, 0);
	while ((r = stream_next(&s)) != NULL)
		if (map_run(m, r, emit, &out, &why) != 0)
			bad_line(&c.bad, s.rd.name, s.rd.lineno, r->line.p,
			    r->line.n, why);
	if (c.verbose)
		msg_stats(s.n_in, n_out, c.bad.n);
	stream_close(&s);
	out_close(&out);
	bad_close(&c.bad);
	map_free(m);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
