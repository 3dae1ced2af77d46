/* join: a stream joined with a table, over the store. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "ctl.h"
#include "join.h"
#include "msg.h"

/*
 * The store's layout.  data: the table, KEY -> VALUE, both JSON texts; a
 * key given as key_base64 is its text after a \1 byte.  meta: the epoch.
 */

/*
 * The table's rows in memory, in front of the store: read through,
 * written through, a known absence kept too.  When it grows past
 * MEM_BYTES it is emptied; the store has every row.  A row holds its key
 * and value itself: a lookup touches the slot and the row, no more.
 */
#define MEM_BYTES ((size_t)64 << 20)
struct row {
	struct row *next;
	uint64_t h;
	size_t kn, vn;
	int absent;		/* the store has no such key */
	char data[];		/* the key, then the value */
};

struct join {
	const struct join_conf *c;
	struct row **tab;
	size_t n_tab, n_rows, mem;
	struct store *st;
	struct out *out;
	struct bad *bad;
	int64_t epoch;
	int resumed;		/* undo is logged, pruned at commits */
	/* --right FILE: its reader, and the record waiting in line. */
	struct rec_reader rd;
	int right_open, right_done, has_right;
	struct rec right;
	struct buf right_line;
	struct buf k, v, in, val, line;
	size_t n_null, n_null_value, n_out;
};

struct jqx *
join_with(const char *prog, const struct jqx_arg *args, size_t n_args,
    const char **why)
{
	struct buf b = BUF_INIT;
	struct jqx_arg *all;
	struct jqx *jx;

	/*
	 * Compiled alone first, $left and $right bound to null, so that an
	 * error names the user's program, not the wrapping below.
	 */
	all = xmalloc((n_args + 2) * sizeof *all);
	if (n_args > 0)
		memcpy(all, args, n_args * sizeof *all);
	all[n_args] = (struct jqx_arg){ "left", "null", 1 };
	all[n_args + 1] = (struct jqx_arg){ "right", "null", 1 };
	jx = jqx_new(prog, all, n_args + 2, 0, why);
	free(all);
	if (jx == NULL)
		return NULL;
	jqx_free(jx);
	/* The input is {"left":L,"right":R}; the program sees them named. */
	buf_adds(&b, ". as {left: $left, right: $right} | (");
	buf_adds(&b, prog);
	buf_adds(&b, "\n)");
	jx = jqx_new(b.p, args, n_args, 0, why);
	buf_free(&b);
	return jx;
}

static uint64_t
hash(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;

	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * 1099511628211ULL;
	return h;
}

static void
rows_free(struct join *j)
{
	struct row *r, *next;
	size_t i;

	for (i = 0; i < j->n_tab; i++) {
		for (r = j->tab[i]; r != NULL; r = next) {
			next = r->next;
			free(r);
		}
		j->tab[i] = NULL;
	}
	j->n_rows = j->mem = 0;
}

/* The link to key k's row, or the empty link at its chain's end. */
static struct row **
row_slot(struct join *j, const char *k, size_t kn, uint64_t h)
{
	struct row **pr;

	if (j->n_tab == 0) {
		j->n_tab = 1 << 16;
		j->tab = xmalloc(j->n_tab * sizeof *j->tab);
		memset(j->tab, 0, j->n_tab * sizeof *j->tab);
	}
	for (pr = &j->tab[h & (j->n_tab - 1)]; *pr != NULL;
	    pr = &(*pr)->next)
		if ((*pr)->h == h && (*pr)->kn == kn &&
		    memcmp((*pr)->data, k, kn) == 0)
			break;
	return pr;
}

/* Twice the slots, the rows spread again. */
static void
grow(struct join *j)
{
	size_t i, n = j->n_tab * 2;
	struct row **tab, *r;

	tab = xmalloc(n * sizeof *tab);
	memset(tab, 0, n * sizeof *tab);
	for (i = 0; i < j->n_tab; i++)
		while ((r = j->tab[i]) != NULL) {
			j->tab[i] = r->next;
			r->next = tab[r->h & (n - 1)];
			tab[r->h & (n - 1)] = r;
		}
	free(j->tab);
	j->tab = tab;
	j->n_tab = n;
}

/* Remember key k's value v (NULL: absent); returns its row. */
static struct row *
row_set(struct join *j, const char *k, size_t kn, uint64_t h, const char *v,
    size_t vn)
{
	struct row **pr, *old, *r;

	if (j->mem > MEM_BYTES)
		rows_free(j);
	pr = row_slot(j, k, kn, h);
	old = *pr;
	if (v == NULL)
		vn = 0;
	r = xmalloc(sizeof *r + kn + vn);
	r->h = h;
	r->kn = kn;
	r->vn = vn;
	r->absent = v == NULL;
	memcpy(r->data, k, kn);
	if (vn > 0)
		memcpy(r->data + kn, v, vn);
	r->next = old != NULL ? old->next : NULL;
	*pr = r;
	j->mem += sizeof *r + kn + vn;
	if (old != NULL) {
		j->mem -= sizeof *old + old->kn + old->vn;
		free(old);
	} else if (++j->n_rows > j->n_tab)
		grow(j);
	return r;
}

