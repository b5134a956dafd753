/* due_work_sums.c -- the work's sums of the journal's past months (see
 * due_sums.h): the costs (JOB-8), claims (DUE-9) and overtime (DUE-8) as
 * the walk of the first files left them, read into a run's costs and
 * journal rules (due_work.c), made anew once more months are past.
 * The parts after the files: originals (record u32, budget, hours,
 * labour, expenses, unrated, crossed, last: eight-byte words), clients
 * (record u32, expenses), staff (whether claimed, the latest claim, the
 * expenses since, the first of them), the overtime's threshold (the
 * first day worked kept), the overtime lines (entry u32). */
#include "due_sums.h"

#include <stdlib.h>
#include <string.h>

#include "cost.h"
#include "journal.h"

#define NUMBER_END ((uint64_t)1 << 53)	/* money and hours: below it */

enum { W_ORIGINALS, W_CLIENTS, W_STAFF, W_THRESHOLD, W_OVERTIME };

static long number(struct due_sums *s)
{
	uint64_t v = due_sums_u64(s);

	if (v >= NUMBER_END)
		s->bad = 1;
	return (long)v;
}

/* The head and the files: the run's, and its lines after them later. */
static int work_head_holds(const struct due_ctx *dc, struct due_sums *s, uint64_t groups)
{
	const struct book *b = dc->b;
	const struct journal *j = &b->journal;

	if (s->head.settings != b->cache_settings || s->head.ids != book_ids_digest(b) ||
	    s->head.nrecs != b->nrecs || s->head.nslots != b->cfg.nstaff || s->head.groups != groups ||
	    s->head.max_at >= due_sums_cutoff(dc->today) || !due_sums_files_hold(s, j))
		return 0;
	for (size_t i = s->head.nentries; i < j->n; i++)
		if (j->v[i].at < s->head.max_at)
			return 0;
	return 1;
}

/* The parts read, into c and pre when apply, else only checked: 0, -1. */
static int work_parts(const struct due_ctx *dc, struct due_sums *s, struct costs *c,
		      struct work_prefix *pre, int apply)
{
	const struct book *b = dc->b;
	const struct journal *j = &b->journal;

	if (due_sums_part(s, 4 + 7 * 8) < 0)
		return -1;
	while (s->left) {
		size_t rec = due_sums_u32(s), slot;
		long budget = (long)due_sums_u64(s), hours = number(s), labour = number(s);
		long expenses = number(s), unrated = number(s);
		moment_t crossed = due_sums_moment_or_0(s), last = due_sums_moment_or_0(s);
		struct job_cost *jc;

		s->left--;
		if (s->bad || rec >= b->nrecs)
			return -1;
		/* an original the run counts: the budget its crossing was
		 * found against */
		if (!(slot = c->of[rec]) || (jc = &c->v[slot - 1])->job != &b->recs[rec])
			continue;
		if (jc->budget != budget)
			return -1;
		if (apply) {
			jc->hours = hours;
			jc->labour = labour;
			jc->expenses = expenses;
			jc->unrated = unrated;
			jc->crossed = crossed;
			jc->last = last;
		}
	}
	if (due_sums_part(s, 12) < 0)
		return -1;
	while (s->left) {
		size_t rec = due_sums_u32(s);
		long expenses = number(s);

		s->left--;
		if (s->bad || rec >= b->nrecs)
			return -1;
		if (apply)
			c->client_expenses[rec] = expenses;
	}
	if (due_sums_part(s, 32) < 0 || s->left != b->cfg.nstaff)
		return -1;
	for (size_t k = 0; s->left; k++) {
		uint64_t has = due_sums_u64(s);
		moment_t claimed = due_sums_moment_or_0(s);
		uint64_t count = due_sums_u64(s);
		moment_t first = due_sums_moment_or_0(s);

		s->left--;
		if (s->bad || has > 1 || count > s->head.nentries || (count && !first))
			return -1;
		if (apply) {
			pre->has_claim[k] = (unsigned char)has;
			pre->claimed[k] = claimed;
			pre->count[k] = count;
			pre->first[k] = first;
		}
	}
	/* every line of the window kept: the window begins after the
	 * first day worked they kept */
	if (due_sums_part(s, 8) < 0 || s->left != 1 ||
	    (int64_t)due_sums_u64(s) > cal_add_days(dc->cal, dc->today, -5))
		return -1;
	s->left = 0;
	if (due_sums_part(s, 4) < 0)
		return -1;
	while (s->left) {
		uint32_t e = due_sums_u32(s);

		s->left--;
		if (s->bad || e >= s->head.nentries || j->v[e].verb != JV_OVERTIME)
			return -1;
		if (apply) {
			ALLOC_GROW(pre->overtime, pre->novertime + 1, pre->alloc_overtime);
			pre->overtime[pre->novertime++] = e;
		}
	}
	return due_sums_end(s);
}

