/* kout: the sink; write records to Kafka, standard output or a file. */
#include <stdint.h>
#include <string.h>

#include "fmt.h"
#include "kprod.h"
#include "msg.h"
#include "opt.h"
#include "out.h"
#include "sink.h"
#include "stream.h"

static const char usage[] =
    "usage: kout [-hqv] [--format fmt] [-o file] [-s dir] [--name name]\n"
    "            [--on-error fail|skip|file] [file]\n"
    "       kout [-hqv] -t topic | --topic-from expr [-b brokers]"
    " [-m seconds]\n"
    "            [-p partition] [-s dir] [--eos] [--name name]"
    " [-X name=value]\n"
    "            [--arg name value] [--argjson name json]\n"
    "            [--on-error fail|skip|file] [file]\n";

static const struct opt_def defs[] = {
	OPT_DEFS_BASE, OPT_DEFS_JQ, OPT_DEFS_KAFKA, OPT_DEFS_ON_ERROR,
	OPT_DEFS_VERBOSE, OPT_DEFS_STATE,
	{ "eos", 0, 0, 'e' },
	{ "format", 0, 1, 'f' },
	{ NULL, 'm', 1, 'm' },
	{ "output", 'o', 1, 'o' },
	{ "partition", 'p', 1, 'p' },
	{ "topic", 't', 1, 't' },
	{ "topic-from", 0, 1, 'T' },
	OPT_DEFS_END
};

static struct kprod *sending;

static void
deliver(void)
{
	kprod_flush(sending);
}

