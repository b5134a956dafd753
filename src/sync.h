/*
 * sync.h -- a book shared by a team, as 'ae sync' exchanges it: the
 * message of a merge commit (sync_msg.c), a merge applied to the book
 * (sync.c), and renumbers across a merge (sync_renumber.c).
 * docs/ae-sync.1.md describes what the user sees.
 */
#ifndef AE_SYNC_H
#define AE_SYNC_H

#include "ae.h"
#include "book.h"
#include "commit.h"
#include "source.h"
#include "store.h"
#include "store_sync.h"
#include "util.h"

/* -- the merge commit's message (sync_msg.c) -- */

struct merge_msg_in {
	struct store *s;
	const char *ours, *theirs;	/* commit ids */
	const char *theirs_name;	/* "origin/main", or NULL */
	struct source *result;		/* the book as merged */
	const struct change_list *changes;	/* book paths differing from ours */
	const char *summary;		/* the first line; NULL: generated */
	const char *me_email;		/* the merger, not named as a co-author */
};

/*
 * The message of a merge commit, as a work diary: the summary ("merge
 * origin/main: 3 records from 王芳, 赵磊"), then for each record what
 * arrived, field by field, each with who made it (the newest commit on
 * their side since the merge base that changed it: computed from the
 * trees, never from messages), or "resolved in the merge" for a value
 * neither side had; journal lines added, each with its author.
 * Trailers: Record: for each file, Co-authored-by: for each author whose
 * changes the merge brings.  Owned.
 */
char *merge_message(const struct merge_msg_in *in);

/* The name people give the commit id: a remote-tracking branch
 * ("origin/main") or a branch pointing at it, else NULL.  Owned. */
char *merge_theirs_name(struct store *s, const char *hex);

/* -- a merge applied to the book (sync.c) -- */

/*
 * Merge the commit theirs (its name for people: theirs_name) into HEAD
 * in the book at root, under the book lock (g->lock): planned in memory
 * with ae's drivers, renumbers on their side carried over to our unpushed
 * work (sync_renumber.c), the book as merged checked.  Clean and valid:
 * the files are written and the merge committed (authored by the
 * committer, as o says), *merged set.  Otherwise the files are written,
 * the repository put into the merge state (store_merge_enter()), and the
 * conflicts and errors reported with what to do: returns
 * EXIT_BAD_RECORDS.  Returns an exit status.
 */
int sync_merge(struct globals *g, const char *root, const char *theirs, const char *theirs_name,
	       const struct commit_opts *o, int *merged);

/*
 * Bring HEAD forward to theirs, a descendant of it (a fast-forward):
 * the files that differ written, the branch moved.  An exit status.
 */
int sync_fast_forward(struct globals *g, const char *root, const char *theirs);

/*
 * Check the book of HEAD where it differs from `since` (NULL: the whole
 * book), before a push: 0 clean, EXIT_BAD_RECORDS with the diagnostics
 * printed and the records named, or EXIT_SYSTEM.
 */
int sync_check_head(struct globals *g, const char *root, const char *since);

/*
 * Describe what is left of a merge in progress (ae sync, ae check): each
 * conflicted file's conflicts as ae-check(1) reports them (diag.h), and a
 * file deleted on one side and changed on the other.  Returns how many
 * files are left in conflict.
 */
size_t sync_report_conflicts(struct store *s, const char *root);

/* The same for one path: 1 when it is a record both sides made (a
 * number given twice, for ae renumber, not ae resolve), else 0. */
int sync_report_path(struct store *s, const char *root, const char *path);

/*
 * What to do next about the merge in progress, as one line without its
 * end (owned): 'ae resolve' for the conflicts of fields and deletions,
 * 'ae renumber ID NEW' for a record both sides made, then 'ae sync
 * --continue'.
 */
char *sync_next_step(struct store *s);

/*
 * Whether name (a record's identifier, a prefix of one, or a path) names
 * a file that the merge in progress left in conflict in the book at
 * root: that file's path (owned), or NULL.
 */
char *sync_conflicted(const char *root, const char *name);

/* The way to name a conflicted path to ae resolve: its record's
 * identifier, or the path itself (a journal, ae.ini).  Owned. */
char *resolve_name(const char *path);

