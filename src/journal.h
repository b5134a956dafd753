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

#include "date.h"

struct book;
struct strmap;

enum jverb { JV_CALL, JV_VISIT, JV_HOURS, JV_OVERTIME, JV_EXPENSE, JV_ADVANCE,
	     JV_SENT, JV_OTHER };

struct jentry {
	moment_t at;		/* the line's date and time */
	const char *who;	/* staff id (the config's string) */
	const char *what;	/* sent: weekly, notice ...; expense: category (static,
				 * or a [group] value of the book's formats) */
	long amount;		/* expense/advance: cents; hours: hundredths;
				 * overtime: the day worked (DUE-8: the span's
				 * date, else the line's); sent holiday: 1 + the
				 * first calendar.holidays[] entry of the holiday
				 * announced, 0 none (DUE-13); sent callback: the
				 * survey's result, 1 satisfied, 2 neutral, 3
				 * unsatisfied, 0 unstated (DUE-11) */
	int rec;		/* index into book.recs of the record named, or -1 */
	int line;
	short span_start, span_end;	/* overtime: minutes from midnight */
	unsigned char verb;	/* enum jverb */
	unsigned char important;	/* call marked '!' */
	unsigned short file;	/* index into journal.files */
};
/* 48 bytes: a ten-year book holds a million of them */

struct journal {
	struct jentry *v;
	size_t n, alloc;
	size_t lines;		/* activity lines read, good or bad */
	int check_only;		/* check the lines but keep no entries (ae check) */
	const char **files;	/* paths, book arena */
	size_t nfiles, alloc_files;
};

/* Read and check every journal/YYYY-MM.log of the book (records loaded first). */
int journal_load(struct book *b, const struct strmap *only);
void journal_release(struct journal *j);

#endif
