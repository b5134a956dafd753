/* report_cost.c -- each ticket's and each client's cost against budget
 * (JOB-8: "制管作业 - 监控时间与内部成本"); see report.h and cost.h.
 *
 * The tickets of the month (open in it, or costing in it): budget, the
 * month's cost, the cost to the end of the month (or now), the remainder
 * and the margin, flagged when the cost reached the book's alert share of
 * the budget or passed it.  Then the same per client.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"
#include "report.h"

struct client_sum {
	const struct record *c;
	long tickets, budget, month, cost, budgeted_cost;
	int budgeted;		/* a ticket of it has a budget */
};

static void rt_percent(struct report *r, struct rtable *t, long tenths, int known)
{
	char text[48], raw[40];

	if (!known) {
		rt_text(r, t, "");
		return;
	}
	snprintf(raw, sizeof(raw), "%s%ld.%ld", tenths < 0 ? "-" : "", labs(tenths) / 10, labs(tenths) % 10);
	snprintf(text, sizeof(text), "%s%%", raw);
	rt_cell(r, t, text, raw);
}

/* The margin: what is left of the budget, in tenths of a percent. */
static long margin(long budget, long cost)
{
	return budget > 0 ? ((budget - cost) * 1000 + (budget - cost >= 0 ? budget / 2 : -budget / 2)) / budget : 0;
}

static void flag(struct report *r, struct rtable *t, long budget, long cost, int alert)
{
	if (budget <= 0)
		rt_cell(r, t, "", NULL);
	else if (cost > budget)
		rt_cell(r, t, RL(r, "超出预算", "over budget"), "over");
	else if (cost * 100 >= budget * alert)
		rt_cell(r, t, rprintf(r, RL(r, "已达%d%%", "%d%% reached"), alert), "alert");
	else
		rt_cell(r, t, "", NULL);
}

static int cmp_sum(const void *pa, const void *pb)
{
	const struct client_sum *a = pa, *b = pb;

	return strcmp(a->c->id, b->c->id);
}

