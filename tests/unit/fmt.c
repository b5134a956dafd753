/*
 * Unit tests of the writers' hand-made formatting (fmt.c, json.c's
 * strings, utf8.c's widths, ics.c's content lines and times): each
 * against what it replaced -- printf and strftime, format_date and
 * format_moment, the byte-at-a-time JSON and iCalendar escapers and
 * folder, the width as utf8_decode and utf8_cp_width give it -- byte for
 * byte, over edge values and many random ones.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/date.h"
#include "../../src/fmt.h"
#include "../../src/ics.h"
#include "../../src/json.h"
#include "../../src/utf8.h"
#include "../../src/util.h"

static int failures, checks;

static void expect_str(int line, const char *what, const char *got, size_t gn, const char *want,
		       size_t wn)
{
	checks++;
	if (gn == wn && !memcmp(got, want, gn))
		return;
	printf("fmt.c:%d: %s: got \"%.*s\", want \"%.*s\"\n", line, what, (int)gn, got, (int)wn,
	       want);
	failures++;
}

static unsigned long long rnd_state = 88172645463325252ULL;

static unsigned long long rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void one_long(long v)
{
	char got[32], want[32];
	char *e = fmt_long(got, v);
	int n = snprintf(want, sizeof(want), "%ld", v);
	struct strbuf sb = STRBUF_INIT;

	expect_str(__LINE__, "fmt_long", got, (size_t)(e - got), want, (size_t)n);
	e = fmt_ulong(got, (unsigned long)v);
	n = snprintf(want, sizeof(want), "%lu", (unsigned long)v);
	expect_str(__LINE__, "fmt_ulong", got, (size_t)(e - got), want, (size_t)n);
	sb_addstr(&sb, "x");
	fmt_addlong(&sb, v);
	n = snprintf(want, sizeof(want), "x%ld", v);
	expect_str(__LINE__, "fmt_addlong", sb.buf, strlen(sb.buf), want, (size_t)n);
	sb_release(&sb);
}

static void numbers(void)
{
	static const long edge[] = { 0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65535, 99999,
				     100000, 2147483647L, -1, -9, -10, -99, -100, -2147483648L,
				     LONG_MAX, LONG_MIN, LONG_MAX - 1, LONG_MIN + 1 };

	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		one_long(edge[i]);
	for (long p = 1; p > 0 && p < LONG_MAX / 10; p *= 10) {
		one_long(p - 1);
		one_long(p);
		one_long(-p);
		one_long(-p + 1);
	}
	for (int i = 0; i < 100000; i++) {
		unsigned long long r = rnd();
		one_long((long)(r >> (r & 63)));
	}
	for (int i = 0; i < 20000; i++) {
		unsigned long long r = rnd();
		char got[20], want[24];
		int n;
		fmt_hex16(got, r);
		n = snprintf(want, sizeof(want), "%016llx", r);
		expect_str(__LINE__, "fmt_hex16", got, 16, want, (size_t)n);
		n = snprintf(want, sizeof(want), "%02u", (unsigned)(r % 100));
		expect_str(__LINE__, "fmt_2d", got, (size_t)(fmt_2d(got, (unsigned)(r % 100)) - got),
			   want, (size_t)n);
		for (int w = 1; w <= 9; w++) {
			unsigned v = (unsigned)(r % 1000000000u);
			unsigned lim = 1;
			for (int k = 0; k < w; k++)
				lim *= 10;
			v %= lim;
			n = snprintf(want, sizeof(want), "%0*u", w, v);
			expect_str(__LINE__, "fmt_zpad", got, (size_t)(fmt_zpad(got, v, w) - got), want,
				   (size_t)n);
		}
	}
}

/* date.c's format_date and format_moment as they were, through snprintf */
static void old_format_date(char *buf, int days)
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
}

static void old_format_moment(char *buf, moment_t mo)
{
	long days = mo >= 0 ? mo / 1440 : -((-mo + 1439) / 1440);
	int minute = (int)(mo - days * 1440);

	old_format_date(buf, (int)days);
	buf[10] = ' ';
	buf[11] = (char)('0' + minute / 600);
	buf[12] = (char)('0' + minute / 60 % 10);
	buf[13] = ':';
	buf[14] = (char)('0' + minute % 60 / 10);
	buf[15] = (char)('0' + minute % 10);
	buf[16] = '\0';
}

