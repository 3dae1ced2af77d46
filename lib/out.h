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
#include <stdint.h>
#include <stdio.h>

struct out {
	FILE *f;
	const char *name;	/* "standard output" or the path */
	char *vbuf;
};

/* Open path for writing (truncated), or standard output if path is NULL. */
void out_open(struct out *o, const char *path);
/* Open path for writing, creating it but keeping what it holds. */
void out_open_keep(struct out *o, const char *path);
void out_write(struct out *o, const void *p, size_t n);
/*
 * Flush; for a file, also fsync and return its length (-1 for standard
 * output).  Errors die.
 */
int64_t out_sync(struct out *o);
/*
 * Cut a file back to length and write on from there (a file shorter than
 * length was changed by someone else: that dies).
 */
void out_truncate(struct out *o, int64_t length);
/* Flush and close; a write error dies. */
void out_close(struct out *o);

#endif
