/* opt: command-line flags. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dur.h"
#include "msg.h"
#include "opt.h"
#include "rec.h"

#ifndef KP_VERSION
#define KP_VERSION "0.1.0"
#endif

void
opt_init(struct opt *o, int argc, char **argv, const char *usage)
{
	memset(o, 0, sizeof *o);
	o->argc = argc;
	o->argv = argv;
	o->i = 1;
	o->usage = usage;
	o->operands = xmalloc(sizeof *o->operands * (argc + 1));
	msg_init(argv[0]);
}

void
opt_free(struct opt *o)
{
	free(o->operands);
	o->operands = NULL;
}

void
opt_usage(struct opt *o, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", msg_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", o->usage);
	fflush(NULL);
	_exit(KP_EXIT_USAGE);
}

static void
take_args(struct opt *o, const struct opt_def *d, const char *inline_arg)
{
	o->arg = o->arg2 = NULL;
	if (d->nargs == 0) {
		if (inline_arg != NULL)
			opt_usage(o, "option '%s' takes no argument",
			    o->optname);
		return;
	}
	if (inline_arg != NULL)
		o->arg = inline_arg;
	else if (o->i < o->argc)
		o->arg = o->argv[o->i++];
	else
		opt_usage(o, "option '%s' needs an argument", o->optname);
	if (d->nargs == 2) {
		if (o->i >= o->argc)
			opt_usage(o, "option '%s' needs two arguments",
			    o->optname);
		o->arg2 = o->argv[o->i++];
	}
}

int
opt_next(struct opt *o, const struct opt_def *defs)
{
	static char shortname[3] = "-?";
	static char longname[128];
	const struct opt_def *d;
	const char *w, *eq;
	size_t n;

	if (o->cluster != NULL && *o->cluster != '\0') {
		w = o->cluster;
		goto shortopt;
	}
	o->cluster = NULL;
	for (;;) {
		if (o->i >= o->argc)
			return 0;
		w = o->argv[o->i++];
		if (o->dashdash || w[0] != '-' || w[1] == '\0') {
			o->operands[o->n_operands++] = (char *)w;
			continue;
		}
		if (strcmp(w, "--") == 0) {
			o->dashdash = 1;
			continue;
		}
		break;
	}
	if (w[1] == '-') {
		w += 2;
		eq = strchr(w, '=');
		n = eq ? (size_t)(eq - w) : strlen(w);
		snprintf(longname, sizeof longname, "--%.*s", (int)n, w);
		o->optname = longname;
		for (d = defs; d->id != 0; d++)
			if (d->lng && strlen(d->lng) == n &&
			    memcmp(d->lng, w, n) == 0)
				break;
		if (d->id == 0)
			opt_usage(o, "unknown option '%s'", longname);
		take_args(o, d, eq ? eq + 1 : NULL);
		return d->id;
	}
	w++;
shortopt:
	shortname[1] = *w;
	o->optname = shortname;
	for (d = defs; d->id != 0; d++)
		if (d->shrt != 0 && d->shrt == *w)
			break;
	if (d->id == 0)
		opt_usage(o, "unknown option '-%c'", *w);
	o->cluster = w + 1;
	if (d->nargs > 0) {
		take_args(o, d, *o->cluster ? o->cluster : NULL);
		o->cluster = NULL;
	} else
		o->arg = o->arg2 = NULL;
	return d->id;
}

int
opt_common(struct opt_common *c, struct opt *o, int id)
{
	const char *why;

	switch (id) {
	case OPT_HELP:
		fputs(o->usage, stdout);
		exit(fflush(stdout) == 0 ? KP_EXIT_OK : KP_EXIT_DATA);
	case OPT_VERSION:
		printf("%s (kpipe) %s\n", msg_prog, KP_VERSION);
		exit(fflush(stdout) == 0 ? KP_EXIT_OK : KP_EXIT_DATA);
	case OPT_QUIET:
		c->quiet = 1;
		c->bad.quiet = 1;
		return 1;
	case OPT_VERBOSE:
		c->verbose = 1;
		return 1;
	case OPT_ARG:
	case OPT_ARGJSON:
		if (id == OPT_ARGJSON && rec_json_check(o->arg2,
		    strlen(o->arg2), &why) != 0)
			opt_usage(o, "--argjson %s: invalid JSON text '%s'",
			    o->arg, o->arg2);
		c->args = xrealloc(c->args, (c->n_args + 1) * sizeof *c->args);
		c->args[c->n_args].name = o->arg;
		c->args[c->n_args].value = o->arg2;
		c->args[c->n_args].json = id == OPT_ARGJSON;
		c->n_args++;
		return 1;
	case OPT_BROKERS:
		c->kafka.brokers = o->arg;
		return 1;
	case OPT_PROP:
		if (strchr(o->arg, '=') == NULL || *o->arg == '=')
			opt_usage(o, "-X '%s': not NAME=VALUE", o->arg);
		c->kafka.props = xrealloc(c->kafka.props,
		    (c->kafka.n_props + 1) * sizeof *c->kafka.props);
		c->kafka.props[c->kafka.n_props++] = o->arg;
		return 1;
	case OPT_STATE:
		if (*o->arg == '\0')
			opt_usage(o, "-s: empty argument");
		c->state = o->arg;
		return 1;
	case OPT_NAME:
		if (*o->arg == '\0' || strchr(o->arg, '/') != NULL ||
		    strcmp(o->arg, ".") == 0 || strcmp(o->arg, "..") == 0)
			opt_usage(o, "--name '%s': not a file name", o->arg);
		c->name = o->arg;
		return 1;
	case OPT_ON_ERROR:
		if (*o->arg == '\0')
			opt_usage(o, "--on-error: empty argument");
		bad_set(&c->bad, o->arg);
		return 1;
	}
	return 0;
}

const char *
opt_state_dir(const struct opt_common *c)
{
	const char *env;

	if (c->state != NULL)
		return c->state;
	if ((env = getenv("KPIPE_STATE")) != NULL && *env != '\0')
		return env;
	return NULL;
}

void
opt_common_free(struct opt_common *c)
{
	free(c->args);
	c->args = NULL;
	c->n_args = 0;
	free(c->kafka.props);
	c->kafka.props = NULL;
	c->kafka.n_props = 0;
}

int
opt_wait_ms(struct opt *o)
{
	long long v = opt_count(o);

	if (v < 1 || v > 86400)
		opt_usage(o, "%s '%s': not 1 to 86400 seconds", o->optname,
		    o->arg);
	return (int)v * 1000;
}

long long
opt_count(struct opt *o)
{
	char *end;
	long long v;

	v = strtoll(o->arg, &end, 10);
	if (*o->arg < '0' || *o->arg > '9' || *end != '\0')
		opt_usage(o, "%s '%s': not a count", o->optname, o->arg);
	return v;
}

int64_t
opt_dur(struct opt *o)
{
	const char *why;
	int64_t ms;

	if (dur_parse(o->arg, &ms, &why) != 0)
		opt_usage(o, "%s '%s': %s", o->optname, o->arg, why);
	return ms;
}

size_t
opt_size(struct opt *o)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	errno = 0;
	v = strtoull(o->arg, &end, 10);
	if (*end == 'k' || *end == 'K')
		shift = 10;
	else if (*end == 'm' || *end == 'M')
		shift = 20;
	else if (*end == 'g' || *end == 'G')
		shift = 30;
	if (shift != 0)
		end++;
	if (*o->arg < '0' || *o->arg > '9' || *end != '\0' || errno != 0 ||
	    v > (SIZE_MAX >> 1) >> shift)
		opt_usage(o, "%s '%s': not a size", o->optname, o->arg);
	return (size_t)v << shift;
}

size_t
opt_cache_size(struct opt *o)
{
	size_t n = opt_size(o);

	if (n < ((size_t)64 << 10))
		opt_usage(o, "%s must be 64k or more", o->optname);
	return n;
}
