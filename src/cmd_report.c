/* cmd_report.c -- ae report: the weekly, monthly and people reports of
 * the handbook (REC-7, DUE-3, DUE-7, JOB-6, USE-4); see report.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "editing.h"
#include "identity.h"
#include "book.h"
#include "diag.h"
#include "inifile.h"
#include "pdf.h"
#include "report.h"
#include "textfile.h"
#include "trace.h"

enum { OPT_WHO = 1, OPT_CLIENT = 2, OPT_WEEK = 4, OPT_MONTH = 8, OPT_LETTER = 16 };

typedef int build_fn(struct report *, struct book *, const struct report_opts *);

static const struct subcommand {
	const char *name;
	build_fn *build;
	int opts;
	const char *summary, *help;
	build_fn *client;	/* the client edition, if it has one */
} subcommands[] = {
	{ "weekly", report_weekly, OPT_WHO | OPT_CLIENT | OPT_WEEK,
	  "the weekly status report to each client (DUE-3)",
	  "For each client: the week's job tickets (opened, due, delivered or closed\n"
	  "that week, or still open at its end) with their status, summary (at most\n"
	  "150 characters), progress and next steps; the week's contact reports and\n"
	  "meetings; open action items; and next week's deadlines (as 'ae due' sees\n"
	  "them at the end of the week, less the routine DUE-1 and DUE-3).\n"
	  "The client edition (--for client, the default with --client) is a letter\n"
	  "to each client: its work with status and due dates, the contact reports\n"
	  "and meetings, next week's deliveries and meetings, the AE's signature.\n",
	  report_weekly_client },
	{ "tally", report_tally, OPT_WHO | OPT_CLIENT | OPT_WEEK,
	  "the Friday tally of the week's tickets for the supervisor (JOB-6)",
	  "The week's job tickets counted by department, AE (the issuer) and\n"
	  "status at the end of the week, and listed with what happened to each.\n" , NULL },
	{ "monthly", report_monthly, OPT_WHO | OPT_CLIENT | OPT_MONTH,
	  "the month's work and next month's plan for each client (DUE-7)",
	  "For each client: the month's tickets with their submit (opened), due,\n"
	  "complete (delivered) and final-approval (closed, or confirmed) dates and\n"
	  "the month's contact reports; then next month's schedule: tickets due,\n"
	  "open action items due and meetings planned.\n"
	  "The client edition (--for client, the default with --client) is a letter\n"
	  "to each client: the month's work with its dates, the contact reports,\n"
	  "next month's deliveries and meetings, the AE's signature.\n",
	  report_monthly_client },
	{ "roster", report_roster, OPT_WHO | OPT_CLIENT,
	  "every client with owner, last contact, open jobs, overdue (REC-7)",
	  "客户实绩统计表: one row per client with its AE and AM, status, last\n"
	  "contact (a call or visit in the journal, or a contact report), open job\n"
	  "tickets, call cadence (DUE-1: ok, due today, late) and overdue items.\n" , NULL },
	{ "hours", report_hours, OPT_WHO | OPT_CLIENT | OPT_MONTH,
	  "the journal's hours by person, client and job (REC-7)",
	  "人员工时记录表: the month's 'hours' lines of the journal, summed by\n"
	  "person, client and job.\n" , NULL },
	{ "overtime", report_overtime, OPT_WHO | OPT_CLIENT | OPT_MONTH,
	  "the journal's overtime, listed and summed (DUE-8)",
	  "加班单: the month's 'overtime' lines, each with its hours, whether the\n"
	  "form was in by 17:00 and whether it ran past 23:00; summed by person,\n"
	  "client and job.\n" , NULL },
	{ "expenses", report_expenses, OPT_WHO | OPT_CLIENT | OPT_MONTH,
	  "the journal's expenses and travel advances (DUE-9)",
	  "费用报销单 and 差旅费: the month's 'expense' lines, listed and summed by\n"
	  "person, client, job and category, and the month's travel advances.\n", NULL },
	{ "cost", report_cost, OPT_WHO | OPT_CLIENT | OPT_MONTH,
	  "each ticket's and client's cost against budget (JOB-8)",
	  "监控时间与内部成本: the month's tickets (open in it, or costing in it), each\n"
	  "with its budget, the month's cost, the cost to date (the journal's hours at\n"
	  "the [rates] of ae.ini, and its expenses; a revision counts with its\n"
	  "original), the remainder and the margin, flagged when the cost reached\n"
	  "[rules] budget_alert (percent, default 80) of the budget or passed it;\n"
	  "then the same per client, with the client's expenses on no ticket.\n", NULL },
	{ "letter", report_letter, OPT_LETTER,
	  "a letter to a client on the agency's letterhead (ORG-3)",
	  "The letter LETTER (letters/LT-....ini) as it goes to the client: the\n"
	  "letterhead of ae.ini's [agency] (name, address, phone, e-mail, web),\n"
	  "the subject, addressee, date and sender, the body and the signature.  A\n"
	  "letter its client's AM or AD has not approved is marked a draft.  Meant\n"
	  "for --format html (print it, or --pdf where the browser is at hand).\n", NULL },
};

