/*
 * numbering.h -- the next identifier of each kind, by the handbook's rules:
 * job numbers per department per month (JOBNO-1..5), client codes per year
 * (REC-2), contact reports, meetings and complaints per day.  A number is
 * never reused: those of deleted records, and those on the branches
 * fetched from teammates, are found in the git history.
 */
#ifndef AE_NUMBERING_H
#define AE_NUMBERING_H

#include "book.h"
#include "date.h"

/*
 * The identifiers of kind k that the book's history removed (deleted, or
 * renumbered away), read once from the history of b->rev (HEAD when
 * NULL) when the book is in a repository, with those b->rev itself has
 * (a change checked against it may remove them: a ticket renumbered still
 * gave its number out).  For the ids keep(id, keep_arg) says to keep
 * (keep NULL: none), the text the record had when the history first
 * removed it.
 */
struct removed_ids {
	struct arena arena;
	struct strmap text;	/* id -> its text, or "" when not kept */
	struct strlist ids;	/* every id, in no order (owned) */
	int history;		/* a history was read (the book is in a repository) */
};
void removed_ids_read(struct removed_ids *r, const struct book *b, int kind,
		      int (*keep)(const char *id, void *arg), void *keep_arg);
/* The same, leaving out of r->ids each id b->rev has for which skip(id,
 * keep_arg) says the caller has it already (rules_jobno.c: the book's own
 * tickets, 50,000 strings copied and freed for nothing in a big book). */
void removed_ids_read_skip(struct removed_ids *r, const struct book *b, int kind,
			   int (*keep)(const char *id, void *arg),
			   int (*skip)(const char *id, void *arg), void *keep_arg);
void removed_ids_release(struct removed_ids *r);

/*
 * Identifiers ever used for kind k: the book's records, those the
 * history removed (above), and every record path in the history of every
 * local and remote-tracking branch, so that a number a teammate's fetched
 * work uses is not handed out again.  Owned strings (possibly repeated).
 * ae new, ae renumber and ae import give none of them again, and ae check
 * refuses a record that takes a removed one (JOBNO-1).
 */
void used_ids(const struct book *b, int kind, struct strlist *out);

/* The next job number of dept opened at `when`; NULL (reported) if the
 * month's 99 numbers are used up.  Owned. */
char *next_job(const struct strlist *used, const char *dept, moment_t when);
/* The next revision of job parent: parent-R1, -R2 ... Owned. */
char *next_revision(const struct strlist *used, const char *parent);
/* The next client code city-YYYYMM-name-NNN for a first contact on day. */
char *next_client(const struct strlist *used, const char *city, const char *name, int day);
/* PREFIX-YYYYMMDD-NN (CR, MT, TS) for day. */
char *next_daily(const struct strlist *used, const char *prefix, int day);

#endif
