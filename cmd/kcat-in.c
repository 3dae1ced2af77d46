/* kcat-in: the source; topics or files into records. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ckpt.h"
#include "dur.h"
#include "kcons.h"
#include "msg.h"
#include "opt.h"
#include "out.h"
#include "src.h"

static const char usage[] =
    "usage: kcat-in [-ehqv] [-b brokers] [-c count] [-g group] [-m seconds]\n"
    "               [-o offset] [-p partition] [-s dir] [-X name=value]\n"
    "               [--commit-interval duration] [--idle duration]\n"
    "               [--key-format fmt] [--value-format fmt] [--key expr]\n"
    "               [--ts expr] [--ts-unit ms|s|us|ns] [--arg name value]\n"
    "               [--argjson name json] [--on-error fail|skip|file]\n"
    "               -t topic ...\n"
    "       kcat-in [-hqv] [-c count] [-s dir] [--commit-interval duration]\n"
    "               [--input auto|lines|json|records]\n"
    "               [--key expr] [--ts expr] [--ts-unit ms|s|us|ns]\n"
    "               [--arg name value] [--argjson name json]\n"
    "               [--on-error fail|skip|file] -f file ...\n";

static const struct opt_def defs[] = {
	OPT_DEFS_BASE, OPT_DEFS_JQ, OPT_DEFS_ON_ERROR, OPT_DEFS_VERBOSE,
	OPT_DEFS_KAFKA,
	{ "commit-interval", 0, 1, 'C' },
	{ "count", 'c', 1, 'c' },
	{ "end", 'e', 0, 'e' },
	{ "file", 'f', 1, 'f' },
	{ "group", 'g', 1, 'g' },
	{ "idle", 0, 1, 'I' },
	{ "input", 0, 1, 'i' },
	{ "key", 0, 1, 'k' },
	{ "key-format", 0, 1, 'K' },
	{ NULL, 'm', 1, 'm' },
	{ "offset", 'o', 1, 'o' },
	{ "partition", 'p', 1, 'p' },
	{ "state", 's', 1, OPT_STATE },
	{ "topic", 't', 1, 't' },
	{ "ts", 0, 1, 'T' },
	{ "ts-unit", 0, 1, 'u' },
	{ "value-format", 0, 1, 'V' },
	OPT_DEFS_END
};

static void
on_signal(int sig)
{
	(void)sig;
	kcons_stop();
}

/* -s: the checkpoint protocol's side of the source. */
struct ckpt_src {
	const char *dir;
	struct ckpt_offs offs;	/* the resumed ones, then the latest */
	int64_t epoch;		/* the last barrier's (or resume's) */
	int64_t interval_ms;	/* --commit-interval */
	int64_t next_ms;	/* when the next barrier is due */
	int moved;		/* records or ticks since the last barrier */
	const char *group;	/* -g: named in each barrier, for the sink */
	struct buf line;
};

