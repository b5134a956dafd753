/* report_weekly.c -- the week's reports; see report.h.
 *   DUE-3  the weekly status report to each client: the week's tickets
 *          with status, progress and next steps, contact reports and
 *          meetings, open action items, next week's deadlines
 *   JOB-6  the Friday tally of the week's tickets for the supervisor
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pool.h"
#include "report.h"
#include "trace.h"
#include "utf8.h"

/* DUE-3: a project's summary line holds at most this many characters. */
#define SUMMARY_MAX 150

/* s cut to SUMMARY_MAX characters with an ellipsis; *cut set if it was. */
static const char *summary_line(struct report *r, const char *s, int *cut)
{
	size_t n, i = 0, count = 0;

	*cut = 0;
	if (!s)
		return "";
	n = strlen(s);
	if (utf8_count(s, n) <= SUMMARY_MAX)
		return s;
	while (i < n && count < SUMMARY_MAX - 1) {
		int len;
		utf8_decode(s + i, &len);
		i += (size_t)(len > 0 ? len : 1);
		count++;
	}
	*cut = 1;
	return rprintf(r, "%.*s…", (int)i, s);
}

/* The day a progress line is about: "11-20 ..." or "2026-11-20 ...", the
 * year taken as the one that puts it nearest the report's week; -1 if the
 * line has no date. */
