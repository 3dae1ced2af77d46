/* kprod: records produced to Kafka. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "kaf.h"
#include "kprod.h"
#include "msg.h"

/* Failed deliveries named one by one; the rest are only counted. */
#define MAX_NAMED 10
/* Poll for delivery reports once per so many messages. */
#define POLL_EVERY 64
/*
 * How long to wait for room when librdkafka's queue is full (ms): a poll
 * returns as soon as a report comes, but with -X
 * delivery.report.only.error=true a delivered message frees its room
 * without one, so the wait is short and retried.
 */
#define FULL_WAIT_MS 1

struct topic {
	char *name;
	rd_kafka_topic_t *rkt;
};

struct kprod {
	const struct kprod_opts *o;
	rd_kafka_t *rk;
	struct jqx *jx;			/* --topic-from, or NULL */
	struct topic *topics;		/* handles made so far */
	rd_kafka_topic_t *fixed;	/* -t's, or NULL */
	size_t n_topics, last;		/* last: the one used last */
	struct buf key, value, hdr, name, why, tmp, tmp2;
	size_t n_sent, n_failed;
	int in_txn;			/* a transaction is open */
};

int
kprod_topic_check(const char *name, size_t n, const char **why)
{
	size_t i;

	/* Kafka's org.apache.kafka.common.internals.Topic.validate. */
	if (n == 0) {
		*why = "an empty topic name";
		return -1;
	}
	if (n > 249) {
		*why = "a topic name longer than 249 bytes";
		return -1;
	}
	if ((n == 1 && name[0] == '.') ||
	    (n == 2 && name[0] == '.' && name[1] == '.')) {
		*why = "'.' and '..' are not topic names";
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9') ||
		    name[i] == '.' || name[i] == '_' || name[i] == '-')) {
			*why = "a topic name holds only letters, digits, "
			    "'.', '_' and '-'";
			return -1;
		}
	return 0;
}

/*
 * A delivery report.  Every message gets one, not only failures: with
 * delivery.report.only.error=true librdkafka 2.0 produces at half the
 * speed.
 */
static void
on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct kprod *kp = opaque;

	(void)rk;
	if (m->err == 0)
		return;
	if (++kp->n_failed > MAX_NAMED)
		return;
	msg_at(kp->o->source, (size_t)(uintptr_t)m->_private);
	if (m->partition >= 0)
		warning("not delivered to '%s' [%d]: %s",
		    rd_kafka_topic_name(m->rkt), (int)m->partition,
		    rd_kafka_err2str(m->err));
	else
		warning("not delivered to '%s': %s",
		    rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
	msg_at(NULL, 0);
}

static void
on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct kprod *kp = opaque;
	char fatal[512];

	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		rd_kafka_fatal_error(rk, fatal, sizeof fatal);
		msg_at(NULL, 0);
		die(KP_EXIT_KAFKA, "fatal: %s", fatal);
	}
	/* The rest librdkafka retries; a message it gives up on is named. */
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || kp->o->verbose)
		msg_note("librdkafka: %s", reason);
}

/*
 * librdkafka's own log lines, from any of its threads.  Connection
 * failures it retries are noise in a pipeline's stderr: kprod reports
 * what they cost.  A configuration warning (a -X property that does not
 * apply) always shows.
 */
static void
on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	struct kprod *kp = rd_kafka_opaque(rk);

	(void)level;
	if ((kp != NULL && kp->o->verbose) || strcmp(fac, "CONFWARN") == 0)
		msg_note("librdkafka: %s", buf);
}

/* Wait for every delivery report; a failed message is counted by then. */
static void
drain(struct kprod *kp)
{
	while (rd_kafka_outq_len(kp->rk) > 0)
		rd_kafka_flush(kp->rk, 1000);
}

