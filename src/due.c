/* due.c -- see due.h */
#include "due.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int day_of_moment(moment_t m)
{
	return (int)(m >= 0 ? m / 1440 : -((-m + 1439) / 1440));
}

moment_t rec_moment(const struct book *b, const struct record *r, const char *field)
{
	const char *v = rec_str(r, book_field(b, r->kind, field));
	moment_t m;

	if (!v || parse_datetime(v, strlen(v), &m) != DATE_OK)
		return 0;
	return m;
}

int rec_day(const struct book *b, const struct record *r, const char *field)
{
	const char *v = rec_str(r, book_field(b, r->kind, field));
	int d;

	if (!v || parse_date(v, strlen(v), &d) != DATE_OK)
		return -1;
	return d;
}

const char *rec_field(const struct book *b, const struct record *r, const char *field)
{
	return rec_str(r, book_field(b, r->kind, field));
}

moment_t due_last(const struct due_ctx *dc, const struct record *r, enum jevent ev)
{
	return dc->last[(size_t)(r - dc->b->recs) * EV__N + ev];
}

moment_t due_end_of(const struct due_ctx *dc, int day)
{
	return cal_next_working(dc->cal, (moment_t)day * 1440 + dc->cal->end);
}

double due_param(const struct due_ctx *dc, const char *key, double def)
{
	return config_num(&dc->b->cfg, key, def);
}

void due_add(struct due_ctx *dc, moment_t due, const char *rule, const char *who,
	     const char *client, const char *path, int line, const char *key,
	     const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct due_item *it;
	va_list ap;
	int day = day_of_moment(due);

	if (due >= dc->now && day > dc->horizon_end && day != dc->today)
		return;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(dc->v, dc->n + 1, dc->alloc);
	it = &dc->v[dc->n++];
	it->due = due;
	it->rule = rule;
	it->what = arena_strdup(&dc->arena, sb.buf);
	it->who = who;
	it->client = client;
	it->path = path;
	it->line = line;
	it->key = arena_strdup(&dc->arena, key);
	it->late = cal_minutes_between(dc->cal, due, dc->now);
	if (due < dc->now)
		it->state = DUE_OVERDUE;
	else if (day == dc->today)
		it->state = DUE_TODAY;
	else
		it->state = DUE_UPCOMING;
	/* a deadline passed by a few minutes outside working time is still
	 * late: the working-minute count says 0, the clock says otherwise */
	if (it->state == DUE_OVERDUE && it->late <= 0)
		it->late = 0;
	sb_release(&sb);
}

moment_t due_month_end(const struct due_ctx *dc, int day)
{
	int last = cal_month_last_working(dc->cal, day);
	int before = (int)due_param(dc, "month_end_days", 0);

	if (before)
		last = cal_add_days(dc->cal, last, -before);
	return (moment_t)last * 1440 + dc->cal->end;
}

static void index_journal(struct due_ctx *dc)
{
	const struct journal *j = &dc->b->journal;
	int y, m, d;

	/* a month-end report counts from the middle of its month on */
	civil_from_days(dc->today, &y, &m, &d);
	dc->month_since[1] = (moment_t)days_from_civil(y, m, 15) * 1440;
	if (--m < 1) {
		m = 12;
		y--;
	}
	dc->month_since[0] = (moment_t)days_from_civil(y, m, 15) * 1440;
	dc->last = xcalloc(dc->b->nrecs * EV__N + 1, sizeof(*dc->last));
	dc->month_sends = xcalloc(dc->b->nrecs * 6 + 1, sizeof(*dc->month_sends));
	for (size_t i = 0; i < j->n; i++) {
		const struct jentry *e = &j->v[i];
		int ev = -1;

		if (e->rec < 0 || e->at > dc->now)
			continue;
		switch (e->verb) {
		case JV_CALL: ev = EV_CALL; break;
		case JV_VISIT: ev = EV_VISIT; break;
		case JV_SENT:
			if (!e->what)
				break;
			ev = !strcmp(e->what, "weekly") ? EV_WEEKLY :
			     !strcmp(e->what, "monthly") ? EV_MONTHLY :
			     !strcmp(e->what, "plan") ? EV_PLAN :
			     !strcmp(e->what, "market") ? EV_MARKET :
			     !strcmp(e->what, "holiday") ? EV_HOLIDAY :
			     !strcmp(e->what, "finance") ? EV_FINANCE :
			     !strcmp(e->what, "callback") ? EV_CALLBACK :
			     !strcmp(e->what, "notice") ? EV_NOTICE :
			     !strcmp(e->what, "report") ? EV_REPORT : -1;
			break;
		default:
			break;
		}
		if (ev >= 0) {
			moment_t *slot = &dc->last[(size_t)e->rec * EV__N + (size_t)ev];
			if (e->at > *slot)
				*slot = e->at;
		}
		if (ev == EV_MONTHLY || ev == EV_PLAN || ev == EV_MARKET) {
			size_t k = (size_t)e->rec * 3 + (size_t)(ev == EV_MONTHLY ? 0 : ev == EV_PLAN ? 1 : 2);
			for (int w = 0; w < 2; w++)
				if (e->at >= dc->month_since[w])
					dc->month_sends[k * 2 + (size_t)w]++;
		}
	}
}

static int cmp_item(const void *pa, const void *pb)
{
	const struct due_item *a = pa, *b = pb;
	int c;

	if (a->state != b->state)
		return (int)a->state - (int)b->state;
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	if ((c = strcmp(a->rule, b->rule)))
		return c;
	if ((c = strcmp(a->path, b->path)))
		return c;
	if (a->line != b->line)
		return a->line - b->line;
	return strcmp(a->key, b->key);
}

void due_collect(struct due_ctx *dc, struct book *b, moment_t now,
		 int horizon_end, int zh)
{
	memset(dc, 0, sizeof(*dc));
	dc->b = b;
	dc->cal = &b->cal;
	dc->now = now;
	dc->today = day_of_moment(now);
	dc->horizon_end = horizon_end;
	dc->zh = zh;
	index_journal(dc);
	due_client_rules(dc);
	due_work_rules(dc);
	if (dc->n > 1)
		qsort(dc->v, dc->n, sizeof(*dc->v), cmp_item);
}

void due_release(struct due_ctx *dc)
{
	free(dc->v);
	free(dc->last);
	free(dc->month_sends);
	arena_release(&dc->arena);
	memset(dc, 0, sizeof(*dc));
}
