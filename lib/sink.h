/*
 * sink: kout's side of the checkpoint protocol (-s DIR): the sink's commit
 * is the pipeline's checkpoint.
 *
 * The sink keeps a log (DIR/NAME/epochs, lib/ckpt.h) of one record per
 * committed epoch: the barrier's offsets and what the sink needs to take
 * its output back to that epoch.
 *
 * - A file (-o FILE): at barrier N the file is flushed and fsynced, then
 *   its length is recorded; at resume N (or at start, to the newest
 *   epoch) it is cut back to N's length.  Byte for byte, nothing lost or
 *   repeated.
 * - Standard output: flushed at each barrier; what went out after the
 *   last checkpoint goes out again after a crash (at least once).
 * - A topic (-t) with --eos: each message carries a header kpipe.seq,
 *   "ID:SEQ", where ID names the sink (made once, kept in its log) and
 *   SEQ counts its output records from 1 across epochs and runs.  Barrier
 *   N commits the producer's transaction (with the barrier's offsets for
 *   the source's group, when the barrier names one), then records SEQ
 *   and where the next reading back starts: the end offset of each
 *   partition, or, while records read back are still to come, where the
 *   last reading back started.  On resume N the sink reads its partitions
 *   back from N's end offsets (read_committed) and skips each record whose
 *   SEQ it finds there: what an interrupted epoch got into the topic is
 *   not written twice, even where the broker does not enforce
 *   transactions (kbroker's mock); where it does, the aborted ones are
 *   invisible to the reading back and are written again.  The pipeline
 *   must be deterministic: records in the same order on a replay.
 * - A topic without --eos: flushed at each barrier (at least once).
 *
 * Then DIR/checkpoint is replaced with the record (lib/ckpt.h).
 */
#ifndef KP_SINK_H
#define KP_SINK_H

#include <stdint.h>

#include "kprod.h"
#include "opt.h"
#include "out.h"
#include "rec.h"

struct sink_conf {
	const char *dir;		/* -s DIR */
	const char *name;		/* --name, or NULL: "kout" */
	const char *path;		/* -o FILE, or NULL */
	const char *topic;		/* -t, or NULL */
	const char *topic_from;		/* --topic-from, or NULL */
	int eos;			/* --eos */
	const struct opt_kafka *kafka;	/* for reading a topic back */
	int wait_ms;			/* -m */
};

struct sink;

/*
 * Open the sink's log.  A file is opened into out (kept: sink_start cuts
 * it back).  Then sink_start, with the producer for a topic (NULL for a
 * file or standard output), takes a new sink's output as its epoch 0.
 */
struct sink *sink_open(const struct sink_conf *c, struct out *out);
void sink_start(struct sink *k, struct kprod *kp);
/* The sink's id: 16 hex digits, made with it, kept in its log. */
const char *sink_id(const struct sink *k);

/* Control records: resume N, barrier N, end. */
void sink_resume(struct sink *k, const struct rec *r);
void sink_barrier(struct sink *k, const struct rec *r);
void sink_end(struct sink *k);

/*
 * Before a data record goes to a topic: 1 if an interrupted run already
 * wrote it (skip it), else 0 with *hdr, *val the header to send it with
 * (NULL without --eos), valid until the next call.
 */
int sink_next(struct sink *k, const char **hdr, const char **val);

/* Records skipped as already written. */
uint64_t sink_skipped(const struct sink *k);

void sink_close(struct sink *k);

#endif
