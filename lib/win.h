/*
 * win: window math, with Kafka Streams' numbers.
 *
 * Pure: no I/O, no allocation.  Times are milliseconds.  Tumbling and
 * hopping windows are aligned to the epoch: a hopping window of size S and
 * advance A holds [k*A, k*A + S), end exclusive (TimeWindows); a tumbling
 * window is a hopping one with A = S.  Stream time is the largest ts seen;
 * a window closes when stream time >= its end + grace.
 */
#ifndef KP_WIN_H
#define KP_WIN_H

#include <stddef.h>
#include <stdint.h>

enum win_kind { WIN_NONE, WIN_HOPPING };

struct win {
	enum win_kind kind;
	int64_t size_ms, advance_ms, grace_ms;
};

/* The most windows one ts can fall into: ceil(size / advance). */
size_t win_count(const struct win *w);

/*
 * The starts of the windows that hold ts, ascending (TimeWindows.windowsFor:
 * none starts before 0); returns how many, at most win_count.
 */
size_t win_hopping(const struct win *w, int64_t ts_ms, int64_t *starts);

/* A window ending at end_ms is closed at stream time st_ms. */
int win_closed(const struct win *w, int64_t end_ms, int64_t st_ms);

/* The largest end a closed window can have at stream time st_ms. */
int64_t win_close_upto(const struct win *w, int64_t st_ms);

#endif
