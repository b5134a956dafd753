/*
 * gitlock.h -- what store.c needs besides libgit2: the lock that
 * serialises the book's writers, and git's own rev-list.
 *
 * The lock is an flock(2) on .git/ae.lock, released by the kernel if the
 * holder dies.  The holder notes in it which of git's lock files it is
 * about to create, so that the next holder can remove them after a
 * kill -9 (git would otherwise refuse every later commit).
 */
#ifndef AE_GITLOCK_H
#define AE_GITLOCK_H

#include "util.h"

/* Take the lock of the repository whose git folder is gitdir (ending in
 * '/'), waiting a bounded time.  The descriptor, or -1 (reported). */
int lock_take(const char *gitdir);
/* Note that git lock files for the index and branch are about to exist. */
void lock_note(int fd, const char *branch);
/* The note is no longer true. */
void lock_clear(int fd);
void lock_drop(int fd);

/* The commits of HEAD that touched prefix+path, newest first, from
 * 'git rev-list'.  0, or -1 when git cannot be run or fails. */
int git_rev_list(const char *workdir, const char *prefix, const char *path,
		 struct strlist *out);

#endif