static void usage(FILE *f)
{
	fputs("usage: ae report REPORT [--format text|md|csv|json|html] [--lang zh|en] [--no-bom]\n"
	      "                 [--who STAFF] [--client CODE] [--week YYYY-Www | --month YYYY-MM]\n"
	      "                 [--for client|internal] [--pdf FILE]\n"
	      "       ae report letter LETTER [--format ...] [--lang zh|en] [--pdf FILE]\n"
	      "\n"
	      "Reports:\n", f);
	for (size_t i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %-9s %s\n", subcommands[i].name, subcommands[i].summary);
	fputs("\n"
	      "  --format F    text (default; aligned for Chinese), md (Markdown), csv\n"
	      "                (UTF-8 with a BOM, CRLF), json, or html (one page for A4)\n"
	      "  --no-bom      csv: no byte-order mark (for scripts; Excel needs it)\n"
	      "  --lang L      zh or en; default ae.ini [book] lang, then the locale\n"
	      "  --who STAFF   only STAFF's and their team's clients, tickets or lines\n"
	      "  --client C    only client C (its code)\n"
	      "  --for E       weekly, monthly: 'client' (the default with --client): a\n"
	      "                letter to the client, nothing internal, in the client's\n"
	      "                language; 'internal': the department's own report\n"
	      "  --pdf FILE    also print the HTML to FILE as PDF (needs chromium)\n"
	      "  --week W      the ISO week, as 2026-W48 or any date in it (weekly, tally);\n"
	      "                default: this week\n"
	      "  --month M     the month, as 2026-11 (monthly, hours, overtime, expenses);\n"
	      "                default: this month\n"
	      "\n"
	      "'ae report REPORT --help' tells what a report shows.  The global --now\n"
	      "fixes 'this week' and 'this month', so a report is reproducible; --at REV\n"
	      "reports the book as of a commit.  CSV and JSON follow the conventions\n"
	      "of ae(1) (CSV AND JSON).\n", f);
}

static void sub_usage(FILE *f, const struct subcommand *sc)
{
	struct strbuf scope = STRBUF_INIT;
	int indent = (int)strlen(sc->name) + 10;

	if (sc->opts & OPT_WHO)
		sb_addstr(&scope, " [--who STAFF]");
	if (sc->opts & OPT_CLIENT)
		sb_addstr(&scope, " [--client CODE]");
	if (sc->opts & OPT_WEEK)
		sb_addstr(&scope, " [--week YYYY-Www]");
	if (sc->opts & OPT_MONTH)
		sb_addstr(&scope, " [--month YYYY-MM]");
	fprintf(f, "usage: ae report %s%s [--format text|md|csv|json|html] [--lang zh|en] [--no-bom]\n",
		sc->name, sc->opts & OPT_LETTER ? " LETTER" : "");
	/* a report with no scope (a letter) has no line of blanks for it */
	if (scope.len)
		fprintf(f, "       %*s%s\n", indent, "", scope.buf);
	fprintf(f, "       %*s%s [--pdf FILE]\n", indent, "", sc->client ? " [--for client|internal]" : "");
	fprintf(f, "\n%s\nSee 'ae report --help' for the options.\n", sc->help);
	sb_release(&scope);
}

/* Monday of ISO week 1 of year y. */
static int week1(int y)
{
	int jan4 = days_from_civil(y, 1, 4);

	return jan4 - weekday_of(jan4);
}

static void week_of(int day, struct report_opts *o, char *buf, size_t size)
{
	int monday = day - weekday_of(day), y, m, d;

	y = 0;
	civil_from_days(monday + 3, &y, &m, &d);	/* the week's Thursday names its year */
	o->first = monday;
	o->last = monday + 6;
	snprintf(buf, size, "%04d-W%02d", y, (monday - week1(y)) / 7 + 1);
}

static int parse_week(const char *s, struct report_opts *o, char *buf, size_t size)
{
	int y, w, day, weeks;
	char extra;

	if (parse_date(s, strlen(s), &day) == DATE_OK) {
		week_of(day, o, buf, size);
		return 0;
	}
	if (strlen(s) < 7 || sscanf(s, "%4d-W%2d%c", &y, &w, &extra) != 2 || s[4] != '-' ||
	    y < 1990 || y > 2099)
		return error("--week wants an ISO week such as 2026-W48 (or a date in it), not '%s'", s);
	weeks = (week1(y + 1) - week1(y)) / 7;
	if (w < 1 || w > weeks)
		return error("--week: %d has weeks 1 to %d, not %d", y, weeks, w);
	week_of(week1(y) + (w - 1) * 7, o, buf, size);
	return 0;
}

static int parse_month(const char *s, struct report_opts *o, char *buf, size_t size)
{
	int y, m;
	char extra;

	if (strlen(s) != 7 || sscanf(s, "%4d-%2d%c", &y, &m, &extra) != 2 || s[4] != '-' ||
	    m < 1 || m > 12 || y < 1990 || y > 2099)
		return error("--month wants a month such as 2026-11, not '%s'", s);
	o->first = days_from_civil(y, m, 1);
	o->last = o->first + days_in_month(y, m) - 1;
	snprintf(buf, size, "%04d-%02d", y, m);
	return 0;
}

/* Whether ae.ini states [book] lang (config.c fills in zh when it does not). */
static int book_states_lang(struct book *b)
{
	struct strbuf buf = STRBUF_INIT;
	struct arena scratch = { 0 };
	struct ini_doc doc;
	int found = 0;

	if (text_load(b->src, "ae.ini", 1 << 20, 1, &buf) == 0) {
		ini_doc_parse(&doc, &scratch, "ae.ini", buf.buf ? buf.buf : "", buf.len);
		for (size_t s = 0; s < doc.nsections && !found; s++)
			found = !strcmp(doc.sections[s].name, "book") && ini_find(&doc, s, "lang");
		ini_doc_release(&doc);
	}
	arena_release(&scratch);
	sb_release(&buf);
	return found;
}

static int locale_zh(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return !strncmp(v, "zh", 2);
	}
	return 0;
}

