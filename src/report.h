/*
 * report.h -- the reports of the handbook (REC-7, DUE-3, DUE-7, JOB-6,
 * USE-4) and the one model they are all written through.
 *
 * A report is a title, a few facts (label: value), and sections; a
 * section has its own facts and a list of blocks, each a table or a
 * paragraph.  Every report is built into this model in one language and
 * then written by report_write() as text, Markdown, CSV, JSON or HTML, so
 * each output format is written once for all reports.
 *
 *   report.c         the model, dates as each language writes them, and
 *                    what reports read from the book (jobs as of a day,
 *                    prose re-read from file)
 *   report_labels.c  the bilingual labels and the columns' wrapping,
 *                    looked up by key
 *   report_out.c     the five output formats
 *   report_weekly.c  the weekly status report (DUE-3) and the Friday
 *                    tally of the week's tickets (JOB-6)
 *   report_month.c   the month-end summary and next month's plan (DUE-7)
 *   report_client.c  the client editions of those two: nothing internal
 *   report_people.c  the client roster (REC-7 客户实绩统计表) and the
 *                    journal's hours, overtime and expenses
 *   report_cost.c    each ticket's and client's cost against budget (JOB-8)
 *   report_letter.c  a letter to a client on the agency's letterhead (ORG-3)
 *   cmd_report.c     options, subcommands and help
 *
 * A cell has the text a reader sees (a date as the language writes it, a
 * status in words) and, where it differs, a raw value for programs (an
 * ISO date, a status code, a plain number): JSON writes the raw value,
 * CSV the raw value of dates and numbers, the other formats the text.
 * Ownership: every string of a report lives in its arena, freed by
 * report_release().  Nothing here reads the clock: "now" is an argument.
 */
#ifndef AE_REPORT_H
#define AE_REPORT_H

#include "book.h"
#include "due.h"
#include "util.h"

enum report_format { RF_TEXT, RF_MD, RF_CSV, RF_JSON, RF_HTML };

/* Column types: how a cell is aligned, and which value JSON and CSV take. */
enum rcol_type {
	RC_TEXT,	/* words; JSON takes raw (a code) when given */
	RC_NUM,		/* right-aligned; JSON writes raw as a number */
	RC_DATE,	/* raw is ISO 8601: YYYY-MM-DD or YYYY-MM-DD HH:MM */
};

struct rcol {
	const char *key;	/* stable, English: "job", "due" */
	const char *label;	/* in the report's language */
	unsigned char type;	/* enum rcol_type */
	unsigned char wide;	/* long prose: text output puts it under the row */
	unsigned char wrap;	/* enum rcol_wrap: how HTML may break it */
};

/* How a short column may break over lines in HTML. */
enum rcol_wrap {
	RW_TEXT,	/* anywhere, as prose */
	RW_IDENT,	/* never: an identifier (CS-2611-03, li.ming's name) */
	RW_WORDS,	/* between words only: a code word (进行中（逾期）, In progress) */
	RW_NAME,	/* anywhere, but given room: a client's name */
};

struct rcell {
	const char *text;	/* never NULL; "" when empty */
	const char *raw;	/* NULL: same as text (JSON: null when text is "") */
};

struct rtable {
	struct rcol *cols;
	int ncols;
	struct rcell *cells;	/* row-major, nrows * ncols */
	size_t nrows, alloc;
	int has_foot;
	size_t foot;		/* with has_foot: rows from this one on are totals */
	int counted;		/* show the number of rows beside the title */
	int filled;		/* cells given in the current row */
};

enum rblock_type { RB_TABLE, RB_TEXT, RB_SIGN };

struct rblock {
	enum rblock_type type;
	const char *key, *title;	/* tables; title may be NULL */
	struct rtable t;
	const char *text;		/* paragraphs; the lines of a signature */
};

struct rfact {
	const char *key, *label, *text, *raw;
};

struct rfacts {
	struct rfact *v;
	size_t n, alloc;
};

struct rsection {
	const char *key, *title;
	int zh;			/* its language: the report's when it was made */
	/* a letter (r->letters): the letterhead (the agency's name and the
	 * lines under it), then the heading, then the facts */
	const char *org, *heading;
	struct rfacts org_lines;
	struct rfacts facts;
	struct rblock **blocks;
	size_t nblocks, alloc;
};

