/*
 * kcons: kcat-in's Kafka side: topics' partitions read into records, merged
 * by timestamp.
 *
 * Each partition is read from its own queue and holds one message ahead;
 * the next record is the one with the smallest timestamp among them, as
 * Kafka Streams picks its next record (ties: topic and partition order).
 * A partition the broker holds more data for (by its high watermark) is
 * waited for, so that data already in the topics comes out in the same
 * order on every run; one that has caught up is not.  With -e each
 * partition's high watermark is pinned when it is assigned, and the
 * partition is done at it.
 *
 * Offsets are committed (with -g) only by kcons_commit, which a caller
 * calls once the records before them are downstream's, and on revocation
 * of partitions in a rebalance (after flushing standard output), never on
 * receipt.
 */
#ifndef KP_KCONS_H
#define KP_KCONS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ckpt.h"
#include "opt.h"
#include "pay.h"
#include "src.h"

enum kcons_from {
	KCONS_BEGINNING, KCONS_END, KCONS_STORED, KCONS_OFFSET,
	KCONS_FROM_END, KCONS_TIME
};

struct kcons_opts {
	const struct opt_kafka *kafka;
	char **topics;
	size_t n_topics;
	int32_t partition;	/* -p, or -1 for all */
	enum kcons_from from;	/* -o */
	int64_t from_value;	/* the offset, count or time of -o */
	int exit_at_end;	/* -e */
	const char *group;	/* -g, or NULL */
	int no_commit;		/* -s: the checkpoint, not the group, keeps
				   the offsets: never commit them */
	enum pay_kind key_fmt, value_fmt;
	int64_t idle_ms;	/* --idle, or -1 */
	int timeout_ms;		/* -m: for each request to the brokers */
	const struct src_opts *src;	/* --ts, --key, --on-error, and
					   -s's offsets to go on from */
};

/* Parse -o: beginning, end, stored, N, -N, @TIME; -1 with *why. */
int kcons_from_parse(const char *s, enum kcons_from *from, int64_t *v,
    const char **why);

struct kcons;

/* Connect and assign or subscribe; an unreachable broker exits 4. */
struct kcons *kcons_open(const struct kcons_opts *o);

/*
 * Append the next record, or a tick, as a line to out.  Returns 1 for a
 * record, 2 for a tick, 4 when the time kcons_wake set has come, 0 at the
 * end (-e, or a stop request).
 */
int kcons_next(struct kcons *k, struct buf *out);

/*
 * Have kcons_next return 4 rather than wait past wall time at_ms
 * (0: never), so that a barrier can go out on time.
 */
void kcons_wake(struct kcons *k, int64_t at_ms);

/*
 * Each partition's offset after the records given out so far (or where
 * it started, if none was), into offs.
 */
void kcons_offsets(const struct kcons *k, struct ckpt_offs *offs);

/* Ask kcons_next to return 0 soon (from a signal handler). */
void kcons_stop(void);

/* Commit the offsets after the records given out so far (with -g). */
void kcons_commit(struct kcons *k);

void kcons_close(struct kcons *k);

#endif
