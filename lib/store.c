/* store: Berkeley DB environments and stores. */
#define _GNU_SOURCE
#include <sys/stat.h>

#include <db.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "rec.h"
#include "store.h"

/* The tables, and after them the undo log (not for readers). */
#define STORE_UNDO STORE_NT
static const char *const table_file[STORE_NT + 1] = {
	"meta.db", "data.db", "index.db", "undo.db"
};

/* How long kquery waits for the owner's commit, by default. */
#define LOCK_WAIT_MS 30000

struct store {
	DB_ENV *env;
	DB *db[STORE_NT + 1];
	DB_TXN *txn;		/* the open epoch's */
	int64_t uepoch;		/* the epoch open writes belong to */
	int undo;		/* log what writes replace (store_undo) */
	int created;		/* made by this open */
	u_int32_t locker;	/* holds the store lock */
	DB_LOCK lock;
	int locked;
	DBT lock_obj;
	char *home;		/* DIR, or the private directory */
	char *path;		/* DIR/NAME */
	char *sig;
	char *name;
	int private, readonly;
	int wait_ms;
	int failed;		/* a Berkeley DB call failed */
};

/* The store open in this process, cleaned up before an exit by die. */
static struct store *open_store;

static void
fail(struct store *st, int err, const char *what)
{
	st->failed = 1;
	die(KP_EXIT_STORE, "store '%s': %s: %s", st->path, what,
	    db_strerror(err));
}

/* Berkeley DB's own words on an error, before ours. */
static void
db_msg(const DB_ENV *env, const char *pfx, const char *m)
{
	(void)env, (void)pfx;
	msg_note("Berkeley DB: %s", m);
}

static int
rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	remove(p);
	return 0;
}

/*
 * Before an exit by die: private state goes away; a durable store is
 * closed, its open epoch aborted, unless Berkeley DB itself failed.  A
 * process that leaves without closing makes the next one to open the
 * environment run recovery, and every other process using it then fails
 * too (DB_REGISTER): a bad record in one command, or a kquery that gave
 * up waiting, must not take the others down.
 */
static void
cleanup(void)
{
	struct store *st = open_store;

	open_store = NULL;
	if (st == NULL)
		return;
	if (st->private)
		nftw(st->home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	else if (!st->failed)
		store_close(st);
}

static void
mkdir_p(struct store *st, const char *dir)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		die_sys(KP_EXIT_STORE, "store '%s': mkdir '%s'", st->path,
		    dir);
}

/*
 * The store lock: the owner holds it for writing from the first write of
 * an epoch to its commit; kquery holds it for reading while it reads.  So
 * a reader sees the store as of a commit, never half of one, and neither
 * side needs Berkeley DB's multiversion pages, which a small cache cannot
 * hold for a large epoch.  (Page locks still guard the pages themselves.)
 */
static void
store_lock(struct store *st, db_lockmode_t mode)
{
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	int err, waited = 0;

	if (st->locked)
		return;
	/*
	 * The owner waits as long as a reader reads.  A reader polls, for
	 * wait_ms at most: Berkeley DB checks lock timeouts only where its
	 * deadlock detector runs.
	 */
	while ((err = st->env->lock_get(st->env, st->locker,
	    st->readonly ? DB_LOCK_NOWAIT : 0, &st->lock_obj, mode,
	    &st->lock)) == DB_LOCK_NOTGRANTED && waited < st->wait_ms) {
		nanosleep(&nap, NULL);
		waited += 10;
	}
	if (err == DB_LOCK_NOTGRANTED)
		die(KP_EXIT_STORE, "store '%s': busy: its owner did not commit "
		    "within %d s", st->path, st->wait_ms / 1000);
	if (err != 0)
		fail(st, err, "lock");
	st->locked = 1;
}

static void
store_unlock(struct store *st)
{
	int err;

	if (!st->locked)
		return;
	st->locked = 0;
	if ((err = st->env->lock_put(st->env, &st->lock)) != 0)
		fail(st, err, "unlock");
}

static DB_TXN *
txn(struct store *st)
{
	int err;

	if (st->readonly)
		die(KP_EXIT_STORE, "store '%s': written while read-only",
		    st->path);
	if (st->private)
		return NULL;
	if (st->txn == NULL) {
		store_lock(st, DB_LOCK_WRITE);
		if ((err = st->env->txn_begin(st->env, NULL, &st->txn, 0)) != 0)
			fail(st, err, "begin transaction");
	}
	return st->txn;
}

static void
dbt(DBT *d, const void *p, size_t n)
{
	memset(d, 0, sizeof(*d));
	d->data = (void *)p;
	d->size = (u_int32_t)n;
}

