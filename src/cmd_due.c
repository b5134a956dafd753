/* cmd_due.c -- ae due: what must be done today, and what is late (USE-4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "due.h"
#include "due_format.h"
#include "editing.h"

static const char usage[] =
	"usage: ae due [--who STAFF] [--client CLIENT] [--rule ID[,ID...]]\n"
	"              [--until YYYY-MM-DD | --days N] [--format text|json|csv|ics]\n"
	"              [--lang zh|en] [--exit-code] [--no-bom] [--alarm MINUTES | --todo]\n"
	"\n"
	"List every deadline and follow-up of the handbook: overdue first, then\n"
	"due today, then upcoming within N working days (default 5, or\n"
	"[rules] horizon_days).  Each item says when, how late in working time,\n"
	"the rule, who, for which client, and the record (path:line).\n"
	"\n"
	"  --who STAFF     items of STAFF and, for an AM or AD, of their team\n"
	"  --client C      items of one client (its code)\n"
	"  --rule IDS      only these rules, e.g. DUE-2,JOB-3 (DUE- matches all DUE-*)\n"
	"  --until DATE    upcoming items up to DATE instead of N working days\n"
	"  --days N        the upcoming window in working days\n"
	"  --format F      text (default), json, csv, or ics (iCalendar events)\n"
	"  --lang L        zh or en; default from ae.ini [book] lang\n"
	"  --exit-code     exit 1 when anything is overdue\n"
	"  --no-bom        csv: no byte-order mark (for scripts; Excel needs it)\n"
	"  --alarm M       ics: remind M minutes before each deadline (default 60;\n"
	"                  'none' for no reminders)\n"
	"  --todo          ics: to-dos (VTODO) instead of events\n"
	"\n"
	"Records with errors are skipped (run 'ae check').  The global --now\n"
	"fixes the time, so output is reproducible.  CSV and JSON follow the\n"
	"conventions of ae(1) (CSV AND JSON); 'ae due --format ics >\n"
	"~/.calendars/ae.ics' makes a calendar to subscribe to (ae-due(1)).\n";

static int rule_matches(const char *rules, const char *rule)
{
	char *dup, *save = NULL;
	int ok = 0;

	if (!rules)
		return 1;
	dup = xstrdup(rules);
	for (char *w = strtok_r(dup, ", ", &save); w && !ok; w = strtok_r(NULL, ", ", &save)) {
		size_t n = strlen(w);
		if (!strcmp(w, rule) || (n && w[n - 1] == '-' && !strncmp(w, rule, n)))
			ok = 1;
	}
	free(dup);
	return ok;
}

/*
 * The output options: --no-bom, --alarm MINUTES, --todo.  1 if argv[*i]
 * was one (its value taken), 0 if not, -1 on a bad value.
 */
static int output_option(int argc, char **argv, int *i, struct due_out *o)
{
	const char *alarm = NULL;
	int r;

	if (!strcmp(argv[*i], "--no-bom")) {
		o->bom = 0;
		return 1;
	}
	if (!strcmp(argv[*i], "--todo")) {
		o->todo = 1;
		return 1;
	}
	if ((r = arg_value(argc, argv, i, "--alarm", &alarm)) <= 0)
		return r;
	if (!strcmp(alarm, "none")) {
		o->alarm = -1;
		return 1;
	}
	if (!*alarm || strspn(alarm, "0123456789") != strlen(alarm) || strlen(alarm) > 5 ||
	    atoi(alarm) > 10080) {
		error("--alarm wants minutes from 0 to 10080 (a week) or 'none', not '%s'", alarm);
		return -1;
	}
	o->alarm = atoi(alarm);
	return 1;
}

