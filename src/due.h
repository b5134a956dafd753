/*
 * due.h -- every deadline and follow-up of the handbook, computed from the
 * records alone (DUE-*, JOB-2, JOB-3, JOB-5, JOB-8, ORG-3, ORG-4, REC-4
 * action items).
 *
 * Each rule turns records and journal lines into items: when, what, for
 * whom (the person whose agenda it belongs to), which record, and how late
 * in working time and in calendar time.  Nothing here reads the clock:
 * "now" is an argument.  Rules and their parameters ([rules] in ae.ini) are
 * documented in docs/ae-due.1.md.
 *
 * One forward rule (CAL-1, calendar.h): due_add() moves a deadline that
 * falls outside working time to the next working moment; rules tie
 * day-based deadlines to a working day first (cal_day_end, cal_day_at).
 * due_add_fixed() keeps a moment as it is, for deadlines that are "before
 * an event" (DUE-4 preparation, DUE-6 call and check before leaving) or
 * are the client's own time (JOB-2): moving them later would defeat them.
 *
 * A client's cadence items never fall due before its first_contact, nor
 * for a period (a week, a month) that ended before it.
 *
 * Letters (ORG-3) and reviews (ORG-4) count where the handbook asks for
 * them: a monthly report counts as sent (DUE-7) only once the AM reviewed
 * it before it went out; an approved holiday or training letter sent is
 * a written notice (DUE-13), a contract-end letter the note of DUE-14.
 *
 *   due.c          collecting (in parts, on the pool's threads),
 *                  classifying and sorting items; the journal index; the
 *                  last contact with each client
 *   due_client.c   cadences per client: DUE-1, 3, 7, 10, 11, 12, 13, 14,
 *                  16, 17
 *   due_work.c     DUE-2 reports, REC-4 action items, JOB-2/3/5/8 tickets,
 *                  DUE-6 and REC-5 meetings, REC-6 and DUE-15 complaints,
 *                  DUE-8 overtime, DUE-9 claims
 *   due_approval.c what waits for the AM's or AD's approval: letters
 *                  (ORG-3), the monthly report and the brand review
 *                  (ORG-4), and the brand review's sending
 *   due_routine.c  each person's routines: DUE-4 preparation for the
 *                  weekly meetings, DUE-5 day summary, JOB-6 Friday tally
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
	long late_calendar;	/* clock minutes past due; negative: still to go */
	enum due_state state;
};

/* Journal events indexed per record: the latest at or before now. */
enum jevent {
	EV_CALL, EV_VISIT, EV_WEEKLY, EV_MONTHLY, EV_PLAN, EV_MARKET, EV_MEDIA,
	EV_BIZPLAN, EV_HOLIDAY, EV_FINANCE, EV_CALLBACK, EV_NOTICE, EV_REPORT,
	EV_AM_CONTACT,		/* a call or visit by the client's AM (DUE-11) */
	EV_BRAND,		/* the annual brand review sent (ORG-4) */
	EV__N
};

/* due_ctx.row[rec]: the record's one kind of event is in due_ctx.one */
#define ROW_ONE 0x80000000u

/* The reports sent at month end (DUE-7, DUE-17), counted per month. */
enum month_report { MR_MONTHLY, MR_PLAN, MR_MARKET, MR_MEDIA, MR_BIZPLAN, MR__N };