/*
 * Line n of sig whose name (up to '=') is that of line (l, ln): the
 * occurrence of the same rank, since the order of repeated options (-a)
 * matters.  Returns its start, or NULL.
 */
static const char *
nth_line(const char *sig, const char *name, size_t nn, int rank,
    size_t *len)
{
	const char *p, *e;

	for (p = sig; *p != '\0'; p = *e ? e + 1 : e) {
		e = strchrnul(p, '\n');
		if ((size_t)(e - p) > nn && p[nn] == '=' &&
		    memcmp(p, name, nn) == 0 && rank-- == 0) {
			*len = e - p;
			return p;
		}
	}
	return NULL;
}

/*
 * The first line of a that b lacks, with the line of b it differs from
 * (NULL if b has no line of that name and rank).
 */
static int
first_diff(const char *a, const char *b, const char **la, size_t *lan,
    const char **lb, size_t *lbn)
{
	const char *p, *e, *q;
	size_t nn;
	int rank;

	for (p = a; *p != '\0'; p = *e ? e + 1 : e) {
		e = strchrnul(p, '\n');
		nn = strcspn(p, "=\n");
		for (rank = 0, q = a; q < p; q = strchrnul(q, '\n') + 1)
			if (strncmp(q, p, nn) == 0 && q[nn] == '=')
				rank++;
		*lb = nth_line(b, p, nn, rank, lbn);
		if (*lb == NULL || *lbn != (size_t)(e - p) ||
		    memcmp(*lb, p, e - p) != 0) {
			*la = p;
			*lan = e - p;
			return 1;
		}
	}
	return 0;
}

/* Compare the fingerprints option by option, naming a difference. */
void
store_sig_check(const char *path, const char *have, const char *want)
{
	const char *a, *b;
	size_t an, bn;

	if (first_diff(have, want, &a, &an, &b, &bn)) {
		if (b == NULL)
			die(KP_EXIT_STORE, "store '%s' was made with '%.*s', "
			    "which this command lacks", path, (int)an, a);
		die(KP_EXIT_STORE, "store '%s' was made with '%.*s', not "
		    "'%.*s'", path, (int)an, a, (int)bn, b);
	}
	if (first_diff(want, have, &b, &bn, &a, &an))
		die(KP_EXIT_STORE, "store '%s' was made without '%.*s'",
		    path, (int)bn, b);
}

