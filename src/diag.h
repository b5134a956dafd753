/*
 * diag.h -- the one printer of diagnostics.
 *
 * Every problem found in a book is reported as
 *     path:line:col: error|warning: message [RULE-ID]
 * (line 0 means the whole file).  Messages are collected during a run and
 * printed sorted by path, line and column, so output does not depend on
 * directory order.  The worst level seen gives the exit status: 0 clean or
 * warnings only, 1 errors, 3 system.
 *
 * Callers give columns in characters, from 1.  They are printed in the
 * unit of diag_column_unit(), display cells by default, which needs the
 * text of the line: a book registers itself as the reader of its files
 * (diag_text_from) while it is open.
 */
#ifndef AE_DIAG_H
#define AE_DIAG_H

#include <stdarg.h>
#include <stdio.h>

#include "util.h"

enum diag_level { DIAG_WARNING = 1, DIAG_ERROR = 2, DIAG_SYSTEM = 3 };
enum diag_format { DIAG_TEXT, DIAG_JSON };

/* Exit statuses shared by every command. */
enum { EXIT_CLEAN = 0, EXIT_BAD_RECORDS = 1, EXIT_USAGE = 2, EXIT_SYSTEM = 3 };

void diag_setup(FILE *out, enum diag_format fmt, int color);

/*
 * The unit of printed columns (--column-unit).  DIAG_COL_DISPLAY, the
 * default as in GCC 11 and later: terminal cells, a CJK character two, a
 * tab to the next multiple of 8, a control character two (^X); what Emacs
 * and vim's %v read.  DIAG_COL_CHAR: characters.  DIAG_COL_BYTE: bytes
 * (vim's %c).  A column is converted only when its file can be read;
 * otherwise it stays in characters.
 */
enum diag_unit { DIAG_COL_DISPLAY, DIAG_COL_CHAR, DIAG_COL_BYTE };
void diag_column_unit(enum diag_unit unit);
/* "display", "char" or "byte" into *out: 0, or -1 for any other name. */
int diag_unit_parse(const char *name, enum diag_unit *out);

/*
 * read(ctx, path, out) appends the text of path to out and returns 0 (or
 * non-zero if it cannot).  Diagnostics given from now on are converted
 * through it, until diag_text_done(ctx): the reader's files are read then
 * (or at diag_flush(), if earlier), once per file, and only when a column
 * needs it.  Registrations nest (a book opened while another is).
 */
struct strbuf;
typedef int diag_read_fn(void *ctx, const char *path, struct strbuf *out);
/* read NULL: the columns given until diag_text_done(ctx) are not columns
 * of a line of text (a spreadsheet's cells): printed as given. */
void diag_text_from(diag_read_fn *read, void *ctx);
/* Convert what ctx's reader has to, and forget it; no-op if unknown. */
void diag_text_done(void *ctx);

void diag_at(enum diag_level level, const char *path, int line, int col,
	     const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* diag_at for wrappers that take their own format and arguments. */
void diag_vat(enum diag_level level, const char *path, int line, int col,
	      const char *rule, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));
/* diag_vat() of a place whose line is printable ASCII up to col (a
 * record's value: record.h RVAL_PLAIN): its column is the same in every
 * unit, so its file is not read again to convert it. */
void diag_vat_plain(enum diag_level level, const char *path, int line, int col,
		    const char *rule, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

/*
 * Threads (pool.h).  diag_capture(&batch) makes the diagnostics this
 * thread gives from now on go into *batch (made on the first one; NULL
 * before), not into the run's list, until diag_capture(NULL); while it
 * lasts, diag_count() counts the run's and the batch's.  The caller later
 * appends the batches to the run's list on one thread, in the order one
 * thread would have given them: diag_commit(batch, keep) appends its first
 * `keep` diagnostics (SIZE_MAX: all) and frees the batch (NULL: nothing).
 * So the output does not depend on how many threads read the book.
 * diag_only(), diag_text_from() and the rest must not change while
 * threads capture.
 */
struct diag_batch;
void diag_capture(struct diag_batch **into);
void diag_commit(struct diag_batch *b, size_t keep);
size_t diag_batch_size(const struct diag_batch *b);
struct diag_item;
/* The i-th diagnostic of a batch (i < diag_batch_size()), valid while the batch is. */
void diag_batch_get(const struct diag_batch *b, size_t i, struct diag_item *out);

struct strmap;
/*
 * From now on keep only diagnostics about the paths that are keys of
 * `paths` (NULL: all), for checking part of a book.  Not owned.
 */
void diag_only(const struct strmap *paths);
/* Whether diag_only() is in force (what is given now is not all there is). */
int diag_filtering(void);

/*
 * Drop every diagnostic but DIAG_SYSTEM while muted (nested: each
 * diag_mute(1) undone by a diag_mute(0)), for reading a copy of a file
 * that is not what the user is shown (a side of a merge, say).
 */
void diag_mute(int on);

/* A collected diagnostic, as diag_each() shows it (columns as given). */
struct diag_item {
	const char *path, *rule, *msg;	/* rule may be NULL */
	int line, col;
	enum diag_level level;
};
/*
 * Call fn on each collected diagnostic, in the order they would print;
 * nothing is printed nor forgotten.  For a command that reports them
 * elsewhere (ae import: at the rows of a spreadsheet), then diag_reset().
 */
void diag_each(void (*fn)(void *ctx, const struct diag_item *d), void *ctx);

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
