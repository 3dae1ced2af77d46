/*
 * join: kjoin's engine, over the store.
 *
 * Stream-table (JOIN_TABLE), as Kafka Streams' KStream-KTable join: the
 * table (the right side) is a changelog, kept in the store as key ->
 * latest value (a null value deletes the key), in arrival order; each
 * stream record (the left side) joins the table as it stands when the
 * record is processed.  Result: the stream record's ts.
 *
 * Stream-stream (JOIN_WINDOW), as KStream-KStream join with Kafka's fix
 * for spurious results (lib/wjoin.c): both sides buffered by key and
 * time; a left record at t joins right records in [t-before, t+after].
 * Result: the larger ts of the two.
 *
 * The two sides come as one stream split by topic (left_topic and
 * right_topic), or the left from the main input and the right from a
 * file, read as far as each left record's ts (a right record with the
 * same ts comes first).
 *
 * A result has the key, as value the with program's first output over
 * $left and $right (null for a missing side), by default
 * {"left":$left,"right":$right}, and the headers and provenance of the
 * record that made it.  Records with a null key are skipped and counted,
 * on both sides; so are stream records with a null value.
 *
 * Checkpoints as lib/group.c: resume rolls the store back, a barrier
 * commits, end commits and ends.
 */
#ifndef KP_JOIN_H
#define KP_JOIN_H

#include <stdint.h>

#include "buf.h"
#include "jqx.h"
#include "out.h"
#include "rec.h"
#include "store.h"
#include "stream.h"

enum join_kind { JOIN_TABLE, JOIN_WINDOW, JOIN_TABLES };

struct join_conf {
	enum join_kind kind;
	int left;		/* unmatched left records are emitted */
	int right;		/* unmatched right records are emitted */
	int64_t before, after, grace;	/* JOIN_WINDOW */
	int close_at_end;	/* a bounded input: read all, emit all */
	int versioned;		/* JOIN_TABLE: as of the stream's ts */
	int64_t history;	/* versioned: how far back; INT64_MAX */
	struct jqx *with;	/* --with, or NULL */
	struct jqx *fk;		/* JOIN_TABLES: --fk, or NULL */
	const char *left_topic;	/* with right_topic: split by topic */
	const char *right_topic;
	const char *right_path;	/* --right FILE, or NULL */
	const char *dir;	/* -s DIR, for pruning the undo log */
	size_t cache_bytes;	/* the table's rows in memory, at most */
	int quiet, verbose;
};

/*
 * The --with program as kjoin compiles it: prog run with $left and $right
 * bound.  Returns NULL with *why if it does not compile.
 */
struct jqx *join_with(const char *prog, const struct jqx_arg *args,
    size_t n_args, const char **why);

/* Run the join over s until its end; results and control records to out. */
void join_run(const struct join_conf *c, struct store *st, struct stream *s,
    struct out *out);

/*
 * Between join.c and wjoin.c.  A key as the store keeps it: the key's
 * JSON text, or \1 and key_base64's; join_key returns -1 for a null key.
 */
struct join;
int join_key(const struct rec *r, struct buf *k);
/* r's value as JSON text: value, value_base64's string, or null. */
struct span join_value(const struct rec *r);
int join_is_null(struct span v);
/*
 * Write a result: key k (as join_key makes it), ts, the two sides' values
 * (NULL: missing), with the headers and provenance of trig (NULL: none).
 * join_result with tomb writes a tombstone: value null, --with not run.
 */
void join_emit(struct join *j, const struct rec *trig, const char *k,
    size_t kn, int64_t ts, const struct span *left,
    const struct span *right);
void join_result(struct join *j, const struct rec *trig, const char *k,
    size_t kn, int64_t ts, const struct span *left, const struct span *right,
    int tomb);
/* Count a record skipped for its null key or value. */
void join_skip_null(struct join *j, int null_key);
/* r is bad input, for why. */
void join_bad(struct join *j, const struct rec *r, const char *why);
/*
 * The rows of the store's data table, through a cache in memory: key k's
 * value into v (1), or 0 when absent; write v (NULL: delete).
 */
int join_row_get(struct join *j, const char *k, size_t kn, struct buf *v);
void join_row_put(struct join *j, const char *k, size_t kn, const char *v,
    size_t vn);

/* The windowed join: its state, made and freed by join_run. */
struct wjoin;
struct wjoin *wjoin_new(const struct join_conf *c, struct store *st,
    struct join *j);
void wjoin_free(struct wjoin *w);
/* A record of the left (right = 0) or right side; a valid ts. */
void wjoin_record(struct wjoin *w, const struct rec *r, int right);
/* Stream time has reached ts with no record. */
void wjoin_tick(struct wjoin *w, int64_t ts);
/* A clean end of input: with close_at_end, emit what waits. */
void wjoin_end(struct wjoin *w);
/* Reload after a rollback; save to meta before a commit. */
void wjoin_load(struct wjoin *w);
void wjoin_save(struct wjoin *w);
/* Records kept out of the buffers as too late for them. */
size_t wjoin_n_late(const struct wjoin *w);

/* Table-table and foreign-key joins (lib/tjoin.c). */
struct tjoin;
struct tjoin *tjoin_new(const struct join_conf *c, struct store *st,
    struct join *j);
void tjoin_free(struct tjoin *t);
/* A change of the left (side 0) or right table's row. */
void tjoin_record(struct tjoin *t, const struct rec *r, int side);
/* Left rows skipped for a null foreign key. */
size_t tjoin_n_null_fk(const struct tjoin *t);

#endif
