/* kbroker: an in-memory Kafka cluster on loopback, for demos and tests. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mock.h"
#include "msg.h"
#include "opt.h"

static const char usage[] =
    "usage: kbroker [-dhq] [-f file] [-n brokers] [-t topic:partitions ...]\n";

static const struct opt_def defs[] = {
	OPT_DEFS_BASE,
	/* No long names: --brokers means -b everywhere else. */
	{ NULL, 'd', 0, 'd' },
	{ NULL, 'f', 1, 'f' },
	{ NULL, 'n', 1, 'n' },
	{ NULL, 't', 1, 't' },
	OPT_DEFS_END
};

int
main(int argc, char **argv)
{
	struct opt o;
	struct opt_common c = { 0 };
	struct mock m = MOCK_INIT;
	struct mock_topic *topics = NULL;
	size_t n_topics = 0, i;
	const char *why;
	long long brokers = 1;
	int id, fd = STDOUT_FILENO;

	opt_init(&o, argc, argv, usage);
	while ((id = opt_next(&o, defs)) != 0) {
		if (opt_common(&c, &o, id))
			continue;
		switch (id) {
		case 'd':
			m.detached = 1;
			break;
		case 'f':
			if (*o.arg == '\0')
				opt_usage(&o, "-f: empty file name");
			m.file = o.arg;
			break;
		case 'n':
			brokers = strtoll(o.arg, NULL, 10);
			if (o.arg[strspn(o.arg, "0123456789")] != '\0' ||
			    brokers < 1 || brokers > MOCK_MAX_BROKERS)
				opt_usage(&o, "-n '%s': not a broker count "
				    "from 1 to %d", o.arg, MOCK_MAX_BROKERS);
			break;
		case 't':
			topics = xrealloc(topics,
			    (n_topics + 1) * sizeof *topics);
			if (mock_topic_parse(o.arg, &topics[n_topics],
			    &why) != 0)
				opt_usage(&o, "-t '%s': %s", o.arg, why);
			for (i = 0; i < n_topics; i++)
				if (strcmp(topics[i].name,
				    topics[n_topics].name) == 0)
					opt_usage(&o, "-t '%s': topic '%s' "
					    "given twice", o.arg,
					    topics[i].name);
			n_topics++;
			break;
		}
	}
	if (o.n_operands > 0)
		opt_usage(&o, "unexpected argument '%s'", o.operands[0]);
	m.quiet = c.quiet;

	if (m.detached)
		fd = mock_detach();
	/* In the server alone, before librdkafka starts its threads. */
	mock_block_signals();
	mock_start(&m, (int)brokers, topics, n_topics);
	mock_announce(&m, fd);
	mock_serve(&m);
	mock_stop(&m);

	free(topics);
	opt_common_free(&c);
	opt_free(&o);
	return KP_EXIT_OK;
}