static void one_moment(moment_t m)
{
	char got[40], want[40];
	long days = m >= 0 ? m / 1440 : -((-m + 1439) / 1440);

	if (days < INT_MIN || days > INT_MAX)
		return;
	memset(got, 'x', sizeof(got));
	memset(want, 'x', sizeof(want));
	old_format_moment(want, m);
	format_moment(got, m);
	expect_str(__LINE__, "format_moment", got, 17, want, 17);
	old_format_date(want, (int)days);
	format_date(got, (int)days);
	expect_str(__LINE__, "format_date", got, 11, want, 11);
}

static void dates(void)
{
	/* every day from 1899 to 2101, and the years format_date cannot
	 * write in four digits: before year 0, after 9999 */
	for (int d = days_from_civil(1899, 1, 1); d <= days_from_civil(2101, 12, 31); d++)
		one_moment((moment_t)d * 1440 + (d % 1440));
	for (int y = -20; y <= 20; y++)
		one_moment((moment_t)days_from_civil(y, 12, 31) * 1440 + 1439);
	for (int y = 9990; y <= 10010; y++)
		one_moment((moment_t)days_from_civil(y, 1, 1) * 1440);
	for (int i = 0; i < 100000; i++)
		one_moment((moment_t)(rnd() % 20000000000ULL) - 10000000000L);
	one_moment(0);
	one_moment(-1);
	one_moment(-1440);
	one_moment(-1441);
}

/* json.c's escaper as it was, a byte at a time */
static void old_json_strn(struct strbuf *sb, const char *s, size_t n)
{
	sb_addch(sb, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': sb_add(sb, "\\\"", 2); break;
		case '\\': sb_add(sb, "\\\\", 2); break;
		case '\n': sb_add(sb, "\\n", 2); break;
		case '\r': sb_add(sb, "\\r", 2); break;
		case '\t': sb_add(sb, "\\t", 2); break;
		default:
			if (c < 0x20)
				sb_addf(sb, "\\u%04x", c);
			else
				sb_addch(sb, c);
		}
	}
	sb_addch(sb, '"');
}

static void old_csv_field(struct strbuf *sb, const char *s)
{
	if (!s)
		s = "";
	if (strpbrk(s, ",\"\r\n")) {
		sb_addch(sb, '"');
		for (; *s; s++) {
			if (*s == '"')
				sb_addch(sb, '"');
			sb_addch(sb, *s);
		}
		sb_addch(sb, '"');
	} else {
		sb_addstr(sb, s);
	}
}

static void one_string(const char *s, size_t n)
{
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;

	sb_addstr(&got, "[");
	sb_addstr(&want, "[");
	json_strn(&got, s, n);
	old_json_strn(&want, s, n);
	expect_str(__LINE__, "json_strn", got.buf, got.len + 1, want.buf, want.len + 1);
	if (!memchr(s, 0, n)) {
		sb_reset(&got);
		sb_reset(&want);
		csv_field(&got, s);
		old_csv_field(&want, s);
		expect_str(__LINE__, "csv_field", got.buf, got.len + 1, want.buf, want.len + 1);
	}
	sb_release(&got);
	sb_release(&want);
}

