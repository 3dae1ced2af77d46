/*
 * join: kjoin's engine.  This version joins a stream with a table, as
 * Kafka Streams' KStream-KTable join: the table (the right side) is a
 * changelog, kept in the store as key -> latest value (a null value
 * deletes the key), in arrival order; each stream record (the left side)
 * joins the table as it stands when the record is processed.
 *
 * The two sides come as one stream split by topic (left_topic and
 * right_topic), or the left from the main input and the right from a
 * file, read as far as each left record's ts (a table update with the
 * same ts comes first).
 *
 * Result: the stream record's ts, key, headers and provenance, and as
 * value the with program's first output over $left and $right (the
 * table's value, null for none), by default {"left":$left,"right":$right}.
 * An inner join emits only when the key is in the table.  Records with a
 * null key are skipped and counted, on both sides.
 *
 * Checkpoints as lib/group.c: resume rolls the store back, a barrier
 * commits, end commits and ends.
 */
#ifndef KP_JOIN_H
#define KP_JOIN_H

#include "jqx.h"
#include "out.h"
#include "store.h"
#include "stream.h"

struct join_conf {
	int left;		/* --type left: emit with $right null */
	struct jqx *with;	/* --with, or NULL */
	const char *left_topic;	/* with right_topic: split by topic */
	const char *right_topic;
	const char *right_path;	/* --right FILE, or NULL */
	const char *dir;	/* -s DIR, for pruning the undo log */
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

#endif
