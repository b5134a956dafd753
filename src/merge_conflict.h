/*
 * merge_conflict.h -- what a merge of a book file produces, and the
 * conflict blocks ae writes where both sides changed one field of a
 * record (or one journal line) differently: rendering them, finding them
 * again, describing them for ae check, and settling one mechanically.
 *
 * A block holds one field (or line) as each side would have it, whole,
 * so that keeping one side's lines and dropping the rest of the block
 * leaves a well-formed file (docs/ae-merge.5.md):
 *
 *     <<<<<<< ours KEY[ by WHO]
 *     the field's lines as ours has it (none: ours deleted it)
 *     ||||||| base KEY
 *     the field's lines in the merge base (none: it had no such field)
 *     =======
 *     the field's lines as theirs has it (none: theirs deleted it)
 *     >>>>>>> theirs KEY[ by WHO]
 *
 * KEY is the field's name in a record ("[SECTION]/NAME" in a file of
 * several sections, such as ae.ini) and "line-N" in a journal, N the line
 * of the merge base that both sides changed.  WHO, when known, is the
 * author and commit that made that side's change: "李明
 * <li.ming@example.com> in 1a2b3c4".  Marker lines end as the file's
 * lines do.  Pure functions, but conflict_report() reports via diag.h.
 */
#ifndef AE_MERGE_CONFLICT_H
#define AE_MERGE_CONFLICT_H

#include <stddef.h>

#include "util.h"

enum merge_side { MS_OURS, MS_BASE, MS_THEIRS };

/* A piece of a merge's result: text taken as it is, or a conflict. */
struct merge_piece {
	struct strbuf text;	/* text, or nothing for a conflict */
	char *key;		/* a conflict's KEY (owned), or NULL for text */
	struct strbuf part[3];	/* a conflict's lines, by enum merge_side */
	char *who[2];		/* ours' and theirs' WHO (owned), NULL: unknown */
};

struct merge_result {
	struct merge_piece *v;
	size_t n, alloc;
	int conflicts;
	const char *eol;	/* the file's line end, for the marker lines */
	int by_lines;		/* merged as plain lines, not by fields */
};

/*
 * The merges that need no reading: ours and theirs alike, or one side as
 * the base left it.  Returns 1 with r (initialised) holding the result,
 * or 0, r untouched.
 */
int merge_trivial(const char *base, size_t blen, const char *ours, size_t olen,
		  const char *theirs, size_t tlen, struct merge_result *r);

/* The text piece at the end of r, to append lines to (see mline_put). */
struct strbuf *mres_text(struct merge_result *r);
/* Append a conflict for key; the parts are complete lines (copied). */
struct merge_piece *mres_conflict(struct merge_result *r, const char *key,
				  const struct strbuf *ours, const struct strbuf *base,
				  const struct strbuf *theirs);
/* The result as a file: text, with each conflict as a block. */
void merge_result_render(const struct merge_result *r, struct strbuf *out);
void merge_result_release(struct merge_result *r);

/*
 * The text of line N of text (without its line end, *len bytes) for a
 * "line-N" KEY, or NULL: the merge base's line a journal conflict is
 * about, for finding who changed it.
 */
const char *conflict_key_line(const char *key, const char *text, size_t tlen, size_t *len);

/* One conflict block found in a file. */
struct conflict_block {
	int line;		/* of its '<<<<<<<' line, from 1 */
	size_t start, end;	/* its bytes, marker lines included */
	size_t part[3][2];	/* bytes [from, to) of each side's lines */
	char *key;		/* owned */
	char *who[2];		/* owned, NULL when not given */
};

struct conflict_list {
	struct conflict_block *v;
	size_t n, alloc;
	int stray;		/* marker lines outside any well-formed block */
};

/* The blocks of text[0..len), in order.  Returns their number. */
size_t conflict_find(const char *text, size_t len, struct conflict_list *out);
void conflict_list_release(struct conflict_list *l);

/* How ae resolve names the file at path (relative to the book): a
 * record's identifier, else the path (a journal, ae.ini).  Owned. */
char *conflict_record_name(const char *path);

/*
 * For ae check: when text holds ae's conflict blocks and no other marker
 * line, report each block as an error at its first line, naming the
 * field, each side's value and who made it, and the 'ae resolve' command
 * that settles it, and return how many; return
 * 0, reporting nothing, otherwise (the caller's generic report of
 * leftover markers applies).
 */
int conflict_report(const char *path, const char *text, size_t len);

/*
 * Settle the block for key by keeping side's lines (the base's with
 * MS_BASE): out is text with that block replaced, every other byte as
 * it was.  Returns 0, or -1 when no block has that key.
 */
int conflict_resolve(const char *text, size_t len, const char *key, enum merge_side side,
		     struct strbuf *out);

#endif
