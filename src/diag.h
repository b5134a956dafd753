/*
 * diag.h -- the one printer of diagnostics.
 *
 * Every problem found in a book is reported as
 *     path:line:col: error|warning: message [RULE-ID]
 * (columns in characters, from 1; line 0 means the whole file).  Messages
 * are collected during a run and printed sorted by path, line and column,
 * so output does not depend on directory order.  The worst level seen
 * gives the exit status: 0 clean or warnings only, 1 errors, 3 system.
 */
#ifndef AE_DIAG_H
#define AE_DIAG_H

#include <stdio.h>

enum diag_level { DIAG_WARNING = 1, DIAG_ERROR = 2, DIAG_SYSTEM = 3 };
enum diag_format { DIAG_TEXT, DIAG_JSON };

/* Exit statuses shared by every command. */
enum { EXIT_CLEAN = 0, EXIT_BAD_RECORDS = 1, EXIT_USAGE = 2, EXIT_SYSTEM = 3 };

void diag_setup(FILE *out, enum diag_format fmt, int color);

void diag_at(enum diag_level level, const char *path, int line, int col,
	     const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

struct strmap;
/*
 * From now on keep only diagnostics about the paths that are keys of
 * `paths` (NULL: all), for checking part of a book.  Not owned.
 */
void diag_only(const struct strmap *paths);

/* Print all collected diagnostics; return the exit status they imply. */
int diag_flush(void);

unsigned diag_count(enum diag_level level);

/* Forget everything collected (tests, fuzzers). */
void diag_reset(void);

/*
 * Immediate messages for the program itself (not about a record), on
 * stderr: "ae: message".  error() returns -1 so an error path reads
 * `ret = error(...); goto out;`.
 */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether to colour output on f: a terminal, NO_COLOR unset, TERM not dumb. */
int want_color(FILE *f);

#endif
