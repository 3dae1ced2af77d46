/* msg: stderr lines, exit codes, allocators. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"

const char *msg_prog = "kpipe";
static const char *at_where;
static size_t at_line;

void
msg_init(const char *argv0)
{
	const char *p;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	p = strrchr(argv0, '/');
	msg_prog = p ? p + 1 : argv0;
}

void
msg_at(const char *where, size_t line)
{
	at_where = where;
	at_line = line;
}

static void
vmsg(int pos, const char *fmt, va_list ap, const char *tail)
{
	/* One buffered line, so concurrent writers do not interleave. */
	char line[4096];
	int n;

	n = snprintf(line, sizeof line, "%s: ", msg_prog);
	if (pos && (at_line > 0 || at_where != NULL) && n >= 0 &&
	    (size_t)n < sizeof line) {
		if (at_where == NULL || strcmp(at_where, "-") == 0)
			n += snprintf(line + n, sizeof line - n, "line %zu: ",
			    at_line);
		else
			n += snprintf(line + n, sizeof line - n, "%s:%zu: ",
			    at_where, at_line);
	}
	if (n >= 0 && (size_t)n < sizeof line)
		n += vsnprintf(line + n, sizeof line - n, fmt, ap);
	if (tail && n >= 0 && (size_t)n < sizeof line)
		n += snprintf(line + n, sizeof line - n, ": %s", tail);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line - 1)
		n = sizeof line - 2;
	line[n++] = '\n';
	fflush(stdout);
	fwrite(line, 1, n, stderr);
}

/*
 * An abnormal end: flush what was written, then _exit, so that no atexit
 * handler runs over half-done state (and the leak checker of make sanitize
 * judges normal exits only, which free everything).
 */
static void (*before_die)(void);

void
msg_before_die(void (*fn)(void))
{
	before_die = fn;
}

static void __attribute__((noreturn))
quit(int code)
{
	void (*fn)(void) = before_die;

	/* Once: a death inside fn ends here without calling it again. */
	before_die = NULL;
	if (fn != NULL)
		fn();
	fflush(NULL);
	_exit(code);
}

void
die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(1, fmt, ap, NULL);
	va_end(ap);
	quit(code);
}

void
die_sys(int code, const char *fmt, ...)
{
	va_list ap;
	const char *e = strerror(errno);

	va_start(ap, fmt);
	vmsg(1, fmt, ap, e);
	va_end(ap);
	quit(code);
}

void
warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(1, fmt, ap, NULL);
	va_end(ap);
}

void
msg_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap, NULL);
	va_end(ap);
}

void
msg_stats(size_t n_in, size_t n_out, size_t n_bad)
{
	msg_note("%zu record%s in, %zu out, %zu bad", n_in,
	    n_in == 1 ? "" : "s", n_out, n_bad);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die(KP_EXIT_DATA, "out of memory");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		die(KP_EXIT_DATA, "out of memory");
	return p;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}
