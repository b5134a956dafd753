/* due_format.h -- due items as text (aligned for Chinese double-width
 * text, coloured on a terminal), JSON, CSV (RFC 4180) or iCalendar
 * (RFC 5545 VTODO, UIDs stable across runs). */
#ifndef AE_DUE_FORMAT_H
#define AE_DUE_FORMAT_H

#include <stdio.h>

#include "due.h"

enum due_format { DF_TEXT, DF_JSON, DF_CSV, DF_ICS };

void due_print(FILE *f, const struct due_ctx *dc, const struct due_item *const *v,
	       size_t n, enum due_format fmt, int color);
/* The iCalendar UID of an item: a hash of its record and rule key. */
void due_uid(char *buf, size_t size, const struct due_item *it);

#endif