struct report {
	const char *kind;	/* "weekly" */
	const char *title;
	const char *tz;		/* the book's zone: JSON date-times carry its offset */
	int zh;			/* Chinese labels and dates */
	int year;		/* dates of this year are written without it */
	int page_per_section;	/* HTML: each section starts a printed page */
	int letters;		/* each section is a letter to one client, with
				 * its own letterhead, heading and facts (the
				 * client editions); no title or facts above */
	struct rfacts facts;
	struct rsection **secs;
	size_t nsecs, alloc;
	struct arena arena;
	/* report_table()'s latest tables' columns, parsed and labelled (a
	 * weekly report makes the same five tables for each of 1,300
	 * clients): key, columns and language as given, in the arena */
	struct rcols_memo {
		const char *key, *cols, *title;
		struct rcol *v;
		int n, zh;
	} cols_memo[8];
	unsigned cols_next;
};

void report_init(struct report *r, const char *kind, int zh, int year);
void report_release(struct report *r);
/* An empty report of r's kind, language, year, zone and layout, for
 * sections made on another thread (no facts, no sections). */
void report_init_like(struct report *sub, const struct report *r);
/* sub's sections appended to r's, in order, and its strings kept as long
 * as r's; sub is left empty (no report_release() needed). */
void report_adopt(struct report *r, struct report *sub);

