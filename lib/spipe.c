/* spipe: jq pipelines over strings, over a record's text. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jqx.h"
#include "msg.h"
#include "path.h"
#include "spipe.h"

enum op {
	OP_DOT, OP_PATH, OP_LIT, OP_PIPE, OP_SELECT, OP_EMPTY, OP_OBJ,
	OP_DOWN, OP_UP, OP_LTRIM, OP_RTRIM, OP_STARTS, OP_ENDS, OP_LENGTH,
	OP_BYTES, OP_NOT, OP_AND, OP_OR, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT,
	OP_GE,
	OP_SPLITS,	/* splits(RE), split(RE; FL)[]: the pieces */
	OP_SPLIT,	/* split("s")[]: the same, but none for "" */
	OP_SPLIT_ARRAY	/* split(...) not yet followed by [] */
};

/* How many outputs a node gives for one input, errors aside. */
enum card { ONE, OPT, MANY };

/*
 * A regular expression whose leftmost-first matches are easy: a literal
 * string (in its node's text), or one character class, maybe repeated.
 */
struct re {
	int lit;
	int plus;
	int ascii;		/* exact only over ASCII text */
	int neg;		/* a negated bracket class */
	unsigned char in[256];	/* the class's bytes */
};

struct node;

struct member {
	char *name;		/* decoded, NUL-terminated */
	size_t n;
	struct node *v;
};

struct node {
	enum op op;
	enum card card;
	struct node *a, *b;	/* operands, the select condition */
	struct path path;	/* OP_PATH, names into text */
	char *text;		/* the path's text; a string argument */
	size_t n;
	struct spipe_val lit;	/* OP_LIT (strings point into text) */
	struct re re;
	int regex;		/* OP_SPLIT_ARRAY: split(RE; FL) */
	struct member *m;	/* OP_OBJ */
	size_t n_members;
	struct spipe_val *vals;	/* the members' values, during a run */
	struct buf scratch;	/* strings this node made */
};

struct kont {
	struct node *node;	/* the rest of the pipeline */
	const struct kont *next;
};

struct spipe {
	struct node *root;
	struct node **nodes;	/* every node, for spipe_free */
	size_t n_nodes;
	const struct rec *r;	/* during a run */
	spipe_out_fn *out;
	void *ctx;
	struct buf scratch;	/* the input value's decoding */
};

/* --- the lexer ----------------------------------------------------------- */

enum tok {
	T_END, T_BAD, T_DOT, T_FIELD, T_IDENT, T_STR, T_NUM, T_PIPE, T_LP,
	T_RP, T_LBRACE, T_RBRACE, T_LBRACK, T_RBRACK, T_COLON, T_COMMA,
	T_SEMI, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE
};

struct lex {
	const char *p;		/* after the current token */
	enum tok t;
	const char *s;		/* T_FIELD, T_IDENT: the name */
	size_t n;
	struct buf str;		/* T_STR: decoded */
	double num;		/* T_NUM */
	struct spipe *sp;
};

static int
hex4(const char *p, unsigned *c)
{
	int i, d;

	*c = 0;
	for (i = 0; i < 4; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return -1;
		*c = *c << 4 | d;
	}
	return 0;
}

static void
put_utf8(struct buf *b, unsigned c)
{
	if (c < 0x80)
		buf_addc(b, c);
	else if (c < 0x800) {
		buf_addc(b, 0xc0 | c >> 6);
		buf_addc(b, 0x80 | (c & 0x3f));
	} else {
		buf_addc(b, 0xe0 | c >> 12);
		buf_addc(b, 0x80 | ((c >> 6) & 0x3f));
		buf_addc(b, 0x80 | (c & 0x3f));
	}
}

/*
 * A string literal after its quote, as jq's lexer decodes it; an
 * interpolation \( or a \u surrogate is left to jq.
 */
static enum tok
lex_str(struct lex *lx, const char *p)
{
	unsigned c;

	buf_reset(&lx->str);
	for (;;) {
		c = (unsigned char)*p;
		if (c == '"')
			break;
		if (c < 0x20)
			return T_BAD;
		if (c != '\\') {
			buf_addc(&lx->str, c);
			p++;
			continue;
		}
		switch (p[1]) {
		case '"': case '\\': case '/': c = p[1]; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			if (hex4(p + 2, &c) != 0 || (c >= 0xd800 && c < 0xe000))
				return T_BAD;
			put_utf8(&lx->str, c);
			p += 6;
			continue;
		default:
			return T_BAD;
		}
		buf_addc(&lx->str, c);
		p += 2;
	}
	if (!rec_utf8_valid(lx->str.p, lx->str.n))
		return T_BAD;
	lx->p = p + 1;
	return T_STR;
}

/* A number: digits, maybe a fraction; few enough to read exactly. */
static enum tok
lex_num(struct lex *lx, const char *p)
{
	const char *b = p;
	char tmp[32];
	int nd = 0;

	while (*p >= '0' && *p <= '9')
		p++, nd++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return T_BAD;
		while (*p >= '0' && *p <= '9')
			p++, nd++;
	}
	if (nd > 15 || path_name_char((unsigned char)*p, 0) || *p == '.')
		return T_BAD;
	memcpy(tmp, b, p - b);
	tmp[p - b] = '\0';
	lx->num = strtod(tmp, NULL);
	lx->p = p;
	return T_NUM;
}

