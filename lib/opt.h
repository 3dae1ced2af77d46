/*
 * opt: command-line flags, and the shared ones of DESIGN section 3.
 *
 * A shared flag means the same in every command.  opt_next walks argv in
 * the order given, GNU style: options and operands may mix, "--" ends the
 * options, "-abc" clusters short flags, "-cN" and "--name=V" carry their
 * argument.  An option with two arguments (--arg NAME V) takes the next two
 * words.  A usage error prints the message and the usage lines (the man
 * page's SYNOPSIS) on stderr and exits 2; -h prints the usage lines on
 * stdout and exits 0.
 */
#ifndef KP_OPT_H
#define KP_OPT_H

#include <stddef.h>
#include <stdint.h>

#include "bad.h"
#include "jqx.h"

struct opt_def {
	const char *lng;	/* long name, or NULL */
	int shrt;		/* short letter, or 0 */
	int nargs;		/* 0, 1 or 2 */
	int id;			/* returned by opt_next */
};

/* Ids of the shared flags; a command's own ids stay below 1000. */
enum {
	OPT_HELP = 1000, OPT_VERSION, OPT_QUIET, OPT_VERBOSE, OPT_ARG,
	OPT_ARGJSON, OPT_ON_ERROR, OPT_BROKERS, OPT_PROP, OPT_STATE,
	OPT_NAME
};

#define OPT_DEFS_BASE \
	{ "help", 'h', 0, OPT_HELP }, { "version", 0, 0, OPT_VERSION }, \
	{ "quiet", 'q', 0, OPT_QUIET }
#define OPT_DEFS_JQ \
	{ "arg", 0, 2, OPT_ARG }, { "argjson", 0, 2, OPT_ARGJSON }
#define OPT_DEFS_ON_ERROR { "on-error", 0, 1, OPT_ON_ERROR }
#define OPT_DEFS_VERBOSE { "verbose", 'v', 0, OPT_VERBOSE }
#define OPT_DEFS_KAFKA \
	{ "brokers", 'b', 1, OPT_BROKERS }, { NULL, 'X', 1, OPT_PROP }
#define OPT_DEFS_STATE \
	{ "state", 's', 1, OPT_STATE }, { "name", 0, 1, OPT_NAME }
#define OPT_DEFS_END { NULL, 0, 0, 0 }

struct opt {
	int argc;
	char **argv;
	int i;			/* next word */
	const char *cluster;	/* the rest of "-abc", or NULL */
	int dashdash;		/* "--" seen: the rest are operands */
	const char *usage;	/* "usage: ..." lines */
	const char *arg, *arg2;	/* the current option's arguments */
	const char *optname;	/* the current option, as written */
	char **operands;	/* in order; owned, freed by opt_free */
	int n_operands;
};

/* -b and -X, for lib/kaf.c: -X arguments hold a '='. */
struct opt_kafka {
	const char *brokers;	/* -b, or NULL */
	const char **props;	/* -X NAME=VALUE, in order; owned */
	size_t n_props;
};

/* The shared flags' values. */
struct opt_common {
	int quiet, verbose;
	struct jqx_arg *args;	/* --arg, --argjson; owned */
	size_t n_args;
	struct bad bad;		/* --on-error */
	struct opt_kafka kafka;	/* -b, -X */
	const char *state;	/* -s, else $KPIPE_STATE, else NULL */
	const char *name;	/* --name, or NULL */
};

void opt_init(struct opt *o, int argc, char **argv, const char *usage);
void opt_free(struct opt *o);

/* The next option's id, or 0 when none is left (operands are collected). */
int opt_next(struct opt *o, const struct opt_def *defs);

/* Handle a shared flag; returns 0 if id is not one. */
int opt_common(struct opt_common *c, struct opt *o, int id);
void opt_common_free(struct opt_common *c);

/* The state directory: -s, else $KPIPE_STATE if set, else NULL. */
const char *opt_state_dir(const struct opt_common *c);

/* Print "prog: message", the usage lines, and exit 2. */
void opt_usage(struct opt *o, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

/* Parse a size: digits, then k, m or g (KiB, MiB, GiB); else usage. */
size_t opt_size(struct opt *o);
/* --cache-size: a size of at least 64k; else a usage error. */
size_t opt_cache_size(struct opt *o);

/* Parse a duration (lib/dur.h), in milliseconds; else a usage error. */
int64_t opt_dur(struct opt *o);

/* Parse a count argument (digits); a bad one is a usage error. */
long long opt_count(struct opt *o);

/* Parse -m: 1 to 86400 seconds, as milliseconds; else a usage error. */
int opt_wait_ms(struct opt *o);

#endif
