/* kcons: topics' partitions into records, merged by timestamp. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "dur.h"
#include "kaf.h"
#include "kcons.h"
#include "msg.h"
#include "rec.h"

/* The longest wait for data before looking round again (ms). */
#define WAIT_MS 50

struct part {
	char *topic;
	int32_t partition;
	rd_kafka_queue_t *q;
	rd_kafka_message_t *msg;	/* the message one ahead, or NULL */
	int64_t ts_ms;			/* its timestamp */
	int64_t pos;			/* the next offset to read */
	int64_t start;			/* where reading started */
	int64_t next;			/* after the last given out; -1 */
	int64_t end;			/* pinned high watermark; -1 */
	int64_t hi;			/* the last high watermark seen */
	int done;			/* read up to end */
	int live;			/* assigned now */
};

struct kcons {
	const struct kcons_opts *o;
	rd_kafka_t *rk;
	rd_kafka_t *probe;		/* for timestamp searches */
	struct part *parts;
	size_t n_parts;
	int assigned;			/* had an assignment */
	struct rec rec;
	struct buf key, value, headers, topic, num, off, ts, scratch, keyp;
	int64_t stream_ms;		/* largest ts out, or last tick */
	int64_t quiet_since;		/* wall time of the last output */
	int64_t wake_ms;		/* kcons_wake's, or 0 */
};

static volatile sig_atomic_t stop;

void
kcons_stop(void)
{
	stop = 1;
}

int
kcons_from_parse(const char *s, enum kcons_from *from, int64_t *v,
    const char **why)
{
	char *end;

	*v = 0;
	if (strcmp(s, "beginning") == 0)
		*from = KCONS_BEGINNING;
	else if (strcmp(s, "end") == 0)
		*from = KCONS_END;
	else if (strcmp(s, "stored") == 0)
		*from = KCONS_STORED;
	else if (s[0] == '@') {
		*from = KCONS_TIME;
		return dur_time_parse(s + 1, v, why);
	} else if ((s[0] == '-' && s[1] >= '0' && s[1] <= '9') ||
	    (s[0] >= '0' && s[0] <= '9')) {
		*v = strtoll(s[0] == '-' ? s + 1 : s, &end, 10);
		if (*end != '\0') {
			*why = "not beginning, end, stored, N, -N or @TIME";
			return -1;
		}
		*from = s[0] == '-' ? KCONS_FROM_END : KCONS_OFFSET;
	} else {
		*why = "not beginning, end, stored, N, -N or @TIME";
		return -1;
	}
	return 0;
}

static struct part *
part_get(struct kcons *k, const char *topic, int32_t partition)
{
	struct part *pt;
	size_t i;

	for (i = 0; i < k->n_parts; i++)
		if (k->parts[i].partition == partition &&
		    strcmp(k->parts[i].topic, topic) == 0)
			return &k->parts[i];
	k->parts = xrealloc(k->parts, (k->n_parts + 1) * sizeof *k->parts);
	pt = &k->parts[k->n_parts++];
	memset(pt, 0, sizeof *pt);
	pt->topic = xstrdup(topic);
	pt->partition = partition;
	pt->next = pt->end = pt->hi = pt->start = -1;
	return pt;
}

static void
watermarks(struct kcons *k, struct part *pt, int64_t *lo, int64_t *hi)
{
	rd_kafka_resp_err_t err;

	err = rd_kafka_query_watermark_offsets(k->rk, pt->topic,
	    pt->partition, lo, hi, k->o->timeout_ms);
	if (err)
		die(KP_EXIT_KAFKA, "%s [%d]: offsets: %s", pt->topic,
		    (int)pt->partition, rd_kafka_err2str(err));
}

