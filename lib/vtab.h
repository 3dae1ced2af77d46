/*
 * vtab: a versioned table in a store's data table, as Kafka Streams'
 * versioned key-value stores keep one (KIP-889): every version of a key's
 * row by its time, so that a reader can ask for the row as of a time.
 *
 * A version is kept as 'v' KEY \0 -TS -> 1 VALUE, or -> 0 for a deletion,
 * so that a key's versions are adjacent, newest first.  observed is the
 * largest time put; history the span of time before it that lookups can
 * reach (INT64_MAX: all).  Older versions are deleted as a key is put,
 * except its newest: the newest version of a key never expires.
 */
#ifndef KP_VTAB_H
#define KP_VTAB_H

#include <stdint.h>

#include "buf.h"
#include "store.h"

struct vtab {
	struct store *st;
	int64_t history;
	int64_t observed;	/* -1 before the first put */
	struct buf k, v;
};

/* Open the versioned table of st; observed comes from its meta. */
void vtab_open(struct vtab *t, struct store *st, int64_t history);
void vtab_close(struct vtab *t);
/* Reload observed, after a rollback; save it, before a commit. */
void vtab_load(struct vtab *t);
void vtab_save(struct vtab *t);

/*
 * Put key k's version at ts: value v (vn bytes), or a deletion (v NULL).
 * Returns 0, putting nothing, if ts is older than the history reaches.
 */
int vtab_put(struct vtab *t, const char *k, size_t kn, int64_t ts,
    const char *v, size_t vn);

/*
 * Key k's row as of asof into v: 1, or 0 if it had none then (or a
 * deletion), or asof is beyond the history and the newest version is
 * later than asof.
 */
int vtab_get(struct vtab *t, const char *k, size_t kn, int64_t asof,
    struct buf *v);

#endif
