/*
 * cost.h -- what a job ticket has cost so far (JOB-8, "监控时间与内部成本"):
 * the journal's 'hours' lines at the hourly rates of ae.ini ([rates]: the
 * person's own, else their rank's) and its 'expense' lines, against the
 * ticket's budget.  A revision ticket is part of its original's job: its
 * cost counts against the original's budget.  'ae report cost' shows it;
 * 'ae due' tells the AE when a ticket crosses the book's alert share
 * ([rules] budget_alert, percent, default 80).
 */
#ifndef AE_COST_H
#define AE_COST_H

#include <stdint.h>

#include "book.h"

struct job_cost {
	const struct record *job;	/* the original (revisions roll into it) */
	long budget;		/* cents, or -1 when the ticket has none */
	long hours;		/* hundredths of an hour, revisions included */
	long labour;		/* cents: hours at the rates */
	long expenses;		/* cents */
	long unrated;		/* hundredths of an hour by people ae.ini gives no rate */
	int revisions;		/* revision tickets rolled in */
	moment_t crossed;	/* when the cost first reached the alert share of the
				 * budget, or 0 */
	moment_t last;		/* the last line counted, or 0 */
};

struct jentry;

struct costs {
	struct job_cost *v;	/* one per original ticket, in the book's order */
	size_t n;
	int alert;		/* percent of the budget */
	long *client_expenses;	/* [record index]: expenses on a client, no ticket */
	size_t *of;		/* [record index]: 1 + the index in v of its cost, or 0 */
	/* while the journal is read (costs_begin() to costs_end()) */
	const struct book *b;
	moment_t until;
	const unsigned char *want;
	unsigned char *counts;	/* [record index]: 1 a client, 2 a ticket with a
				 * cost, 0 neither (its lines count for nothing) */
	long *rates;		/* [staff index]: the person's rate */
	const struct jentry *prev;	/* the last line counted */
	int sorted;		/* 0: a line came out of time order, the
				 * journal is sorted and counted again at
				 * costs_end() */
	/* with costs_read_split(): [index in v] the cost (cost_total()) of
	 * the lines at or before split */
	moment_t split;
	long *before;
};

/* The cost of every ticket from the journal lines at or before until. */
void costs_read(struct costs *c, const struct book *b, moment_t until);
/* The same for the original tickets of record index i with want[i] set
 * (and their revisions) only; every other ticket has no cost (cost_of()
 * NULL).  'ae due' asks for the tickets still open. */
void costs_read_only(struct costs *c, const struct book *b, moment_t until,
		     const unsigned char *want);
/* costs_read() that also keeps each ticket's cost at split (<= until) in
 * c->before: what a second costs_read() to split would give, from the
 * same walk of the journal. */
void costs_read_split(struct costs *c, const struct book *b, moment_t until, moment_t split);
void costs_release(struct costs *c);
/* costs_read_only() in three steps, so that a caller walking the journal
 * for its own ends counts the costs in the same walk: begin, each entry
 * of the journal in order, end.  Lines in time order are counted as
 * they come; a journal out of order is walked again and sorted at the
 * end (so every entry of b's journal, and only those). */
void costs_begin(struct costs *c, const struct book *b, moment_t until,
		 const unsigned char *want);
void costs_line(struct costs *c, const struct jentry *e);
/* Of n entries at v, the places of those costs_line() counts (at most
 * 65,536 entries), found with no branch: their count.  A caller walking
 * a million lines in runs hands costs_line() only those (half of the
 * lines, of two verbs in no order: a mispredicted jump each other line). */
size_t costs_lines(const struct costs *c, const struct jentry *v, size_t n, unsigned short *out);
void costs_end(struct costs *c);
/* costs_begin() told each ticket's original: orig[i] is the record index
 * of ticket i's (its parent's, when the book has it, else its own), as
 * a caller that reads every ticket's parent for its own ends found it. */
void costs_begin_from(struct costs *c, const struct book *b, moment_t until,
		      const unsigned char *want, const uint32_t *orig);

/* The cost of the ticket (or of its original, for a revision), or NULL. */
const struct job_cost *cost_of(const struct costs *c, const struct book *b,
			       const struct record *job);

/* The cost so far: labour and expenses, in cents. */
long cost_total(const struct job_cost *jc);

#endif
