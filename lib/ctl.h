/*
 * ctl: control records, {"@":...}: which kind, and the resume/end rule.
 *
 * A control record is never data.  Commands forward the ones they do not
 * act on, in order, unchanged.  A stream that began with "resume" must
 * finish with "end": reaching end of input without it means something
 * upstream died, and ctl_eof exits 3.
 */
#ifndef KP_CTL_H
#define KP_CTL_H

#include <stdint.h>

#include "rec.h"

enum ctl_kind {
	CTL_DATA,	/* not a control record */
	CTL_END,
	CTL_BARRIER,
	CTL_RESUME,
	CTL_TICK,
	CTL_OTHER	/* a kind this version does not know */
};

struct ctl_state {
	int resumed;	/* a "resume" was seen */
	int ended;	/* an "end" was seen */
};
#define CTL_STATE_INIT { 0, 0 }

/* The kind of a scanned record. */
enum ctl_kind ctl_kind(const struct rec *r);

/*
 * The "epoch" of a barrier or resume: 0 and *epoch, or -1 when it has none
 * or it is not an integer.
 */
int ctl_epoch(const struct rec *r, int64_t *epoch);

/* Note a control record passing by. */
void ctl_see(struct ctl_state *st, enum ctl_kind k);

/* At end of input: exit 3 if the stream resumed and did not end. */
void ctl_eof(const struct ctl_state *st);

#endif
