/*
 * win: window math, with Kafka Streams' numbers.
 *
 * Pure: no I/O, no allocation.  Times are milliseconds.  Stream time is the
 * largest ts seen (or the last tick).
 *   hopping  aligned to the epoch: a window of size S and advance A holds
 *            [k*A, k*A + S), end exclusive (TimeWindows); tumbling is
 *            hopping with A = S.  Closed when stream time >= end + grace.
 *   sliding  [start, start + D], both ends inclusive, made around the
 *            records themselves (SlidingWindows, KIP-450).  Closed when
 *            stream time > end + grace.
 *   session  [first ts, last ts] of records less than a gap apart, both
 *            ends inclusive (SessionWindows).  Closed when stream time >
 *            end + gap + grace: until then a record may still extend it.
 */
#ifndef KP_WIN_H
#define KP_WIN_H

#include <stddef.h>
#include <stdint.h>

enum win_kind { WIN_NONE, WIN_HOPPING, WIN_SLIDING, WIN_SESSION };

struct win {
	enum win_kind kind;
	int64_t size_ms;	/* hopping: S; sliding: D; session: 0 */
	int64_t advance_ms;	/* hopping: A */
	int64_t gap_ms;		/* session: the inactivity gap */
	int64_t grace_ms;
};

/* The most windows --hopping and --advance may put one record in. */
#define WIN_MAX_HOPS 1000000

/* The most windows a hopping window's ts falls into: ceil(S / A). */
size_t win_count(const struct win *w);

/*
 * The starts of the hopping windows that hold ts, ascending
 * (TimeWindows.windowsFor: none starts before 0); returns how many, at
 * most win_count.
 */
size_t win_hopping(const struct win *w, int64_t ts_ms, int64_t *starts);

/* The largest end a closed window can have at stream time st_ms. */
int64_t win_close_upto(const struct win *w, int64_t st_ms);

/* A window ending at end_ms is closed at stream time st_ms. */
int win_closed(const struct win *w, int64_t end_ms, int64_t st_ms);

#endif
