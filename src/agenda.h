/*
 * agenda.h -- due items laid out for a terminal of a given width: the
 * morning agenda (docs/ae-due.1.md, THE TERMINAL LAYOUT).
 *
 * Each item is one line: what to do first, then (for a group of several
 * people) whose it is, the client's short name, the deadline as people
 * say it ("今天 18:00", "明天 18:00", "周一 12:00", "12-03 18:00") and how
 * late it is or how long is left.  The rule, the person and the record's
 * path:line follow when the width leaves room, or with verbose (on a line
 * of their own when it does not).  Widths are display cells (a Chinese
 * character is two); text too long is cut at a character boundary with
 * an ellipsis, never wrapped; no line is wider than the terminal.
 * Control characters of the book's text are not sent to the terminal.
 */
#ifndef AE_AGENDA_H
#define AE_AGENDA_H

#include <stddef.h>

#include "due_format.h"
#include "util.h"

struct agenda_opts {
	int width;		/* the terminal's width in cells */
	int verbose;		/* rule, person and path:line on every item */
	int color;
	const char *me;		/* staff id of who runs ae, or NULL */
};

void agenda_write(struct strbuf *out, const struct due_ctx *dc, const struct due_group *g,
		  size_t ngroups, const struct agenda_opts *o);

/*
 * The deadline as people say it, relative to now: "今天 18:00" /
 * "today 18:00", "明天" / "tomorrow", "昨天" / "yesterday", the weekday
 * within the coming six days ("周一 12:00" / "Mon 12:00"), else
 * "12-03 18:00", or "2027-01-04" in another year.
 */
void agenda_when(char *buf, size_t size, moment_t due, moment_t now, int zh);

/*
 * How late an overdue item is, in working time ("逾期3小时",
 * "逾期1天3小时", "刚逾期" when no working time has passed), and in
 * calendar days too when they say much more: at least 4 days and twice
 * the working days, so a call missed on a make-up Saturday before the
 * Spring Festival is "逾期10天", not "刚逾期".  For today's items how
 * long is left ("还剩3小时"); nothing for later ones: the deadline says
 * it.
 */
void agenda_state(char *buf, size_t size, const struct due_ctx *dc, const struct due_item *it);

#endif
