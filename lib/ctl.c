/* ctl: control records. */
#include <string.h>

#include "ctl.h"
#include "msg.h"

static int
is(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n + 2 && s.p[0] == '"' && memcmp(s.p + 1, lit, n) == 0;
}

enum ctl_kind
ctl_kind(const struct rec *r)
{
	struct span s = r->f[REC_AT];

	if (s.p == NULL)
		return CTL_DATA;
	if (is(s, "end"))
		return CTL_END;
	if (is(s, "barrier"))
		return CTL_BARRIER;
	if (is(s, "resume"))
		return CTL_RESUME;
	if (is(s, "tick"))
		return CTL_TICK;
	return CTL_OTHER;
}

int
ctl_epoch(const struct rec *r, int64_t *epoch)
{
	size_t i;

	for (i = 0; i < r->n_other; i++)
		if (is(r->other[i].name, "epoch"))
			return rec_int(r->other[i].val, epoch) ? 0 : -1;
	return -1;
}

void
ctl_see(struct ctl_state *st, enum ctl_kind k)
{
	if (k == CTL_RESUME)
		st->resumed = 1;
	else if (k == CTL_END)
		st->ended = 1;
}

void
ctl_eof(const struct ctl_state *st)
{
	if (st->resumed && !st->ended) {
		msg_at(NULL, 0);
		die(KP_EXIT_UPSTREAM, "input ended without {\"@\":\"end\"}: "
		    "upstream stopped before the end of its stream");
	}
}
