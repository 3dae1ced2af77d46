/*
 * gen: N trade records, the same bytes for the same N and seed on every
 * machine (a fixed xorshift generator, no libc rand).
 * usage: gen N [seed]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t st = 88172645463325252ULL;

static uint64_t
next(void)
{
	st ^= st << 13;
	st ^= st >> 7;
	st ^= st << 17;
	return st;
}

int
main(int argc, char **argv)
{
	static const char *sym[] = { "AAPL", "MSFT", "GOOG", "AMZN", "TSLA",
	    "NVDA", "META", "NFLX" };
	static const char *venue[] = { "NASDAQ", "NYSE", "BATS", "IEX" };
	long n, i;
	uint64_t ts = 1700000000000ULL;

	if (argc < 2) {
		fprintf(stderr, "usage: gen N [seed]\n");
		return 2;
	}
	n = atol(argv[1]);
	if (argc > 2)
		st ^= strtoull(argv[2], NULL, 10) * 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < n; i++) {
		const char *s = sym[next() % 8];
		unsigned ask = 5000 + next() % 45000;	/* cents */
		unsigned spread = 1 + next() % 50;

		ts += next() % 20;
		printf("{\"ts\":%" PRIu64 ",\"key\":\"%s\",\"value\":{\"sym\":"
		    "\"%s\",\"ask\":%u.%02u,\"bid\":%u.%02u,\"size\":%u,"
		    "\"venue\":{\"id\":%u,\"name\":\"%s\"}},\"topic\":\"trades\","
		    "\"partition\":%u,\"offset\":%ld}\n", ts, s, s, ask / 100,
		    ask % 100, (ask - spread) / 100, (ask - spread) % 100,
		    1 + (unsigned)(next() % 1000), (unsigned)(next() % 4),
		    venue[next() % 4], (unsigned)(next() % 4), i);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
