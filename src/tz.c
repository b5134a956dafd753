/* tz.c -- see tz.h.  The only place that sets TZ.
 *
 * Switching TZ makes the C library read the zone's file again, about a
 * tenth of a millisecond each time: too slow for thousands of times (the
 * JSON of 'ae due' on a big book).  So a zone's changes of offset are
 * found once, over a span of years, with TZ set once (tz_changes), and
 * each time after that is a binary search among them.  Only a wall time
 * within two days of a change goes through mktime(), so that a time in a
 * spring-forward gap or an autumn overlap is resolved as the C library
 * does.  Not thread-safe (neither is TZ). */
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static char *saved;

static void enter(const char *tz)
{
	const char *old = getenv("TZ");

	free(saved);
	saved = old ? xstrdup(old) : NULL;
	setenv("TZ", tz, 1);
	tzset();
}

static void leave(void)
{
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	free(saved);
	saved = NULL;
	tzset();
}

/* The changes of one zone over [lo, hi). */
static struct {
	char *tz;
	time_t lo, hi;
	struct tz_change start, *v;
	size_t n;
} cache;

#define YEAR (366L * 86400)

static void cover(const char *tz, time_t t)
{
	time_t lo = t - 2 * YEAR, hi = t + 2 * YEAR;
	int same = cache.tz && !strcmp(cache.tz, tz);

	if (same && t >= cache.lo && t < cache.hi)
		return;
	if (same) {
		/* grow the span, so that times back and forth cost once */
		if (cache.lo < lo)
			lo = cache.lo;
		if (cache.hi > hi)
			hi = cache.hi;
	}
	free(cache.v);
	free(cache.tz);
	cache.tz = xstrdup(tz);
	cache.lo = lo;
	cache.hi = hi;
	cache.n = tz_changes(tz, lo, hi, &cache.start, &cache.v);
}

/* Seconds east of UTC in zone tz at UTC time t. */
static long offset_at(const char *tz, time_t t)
{
	size_t lo = 0, hi;

	cover(tz, t);
	hi = cache.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cache.v[mid].at <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? cache.v[lo - 1].to : cache.start.to;
}

static int near_change(time_t t)
{
	for (size_t i = 0; i < cache.n; i++)
		if (cache.v[i].at > t - 2 * 86400 && cache.v[i].at < t + 2 * 86400)
			return 1;
	return 0;
}

static time_t to_utc_mktime(const char *tz, moment_t m)
{
	struct tm tm;
	int y, mo, d;
	long days = m >= 0 ? m / 1440 : -((-m + 1439) / 1440);
	int minute = (int)(m - days * 1440);
	time_t t;

	civil_from_days((int)days, &y, &mo, &d);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = minute / 60;
	tm.tm_min = minute % 60;
	tm.tm_isdst = -1;
	enter(tz);
	t = mktime(&tm);
	leave();
	return t;
}

time_t tz_to_utc(const char *tz, moment_t m)
{
	time_t wall = (time_t)m * 60, t;

	t = wall - offset_at(tz, wall - offset_at(tz, wall));
	if (near_change(t))
		return to_utc_mktime(tz, m);
	return t;
}

/* The wall clock of zone tz at UTC time t, and its offset. */
static long wall_at(const char *tz, time_t t, struct tm *tm)
{
	long off = offset_at(tz, t);
	time_t w = t + off;

	gmtime_r(&w, tm);
	return off;
}

moment_t tz_from_utc(const char *tz, time_t t)
{
	struct tm tm;

	wall_at(tz, t, &tm);
	return (moment_t)days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 1440 +
	       tm.tm_hour * 60 + tm.tm_min;
}

void tz_rfc3339(char *buf, size_t size, const char *tz, time_t t)
{
	struct tm tm;
	long off = wall_at(tz, t, &tm), a = off < 0 ? -off : off;

	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

void tz_rfc3339_moment(char *buf, size_t size, const char *tz, moment_t m)
{
	/* through UTC, so a time that does not exist (a spring-forward gap)
	 * comes out as the time that does, with its offset */
	tz_rfc3339(buf, size, tz, tz_to_utc(tz, m));
}

static void observance(time_t t, struct tz_change *c)
{
	struct tm tm;

	localtime_r(&t, &tm);
	c->at = t;
	c->from = c->to = tm.tm_gmtoff;
	c->dst = tm.tm_isdst > 0;
	snprintf(c->name, sizeof(c->name), "%s", tm.tm_zone ? tm.tm_zone : "");
}

static int same(const struct tz_change *a, const struct tz_change *b)
{
	return a->to == b->to && a->dst == b->dst && !strcmp(a->name, b->name);
}

size_t tz_changes(const char *tz, time_t t0, time_t t1, struct tz_change *start,
		  struct tz_change **v)
{
	struct tz_change cur, next;
	size_t n = 0, alloc = 0;

	*v = NULL;
	enter(tz);
	observance(t0, start);
	cur = *start;
	/* zones change at most a few times a year, never twice in 6 hours */
	for (time_t t = t0; t < t1;) {
		time_t step = t + 6 * 3600 < t1 ? t + 6 * 3600 : t1, lo = t, hi = step;
		observance(step, &next);
		if (same(&cur, &next)) {
			t = step;
			continue;
		}
		while (hi - lo > 1) {
			time_t mid = lo + (hi - lo) / 2;
			struct tz_change m;
			observance(mid, &m);
			if (same(&cur, &m))
				lo = mid;
			else
				hi = mid;
		}
		observance(hi, &next);
		next.from = cur.to;
		ALLOC_GROW(*v, n + 1, alloc);
		(*v)[n++] = next;
		cur = next;
		t = hi;
	}
	leave();
	return n;
}
