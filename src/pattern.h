/*
 * pattern.h -- PCRE2 patterns from formats/, ae.ini and the journal
 * grammar.  The only file that compiles PCRE2 patterns.
 *
 * Patterns are compiled with UTF and UCP (so \d, \w and \p{Han} mean what
 * a Chinese user expects) and JIT-compiled when the machine allows.
 * Subjects must be valid UTF-8 (the book reader checks every file).
 *
 * The cost of a match is bounded (SEC-2), because patterns come from the
 * book's own files (formats/, the journal grammar, [numbering]) and a
 * nested quantifier such as (\w+\s?)* takes exponential time on a line it
 * does not match.  Each match first runs with a small step allowance
 * (PATTERN_STEPS_FIRST, some twenty times what an ordinary pattern needs
 * on a long line); only if that runs out is it retried with ten times
 * more, up to PATTERN_STEPS_MAX, and a subject that needs more than that
 * is PM_LIMIT.  Every step beyond the first allowance is charged to the
 * pattern; a pattern whose charges pass PATTERN_BUDGET is dropped for the
 * rest of the run: reported once, at its origin, and every later match is
 * PM_DROPPED without running.  So a run costs at most about
 * PATTERN_STEPS_FIRST steps a subject plus PATTERN_BUDGET a pattern.
 * (PCRE2 also gets a depth and a heap limit, for the interpreter.)
 */
#ifndef AE_PATTERN_H
#define AE_PATTERN_H

#include <stddef.h>
#include <stdint.h>

struct pattern;

/*
 * Compile src.  On failure return NULL and set *err to a static-or-owned
 * message (a static buffer, valid until the next call) and *errcol to the
 * column in characters (from 1) within src where the problem was found.
 */
struct pattern *pattern_compile(const char *src, const char **err, int *errcol);

/*
 * Where the pattern was written (copied), for every diagnostic about its
 * cost; a pattern with no origin is reported as "(pattern)".
 */
void pattern_set_origin(struct pattern *p, const char *path, int line, int col);
/* "path:line" of the pattern's origin, for messages; owned by p. */
const char *pattern_origin(const struct pattern *p);
void pattern_free(struct pattern *p);
const char *pattern_source(const struct pattern *p);

#define PATTERN_STEPS_FIRST 1000
#define PATTERN_STEPS_MAX 1000000
#define PATTERN_BUDGET 4000000

/*
 * PM_LIMIT: this subject needs more than PATTERN_STEPS_MAX; the caller
 * reports it (SEC-2, naming pattern_origin()) as not checked.  PM_DROPPED:
 * the pattern was dropped (already reported once); the caller skips what
 * it would have checked, silently.
 */
enum { PM_NOMATCH = 0, PM_MATCH = 1, PM_LIMIT = -1, PM_DROPPED = -2 };

/*
 * On several threads (pool.h) the budget is not charged: a subject that
 * needs more than PATTERN_STEPS_FIRST makes pattern_match() return
 * PM_LIMIT and pattern_serial_needed() 1, and the caller throws away what
 * its threads did and does the job again on one thread, where the budget
 * is charged in the one order that gives the same diagnostics every run.
 * Cheap patterns, the rule, never need that.
 */
int pattern_serial_needed(void);
void pattern_serial_reset(void);
/* The same on one thread while on is 1 (the parse cache is in use: the
 * files it skips would change where the budget runs out).  Set it only
 * outside pool_run(). */
void pattern_defer_costly(int on);

/*
 * Match s[0..n) (unanchored unless the pattern anchors itself).  The match
 * is kept in the pattern, per thread, until the next call on the same
 * thread, for pattern_group().
 */
int pattern_match(struct pattern *p, const char *s, size_t n);

/*
 * The text of named group `name` in the last match: returns 1 and sets
 * *start (a pointer into the subject) and *len if the group was set,
 * otherwise 0.  Duplicate names ((?J)) give the one that was set.
 */
int pattern_group(const struct pattern *p, const char *name,
		  const char **start, size_t *len);
/* The same by the group's number (pattern_group_id()). */
int pattern_group_at(const struct pattern *p, int id, const char **start, size_t *len);
/* Whether the pattern has a group of that name. */
int pattern_has_group(const struct pattern *p, const char *name);

/*
 * Whether matching a subject again gives the answer it gave and changes
 * nothing: no subject has needed more than the first step allowance
 * (none was charged to the budget) and the pattern is not dropped.  While
 * it is, a caller may keep a match (pattern_save) instead of making it
 * again; once it is not, it matches again as before, so the budget is
 * charged in the same order (SEC-2).  On one thread, outside pool_run().
 */
int pattern_repeatable(const struct pattern *p);
/* The capture groups and the whole match: what pattern_save() writes is
 * 2 * pattern_pairs() offsets. */
unsigned pattern_pairs(const struct pattern *p);
/* The offsets of the last match on this thread into saved (UINT32_MAX
 * for a group that was not set). */
void pattern_save(const struct pattern *p, uint32_t *saved);
/* The named group `name` as a number for pattern_group_saved(), or -1
 * when the pattern has none of that name. */
int pattern_group_id(const struct pattern *p, const char *name);
/* pattern_group() of a match saved from subject, the group by its number. */
int pattern_group_saved(const struct pattern *p, const uint32_t *saved, const char *subject,
			int id, const char **start, size_t *len);

/* Byte offset and length of the whole match of the last call. */
void pattern_span(const struct pattern *p, size_t *off, size_t *len);

#endif
