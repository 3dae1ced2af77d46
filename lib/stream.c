/* stream: the shared read loop. */
#include "msg.h"
#include "stream.h"

void
stream_open(struct stream *s, const char *path, struct bad *bad,
    struct out *out, int flags)
{
	s->rec = (struct rec)REC_INIT;
	s->ctl = (struct ctl_state)CTL_STATE_INIT;
	s->bad = bad;
	s->out = out;
	s->flags = flags;
	s->done = 0;
	s->n_in = 0;
	if (rec_reader_open(&s->rd, path) != 0)
		die_sys(KP_EXIT_DATA, "'%s'", path);
}

struct rec *
stream_next(struct stream *s)
{
	struct span line;
	const char *why;

	if (s->done)
		return NULL;
	while (rec_reader_line(&s->rd, &line)) {
		msg_at(s->rd.name, s->rd.lineno);
		/*
		 * A resumed stream's last line cut short is the writer's
		 * death, not bad data: the end rule below says so (exit 3).
		 */
		if (s->rd.cut && s->ctl.resumed && !s->ctl.ended)
			break;
		if (rec_scan(&s->rec, line.p, line.n, &why) != 0) {
			bad_line(s->bad, s->rd.name, s->rd.lineno, line.p,
			    line.n, why);
			continue;
		}
		s->kind = ctl_kind(&s->rec);
		if (s->kind == CTL_DATA) {
			s->n_in++;
			return &s->rec;
		}
		ctl_see(&s->ctl, s->kind);
		if (s->kind == CTL_END)
			s->done = 1;
		if (s->flags & STREAM_CTL)
			return &s->rec;
		out_write(s->out, line.p, line.n);
		out_write(s->out, "\n", 1);
		if (s->done)
			return NULL;
	}
	msg_at(NULL, 0);
	s->done = 1;
	ctl_eof(&s->ctl);
	return NULL;
}

void
stream_close(struct stream *s)
{
	rec_reader_close(&s->rd);
	rec_free(&s->rec);
}