/* A clock cheap enough to read per record (a few ms coarse). */
static int64_t
coarse_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME_COARSE, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* {"@":"barrier",...} after what has gone out, if anything has. */
static void
barrier(struct ckpt_src *cs, struct out *out, struct kcons *kc, struct src *s)
{
	cs->next_ms = src_now_ms() + cs->interval_ms;
	if (kc != NULL)
		kcons_wake(kc, cs->next_ms);
	if (!cs->moved)
		return;
	cs->moved = 0;
	if (kc != NULL)
		kcons_offsets(kc, &cs->offs);
	else
		src_offsets(s, &cs->offs);
	buf_reset(&cs->line);
	buf_adds(&cs->line, "{\"@\":\"barrier\",\"epoch\":");
	buf_addi(&cs->line, ++cs->epoch);
	buf_adds(&cs->line, ",\"offsets\":");
	ckpt_offs_fmt(&cs->offs, &cs->line);
	if (cs->group != NULL) {
		buf_adds(&cs->line, ",\"group\":");
		buf_addjstr(&cs->line, cs->group, strlen(cs->group));
	}
	buf_add(&cs->line, "}\n", 2);
	out_write(out, cs->line.p, cs->line.n);
	/* Downstream commits as soon as it can. */
	if (fflush(out->f) == EOF)
		die_sys(KP_EXIT_DATA, "write error on %s", out->name);
}

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
	struct kcons_opts ko = { .partition = -1, .from = KCONS_BEGINNING,
	    .idle_ms = -1, .timeout_ms = 10000 };
	struct src s;
	struct kcons *kc = NULL;
	struct out out;
	struct buf line = BUF_INIT;
	struct sigaction sa;
	struct ckpt_src cs = { .offs = CKPT_OFFS_INIT, .interval_ms = 1000,
	    .line = BUF_INIT };
	char **files, **topics;
	const char *key = NULL, *ts = NULL, *why, *kafka_flag = NULL;
	long long count = -1, n = 0, p;
	size_t n_files = 0, n_topics = 0;
	int id, st, from_set = 0, input_set = 0, interval_set = 0;

	opt_init(&o, argc, argv, usage);
	files = xmalloc(sizeof *files * argc);
	topics = xmalloc(sizeof *topics * argc);
	while ((id = opt_next(&o, defs)) != 0) {
		if (id == OPT_BROKERS || id == OPT_PROP)
			kafka_flag = id == OPT_BROKERS ? "-b" : "-X";
		if (opt_common(&c, &o, id))
			continue;
		switch (id) {
		case 'c':
			count = opt_count(&o);
			break;
		case 'C':
			if (dur_parse(o.arg, &cs.interval_ms, &why) != 0)
				opt_usage(&o, "--commit-interval '%s': %s",
				    o.arg, why);
			if (cs.interval_ms == 0)
				opt_usage(&o, "--commit-interval '%s': must "
				    "be more than 0", o.arg);
			interval_set = 1;
			break;
		case 'e':
			ko.exit_at_end = 1;
			kafka_flag = "-e";
			break;
		case 'f':
			files[n_files++] = (char *)o.arg;
			break;
		case 'g':
			ko.group = o.arg;
			kafka_flag = "-g";
			break;
		case 'I':
			if (dur_parse(o.arg, &ko.idle_ms, &why) != 0)
				opt_usage(&o, "--idle '%s': %s", o.arg, why);
			kafka_flag = "--idle";
			break;
		case 'i':
			if (src_input_parse(o.arg, &so.input) != 0)
				opt_usage(&o, "--input '%s': not auto, lines, "
				    "json or records", o.arg);
			input_set = 1;
			break;
		case 'k':
			key = o.arg;
			break;
		case 'K':
		case 'V':
			if (pay_kind_parse(o.arg, id == 'K' ? &ko.key_fmt :
			    &ko.value_fmt) != 0)
				opt_usage(&o, "%s '%s': not auto, json, string "
				    "or base64", o.optname, o.arg);
			kafka_flag = id == 'K' ? "--key-format" :
			    "--value-format";
			break;
		case 'm':
			ko.timeout_ms = opt_wait_ms(&o);
			kafka_flag = "-m";
			break;
		case 'o':
			if (kcons_from_parse(o.arg, &ko.from, &ko.from_value,
			    &why) != 0)
				opt_usage(&o, "-o '%s': %s", o.arg, why);
			from_set = 1;
			kafka_flag = "-o";
			break;
		case 'p':
			p = opt_count(&o);
			if (p > INT32_MAX)
				opt_usage(&o, "-p '%s': too large", o.arg);
			ko.partition = (int32_t)p;
			kafka_flag = "-p";
			break;
		case 't':
			topics[n_topics++] = (char *)o.arg;
			break;
		case 'T':
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
		opt_usage(&o, "unexpected argument '%s' (topics go with -t, "
		    "files with -f)", o.operands[0]);
	if (n_files == 0 && n_topics == 0)
		opt_usage(&o, "no input: give -t topic or -f file (- for "
		    "standard input)");
	if (n_files > 0 && n_topics > 0)
		opt_usage(&o, "-t and -f exclude each other");
	if (n_files > 0 && kafka_flag != NULL)
		opt_usage(&o, "%s goes with -t, not -f", kafka_flag);
	if (n_topics > 0 && input_set)
		opt_usage(&o, "--input goes with -f, not -t");
	if (ko.group != NULL && ko.partition >= 0)
		opt_usage(&o, "-p and -g exclude each other (a group assigns "
		    "partitions)");
	if (ko.group != NULL && !from_set)
		ko.from = KCONS_STORED;
	if (ko.group == NULL && ko.from == KCONS_STORED)
		opt_usage(&o, "-o stored needs -g group");
	if ((cs.dir = opt_state_dir(&c)) != NULL &&
	    ckpt_resume(cs.dir, &cs.epoch, &cs.offs))
		so.resume = &cs.offs;
	ko.no_commit = cs.dir != NULL;
	cs.group = ko.group;
	if (interval_set && cs.dir == NULL)
		opt_usage(&o, "--commit-interval needs -s (or $KPIPE_STATE)");
	so.key = compile("--key", key, &c);
	so.ts = compile("--ts", ts, &c);
	so.bad = &c.bad;
	out_open(&out, NULL);
	if (n_topics > 0) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		/* A write to a full pipe goes on; the loop sees the flag. */
		sa.sa_flags = SA_RESTART;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		ko.kafka = &c.kafka;
		ko.topics = topics;
		ko.n_topics = n_topics;
		ko.src = &so;
		kc = kcons_open(&ko);
	} else
		src_open(&s, &so, files, n_files);
	if (cs.dir != NULL) {
		buf_adds(&cs.line, "{\"@\":\"resume\",\"epoch\":");
		buf_addi(&cs.line, cs.epoch);
		buf_add(&cs.line, "}\n", 2);
		out_write(&out, cs.line.p, cs.line.n);
		barrier(&cs, &out, kc, &s);
	}
	while (count < 0 || n < count) {
		buf_reset(&line);
		st = kc ? kcons_next(kc, &line) : src_next(&s, &line);
		if (st == 0 || (st == 3 && cs.dir != NULL))
			break;
		if (st == 4) {
			barrier(&cs, &out, kc, &s);
			continue;
		}
		out_write(&out, line.p, line.n);
		cs.moved = 1;
		if (st == 1)
			n++;
		else if (st == 3)
			break;
		/* A coarse clock: cheap enough to read per record. */
		if (cs.dir != NULL && coarse_ms() >= cs.next_ms)
			barrier(&cs, &out, kc, &s);
	}
	if (cs.dir != NULL) {
		cs.moved = 1;
		barrier(&cs, &out, kc, &s);
		out_write(&out, "{\"@\":\"end\"}\n", 12);
	}
	if (c.verbose)
		msg_stats((size_t)n + c.bad.n, (size_t)n, c.bad.n);
	out_close(&out);
	if (kc != NULL) {
		/* Only now is every record given out downstream's. */
		kcons_commit(kc);
		kcons_close(kc);
	} else
		src_close(&s);
	bad_close(&c.bad);
	jqx_free(so.key);
	jqx_free(so.ts);
	buf_free(&line);
	buf_free(&cs.line);
	ckpt_offs_free(&cs.offs);
	free(files);
	free(topics);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
