/*
 * group: grouped aggregation, as Kafka Streams' groupByKey().aggregate()
 * and windowedBy().aggregate() (KStreamAggregate, KStreamWindowAggregate).
 *
 * Records are grouped by key (or --by), and by window; each group's
 * aggregate (lib/agg.c) lives in the store (lib/store.c), with a write-back
 * table in memory in front of it, bounded by mem_bytes.  Stream time, the
 * open windows and what is still to be emitted are in the store too, so a
 * second run on the same store goes on where the first stopped.
 *
 * group_run reads the stream to its end: data records update their groups
 * and emit results (every update, or with emit_final each window once,
 * when it closes); a tick advances stream time; a barrier commits, then is
 * forwarded; end, or the end of a stream that did not resume, commits and
 * finishes.  Records with a null key are skipped and counted; records for
 * a closed window are late: dropped, counted, and copied to late_path.
 */
#ifndef KP_GROUP_H
#define KP_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "bad.h"
#include "jqx.h"
#include "opt.h"
#include "out.h"
#include "store.h"
#include "stream.h"
#include "win.h"

struct group_conf {
	struct win win;
	struct agg *agg;	/* borrowed */
	struct jqx *by;		/* --by, or NULL: the record's key */
	int table;		/* the input is a changelog (--table) */
	int emit_final;
	int close_at_end;
	int64_t retention_ms;	/* 0: size + grace */
	const char *late_path;	/* --late, or NULL */
	int quiet, verbose;
	size_t mem_bytes;	/* the table in memory; 0: a default */
	const char *dir;	/* -s DIR, or NULL: its checkpoint file */
};

/*
 * The flags kcount and kwindow share: the window, --by, --emit, --grace,
 * --late, --close-at-end, --retention, --cache-size; -s and --name come
 * with OPT_DEFS_STATE.
 */
enum {
	GROUP_BY = 900, GROUP_TUMBLING, GROUP_HOPPING, GROUP_ADVANCE,
	GROUP_GRACE, GROUP_EMIT, GROUP_CLOSE_AT_END, GROUP_LATE,
	GROUP_RETENTION, GROUP_CACHE_SIZE, GROUP_SLIDING, GROUP_SESSION,
	GROUP_TABLE
};
/* kcount's alone: the input is a table's changelog. */
#define GROUP_OPT_TABLE { "table", 0, 0, GROUP_TABLE }
#define GROUP_OPT_DEFS \
	{ "advance", 0, 1, GROUP_ADVANCE }, { "by", 0, 1, GROUP_BY }, \
	{ "cache-size", 0, 1, GROUP_CACHE_SIZE }, \
	{ "close-at-end", 0, 0, GROUP_CLOSE_AT_END }, \
	{ "emit", 0, 1, GROUP_EMIT }, { "grace", 0, 1, GROUP_GRACE }, \
	{ "hopping", 0, 1, GROUP_HOPPING }, { "late", 0, 1, GROUP_LATE }, \
	{ "retention", 0, 1, GROUP_RETENTION }, \
	{ "session", 0, 1, GROUP_SESSION }, \
	{ "sliding", 0, 1, GROUP_SLIDING }, \
	{ "tumbling", 0, 1, GROUP_TUMBLING }

struct group_opts {
	struct group_conf conf;
	const char *by;
	size_t cache_bytes;
	int grace_set;
	int tumbling;		/* --tumbling: advance = size */
	int64_t advance_ms;	/* --advance, as given */
};

/* Take one of the shared flags: 1, or 0 when id is not one. */
int group_opt(struct group_opts *go, struct opt *o, int id);
/*
 * Check the combination, compile --by, fill go->conf and the store's
 * configuration (fingerprint lines: the command, its window and grace,
 * --by, the args, then agg_sig's lines, which the caller appended to sig).
 */
void group_opts_done(struct group_opts *go, struct opt *o,
    struct opt_common *c, struct buf *sig, struct store_conf *sc);

/*
 * The rest of kcount's and kwindow's main, once go holds the aggregate and
 * sig its lines: check the options, open the store, read path ("-":
 * standard input) to its end, writing to standard output, and close.
 * Frees --by; the aggregate stays the caller's.
 */
void group_main(struct group_opts *go, struct opt *o, struct opt_common *c,
    struct buf *sig, const char *path);

struct group;

/* st and out are borrowed; out receives results and control records. */
struct group *group_new(const struct group_conf *c, struct store *st,
    struct out *out);
void group_run(struct group *g, struct stream *s);
void group_free(struct group *g);

/*
 * A group as the store keeps it (spans into the store's bytes): decoded
 * from a data table entry, and printed as the record its command emits.
 */
struct group_result {
	struct span key;		/* JSON text */
	int64_t start_ms, end_ms;	/* windowed */
	int64_t max_ts;
	struct span prov;		/* ,"topic":..,"partition":..,.. */
	struct span state;		/* lib/agg.c's bytes; NULL: a
					   tombstone, value null */
};
/* 0, or -1 if the entry is not one of a group store. */
int group_decode(int windowed, const void *k, size_t kn, const void *v,
    size_t vn, struct group_result *r);
void group_fmt(const struct agg *a, int windowed,
    const struct group_result *r, struct buf *out);

#endif