/* -- renumbers across a merge (sync_renumber.c) -- */

/* Old identifiers and their new ones. */
struct id_map {
	const char *from, *to;
};

/* The new identifier of s[0..len) among m[0..n), or NULL. */
const char *id_mapped(const struct id_map *m, size_t n, const char *s, size_t len);

/*
 * text with every whole word (words end at spaces, tabs and line ends)
 * that is an old identifier of m made its new one, in the lines listed in
 * only (their text without line end; NULL: every line), into out: a
 * journal's lines renumbered.  1 when something changed.
 */
int rewrite_id_words(const struct id_map *m, size_t n, const char *text, size_t len,
		     const struct strlist *only, struct strbuf *out);

/*
 * A renumbered record says what it was: its field renumbered_from (every
 * kind's format has it) holds its former identifier, written by ae
 * renumber.  So a renumber is read from the trees, never from a message.
 */
struct renumber {
	char *from, *to;	/* the old and the new path, relative to the book */
};

struct renumber_list {
	struct renumber *v;
	size_t n, alloc;
};
void renumber_list_release(struct renumber_list *l);

/*
 * The renumbers made between the commits base and tip: records of tip
 * (not of base) whose renumbered_from names a record of base that tip no
 * longer has, or has as another record (what tip has under the old
 * number agrees with base's on fewer fields than the renumbered record
 * does).  A record renumbered in a merge because both sides made the
 * number is not one of base's: the base's keeps its number.  0, or -1.
 */
int renumbers_between(struct store *s, const char *base, const char *tip,
		      struct renumber_list *out);

/*
 * The book as a merge made it, for carrying work over: read a file (0,
 * 1 absent, -1), write one (text NULL: removed; stages, when not NULL,
 * the base, ours and theirs of a conflict left in text): 0 or -1.
 */
struct carry_io {
	const char *base, *ours, *theirs;	/* the merge's commits */
	int (*read)(void *ctx, const char *path, struct strbuf *out);
	int (*write)(void *ctx, const char *path, const char *text, size_t len,
		     const struct strbuf *const *stages);
	void *ctx;
};

/*
 * Carry io->ours' work on r->from (a record io->theirs renumbered r->to)
 * over: its changes to the record since the merge base merged into
 * r->to, r->from left as io->theirs has it (gone, or another record),
 * and the references and journal lines it added or changed that name the
 * old identifier rewritten; each said in `said`.  ours_renumbered: io's
 * sides are the merge's swapped (this clone renumbered; the work that
 * arrived is carried), which only the words said tell.  0, or -1
 * (reported).
 */
int renumber_carry(struct store *s, const struct carry_io *io, const struct renumber *r,
		   int ours_renumbered, struct strbuf *said);

/*
 * In a merge of theirs into ours (plan p; ours the clone's unpushed
 * side): for each renumber theirs made since the merge base whose old
 * record ours changed since, ours' changes are merged into the
 * renumbered record, never into whatever now has the old number (two
 * tickets would be blended), and the references and journal lines ours
 * added or changed that name the old identifier are rewritten; and the
 * same the other way, theirs' work on a number ours renumbered.  What
 * was carried over is said in `said`, for the user.  0, or -1 (reported).
 */
int renumber_carry_over(struct store *s, struct merge_plan *p, struct strbuf *said);

/*
 * In a merge of theirs into ours whose merge base is base (commit ids):
 * a record one side renumbered away and gave the old number to another
 * record, while the other side changed it (its fields would come from
 * two tickets); and the other side's records and journal lines that
 * still name the old identifier.  Reported as errors (diag.h) at the
 * book as merged (work), with the way out, 'ae renumber OLD NEW'.
 * For ae check and the commit that concludes a merge.  Returns how many
 * were reported.
 */
int renumber_check_merge(struct store *s, const char *base, const char *ours,
			 const char *theirs, struct source *work);

/*
 * The same for the merge in progress (MERGE_HEAD into HEAD); 0 when
 * there is none.  fetched: the merge git is about to record (its
 * pre-merge-commit hook), whose other side git has not yet written to
 * MERGE_HEAD; it is FETCH_HEAD's (git pull, or a merge of what was
 * fetched).
 */
int renumber_check_merging(struct store *s, struct source *work, int fetched);

#endif
