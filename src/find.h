/*
 * find.h -- a text searched for in every field of every record and in
 * every line of the journal (ae find), one hit per line of text.
 *
 * A field's value is searched line by line, each line where the file
 * has it, so that a hit names its own line.  The search is for a plain
 * substring: Latin letters match whatever their case (ASCII, Latin-1,
 * Latin Extended-A and full-width letters), every other character only
 * itself, so Chinese text is matched as written.  An enumerated value
 * matches by any of its labels too (已交付 finds status = delivered, and
 * delivered finds status = 已交付), and so does an expense's category
 * in the journal (交通 finds taxi).
 *
 * The files are read through the book's source (the work tree, or a
 * revision with --at); records are those the book loaded, bad ones
 * included.
 */
#ifndef AE_FIND_H
#define AE_FIND_H

#include "book.h"

/* Which records a search looks at. */
struct find_opts {
	const char *text;	/* what to find (not empty) */
	int kind;		/* a record kind, FIND_JOURNAL, or -1 for all */
	const char *client;	/* a client's identifier, or NULL for all */
};
#define FIND_JOURNAL K__N

struct find_hit {
	const char *path;	/* the file, relative to the book */
	int line;		/* the line of the text, from 1 */
	const char *record;	/* the record's identifier; NULL for the journal */
	const char *kind;	/* "job" ... or "journal" */
	const char *field;	/* the field, or the journal line's verb */
	const char *text;	/* that line of the value, or the journal line */
	const char *label;	/* what matched when the text itself did not (a
				 * label or a value), or NULL */
	const char *client;	/* the client it is about, or NULL */
};

struct find_result {
	struct find_hit *v;	/* sorted by path and line */
	size_t n, alloc;
	struct arena arena;	/* the hits' strings */
};

/* Search b; hits into res (find_result_release() frees them).  Files
 * that cannot be read are skipped. */
void find_run(const struct book *b, const struct find_opts *o, struct find_result *res);
void find_result_release(struct find_result *res);

/*
 * text folded for matching: Latin letters made lowercase, everything
 * else copied.  Appended to out.  For the tests of the folding.
 */
void find_fold(struct strbuf *out, const char *s, size_t n);

#endif
