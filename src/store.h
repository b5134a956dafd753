/*
 * store.h -- the git repository behind a book.  Only the store_*.c files
 * include <git2.h> (store_int.h), calling libgit2 through the table of
 * store_lib.h, which opens it when first called.
 *
 * Writers hold the book lock (gitlock.h) for the whole command, and git's
 * index.lock across read-index, write-tree, commit and the branch
 * update; a branch that moved underneath (a git update-ref meanwhile) is
 * detected with a compare-and-swap and the commit is redone.  libgit2 is
 * told to fsync what it writes.
 */
#ifndef AE_STORE_H
#define AE_STORE_H

#include "source.h"
#include "util.h"

struct store;

/* Open the repository holding the book at root (absolute).  With
 * for_write, refuse a bare repository, a detached HEAD and a split index.
 * Returns NULL with the reason given through error(). */
struct store *store_open(const char *root, int for_write);
void store_free(struct store *s);
/* As store_open(root, 0), but NULL without a word when there is no repository. */
struct store *store_try_open(const char *root);

/* Make root a repository if it is in none; then open it. */
struct store *store_init(const char *root, int *created);

/* The book's folder relative to the repository's work tree: "" or "a/b/". */
const char *store_prefix(const struct store *s);
/* The repository's .git folder (absolute, ending in '/'). */
const char *store_gitdir(const struct store *s);

/* Whether the branch has no commit yet. */
int store_head_unborn(struct store *s);

/* The book as of a revision (--at REV), or as staged in the index. */
struct source *store_source_rev(struct store *s, const char *rev);
struct source *store_source_index(struct store *s);

enum change_type { CH_ADDED, CH_MODIFIED, CH_DELETED };
struct change {
	char *path;		/* relative to the book */
	enum change_type type;
};
struct change_list {
	struct change *v;
	size_t n, alloc;
};
void change_list_release(struct change_list *l);

/*
 * The book's files that differ between HEAD and the working tree: records,
 * journal, ae.ini, formats/ and calendar/.  With paths (relative to the
 * book), only those.  Returns 0 or -1.
 */
int store_changes(struct store *s, const struct strlist *paths, struct change_list *out);

/* The book's files staged in the index that differ from HEAD. */
int store_staged(struct store *s, struct change_list *out);

/* The content of path (relative to the book) at HEAD: 0, 1 if absent, -1. */
int store_read_head(struct store *s, const char *path, struct strbuf *out);

/* git config user.name and user.email (owned; NULL when unset). */
void store_identity(struct store *s, char **name, char **email);

struct book_lock;

/*
 * Values of git's configuration (user.email, ae.staff ...) as git would
 * read them for the book at root: from the repository holding it, or,
 * when it is in none (or root is NULL), from the user's own configuration
 * (~/.gitconfig, $XDG_CONFIG_HOME/git/config, the system's).  values[i]
 * gets keys[i]'s value, owned, or NULL when unset or empty.  Nothing is
 * reported (store_config.c).
 */
void store_config_lookup(const char *root, const char *const *keys, char **values, size_t n);

/*
 * Commit the working-tree state of the changes with message msg as
 * author (name, email), dated `when` (seconds since the epoch; 0: now) in a
 * zone tz_minutes east of UTC, under the book lock l, which the caller
 * holds (gitlock.h).  git's index.lock is held from reading the index to
 * replacing it, so that no git command's update of the index is lost.
 * Returns 0 and the new commit's id (hex) in oid; 1 when nothing differs
 * from HEAD; -1 on failure (reported): the branch and the index are as
 * they were; -2 (reported) when the commit (oid) is on the branch but the
 * index could not be updated: the next writer finishes it
 * (store_recover()).
 */
int store_commit(struct store *s, struct book_lock *l, const struct change_list *changes,
		 const char *msg, const char *name, const char *email, long long when,
		 int tz_minutes, char oid[41]);

/*
 * Under the book lock l, just taken: finish or undo the commit that the
 * previous holder noted and was killed (or failed) before finishing.
 * Returns 1 when its commit landed on the branch (its index is then put
 * in place), 0 when there was none or it did not land (its index is
 * thrown away), -1 (reported) when git's index lock it left cannot be
 * removed.
 */
int store_recover(struct store *s, struct book_lock *l);

/* HEAD's commit id (hex), "" while the branch is unborn: 0, or -1. */
int store_head_id(struct store *s, char out[41]);

/* One commit, as the history walks hand it over (valid during the call). */
struct store_commit_info {
	char oid[41];
	const char *author, *email;
	long long when;		/* seconds since the epoch (UTC) */
	int offset;		/* minutes east of UTC */
	const char *message;
	int nparents;
};

