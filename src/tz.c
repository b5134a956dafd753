/* tz.c -- see tz.h.  The only place that sets TZ.
 *
 * Switching TZ makes the C library read the zone's file again, about a
 * tenth of a millisecond each time: too slow for thousands of times (the
 * JSON of 'ae due' on a big book).  So a zone's changes of offset are
 * found once, over a span of years, with TZ set once (tz_changes), and
 * each time after that is a binary search among them.  Only a wall time
 * within two days of a change goes through mktime(), so that a time in a
 * spring-forward gap or an autumn overlap is resolved as the C library
 * does.  And a moment between two changes, two days clear of both, is
 * the moment less the offset between them: the last such span found is
 * kept (fast), so that most moments need no search at all.  Not
 * thread-safe (neither is TZ). */
#include "tz.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
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

/* The wall-clock moments [lo, hi] of zone cache.tz whose UTC time is the
 * moment less off: between two changes, two days clear of each. */
static struct {
	int ok;
	moment_t lo, hi;
	long off;
} fast;

#define YEAR (366L * 86400)
#define TWO_DAYS (2L * 86400)

static void cover(const char *tz, time_t t)
{
	time_t lo = t - 2 * YEAR, hi = t + 2 * YEAR;
	int same = cache.tz && !strcmp(cache.tz, tz);

	if (same && t >= cache.lo && t < cache.hi)
		return;
	fast.ok = 0;
	if (same) {
		/* grow the span, so that times back and forth cost once; only
		 * the years added are searched, their changes put before and
		 * after the ones known (what a search of the whole span finds:
		 * a change at cache.lo is the lower part's, the upper part's
		 * are after cache.hi) */
		struct tz_change start, *v;
		size_t n;
		if (lo < cache.lo) {
			n = tz_changes(tz, lo, cache.lo, &start, &v);
			if (n) {
				v = xrealloc(v, (n + cache.n) * sizeof(*v));
				if (cache.n)
					memcpy(v + n, cache.v, cache.n * sizeof(*v));
				free(cache.v);
				cache.v = v;
				cache.n += n;
			} else {
				free(v);
			}
			cache.start = start;
			cache.lo = lo;
		}
		if (hi > cache.hi) {
			n = tz_changes(tz, cache.hi, hi, &start, &v);
			if (n) {
				cache.v = xrealloc(cache.v, (cache.n + n) * sizeof(*v));
				memcpy(cache.v + cache.n, v, n * sizeof(*v));
				cache.n += n;
			}
			free(v);
			cache.hi = hi;
		}
		return;
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

static moment_t floor_div60(time_t s)
{
	return (moment_t)(s >= 0 ? s / 60 : -((-s + 59) / 60));
}

/* Moment m was found to be UTC time t, away from any change: the span of
 * moments around it that are as simple, kept in fast. */
static void learn(moment_t m, time_t t)
{
	time_t lo = cache.lo + TWO_DAYS, hi = cache.hi - TWO_DAYS - 1;
	long off = (long)((time_t)m * 60 - t);
	size_t i = 0;

	/* within the span of known changes, with room for the offset */
	if (off <= -86400 || off >= 86400 || t < lo || t > hi)
		return;
	while (i < cache.n && cache.v[i].at <= t)
		i++;
	if (off != (i ? cache.v[i - 1].to : cache.start.to))
		return;
	if (i && cache.v[i - 1].at + TWO_DAYS > lo)
		lo = cache.v[i - 1].at + TWO_DAYS;
	if (i < cache.n && cache.v[i].at - TWO_DAYS < hi)
		hi = cache.v[i].at - TWO_DAYS;
	if (t < lo || t > hi)
		return;
	/* any wall time w in [lo + off, hi + off] is within a day of
	 * [lo, hi], so after the change before it and before the next: its
	 * offset is off, w - off is in [lo, hi], and no change is within two
	 * days of that -- tz_to_utc's own steps, each answered the same */
	fast.lo = -floor_div60(-(lo + off));	/* ceiling */
	fast.hi = floor_div60(hi + off);
	fast.off = off;
	fast.ok = 1;
}

static int is_fast(const char *tz, moment_t m)
{
	return fast.ok && m >= fast.lo && m <= fast.hi && !strcmp(cache.tz, tz);
}

time_t tz_to_utc(const char *tz, moment_t m)
{
	time_t wall = (time_t)m * 60, t;

	if (is_fast(tz, m))
		return wall - fast.off;
	t = wall - offset_at(tz, wall - offset_at(tz, wall));
	if (near_change(t))
		return to_utc_mktime(tz, m);
	learn(m, t);
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

/* "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld" */
static void rfc3339(char *buf, size_t size, int y, int mo, int d, int h, int mi, int s, long off)
{
	long a = off < 0 ? -off : off;
	char *p;

	if (size < 26 || a >= 100 * 3600 || h < 0 || h > 99 || mi < 0 || mi > 99 || s < 0 ||
	    s > 99 || !(p = fmt_ymd(buf, y, mo, d))) {
		snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", y, mo, d, h, mi,
			 s, off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
		return;
	}
	*p++ = 'T';
	p = fmt_2d(p, (unsigned)h);
	*p++ = ':';
	p = fmt_2d(p, (unsigned)mi);
	*p++ = ':';
	p = fmt_2d(p, (unsigned)s);
	*p++ = off < 0 ? '-' : '+';
	p = fmt_2d(p, (unsigned)(a / 3600));
	*p++ = ':';
	p = fmt_2d(p, (unsigned)(a / 60 % 60));
	*p = '\0';
}

void tz_rfc3339(char *buf, size_t size, const char *tz, time_t t)
{
	struct tm tm;
	long off = wall_at(tz, t, &tm);

	rfc3339(buf, size, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		tm.tm_sec, off);
}

void tz_rfc3339_moment(char *buf, size_t size, const char *tz, moment_t m)
{
	/* through UTC, so a time that does not exist (a spring-forward gap)
	 * comes out as the time that does, with its offset */
	if (is_fast(tz, m)) {
		/* the wall clock of m - off is m itself */
		struct tz_span s = { fast.lo, fast.hi, fast.off, 1 };
		if (!tz_rfc3339_span(buf, size, &s, m))
			return;
	}
	tz_rfc3339(buf, size, tz, tz_to_utc(tz, m));
}

void tz_span_of(const char *tz, struct tz_span *s)
{
	memset(s, 0, sizeof(*s));
	if (!fast.ok || !cache.tz || strcmp(cache.tz, tz))
		return;
	s->lo = fast.lo;
	s->hi = fast.hi;
	s->off = fast.off;
	s->ok = 1;
}

static long days_of(moment_t m)
{
	return m >= 0 ? m / 1440 : -((-m + 1439) / 1440);
}

int tz_span_has(const struct tz_span *s, moment_t m)
{
	return s->ok && m >= s->lo && m <= s->hi && days_of(m) >= -2147483647L &&
	       days_of(m) <= 2147483647L;
}

int tz_rfc3339_span(char *buf, size_t size, const struct tz_span *s, moment_t m)
{
	long days = days_of(m);
	int y, mo, d, minute;

	if (!tz_span_has(s, m))
		return -1;
	/* as tz_rfc3339_moment()'s fast path */
	minute = (int)(m - days * 1440);
	civil_from_days((int)days, &y, &mo, &d);
	rfc3339(buf, size, y, mo, d, minute / 60, minute % 60, 0, s->off);
	return 0;
}

static void observance(time_t t, struct tz_change *c)
{
	struct tm tm;
	size_t n;

	localtime_r(&t, &tm);
	c->at = t;
	c->from = c->to = tm.tm_gmtoff;
	c->dst = tm.tm_isdst > 0;
	/* snprintf's "%s", cut to the array */
	n = tm.tm_zone ? strnlen(tm.tm_zone, sizeof(c->name) - 1) : 0;
	memcpy(c->name, tm.tm_zone, n);
	c->name[n] = '\0';
}

static int same(const struct tz_change *a, const struct tz_change *b)
{
	return a->to == b->to && a->dst == b->dst && !strcmp(a->name, b->name);
}

static uint64_t be(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

/* Whether s is a POSIX TZ string of standard time alone ("CST-8",
 * "<+0545>-5:45", "UTC0"): no daylight time, so one offset for ever. */
static int fixed_rule(const char *s, size_t n)
{
	size_t i = 0, k;

	if (i < n && s[i] == '<') {
		while (++i < n && s[i] != '>')
			;
		if (i++ >= n)
			return 0;
	} else {
		while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
			i++;
		if (i < 3)
			return 0;
	}
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	for (int part = 0; part < 3; part++) {
		for (k = 0; i < n && k < 3 && s[i] >= '0' && s[i] <= '9'; k++)
			i++;
		if (!k)
			return 0;
		if (i == n || s[i] != ':' || part == 2)
			break;
		i++;
	}
	return i == n;
}

/*
 * What the zone's file (TZif, RFC 8536, found where the C library looks:
 * $TZDIR or /usr/share/zoneinfo) says of the times after its last
 * transition: 1 when the C library's answer no longer changes from
 * *last on (the footer's rule is standard time alone, or there are no
 * transitions: *last is then the least time there is), else 0 -- any
 * doubt (no file, leap seconds, a version 1 file, anything malformed)
 * is 0, and tz_changes() steps through those years as before.  A book's
 * zone such as Asia/Shanghai last changed in 1991: ten years of a book
 * were 15,000 calls of localtime_r() for nothing.
 */
static int fixed_after(const char *tz, time_t *last)
{
	static struct {
		char *tz;
		int fixed;
		time_t last;
	} memo;
	const char *dir = getenv("TZDIR");
	unsigned char *buf = NULL, *p, *end;
	uint64_t cnt[6], skip;
	size_t len = 0, alloc = 0;
	char *path;
	FILE *f;
	int fixed = 0;

	if (memo.tz && !strcmp(memo.tz, tz)) {
		*last = memo.last;
		return memo.fixed;
	}
	*last = 0;
	path = xasprintf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo",
			 tz[0] == ':' ? tz + 1 : tz);
	if (tz[tz[0] == ':'] && tz[tz[0] == ':'] != '/' && (f = fopen(path, "rb"))) {
		for (;;) {
			size_t got;
			ALLOC_GROW(buf, len + 4096, alloc);
			got = fread(buf + len, 1, alloc - len, f);
			len += got;
			if (!got || len > (1u << 20))
				break;
		}
		fclose(f);
	}
	free(path);
	p = buf;
	end = buf + len;
	/* the version 1 part (32-bit times) is skipped for the version 2 one */
	for (int part = 0; part < 2 && p; part++) {
		if (end - p < 44 || memcmp(p, "TZif", 4) || p[4] < '2') {
			p = NULL;
			break;
		}
		for (int i = 0; i < 6; i++)
			cnt[i] = be(p + 20 + 4 * i, 4);
		p += 44;
		/* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
		skip = cnt[3] * (part ? 9 : 5) + cnt[4] * 6 + cnt[5] + cnt[2] * (part ? 12 : 8) +
		       cnt[1] + cnt[0];
		if (cnt[2] || !cnt[4] || skip > (uint64_t)(end - p)) {
			p = NULL;
			break;
		}
		if (part) {
			const unsigned char *foot = p + skip, *nl;
			if (cnt[3])
				*last = (time_t)be(p + (cnt[3] - 1) * 8, 8);
			else
				*last = (time_t)((uint64_t)1 << 63);
			/* the footer: "\n" TZ string "\n" */
			if (end - foot < 2 || foot[0] != '\n' ||
			    !(nl = memchr(foot + 1, '\n', (size_t)(end - foot - 1))))
				break;
			fixed = !cnt[3] || fixed_rule((const char *)foot + 1, (size_t)(nl - foot - 1));
		}
		p += skip;
	}
	free(buf);
	free(memo.tz);
	memo.tz = xstrdup(tz);
	memo.fixed = fixed;
	memo.last = *last;
	return fixed;
}

size_t tz_changes(const char *tz, time_t t0, time_t t1, struct tz_change *start,
		  struct tz_change **v)
{
	struct tz_change cur, next;
	size_t n = 0, alloc = 0;
	time_t last;

	*v = NULL;
	/* no change after the zone's last transition: stepped through up to
	 * it only */
	if (fixed_after(tz, &last) && last < t1)
		t1 = last > t0 ? last : t0;
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
