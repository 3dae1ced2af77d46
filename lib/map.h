/*
 * map: a record through a jq program, the outputs as records (kmap).
 *
 * MAP_RECORD: the program's input is the whole record and each output, an
 * object, becomes a record: members it names replace the input's, "key"
 * and "value" it leaves out are null, and everything else it leaves out
 * (ts, window, headers, provenance, unknown members) comes from the input.
 * MAP_VALUE: the input is the value ($record the whole record) and each
 * output is a new value.  MAP_KEY: the input is the whole record and each
 * output a new key.  Zero outputs drop the record.
 *
 * A member equal to the input's member of the same name is copied from the
 * input byte for byte, so values a program passes through keep their
 * spelling (and integers above 2^53 their digits).
 *
 * Templates (lib/tmpl.c) and string pipelines (lib/spipe.c) run without
 * libjq, making the records the libjq path would, byte for byte; a record
 * they cannot do so goes through libjq.
 */
#ifndef KP_MAP_H
#define KP_MAP_H

#include "buf.h"
#include "jqx.h"
#include "rec.h"
#include "spipe.h"
#include "tmpl.h"

enum map_mode { MAP_RECORD, MAP_VALUE, MAP_KEY };

struct map {
	enum map_mode mode;
	char *prog;
	const struct jqx_arg *args;	/* the caller's, for a late compile */
	size_t n_args;
	struct jqx *jx;			/* NULL until compiled */
	struct tmpl *tmpl;		/* the program, when it is a template */
	struct spipe *sp;		/* or a pipeline spipe runs */
	const struct rec *in;		/* spipe's record, during a run */
	const struct spipe_val *obj;	/* its output object being made */
	int *same;			/* ... its members that are the
					   input's */
	size_t cap_same;
	signed char esc[REC_NF];	/* has the input's member escapes?
					   -1: not known yet */
	struct buf fname[REC_NF];	/* "name": of each known member */
	struct buf pending;		/* spipe's output lines */
	size_t n_pending;
	struct buf scratch;
	struct buf field[REC_NF];	/* formatted members */
	struct buf extra;
	struct rec_member *other;	/* the input's, less those replaced */
	size_t cap_other;
	struct buf line;		/* the output line */
};

/*
 * Compile prog for mode; NULL with *why on a compile error.  args must
 * outlive the map.
 */
struct map *map_new(const char *prog, enum map_mode mode,
    const struct jqx_arg *args, size_t n_args, const char **why);
void map_free(struct map *m);

/*
 * Run the program on r and call emit with its output lines ('\n'
 * included), one or more lines at a time.
 * Returns 0, or -1 with *why on a program error or an output that cannot
 * be a record (outputs before it were emitted).
 */
int map_run(struct map *m, const struct rec *r,
    void (*emit)(void *ctx, const char *p, size_t n, size_t lines),
    void *ctx, const char **why);

#endif