/* After a failure: send nothing more, collect the reports, exit 4. */
static void __attribute__((noreturn))
fail(struct kprod *kp)
{
	drain(kp);
	msg_at(NULL, 0);
	/* Every report is in: nothing is left for a last flush to do. */
	msg_before_die(NULL);
	die(KP_EXIT_KAFKA, "%zu record%s not delivered", kp->n_failed,
	    kp->n_failed == 1 ? "" : "s");
}

/* The handle of topic name (NUL-terminated), made once. */
static rd_kafka_topic_t *
topic_get(struct kprod *kp, const char *name)
{
	struct topic *t;
	size_t i;

	if (kp->n_topics > 0 && strcmp(kp->topics[kp->last].name, name) == 0)
		return kp->topics[kp->last].rkt;
	for (i = 0; i < kp->n_topics; i++)
		if (strcmp(kp->topics[i].name, name) == 0) {
			kp->last = i;
			return kp->topics[i].rkt;
		}
	kp->topics = xrealloc(kp->topics, (kp->n_topics + 1) *
	    sizeof *kp->topics);
	t = &kp->topics[kp->n_topics];
	if ((t->rkt = rd_kafka_topic_new(kp->rk, name, NULL)) == NULL)
		die(KP_EXIT_KAFKA, "topic '%s': %s", name,
		    rd_kafka_err2str(rd_kafka_last_error()));
	t->name = xstrdup(name);
	kp->last = kp->n_topics++;
	return t->rkt;
}

/* A transaction call's error, if any, exits 4. */
static void txn_check(rd_kafka_error_t *e, const char *what);

/* Begin a transaction, unless one is open (with o->txn_id only). */
static void
txn_begin(struct kprod *kp)
{
	if (kp->o->txn_id == NULL || kp->in_txn)
		return;
	txn_check(rd_kafka_begin_transaction(kp->rk), "begin transaction");
	kp->in_txn = 1;
}

/* A transaction call's error, if any, exits 4. */
static void
txn_check(rd_kafka_error_t *e, const char *what)
{
	char m[512];

	if (e == NULL)
		return;
	snprintf(m, sizeof m, "%s", rd_kafka_error_string(e));
	rd_kafka_error_destroy(e);
	msg_at(NULL, 0);
	die(KP_EXIT_KAFKA, "%s: %s", what, m);
}

struct kprod *
kprod_open(const struct kprod_opts *o, const char **why)
{
	static const char *const defs[] = {
		/*
		 * Java's murmur2 over the key bytes, as Kafka's
		 * BuiltInPartitioner: keys land where Kafka Streams and the
		 * Java client put them (a NULL key: a random partition).
		 */
		"partitioner", "murmur2_random",
		/* Delivered means every in-sync replica has it. */
		"acks", "all",
		NULL
	};
	struct kprod *kp = xmalloc(sizeof *kp);
	const struct rd_kafka_metadata *md;
	rd_kafka_conf_t *conf;
	rd_kafka_resp_err_t err;

	/*
	 * librdkafka allocates each message on sending and frees it on its
	 * delivery report, so the heap swings by what is in flight: glibc's
	 * default trims the top of the heap (128 KiB) as it empties and
	 * maps large request buffers apart, and each swing back faults its
	 * pages in again (a third of kout's system time in a profile).  Keep
	 * what was once needed; the producer's queue bounds it.
	 */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	memset(kp, 0, sizeof *kp);
	kp->o = o;
	kp->key = kp->value = kp->hdr = kp->name = kp->why = kp->tmp =
	    kp->tmp2 = (struct buf)BUF_INIT;
	if (o->topic_from != NULL) {
		kp->jx = jqx_new(o->topic_from, o->args, o->n_args,
		    JQX_RECORD_IS_INPUT, why);
		if (kp->jx == NULL) {
			free(kp);
			return NULL;
		}
	}
	conf = kaf_conf(o->kafka, defs);
	if (o->txn_id != NULL)
		kaf_set(conf, "transactional.id", o->txn_id);
	rd_kafka_conf_set_opaque(conf, kp);
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
	rd_kafka_conf_set_error_cb(conf, on_error);
	rd_kafka_conf_set_log_cb(conf, on_log);
	kp->rk = kaf_new(RD_KAFKA_PRODUCER, conf);
	conf = NULL;	/* kp->rk owns it */
	/*
	 * A producer connects lazily and would hold records until
	 * message.timeout.ms (5 minutes) before giving up on a broker that
	 * is not there: ask for the cluster's metadata now, so that a wrong
	 * -b is told within -m.  With -t, the topic's metadata: librdkafka
	 * then knows its partitions before the first record.
	 */
	if (o->topic != NULL)
		kp->fixed = topic_get(kp, o->topic);
	err = rd_kafka_metadata(kp->rk, 0, kp->fixed, &md, o->wait_ms);
	if (err != 0)
		die(KP_EXIT_KAFKA, "brokers '%s': no answer within %ds: %s",
		    kaf_brokers(o->kafka), o->wait_ms / 1000,
		    rd_kafka_err2str(err));
	rd_kafka_metadata_destroy(md);
	/*
	 * A transactional producer fences any earlier one with its id: a
	 * transaction that one left open is aborted before this one writes.
	 */
	if (o->txn_id != NULL)
		txn_check(rd_kafka_init_transactions(kp->rk, o->wait_ms),
		    "init transactions");
	return kp;
}

