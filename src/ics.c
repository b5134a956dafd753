/* ics.c -- see ics.h */
#include "ics.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "fmt.h"
#include "tz.h"

/* The octets of the character a byte starts, as the folding counts them:
 * a continuation byte alone is one */
static const unsigned char unit_len[256] = {
	[0x00 ... 0xBF] = 1, [0xC0 ... 0xDF] = 2, [0xE0 ... 0xEF] = 3, [0xF0 ... 0xFF] = 4,
};

/* Whether any of the 8 bytes of x is a control character or, with
 * escape, \\ ; or , (the "has less than" and "has zero byte" tests of bit
 * twiddling, exact for "any") */
static int special8(uint64_t x, int escape)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t a = x ^ (ones * '\\'), b = x ^ (ones * ';'), c = x ^ (ones * ','), r;

	r = (x - ones * 0x20) & ~x;
	if (escape)
		r |= ((a - ones) & ~a) | ((b - ones) & ~b) | ((c - ones) & ~c);
	return (r & high) != 0;
}

void ics_line(struct strbuf *out, const char *name, const char *value, int escape)
{
	size_t nn = strlen(name), vn = strlen(value), len, i, seg = 0;
	char small[512], *line = nn + 1 + 2 * vn <= sizeof(small) ? small : xmalloc(nn + 1 + 2 * vn);
	char *p = line;

	/* the line escaped (each byte at most two) */
	memcpy(p, name, nn);
	p += nn;
	*p++ = ':';
	for (const unsigned char *s = (const unsigned char *)value, *e = s + vn; s < e; s++) {
		unsigned char c;
		uint64_t x;
#ifdef __SSE2__
		/* sixteen bytes that stand for themselves at a time: the store
		 * of a block with one to escape is within the line's room (two
		 * octets a byte of the rest), the copy stops before it */
		while (e - s >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)s);
			__m128i sp = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
			unsigned mask;
			if (escape)
				sp = _mm_or_si128(sp, _mm_or_si128(
					_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
					_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(';')),
						     _mm_cmpeq_epi8(v, _mm_set1_epi8(',')))));
			mask = (unsigned)_mm_movemask_epi8(sp);
			_mm_storeu_si128((__m128i *)p, v);
			if (mask) {
				unsigned k = (unsigned)__builtin_ctz(mask);
				p += k;
				s += k;
				break;
			}
			p += 16;
			s += 16;
		}
#endif
		/* eight bytes that stand for themselves at a time */
		while (e - s >= 8 && (memcpy(&x, s, 8), !special8(x, escape))) {
			memcpy(p, s, 8);
			p += 8;
			s += 8;
		}
		if (s == e)
			break;
		c = *s;
		if (escape && (c == '\\' || c == ';' || c == ',')) {
			*p++ = '\\';
			*p++ = (char)c;
		} else if (escape && c == '\n') {
			*p++ = '\\';
			*p++ = 'n';
		} else if (c < 0x20) {
			/* control characters (CR too) are not allowed in a content line */
			*p++ = ' ';
		} else {
			*p++ = (char)c;
		}
	}
	len = (size_t)(p - line);
	/* folded at 75 octets before a character that would pass them (a
	 * line of 75 or fewer never is): the runs between folds copied whole.
	 * room: the octets the output line has left at seg (75, then 74
	 * after the fold's blank); while the rest passes it, the characters
	 * that fit are stepped over, and the fold goes before the first that
	 * does not (a last character cut short by the end, as passing it
	 * does, counts as what is left) */
	for (size_t room = 75; len - seg > room; room = 74) {
		size_t lim = seg + room;
		for (i = seg; i + unit_len[(unsigned char)line[i]] <= lim;)
			i += unit_len[(unsigned char)line[i]];
		sb_add(out, line + seg, i - seg);
		sb_add(out, "\r\n ", 3);
		seg = i;
	}
	sb_grow(out, len - seg + 2);
	memcpy(out->buf + out->len, line + seg, len - seg);
	out->len += len - seg;
	memcpy(out->buf + out->len, "\r\n", 3);	/* and the NUL */
	out->len += 2;
	if (line != small)
		free(line);
}

