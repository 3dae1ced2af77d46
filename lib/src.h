/*
 * src: kcat-in's file side, files of lines, JSON values or records made
 * into records, several merged by timestamp.
 *
 * Each file is a source: topic is its name as given ("-" for standard
 * input), partition 0, offset its line number from 0.  Event time is the
 * record's own ts (records), else --ts EXPR over the record, else the wall
 * time at which the line was read.  Several sources are merged as Kafka
 * Streams picks its next record: the smallest ts first, ties in the order
 * the files were given.  Each source holds one record ahead, so the order
 * within a source is kept whatever its timestamps.
 */
#ifndef KP_SRC_H
#define KP_SRC_H

#include <stddef.h>
#include <stdint.h>

#include "bad.h"
#include "ckpt.h"
#include "buf.h"
#include "jqx.h"
#include "pay.h"
#include "rec.h"

enum src_input { SRC_AUTO, SRC_LINES, SRC_JSON, SRC_RECORDS };

struct src_opts {
	enum src_input input;
	struct jqx *ts;		/* --ts, or NULL */
	int64_t ts_div, ts_mul;	/* --ts-unit: ms = v * mul / div */
	struct jqx *key;	/* --key, or NULL */
	struct bad *bad;
	const struct ckpt_offs *resume;	/* -s: where each input goes on */
};

struct src_file;

struct src {
	const struct src_opts *opts;
	struct src_file *files;
	size_t n_files;
	struct buf scratch;
};

/* Parse --input; -1 if unknown. */
int src_input_parse(const char *s, enum src_input *in);
/* Parse --ts-unit (ms, s, us, ns) into opts; -1 if unknown. */
int src_unit_parse(const char *s, struct src_opts *opts);

/* Open the files (an unreadable one dies). */
void src_open(struct src *s, const struct src_opts *opts,
    char *const *paths, size_t n);

/*
 * Append the next record (or a control record passing through from a
 * records file) as a line to out.  Returns 1 for a data record, 2 for a
 * control record, 3 for {"@":"end"} (the stream's end: read no further),
 * 0 at the end of every file.
 */
int src_next(struct src *s, struct buf *out);

void src_close(struct src *s);

/*
 * Each input's offset (its line number from 0) after the records given
 * out so far, into offs.  With opts->resume, an input starts at its
 * offset there: the lines before it are skipped unread.
 */
void src_offsets(const struct src *s, struct ckpt_offs *offs);

/*
 * Run --key and --ts (if given) over record r as it stands: the key goes
 * into key (r points at it), the time into *ts_ms.  Returns 0, or -1 with
 * *why for bad input.  scratch is a work buffer.
 */
int src_programs(const struct src_opts *o, struct rec *r,
    struct buf *scratch, struct buf *key, int64_t *ts_ms, const char **why);

/* The wall-clock time in milliseconds. */
int64_t src_now_ms(void);

#endif
