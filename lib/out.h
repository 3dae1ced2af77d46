/*
 * out: an output sink, standard output or a file, with one 64 KiB buffer.
 *
 * Records are appended whole with one out_write; output is flushed at the
 * end and before the reader waits for input (rec_reader), never per record.
 * A write error dies with exit 1; SIGPIPE keeps its default action, so
 * "| head -1" ends a command quietly.
 */
#ifndef KP_OUT_H
#define KP_OUT_H

#include <stddef.h>
#include <stdio.h>

struct out {
	FILE *f;
	const char *name;	/* "standard output" or the path */
	char *vbuf;
};

/* Open path for writing (truncated), or standard output if path is NULL. */
void out_open(struct out *o, const char *path);
void out_write(struct out *o, const void *p, size_t n);
/* Flush and close; a write error dies. */
void out_close(struct out *o);

#endif
