/* out: output sinks. */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

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
out_open_keep(struct out *o, const char *path)
{
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) < 0 ||
	    (o->f = fdopen(fd, "w")) == NULL)
		die_sys(KP_EXIT_DATA, "'%s'", path);
	o->name = path;
	o->vbuf = xmalloc(OUT_BUFSZ);
	setvbuf(o->f, o->vbuf, _IOFBF, OUT_BUFSZ);
}

int64_t
out_sync(struct out *o)
{
	off_t at;

	if (fflush(o->f) == EOF)
		die_sys(KP_EXIT_DATA, "write error on %s", o->name);
	if (o->f == stdout)
		return -1;
	if (fsync(fileno(o->f)) != 0 ||
	    (at = lseek(fileno(o->f), 0, SEEK_CUR)) < 0)
		die_sys(KP_EXIT_DATA, "sync '%s'", o->name);
	return (int64_t)at;
}

void
out_truncate(struct out *o, int64_t length)
{
	struct stat sb;

	if (fflush(o->f) == EOF)
		die_sys(KP_EXIT_DATA, "write error on %s", o->name);
	if (fstat(fileno(o->f), &sb) != 0)
		die_sys(KP_EXIT_DATA, "'%s'", o->name);
	if (sb.st_size < length)
		die(KP_EXIT_DATA, "'%s' is %lld bytes, shorter than its "
		    "checkpoint's %lld: it was changed by hand", o->name,
		    (long long)sb.st_size, (long long)length);
	if (ftruncate(fileno(o->f), (off_t)length) != 0 ||
	    fseeko(o->f, (off_t)length, SEEK_SET) != 0 ||
	    fsync(fileno(o->f)) != 0)
		die_sys(KP_EXIT_DATA, "truncate '%s'", o->name);
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
