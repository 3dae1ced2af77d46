/* win: window math. */
#include "win.h"

size_t
win_count(const struct win *w)
{
	if (w->kind != WIN_HOPPING)
		return 1;
	return (size_t)((w->size_ms + w->advance_ms - 1) / w->advance_ms);
}

size_t
win_hopping(const struct win *w, int64_t ts_ms, int64_t *starts)
{
	int64_t s = ts_ms - w->size_ms + w->advance_ms;
	size_t n = 0;

	if (s < 0)
		s = 0;
	for (s = s / w->advance_ms * w->advance_ms; s <= ts_ms;
	    s += w->advance_ms)
		starts[n++] = s;
	return n;
}

int64_t
win_close_upto(const struct win *w, int64_t st_ms)
{
	switch (w->kind) {
	case WIN_HOPPING:
		/* KStreamWindowAggregate: open while end > st - grace. */
		return st_ms - w->grace_ms;
	case WIN_SLIDING:
		/* KStreamSlidingWindowAggregate: open while end >= st - grace. */
		return st_ms - w->grace_ms - 1;
	case WIN_SESSION:
		/* KStreamSessionWindowAggregate: open while end >= st -
		 * grace - gap. */
		return st_ms - w->grace_ms - w->gap_ms - 1;
	default:
		return INT64_MIN;
	}
}

int
win_closed(const struct win *w, int64_t end_ms, int64_t st_ms)
{
	return end_ms <= win_close_upto(w, st_ms);
}
