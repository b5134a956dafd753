/*
 * commit.h -- what every command that changes the book shares: checking
 * the book as it will be after a change, and committing it (USE-2, USE-3).
 */
#ifndef AE_COMMIT_H
#define AE_COMMIT_H

#include "ae.h"
#include "book.h"
#include "source.h"
#include "store.h"
#include "util.h"

/*
 * Load into b the book as it will be once `changes` (paths relative to the
 * book) are committed: HEAD (the work tree while the branch has no commit
 * or a merge is being concluded), with those paths read from top instead.
 * b owns top afterwards.  When the change allows (see change_plan), only
 * the changed records and those they name are read in full, and only
 * problems in the changed files are collected.  Problems are collected in
 * diag.h, not printed.  0, or -1 (reported).
 */
int book_after(struct globals *g, const char *root, struct source *top,
	       const struct change_list *changes, struct book *b);

/*
 * Checking a change need not read the whole book.  Returns the set of
 * changed paths for book_load_only() (its keys in *keys), or NULL when the
 * change needs the whole book: settings, formats or the calendar changed,
 * a record was deleted, or a record changed a field that rules read from
 * other records (a reference, a unique field, a client's strategy, a
 * ticket's form, client or opening time, a report's occasion).  old and
 * new read the book before and after (old may be NULL: nothing before).
 */
struct strmap *change_plan(const struct book *b, struct source *old, struct source *new,
			   const struct change_list *changes, struct strlist *keys, int *alone);

struct commit_opts {
	const char *summary;	/* the first line; NULL: generated */
	const char *as;		/* staff id; NULL: from git's identity */
	int quiet;		/* no "[abc1234] ..." lines */
};

/*
 * Check the book as it will be and commit the changed book files among
 * paths (all of them when paths is empty), under the book lock, which the
 * caller holds (g->lock; editing.h).  While a merge is in progress, the
 * commit concludes it: all the book's changes and every path left in
 * conflict are committed (their files as settled), with the merge's
 * message (sync.h), whatever paths says.  Returns an exit status: 0 committed
 * or nothing to commit, 1 the records are wrong or a change lies behind
 * a symbolic link (nothing committed, nothing touched), 2 no identity,
 * 3 system: nothing committed, unless *landed (when landed is not NULL)
 * says that the commit is on the branch but the index could not be
 * updated (the next writer finishes it).
 */
int commit_book(struct globals *g, const char *root, const struct strlist *paths,
		const struct commit_opts *o, int *landed);

/* The commit's author date and zone (minutes east of UTC): --now on the
 * book's wall clock, or the clock. */
void commit_when(const struct globals *g, const struct book *b, long long *when, int *offset);

/* Who commits, as a commit's author: --as, else git's identity made a
 * staff member (reported when it is none).  0, or -1.  Owned strings. */
int commit_author(const struct book *b, const char *as, char **name, char **email);

/* The staff member committing: --as or git's user.email/name. */
const struct staff *commit_identity(const struct book *b, const char *root,
				    const char *as);

#endif
