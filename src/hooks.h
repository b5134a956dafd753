/*
 * hooks.h -- the git hooks ae installs, and installing them.
 *
 * pre-commit and pre-merge-commit run 'ae check --staged' on the index
 * git is about to commit ($GIT_INDEX_FILE, so 'git commit -a' and 'git
 * commit PATH' are checked as well as a merge's result); pre-receive, in
 * a shared bare repository, runs 'ae --at SHA check' on every pushed
 * branch tip and refuses the push when the book there has errors.
 *
 * Every path written into a hook -- the book's folder, the path of the
 * ae that installed it -- is quoted for the shell (issue 9): a folder
 * named 'b$(touch x)' is a name, never a command.  A hook that is not
 * ae's is kept as NAME.local and run first, with the same arguments and
 * input; ae's own hook is recognised by HOOK_MARK in its first 512
 * bytes and rewritten in place.
 */
#ifndef AE_HOOKS_H
#define AE_HOOKS_H

#include "util.h"

#define HOOK_MARK "# installed by ae init"

/* s quoted for a POSIX shell: single quotes, each ' written '\''. */
void sh_quote(struct strbuf *out, const char *s);

/*
 * The text of hook name ("pre-commit", "pre-merge-commit",
 * "pre-receive"), running exe when no ae is on the PATH; prefix is the
 * book's folder in the repository ("" or "a/b/").  Owned.
 */
char *hook_text(const char *name, const char *exe, const char *prefix);

/*
 * Install hook name in hooks_dir (made if missing).  Returns 1 when it
 * was written, 0 when it was already exactly so, -1 on failure
 * (reported: both NAME and NAME.local exist and NAME is not ae's, or a
 * file cannot be written).  An existing hook of someone else's becomes
 * NAME.local, said on standard output.
 */
int hook_install(const char *hooks_dir, const char *name, const char *text);

/* Whether hooks_dir holds ae's hook name. */
int hook_is_ours(const char *hooks_dir, const char *name);

#endif
