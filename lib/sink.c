/* sink: kout's checkpoints. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "ckpt.h"
#include "ctl.h"
#include "kaf.h"
#include "msg.h"
#include "sink.h"
#include "store.h"

/* The header that numbers an exactly-once sink's records. */
#define SEQ_HEADER "kpipe.seq"

struct sink {
	struct sink_conf c;
	struct ckpt_log log;
	struct out *out;	/* a file or standard output, or NULL */
	struct kprod *kp;	/* a topic, or NULL */
	int64_t epoch;		/* the newest committed */
	int64_t seq;		/* records numbered so far (--eos) */
	int ready;		/* the output stands at a checkpoint */
	int fresh;		/* a new sink: epoch 0 still to commit */
	int resumed;		/* a resume came */
	int written;		/* a record or barrier came */
	char id[20];		/* the sink's, in kpipe.seq */
	char val[48];		/* kpipe.seq's value for the next record */
	uint64_t *seen;		/* SEQs read back, sorted */
	size_t n_seen, cap_seen;
	uint64_t skipped;
	struct buf ends;	/* where the next reading back starts */
	struct buf offsets;	/* the last barrier's offsets, as JSON */
	struct buf group;	/* its source's consumer group, or empty */
	struct buf rec, tmp;
};

static uint64_t
new_id(void)
{
	uint64_t v = 0;
	int fd;

	if ((fd = open("/dev/urandom", O_RDONLY)) >= 0) {
		if (read(fd, &v, sizeof v) != (ssize_t)sizeof v)
			v = 0;
		close(fd);
	}
	if (v == 0)
		v = (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid();
	return v;
}

/* A member of a sink record that must be there. */
static int64_t
rec_num(struct sink *k, const char *name)
{
	struct span v;
	int64_t n;

	if (rec_member((struct span){ k->rec.p, k->rec.n }, name,
	    strlen(name), &v) != 1 || rec_int(v, &n) != 1)
		die(KP_EXIT_STORE, "store '%s': a checkpoint record without "
		    "%s", k->log.dir, name);
	return n;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Read the topic back from the end offsets in ends to its end now, and
 * keep the SEQ of every record this sink numbered.
 */
static void
read_back(struct sink *k, const struct ckpt_offs *ends)
{
	static const char *const defs[] = {
		"group.id", "kpipe-kout-read-back",
		"enable.auto.commit", "false",
		"isolation.level", "read_committed",
		NULL
	};
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk;
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_message_t *m;
	rd_kafka_headers_t *hs;
	rd_kafka_resp_err_t err;
	const void *v;
	size_t vn, i, left, idn = strlen(k->id);
	int64_t lo, hi;
	char num[24];
	int idle = 0;

	conf = kaf_conf(k->c.kafka, defs);
	kaf_set(conf, "enable.partition.eof", "true");
	rk = kaf_new(RD_KAFKA_CONSUMER, conf);
	l = rd_kafka_topic_partition_list_new((int)ends->n);
	for (i = 0; i < ends->n; i++) {
		err = rd_kafka_query_watermark_offsets(rk, k->c.topic,
		    ends->v[i].partition, &lo, &hi, k->c.wait_ms);
		if (err != 0)
			die(KP_EXIT_KAFKA, "%s [%d]: %s", k->c.topic,
			    (int)ends->v[i].partition, rd_kafka_err2str(err));
		if (hi > ends->v[i].next)
			rd_kafka_topic_partition_list_add(l, k->c.topic,
			    ends->v[i].partition)->offset = ends->v[i].next;
	}
	left = (size_t)l->cnt;
	if (left > 0 && (err = rd_kafka_assign(rk, l)) != 0)
		die(KP_EXIT_KAFKA, "assign: %s", rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(l);
	while (left > 0) {
		if ((m = rd_kafka_consumer_poll(rk, 1000)) == NULL) {
			if (++idle * 1000 >= k->c.wait_ms)
				die(KP_EXIT_KAFKA, "reading '%s' back: no "
				    "answer within %ds", k->c.topic,
				    k->c.wait_ms / 1000);
			continue;
		}
		idle = 0;
		if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
			left--;
		else if (m->err != 0)
			die(KP_EXIT_KAFKA, "reading '%s' back: %s",
			    k->c.topic, rd_kafka_message_errstr(m));
		else if (rd_kafka_message_headers(m, &hs) == 0 &&
		    rd_kafka_header_get_last(hs, SEQ_HEADER, &v, &vn) == 0 &&
		    v != NULL && vn > idn + 1 && vn - idn - 1 < sizeof num &&
		    memcmp(v, k->id, idn) == 0 &&
		    ((const char *)v)[idn] == ':') {
			memcpy(num, (const char *)v + idn + 1, vn - idn - 1);
			num[vn - idn - 1] = '\0';
			if (k->n_seen == k->cap_seen) {
				k->cap_seen = k->cap_seen ? 2 * k->cap_seen :
				    1024;
				k->seen = xrealloc(k->seen, k->cap_seen *
				    sizeof *k->seen);
			}
			k->seen[k->n_seen++] = strtoull(num, NULL, 10);
		}
		rd_kafka_message_destroy(m);
	}
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	if (k->n_seen > 0)
		qsort(k->seen, k->n_seen, sizeof *k->seen, cmp_u64);
}

/* Take the output back to epoch's checkpoint. */
static void
prepare(struct sink *k, int64_t epoch)
{
	struct ckpt_offs ends = CKPT_OFFS_INIT;
	struct span e;
	int64_t last;

	if (!ckpt_log_last(&k->log, &last, &k->rec) ||
	    !ckpt_log_get(&k->log, epoch, &k->rec))
		die(KP_EXIT_STORE, "store '%s': no checkpoint record for "
		    "epoch %lld (it keeps the newest %d)", k->log.dir,
		    (long long)epoch, CKPT_KEEP);
	if (k->c.path != NULL)
		out_truncate(k->out, rec_num(k, "length"));
	if (k->c.eos) {
		k->seq = rec_num(k, "seq");
		k->n_seen = 0;
		if (rec_member((struct span){ k->rec.p, k->rec.n }, "ends", 4,
		    &e) != 1 || ckpt_offs_parse(&ends, e) != 0)
			die(KP_EXIT_STORE, "store '%s': a checkpoint record "
			    "without ends", k->log.dir);
		read_back(k, &ends);
		ckpt_offs_free(&ends);
		buf_reset(&k->ends);
		buf_add(&k->ends, e.p, e.n);
	}
	if (rec_member((struct span){ k->rec.p, k->rec.n }, "offsets", 7,
	    &e) == 1) {
		buf_reset(&k->offsets);
		buf_add(&k->offsets, e.p, e.n);
	}
	/* Back to an older epoch: from now on, that is the truth. */
	if (epoch != last)
		ckpt_log_put(&k->log, &k->rec);
	k->epoch = epoch;
	k->ready = 1;
}

/* Commit the output as epoch's, with the source offsets given. */
static void
commit(struct sink *k, int64_t epoch)
{
	struct ckpt_offs ends = CKPT_OFFS_INIT;
	int64_t length = -1;
	size_t n;

	if (k->out != NULL)
		length = out_sync(k->out);
	/*
	 * With --eos the source offsets go to the source's group inside the
	 * transaction (stored where the broker honours transactions).
	 */
	if (k->c.eos && k->group.n > 0) {
		if (ckpt_offs_parse(&ends, (struct span){ k->offsets.p,
		    k->offsets.n }) == 0)
			kprod_send_offsets(k->kp, k->group.p, &ends);
		ckpt_offs_free(&ends);
	}
	if (k->kp != NULL)
		kprod_commit(k->kp);
	buf_reset(&k->rec);
	buf_adds(&k->rec, "{\"epoch\":");
	buf_addi(&k->rec, epoch);
	buf_adds(&k->rec, ",\"offsets\":");
	buf_add(&k->rec, k->offsets.p, k->offsets.n);
	if (k->c.path != NULL) {
		buf_adds(&k->rec, ",\"length\":");
		buf_addi(&k->rec, length);
	}
	if (k->c.eos) {
		/*
		 * The next reading back starts at the ends now, unless what
		 * was read back holds records still to come (an interrupted
		 * run got further than this one has): then where it started.
		 */
		if (k->n_seen == 0 ||
		    (uint64_t)k->seq >= k->seen[k->n_seen - 1]) {
			kprod_ends(k->kp, k->c.topic, &ends);
			buf_reset(&k->ends);
			ckpt_offs_fmt(&ends, &k->ends);
			ckpt_offs_free(&ends);
			k->n_seen = 0;
		}
		buf_adds(&k->rec, ",\"seq\":");
		buf_addi(&k->rec, k->seq);
		buf_adds(&k->rec, ",\"ends\":");
		buf_add(&k->rec, k->ends.p, k->ends.n);
	}
	/* The commit, then DIR/checkpoint as people read it (no sink id). */
	n = k->rec.n;
	buf_addf(&k->rec, ",\"sink\":\"%s\"}", k->id);
	ckpt_log_put(&k->log, &k->rec);
	buf_reset(&k->tmp);
	buf_add(&k->tmp, k->rec.p, n);
	buf_addc(&k->tmp, '}');
	ckpt_file_write(k->c.dir, &k->tmp);
	k->epoch = epoch;
}

struct sink *
sink_open(const struct sink_conf *c, struct out *out)
{
	struct sink *k = xmalloc(sizeof *k);
	struct buf sig = BUF_INIT;
	struct span id;

	memset(k, 0, sizeof *k);
	k->c = *c;
	k->offsets = k->rec = k->tmp = k->ends = k->group =
	    (struct buf)BUF_INIT;
	buf_adds(&k->offsets, "{}");
	store_sig_add(&sig, "command", "kout");
	if (c->path != NULL)
		store_sig_add(&sig, "file", c->path);
	else if (c->topic != NULL)
		store_sig_add(&sig, "topic", c->topic);
	else if (c->topic_from != NULL)
		store_sig_add(&sig, "topic-from", c->topic_from);
	else
		store_sig_add(&sig, "file", "-");
	store_sig_addi(&sig, "eos", c->eos);
	ckpt_log_open(&k->log, c->dir, c->name != NULL ? c->name : "kout",
	    sig.p);
	if (c->topic == NULL && c->topic_from == NULL) {
		k->out = out;
		if (c->path != NULL)
			out_open_keep(out, c->path);
		else
			out_open(out, NULL);
	}
	if (!ckpt_log_last(&k->log, &k->epoch, &k->rec)) {
		k->fresh = 1;
		snprintf(k->id, sizeof k->id, "%016llx",
		    (unsigned long long)new_id());
	} else if (rec_member((struct span){ k->rec.p, k->rec.n }, "sink", 4,
	    &id) == 1 && id.n == 18)
		memcpy(k->id, id.p + 1, 16);
	else
		die(KP_EXIT_STORE, "store '%s': a checkpoint record without "
		    "sink", k->log.dir);
	buf_free(&sig);
	return k;
}

void
sink_start(struct sink *k, struct kprod *kp)
{
	k->kp = kp;
	if (!k->fresh)
		return;
	/* A new sink: epoch 0 is its output as it finds it. */
	if (k->out != NULL && k->c.path != NULL)
		out_truncate(k->out, 0);
	commit(k, 0);
	k->fresh = 0;
}

const char *
sink_id(const struct sink *k)
{
	return k->id;
}

void
sink_resume(struct sink *k, const struct rec *r)
{
	int64_t epoch;

	if (ctl_epoch(r, &epoch) != 0 || epoch < 0)
		die(KP_EXIT_DATA, "resume without an epoch");
	if (k->resumed || k->written)
		die(KP_EXIT_DATA, "resume in the middle of a stream");
	k->resumed = 1;
	if (epoch > k->epoch)
		die(KP_EXIT_STORE, "store '%s' is at epoch %lld, behind the "
		    "pipeline's %lld: is this the pipeline's sink?",
		    k->log.dir, (long long)k->epoch, (long long)epoch);
	prepare(k, epoch);
}

void
sink_barrier(struct sink *k, const struct rec *r)
{
	struct span o;
	int64_t epoch;

	if (!k->ready)
		prepare(k, k->epoch);
	k->written = 1;
	if (ctl_epoch(r, &epoch) != 0 || epoch < 0)
		die(KP_EXIT_DATA, "barrier without an epoch");
	if (rec_member(r->line, "offsets", 7, &o) == 1) {
		buf_reset(&k->offsets);
		buf_add(&k->offsets, o.p, o.n);
	}
	buf_reset(&k->group);
	if (rec_member(r->line, "group", 5, &o) == 1 && REC_IS_STR(o))
		rec_str_decode(&k->group, o);
	commit(k, epoch);
}

void
sink_end(struct sink *k)
{
	if (!k->ready)
		prepare(k, k->epoch);
	commit(k, k->epoch);
}

int
sink_next(struct sink *k, const char **hdr, const char **val)
{
	uint64_t seq;

	if (!k->ready)
		prepare(k, k->epoch);
	k->written = 1;
	*hdr = *val = NULL;
	if (!k->c.eos)
		return 0;
	seq = (uint64_t)++k->seq;
	if (k->n_seen > 0 && bsearch(&seq, k->seen, k->n_seen,
	    sizeof *k->seen, cmp_u64) != NULL) {
		k->skipped++;
		return 1;
	}
	snprintf(k->val, sizeof k->val, "%s:%llu", k->id,
	    (unsigned long long)seq);
	*hdr = SEQ_HEADER;
	*val = k->val;
	return 0;
}

uint64_t
sink_skipped(const struct sink *k)
{
	return k->skipped;
}

void
sink_close(struct sink *k)
{
	if (k == NULL)
		return;
	ckpt_log_close(&k->log);
	free(k->seen);
	buf_free(&k->offsets);
	buf_free(&k->ends);
	buf_free(&k->group);
	buf_free(&k->rec);
	buf_free(&k->tmp);
	free(k);
}
