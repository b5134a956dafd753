/*
 * due_sums.h -- the sums of the journal's past months, for the index of
 * 'ae due' and of the reports that collect its items (due_index.c): the
 * index as the walk of the journal's first files left it, kept in
 * .git/ae/due-sums so that a run walks only the months after them.
 *
 * A million lines of ten years are walked for what a few thousand rows
 * say (each record's latest call, visit and report sent, its AM's latest
 * contact, the last call-back's result, the notices, the monthly reports
 * sent, each person's first routine line): the months before last change
 * seldom, and their rows are read in a millisecond where the walk took
 * fifteen.
 *
 * The file is a cache, and untrusted: a checksum of the whole, every
 * count and index checked against the book before use, every moment
 * checked to be one a journal can give.  It holds what the walk of the
 * files [0, nfiles) gave, and is used only while it would give the same:
 *   - the same settings (ae.ini, the formats, the calendars: the parse
 *     cache's hash), the same records at the same indexes (the ids
 *     digest), the same files with the same entries (each one's checksum
 *     of its entries in the parse cache's image, which this run checked);
 *   - each AM the walk matched a record's calls against the same (the
 *     AM's name is a record's field, not a journal's);
 *   - every one of its lines before the run's cutoff (due_sums_cutoff()):
 *     before the 15th of last month (no month's report of its lines
 *     counts, DUE-7), three weeks before today (no routine's occasion
 *     looks at them but the first meeting's), and so before now.
 * The monthly reports sent are kept as they are (their matching to the
 * AM's reviews, ORG-4, reads every one: their places in the journal).
 */
#ifndef AE_DUE_SUMS_H
#define AE_DUE_SUMS_H

#include <stddef.h>
#include <stdint.h>

#include "due.h"

#define DUE_SUMS_FILE "due-sums"

/* A record's row as the walk left it. */
struct due_sums_row {
	uint32_t rec;		/* record index */
	uint8_t via;		/* the latest contact: 0 none, 1 a call, 2 a visit */
	uint8_t callback;	/* the last call-back's result (DUE-11) */
	uint64_t am;		/* due_sums_hash() of the AM its calls were
				 * matched against, 0 none */
	moment_t last[EV__N];	/* 0 when none */
	moment_t contact;	/* the latest contact, or 0 */
};

/* What the sums were made from (the key), and where they end. */
struct due_sums_head {
	uint64_t settings, ids;
	uint64_t nrecs, nslots;	/* records; routine slots (due_routine_slots()) */
	uint64_t nfiles, nentries;	/* the files walked, and their entries */
	moment_t max_at;	/* the latest of their lines */
};

/* The file read: its head, then its parts in order by the calls below. */
struct due_sums {
	struct due_sums_head head;
	const unsigned char *map;
	size_t len;
	const unsigned char *p, *end;	/* the cursor */
	int bad;
	int part;		/* being read */
	uint64_t left;		/* its items not yet read */
	int monthly_seen;
	uint32_t monthly_last;
};

/* The cutoff of a run that now is today (day number): every line the
 * sums hold is before it. */
moment_t due_sums_cutoff(int today);
/* A string's hash for due_sums_row.am (never 0). */
uint64_t due_sums_hash(const char *s);

/* Open dir's sums: 0, or -1 (none, or damaged: walk it all). */
int due_sums_open(const char *dir, struct due_sums *s);
/* The files' entry counts and checksums, in order: 1 and each, 0 at
 * the end, -1 if damaged. */
int due_sums_file(struct due_sums *s, uint64_t *n, uint64_t *sum);
/* Then the rows, the notices (due_ctx.notices), the monthly reports
 * (entry indexes, rising) and the routines' first lines (one a slot):
 * 1 and each, 0 at the end of the part, -1 if damaged (a count or index
 * past the head's, a moment no journal gives). */
int due_sums_row(struct due_sums *s, struct due_sums_row *row);
int due_sums_notice(struct due_sums *s, long *notice);
int due_sums_monthly(struct due_sums *s, uint32_t *entry);
int due_sums_slot(struct due_sums *s, moment_t *first);
/* (the slots' 0 says the whole file was read: nothing after them) */
void due_sums_close(struct due_sums *s);

/* Writing: the head and the files' counts and checksums, then each part
 * (its count first), then due_sums_write() into dir (through a
 * temporary file renamed over the old one: a reader sees a whole file);
 * nothing when it cannot be (a cache is a help). */
struct due_sums_out {
	struct strbuf sb;
};
void due_sums_begin(struct due_sums_out *o, const struct due_sums_head *h,
		    const uint64_t *file_n, const uint64_t *file_sum);
void due_sums_count(struct due_sums_out *o, uint64_t n);
void due_sums_put_row(struct due_sums_out *o, const struct due_sums_row *row);
void due_sums_put_u64(struct due_sums_out *o, uint64_t v);
void due_sums_put_u32(struct due_sums_out *o, uint32_t v);
void due_sums_write(struct due_sums_out *o, const char *dir);

#endif
