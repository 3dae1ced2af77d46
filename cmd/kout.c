/* kout: the sink; write records to standard output or a file. */
#include "fmt.h"
#include "msg.h"
#include "opt.h"
#include "out.h"
#include "stream.h"

static const char usage[] =
    "usage: kout [-hqv] [--format fmt] [-o file] [--on-error fail|skip|file]"
    "\n            [file]\n";

static const struct opt_def defs[] = {
	OPT_DEFS_BASE, OPT_DEFS_ON_ERROR, OPT_DEFS_VERBOSE,
	{ "format", 0, 1, 'f' },
	{ "output", 'o', 1, 'o' },
	OPT_DEFS_END
};

int
main(int argc, char **argv)
{
	struct opt o;
	struct opt_common c = { 0 };
	struct stream s;
	struct out out;
	struct fmt f;
	struct buf line = BUF_INIT;
	struct rec *r;
	const char *why, *format = "json", *path = NULL;
	int id;

	opt_init(&o, argc, argv, usage);
	while ((id = opt_next(&o, defs)) != 0) {
		if (opt_common(&c, &o, id))
			continue;
		if (id == 'f')
			format = o.arg;
		else if (id == 'o')
			path = o.arg;
	}
	if (o.n_operands > 1)
		opt_usage(&o, "too many arguments");
	if (fmt_parse(&f, format, &why) != 0)
		opt_usage(&o, "--format '%s': %s", format, why);
	out_open(&out, path);
	/* A sink: control records are acted on, never written as data. */
	stream_open(&s, o.n_operands > 0 ? o.operands[0] : "-", &c.bad, &out,
	    STREAM_CTL);
	while ((r = stream_next(&s)) != NULL) {
		if (s.kind != CTL_DATA)
			continue;
		buf_reset(&line);
		fmt_record(&f, r, &line);
		out_write(&out, line.p, line.n);
	}
	if (c.verbose)
		msg_stats(s.n_in, s.n_in, c.bad.n);
	stream_close(&s);
	out_close(&out);
	bad_close(&c.bad);
	buf_free(&line);
	fmt_free(&f);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
