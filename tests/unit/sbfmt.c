/*
 * Unit tests of sbfmt.c (printf without stdio) and of date.c's fast
 * paths (parse_date's day numbers by table, dates formatted by hand):
 * each against what printf and the civil-day formula give, over every
 * conversion the formatter does and the ones it hands to printf, every
 * day of the years the table covers and some beyond.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../src/date.h"
#include "../../src/sbfmt.h"

/* the test hands printf formats it warns about, on purpose */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat-overflow"

static int failures, checks;

static void same(int line, const struct strbuf *got, const char *want)
{
	checks++;
	if (got->len == strlen(want) && !memcmp(got->buf, want, got->len) && !got->buf[got->len])
		return;
	printf("sbfmt.c:%d: got '%s' (%zu bytes), want '%s'\n", line, got->buf, got->len, want);
	failures++;
}

/* sbfmt_add against snprintf, the same format and arguments */
#define SAME(...)                                                       \
	do {                                                            \
		struct strbuf sb_ = STRBUF_INIT;                        \
		char want_[512];                                        \
		sb_addstr(&sb_, "<");                                   \
		snprintf(want_, sizeof(want_), "<" __VA_ARGS__);        \
		sbfmt_add(&sb_, __VA_ARGS__);                           \
		same(__LINE__, &sb_, want_);                            \
		sb_release(&sb_);                                       \
	} while (0)

/* sbfmt_snprintf against snprintf, truncated at every size up to 40 */
#define SAME_SN(...)                                                            \
	do {                                                                    \
		for (size_t size_ = 0; size_ <= 40; size_++) {                  \
			char got_[48], want_[48];                               \
			int gn_, wn_;                                           \
			memset(got_, 'x', sizeof(got_));                        \
			memset(want_, 'x', sizeof(want_));                      \
			gn_ = sbfmt_snprintf(got_, size_, __VA_ARGS__);         \
			wn_ = snprintf(want_, size_, __VA_ARGS__);              \
			checks++;                                               \
			if (gn_ != wn_ || memcmp(got_, want_, sizeof(got_))) {  \
				printf("sbfmt.c:%d: size %zu: got '%.*s' (%d), want '%.*s' (%d)\n", \
				       __LINE__, size_, (int)size_, got_, gn_, (int)size_, want_, wn_); \
				failures++;                                     \
			}                                                       \
		}                                                               \
	} while (0)