static const struct subcommand *find_sub(const char *name)
{
	const struct subcommand *found = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(subcommands); i++) {
		if (!strcmp(name, subcommands[i].name))
			return &subcommands[i];
		if (!strncmp(name, subcommands[i].name, strlen(name))) {
			if (found) {
				error("'%s' is ambiguous: %s or %s?", name, found->name, subcommands[i].name);
				return NULL;
			}
			found = &subcommands[i];
		}
	}
	if (!found)
		error("'%s' is not a report; see 'ae report --help'", name);
	return found;
}

/* The builder for --for: a report's client edition or its own; the
 * client edition by default when one client is named. */
static build_fn *choose_edition(const struct subcommand *sc, const char *edition, const char *client)
{
	if (!edition)
		return client && sc->client ? sc->client : sc->build;
	if (!strcmp(edition, "internal"))
		return sc->build;
	if (strcmp(edition, "client")) {
		error("--for is 'client' or 'internal', not '%s'", edition);
		return NULL;
	}
	if (!sc->client) {
		error("report %s has no client edition (weekly and monthly have one)", sc->name);
		return NULL;
	}
	return sc->client;
}

/* The report as HTML, printed to path as PDF. */
static int write_pdf(const struct report *r, const char *path)
{
	struct strbuf html = STRBUF_INIT;
	int ret;

	report_write(&html, r, RF_HTML, 0);
	ret = pdf_print(html.buf, html.len, path);
	sb_release(&html);
	return ret;
}

