/* cost.c -- see cost.h */
#include "cost.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"

/* The original of a ticket: its parent when it is a revision (f_parent:
 * the index of the 'parent' field of tickets). */
static const struct record *original(const struct book *b, int f_parent,
				     const struct record *job)
{
	const char *parent = rec_str(job, f_parent);
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

/* A line to count, with its sort key: time, then file and line. */
struct cline {
	moment_t at;
	uint64_t pos;		/* the entry's place in the journal: its file's, then its line's */
	const struct jentry *e;
};

static int cmp_cline(const void *pa, const void *pb)
{
	const struct cline *a = pa, *b = pb;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

void costs_read(struct costs *c, const struct book *b, moment_t until)
{
	costs_read_only(c, b, until, NULL);
}

void costs_read_split(struct costs *c, const struct book *b, moment_t until, moment_t split)
{
	costs_begin(c, b, until, NULL);
	c->split = split;
	c->before = xcalloc(c->n + 1, sizeof(*c->before));
	for (size_t i = 0; i < b->journal.n; i++)
		costs_line(c, &b->journal.v[i]);
	costs_end(c);
}

void costs_read_only(struct costs *c, const struct book *b, moment_t until,
		     const unsigned char *want)
{
	costs_begin(c, b, until, want);
	for (size_t i = 0; i < b->journal.n; i++)
		costs_line(c, &b->journal.v[i]);
	costs_end(c);
}

void costs_begin(struct costs *c, const struct book *b, moment_t until,
		 const unsigned char *want)
{
	size_t *slot = xcalloc(b->nrecs + 1, sizeof(*slot)), njobs = 0;
	int f_parent = book_field(b, K_JOB, "parent"), f_budget = book_field(b, K_JOB, "budget");

	memset(c, 0, sizeof(*c));
	c->b = b;
	c->until = until;
	c->want = want;
	c->lines = xmalloc(sizeof(*c->lines) * (b->journal.n + 1));
	c->sorted = 1;
	c->alert = (int)config_num(&b->cfg, "budget_alert", 80);
	for (size_t i = 0; i < b->nrecs; i++)
		njobs += b->recs[i].kind == K_JOB && (!want || want[i]);
	c->v = xcalloc(njobs + 1, sizeof(*c->v));
	c->client_expenses = xcalloc(b->nrecs + 1, sizeof(*c->client_expenses));
	/* slot[i]: 1 + the index of record i's original's cost */
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		struct job_cost *jc;
		if (r->kind != K_JOB || r->bad || (want && !want[i]) || original(b, f_parent, r) != r)
			continue;
		jc = &c->v[c->n];
		jc->job = r;
		jc->budget = money_cents(rec_str(r, f_budget));
		slot[i] = ++c->n;
	}
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i], *o;
		if (r->kind != K_JOB || r->bad || (o = original(b, f_parent, r)) == r ||
		    !slot[o - b->recs])
			continue;
		slot[i] = slot[o - b->recs];
		c->v[slot[i] - 1].revisions++;
	}
	c->of = slot;
	c->counts = xmalloc(b->nrecs + 1);
	for (size_t i = 0; i < b->nrecs; i++)
		c->counts[i] = b->recs[i].kind == K_CLIENT ? 1 : b->recs[i].kind == K_JOB && slot[i] ? 2 : 0;
}

void costs_line(struct costs *c, const struct jentry *e)
{
	struct cline *l;

	if ((e->verb != JV_HOURS && e->verb != JV_EXPENSE) || e->rec < 0 || e->at > c->until)
		return;
	/* a line of no ticket asked for counts for nothing (a client's
	 * expense is counted all the same); a byte a record, not the
	 * record: a million lines, and the records are megabytes apart */
	if (!c->counts[e->rec])
		return;
	l = &c->lines[c->nlines];
	l->at = e->at;
	l->pos = (uint64_t)(e - c->b->journal.v);
	l->e = e;
	/* a journal written in time order needs no sort */
	if (c->nlines && c->sorted && cmp_cline(l - 1, l) > 0)
		c->sorted = 0;
	c->nlines++;
}

void costs_end(struct costs *c)
{
	const struct book *b = c->b;
	const struct cline *lines = c->lines;
	const unsigned char *counts = c->counts;
	size_t n = c->nlines, *slot = c->of;
	/* each person's rate, looked up once (config_staff finds the
	 * journal's own ID strings by address) */
	long *rates = xmalloc(sizeof(*rates) * (b->cfg.nstaff + 1));

	if (!c->sorted)
		qsort(c->lines, n, sizeof(*c->lines), cmp_cline);
	for (size_t i = 0; i < b->cfg.nstaff; i++)
		rates[i] = config_rate(&b->cfg, &b->cfg.staff[i]);
	/* in time order, so the moment the alert share is reached is known */
	for (size_t i = 0; i < n; i++) {
		const struct jentry *e = lines[i].e;
		struct job_cost *jc;

		if (counts[e->rec] == 1 && e->verb == JV_EXPENSE) {
			c->client_expenses[e->rec] += e->amount;
			continue;
		}
		if (counts[e->rec] != 2)
			continue;
		jc = &c->v[slot[e->rec] - 1];
		if (e->verb == JV_HOURS) {
			long rate = rates[e->who];
			jc->hours += e->amount;
			if (rate < 0)
				jc->unrated += e->amount;
			else
				jc->labour += (rate * e->amount + 50) / 100;
		} else {
			jc->expenses += e->amount;
		}
		jc->last = e->at;
		if (c->before && e->at <= c->split)
			c->before[slot[e->rec] - 1] = cost_total(jc);
		if (!jc->crossed && jc->budget > 0 && cost_total(jc) * 100 >= jc->budget * c->alert)
			jc->crossed = e->at;
	}
	free(rates);
	free(c->lines);
	free(c->counts);
	c->counts = NULL;
	c->lines = NULL;
	c->nlines = 0;
	c->want = NULL;
}

void costs_release(struct costs *c)
{
	free(c->v);
	free(c->counts);
	free(c->before);
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