int due_work_sums_read(const struct due_ctx *dc, struct costs *c, uint64_t groups,
		       struct work_prefix *pre)
{
	const struct book *b = dc->b;
	struct due_sums s, again;
	size_t ns = b->cfg.nstaff;
	int r = -1;

	memset(pre, 0, sizeof(*pre));
	if (!b->cache_dir || due_sums_open(b->cache_dir, DUE_SUMS_WORK, &s) < 0)
		return -1;
	pre->held = s.head.nfiles;
	if (!work_head_holds(dc, &s, groups))
		goto out;
	again = s;
	if (work_parts(dc, &s, c, pre, 0) < 0)
		goto out;
	pre->has_claim = xcalloc(ns + 1, 1);
	pre->claimed = xcalloc(ns + 1, sizeof(*pre->claimed));
	pre->count = xcalloc(ns + 1, sizeof(*pre->count));
	pre->first = xcalloc(ns + 1, sizeof(*pre->first));
	/* the same bytes again, checked above: into c and pre */
	(void)work_parts(dc, &again, c, pre, 1);
	pre->from = s.head.nentries;
	pre->nfiles = s.head.nfiles;
	pre->max_at = s.head.max_at;
	c->prev = s.head.last ? &b->journal.v[s.head.last - 1] : NULL;
	r = 0;
out:
	due_sums_close(&s);
	return r;
}

void work_prefix_release(struct work_prefix *pre)
{
	free(pre->has_claim);
	free(pre->claimed);
	free(pre->count);
	free(pre->first);
	free(pre->overtime);
	memset(pre, 0, sizeof(*pre));
}

/* -- making them */

