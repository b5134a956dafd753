/*
 * gitdir.h -- the repository folder of a book in a working folder, where
 * ae keeps what it may throw away (.git/ae: the parse cache, the log
 * cache, the listing snapshot and the socket of `ae watch`).
 */
#ifndef AE_GITDIR_H
#define AE_GITDIR_H

/* The repository's folder of the book at root: ROOT/.git or above, a
 * .git file (a worktree) followed; owned, or NULL. */
char *git_dir_of(const char *root);

#endif