void ics_utc(char *buf, size_t size, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) && size >= 17 && tm.tm_year + 1900 >= 1000 &&
	    tm.tm_year + 1900 <= 9999) {
		/* strftime's "%Y%m%dT%H%M%SZ" */
		char *p = fmt_zpad(buf, (unsigned)(tm.tm_year + 1900), 4);
		p = fmt_2d(p, (unsigned)tm.tm_mon + 1);
		p = fmt_2d(p, (unsigned)tm.tm_mday);
		*p++ = 'T';
		p = fmt_2d(p, (unsigned)tm.tm_hour);
		p = fmt_2d(p, (unsigned)tm.tm_min);
		p = fmt_2d(p, (unsigned)tm.tm_sec);
		memcpy(p, "Z", 2);
		return;
	}
	strftime(buf, size, "%Y%m%dT%H%M%SZ", &tm);
}

void ics_local(char *buf, size_t size, moment_t m)
{
	long days = m >= 0 ? m / 1440 : -((-m + 1439) / 1440);
	int minute = (int)(m - days * 1440), y, mo, d;

	civil_from_days((int)days, &y, &mo, &d);
	if (size >= 16 && y >= 0 && y <= 9999) {
		/* "%04d%02d%02dT%02d%02d00" */
		char *p = fmt_zpad(buf, (unsigned)y, 4);
		p = fmt_2d(p, (unsigned)mo);
		p = fmt_2d(p, (unsigned)d);
		*p++ = 'T';
		p = fmt_2d(p, (unsigned)(minute / 60));
		p = fmt_2d(p, (unsigned)(minute % 60));
		memcpy(p, "00", 3);
		return;
	}
	snprintf(buf, size, "%04d%02d%02dT%02d%02d00", y, mo, d, minute / 60, minute % 60);
}

int ics_zone_is_utc(const char *tz)
{
	return !strcmp(tz, "UTC") || !strcmp(tz, "Etc/UTC") || !strcmp(tz, "Etc/Zulu") ||
	       !strcmp(tz, "Zulu") || !strcmp(tz, "Universal") || !strcmp(tz, "Etc/Universal");
}

static void offset(char *buf, size_t size, long off)
{
	long a = off < 0 ? -off : off;

	if (a % 60)
		snprintf(buf, size, "%c%02ld%02ld%02ld", off < 0 ? '-' : '+', a / 3600, a / 60 % 60, a % 60);
	else
		snprintf(buf, size, "%c%02ld%02ld", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

static void observance(struct strbuf *out, const struct tz_change *c, moment_t local)
{
	char buf[32];
	const char *kind = c->dst ? "DAYLIGHT" : "STANDARD";

	sb_addf(out, "BEGIN:%s\r\n", kind);
	ics_local(buf, sizeof(buf), local);
	ics_line(out, "DTSTART", buf, 0);
	offset(buf, sizeof(buf), c->from);
	ics_line(out, "TZOFFSETFROM", buf, 0);
	offset(buf, sizeof(buf), c->to);
	ics_line(out, "TZOFFSETTO", buf, 0);
	if (*c->name)
		ics_line(out, "TZNAME", c->name, 1);
	sb_addf(out, "END:%s\r\n", kind);
}

void ics_vtimezone(struct strbuf *out, const char *tz, int first, int last)
{
	moment_t m0 = (moment_t)days_from_civil(first, 1, 1) * 1440;
	moment_t m1 = (moment_t)days_from_civil(last + 1, 1, 1) * 1440;
	time_t t0 = tz_to_utc(tz, m0), t1 = tz_to_utc(tz, m1);
	struct tz_change start, *v;
	size_t n = tz_changes(tz, t0, t1, &start, &v);

	sb_addstr(out, "BEGIN:VTIMEZONE\r\n");
	ics_line(out, "TZID", tz, 0);
	observance(out, &start, m0);
	for (size_t i = 0; i < n; i++)
		/* an observance starts at the local time of the offset before it */
		observance(out, &v[i], (moment_t)((v[i].at + v[i].from) / 60));
	sb_addstr(out, "END:VTIMEZONE\r\n");
	free(v);
}

void ics_datetime(struct strbuf *out, const char *name, const char *tz, moment_t m)
{
	char buf[32], small[128], *param;

	if (ics_zone_is_utc(tz)) {
		ics_utc(buf, sizeof(buf), tz_to_utc(tz, m));
		ics_line(out, name, buf, 0);
		return;
	}
	ics_local(buf, sizeof(buf), m);
	if (strlen(name) + strlen(tz) < sizeof(small) - 7) {
		/* "%s;TZID=%s" */
		size_t n = strlen(name);
		memcpy(small, name, n);
		memcpy(small + n, ";TZID=", 6);
		strcpy(small + n + 6, tz);
		ics_line(out, small, buf, 0);
		return;
	}
	param = xasprintf("%s;TZID=%s", name, tz);
	ics_line(out, param, buf, 0);
	free(param);
}
