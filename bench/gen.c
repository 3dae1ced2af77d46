/*
 * gen: N trade records, or with -w N lines of English-like text, the same
 * bytes for the same N and seed on every machine (a fixed xorshift
 * generator, no libc rand).
 * usage: gen [-w] N [seed]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t st = 88172645463325252ULL;

static uint64_t
next(void)
{
	st ^= st << 13;
	st ^= st >> 7;
	st ^= st << 17;
	return st;
}

/*
 * Text: lines of 1 to 15 words from a vocabulary of 2,000 made of
 * syllables, with "the" often, capitals now and then, and punctuation.
 */
static void
words(long n)
{
	static const char *syl[] = { "ka", "lo", "mi", "ren", "tu", "sa",
	    "vel", "do", "qui", "ne", "bar", "fo", "zi", "pa", "ul", "tor",
	    "e", "an", "is", "om" };
	static const char *punct[] = { "", "", "", "", ",", ".", ";", "!",
	    "?", " -" };
	char w[16];
	long i;
	int k, m, v, c;

	for (i = 0; i < n; i++) {
		m = 1 + (int)(next() % 15);
		for (k = 0; k < m; k++) {
			if (next() % 6 == 0)
				snprintf(w, sizeof(w), "%s",
				    next() % 3 ? "the" : "The");
			else {
				v = (int)(next() % 2000);
				snprintf(w, sizeof(w), "%s%s%s", syl[v % 20],
				    syl[v / 20 % 20], v >= 400 ?
				    syl[v / 400] : "");
				if (next() % 10 == 0)
					w[0] -= 'a' - 'A';
			}
			c = (int)(next() % 10);
			printf("%s%s%s", k ? " " : "", w, punct[c]);
		}
		putchar('\n');
	}
}

int
main(int argc, char **argv)
{
	static const char *sym[] = { "AAPL", "MSFT", "GOOG", "AMZN", "TSLA",
	    "NVDA", "META", "NFLX" };
	static const char *venue[] = { "NASDAQ", "NYSE", "BATS", "IEX" };
	long n, i;
	uint64_t ts = 1700000000000ULL;

	int text = argc > 1 && strcmp(argv[1], "-w") == 0;

	if (argc < 2 + text) {
		fprintf(stderr, "usage: gen [-w] N [seed]\n");
		return 2;
	}
	n = atol(argv[1 + text]);
	if (argc > 2 + text)
		st ^= strtoull(argv[2 + text], NULL, 10) *
		    0x9e3779b97f4a7c15ULL;
	if (text) {
		words(n);
		return fflush(stdout) == 0 ? 0 : 1;
	}
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
