/* kquery: read a stateful command's store. */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dur.h"
#include "msg.h"
#include "opt.h"
#include "out.h"
#include "query.h"
#include "rec.h"
#include "store.h"

static const char usage[] =
    "usage: kquery [-hq] [-s dir] [--name name]\n"
    "              [key | --all | --from key --to key]\n"
    "              [--time-from time] [--time-to time] [-m seconds]\n";

static const struct opt_def defs[] = {
	OPT_DEFS_BASE, OPT_DEFS_STATE,
	{ "all", 0, 0, 'a' },
	{ "from", 0, 1, 'f' },
	{ "time-from", 0, 1, 'F' },
	{ "time-to", 0, 1, 'T' },
	{ NULL, 'm', 1, 'm' },
	{ "to", 0, 1, 't' },
	OPT_DEFS_END
};

/* A key as typed: JSON text as it is, anything else as a string. */
static char *
key_arg(const char *arg)
{
	struct buf b = BUF_INIT;
	const char *why;

	if (rec_json_check(arg, strlen(arg), &why) == 0 && *arg != ' ')
		buf_adds(&b, arg);
	else {
		if (!rec_utf8_valid(arg, strlen(arg)))
			die(KP_EXIT_USAGE, "key '%s': not UTF-8", arg);
		buf_addjstr(&b, arg, strlen(arg));
	}
	return b.p;
}

static int64_t
time_arg(struct opt *o)
{
	const char *why;
	int64_t ms;

	if (dur_time_parse(o->arg, &ms, &why) != 0)
		opt_usage(o, "%s '%s': %s", o->optname, o->arg, why);
	return ms;
}

/* Without --name: the one store in dir. */
static char *
only_store(const char *dir)
{
	struct buf b = BUF_INIT;
	struct dirent *d;
	struct stat sb;
	char *name = NULL;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		die_sys(KP_EXIT_STORE, "'%s'", dir);
	while ((d = readdir(dp)) != NULL) {
		buf_reset(&b);
		buf_addf(&b, "%s/%s/meta.db", dir, d->d_name);
		if (d->d_name[0] == '.' || stat(b.p, &sb) != 0)
			continue;
		if (name != NULL)
			die(KP_EXIT_USAGE, "'%s' holds several stores ('%s', "
			    "'%s', ...): name one with --name", dir, name,
			    d->d_name);
		name = xstrdup(d->d_name);
	}
	closedir(dp);
	buf_free(&b);
	if (name == NULL)
		die(KP_EXIT_STORE, "'%s' holds no store", dir);
	return name;
}

int
main(int argc, char **argv)
{
	struct opt o;
	struct opt_common c = { 0 };
	struct query q = { NULL, NULL, NULL, INT64_MIN, INT64_MAX };
	struct store_conf sc = { 0 };
	struct store *st;
	struct out out;
	struct buf res = BUF_INIT;
	sigset_t block, old;
	char *key = NULL, *from = NULL, *to = NULL, *name = NULL;
	int id, all = 0;

	opt_init(&o, argc, argv, usage);
	while ((id = opt_next(&o, defs)) != 0) {
		if (opt_common(&c, &o, id))
			continue;
		switch (id) {
		case 'a':
			all = 1;
			break;
		case 'f':
			free(from);
			from = key_arg(o.arg);
			break;
		case 'F':
			q.time_from = time_arg(&o);
			break;
		case 'm':
			sc.wait_ms = opt_wait_ms(&o);
			break;
		case 'T':
			q.time_to = time_arg(&o);
			break;
		case 't':
			free(to);
			to = key_arg(o.arg);
			break;
		}
	}
	if (o.n_operands > 1)
		opt_usage(&o, "too many arguments");
	if (o.n_operands == 1)
		key = key_arg(o.operands[0]);
	if ((key != NULL) + all + (from != NULL || to != NULL) != 1)
		opt_usage(&o, "give a key, --all, or --from and --to");
	if ((from == NULL) != (to == NULL))
		opt_usage(&o, "--from and --to go together");
	sc.dir = c.state != NULL ? c.state : getenv("KPIPE_STATE");
	if (sc.dir == NULL || *sc.dir == '\0')
		opt_usage(&o, "no state directory: give -s or set "
		    "KPIPE_STATE");
	sc.name = c.name != NULL ? c.name : (name = only_store(sc.dir));
	sc.sig = "";
	sc.readonly = 1;
	q.key = key;
	q.from = from;
	q.to = to;
	/*
	 * Nothing may stop kquery inside the environment: a process that
	 * dies there makes the next one run recovery under the owner.  So
	 * signals wait, and the records are written once it is closed.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGPIPE);
	sigprocmask(SIG_BLOCK, &block, &old);
	st = store_open(&sc);
	query_run(st, &q, &res);
	store_close(st);
	sigprocmask(SIG_SETMASK, &old, NULL);
	out_open(&out, NULL);
	out_write(&out, res.p, res.n);
	out_close(&out);
	buf_free(&res);
	free(key);
	free(from);
	free(to);
	free(name);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