int cmd_report(int argc, char **argv, struct globals *g)
{
	const char *format = "text", *lang = NULL, *week = NULL, *month = NULL, *edition = NULL;
	const char *pdf = NULL;
	build_fn *build;
	const struct subcommand *sc;
	struct report_opts o;
	enum report_format fmt;
	struct report r;
	struct strbuf out = STRBUF_INIT;
	char period[32] = "";
	struct book b;
	int status = 0, bad = 0, y, m, d, bom = 1;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		usage(stdout);
		return 0;
	}
	if (argv[1][0] == '-') {
		error("ae report wants a report first, like 'ae report weekly'");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!(sc = find_sub(argv[1])))
		return EXIT_USAGE;
	memset(&o, 0, sizeof(o));
	for (int i = 2; i < argc; i++) {
		int r1 = 0;
		if (is_help(argv[i])) {
			sub_usage(stdout, sc);
			return 0;
		}
		if (!strcmp(argv[i], "--no-bom")) {
			bom = 0;
			continue;
		}
		if ((r1 = arg_value(argc, argv, &i, "--format", &format)) ||
		    (r1 = arg_value(argc, argv, &i, "--lang", &lang)) ||
		    (r1 = arg_value(argc, argv, &i, "--who", &o.who)) ||
		    (r1 = arg_value(argc, argv, &i, "--client", &o.client)) ||
		    (r1 = arg_value(argc, argv, &i, "--for", &edition)) ||
		    (r1 = arg_value(argc, argv, &i, "--pdf", &pdf)) ||
		    (r1 = arg_value(argc, argv, &i, "--week", &week)) ||
		    (r1 = arg_value(argc, argv, &i, "--month", &month))) {
			if (r1 < 0)
				return EXIT_USAGE;
			continue;
		}
		if ((sc->opts & OPT_LETTER) && argv[i][0] != '-' && !o.record) {
			o.record = argv[i];
			continue;
		}
		error("unknown option '%s' for report %s", argv[i], sc->name);
		sub_usage(stderr, sc);
		return EXIT_USAGE;
	}
	if ((sc->opts & OPT_LETTER) && !o.record) {
		error("report %s wants the letter: 'ae report letter LT-20261120-01'", sc->name);
		sub_usage(stderr, sc);
		return EXIT_USAGE;
	}
	if ((week && !(sc->opts & OPT_WEEK)) || (month && !(sc->opts & OPT_MONTH))) {
		error("report %s takes no %s", sc->name, week ? "--week" : "--month");
		sub_usage(stderr, sc);
		return EXIT_USAGE;
	}
	if (!strcmp(format, "text"))
		fmt = RF_TEXT;
	else if (!strcmp(format, "md") || !strcmp(format, "markdown"))
		fmt = RF_MD;
	else if (!strcmp(format, "csv"))
		fmt = RF_CSV;
	else if (!strcmp(format, "json"))
		fmt = RF_JSON;
	else if (!strcmp(format, "html"))
		fmt = RF_HTML;
	else {
		error("unknown format '%s' for report (text, md, csv, json, html)", format);
		return EXIT_USAGE;
	}
	if (lang && strcmp(lang, "zh") && strcmp(lang, "en")) {
		error("--lang is zh or en, not '%s'", lang);
		return EXIT_USAGE;
	}
	if (!(build = choose_edition(sc, edition, o.client)))
		return EXIT_USAGE;
	if (pdf && !*pdf) {
		error("--pdf wants a file name");
		return EXIT_USAGE;
	}
	/* no browser: say so before anything is written */
	if (pdf && pdf_check() < 0)
		return EXIT_SYSTEM;
	if (week && parse_week(week, &o, period, sizeof(period)) < 0)
		return EXIT_USAGE;
	if (month && parse_month(month, &o, period, sizeof(period)) < 0)
		return EXIT_USAGE;

	diag_setup(stderr, DIAG_TEXT, 0);
	if ((status = open_book_to_read(g, &b, "ae report", &bad)) != 0)
		return status;
	if (bad)
		warning("%d record%s with errors: shown as far as they can be read, left out of the deadlines; run 'ae check'",
			bad, bad == 1 ? "" : "s");
	trace_perf("book loaded");
	diag_reset();
	if (o.who) {
		/* named as everywhere: an ID, a name, a unique prefix, me */
		const struct staff *st = staff_option(&b, o.who, "--who");
		if (!st) {
			book_release(&b);
			return EXIT_USAGE;
		}
		o.who = st->id;
	}
	if (o.record) {
		const struct record *lr = find_record(&b, o.record, K_LETTER);
		if (!lr) {
			book_release(&b);
			return EXIT_USAGE;
		}
		o.record = lr->id;
	}
	if (o.client) {
		/* named as everywhere: a code, a unique part of it or of the name */
		const struct record *cr = find_record(&b, o.client, K_CLIENT);
		if (!cr) {
			book_release(&b);
			return EXIT_USAGE;
		}
		o.client = cr->id;
	}

	o.now = g->now;
	o.lang_given = lang != NULL;
	o.zh = lang ? !strcmp(lang, "zh") : book_states_lang(&b) ? !strcmp(b.cfg.lang, "zh") : locale_zh();
	if (!week && !month) {
		int today = day_of_moment(g->now);
		if (sc->opts & OPT_WEEK) {
			week_of(today, &o, period, sizeof(period));
		} else if (sc->opts & OPT_MONTH) {
			civil_from_days(today, &y, &m, &d);
			snprintf(period, sizeof(period), "%04d-%02d", y, m);
			o.first = days_from_civil(y, m, 1);
			o.last = o.first + days_in_month(y, m) - 1;
		} else {
			o.first = o.last = today;
		}
	}
	o.period = period;
	civil_from_days(o.last, &y, &m, &d);
	report_init(&r, sc->name, o.zh, y);
	r.tz = b.cfg.timezone;
	if (build(&r, &b, &o) < 0) {
		status = EXIT_SYSTEM;
	} else {
		trace_perf("report built");
		report_write(&out, &r, fmt, bom);
		fwrite(out.buf ? out.buf : "", 1, out.len, stdout);
		trace_perf("report written");
		if (pdf && write_pdf(&r, pdf) < 0)
			status = EXIT_SYSTEM;
	}
	sb_release(&out);
	report_release(&r);
	book_release(&b);
	trace_perf("released");
	return status;
}
