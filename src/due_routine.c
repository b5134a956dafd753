/* due_routine.c -- each person's routines of the department; see due.h.
 *   DUE-4  the internal weekly meeting (Monday 09:30, 40 minutes) and the
 *          department meeting the book may declare: each AE prepares
 *          progress, open problems, shortfalls and suggestions
 *   DUE-5  each working day before leaving, the AE's and AAE's summary of
 *          the day and plan for the next
 *   JOB-6  each Friday, the AE's tally of the week's tickets, copied to the
 *          account supervisor by 15:30
 * Each is done by the person's own 'sent prep', 'sent summary' or 'sent
 * tally' line.  What can no longer be done is history, not an item: the
 * preparation for a meeting once its day is over, a week's tally once
 * the week is over; a day's summary is shown missed the next working day,
 * then no more.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "due.h"
#include "sbfmt.h"

enum { R_PREP, R_SUMMARY, R_TALLY, R__N };

/* Each person's 'sent' lines of one routine, sorted. */
struct times {
	moment_t *v;
	size_t n, alloc;
};

struct routine_ctx {
	struct due_ctx *dc;
	struct times *lines;	/* [staff * R__N + routine] */
	int from;		/* DUE-5: the working day before today */
};

/* The lines being collected; the routine of each of the journal's
 * words (journal.whats), or -1. */
struct due_routine {
	const struct config *cfg;
	moment_t now;
	struct times *lines;	/* as routine_ctx's */
	signed char *routine;
};

static int routine_of(const char *w);

static int cmp_moment(const void *pa, const void *pb)
{
	moment_t a = *(const moment_t *)pa, b = *(const moment_t *)pb;

	return a < b ? -1 : a > b;
}

struct due_routine *due_routine_begin(const struct due_ctx *dc)
{
	struct due_routine *r = xcalloc(1, sizeof(*r));

	r->cfg = &dc->b->cfg;
	r->now = dc->now;
	r->lines = xcalloc(r->cfg->nstaff * R__N + 1, sizeof(*r->lines));
	r->routine = xmalloc(dc->b->journal.nwhats + 1);
	for (size_t i = 0; i < dc->b->journal.nwhats; i++)
		r->routine[i] = (signed char)(dc->b->journal.whats[i] ? routine_of(dc->b->journal.whats[i]) : -1);
	return r;
}

static int routine_of(const char *w)
{
	switch (w[0]) {
	case 'p': return !strcmp(w, "prep") ? R_PREP : -1;
	case 's': return !strcmp(w, "summary") ? R_SUMMARY : -1;
	case 't': return !strcmp(w, "tally") ? R_TALLY : -1;
	default: return -1;
	}
}

void due_routine_line(struct due_routine *r, const struct jentry *e)
{
	struct times *t;
	int k;

	if (e->verb != JV_SENT || !e->what || e->at > r->now)
		return;
	k = r->routine[e->what];
	if (k < 0)
		return;
	t = &r->lines[(size_t)e->who * R__N + (size_t)k];
	ALLOC_GROW(t->v, t->n + 1, t->alloc);
	t->v[t->n++] = e->at;
}

size_t due_routine_slots(const struct due_routine *r)
{
	return r->cfg->nstaff * R__N;
}

moment_t due_routine_first(const struct due_routine *r, size_t slot)
{
	const struct times *t = &r->lines[slot];
	moment_t first = 0;

	for (size_t i = 0; i < t->n; i++)
		if (t->v[i] > 0 && (!first || t->v[i] < first))
			first = t->v[i];
	return first;
}

void due_routine_put(struct due_routine *r, size_t slot, moment_t at)
{
	struct times *t = &r->lines[slot];

	ALLOC_GROW(t->v, t->n + 1, t->alloc);
	t->v[t->n++] = at;
}

