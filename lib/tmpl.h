/*
 * tmpl: jq programs that build an object out of plain paths, such as
 * {key: .value.venue.name, value: {sym: .value.sym, ask: .value.ask}},
 * run straight over a record's text, without libjq.
 *
 * Reshaping a record is most of what kmap is asked to do, and for such a
 * program the answer is a few spans of the input, printed as jq prints
 * them: numbers as jqx_number_fmt does, strings re-escaped only when they
 * had escapes.  What it cannot do as jq would (a path meets an array or a
 * non-object, a path's value is an object or array) it leaves to jq, for
 * that record.
 */
#ifndef KP_TMPL_H
#define KP_TMPL_H

#include "buf.h"
#include "rec.h"

struct tmpl;

/* The template prog spells, or NULL when it is not one. */
struct tmpl *tmpl_parse(const char *prog);
void tmpl_free(struct tmpl *t);

/* The top-level members, for a caller that builds a record from them. */
size_t tmpl_count(const struct tmpl *t);
/* Member i's name (no quotes, no escapes) and its length. */
const char *tmpl_name(const struct tmpl *t, size_t i, size_t *n);
/* Is member i the path .NAME of its own name (the input's member)? */
int tmpl_same(const struct tmpl *t, size_t i);

/*
 * Append member i's value for record r, as jq would print it, to out:
 * 0, or -1 when jq must run instead.
 */
int tmpl_value(const struct tmpl *t, size_t i, const struct rec *r,
    struct buf *out);

#endif
