/* ckpt: checkpoints: offsets, the sink's records, DIR/checkpoint. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckpt.h"
#include "ctl.h"
#include "msg.h"

static int
off_cmp(const struct ckpt_off *a, const char *topic, size_t tn,
    int32_t partition)
{
	size_t an = strlen(a->topic);
	int c = memcmp(a->topic, topic, an < tn ? an : tn);

	if (c == 0 && an != tn)
		c = an < tn ? -1 : 1;
	if (c == 0 && a->partition != partition)
		c = a->partition < partition ? -1 : 1;
	return c;
}

/* The index of (topic, partition), or where it would go. */
static size_t
find(const struct ckpt_offs *o, const char *topic, size_t tn,
    int32_t partition, int *found)
{
	size_t lo = 0, hi = o->n, mid;
	int c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = off_cmp(&o->v[mid], topic, tn, partition);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
ckpt_offs_set(struct ckpt_offs *o, const char *topic, size_t tn,
    int32_t partition, int64_t next)
{
	size_t i;
	int found;

	i = find(o, topic, tn, partition, &found);
	if (found) {
		o->v[i].next = next;
		return;
	}
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 8;
		o->v = xrealloc(o->v, o->cap * sizeof *o->v);
	}
	memmove(&o->v[i + 1], &o->v[i], (o->n - i) * sizeof *o->v);
	o->v[i].topic = xmalloc(tn + 1);
	memcpy(o->v[i].topic, topic, tn);
	o->v[i].topic[tn] = '\0';
	o->v[i].partition = partition;
	o->v[i].next = next;
	o->n++;
}

int
ckpt_offs_get(const struct ckpt_offs *o, const char *topic, size_t tn,
    int32_t partition, int64_t *next)
{
	size_t i;
	int found;

	i = find(o, topic, tn, partition, &found);
	if (found)
		*next = o->v[i].next;
	return found;
}

void
ckpt_offs_fmt(const struct ckpt_offs *o, struct buf *b)
{
	size_t i;

	buf_addc(b, '{');
	for (i = 0; i < o->n; i++) {
		if (i == 0 || strcmp(o->v[i].topic, o->v[i - 1].topic) != 0) {
			if (i > 0)
				buf_add(b, "},", 2);
			buf_adds(b, o->v[i].topic);
			buf_add(b, ":{", 2);
		} else
			buf_addc(b, ',');
		buf_addf(b, "\"%d\":", (int)o->v[i].partition);
		buf_addi(b, o->v[i].next);
	}
	buf_adds(b, o->n > 0 ? "}}" : "}");
}

int
ckpt_offs_parse(struct ckpt_offs *o, struct span json)
{
	struct span t = json, p, topic, parts, part, next;
	int64_t pn, nn;
	char num[16];

	if (json.p == NULL || json.n == 0 || json.p[0] != '{')
		return -1;
	while (rec_obj_next(&t, &topic, &parts)) {
		if (parts.n == 0 || parts.p[0] != '{')
			return -1;
		p = parts;
		while (rec_obj_next(&p, &part, &next)) {
			if (part.n < 3 || part.n - 2 >= sizeof num)
				return -1;
			memcpy(num, part.p + 1, part.n - 2);
			if (rec_int((struct span){ num, part.n - 2 }, &pn) != 1 ||
			    pn < 0 || pn > INT32_MAX ||
			    rec_int(next, &nn) != 1 || nn < 0)
				return -1;
			ckpt_offs_set(o, topic.p, topic.n, (int32_t)pn, nn);
		}
	}
	return 0;
}

void
ckpt_offs_free(struct ckpt_offs *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->v[i].topic);
	free(o->v);
	*o = (struct ckpt_offs)CKPT_OFFS_INIT;
}

/* Read l's whole file; leave out a last line that a crash cut short. */
static void
log_read_only(struct ckpt_log *l)
{
	char chunk[8192];
	ssize_t got;

	buf_reset(&l->text);
	if (lseek(l->fd, 0, SEEK_SET) < 0)
		die_sys(KP_EXIT_STORE, "'%s'", l->path);
	while ((got = read(l->fd, chunk, sizeof chunk)) > 0)
		buf_add(&l->text, chunk, (size_t)got);
	if (got < 0)
		die_sys(KP_EXIT_STORE, "read '%s'", l->path);
	while (l->text.n > 0 && l->text.p[l->text.n - 1] != '\n')
		l->text.n--;
}