/* The lines collected, each list sorted, into rc. */
static void collect(struct routine_ctx *rc, struct due_routine *r)
{
	const struct config *cfg = &rc->dc->b->cfg;

	rc->lines = r->lines;
	free(r->routine);
	free(r);
	/* a journal written in time order needs no sort */
	for (size_t i = 0; i < cfg->nstaff * R__N; i++) {
		const struct times *t = &rc->lines[i];
		size_t k = 1;
		while (k < t->n && t->v[k - 1] <= t->v[k])
			k++;
		if (k < t->n)
			qsort(t->v, t->n, sizeof(moment_t), cmp_moment);
	}
}

/* Whether a line falls in [a, b). */
static int any_between(const struct times *t, moment_t a, moment_t b)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i] >= a && t->v[i] < b)
			return 1;
	return 0;
}

/* Take the first line of t from *p on that is after lo and before hi;
 * lines are taken in order, each by one occasion. */
static int take(const struct times *t, size_t *p, moment_t lo, moment_t hi)
{
	while (*p < t->n && t->v[*p] <= lo)
		(*p)++;
	if (*p < t->n && t->v[*p] < hi) {
		(*p)++;
		return 1;
	}
	return 0;
}

struct meeting_at {
	moment_t at;
	int dept;		/* the department meeting, not the weekly one */
};

static int cmp_meeting(const void *pa, const void *pb)
{
	const struct meeting_at *a = pa, *b = pb;

	return a->at < b->at ? -1 : a->at > b->at;
}

/* DUE-4: the meetings from two weeks back to the horizon; a meeting on a
 * day off is held the next working day, same time. */
static size_t meetings(const struct routine_ctx *rc, struct meeting_at **out)
{
	const struct due_ctx *dc = rc->dc;
	const char *keys[2] = { "weekly_meeting", "department_meeting" };
	const char *defs[2] = { "mon 09:30", "none" };
	struct meeting_at *v = NULL;
	size_t n = 0, alloc = 0;

	for (int k = 0; k < 2; k++) {
		int wd, minute;
		if (!config_slot(&dc->b->cfg, keys[k], defs[k], &wd, &minute))
			continue;
		for (int w = dc->today - weekday_of(dc->today) - 14; w <= dc->horizon_end; w += 7) {
			ALLOC_GROW(v, n + 1, alloc);
			v[n].at = cal_day_at(dc->cal, w + wd, minute);
			v[n++].dept = k;
		}
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_meeting);
	/* two moved onto one day and time are one meeting */
	{
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (!k || v[i].at != v[k - 1].at)
				v[k++] = v[i];
		n = k;
	}
	*out = v;
	return n;
}

/*
 * A 'sent prep' line serves the first meeting after the one before it,
 * written before it begins or, late, on its day: each line serves one
 * meeting, taken in order.
 */
static void prep(struct routine_ctx *rc, const struct staff *st, const struct meeting_at *m,
		 size_t nm)
{
	struct due_ctx *dc = rc->dc;
	const struct times *t = &rc->lines[(size_t)(st - dc->b->cfg.staff) * R__N + R_PREP];
	int minutes = (int)due_param(dc, "weekly_meeting_minutes", 40);
	size_t p = 0;

	for (size_t k = 0; k < nm; k++) {
		moment_t day_end = ((moment_t)day_of_moment(m[k].at) + 1) * 1440;
		char when[20], key[80];

		if (take(t, &p, k ? m[k - 1].at : 0, day_end) || day_of_moment(m[k].at) < dc->today)
			continue;
		format_moment(when, m[k].at);
		sbfmt_snprintf(key, sizeof(key), "DUE-4/%s/%s", st->id, when);
		if (m[k].dept)
			due_add_fixed(dc, m[k].at, "DUE-4", st->id, NULL, "journal", 0, key,
				      "%s (%s)%s", L(dc, "为部门会议准备工作进展、存在问题、不足及建议",
						     "prepare progress, open problems, shortfalls and suggestions for the department meeting"),
				      when, L(dc, "; 准备好后记 'sent prep'", "; then write 'sent prep'"));
		else
			due_add_fixed(dc, m[k].at, "DUE-4", st->id, NULL, "journal", 0, key,
				      "%s (%s, %d %s)%s", L(dc, "为内部周会准备工作进展、存在问题、不足及建议",
							   "prepare progress, open problems, shortfalls and suggestions for the internal weekly meeting"),
				      when, minutes, L(dc, "分钟", "min"),
				      L(dc, "; 准备好后记 'sent prep'", "; then write 'sent prep'"));
	}
}

