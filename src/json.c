/* json.c -- see json.h */
#include "json.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "fmt.h"
#include "tz.h"

/* 1: the byte stands for itself inside a JSON string (every byte from
 * 0x20 up but " and \, UTF-8's bytes included). */
static const unsigned char plain[256] = {
	[0x20] = 1, 1, 0 /* " */, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 /* \ */, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x80 ... 0xff] = 1,
};

/* Whether any of the 8 bytes of x is below 0x20, " or \\ (the classic
 * "has a byte less than" and "has a zero byte" tests: exact for "any") */
static int special8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');

	return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & high ? 1 : 0;
}

void json_strn(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	char *o;

	/* room for the quotes and every byte as itself; an escape makes
	 * room for itself and the rest */
	sb_grow(sb, n + 2);
	o = sb->buf + sb->len;
	*o++ = '"';
	for (;;) {
		unsigned char c;
#ifdef __SSE2__
		/* sixteen plain bytes at a time while there are sixteen: a
		 * byte to escape is one at most 0x1f, '"' or '\\'; the first
		 * of them ends the run */
		while (end - p >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)p);
			__m128i sp = _mm_or_si128(
				_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x),
				_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
					     _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
			unsigned mask = (unsigned)_mm_movemask_epi8(sp);
			_mm_storeu_si128((__m128i *)o, x);
			if (mask) {
				unsigned k = (unsigned)__builtin_ctz(mask);
				o += k;
				p += k;
				break;
			}
			o += 16;
			p += 16;
		}
		/* the last few, by the sixteen that end the string: those
		 * before p were copied as themselves if none is special */
		if (p < end && end - (const unsigned char *)s >= 16 && end - p < 16) {
			const unsigned char *q = end - 16;
			__m128i x = _mm_loadu_si128((const __m128i *)q);
			__m128i sp = _mm_or_si128(
				_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x),
				_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
					     _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
			if (!_mm_movemask_epi8(sp)) {
				_mm_storeu_si128((__m128i *)(o - (p - q)), x);
				o += end - p;
				p = end;
				break;
			}
		}
#endif
		/* eight plain bytes at a time, then one at a time up to the
		 * next byte to escape or the end */
		while (end - p >= 8) {
			uint64_t x;
			memcpy(&x, p, 8);
			if (special8(x))
				break;
			memcpy(o, p, 8);
			o += 8;
			p += 8;
		}
		while (p < end && plain[*p])
			*o++ = (char)*p++;
		if (p == end)
			break;
		c = *p++;
		sb->len = (size_t)(o - sb->buf);
		sb_grow(sb, 6 + (size_t)(end - p) + 1);
		o = sb->buf + sb->len;
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			/* "\\u%04x" of a control character */
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = (char)('0' + (c >> 4));
			*o++ = "0123456789abcdef"[c & 15];
		}
	}
	*o++ = '"';
	*o = '\0';
	sb->len = (size_t)(o - sb->buf);
}

void json_str(struct strbuf *sb, const char *s)
{
	if (!s)
		SB_LIT(sb, "null");
	else
		json_strn(sb, s, strlen(s));
}

void csv_field(struct strbuf *sb, const char *s)
{
	size_t n;

	if (!s)
		s = "";
	n = strcspn(s, ",\"\r\n");
	if (!s[n]) {
		fmt_put(sb, s, n);
		return;
	}
	sb_addch(sb, '"');
	for (const char *q; (q = strchr(s, '"')); s = q + 1) {
		sb_add(sb, s, (size_t)(q - s) + 1);	/* up to the quote */
		sb_addch(sb, '"');			/* doubled */
	}
	sb_addstr(sb, s);
	sb_addch(sb, '"');
}

void json_moment(struct strbuf *sb, const char *tz, moment_t m)
{
	char buf[40];
	size_t n;

	/* digits, '-', ':', 'T' and '+': nothing to escape */
	tz_rfc3339_moment(buf, sizeof(buf), tz, m);
	n = strlen(buf);
	sb_grow(sb, n + 2);
	sb->buf[sb->len++] = '"';
	memcpy(sb->buf + sb->len, buf, n);
	sb->len += n;
	sb->buf[sb->len++] = '"';
	sb->buf[sb->len] = '\0';
}

void csv_start(struct strbuf *sb, int bom)
{
	/* the mark is how Excel knows the file is UTF-8 and not the ANSI
	 * code page (GBK on a Chinese Windows) */
	if (bom)
		sb_addstr(sb, "\xEF\xBB\xBF");
}

void csv_end_row(struct strbuf *sb)
{
	SB_LIT(sb, "\r\n");
}
