/* bad: the bad-input policy. */
#include <string.h>

#include "b64.h"
#include "bad.h"
#include "buf.h"
#include "msg.h"
#include "rec.h"

void
bad_set(struct bad *b, const char *arg)
{
	if (strcmp(arg, "fail") == 0)
		b->mode = BAD_FAIL;
	else if (strcmp(arg, "skip") == 0)
		b->mode = BAD_SKIP;
	else {
		b->mode = BAD_FILE;
		b->path = arg;
	}
}

void
bad_fmt(struct buf *o, const char *why, const char *source, size_t lineno,
    const char *line, size_t n)
{
	buf_adds(o, "{\"reason\":");
	buf_addjstr(o, why, strlen(why));
	buf_adds(o, ",\"source\":");
	buf_addjstr(o, source, strlen(source));
	buf_adds(o, ",\"line\":");
	buf_addi(o, (int64_t)lineno);
	if (rec_utf8_valid(line, n)) {
		buf_adds(o, ",\"input\":");
		buf_addjstr(o, line, n);
	} else {
		buf_adds(o, ",\"input_base64\":\"");
		b64_fmt(o, line, n);
		buf_addc(o, '"');
	}
	buf_add(o, "}\n", 2);
}

void
bad_line(struct bad *b, const char *source, size_t lineno, const char *line,
    size_t n, const char *why)
{
	struct buf o = BUF_INIT;

	b->n++;
	msg_at(source, lineno);
	switch (b->mode) {
	case BAD_FAIL:
		die(KP_EXIT_DATA, "%s", why);
	case BAD_SKIP:
		if (!b->quiet)
			warning("%s (skipped)", why);
		break;
	case BAD_FILE:
		if (b->f == NULL && (b->f = fopen(b->path, "a")) == NULL)
			die_sys(KP_EXIT_DATA, "--on-error '%s'", b->path);
		bad_fmt(&o, why, source, lineno, line, n);
		if (fwrite(o.p, 1, o.n, b->f) != o.n)
			die_sys(KP_EXIT_DATA, "--on-error '%s'", b->path);
		buf_free(&o);
		break;
	}
	msg_at(NULL, 0);
}

void
bad_close(struct bad *b)
{
	if (b->f != NULL && fclose(b->f) == EOF)
		die_sys(KP_EXIT_DATA, "--on-error '%s'", b->path);
	b->f = NULL;
	if (b->n == 0)
		return;
	if (b->mode == BAD_SKIP)
		msg_note("skipped %zu bad line%s", b->n, b->n == 1 ? "" : "s");
	else if (b->mode == BAD_FILE)
		msg_note("wrote %zu bad line%s to '%s'", b->n,
		    b->n == 1 ? "" : "s", b->path);
}
