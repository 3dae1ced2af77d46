/*
 * jqx: jq programs over records, through libjq.
 *
 * The only file that holds jv values.  A program is compiled once, with the
 * --arg and --argjson variables, then started on each input and stepped
 * through its outputs.  The current output stays inside jqx until the next
 * jqx_next; callers read it through jqx_truthy, jqx_fmt and friends, which
 * print numbers as integers where integral, else in the shortest form that
 * reads back to the same double.
 *
 * libjq 1.6 keeps numbers as doubles: integers above 2^53 lose digits in a
 * value a program computes.  jqx_same tells when an output equals the input
 * it came from, so that callers can copy the input's bytes instead.
 */
#ifndef KP_JQX_H
#define KP_JQX_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "rec.h"

struct jqx_arg {
	const char *name;
	const char *value;	/* a string, or JSON text if json */
	int json;
};

/* The program may read $record, bound per run by jqx_start's rec. */
#define JQX_RECORD 1
/* The input is the record itself, and $record another name for it. */
#define JQX_RECORD_IS_INPUT 2
/*
 * The caller reads every output.  Without it only the first is used, and
 * later ones are not computed, except in a program that names path or
 * stream: libjq 1.6 must run that to its end.
 */
#define JQX_ALL 4

enum jqx_kind {
	JQX_NULL, JQX_FALSE, JQX_TRUE, JQX_NUMBER, JQX_STRING, JQX_ARRAY,
	JQX_OBJECT
};

struct jqx;

/*
 * Compile prog.  Returns NULL with *why set (static storage) on a compile
 * error or a bad --argjson text.  With JQX_RECORD, $record is available
 * only if the program mentions it.
 */
struct jqx *jqx_new(const char *prog, const struct jqx_arg *args,
    size_t n_args, int flags, const char **why);
void jqx_free(struct jqx *jx);

/*
 * Start the program on the JSON text in (n bytes; NULL is null), with
 * $record parsed from rec when the program uses it.  The texts must be
 * valid JSON.
 */
void jqx_start(struct jqx *jx, const char *in, size_t n, struct span rec);

/*
 * Step to the next output: 1 when there is one, 0 when there are no more,
 * -1 on a runtime error, with *why set (valid until the next call).
 */
int jqx_next(struct jqx *jx, const char **why);

enum jqx_kind jqx_kind(struct jqx *jx);
/* Neither false nor null. */
int jqx_truthy(struct jqx *jx);
/* The output as JSON text, appended to out. */
void jqx_fmt(struct jqx *jx, struct buf *out);
/* The output's value as a number (JQX_NUMBER). */
double jqx_number(struct jqx *jx);
/* A string output's bytes (JQX_STRING), borrowed until jqx_next. */
struct span jqx_string(struct jqx *jx);
/*
 * Is the output the program's input (jqx_same), the input's member name
 * (jqx_same_member), or, for an object output, is its member name the
 * input's member of that name (jqx_member_same)?  Scalars compare by
 * value, containers by identity: one a program passed through.
 */
int jqx_same(struct jqx *jx);
int jqx_same_member(struct jqx *jx, const char *name);
int jqx_member_same(struct jqx *jx, const char *name, size_t n);

/* For an object output: is member name present? */
int jqx_has(struct jqx *jx, const char *name, size_t n);

/*
 * Split an object output into record members, in one pass: for each known
 * member k (rec_field), set present[k], and either set same[k] when it
 * is the input's member of that name or append its JSON text to
 * field[k]; append every other member that is not the input's member of
 * that name to extra as "name":value pairs, comma separated, in the
 * object's order.  The caller resets the buffers
 * and zeroes present and same.
 */
void jqx_split(struct jqx *jx, struct buf field[REC_NF], int present[REC_NF],
    int same[REC_NF], struct buf *extra);

/*
 * Read the JSON number at *p (before e) as jq does, and move *p past it:
 * exact and fast for the usual few digits, strtod for the rest.
 */
double jqx_number_parse(const char **p, const char *e);

/* Append number d as JSON text: integral, or shortest round trip. */
void jqx_number_fmt(double d, struct buf *out);

#endif