static int line_day(const char *s, size_t n, int last)
{
	int y, m, d, day, lm, ld;

	if (n >= 10 && (n == 10 || s[10] == ' ' || s[10] == '\t') &&
	    parse_date(s, 10, &day) == DATE_OK)
		return day;
	if (n < 5 || (n > 5 && s[5] != ' ' && s[5] != '\t'))
		return -1;
	for (int i = 0; i < 5; i++)
		if (i == 2 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	d = (s[3] - '0') * 10 + (s[4] - '0');
	civil_from_days(last, &y, &lm, &ld);
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	day = days_from_civil(y, m, d);
	/* "12-30" read in the first week of January is last year's */
	if (day > last + 183 && d <= days_in_month(y - 1, m))
		day = days_from_civil(y - 1, m, d);
	return day;
}

/*
 * The progress of the week: the lines dated within first..last; if none,
 * the latest line dated before; a field with no dated line is shown whole.
 */
static const char *week_progress(struct report *r, const char *prog, int first, int last)
{
	struct strbuf sb = STRBUF_INIT;
	const char *latest = NULL, *s, *out;
	size_t latest_n = 0;
	int latest_day = -1, dated = 0;

	if (!prog)
		return "";
	for (s = prog; *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		int day = line_day(s, n, last);

		if (day >= 0) {
			dated = 1;
			if (day >= first && day <= last) {
				if (sb.len)
					sb_addch(&sb, '\n');
				sb_add(&sb, s, n);
			} else if (day < first && day >= latest_day) {
				latest = s;
				latest_n = n;
				latest_day = day;
			}
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	if (!dated)
		out = prog;
	else if (sb.len)
		out = rstr(r, sb.buf);
	else
		out = latest ? rprintf(r, "%.*s", (int)latest_n, latest) : "";
	sb_release(&sb);
	return out;
}

/* The status at the end of the week, and whether the client's time had
 * passed by then (or by now, for this week). */
static void job_status(struct report *r, struct rtable *t, const struct rjob *j,
		       const struct report_opts *o)
{
	const char *st = rjob_status_at(j, o->last);
	moment_t as_of = (moment_t)(o->last + 1) * 1440 - 1;

	if (o->now < as_of)
		as_of = o->now;
	if (j->due && j->due < as_of && (!strcmp(st, "open") || !strcmp(st, "in-progress")))
		rt_cell(r, t, rprintf(r, "%s%s", rcode(r, "job", st), RL(r, "（逾期）", " (late)")), st);
	else
		rt_code(r, t, "job", st);
}

/* week: the week's fact, "2026-W48 (11月23日至29日)", the same for every
 * client */
static void weekly_client(struct report *r, struct book *b, const struct report_opts *o,
			  struct rclient *c, int as_of_day, const char *week)
{
	const char *name = rec_field(b, c->c, "name");
	struct rsection *s = report_section(r, c->c->id, name ? name : c->c->id);
	struct rtable *t;
	struct strbuf cut = STRBUF_INIT;

	report_client_facts(r, s, b, c->c);
	report_fact(r, s, "week", week, o->period);

	/* the week's tickets */
	if (c->njobs > 1)
		qsort(c->jobs, c->njobs, sizeof(*c->jobs), report_cmp_job);
	t = report_table(r, s, "jobs", NULL,
			 "job title status client_due:d delivered:d summary:w progress:w next:w");
	t->counted = 1;
	for (size_t i = 0; i < c->njobs; i++) {
		const struct rjob *j = &c->jobs[i];
		static const char *const names[] = { "progress" };
		const char *prog;
		int was_cut;
		const char *sum = summary_line(r, j->summary, &was_cut);

		report_prose(r, b, j->r, names, &prog, 1);
		rt_text(r, t, j->id);
		rt_text(r, t, j->title);
		job_status(r, t, j, o);
		rt_moment(r, t, j->due);
		rt_moment(r, t, j->delivered && day_of_moment(j->delivered) <= o->last ? j->delivered : 0);
		rt_text(r, t, sum);
		rt_text(r, t, week_progress(r, prog, o->first, o->last));
		rt_text(r, t, j->next);
		if (was_cut)
			sb_addf(&cut, "%s%s", cut.len ? ", " : "", j->id);
	}
	if (cut.len)
		report_text(r, s, rprintf(r, RL(r, "* 摘要超过%d字，已截断：%s", "* Summary longer than %d characters, cut: %s"),
					  SUMMARY_MAX, cut.buf));
	sb_release(&cut);

	/* contact reports and meetings held that week */
	if (c->ncontacts > 1)
		qsort_r(c->contacts, c->ncontacts, sizeof(*c->contacts), report_cmp_by_time, b);
	t = report_table(r, s, "contacts", NULL, "contact when:d occasion subject conclusions:w");
	t->counted = 1;
	for (size_t i = 0; i < c->ncontacts; i++) {
		const struct record *cr = c->contacts[i];
		static const char *const names[] = { "conclusions" };
		const char *concl;

		report_prose(r, b, cr, names, &concl, 1);
		rt_text(r, t, cr->id);
		rt_moment(r, t, rec_moment(b, cr, "held"));
		rt_code(r, t, "occ", rec_field(b, cr, "occasion"));
		rt_text(r, t, rec_field(b, cr, "subject"));
		rt_text(r, t, concl);
	}
	if (c->nmeetings > 1)
		qsort_r(c->meetings, c->nmeetings, sizeof(*c->meetings), report_cmp_by_time, b);
	t = report_table(r, s, "meetings", NULL, "meeting when:d topic where status");
	t->counted = 1;
	for (size_t i = 0; i < c->nmeetings; i++) {
		const struct record *m = c->meetings[i];
		rt_text(r, t, m->id);
		rt_moment(r, t, rec_moment(b, m, "when"));
		rt_text(r, t, rec_field(b, m, "topic"));
		rt_text(r, t, rec_field(b, m, "where"));
		rt_code(r, t, "mtg", rec_field(b, m, "status"));
	}

	report_action_table(r, s, b, c, "actions", 0, -1, as_of_day);

	/* next week's deadlines, from ae due as of the week's end */
	t = report_table(r, s, "deadlines", NULL, "due:d rule owner what");
	t->counted = 1;
	for (size_t i = 0; i < c->nitems; i++) {
		const struct due_item *it = c->items[i];
		rt_moment(r, t, it->due);
		rt_text(r, t, it->rule);
		rt_cell(r, t, it->who ? staff_label(b, it->who) : "", it->who ? it->who : "");
		rt_text(r, t, it->what);
	}
}

/* The rules a client sees every week whatever happens: not news. */
static int routine_rule(const char *rule)
{
	return !strcmp(rule, "DUE-1") || !strcmp(rule, "DUE-3");
}

static void week_facts(struct report *r, const struct book *b, const struct report_opts *o)
{
	if (b->cfg.name)
		report_fact(r, NULL, "book", b->cfg.name, NULL);
	report_fact(r, NULL, "week", rprintf(r, "%s (%s)", o->period, rrange(r, o->first, o->last)),
		    o->period);
	report_workdays(r, b, o->first, o->last);
	report_fact(r, NULL, "as_of", rmoment_full(r, o->now), riso_moment(r, o->now));
	if (o->who)
		report_fact(r, NULL, "who", rprintf(r, "%s (%s)", staff_label(b, o->who), o->who), o->who);
}

/*
 * The week's records, each added to its client's lists: read on the pool
 * (a hundred thousand records whose values are where the parse cache
 * lies, most a miss in the CPU's cache: 13 ms on one thread in the 100k
 * book), each slice's finds added in the records' order after.
 */
struct week_find {
	size_t rec;
	struct rclient *c;
	enum { WF_JOB, WF_CONTACT, WF_CONTACT_ACTION, WF_MEETING } what;
	struct rjob j;		/* WF_JOB's */
};

struct week_slice {
	struct week_find *v;
	size_t n, alloc;
	char pad[POOL_LINE];	/* pool.h: no two threads' in one cache line */
};

struct week_job {
	struct book *b;
	const struct report_opts *o;
	struct rclients *cs;
	const struct rjob_fields *jf;
	int quick, f_held, f_when;
	const char *from, *to;
	size_t per;
	struct week_slice *slices;
};

static void week_find(struct week_slice *sl, size_t rec, struct rclient *c, int what,
		      const struct rjob *j)
{
	struct week_find *f;

	ALLOC_GROW(sl->v, sl->n + 1, sl->alloc);
	f = &sl->v[sl->n++];
	f->rec = rec;
	f->c = c;
	f->what = what;
	if (j)
		f->j = *j;
}

/* the week's records first, then their client (most records are not
 * the week's, and a client looked up is a hash and a strcmp); the
 * client first when only some are reported */
static void week_slice(void *ctx, size_t unit)
{
	struct week_job *wj = ctx;
	const struct report_opts *o = wj->o;
	struct week_slice *sl = &wj->slices[unit];
	size_t lo = unit * wj->per, hi = lo + wj->per < wj->b->nrecs ? lo + wj->per : wj->b->nrecs;

	for (size_t i = lo; i < hi; i++) {
		const struct record *rec = &wj->b->recs[i];
		struct rclient *c = NULL;
		moment_t m;

		if (rec->kind != K_JOB && rec->kind != K_CONTACT && rec->kind != K_MEETING)
			continue;
		if ((o->client || o->who) && !(c = rclients_for(wj->cs, wj->b, rec)))
			continue;
		if (rec->kind == K_JOB) {
			struct rjob j;
			if (wj->quick && rjob_passed_over(wj->jf, rec, wj->from, wj->to, o->first))
				continue;
			rjob_read_dates(wj->jf, rec, &j);
			if (!rjob_active(&j, o->first, o->last) ||
			    (!c && !(c = rclients_for(wj->cs, wj->b, rec))))
				continue;
			rjob_read_rest(wj->jf, &j);
			week_find(sl, i, c, WF_JOB, &j);
		} else if (rec->kind == K_CONTACT) {
			m = rec_moment_at(rec, wj->f_held);
			if (!m || day_of_moment(m) > o->last ||
			    (!c && !(c = rclients_for(wj->cs, wj->b, rec))))
				continue;
			week_find(sl, i, c, day_of_moment(m) >= o->first ? WF_CONTACT : WF_CONTACT_ACTION,
				  NULL);
		} else {
			m = rec_moment_at(rec, wj->f_when);
			if (!m || day_of_moment(m) < o->first || day_of_moment(m) > o->last ||
			    (!c && !(c = rclients_for(wj->cs, wj->b, rec))))
				continue;
			week_find(sl, i, c, WF_MEETING, NULL);
		}
	}
}

/* The runs the week's records and the clients' sections are made in on
 * the pool (sixteen: a few a thread, so that they come out even). */
#define WEEK_PARTS 16

static void week_records(struct book *b, const struct report_opts *o, struct rclients *cs,
			 const struct rjob_fields *jf, int quick, const char *from, const char *to)
{
	struct week_job wj = { .b = b, .o = o, .cs = cs, .jf = jf, .quick = quick,
			       .from = from, .to = to };

	wj.f_held = book_field(b, K_CONTACT, "held");
	wj.f_when = book_field(b, K_MEETING, "when");
	wj.per = b->nrecs / WEEK_PARTS + 1;
	wj.slices = xcalloc(WEEK_PARTS, sizeof(*wj.slices));
	pool_run(WEEK_PARTS, 1, week_slice, &wj);
	for (size_t k = 0; k < WEEK_PARTS; k++) {
		struct week_slice *sl = &wj.slices[k];
		for (size_t i = 0; i < sl->n; i++) {
			struct week_find *f = &sl->v[i];
			struct rclient *c = f->c;
			const struct record *rec = &b->recs[f->rec];
			switch (f->what) {
			case WF_JOB:
				rclient_add_job(c, &f->j);
				break;
			case WF_CONTACT:
				rclient_add_rec(&c->contacts, &c->ncontacts, &c->acontacts, rec);
				/* every contact is an action's too */
				/* fall through */
			case WF_CONTACT_ACTION:
				rclient_add_rec(&c->actions, &c->nactions, &c->aactions, rec);
				break;
			case WF_MEETING:
				rclient_add_rec(&c->meetings, &c->nmeetings, &c->ameetings, rec);
				break;
			}
		}
		free(sl->v);
	}
	free(wj.slices);
}

/*
 * The clients' sections, made on the pool: the clients in WEEK_PARTS
 * runs, each run's sections made in its own report (its arena, its
 * tables' memo) and its diagnostics captured (a file gone since it was
 * listed); then taken into r, run by run, in the clients' order, so that
 * the report is the same bytes on any number of threads.
 */

struct week_part {
	struct report sub;
	struct diag_batch *diags;
};

struct week_sections {
	struct book *b;
	const struct report_opts *o;
	struct rclient **v;
	size_t n, per;
	int as_of_day;
	const char *week;
	struct week_part *parts;
};

static void week_part(void *ctx, size_t unit)
{
	struct week_sections *ws = ctx;
	struct week_part *p = &ws->parts[unit];
	size_t lo = unit * ws->per, hi = lo + ws->per < ws->n ? lo + ws->per : ws->n;

	diag_capture(&p->diags);
	for (size_t i = lo; i < hi; i++)
		weekly_client(&p->sub, ws->b, ws->o, ws->v[i], ws->as_of_day, ws->week);
	diag_capture(NULL);
}

static void weekly_sections(struct report *r, struct book *b, const struct report_opts *o,
			    struct rclient **v, size_t n, int as_of_day, const char *week)
{
	struct week_sections ws = { .b = b, .o = o, .v = v, .n = n, .as_of_day = as_of_day,
				    .week = week };

	ws.per = n / WEEK_PARTS + 1;
	ws.parts = xcalloc(WEEK_PARTS, sizeof(*ws.parts));
	for (size_t k = 0; k < WEEK_PARTS; k++)
		report_init_like(&ws.parts[k].sub, r);
	pool_run(WEEK_PARTS, 1, week_part, &ws);
	for (size_t k = 0; k < WEEK_PARTS; k++) {
		diag_commit(ws.parts[k].diags, SIZE_MAX);
		report_adopt(r, &ws.parts[k].sub);
	}
	free(ws.parts);
}

/*
 * Which clients the report shows: those served, or with anything this
 * week; for the others, their contact reports' action items are read,
 * and an open one shows them (2,010 clients of the 100k book, their
 * 30,000 contact reports: 5 ms on one thread), in runs of SHOWN_RUN on
 * the pool, each client's answer in its place.
 */
#define SHOWN_RUN 64

struct week_shown {
	const struct book *b;
	const struct report_opts *o;
	const struct rclients *cs;
	unsigned char *shown;	/* [client index] */
};

static void week_shown(void *ctx, size_t unit)
{
	struct week_shown *wh = ctx;
	const struct book *b = wh->b;
	size_t hi = (unit + 1) * SHOWN_RUN;

	for (size_t i = unit * SHOWN_RUN; i < hi && i < wh->cs->n; i++) {
		const struct rclient *c = &wh->cs->v[i];
		const char *status = rec_field(b, c->c, "status");
		int first = rec_day(b, c->c, "first_contact"), shown = 0;

		if (wh->o->client || c->njobs || c->ncontacts || c->nmeetings || c->nitems ||
		    (status && !strcmp(status, "active") && first <= wh->o->last))
			shown = 1;
		for (size_t k = 0; k < c->nactions && !shown; k++)
			shown = report_open_actions(b, c->actions[k]) > 0;
		wh->shown[i] = (unsigned char)shown;
	}
}

int report_weekly(struct report *r, struct book *b, const struct report_opts *o)
{
	struct rclients cs;
	struct due_ctx dc;
	moment_t week_end = (moment_t)(o->last + 1) * 1440 - 1;
	int as_of_day = day_of_moment(o->now) < o->last ? day_of_moment(o->now) : o->last;
	const char *week;
	struct rclient **shown;
	size_t nshown = 0;
	char from[11], to[11];
	int quick = rjob_window(from, to, o->first, o->last);

	r->page_per_section = 1;
	struct rjob_fields jf;

	week_facts(r, b, o);
	week = rprintf(r, "%s (%s)", o->period, rrange(r, o->first, o->last));
	rclients_init(&cs, b, o);
	rjob_fields(b, &jf);
	week_records(b, o, &cs, &jf, quick, from, to);
	trace_perf("report records");
	/* ae due at the end of the week; for this week, as of now: records
	 * say nothing yet of what happens between now and Sunday */
	due_collect_from(&dc, b, o->now < week_end ? o->now : week_end, o->last + 1, o->last + 7, r->zh);
	trace_perf("due collected");
	for (size_t i = 0; i < dc.n; i++) {
		const struct due_item *it = dc.list[i];
		int day = day_of_moment(it->due);
		struct rclient *c;
		/* next week's, then the client (most items are not next week's) */
		if (day > o->last && day <= o->last + 7 && !routine_rule(it->rule) &&
		    (c = rclients_get(&cs, it->client)))
			rclient_add_item(c, it);
	}
	trace_perf("report items");
	shown = xmalloc(sizeof(*shown) * (cs.n + 1));
	{
		struct week_shown wh = { b, o, &cs, xcalloc(cs.n + 1, 1) };
		pool_run((cs.n + SHOWN_RUN - 1) / SHOWN_RUN, 1, week_shown, &wh);
		for (size_t i = 0; i < cs.n; i++)
			if (wh.shown[i])
				shown[nshown++] = &cs.v[i];
		free(wh.shown);
	}
	weekly_sections(r, b, o, shown, nshown, as_of_day, week);
	free(shown);
	due_release(&dc);
	rclients_release(&cs);
	return 0;
}

/* -- JOB-6: the Friday tally -- */

static const char *const statuses[] = { "open", "in-progress", "delivered", "closed", "cancelled" };

struct tally_row {
	const char *dept, *ae;
	long n[6];
};

static int cmp_tally_job(const void *pa, const void *pb)
{
	const struct rjob *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->dept ? a->dept : "", b->dept ? b->dept : "")))
		return c;
	if ((c = strcmp(a->issuer ? a->issuer : "", b->issuer ? b->issuer : "")))
		return c;
	return strcmp(a->id, b->id);
}