static enum tok
lex_next(struct lex *lx)
{
	const char *p = path_ws(lx->p);

	lx->p = p + 1;
	switch (*p) {
	case '\0':
		lx->p = p;
		return lx->t = T_END;
	case '.':
		if (path_name_char((unsigned char)p[1], 1)) {
			lx->s = ++p;
			while (path_name_char((unsigned char)*p, 0))
				p++;
			lx->n = p - lx->s;
			lx->p = p;
			return lx->t = T_FIELD;
		}
		return lx->t = p[1] == '.' ? T_BAD : T_DOT;
	case '"':
		return lx->t = lex_str(lx, p + 1);
	case '|': return lx->t = T_PIPE;
	case '(': return lx->t = T_LP;
	case ')': return lx->t = T_RP;
	case '{': return lx->t = T_LBRACE;
	case '}': return lx->t = T_RBRACE;
	case '[': return lx->t = T_LBRACK;
	case ']': return lx->t = T_RBRACK;
	case ',': return lx->t = T_COMMA;
	case ';': return lx->t = T_SEMI;
	case ':':
		/* "::" names a module's function. */
		return lx->t = p[1] == ':' ? T_BAD : T_COLON;
	case '=':
		lx->p = p + 2;
		return lx->t = p[1] == '=' ? T_EQ : T_BAD;
	case '!':
		lx->p = p + 2;
		return lx->t = p[1] == '=' ? T_NE : T_BAD;
	case '<':
		if (p[1] == '=') {
			lx->p = p + 2;
			return lx->t = T_LE;
		}
		return lx->t = T_LT;
	case '>':
		if (p[1] == '=') {
			lx->p = p + 2;
			return lx->t = T_GE;
		}
		return lx->t = T_GT;
	}
	if (*p >= '0' && *p <= '9')
		return lx->t = lex_num(lx, p);
	if (path_name_char((unsigned char)*p, 1)) {
		lx->s = p;
		while (path_name_char((unsigned char)*p, 0))
			p++;
		lx->n = p - lx->s;
		lx->p = p;
		if (p[0] == ':' && p[1] == ':')
			return lx->t = T_BAD;
		return lx->t = T_IDENT;
	}
	return lx->t = T_BAD;
}

static int
is_ident(const struct lex *lx, const char *name)
{
	return lx->t == T_IDENT && strlen(name) == lx->n &&
	    memcmp(lx->s, name, lx->n) == 0;
}

/* --- regular expressions ------------------------------------------------- */

static void
class_range(struct re *re, int lo, int hi)
{
	int c;

	for (c = lo; c <= hi; c++)
		re->in[c] = 1;
}

/*
 * Oniguruma's \w, \s and \d (and their negations) are Unicode classes in
 * jq's UTF-8 mode; over ASCII they are these.
 */
static int
class_escape(struct re *re, int c, int neg_ok)
{
	unsigned char set[256];
	int i, neg = c == 'W' || c == 'S' || c == 'D';

	memset(set, 0, sizeof set);
	switch (c) {
	case 'w': case 'W':
		for (i = 0; i < 128; i++)
			set[i] = path_name_char(i, 0);
		break;
	case 's': case 'S':
		for (i = '\t'; i <= '\r'; i++)
			set[i] = 1;
		set[' '] = 1;
		break;
	case 'd': case 'D':
		for (i = '0'; i <= '9'; i++)
			set[i] = 1;
		break;
	default:
		return -1;
	}
	if (neg && !neg_ok)
		return -1;
	for (i = 0; i < 128; i++)
		if (set[i] != neg)
			re->in[i] = 1;
	re->ascii = 1;
	return 0;
}

/* A character escape that stands for itself: \t, \. and the like. */
static int
char_escape(int c)
{
	switch (c) {
	case 't': return '\t';
	case 'n': return '\n';
	case 'r': return '\r';
	case 'f': return '\f';
	}
	if (c > 0x20 && c < 0x7f && !path_name_char(c, 0))
		return c;
	return -1;
}

/* A character Oniguruma reads as itself outside a class. */
static int
plain_char(int c)
{
	return c >= 0x80 || (c >= 0x20 && c < 0x7f &&
	    strchr("\\^$.|?*+()[]{}", c) == NULL);
}