int report_cost(struct report *r, struct book *b, const struct report_opts *o)
{
	moment_t end = (moment_t)(o->last + 1) * 1440 - 1, start = (moment_t)o->first * 1440 - 1;
	moment_t until = end < o->now ? end : o->now;
	struct costs to_end, before;
	struct rjob_fields jf;
	struct client_sum *sums = xcalloc(b->nrecs + 1, sizeof(*sums));
	size_t nsums = 0;
	long tot_budget = 0, tot_month = 0, tot_cost = 0, tot_rem = 0, unrated = 0;
	struct strbuf unrated_who = STRBUF_INIT;
	struct rsection *s;
	struct rtable *t;

	/* the month's cost is the cost to its end less the cost before it:
	 * one walk of the journal, unless the month starts after now */
	memset(&before, 0, sizeof(before));
	if (start <= until)
		costs_read_split(&to_end, b, until, start);
	else {
		costs_read(&to_end, b, until);
		costs_read(&before, b, start);
	}
	rjob_fields(b, &jf);
	report_common_facts(r, b, o, 1);
	report_fact(r, NULL, "budget_alert", rprintf(r, "%d%%", to_end.alert), rprintf(r, "%d", to_end.alert));

	s = report_section(r, "cost", "");
	t = report_table(r, s, "cost_jobs", NULL,
			 "job client title:w status budget:n cost_month:n cost:n remainder:n margin:n flag");
	for (size_t i = 0; i < to_end.n; i++) {
		const struct job_cost *jc = &to_end.v[i];
		const struct job_cost *was = to_end.before ? NULL : cost_of(&before, b, jc->job);
		long cost = cost_total(jc);
		long month = cost - (to_end.before ? to_end.before[i] : was ? cost_total(was) : 0);
		const struct record *c;
		struct client_sum *cs = NULL;
		struct rjob j;

		rjob_read_dates(&jf, jc->job, &j);
		if (!month && !rjob_active(&j, o->first, o->last))
			continue;
		rjob_read_rest(&jf, &j);
		if ((o->client && (!j.client || strcmp(j.client, o->client))) ||
		    !report_who_matches(b, j.issuer, o->who))
			continue;
		if (jc->unrated)
			unrated += jc->unrated;
		rt_text(r, t, j.id);
		rt_text(r, t, j.client);
		rt_text(r, t, jc->revisions ? rprintf(r, RL(r, "%s（含%d张修改单）", "%s (with %d revision%s)"),
						      j.title ? j.title : "", jc->revisions,
						      r->zh || jc->revisions == 1 ? "" : "s") : j.title);
		rt_code(r, t, "job", rjob_status_at(&j, o->last));
		if (jc->budget >= 0)
			rt_money(r, t, jc->budget);
		else
			rt_cell(r, t, "", NULL);
		rt_money(r, t, month);
		rt_money(r, t, cost);
		if (jc->budget >= 0)
			rt_money(r, t, jc->budget - cost);
		else
			rt_cell(r, t, "", NULL);
		rt_percent(r, t, margin(jc->budget, cost), jc->budget > 0);
		flag(r, t, jc->budget, cost, to_end.alert);
		tot_month += month;
		tot_cost += cost;
		if (jc->budget >= 0) {
			tot_budget += jc->budget;
			tot_rem += jc->budget - cost;
		}
		if (j.client && (c = book_record(b, K_CLIENT, j.client))) {
			for (size_t k = 0; k < nsums && !cs; k++)
				if (sums[k].c == c)
					cs = &sums[k];
			if (!cs) {
				cs = &sums[nsums++];
				cs->c = c;
			}
			cs->tickets++;
			cs->month += month;
			cs->cost += cost;
			if (jc->budget >= 0) {
				cs->budget += jc->budget;
				cs->budgeted_cost += cost;
				cs->budgeted = 1;
			}
		}
	}
	if (t->nrows) {
		rt_foot(t);
		rt_text(r, t, rlabel(r, "total"));
		rt_text(r, t, "");
		rt_text(r, t, "");
		rt_text(r, t, "");
		rt_money(r, t, tot_budget);
		rt_money(r, t, tot_month);
		rt_money(r, t, tot_cost);
		rt_money(r, t, tot_rem);
		rt_percent(r, t, margin(tot_budget, tot_budget - tot_rem), tot_budget > 0);
		rt_text(r, t, "");
	}

	if (nsums > 1)
		qsort(sums, nsums, sizeof(*sums), cmp_sum);
	t = report_table(r, s, "cost_clients", NULL,
			 "client name tickets:n budget:n cost_month:n cost:n remainder:n margin:n other:n");
	for (size_t i = 0; i < nsums; i++) {
		const struct client_sum *cs = &sums[i];
		rt_text(r, t, cs->c->id);
		rt_text(r, t, client_label(b, cs->c->id));
		rt_count(r, t, cs->tickets);
		if (cs->budgeted)
			rt_money(r, t, cs->budget);
		else
			rt_cell(r, t, "", NULL);
		rt_money(r, t, cs->month);
		rt_money(r, t, cs->cost);
		if (cs->budgeted)
			rt_money(r, t, cs->budget - cs->budgeted_cost);
		else
			rt_cell(r, t, "", NULL);
		rt_percent(r, t, margin(cs->budget, cs->budgeted_cost), cs->budget > 0);
		rt_money(r, t, to_end.client_expenses[cs->c - b->recs]);
	}
	if (unrated) {
		/* who has no rate: the hours they logged are counted at none */
		for (size_t i = 0; i < b->cfg.nstaff; i++)
			if (config_rate(&b->cfg, &b->cfg.staff[i]) < 0)
				sb_addf(&unrated_who, "%s%s", unrated_who.len ? ", " : "", b->cfg.staff[i].id);
		report_fact(r, NULL, "unrated", rprintf(r, "%ld.%02ld (%s)", unrated / 100, unrated % 100,
							unrated_who.buf), NULL);
	}
	sb_release(&unrated_who);
	free(sums);
	costs_release(&to_end);
	costs_release(&before);
	return 0;
}
