/*
 * Unit tests of the word-at-a-time scanners every file of the book goes
 * through (issue 15): text_control_at() (textfile.c: sixteen bytes at a
 * time with SSE2, then eight), utf8_invalid_at() and utf8_count()
 * (utf8.c) skip eight bytes, or a three-byte character, at a time; each
 * must answer exactly what the byte-by-byte rule answers, at every
 * alignment, on random mixes of the bytes that matter (controls, DEL,
 * C1's 0xC2 0x80..0x9F, CR before and not before LF, lead and
 * continuation bytes, overlong forms, surrogates, Chinese text); and
 * runs of three-byte characters with one byte spoiled (utf8.c takes
 * four of them at a time with SSE2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/textfile.h"
#include "../../src/utf8.h"

static size_t control_ref(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\t' || c == '\n')
			continue;
		if (c == '\r' && (i + 1 == len || buf[i + 1] == '\n'))
			continue;
		if (c < 0x20 || c == 0x7F)
			return i;
		if (c == 0xC2 && i + 1 < len && (unsigned char)buf[i + 1] >= 0x80 &&
		    (unsigned char)buf[i + 1] <= 0x9F)
			return i;
	}
	return len;
}

/* characters: bytes that are not continuation bytes */
static size_t count_ref(const char *s, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

/* RFC 3629, one code point at a time */
static size_t utf8_ref(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t i = 0; i < n;) {
		unsigned c = s[i], cp, min;
		size_t len;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2; cp = c & 0x1F; min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3; cp = c & 0x0F; min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else {
			return i;
		}
		if (n - i < len)
			return i;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += len;
	}
	return n;
}

int main(void)
{
	static const unsigned char odd[] = {
		' ', '\n', '\t', '\r', 0x00, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xBF,
		0xC0, 0xC1, 0xC2, 0xC3, 0xDF, 0xE0, 0xE4, 0xED, 0xEE, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF
	};
	static const char *const words[] = { "确认", "本周", "排期", "a", "\r\n", "\xc2\x85", "\xed\xa0\x80", "\xe0\x80\xaf" };
	char buf[240];
	int failures = 0;

	srand(15);
	for (long it = 0; it < 300000 && failures < 10; it++) {
		size_t len = 0, want = (size_t)(rand() % (it % 4 ? 64 : 200));

		while (len < want) {
			int r = rand() % 8;
			if (r < 4) {
				buf[len++] = (char)('a' + rand() % 26);
			} else if (r < 6) {
				buf[len++] = (char)odd[rand() % sizeof(odd)];
			} else {
				const char *w = words[rand() % (sizeof(words) / sizeof(words[0]))];
				size_t n = strlen(w);
				if (len + n > sizeof(buf))
					break;
				memcpy(buf + len, w, n);
				len += n;
			}
		}
		/* every alignment of the same bytes */
		for (size_t off = 0; off < 17 && off < len; off++) {
			size_t a = text_control_at(buf + off, len - off), b = control_ref(buf + off, len - off);
			size_t c = utf8_invalid_at(buf + off, len - off), d = utf8_ref(buf + off, len - off);
			size_t e = utf8_count(buf + off, len - off), f = count_ref(buf + off, len - off);
			if (a != b || c != d || e != f) {
				fprintf(stderr, "textscan: case %ld offset %zu: control %zu (want %zu), utf8 %zu (want %zu), count %zu (want %zu):",
					it, off, a, b, c, d, e, f);
				for (size_t i = off; i < len; i++)
					fprintf(stderr, " %02x", (unsigned char)buf[i]);
				fputc('\n', stderr);
				failures++;
			}
		}
	}
	/* runs of three-byte characters (utf8.c tests four at a time with
	 * SSE2) with one byte of the run, or the one after it, spoiled */
	for (long it = 0; it < 200000 && failures < 10; it++) {
		static const char *const cjk[] = {
			"\xe1\x80\x80", "\xe6\x9c\xac", "\xec\xbf\xbf", "\xee\x80\x80", "\xef\xbf\xbd",
			"\xe0\xa0\x80", "\xed\x9f\xbf",
		};
		size_t len = 0, lead = (size_t)(rand() % 16), run = 1 + (size_t)(rand() % 10), at;
		size_t c, d;

		for (size_t i = 0; i < lead; i++)
			buf[len++] = 'a';
		for (size_t i = 0; i < run; i++) {
			memcpy(buf + len, cjk[rand() % (sizeof(cjk) / sizeof(cjk[0]))], 3);
			len += 3;
		}
		for (int i = 0; i < 20; i++)
			buf[len++] = 'z';
		at = lead + (size_t)(rand() % (int)(3 * run + 1));
		if (rand() % 4)
			buf[at] = (char)odd[rand() % sizeof(odd)];
		c = utf8_invalid_at(buf, len);
		d = utf8_ref(buf, len);
		if (c != d) {
			fprintf(stderr, "textscan: run %ld: utf8 %zu (want %zu):", it, c, d);
			for (size_t i = 0; i < len; i++)
				fprintf(stderr, " %02x", (unsigned char)buf[i]);
			fputc('\n', stderr);
			failures++;
		}
	}
	if (failures)
		return 1;
	printf("textscan: ok\n");
	return 0;
}
