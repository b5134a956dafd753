/* report_month.c -- DUE-7: the month-end summary of each client's work and
 * next month's schedule, with the submit, complete and final-approval
 * dates of each item; see report.h. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* A date of the job if it falls on or before day, else none. */
static int upto(int d, int day)
{
	return d >= 0 && d <= day ? d : -1;
}

static int mday(moment_t m)
{
	return m ? day_of_moment(m) : -1;
}

static void job_row(struct report *r, struct rtable *t, const struct rjob *j, int last)
{
	int approval = upto(j->closed, last);

	if (approval < 0)
		approval = upto(j->confirmed, last);
	rt_text(r, t, j->id);
	rt_text(r, t, j->title);
	rt_code(r, t, "job", rjob_status_at(j, last));
	rt_day(r, t, mday(j->opened));
	rt_moment(r, t, j->due);
	rt_day(r, t, upto(mday(j->delivered), last));
	rt_day(r, t, approval);
}

static void monthly_client(struct report *r, struct book *b, const struct report_opts *o,
			   struct rclient *c, int nfirst, int nlast)
{
	const char *name = rec_field(b, c->c, "name");
	struct rsection *s = report_section(r, c->c->id, name ? name : c->c->id);
	struct rtable *t;
	size_t nwork = 0, opened = 0, delivered = 0, closed = 0, nplan = 0, nmeet = 0;
	static const char *const cols =
		"job title status submit:d client_due:d complete:d approval:d";

	report_client_facts(r, s, b, c->c);
	report_fact(r, s, "month", rprintf(r, "%s (%s)", o->period, rrange(r, o->first, o->last)),
		    o->period);
	if (c->njobs > 1)
		qsort(c->jobs, c->njobs, sizeof(*c->jobs), report_cmp_job);
	if (c->ncontacts > 1)
		qsort_r(c->contacts, c->ncontacts, sizeof(*c->contacts), report_cmp_by_time, b);
	if (c->nmeetings > 1)
		qsort_r(c->meetings, c->nmeetings, sizeof(*c->meetings), report_cmp_by_time, b);
	for (size_t i = 0; i < c->njobs; i++) {
		const struct rjob *j = &c->jobs[i];
		const char *st = rjob_status_at(j, o->last);
		if (rjob_active(j, o->first, o->last)) {
			nwork++;
			opened += mday(j->opened) >= o->first && mday(j->opened) <= o->last;
			delivered += mday(j->delivered) >= o->first && mday(j->delivered) <= o->last;
			closed += j->closed >= o->first && j->closed <= o->last;
		}
		if (mday(j->due) >= nfirst && mday(j->due) <= nlast &&
		    (!strcmp(st, "open") || !strcmp(st, "in-progress")))
			nplan++;
	}
	nmeet = c->nmeetings;
	report_text(r, s, rprintf(r, RL(r, "本月工作单 %zu 张（新开 %zu，交付 %zu，消单 %zu），联络报告 %zu 份；下月到期工作单 %zu 张，会议 %zu 场。",
					"Tickets this month: %zu (opened %zu, delivered %zu, closed %zu); contact reports: %zu; tickets due next month: %zu; meetings next month: %zu."),
				  nwork, opened, delivered, closed, c->ncontacts, nplan, nmeet));

	/* this month's work */
	t = report_table(r, s, "work", NULL, cols);
	t->counted = 1;
	for (size_t i = 0; i < c->njobs; i++)
		if (rjob_active(&c->jobs[i], o->first, o->last))
			job_row(r, t, &c->jobs[i], o->last);
	t = report_table(r, s, "month_contacts", NULL, "contact when:d occasion subject");
	t->counted = 1;
	for (size_t i = 0; i < c->ncontacts; i++) {
		const struct record *cr = c->contacts[i];
		rt_text(r, t, cr->id);
		rt_moment(r, t, rec_moment(b, cr, "held"));
		rt_code(r, t, "occ", rec_field(b, cr, "occasion"));
		rt_text(r, t, rec_field(b, cr, "subject"));
	}