static void strings(void)
{
	char buf[300];
	struct strbuf sb = STRBUF_INIT;

	/* every byte alone, and every byte in the middle of plain text */
	for (int c = 1; c < 256; c++) {
		buf[0] = (char)c;
		one_string(buf, 1);
		snprintf(buf, sizeof(buf), "ab%ccd\xe4\xb8\xad", c);
		one_string(buf, strlen(buf));
	}
	one_string("", 0);
	one_string("a\0b", 3);
	/* random mixes of plain bytes and the ones escaped */
	for (int i = 0; i < 20000; i++) {
		size_t n = rnd() % 256;
		for (size_t k = 0; k < n; k++) {
			unsigned long long r = rnd();
			buf[k] = (r & 3) ? (char)(0x20 + r % 0x60) : (char)(r >> 8);
			if (!buf[k])
				buf[k] = '"';
		}
		buf[n] = '\0';
		one_string(buf, n);
	}
	/* plain strings of every length up to 48 with one byte to escape at
	 * each place, or none: the sixteen bytes that end a string are
	 * copied at once when none of them is special, those before the
	 * last sixteen-byte step included (json.c) */
	for (size_t n = 0; n <= 48; n++)
		for (size_t at = 0; at <= n; at++) {
			for (size_t k = 0; k < n; k++)
				buf[k] = (char)('a' + k % 26);
			if (at < n)
				buf[at] = "\"\\\n\r\t\001\037"[(n + at) % 7];
			buf[n] = '\0';
			one_string(buf, n);
		}
	/* a long string: the escapes' growth of the buffer */
	for (int i = 0; i < 100000; i++)
		sb_addch(&sb, i % 7 ? 'x' : "\"\\\n\r\t\001\037"[i % 7]);
	for (int i = 0; i < 100000; i++)
		sb_addch(&sb, "\"\\\n\001"[i % 4]);
	one_string(sb.buf, sb.len);
	sb_release(&sb);
	{
		struct strbuf n1 = STRBUF_INIT;
		json_str(&n1, NULL);
		expect_str(__LINE__, "json_str(NULL)", n1.buf, n1.len, "null", 4);
		sb_release(&n1);
	}
}

/* utf8_width as it was: every code point through utf8_decode */
static size_t old_width(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n;) {
		int len;
		unsigned cp = utf8_decode(s + i, &len);
		w += (size_t)utf8_cp_width(cp);
		i += (size_t)len;
	}
	return w;
}

static size_t old_prefix(const char *s, size_t n, size_t cells)
{
	size_t w = 0, i = 0;

	while (i < n) {
		int len;
		unsigned cp = utf8_decode(s + i, &len);
		size_t cw = (size_t)utf8_cp_width(cp);
		if (w + cw > cells)
			break;
		w += cw;
		i += (size_t)len;
	}
	return i;
}

/* utf8_width and utf8_prefix_for_width of s[0..n) against the old ones */
static void one_width(int line, const char *s, size_t n)
{
	checks++;
	if (utf8_width(s, n) != old_width(s, n)) {
		printf("fmt.c:%d: utf8_width(\"%.*s\") = %zu, want %zu\n", line, (int)n, s,
		       utf8_width(s, n), old_width(s, n));
		failures++;
	}
	for (size_t cells = 0; cells <= n * 2 + 1; cells++) {
		checks++;
		if (utf8_prefix_for_width(s, n, cells) != old_prefix(s, n, cells)) {
			printf("fmt.c:%d: utf8_prefix_for_width(\"%.*s\", %zu) = %zu, want %zu\n", line,
			       (int)n, s, cells, utf8_prefix_for_width(s, n, cells),
			       old_prefix(s, n, cells));
			failures++;
		}
	}
}

