/*
 * stream: the read loop every record-reading command shares.
 *
 * stream_next hands out data records one by one.  Bad lines go to the
 * --on-error policy; control records are forwarded to out unchanged, in
 * order (or, with STREAM_CTL, returned to the caller); "end" is forwarded
 * and ends the stream; at end of input the resume/end rule applies (exit 3).
 */
#ifndef KP_STREAM_H
#define KP_STREAM_H

#include "bad.h"
#include "ctl.h"
#include "out.h"
#include "rec.h"

#define STREAM_CTL 1	/* return control records instead of forwarding */

struct stream {
	struct rec_reader rd;
	struct rec rec;		/* the current record */
	enum ctl_kind kind;	/* the current record's kind */
	struct ctl_state ctl;
	struct bad *bad;
	struct out *out;	/* where control records are forwarded */
	int flags;
	int done;
	size_t n_in;		/* data records read */
};

/* Read path ("-": standard input); an unreadable file dies. */
void stream_open(struct stream *s, const char *path, struct bad *bad,
    struct out *out, int flags);

/*
 * The next record (data, or control with STREAM_CTL), or NULL at the end.
 * Sets the input position for messages about it.
 */
struct rec *stream_next(struct stream *s);

void stream_close(struct stream *s);

#endif
