/* mock: librdkafka's mock cluster as a broker process. */
#define _GNU_SOURCE		/* close_range(2) */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include "buf.h"
#include "kaf.h"
#include "mock.h"
#include "msg.h"

int
mock_topic_parse(const char *spec, struct mock_topic *t, const char **why)
{
	const char *colon = strrchr(spec, ':'), *p;
	size_t n;
	long v;

	if (colon == NULL) {
		*why = "not TOPIC:PARTITIONS";
		return -1;
	}
	n = colon - spec;
	if (n == 0) {
		*why = "empty topic name";
		return -1;
	}
	if (n > MOCK_MAX_TOPIC) {
		*why = "topic name longer than 249 bytes";
		return -1;
	}
	/* Kafka's Topic.validate(): the mock itself would take any name. */
	for (p = spec; p < colon; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *p) == NULL) {
			*why = "a topic name holds only letters, digits, "
			    "'.', '_' and '-'";
			return -1;
		}
	if ((n == 1 && spec[0] == '.') ||
	    (n == 2 && spec[0] == '.' && spec[1] == '.')) {
		*why = "a topic cannot be named '.' or '..'";
		return -1;
	}
	/* Digits only: strtol alone would take " 3", "+3" and "3x". */
	v = 0;
	for (p = colon + 1; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (*p - '0')) > MOCK_MAX_PARTITIONS)
			break;
	if (p == colon + 1 || *p != '\0' || v < 1 ||
	    v > MOCK_MAX_PARTITIONS) {
		*why = "not a partition count from 1 to 10000";
		return -1;
	}
	memcpy(t->name, spec, n);
	t->name[n] = '\0';
	t->partitions = (int)v;
	return 0;
}

/* The signals mock_serve takes. */
static void
serve_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGUSR2);
}

void
mock_block_signals(void)
{
	sigset_t set;

	serve_set(&set);
	if ((errno = pthread_sigmask(SIG_BLOCK, &set, NULL)) != 0)
		die_sys(KP_EXIT_DATA, "pthread_sigmask");
}

int
mock_serve(struct mock *m)
{
	sigset_t set;
	int sig, i;

	serve_set(&set);
	for (;;) {
		while ((errno = sigwait(&set, &sig)) != 0)
			if (errno != EINTR)
				die_sys(KP_EXIT_DATA, "sigwait");
		if (sig != SIGUSR1 && sig != SIGUSR2)
			return sig;
		for (i = 1; i <= m->brokers; i++)
			if (sig == SIGUSR1)
				rd_kafka_mock_broker_set_down(m->mc, i);
			else
				rd_kafka_mock_broker_set_up(m->mc, i);
	}
}

/* Close every descriptor above 2 but keep. */
static void
close_others(int keep)
{
	long max, fd;

	if ((keep <= 3 || close_range(3, keep - 1, 0) == 0) &&
	    close_range(keep + 1, ~0U, 0) == 0)
		return;
	/* A kernel before Linux 5.9 has no close_range. */
	if ((max = sysconf(_SC_OPEN_MAX)) < 0)
		max = 1024;
	for (fd = 3; fd < max; fd++)
		if (fd != keep)
			close(fd);
}

/* Read what the child announces; exit as it did if it ends first. */
static void __attribute__((noreturn))
parent(pid_t pid, int fd)
{
	struct buf b = BUF_INIT;
	ssize_t r;
	int st;

	for (;;) {
		buf_grow(&b, 512);
		r = read(fd, b.p + b.n, b.cap - b.n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		b.n += r;
	}
	close(fd);
	if (b.n > 0 && b.p[b.n - 1] == '\n') {
		if (fwrite(b.p, 1, b.n, stdout) != b.n || fflush(stdout) != 0) {
			/* Nobody learnt its address: the server is no use. */
			kill(pid, SIGTERM);
			die_sys(KP_EXIT_DATA, "standard output");
		}
		buf_free(&b);
		exit(KP_EXIT_OK);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die_sys(KP_EXIT_DATA, "waitpid");
	if (WIFSIGNALED(st))
		die(KP_EXIT_KAFKA, "the broker process died of signal %d",
		    WTERMSIG(st));
	if (WEXITSTATUS(st) == 0)
		die(KP_EXIT_DATA, "the broker process ended before it served");
	/* The child has printed why. */
	exit(WEXITSTATUS(st));
}

int
mock_detach(void)
{
	int p[2];
	pid_t pid;

	if (pipe(p) != 0)
		die_sys(KP_EXIT_DATA, "pipe");
	fflush(NULL);
	if ((pid = fork()) < 0)
		die_sys(KP_EXIT_DATA, "fork");
	if (pid > 0) {
		close(p[1]);
		parent(pid, p[0]);
	}
	close(p[0]);
	/* Out of the caller's session: its terminal's ^C and hangup. */
	if (setsid() < 0)
		die_sys(KP_EXIT_DATA, "setsid");
	/*
	 * A descriptor kept open would hold its reader: a pipe that the
	 * caller waits to see closed, such as bats' fd 3.
	 */
	close_others(p[1]);
	return p[1];
}

/*
 * librdkafka 2.0.2 aborts on an assertion (in rd_kafka_mock_cluster_destroy)
 * when rd_kafka_mock_cluster_new fails to make a broker's socket.  Make as
 * many as it will, bound as it binds them, and its two wake-up descriptors,
 * so that a lack of descriptors is an error message instead.
 */
static void
try_sockets(int brokers)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK)
	};
	int fds[MOCK_MAX_BROKERS + 2], n, i, e = 0;

	for (n = 0; n < brokers + 2; n++) {
		if ((fds[n] = socket(AF_INET, SOCK_STREAM, 0)) < 0) {
			e = errno;
			break;
		}
		if (bind(fds[n], (struct sockaddr *)&sin, sizeof sin) != 0) {
			e = errno;
			close(fds[n]);
			break;
		}
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	if (n < brokers + 2) {
		errno = e;
		die_sys(KP_EXIT_KAFKA, "cannot listen on 127.0.0.1");
	}
}

