/*
 * gitlock.h -- the book's writer lock, git's index.lock, and git's
 * rev-list: what the store needs besides libgit2.
 *
 * Every command that changes the book takes the book lock once, before
 * it reads anything it will change, and holds it until its change is
 * committed or undone (editing.h: open_book_to_change()).  The lock is
 * an flock(2) on .git/ae.lock, released by the kernel if the holder
 * dies.  The file says who holds it (pid and command line), for the
 * writers that wait, and carries notes on what the holder is doing that
 * a kill -9 could leave half done: the commit it is about to put on the
 * branch, the git lock files it is about to create.  The next holder is
 * handed those notes (book_lock_prev()) before it writes its own, and
 * finishes or undoes what they describe.
 */
#ifndef AE_GITLOCK_H
#define AE_GITLOCK_H

#include "util.h"

struct book_lock;

/* How long a writer waits for a lock held by another program, in
 * milliseconds: $AE_LOCK_WAIT (seconds, may be fractional), or 30 s. */
int lock_wait_ms(void);

/*
 * Take the lock of the repository whose git folder is gitdir (ending in
 * '/') for the command line `what`.  While another process holds it,
 * wait (lock_wait_ms()), saying once on a terminal whom we wait for.
 * Git lock files that a killed holder noted are removed.  Returns the
 * lock (book_lock_drop() frees it), or NULL, reported with "nothing was
 * changed", when it cannot be had.
 */
struct book_lock *book_lock_take(const char *gitdir, const char *what);

/* What the previous holder noted under key and never cleared (it was
 * killed or failed half-way), or NULL. */
const char *book_lock_prev(const struct book_lock *l, const char *key);

/*
 * Note "key value" for each pair of the NULL-terminated list kv in the
 * lock file (replacing an earlier note of that key), synced once, so
 * that they survive a kill -9.  Key "gitlock" notes a git lock file
 * (relative to the git folder) about to be created; it may be given
 * several times.  0, or -1 (reported).
 */
int book_lock_note(struct book_lock *l, const char *const *kv);

/* The notes describe work left half done on purpose, for the next
 * holder to finish: keep them when the lock is dropped. */
void book_lock_keep_notes(struct book_lock *l);

/* Clear the notes (unless kept) and release the lock.  NULL is allowed. */
void book_lock_drop(struct book_lock *l);

/*
 * git's own index lock, .git/index.lock, created as git creates it
 * (O_CREAT | O_EXCL), so that no git command writes the index while ae
 * reads, changes and replaces it.  Waits up to wait_ms while git holds
 * it; 0, or -1 reported ("nothing was changed").  The file holds a mark
 * that says ae made it, so that one left by a kill -9 is known as ours.
 */
int index_lock_take(const char *gitdir, int wait_ms);
/* Whether gitdir's index.lock exists and is one ae made. */
int index_lock_ours(const char *gitdir);
/* Remove our index.lock: 0, or -1 with errno. */
int index_lock_release(const char *gitdir);

/* The commits of HEAD that touched prefix+path, newest first, from
 * 'git rev-list'.  0, or -1 when git cannot be run or fails. */
int git_rev_list(const char *workdir, const char *prefix, const char *path,
		 struct strlist *out);

#endif