void due_work_sums_make(const struct due_ctx *dc, const uint32_t *orig, uint64_t groups,
			const struct work_prefix *read)
{
	const struct book *b = dc->b;
	const struct journal *j = &b->journal;
	moment_t cutoff = due_sums_cutoff(dc->today), max_at = read->max_at;
	size_t files = due_sums_files_past(j, read->nfiles, cutoff, &max_at), end, ns = b->cfg.nstaff;
	size_t claim = due_claim_word(j), nover = 0, nclients = 0;
	int threshold = day_of_moment(cutoff);
	struct due_sums_head h;
	struct due_sums_out o;
	struct costs full;
	unsigned char *has = NULL;
	moment_t *claimed = NULL;
	unsigned short counted[2048];

	/* (not over sums of more files: a run of an earlier day, a past
	 * week's report, does not undo a later one's) */
	if (files <= read->nfiles || files < read->held || !b->cache_dir || !b->cache_writes)
		return;
	end = journal_file_end(j, files - 1);
	/* (a line after them earlier than theirs: no sums would hold) */
	for (size_t i = end; i < j->n; i++)
		if (j->v[i].at < max_at)
			return;
	/* every ticket's cost over the first files, as the costs count it */
	costs_begin_from(&full, b, dc->now, NULL, orig);
	has = xcalloc(ns + 1, 1);
	claimed = xcalloc(ns + 1, sizeof(*claimed));
	for (size_t base = 0; base < end; base += 2048) {
		size_t n = end - base < 2048 ? end - base : 2048;
		size_t nc = costs_lines(&full, j->v + base, n, counted);
		for (size_t i = 0; i < nc; i++)
			costs_line(&full, &j->v[base + counted[i]]);
	}
	if (!full.sorted)
		goto out;	/* counted at the end, sorted: no sums */
	h = (struct due_sums_head){ .settings = b->cache_settings, .ids = book_ids_digest(b),
				    .nrecs = b->nrecs, .nslots = ns, .nfiles = files,
				    .nentries = end, .max_at = max_at, .groups = groups,
				    .last = full.prev ? (uint64_t)(full.prev - j->v) + 1 : 0 };
	due_sums_begin(&o, DUE_SUMS_WORK, &h, j);
	due_sums_count(&o, full.n);
	for (size_t i = 0; i < full.n; i++) {
		const struct job_cost *jc = &full.v[i];
		due_sums_put_u32(&o, (uint32_t)(jc->job - b->recs));
		due_sums_put_u64(&o, (uint64_t)jc->budget);
		due_sums_put_u64(&o, (uint64_t)jc->hours);
		due_sums_put_u64(&o, (uint64_t)jc->labour);
		due_sums_put_u64(&o, (uint64_t)jc->expenses);
		due_sums_put_u64(&o, (uint64_t)jc->unrated);
		due_sums_put_u64(&o, (uint64_t)jc->crossed);
		due_sums_put_u64(&o, (uint64_t)jc->last);
	}
	for (size_t i = 0; i < b->nrecs; i++)
		nclients += full.client_expenses[i] != 0;
	due_sums_count(&o, nclients);
	for (size_t i = 0; i < b->nrecs; i++)
		if (full.client_expenses[i]) {
			due_sums_put_u32(&o, (uint32_t)i);
			due_sums_put_u64(&o, (uint64_t)full.client_expenses[i]);
		}
	/* each person's latest claim, then the expenses since it */
	for (size_t i = 0; i < end; i++) {
		const struct jentry *e = &j->v[i];
		if (e->verb == JV_SENT && claim && e->what == claim && e->at <= dc->now) {
			has[e->who] = 1;
			if (e->at > claimed[e->who])
				claimed[e->who] = e->at;
		}
	}
	{
		uint64_t *count = xcalloc(ns + 1, sizeof(*count));
		moment_t *first = xcalloc(ns + 1, sizeof(*first));
		for (size_t i = 0; i < end; i++) {
			const struct jentry *e = &j->v[i];
			size_t k = e->who;
			if (e->verb != JV_EXPENSE || e->at > dc->now || (has[k] && e->at <= claimed[k]))
				continue;
			if (!count[k]++ || e->at < first[k])
				first[k] = e->at;
		}
		due_sums_count(&o, ns);
		for (size_t k = 0; k < ns; k++) {
			due_sums_put_u64(&o, has[k]);
			due_sums_put_u64(&o, (uint64_t)claimed[k]);
			due_sums_put_u64(&o, count[k]);
			due_sums_put_u64(&o, (uint64_t)first[k]);
		}
		free(count);
		free(first);
	}
	/* the overtime whose day worked is from the cutoff's on: a window of
	 * a later run begins after it */
	due_sums_count(&o, 1);
	due_sums_put_u64(&o, (uint64_t)(int64_t)threshold);
	for (size_t i = 0; i < end; i++)
		nover += j->v[i].verb == JV_OVERTIME && (int)j->v[i].amount >= threshold;
	due_sums_count(&o, nover);
	for (size_t i = 0; i < end; i++)
		if (j->v[i].verb == JV_OVERTIME && (int)j->v[i].amount >= threshold)
			due_sums_put_u32(&o, (uint32_t)i);
	due_sums_write(&o, b->cache_dir);
out:
	costs_release(&full);
	free(has);
	free(claimed);
}
