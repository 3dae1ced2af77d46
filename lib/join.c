/* join: a stream joined with a table, over the store. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "ctl.h"
#include "join.h"
#include "msg.h"
#include "rcache.h"
#include "vtab.h"

/*
 * The store's layout for a table (lib/wjoin.c has its own).  data: the
 * table, KEY -> VALUE, both JSON texts, KEY as join_key makes it.  meta:
 * the epoch, and how many lines of the right file are done.
 */

struct join {
	const struct join_conf *c;
	/*
	 * The table's rows in memory, in front of the store: read
	 * through, written through, a known absence kept too.
	 */
	struct rcache rows;
	struct wjoin *w;	/* JOIN_WINDOW */
	struct tjoin *t;	/* JOIN_TABLES */
	struct vtab vt;		/* JOIN_TABLE, versioned */
	struct store *st;
	struct out *out;
	struct bad *bad;
	int64_t epoch;
	int resumed;		/* undo is logged, pruned at commits */
	/*
	 * --right FILE: its reader, the record waiting in line, and the
	 * lines done (those of the records applied): a run with -s goes on
	 * after the lines its last commit had done.
	 */
	struct rec_reader rd;
	int right_open, right_done, has_right, right_skipped;
	size_t right_lines, right_lineno;
	struct rec right;
	struct buf right_line;
	struct buf k, v, in, val, line;
	const char *bad_name;	/* where the current record is from */
	size_t bad_lineno;
	size_t n_null, n_null_value, n_out, n_old;
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

int
join_key(const struct rec *r, struct buf *k)
{
	buf_reset(k);
	if (r->f[REC_KEY_B64].p != NULL) {
		buf_addc(k, '\1');
		buf_add(k, r->f[REC_KEY_B64].p, r->f[REC_KEY_B64].n);
		return 0;
	}
	if (r->f[REC_KEY].p == NULL || join_is_null(r->f[REC_KEY]))
		return -1;
	buf_add(k, r->f[REC_KEY].p, r->f[REC_KEY].n);
	return 0;
}

struct span
join_value(const struct rec *r)
{
	if (r->f[REC_VALUE].p != NULL)
		return r->f[REC_VALUE];
	if (r->f[REC_VALUE_B64].p != NULL)
		return r->f[REC_VALUE_B64];
	return (struct span){ "null", 4 };
}

int
join_is_null(struct span v)
{
	return v.n == 4 && memcmp(v.p, "null", 4) == 0;
}

void
join_skip_null(struct join *j, int null_key)
{
	if (null_key)
		j->n_null++;
	else
		j->n_null_value++;
}

void
join_bad(struct join *j, const struct rec *r, const char *why)
{
	bad_line(j->bad, j->bad_name, j->bad_lineno, r->line.p, r->line.n,
	    why);
}

/*
 * Key k's row, from memory or else the store; an absent row too.  The
 * row lives until the next row_get or join_row_put.
 */
static struct rcache_row *
row_get(struct join *j, const char *k, size_t kn)
{
	struct rcache_row *row;
	int found;

	if ((row = rcache_get(&j->rows, k, kn)) != NULL)
		return row;
	found = store_get(j->st, STORE_DATA, k, kn, &j->v);
	return rcache_put(&j->rows, k, kn, found ? j->v.p : NULL, j->v.n);
}

void
join_row_put(struct join *j, const char *k, size_t kn, const char *v,
    size_t vn)
{
	if (v == NULL)
		store_del(j->st, STORE_DATA, k, kn);
	else
		store_put(j->st, STORE_DATA, k, kn, v, vn);
	rcache_put(&j->rows, k, kn, v, vn);
}

int
join_row_get(struct join *j, const char *k, size_t kn, struct buf *v)
{
	struct rcache_row *row = row_get(j, k, kn);

	buf_reset(v);
	if (row->absent)
		return 0;
	buf_add(v, row->data + row->kn, row->vn);
	return 1;
}

/* A table update (stream-table). */
static void
update(struct join *j, const struct rec *r)
{
	struct span v = join_value(r);

	if (join_key(r, &j->k) != 0) {
		j->n_null++;
		return;
	}
	if (j->c->versioned) {
		if (!vtab_put(&j->vt, j->k.p, j->k.n, r->ts_ms,
		    join_is_null(v) ? NULL : v.p, v.n))
			j->n_old++;
		return;
	}
	join_row_put(j, j->k.p, j->k.n, join_is_null(v) ? NULL : v.p, v.n);
}

static void record(struct join *, const struct rec *, int);

/* Read the right file's next data record into j->right; 0 at its end. */
static int
next_right(struct join *j)
{
	struct span line;
	const char *why;

	while (!j->right_done && rec_reader_line(&j->rd, &line)) {
		if (j->rd.lineno <= j->right_lines && !j->right_skipped)
			continue;	/* done by an earlier run */
		j->right_skipped = 1;
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

/* Take the right file's records up to ts (inclusive), or all. */
static void
catch_up(struct join *j, int64_t ts, int all)
{
	const char *name;
	size_t lineno;

	for (;;) {
		if (!j->has_right && !(j->has_right = next_right(j)))
			return;
		if (!all && j->right.ts_ms > ts)
			return;
		name = j->bad_name;
		lineno = j->bad_lineno;
		j->bad_name = j->rd.name;
		j->bad_lineno = j->rd.lineno;
		record(j, &j->right, 1);
		j->bad_name = name;
		j->bad_lineno = lineno;
		j->right_lineno = j->rd.lineno;
		j->has_right = 0;
	}
}

void
join_emit(struct join *j, const struct rec *trig, const char *k, size_t kn,
    int64_t ts, const struct span *left, const struct span *right)
{
	join_result(j, trig, k, kn, ts, left, right, 0);
}

void
join_result(struct join *j, const struct rec *trig, const char *k,
    size_t kn, int64_t ts, const struct span *left, const struct span *right,
    int tomb)
{
	static const struct span null = { "null", 4 };
	struct rec o = REC_INIT;
	struct span line = { NULL, 0 };
	const char *why;
	char tsb[24];

	if (left == NULL)
		left = &null;
	if (right == NULL)
		right = &null;
	buf_reset(&j->in);
	buf_adds(&j->in, "{\"left\":");
	buf_add(&j->in, left->p, left->n);
	buf_adds(&j->in, ",\"right\":");
	buf_add(&j->in, right->p, right->n);
	buf_addc(&j->in, '}');
	if (trig != NULL)
		line = trig->line;
	if (tomb) {
		buf_reset(&j->val);
		buf_adds(&j->val, "null");
	} else if (j->c->with != NULL) {
		jqx_start(j->c->with, j->in.p, j->in.n, line);
		switch (jqx_next(j->c->with, &why)) {
		case -1:
			bad_line(j->bad, j->bad_name, j->bad_lineno, line.p,
			    line.n, why);
			return;
		case 0:
			return;		/* no output, no result */
		}
		buf_reset(&j->val);
		jqx_fmt(j->c->with, &j->val);
	}
	if (trig != NULL && ts == trig->ts_ms)
		o.f[REC_TS] = trig->f[REC_TS];
	else
		o.f[REC_TS] = (struct span){ tsb,
		    (size_t)snprintf(tsb, sizeof tsb, "%lld", (long long)ts) };
	if (kn > 0 && k[0] == '\1')
		o.f[REC_KEY_B64] = (struct span){ k + 1, kn - 1 };
	else
		o.f[REC_KEY] = (struct span){ k, kn };
	/* Without --with the value is the program's input itself. */
	if (tomb || j->c->with != NULL)
		o.f[REC_VALUE] = (struct span){ j->val.p, j->val.n };
	else
		o.f[REC_VALUE] = (struct span){ j->in.p, j->in.n };
	if (trig != NULL) {
		o.f[REC_HEADERS] = trig->f[REC_HEADERS];
		o.f[REC_TOPIC] = trig->f[REC_TOPIC];
		o.f[REC_PARTITION] = trig->f[REC_PARTITION];
		o.f[REC_OFFSET] = trig->f[REC_OFFSET];
	}
	buf_reset(&j->line);
	rec_fmt(&j->line, &o);
	out_write(j->out, j->line.p, j->line.n);
	j->n_out++;
}

/* A stream record: join it with the table as it stands. */
static void
probe(struct join *j, const struct rec *r)
{
	struct span right, left = join_value(r);
	struct rcache_row *row;

	if (join_key(r, &j->k) != 0) {
		j->n_null++;
		return;
	}
	/* As KStreamKTableJoinProcessor: no value, nothing to join. */
	if (join_is_null(left)) {
		j->n_null_value++;
		return;
	}
	if (j->c->versioned) {
		/* The table as of the record's time. */
		if (vtab_get(&j->vt, j->k.p, j->k.n, r->ts_ms, &j->v)) {
			right = (struct span){ j->v.p, j->v.n };
			join_emit(j, r, j->k.p, j->k.n, r->ts_ms, &left, &right);
		} else if (j->c->left)
			join_emit(j, r, j->k.p, j->k.n, r->ts_ms, &left, NULL);
		return;
	}
	row = row_get(j, j->k.p, j->k.n);
	if (row->absent && !j->c->left)
		return;
	right = (struct span){ row->data + row->kn, row->vn };
	join_emit(j, r, j->k.p, j->k.n, r->ts_ms, &left,
	    row->absent ? NULL : &right);
}

/* A record of side 0 (left) or 1 (right), as the join's kind takes it. */
static void
record(struct join *j, const struct rec *r, int side)
{
	switch (j->c->kind) {
	case JOIN_WINDOW:
		wjoin_record(j->w, r, side);
		break;
	case JOIN_TABLES:
		tjoin_record(j->t, r, side);
		break;
	default:
		if (side == 0)
			probe(j, r);
		else
			update(j, r);
	}
}

/* Is topic (a JSON string's text) name? */
static int
is_topic(struct span topic, const char *name)
{
	size_t n = strlen(name);

	return topic.p != NULL && topic.n == n + 2 && topic.p[0] == '"' &&
	    memcmp(topic.p + 1, name, n) == 0;
}

/*
 * The key of a line not yet read, as it most likely is (the text after
 * the first "key":), for a hint; 0 if none is seen.
 */
static int
key_hint(struct span line, struct span *k)
{
	const char *p = line.p, *e = line.p + line.n, *q;

	for (;; p++) {
		if ((p = memchr(p, '"', e - p)) == NULL || e - p < 6)
			return 0;
		if (memcmp(p, "\"key\":", 6) == 0)
			break;
	}
	for (p += 6; p < e && *p == ' '; p++)
		;
	if (p == e)
		return 0;
	if (*p == '"')
		q = memchr(p + 1, '"', e - p - 1);
	else
		for (q = p; q < e && *q != ',' && *q != '}'; q++)
			;
	if (q == NULL || q == e)
		return 0;
	k->p = p;
	k->n = q - p + (*p == '"');
	return 1;
}

/*
 * Hints for the table's rows that the next lines will look up: the slot
 * of the line after next, the row of the next line, whose slot the
 * previous call brought in.
 */
static void
prefetch(struct join *j, const struct stream *s)
{
	struct span line[2], k;
	size_t n = rec_reader_peek(&s->rd, line, 2);

	if (n == 2 && key_hint(line[1], &k))
		rcache_prefetch(&j->rows, k.p, k.n, 0);
	if (n >= 1 && key_hint(line[0], &k))
		rcache_prefetch(&j->rows, k.p, k.n, 1);
}

static void
data(struct join *j, const struct stream *s, struct rec *r)
{
	const struct join_conf *c = j->c;
	const char *why;

	if (c->kind == JOIN_TABLE && !c->versioned)
		prefetch(j, s);

	if ((why = rec_ts_why(r)) != NULL) {
		bad_line(s->bad, s->rd.name, s->rd.lineno, r->line.p,
		    r->line.n, why);
		return;
	}
	if (c->right_path != NULL) {
		catch_up(j, r->ts_ms, 0);
		record(j, r, 0);
	} else if (is_topic(r->f[REC_TOPIC], c->left_topic))
		record(j, r, 0);
	else if (is_topic(r->f[REC_TOPIC], c->right_topic))
		record(j, r, 1);
	else
		bad_line(s->bad, s->rd.name, s->rd.lineno, r->line.p,
		    r->line.n, "topic is neither --left-topic nor "
		    "--right-topic");
}

/* Load what lives in meta, after opening or a rollback. */
static void
load(struct join *j)
{
	int64_t v;

	j->right_lines = store_meta_get(j->st, "right-lines", &v) ?
	    (size_t)v : 0;
	if (j->w != NULL)
		wjoin_load(j->w);
	if (j->c->versioned)
		vtab_load(&j->vt);
}

static void
commit(struct join *j)
{
	if (j->right_open && j->right_lineno > j->right_lines) {
		j->right_lines = j->right_lineno;
		store_meta_put(j->st, "right-lines", (int64_t)j->right_lines);
	}
	if (j->w != NULL)
		wjoin_save(j->w);
	if (j->c->versioned)
		vtab_save(&j->vt);
	ckpt_store_commit(j->st, j->c->dir, j->epoch, j->resumed);
}

/*
 * The input is done.  A bounded one (--close-at-end): the right file's
 * rest, then, for two streams, what waits.  Otherwise both wait for the
 * next run.
 */
static void
finish(struct join *j)
{
	if (!j->c->close_at_end)
		return;
	if (j->right_open)
		catch_up(j, 0, 1);
	if (j->w != NULL)
		wjoin_end(j->w);
}

void
join_run(const struct join_conf *c, struct store *st, struct stream *s,
    struct out *out)
{
	struct join j;
	struct rec *r;
	int64_t epoch;
	size_t n;

	memset(&j, 0, sizeof j);
	rcache_init(&j.rows, c->cache_bytes);
	j.c = c;
	j.st = st;
	j.out = out;
	j.bad = s->bad;
	j.right = (struct rec)REC_INIT;
	j.right_line = j.k = j.v = j.in = j.val = j.line =
	    (struct buf)BUF_INIT;
	if (c->kind == JOIN_WINDOW)
		j.w = wjoin_new(c, st, &j);
	if (c->kind == JOIN_TABLES)
		j.t = tjoin_new(c, st, &j);
	if (c->versioned)
		vtab_open(&j.vt, st, c->history);
	if (!store_meta_get(st, "epoch", &j.epoch))
		j.epoch = 0;
	load(&j);
	if (c->right_path != NULL) {
		if (rec_reader_open(&j.rd, c->right_path) != 0)
			die_sys(KP_EXIT_DATA, "--right '%s'", c->right_path);
		j.right_open = 1;
	}
	while ((r = stream_next(s)) != NULL) {
		j.bad_name = s->rd.name;
		j.bad_lineno = s->rd.lineno;
		switch (s->kind) {
		case CTL_DATA:
			data(&j, s, r);
			continue;
		case CTL_TICK:
			if (j.w != NULL && r->ts_ok)
				wjoin_tick(j.w, r->ts_ms);
			break;
		case CTL_RESUME:
			j.epoch = ckpt_store_resume(st, r, s->rd.lineno);
			j.resumed = 1;
			rcache_clear(&j.rows);
			load(&j);
			break;
		case CTL_BARRIER:
			if (ctl_epoch(r, &epoch) == 0)
				j.epoch = epoch;
			commit(&j);
			break;
		case CTL_END:
			finish(&j);
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
	if (!s->ctl.ended) {
		finish(&j);
		commit(&j);
	}
	if (c->verbose)
		msg_stats(s->n_in, j.n_out, s->bad->n);
	if (!c->quiet) {
		if (j.n_null > 0)
			msg_note("skipped %zu record%s with a null key",
			    j.n_null, j.n_null == 1 ? "" : "s");
		if (j.n_null_value > 0)
			msg_note("skipped %zu %srecord%s with a null value",
			    j.n_null_value, c->kind == JOIN_TABLE ?
			    "stream " : "", j.n_null_value == 1 ? "" : "s");
		if (j.n_old > 0)
			msg_note("skipped %zu table update%s older than the "
			    "history", j.n_old, j.n_old == 1 ? "" : "s");
		if (j.t != NULL && (n = tjoin_n_null_fk(j.t)) > 0)
			msg_note("skipped %zu left row%s with a null foreign "
			    "key", n, n == 1 ? "" : "s");
		if (j.w != NULL && (n = wjoin_n_late(j.w)) > 0)
			msg_note("kept %zu record%s out of the join buffers: "
			    "older than their side's retention", n,
			    n == 1 ? "" : "s");
	}
	if (j.right_open)
		rec_reader_close(&j.rd);
	wjoin_free(j.w);
	if (c->versioned)
		vtab_close(&j.vt);
	tjoin_free(j.t);
	rcache_free(&j.rows);
	rec_free(&j.right);
	buf_free(&j.right_line);
	buf_free(&j.k);
	buf_free(&j.v);
	buf_free(&j.in);
	buf_free(&j.val);
	buf_free(&j.line);
}