static void widths(void)
{
	/* zero-padded so that a sequence cut at the end reads NULs, as
	 * every NUL-terminated string does */
	char buf[64 + 8];
	static const char *const samples[] = {
		"", "abc", "张三", "北京广告有限公司", "a\tb\x7f", "Ａ全角", "한국어", "\xe4\xb8",
		"\xe9\xbf\xbf\xe4\x80\x80\xe4\xb7\x80\xe4\xb6\xbf", "😀x", "e\xcc\x81", "…",
	};

	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		one_width(__LINE__, samples[i], strlen(samples[i]));
	for (int i = 0; i < 50000; i++) {
		size_t n = rnd() % 64;
		int kind = (int)(rnd() % 3);
		memset(buf, 0, sizeof(buf));
		for (size_t k = 0; k < n; k++) {
			unsigned long long r = rnd();
			if (kind == 0)	/* lead bytes of every length, CJK's most */
				buf[k] = (r & 1) ? (char)(0xE0 + (r >> 8) % 16) : (char)(r >> 16);
			else if (kind == 1)	/* mostly printable ASCII, a few others */
				buf[k] = (r & 15) ? (char)(0x20 + (r >> 8) % 0x5F) : (char)(r >> 16);
			else	/* ASCII and Chinese in runs */
				buf[k] = (r & 3) ? (char)(0x20 + (r >> 8) % 0x5F) : (char)(0xE4 + (r >> 16) % 6);
		}
		one_width(__LINE__, buf, n);
	}
	/* every code point of the Basic Multilingual Plane, encoded */
	for (unsigned cp = 1; cp < 0x10000; cp++) {
		size_t n;
		if (cp < 0x80) {
			buf[0] = (char)cp;
			n = 1;
		} else if (cp < 0x800) {
			buf[0] = (char)(0xC0 | cp >> 6);
			buf[1] = (char)(0x80 | (cp & 0x3F));
			n = 2;
		} else {
			buf[0] = (char)(0xE0 | cp >> 12);
			buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			buf[2] = (char)(0x80 | (cp & 0x3F));
			n = 3;
		}
		buf[n] = '\0';
		checks++;
		if (utf8_width(buf, n) != old_width(buf, n)) {
			printf("fmt.c:%d: utf8_width of U+%04X: %zu, want %zu\n", __LINE__, cp,
			       utf8_width(buf, n), old_width(buf, n));
			failures++;
		}
	}
}

/* ics_line as it was: escaped into a strbuf a byte at a time, then
 * folded a character at a time */
static void old_ics_line(struct strbuf *out, const char *name, const char *value, int escape)
{
	struct strbuf line = STRBUF_INIT;
	size_t col = 0;

	sb_addstr(&line, name);
	sb_addch(&line, ':');
	for (const char *s = value; *s; s++) {
		if (escape && (*s == '\\' || *s == ';' || *s == ',')) {
			sb_addch(&line, '\\');
			sb_addch(&line, *s);
		} else if (escape && *s == '\n') {
			sb_addstr(&line, "\\n");
		} else if (*s == '\r' || (unsigned char)*s < 0x20) {
			sb_addch(&line, ' ');
		} else {
			sb_addch(&line, *s);
		}
	}
	for (size_t i = 0; i < line.len;) {
		size_t len = 1;
		unsigned char c = (unsigned char)line.buf[i];
		if (c >= 0xF0)
			len = 4;
		else if (c >= 0xE0)
			len = 3;
		else if (c >= 0xC0)
			len = 2;
		if (i + len > line.len)
			len = line.len - i;
		if (col + len > 75) {
			sb_addstr(out, "\r\n ");
			col = 1;
		}
		sb_add(out, line.buf + i, len);
		col += len;
		i += len;
	}
	sb_addstr(out, "\r\n");
	sb_release(&line);
}

static void one_ics(const char *name, const char *value, int escape)
{
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;

	sb_addstr(&got, "x");
	sb_addstr(&want, "x");
	ics_line(&got, name, value, escape);
	old_ics_line(&want, name, value, escape);
	expect_str(__LINE__, "ics_line", got.buf, got.len + 1, want.buf, want.len + 1);
	sb_release(&got);
	sb_release(&want);
}

