/*
 * editing.h -- what the commands that change the book (set, close, tick,
 * new, the journal entries, renumber, commit) share: the book lock,
 * naming a record, and a change that is checked first, written, and
 * committed, or else undone.
 *
 * The order of every change, so that nothing is lost:
 *   1. open_book_to_change(): the book lock is taken once, before
 *      anything that will change is read, and held to the end; whatever
 *      an interrupted writer left half done is finished or undone, and
 *      its temporary files are removed;
 *   2. the files to change are read (read_book_file()) and the change is
 *      made in memory;
 *   3. the book as it will be is checked; nothing is written if it is
 *      wrong;
 *   4. the old content of each file goes to the rollback journal
 *      (rollback.h), then the files are written atomically, inside the
 *      book only (fileio.h);
 *   5. the change is committed (commit.h), holding git's index.lock;
 *   6. on any failure in 4 or 5 the old files are put back and the
 *      command says that nothing was changed;
 *   7. end_change() drops the lock.
 * A new command that changes the book calls open_book_to_change() (or
 * lock_book() when it does not load the book) first and end_change()
 * last, and apply_changes() in between.
 */
#ifndef AE_EDITING_H
#define AE_EDITING_H

#include "ae.h"
#include "book.h"
#include "commit.h"

struct rollback;

/*
 * Find the book, take its lock for this command line (argv[0] the
 * command's name), finish or undo what an interrupted writer left, and
 * load the book into b.  Returns 0, or an exit status (reported; nothing
 * is held then).  A book outside any git repository has no lock.
 */
int open_book_to_change(struct globals *g, struct book *b, int argc, char **argv);

/* As open_book_to_change(), for the book at root, without loading it. */
int lock_book(struct globals *g, const char *root, int argc, char **argv);

/* Release the book lock taken above, if any. */
void end_change(struct globals *g);

/*
 * The record named by its identifier or a unique prefix of one, of kind
 * `kind` (or any kind when -1).  An unknown or ambiguous name is reported
 * (listing the candidates) and gives NULL.
 */
const struct record *find_record(const struct book *b, const char *name, int kind);

struct file_change {
	char *path;		/* relative to the book; owned */
	char *text;		/* the new content, owned; NULL removes the file */
	size_t len;
};

struct change_set {
	struct file_change *v;
	size_t n, alloc;
	/* How apply_changes() reports the problems that stop the change:
	 * diag_flush() when NULL; a command whose change came from its own
	 * arguments says them in its terms (cmd_journal.c), then prints or
	 * forgets the rest.  Returns the exit status to give. */
	int (*report)(void *ctx);
	void *report_ctx;
};
void change_set_add(struct change_set *cs, const char *path, char *text, size_t len);
void change_set_release(struct change_set *cs);

/*
 * Check the book as it will be with these files, write them, and commit
 * them (unless no_commit).  Returns an exit status; on any but 0 the
 * files are as they were.
 */
int apply_changes(struct globals *g, const char *root, const struct change_set *cs,
		  const struct commit_opts *o, int no_commit);

/*
 * Steps 4 and 6 for a command that writes before it can check (ae new,
 * whose record goes through the editor): write cs's files, their old
 * contents kept in *rb.  Returns 0, or an exit status with nothing
 * written.  end_write() then forgets the old contents when status is 0
 * (or keep is set), or puts them back; it returns status, or
 * EXIT_SYSTEM when they cannot be put back, and frees *rb.
 */
int write_changes(struct globals *g, const char *root, const struct change_set *cs,
		  struct rollback **rb);
int end_write(struct rollback *rb, int status, int keep);

/*
 * When path differs from HEAD in the work tree (a command wrote it and
 * did not commit: --no-commit, or a hand edit), commit it and set
 * *pending; a command asked for a value the file already holds must
 * still see it committed.  Returns an exit status.
 */
int commit_pending(struct globals *g, const char *root, const char *path,
		   const struct commit_opts *o, int *pending);

/*
 * Read a book file from the work tree for a change, within the size
 * limit of a book file (max_file_bytes in ae.ini; 256 times that for the
 * journal, as book.h reads them), not through a symbolic link.  Returns
 * 0, or an exit status (reported): EXIT_BAD_RECORDS for what a book must
 * not hold (a link, a file too big), EXIT_SYSTEM otherwise.
 */
int read_book_file(const struct book *b, const char *path, struct strbuf *out);

/* Whether path is in the work tree: 1, 0, or -1 (reported: a symbolic
 * link on the way, or unreadable). */
int book_has_file(const struct book *b, const char *path);

/* open_book_to_change() for a command that edits records: not --at
 * (refused with "--at reads the past; NOW (drop --at)", now saying what
 * the command does in the present); problems in other records are left
 * to ae check.  0, or an exit status (nothing held then); end_change()
 * when done. */
int open_book_to_edit(struct globals *g, struct book *b, int argc, char **argv, const char *now);

/* The options of every command that commits, at argv[*i]: --no-commit
 * (into *no_commit), -m MSG and --as STAFF (into o).  1 when it was one
 * (*i then at its last word), else 0. */
int commit_option(int argc, char **argv, int *i, struct commit_opts *o, int *no_commit);

/* The staff id of whoever runs the command (--as or git's identity). */
const char *editor_identity(struct book *b, const char *as);

/* Field names of kind k in format order, for edit_set(); owned array. */
const char **field_order(const struct book *b, int kind, size_t *n);

/*
 * Record r's text as the work tree has it, with keys[i] set to values[i]
 * (edit_set: every other byte kept), into out; *changed says whether any
 * field changed.  For the commands that write fields they compute (sign,
 * approve, close).  0, or an exit status (reported).
 */
int edit_record(const struct book *b, const struct record *r, const char *const *keys,
		const char *const *values, int n, struct strbuf *out, int *changed);

#endif
