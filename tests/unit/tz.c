/*
 * Unit tests of tz.c's short cut: a moment two days clear of a zone's
 * changes is the moment less the offset between them, without a search
 * (the span kept from the last moment found).  Every answer of
 * tz_to_utc and tz_rfc3339_moment is checked against the C library's
 * own mktime and localtime, in zones with and without daylight time
 * (half-hour ones, one that abolished it, one that skipped a day), with
 * moments in order (as ae due asks), back and forth, and two zones in
 * turn.  Moments near a change go through mktime in tz.c as before; they
 * are checked where the wall time is not ambiguous.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/date.h"
#include "../../src/tz.h"

static int failures, checks;

static const char *const zones[] = {
	"Asia/Shanghai", "America/Los_Angeles", "Europe/London", "Australia/Lord_Howe",
	"America/Sao_Paulo", "Pacific/Apia", "Asia/Tokyo", "UTC", "America/St_Johns",
	"Africa/Casablanca",
};

/* A moment asked of tz.c and the C library's answer for it. */
struct probe {
	const char *tz;
	moment_t m;
	time_t t;
	char text[96];
	int clear;	/* no change of offset within six hours */
};
static struct probe *probes;
static size_t nprobes, aprobes;

static void ask(const char *tz, moment_t m)
{
	if (nprobes == aprobes) {
		aprobes = aprobes ? 2 * aprobes : 4096;
		probes = realloc(probes, aprobes * sizeof(*probes));
		if (!probes)
			abort();
	}
	probes[nprobes].tz = tz;
	probes[nprobes++].m = m;
}

/* The reference, with TZ already the zone's: the UTC time of the wall
 * moment, its RFC 3339 text, and whether it is clear of any change. */
static void ref(struct probe *p)
{
	struct tm tm, back, te, tl;
	int y, mo, d;
	long days = p->m >= 0 ? p->m / 1440 : -((-p->m + 1439) / 1440);
	int minute = (int)(p->m - days * 1440);
	time_t e, l;
	long off, a;

	civil_from_days((int)days, &y, &mo, &d);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = minute / 60;
	tm.tm_min = minute % 60;
	tm.tm_isdst = -1;
	p->t = mktime(&tm);
	localtime_r(&p->t, &back);
	off = back.tm_gmtoff;
	a = off < 0 ? -off : off;
	snprintf(p->text, sizeof(p->text), "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
		 back.tm_year + 1900, back.tm_mon + 1, back.tm_mday, back.tm_hour, back.tm_min,
		 back.tm_sec, off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	e = p->t - 6 * 3600;
	l = p->t + 6 * 3600;
	localtime_r(&e, &te);
	localtime_r(&l, &tl);
	p->clear = te.tm_gmtoff == off && tl.tm_gmtoff == off;
}

/* The references zone by zone (TZ set once each), then tz.c asked in
 * the order of the probes. */
static void run(void)
{
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		setenv("TZ", zones[z], 1);
		tzset();
		for (size_t i = 0; i < nprobes; i++)
			if (probes[i].tz == zones[z])
				ref(&probes[i]);
	}
	unsetenv("TZ");
	tzset();
	for (size_t i = 0; i < nprobes; i++) {
		const struct probe *p = &probes[i];
		char got[64], wall[20];
		time_t g;
		memset(got, 'x', sizeof(got));
		g = tz_to_utc(p->tz, p->m);
		tz_rfc3339_moment(got, sizeof(got), p->tz, p->m);
		if (!p->clear)
			continue;	/* in or next to a gap or an overlap: mktime's, as before */
		checks++;
		if (g == p->t && !strcmp(got, p->text))
			continue;
		format_moment(wall, p->m);
		printf("tz.c: %s %s: got %lld %s, want %lld %s\n", p->tz, wall, (long long)g, got,
		       (long long)p->t, p->text);
		failures++;
	}
	nprobes = 0;
}

static moment_t M(int y, int mo, int d, int h, int mi)
{
	return (moment_t)days_from_civil(y, mo, d) * 1440 + h * 60 + mi;
}

static unsigned long long rnd_state = 2463534242ULL;

static unsigned long long rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* The observance at t, as tz.c's tz_changes() reads it (TZ set). */
static void observe(time_t t, struct tz_change *c)
{
	struct tm tm;

	localtime_r(&t, &tm);
	memset(c, 0, sizeof(*c));
	c->at = t;
	c->from = c->to = tm.tm_gmtoff;
	c->dst = tm.tm_isdst > 0;
	snprintf(c->name, sizeof(c->name), "%s", tm.tm_zone ? tm.tm_zone : "");
}

