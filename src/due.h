/*
 * due.h -- every deadline and follow-up of the handbook, computed from the
 * records alone (DUE-*, JOB-2, JOB-3, REC-4 action items).
 *
 * Each rule turns records and journal lines into items: when, what, for
 * whom, which record, and how late in working time.  Nothing here reads
 * the clock: "now" is an argument.  Rules and their parameters ([rules] in
 * ae.ini) are documented in docs/ae-due.1.md.
 *
 *   due.c         collecting, classifying and sorting items; journal index
 *   due_client.c  cadences per client: DUE-1, 3, 7, 10, 11, 12, 13, 14
 *   due_work.c    DUE-2 reports, action items, JOB-2/3 tickets, DUE-6
 *                 meetings, DUE-15 complaints, DUE-8 overtime, DUE-9 claims
 */
#ifndef AE_DUE_H
#define AE_DUE_H

#include "book.h"
#include "util.h"

enum due_state { DUE_OVERDUE, DUE_TODAY, DUE_UPCOMING, DUE_LATER };

struct due_item {
	moment_t due;
	const char *rule;	/* static: "DUE-2" */
	const char *what;	/* arena */
	const char *who;	/* staff id (config string), or NULL */
	const char *client;	/* client id (record string), or NULL */
	const char *path;	/* the record or journal file */
	int line;
	const char *key;	/* stable across runs: the basis of the ics UID */
	long late;		/* working minutes past due; negative: still to go */
	enum due_state state;
};

/* Journal events indexed per record: the latest at or before now. */
enum jevent {
	EV_CALL, EV_VISIT, EV_WEEKLY, EV_MONTHLY, EV_PLAN, EV_MARKET, EV_HOLIDAY,
	EV_FINANCE, EV_CALLBACK, EV_NOTICE, EV_REPORT, EV__N
};

struct due_ctx {
	struct book *b;
	const struct calendar *cal;
	moment_t now;
	int today;
	int horizon_end;	/* last day of the upcoming window */
	int zh;			/* texts in Chinese */
	moment_t *last;		/* [rec * EV__N + ev]; 0 when none */
	int *month_sends;	/* [(rec * 3 + k) * 2 + w]: monthly, plan, market sent
				 * since the 15th of last month (w 0) / this month (w 1) */
	moment_t month_since[2];
	struct due_item *v;
	size_t n, alloc;
	struct arena arena;
};

/*
 * Collect every item due at or before horizon_end (a day number) and every
 * overdue one, as of now.  zh chooses Chinese texts.
 */
void due_collect(struct due_ctx *dc, struct book *b, moment_t now,
		 int horizon_end, int zh);
void due_release(struct due_ctx *dc);

/* For the rule files: add an item (what is formatted; copied). */
void due_add(struct due_ctx *dc, moment_t due, const char *rule, const char *who,
	     const char *client, const char *path, int line, const char *key,
	     const char *fmt, ...) __attribute__((format(printf, 9, 10)));
/* Pick the text of the book's language. */
#define L(dc, zh_text, en_text) ((dc)->zh ? (zh_text) : (en_text))
/* The latest event ev about record r at or before now, or 0. */
moment_t due_last(const struct due_ctx *dc, const struct record *r, enum jevent ev);
/* The end of the office day on day d, moved forward if not working. */
moment_t due_end_of(const struct due_ctx *dc, int day);
/* A rule parameter. */
double due_param(const struct due_ctx *dc, const char *key, double def);
/* A moment/date value of record r's field, or 0 / -1 if absent or bad. */
moment_t rec_moment(const struct book *b, const struct record *r, const char *field);
int rec_day(const struct book *b, const struct record *r, const char *field);
const char *rec_field(const struct book *b, const struct record *r, const char *field);

int day_of_moment(moment_t m);
/* DUE-7: the month-end deadline of the month holding day. */
moment_t due_month_end(const struct due_ctx *dc, int day);

void due_client_rules(struct due_ctx *dc);
void due_work_rules(struct due_ctx *dc);

#endif
