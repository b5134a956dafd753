/*
 * edit.h -- changing one field of a record's text without touching any
 * other byte (issue: "ae set ... changes only that field's lines").
 *
 * A field is what the parser (inifile.h) says it is: its key line, and
 * the indented lines that continue its value, with the comment and blank
 * lines among them -- the span ini_entry.start .. end.  Setting a field
 * rewrites exactly that span (comment lines inside it are kept, after
 * the new value); every other line -- comments, blank lines, other
 * fields, their order and spacing -- is copied through.  New lines use
 * the file's line end (CRLF files stay CRLF).  A field the record lacks
 * is inserted after the nearest field that comes before it in the
 * format's order.
 *
 * Every edit is read back by the parser before it is returned: the field
 * must read as exactly the value asked for (normalized, see
 * edit_normalize()) and every other field exactly as before; if not, the
 * edit is refused (EDIT_UNSAFE), so that 'ae set' never commits a value
 * other than the one given.
 */
#ifndef AE_EDIT_H
#define AE_EDIT_H

#include <stddef.h>

#include "util.h"

enum {
	EDIT_NO_SECTION = -1,	/* the text has no section to put it in */
	EDIT_BAD_VALUE = -2,	/* edit_value_problem() says why */
	EDIT_UNSAFE = -3,	/* the file would not read back as asked */
};

/*
 * Why key=value cannot be written into a record, or NULL: a key that is
 * no field name, a value that is not valid UTF-8 or holds a control
 * character (TAB and newline aside), or a multi-line value with a line
 * starting with ';' or '#' (a comment, once indented in the file).
 */
const char *edit_value_problem(const char *key, const char *value);

/*
 * The value as the file will give it back (owned): each line without its
 * leading and trailing blanks, no empty line first or last.  What
 * edit_set() writes.
 */
char *edit_normalize(const char *value);

/*
 * Set key to value (which may hold '\n' for a multi-line value; "" removes
 * the field) in text, writing the result to out.  order lists the kind's
 * field names in format order (for where to insert).  Returns 1 if the text
 * changed, 0 if the field already had exactly that value, or one of the
 * EDIT_* errors; out is a copy of text unless 1.
 */
int edit_set(struct strbuf *out, const char *text, size_t len, const char *key,
	     const char *value, const char *const *order, size_t norder);

/*
 * Mark action item number n (from 1: the n-th line of the field's value
 * that starts with '[ ]', '[x]' or '[X]') done ("[x]") or open ("[ ]"),
 * changing that one character.  Returns 1 changed, 0 already so, -1 no
 * such item.
 */
int edit_tick(struct strbuf *out, const char *text, size_t len, const char *key,
	      int n, int done);

/*
 * Add line (one line, no line end) as the last line of the multi-line
 * field key (ae note): a new continuation line after the value's last
 * line, indented as that one is (four spaces when the value has no
 * continuation line), every other byte as it was.  A field the record
 * lacks is inserted where edit_set() inserts one, as "key =" and the
 * line.  Read back as edit_set() is.  Returns 1, or one of the EDIT_*
 * errors (EDIT_BAD_VALUE: edit_value_problem() says why, or the line is
 * empty); out is a copy of text unless 1.
 */
int edit_append(struct strbuf *out, const char *text, size_t len, const char *key,
		const char *line, const char *const *order, size_t norder);

/* The current value of key in text, as the parser sees it (owned), or NULL. */
char *edit_get(const char *text, size_t len, const char *key);

#endif