/* log_read_only for the log's owner: the cut-short line is cut off. */
static void
log_read(struct ckpt_log *l)
{
	off_t size;
	size_t i;

	if ((size = lseek(l->fd, 0, SEEK_END)) < 0)
		die_sys(KP_EXIT_STORE, "'%s'", l->path);
	log_read_only(l);
	l->n_lines = 0;
	for (i = 0; i < l->text.n; i++)
		l->n_lines += l->text.p[i] == '\n';
	if ((off_t)l->text.n < size && (ftruncate(l->fd, (off_t)l->text.n)
	    != 0 || fsync(l->fd) != 0))
		die_sys(KP_EXIT_STORE, "truncate '%s'", l->path);
	if (lseek(l->fd, 0, SEEK_END) < 0)
		die_sys(KP_EXIT_STORE, "'%s'", l->path);
}

/* Write path atomically: a temporary file, fsync, rename, fsync dir. */
static void
write_atomic(const char *dir, const char *path, const void *p, size_t n)
{
	struct buf tmp = BUF_INIT;
	int fd;

	buf_addf(&tmp, "%s.tmp", path);
	if ((fd = open(tmp.p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    write(fd, p, n) != (ssize_t)n || fsync(fd) != 0 || close(fd) != 0)
		die_sys(KP_EXIT_STORE, "'%s'", tmp.p);
	if (rename(tmp.p, path) != 0)
		die_sys(KP_EXIT_STORE, "rename '%s'", tmp.p);
	/* The rename itself is durable once the directory is. */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0 || fsync(fd) != 0 ||
	    close(fd) != 0)
		die_sys(KP_EXIT_STORE, "'%s'", dir);
	buf_free(&tmp);
}

static void
log_init(struct ckpt_log *l, const char *dir, const char *name)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s/%s", dir, name);
	l->dir = xstrdup(b.p);
	buf_adds(&b, "/epochs");
	l->path = xstrdup(b.p);
	l->fd = -1;
	l->n_lines = 0;
	l->text = (struct buf)BUF_INIT;
	buf_free(&b);
}

void
ckpt_log_open(struct ckpt_log *l, const char *dir, const char *name,
    const char *sig)
{
	struct buf b = BUF_INIT, have = BUF_INIT;
	char chunk[4096];
	ssize_t got;
	int fd;

	log_init(l, dir, name);
	if ((mkdir(dir, 0755) != 0 && errno != EEXIST) ||
	    (mkdir(l->dir, 0755) != 0 && errno != EEXIST))
		die_sys(KP_EXIT_STORE, "store '%s': mkdir", l->dir);
	buf_addf(&b, "%s/sig", l->dir);
	if ((fd = open(b.p, O_RDONLY)) >= 0) {
		while ((got = read(fd, chunk, sizeof chunk)) > 0)
			buf_add(&have, chunk, (size_t)got);
		close(fd);
		store_sig_check(l->dir, have.p != NULL ? have.p : "", sig);
	} else if (errno == ENOENT)
		write_atomic(l->dir, b.p, sig, strlen(sig));
	else
		die_sys(KP_EXIT_STORE, "'%s'", b.p);
	if ((l->fd = open(l->path, O_RDWR | O_CREAT | O_APPEND, 0644)) < 0)
		die_sys(KP_EXIT_STORE, "'%s'", l->path);
	log_read(l);
	buf_free(&b);
	buf_free(&have);
}

/* The epoch of record line p (n bytes), or -1. */
static int64_t
line_epoch(const char *p, size_t n)
{
	struct span e;
	int64_t v;

	if (rec_member((struct span){ p, n }, "epoch", 5, &e) != 1 ||
	    rec_int(e, &v) != 1)
		return -1;
	return v;
}

/* Find the newest line with epoch (or any, for epoch < 0). */
static int
log_find(struct ckpt_log *l, int64_t want, int64_t *epoch, struct buf *rec)
{
	const char *p = l->text.p, *e, *line;
	size_t n;
	int64_t v;

	if (l->text.n == 0)
		return 0;
	e = p + l->text.n - 1;	/* at the last newline */
	while (e > p) {
		for (line = e; line > p && line[-1] != '\n'; line--)
			;
		n = (size_t)(e - line);
		v = line_epoch(line, n);
		if (v >= 0 && (want < 0 || v == want)) {
			*epoch = v;
			buf_reset(rec);
			buf_add(rec, line, n);
			return 1;
		}
		e = line > p ? line - 1 : p;
	}
	return 0;
}

