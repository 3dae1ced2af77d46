/* path: plain jq paths over a record's text. */
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "path.h"

static const char *const keywords[] = {
	"if", "then", "elif", "else", "end", "as", "def", "reduce", "foreach",
	"try", "catch", "label", "import", "include", "and", "or", "not",
	"__loc__", NULL
};

int
path_name_char(int c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (!first && c >= '0' && c <= '9');
}

const char *
path_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

int
path_keyword(const char *s, size_t n)
{
	size_t i;

	for (i = 0; keywords[i] != NULL; i++)
		if (strlen(keywords[i]) == n && memcmp(keywords[i], s, n) == 0)
			return 1;
	return 0;
}

int
path_parse(struct path *p, const char *prog)
{
	const char *s = prog, *b;
	size_t n = 0, cap = 0;

	*p = (struct path)PATH_INIT;
	while (*s == ' ')
		s++;
	while (*s == '.') {
		b = ++s;
		if (!path_name_char((unsigned char)*s, 1))
			goto no;
		while (path_name_char((unsigned char)*s, 0))
			s++;
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			p->names = xrealloc(p->names, cap * sizeof(*p->names));
			p->lens = xrealloc(p->lens, cap * sizeof(*p->lens));
		}
		p->names[n] = b;
		p->lens[n++] = s - b;
	}
	while (*s == ' ')
		s++;
	if (n == 0 || *s != '\0')
		goto no;
	p->n = n;
	return 1;
no:
	path_free(p);
	return 0;
}

void
path_free(struct path *p)
{
	free(p->names);
	free(p->lens);
	*p = (struct path)PATH_INIT;
}

static int
is_null(struct span s)
{
	return s.n == 4 && memcmp(s.p, "null", 4) == 0;
}

int
path_get(const struct path *p, const struct rec *r, struct span *out)
{
	struct span cur = { NULL, 0 };
	size_t i;
	int f, st;

	/* The record's own members were found by rec_scan. */
	f = rec_field(p->names[0], p->lens[0]);
	if (f >= 0 && f != REC_AT)
		cur = r->f[f];
	else
		for (i = 0; i < r->n_other; i++)
			if (r->other[i].name.n == p->lens[0] + 2 &&
			    memcmp(r->other[i].name.p + 1, p->names[0],
			    p->lens[0]) == 0)
				cur = r->other[i].val;
	for (i = 1; i < p->n; i++) {
		if (cur.p == NULL || is_null(cur))
			return 0;
		if (cur.p[0] != '{')
			return -1;	/* jq's error message */
		if ((st = rec_member(cur, p->names[i], p->lens[i], &cur)) < 0)
			return -1;
		if (st == 0)
			return 0;
	}
	if (cur.p == NULL || is_null(cur))
		return 0;
	*out = cur;
	return 1;
}
