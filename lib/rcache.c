/* rcache: a store's rows in memory, in front of it. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hash.h"
#include "msg.h"
#include "rcache.h"

#define CHUNK ((size_t)2 << 20)	/* a huge page */
#define MIN_SLOTS ((size_t)1 << 12)

/*
 * n bytes, aligned to a huge page and asking for huge pages when n is at
 * least one: random lookups over megabytes of rows are TLB misses
 * otherwise.
 */
static void *
big_alloc(size_t n)
{
	void *p;

	if (n < CHUNK)
		return xmalloc(n);
	n = (n + CHUNK - 1) & ~(CHUNK - 1);
	if ((p = aligned_alloc(CHUNK, n)) == NULL)
		die(KP_EXIT_DATA, "out of memory");
#ifdef MADV_HUGEPAGE
	(void)madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

static uint64_t
hash(const char *p, size_t n)
{
	return hash_fold(hash_fnv1a(p, n, HASH_FNV_BASIS));
}

void
rcache_init(struct rcache *c, size_t max_mem)
{
	memset(c, 0, sizeof *c);
	c->max_mem = max_mem;
}

void
rcache_clear(struct rcache *c)
{
	size_t i;

	if (c->slot != NULL)
		memset(c->slot, 0, c->n_slot * sizeof *c->slot);
	for (i = 1; i < c->n_chunk; i++)
		free(c->chunk[i]);
	if (c->n_chunk > 0) {
		c->n_chunk = 1;
		c->next = c->chunk[0];
		c->left = CHUNK;
	}
	c->n_rows = c->mem = 0;
}

void
rcache_free(struct rcache *c)
{
	size_t i;

	for (i = 0; i < c->n_chunk; i++)
		free(c->chunk[i]);
	free(c->chunk);
	free(c->slot);
	memset(c, 0, sizeof *c);
}

/* Key k's slot: its row's, or the empty one where it would go. */
static struct rcache_slot *
find(struct rcache *c, const char *k, size_t kn, uint64_t h)
{
	size_t i, mask = c->n_slot - 1;
	struct rcache_slot *s;

	for (i = h & mask;; i = (i + 1) & mask) {
		s = &c->slot[i];
		if (s->row == NULL || (s->h == h && s->row->kn == kn &&
		    memcmp(s->row->data, k, kn) == 0))
			return s;
	}
}

/* Twice the slots (or the first ones), the rows placed again. */
static void
grow(struct rcache *c)
{
	struct rcache_slot *old = c->slot, *s;
	size_t i, n_old = c->n_slot, mask;

	c->n_slot = n_old == 0 ? MIN_SLOTS : 2 * n_old;
	c->slot = big_alloc(c->n_slot * sizeof *c->slot);
	memset(c->slot, 0, c->n_slot * sizeof *c->slot);
	mask = c->n_slot - 1;
	for (i = 0; i < n_old; i++) {
		if (old[i].row == NULL)
			continue;
		for (s = &c->slot[old[i].h & mask]; s->row != NULL;
		    s = s + 1 == c->slot + c->n_slot ? c->slot : s + 1)
			;
		*s = old[i];
	}
	free(old);
}

/* n bytes for a row, 8-aligned, from the chunks. */
static struct rcache_row *
row_alloc(struct rcache *c, size_t n)
{
	size_t size;
	char *p;

	n = (n + 7) & ~(size_t)7;
	if (n > c->left) {
		size = n > CHUNK ? n : CHUNK;
		if (c->n_chunk == c->cap_chunk) {
			c->cap_chunk = c->cap_chunk ? 2 * c->cap_chunk : 16;
			c->chunk = xrealloc(c->chunk,
			    c->cap_chunk * sizeof *c->chunk);
		}
		p = big_alloc(size);
		c->chunk[c->n_chunk++] = p;
		c->next = p;
		c->left = size;
	}
	p = c->next;
	c->next += n;
	c->left -= n;
	c->mem += n;
	return (struct rcache_row *)(void *)p;
}

struct rcache_row *
rcache_get(struct rcache *c, const char *k, size_t kn)
{
	if (c->n_rows == 0)
		return NULL;
	return find(c, k, kn, hash(k, kn))->row;
}

struct rcache_row *
rcache_put(struct rcache *c, const char *k, size_t kn, const char *v,
    size_t vn)
{
	uint64_t h = hash(k, kn);
	struct rcache_slot *s;
	struct rcache_row *r;

	if (v == NULL)
		vn = 0;
	if (c->mem > c->max_mem)
		rcache_clear(c);
	if (c->n_slot == 0 || 2 * (c->n_rows + 1) > c->n_slot)
		grow(c);
	s = find(c, k, kn, h);
	if ((r = s->row) == NULL || r->cap < vn) {
		r = row_alloc(c, sizeof *r + kn + vn);
		r->kn = kn;
		r->cap = vn;
		memcpy(r->data, k, kn);
		if (s->row == NULL)
			c->n_rows++;
		s->h = h;
		s->row = r;
	}
	r->vn = vn;
	r->absent = v == NULL;
	if (vn > 0)
		memcpy(r->data + kn, v, vn);
	return r;
}

void
rcache_prefetch(struct rcache *c, const char *k, size_t kn, int row)
{
	struct rcache_slot *s;
	uint64_t h;

	if (c->n_rows == 0)
		return;
	h = hash(k, kn);
	s = &c->slot[h & (c->n_slot - 1)];
	if (!row)
		__builtin_prefetch(s);
	else if (s->row != NULL && s->h == h)
		__builtin_prefetch(s->row);
}