static int
is_null(struct span s)
{
	return s.p == NULL || (s.n == 4 && memcmp(s.p, "null", 4) == 0);
}

/* The bytes of a key or value; -1 with a reason in why if not base64. */
static int
payload(struct span json, struct span b64, const char *b64name,
    struct buf *b, struct buf *tmp, const void **p, size_t *n,
    struct buf *why)
{
	if (rec_payload(json, b64, b, tmp, p, n) < 0) {
		buf_reset(why);
		buf_addf(why, "%s: not base64", b64name);
		return -1;
	}
	return 0;
}

/*
 * Headers [["name","value"],...] as *hs (NULL for none): a name is a
 * string; a value a string (its text), null (a NULL value), or other
 * JSON (its text as it came), as for a key or value.
 */
static int
headers(struct kprod *kp, struct span h, rd_kafka_headers_t **hs,
    const char **why)
{
	struct rec_hdrs it;
	struct span name, val;
	const void *v;
	size_t nn, vn;
	int st;

	*hs = NULL;
	if (is_null(h))
		return 0;
	rec_hdrs_init(&it, h);
	while ((st = rec_hdrs_next(&it, &name, &val)) == 1) {
		if (*hs == NULL)
			*hs = rd_kafka_headers_new(4);
		buf_reset(&kp->hdr);
		rec_str_decode(&kp->hdr, name);
		nn = kp->hdr.n;
		/* A value reads as a key or value does; null is NULL. */
		if (rec_payload(val, (struct span){ NULL, 0 }, &kp->tmp,
		    &kp->tmp2, &v, &vn) == 0)
			buf_add(&kp->hdr, v, vn);
		else
			v = NULL;
		rd_kafka_header_add(*hs, kp->hdr.p, nn,
		    v == NULL ? NULL : kp->hdr.p + nn, kp->hdr.n - nn);
	}
	if (st == 0)
		return 0;
	if (*hs != NULL)
		rd_kafka_headers_destroy(*hs);
	*hs = NULL;
	*why = "headers: not [[\"name\",\"value\"],...]";
	return -1;
}

