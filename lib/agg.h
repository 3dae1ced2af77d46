/*
 * agg: aggregate functions, over one key's (or one window's) records.
 *
 * An aggregate's state is bytes the caller keeps (in memory, then in the
 * store): agg_init makes a new one, agg_add folds a record into it,
 * agg_fmt writes the value a result carries.  Three kinds:
 *   count     kcount: the value is the number of records;
 *   functions -a NAME=FUNC(EXPR) ...: count, sum, min, max, avg, first,
 *             last, EXPR a jq program over the record; the value is an
 *             object of the named results, in the order given;
 *   reducer   --init JSON --reduce EXPR: the value is the aggregate
 *             itself, EXPR's first output with . the aggregate so far and
 *             $record the record.
 * sum, min, max and avg take numbers and pass over null; avg, min and max
 * of no number are null, sum is 0.  count(EXPR) counts the records whose
 * EXPR is not null; count alone counts them all.
 */
#ifndef KP_AGG_H
#define KP_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "jqx.h"
#include "rec.h"

struct agg;

struct agg *agg_new_count(void);
/* Parse specs ("NAME=FUNC(EXPR)"); NULL with *why on a bad one. */
struct agg *agg_new_funcs(char *const *specs, size_t n,
    const struct jqx_arg *args, size_t n_args, const char **why);
/* Compile the reducer; init must be JSON text.  NULL with *why. */
struct agg *agg_new_reduce(const char *init, const char *reduce,
    const struct jqx_arg *args, size_t n_args, const char **why);
/* Give a reducer its --merge program ($a, $b: two aggregates). */
int agg_set_merge(struct agg *a, const char *merge,
    const struct jqx_arg *args, size_t n_args, const char **why);
/* Can agg_merge combine aggregates?  (A reducer needs --merge.) */
int agg_can_merge(const struct agg *a);
/* Was it given --merge? */
int agg_has_merge(const struct agg *a);
void agg_free(struct agg *a);

/* Replace state with a new aggregate's. */
void agg_init(struct agg *a, struct buf *state);
/*
 * Fold a record into aggregates: agg_eval runs the functions' expressions
 * on r once, then agg_fold folds r into each state it belongs to.  Both
 * return 0, or -1 with *why (a bad record: the state is unchanged).
 */
int agg_eval(struct agg *a, const struct rec *r, const char **why);
int agg_fold(struct agg *a, struct buf *state, const struct rec *r,
    const char **why);
/*
 * Combine the aggregate other (n bytes) into state, as two sessions merge:
 * state holds the earlier records.  0, or -1 with *why (a reducer's
 * --merge failed; state is unchanged).
 */
int agg_merge(struct agg *a, struct buf *state, const char *other,
    size_t n, const char **why);

/* A count (kcount): add delta, which may be negative, to it. */
int agg_can_table(const struct agg *a);
void agg_count_add(struct agg *a, struct buf *state, int64_t delta);

/* Can agg_fold fail?  (Only a reducer's can.) */
int agg_can_fail(const struct agg *a);

/* Append the value of state (n bytes) as JSON text to out. */
void agg_fmt(const struct agg *a, const char *state, size_t n,
    struct buf *out);

#endif
