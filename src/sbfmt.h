/*
 * sbfmt.h -- printf into a strbuf without stdio, for the hot paths that
 * format one line per item by the ten thousand ('ae due': the text of
 * every deadline).  glibc's vsnprintf costs about a thousand instructions
 * a call before it writes a byte.
 *
 * The conversions ae's item texts use are done here, byte for byte as
 * glibc prints them: %s (a NULL as "(null)"), %c, %d %i %u %x with the
 * h, hh, l, ll, z, j and t lengths, the flags '-' and '0', a width in
 * digits and a string's precision (digits or '*'), and %%.  Any other
 * conversion or flag in the format (%g, %.1f, '+', a width from the
 * arguments, an integer's precision...) hands the whole format to
 * vsnprintf, so the output is always printf's.
 */
#ifndef AE_SBFMT_H
#define AE_SBFMT_H

#include <stdarg.h>
#include <stddef.h>

#include "util.h"

void sbfmt_add(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbfmt_vadd(struct strbuf *sb, const char *fmt, va_list ap);
/* snprintf(buf, size, fmt, ...) by the same means: truncated to size - 1
 * bytes and terminated; the length of the whole text. */
int sbfmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* snprintf(buf, size, "%s%s...", ...) of the strings up to a NULL: the
 * keys of the due items, put together by the ten thousand. */
int sbfmt_join(char *buf, size_t size, ...) __attribute__((sentinel));

#endif
