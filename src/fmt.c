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

/* "%02x" of every byte: a byte's two digits a lookup (ae due writes a
 * uid an item) */
static const char hex2[513] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

char *fmt_hex16(char *p, unsigned long long v)
{
	for (int i = 7; i >= 0; i--) {
		memcpy(p + 2 * i, hex2 + 2 * (v & 0xFF), 2);
		v >>= 8;
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
