/*
 * ckpt: checkpoints (DESIGN section 4): source offsets, the sink's record
 * of each epoch it committed, and DIR/checkpoint.
 *
 * A checkpoint N is the state of a pipeline after the records before
 * barrier N: the source offsets to read next, and the sink's output up to
 * there.  The sink (kout -s) is the pipeline's last commit, so its record
 * of an epoch is the truth: it appends one per epoch to its log, with the
 * offsets the barrier carried and what the sink needs to take its output
 * back to that epoch (a file's length; a topic's end offsets and the last
 * sequence number).  kcat-in resumes from the oldest of the newest epochs
 * of the sinks in DIR, and stateful commands keep undo logs back to it.  DIR/checkpoint is a copy of the newest, for people and
 * scripts, replaced atomically; it can be one epoch behind the truth.
 */
#ifndef KP_CKPT_H
#define KP_CKPT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "rec.h"
#include "store.h"

/* Offsets: the next offset of each (topic, partition). */
struct ckpt_off {
	char *topic;		/* the topic's JSON string text */
	int32_t partition;
	int64_t next;
};
struct ckpt_offs {
	struct ckpt_off *v;
	size_t n, cap;
};
#define CKPT_OFFS_INIT { NULL, 0, 0 }

/* topic is a JSON string's text (tn bytes), as records carry it. */
void ckpt_offs_set(struct ckpt_offs *o, const char *topic, size_t tn,
    int32_t partition, int64_t next);
int ckpt_offs_get(const struct ckpt_offs *o, const char *topic, size_t tn,
    int32_t partition, int64_t *next);
/* Append {"TOPIC":{"PARTITION":NEXT,...},...}, in a fixed order. */
void ckpt_offs_fmt(const struct ckpt_offs *o, struct buf *b);
/* Read a barrier's "offsets" text (validated JSON); -1 if not that form. */
int ckpt_offs_parse(struct ckpt_offs *o, struct span json);
void ckpt_offs_free(struct ckpt_offs *o);

/*
 * The sink's log, DIR/NAME/epochs: one record per commit, a line
 * {"epoch":N,...} appended and fsynced; that append is the sink's commit,
 * the truth a resume goes by.  A line cut short by a crash is not a
 * record (and is cut off when the log is next opened).  The newest
 * record with an epoch is that epoch's; the log keeps about the newest
 * CKPT_KEEP.  DIR/NAME/sig holds the options that made it (checked as a
 * store's fingerprint).  No Berkeley DB: a source reads it at start-up
 * without joining any environment.
 */
#define CKPT_KEEP 16
struct ckpt_log {
	char *dir;		/* DIR/NAME */
	char *path;		/* DIR/NAME/epochs */
	int fd;
	size_t n_lines;
	struct buf text;	/* its records, read */
};
void ckpt_log_open(struct ckpt_log *l, const char *dir, const char *name,
    const char *sig);
/* Epoch's record into rec: 1, or 0 when the log has none. */
int ckpt_log_get(struct ckpt_log *l, int64_t epoch, struct buf *rec);
/* The newest record and its epoch: 1, or 0 for an empty log. */
int ckpt_log_last(struct ckpt_log *l, int64_t *epoch, struct buf *rec);
/* Append rec (no newline) and fsync. */
void ckpt_log_put(struct ckpt_log *l, const struct buf *rec);
void ckpt_log_close(struct ckpt_log *l);

/*
 * Where a run with state directory dir resumes: the newest epoch of its
 * sinks (the oldest of them if there are several) and, if offs is not
 * NULL, its offsets.  Returns 1, or 0 when dir has no sink's record (a
 * fresh start: epoch 0).
 */
int ckpt_resume(const char *dir, int64_t *epoch, struct ckpt_offs *offs);

/* Replace dir/checkpoint with rec and a newline, atomically. */
void ckpt_file_write(const char *dir, const struct buf *rec);

/*
 * A stateful command's store at a checkpoint record.  ckpt_store_resume:
 * resume r (the stream's first line, lineno) takes st back to its epoch
 * and has it log undo from then on; returns the epoch.  ckpt_store_commit:
 * commit st as epoch's, first dropping the undo log that no resume needs
 * (after a resume: DIR's sinks say how far).
 */
int64_t ckpt_store_resume(struct store *st, const struct rec *r,
    size_t lineno);
void ckpt_store_commit(struct store *st, const char *dir, int64_t epoch,
    int resumed);

#endif