/* r's key as the store's key: 0, or -1 for a null key. */
static int
table_key(const struct rec *r, struct buf *k)
{
	buf_reset(k);
	if (r->f[REC_KEY_B64].p != NULL) {
		buf_addc(k, '\1');
		buf_add(k, r->f[REC_KEY_B64].p, r->f[REC_KEY_B64].n);
		return 0;
	}
	if (r->f[REC_KEY].p == NULL || (r->f[REC_KEY].n == 4 &&
	    memcmp(r->f[REC_KEY].p, "null", 4) == 0))
		return -1;
	buf_add(k, r->f[REC_KEY].p, r->f[REC_KEY].n);
	return 0;
}

/* r's value as JSON text: value, value_base64's string, or null. */
static struct span
value_of(const struct rec *r)
{
	if (r->f[REC_VALUE].p != NULL)
		return r->f[REC_VALUE];
	if (r->f[REC_VALUE_B64].p != NULL)
		return r->f[REC_VALUE_B64];
	return (struct span){ "null", 4 };
}

/* A table update. */
static void
update(struct join *j, const struct rec *r)
{
	struct span v = value_of(r);

	if (table_key(r, &j->k) != 0) {
		j->n_null++;
		return;
	}
	if (v.n == 4 && memcmp(v.p, "null", 4) == 0) {
		store_del(j->st, STORE_DATA, j->k.p, j->k.n);
		row_set(j, j->k.p, j->k.n, hash(j->k.p, j->k.n), NULL, 0);
	} else {
		store_put(j->st, STORE_DATA, j->k.p, j->k.n, v.p, v.n);
		row_set(j, j->k.p, j->k.n, hash(j->k.p, j->k.n), v.p, v.n);
	}
}

/* Read the right file's next data record into j->right; 0 at its end. */
static int
next_right(struct join *j)
{
	struct span line;
	const char *why;

	while (!j->right_done && rec_reader_line(&j->rd, &line)) {
		buf_reset(&j->right_line);
		buf_add(&j->right_line, line.p, line.n);
		if (rec_scan(&j->right, j->right_line.p, j->right_line.n,
		    &why) != 0) {
			bad_line(j->bad, j->rd.name, j->rd.lineno, line.p,
			    line.n, why);
			continue;
		}
		switch (ctl_kind(&j->right)) {
		case CTL_DATA:
			break;
		case CTL_END:
			j->right_done = 1;
			return 0;
		default:
			continue;	/* the main input's are the ones */
		}
		if ((why = rec_ts_why(&j->right)) != NULL) {
			bad_line(j->bad, j->rd.name, j->rd.lineno, line.p,
			    line.n, why);
			continue;
		}
		return 1;
	}
	j->right_done = 1;
	return 0;
}

/* Apply the right file's updates up to ts (inclusive). */
static void
catch_up(struct join *j, int64_t ts)
{
	for (;;) {
		if (!j->has_right && !(j->has_right = next_right(j)))
			return;
		if (j->right.ts_ms > ts)
			return;
		update(j, &j->right);
		j->has_right = 0;
	}
}

/* A stream record: join it with the table as it stands. */
static void
probe(struct join *j, const struct stream *s, struct rec *r)
{
	struct rec o = REC_INIT;
	struct span right = { "null", 4 }, left = value_of(r);
	struct row *row;
	const char *why;
	uint64_t h;
	int found;

	if (table_key(r, &j->k) != 0) {
		j->n_null++;
		return;
	}
	/* As KStreamKTableJoinProcessor: no value, nothing to join. */
	if (left.n == 4 && memcmp(left.p, "null", 4) == 0) {
		j->n_null_value++;
		return;
	}
	h = hash(j->k.p, j->k.n);
	if ((row = *row_slot(j, j->k.p, j->k.n, h)) == NULL) {
		found = store_get(j->st, STORE_DATA, j->k.p, j->k.n, &j->v);
		row = row_set(j, j->k.p, j->k.n, h, found ? j->v.p : NULL,
		    j->v.n);
	}
	if (row->absent && !j->c->left)
		return;
	if (!row->absent)
		right = (struct span){ row->data + row->kn, row->vn };
	buf_reset(&j->in);
	buf_adds(&j->in, "{\"left\":");
	buf_add(&j->in, left.p, left.n);
	buf_adds(&j->in, ",\"right\":");
	buf_add(&j->in, right.p, right.n);
	buf_addc(&j->in, '}');
	if (j->c->with != NULL) {
		jqx_start(j->c->with, j->in.p, j->in.n, r->line);
		switch (jqx_next(j->c->with, &why)) {
		case -1:
			bad_line(s->bad, s->rd.name, s->rd.lineno, r->line.p,
			    r->line.n, why);
			return;
		case 0:
			return;		/* no output, no result */
		}
		buf_reset(&j->val);
		jqx_fmt(j->c->with, &j->val);
	} else {
		buf_reset(&j->val);
		buf_add(&j->val, j->in.p, j->in.n);
	}
	o.f[REC_TS] = r->f[REC_TS];
	o.f[REC_KEY] = r->f[REC_KEY];
	o.f[REC_KEY_B64] = r->f[REC_KEY_B64];
	o.f[REC_VALUE] = (struct span){ j->val.p, j->val.n };
	o.f[REC_HEADERS] = r->f[REC_HEADERS];
	o.f[REC_TOPIC] = r->f[REC_TOPIC];
	o.f[REC_PARTITION] = r->f[REC_PARTITION];
	o.f[REC_OFFSET] = r->f[REC_OFFSET];
	buf_reset(&j->line);
	rec_fmt(&j->line, &o);
	out_write(j->out, j->line.p, j->line.n);
	j->n_out++;
}