/* A string in the report's arena. */
const char *rstr(struct report *r, const char *s);
const char *rprintf(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The label of key in the report's language (the key itself if unknown). */
const char *rlabel(const struct report *r, const char *key);
/* The same in a given language (zh: Chinese). */
const char *rlabel_in(int zh, const char *key);
/* Either text, as the report's language wants. */
#define RL(r, zh_text, en_text) ((r)->zh ? (zh_text) : (en_text))

/* A fact of the report (s NULL) or of a section; label from rlabel(key). */
void report_fact(struct report *r, struct rsection *s, const char *key,
		 const char *text, const char *raw);
struct rsection *report_section(struct report *r, const char *key, const char *title);
void report_text(struct report *r, struct rsection *s, const char *text);
/* A line of a letter's letterhead (address, phone ...), labelled by key. */
void report_org_line(struct report *r, struct rsection *s, const char *key, const char *text);
/* A signature at the end of a letter: its lines, separated by '\n'. */
void report_signature(struct report *r, struct rsection *s, const char *text);
/* Give column key of t the label of label_key. */
void rt_relabel(struct report *r, struct rtable *t, const char *key, const char *label_key);
/*
 * A table in section s.  cols names the columns by key, separated by
 * spaces, each with an optional type suffix: ":n" a number, ":d" a date,
 * ":w" wide prose; e.g. "job title status due:d progress:w".  The labels
 * come from rlabel().  title NULL: the label of key.
 */
struct rtable *report_table(struct report *r, struct rsection *s, const char *key,
			    const char *title, const char *cols);

/* Cells, left to right; a row is complete after ncols cells. */
void rt_cell(struct report *r, struct rtable *t, const char *text, const char *raw);
void rt_text(struct report *r, struct rtable *t, const char *text);	/* NULL: "" */
void rt_code(struct report *r, struct rtable *t, const char *prefix, const char *code);
void rt_day(struct report *r, struct rtable *t, int day);		/* < 0: empty */
void rt_moment(struct report *r, struct rtable *t, moment_t m);	/* 0: empty */
void rt_count(struct report *r, struct rtable *t, long n);
void rt_hundredths(struct report *r, struct rtable *t, long v);	/* 150 -> 1.50 */
void rt_money(struct report *r, struct rtable *t, long cents);	/* 1,600.00 */
/* The rows added from now on are totals. */
void rt_foot(struct rtable *t);

/* Dates as the report's language writes them: 2026年11月26日 / 26 Nov 2026;
 * short forms leave out the report's year. */
const char *rdate(struct report *r, int day);
const char *rdate_short(struct report *r, int day);
const char *rmoment(struct report *r, moment_t m);	/* short date and HH:MM */
const char *rmoment_full(struct report *r, moment_t m);	/* the full date and HH:MM */
/* Money as the tables write it: 1,600.00 */
const char *rmoney(struct report *r, long cents);
/* first..last: 2026年11月23日至11月29日 / 23 Nov to 29 Nov 2026 */
const char *rrange(struct report *r, int first, int last);
/* The raw values of dates and date-times: YYYY-MM-DD, and RFC 3339 with
 * the offset of r->tz (2026-11-19T18:00:00+08:00; YYYY-MM-DD HH:MM when
 * r->tz is NULL).  CSV writes a date-time as YYYY-MM-DD HH:MM, which a
 * spreadsheet reads as one. */
const char *riso_day(struct report *r, int day);
const char *riso_moment(struct report *r, moment_t m);
/* "label.code" through rlabel(): rcode(r, "job", "in-progress") = 进行中. */
const char *rcode(const struct report *r, const char *prefix, const char *code);
/* How a column of that key may break in HTML (enum rcol_wrap). */
int rcol_wrap_of(const char *key);

/* Write the report in format f; bom: CSV starts with a byte-order mark. */
void report_write(struct strbuf *out, const struct report *r, enum report_format f, int bom);

/* -- what the reports read from the book -- */

/* The options of every report; unset ones are NULL / 0. */
struct report_opts {
	moment_t now;
	int zh;
	const char *who;	/* staff: their own and their team's */
	const char *client;	/* one client's code */
	int first, last;	/* the period, day numbers: a week or a month */
	const char *period;	/* "2026-W48", "2026-11" */
	const char *record;	/* the record a report is about (letter: LT-...) */
	int lang_given;		/* --lang: it beats each client's own language */
};

/* A job ticket's dates and fields, read once. */
struct rjob {
	const struct record *r;
	const char *id, *client, *title, *dept, *issuer, *status, *work;
	const char *summary, *next;
	moment_t opened, due, internal, delivered;	/* 0: none */
	int confirmed, closed;				/* -1: none */
};
void rjob_read(const struct book *b, const struct record *r, struct rjob *j);
/* The same for many tickets: the fields' indices found once. */
struct rjob_fields {
	int client, title, dept, issuer, status, work, summary, next;
	int opened, due, internal, delivered, confirmed, closed;
};
void rjob_fields(const struct book *b, struct rjob_fields *f);
void rjob_read_fields(const struct rjob_fields *f, const struct record *r, struct rjob *j);
/* The same in two steps, for the many tickets a report passes over: first
 * what rjob_active() and rjob_status_at() read (status, opened, due,
 * delivered, closed), then, for a ticket kept, the rest. */
void rjob_read_dates(const struct rjob_fields *f, const struct record *r, struct rjob *j);
void rjob_read_rest(const struct rjob_fields *f, struct rjob *j);
/* A ticket that rjob_active() (and the monthly plan) surely passes over,
 * told from its fields' text: none of its dates within from..to (first
 * and last as YYYY-MM-DD: rjob_window()) and closed before first, so
 * "closed" at last.  Most tickets of a ten-year book are, and this reads
 * one date, not four (text outside from..to is outside as a day: such
 * dates sort as text as they do as days, and other text is no date). */
int rjob_passed_over(const struct rjob_fields *f, const struct record *r,
		     const char *from, const char *to, int first);
/* from and to (11 bytes each) for rjob_passed_over(); 0 when first and
 * last are not dates of four-digit years (then it cannot be used). */
int rjob_window(char *from, char *to, int first, int last);
/* The job's status at the end of day (its dates tell what had happened). */
const char *rjob_status_at(const struct rjob *j, int day);
/* Opened, due, delivered or closed within first..last, or not yet done at
 * the end of last. */
int rjob_active(const struct rjob *j, int first, int last);

const char *staff_label(const struct book *b, const char *id);
const char *client_label(const struct book *b, const char *id);
/* Whether staff id is who or in who's team (who NULL: everyone). */
int report_who_matches(const struct book *b, const char *id, const char *who);
/* Whether the client is one the options ask for (--client, --who on its AE). */
int report_client_matches(const struct book *b, const struct record *c,
			  const struct report_opts *o);

/*
 * Prose fields are not kept in memory: read them again from the record's
 * file.  values[i] gets field names[i] (in r's arena), or NULL.
 */
void report_prose(struct report *r, struct book *b, const struct record *rec,
		  const char *const *names, const char **values, int n);

/* The open action items of a contact report ("[ ]"), in their order; the
 * done ones ("[x]") and lines that are not items left out. */
struct raction {
	int due;
	const char *owner;	/* staff id (config string) or the text given */
	const char *text;	/* report arena */
};
int report_actions(struct report *r, const struct book *b, const struct record *c,
		   struct raction **out);
/* How many there are, none of them made (nothing allocated: for any
 * thread): report_actions() with r and out NULL. */
int report_open_actions(const struct book *b, const struct record *c);

/*
 * The clients a report covers (--client, --who), sorted by code, each with
 * lists the report fills: the jobs, contact reports, meetings and due
 * items it shows.  Pointers into the book and a due_ctx: they must outlive
 * the lists.
 */
struct rclient {
	const struct record *c;
	struct rjob *jobs;
	size_t njobs, ajobs;
	const struct record **contacts, **meetings, **actions;
	size_t ncontacts, acontacts, nmeetings, ameetings, nactions, aactions;
	const struct due_item **items;
	size_t nitems, aitems;
};
struct rclients {
	struct rclient *v;
	size_t n;
	struct strmap by_id;
	int f_job, f_contact, f_meeting;	/* each kind's "client" field */
};
void rclients_init(struct rclients *cs, const struct book *b, const struct report_opts *o);
/* The client of that code, if the report covers it; else NULL. */
struct rclient *rclients_get(struct rclients *cs, const char *id);
/* The covered client a job, contact report or meeting is about; NULL for
 * other records and other clients. */
struct rclient *rclients_for(struct rclients *cs, const struct book *b, const struct record *rec);
void rclients_release(struct rclients *cs);
void rclient_add_job(struct rclient *c, const struct rjob *j);
/* list is &c->contacts, &c->meetings or &c->actions */
void rclient_add_rec(const struct record ***list, size_t *n, size_t *alloc,
		     const struct record *r);
void rclient_add_item(struct rclient *c, const struct due_item *it);

/*
 * A table key of the open action items of the contact reports in
 * c->actions due from..until (until < 0: any time), with a "late" column
 * marking those due before late_before (none when late_before < 0).
 */
void report_action_table(struct report *r, struct rsection *s, const struct book *b,
			 struct rclient *c, const char *key, int from, int until,
			 int late_before);
/* A client's code, AE and AM as facts of section s. */
void report_client_facts(struct report *r, struct rsection *s, const struct book *b,
			 const struct record *c);

/* The facts most reports start with: the book's name, the month (when
 * period), "as of" now, the --who and --client asked for. */
void report_common_facts(struct report *r, const struct book *b, const struct report_opts *o,
			 int period);

/* The report's fact "workdays": working days of first..last and the
 * holidays that fall in them. */
void report_workdays(struct report *r, const struct book *b, int first, int last);

/* The client editions (report_client.c): what goes to the client, in the
 * client's language, as a letter from the agency signed by its AE. */
int report_weekly_client(struct report *r, struct book *b, const struct report_opts *o);
int report_monthly_client(struct report *r, struct book *b, const struct report_opts *o);

/* The reports: each builds r from the book.  0, or -1 with the problem told. */
int report_weekly(struct report *r, struct book *b, const struct report_opts *o);
int report_tally(struct report *r, struct book *b, const struct report_opts *o);
int report_monthly(struct report *r, struct book *b, const struct report_opts *o);
int report_roster(struct report *r, struct book *b, const struct report_opts *o);
int report_hours(struct report *r, struct book *b, const struct report_opts *o);
int report_overtime(struct report *r, struct book *b, const struct report_opts *o);
int report_expenses(struct report *r, struct book *b, const struct report_opts *o);
/* Each ticket's and client's cost against budget (JOB-8, report_cost.c). */
int report_cost(struct report *r, struct book *b, const struct report_opts *o);
/* Letter o->record on the agency's letterhead (ORG-3, report_letter.c). */
int report_letter(struct report *r, struct book *b, const struct report_opts *o);

/* For qsort: tickets by number; contact reports and meetings by their
 * time (held, when), then identifier (qsort_r with the book). */
int report_cmp_job(const void *a, const void *b);
int report_cmp_by_time(const void *a, const void *b, void *book);

#endif