int
ckpt_log_get(struct ckpt_log *l, int64_t epoch, struct buf *rec)
{
	int64_t e;

	return log_find(l, epoch, &e, rec);
}

int
ckpt_log_last(struct ckpt_log *l, int64_t *epoch, struct buf *rec)
{
	return log_find(l, -1, epoch, rec);
}

void
ckpt_log_put(struct ckpt_log *l, const struct buf *rec)
{
	const char *p, *e;
	size_t skip;

	if (write(l->fd, rec->p, rec->n) != (ssize_t)rec->n ||
	    write(l->fd, "\n", 1) != 1 || fsync(l->fd) != 0)
		die_sys(KP_EXIT_STORE, "write '%s'", l->path);
	buf_add(&l->text, rec->p, rec->n);
	buf_addc(&l->text, '\n');
	if (++l->n_lines < 4 * CKPT_KEEP)
		return;
	/* Keep the newest CKPT_KEEP lines: a new file, renamed over. */
	p = l->text.p;
	e = p + l->text.n;
	for (skip = l->n_lines - CKPT_KEEP; skip > 0; skip--)
		p = memchr(p, '\n', (size_t)(e - p)) + 1;
	write_atomic(l->dir, l->path, p, (size_t)(e - p));
	close(l->fd);
	if ((l->fd = open(l->path, O_RDWR | O_APPEND)) < 0)
		die_sys(KP_EXIT_STORE, "'%s'", l->path);
	log_read(l);
}

void
ckpt_log_close(struct ckpt_log *l)
{
	if (l->fd >= 0)
		close(l->fd);
	free(l->dir);
	free(l->path);
	buf_free(&l->text);
}

/* The offsets of sink record rec, into offs. */
static void
rec_offsets(const char *path, struct buf *rec, struct ckpt_offs *offs)
{
	struct span o;
	const char *why;

	if (rec_json_check(rec->p, rec->n, &why) != 0 ||
	    rec_member((struct span){ rec->p, rec->n }, "offsets", 7,
	    &o) != 1 || ckpt_offs_parse(offs, o) != 0)
		die(KP_EXIT_STORE, "'%s': a checkpoint record that does "
		    "not read", path);
}

int
ckpt_resume(const char *dir, int64_t *epoch, struct ckpt_offs *offs)
{
	struct ckpt_log l;
	struct buf rec = BUF_INIT, best = BUF_INIT, path = BUF_INIT;
	struct dirent *d;
	DIR *dp;
	int64_t e;
	int found = 0;

	if ((dp = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		die_sys(KP_EXIT_STORE, "state directory '%s'", dir);
	}
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		log_init(&l, dir, d->d_name);
		/* Read only: a sink's log is its own to cut or compact. */
		if ((l.fd = open(l.path, O_RDONLY)) >= 0) {
			log_read_only(&l);
			if (ckpt_log_last(&l, &e, &rec) &&
			    (!found || e < *epoch)) {
				*epoch = e;
				found = 1;
				buf_reset(&best);
				buf_add(&best, rec.p, rec.n);
				buf_reset(&path);
				buf_adds(&path, l.path);
			}
		}
		ckpt_log_close(&l);
	}
	closedir(dp);
	if (found && offs != NULL)
		rec_offsets(path.p, &best, offs);
	buf_free(&rec);
	buf_free(&best);
	buf_free(&path);
	return found;
}

void
ckpt_file_write(const char *dir, const struct buf *rec)
{
	struct buf dst = BUF_INIT, text = BUF_INIT;

	buf_addf(&dst, "%s/checkpoint", dir);
	buf_add(&text, rec->p, rec->n);
	buf_addc(&text, '\n');
	write_atomic(dir, dst.p, text.p, text.n);
	buf_free(&dst);
	buf_free(&text);
}

int64_t
ckpt_store_resume(struct store *st, const struct rec *r, size_t lineno)
{
	int64_t epoch;

	if (ctl_epoch(r, &epoch) != 0 || epoch < 0)
		die(KP_EXIT_DATA, "resume without an epoch");
	if (lineno > 1)
		die(KP_EXIT_DATA, "resume in the middle of a stream");
	store_undo(st);
	store_rollback(st, epoch);
	return epoch;
}

void
ckpt_store_commit(struct store *st, const char *dir, int64_t epoch,
    int resumed)
{
	int64_t e;

	if (resumed && dir != NULL && ckpt_resume(dir, &e, NULL))
		store_prune(st, e);
	store_commit(st, epoch);
}
