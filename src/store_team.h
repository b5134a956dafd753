/*
 * store_team.h -- the store's part in a book shared by a team: reading
 * a bare repository (the shared remote's pre-receive check), the index a
 * hook is given, git's configuration and hooks folder for setting up a
 * clone, and ae's merge drivers run inside libgit2 (docs/ae-team.7.md).
 *
 * Implemented by store_bare.c, store_config.c and store_mergedrv.c; like
 * store.h, no libgit2 type crosses this header.
 */
#ifndef AE_STORE_TEAM_H
#define AE_STORE_TEAM_H

#include <stddef.h>

#include "store.h"
#include "util.h"

/* -- bare repositories (store_bare.c) -- */

/*
 * Open the bare repository at or above dir, for reading commits
 * (ae --at REV COMMAND on the server).  The book is the top of the tree,
 * or the folder named by git config ae.book.  Objects a push brings are
 * read before git accepts them: the quarantine folder of a pre-receive
 * hook ($GIT_OBJECT_DIRECTORY, $GIT_ALTERNATE_OBJECT_DIRECTORIES) is
 * added to the objects read.  NULL, without a word, when dir is in no
 * bare repository.
 */
struct store *store_open_bare(const char *dir);

/*
 * Make dir a bare repository unless it is one (*created says which);
 * refuse a repository with a work tree.  NULL with the reason reported.
 */
struct store *store_init_bare(const char *dir, int *created);

/* -- the index of a hook, configuration, hooks (store_config.c) -- */

/*
 * Read the index git named in $GIT_INDEX_FILE instead of the
 * repository's own, as git's hooks must: 'git commit -a' and 'git commit
 * PATH' commit from a temporary index.  A relative name is taken from the
 * top of the work tree (where git runs hooks).  0 (also when unset), or
 * -1 (reported).
 */
int store_use_env_index(struct store *s);

/* A value of the repository's configuration (all levels), owned; NULL if unset. */
char *store_config_get(struct store *s, const char *key);
/* Set key in the repository's own configuration (.git/config).  0 or -1 (reported). */
int store_config_set(struct store *s, const char *key, const char *value);

/*
 * The folder git runs hooks from (owned, no trailing '/'): core.hooksPath
 * when set ("~/" is the home folder, a relative path is relative to the
 * top of the work tree, or to the repository of a bare one), else the
 * repository's hooks/ (the main repository's, from a linked worktree).
 */
char *store_hooks_dir(struct store *s);

/* -- merge drivers inside libgit2 (store_mergedrv.c) -- */

/* The drivers' names, as .gitattributes selects them (merge=NAME). */
#define STORE_DRIVER_RECORD "ae-record"
#define STORE_DRIVER_JOURNAL "ae-journal"

/*
 * Register ae's record and journal merges with libgit2 under the
 * driver names above, once, so that git_merge*() inside ae merges as
 * 'git merge' does with the drivers ae init configures.  Where both
 * sides changed a field differently the file stays in conflict (the
 * index keeps its three stages) and the text with ae's conflict blocks
 * is kept for store_merge_files().  0 or -1 (reported).
 */
int store_merge_drivers_register(void);

struct merged_file {
	char *path;		/* relative to the book */
	struct strbuf text;	/* the merged content, conflict blocks included */
	int conflicts;		/* 0: merged cleanly */
};

struct merged_files {
	struct merged_file *v;
	size_t n, alloc;
};
void merged_files_release(struct merged_files *l);

/*
 * Merge the commit theirs into ours (revisions) in memory, the way ae
 * sync will: every book file both sides changed, as ae's drivers (or,
 * for a file they do not handle, libgit2's line merge) made it, with
 * conflict blocks naming who made each side.  Nothing on disk changes.
 * Returns the number of files left in conflict, or -1 (reported).
 */
int store_merge_files(struct store *s, const char *ours, const char *theirs,
		      struct merged_files *out);

/*
 * Who made the change to one field (or journal line) of path on the side
 * whose tip is `tip`, since its merge base with `other`: the newest
 * non-merge commit there that changed it, as "NAME <EMAIL> in ABCDEF1"
 * (owned), or NULL when it cannot be told.  path is relative to the
 * repository; key is a conflict's KEY (merge_conflict.h), base_line the
 * merge base's text of a "line-N".
 */
char *store_merge_who(struct store *s, const char *tip, const char *other, const char *path,
		      const char *key, const char *base_line, size_t base_len);

#endif
