/* dur: durations and times. */
#include <string.h>

#include "dur.h"

/* Parse digits at *s into *v; return how many digits were read. */
static int
digits(const char **s, const char *e, int max, int64_t *v)
{
	int n = 0;

	*v = 0;
	while (*s < e && n < max && **s >= '0' && **s <= '9') {
		*v = *v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return n;
}

static const char too_large[] =
    "too large (at most 10^15 ms, about 31,700 years)";

int
dur_parse(const char *s, int64_t *ms, const char **why)
{
	const char *p = s, *e = s + strlen(s);
	int64_t v, mul;

	if (digits(&p, e, 15, &v) == 0) {
		*why = "not a duration";
		return -1;
	}
	if (p < e && *p >= '0' && *p <= '9') {
		*why = too_large;
		return -1;
	}
	if (strcmp(p, "") == 0 || strcmp(p, "ms") == 0)
		mul = 1;
	else if (strcmp(p, "s") == 0)
		mul = 1000;
	else if (strcmp(p, "m") == 0)
		mul = 60 * 1000;
	else if (strcmp(p, "h") == 0)
		mul = 3600 * 1000;
	else if (strcmp(p, "d") == 0)
		mul = 86400 * 1000;
	else {
		*why = "unknown unit";
		return -1;
	}
	if (v > DUR_MAX_MS / mul) {
		*why = too_large;
		return -1;
	}
	*ms = v * mul;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
mdays(int64_t y, int64_t m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

int
dur_iso_parse(const char *s, size_t len, int64_t *ms, const char **why)
{
	const char *p = s, *e = s + len;
	int64_t y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, zh, zm, off = 0;
	int nf, sign;

	*why = "not an ISO 8601 time";
	if (digits(&p, e, 4, &y) != 4 || p == e || *p++ != '-' ||
	    digits(&p, e, 2, &mo) != 2 || p == e || *p++ != '-' ||
	    digits(&p, e, 2, &d) != 2)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo)) {
		*why = "no such date";
		return -1;
	}
	if (p < e && (*p == 'T' || *p == 't' || *p == ' ')) {
		p++;
		if (digits(&p, e, 2, &h) != 2 || p == e || *p++ != ':' ||
		    digits(&p, e, 2, &mi) != 2)
			return -1;
		if (p < e && *p == ':') {
			p++;
			if (digits(&p, e, 2, &sec) != 2)
				return -1;
			if (p < e && (*p == '.' || *p == ',')) {
				p++;
				nf = 0;
				frac = 0;
				while (p < e && *p >= '0' && *p <= '9') {
					if (nf < 3)
						frac = frac * 10 + (*p - '0');
					nf++;
					p++;
				}
				if (nf == 0)
					return -1;
				for (; nf < 3; nf++)
					frac *= 10;
			}
		}
		if (h > 24 || mi > 59 || sec > 60 ||
		    (h == 24 && (mi || sec || frac))) {
			*why = "no such time of day";
			return -1;
		}
		if (p < e && (*p == 'Z' || *p == 'z'))
			p++;
		else if (p < e && (*p == '+' || *p == '-')) {
			sign = *p++ == '-' ? -1 : 1;
			if (digits(&p, e, 2, &zh) != 2)
				return -1;
			zm = 0;
			if (p < e && *p == ':')
				p++;
			if (p < e && digits(&p, e, 2, &zm) != 2)
				return -1;
			if (zh > 23 || zm > 59)
				return -1;
			off = sign * (zh * 60 + zm) * 60000;
		}
	}
	if (p != e)
		return -1;
	*ms = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 +
	    sec * 1000 + frac - off;
	return 0;
}

int
dur_time_parse(const char *s, int64_t *ms, const char **why)
{
	const char *p = s, *e = s + strlen(s);
	int neg = 0;
	int64_t v;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (digits(&p, e, 18, &v) > 0 && p == e) {
		*ms = neg ? -v : v;
		return 0;
	}
	return dur_iso_parse(s, e - s, ms, why);
}

size_t
dur_iso_fmt(int64_t ms, char *out)
{
	int64_t days, rem, z, era, doe, yoe, doy, mp, y, m, d;
	char *o = out;
	int i;
	int64_t f[6];
	static const int w[6] = {4, 2, 2, 2, 2, 2};
	static const char sep[6] = {'-', '-', 'T', ':', ':', '.'};

	days = ms / 86400000;
	rem = ms % 86400000;
	if (rem < 0) {
		rem += 86400000;
		days--;
	}
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	f[0] = y;
	f[1] = m;
	f[2] = d;
	f[3] = rem / 3600000;
	f[4] = rem / 60000 % 60;
	f[5] = rem / 1000 % 60;
	if (y < 0 || y > 9999) {
		/* Outside ISO 8601's four-digit years: write the number. */
		int64_t u = ms < 0 ? -ms : ms;
		char tmp[24], *q = tmp + sizeof tmp;

		do
			*--q = '0' + u % 10;
		while ((u /= 10) != 0);
		if (ms < 0)
			*o++ = '-';
		memcpy(o, q, tmp + sizeof tmp - q);
		o += tmp + sizeof tmp - q;
		*o = '\0';
		return o - out;
	}
	for (i = 0; i < 6; i++) {
		int64_t v = f[i];
		int k;

		for (k = w[i] - 1; k >= 0; k--) {
			o[k] = '0' + v % 10;
			v /= 10;
		}
		o += w[i];
		*o++ = sep[i];
	}
	o[0] = '0' + rem % 1000 / 100;
	o[1] = '0' + rem % 100 / 10;
	o[2] = '0' + rem % 10;
	o[3] = 'Z';
	o[4] = '\0';
	return o + 4 - out;
}
