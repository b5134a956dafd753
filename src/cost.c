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

/* A line to count (made only for a journal out of time order:
 * costs_end()), sorted by time, then by its place in the journal's
 * array, which is its file's, then its line's. */
struct cline {
	moment_t at;
	const struct jentry *e;
};

static int cmp_cline(const void *pa, const void *pb)
{
	const struct cline *a = pa, *b = pb;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a->e < b->e ? -1 : a->e > b->e;
}

/* Whether e counts at all: an hours or expense line, by then, of a
 * client or a ticket with a cost.  A byte a record, not the record: a
 * million lines, and the records are megabytes apart. */
static int counts_line(const struct costs *c, const struct jentry *e)
{
	return (e->verb == JV_HOURS || e->verb == JV_EXPENSE) && e->rec >= 0 &&
	       e->at <= c->until && c->counts[e->rec];
}

/* e counted: the lines in time order (then file and line). */
static void count_line(struct costs *c, const struct jentry *e)
{
	const unsigned char *counts = c->counts;
	size_t *slot = c->of;
	const long *rates = c->rates;
	struct job_cost *jc;

	if (counts[e->rec] == 1 && e->verb == JV_EXPENSE) {
		c->client_expenses[e->rec] += e->amount;
		return;
	}
	if (counts[e->rec] != 2)
		return;
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
	costs_begin_from(c, b, until, want, NULL);
}

/* Record index i's original: orig's word, else found from its parent. */
static const struct record *original_of(const struct book *b, int f_parent, const uint32_t *orig,
					size_t i)
{
	return orig ? &b->recs[orig[i]] : original(b, f_parent, &b->recs[i]);
}

void costs_begin_from(struct costs *c, const struct book *b, moment_t until,
		      const unsigned char *want, const uint32_t *orig)
{
	size_t *slot = xcalloc(b->nrecs + 1, sizeof(*slot)), njobs = 0;
	int f_parent = book_field(b, K_JOB, "parent"), f_budget = book_field(b, K_JOB, "budget");

	memset(c, 0, sizeof(*c));
	c->b = b;
	c->until = until;
	c->want = want;
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
		if (r->kind != K_JOB || r->bad || (want && !want[i]) ||
		    original_of(b, f_parent, orig, i) != r)
			continue;
		jc = &c->v[c->n];
		jc->job = r;
		jc->budget = money_cents(rec_str(r, f_budget));
		slot[i] = ++c->n;
	}
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i], *o;
		if (r->kind != K_JOB || r->bad || (o = original_of(b, f_parent, orig, i)) == r ||
		    !slot[o - b->recs])
			continue;
		slot[i] = slot[o - b->recs];
		c->v[slot[i] - 1].revisions++;
	}
	c->of = slot;
	c->counts = xmalloc(b->nrecs + 1);
	c->counts[b->nrecs] = 0;
	for (size_t i = 0; i < b->nrecs; i++)
		c->counts[i] = b->recs[i].kind == K_CLIENT ? 1 : b->recs[i].kind == K_JOB && slot[i] ? 2 : 0;
	/* each person's rate, looked up once (jentry.who indexes the staff) */
	c->rates = xmalloc(sizeof(*c->rates) * (b->cfg.nstaff + 1));
	for (size_t i = 0; i < b->cfg.nstaff; i++)
		c->rates[i] = config_rate(&b->cfg, &b->cfg.staff[i]);
}

size_t costs_lines(const struct costs *c, const struct jentry *v, size_t n, unsigned short *out)
{
	const unsigned char *counts = c->counts;
	const size_t none = c->b->nrecs;	/* counts[none] is 0 */
	const moment_t until = c->until;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct jentry *e = &v[i];
		unsigned verb = e->verb;
		size_t rec = e->rec >= 0 ? (size_t)e->rec : none;

		out[k] = (unsigned short)i;
		k += (size_t)(((verb == JV_HOURS) | (verb == JV_EXPENSE)) & (e->at <= until) &
			      (counts[rec] != 0));
	}
	return k;
}

void costs_line(struct costs *c, const struct jentry *e)
{
	const struct jentry *prev = c->prev;

	if (!c->sorted || !counts_line(c, e))
		return;
	/* a journal written in time order is counted as it is walked, with
	 * no table of its lines (fresh memory is dear); the first line out
	 * of order leaves it to costs_end() (lines come in the array's
	 * order, cost.h: two at the same time are in order) */
	if (prev && prev->at > e->at) {
		c->sorted = 0;
		return;
	}
	c->prev = e;
	count_line(c, e);
}

/* The counts of a journal out of time order: what was counted as it was
 * walked forgotten, its lines sorted and counted again. */
static void count_sorted(struct costs *c)
{
	const struct journal *j = &c->b->journal;
	struct cline *lines;
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++) {
		struct job_cost *jc = &c->v[i];
		jc->hours = jc->labour = jc->expenses = jc->unrated = 0;
		jc->crossed = jc->last = 0;
	}
	memset(c->client_expenses, 0, sizeof(*c->client_expenses) * (c->b->nrecs + 1));
	if (c->before)
		memset(c->before, 0, sizeof(*c->before) * (c->n + 1));
	for (size_t i = 0; i < j->n; i++)
		n += counts_line(c, &j->v[i]);
	lines = xmalloc(sizeof(*lines) * (n + 1));
	n = 0;
	for (size_t i = 0; i < j->n; i++) {
		const struct jentry *e = &j->v[i];
		if (!counts_line(c, e))
			continue;
		lines[n].at = e->at;
		lines[n].e = e;
		n++;
	}
	qsort(lines, n, sizeof(*lines), cmp_cline);
	for (size_t i = 0; i < n; i++)
		count_line(c, lines[i].e);
	free(lines);
}

void costs_end(struct costs *c)
{
	if (!c->sorted)
		count_sorted(c);
	free(c->rates);
	free(c->counts);
	c->rates = NULL;
	c->counts = NULL;
	c->prev = NULL;
	c->want = NULL;
}

void costs_release(struct costs *c)
{
	free(c->v);
	free(c->counts);
	free(c->rates);
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