struct store *
store_open(const struct store_conf *c)
{
	struct store *st = xmalloc(sizeof(*st));
	struct buf b = BUF_INIT, v = BUF_INIT;
	u_int32_t eflags, dflags;
	const char *tmp;
	int err, i;

	memset(st, 0, sizeof(*st));
	st->readonly = c->readonly;
	if (c->dir == NULL) {
		st->private = 1;
		if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
			tmp = "/tmp";
		buf_addf(&b, "%s/kpipe.XXXXXX", tmp);
		st->path = xstrdup("private state");
		if (mkdtemp(b.p) == NULL)
			die_sys(KP_EXIT_STORE, "mkdtemp '%s'", b.p);
		st->home = xstrdup(b.p);
	} else
		st->home = xstrdup(c->dir);
	open_store = st;
	msg_before_die(cleanup);
	buf_reset(&b);
	buf_addf(&b, "%s/%s", st->home, c->name);
	if (!st->private)
		st->path = xstrdup(b.p);
	if (c->readonly) {
		buf_adds(&b, "/meta.db");
		if (access(b.p, F_OK) != 0)
			die(KP_EXIT_STORE, "store '%s': no such store",
			    st->path);
	} else {
		mkdir_p(st, st->home);
		mkdir_p(st, b.p);
	}

	if ((err = db_env_create(&st->env, 0)) != 0)
		fail(st, err, "create environment");
	st->env->set_errcall(st->env, db_msg);
	if (c->cache_bytes > 0 && (err = st->env->set_cachesize(st->env,
	    (u_int32_t)(c->cache_bytes >> 30),
	    (u_int32_t)(c->cache_bytes & ((1u << 30) - 1)), 1)) != 0)
		fail(st, err, "cache size");
	/*
	 * One transaction holds an epoch's writes, however many pages they
	 * touch; the lock table must hold them all.
	 */
	st->env->set_lk_max_locks(st->env, 1 << 17);
	st->env->set_lk_max_objects(st->env, 1 << 17);
	st->env->set_lk_detect(st->env, DB_LOCK_DEFAULT);
	st->wait_ms = c->wait_ms > 0 ? c->wait_ms : LOCK_WAIT_MS;
	/* Logs the last checkpoint covers are not needed for recovery. */
	st->env->log_set_config(st->env, DB_LOG_AUTO_REMOVE, 1);
	if (st->private)
		/*
		 * Nobody else sees private state, nor needs it after a crash:
		 * no locks, no log, no transactions, only the cache.
		 */
		eflags = DB_CREATE | DB_INIT_MPOOL | DB_PRIVATE;
	else
		eflags = DB_CREATE | DB_INIT_LOCK | DB_INIT_LOG |
		    DB_INIT_MPOOL | DB_INIT_TXN |
		/*
		 * Every process that opens the store registers, so recovery
		 * runs only when one died.  Each store has an environment of
		 * its own: a process killed inside Berkeley DB can leave a
		 * mutex held, and only its own store's users wait on it.
		 */
		    DB_REGISTER | DB_RECOVER;
	buf_reset(&b);
	buf_addf(&b, "%s/%s", st->home, c->name);
	if ((err = st->env->open(st->env, b.p, eflags, 0644)) != 0)
		fail(st, err, "open environment");

	if (!st->private) {
		/* Named by the store's name: DIR may be spelt many ways. */
		st->name = xstrdup(c->name);
		st->lock_obj.data = st->name;
		st->lock_obj.size = (u_int32_t)strlen(st->name);
		if ((err = st->env->lock_id(st->env, &st->locker)) != 0)
			fail(st, err, "lock id");
		/* Before the tables: opening one reads pages an epoch writes. */
		if (c->readonly)
			store_lock(st, DB_LOCK_READ);
	}
	if (c->readonly)
		dflags = DB_RDONLY;
	else if (st->private)
		dflags = DB_CREATE;
	else
		dflags = DB_CREATE | DB_AUTO_COMMIT;
	for (i = 0; i < STORE_NT + !c->readonly; i++) {
		buf_reset(&b);
		buf_adds(&b, table_file[i]);
		if ((err = db_create(&st->db[i], st->env, 0)) != 0)
			fail(st, err, "create table");
		if ((err = st->db[i]->open(st->db[i], NULL, b.p, NULL,
		    DB_BTREE, dflags, 0644)) != 0)
			fail(st, err, table_file[i]);
	}
	if (store_get(st, STORE_META, "sig", 3, &v)) {
		if (!c->readonly)
			store_sig_check(st->path, v.p, c->sig);
		st->sig = xstrdup(v.p);
	}
	else if (c->readonly)
		die(KP_EXIT_STORE, "store '%s': no such store", st->path);
	else {
		store_put(st, STORE_META, "sig", 3, c->sig, strlen(c->sig));
		store_commit(st, 0);
		st->sig = xstrdup(c->sig);
		st->created = 1;
	}
	if (store_meta_get(st, "epoch", &st->uepoch))
		st->uepoch++;
	buf_free(&v);
	buf_free(&b);
	return st;
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	open_store = NULL;
	if (st->txn != NULL)
		st->txn->abort(st->txn);
	st->txn = NULL;
	if (st->locked) {
		st->locked = 0;
		st->env->lock_put(st->env, &st->lock);
	}
	if (st->locker != 0)
		st->env->lock_id_free(st->env, st->locker);
	for (i = 0; i <= STORE_NT; i++)
		if (st->db[i] != NULL)
			st->db[i]->close(st->db[i], 0);
	if (st->env != NULL)
		st->env->close(st->env, 0);
	if (st->private)
		nftw(st->home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	open_store = NULL;
	free(st->home);
	free(st->path);
	free(st->sig);
	free(st->name);
	free(st);
}

int
store_meta_get(struct store *st, const char *name, int64_t *v)
{
	struct buf b = BUF_INIT;
	int found;

	found = store_get(st, STORE_META, name, strlen(name), &b) &&
	    b.n == 8;
	if (found)
		*v = store_i64_key(b.p);
	buf_free(&b);
	return found;
}

void
store_meta_put(struct store *st, const char *name, int64_t v)
{
	struct buf b = BUF_INIT;

	store_key_i64(&b, v);
	store_put(st, STORE_META, name, strlen(name), b.p, b.n);
	buf_free(&b);
}

/* store_get, appending the value to v. */
static int
store_get_append(struct store *st, enum store_table t, const void *k,
    size_t kn, struct buf *v)
{
	DBT key, val;
	int err;

	dbt(&key, k, kn);
	dbt(&val, NULL, 0);
	err = st->db[t]->get(st->db[t], st->txn, &key, &val, 0);
	if (err == DB_NOTFOUND)
		return 0;
	if (err != 0)
		fail(st, err, "get");
	buf_add(v, val.data, val.size);
	return 1;
}

int
store_get(struct store *st, enum store_table t, const void *k, size_t kn,
    struct buf *v)
{
	buf_reset(v);
	return store_get_append(st, t, k, kn, v);
}

/*
 * The undo log: before the first write of an epoch to a key, what the key
 * held (1 and its value) or that it was absent (0), under the key
 * EPOCH TABLE KEY, EPOCH as store_key_i64 makes it.
 */
static void
log_undo(struct store *st, enum store_table t, const void *k, size_t kn)
{
	struct buf uk = BUF_INIT, old = BUF_INIT;
	DBT key, val;
	int err;

	if (!st->undo)
		return;
	store_key_i64(&uk, st->uepoch);
	buf_addc(&uk, (char)t);
	buf_add(&uk, k, kn);
	dbt(&key, uk.p, uk.n);
	dbt(&val, NULL, 0);
	err = st->db[STORE_UNDO]->get(st->db[STORE_UNDO], txn(st), &key,
	    &val, 0);
	if (err == DB_NOTFOUND) {
		buf_addc(&old, 1);
		if (!store_get_append(st, t, k, kn, &old))
			old.p[0] = 0;
		dbt(&val, old.p, old.n);
		err = st->db[STORE_UNDO]->put(st->db[STORE_UNDO], st->txn,
		    &key, &val, 0);
	}
	if (err != 0)
		fail(st, err, "undo log");
	buf_free(&uk);
	buf_free(&old);
}

void
store_put(struct store *st, enum store_table t, const void *k, size_t kn,
    const void *v, size_t vn)
{
	DBT key, val;
	int err;

	log_undo(st, t, k, kn);
	dbt(&key, k, kn);
	dbt(&val, v, vn);
	if ((err = st->db[t]->put(st->db[t], txn(st), &key, &val, 0)) != 0)
		fail(st, err, "put");
}

void
store_del(struct store *st, enum store_table t, const void *k, size_t kn)
{
	DBT key;
	int err;

	log_undo(st, t, k, kn);
	dbt(&key, k, kn);
	err = st->db[t]->del(st->db[t], txn(st), &key, 0);
	if (err != 0 && err != DB_NOTFOUND)
		fail(st, err, "delete");
}

int
store_walk(struct store *st, enum store_table t, const void *lo, size_t lon,
    store_walk_fn *fn, void *ctx)
{
	DBC *c;
	DBT key, val;
	int err, r = 0;

	if ((err = st->db[t]->cursor(st->db[t], st->txn, &c, 0)) != 0)
		fail(st, err, "cursor");
	dbt(&key, lo, lon);
	dbt(&val, NULL, 0);
	err = c->get(c, &key, &val, lo != NULL ? DB_SET_RANGE : DB_FIRST);
	while (err == 0) {
		if ((r = fn(ctx, key.data, key.size, val.data, val.size)) != 0)
			break;
		err = c->get(c, &key, &val, DB_NEXT);
	}
	if (err != 0 && err != DB_NOTFOUND)
		fail(st, err, "walk");
	c->close(c);
	return r;
}

void
store_commit(struct store *st, int64_t epoch)
{
	int err;

	store_meta_put(st, "epoch", epoch);
	st->uepoch = epoch + 1;
	if (st->private)
		return;
	err = st->txn->commit(st->txn, 0);
	st->txn = NULL;
	if (err != 0)
		fail(st, err, "commit");
	store_unlock(st);
	/* Bound recovery time and the log files kept. */
	if ((err = st->env->txn_checkpoint(st->env, 1024, 0, 0)) != 0)
		fail(st, err, "checkpoint");
}

void
store_abort(struct store *st)
{
	int err;

	if (st->txn == NULL || st->readonly)
		return;	/* private state has nothing to undo: it goes */
	err = st->txn->abort(st->txn);
	st->txn = NULL;
	store_unlock(st);
	if (err != 0)
		fail(st, err, "abort");
}

void
store_undo(struct store *st)
{
	st->undo = !st->private && !st->readonly;
}

/*
 * Walk the undo log from its newest entry back while fn returns 0 for an
 * entry's epoch; each entry fn accepts is applied (when apply is set) and
 * deleted, in the open transaction.
 */
static void
undo_walk(struct store *st, int64_t above, int apply)
{
	DBC *c;
	DBT key, val, k2, v2;
	int err, dir = apply ? DB_PREV : DB_NEXT;
	int64_t e;
	enum store_table t;

	if ((err = st->db[STORE_UNDO]->cursor(st->db[STORE_UNDO], txn(st),
	    &c, 0)) != 0)
		fail(st, err, "cursor");
	dbt(&key, NULL, 0);
	dbt(&val, NULL, 0);
	err = c->get(c, &key, &val, apply ? DB_LAST : DB_FIRST);
	for (; err == 0; err = c->get(c, &key, &val, dir)) {
		if (key.size < 9 || val.size < 1)
			fail(st, EINVAL, "undo log");
		e = store_i64_key(key.data);
		if (apply ? e <= above : e > above)
			break;
		if (apply) {
			t = ((unsigned char *)key.data)[8];
			if (t >= STORE_NT)
				fail(st, EINVAL, "undo log");
			dbt(&k2, (char *)key.data + 9, key.size - 9);
			dbt(&v2, (char *)val.data + 1, val.size - 1);
			err = ((char *)val.data)[0] ?
			    st->db[t]->put(st->db[t], st->txn, &k2, &v2, 0) :
			    st->db[t]->del(st->db[t], st->txn, &k2, 0);
			if (err != 0 && err != DB_NOTFOUND)
				fail(st, err, "undo");
		}
		if ((err = c->del(c, 0)) != 0)
			fail(st, err, "undo log");
	}
	if (err != 0 && err != DB_NOTFOUND)
		fail(st, err, "undo log");
	c->close(c);
}

void
store_rollback(struct store *st, int64_t epoch)
{
	int64_t at = 0;

	if (st->private)
		return;
	store_meta_get(st, "epoch", &at);
	if (at < epoch) {
		if (st->created)
			die(KP_EXIT_STORE, "store '%s' is new, but the "
			    "pipeline resumes at epoch %lld: a command added "
			    "to a pipeline needs a new state directory",
			    st->path, (long long)epoch);
		die(KP_EXIT_STORE, "store '%s' is at epoch %lld, behind the "
		    "pipeline's %lld: it missed commits", st->path,
		    (long long)at, (long long)epoch);
	}
	if (at == epoch)
		return;
	undo_walk(st, epoch, 1);
	store_meta_get(st, "epoch", &at);
	if (at != epoch)
		die(KP_EXIT_STORE, "store '%s': cannot undo epochs %lld to "
		    "%lld: no undo log for them", st->path,
		    (long long)epoch + 1, (long long)at);
	/* Not logged: an entry under a later epoch would undo the undo. */
	st->undo = 0;
	store_commit(st, epoch);
	st->undo = 1;
}

void
store_prune(struct store *st, int64_t upto)
{
	if (st->private || st->readonly)
		return;
	undo_walk(st, upto, 0);
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

void
store_key_i64(struct buf *b, int64_t v)
{
	uint64_t u = (uint64_t)v ^ ((uint64_t)1 << 63);
	unsigned char k[8];
	int i;

	for (i = 7; i >= 0; i--, u >>= 8)
		k[i] = (unsigned char)u;
	buf_add(b, k, 8);
}

int64_t
store_i64_key(const void *p)
{
	const unsigned char *k = p;
	uint64_t u = 0;
	int i;

	for (i = 0; i < 8; i++)
		u = u << 8 | k[i];
	return (int64_t)(u ^ ((uint64_t)1 << 63));
}

const char *
store_sig(const struct store *st)
{
	return st->sig;
}

void
store_sig_add(struct buf *sig, const char *name, const char *value)
{
	buf_adds(sig, name);
	buf_addc(sig, '=');
	buf_addjstr(sig, value, strlen(value));
	buf_addc(sig, '\n');
}

void
store_sig_addi(struct buf *sig, const char *name, int64_t value)
{
	buf_addf(sig, "%s=%lld\n", name, (long long)value);
}

void
store_sig_args(struct buf *sig, const struct jqx_arg *args, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		buf_reset(&b);
		buf_addf(&b, "%s=%s", args[i].name, args[i].value);
		store_sig_add(sig, args[i].json ? "argjson" : "arg", b.p);
	}
	buf_free(&b);
}

int
store_sig_get(const char *sig, const char *name, int n, struct buf *v)
{
	size_t len = strlen(name);
	const char *p, *e;

	for (p = sig; *p != '\0'; p = *e ? e + 1 : e) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		if (strncmp(p, name, len) != 0 || p[len] != '=' || n-- > 0)
			continue;
		p += len + 1;
		buf_reset(v);
		if (*p == '"')
			rec_str_decode(v, (struct span){ p, e - p });
		else
			buf_add(v, p, e - p);
		return 1;
	}
	return 0;
}
