/* utf8.c -- see utf8.h */
#include "utf8.h"

#include <stdint.h>
#include <strings.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>

/*
 * Four three-byte characters at s (sixteen bytes readable), each with a
 * lead byte E1..EC or EE..EF (no overlong form or surrogate possible
 * after these), tested at once: 1 or 0.  Most of a Chinese line.
 */
static int four_cjk(const unsigned char *s)
{
	const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
	const __m128i top = _mm_setr_epi8((char)0xF0, (char)0xC0, (char)0xC0, (char)0xF0, (char)0xC0,
					  (char)0xC0, (char)0xF0, (char)0xC0, (char)0xC0, (char)0xF0,
					  (char)0xC0, (char)0xC0, 0, 0, 0, 0);
	const __m128i want = _mm_setr_epi8((char)0xE0, (char)0x80, (char)0x80, (char)0xE0, (char)0x80,
					   (char)0x80, (char)0xE0, (char)0x80, (char)0x80, (char)0xE0,
					   (char)0x80, (char)0x80, 0, 0, 0, 0);
	const __m128i leads = _mm_setr_epi8(-1, 0, 0, -1, 0, 0, -1, 0, 0, -1, 0, 0, 0, 0, 0, 0);
	__m128i shape = _mm_cmpeq_epi8(_mm_and_si128(v, top), want);
	__m128i odd = _mm_and_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)),
						 _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED))),
				    leads);

	return _mm_movemask_epi8(shape) == 0xFFFF && !_mm_movemask_epi8(odd);
}
#endif

size_t utf8_invalid_at(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t len;
		unsigned cp, min;

		if (c < 0x80) {
			/* runs of ASCII a word at a time */
			i++;
			while (i + 8 <= n) {
				uint64_t w;
				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080ULL)
					break;
				i += 8;
			}
			continue;
		}
#ifdef __SSE2__
		if (c >= 0xE1 && i + 16 <= n && four_cjk(s + i)) {
			i += 12;
			while (i + 16 <= n && four_cjk(s + i))
				i += 12;
			continue;
		}
