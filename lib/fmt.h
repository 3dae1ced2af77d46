/*
 * fmt: a record as output text, kout's --format: json, value, kv, tsv, or
 * a %-template in kcat's manner.
 *
 * The text of a key or value: a string's characters, a base64 member's
 * bytes, nothing for null or absent, any other JSON as its text as it
 * came.  json writes the record in the fixed field order; value its value
 * and a newline; kv key, tab, value, newline; tsv ts, key, value, topic,
 * partition and offset, tab separated, with backslash, tab, newline and
 * carriage return escaped as \\ \t \n \r.  A template writes %k key, %v
 * value, %K and %V their lengths in bytes (-1 for null), %t topic, %p
 * partition, %o offset, %T ts, %{ts:iso} ts as ISO 8601, %h headers as
 * name=value pairs joined by commas, %% a percent sign, and the escapes
 * \n \t \r \\; nothing else, not even a newline.
 */
#ifndef KP_FMT_H
#define KP_FMT_H

#include "buf.h"
#include "rec.h"

enum fmt_kind { FMT_JSON, FMT_VALUE, FMT_KV, FMT_TSV, FMT_TEMPLATE };

struct fmt_op {
	int op;			/* a conversion letter; 0: literal */
	size_t off, n;		/* the literal, in fmt.lit */
};

struct fmt {
	enum fmt_kind kind;
	struct fmt_op *ops;
	size_t n_ops;
	struct buf lit;		/* literal text of the template */
	struct buf tmp;
	struct buf pay, pay_tmp;	/* decoded keys and values */
};

/* Parse a --format argument; -1 with *why on a bad template. */
int fmt_parse(struct fmt *f, const char *spec, const char **why);
void fmt_free(struct fmt *f);

/* Append r's text to out. */
void fmt_record(struct fmt *f, const struct rec *r, struct buf *out);

#endif
