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
 * seldom, and their rows are read in 5 ms (most of it the rows' fresh
 * memory) where the walk took fifteen.
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
#define DUE_WORK_SUMS_FILE "due-work-sums"

/* The index's sums (due_index.c), and the work's (due_work_sums.c: the
 * costs, claims and overtime of the journal's past months) */
enum due_sums_kind { DUE_SUMS_INDEX, DUE_SUMS_WORK, DUE_SUMS__N };

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
	uint64_t groups;	/* the work's: the tickets' grouping (due_work_sums.c) */
	uint64_t last;		/* the work's: 1 + the last line the costs counted, or 0 */
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
int due_sums_open(const char *dir, enum due_sums_kind kind, struct due_sums *s);
/* The files' entry counts and checksums, in order: 1 and each, 0 at
 * the end, -1 if damaged. */
int due_sums_file(struct due_sums *s, uint64_t *n, uint64_t *sum);
/* Whether they are j's first files, read: the same count of entries
 * and checksum of them in the image this run checked, each. */
int due_sums_files_hold(struct due_sums *s, const struct journal *j);
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
/* A kind's own parts, after the files: the next part begun (its count
 * in s->left; each item at least min bytes): 0, or -1 if damaged; its
 * numbers (a moment checked to be one a line gives); 0 once the last
 * part is read to the file's end. */
int due_sums_part(struct due_sums *s, size_t min);
uint64_t due_sums_u64(struct due_sums *s);
uint32_t due_sums_u32(struct due_sums *s);
moment_t due_sums_moment(struct due_sums *s);
moment_t due_sums_moment_or_0(struct due_sums *s);	/* 0 for none */
int due_sums_end(struct due_sums *s);

/* Writing: the head and the files' counts and checksums, then each part
 * (its count first), then due_sums_write() into dir (through a
 * temporary file renamed over the old one: a reader sees a whole file);
 * nothing when it cannot be (a cache is a help). */
struct due_sums_out {
	struct strbuf sb;
	enum due_sums_kind kind;
};
void due_sums_begin(struct due_sums_out *o, enum due_sums_kind kind, const struct due_sums_head *h,
		    const struct journal *j);
void due_sums_count(struct due_sums_out *o, uint64_t n);
void due_sums_put_row(struct due_sums_out *o, const struct due_sums_row *row);
void due_sums_put_u64(struct due_sums_out *o, uint64_t v);
void due_sums_put_u32(struct due_sums_out *o, uint32_t v);
void due_sums_write(struct due_sums_out *o, const char *dir);

/*
 * The work's sums (due_work_sums.c), .git/ae/due-work-sums: of the same
 * first files, each original ticket's cost as the costs count it (every
 * ticket's, not only the open ones', so that a ticket closed or opened
 * leaves them good) and when it crossed the alert share of its budget
 * (JOB-8), each client's expenses, each person's latest claim and the
 * expenses since it (DUE-9), the overtime lines whose day worked may yet
 * be in DUE-8's window; used while the tickets are grouped the same
 * (groups: every ticket's original and whether it is bad) and each open
 * original's budget is the same, and every line after them is later.
 */
struct work_prefix {
	size_t from;		/* the entries summed: the walk goes on from here */
	size_t nfiles;		/* in so many files */
	moment_t max_at;	/* their latest line */
	size_t held;		/* the files the sums on disk hold, used or not */
	unsigned char *has_claim;	/* [staff] */
	moment_t *claimed;	/* [staff]: the latest claim, or 0 */
	uint64_t *count;	/* [staff]: expenses since it (all, with none) */
	moment_t *first;	/* [staff]: the first of those */
	uint32_t *overtime;	/* entries */
	size_t novertime, alloc_overtime;
};
struct costs;
/* Read the sums into c (costs_begin_from() done, the journal not yet
 * walked) and pre: 0, or -1 (nothing changed: walk it all). */
int due_work_sums_read(const struct due_ctx *dc, struct costs *c, uint64_t groups,
		       struct work_prefix *pre);
/* The sums made anew when more of the first files are past the cutoff
 * than those the run read (read: what due_work_sums_read() gave, all 0
 * for none; orig: each record's original, costs.h). */
void due_work_sums_make(const struct due_ctx *dc, const uint32_t *orig, uint64_t groups,
			const struct work_prefix *read);
void work_prefix_release(struct work_prefix *pre);
/* The files [files, image_files) all of whose lines are before the
 * cutoff, from the first on: where they end, and their latest line
 * (at least *max_at). */
size_t due_sums_files_past(const struct journal *j, size_t files, moment_t cutoff, moment_t *max_at);

#endif