struct due_ctx {
	struct book *b;
	const struct calendar *cal;
	moment_t now;
	int today;
	int horizon_end;	/* last day of the upcoming window */
	int horizon_start;	/* no item due before this day is kept (INT_MIN: every one) */
	int zh;			/* texts in Chinese */
	/* The records the journal has events of (31,443 of the 100k book's
	 * 100,000): those with one kind of event (29,000 of them: a contact
	 * report sent, a meeting's minutes) have it in one[rec], and row[rec]
	 * is ROW_ONE | the event; the others have a row each: row[rec] is 1
	 * + its number; 0 none.  Room for alloc_rows rows (every record's),
	 * zeroed_rows of them zeroed (due_index.c row_of()) */
	unsigned *row;
	size_t nrows, nones, alloc_rows, zeroed_rows;
	moment_t *last;		/* [row * EV__N + ev]; 0 when none */
	moment_t *one;		/* [rec], where row[rec] & ROW_ONE */
	int *month_sends;	/* [(row * MR__N + k) * 2 + w]: reports of kind k
				 * sent since the 15th of last month (w 0) / this
				 * month (w 1) */
	moment_t month_since[2];
	int *month_unreviewed;	/* [rec * 2 + w]: monthly reports sent without
				 * the AM's review first (ORG-4), not counted */
	moment_t *contact;	/* [rec]: the last contact with a client, or 0 */
	const char **contact_via;	/* [rec]: call, visit, meeting (static) */
	moment_t *contact_held;	/* [rec]: a contact report's held, or 0 */
	unsigned char *callback_result;	/* [rec]: of the last call-back, 0-3 */
	long *notices;		/* rec * 65536 + holiday announced, sorted */
	size_t nnotices;
	/* the items a part collects (due.c), then, once due_collect() has
	 * merged the parts, n is every item's count and list them in order:
	 * each in its part's array (parts_v, kept), not copied (fresh memory,
	 * the merge's 4.7 MB of the 100k book's, is this VM's dearest) */
	struct due_item *v;
	size_t n, alloc;
	const struct due_item **list;
	struct due_item **parts_v;
	size_t nparts_v;
	struct arena arena;
	struct arena *arenas;	/* the items' texts collected in parts */
	size_t narenas;
	struct strbuf text;	/* an item's text being formatted */
	int report_working;	/* DUE-2: the report's clock is working time */
	long report_minutes;	/* DUE-2: and its allowance */
};

/*
 * Collect every item due at or before horizon_end (a day number) and every
 * overdue one, as of now.  zh chooses Chinese texts.
 */
void due_collect(struct due_ctx *dc, struct book *b, moment_t now,
		 int horizon_end, int zh);
/* The same, but only the items due from day first on (the weekly
 * report's next week): the others are not even formatted. */
void due_collect_from(struct due_ctx *dc, struct book *b, moment_t now, int first,
		      int horizon_end, int zh);
void due_release(struct due_ctx *dc);

/* For the rule files: add an item (what is formatted; copied), due at
 * `due` moved forward to working time. */
void due_add(struct due_ctx *dc, moment_t due, const char *rule, const char *who,
	     const char *client, const char *path, int line, const char *key,
	     const char *fmt, ...) __attribute__((format(printf, 9, 10)));
/* The same, due at exactly that moment (see above). */
void due_add_fixed(struct due_ctx *dc, moment_t due, const char *rule, const char *who,
		   const char *client, const char *path, int line, const char *key,
		   const char *fmt, ...) __attribute__((format(printf, 9, 10)));
/* due_add() of the text the caller made in dc->text (sb_reset() first):
 * for a rule that lists tens of thousands of items (DUE-2's calls). */
void due_add_made(struct due_ctx *dc, moment_t due, const char *rule, const char *who,
		  const char *client, const char *path, int line, const char *key);
/* Whether due_add() would list an item due then (within the horizon):
 * for a rule with much to make of an item before it adds it. */
int due_in_view(const struct due_ctx *dc, moment_t due);
/* Pick the text of the book's language. */
#define L(dc, zh_text, en_text) ((dc)->zh ? (zh_text) : (en_text))
/* The latest event ev about record r at or before now, or 0. */
moment_t due_last(const struct due_ctx *dc, const struct record *r, enum jevent ev);
/* The month-end reports sent to client r: [k * 2 + w] as month_sends. */
const int *due_month_sends(const struct due_ctx *dc, const struct record *r);
/* "By the end of day d": the end of its office hours, or of the next
 * working day when d is a day off. */
moment_t due_end_of(const struct due_ctx *dc, int day);
/* A rule parameter. */
double due_param(const struct due_ctx *dc, const char *key, double def);
/* A weekday parameter (0 Monday), or def's; a time parameter in minutes
 * of the day, or def. */
int due_weekday(const struct due_ctx *dc, const char *key, const char *def);
int due_time(const struct due_ctx *dc, const char *key, int def);
/* A duration parameter in minutes: key (0.5d, 4h), else the older key in
 * hours, else def_amount of def_unit ('d' or 'h').  A day is a working
 * day (cal_days_minutes) when working, else 24 hours. */
long due_duration(const struct due_ctx *dc, const char *key, const char *hours_key,
		  double def_amount, char def_unit, int working);
/* The last contact with client r at or before now (a call, a visit, a
 * meeting held, a contact report), and how: "call", "visit", "meeting".
 * DUE-1 and the roster both read it. */
moment_t due_last_contact(const struct due_ctx *dc, const struct record *r, const char **via);
/* Whether a notice to client r announced holiday h (its first holidays[]
 * entry) (DUE-13). */
