/*
 * mock: librdkafka's mock cluster run as a broker process, for kbroker.
 *
 * librdkafka ships an in-memory Kafka cluster (rdkafka_mock.h) that speaks
 * the protocol on 127.0.0.1, one random port per broker.  It lives inside
 * a client handle, so a mock is a producer that never produces, the cluster
 * it hosts and the topics made at start: the mock has no CreateTopics, so
 * a topic of a chosen size can only be made here.  Once mock_start returns,
 * every broker listens and every topic exists; a client given
 * mock_bootstraps may connect at once.
 *
 * The process around it: signals are blocked before any librdkafka thread
 * exists, so that mock_serve alone takes SIGINT and SIGTERM; mock_detach
 * forks a server whose parent exits only once the server has announced
 * itself; mock_announce prints the lines for eval(1).  A librdkafka failure
 * exits 4, a write error 1.
 */
#ifndef KP_MOCK_H
#define KP_MOCK_H

#include <stddef.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

enum {
	MOCK_MAX_BROKERS = 64,
	MOCK_MAX_PARTITIONS = 10000,
	MOCK_MAX_TOPIC = 249		/* Kafka's longest topic name */
};

/* A topic to create, from -t TOPIC:PARTITIONS. */
struct mock_topic {
	char name[MOCK_MAX_TOPIC + 1];
	int partitions;
};

struct mock {
	rd_kafka_t *rk;			/* the handle hosting the cluster */
	rd_kafka_mock_cluster_t *mc;
	int quiet;			/* drop librdkafka's log lines */
	int detached;			/* announce KBROKER_PID too */
	const char *file;		/* -f FILE, or NULL; borrowed */
	int brokers;			/* how many */
};
#define MOCK_INIT { NULL, NULL, 0, 0, NULL, 0 }

/*
 * Parse "TOPIC:PARTITIONS" into t: a legal Kafka topic name (letters,
 * digits, '.', '_', '-'; not "." or ".."; at most 249 bytes) and a count
 * from 1 to MOCK_MAX_PARTITIONS.  Returns 0, or -1 with *why set to a
 * static message.
 */
int mock_topic_parse(const char *spec, struct mock_topic *t,
    const char **why);

/*
 * Block SIGINT and SIGTERM in the calling thread, and so in every thread
 * started after it.  Call before mock_start, and after mock_detach, whose
 * parent ^C should still stop.
 */
void mock_block_signals(void);

/*
 * Fork a server.  In the child, which runs in a new session with every
 * descriptor above 2 closed, it returns the descriptor to give
 * mock_announce.  The parent never returns: it copies what the child
 * announces to its standard output and exits 0, or, if the child ends
 * before announcing, exits with its status (the child has said why on the
 * standard error they share until then).
 */
int mock_detach(void);

/*
 * Start a cluster of brokers brokers with the n topics given.  m->quiet
 * must be set first.  Dies 4 if librdkafka fails.
 */
void mock_start(struct mock *m, int brokers, const struct mock_topic *topics,
    size_t n);

/* "127.0.0.1:PORT,..." for bootstrap.servers; lives until mock_stop. */
const char *mock_bootstraps(const struct mock *m);

/*
 * Tell the world the cluster serves: the lines
 *	KPIPE_BROKERS=LIST; export KPIPE_BROKERS
 *	KBROKER_PID=PID; export KBROKER_PID	(only if m->detached)
 * go to m->file if set (through m->file.tmp and rename(2), so a reader sees
 * all of it or nothing), then to fd.  When detached, standard input, output
 * and error are first sent to /dev/null, and fd is closed after.
 */
void mock_announce(const struct mock *m, int fd);

/*
 * Serve until SIGINT or SIGTERM (blocked by mock_block_signals); return
 * it.  Meanwhile SIGUSR1 takes every broker down (connections drop, new
 * ones are refused) and SIGUSR2 brings them back up: a broker outage, for
 * tests.
 */
int mock_serve(struct mock *m);

/*
 * Destroy the cluster and its handle and remove m->file; leaves m as
 * after MOCK_INIT with quiet, detached and file kept.
 */
void mock_stop(struct mock *m);

#endif
