/*
 * hash: FNV-1a over bytes, the one byte hash kpipe uses.
 *
 * Values of hash_fnv1a(p, n, HASH_FNV_BASIS) are stored on disk (kjoin's
 * foreign-key subscriptions): the function must never change.
 */
#ifndef KP_HASH_H
#define KP_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV_BASIS 14695981039346656037ULL

/* Go on hashing n bytes at p from h (HASH_FNV_BASIS to start). */
static inline uint64_t
hash_fnv1a(const char *p, size_t n, uint64_t h)
{
	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * 1099511628211ULL;
	return h;
}

/*
 * For a power-of-two table: FNV-1a's low bits mix poorly, so fold the
 * high ones in.
 */
static inline uint64_t
hash_fold(uint64_t h)
{
	return h ^ h >> 29;
}

#endif
