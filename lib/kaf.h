/*
 * kaf: librdkafka configuration from -b, -X and the environment.
 *
 * No command calls rd_kafka_conf_set itself: a -X property means the same
 * everywhere, and a bad one is a usage error (exit 2) naming it.  Brokers
 * come from -b, else $KPIPE_BROKERS, else localhost:9092.  A librdkafka
 * error that is fatal, or a broker that cannot be reached, exits 4.
 */
#ifndef KP_KAF_H
#define KP_KAF_H

#include <stddef.h>

#include <librdkafka/rdkafka.h>

#include "opt.h"

/* The bootstrap servers in force. */
const char *kaf_brokers(const struct opt_kafka *o);

/*
 * A new configuration: bootstrap.servers, client.id "kpipe-PROG", the
 * defaults given as NULL-terminated name, value pairs (which -X may
 * override), then every -X property.  Dies 2 on a bad property.
 */
rd_kafka_conf_t *kaf_conf(const struct opt_kafka *o, const char *const *defs);

/* Set one property or die 2 (for settings a command must have). */
void kaf_set(rd_kafka_conf_t *conf, const char *name, const char *value);

/* A client of type (RD_KAFKA_PRODUCER or _CONSUMER); takes conf. */
rd_kafka_t *kaf_new(rd_kafka_type_t type, rd_kafka_conf_t *conf);

#endif