/* The topic for r: -t's, or the first output of --topic-from. */
static const char *
topic_of(struct kprod *kp, const struct rec *r, const char **why)
{
	const char *w;
	struct span s;
	int st;

	if (kp->jx == NULL)
		return kp->o->topic;
	jqx_start(kp->jx, r->line.p, r->line.n, r->line);
	if ((st = jqx_next(kp->jx, why)) < 0)
		return NULL;
	buf_reset(&kp->why);
	if (st == 0) {
		*why = "--topic-from gave no output";
		return NULL;
	}
	if (jqx_kind(kp->jx) != JQX_STRING) {
		buf_adds(&kp->why, "--topic-from gave ");
		jqx_fmt(kp->jx, &kp->why);
		buf_adds(&kp->why, ", not a topic name");
		*why = kp->why.p;
		return NULL;
	}
	s = jqx_string(kp->jx);
	if (kprod_topic_check(s.p, s.n, &w) != 0) {
		buf_adds(&kp->why, "--topic-from gave ");
		buf_addjstr(&kp->why, s.p, s.n);
		buf_addf(&kp->why, ": %s", w);
		*why = kp->why.p;
		return NULL;
	}
	buf_reset(&kp->name);
	buf_add(&kp->name, s.p, s.n);
	return kp->name.p;
}

int
kprod_send(struct kprod *kp, const struct rec *r, size_t lineno,
    const char **why)
{
	return kprod_send_hdr(kp, r, lineno, NULL, NULL, why);
}

int
kprod_send_hdr(struct kprod *kp, const struct rec *r, size_t lineno,
    const char *xname, const char *xvalue, const char **why)
{
	rd_kafka_headers_t *hs;
	rd_kafka_resp_err_t err;
	rd_kafka_topic_t *rkt;
	const void *k, *v;
	const char *topic;
	size_t kn, vn;
	int64_t ts_ms = 0;	/* 0: librdkafka stamps the time of sending */

	if (!is_null(r->f[REC_TS])) {
		if (!r->ts_ok) {
			*why = "ts is not an integer";
			return -1;
		}
		if (r->ts_ms < 0) {
			*why = "ts is negative";
			return -1;
		}
		ts_ms = r->ts_ms;
	}
	if (payload(r->f[REC_KEY], r->f[REC_KEY_B64], "key_base64", &kp->key,
	    &kp->tmp, &k, &kn, &kp->why) != 0 ||
	    payload(r->f[REC_VALUE], r->f[REC_VALUE_B64], "value_base64",
	    &kp->value, &kp->tmp, &v, &vn, &kp->why) != 0) {
		*why = kp->why.p;
		return -1;
	}
	if ((topic = topic_of(kp, r, why)) == NULL)
		return -1;
	if (headers(kp, r->f[REC_HEADERS], &hs, why) != 0)
		return -1;
	if (xname != NULL) {
		if (hs == NULL)
			hs = rd_kafka_headers_new(1);
		rd_kafka_header_add(hs, xname, -1, xvalue, -1);
	}
	txn_begin(kp);
	rkt = kp->fixed != NULL ? kp->fixed : topic_get(kp, topic);
	for (;;) {
		err = rd_kafka_producev(kp->rk,
		    RD_KAFKA_V_RKT(rkt),
		    RD_KAFKA_V_PARTITION(kp->o->partition),
		    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
		    RD_KAFKA_V_KEY((void *)k, kn),
		    RD_KAFKA_V_VALUE((void *)v, vn),
		    RD_KAFKA_V_TIMESTAMP(ts_ms),
		    RD_KAFKA_V_HEADERS(hs),
		    RD_KAFKA_V_OPAQUE((void *)(uintptr_t)lineno),
		    RD_KAFKA_V_END);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			break;
		/* Room comes as the broker acknowledges; failures too. */
		rd_kafka_poll(kp->rk, FULL_WAIT_MS);
		if (kp->n_failed > 0)
			break;
	}
	if (err != 0) {
		/* Refused before it was queued: hs is still ours. */
		if (hs != NULL)
			rd_kafka_headers_destroy(hs);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL &&
		    ++kp->n_failed <= MAX_NAMED) {
			msg_at(kp->o->source, lineno);
			if (kp->o->partition >= 0)
				warning("not delivered to '%s' [%d]: %s",
				    topic, (int)kp->o->partition,
				    rd_kafka_err2str(err));
			else
				warning("not delivered to '%s': %s", topic,
				    rd_kafka_err2str(err));
		}
		fail(kp);
	}
	hs = NULL;	/* the message owns it */
	/* Serving the reports takes a lock: not for every message. */
	if (++kp->n_sent % POLL_EVERY == 0) {
		rd_kafka_poll(kp->rk, 0);
		if (kp->n_failed > 0)
			fail(kp);
	}
	return 0;
}

