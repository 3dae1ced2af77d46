/* kaf: librdkafka configuration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaf.h"
#include "msg.h"

const char *
kaf_brokers(const struct opt_kafka *o)
{
	const char *e;

	if (o->brokers != NULL)
		return o->brokers;
	if ((e = getenv("KPIPE_BROKERS")) != NULL && *e != '\0')
		return e;
	return "localhost:9092";
}

void
kaf_set(rd_kafka_conf_t *conf, const char *name, const char *value)
{
	char err[512];

	if (rd_kafka_conf_set(conf, name, value, err, sizeof err) !=
	    RD_KAFKA_CONF_OK)
		die(KP_EXIT_USAGE, "-X %s=%s: %s", name, value, err);
}

/* librdkafka's own log lines, in the house form. */
static void
logger(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	(void)level;
	msg_note("librdkafka: %s: %s", fac, buf);
}

rd_kafka_conf_t *
kaf_conf(const struct opt_kafka *o, const char *const *defs)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char id[128], name[256];
	const char *eq;
	size_t i;

	kaf_set(conf, "bootstrap.servers", kaf_brokers(o));
	snprintf(id, sizeof id, "kpipe-%s", msg_prog);
	kaf_set(conf, "client.id", id);
	rd_kafka_conf_set_log_cb(conf, logger);
	for (; defs != NULL && defs[0] != NULL; defs += 2)
		kaf_set(conf, defs[0], defs[1]);
	for (i = 0; i < o->n_props; i++) {
		eq = strchr(o->props[i], '=');
		snprintf(name, sizeof name, "%.*s", (int)(eq - o->props[i]),
		    o->props[i]);
		kaf_set(conf, name, eq + 1);
	}
	return conf;
}

rd_kafka_t *
kaf_new(rd_kafka_type_t type, rd_kafka_conf_t *conf)
{
	char err[512];
	rd_kafka_t *rk;

	rk = rd_kafka_new(type, conf, err, sizeof err);
	if (rk == NULL) {
		rd_kafka_conf_destroy(conf);
		die(KP_EXIT_KAFKA, "%s", err);
	}
	/* conf now belongs to rk. */
	return rk;
}
