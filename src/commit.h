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
 * Load into b the book as it will be once `paths` (relative to the book)
 * are committed: HEAD (the work tree while the branch has no commit),
 * with those paths read from top instead.  b owns top afterwards.
 * Problems are collected in diag.h, not printed.  0, or -1 (reported).
 */
int book_after(struct globals *g, const char *root, struct source *top,
	       const struct strlist *paths, struct book *b);

/*
 * Checking a change need not read the whole book: the changed records and
 * the records they name are read in full, the rest by name.  Returns the
 * set of changed paths for book_load_only() (its keys in *keys), or NULL
 * when the change needs the whole book: settings, formats or the calendar
 * changed, or a record was deleted (others may name it).
 */
struct strmap *change_plan(const struct change_list *changes, struct strlist *keys);

struct commit_opts {
	const char *summary;	/* the first line; NULL: generated */
	const char *as;		/* staff id; NULL: from git's identity */
	int quiet;		/* no "[abc1234] ..." lines */
};

/*
 * Check the book as it will be and commit the changed book files among
 * paths (all of them when paths is empty).  Returns an exit status:
 * 0 committed or nothing to commit, 1 the records are wrong (nothing
 * committed, nothing touched), 2 no identity, 3 system.
 */
int commit_book(struct globals *g, const char *root, const struct strlist *paths,
		const struct commit_opts *o);

/* The staff member committing: --as or git's user.email/name. */
const struct staff *commit_identity(const struct book *b, const char *root,
				    const char *as);

#endif