/* One file a commit changed, for ae log: its two versions. */
struct log_file {
	char *path;		/* relative to the book, as the commit has it */
	char *old_path;		/* as the first parent has it: another after a
				 * renumber; NULL when the parent lacks it */
	struct strbuf old, new;	/* the first parent's and the commit's content */
	int has_new;
	struct strbuf other;	/* a merge: the other parent's content */
	int has_other;
	struct strbuf base;	/* a merge: the content at its merge base */
	int has_base;
};

/* One commit, for ae log (valid during the callback). */
struct log_commit {
	struct store_commit_info info;
	struct log_file *files;		/* what it changed from its first parent */
	size_t nfiles;
};

/*
 * Walk history from HEAD, newest first in topological order, calling fn
 * for each commit that changed the book (or the record at path, relative
 * to the book), merges included when they changed it from their first
 * parent or kept it against a change of the other (a conflict settled).  The changes are read from the trees, never from messages.  A
 * record is followed across renumbers: where a commit made it from
 * another (its renumbered_from field), the older commits are read under
 * the old name, on the side of the merge it came from.  Stops after max
 * commits when max > 0.  Returns 0 or -1.
 */
int store_log(struct store *s, const char *path, int max,
	      int (*fn)(const struct log_commit *c, void *arg), void *arg);

/*
 * The record files below folder (relative to the book) that commits in
 * the history of rev (NULL: HEAD) removed, each commit compared with its
 * first parent: fn(path, text, arg) once per path, in path order, text
 * being the file as it was just before its first removal, read only when
 * want(path, arg) says so (else NULL; want may be NULL).  A non-zero
 * return of fn stops.  For JOBNO-1: a number once given out is never
 * given again.  The answer is cached in .git/ae/removed-FOLDER, so that
 * only the commits since the last call are read (store_removed.c).  0, or
 * -1 (reported).
 */
int store_removed(struct store *s, const char *rev, const char *folder,
		  int (*want)(const char *path, void *arg),
		  int (*fn)(const char *path, const struct strbuf *text, void *arg), void *arg);

/*
 * The record files below folder in rev (NULL: HEAD; none while the branch
 * is unborn): fn(path, NULL, arg) each.  The numbers a change checked
 * against HEAD gives up (a renumbered or deleted ticket) are still given
 * out (JOBNO-3).  0, or -1 (reported).
 */
int store_present(struct store *s, const char *rev, const char *folder,
		  int (*fn)(const char *path, const struct strbuf *text, void *arg), void *arg);

/*
 * store_removed() and then store_present() of HEAD, answered without
 * starting libgit2 when the files can say (a warm 'ae check': libgit2's
 * start alone is ~56 M instructions): the book at root (absolute) in a
 * plain repository (gitconfig_gitdir), HEAD read from its refs, the
 * cache .git/ae/removed-FOLDER made for HEAD's commit, want() false for
 * every removed path, and the index's cached tree of folder HEAD's.
 * Then removed(path, NULL, rarg) for each removed path in path order and
 * present(path, NULL, parg) for each of HEAD's files, as those two give
 * them (a non-zero return stops each), and 1.  2: no repository holds
 * root (as store_try_open would say).  0: nothing called; ask those two.
 */
int store_removed_quick(const char *root, const char *folder,
			int (*want)(const char *path, void *arg),
			int (*removed)(const char *path, const struct strbuf *text, void *arg),
			void *rarg,
			int (*present)(const char *path, const struct strbuf *text, void *arg),
			void *parg);

/*
 * Every file path under folder (relative to the book, "jobs") that any
 * commit of any local or remote-tracking branch has (so also those
 * deleted since, and those only a fetched branch has), as paths relative
 * to the book, in out (unsorted, possibly repeated).  0, or -1 (reported).
 */
int store_paths_ever(struct store *s, const char *folder, struct strlist *out);

/* -- merges: two clones that allocated the same number offline -- */

/* Whether a merge is in progress (MERGE_HEAD exists). */
int store_merging(struct store *s);
/* Book paths the index holds in conflict, sorted (owned strings). */
int store_conflicts(struct store *s, struct strlist *out);
/*
 * 1 when the book at root (absolute) is plainly in no merge and its
 * repository's index holds no conflict, told from the files without
 * starting libgit2 (a plain repository: gitconfig_gitdir; no MERGE_HEAD;
 * the index read by ae's own reader; no $GIT_INDEX_FILE); also 1 when no
 * repository holds root.  0: ask store_merging() and store_conflicts().
 */
int store_plainly_settled(const char *root);
/* The content of a conflicted path at stage 1 (base), 2 (ours) or 3
 * (theirs): 0, 1 if that stage is absent, -1. */
int store_read_stage(struct store *s, const char *path, int stage, struct strbuf *out);
/* The book as of the merge's base / the commit being merged in. */
struct source *store_source_merge_base(struct store *s);

/* libgit2's last error message. */
const char *store_error(void);

#endif