/* A bracket class [...] at s (decoded), ending before e. */
static const char *
parse_bracket(struct re *re, const char *s, const char *e)
{
	int neg = 0, c, hi, i, any = 0;

	s++;
	if (s < e && *s == '^') {
		neg = 1;
		s++;
	}
	for (;;) {
		if (s >= e)
			return NULL;
		c = (unsigned char)*s;
		if (c == ']' && any)
			break;
		if (c == ']' || c == '[' || c >= 0x80 || c < 0x20 ||
		    (c == '&' && s + 1 < e && s[1] == '&'))
			return NULL;
		any = 1;
		if (c == '\\') {
			if (s + 1 >= e)
				return NULL;
			if (class_escape(re, (unsigned char)s[1], 1) == 0) {
				s += 2;
				if (s < e && *s == '-' && s + 1 < e &&
				    s[1] != ']')
					return NULL;
				continue;
			}
			if ((c = char_escape((unsigned char)s[1])) < 0)
				return NULL;
			s += 2;
		} else
			s++;
		if (s + 1 < e && *s == '-' && s[1] != ']') {
			hi = (unsigned char)s[1];
			if (hi == '\\' || hi == '[' || hi < 0x20 ||
			    hi >= 0x80 || hi < c)
				return NULL;
			class_range(re, c, hi);
			s += 2;
			/* [a-z-9]: a dash after a range is a doubtful one. */
			if (s + 1 < e && *s == '-' && s[1] != ']')
				return NULL;
		} else
			re->in[c] = 1;
	}
	if (neg) {
		for (i = 0; i < 256; i++)
			re->in[i] = !re->in[i];
		re->neg = 1;
	}
	return s + 1;
}

/*
 * The regular expression s (len bytes, decoded) into n: a class with an
 * optional +, or a string of characters that stand for themselves.
 */
static int
parse_re(struct node *n, const char *s, size_t len)
{
	struct re *re = &n->re;
	const char *e = s + len, *q;
	struct buf lit = BUF_INIT;
	int c;

	memset(re, 0, sizeof *re);
	if (len == 0)
		return -1;
	if (*s == '[' || (*s == '\\' && len >= 2 &&
	    strchr("wWsSdD", s[1]) != NULL)) {
		if (*s == '[')
			q = parse_bracket(re, s, e);
		else {
			class_escape(re, (unsigned char)s[1], 1);
			q = s + 2;
		}
		if (q == NULL)
			return -1;
		if (q + 1 == e && *q == '+')
			re->plus = 1;
		else if (q != e)
			return -1;
		/*
		 * A negated class matches whole characters: one at a time,
		 * they are not bytes beyond ASCII.
		 */
		if (re->neg && !re->plus)
			re->ascii = 1;
		return 0;
	}
	while (s < e) {
		c = (unsigned char)*s;
		if (c == '\\' && s + 1 < e &&
		    (c = char_escape((unsigned char)s[1])) >= 0)
			s += 2;
		else if (c == '+' && s + 1 == e && lit.n == 1 &&
		    (unsigned char)lit.p[0] < 0x80) {
			re->in[(unsigned char)lit.p[0]] = 1;
			re->plus = 1;
			buf_free(&lit);
			return 0;
		} else if (plain_char(c))
			s++;
		else {
			buf_free(&lit);
			return -1;
		}
		buf_addc(&lit, c);
	}
	re->lit = 1;
	n->text = lit.p;	/* owned now */
	n->n = lit.n;
	return 0;
}

/* --- the parser ---------------------------------------------------------- */

static struct node *
new_node(struct lex *lx, enum op op)
{
	struct spipe *sp = lx->sp;
	struct node *n = xmalloc(sizeof *n);

	memset(n, 0, sizeof *n);
	n->op = op;
	n->card = ONE;
	n->scratch = (struct buf)BUF_INIT;
	sp->nodes = xrealloc(sp->nodes, (sp->n_nodes + 1) * sizeof *sp->nodes);
	sp->nodes[sp->n_nodes++] = n;
	return n;
}

static struct node *parse_pipe(struct lex *lx);

static struct node *
pipe_of(struct lex *lx, struct node *a, struct node *b)
{
	struct node *n = new_node(lx, OP_PIPE);

	n->a = a;
	n->b = b;
	n->card = a->card > b->card ? a->card : b->card;
	return n;
}

/* A copy of the string token's bytes, for node n. */
static void
take_str(struct lex *lx, struct node *n)
{
	n->text = xmalloc(lx->str.n + 1);
	memcpy(n->text, lx->str.p, lx->str.n + 1);
	n->n = lx->str.n;
}

static struct node *
parse_path(struct lex *lx)
{
	struct node *n = new_node(lx, OP_PATH);
	struct buf t = BUF_INIT;

	while (lx->t == T_FIELD) {
		buf_addc(&t, '.');
		buf_add(&t, lx->s, lx->n);
		lex_next(lx);
	}
	n->text = t.p;		/* owned now; the path points into it */
	if (!path_parse(&n->path, n->text))
		return NULL;
	return n;
}

/* An object member's value: terms joined by |, as jq's grammar has it. */
static struct node *parse_term(struct lex *lx);

static struct node *
parse_member_value(struct lex *lx)
{
	struct node *a, *b;

	if ((a = parse_term(lx)) == NULL)
		return NULL;
	if (lx->t != T_PIPE)
		return a;
	lex_next(lx);
	if ((b = parse_member_value(lx)) == NULL)
		return NULL;
	return pipe_of(lx, a, b);
}

