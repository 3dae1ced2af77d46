/*
 * rcache: a store's rows in memory, in front of it: key -> value, or a
 * known absence.
 *
 * A lookup touches its slot and, when the hash matches, the row: slots
 * hold the hash beside the row's address, open addressing keeps them in
 * one array, and rows are packed in large chunks (on Linux, in huge pages
 * where the kernel gives them), so a random lookup over a table larger
 * than the caches costs about two cache misses and few TLB misses.
 *
 * When the rows written reach the byte bound the cache empties itself:
 * the store holds every row, the cache only some.  A row lives until the
 * next rcache_put or rcache_clear.
 */
#ifndef KP_RCACHE_H
#define KP_RCACHE_H

#include <stddef.h>
#include <stdint.h>

struct rcache_row {
	uint32_t kn, vn;	/* key and value lengths */
	uint32_t cap;		/* bytes for the value, vn or more */
	int absent;		/* the store has no such key */
	char data[];		/* the key, then the value */
};

struct rcache_slot {
	uint64_t h;
	struct rcache_row *row;	/* NULL: empty */
};

struct rcache {
	struct rcache_slot *slot;
	size_t n_slot, n_rows;
	char **chunk;		/* where the rows are */
	size_t n_chunk, cap_chunk;
	char *next;		/* free space in the last chunk */
	size_t left;
	size_t mem, max_mem;	/* bytes of rows written, and the bound */
};

/* An empty cache that holds about max_mem bytes of rows. */
void rcache_init(struct rcache *c, size_t max_mem);
/* Every row forgotten; the memory kept for reuse. */
void rcache_clear(struct rcache *c);
void rcache_free(struct rcache *c);

/* Key k's row, or NULL when the cache does not know the key. */
struct rcache_row *rcache_get(struct rcache *c, const char *k, size_t kn);
/* Remember key k's value v (v NULL: absent); returns its row. */
struct rcache_row *rcache_put(struct rcache *c, const char *k, size_t kn,
    const char *v, size_t vn);

/*
 * A hint that key k is looked up soon: bring its slot (row 0) or, its
 * slot being at hand, its row (row 1) toward the cache.  Lookups of a
 * table larger than the caches wait on memory; hints for the records
 * coming next hide the wait.  A wrong hint costs a little time, no more.
 */
void rcache_prefetch(struct rcache *c, const char *k, size_t kn, int row);

#endif
