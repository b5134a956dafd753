/* due_format.h -- due items as text (aligned for Chinese double-width
 * text, coloured on a terminal), JSON (times in RFC 3339), CSV (the CSV
 * convention of ae(1)) or iCalendar (due_ics.c: RFC 5545 VEVENTs with a
 * VTIMEZONE and a VALARM, or VTODOs; UIDs stable across runs). */
#ifndef AE_DUE_FORMAT_H
#define AE_DUE_FORMAT_H

#include <stdio.h>
#include <time.h>

#include "due.h"

enum due_format { DF_TEXT, DF_JSON, DF_CSV, DF_ICS };

/* The reminder of each event, in minutes before it is due. */
#define DUE_ALARM_DEFAULT 60

struct due_out {
	enum due_format fmt;
	int color;	/* text: ANSI colours */
	int bom;	/* csv: a UTF-8 byte-order mark first */
	int todo;	/* ics: VTODOs instead of VEVENTs */
	int alarm;	/* ics events: a VALARM this many minutes before; < 0: none */
};

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
	       size_t n, const struct due_out *o);

/* -- shared by the formats -- */

/* The iCalendar UID of an item: a hash of its record and rule key. */
void due_uid(char *buf, size_t size, const struct due_item *it);
/* A staff member's or a client's name for id ("" for NULL; the id itself
 * when it names no one). */
const char *due_staff_name(const struct book *b, const char *id);
const char *due_client_name(const struct book *b, const char *id);
/* "path:line", or the path alone for a whole file. */
const char *due_where(char *buf, size_t size, const struct due_item *it);
/* How late, or how long still to go, in working time, in the item list's
 * language: "逾期1天3小时", "in 2h", "just late". */
void due_late_text(char *buf, size_t size, const struct due_ctx *dc, const struct due_item *it);

/* The iCalendar file (due_ics.c), built in sb and written to f a
 * stretch at a time (due_spill), the rest left in sb. */
void due_write_ics(FILE *f, struct strbuf *sb, const struct due_ctx *dc,
		   const struct due_item *const *v, size_t n, const struct due_out *o);
/*
 * The items written to f in blocks formatted on the pool's threads, the
 * blocks written in order: the same bytes as one thread's.  first(arg,
 * it, slot), if not NULL, runs on this thread for each item before its
 * block (what is not thread-safe: tz.c), then one(sb, scratch, arg, it,
 * i, slot) appends item v[i] to its block's sb, on any thread (scratch:
 * the block's own strbuf to use as it likes).
 */
union due_slot {
	char text[40];
	time_t t;
};
void due_write_items(FILE *f, const struct due_item *const *v, size_t n,
		     void (*first)(void *arg, const struct due_item *it, union due_slot *slot),
		     void (*one)(struct strbuf *sb, struct strbuf *scratch, void *arg,
				 const struct due_item *it, size_t i, const union due_slot *slot),
		     void *arg);
/* Write what sb holds to f once it is past a quarter megabyte, and empty
 * it: the 20-30 MB of a big book's list go out in stretches that stay in
 * the cache, not built whole (grown, copied and faulted in page by page). */
void due_spill(struct strbuf *sb, FILE *f);

#endif
