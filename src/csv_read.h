/*
 * csv_read.h -- a spreadsheet's CSV export read into rows of cells.
 *
 * What Excel and LibreOffice write when a sheet is saved as CSV: UTF-8
 * with or without a byte-order mark, or (Chinese Excel's "CSV") GBK,
 * read as its superset GB18030 through iconv(3); CRLF or LF; cells
 * separated by commas (or semicolons or tabs, as the header row shows),
 * quoted by RFC 4180 rules, a quoted cell holding commas, quotes ("")
 * and line breaks.  Problems are reported through diag.h at the file's
 * ROW:COL, the numbers a spreadsheet shows (the header is row 1, the
 * first column 1); a problem found before the cells are known (the
 * encoding) at its line.
 */
#ifndef AE_CSV_READ_H
#define AE_CSV_READ_H

#include <stddef.h>

struct csv_row {
	char **cells;		/* UTF-8, line breaks as LF; owned */
	int n;
	int row;		/* the spreadsheet's row number, from 1 */
};

struct csv {
	struct csv_row *rows;	/* rows[0] is the header */
	size_t n, alloc;
	const char *encoding;	/* what the text was read as: "UTF-8", "GB18030" ... */
	char delim;
};

/*
 * Read path (shown as `shown` in diagnostics) into csv, converting from
 * `encoding` when given (any name iconv knows), else as detected: UTF-8
 * (a byte-order mark dropped) when the bytes are valid UTF-8, otherwise
 * GB18030.  Blank rows are dropped.  Returns 0, 1 when the file is not
 * usable (reported), or -1 when it cannot be read (reported as error()).
 */
int csv_read_file(struct csv *csv, const char *path, const char *shown,
		  const char *encoding);

void csv_release(struct csv *csv);

#endif
