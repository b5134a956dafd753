/*
 * journal.h -- journal/YYYY-MM.log: one activity per line.
 *
 * Lines are split by the grammar in formats/journal.ini (PCRE2) and each
 * is checked like a record: the date and time are real, the staff member
 * and the records named exist, money and hours are well formed, and the
 * date belongs to the file's month.  Entries are kept compact (no notes).
 */
#ifndef AE_JOURNAL_H
#define AE_JOURNAL_H

#include <stdint.h>

#include "date.h"

struct book;
struct strmap;

enum jverb { JV_CALL, JV_VISIT, JV_HOURS, JV_OVERTIME, JV_EXPENSE, JV_ADVANCE,
	     JV_SENT, JV_OTHER };

struct jentry {
	moment_t at;		/* the line's date and time */
	long amount;		/* expense/advance: cents; hours: hundredths;
				 * overtime: the day worked (DUE-8: the span's
				 * date, else the line's); sent holiday: 1 + the
				 * first calendar.holidays[] entry of the holiday
				 * announced, 0 none (DUE-13); sent callback: the
				 * survey's result, 1 satisfied, 2 neutral, 3
				 * unsatisfied, 0 unstated (DUE-11) */
	int rec;		/* index into book.recs of the record named, or -1 */
	int line;
	unsigned short who;	/* the staff member: jentry_who() */
	unsigned short what;	/* sent: weekly, notice ...; expense: category:
				 * jentry_what() */
	unsigned span_start : 11, span_end : 11;	/* overtime: minutes from midnight */
	unsigned verb : 3;	/* enum jverb */
	unsigned important : 1;	/* call marked '!' */
	unsigned spare : 6;	/* zero: the word's every bit named, so that a
				 * whole entry stored is stored, not read first
				 * (a read maps the zero page, the write then
				 * copies it and flushes the other core's TLB) */
};
/* 32 bytes: a ten-year book holds a million of them, each run's fresh
 * memory (its file is found from its place: jentry_file()) */

#define JOURNAL_MAX_STAFF 65535	/* jentry.who's room */
#define JOURNAL_MAX_WHATS 65535	/* jentry.what's */

struct journal {
	struct jentry *v;
	size_t n, alloc;
	size_t lines;		/* activity lines read, good or bad */
	int check_only;		/* check the lines but keep no entries (ae check) */
	const char **files;	/* paths, book arena */
	size_t *file_at;	/* where each file's entries start in v */
	size_t nfiles, alloc_files;
	/* the first image_files files' entries were the parse cache's image
	 * of them, checked: file_sum[i] is file i's checksum of them there
	 * (cache.h: the same sum, the same entries) */
	uint64_t *file_sum;
	size_t image_files;
	const char **whos;	/* jentry.who: the config's staff IDs */
	const char **whats;	/* jentry.what: NULL, ae's words, then the
				 * grammar's [group what] and [group category]
				 * values (the strings of those) */
	size_t nwhats;
	size_t what_base[2];	/* where [group what]'s and [group category]'s
				 * values start in whats */
	int mapped;		/* v lies in the parse cache's image (the book
				 * holds the mapping): not freed */
};

/* The staff ID of e (the config's string: one name, one address). */
static inline const char *jentry_who(const struct journal *j, const struct jentry *e)
{
	return j->whos[e->who];
}
/* What e sent or spent on (a string of journal.whats), or NULL. */
static inline const char *jentry_what(const struct journal *j, const struct jentry *e)
{
	return j->whats[e->what];
}
/* Where file f's entries end in j->v (an empty file ends where it starts). */
static inline size_t journal_file_end(const struct journal *j, size_t f)
{
	return f + 1 < j->nfiles ? j->file_at[f + 1] : j->n;
}
/* The index into j->files of e's file (e is in j->v). */
size_t jentry_file(const struct journal *j, const struct jentry *e);

/* Read and check every journal/YYYY-MM.log of the book (records loaded first). */
int journal_load(struct book *b, const struct strmap *only);
void journal_release(struct journal *j);

#endif
