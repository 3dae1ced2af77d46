/*
 * bad: the bad-input policy, --on-error fail|skip|FILE.
 *
 * No bad line goes without a count or a copy: fail stops at the first with
 * a message naming the line; skip counts each (and names it, unless quiet)
 * and bad_close prints the count; FILE appends each line with its reason
 * as one JSON object, {"reason":..,"source":..,"line":N,"input":..}, with
 * "input_base64" instead of "input" for a line that is not UTF-8.
 */
#ifndef KP_BAD_H
#define KP_BAD_H

#include <stdio.h>

#include "buf.h"

enum bad_mode { BAD_FAIL, BAD_SKIP, BAD_FILE };

struct bad {
	enum bad_mode mode;
	const char *path;	/* BAD_FILE */
	FILE *f;
	int quiet;
	size_t n;		/* bad lines met */
};
#define BAD_INIT { BAD_FAIL, NULL, NULL, 0, 0 }

/* Take an --on-error argument: "fail", "skip", or a file's path. */
void bad_set(struct bad *b, const char *arg);

/*
 * A bad line: line (n bytes) from source (a file name, "-" for standard
 * input) at line number lineno, for reason why.  Dies under fail.
 */
void bad_line(struct bad *b, const char *source, size_t lineno,
    const char *line, size_t n, const char *why);

/*
 * Append the JSON line FILE gets for line (n bytes) from source at lineno,
 * for reason why, to o: also the form of kcount's and kwindow's --late.
 */
void bad_fmt(struct buf *o, const char *why, const char *source,
    size_t lineno, const char *line, size_t n);

/* Print the count, close FILE (a write error dies). */
void bad_close(struct bad *b);

#endif
