/* due_format.h -- due items as text (aligned for Chinese double-width
 * text, coloured on a terminal), JSON, CSV (RFC 4180) or iCalendar
 * (RFC 5545 VTODO, UIDs stable across runs). */
#ifndef AE_DUE_FORMAT_H
#define AE_DUE_FORMAT_H

#include <stdio.h>

#include "due.h"

enum due_format { DF_TEXT, DF_JSON, DF_CSV, DF_ICS };

/*
 * Items shown under one heading: the agenda of a person is their own
 * items, then (for a manager) their team's (cmd_due.c).
 */
struct due_group {
	const char *title;		/* NULL: the only group, no heading */
	const struct due_item *const *v;
	size_t n;
	int show_who;			/* the items are not all of who runs ae */
};

/*
 * The text layout for a pipe or a file (docs/ae-due.1.md, THE PIPE
 * LAYOUT): one line per item, due, how late, rule, who, client, record,
 * what; columns lined up by display width; a heading per group when there
 * are several.  The terminal's layout is agenda.h's.
 */
void due_print_groups(FILE *f, const struct due_ctx *dc, const struct due_group *g,
		      size_t ngroups, int color);

void due_print(FILE *f, const struct due_ctx *dc, const struct due_item *const *v,
	       size_t n, enum due_format fmt, int color);
/* The iCalendar UID of an item: a hash of its record and rule key. */
void due_uid(char *buf, size_t size, const struct due_item *it);

#endif
