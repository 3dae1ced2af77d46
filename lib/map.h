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
 */
#ifndef KP_MAP_H
#define KP_MAP_H

#include "buf.h"
#include "jqx.h"
#include "rec.h"
#include "tmpl.h"

enum map_mode { MAP_RECORD, MAP_VALUE, MAP_KEY };

struct map {
	enum map_mode mode;
	struct jqx *jx;
	struct tmpl *tmpl;		/* the program, when it is a template */
	struct buf field[REC_NF];	/* formatted members */
	struct buf extra;
	struct rec_member *other;	/* the input's, less those replaced */
	size_t cap_other;
	struct buf line;		/* the output line */
};

/* Compile prog for mode; NULL with *why on a compile error. */
struct map *map_new(const char *prog, enum map_mode mode,
    const struct jqx_arg *args, size_t n_args, const char **why);
void map_free(struct map *m);

/*
 * Run the program on r and call emit for each output line ('\n' included).
 * Returns 0, or -1 with *why on a program error or an output that cannot
 * be a record (outputs before it were emitted).
 */
int map_run(struct map *m, const struct rec *r,
    void (*emit)(void *ctx, const char *p, size_t n), void *ctx,
    const char **why);

#endif