/* The timestamp of the message at offset, read with the probe handle. */
static int64_t
probe_ts(struct kcons *k, struct part *pt, int64_t offset)
{
	rd_kafka_topic_t *rkt;
	rd_kafka_message_t *m;
	int64_t ts = -1;
	int tries;

	if (k->probe == NULL)
		k->probe = kaf_new(RD_KAFKA_CONSUMER,
		    kaf_conf(k->o->kafka, NULL));
	rkt = rd_kafka_topic_new(k->probe, pt->topic, NULL);
	if (rd_kafka_consume_start(rkt, pt->partition, offset) == -1)
		die(KP_EXIT_KAFKA, "%s [%d]: %s", pt->topic,
		    (int)pt->partition,
		    rd_kafka_err2str(rd_kafka_last_error()));
	for (tries = 0; tries < k->o->timeout_ms / 100 && ts < 0; tries++) {
		m = rd_kafka_consume(rkt, pt->partition, 100);
		if (m == NULL)
			continue;
		if (m->err == 0)
			ts = rd_kafka_message_timestamp(m, NULL);
		else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
			die(KP_EXIT_KAFKA, "%s [%d]: %s", pt->topic,
			    (int)pt->partition, rd_kafka_err2str(m->err));
		rd_kafka_message_destroy(m);
	}
	rd_kafka_consume_stop(rkt, pt->partition);
	rd_kafka_topic_destroy(rkt);
	if (ts < 0)
		die(KP_EXIT_KAFKA, "%s [%d]: no message at offset %lld",
		    pt->topic, (int)pt->partition, (long long)offset);
	return ts;
}

/*
 * The first offset whose timestamp is at least t_ms.  The broker is asked
 * first; where it answers "none" (as librdkafka's mock cluster always
 * does), a binary search over the messages' own timestamps decides, so
 * that -o @TIME works on any broker.
 */
static int64_t
time_offset(struct kcons *k, struct part *pt, int64_t lo, int64_t hi,
    int64_t t_ms)
{
	rd_kafka_topic_partition_list_t *l;
	int64_t mid, off = -1;

	l = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(l, pt->topic,
	    pt->partition)->offset = t_ms;
	if (rd_kafka_offsets_for_times(k->rk, l, k->o->timeout_ms) == 0 &&
	    l->elems[0].err == 0)
		off = l->elems[0].offset;
	rd_kafka_topic_partition_list_destroy(l);
	if (off >= 0)
		return off;
	if (lo >= hi || probe_ts(k, pt, hi - 1) < t_ms)
		return hi;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (probe_ts(k, pt, mid) >= t_ms)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Where pt starts, by -o; stored is the committed offset, if any. */
static int64_t
start_offset(struct kcons *k, struct part *pt, int64_t committed)
{
	const struct kcons_opts *o = k->o;
	int64_t lo, hi, v = o->from_value;

	watermarks(k, pt, &lo, &hi);
	pt->hi = hi;
	if (o->exit_at_end)
		pt->end = hi;
	/* A checkpoint's offset comes first: the run goes on from there. */
	if (o->src->resume != NULL) {
		buf_reset(&k->scratch);
		buf_addjstr(&k->scratch, pt->topic, strlen(pt->topic));
		if (ckpt_offs_get(o->src->resume, k->scratch.p, k->scratch.n,
		    pt->partition, &v)) {
			if (v < lo)
				warning("%s [%d]: checkpoint offset %lld is "
				    "gone (the log starts at %lld): records "
				    "were lost to retention", pt->topic,
				    (int)pt->partition, (long long)v,
				    (long long)lo);
			return v < lo ? lo : v > hi ? hi : v;
		}
	}
	switch (o->from) {
	case KCONS_BEGINNING:
		return lo;
	case KCONS_END:
		return hi;
	case KCONS_STORED:
		return committed >= 0 ? committed : lo;
	case KCONS_OFFSET:
		return v < lo ? lo : v > hi ? hi : v;
	case KCONS_FROM_END:
		return hi - v < lo ? lo : hi - v;
	case KCONS_TIME:
		return time_offset(k, pt, lo, hi, v);
	}
	return lo;
}

/* Read pt from its own queue, not the consumer's, so it can be merged. */
static void
part_open(struct kcons *k, struct part *pt, int64_t pos)
{
	pt->q = rd_kafka_queue_get_partition(k->rk, pt->topic, pt->partition);
	if (pt->q == NULL)
		die(KP_EXIT_KAFKA, "%s [%d]: no such partition", pt->topic,
		    (int)pt->partition);
	rd_kafka_queue_forward(pt->q, NULL);
	pt->pos = pt->start = pos;
	pt->live = 1;
	pt->done = pt->end >= 0 && pos >= pt->end;
}

static void
part_drop(struct part *pt)
{
	if (pt->msg != NULL) {
		/* Never given out: the partition's next owner reads it. */
		rd_kafka_message_destroy(pt->msg);
		pt->msg = NULL;
	}
	if (pt->q != NULL)
		rd_kafka_queue_destroy(pt->q);
	pt->q = NULL;
	pt->live = 0;
}

static void
commit(struct kcons *k, const rd_kafka_topic_partition_list_t *only)
{
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_resp_err_t err;
	size_t i;

	if (k->o->group == NULL || k->o->no_commit)
		return;
	l = rd_kafka_topic_partition_list_new((int)k->n_parts);
	for (i = 0; i < k->n_parts; i++) {
		struct part *pt = &k->parts[i];

		if (pt->next < 0 || (only != NULL &&
		    rd_kafka_topic_partition_list_find(only, pt->topic,
		    pt->partition) == NULL))
			continue;
		rd_kafka_topic_partition_list_add(l, pt->topic,
		    pt->partition)->offset = pt->next;
	}
	if (l->cnt > 0 && (err = rd_kafka_commit(k->rk, l, 0)) != 0 &&
	    err != RD_KAFKA_RESP_ERR__NO_OFFSET)
		warning("commit: %s", rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(l);
}

void
kcons_commit(struct kcons *k)
{
	if (fflush(stdout) == EOF)
		die_sys(KP_EXIT_DATA, "write error on standard output");
	commit(k, NULL);
}

static void
rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *l, void *opaque)
{
	struct kcons *k = opaque;
	rd_kafka_topic_partition_list_t *c;
	struct part *pt;
	int i, coop = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE")
	    == 0;
	rd_kafka_error_t *e = NULL;

	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		c = rd_kafka_topic_partition_list_copy(l);
		if (rd_kafka_committed(rk, c, k->o->timeout_ms) != 0)
			for (i = 0; i < c->cnt; i++)
				c->elems[i].offset = -1;
		for (i = 0; i < l->cnt; i++) {
			pt = part_get(k, l->elems[i].topic,
			    l->elems[i].partition);
			part_open(k, pt, start_offset(k, pt,
			    c->elems[i].offset));
			l->elems[i].offset = pt->pos;
		}
		rd_kafka_topic_partition_list_destroy(c);
		if (coop)
			e = rd_kafka_incremental_assign(rk, l);
		else
			err = rd_kafka_assign(rk, l);
		k->assigned = 1;
	} else {
		/* What was given out is downstream's: commit it first. */
		if (fflush(stdout) == EOF)
			die_sys(KP_EXIT_DATA, "write error on standard output");
		commit(k, l);
		for (i = 0; i < l->cnt; i++) {
			pt = part_get(k, l->elems[i].topic,
			    l->elems[i].partition);
			part_drop(pt);
		}
		if (coop)
			e = rd_kafka_incremental_unassign(rk, l);
		else
			err = rd_kafka_assign(rk, NULL);
	}
	if (e != NULL) {
		warning("rebalance: %s", rd_kafka_error_string(e));
		rd_kafka_error_destroy(e);
	}
}

