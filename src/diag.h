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

#include "util.h"

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
 * `ret = error(...); goto out;`.  The message is printed as
 * sb_add_visible() shows it, except that a line break before "hint: " or
 * before two spaces is kept: a message may go on with a hint or with
 * indented lines (candidates), and with no other kind of line.
 */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Append s[0..n) to sb with every control character made visible, so that
 * text from the book or from git (a file name, a value, a commit message)
 * cannot move the cursor, recolour or retitle the terminal, or forge a
 * line of output.  TAB, LF and CR become \t, \n and \r; any other C0
 * byte, DEL, each byte of a C1 control (U+0080..U+009F, which some
 * terminals obey) and each byte that is not part of valid UTF-8 become
 * \xHH (ESC is \x1b).  A backslash is left as it is.  ASCII characters
 * listed in keep (such as "\t") pass through unchanged.
 * Used by every text printer of diagnostics and of book text.
 */
void sb_add_visible(struct strbuf *sb, const char *s, size_t n, const char *keep);
/* fputs() through sb_add_visible(), nothing kept. */
void fputs_visible(const char *s, FILE *f);

/* Whether to colour output on f: a terminal, NO_COLOR unset, TERM not dumb. */
int want_color(FILE *f);

#endif
