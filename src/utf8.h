/*
 * utf8.h -- UTF-8 validation, character counts and display widths.
 *
 * Columns in diagnostics count characters (code points) from 1, so a
 * Chinese line points at the right place.  Widths are terminal cells:
 * CJK ideographs, fullwidth forms and Hangul take two.
 */
#ifndef AE_UTF8_H
#define AE_UTF8_H

#include <stddef.h>

/* Byte offset of the first invalid sequence in s[0..n), or n if valid. */
size_t utf8_invalid_at(const char *s, size_t n);

/* Decode one code point at s (valid UTF-8 assumed); *len gets its bytes. */
unsigned utf8_decode(const char *s, int *len);

/* Characters in s[0..n) (valid UTF-8 assumed). */
size_t utf8_count(const char *s, size_t n);

/* Terminal cells of one code point / of s[0..n). */
int utf8_cp_width(unsigned cp);
size_t utf8_width(const char *s, size_t n);

/* Byte length of the longest prefix of s[0..n) at most `cells` wide. */
size_t utf8_prefix_for_width(const char *s, size_t n, size_t cells);

/*
 * Levenshtein distance between a and b counted in characters (code
 * points), so that one Chinese character mistyped is one edit, not three
 * bytes; capped at 99 for strings of more than 63 characters.  For the
 * "did you mean" hints over names.
 */
int utf8_distance(const char *a, const char *b);

/*
 * The fewest edits that make needle a substring of hay (approximate
 * substring matching, Sellers), in characters; 99 as above.  "可口乐" is
 * one edit from a part of "上海可口可乐饮料有限公司".
 */
int utf8_substring_distance(const char *needle, const char *hay);

/*
 * Whether prefix is a prefix of s ignoring ASCII case, in whole
 * characters (a prefix never ends inside a character).
 */
int utf8_has_prefix(const char *s, const char *prefix);

/* True if cp is a Han ideograph (for hints about GBK and names). */
int utf8_is_han(unsigned cp);

#endif