/* Is topic (a JSON string's text) name? */
static int
is_topic(struct span topic, const char *name)
{
	size_t n = strlen(name);

	return topic.p != NULL && topic.n == n + 2 && topic.p[0] == '"' &&
	    memcmp(topic.p + 1, name, n) == 0;
}

static void
data(struct join *j, const struct stream *s, struct rec *r)
{
	const struct join_conf *c = j->c;
	const char *why;

	if ((why = rec_ts_why(r)) != NULL) {
		bad_line(s->bad, s->rd.name, s->rd.lineno, r->line.p,
		    r->line.n, why);
		return;
	}
	if (c->right_path != NULL) {
		catch_up(j, r->ts_ms);
		probe(j, s, r);
	} else if (is_topic(r->f[REC_TOPIC], c->left_topic))
		probe(j, s, r);
	else if (is_topic(r->f[REC_TOPIC], c->right_topic))
		update(j, r);
	else
		bad_line(s->bad, s->rd.name, s->rd.lineno, r->line.p,
		    r->line.n, "topic is neither --left-topic nor "
		    "--right-topic");
}

static void
commit(struct join *j)
{
	ckpt_store_commit(j->st, j->c->dir, j->epoch, j->resumed);
}

void
join_run(const struct join_conf *c, struct store *st, struct stream *s,
    struct out *out)
{
	struct join j;
	struct rec *r;
	int64_t epoch;

	memset(&j, 0, sizeof j);
	j.c = c;
	j.st = st;
	j.out = out;
	j.bad = s->bad;
	j.right = (struct rec)REC_INIT;
	j.right_line = j.k = j.v = j.in = j.val = j.line =
	    (struct buf)BUF_INIT;
	if (!store_meta_get(st, "epoch", &j.epoch))
		j.epoch = 0;
	if (c->right_path != NULL) {
		if (rec_reader_open(&j.rd, c->right_path) != 0)
			die_sys(KP_EXIT_DATA, "--right '%s'", c->right_path);
		j.right_open = 1;
	}
	while ((r = stream_next(s)) != NULL) {
		switch (s->kind) {
		case CTL_DATA:
			data(&j, s, r);
			continue;
		case CTL_RESUME:
			j.epoch = ckpt_store_resume(st, r, s->rd.lineno);
			j.resumed = 1;
			rows_free(&j);
			break;
		case CTL_BARRIER:
			if (ctl_epoch(r, &epoch) == 0)
				j.epoch = epoch;
			commit(&j);
			break;
		case CTL_END:
			commit(&j);
			break;
		default:
			break;
		}
		out_write(out, r->line.p, r->line.n);
		out_write(out, "\n", 1);
		if (s->kind == CTL_BARRIER && fflush(out->f) == EOF)
			die_sys(KP_EXIT_DATA, "%s", out->name);
	}
	msg_at(NULL, 0);
	if (!s->ctl.ended)
		commit(&j);
	if (c->verbose)
		msg_stats(s->n_in, j.n_out, s->bad->n);
	if (j.n_null > 0 && !c->quiet)
		msg_note("skipped %zu record%s with a null key", j.n_null,
		    j.n_null == 1 ? "" : "s");
	if (j.n_null_value > 0 && !c->quiet)
		msg_note("skipped %zu stream record%s with a null value",
		    j.n_null_value, j.n_null_value == 1 ? "" : "s");
	if (j.right_open)
		rec_reader_close(&j.rd);
	rows_free(&j);
	free(j.tab);
	rec_free(&j.right);
	buf_free(&j.right_line);
	buf_free(&j.k);
	buf_free(&j.v);
	buf_free(&j.in);
	buf_free(&j.val);
	buf_free(&j.line);
}
