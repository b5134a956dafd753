/*
 * edit.h -- changing one field of a record's text without touching any
 * other byte (issue: "ae set ... changes only that field's lines").
 *
 * The text is seen as lines, each with its own line end.  A field is its
 * key line ("key = value" at the start of a line) and the indented lines
 * that continue it.  Setting a field rewrites exactly those lines; every
 * other line -- comments, blank lines, other fields, their order and
 * spacing -- is copied through.  New lines use the file's line end (CRLF
 * files stay CRLF).  A field the record lacks is inserted after the
 * nearest field that comes before it in the format's order.
 */
#ifndef AE_EDIT_H
#define AE_EDIT_H

#include <stddef.h>

#include "util.h"

/*
 * Set key to value (which may hold '\n' for a multi-line value; "" removes
 * the field) in text, writing the result to out.  order lists the kind's
 * field names in format order (for where to insert).  Returns 1 if the text
 * changed, 0 if the field already had exactly that value (out is then a
 * copy), -1 if the text has no section to put it in.
 */
int edit_set(struct strbuf *out, const char *text, size_t len, const char *key,
	     const char *value, const char *const *order, size_t norder);

/*
 * Mark action item number n (from 1) of field key done ("[x]") or open
 * ("[ ]"), changing that one character.  Returns 1 changed, 0 already so,
 * -1 no such item.
 */
int edit_tick(struct strbuf *out, const char *text, size_t len, const char *key,
	      int n, int done);

/*
 * Add line as the last line of the multi-line field key (ae note): a new
 * continuation line after the field's last one, indented as that one is
 * (four spaces when the field has none), every other byte as it was.  A
 * field the record lacks is inserted as edit_set() inserts one, as
 * "key =" and the line.  Returns 1, or -1 if the text has no section.
 */
int edit_append(struct strbuf *out, const char *text, size_t len, const char *key,
		const char *line, const char *const *order, size_t norder);

/* The current value of key in text, as the parser sees it (owned), or NULL. */
char *edit_get(const char *text, size_t len, const char *key);

#endif
