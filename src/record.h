/*
 * record.h -- one record file in memory, kept compact.
 *
 * A record is read (textfile), parsed (inifile), checked field by field
 * against its format (validate) and then kept with only what later rules
 * and commands read: prose fields are dropped once checked, so a book of
 * a hundred thousand records fits in memory.  Strings live in the book's
 * arena.
 */
#ifndef AE_RECORD_H
#define AE_RECORD_H

/* 16 bytes: a book of 100,000 records keeps about a million of these. */
struct rval {
	const char *value;	/* a multi-line value is preceded in the arena by
				 * the line and column of each line, then their
				 * count: see rval_pos() */
	int line;		/* where the value starts */
	unsigned short col;
	unsigned char field;	/* index into the kind's format */
	unsigned char multi;	/* the value spans lines */
};

struct record {
	const char *id;		/* the file name without .ini */
	const char *path;	/* relative to the book's root */
	struct rval *vals;	/* sorted by field index */
	int nvals;
	int line;		/* the kind section's line */
	short kind;
	unsigned char bad;	/* errors were reported for this file */
	unsigned char stub;	/* known by its file name alone (book_load_only) */
};

/* The value of field (an index into the kind's format), or NULL. */
const struct rval *rec_val(const struct record *r, int field);
const char *rec_str(const struct record *r, int field);
/* Where line k (from 0) of a value starts. */
void rval_pos(const struct rval *v, int k, int *line, int *col);

#endif
