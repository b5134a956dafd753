/* cmd_due.c -- ae due: what must be done today, and what is late (USE-4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae.h"
#include "agenda.h"
#include "book.h"
#include "diag.h"
#include "due.h"
#include "due_format.h"
#include "editing.h"
#include "identity.h"
#include "terminal.h"
#include "trace.h"

static const char usage[] =
	"usage: ae due [--who STAFF | --all] [--client CLIENT] [--rule ID[,ID...]]\n"
	"              [--until YYYY-MM-DD | --days N] [--format text|json|csv|ics]\n"
	"              [--lang zh|en] [--exit-code] [-v] [--no-pager] [--terminal]\n"
	"              [--no-bom] [--alarm MINUTES | --todo]\n"
	"\n"
	"List every deadline and follow-up of the handbook: overdue first, then\n"
	"due today, then upcoming within N working days (default 5, or\n"
	"[rules] horizon_days).  By default your own items ('ae whoami' says\n"
	"who you are), and for an AM or AD their team's after them.  On a\n"
	"terminal the list fits its width and long output goes through $PAGER.\n"
	"\n"
	"  --who STAFF     the agenda of STAFF (an ID, a name, a unique prefix, me)\n"
	"  --all           every item of the book\n"
	"  --client C      items of one client (its code, or a part of it or of its name)\n"
	"  --rule IDS      only these rules, e.g. DUE-2,JOB-3 (DUE- matches all DUE-*)\n"
	"  --until DATE    upcoming items up to DATE instead of N working days\n"
	"  --days N        the upcoming window in working days\n"
	"  --format F      text (default), json, csv, or ics (iCalendar events)\n"
	"  --lang L        zh or en; default from ae.ini [book] lang\n"
	"  --exit-code     exit 1 when anything is overdue\n"
	"  -v, --verbose   the rule, person and record of every item, on a terminal\n"
	"  --no-pager      never page\n"
	"  --terminal      the terminal's layout even when not writing to one\n"
	"                  (width $COLUMNS, else 80)\n"
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

static int flag(const char *arg, const char *name, const char *short_name, int *out)
{
	if (strcmp(arg, name) && (!short_name || strcmp(arg, short_name)))
		return 0;
	*out = 1;
	return 1;
}

/* Whose agenda is shown, and who is asking. */
struct whose {
	const struct staff *me;		/* who runs ae, NULL when unknown */
	const struct staff *subject;	/* whose items; NULL: everyone's */
	int team;			/* the subject manages people: a second group */
};

static int manages(const struct config *cfg, const struct staff *s)
{
	if (s->rank != RANK_AM && s->rank != RANK_AD && s->rank != RANK_ED && s->rank != RANK_GM)
		return 0;
	for (size_t i = 0; i < cfg->nstaff; i++)
		if (&cfg->staff[i] != s && config_reports_to(cfg, cfg->staff[i].id, s->id))
			return 1;
	return 0;
}

/* --all, --who NAME, or who runs ae; 0 or an exit status (reported). */
static int settle_whose(struct book *b, const char *who, int all, struct whose *w)
{
	struct identity id;

	memset(w, 0, sizeof(*w));
	if (identity_find(&id, &b->cfg, b->root, NULL) < 0) {
		identity_release(&id);
		return EXIT_USAGE;
	}
	w->me = id.staff;
	identity_release(&id);
	if (all)
		return 0;
	if (who) {
		if (!(w->subject = staff_named(&b->cfg, who, w->me, "--who")))
			return EXIT_USAGE;
	} else if (!(w->subject = w->me)) {
		warning("who you are is not known, so this is everyone's agenda ('ae whoami' says why; --all asks for everyone's)");
	}
	w->team = w->subject && manages(&b->cfg, w->subject);
	return 0;
}

