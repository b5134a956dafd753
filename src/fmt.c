/* fmt.c -- see fmt.h */
#include "fmt.h"

#include <string.h>

static const char digits2[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

char *fmt_ulong(char *p, unsigned long v)
{
	char *e = p + 1, *s;

	/* its digits counted first, then written from the last, in place
	 * (not through a buffer and a copy: ae due writes three numbers an
	 * item, by the ten thousand) */
	for (unsigned long t = v; t >= 10; t /= 10)
		e++;
	s = e;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		s -= 2;
		memcpy(s, digits2 + 2 * r, 2);
	}
	if (v >= 10) {
		s -= 2;
		memcpy(s, digits2 + 2 * v, 2);
	} else {
		*--s = (char)('0' + v);
	}
	return e;
}

char *fmt_long(char *p, long v)
{
	if (v >= 0)
		return fmt_ulong(p, (unsigned long)v);
	*p++ = '-';
	/* -LONG_MIN overflows a long, not an unsigned long */
	return fmt_ulong(p, 0UL - (unsigned long)v);
}

char *fmt_2d(char *p, unsigned v)
{
	memcpy(p, digits2 + 2 * v, 2);
	return p + 2;
}

char *fmt_zpad(char *p, unsigned v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

char *fmt_hex16(char *p, unsigned long long v)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 15; i >= 0; i--) {
		p[i] = hex[v & 15];
		v >>= 4;
	}
	return p + 16;
}

char *fmt_ymd(char *p, int y, int m, int d)
{
	if (y < 0 || y > 9999 || m < 1 || m > 99 || d < 1 || d > 99)
		return NULL;
	memcpy(p, digits2 + 2 * (y / 100), 2);
	memcpy(p + 2, digits2 + 2 * (y % 100), 2);
	p[4] = '-';
	memcpy(p + 5, digits2 + 2 * m, 2);
	p[7] = '-';
	memcpy(p + 8, digits2 + 2 * d, 2);
	return p + 10;
}

void fmt_addlong(struct strbuf *sb, long v)
{
	/* a long is at most 20 characters with its sign */
	if (sb->len + 21 > sb->alloc)
		sb_grow(sb, 21);
	sb->len = (size_t)(fmt_long(sb->buf + sb->len, v) - sb->buf);
	sb->buf[sb->len] = '\0';
}
