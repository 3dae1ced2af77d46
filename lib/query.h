/*
 * query: kquery's reading of a kcount, kwindow or kjoin store.
 *
 * The store says how it was made (its fingerprint: the command, the window,
 * the aggregate functions or reducer and their --arg values), which is
 * enough to print its groups as the records its command emits: in key
 * order, then window start.
 */
#ifndef KP_QUERY_H
#define KP_QUERY_H

#include <stdint.h>

#include "buf.h"
#include "store.h"

struct query {
	const char *key;		/* one key's JSON text, or NULL */
	const char *from, *to;		/* a key range (JSON texts, compared
					   byte by byte, both ends in), or
					   NULL */
	int64_t time_from, time_to;	/* window starts; INT64_MIN,
					   INT64_MAX: all */
};

/*
 * Append the groups q selects from st, opened read-only, to out, to be
 * written once the store is closed.  A store that is not a group store
 * dies with exit 5.
 */
void query_run(struct store *st, const struct query *q, struct buf *out);

#endif
