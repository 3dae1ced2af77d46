/* tmpl: object constructions of plain paths, over a record's text. */
#include <stdlib.h>
#include <string.h>

#include "jqx.h"
#include "msg.h"
#include "path.h"
#include "tmpl.h"

struct member;

struct node {
	struct path path;	/* a path, when n_members is 0 */
	char *text;		/* the path's own copy of its text */
	struct member *m;	/* an object */
	size_t n_members;
	int is_obj;
};

struct member {
	char *name;		/* its JSON text, quotes included */
	size_t n;		/* the bare name's length */
	struct node v;
};

struct tmpl {
	struct node root;
};

static void
node_free(struct node *v)
{
	size_t i;

	for (i = 0; i < v->n_members; i++) {
		free(v->m[i].name);
		node_free(&v->m[i].v);
	}
	free(v->m);
	path_free(&v->path);
	free(v->text);
}

/* A path at *p: ".a.b" (at least one name). */
static int
parse_path(const char **pp, struct node *v)
{
	const char *p = *pp, *b = p;

	while (*p == '.') {
		p++;
		if (!path_name_char((unsigned char)*p, 1))
			return -1;
		while (path_name_char((unsigned char)*p, 0))
			p++;
	}
	if (p == b)
		return -1;
	v->text = xmalloc(p - b + 1);
	memcpy(v->text, b, p - b);
	v->text[p - b] = '\0';
	if (!path_parse(&v->path, v->text))
		return -1;
	*pp = p;
	return 0;
}

static int parse_obj(const char **pp, struct node *v);

static int
parse_member(const char **pp, struct member *m)
{
	const char *p = *pp, *b;
	struct buf nb = BUF_INIT;
	size_t n;

	if (*p == '"') {
		for (b = ++p; *p != '"'; p++)
			if (*p == '\0' || *p == '\\' || (unsigned char)*p < 0x20)
				return -1;
		n = p++ - b;
	} else {
		b = p;
		if (!path_name_char((unsigned char)*p, 1))
			return -1;
		while (path_name_char((unsigned char)*p, 0))
			p++;
		n = p - b;
		if (path_keyword(b, n))
			return -1;
	}
	if (n == 0 || !rec_utf8_valid(b, n))
		return -1;
	buf_addjstr(&nb, b, n);
	m->name = nb.p;
	m->n = n;
	p = path_ws(p);
	if (*p != ':') {
		/* {sym} is {sym: .sym}; {"sym"} is not taken here. */
		if (b[-1] == '"')
			return -1;
		m->v.text = xmalloc(n + 2);
		m->v.text[0] = '.';
		memcpy(m->v.text + 1, b, n);
		m->v.text[n + 1] = '\0';
		if (!path_parse(&m->v.path, m->v.text))
			return -1;
		*pp = p;
		return 0;
	}
	p = path_ws(p + 1);
	if (*p == '{' ? parse_obj(&p, &m->v) : parse_path(&p, &m->v))
		return -1;
	*pp = path_ws(p);
	return 0;
}

static int
parse_obj(const char **pp, struct node *v)
{
	const char *p = path_ws(*pp + 1);
	size_t i;

	v->is_obj = 1;
	for (;;) {
		v->m = xrealloc(v->m, (v->n_members + 1) * sizeof(*v->m));
		memset(&v->m[v->n_members], 0, sizeof(*v->m));
		if (parse_member(&p, &v->m[v->n_members++]) != 0)
			return -1;
		/* A repeated name: jq keeps the last; leave it to jq. */
		for (i = 0; i + 1 < v->n_members; i++)
			if (strcmp(v->m[i].name,
			    v->m[v->n_members - 1].name) == 0)
				return -1;
		if (*p == '}')
			break;
		if (*p != ',')
			return -1;
		p = path_ws(p + 1);
	}
	*pp = p + 1;
	return 0;
}

struct tmpl *
tmpl_parse(const char *prog)
{
	struct tmpl *t = xmalloc(sizeof(*t));
	const char *p = path_ws(prog);

	memset(t, 0, sizeof(*t));
	if (*p != '{' || parse_obj(&p, &t->root) != 0 || *path_ws(p) != '\0') {
		tmpl_free(t);
		return NULL;
	}
	return t;
}

void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	node_free(&t->root);
	free(t);
}

size_t
tmpl_count(const struct tmpl *t)
{
	return t->root.n_members;
}

const char *
tmpl_name(const struct tmpl *t, size_t i, size_t *n)
{
	*n = t->root.m[i].n;
	return t->root.m[i].name + 1;
}

int
tmpl_same(const struct tmpl *t, size_t i)
{
	const struct member *m = &t->root.m[i];

	return !m->v.is_obj && m->v.path.n == 1 && m->v.path.lens[0] == m->n &&
	    memcmp(m->v.path.names[0], m->name + 1, m->n) == 0;
}

static int
value(const struct node *v, const struct rec *r, struct buf *out)
{
	struct span s;
	const char *p;
	size_t i;
	int st;

	if (v->is_obj) {
		buf_addc(out, '{');
		for (i = 0; i < v->n_members; i++) {
			if (i > 0)
				buf_addc(out, ',');
			buf_adds(out, v->m[i].name);
			buf_addc(out, ':');
			if (value(&v->m[i].v, r, out) != 0)
				return -1;
		}
		buf_addc(out, '}');
		return 0;
	}
	if ((st = path_get(&v->path, r, &s)) < 0)
		return -1;
	if (st == 0) {
		buf_adds(out, "null");
		return 0;
	}
	switch (s.p[0]) {
	case '{':
	case '[':
		return -1;	/* jq would print it compact: let it */
	case '"':
		/* Escapes: jq decodes and re-escapes them its own way. */
		if (memchr(s.p, '\\', s.n) != NULL)
			return -1;
		buf_add(out, s.p, s.n);
		return 0;
	case 't':
	case 'f':
		buf_add(out, s.p, s.n);
		return 0;
	default:
		p = s.p;
		jqx_number_fmt(jqx_number_parse(&p, s.p + s.n), out);
		return 0;
	}
}

int
tmpl_value(const struct tmpl *t, size_t i, const struct rec *r,
    struct buf *out)
{
	return value(&t->root.m[i].v, r, out);
}
