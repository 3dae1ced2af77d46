/* out: output sinks. */
#include <stdlib.h>

#include "msg.h"
#include "out.h"

#define OUT_BUFSZ (1 << 16)

void
out_open(struct out *o, const char *path)
{
	if (path == NULL) {
		o->f = stdout;
		o->name = "standard output";
	} else {
		if ((o->f = fopen(path, "w")) == NULL)
			die_sys(KP_EXIT_DATA, "'%s'", path);
		o->name = path;
	}
	o->vbuf = xmalloc(OUT_BUFSZ);
	setvbuf(o->f, o->vbuf, _IOFBF, OUT_BUFSZ);
}

void
out_write(struct out *o, const void *p, size_t n)
{
	if (fwrite(p, 1, n, o->f) != n) {
		msg_at(NULL, 0);
		die_sys(KP_EXIT_DATA, "write error on %s", o->name);
	}
}

void
out_close(struct out *o)
{
	if (o->f == NULL)
		return;
	msg_at(NULL, 0);
	if (fflush(o->f) == EOF || ferror(o->f))
		die_sys(KP_EXIT_DATA, "write error on %s", o->name);
	if (o->f == stdout) {
		/* Keep stdout open (its buffer is ours to free, though). */
		setvbuf(stdout, NULL, _IONBF, 0);
	} else if (fclose(o->f) == EOF)
		die_sys(KP_EXIT_DATA, "write error on %s", o->name);
	o->f = NULL;
	free(o->vbuf);
	o->vbuf = NULL;
}
