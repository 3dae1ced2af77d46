/* kfilter: keep the records a jq program holds true. */
#include <stdlib.h>

#include "jqx.h"
#include "msg.h"
#include "opt.h"
#include "out.h"
#include "stream.h"

static const char usage[] =
    "usage: kfilter [-hqv] [--arg name value] [--argjson name json]\n"
    "               [--on-error fail|skip|file] [--verbose] expr [file]\n";

static const struct opt_def defs[] = {
	OPT_DEFS_BASE, OPT_DEFS_JQ, OPT_DEFS_ON_ERROR,
	{ "invert", 'v', 0, 'v' },
	{ "verbose", 0, 0, OPT_VERBOSE },
	OPT_DEFS_END
};

int
main(int argc, char **argv)
{
	struct opt o;
	struct opt_common c = { 0 };
	struct stream s;
	struct out out;
	struct jqx *jx;
	struct rec *r;
	const char *why;
	int id, invert = 0, keep, st;
	size_t n_out = 0;

	opt_init(&o, argc, argv, usage);
	while ((id = opt_next(&o, defs)) != 0) {
		if (opt_common(&c, &o, id))
			continue;
		if (id == 'v')
			invert = 1;
	}
	if (o.n_operands < 1)
		opt_usage(&o, "missing the jq program");
	if (o.n_operands > 2)
		opt_usage(&o, "too many arguments");
	if ((jx = jqx_new(o.operands[0], c.args, c.n_args, 0, &why)) == NULL)
		die(KP_EXIT_USAGE, "%s", why);
	out_open(&out, NULL);
	stream_open(&s, o.n_operands > 1 ? o.operands[1] : "-", &c.bad,
	    &out, 0);
	while ((r = stream_next(&s)) != NULL) {
		jqx_start(jx, r->line.p, r->line.n, r->line);
		/* The first output decides, as Kafka Streams' predicate. */
		if ((st = jqx_next(jx, &why)) < 0) {
			bad_line(&c.bad, s.rd.name, s.rd.lineno, r->line.p,
			    r->line.n, why);
			continue;
		}
		keep = st == 1 && jqx_truthy(jx);
		if (keep != invert) {
			out_write(&out, r->line.p, r->line.n);
			out_write(&out, "\n", 1);
			n_out++;
		}
	}
	if (c.verbose)
		msg_stats(s.n_in, n_out, c.bad.n);
	stream_close(&s);
	out_close(&out);
	bad_close(&c.bad);
	jqx_free(jx);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