int due_notified(const struct due_ctx *dc, const struct record *r, size_t h);
/* The first day client r's cadences count from: first_contact, or -1. */
int due_client_since(const struct due_ctx *dc, const struct record *r);
/* A moment/date value of record r's field, or 0 / -1 if absent or bad. */
moment_t rec_moment(const struct book *b, const struct record *r, const char *field);
/* The same by the field's index (book_field()), for rules that look
 * their fields up once a run. */
moment_t rec_moment_at(const struct record *r, int field);
int rec_day(const struct book *b, const struct record *r, const char *field);
const char *rec_field(const struct book *b, const struct record *r, const char *field);

/* The day of moment m (floored: a moment before 1970 is in the day before). */
static inline int day_of_moment(moment_t m)
{
	return (int)(m >= 0 ? m / 1440 : -((-m + 1439) / 1440));
}
/* DUE-7: the month-end deadline of the month holding day. */
moment_t due_month_end(const struct due_ctx *dc, int day);

void due_client_rules(struct due_ctx *dc);
/* due_work.c in parts, so that due_collect() can run them beside the
 * others: the rules' parameters (before any part); what the tickets'
 * rules need, made (new) and filled in two parts that may run at once
 * (the costs begun; the revisions); the journal's rules, which count
 * the costs in the same walk (neither reads the journal index); then,
 * with the index made and both parts done, the records' rules for
 * recs[lo, hi). */
struct due_work;
void due_work_params(struct due_ctx *dc);
struct due_work *due_work_new(const struct book *b);
void due_work_tickets(struct due_work *w, const struct book *b, moment_t now);
void due_work_journal(struct due_ctx *dc, struct due_work *w);
void due_work_records(struct due_ctx *dc, const struct due_work *w, size_t lo, size_t hi);
void due_work_release(struct due_work *w);
/* DUE-2's important calls, apart (the journal's longest rule, in parts
 * on the threads): the contact reports of calls indexed once, then the
 * calls of journal.v[lo, hi) without one collected into dc. */
struct due_calls;
struct due_routine;
/* The latest contact each client's records give (DUE-1), kept apart
 * from the journal's until both are known. */
struct due_reports {
	moment_t *at;		/* [rec] */
	const char **via;	/* [rec] */
	size_t *rec;		/* [rec]: the record that says it */
	size_t *clients;	/* the records with one */
	size_t n, alloc;
};
/* due_index.c: the contact reports read for DUE-1 and DUE-2 (the
 * reports of calls into calls), the meetings held for DUE-1 apart; the
 * journal's index and the routines' lines; then, all done, the records'
 * contacts put with the journal's (as if walked after it). */
void due_index_reports(struct due_ctx *dc, struct due_reports *rc, struct due_calls *calls);
void due_index_meetings(struct due_ctx *dc, struct due_reports *rc);
void due_index_journal(struct due_ctx *dc, struct due_routine *rt);
void due_index_contacts(struct due_ctx *dc, struct due_reports *reports, struct due_reports *meetings);
/* The index in journal.whats of the word "claim" (DUE-9), or 0. */
size_t due_claim_word(const struct journal *j);
struct due_calls *due_calls_new(void);
/* A contact report of a call with client, held then (its first ten
 * bytes the day), for the walks. */
void due_calls_add(struct due_calls *calls, const struct record *report, const char *client,
		   const char *held);
void due_calls_rules(struct due_ctx *dc, const struct due_calls *calls, size_t lo, size_t hi);
void due_calls_release(struct due_calls *calls);
/* due_routine.c's lines found in the journal index's walk of the
 * journal (begin, each entry in order), then its rules (which free r). */
struct due_routine *due_routine_begin(const struct due_ctx *dc);
void due_routine_line(struct due_routine *r, const struct jentry *e);
/* The sums of the journal's past months (due_sums.h) keep of each
 * person's lines of a routine (slot: person * routines + routine) only
 * the first after 1970: the lines of a past month serve no occasion the
 * rules look at but the first meeting's, which takes the first such
 * line (due_routine.c take()).  The first of a slot's lines so far, or
 * 0; a line put into a slot. */
size_t due_routine_slots(const struct due_routine *r);
moment_t due_routine_first(const struct due_routine *r, size_t slot);
void due_routine_put(struct due_routine *r, size_t slot, moment_t at);
void due_routine_rules(struct due_ctx *dc, struct due_routine *r);
void due_approval_rules(struct due_ctx *dc);

#endif
