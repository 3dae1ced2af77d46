/*
 * path: jq programs that are plain paths, such as .value.ask, read
 * straight from a record's text, without libjq.
 *
 * Most aggregations read one field; building a jq tree for it costs more
 * than the rest of the work.  path_get gives the field's JSON text as it
 * came, which is what jq would output (numbers, strings) or its equal.
 */
#ifndef KP_PATH_H
#define KP_PATH_H

#include <stddef.h>

#include "rec.h"

struct path {
	size_t n;		/* names */
	const char **names;	/* into the program text */
	size_t *lens;
};
#define PATH_INIT { 0, NULL, NULL }

/*
 * Is prog a plain path (".a.b", names of ASCII letters, digits and _, not
 * starting with a digit; spaces around)?  1 and p filled (pointing into
 * prog, which must outlive p), else 0.
 */
int path_parse(struct path *p, const char *prog);

/*
 * jq's words, for the parsers of lib/tmpl.c and lib/spipe.c: can c be in
 * a name (first: as its first character), p past white space, is s (n
 * bytes) a keyword?
 */
int path_name_char(int c, int first);
const char *path_ws(const char *p);
int path_keyword(const char *s, size_t n);
void path_free(struct path *p);

/*
 * The JSON text at p in record r: 1 and *out; 0 when it is null or
 * absent, or a step is not an object (jq's .a on a non-object other than
 * null is an error: -1); -1 when jq must decide.
 */
int path_get(const struct path *p, const struct rec *r, struct span *out);

#endif
