/* kcat-in: the source; files (and, later, topics) into records. */
#include <stdlib.h>

#include "msg.h"
#include "opt.h"
#include "out.h"
#include "src.h"

static const char usage[] =
    "usage: kcat-in [-hqv] [-c count] [--input auto|lines|json|records]\n"
    "               [--key expr] [--ts expr] [--ts-unit ms|s|us|ns]\n"
    "               [--arg name value] [--argjson name json]\n"
    "               [--on-error fail|skip|file] -f file ...\n";

static const struct opt_def defs[] = {
	OPT_DEFS_BASE, OPT_DEFS_JQ, OPT_DEFS_ON_ERROR, OPT_DEFS_VERBOSE,
	{ "count", 'c', 1, 'c' },
	{ "file", 'f', 1, 'f' },
	{ "input", 0, 1, 'i' },
	{ "key", 0, 1, 'k' },
	{ "ts", 0, 1, 't' },
	{ "ts-unit", 0, 1, 'u' },
	OPT_DEFS_END
};

static struct jqx *
compile(const char *flag, const char *prog, const struct opt_common *c)
{
	struct jqx *jx;
	const char *why;

	if (prog == NULL)
		return NULL;
	if ((jx = jqx_new(prog, c->args, c->n_args, 0, &why)) == NULL)
		die(KP_EXIT_USAGE, "%s: %s", flag, why);
	return jx;
}

int
main(int argc, char **argv)
{
	struct opt o;
	struct opt_common c = { 0 };
	struct src_opts so = { .ts_mul = 1, .ts_div = 1 };
	struct src s;
	struct out out;
	struct buf line = BUF_INIT;
	char **files;
	const char *key = NULL, *ts = NULL;
	long long count = -1, n = 0;
	size_t n_files = 0;
	int id, st;

	opt_init(&o, argc, argv, usage);
	files = xmalloc(sizeof *files * argc);
	while ((id = opt_next(&o, defs)) != 0) {
		if (opt_common(&c, &o, id))
			continue;
		switch (id) {
		case 'c':
			count = opt_count(&o);
			break;
		case 'f':
			files[n_files++] = (char *)o.arg;
			break;
		case 'i':
			if (src_input_parse(o.arg, &so.input) != 0)
				opt_usage(&o, "--input '%s': not auto, lines, "
				    "json or records", o.arg);
			break;
		case 'k':
			key = o.arg;
			break;
		case 't':
			ts = o.arg;
			break;
		case 'u':
			if (src_unit_parse(o.arg, &so) != 0)
				opt_usage(&o, "--ts-unit '%s': not ms, s, us "
				    "or ns", o.arg);
			break;
		}
	}
	if (o.n_operands > 0)
		opt_usage(&o, "unexpected argument '%s' (files go with -f)",
		    o.operands[0]);
	if (n_files == 0)
		opt_usage(&o, "no input: give -f file (- for standard input)");
	so.key = compile("--key", key, &c);
	so.ts = compile("--ts", ts, &c);
	so.bad = &c.bad;
	out_open(&out, NULL);
	src_open(&s, &so, files, n_files);
	while (count < 0 || n < count) {
		buf_reset(&line);
		if ((st = src_next(&s, &line)) == 0)
			break;
		out_write(&out, line.p, line.n);
		if (st == 1)
			n++;
		else if (st == 3)
			break;
	}
	if (c.verbose)
		msg_stats((size_t)n + c.bad.n, (size_t)n, c.bad.n);
	src_close(&s);
	out_close(&out);
	bad_close(&c.bad);
	jqx_free(so.key);
	jqx_free(so.ts);
	buf_free(&line);
	free(files);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