static void ics(void)
{
	static const char pieces[][8] = { "a", "Z", " ", "\\", ";", ",", "\n", "\r", "\t", "\x7f",
					  "中", "…", "é", "😀", "\xe4", "\x80", "\xf0" };
	char value[1200], name[64];

	for (int i = 0; i < 30000; i++) {
		size_t n = rnd() % (i % 10 ? 120 : 400), k = 0;
		value[0] = '\0';
		for (size_t j = 0; j < n && k + 8 < sizeof(value); j++) {
			const char *p = pieces[rnd() % (sizeof(pieces) / sizeof(pieces[0]))];
			size_t pn = strlen(p);
			memcpy(value + k, p, pn + 1);
			k += pn;
		}
		snprintf(name, sizeof(name), "%s", i % 3 ? "DESCRIPTION" : "DTSTART;TZID=America/Los_Angeles");
		one_ics(name, value, (int)(rnd() & 1));
	}
	one_ics("X", "", 1);
	/* 74, 75, 76 octets, a character across the fold */
	for (int n = 60; n < 90; n++) {
		memset(value, 'a', (size_t)n);
		strcpy(value + n, "中文中文");
		one_ics("SUMMARY", value, 1);
	}
	/* the times */
	for (int i = 0; i < 100000; i++) {
		moment_t m = (moment_t)(rnd() % 20000000000ULL) - 10000000000L;
		time_t t = (time_t)(rnd() % 600000000000ULL) - 300000000000LL;
		char got[64], want[64];
		struct tm tm;
		long days = m >= 0 ? m / 1440 : -((-m + 1439) / 1440);
		int minute = (int)(m - days * 1440), y, mo, d;
		if (i < 1000)
			m = (moment_t)days_from_civil(1990 + i / 20, 1 + i % 12, 1 + i % 28) * 1440 + i;
		if (i < 1000)
			t = 1700000000 + (time_t)i * 86413;
		days = m >= 0 ? m / 1440 : -((-m + 1439) / 1440);
		minute = (int)(m - days * 1440);
		civil_from_days((int)days, &y, &mo, &d);
		snprintf(want, sizeof(want), "%04d%02d%02dT%02d%02d00", y, mo, d, minute / 60, minute % 60);
		ics_local(got, sizeof(got), m);
		expect_str(__LINE__, "ics_local", got, strlen(got) + 1, want, strlen(want) + 1);
		if (!gmtime_r(&t, &tm))
			continue;
		strftime(want, sizeof(want), "%Y%m%dT%H%M%SZ", &tm);
		ics_utc(got, sizeof(got), t);
		expect_str(__LINE__, "ics_utc", got, strlen(got) + 1, want, strlen(want) + 1);
	}
}

/* sb_addf (its own writer for %s %c %d %i %u %ld %li %lu %zu %%, or
 * vsnprintf) against snprintf, embedded NULs and all */
#define CHECKF(...)                                                                \
	do {                                                                       \
		struct strbuf sb_ = STRBUF_INIT;                                   \
		char want_[512];                                                   \
		int n_ = snprintf(want_, sizeof(want_), __VA_ARGS__);              \
		sb_addstr(&sb_, "pre");                                            \
		sb_addf(&sb_, __VA_ARGS__);                                        \
		expect_str(__LINE__, "sb_addf", sb_.buf + 3, sb_.len - 3, want_,  \
			   (size_t)n_);                                            \
		sb_release(&sb_);                                                  \
	} while (0)

static void printfs(void)
{
	static const char *const strs[] = { "", "a", "中文", "100%", "%s", "a\tb" };

	for (int i = 0; i < 20000; i++) {
		unsigned long long r = rnd();
		const char *a = strs[r % 6], *b = strs[(r >> 8) % 6];
		long l = (long)(rnd() >> (r & 63));
		int d = (int)(unsigned)rnd();
		unsigned u = (unsigned)rnd();
		size_t z = (size_t)rnd() >> (r & 31);
		if (r & 1)
			l = -l;
		CHECKF("%s/%s", a, b);
		CHECKF("%s", a);
		CHECKF("x%sy%dz%%%u", a, d, u);
		CHECKF("%ld,%li,%lu", l, l, (unsigned long)l);
		CHECKF("%zu items in %s", z, b);
		CHECKF("%c%c%s", 'a' + (int)(r % 26), (int)(r % 3), a);
		CHECKF("%i|%d", d, -d);
		CHECKF("%02d:%s:%5s:%-3d|%.2s", d % 100, a, b, d % 1000, a);	/* vsnprintf's */
	}
	CHECKF("%d %ld %ld", -2147483647 - 1, LONG_MIN, LONG_MAX);
	{
		const char *volatile none = NULL;	/* glibc's "(null)" */
		CHECKF("%s", none);
	}
	CHECKF("plain");
	CHECKF("%%");
	{
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "%s", "");
		checks++;
		if (!sb.buf || sb.len || sb.buf[0]) {
			printf("fmt.c:%d: sb_addf of \"\" left no empty string\n", __LINE__);
			failures++;
		}
		sb_release(&sb);
	}
}

int main(void)
{
	numbers();
	dates();
	strings();
	widths();
	ics();
	printfs();
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
