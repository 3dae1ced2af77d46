/*
 * msg: every line kpipe writes on stderr goes through here.
 *
 * A message reads "NAME: text", or "NAME: WHERE:LINE: text" once msg_at has
 * named an input position.  Exit codes are those of DESIGN section 3.  The
 * x-allocators die with "out of memory" rather than return NULL.
 */
#ifndef KP_MSG_H
#define KP_MSG_H

#include <stddef.h>

enum {
	KP_EXIT_OK = 0,		/* done */
	KP_EXIT_DATA = 1,	/* runtime or data error */
	KP_EXIT_USAGE = 2,	/* bad flags or arguments */
	KP_EXIT_UPSTREAM = 3,	/* upstream ended without "end" */
	KP_EXIT_KAFKA = 4,	/* broker unreachable, Kafka fatal error */
	KP_EXIT_STORE = 5	/* state store error */
};

/* The command's name, as messages print it; set once by msg_init. */
extern const char *msg_prog;

/* Set msg_prog from argv[0] (its last path component). */
void msg_init(const char *argv0);

/*
 * Name the input position that later messages carry: "line N" for standard
 * input (where is NULL or "-"), "WHERE:N" for a named file or a partition
 * (where N may be offset 0).  msg_at(NULL, 0) clears it.
 */
void msg_at(const char *where, size_t line);

/* Print "prog: [position: ]message" and exit with code. */
void die(int code, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
/* As die, with ": strerror(errno)" appended. */
void die_sys(int code, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
/* Print "prog: [position: ]message" and return. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* With -v: "prog: N records in, N out, N bad" on stderr. */
void msg_stats(size_t n_in, size_t n_out, size_t n_bad);
/* As warning, without the input position. */
void msg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Call fn (once) before die and die_sys exit: for work that must finish
 * even then, such as Kafka messages already sent waiting for delivery.
 */
void msg_before_die(void (*fn)(void));

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