static struct node *
parse_obj(struct lex *lx)
{
	struct node *n = new_node(lx, OP_OBJ), *v;
	struct member *m;
	char *name;
	size_t len, i;
	int quoted;

	lex_next(lx);
	while (lx->t != T_RBRACE) {
		quoted = lx->t == T_STR;
		if (lx->t == T_IDENT) {
			if (path_keyword(lx->s, lx->n))
				return NULL;
			len = lx->n;
			name = xmalloc(len + 1);
			memcpy(name, lx->s, len);
			name[len] = '\0';
		} else if (lx->t == T_STR) {
			len = lx->str.n;
			name = xmalloc(len + 1);
			memcpy(name, lx->str.p, len + 1);
		} else
			return NULL;
		n->m = xrealloc(n->m, (n->n_members + 1) * sizeof *n->m);
		m = &n->m[n->n_members++];
		m->name = name;
		m->n = len;
		m->v = NULL;
		/* A repeated name: jq keeps the last; leave it to jq. */
		for (i = 0; i + 1 < n->n_members; i++)
			if (n->m[i].n == len &&
			    memcmp(n->m[i].name, name, len) == 0)
				return NULL;
		if (lex_next(lx) == T_COLON) {
			lex_next(lx);
			if ((v = parse_member_value(lx)) == NULL)
				return NULL;
		} else if (quoted)
			return NULL;
		else {
			/* {sym} is {sym: .sym}. */
			v = new_node(lx, OP_PATH);
			v->text = xmalloc(len + 2);
			v->text[0] = '.';
			memcpy(v->text + 1, name, len + 1);
			if (!path_parse(&v->path, v->text))
				return NULL;
		}
		if (v->card != ONE)
			return NULL;
		m->v = v;
		if (lx->t == T_COMMA)
			lex_next(lx);
		else if (lx->t != T_RBRACE)
			return NULL;
	}
	lex_next(lx);
	n->vals = xmalloc((n->n_members + 1) * sizeof *n->vals);
	return n;
}

/* A string argument: ("s" */
static int
str_arg(struct lex *lx, struct node *n)
{
	if (lex_next(lx) != T_LP || lex_next(lx) != T_STR)
		return -1;
	take_str(lx, n);
	lex_next(lx);
	return 0;
}

/*
 * split and splits, after their name: the arguments, and the [] that
 * makes split's array its elements.  split("s") splits at the string
 * itself and gives nothing for "", as jq 1.6's C split does; the others
 * are jq's splits over match($re; "g").
 */
static struct node *
parse_split(struct lex *lx, int splits)
{
	struct node *n = new_node(lx, OP_SPLIT_ARRAY);
	char *text;
	size_t i, len;
	int regex = splits, st;

	if (str_arg(lx, n) != 0)
		return NULL;
	if (lx->t == T_SEMI) {
		/* Flags: null or "g", which the match is anyway. */
		lex_next(lx);
		if (lx->t == T_STR) {
			for (i = 0; i < lx->str.n; i++)
				if (lx->str.p[i] != 'g')
					return NULL;
		} else if (!is_ident(lx, "null"))
			return NULL;
		lex_next(lx);
		regex = 1;
	}
	if (lx->t != T_RP)
		return NULL;
	lex_next(lx);
	if (regex) {
		text = n->text;		/* the regex's source, replaced */
		len = n->n;
		n->text = NULL;
		n->n = 0;
		st = parse_re(n, text, len);
		free(text);
		if (st != 0)
			return NULL;
	} else {
		if (n->n == 0)
			return NULL;
		memset(&n->re, 0, sizeof n->re);
		n->re.lit = 1;
	}
	if (splits) {
		n->op = OP_SPLITS;
		n->card = MANY;
	} else if (lx->t == T_LBRACK) {
		if (lex_next(lx) != T_RBRACK)
			return NULL;
		lex_next(lx);
		n->op = regex ? OP_SPLITS : OP_SPLIT;
		n->card = MANY;
	} else
		n->regex = regex;
	return n;
}

static const struct builtin {
	const char *name;
	enum op op;
} fn0[] = {
	{ "ascii_downcase", OP_DOWN }, { "ascii_upcase", OP_UP },
	{ "empty", OP_EMPTY }, { "length", OP_LENGTH }, { "not", OP_NOT },
	{ "utf8bytelength", OP_BYTES }, { NULL, OP_DOT }
}, fn1[] = {
	{ "endswith", OP_ENDS }, { "ltrimstr", OP_LTRIM },
	{ "rtrimstr", OP_RTRIM }, { "startswith", OP_STARTS }, { NULL, OP_DOT }
};