int cmd_due(int argc, char **argv, struct globals *g)
{
	const char *who = NULL, *client = NULL, *rules = NULL, *until = NULL, *days = NULL;
	const char *format = "text", *lang = NULL;
	int exit_code = 0, status = 0, horizon_end, skipped = 0, overdue = 0;
	struct due_out out = { DF_TEXT, 0, 1, 0, DUE_ALARM_DEFAULT };
	struct book b;
	struct due_ctx dc;
	const struct due_item **v;
	size_t n = 0;

	for (int i = 1; i < argc; i++) {
		int r = 0;
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--exit-code")) {
			exit_code = 1;
			continue;
		}
		if ((r = output_option(argc, argv, &i, &out))) {
			if (r < 0)
				return EXIT_USAGE;
			continue;
		}
		if ((r = arg_value(argc, argv, &i, "--who", &who)) ||
		    (r = arg_value(argc, argv, &i, "--client", &client)) ||
		    (r = arg_value(argc, argv, &i, "--rule", &rules)) ||
		    (r = arg_value(argc, argv, &i, "--until", &until)) ||
		    (r = arg_value(argc, argv, &i, "--days", &days)) ||
		    (r = arg_value(argc, argv, &i, "--format", &format)) ||
		    (r = arg_value(argc, argv, &i, "--lang", &lang))) {
			if (r < 0)
				return EXIT_USAGE;
			continue;
		}
		error("unknown option '%s' for due", argv[i]);
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(format, "text"))
		out.fmt = DF_TEXT;
	else if (!strcmp(format, "json"))
		out.fmt = DF_JSON;
	else if (!strcmp(format, "csv"))
		out.fmt = DF_CSV;
	else if (!strcmp(format, "ics"))
		out.fmt = DF_ICS;
	else {
		error("unknown format '%s' for due (text, json, csv, ics)", format);
		return EXIT_USAGE;
	}
	if (lang && strcmp(lang, "zh") && strcmp(lang, "en")) {
		error("--lang is zh or en, not '%s'", lang);
		return EXIT_USAGE;
	}
	if (days && (atoi(days) < 0 || atoi(days) > 366 || strspn(days, "0123456789") != strlen(days))) {
		error("--days wants a number of working days from 0 to 366, not '%s'", days);
		return EXIT_USAGE;
	}
	if (until) {
		int d;
		if (parse_date(until, strlen(until), &d) != DATE_OK) {
			error("--until wants a date YYYY-MM-DD, not '%s' (%s)", until,
			      date_problem(until, strlen(until), 0, 1));
			return EXIT_USAGE;
		}
	}

	diag_setup(stderr, DIAG_TEXT, 0);
	if ((status = open_book_to_read(g, &b, "ae due", &skipped)) != 0)
		return status;
	if (skipped || diag_count(DIAG_ERROR))
		warning("%d record%s with errors skipped and %u problem%s in all; run 'ae check'",
			skipped, skipped == 1 ? "" : "s", diag_count(DIAG_ERROR),
			diag_count(DIAG_ERROR) == 1 ? "" : "s");
	diag_reset();
	if (who && !config_staff(&b.cfg, who)) {
		error("unknown staff '%s' for --who", who);
		book_release(&b);
		return EXIT_USAGE;
	}
	if (client) {
		/* named as everywhere: a code, a unique part of it or of the name */
		const struct record *cr = find_record(&b, client, K_CLIENT);
		if (!cr) {
			book_release(&b);
			return EXIT_USAGE;
		}
		client = cr->id;
	}
	{
		int today = day_of_moment(g->now);
		if (until)
			parse_date(until, strlen(until), &horizon_end);
		else
			horizon_end = cal_add_days(&b.cal, today,
						   days ? atoi(days) : (int)config_num(&b.cfg, "horizon_days", 5));
		{
			int y, m, d;
			civil_from_days(horizon_end, &y, &m, &d);
			if (b.cfg.calendar_files.n && y > b.cal.last_year)
				warning("the calendar files state no holidays for %d; working days then are weekdays only", y);
		}
	}
	due_collect(&dc, &b, g->now, horizon_end,
		    lang ? !strcmp(lang, "zh") : !strcmp(b.cfg.lang, "zh"));
	v = xmalloc(sizeof(*v) * (dc.n + 1));
	for (size_t i = 0; i < dc.n; i++) {
		const struct due_item *it = &dc.v[i];
		if (who && (!it->who || !config_reports_to(&b.cfg, it->who, who)))
			continue;
		if (client && (!it->client || strcmp(it->client, client)))
			continue;
		if (!rule_matches(rules, it->rule))
			continue;
		v[n++] = it;
		overdue += it->state == DUE_OVERDUE;
	}
	out.color = out.fmt == DF_TEXT && want_color(stdout);
	due_print(stdout, &dc, v, n, &out);
	free(v);
	due_release(&dc);
	book_release(&b);
	return exit_code && overdue ? EXIT_BAD_RECORDS : 0;
}