static const char *dept_label(const struct book *b, const char *code)
{
	const struct dept *d = code ? config_dept(&b->cfg, code) : NULL;

	return d && d->name ? d->name : code ? code : "";
}

/* What happened to j within first..last: "opened, delivered". */
static const char *week_events(struct report *r, const struct rjob *j, int first, int last)
{
	struct strbuf sb = STRBUF_INIT;
	const char *sep = r->zh ? "、" : ", ", *s;
	struct { int day; const char *key; } ev[4] = {
		{ j->opened ? day_of_moment(j->opened) : -1, "ev.opened" },
		{ j->due ? day_of_moment(j->due) : -1, "ev.due" },
		{ j->delivered ? day_of_moment(j->delivered) : -1, "ev.delivered" },
		{ j->closed, "ev.closed" },
	};

	for (int i = 0; i < 4; i++)
		if (ev[i].day >= first && ev[i].day <= last)
			sb_addf(&sb, "%s%s", sb.len ? sep : "", rlabel(r, ev[i].key));
	if (!sb.len)
		sb_addstr(&sb, rlabel(r, "ev.open"));
	s = rstr(r, sb.buf);
	sb_release(&sb);
	return s;
}

int report_tally(struct report *r, struct book *b, const struct report_opts *o)
{
	struct rjob *jobs = NULL;
	struct rjob_fields jf;
	size_t n = 0, alloc = 0, nrows = 0;
	struct tally_row *rows = NULL, total;
	struct rsection *s;
	struct rtable *t;
	int friday = o->first + 4, quick;
	char from[11], to[11];

	/* JOB-6 says Friday; a Friday off means the last working day before it */
	while (friday > o->first && !cal_is_working_day(&b->cal, friday))
		friday--;
	if (!cal_is_working_day(&b->cal, friday))
		friday = o->first + 4;

	week_facts(r, b, o);
	report_fact(r, NULL, "send_to",
		    rprintf(r, RL(r, "客户主管，%s 15:30前 (JOB-6)", "the account supervisor, by %s 15:30 (JOB-6)"),
			    rdate_short(r, friday)), NULL);
	rjob_fields(b, &jf);
	quick = rjob_window(from, to, o->first, o->last);
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *rec = &b->recs[i];
		struct rjob j;

		if (rec->kind != K_JOB || (quick && rjob_passed_over(&jf, rec, from, to, o->first)))
			continue;
		rjob_read_fields(&jf, rec, &j);
		if (!rjob_active(&j, o->first, o->last) || !report_who_matches(b, j.issuer, o->who))
			continue;
		if (o->client && (!j.client || strcmp(j.client, o->client)))
			continue;
		ALLOC_GROW(jobs, n + 1, alloc);
		jobs[n++] = j;
	}
	if (n > 1)
		qsort(jobs, n, sizeof(*jobs), cmp_tally_job);
	report_fact(r, NULL, "tickets", rprintf(r, "%zu", n), NULL);

	memset(&total, 0, sizeof(total));
	rows = xcalloc(n + 1, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		const char *st = rjob_status_at(&jobs[i], o->last);
		struct tally_row *row;
		size_t k;

		if (!nrows || strcmp(rows[nrows - 1].dept, jobs[i].dept ? jobs[i].dept : "") ||
		    strcmp(rows[nrows - 1].ae, jobs[i].issuer ? jobs[i].issuer : "")) {
			rows[nrows].dept = jobs[i].dept ? jobs[i].dept : "";
			rows[nrows].ae = jobs[i].issuer ? jobs[i].issuer : "";
			nrows++;
		}
		row = &rows[nrows - 1];
		for (k = 0; k < ARRAY_SIZE(statuses) && strcmp(statuses[k], st); k++)
			;
		if (k < ARRAY_SIZE(statuses)) {
			row->n[k]++;
			total.n[k]++;
		}
		row->n[5]++;
		total.n[5]++;
	}
	s = report_section(r, "tally", "");
	t = report_table(r, s, "by_ae", NULL,
			 "dept ae n_open:n n_in_progress:n n_delivered:n n_closed:n n_cancelled:n total:n");
	for (size_t i = 0; i < nrows; i++) {
		rt_cell(r, t, dept_label(b, rows[i].dept), rows[i].dept);
		rt_cell(r, t, staff_label(b, rows[i].ae), rows[i].ae);
		for (int k = 0; k < 6; k++)
			rt_count(r, t, rows[i].n[k]);
	}
	if (nrows) {
		rt_foot(t);
		rt_text(r, t, rlabel(r, "total"));
		rt_text(r, t, "");
		for (int k = 0; k < 6; k++)
			rt_count(r, t, total.n[k]);
	}

	t = report_table(r, s, "list", NULL,
			 "job dept ae client title status opened:d client_due:d delivered:d events");
	t->counted = 1;
	for (size_t i = 0; i < n; i++) {
		const struct rjob *j = &jobs[i];
		rt_text(r, t, j->id);
		rt_cell(r, t, dept_label(b, j->dept), j->dept ? j->dept : "");
		rt_cell(r, t, staff_label(b, j->issuer), j->issuer ? j->issuer : "");
		rt_cell(r, t, client_label(b, j->client), j->client ? j->client : "");
		rt_text(r, t, j->title);
		job_status(r, t, j, o);
		rt_moment(r, t, j->opened);
		rt_moment(r, t, j->due);
		rt_moment(r, t, j->delivered && day_of_moment(j->delivered) <= o->last ? j->delivered : 0);
		rt_text(r, t, week_events(r, j, o->first, o->last));
	}
	free(rows);
	free(jobs);
	return 0;
}