static int same_obs(const struct tz_change *a, const struct tz_change *b)
{
	return a->to == b->to && a->dst == b->dst && !strcmp(a->name, b->name);
}

/*
 * tz_changes() against the C library stepped through every six hours of
 * the span: the same observance first and the same changes, to the
 * second -- in zones whose rules ended long ago (tz.c then reads the
 * zone's file and stops stepping at its last transition) and in zones
 * that still change, over spans before, across and after that
 * transition.
 */
static void changes(void)
{
	static const char *const czones[] = {
		"Asia/Shanghai", "UTC", "Asia/Tokyo", "Asia/Kolkata", "Asia/Kathmandu",
		"Etc/GMT-5", "America/Los_Angeles", "Europe/London", "Africa/Casablanca",
		"America/Sao_Paulo", ":Asia/Shanghai", "CST-8", "Nowhere/Such_Zone",
	};
	static const int spans[][2] = {
		{ 1980, 2030 }, { 1990, 1992 }, { 1991, 1991 }, { 2015, 2028 }, { 2026, 2026 },
	};

	for (size_t z = 0; z < sizeof(czones) / sizeof(czones[0]); z++)
		for (size_t s = 0; s < sizeof(spans) / sizeof(spans[0]); s++) {
			time_t t0 = (time_t)days_from_civil(spans[s][0], 1, 1) * 86400 + 3600;
			time_t t1 = (time_t)days_from_civil(spans[s][1], 12, 31) * 86400;
			struct tz_change start, *v, want, cur, next;
			size_t n = tz_changes(czones[z], t0, t1, &start, &v), k = 0;
			int bad = 0;

			setenv("TZ", czones[z], 1);
			tzset();
			observe(t0, &want);
			bad |= !same_obs(&want, &start) || start.at != t0 || start.from != want.from;
			cur = want;
			for (time_t t = t0; t < t1 && !bad;) {
				time_t step = t + 6 * 3600 < t1 ? t + 6 * 3600 : t1, lo = t, hi = step;
				observe(step, &next);
				if (same_obs(&cur, &next)) {
					t = step;
					continue;
				}
				while (hi - lo > 1) {
					time_t mid = lo + (hi - lo) / 2;
					struct tz_change m;
					observe(mid, &m);
					if (same_obs(&cur, &m))
						lo = mid;
					else
						hi = mid;
				}
				observe(hi, &next);
				next.from = cur.to;
				bad |= k >= n || v[k].at != next.at || v[k].from != next.from ||
				       !same_obs(&v[k], &next);
				k++;
				cur = next;
				t = hi;
			}
			bad |= k != n;
			unsetenv("TZ");
			tzset();
			checks++;
			if (bad) {
				printf("tz.c: tz_changes %s %d-%d: %zu changes, want %zu\n", czones[z],
				       spans[s][0], spans[s][1], n, k);
				failures++;
			}
			free(v);
		}
}

int main(void)
{
	moment_t lo = M(2008, 1, 1, 0, 0), hi = M(2030, 12, 31, 23, 59);

	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		/* in order, every 11 hours 13 minutes: every change passed */
		for (moment_t m = lo; m <= hi; m += 11 * 60 + 13)
			ask(zones[z], m);
		run();
		/* back and forth */
		for (int i = 0; i < 3000; i++)
			ask(zones[z], lo + (moment_t)(rnd() % (unsigned long long)(hi - lo)));
		run();
		/* the hours around each change of 2026 */
		for (moment_t m = M(2026, 1, 1, 0, 0); m < M(2027, 1, 1, 0, 0); m += 97)
			ask(zones[z], m);
		run();
	}
	/* two zones in turn: the span kept is one zone's */
	for (moment_t m = lo; m <= hi; m += 37 * 60 + 3) {
		ask(zones[1], m);
		ask(zones[0], m);
		ask(zones[2], m + 7 * 1440);
	}
	run();
	/* UTC times as they are: a commit's date */
	{
		char got[64], want[64];
		time_t t = 1700000000;
		for (int i = 0; i < 2000; i++, t += 86399 * 3) {
			struct tm tm;
			long off, a;
			setenv("TZ", "Europe/London", 1);
			tzset();
			localtime_r(&t, &tm);
			unsetenv("TZ");
			tzset();
			off = tm.tm_gmtoff;
			a = off < 0 ? -off : off;
			snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
				 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
				 tm.tm_sec, off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
			tz_rfc3339(got, sizeof(got), "Europe/London", t);
			checks++;
			if (strcmp(got, want)) {
				printf("tz.c: tz_rfc3339 %lld: got %s, want %s\n", (long long)t, got, want);
				failures++;
			}
		}
	}
	changes();
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
