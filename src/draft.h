/*
 * draft.h -- her text kept outside the book while her editor is open
 * (ae edit, ae new -e), so that the book lock is not held meanwhile and
 * nothing she typed is lost.
 *
 * A draft NAME lives in the repository's ae-edit folder: NAME.ini her
 * text, NAME.base the text it began from (what ae wrote, or the record
 * as it was), NAME.lock held (flock) by the one command working on it.
 * The draft stays until its text has reached the book; the next command
 * that opens the same NAME takes it up again (after she quit, after a
 * failure, after a kill).
 */
#ifndef AE_DRAFT_H
#define AE_DRAFT_H

#include "util.h"

struct draft {
	char *name;		/* the draft's name: a record's id, "new-meeting-1" */
	char *text_path;	/* her text */
	char *base_path;	/* the text hers began from */
	char *lock_path;	/* one command on the draft at a time */
	char *shown;		/* text_path as she is told it */
	char *resume;		/* the command that takes it up: "ae edit ID" */
	int lockfd;
};

/*
 * Open draft name in gitdir's ae-edit folder, locked for this command;
 * root is the book's folder (the path is shown relative to it when she
 * is there), resume the command line that takes the draft up again.
 * When several may work at once (new records: any set), the draft is the
 * first of "NAME-1", "NAME-2" ... that no other command holds; else one
 * held by another command is refused.  What a killed writer of the
 * draft left half written is removed.  0, or an exit status (reported,
 * with "nothing was changed").
 */
int draft_open(struct draft *d, const char *gitdir, const char *root, const char *name,
	       const char *resume, int any);

/* Let go of the lock and free d (the files stay). */
void draft_release(struct draft *d);

/* Read one of the draft's files: 0, 1 when absent, -1 (reported). */
int draft_read(const char *path, struct strbuf *out);

/* Write one of the draft's files, atomically: 0 or -1 (reported). */
int draft_write(const char *path, const struct strbuf *text);

/* Her text reached the book, or was never hers: remove it (a failure is
 * a warning: the next command finds it and says so). */
void draft_forget(const struct draft *d);

/* Say, on standard error, where her text is kept and how to take it up. */
void draft_kept(const struct draft *d);

#endif
