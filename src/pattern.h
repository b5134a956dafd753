/*
 * pattern.h -- PCRE2 patterns from formats/, ae.ini and the journal
 * grammar.  The only file that compiles PCRE2 patterns.
 *
 * Patterns are compiled with UTF and UCP (so \d, \w and \p{Han} mean what
 * a Chinese user expects) and JIT-compiled when the machine allows.
 * Matches run with a match and depth limit, because patterns come from
 * users' files: a pathological pattern gives an error, not a hang.
 * Subjects must be valid UTF-8 (the book reader checks every file).
 */
#ifndef AE_PATTERN_H
#define AE_PATTERN_H

#include <stddef.h>

struct pattern;

/*
 * Compile src.  On failure return NULL and set *err to a static-or-owned
 * message (a static buffer, valid until the next call) and *errcol to the
 * column in characters (from 1) within src where the problem was found.
 */
struct pattern *pattern_compile(const char *src, const char **err, int *errcol);
void pattern_free(struct pattern *p);
const char *pattern_source(const struct pattern *p);

enum { PM_NOMATCH = 0, PM_MATCH = 1, PM_LIMIT = -1 };

/*
 * Match s[0..n) (unanchored unless the pattern anchors itself).  The match
 * is kept in the pattern until the next call, for pattern_group().
 */
int pattern_match(struct pattern *p, const char *s, size_t n);

/*
 * The text of named group `name` in the last match: returns 1 and sets
 * *start (a pointer into the subject) and *len if the group was set,
 * otherwise 0.  Duplicate names ((?J)) give the one that was set.
 */
int pattern_group(const struct pattern *p, const char *name,
		  const char **start, size_t *len);
/* Whether the pattern has a group of that name. */
int pattern_has_group(const struct pattern *p, const char *name);

/* Byte offset and length of the whole match of the last call. */
void pattern_span(const struct pattern *p, size_t *off, size_t *len);

#endif