static struct node *
parse_term(struct lex *lx)
{
	struct node *n;
	size_t i;

	switch (lx->t) {
	case T_DOT:
		n = new_node(lx, OP_DOT);
		lex_next(lx);
		return n;
	case T_FIELD:
		return parse_path(lx);
	case T_STR:
		n = new_node(lx, OP_LIT);
		take_str(lx, n);
		n->lit.kind = SPIPE_STRING;
		n->lit.p = n->text;
		n->lit.n = n->n;
		lex_next(lx);
		return n;
	case T_NUM:
		n = new_node(lx, OP_LIT);
		n->lit.kind = SPIPE_NUMBER;
		n->lit.d = lx->num;
		lex_next(lx);
		return n;
	case T_LP:
		lex_next(lx);
		if ((n = parse_pipe(lx)) == NULL || lx->t != T_RP)
			return NULL;
		lex_next(lx);
		return n;
	case T_LBRACE:
		return parse_obj(lx);
	case T_IDENT:
		break;
	default:
		return NULL;
	}
	if (is_ident(lx, "null") || is_ident(lx, "true") ||
	    is_ident(lx, "false")) {
		n = new_node(lx, OP_LIT);
		n->lit.kind = lx->s[0] == 'n' ? SPIPE_NULL : lx->s[0] == 't' ?
		    SPIPE_TRUE : SPIPE_FALSE;
		return lex_next(lx) == T_LP ? NULL : n;
	}
	for (i = 0; fn0[i].name != NULL; i++)
		if (is_ident(lx, fn0[i].name)) {
			n = new_node(lx, fn0[i].op);
			if (n->op == OP_EMPTY)
				n->card = OPT;
			return lex_next(lx) == T_LP ? NULL : n;
		}
	for (i = 0; fn1[i].name != NULL; i++)
		if (is_ident(lx, fn1[i].name)) {
			n = new_node(lx, fn1[i].op);
			if (str_arg(lx, n) != 0 || lx->t != T_RP)
				return NULL;
			lex_next(lx);
			return n;
		}
	if (is_ident(lx, "select")) {
		n = new_node(lx, OP_SELECT);
		n->card = OPT;
		if (lex_next(lx) != T_LP)
			return NULL;
		lex_next(lx);
		if ((n->a = parse_pipe(lx)) == NULL || n->a->card != ONE ||
		    lx->t != T_RP)
			return NULL;
		lex_next(lx);
		return n;
	}
	if (is_ident(lx, "splits"))
		return parse_split(lx, 1);
	if (is_ident(lx, "split"))
		return parse_split(lx, 0);
	return NULL;
}

static struct node *
binary(struct lex *lx, enum op op, struct node *a, struct node *b)
{
	struct node *n;

	if (a == NULL || b == NULL || a->card != ONE || b->card != ONE)
		return NULL;
	n = new_node(lx, op);
	n->a = a;
	n->b = b;
	return n;
}

static struct node *
parse_cmp(struct lex *lx)
{
	struct node *a;
	enum op op;

	if ((a = parse_term(lx)) == NULL)
		return NULL;
	switch (lx->t) {
	case T_EQ: op = OP_EQ; break;
	case T_NE: op = OP_NE; break;
	case T_LT: op = OP_LT; break;
	case T_LE: op = OP_LE; break;
	case T_GT: op = OP_GT; break;
	case T_GE: op = OP_GE; break;
	default: return a;
	}
	lex_next(lx);
	return binary(lx, op, a, parse_term(lx));
}

static struct node *
parse_and(struct lex *lx)
{
	struct node *a = parse_cmp(lx);

	while (a != NULL && is_ident(lx, "and")) {
		lex_next(lx);
		a = binary(lx, OP_AND, a, parse_cmp(lx));
	}
	return a;
}

static struct node *
parse_or(struct lex *lx)
{
	struct node *a = parse_and(lx);

	while (a != NULL && is_ident(lx, "or")) {
		lex_next(lx);
		a = binary(lx, OP_OR, a, parse_and(lx));
	}
	return a;
}

/* After a |: is it .[] (the rest of split(...) | .[])?  Then skip it. */
static int
iterate_next(struct lex *lx)
{
	const char *q = path_ws(lx->p);

	if (*q != '.')
		return 0;
	q = path_ws(q + 1);
	if (*q != '[')
		return 0;
	q = path_ws(q + 1);
	if (*q != ']')
		return 0;
	lx->p = q + 1;
	lex_next(lx);
	return 1;
}

static struct node *
parse_pipe(struct lex *lx)
{
	struct node *a, *b;

	if ((a = parse_or(lx)) == NULL)
		return NULL;
	if (lx->t == T_PIPE && a->op == OP_SPLIT_ARRAY && iterate_next(lx)) {
		a->op = a->regex ? OP_SPLITS : OP_SPLIT;
		a->card = MANY;
	}
	if (lx->t != T_PIPE)
		return a;
	lex_next(lx);
	if ((b = parse_pipe(lx)) == NULL)
		return NULL;
	return pipe_of(lx, a, b);
}

static void
node_free(struct node *n)
{
	size_t i;

	for (i = 0; i < n->n_members; i++)
		free(n->m[i].name);
	free(n->m);
	free(n->vals);
	path_free(&n->path);
	free(n->text);
	buf_free(&n->scratch);
	free(n);
}

void
spipe_free(struct spipe *sp)
{
	size_t i;

	if (sp == NULL)
		return;
	for (i = 0; i < sp->n_nodes; i++)
		node_free(sp->nodes[i]);
	free(sp->nodes);
	buf_free(&sp->scratch);
	free(sp);
}

