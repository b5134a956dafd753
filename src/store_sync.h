/*
 * store_sync.h -- the store's part in 'ae sync' and 'ae resolve': the
 * branch's upstream, how two commits relate, what differs between them,
 * a merge planned in memory with ae's drivers, the merge state that a
 * merge with conflicts (or errors) leaves for 'ae resolve' and 'ae sync
 * --continue', and the commits a merge brings and who made them.
 *
 * Implemented by store_sync.c (references, differences, walks) and
 * store_syncmerge.c (the plan, the merge state, the index).  Like
 * store.h, no libgit2 type crosses this header.  Revisions are anything
 * git_revparse accepts; commit ids are given back as 40 hex digits.
 *
 * The index is changed only under the book lock and git's index.lock,
 * through a copy that is renamed over .git/index: the old index is kept
 * beside it (.git/ae-index-old) until a note in the book lock says the
 * new one is in place, so that a kill -9 at any moment leaves the old
 * index and no merge state, or the new index and the whole merge state
 * (store_swap_recover()).
 */
#ifndef AE_STORE_SYNC_H
#define AE_STORE_SYNC_H

#include <stddef.h>

#include "store.h"
#include "util.h"

struct book_lock;

/* -- references and history (store_sync.c) -- */

/* The branch ae sync exchanges with. */
struct store_upstream {
	char *local;		/* the local branch: "main" */
	char *remote;		/* the remote's name: "origin" */
	char *branch;		/* the remote's branch: "main" */
	char *tracking;		/* the remote-tracking ref: "refs/remotes/origin/main" */
	char *name;		/* as people write it: "origin/main" */
	int configured;		/* branch.LOCAL.remote and .merge are set */
};
void store_upstream_release(struct store_upstream *u);

/*
 * The upstream of HEAD's branch (branch.NAME.remote and .merge, as 'git
 * pull' reads them), or, when none is configured, the branch of the same
 * name on the remote 'origin' (or on the only remote).  0; 1 when the
 * repository has no remote (nothing set); -1 (reported: a detached HEAD).
 */
int store_upstream(struct store *s, struct store_upstream *u);

/* The commit id of rev: 0, 1 when there is no such revision, -1 (reported). */
int store_rev(struct store *s, const char *rev, char out[41]);

/* How many commits a has that b lacks (*ahead) and b has that a lacks
 * (*behind).  0, or -1 (reported). */
int store_ahead_behind(struct store *s, const char *a, const char *b, size_t *ahead,
		       size_t *behind);

/* The merge base of a and b: 0, 1 when they have none, -1 (reported). */
int store_merge_base_of(struct store *s, const char *a, const char *b, char out[41]);

/*
 * The paths (relative to the book) that differ between the commits
 * `from` (NULL: nothing) and `to`, all of them under the book's folder
 * (book_only: only the book's areas, as ae commits them).  Paths outside
 * the book's folder that differ are counted in *outside when outside is
 * not NULL.  0, or -1 (reported).
 */
int store_diff(struct store *s, const char *from, const char *to, int book_only,
	       struct change_list *out, size_t *outside);

/*
 * The commits reachable from tip and not from hide (NULL: none), newest
 * first in topological order, each handed to fn; fn returns non-zero to
 * stop.  0, or -1 (reported).
 */
int store_range(struct store *s, const char *tip, const char *hide,
		int (*fn)(const struct store_commit_info *c, void *arg), void *arg);

/*
 * For each commit of the range above that is not a merge, and each of
 * paths (relative to the book) that it changed from its parent, fn gets
 * the two versions (old absent: had_old 0; new absent: has_new 0).  fn
 * returns non-zero to stop the walk.  At most `limit` commits are read.
 * 0, or -1 (reported).
 */
int store_walk_changes(struct store *s, const char *tip, const char *hide,
		       const struct strlist *paths, size_t limit,
		       int (*fn)(const struct store_commit_info *c, const char *path,
				 const struct strbuf *old, int had_old,
				 const struct strbuf *new, int has_new, void *arg),
		       void *arg);

/* Write text as a blob of the repository: its id in out.  0, or -1. */
int store_blob_write(struct store *s, const char *text, size_t len, char out[41]);

/* The names of the references matching glob (such as refs/remotes/ and a
 * star), sorted.
 * 0, or -1 (reported). */
int store_refs(struct store *s, const char *glob, struct strlist *out);