int
main(int argc, char **argv)
{
	struct opt o;
	struct opt_common c = { 0 };
	struct kprod_opts ko = { .partition = -1, .wait_ms = 10000 };
	struct kprod *kp = NULL;
	struct sink_conf kc = { 0 };
	struct sink *sk = NULL;
	struct stream s;
	struct out out = { 0 };
	struct fmt f;
	struct buf line = BUF_INIT, txn = BUF_INIT;
	struct rec *r;
	const char *why, *format = NULL, *path = NULL, *sink;
	const char *kflag = NULL, *jflag = NULL, *hdr, *hval;
	size_t n_out = 0;
	long long v;
	int id;

	opt_init(&o, argc, argv, usage);
	while ((id = opt_next(&o, defs)) != 0) {
		if (opt_common(&c, &o, id)) {
			if (id == OPT_BROKERS || id == OPT_PROP)
				kflag = id == OPT_BROKERS ? "-b" : "-X";
			else if (id == OPT_ARG || id == OPT_ARGJSON)
				jflag = id == OPT_ARG ? "--arg" : "--argjson";
			continue;
		}
		switch (id) {
		case 'e':
			kc.eos = 1;
			break;
		case 'f':
			format = o.arg;
			break;
		case 'm':
			ko.wait_ms = opt_wait_ms(&o);
			kflag = "-m";
			break;
		case 'o':
			path = o.arg;
			break;
		case 'p':
			v = opt_count(&o);
			if (v > INT32_MAX)
				opt_usage(&o, "-p '%s': not a partition",
				    o.arg);
			ko.partition = (int32_t)v;
			kflag = "-p";
			break;
		case 't':
			ko.topic = o.arg;
			break;
		case 'T':
			ko.topic_from = o.arg;
			break;
		}
	}
	sink = ko.topic != NULL ? "-t" : ko.topic_from != NULL ?
	    "--topic-from" : NULL;
	if (ko.topic != NULL && ko.topic_from != NULL)
		opt_usage(&o, "-t and --topic-from exclude each other");
	if (sink != NULL && path != NULL)
		opt_usage(&o, "%s and -o exclude each other", sink);
	if (sink != NULL && format != NULL)
		opt_usage(&o, "%s and --format exclude each other", sink);
	if (sink == NULL && kflag != NULL)
		opt_usage(&o, "%s needs -t or --topic-from", kflag);
	if (ko.topic != NULL && kprod_topic_check(ko.topic,
	    strlen(ko.topic), &why) != 0)
		opt_usage(&o, "-t '%s': %s", ko.topic, why);
	if (ko.topic_from == NULL && jflag != NULL)
		opt_usage(&o, "%s needs --topic-from", jflag);
	if (o.n_operands > 1)
		opt_usage(&o, "too many arguments");
	kc.dir = opt_state_dir(&c);
	if (c.name != NULL && kc.dir == NULL)
		opt_usage(&o, "--name needs -s");
	if (kc.eos && ko.topic == NULL)
		opt_usage(&o, "--eos needs -t (one topic, read back on "
		    "resume)");
	if (kc.eos && kc.dir == NULL)
		opt_usage(&o, "--eos needs -s (where its checkpoints go)");
	if (sink == NULL) {
		if (format == NULL)
			format = "json";
		if (fmt_parse(&f, format, &why) != 0)
			opt_usage(&o, "--format '%s': %s", format, why);
	}
	ko.kafka = &c.kafka;
	ko.args = c.args;
	ko.n_args = c.n_args;
	ko.source = o.n_operands > 0 ? o.operands[0] : "-";
	ko.verbose = c.verbose;
	/* A sink: control records are acted on, never written as data. */
	stream_open(&s, ko.source, &c.bad, &out, STREAM_CTL);
	if (kc.dir != NULL) {
		kc.name = c.name;
		kc.path = path;
		kc.topic = ko.topic;
		kc.topic_from = ko.topic_from;
		kc.kafka = &c.kafka;
		kc.wait_ms = ko.wait_ms;
		sk = sink_open(&kc, &out);
		/* One transactional id per sink: a restart fences the last. */
		if (kc.eos) {
			buf_addf(&txn, "kpipe-%s", sink_id(sk));
			ko.txn_id = txn.p;
		}
	} else
		out_open(&out, path);
	if (sink != NULL && (kp = kprod_open(&ko, &why)) == NULL)
		die(KP_EXIT_USAGE, "--topic-from: %s", why);
	if (sk != NULL)
		sink_start(sk, kp);
	if (kp != NULL) {
		/*
		 * However kout stops (bad input, upstream gone without end),
		 * the records before are delivered first, as a file sink has
		 * written them.
		 */
		sending = kp;
		msg_before_die(deliver);
	}
	while ((r = stream_next(&s)) != NULL) {
		if (s.kind != CTL_DATA) {
			if (sk == NULL)
				continue;
			if (s.kind == CTL_RESUME)
				sink_resume(sk, r);
			else if (s.kind == CTL_BARRIER)
				sink_barrier(sk, r);
			else if (s.kind == CTL_END)
				sink_end(sk);
			continue;
		}
		hdr = hval = NULL;
		if (sk != NULL && sink_next(sk, &hdr, &hval))
			continue;
		if (kp != NULL) {
			if (kprod_send_hdr(kp, r, s.rd.lineno, hdr, hval,
			    &why) != 0)
				bad_line(&c.bad, s.rd.name, s.rd.lineno,
				    r->line.p, r->line.n, why);
			continue;
		}
		buf_reset(&line);
		fmt_record(&f, r, &line);
		out_write(&out, line.p, line.n);
		n_out++;
	}
	/* A stream without end (or resume) ends at end of input. */
	if (sk != NULL && !s.ctl.ended)
		sink_end(sk);
	if (kp != NULL) {
		msg_before_die(NULL);
		n_out = kprod_close(kp);
	}
	if (c.verbose)
		msg_stats(s.n_in, n_out, c.bad.n);
	if (sk != NULL && sink_skipped(sk) > 0 && !c.quiet)
		msg_note("skipped %llu record%s already written before a "
		    "restart", (unsigned long long)sink_skipped(sk),
		    sink_skipped(sk) == 1 ? "" : "s");
	sink_close(sk);
	stream_close(&s);
	out_close(&out);
	bad_close(&c.bad);
	buf_free(&line);
	buf_free(&txn);
	if (sink == NULL)
		fmt_free(&f);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