struct spipe *
spipe_parse(const char *prog)
{
	struct spipe *sp = xmalloc(sizeof *sp);
	struct lex lx;
	size_t i;
	int ok;

	memset(sp, 0, sizeof *sp);
	sp->scratch = (struct buf)BUF_INIT;
	memset(&lx, 0, sizeof lx);
	lx.p = prog;
	lx.sp = sp;
	lx.str = (struct buf)BUF_INIT;
	lex_next(&lx);
	sp->root = parse_pipe(&lx);
	ok = sp->root != NULL && lx.t == T_END;
	/* An array split made is more than spipe does. */
	for (i = 0; ok && i < sp->n_nodes; i++)
		if (sp->nodes[i]->op == OP_SPLIT_ARRAY)
			ok = 0;
	buf_free(&lx.str);
	if (!ok) {
		spipe_free(sp);
		return NULL;
	}
	return sp;
}

/* --- the evaluator ------------------------------------------------------- */

/* The value of JSON text s (which rec_scan passed); scratch decodes. */
static void
from_json(struct span s, struct buf *scratch, struct spipe_val *v)
{
	const char *p;

	switch (s.p[0]) {
	case '"':
		v->kind = SPIPE_STRING;
		if (memchr(s.p + 1, '\\', s.n - 2) == NULL) {
			v->p = s.p + 1;
			v->n = s.n - 2;
		} else {
			buf_reset(scratch);
			rec_str_decode(scratch, s);
			v->p = scratch->p;
			v->n = scratch->n;
		}
		return;
	case 'n':
		v->kind = SPIPE_NULL;
		return;
	case 't':
		v->kind = SPIPE_TRUE;
		return;
	case 'f':
		v->kind = SPIPE_FALSE;
		return;
	case '{':
	case '[':
		v->kind = SPIPE_JSON;
		v->p = s.p;
		v->n = s.n;
		return;
	default:
		v->kind = SPIPE_NUMBER;
		p = s.p;
		v->d = jqx_number_parse(&p, s.p + s.n);
	}
}

static int
is_null(struct span s)
{
	return s.n == 4 && memcmp(s.p, "null", 4) == 0;
}

/* Path p over JSON text: as path_get. */
static int
walk(const struct path *p, struct span cur, struct span *out)
{
	size_t i;
	int st;

	for (i = 0; i < p->n; i++) {
		if (is_null(cur))
			return 0;
		if (cur.p[0] != '{')
			return -1;	/* jq's error message */
		if ((st = rec_member(cur, p->names[i], p->lens[i], &cur)) <= 0)
			return st;
	}
	if (is_null(cur))
		return 0;
	*out = cur;
	return 1;
}

static int
truthy(const struct spipe_val *v)
{
	return v->kind != SPIPE_NULL && v->kind != SPIPE_FALSE;
}

static void
boolean(struct spipe_val *v, int b)
{
	v->kind = b ? SPIPE_TRUE : SPIPE_FALSE;
}

/*
 * jq's order: null < false < true < numbers < strings (by their bytes);
 * 0 with *r, or -1 for arrays and objects, which spipe leaves to jq.
 */
static int
compare(const struct spipe_val *a, const struct spipe_val *b, int *r)
{
	size_t n;

	if (a->kind > SPIPE_STRING || b->kind > SPIPE_STRING)
		return -1;
	if (a->kind != b->kind)
		*r = (int)a->kind - (int)b->kind;
	else if (a->kind == SPIPE_NUMBER)
		*r = a->d < b->d ? -1 : a->d == b->d ? 0 : 1;
	else if (a->kind == SPIPE_STRING) {
		n = a->n < b->n ? a->n : b->n;
		if ((*r = n ? memcmp(a->p, b->p, n) : 0) == 0)
			*r = a->n < b->n ? -1 : a->n > b->n;
	} else
		*r = 0;
	return 0;
}

static size_t
codepoints(const char *p, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += ((unsigned char)p[i] & 0xc0) != 0x80;
	return k;
}

static int
has_high(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			return 1;
	return 0;
}

/* Change case: the input itself when no letter changes. */
static void
recase(struct node *n, const struct spipe_val *in, struct spipe_val *out,
    int from, int to)
{
	const char *p = in->p;
	char *q;
	size_t i, k;

	*out = *in;
	for (k = 0; k < in->n; k++)
		if (p[k] >= from && p[k] <= from + 25)
			break;
	if (k == in->n)
		return;
	buf_reset(&n->scratch);
	buf_grow(&n->scratch, in->n);
	q = n->scratch.p;
	memcpy(q, p, k);
	for (i = k; i < in->n; i++)
		q[i] = p[i] >= from && p[i] <= from + 25 ? p[i] - from + to :
		    p[i];
	n->scratch.n = in->n;
	q[in->n] = '\0';
	out->p = q;
}

