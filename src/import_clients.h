/*
 * import_clients.h -- a spreadsheet's rows made client records (REC-1,
 * REC-2), for 'ae import clients'.
 *
 * The header row is mapped to the client format's fields by name or by
 * label, in either language (name, 客户名称), plus the parts of a code
 * and of one contact person (city_code, name_code, contact_name ...), or
 * as --map says.  Each row becomes the text of one client record, with
 * the code its 'id' column gives, or the next one numbered as 'ae new
 * client' numbers (REC-2).  What the book's check then finds wrong in a
 * record is traced back to the row and the column its text came from.
 * Problems are reported through diag.h as FILE:ROW:COL.
 */
#ifndef AE_IMPORT_CLIENTS_H
#define AE_IMPORT_CLIENTS_H

#include "book.h"
#include "csv_read.h"
#include "date.h"
#include "diag.h"
#include "util.h"

struct import_opts {
	const char *me;			/* the staff importing: the default 'ae' */
	moment_t now;			/* today: the default first contact */
	const char *const *map;		/* --map COLUMN=FIELD, as given */
	int nmap;
};

/* A problem of one row, kept until it is reported. */
struct row_diag {
	enum diag_level level;
	int col;			/* the sheet's column, 0 for the row */
	char *rule, *msg;
};

struct import_row {
	const struct csv_row *src;
	int bad;			/* an error was found: not imported */
	char *id, *path, *text;		/* the record, while the row is good */
	char *name;			/* the client's name, for messages */
	int *line_col;			/* line k (from 1) of text came from this column */
	int nlines;
	struct row_diag *diags;
	size_t ndiags, alloc_diags;
};

struct import {
	const char *shown;		/* the file as named in diagnostics */
	int nfields;			/* of the client format */
	int *target;			/* per column: a field, a part, or ignored */
	int ncols;
	struct import_row *rows;	/* the sheet's rows under the header */
	size_t n;
};

/*
 * Map the header of csv to fields.  Returns 0; 1 when the header has
 * problems (reported at its cells); 2 when --map is wrong (reported as
 * error()).
 */
int import_map(struct import *im, const struct book *b, const struct csv *csv,
	       const char *shown, const struct import_opts *o);

/*
 * (Re)make the record of every row not yet bad, numbering new codes
 * after `used` (not changed).  Problems found here mark their row bad.
 */
void import_build(struct import *im, const struct book *b,
		  const struct import_opts *o, const struct strlist *used);

/*
 * A diagnostic of the book's check: if it is about a record made from a
 * row, keep it with that row at the column it came from (an error marks
 * the row bad) and return 1; 0 if it is about another file.
 */
int import_trace(struct import *im, const struct diag_item *d);

/* Forget the problems of the rows that are still good (before a recheck). */
void import_forget_good(struct import *im);

/* Report every row's problems through diag_at(). */
void import_report(const struct import *im);

void import_release(struct import *im);

#endif
