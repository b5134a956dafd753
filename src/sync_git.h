/*
 * sync_git.h -- git itself, run as a program, for what ae sync exchanges
 * with the remote: 'git fetch' and 'git push'.  git's own transport, so
 * that the user's ssh configuration, credential helpers, proxies and URL
 * rewrites apply exactly as to every other git command (ae-sync(1)).
 * Plain POSIX; the git found on the PATH.
 */
#ifndef AE_SYNC_GIT_H
#define AE_SYNC_GIT_H

#include "util.h"

/*
 * Run 'git -C dir ARGS...' (args NULL-terminated, without "git"), with
 * the environment git gives a hook (GIT_DIR, GIT_INDEX_FILE ...) removed,
 * so that it works on dir's repository.  Standard input is shared.  With
 * out NULL, standard output and error are shared too; else both are
 * collected in out.  Returns git's exit status (128 + the signal when it
 * was killed), or -1 (reported) when git cannot be run.
 */
int run_git(const char *dir, const char *const *args, struct strbuf *out);

/* What 'git push --porcelain' said of the ref it pushed. */
enum push_result {
	PUSH_OK,		/* pushed, or already up to date */
	PUSH_REJECTED,		/* not a fast-forward: someone pushed meanwhile */
	PUSH_REFUSED,		/* the remote refused it (its hook: the book has errors) */
	PUSH_FAILED,		/* anything else: no connection, no permission ... */
};

/* Read the porcelain output of a push (git's standard error mixed in). */
enum push_result push_outcome(const char *out, int status);

#endif
