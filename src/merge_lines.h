/*
 * merge_lines.h -- the line-level machinery of ae's merges: a text as
 * lines (each keeping its own line end), the differences between two
 * line sequences as hunks (Myers), and the regions of a three-way merge
 * of line sequences, each saying which side changed it.
 *
 * Lines compare by their text without the line end ("\n" or "\r\n"), so
 * a last line without a line end equals the same line with one; each
 * keeps its own end for output.  Pure functions: no I/O, no git.
 */
#ifndef AE_MERGE_LINES_H
#define AE_MERGE_LINES_H

#include <stddef.h>

#include "util.h"

struct mline {
	const char *s;		/* the line's text, in the caller's buffer */
	size_t len;		/* without its line end */
	size_t eol;		/* bytes of its line end: 0, 1 or 2 */
	unsigned long hash;
};

struct mlines {
	struct mline *v;
	size_t n, alloc;
	const char *eol;	/* the text's usual line end, for lines that need one */
};

/* Split text[0..len) into lines; the text must outlive ls. */
void mlines_split(struct mlines *ls, const char *text, size_t len);
void mlines_release(struct mlines *ls);

/* Whether two lines have the same text (line ends aside). */
int mline_eq(const struct mline *a, const struct mline *b);
/* Whether a[a0..a1) and b[b0..b1) hold the same lines. */
int mlines_eq(const struct mlines *a, size_t a0, size_t a1,
	      const struct mlines *b, size_t b0, size_t b1);

/*
 * Append line l to out with its own line end.  When out ends in a line
 * without its line end (the last line of a side), that line gets eol
 * first: a missing final line end is kept only where nothing follows.
 */
void mline_put(struct strbuf *out, const struct mline *l, const char *eol);
/* Append a[a0..a1) to out as mline_put() does. */
void mlines_put(struct strbuf *out, const struct mlines *a, size_t a0, size_t a1,
		const char *eol);

/* base[b0..b1) replaced by side[s0..s1); b0 == b1 inserts before b0. */
struct mhunk {
	size_t b0, b1, s0, s1;
};

/*
 * The hunks that turn base into side, in order, separated by at least
 * one equal line.  Long common prefixes and suffixes cost nothing; past
 * a large number of differences the middle becomes one hunk (still a
 * correct description, only coarser).  The caller frees *out.
 */
size_t mdiff(const struct mlines *base, const struct mlines *side, struct mhunk **out);

enum mregion_kind {
	MR_SAME,	/* no side changed it */
	MR_OURS,	/* only ours changed it: take ours */
	MR_THEIRS,	/* only theirs changed it: take theirs */
	MR_BOTH,	/* both changed it alike: take either */
	MR_CONFLICT	/* both changed it differently */
};

/*
 * One region of a three-way merge: base[b0..b1), ours[o0..o1),
 * theirs[t0..t1).  Two changes make one region only when they touch the
 * same base lines, or insert at the same place, or one inserts inside
 * lines the other changes: changes to neighbouring lines are separate
 * regions (unlike git's line merge, which calls them a conflict).
 */
struct mregion {
	enum mregion_kind kind;
	size_t b0, b1, o0, o1, t0, t1;
};

/* The regions covering all three sequences, in order.  Caller frees *out. */
size_t merge3(const struct mlines *base, const struct mlines *ours,
	      const struct mlines *theirs, struct mregion **out);

/*
 * A three-way merge of whole line sequences where a region both sides
 * changed keeps ours' lines, then theirs' (a union: for text with no
 * meaning to ae, such as comments, where keeping both loses nothing).
 */
void merge3_union(const struct mlines *base, const struct mlines *ours,
		  const struct mlines *theirs, const char *eol, struct strbuf *out);

/*
 * The lines of z that a has nowhere (as lines compare), in z's order,
 * each without its line end, added to out.  Linear in the lines (a hash
 * set of a's): what a side of a merge added to a journal, on journals of
 * any size.
 */
void mlines_added(const struct mlines *a, const struct mlines *z, struct strlist *out);

#endif
