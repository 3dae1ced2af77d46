/*
 * dur: durations and times, as DESIGN section 3 writes them, to and from
 * milliseconds.
 *
 * Pure: no I/O, no allocation.  A parse returns 0 and stores the value, or
 * returns -1 and points *why at a static reason.
 */
#ifndef KP_DUR_H
#define KP_DUR_H

#include <stddef.h>
#include <stdint.h>

/*
 * The longest duration, 10^15 ms (about 31,700 years): a timestamp plus
 * or twice a duration stays far inside 64 bits.
 */
#define DUR_MAX_MS 1000000000000000LL

/* "250ms", "5s", "1m", "2h", "1d"; a bare number is milliseconds. */
int dur_parse(const char *s, int64_t *ms, const char **why);

/*
 * ISO 8601: YYYY-MM-DD, then optionally Thh:mm[:ss[.fff...]] and a zone
 * (Z, +hh:mm, +hhmm, +hh); a time without a zone is UTC.  n is the length.
 */
int dur_iso_parse(const char *s, size_t n, int64_t *ms, const char **why);

/* A time: milliseconds since the epoch (digits), or ISO 8601. */
int dur_time_parse(const char *s, int64_t *ms, const char **why);

/*
 * Write ms as ISO 8601 UTC with milliseconds, "2026-11-24T10:00:00.123Z",
 * into out (at least DUR_ISO_MAX bytes); returns the length.
 */
#define DUR_ISO_MAX 40
size_t dur_iso_fmt(int64_t ms, char *out);

#endif
