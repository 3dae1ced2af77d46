/*
 * kprod: kout's Kafka side: records produced to topics, each delivery
 * accounted for.
 *
 * A data record becomes one message, by DESIGN section 1: the key and
 * value bytes are a string's text, a key_base64 or value_base64 member's
 * bytes, a Kafka NULL for null or absent (a tombstone for the value), and
 * any other JSON's text as it came; ts is the message timestamp; headers
 * [["name","value"],...] become message headers in order, repeats kept, a
 * null value a NULL header value.  The topic is -t's, or the first output
 * of the --topic-from program over the record; the partition is -p's, or
 * the partitioner's (murmur2_random by default: Java's murmur2 over the
 * key bytes, so keys land where Kafka Streams and the Java client put them).
 *
 * Invariants: sending never blocks on one message (delivery reports are
 * polled as records go, a full queue is polled until it has room); every
 * message sent has its report in before kprod_flush or kprod_close
 * returns, and a failed one is never silent: it is named by its input
 * line, nothing more is sent, and after the reports of what was in flight
 * the process exits 4.  The producer, its topic handles and the program
 * belong to struct kprod; records and options are borrowed.
 */
#ifndef KP_KPROD_H
#define KP_KPROD_H

#include <stddef.h>
#include <stdint.h>

#include "ckpt.h"
#include "jqx.h"
#include "opt.h"
#include "rec.h"

struct kprod_opts {
	const struct opt_kafka *kafka;	/* -b, -X */
	const char *topic;		/* -t, or NULL */
	const char *topic_from;		/* --topic-from program, or NULL */
	const struct jqx_arg *args;	/* its --arg and --argjson */
	size_t n_args;
	int32_t partition;		/* -p, or -1: the partitioner's */
	int wait_ms;			/* -m: how long to wait for a broker */
	const char *source;		/* the input, as msg_at names it */
	int verbose;			/* -v: librdkafka's log lines too */
	const char *txn_id;		/* --eos: transactional.id, or NULL */
};

struct kprod;

/*
 * Is name a legal Kafka topic name (letters, digits, '.', '_', '-', at
 * most 249 bytes, not "." or "..")?  Returns 0, or -1 with *why static.
 */
int kprod_topic_check(const char *name, size_t n, const char **why);

/*
 * Compile --topic-from, make the producer and wait up to o->wait_ms for a
 * broker to answer.  Returns NULL with *why (static storage) if the
 * program does not compile; a broker that does not answer exits 4.  o and
 * what it points to must outlive the result.
 */
struct kprod *kprod_open(const struct kprod_opts *o, const char **why);

/*
 * Send data record r, read from input line lineno.  Returns 0, or -1 with
 * *why (valid until the next call) for bad input: headers that are not
 * [["name","value"],...], base64 that is not, a ts that is not a
 * non-negative integer, a --topic-from program that fails or gives no
 * legal topic name.  A message Kafka refuses exits 4 as the header says.
 */
int kprod_send(struct kprod *kp, const struct rec *r, size_t lineno,
    const char **why);
/* kprod_send with one more header, name: value, after r's own. */
int kprod_send_hdr(struct kprod *kp, const struct rec *r, size_t lineno,
    const char *name, const char *value, const char **why);

/*
 * Make what was sent durable: with o->txn_id, commit the transaction
 * (begun by the first send after the last commit), else kprod_flush.  A
 * transaction that fails exits 4: its epoch is replayed by the next run.
 */
void kprod_commit(struct kprod *kp);

/*
 * In the open transaction (begun if need be), commit offsets to consumer
 * group group: they become the group's when the transaction commits.
 */
void kprod_send_offsets(struct kprod *kp, const char *group,
    const struct ckpt_offs *offsets);

/*
 * The end offset (high watermark) of each partition of topic, into ends
 * (the topic's JSON string as its name); a broker that does not answer
 * exits 4.
 */
void kprod_ends(struct kprod *kp, const char *topic, struct ckpt_offs *ends);

/* Wait for the delivery report of every message sent; a failed one exits 4. */
void kprod_flush(struct kprod *kp);

/*
 * kprod_flush, then destroy the producer and free kp.  Returns the number
 * of messages delivered.
 */
size_t kprod_close(struct kprod *kp);

#endif