/*
 * DUE-5: the day's summary and next day's plan, that day before leaving:
 * today's, and yesterday's when it was missed (a day later it is history).
 */
static void summary(struct routine_ctx *rc, const struct staff *st)
{
	struct due_ctx *dc = rc->dc;
	const struct times *t = &rc->lines[(size_t)(st - dc->b->cfg.staff) * R__N + R_SUMMARY];

	for (int d = rc->from; d <= dc->today; d++) {
		char day[16], key[64];

		if (!cal_is_working_day(dc->cal, d) ||
		    any_between(t, (moment_t)d * 1440, (moment_t)(d + 1) * 1440))
			continue;
		format_date(day, d);
		sbfmt_snprintf(key, sizeof(key), "DUE-5/%s/%s", st->id, day);
		due_add(dc, due_end_of(dc, d), "DUE-5", st->id, NULL, "journal", 0, key,
			"%s %s%s", day, L(dc, "工作小结及次日计划, 下班前", "day summary and next day's plan, before leaving"),
			L(dc, "; 记 'sent summary'", "; write 'sent summary'"));
	}
}

/* JOB-6: as 'ae report tally' says: Friday, or the last working day of
 * the week before it when Friday is off, at tally_by. */
static void tally(struct routine_ctx *rc, const struct staff *st)
{
	struct due_ctx *dc = rc->dc;
	const struct times *t = &rc->lines[(size_t)(st - dc->b->cfg.staff) * R__N + R_TALLY];
	int want = due_weekday(dc, "tally_day", "fri");
	int by_min = due_time(dc, "tally_by", 15 * 60 + 30);

	/* this week's on: a week's tally cannot be sent once it is over */
	for (int w = dc->today - weekday_of(dc->today); w <= dc->horizon_end; w += 7) {
		int day = w + want;
		char d[16], key[64];

		while (day > w && !cal_is_working_day(dc->cal, day))
			day--;
		if (!cal_is_working_day(dc->cal, day))
			day = w + want;
		if (any_between(t, (moment_t)w * 1440, (moment_t)(w + 7) * 1440))
			continue;
		format_date(d, day);
		sbfmt_snprintf(key, sizeof(key), "JOB-6/%s/%s", st->id, d);
		due_add(dc, cal_day_at(dc->cal, day, by_min), "JOB-6", st->id, NULL, "journal", 0, key,
			"%s %s%s", d, L(dc, "本周工作单统计抄送客户主管 (ae report tally)",
					"tally of the week's tickets, copied to the account supervisor (ae report tally)"),
			L(dc, "; 记 'sent tally'", "; write 'sent tally'"));
	}
}

void due_routine_rules(struct due_ctx *dc, struct due_routine *r)
{
	const struct config *cfg = &dc->b->cfg;
	struct routine_ctx rc;
	struct meeting_at *m = NULL;
	size_t nm;

	memset(&rc, 0, sizeof(rc));
	rc.dc = dc;
	rc.from = cal_add_days(dc->cal, dc->today, -1);
	collect(&rc, r);
	nm = meetings(&rc, &m);
	for (size_t i = 0; i < cfg->nstaff; i++) {
		const struct staff *st = &cfg->staff[i];

		if (st->rank == RANK_AE) {
			prep(&rc, st, m, nm);
			tally(&rc, st);
		}
		if (st->rank == RANK_AE || st->rank == RANK_AAE)
			summary(&rc, st);
	}
	for (size_t i = 0; i < cfg->nstaff * R__N; i++)
		free(rc.lines[i].v);
	free(rc.lines);
	free(m);
}