#endif
		if (c >= 0xE1 && c <= 0xEF && c != 0xED && n - i >= 3 && (s[i + 1] & 0xC0) == 0x80 &&
		    (s[i + 2] & 0xC0) == 0x80) {
			/* most of Chinese text: three bytes, no overlong form or
			 * surrogate possible after these lead bytes */
			i += 3;
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

unsigned utf8_decode(const char *str, int *len)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[0];

	if (c < 0x80) {
		*len = 1;
		return c;
	}
	if (c < 0xE0) {
		*len = 2;
		return ((c & 0x1F) << 6) | (s[1] & 0x3F);
	}
	if (c < 0xF0) {
		*len = 3;
		return ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	}
	*len = 4;
	return ((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) |
	       ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

size_t utf8_count(const char *s, size_t n)
{
	size_t count = 0, i = 0;

	/* eight bytes at a time: a continuation byte is 10xxxxxx */
	for (; i + 8 <= n; i += 8) {
		uint64_t w, cont;
		memcpy(&w, s + i, 8);
		cont = w & ~(w << 1) & 0x8080808080808080ULL;
		count += 8 - (size_t)(((cont >> 7) * 0x0101010101010101ULL) >> 56);
	}
	for (; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

int utf8_cp_width(unsigned cp)
{
	if (cp == 0)
		return 0;
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	/* combining marks and zero-width joiners */
	if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
	    cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) ||	/* Hangul Jamo */
	    (cp >= 0x2E80 && cp <= 0x303E) ||	/* CJK radicals, punctuation */
	    (cp >= 0x3041 && cp <= 0x33FF) ||	/* kana, CJK compat */
	    (cp >= 0x3400 && cp <= 0x4DBF) ||	/* CJK ext A */
	    (cp >= 0x4E00 && cp <= 0x9FFF) ||	/* CJK unified */
	    (cp >= 0xA000 && cp <= 0xA4CF) ||	/* Yi */
	    (cp >= 0xAC00 && cp <= 0xD7A3) ||	/* Hangul syllables */
	    (cp >= 0xF900 && cp <= 0xFAFF) ||	/* CJK compat ideographs */
	    (cp >= 0xFE30 && cp <= 0xFE4F) ||	/* CJK compat forms */
	    (cp >= 0xFF00 && cp <= 0xFF60) ||	/* fullwidth forms */
	    (cp >= 0xFFE0 && cp <= 0xFFE6) ||
	    (cp >= 0x1F300 && cp <= 0x1F64F) ||	/* emoji */
	    (cp >= 0x1F900 && cp <= 0x1F9FF) ||
	    (cp >= 0x20000 && cp <= 0x3FFFD))	/* CJK ext B.. */
		return 2;
	return 1;
}

/* Whether all 8 bytes of x are printable ASCII, 0x20..0x7E: no byte
 * below 0x20, none above 0x7E (the "has less" and "has more" tests of
 * bit twiddling, exact for "any") */
static int printable8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;

	return !((((x - ones * 0x20) & ~x) | ((x + ones * (127 - 0x7E)) | x)) & high);
}

/* The width of the code point at u[i] and its length, as utf8_decode and
 * utf8_cp_width answer: ASCII and U+4E00..U+9FFF (CJK unified) first */
static inline __attribute__((always_inline)) size_t cp_width_at(const unsigned char *u, size_t i,
								size_t *len)
{
	unsigned c = u[i], cp;
	int l;

	if (c < 0x80) {
		*len = 1;
		return c >= 0x20 && c != 0x7F;
	}
	if (c >= 0xE4 && c <= 0xE9) {
		cp = ((c & 0x0F) << 12) | ((u[i + 1] & 0x3Fu) << 6) | (u[i + 2] & 0x3Fu);
		*len = 3;
		return cp >= 0x4E00 ? 2 : (size_t)utf8_cp_width(cp);
	}
	cp = utf8_decode((const char *)u + i, &l);
	*len = (size_t)l;
	return (size_t)utf8_cp_width(cp);
}

size_t utf8_width(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t w = 0, i = 0, len;

	while (i < n) {
		uint64_t x;
		/* eight printable ASCII bytes at once */
		if (u[i] < 0x80 && n - i >= 8 && (memcpy(&x, u + i, 8), printable8(x))) {
			w += 8;
			i += 8;
			continue;
		}
		w += cp_width_at(u, i, &len);
		i += len;
	}
	return w;
}

size_t utf8_prefix_for_width(const char *s, size_t n, size_t cells)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t w = 0, i = 0, len, cw;

	while (i < n) {
		uint64_t x;
		if (u[i] < 0x80 && n - i >= 8 && w + 8 <= cells &&
		    (memcpy(&x, u + i, 8), printable8(x))) {
			w += 8;
			i += 8;
			continue;
		}
		cw = cp_width_at(u, i, &len);
		if (w + cw > cells)
			break;
		w += cw;
		i += len;
	}
	return i;
}

int utf8_is_han(unsigned cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

/* Decode at most max code points of s into cps; -1 if there are more. */
static int decode_all(const char *s, unsigned *cps, int max)
{
	int n = 0;

	while (*s) {
		int len;
		if (n == max)
			return -1;
		cps[n++] = utf8_decode(s, &len);
		s += len;
	}
	return n;
}

/* Levenshtein over code points; with free_ends, b's ends cost nothing. */
static int distance(const char *a, const char *b, int free_ends)
{
	unsigned ca[64], cb[64];
	int la = decode_all(a, ca, 63), lb = decode_all(b, cb, 63);
	int row[64], best_end;

	if (la < 0 || lb < 0)
		return 99;
	for (int j = 0; j <= lb; j++)
		row[j] = free_ends ? 0 : j;
	for (int i = 1; i <= la; i++) {
		int prev = row[0];
		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			int cur = row[j];
			int best = prev + (ca[i - 1] != cb[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	best_end = row[lb];
	for (int j = 0; free_ends && j < lb; j++)
		if (row[j] < best_end)
			best_end = row[j];
	return best_end;
}

int utf8_distance(const char *a, const char *b)
{
	return distance(a, b, 0);
}

int utf8_substring_distance(const char *needle, const char *hay)
{
	return distance(needle, hay, 1);
}

int utf8_has_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	/* both are valid UTF-8: equal bytes up to n end on the same boundary */
	return n <= strlen(s) && !strncasecmp(s, prefix, n) &&
	       ((unsigned char)s[n] & 0xC0) != 0x80;
}
