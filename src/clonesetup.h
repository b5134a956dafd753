/*
 * clonesetup.h -- setting up a clone of a book for working in a team
 * (ae init, ae clone), and the warning the writing commands give in a
 * clone that lacks it (docs/ae-team.7.md).
 *
 * A clone is set up when:
 * - its hooks folder (core.hooksPath honoured) holds ae's pre-commit and
 *   pre-merge-commit hooks (hooks.h);
 * - its .git/config names ae's merge drivers, merge.ae-record.driver and
 *   merge.ae-journal.driver, running this ae as 'ae merge-driver' (its
 *   path quoted for the shell);
 * - pull.rebase is false: 'git pull' merges, because a rebase rewrites
 *   the commits whose messages record each field's change;
 * - the book's .gitattributes selects the drivers: merge=ae-record for
 *   the INI files, merge=ae-journal for the journal's .log files.
 * Git copies none of this in a clone except .gitattributes, which is
 * why a plain 'git clone' needs 'ae init'.
 */
#ifndef AE_CLONESETUP_H
#define AE_CLONESETUP_H

#include "util.h"

struct store;

/* The .gitattributes lines ae writes (with its comment). */
extern const char clone_attributes[];

/*
 * Set up the clone s holding the book at root (absolute), with exe the
 * path of this ae: hooks, merge drivers, pull.rebase.  Idempotent: what
 * is already so is left alone.  *changed is set when anything was
 * written.  0, or -1 (reported).
 */
int clone_setup(struct store *s, const char *exe, int *changed);

/*
 * Bring the book's .gitattributes (beneath the book's folder rootfd, never
 * through a symbolic link: safepath.h) to select ae's merge drivers: the
 * lines of an earlier ae init (merge=union) are updated in place, other
 * lines kept; missing lines are appended.  The caller holds the book
 * lock.  1 when the file was written, 0 when already so, -1 (reported).
 */
int clone_attributes_update(int rootfd);

/* What the clone s of the book at root lacks, as a list for a person
 * ("no pre-merge-commit hook, ..."), in what; 0 when nothing. */
int clone_setup_missing(struct store *s, const char *root, struct strbuf *what);

/*
 * Warn, on standard error, when git's user.email names no staff member
 * of the book at root (ae commit would not know who commits), with the
 * fix.  argv0 finds the shipped formats.
 */
void clone_identity_check(struct store *s, const char *root, const char *argv0);

/*
 * For every command that writes: warn once per run when the clone of
 * the book at root is not set up, saying to run 'ae init'.  Silent when
 * the book is in no repository.
 */
void clone_setup_warn(const char *root);

/* The absolute path of the running ae (owned). */
char *clone_self_exe(const char *argv0);

#endif
