/*
 * rec: the record codec.  A record is one JSON object on one line.
 *
 * rec_reader hands out lines from one reusable buffer: no line limit, a last
 * line without a newline and CRLF ends both work.  rec_scan validates a line
 * as one JSON object and finds the members kpipe knows (ts, key, value, ...)
 * as byte spans into the line, without building a tree; every other member
 * is kept as a span too.  rec_fmt writes a record in the fixed field order,
 * copying each span byte for byte.
 *
 * Spans borrow: they point into the line (or wherever the caller set them)
 * and die with the next rec_reader_line on that reader.
 */
#ifndef KP_REC_H
#define KP_REC_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct span {
	const char *p;	/* NULL: absent */
	size_t n;
};

/* Known members, in output order ("@" marks a control record). */
enum rec_field {
	REC_TS, REC_KEY, REC_KEY_B64, REC_VALUE, REC_VALUE_B64, REC_WINDOW,
	REC_HEADERS, REC_TOPIC, REC_PARTITION, REC_OFFSET, REC_AT, REC_NF
};
extern const char *const rec_names[REC_NF];

struct rec_member {
	struct span name;	/* the name's JSON text, quotes included */
	struct span val;	/* the value's JSON text */
};

struct rec {
	struct span line;		/* the whole line, without its end */
	struct span f[REC_NF];		/* JSON text of known members */
	struct rec_member *other;	/* unknown members, in input order */
	size_t n_other, cap_other;
	struct span extra;		/* preformatted members, written
					   before other ("a":1,"b":2) */
	int ts_ok;			/* ts is an integer: ts_ms holds it */
	int64_t ts_ms;
	int canon;			/* the line is as rec_fmt writes it */
};
#define REC_INIT { { NULL, 0 }, { { NULL, 0 } }, NULL, 0, 0, { NULL, 0 }, \
	0, 0, 0 }

/* The known member named name (n bytes, no quotes), or -1. */
int rec_field(const char *name, size_t n);

/* Free what rec_scan allocated; leaves r as after REC_INIT. */
void rec_free(struct rec *r);

/*
 * Validate line (n bytes) as one JSON object and fill r.  Returns 0, or -1
 * with *why pointing at a reason (static storage, valid until the next call):
 * "empty line", "not a JSON object", "invalid UTF-8 at column 7", ...
 */
int rec_scan(struct rec *r, const char *line, size_t n, const char **why);

/* Validate p (n bytes) as one JSON value, surrounding spaces allowed. */
int rec_json_check(const char *p, size_t n, const char **why);

/* Is p (n bytes) valid UTF-8, without overlongs or surrogates? */
int rec_utf8_valid(const char *p, size_t n);

/*
 * Append r to out as one line, '\n' included: known members in the fixed
 * order, then extra, then other.  Absent members are left out.
 */
void rec_fmt(struct buf *out, const struct rec *r);

/* Append the text of JSON string s (quotes included) to out, unescaped. */
void rec_str_decode(struct buf *out, struct span s);

/*
 * The bytes of a key or value (DESIGN section 1): a string's characters,
 * the bytes of its base64 member b64 when that is present, any other JSON
 * as it came.  Returns 0 with *p, *n pointing into json or into b, 1 for
 * null or absent (a Kafka NULL: *p NULL), -1 if b64 is not base64.  tmp
 * is scratch.
 */
int rec_payload(struct span json, struct span b64, struct buf *b,
    struct buf *tmp, const void **p, size_t *n);

/*
 * Walk headers, [["name","value"],...] in text rec_scan passed: each
 * rec_hdrs_next gives the JSON text of a name (a string) and of its value,
 * and returns 1, or 0 after the last, or -1 if h is not of that shape.
 */
struct rec_hdrs {
	const char *p, *e;
	int started;
};
void rec_hdrs_init(struct rec_hdrs *it, struct span h);
int rec_hdrs_next(struct rec_hdrs *it, struct span *name, struct span *val);

/*
 * Member name (n bytes, no escapes) of the object whose text obj holds
 * (text rec_scan passed): 1 with its value's text in *out (the last one
 * if the name repeats), 0 when absent or obj is not an object, -1 when a
 * member name has escapes (ask jq).
 */
int rec_member(struct span obj, const char *name, size_t n,
    struct span *out);

/*
 * The next member of the object whose text (validated) *obj holds: 1 with
 * the name's text (quotes included) and the value's, *obj moved past it;
 * 0 after the last.
 */
int rec_obj_next(struct span *obj, struct span *name, struct span *val);

/* Is span s the JSON text of a string?  (Its first byte is a quote.) */
#define REC_IS_STR(s) ((s).p != NULL && (s).n > 0 && (s).p[0] == '"')

/*
 * Why r's ts is no event time for a stateful command (absent, not an
 * integer, negative), or NULL when it is one.
 */
const char *rec_ts_why(const struct rec *r);

/* Parse s as an integer literal (optional '-', at most 18 digits). */
int rec_int(struct span s, int64_t *v);

/*
 * The line reader.  Lines exclude their '\n' and a '\r' before it.
 * Before each read(2) it flushes stdout, so that output never waits
 * behind a blocked read.
 */
struct rec_reader {
	int fd;
	const char *name;	/* as given; "-" is standard input */
	char *buf;
	size_t cap, beg, end, scan;
	int eof;
	size_t lineno;		/* of the line last returned, from 1 */
	int cut;		/* ... which ended without a newline */
};

/* Open path ("-": standard input); -1 with errno on failure. */
int rec_reader_open(struct rec_reader *rd, const char *path);
/* Return 1 and the next line, or 0 at end of input; a read error dies. */
int rec_reader_line(struct rec_reader *rd, struct span *line);
/*
 * The lines after the one last returned, as many as the buffer holds
 * whole already, up to n: their number, in lines[].  Nothing is read or
 * consumed; the lines are a look ahead, for hints, valid until the next
 * rec_reader_line.
 */
size_t rec_reader_peek(const struct rec_reader *rd, struct span *lines,
    size_t n);
void rec_reader_close(struct rec_reader *rd);

#endif
