/*
 * fmt.h -- numbers and a date's digits written as printf writes them,
 * without printf's cost: the writers' hot paths (ae due's 48,000 items
 * on the bench book, the JSON and RFC 3339 times, the reports).  Each
 * writes exactly the bytes its printf equivalent writes.  Whole dates
 * and moments are date.c's format_date() and format_moment().
 *
 * The char * functions write at p (no NUL) and return the end; the fmt_add*
 * ones append to a strbuf.
 */
#ifndef AE_FMT_H
#define AE_FMT_H

#include <string.h>

#include "date.h"
#include "util.h"

/* Append s[0..n) to sb: sb_add, inlined where n is a constant. */
static inline void fmt_put(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->alloc)
		sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/* Append the literal string s (an array, not a pointer) to sb. */
#define SB_LIT(sb, s) fmt_put((sb), (s), sizeof(s) - 1)

/* "%lu" and "%ld": at most 20 bytes. */
char *fmt_ulong(char *p, unsigned long v);
char *fmt_long(char *p, long v);
/* "%02u" of v < 100. */
char *fmt_2d(char *p, unsigned v);
/* "%0*u" of v < 10^width, width 1..9. */
char *fmt_zpad(char *p, unsigned v, int width);
/* "%016llx": 16 bytes. */
char *fmt_hex16(char *p, unsigned long long v);
/* format_date()'s 10 bytes "YYYY-MM-DD"; 0 (nothing written) for a year
 * outside 0..9999, whose text is format_date's own. */
char *fmt_ymd(char *p, int y, int m, int d);

/* "%ld" appended. */
void fmt_addlong(struct strbuf *sb, long v);

#endif
