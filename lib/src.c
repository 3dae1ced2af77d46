/* src: files made into records, merged by timestamp. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "dur.h"
#include "msg.h"
#include "src.h"

struct src_file {
	struct rec_reader rd;
	struct rec rec;
	int eof;
	int has;		/* a record is waiting in line */
	int ctl;		/* ... and it is a control record (ctl_kind) */
	int asis;		/* ... and it is its line, unchanged */
	int64_t ts_ms;		/* its timestamp, the merge's order */
	int64_t last_ts;	/* the last data record's, for control ones */
	int64_t skip;		/* lines before this one were read before */
	struct buf line;
	struct buf topic;	/* the file's name as a JSON string */
	struct buf key, value, off;	/* texts the record points into */
};

int
src_input_parse(const char *s, enum src_input *in)
{
	if (strcmp(s, "auto") == 0)
		*in = SRC_AUTO;
	else if (strcmp(s, "lines") == 0)
		*in = SRC_LINES;
	else if (strcmp(s, "json") == 0)
		*in = SRC_JSON;
	else if (strcmp(s, "records") == 0)
		*in = SRC_RECORDS;
	else
		return -1;
	return 0;
}

int
src_unit_parse(const char *s, struct src_opts *o)
{
	o->ts_mul = o->ts_div = 1;
	if (strcmp(s, "ms") == 0)
		;
	else if (strcmp(s, "s") == 0)
		o->ts_mul = 1000;
	else if (strcmp(s, "us") == 0)
		o->ts_div = 1000;
	else if (strcmp(s, "ns") == 0)
		o->ts_div = 1000000;
	else
		return -1;
	return 0;
}

void
src_open(struct src *s, const struct src_opts *opts, char *const *paths,
    size_t n)
{
	size_t i;
	struct src_file *f;

	s->opts = opts;
	s->n_files = n;
	s->files = xmalloc(n * sizeof *s->files);
	s->scratch = (struct buf)BUF_INIT;
	for (i = 0; i < n; i++) {
		f = &s->files[i];
		memset(f, 0, sizeof *f);
		f->rec = (struct rec)REC_INIT;
		f->line = f->topic = f->key = f->value = f->off =
		    (struct buf)BUF_INIT;
		f->last_ts = INT64_MIN;
		if (rec_reader_open(&f->rd, paths[i]) != 0)
			die_sys(KP_EXIT_DATA, "'%s'", paths[i]);
		buf_addjstr(&f->topic, paths[i], strlen(paths[i]));
		if (opts->resume != NULL)
			ckpt_offs_get(opts->resume, f->topic.p, f->topic.n, 0,
			    &f->skip);
	}
}

void
src_close(struct src *s)
{
	size_t i;
	struct src_file *f;

	for (i = 0; i < s->n_files; i++) {
		f = &s->files[i];
		rec_reader_close(&f->rd);
		rec_free(&f->rec);
		buf_free(&f->line);
		buf_free(&f->topic);
		buf_free(&f->key);
		buf_free(&f->value);
		buf_free(&f->off);
	}
	free(s->files);
	buf_free(&s->scratch);
}

int64_t
src_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The first output of program jx over record text in, as JSON in out. */
static int
run(struct jqx *jx, struct span in, struct buf *out, const char **why)
{
	int st;

	jqx_start(jx, in.p, in.n, in);
	if ((st = jqx_next(jx, why)) < 0)
		return -1;
	buf_reset(out);
	if (st == 0)
		buf_add(out, "null", 4);
	else
		jqx_fmt(jx, out);
	return 0;
}

/* --ts's output as milliseconds. */
static int
ts_of(const struct src_opts *o, struct jqx *jx, struct span in,
    int64_t *ms, const char **why)
{
	static char whybuf[96];
	double d;
	struct span s;
	int st;
	const char *w;

	jqx_start(jx, in.p, in.n, in);
	if ((st = jqx_next(jx, why)) < 0)
		return -1;
	if (st == 1 && jqx_kind(jx) == JQX_NUMBER) {
		d = jqx_number(jx) * (double)o->ts_mul / (double)o->ts_div;
		if (!isfinite(d) || fabs(d) > 9e15) {
			*why = "--ts: time out of range";
			return -1;
		}
		*ms = (int64_t)llround(d);
		return 0;
	}
	if (st == 1 && jqx_kind(jx) == JQX_STRING) {
		s = jqx_string(jx);
		if (dur_iso_parse(s.p, s.n, ms, &w) == 0)
			return 0;
		snprintf(whybuf, sizeof whybuf, "--ts: '%.40s': %s", s.p, w);
		*why = whybuf;
		return -1;
	}
	*why = "--ts: the program gave no number or ISO 8601 string";
	return -1;
}

int
src_programs(const struct src_opts *o, struct rec *r, struct buf *scratch,
    struct buf *key, int64_t *ts_ms, const char **why)
{
	struct span text;

	if (o->key == NULL && o->ts == NULL)
		return 0;
	/* The programs see the record as it stands so far. */
	buf_reset(scratch);
	rec_fmt(scratch, r);
	text.p = scratch->p;
	text.n = scratch->n - 1;
	if (o->key != NULL) {
		if (run(o->key, text, key, why) != 0)
			return -1;
		r->f[REC_KEY].p = key->p;
		r->f[REC_KEY].n = key->n;
		r->f[REC_KEY_B64].p = NULL;
	}
	if (o->ts != NULL && ts_of(o, o->ts, text, ts_ms, why) != 0)
		return -1;
	return 0;
}

/* f's waiting record is line itself. */
static void
keep_line(struct src_file *f, struct span line)
{
	buf_reset(&f->line);
	buf_add(&f->line, line.p, line.n);
	buf_addc(&f->line, '\n');
}