	/* next month's schedule */
	t = report_table(r, s, "plan_jobs", NULL, cols);
	t->counted = 1;
	for (size_t i = 0; i < c->njobs; i++) {
		const struct rjob *j = &c->jobs[i];
		const char *st = rjob_status_at(j, o->last);
		if (mday(j->due) >= nfirst && mday(j->due) <= nlast &&
		    (!strcmp(st, "open") || !strcmp(st, "in-progress")))
			job_row(r, t, j, o->last);
	}
	report_action_table(r, s, b, c, "plan_actions", nfirst, nlast, -1);
	t = report_table(r, s, "plan_meetings", NULL, "meeting when:d topic where");
	t->counted = 1;
	for (size_t i = 0; i < c->nmeetings; i++) {
		const struct record *m = c->meetings[i];
		rt_text(r, t, m->id);
		rt_moment(r, t, rec_moment(b, m, "when"));
		rt_text(r, t, rec_field(b, m, "topic"));
		rt_text(r, t, rec_field(b, m, "where"));
	}
}

int report_monthly(struct report *r, struct book *b, const struct report_opts *o)
{
	struct rclients cs;
	struct rjob_fields jf;
	int y, m, d, nfirst = o->last + 1, nlast, quick;
	char from[11], to[11];

	civil_from_days(nfirst, &y, &m, &d);
	nlast = nfirst + days_in_month(y, m) - 1;
	r->page_per_section = 1;
	if (b->cfg.name)
		report_fact(r, NULL, "book", b->cfg.name, NULL);
	report_fact(r, NULL, "month", rprintf(r, "%s (%s)", o->period, rrange(r, o->first, o->last)),
		    o->period);
	report_workdays(r, b, o->first, o->last);
	report_fact(r, NULL, "as_of", rmoment_full(r, o->now), riso_moment(r, o->now));
	if (o->who)
		report_fact(r, NULL, "who", rprintf(r, "%s (%s)", staff_label(b, o->who), o->who), o->who);

	rclients_init(&cs, b, o);
	rjob_fields(b, &jf);
	/* a ticket passed over (closed before the month, none of its dates
	 * in it) is neither the month's work nor in next month's plan (not
	 * open at the month's end) */
	quick = rjob_window(from, to, o->first, o->last);
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *rec = &b->recs[i];
		struct rclient *c;
		moment_t when;

		if (!(c = rclients_for(&cs, b, rec)))
			continue;
		if (rec->kind == K_JOB) {
			struct rjob j;
			const char *st;
			if (quick && rjob_passed_over(&jf, rec, from, to, o->first))
				continue;
			rjob_read_dates(&jf, rec, &j);
			st = rjob_status_at(&j, o->last);
			if (rjob_active(&j, o->first, o->last) ||
			    (mday(j.due) >= nfirst && mday(j.due) <= nlast && mday(j.opened) <= o->last &&
			     (!strcmp(st, "open") || !strcmp(st, "in-progress")))) {
				rjob_read_rest(&jf, &j);
				rclient_add_job(c, &j);
			}
		} else if (rec->kind == K_CONTACT) {
			when = rec_moment(b, rec, "held");
			if (!when || day_of_moment(when) > o->last)
				continue;
			if (day_of_moment(when) >= o->first)
				rclient_add_rec(&c->contacts, &c->ncontacts, &c->acontacts, rec);
			rclient_add_rec(&c->actions, &c->nactions, &c->aactions, rec);
		} else if (rec->kind == K_MEETING) {
			const char *st = rec_field(b, rec, "status");
			when = rec_moment(b, rec, "when");
			if (when && day_of_moment(when) >= nfirst && day_of_moment(when) <= nlast &&
			    (!st || strcmp(st, "cancelled")))
				rclient_add_rec(&c->meetings, &c->nmeetings, &c->ameetings, rec);
		}
	}
	for (size_t i = 0; i < cs.n; i++) {
		struct rclient *c = &cs.v[i];
		const char *status = rec_field(b, c->c, "status");
		int first = rec_day(b, c->c, "first_contact");
		int plan_actions = 0;

		/* the action items read only when nothing else tells */
		if (o->client || c->njobs || c->ncontacts || c->nmeetings ||
		    (status && !strcmp(status, "active") && first <= o->last))
			plan_actions = 1;
		for (size_t k = 0; k < c->nactions && !plan_actions; k++) {
			struct raction *acts;
			int na = report_actions(r, b, c->actions[k], &acts);
			for (int a = 0; a < na; a++)
				plan_actions |= acts[a].due >= nfirst && acts[a].due <= nlast;
			free(acts);
		}
		if (!plan_actions)
			continue;
		monthly_client(r, b, o, c, nfirst, nlast);
	}
	rclients_release(&cs);
	return 0;
}