/* The content of path (relative to the book) in rev: 0, 1 absent, -1. */
int store_read_at(struct store *s, const char *rev, const char *path, struct strbuf *out);

/*
 * A merge commit of HEAD and the commit theirs (store_commit.c): the
 * work tree's changes, which the caller wrote (the merged files), are
 * committed on HEAD's tree with the two parents, as store_commit()
 * commits (the same locks, notes and returns).
 */
int store_commit_merge(struct store *s, struct book_lock *l, const struct change_list *changes,
		       const char *theirs, const char *msg, const char *name, const char *email,
		       long long when, int tz_minutes, char oid[41]);

/*
 * HEAD's branch moved forward to target, a descendant of HEAD, whose
 * files the caller wrote (changes: what differs from HEAD), the index
 * updated along; as store_commit() does, with the same returns.
 */
int store_fast_forward(struct store *s, struct book_lock *l, const struct change_list *changes,
		       const char *target, char oid[41]);

/* -- a merge planned in memory, the merge state (store_syncmerge.c) -- */

enum plan_conflict {
	PLAN_CLEAN,		/* merged */
	PLAN_BLOCKS,		/* ae's conflict blocks in the text (ae-merge(5)) */
	PLAN_DELETED_OURS,	/* we deleted it, they changed it: their text */
	PLAN_DELETED_THEIRS,	/* they deleted it, we changed it: our text */
	PLAN_OTHER,		/* a file ae does not merge: git's markers */
};

struct plan_file {
	char *path;		/* relative to the book */
	int present;		/* the merge leaves a file there */
	struct strbuf text;	/* its content */
	unsigned mode;
	enum plan_conflict conflict;
	/* a conflict's versions for the index: base, ours, theirs */
	char stage_oid[3][41];	/* "" when that side has none */
	unsigned stage_mode[3];
};

/* What merging theirs into ours changes in ours' book. */
struct merge_plan {
	char ours[41], theirs[41], base[41];	/* base "" when none */
	struct plan_file *v;	/* the book's paths that change, sorted */
	size_t n, alloc;
	size_t conflicts;	/* files in conflict */
	struct strlist outside;	/* paths outside the book's folder that change */
};
void merge_plan_release(struct merge_plan *p);

/*
 * Merge theirs into ours in memory, as 'git merge' does with the drivers
 * ae init configures (records field by field, journals line by line;
 * libgit2's own merge for other files, renames found): every book file
 * whose merged content differs from ours'.  Nothing on disk changes.
 * 0, or -1 (reported).
 */
int store_merge_plan(struct store *s, const char *ours, const char *theirs,
		     struct merge_plan *out);

/* The plan's file for path, or NULL. */
struct plan_file *merge_plan_find(struct merge_plan *p, const char *path);

/*
 * Put the repository into the merge state of plan p, whose files the
 * caller has written to the work tree (under the rollback journal): the
 * index holds the merged files, and each conflict's three versions as
 * git keeps them (so 'git status' and 'git commit' see an unmerged
 * path), and MERGE_HEAD, MERGE_MSG (msg) and MERGE_MODE say what is
 * being merged.  Under the book lock l; lands with one rename.  Returns
 * 0, or -1 (reported: nothing changed).
 */
int store_merge_enter(struct store *s, struct book_lock *l, const struct merge_plan *p,
		      const char *msg);

/*
 * Stage paths (relative to the book) as the work tree has them (a path
 * absent there is removed from the index), which settles their conflicts
 * in the index ('git add' of a resolved file).  Under the book lock l.
 * 0, or -1 (reported: the index is as it was).
 */
int store_stage_paths(struct store *s, struct book_lock *l, const struct strlist *paths);

/*
 * Under the book lock, just taken: an index swap that the previous holder
 * was killed in the middle of is finished (it had landed) or undone (the
 * old index back, the merge state it began removed).  1 when it had
 * landed, 0 when there was none or it was undone, -1 (reported).
 */
int store_swap_recover(struct store *s, struct book_lock *l);

/*
 * The caller of store_merge_enter() or store_stage_paths() has finished
 * what goes with the swap (its rollback journal forgotten): the notes
 * that would make a later kill count the swap as landed are cleared.
 */
void store_swap_done(struct book_lock *l);

/* A conflicted path's three versions in the index: *have[i] set when
 * stage i+1 (base, ours, theirs) is there.  0, or -1. */
int store_conflict_stages(struct store *s, const char *path, int have[3]);

#endif