/*
 * Make line into f's waiting record.  Returns
 * 0, or -1 with *why for bad input.
 */
static int
make(struct src *s, struct src_file *f, struct span line, const char **why)
{
	const struct src_opts *o = s->opts;
	struct rec *r = &f->rec;
	int64_t ts_ms = 0;
	int b64 = 0, have_ts = 0;

	buf_reset(&f->value);
	buf_reset(&f->key);
	buf_reset(&f->off);
	if (o->input == SRC_RECORDS) {
		if (rec_scan(r, line.p, line.n, why) != 0)
			return -1;
		if (ctl_kind(r) != CTL_DATA) {
			f->ctl = ctl_kind(r);
			f->asis = 1;
			f->ts_ms = f->last_ts;
			keep_line(f, line);
			return 0;
		}
		if (r->f[REC_TS].p != NULL) {
			if (!r->ts_ok) {
				*why = "ts is not an integer (milliseconds)";
				return -1;
			}
			ts_ms = r->ts_ms;
			have_ts = 1;
		}
		/* A whole record in the fixed order leaves as it came. */
		f->asis = r->canon && have_ts &&
		    (r->f[REC_KEY].p || r->f[REC_KEY_B64].p) &&
		    r->f[REC_TOPIC].p && r->f[REC_PARTITION].p &&
		    r->f[REC_OFFSET].p && o->key == NULL && o->ts == NULL;
		if (f->asis) {
			f->ts_ms = ts_ms;
			f->ctl = 0;
			keep_line(f, line);
			return 0;
		}
	} else {
		f->asis = 0;
		*r = (struct rec){ .other = r->other,
		    .cap_other = r->cap_other };
		r->line = line;
		switch (o->input) {
		case SRC_JSON:
			if (pay_json(&f->value, line.p, line.n, PAY_JSON,
			    why) < 0)
				return -1;
			break;
		case SRC_LINES:
			b64 = pay_json(&f->value, line.p, line.n, PAY_STRING,
			    why);
			break;
		default:
			b64 = pay_json(&f->value, line.p, line.n, PAY_AUTO,
			    why);
			break;
		}
		r->f[b64 ? REC_VALUE_B64 : REC_VALUE].p = f->value.p;
		r->f[b64 ? REC_VALUE_B64 : REC_VALUE].n = f->value.n;
	}
	/* Provenance the record lacks. */
	if (r->f[REC_TOPIC].p == NULL) {
		r->f[REC_TOPIC].p = f->topic.p;
		r->f[REC_TOPIC].n = f->topic.n;
	}
	if (r->f[REC_PARTITION].p == NULL)
		r->f[REC_PARTITION] = (struct span){ "0", 1 };
	if (r->f[REC_OFFSET].p == NULL) {
		buf_addi(&f->off, (int64_t)(f->rd.lineno - 1));
		r->f[REC_OFFSET].p = f->off.p;
		r->f[REC_OFFSET].n = f->off.n;
	}
	if (r->f[REC_KEY].p == NULL && r->f[REC_KEY_B64].p == NULL)
		r->f[REC_KEY] = (struct span){ "null", 4 };
	if (src_programs(o, r, &s->scratch, &f->key, &ts_ms, why) != 0)
		return -1;
	if (o->ts != NULL)
		have_ts = 1;
	if (!have_ts)
		ts_ms = src_now_ms();
	f->ts_ms = ts_ms;
	f->ctl = 0;
	return 0;
}

/* Read f's next record into its waiting place. */
static void
fill(struct src *s, struct src_file *f)
{
	struct span line;
	const char *why;
	char num[24];

	while (!f->eof) {
		if (!rec_reader_line(&f->rd, &line)) {
			f->eof = 1;
			return;
		}
		if ((int64_t)f->rd.lineno <= f->skip)
			continue;
		msg_at(f->rd.name, f->rd.lineno);
		if (make(s, f, line, &why) != 0) {
			bad_line(s->opts->bad, f->rd.name, f->rd.lineno,
			    line.p, line.n, why);
			continue;
		}
		if (!f->asis) {
			/* Write the record now: its spans die with the line. */
			f->rec.f[REC_TS].p = num;
			f->rec.f[REC_TS].n = snprintf(num, sizeof num,
			    "%lld", (long long)f->ts_ms);
			buf_reset(&f->line);
			rec_fmt(&f->line, &f->rec);
		}
		if (!f->ctl)
			f->last_ts = f->ts_ms;
		f->has = 1;
		return;
	}
}

void
src_offsets(const struct src *s, struct ckpt_offs *offs)
{
	const struct src_file *f;
	size_t i;
	int64_t next;

	for (i = 0; i < s->n_files; i++) {
		f = &s->files[i];
		/* A record waiting in line is its line's, not yet given. */
		next = (int64_t)f->rd.lineno - (f->has ? 1 : 0);
		if (next < f->skip)
			next = f->skip;
		ckpt_offs_set(offs, f->topic.p, f->topic.n, 0, next);
	}
}

int
src_next(struct src *s, struct buf *out)
{
	struct src_file *f, *best = NULL;
	size_t i;

	for (i = 0; i < s->n_files; i++) {
		f = &s->files[i];
		if (!f->has)
			fill(s, f);
		if (f->has && (best == NULL || f->ts_ms < best->ts_ms))
			best = f;
	}
	msg_at(NULL, 0);
	if (best == NULL)
		return 0;
	buf_add(out, best->line.p, best->line.n);
	best->has = 0;
	return best->ctl == CTL_END ? 3 : best->ctl ? 2 : 1;
}
