/*
 * store: a stateful command's state, in Berkeley DB.
 *
 * Each store is a transactional environment of its own, DIR/NAME/, in
 * the pipeline's state directory DIR (-s, $KPIPE_STATE): a process killed
 * inside Berkeley DB holds up no other store.  Without a DIR it lives in
 * a private temporary directory, removed by store_close and before any
 * exit.
 *
 * A store has three tables: meta (small named integers and the options
 * fingerprint), data (the state, keyed as the caller lays it out) and index
 * (keys only, for a second order).  Writes go into one transaction, begun
 * by the first write after a commit; store_commit commits it whole, with
 * the epoch it belongs to.  A crash before that loses the epoch's writes,
 * never part of them: the environment recovers on open.
 *
 * Readers (kquery) open the store read-only and see it as of one of the
 * owner's commits, while the owner runs: a store lock, held by the owner
 * from an epoch's first write to its commit and by a reader while it
 * reads, keeps them apart: a reader that comes while the owner has an
 * epoch half written waits for its commit (wait_ms, then exit 5).
 * Private state has no transactions at all: it goes at exit anyway.
 *
 * Berkeley DB errors die with exit 5 (KP_EXIT_STORE).
 */
#ifndef KP_STORE_H
#define KP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "jqx.h"

enum store_table { STORE_META, STORE_DATA, STORE_INDEX, STORE_NT };

struct store;

struct store_conf {
	const char *dir;	/* DIR, or NULL for private state */
	const char *name;	/* the store's name inside DIR */
	const char *sig;	/* options fingerprint: "name=value\n" lines */
	size_t cache_bytes;	/* Berkeley DB cache; 0: its default */
	int readonly;		/* kquery: no writes, reads whole commits */
	int wait_ms;		/* kquery: longest wait for a commit; 0: 30 s */
};

/*
 * Open (creating if need be) the store conf names.  A store made with
 * another fingerprint dies with exit 5, naming the first line that
 * differs.  A read-only open of a store that does not exist dies too.
 */
struct store *store_open(const struct store_conf *conf);
/* Abort what is not committed, close, remove private state. */
void store_close(struct store *st);

/* A meta integer: 1 and *v when present, else 0. */
int store_meta_get(struct store *st, const char *name, int64_t *v);
void store_meta_put(struct store *st, const char *name, int64_t v);

/* Look k up in t: 1 with its value in v (replaced), 0 when absent. */
int store_get(struct store *st, enum store_table t, const void *k,
    size_t kn, struct buf *v);
void store_put(struct store *st, enum store_table t, const void *k,
    size_t kn, const void *v, size_t vn);
/* Delete k from t; absent is fine. */
void store_del(struct store *st, enum store_table t, const void *k,
    size_t kn);

/*
 * Walk t in key order from the first key >= lo (NULL: the start) while
 * fn returns 0; fn gets each key and value, borrowed for the call, and may
 * not write to the store.  Returns what fn returned last, or 0.
 */
typedef int store_walk_fn(void *ctx, const void *k, size_t kn,
    const void *v, size_t vn);
int store_walk(struct store *st, enum store_table t, const void *lo,
    size_t lon, store_walk_fn *fn, void *ctx);

/* Commit the open transaction as epoch's; nothing open is fine. */
void store_commit(struct store *st, int64_t epoch);
/* Undo the writes since the last commit. */
void store_abort(struct store *st);

/*
 * Epochs and undo (checkpoints, DESIGN section 4).  After store_undo,
 * every write logs what it replaces, once per key and epoch, in the same
 * transaction, so that store_rollback can take the store back to the end
 * of an earlier epoch: it undoes every epoch after epoch, newest first,
 * and commits.  A store behind epoch (or new, for epoch > 0) dies with
 * exit 5: its state is missing.  store_prune drops the log of the epochs
 * up to upto, which no rollback will need (in the open transaction).
 * Private state keeps no log.
 */
void store_undo(struct store *st);
void store_rollback(struct store *st, int64_t epoch);
void store_prune(struct store *st, int64_t upto);

/* The store's path, DIR/NAME, for messages. */
const char *store_path(const struct store *st);

/*
 * The options fingerprint: one line per option, NAME=JSON, where JSON is
 * a string (store_sig_add) or an integer (store_sig_addi).  store_sig_get
 * finds the n-th line named name (from 0) and decodes a string's text
 * into v: 1, or 0 when there is none.
 */
void store_sig_add(struct buf *sig, const char *name, const char *value);
void store_sig_addi(struct buf *sig, const char *name, int64_t value);
int store_sig_get(const char *sig, const char *name, int n, struct buf *v);
/*
 * Die with exit 5 if fingerprint have (the store's at path) is not want,
 * naming the first option that differs.
 */
void store_sig_check(const char *path, const char *have, const char *want);
/* The --arg and --argjson lines: arg=NAME=VALUE, argjson=NAME=JSON. */
void store_sig_args(struct buf *sig, const struct jqx_arg *args, size_t n);
/* The fingerprint of an open store, borrowed while it is open. */
const char *store_sig(const struct store *st);

/* Keys: int64 as 8 big-endian bytes that sort as the numbers do. */
void store_key_i64(struct buf *b, int64_t v);
int64_t store_i64_key(const void *p);

#endif