static void formats(void)
{
	const char *null = NULL;
	long longs[] = { 0, 1, -1, 9, 10, 99, -100, 123456789L, LONG_MAX, LONG_MIN };
	int ints[] = { 0, 5, -5, 42, -42, 100, INT_MAX, INT_MIN };

	SAME("plain text, no conversion");
	SAME("%s", "");
	SAME("%s %s %s", "发出联络报告", "CS-2611-03", "");
	SAME("%%");
	SAME("100%% %s", "x");
	SAME("%s", null);
	SAME("%.3s|%.6s|%.10s", null, null, null);
	SAME("%.10s", "2026-11-26 09:00");
	SAME("%.*s|", 3, "abcdef");
	SAME("%.*s|", 0, "abcdef");
	SAME("%.*s|", -1, "abcdef");
	SAME("%.*s (%s %s)", 7, "回访客户并记录", "联络报告", "CR-1");
	SAME("%8s|%-8s|%3s|%-3s", "ab", "ab", "abcdef", "abcdef");
	SAME("%c%c%5c%-3c|", 'a', 'Z', 'q', 'r');
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		int v = ints[i];
		SAME("%d|%i|%5d|%-5d|%05d|%02d|%-05d|%1d", v, v, v, v, v, v, v, v);
		SAME("%u|%x|%08x|%hhd|%hd|%hhu|%hu", (unsigned)v, (unsigned)v, (unsigned)v, v, v,
		     (unsigned)v, (unsigned)v);
	}
	for (size_t i = 0; i < sizeof(longs) / sizeof(longs[0]); i++) {
		long v = longs[i];
		SAME("%ld|%02ld|%-4ld|%lu|%lx|%lld|%016llx", v, v, v, (unsigned long)v,
		     (unsigned long)v, (long long)v, (unsigned long long)v);
		SAME("%zu|%zd|%jd|%ju|%td", (size_t)v, (ssize_t)v, (intmax_t)v, (uintmax_t)v,
		     (ptrdiff_t)v);
	}
	SAME("%02d:%02d", 9, 5);
	SAME_SN("DUE-3/%s", "2026-11-23");
	SAME_SN("%s/%s/%s", "DUE-17", "bizplan", "2026-11");
	SAME_SN("DUE-11/%04d-%02d", 2026, 7);
	SAME_SN("%s", "发出联络报告 to a client with a long name");
	SAME_SN("%.1f %g", 2.25, 0.5);
	for (size_t size = 0; size <= 40; size++) {
		char got[48], want[48];
		int gn, wn;
		memset(got, 'x', sizeof(got));
		memset(want, 'x', sizeof(want));
		gn = sbfmt_join(got, size, "DUE-17", "/", "bizplan", "/", "2026-11", "", (char *)NULL);
		wn = snprintf(want, size, "%s/%s/%s", "DUE-17", "bizplan", "2026-11");
		checks++;
		if (gn != wn || memcmp(got, want, sizeof(got))) {
			printf("sbfmt.c:%d: sbfmt_join at size %zu: '%.*s' (%d)\n", __LINE__, size,
			       (int)size, got, gn);
			failures++;
		}
	}
	SAME("%ld.%02ld / %ld.%02ld", 7010L, 0L, 6800L, 0L);
	SAME("%s %d%% %s %s", "reached", 80, "on", "2026-11-24 16:30");
	/* handed to printf: the output is printf's all the same */
	SAME("%.1f %s %g", 2.25, "x", 0.5);
	SAME("%+d % d %#x", 5, 5, 255);
	SAME("%.3d|%*d|%-*d", 7, 4, 7, 4, 7);
	SAME("%2$s %1$s", "a", "b");
	SAME("%e", 1.5);
	SAME("%p", (void *)0);
	{
		/* a format printf refuses (it returns -1): as sb_addf leaves it */
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		sb_addf(&a, "trailing %");
		sbfmt_add(&b, "trailing %");
		checks++;
		if (a.len != b.len || memcmp(a.buf, b.buf, a.len)) {
			printf("sbfmt.c:%d: a bad format not as sb_addf\n", __LINE__);
			failures++;
		}
		sb_release(&a);
		sb_release(&b);
	}
	SAME("%05s", "ab");
	{
		/* an existing buffer is appended to */
		struct strbuf sb = STRBUF_INIT;
		sb_addstr(&sb, "x");
		sbfmt_add(&sb, "%s-%d", "y", 3);
		sbfmt_add(&sb, "%s", "");
		sbfmt_add(&sb, "%s%s", "long enough to grow the buffer past sixty-four bytes ",
			  "and on and on and on");
		same(__LINE__, &sb, "xy-3long enough to grow the buffer past sixty-four bytes and on and on and on");
		sb_release(&sb);
	}
}

/* The civil-day formula (H. Hinnant), as date.c had it. */
static int formula(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void days(void)
{
	/* parse_date's table against the formula, every day of its years */
	for (int y = 1890; y <= 2210; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 0; d <= 32; d++) {
				char s[16];
				int got = -1, ok = y >= 1900 && y <= 2199 && d >= 1 && d <= days_in_month(y, m);
				enum date_status st;
				snprintf(s, sizeof(s), "%04d-%02d-%02d", y, m, d);
				st = parse_date(s, 10, &got);
				checks++;
				if (ok ? st != DATE_OK || got != formula(y, m, d) : st != DATE_RANGE) {
					printf("sbfmt.c: parse_date(%s) = %d (status %d), want %d\n", s, got,
					       (int)st, ok ? formula(y, m, d) : -1);
					failures++;
					return;
				}
				checks++;
				if (days_from_civil(y, m, d) != formula(y, m, d)) {
					printf("sbfmt.c: days_from_civil(%s) = %d\n", s, days_from_civil(y, m, d));
					failures++;
					return;
				}
			}
	/* dates and moments formatted by hand, against snprintf */
	for (int z = formula(-20, 1, 1); z <= formula(10100, 12, 31); z += z > formula(1890, 1, 1) &&
	     z < formula(2210, 1, 1) ? 1 : 97) {
		char got[32], want[32];
		int y, m, d;
		civil_from_days(z, &y, &m, &d);
		snprintf(want, 11, "%04d-%02d-%02d", y, m, d);
		memset(got, 'x', sizeof(got));
		format_date(got, z);
		checks++;
		if (strcmp(got, want)) {
			printf("sbfmt.c: format_date(%d) = '%s', want '%s'\n", z, got, want);
			failures++;
			return;
		}
		format_moment(got, (moment_t)z * 1440 + 1439);
		checks++;
		if (strncmp(got, want, 10) || strcmp(got + 10, " 23:59")) {
			printf("sbfmt.c: format_moment(day %d) = '%s', want '%s 23:59'\n", z, got, want);
			failures++;
			return;
		}
	}
}

int main(void)
{
	formats();
	days();
	printf("%d checks, %d failures\n", checks, failures);
	return failures != 0;
}
