/* textfile.c -- see textfile.h */
#include "textfile.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "diag.h"
#include "merge_conflict.h"
#include "pool.h"
#include "utf8.h"

void text_position(const char *buf, size_t off, int *line, int *col)
{
	int l = 1;
	size_t start = 0;

	for (size_t i = 0; i < off; i++)
		if (buf[i] == '\n') {
			l++;
			start = i + 1;
		}
	*line = l;
	/* bytes before off on this line may themselves be invalid: count
	 * lead bytes only, which is what a character count means here */
	*col = (int)utf8_count(buf + start, off - start) + 1;
}

/* Whether the word holds a byte below 0x20, a DEL or a 0xC2 (SWAR). */
static int word_suspect(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t del = w ^ (0x7FULL * ones), c2 = w ^ (0xC2ULL * ones);

	return ((((w - 0x20 * ones) & ~w) | ((del - ones) & ~del) | ((c2 - ones) & ~c2)) & highs) != 0;
}

#ifdef __SSE2__
/* The first of the 16 bytes at p that is a control other than tab and
 * newline, a DEL or a 0xC2, as a bit mask (0: none).  Newlines pass, so
 * a line's end does not leave the fast path as the word test does. */
static unsigned block_suspect(const char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i ge20 = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x20)), x);
	__m128i ok = _mm_or_si128(ge20, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')),
						     _mm_cmpeq_epi8(x, _mm_set1_epi8('\t'))));
	__m128i odd = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F)),
				   _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xC2)));

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(odd, _mm_xor_si128(ok, _mm_set1_epi8(-1))));
}
#endif

size_t text_control_at(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c;

#ifdef __SSE2__
		/* most of a record is printable text and newlines: sixteen
		 * bytes at a time */
		while (i + 16 <= len) {
			unsigned m = block_suspect(buf + i);
			if (m) {
				i += (size_t)__builtin_ctz(m);
				break;
			}
			i += 16;
		}
#endif
		/* the tail (or without SSE2, all of it): eight bytes at a time
		 * (each line's newline takes the slow path for its word) */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, buf + i, 8);
			if (word_suspect(w))
				break;
			i += 8;
		}
		if (i >= len)
			break;
		c = (unsigned char)buf[i];

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

static int is_marker(const char *s, size_t n, char c, int needs_space)
{
	if (n < 7)
		return 0;
	for (int i = 0; i < 7; i++)
		if (s[i] != c)
			return 0;
	if (n == 7 || s[7] == '\n' || s[7] == '\r')
		return 1;
	return needs_space && s[7] == ' ';
}

static int conflict_markers(const char *path, const char *buf, size_t len)
{
	int found = 0, line = 1;
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n >= 7 && (is_marker(p, n, '<', 1) || is_marker(p, n, '>', 1) ||
			       is_marker(p, n, '|', 1) || is_marker(p, n, '=', 0))) {
			diag_at(DIAG_ERROR, path, line, 1, "USE-3",
				"leftover merge-conflict marker '%.7s': resolve the conflict and remove the markers",
				p);
			found++;
		}
		line++;
		p = nl ? nl + 1 : end;
	}
	return found;
}

int text_name_clean(const char *p, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (word_suspect(w))
			return 0;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c < 0x20 || c == 0x7F || c == 0xC2)
			return 0;
	}
	return 1;
}

int text_name_ok(const char *path)
{
	size_t n = strlen(path), bad;

	/* a hundred thousand names a run: eight bytes at a time, the byte
	 * by byte search below only for a name with a suspect byte */
	if (text_name_clean(path, n))
		return 1;
	bad = text_control_at(path, n);

	if (bad == n)	/* the first tab or line end, which a text may hold */
		bad = strcspn(path, "\t\n\r");
	if (bad == n)
		return 1;
	diag_at(DIAG_ERROR, path, 0, 0, "USE-1",
		"a file name with a control character (U+%04X) in it: not read; rename the file",
		(unsigned char)path[bad] == 0xC2 ? (unsigned char)path[bad + 1] : (unsigned char)path[bad]);
	return 0;
}

int text_load(struct source *src, const char *path, size_t limit,
	      int allow_empty, struct strbuf *out)
{
	const char *msg;
	size_t bad;
	const char *nul;
	int line, col;
	enum source_read_status st;

	if (!src->threads_ok)
		pool_lock();
	st = src->read(src, path, limit, out, &msg);
	if (!src->threads_ok)
		pool_unlock();
	switch (st) {
	case SRC_OK:
		break;
	case SRC_MISSING:
		return 1;
	case SRC_LINK:
		return -1;	/* reported by the source, once per link */
	case SRC_NOT_REGULAR:
		diag_at(DIAG_ERROR, path, 0, 0, "USE-1",
			"not a regular file (a folder or device); a record must be a plain file");
		return -1;
	case SRC_TOO_BIG:
		diag_at(DIAG_ERROR, path, 0, 0, "USE-1",
			"file is larger than %zu bytes; a record this big is almost certainly not one (split it, or raise max_file_bytes in ae.ini)",
			limit);
		return -1;
	case SRC_ERROR:
		diag_at(DIAG_SYSTEM, path, 0, 0, NULL, "unable to read: %s",
			msg ? msg : "error");
		return -1;
	}
	if (out->len == 0 || (out->len == 3 && !memcmp(out->buf, "\xEF\xBB\xBF", 3))) {
		if (allow_empty)
			return 0;
		diag_at(DIAG_ERROR, path, 0, 0, "USE-1",
			"file is empty; a record needs its kind section and fields (or delete the file)");
		return -1;
	}
	nul = memchr(out->buf, '\0', out->len);
	if (nul) {
		text_position(out->buf, (size_t)(nul - out->buf), &line, &col);
		diag_at(DIAG_ERROR, path, line, col, "USE-1",
			"NUL byte in a text file; is this a binary file (a Word document, a spreadsheet)? records are plain UTF-8 text");
		return -1;
	}
	bad = utf8_invalid_at(out->buf, out->len);
	if (bad < out->len) {
		text_position(out->buf, bad, &line, &col);
		diag_at(DIAG_ERROR, path, line, col, "USE-1",
			"invalid UTF-8 (byte 0x%02X); the file may be in GBK: convert it with 'iconv -f GBK -t UTF-8 %s > %s.new && mv %s.new %s'",
			(unsigned char)out->buf[bad], path, path, path, path);
		return -1;
	}
	bad = text_control_at(out->buf, out->len);
	if (bad < out->len) {
		unsigned cp = (unsigned char)out->buf[bad];
		if (cp == 0xC2)
			cp = (unsigned char)out->buf[bad + 1];
		text_position(out->buf, bad, &line, &col);
		diag_at(DIAG_ERROR, path, line, col, "USE-1",
			"control character U+%04X in a text file; records are plain text, and a control character could rewrite the terminal that shows it: delete it",
			cp);
		return -1;
	}
	if (conflict_report(path, out->buf, out->len) || conflict_markers(path, out->buf, out->len))
		return -1;
	return 0;
}
