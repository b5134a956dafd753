/*
 * store_int.h -- what the store_*.c files share; nothing else includes
 * it.  The store_*.c files are the only ones that include <git2.h>, and
 * they call libgit2 through store_lib.h's table: ae is not linked with it.
 */
#ifndef AE_STORE_INT_H
#define AE_STORE_INT_H

#include <git2.h>

#include "store_lib.h"

#include "gitindex.h"
#include "store.h"

struct store {
	git_repository *repo;
	char *workdir;		/* ends in '/' */
	char *gitdir;
	char *prefix;		/* "" or "sub/dir/" */
	char *index_path;	/* the index $GIT_INDEX_FILE names; NULL: .git/index */
	int index_pending;	/* that index not yet the repository's (store_index) */
	struct gitindex *own_index;	/* ae's reading of it, kept (store_index.c) */
};

/* The areas of a book that ae commits: top-level names. */
extern const char *const store_book_areas[];
#define STORE_NBOOK_AREAS 12
/* Whether a path relative to the book lies in one of them. */
int store_in_book_area(const char *rel);

/*
 * The repository's index (a new reference; git_index_free it), read now
 * and whole: read again while git or another ae renamed a new index into
 * place during the read.  0, or -1 (libgit2's error).
 */
int store_index(struct store *s, git_index **out);

/*
 * The deltas of diff under the book's folder as changes (paths relative
 * to the book), appended to out; with book_only, only the book's areas
 * (store_in_book_area).  Paths outside the folder are counted in
 * *outside when it is not NULL.
 */
void store_diff_changes(const struct store *s, git_diff *diff, int book_only,
			struct change_list *out, size_t *outside);
/*
 * A change at the repository path p (type CH_*) appended to out as
 * store_diff_changes does: under the book's folder (else counted in
 * *outside when not NULL), with book_only in its areas.
 */
void store_add_change(const struct store *s, const char *p, int type, int book_only,
		      struct change_list *out, size_t *outside);
/*
 * The staged changes (HEAD's tree against the index) read by ae's own
 * reader (store_index.c): 0; 1 when it cannot (then libgit2 must);
 * -1 failure (reported).  $AE_INDEX=libgit2 makes it answer 1 always.
 */
int store_staged_own(struct store *s, struct change_list *out);
/* Whether ae's own reader of the index may be used ($AE_INDEX). */
int store_own_index_enabled(void);
/*
 * The index read by ae's own reader (gitindex.h), the caller's to free
 * (gitindex_release and free): the one read last when the file is still
 * the same, else read now.  NULL when the reader cannot take it (or
 * $AE_INDEX=libgit2): use libgit2.
 */
struct gitindex *store_own_index(struct store *s);
/* Keep ix (from store_own_index) for the next call; takes it. */
void store_own_index_keep(struct store *s, struct gitindex *ix);

/*
 * ae commit of a few paths on ae's own writer of the index (store_index.c):
 * the index read under index.lock, the changed entries (blobs written
 * as git add writes them, the files' stat data), sorted by path.
 */
struct store_own_commit {
	struct gitindex *ix;
	struct gitindex_new *v;
	size_t n;
};
/* More changed paths than this: libgit2's index (a big commit). */
#define STORE_OWN_MAX 64
/*
 * 0 staged in oc; 1 not for the own writer (too many paths, a link, a
 * file that changed while read, an index it does not write: versions
 * 2-3 without conflicts; $AE_INDEX=libgit2), oc empty; -1 (reported).
 */
int store_own_stage(struct store *s, const struct change_list *changes, struct store_own_commit *oc);
/* HEAD's tree (parent's) with oc's entries: 0, or -1 (reported). */
int store_own_tree(struct store *s, git_commit *parent, const struct store_own_commit *oc,
		   git_oid *tree_oid);
/*
 * The new index at path (through PATH.lock, synced): oc's entries in
 * place, the cached tree's folders along them the new tree's (tree_oid)
 * or invalidated.  0, or -1 (reported).
 */
int store_own_write(struct store *s, const struct store_own_commit *oc, git_commit *parent,
		    const git_oid *tree_oid, const char *path);
void store_own_commit_release(struct store_own_commit *oc);
/* The path of the repository's index file (owned). */
char *store_index_file(const struct store *s);

/*
 * The index file at path (one of ae's own, not .git/index) opened as the
 * repository's index, in *out (the caller frees it; the repository keeps
 * its own reference).  0, or -1 (reported).
 */
int store_index_at(struct store *s, const char *path, git_index **out);
/* ci from the commit c whose id is oid (pointing into c). */
void store_commit_info_fill(struct store_commit_info *ci, const git_oid *oid, git_commit *c);
/* libgit2 initialised once, fsyncing what it writes. */
void store_global_init(void);
void store_sleep_ms(int ms);
/* A book path as a repository path (owned). */
char *store_full(const struct store *s, const char *path);
/*
 * Merge the commit theirs into ours in memory with ae's drivers
 * (store_mergedrv.c): the merged index in *idx (when idx is not NULL;
 * the caller frees it), and in out the text of every book file ae's
 * drivers merged or left in conflict.  The number of files in conflict,
 * or -1 (reported).
 */
struct merged_files;
int store_merge_in_memory(struct store *s, const git_oid *ours, const git_oid *theirs,
			  git_index **idx, struct merged_files *out);

/*
 * git's commit-graph with changed-path filters (commitgraph.h) written
 * by git when it lags 64 first-parent commits behind HEAD, or has no
 * filters and the history is as long: after a commit landed.
 */
void store_graph_refresh(struct store *s);

/* The first MERGE_HEAD: 0, or -1 when no merge is in progress. */
int store_merge_head(struct store *s, git_oid *out);

/*
 * The objects of a big commit written into packs (store_pack.c): with
 * nfiles changed files at least $AE_PACK_MIN_FILES (default 100), every
 * object written to the repository from store_pack_begin() on goes into
 * a pack of ae's own (*out set; NULL below the threshold: loose objects
 * as ever).  store_pack_end() finishes it: on disk and synced (the .pack,
 * its .idx, the folder), read by git, before the branch may move; 0, or
 * -1 (reported: the objects since begin are not all written, the commit
 * must fail).  store_pack_drop() throws away what was not finished.  Both
 * put the repository's own object database back and free p (NULL is
 * fine).  begin: 0, or -1 (reported).
 */
struct store_pack;
int store_pack_begin(struct store *s, size_t nfiles, struct store_pack **out);
int store_pack_end(struct store *s, struct store_pack *p);
void store_pack_drop(struct store *s, struct store_pack *p);

#endif
