/* cost.c -- see cost.h */
#include "cost.h"

#include <stdlib.h>
#include <string.h>

#include "journal.h"

/* The original of a ticket: its parent when it is a revision. */
static const struct record *original(const struct book *b, const struct record *job)
{
	const char *parent = rec_str(job, book_field(b, K_JOB, "parent"));
	const struct record *p = parent ? book_record(b, K_JOB, parent) : NULL;

	return p ? p : job;
}

static long money_cents(const char *v)
{
	long whole = 0, frac = 0;
	int neg = v && *v == '-', digits = 0;

	if (!v)
		return -1;
	for (v += neg; *v >= '0' && *v <= '9'; v++)
		whole = whole * 10 + (*v - '0');
	if (*v == '.')
		for (v++; *v >= '0' && *v <= '9' && digits < 2; v++, digits++)
			frac = frac * 10 + (*v - '0');
	for (; digits < 2; digits++)
		frac *= 10;
	return (neg ? -1 : 1) * (whole * 100 + frac);
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct jentry *a = *(const struct jentry *const *)pa, *b = *(const struct jentry *const *)pb;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->file != b->file)
		return a->file - b->file;
	return a->line - b->line;
}

void costs_read(struct costs *c, const struct book *b, moment_t until)
{
	const struct journal *j = &b->journal;
	const struct jentry **lines = xmalloc(sizeof(*lines) * (j->n + 1));
	size_t *slot = xcalloc(b->nrecs + 1, sizeof(*slot)), n = 0;

	memset(c, 0, sizeof(*c));
	c->alert = (int)config_num(&b->cfg, "budget_alert", 80);
	c->v = xcalloc(b->nrecs + 1, sizeof(*c->v));
	c->client_expenses = xcalloc(b->nrecs + 1, sizeof(*c->client_expenses));
	/* slot[i]: 1 + the index of record i's original's cost */
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		struct job_cost *jc;
		if (r->kind != K_JOB || r->bad || original(b, r) != r)
			continue;
		jc = &c->v[c->n];
		jc->job = r;
		jc->budget = money_cents(rec_str(r, book_field(b, K_JOB, "budget")));
		slot[i] = ++c->n;
	}
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i], *o;
		if (r->kind != K_JOB || r->bad || (o = original(b, r)) == r || !slot[o - b->recs])
			continue;
		slot[i] = slot[o - b->recs];
		c->v[slot[i] - 1].revisions++;
	}
	for (size_t i = 0; i < j->n; i++)
		if (j->v[i].at <= until && j->v[i].rec >= 0 &&
		    (j->v[i].verb == JV_HOURS || j->v[i].verb == JV_EXPENSE))
			lines[n++] = &j->v[i];
	qsort(lines, n, sizeof(*lines), cmp_entry);
	/* in time order, so the moment the alert share is reached is known */
	for (size_t i = 0; i < n; i++) {
		const struct jentry *e = lines[i];
		const struct record *r = &b->recs[e->rec];
		struct job_cost *jc;

		if (r->kind == K_CLIENT && e->verb == JV_EXPENSE) {
			c->client_expenses[e->rec] += e->amount;
			continue;
		}
		if (r->kind != K_JOB || !slot[e->rec])
			continue;
		jc = &c->v[slot[e->rec] - 1];
		if (e->verb == JV_HOURS) {
			long rate = config_rate(&b->cfg, config_staff(&b->cfg, e->who));
			jc->hours += e->amount;
			if (rate < 0)
				jc->unrated += e->amount;
			else
				jc->labour += (rate * e->amount + 50) / 100;
		} else {
			jc->expenses += e->amount;
		}
		jc->last = e->at;
		if (!jc->crossed && jc->budget > 0 && cost_total(jc) * 100 >= jc->budget * c->alert)
			jc->crossed = e->at;
	}
	free(lines);
	c->of = slot;
}

void costs_release(struct costs *c)
{
	free(c->v);
	free(c->client_expenses);
	free(c->of);
	memset(c, 0, sizeof(*c));
}

const struct job_cost *cost_of(const struct costs *c, const struct book *b,
			       const struct record *job)
{
	size_t i = (size_t)(job - b->recs);

	return i < b->nrecs && c->of[i] ? &c->v[c->of[i] - 1] : NULL;
}

long cost_total(const struct job_cost *jc)
{
	return jc->labour + jc->expenses;
}
