/*
 * gitconfig.h -- the few settings of git's configuration ae asks for
 * without starting libgit2 (issue 15, goal 2: git_libgit2_init alone
 * costs ~56 M instructions here, most of it loading the CA bundle, about
 * a tenth of a warm `ae due` on a 100k book).
 *
 * It reads the files libgit2 1.5 reads, in its order, lowest first:
 * /etc/gitconfig, $XDG_CONFIG_HOME/git/config (or ~/.config/git/config),
 * ~/.gitconfig, and the repository's own .git/config when the book lies
 * in a plain repository's work tree; the last value wins.  The syntax is
 * git's own (config.c: sections, "subsections", quotes, the escapes \\
 * \" \n \t \b, line continuations, # and ; comments, inner blanks kept as
 * spaces).  Wherever it could answer differently from libgit2 it does not
 * answer: an include or includeIf, a line git calls bad, a bare boolean
 * key asked for, a worktree's .git file, a repository that is bare, has
 * extensions, belongs to someone else or lies across a file system, and
 * the environment variables that move repositories or configuration
 * ($GIT_DIR, $GIT_CONFIG_*, ...); $GIT_CEILING_DIRECTORIES is honoured.
 */
#ifndef AE_GITCONFIG_H
#define AE_GITCONFIG_H

#include <stddef.h>

/*
 * keys[0..n): "section.name" (no subsection), lower case.  values[i]
 * becomes the value (owned, NULL when unset or empty).  root: the
 * book's folder (absolute), or NULL for the user's settings alone.
 * 0 when answered; -1 (every value NULL) when libgit2 must answer.
 */
int gitconfig_lookup(const char *root, const char *const *keys, char **values, size_t n);

/*
 * The .git folder (owned) of the plain repository whose work tree holds
 * root (absolute), as libgit2 would find it, without starting libgit2;
 * NULL when there is none (*hard 0: libgit2 would find none either) or
 * when only libgit2 can tell (*hard 1: a worktree, a bare or extended
 * repository, someone else's, a file system crossed, $GIT_DIR...).
 */
char *gitconfig_gitdir(const char *root, int *hard);

#endif
