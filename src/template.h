/*
 * template.h -- the help 'ae new KIND -e' puts into the record it opens
 * in the editor, and takes out again when the editor is done.
 *
 * Before each field line of the new record goes one comment line, in the
 * book's language ([book] lang), saying what the field takes: its label,
 * whether it is required (or when), its format ("YYYY-MM-DD HH:MM"), its
 * allowed values with their labels ("in-city (市内)"), the staff IDs or
 * departments it may name; after the fields, the optional fields the
 * record may also have.  Help lines start with ";;".
 *
 * Taking them out removes exactly the lines this module would write for
 * the kind, nothing else: a comment the user wrote, or a help line she
 * changed, stays as typed.
 */
#ifndef AE_TEMPLATE_H
#define AE_TEMPLATE_H

#include "book.h"

/* text (a new record of kind, "key = value" lines) with its help lines.  Owned. */
char *template_annotate(const struct book *b, int kind, const char *text);

/* text without the help lines of kind, into out; whether any was removed. */
int template_strip(const struct book *b, int kind, const char *text, size_t len,
		   struct strbuf *out);

#endif
