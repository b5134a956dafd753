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

#include <stdint.h>

/*
 * 16 bytes: a book of 100,000 records keeps about a million of these.
 * The value's text is found from the rval's own address (rval_text()),
 * not through a pointer, so that the parse cache's file can hold a
 * record's rvals exactly as they are used: mapped, checked where they
 * lie, never copied (cache_body.c; the file's numbers are native,
 * little-endian on every machine ae is built for).  So an rval is never
 * copied by value: it only means something where it was made.
 */
struct rval {
	int64_t off;		/* from this rval to its text, NUL-terminated; a
				 * multi-line value's text is preceded by the line
				 * and column of each line, then their count (ints,
				 * 4-aligned): see rval_pos() */
	int line;		/* where the value starts */
	unsigned short col;
	unsigned char field;	/* index into the kind's format */
	unsigned char flags;	/* RVAL_MULTI, RVAL_PLAIN */
};
/* the value spans lines */
#define RVAL_MULTI 1
/* its line is printable ASCII up to it (a key, '=', spaces): its column
 * is the same in characters, bytes and the cells a terminal shows, so a
 * diagnostic there needs no reading of the file to say it (rval_diag()) */
#define RVAL_PLAIN 2

struct record {
	const char *id;		/* the file name without .ini */
	unsigned long id_hash;	/* hash_str() of id, made where id is set; 0: not made */
	const char *path;	/* relative to the book's root */
	const struct rval *vals;	/* sorted by field index; in the parse cache's
				 * mapping, read-only, when read from it */
	int nvals;
	int line;		/* the kind section's line */
	short kind;
	unsigned char bad;	/* errors were reported for this file */
	unsigned char stub;	/* known by its file name alone (book_load_only) */
};

_Static_assert(sizeof(struct rval) == 16, "the parse cache holds rvals as they are");

static inline const char *rval_text(const struct rval *v)
{
	return (const char *)((uintptr_t)v + (uintptr_t)v->off);
}

/* Points v at text (which must outlive it and stay where it is). */
static inline void rval_set_text(struct rval *v, const char *text)
{
	v->off = (int64_t)((uintptr_t)text - (uintptr_t)v);
}

/* The value of field (an index into the kind's format), or NULL. */
const struct rval *rec_val(const struct record *r, int field);
const char *rec_str(const struct record *r, int field);
/* Where line k (from 0) of a value starts. */
void rval_pos(const struct rval *v, int k, int *line, int *col);
/* diag_at() at where v starts (its line and column). */
void rval_diag(int level, const char *path, const struct rval *v, const char *rule,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
