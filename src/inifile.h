/*
 * inifile.h -- INI text into sections and entries that remember where
 * every value came from.  The only user of <ini.h>.
 *
 * inih does the parsing; this layer feeds it one line at a time through
 * ini_parse_stream() so it can keep line numbers and columns (the Debian
 * build has no INI_HANDLER_LINENO), and it sets inih's runtime knobs so
 * that no text is lost: lines of any length, no inline comments (a ';'
 * inside a value is text), multi-line values, a UTF-8 BOM and CRLF.
 *
 * Syntax: "[section]" lines; "key = value" lines (':' also separates, as
 * in inih); a line that starts with whitespace continues the previous
 * value; lines starting with ';' or '#' are comments.  Blank lines inside
 * a multi-line value are kept as empty lines of the value.
 *
 * Problems (a line that is none of these, a duplicate key, a section
 * header without ']') are reported through diag.h with the file's path.
 *
 * Where a field starts and ends is defined here and only here: the
 * editor (edit.c) changes a field by the byte span the parser gives it
 * (ini_entry.start .. end), so that what 'ae set' writes is what every
 * reader then reads.  A field's span runs from its key line to its last
 * value line: an indented line continues the value whatever it starts
 * with ('[' included), and blank or comment lines -- at column 0 or not
 * -- do not end it, as long as an indented line follows.
 */
#ifndef AE_INIFILE_H
#define AE_INIFILE_H

#include <stddef.h>

#include "util.h"

struct ini_entry {
	const char *key;	/* arena */
	const char *value;	/* arena; lines of a multi-line value joined by '\n' */
	int line;		/* line of the key */
	int key_col;		/* column of the key, in characters from 1 */
	int col;		/* column of the value's first character */
	int nlines;		/* lines in value */
	int *vline, *vcol;	/* per line of value: where it starts; arena */
	size_t *voff;		/* per line of value: byte offset of its text, or
				 * SIZE_MAX for a blank line kept in the value */
	int section;		/* index into ini_doc.sections */
	/* the field's bytes in the text: start of the key line (past a BOM),
	 * the value's first byte on it, past the end (line end included) of
	 * its last line; comment and blank lines between are inside */
	size_t start, vstart, end;
};

struct ini_section {
	const char *name;	/* arena; trimmed text between '[' and ']' */
	int line, col;
	size_t first, count;	/* its entries: entries[first .. first+count) */
	int bad;		/* its header was malformed (already reported) */
	size_t start, end;	/* its header line's bytes, line end included */
};

struct ini_doc {
	const char *path;	/* not owned */
	struct ini_section *sections;
	size_t nsections, alloc_sections;
	struct ini_entry *entries;
	size_t nentries, alloc_entries;
	int nlines;
	int errors;		/* syntax errors reported */
};

/*
 * Parse buf[0..len) (valid UTF-8, no NUL bytes: the caller checks) into
 * doc.  Strings go into arena a and live as long as it.  Entries before any
 * section belong to a section with an empty name at line 0.  Returns the
 * number of syntax errors reported.
 */
int ini_doc_parse(struct ini_doc *doc, struct arena *a, const char *path,
		  const char *buf, size_t len);
/* The same without a word on the diagnostics (path NULL): for the editor,
 * which parses text that ae check judges. */
int ini_doc_parse_quiet(struct ini_doc *doc, struct arena *a, const char *buf,
			size_t len);
void ini_doc_release(struct ini_doc *doc);

/* The entry named key in section s, or NULL. */
const struct ini_entry *ini_find(const struct ini_doc *doc, size_t s,
				 const char *key);

/* Where line k (0-based) of an entry's value starts; k = 0 is the first
 * line with text, which for 'key =' followed by indented lines is the
 * first continuation line. */
void ini_value_pos(const struct ini_entry *e, int k, int *line, int *col);

#endif