void
kprod_flush(struct kprod *kp)
{
	drain(kp);
	if (kp->n_failed > 0)
		fail(kp);
}

void
kprod_commit(struct kprod *kp)
{
	rd_kafka_error_t *e;

	kprod_flush(kp);
	if (!kp->in_txn)
		return;
	while ((e = rd_kafka_commit_transaction(kp->rk,
	    kp->o->wait_ms)) != NULL && rd_kafka_error_is_retriable(e))
		rd_kafka_error_destroy(e);
	txn_check(e, "commit transaction");
	kp->in_txn = 0;
}

void
kprod_send_offsets(struct kprod *kp, const char *group,
    const struct ckpt_offs *offsets)
{
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_consumer_group_metadata_t *md;
	struct buf t = BUF_INIT;
	size_t i;

	if (offsets->n == 0)
		return;
	txn_begin(kp);
	l = rd_kafka_topic_partition_list_new((int)offsets->n);
	for (i = 0; i < offsets->n; i++) {
		buf_reset(&t);
		rec_str_decode(&t, (struct span){ offsets->v[i].topic,
		    strlen(offsets->v[i].topic) });
		rd_kafka_topic_partition_list_add(l, t.p,
		    offsets->v[i].partition)->offset = offsets->v[i].next;
	}
	md = rd_kafka_consumer_group_metadata_new(group);
	txn_check(rd_kafka_send_offsets_to_transaction(kp->rk, l, md,
	    kp->o->wait_ms), "send offsets to transaction");
	rd_kafka_consumer_group_metadata_destroy(md);
	rd_kafka_topic_partition_list_destroy(l);
	buf_free(&t);
}

void
kprod_ends(struct kprod *kp, const char *topic, struct ckpt_offs *ends)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_resp_err_t err;
	struct buf t = BUF_INIT;
	int64_t lo, hi;
	int i;

	err = rd_kafka_metadata(kp->rk, 0, topic_get(kp, topic), &md,
	    kp->o->wait_ms);
	if (err == 0 && (md->topic_cnt != 1 || md->topics[0].err != 0))
		err = md->topic_cnt == 1 ? md->topics[0].err :
		    RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
	if (err != 0)
		die(KP_EXIT_KAFKA, "topic '%s': %s", topic,
		    rd_kafka_err2str(err));
	buf_addjstr(&t, topic, strlen(topic));
	for (i = 0; i < md->topics[0].partition_cnt; i++) {
		int32_t p = md->topics[0].partitions[i].id;

		if ((err = rd_kafka_query_watermark_offsets(kp->rk, topic, p,
		    &lo, &hi, kp->o->wait_ms)) != 0)
			die(KP_EXIT_KAFKA, "%s [%d]: %s", topic, (int)p,
			    rd_kafka_err2str(err));
		ckpt_offs_set(ends, t.p, t.n, p, hi);
	}
	rd_kafka_metadata_destroy(md);
	buf_free(&t);
}

size_t
kprod_close(struct kprod *kp)
{
	size_t i, n;

	kprod_flush(kp);
	n = kp->n_sent;
	for (i = 0; i < kp->n_topics; i++) {
		rd_kafka_topic_destroy(kp->topics[i].rkt);
		free(kp->topics[i].name);
	}
	free(kp->topics);
	rd_kafka_destroy(kp->rk);
	jqx_free(kp->jx);
	buf_free(&kp->key);
	buf_free(&kp->value);
	buf_free(&kp->hdr);
	buf_free(&kp->name);
	buf_free(&kp->why);
	buf_free(&kp->tmp);
	buf_free(&kp->tmp2);
	free(kp);
	return n;
}