static void
log_line(const rd_kafka_t *rk, int level, const char *fac, const char *text)
{
	const struct mock *m = rd_kafka_opaque(rk);

	(void)level;
	if (m == NULL || !m->quiet)
		msg_note("librdkafka: %s: %s", fac, text);
}

void
mock_start(struct mock *m, int brokers, const struct mock_topic *topics,
    size_t n)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_resp_err_t err;
	size_t i;

	/*
	 * No bootstrap.servers: the handle only hosts the cluster, and
	 * must not reach out to $KPIPE_BROKERS (maybe another kbroker).
	 */
	kaf_set(conf, "client.id", "kpipe-kbroker");
	/*
	 * The mock logs only errors (LOG_ERR and worse); the handle's own
	 * warnings, such as the missing bootstrap.servers, would be noise.
	 */
	kaf_set(conf, "log_level", "3");
	rd_kafka_conf_set_opaque(conf, m);
	rd_kafka_conf_set_log_cb(conf, log_line);
	m->rk = kaf_new(RD_KAFKA_PRODUCER, conf);
	conf = NULL;	/* now m->rk's */
	m->brokers = brokers;
	try_sockets(brokers);
	if ((m->mc = rd_kafka_mock_cluster_new(m->rk, brokers)) == NULL)
		die(KP_EXIT_KAFKA, "cannot start a mock cluster of %d "
		    "broker%s", brokers, brokers == 1 ? "" : "s");
	/*
	 * The mock ignores the replication factor asked for: every
	 * partition gets min(3, brokers) replicas.  Ask for that.
	 */
	for (i = 0; i < n; i++) {
		err = rd_kafka_mock_topic_create(m->mc, topics[i].name,
		    topics[i].partitions, brokers < 3 ? brokers : 3);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
			die(KP_EXIT_KAFKA, "topic '%s': %s", topics[i].name,
			    rd_kafka_err2str(err));
	}
}

const char *
mock_bootstraps(const struct mock *m)
{
	return rd_kafka_mock_cluster_bootstraps(m->mc);
}

static void
write_all(int fd, const char *p, size_t n, const char *what)
{
	ssize_t r;

	while (n > 0) {
		if ((r = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			die_sys(KP_EXIT_DATA, "%s", what);
		}
		p += r;
		n -= r;
	}
}

/* Write text to path through path.tmp, so a reader sees all or nothing. */
static void
write_file(const char *path, const struct buf *text)
{
	struct buf tmp = BUF_INIT;
	int fd;

	buf_addf(&tmp, "%s.tmp", path);
	if ((fd = open(tmp.p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		die_sys(KP_EXIT_DATA, "%s", tmp.p);
	write_all(fd, text->p, text->n, tmp.p);
	if (close(fd) != 0)
		die_sys(KP_EXIT_DATA, "%s", tmp.p);
	if (rename(tmp.p, path) != 0)
		die_sys(KP_EXIT_DATA, "rename %s to %s", tmp.p, path);
	buf_free(&tmp);
}

void
mock_announce(const struct mock *m, int fd)
{
	struct buf text = BUF_INIT;
	int null;

	buf_addf(&text, "KPIPE_BROKERS=%s; export KPIPE_BROKERS\n",
	    mock_bootstraps(m));
	if (m->detached)
		buf_addf(&text, "KBROKER_PID=%ld; export KBROKER_PID\n",
		    (long)getpid());
	if (m->file != NULL)
		write_file(m->file, &text);
	if (m->detached) {
		/*
		 * Before the parent exits: "$(kbroker -d)" ends only when
		 * every copy of its standard output is closed.
		 */
		if ((null = open("/dev/null", O_RDWR)) < 0)
			die_sys(KP_EXIT_DATA, "/dev/null");
		fflush(NULL);
		if (dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
		    dup2(null, 2) < 0)
			die_sys(KP_EXIT_DATA, "dup2");
		if (null > 2)
			close(null);
	}
	write_all(fd, text.p, text.n, m->detached ? "announce" :
	    "standard output");
	if (m->detached)
		close(fd);
	buf_free(&text);
}

void
mock_stop(struct mock *m)
{
	if (m->mc != NULL)
		rd_kafka_mock_cluster_destroy(m->mc);
	m->mc = NULL;
	if (m->rk != NULL)
		rd_kafka_destroy(m->rk);
	m->rk = NULL;
	/* The file names a cluster that is gone. */
	if (m->file != NULL && unlink(m->file) != 0 && errno != ENOENT)
		warning("%s: %s", m->file, strerror(errno));
}
