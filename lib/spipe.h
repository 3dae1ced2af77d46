/*
 * spipe: jq pipelines over strings, such as
 * .value | ascii_downcase | splits("\\W+") | select(. != "") | {key: .},
 * run straight over a record's text, without libjq.
 *
 * Word counts, tokenisers and clean-ups are pipelines of a few string
 * builtins; libjq 1.6 runs splits through match, array slicing and _nwise,
 * which costs more per word than the rest of the topology.  spipe_parse
 * takes a small subset of jq, parsed for real:
 *
 *	.  .a.b  "lit"  123  null  true  false  (P)  P | P
 *	ascii_downcase  ascii_upcase  ltrimstr("s")  rtrimstr("s")
 *	startswith("s")  endswith("s")  length  utf8bytelength  not  empty
 *	splits(RE)  splits(RE; FL)  split(RE; FL)[]  split("s")[]
 *	select(C)  A == B, !=, <, <=, >, >=  A and B  A or B
 *	{name: P, "name": P, name, ...}
 *
 * RE is a literal string or one ASCII character class (\w \W \s \S \d \D
 * [...] or a literal character) with an optional +, and FL is null or g:
 * the regular expressions whose matches are plain to compute and known to
 * be Oniguruma's.  Anything else is not parsed, and libjq runs it.
 *
 * A run gives each output as a value that borrows from the record, the
 * program or the program's scratch, valid until the callback returns.
 * Where jq would raise an error, or where the data is beyond what the
 * evaluator does exactly as jq (a Unicode-aware class over a string with
 * non-ASCII characters, an array or object to print), the run stops and
 * says so: the caller throws its outputs away and asks libjq, for that
 * record, so errors stay jq's own.
 */
#ifndef KP_SPIPE_H
#define KP_SPIPE_H

#include <stddef.h>

#include "buf.h"
#include "rec.h"

enum spipe_kind {
	SPIPE_NULL, SPIPE_FALSE, SPIPE_TRUE, SPIPE_NUMBER, SPIPE_STRING,
	SPIPE_JSON,		/* an array or object of the input, as text */
	SPIPE_RECORD,		/* the input record itself */
	SPIPE_OBJECT		/* an object the program built */
};

struct spipe_val {
	enum spipe_kind kind;
	const char *p;		/* STRING: its bytes, decoded; JSON: text */
	size_t n;
	double d;		/* NUMBER */
	const void *obj;	/* OBJECT: its members (spipe_member) */
};

struct spipe;

/* The pipeline prog spells, or NULL when it is not one spipe runs. */
struct spipe *spipe_parse(const char *prog);
void spipe_free(struct spipe *sp);

/*
 * Run sp on record r: its input is the record, or with on_value its value
 * (null when absent).  out is called for each output, and returns 0, or
 * non-zero to stop the run.  Returns 0 when every output was given, 1
 * when the run stopped (jq must run instead, for this record).
 */
typedef int spipe_out_fn(void *ctx, const struct spipe_val *v);
int spipe_run(struct spipe *sp, const struct rec *r, int on_value,
    spipe_out_fn *out, void *ctx);

/* An OBJECT's members: their number, and member i's name and value. */
size_t spipe_count(const struct spipe_val *v);
const struct spipe_val *spipe_member(const struct spipe_val *v, size_t i,
    const char **name, size_t *n);

/*
 * Is v the JSON text w (which rec_scan passed; absent: no) as jqx_same
 * decides: scalars by value, arrays and objects only when v is that very
 * text?  scratch decodes w's escapes.
 */
int spipe_same(const struct spipe_val *v, struct span w, struct buf *scratch);

/*
 * Append v as kmap's jq path prints it (jqx_fmt): 0, or -1 when it is
 * an array or object of the input, which jq must print.
 */
int spipe_fmt(const struct spipe_val *v, struct buf *out);

#endif