/* One output of node n, a ONE node, for in: 0, or 1 to stop. */
static int
one(struct spipe *sp, struct node *n, const struct spipe_val *in,
    struct spipe_val *out)
{
	struct spipe_val a, b;
	struct span s;
	size_t i;
	int st, r;

	switch (n->op) {
	case OP_DOT:
		*out = *in;
		return 0;
	case OP_LIT:
		*out = n->lit;
		return 0;
	case OP_PATH:
		if (in->kind == SPIPE_RECORD)
			st = path_get(&n->path, sp->r, &s);
		else if (in->kind == SPIPE_JSON)
			st = walk(&n->path, (struct span){ in->p, in->n }, &s);
		else if (in->kind == SPIPE_NULL)
			st = 0;
		else
			return 1;	/* jq's error */
		if (st < 0)
			return 1;
		if (st == 0)
			out->kind = SPIPE_NULL;
		else
			from_json(s, &n->scratch, out);
		return 0;
	case OP_PIPE:
		if (one(sp, n->a, in, &a) != 0)
			return 1;
		return one(sp, n->b, &a, out);
	case OP_OBJ:
		for (i = 0; i < n->n_members; i++)
			if (one(sp, n->m[i].v, in, &n->vals[i]) != 0)
				return 1;
		out->kind = SPIPE_OBJECT;
		out->obj = n;
		return 0;
	case OP_DOWN:
	case OP_UP:
		if (in->kind != SPIPE_STRING)
			return 1;
		if (n->op == OP_DOWN)
			recase(n, in, out, 'A', 'a');
		else
			recase(n, in, out, 'a', 'A');
		return 0;
	case OP_LTRIM:
	case OP_RTRIM:
		/* Anything but a string with that end passes unchanged. */
		*out = *in;
		if (in->kind == SPIPE_STRING && in->n >= n->n) {
			if (n->op == OP_LTRIM &&
			    memcmp(in->p, n->text, n->n) == 0) {
				out->p += n->n;
				out->n -= n->n;
			} else if (n->op == OP_RTRIM && memcmp(in->p + in->n -
			    n->n, n->text, n->n) == 0)
				out->n -= n->n;
		}
		return 0;
	case OP_STARTS:
	case OP_ENDS:
		if (in->kind != SPIPE_STRING)
			return 1;
		boolean(out, in->n >= n->n && memcmp(n->op == OP_STARTS ?
		    in->p : in->p + in->n - n->n, n->text, n->n) == 0);
		return 0;
	case OP_LENGTH:
		out->kind = SPIPE_NUMBER;
		if (in->kind == SPIPE_STRING)
			out->d = (double)codepoints(in->p, in->n);
		else if (in->kind == SPIPE_NULL)
			out->d = 0;
		else if (in->kind == SPIPE_NUMBER)
			out->d = fabs(in->d);
		else
			return 1;
		return 0;
	case OP_BYTES:
		if (in->kind != SPIPE_STRING)
			return 1;
		out->kind = SPIPE_NUMBER;
		out->d = (double)in->n;
		return 0;
	case OP_NOT:
		boolean(out, !truthy(in));
		return 0;
	case OP_AND:
	case OP_OR:
		if (one(sp, n->a, in, &a) != 0)
			return 1;
		if (truthy(&a) == (n->op == OP_OR)) {
			boolean(out, n->op == OP_OR);
			return 0;
		}
		if (one(sp, n->b, in, &b) != 0)
			return 1;
		boolean(out, truthy(&b));
		return 0;
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT:
	case OP_GE:
		if (one(sp, n->a, in, &a) != 0 || one(sp, n->b, in, &b) != 0 ||
		    compare(&a, &b, &r) != 0)
			return 1;
		switch (n->op) {
		case OP_EQ: boolean(out, r == 0); break;
		case OP_NE: boolean(out, r != 0); break;
		case OP_LT: boolean(out, r < 0); break;
		case OP_LE: boolean(out, r <= 0); break;
		case OP_GT: boolean(out, r > 0); break;
		default: boolean(out, r >= 0); break;
		}
		return 0;
	default:
		return 1;	/* not a ONE node */
	}
}

static int gen(struct spipe *, struct node *, const struct spipe_val *,
    const struct kont *);

static int
cont(struct spipe *sp, const struct kont *k, const struct spipe_val *v)
{
	if (k == NULL)
		return sp->out(sp->ctx, v) != 0;
	return gen(sp, k->node, v, k->next);
}

/* The next match of n's regex in s (len bytes) from pos: [*b, *e). */
static int
find(const struct node *n, const char *s, size_t len, size_t pos,
    size_t *b, size_t *e)
{
	const unsigned char *u = (const unsigned char *)s;
	const char *q;
	size_t i;

	if (n->re.lit) {
		while (pos + n->n <= len) {
			q = memchr(s + pos, n->text[0], len - n->n + 1 - pos);
			if (q == NULL)
				return 0;
			i = q - s;
			if (memcmp(q, n->text, n->n) == 0) {
				*b = i;
				*e = i + n->n;
				return 1;
			}
			pos = i + 1;
		}
		return 0;
	}
	for (i = pos; i < len && !n->re.in[u[i]]; i++)
		;
	if (i == len)
		return 0;
	*b = i++;
	if (n->re.plus)
		while (i < len && n->re.in[u[i]])
			i++;
	*e = i;
	return 1;
}

