/*
 * editing.h -- what the editing commands (set, close, tick, new, the
 * journal entries, renumber) share: naming a record, and writing a change
 * that was checked first and is committed after.
 *
 * Nothing is lost: a change is checked against the book as it will be
 * before any file is written; files are written atomically (fileio.h);
 * then the change is committed through commit.h.
 */
#ifndef AE_EDITING_H
#define AE_EDITING_H

#include "ae.h"
#include "book.h"
#include "commit.h"

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
};
void change_set_add(struct change_set *cs, const char *path, char *text, size_t len);
void change_set_release(struct change_set *cs);

/*
 * Check the book as it will be with these files, write them, and commit
 * them (unless no_commit).  Returns an exit status; on 1 nothing was
 * written.
 */
int apply_changes(struct globals *g, const char *root, const struct change_set *cs,
		  const struct commit_opts *o, int no_commit);

/* Read a book file from the work tree: 0, or -1 (reported). */
int read_book_file(const char *root, const char *path, struct strbuf *out);

/* Open the book for a command that changes it: not --at; problems in
 * other records are left to ae check.  0, or an exit status. */
int open_book_to_edit(struct globals *g, struct book *b);

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