/* Assign every partition of the topics (or -p's), without a group. */
static void
assign_all(struct kcons *k)
{
	const struct kcons_opts *o = k->o;
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_topic_t *rkt;
	rd_kafka_resp_err_t err;
	struct part *pt;
	size_t t;
	int i, found;

	l = rd_kafka_topic_partition_list_new(8);
	for (t = 0; t < o->n_topics; t++) {
		rkt = rd_kafka_topic_new(k->rk, o->topics[t], NULL);
		err = rd_kafka_metadata(k->rk, 0, rkt, &md, k->o->timeout_ms);
		rd_kafka_topic_destroy(rkt);
		if (err)
			die(KP_EXIT_KAFKA, "brokers '%s': %s",
			    kaf_brokers(o->kafka), rd_kafka_err2str(err));
		if (md->topic_cnt != 1 || md->topics[0].err)
			die(KP_EXIT_KAFKA, "topic '%s': %s", o->topics[t],
			    rd_kafka_err2str(md->topic_cnt == 1 ?
			    md->topics[0].err :
			    RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART));
		found = 0;
		for (i = 0; i < md->topics[0].partition_cnt; i++) {
			int32_t p = md->topics[0].partitions[i].id;

			if (o->partition >= 0 && p != o->partition)
				continue;
			found = 1;
			pt = part_get(k, o->topics[t], p);
			part_open(k, pt, start_offset(k, pt, -1));
			rd_kafka_topic_partition_list_add(l, pt->topic,
			    p)->offset = pt->pos;
		}
		rd_kafka_metadata_destroy(md);
		if (!found)
			die(KP_EXIT_DATA, "topic '%s' has no partition %d",
			    o->topics[t], (int)o->partition);
	}
	if ((err = rd_kafka_assign(k->rk, l)) != 0)
		die(KP_EXIT_KAFKA, "assign: %s", rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(l);
	k->assigned = 1;
}

struct kcons *
kcons_open(const struct kcons_opts *o)
{
	static const char *const defs[] = {
		/* Offsets are committed by kcons_commit alone. */
		"enable.auto.commit", "false",
		"enable.auto.offset.store", "false",
		"auto.offset.reset", "earliest",
		NULL
	};
	struct kcons *k = xmalloc(sizeof *k);
	rd_kafka_conf_t *conf;
	rd_kafka_topic_partition_list_t *l;
	const struct rd_kafka_metadata *md;
	rd_kafka_resp_err_t err;
	size_t i;

	memset(k, 0, sizeof *k);
	k->o = o;
	k->rec = (struct rec)REC_INIT;
	k->key = k->value = k->headers = k->topic = k->num = k->off = k->ts =
	    k->scratch = k->keyp = (struct buf)BUF_INIT;
	k->stream_ms = INT64_MIN;
	k->quiet_since = src_now_ms();
	conf = kaf_conf(o->kafka, defs);
	if (o->group != NULL) {
		kaf_set(conf, "group.id", o->group);
		rd_kafka_conf_set_rebalance_cb(conf, rebalance);
		rd_kafka_conf_set_opaque(conf, k);
	} else {
		/*
		 * librdkafka 2.0 will not assign without a group.id; this
		 * one never joins a group or commits.
		 */
		kaf_set(conf, "group.id", "kpipe-kcat-in-unmanaged");
	}
	k->rk = kaf_new(RD_KAFKA_CONSUMER, conf);
	conf = NULL;	/* k->rk owns it */
	rd_kafka_poll_set_consumer(k->rk);
	if (o->group == NULL) {
		assign_all(k);
		return k;
	}
	/* An unreachable broker is an error now, not a silent wait. */
	err = rd_kafka_metadata(k->rk, 0, NULL, &md, o->timeout_ms);
	if (err)
		die(KP_EXIT_KAFKA, "brokers '%s': %s", kaf_brokers(o->kafka),
		    rd_kafka_err2str(err));
	rd_kafka_metadata_destroy(md);
	l = rd_kafka_topic_partition_list_new((int)o->n_topics);
	for (i = 0; i < o->n_topics; i++)
		rd_kafka_topic_partition_list_add(l, o->topics[i],
		    RD_KAFKA_PARTITION_UA);
	err = rd_kafka_subscribe(k->rk, l);
	rd_kafka_topic_partition_list_destroy(l);
	if (err)
		die(KP_EXIT_KAFKA, "subscribe: %s", rd_kafka_err2str(err));
	return k;
}

/* Take message m (from pt's queue) as pt's next, or drop it. */
static void
take(struct part *pt, rd_kafka_message_t *m)
{
	if (m->err) {
		if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
			warning("%s [%d]: %s", pt->topic, (int)pt->partition,
			    rd_kafka_message_errstr(m));
		rd_kafka_message_destroy(m);
		return;
	}
	if (pt->end >= 0 && m->offset >= pt->end) {
		pt->done = 1;
		rd_kafka_message_destroy(m);
		return;
	}
	pt->msg = m;
	pt->pos = m->offset + 1;
	pt->ts_ms = rd_kafka_message_timestamp(m, NULL);
	if (pt->ts_ms < 0)
		pt->ts_ms = src_now_ms();
}

/* Has the broker more for pt than pt has read? */
static int
more(struct kcons *k, struct part *pt)
{
	int64_t lo, hi;

	if (pt->end >= 0)
		return pt->pos < pt->end;
	if (rd_kafka_get_watermark_offsets(k->rk, pt->topic, pt->partition,
	    &lo, &hi) == 0 && hi > pt->hi)
		pt->hi = hi;
	return pt->pos < pt->hi;
}

static void
events(struct kcons *k, int timeout_ms)
{
	rd_kafka_message_t *m;
	char err[512];

	if ((m = rd_kafka_consumer_poll(k->rk, timeout_ms)) == NULL)
		return;
	if (m->err) {
		if (rd_kafka_fatal_error(k->rk, err, sizeof err))
			die(KP_EXIT_KAFKA, "%s", err);
		if (m->err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
			die(KP_EXIT_KAFKA, "brokers '%s': %s",
			    kaf_brokers(k->o->kafka),
			    rd_kafka_message_errstr(m));
		if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
			warning("%s", rd_kafka_message_errstr(m));
	}
	rd_kafka_message_destroy(m);
}

static void
add_num(struct buf *b, int64_t v)
{
	buf_reset(b);
	buf_addi(b, v);
}

/* The headers of m as [["name","value"],...]; 0 if it has none. */
static int
headers(struct buf *b, rd_kafka_message_t *m)
{
	rd_kafka_headers_t *h;
	const char *name;
	const void *val;
	size_t size, i;

	buf_reset(b);
	if (rd_kafka_message_headers(m, &h) != 0 ||
	    rd_kafka_header_cnt(h) == 0)
		return 0;
	buf_addc(b, '[');
	for (i = 0; rd_kafka_header_get_all(h, i, &name, &val, &size) == 0;
	    i++) {
		if (i)
			buf_addc(b, ',');
		buf_addc(b, '[');
		buf_addjstr(b, name, strlen(name));
		buf_addc(b, ',');
		if (val == NULL)
			buf_add(b, "null", 4);
		else if (rec_utf8_valid(val, size))
			buf_addjstr(b, val, size);
		else {
			/* A JSON string cannot hold it: a pay_json string. */
			pay_json(b, val, size, PAY_BASE64, NULL);
		}
		buf_addc(b, ']');
	}
	buf_addc(b, ']');
	return 1;
}

/*
 * Read payload p (n bytes) in format fmt into b as member f (or its base64
 * form) of the current record.  A payload that will not read goes in as
 * text, so that a dead letter still holds it; then -1 with *why.
 */
static int
payload(struct kcons *k, struct buf *b, enum rec_field f, const void *p,
    size_t n, enum pay_kind fmt, const char **why)
{
	int b64, st = 0;

	buf_reset(b);
	if ((b64 = pay_json(b, p, n, fmt, why)) < 0) {
		buf_reset(b);
		b64 = pay_json(b, p, n, PAY_STRING, NULL);
		st = -1;
	}
	k->rec.f[b64 ? f + 1 : f].p = b->p;
	k->rec.f[b64 ? f + 1 : f].n = b->n;
	return st;
}

/* Give out pt's message as a record; 0 if it was bad input instead. */
static int
give(struct kcons *k, struct part *pt, struct buf *out)
{
	const struct kcons_opts *o = k->o;
	rd_kafka_message_t *m = pt->msg;
	struct rec *r = &k->rec;
	const char *why;
	int64_t ts = pt->ts_ms;
	char where[300];
	int bad = 0;

	*r = (struct rec){ .other = r->other, .cap_other = r->cap_other };
	bad = payload(k, &k->value, REC_VALUE, m->payload, m->len,
	    o->value_fmt, &why) != 0;
	/* Both are read either way; a bad key is named first. */
	if (payload(k, &k->key, REC_KEY, m->key, m->key_len, o->key_fmt,
	    &why) != 0)
		bad = 1;
	if (headers(&k->headers, m)) {
		r->f[REC_HEADERS].p = k->headers.p;
		r->f[REC_HEADERS].n = k->headers.n;
	}
	buf_reset(&k->topic);
	buf_addjstr(&k->topic, pt->topic, strlen(pt->topic));
	r->f[REC_TOPIC].p = k->topic.p;
	r->f[REC_TOPIC].n = k->topic.n;
	add_num(&k->num, pt->partition);
	r->f[REC_PARTITION].p = k->num.p;
	r->f[REC_PARTITION].n = k->num.n;
	add_num(&k->off, m->offset);
	r->f[REC_OFFSET].p = k->off.p;
	r->f[REC_OFFSET].n = k->off.n;
	pt->next = m->offset + 1;
	snprintf(where, sizeof where, "%s/%d", pt->topic, (int)pt->partition);
	/* The programs see the message's own time as ts. */
	add_num(&k->ts, ts);
	r->f[REC_TS].p = k->ts.p;
	r->f[REC_TS].n = k->ts.n;
	if (bad || src_programs(o->src, r, &k->scratch, &k->keyp, &ts,
	    &why) != 0) {
		/* The dead letter is the whole record, as far as it reads. */
		buf_reset(&k->scratch);
		rec_fmt(&k->scratch, r);
		bad_line(o->src->bad, where, (size_t)m->offset, k->scratch.p,
		    k->scratch.n - 1, why);
		return 0;
	}
	add_num(&k->ts, ts);
	r->f[REC_TS].p = k->ts.p;
	r->f[REC_TS].n = k->ts.n;
	rec_fmt(out, r);
	if (ts > k->stream_ms)
		k->stream_ms = ts;
	return 1;
}

int
kcons_next(struct kcons *k, struct buf *out)
{
	struct part *best, *wait, *pt;
	rd_kafka_message_t *m;
	int64_t now, left;
	size_t i;
	int any, given;

	for (;;) {
		if (stop)
			return 0;
		events(k, 0);
		best = wait = NULL;
		any = 0;
		for (i = 0; i < k->n_parts; i++) {
			pt = &k->parts[i];
			if (!pt->live || pt->done)
				continue;
			if (pt->msg == NULL && pt->end >= 0 &&
			    pt->pos >= pt->end) {
				pt->done = 1;
				continue;
			}
			if (pt->msg == NULL &&
			    (m = rd_kafka_consume_queue(pt->q, 0)) != NULL)
				take(pt, m);
			if (pt->done)
				continue;
			any = 1;
			if (pt->msg != NULL) {
				if (best == NULL || pt->ts_ms < best->ts_ms)
					best = pt;
			} else if (wait == NULL && more(k, pt))
				wait = pt;
		}
		if (best != NULL && wait == NULL) {
			given = give(k, best, out);
			rd_kafka_message_destroy(best->msg);
			best->msg = NULL;
			k->quiet_since = src_now_ms();
			if (given)
				return 1;
			continue;
		}
		if (!any && k->assigned && k->o->exit_at_end)
			return 0;
		now = src_now_ms();
		if (k->wake_ms > 0 && now >= k->wake_ms)
			return 4;
		left = WAIT_MS;
		if (k->o->idle_ms >= 0 && k->stream_ms != INT64_MIN) {
			left = k->quiet_since + k->o->idle_ms - now;
			if (left <= 0) {
				k->stream_ms += now - k->quiet_since;
				k->quiet_since = now;
				buf_adds(out, "{\"@\":\"tick\",\"ts\":");
				buf_addi(out, k->stream_ms);
				buf_add(out, "}\n", 2);
				return 2;
			}
			if (left > WAIT_MS)
				left = WAIT_MS;
		}
		/* Nothing to give out yet: flush, then wait for data. */
		if (fflush(NULL) == EOF)
			die_sys(KP_EXIT_DATA, "write error");
		if (wait != NULL) {
			if ((m = rd_kafka_consume_queue(wait->q,
			    (int)left)) != NULL)
				take(wait, m);
		} else
			events(k, (int)left);
	}
}

void
kcons_wake(struct kcons *k, int64_t at_ms)
{
	k->wake_ms = at_ms;
}

void
kcons_offsets(const struct kcons *k, struct ckpt_offs *offs)
{
	struct buf t = BUF_INIT;
	const struct part *pt;
	size_t i;

	for (i = 0; i < k->n_parts; i++) {
		pt = &k->parts[i];
		if (pt->next < 0 && pt->start < 0)
			continue;
		buf_reset(&t);
		buf_addjstr(&t, pt->topic, strlen(pt->topic));
		ckpt_offs_set(offs, t.p, t.n, pt->partition,
		    pt->next >= 0 ? pt->next : pt->start);
	}
	buf_free(&t);
}

void
kcons_close(struct kcons *k)
{
	size_t i;

	/* A group member leaves: its revocation commits what was given. */
	for (i = 0; i < k->n_parts; i++)
		if (k->parts[i].msg != NULL) {
			rd_kafka_message_destroy(k->parts[i].msg);
			k->parts[i].msg = NULL;
		}
	rd_kafka_consumer_close(k->rk);
	for (i = 0; i < k->n_parts; i++) {
		part_drop(&k->parts[i]);
		free(k->parts[i].topic);
	}
	free(k->parts);
	rd_kafka_destroy(k->rk);
	if (k->probe != NULL)
		rd_kafka_destroy(k->probe);
	rec_free(&k->rec);
	buf_free(&k->key);
	buf_free(&k->value);
	buf_free(&k->headers);
	buf_free(&k->topic);
	buf_free(&k->num);
	buf_free(&k->off);
	buf_free(&k->ts);
	buf_free(&k->scratch);
	buf_free(&k->keyp);
	free(k);
}