/* The subject's own items, then the team's: titles owned by the caller. */
static size_t make_groups(const struct due_ctx *dc, const struct whose *w,
			  const struct due_item **v, size_t n, struct due_group *g, char **titles)
{
	const char *name, *id;
	size_t own = 0;
	int zh = dc->zh;

	if (!w->subject) {
		g[0].title = NULL;
		g[0].v = v;
		g[0].n = n;
		g[0].show_who = 1;
		return 1;
	}
	id = w->subject->id;
	name = w->subject->name ? w->subject->name : id;
	/* stable: the subject's own first, each group in deadline order */
	{
		const struct due_item **rest = xmalloc(sizeof(*rest) * (n + 1));
		size_t nrest = 0;
		for (size_t i = 0; i < n; i++) {
			if (v[i]->who && !strcmp(v[i]->who, id))
				v[own++] = v[i];
			else
				rest[nrest++] = v[i];
		}
		memcpy(v + own, rest, sizeof(*v) * nrest);
		free(rest);
	}
	if (w->subject == w->me) {
		titles[0] = xstrdup(zh ? "我的事项" : "My items");
		titles[1] = xstrdup(zh ? "我的团队" : "My team");
	} else {
		titles[0] = zh ? xasprintf("%s的事项", name) : xasprintf("Items of %s", name);
		titles[1] = zh ? xasprintf("%s团队的事项", name) : xasprintf("Items of %s's team", name);
	}
	g[0].title = titles[0];
	g[0].v = v;
	g[0].n = own;
	g[0].show_who = 0;
	if (!w->team)
		return 1;
	g[1].title = titles[1];
	g[1].v = v + own;
	g[1].n = n - own;
	g[1].show_who = 1;
	return 2;
}

/* Whether item it belongs on the subject's agenda. */
static int on_agenda(const struct config *cfg, const struct whose *w, const struct due_item *it)
{
	if (!w->subject)
		return 1;
	if (!it->who)
		return 0;
	if (!strcmp(it->who, w->subject->id))
		return 1;
	return w->team && config_reports_to(cfg, it->who, w->subject->id);
}

/* The text output: the terminal's layout (paged) or the pipe's. */
static void print_agenda(const struct due_ctx *dc, const struct whose *w, const struct due_group *g,
			 size_t ngroups, int verbose, int no_pager, int terminal)
{
	int tty = isatty(1);
	struct agenda_opts o;
	struct strbuf out = STRBUF_INIT;

	if (!tty && !terminal) {
		due_print_groups(stdout, dc, g, ngroups, want_color(stdout));
		return;
	}
	o.width = term_columns(1);
	o.verbose = verbose;
	o.color = want_color(stdout);
	o.me = w->me ? w->me->id : NULL;
	agenda_write(&out, dc, g, ngroups, &o);
	if (tty && !no_pager)
		pager_write(out.buf, out.len);
	else
		fwrite(out.buf, 1, out.len, stdout);
	sb_release(&out);
}

int cmd_due(int argc, char **argv, struct globals *g)
{
	const char *who = NULL, *client = NULL, *rules = NULL, *until = NULL, *days = NULL;
	const char *format = "text", *lang = NULL;
	int exit_code = 0, status = 0, horizon_end, skipped = 0, overdue = 0;
	int all = 0, verbose = 0, no_pager = 0, terminal = 0;
	struct whose w;
	struct due_group groups[2];
	char *titles[2] = { NULL, NULL };
	size_t ngroups;
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
		if (flag(argv[i], "--all", NULL, &all) || flag(argv[i], "--verbose", "-v", &verbose) ||
		    flag(argv[i], "--no-pager", NULL, &no_pager) ||
		    flag(argv[i], "--terminal", NULL, &terminal))
			continue;
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
	if (all && who) {
		error("--all and --who ask for different agendas; give one");
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
	trace_perf("book loaded");
	diag_reset();
	if ((status = settle_whose(&b, who, all, &w)) != 0) {
		book_release(&b);
		return status;
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
	trace_perf("due collected");
	v = xmalloc(sizeof(*v) * (dc.n + 1));
	for (size_t i = 0; i < dc.n; i++) {
		const struct due_item *it = dc.list[i];
		if (!on_agenda(&b.cfg, &w, it))
			continue;
		if (client && (!it->client || strcmp(it->client, client)))
			continue;
		if (!rule_matches(rules, it->rule))
			continue;
		v[n++] = it;
		overdue += it->state == DUE_OVERDUE;
	}
	ngroups = make_groups(&dc, &w, v, n, groups, titles);
	if (out.fmt == DF_TEXT)
		print_agenda(&dc, &w, groups, ngroups, verbose, no_pager, terminal);
	else
		due_print(stdout, &dc, v, n, &out);
	trace_perf("due written");
	free(titles[0]);
	free(titles[1]);
	free(v);
	due_release(&dc);
	book_release(&b);
	trace_perf("released");
	return exit_code && overdue ? EXIT_BAD_RECORDS : 0;
}