/*
 * The pieces of a string between the matches, leading and trailing empty
 * ones included: jq 1.6's splits, which slices the string at the offsets
 * of match($re; "g").
 */
static int
pieces(struct spipe *sp, struct node *n, const struct spipe_val *in,
    const struct kont *k)
{
	struct spipe_val v = { SPIPE_STRING, NULL, 0, 0, NULL };
	size_t prev = 0, b, e;

	if (in->kind != SPIPE_STRING)
		return 1;
	if (n->op == OP_SPLIT && in->n == 0)
		return 0;
	if (n->re.ascii && has_high(in->p, in->n))
		return 1;	/* Oniguruma's Unicode classes */
	while (find(n, in->p, in->n, prev, &b, &e)) {
		v.p = in->p + prev;
		v.n = b - prev;
		if (cont(sp, k, &v) != 0)
			return 1;
		prev = e;
	}
	v.p = in->p + prev;
	v.n = in->n - prev;
	return cont(sp, k, &v);
}

/* Every output of node n for in, each to continuation k. */
static int
gen(struct spipe *sp, struct node *n, const struct spipe_val *in,
    const struct kont *k)
{
	struct spipe_val v;
	struct kont k2;

	switch (n->op) {
	case OP_PIPE:
		if (n->card == ONE)
			break;
		k2.node = n->b;
		k2.next = k;
		return gen(sp, n->a, in, &k2);
	case OP_SELECT:
		if (one(sp, n->a, in, &v) != 0)
			return 1;
		return truthy(&v) ? cont(sp, k, in) : 0;
	case OP_EMPTY:
		return 0;
	case OP_SPLITS:
	case OP_SPLIT:
		return pieces(sp, n, in, k);
	default:
		break;
	}
	if (one(sp, n, in, &v) != 0)
		return 1;
	return cont(sp, k, &v);
}

int
spipe_run(struct spipe *sp, const struct rec *r, int on_value,
    spipe_out_fn *out, void *ctx)
{
	struct spipe_val in = { SPIPE_RECORD, NULL, 0, 0, NULL };

	sp->r = r;
	sp->out = out;
	sp->ctx = ctx;
	if (on_value) {
		if (r->f[REC_VALUE].p == NULL)
			in.kind = SPIPE_NULL;
		else
			from_json(r->f[REC_VALUE], &sp->scratch, &in);
	}
	return gen(sp, sp->root, &in, NULL) != 0;
}

size_t
spipe_count(const struct spipe_val *v)
{
	const struct node *n = v->obj;

	return n->n_members;
}

const struct spipe_val *
spipe_member(const struct spipe_val *v, size_t i, const char **name,
    size_t *len)
{
	const struct node *n = v->obj;

	*name = n->m[i].name;
	*len = n->m[i].n;
	return &n->vals[i];
}

int
spipe_same(const struct spipe_val *v, struct span w, struct buf *scratch)
{
	struct spipe_val x;

	if (w.p == NULL)
		return 0;
	switch (v->kind) {
	case SPIPE_RECORD:
	case SPIPE_OBJECT:
		return 0;	/* made by the program, or not w */
	case SPIPE_JSON:
		return v->p == w.p && v->n == w.n;
	case SPIPE_STRING:
		/* Escapes only shorten a string's text. */
		if (w.p[0] == '"' && v->n > w.n - 2)
			return 0;
		break;
	default:
		break;
	}
	from_json(w, scratch, &x);
	if (x.kind != v->kind)
		return 0;
	if (x.kind == SPIPE_NUMBER)
		return x.d == v->d;
	if (x.kind == SPIPE_STRING)
		return x.n == v->n && memcmp(x.p, v->p, x.n) == 0;
	return 1;
}

int
spipe_fmt(const struct spipe_val *v, struct buf *out)
{
	const struct spipe_val *x;
	const char *name;
	size_t i, n, len;

	switch (v->kind) {
	case SPIPE_NULL:
		buf_add(out, "null", 4);
		return 0;
	case SPIPE_FALSE:
		buf_add(out, "false", 5);
		return 0;
	case SPIPE_TRUE:
		buf_add(out, "true", 4);
		return 0;
	case SPIPE_NUMBER:
		jqx_number_fmt(v->d, out);
		return 0;
	case SPIPE_STRING:
		buf_addjstr(out, v->p, v->n);
		return 0;
	case SPIPE_OBJECT:
		buf_addc(out, '{');
		for (i = 0, n = spipe_count(v); i < n; i++) {
			if (i > 0)
				buf_addc(out, ',');
			x = spipe_member(v, i, &name, &len);
			buf_addjstr(out, name, len);
			buf_addc(out, ':');
			if (spipe_fmt(x, out) != 0)
				return -1;
		}
		buf_addc(out, '}');
		return 0;
	default:
		return -1;	/* jq prints the input's containers */
	}
}
