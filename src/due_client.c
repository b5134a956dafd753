/* due_client.c -- the cadences kept with each client; see due.h.
 *   DUE-1  calls: in-city every working day, out-of-town every three
 *   DUE-3  the weekly status report by Monday morning
 *   DUE-7  month-end summary and next month's plan; the market report
 *   DUE-10 a weekly site visit for real-estate clients
 *   DUE-11 a yearly call-back for after-sales clients
 *   DUE-12 after-sales takes over three months after the last document
 *   DUE-13 a written holiday notice before each holiday
 *   DUE-14 the note to Finance at contract end
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "due.h"

static const char *const handover_docs[] = {
	"survey", "analysis", "confirmation", "acceptance", "open-issues",
	"contacts", "server"
};

struct client_view {
	const struct record *r;
	const char *name, *ae, *status, *segment;
};

static void fmt_day(char *buf, int day)
{
	format_date(buf, day);
}

static void calls(struct due_ctx *dc, const struct client_view *c)
{
	const char *loc = rec_field(dc->b, c->r, "location");
	int in_city = loc && !strcmp(loc, "in-city");
	int every = (int)due_param(dc, in_city ? "call_every_in_city" : "call_every_out_of_town",
				   in_city ? 1 : 3);
	moment_t last = due_last(dc, c->r, EV_CALL);
	int base = last ? day_of_moment(last) : rec_day(dc->b, c->r, "first_contact");
	char when[20] = "";

	if (base < 0)
		return;
	if (last)
		format_moment(when, last);
	due_add(dc, due_end_of(dc, cal_add_days(dc->cal, base, every)), "DUE-1", c->ae,
		c->r->id, c->r->path, c->r->line, "DUE-1",
		"%s %s (%s%s%s)", L(dc, "致电", "call"), c->name,
		in_city ? L(dc, "市内客户: 每个工作日", "in town: every working day") :
			  L(dc, "市外客户: 每三个工作日", "out of town: every 3 working days"),
		last ? L(dc, "; 上次 ", "; last ") : L(dc, "; 尚无通话记录", "; no call yet"), when);
}

static void weekly(struct due_ctx *dc, const struct client_view *c)
{
	const char *day_name = config_str(&dc->b->cfg, "weekly_report_day", "mon");
	const char *by = config_str(&dc->b->cfg, "weekly_report_by", "12:00");
	static const char *const wd[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	int want = 0, by_min = 12 * 60;
	int week = dc->today - weekday_of(dc->today);

	for (int i = 0; i < 7; i++)
		if (!strcasecmp(day_name, wd[i]))
			want = i;
	parse_time(by, strlen(by), &by_min);
	moment_t sent = due_last(dc, c->r, EV_WEEKLY);
	for (int w = week; w <= dc->horizon_end; w += 7) {
		int day = w + want;
		moment_t due;
		char key[48], wk[16];

		if (!cal_is_working_day(dc->cal, day))
			day = cal_add_days(dc->cal, day, 1);
		due = (moment_t)day * 1440 + by_min;
		if (sent >= (moment_t)w * 1440)
			continue;
		fmt_day(wk, w);
		snprintf(key, sizeof(key), "DUE-3/%s", wk);
		due_add(dc, due, "DUE-3", c->ae, c->r->id, c->r->path, c->r->line, key,
			"%s %s (%s %s)", L(dc, "发送工作周报给", "weekly status report to"), c->name,
			L(dc, "本周自", "week of"), wk);
	}
}

/*
 * DUE-7 for last month (k 0) and this month (k 1): is report kind t done?
 * Reports count from the middle of their month; last month's deadline
 * takes the earliest one, so October's summary sent late in November does
 * not also count for November.
 */
static int month_done(const int *sent, int t, int k)
{
	int since_last = sent[t * 2], since_this = sent[t * 2 + 1];

	if (k == 0)
		return since_last >= 1;
	/* last month's took one of this month's when none came earlier */
	return since_this >= (since_last > since_this ? 1 : 2);
}

static void month_end(struct due_ctx *dc, const struct client_view *c)
{
	const int *sent = &dc->month_sends[(size_t)(c->r - dc->b->recs) * 6];
	int y, m, d;

	civil_from_days(dc->today, &y, &m, &d);
	for (int k = 0; k < 2; k++) {
		int my = y, mm = m + k - 1;
		int summary = month_done(sent, 0, k), plan = month_done(sent, 1, k);
		moment_t due;
		char key[48], label[32];

		if (mm < 1) {
			mm += 12;
			my--;
		}
		due = due_month_end(dc, days_from_civil(my, mm, 1));
		snprintf(label, sizeof(label), "%04d-%02d", my, mm);
		if (!summary || !plan) {
			snprintf(key, sizeof(key), "DUE-7/summary/%s", label);
			due_add(dc, due, "DUE-7", c->ae, c->r->id, c->r->path, c->r->line, key,
				"%s %s %s%s", label, L(dc, "月度工作总结及下月计划 →", "work summary and next month's plan to"),
				c->name,
				summary ? L(dc, " (总结已发, 缺计划)", " (summary sent, plan missing)") :
				plan ? L(dc, " (计划已发, 缺总结)", " (plan sent, summary missing)") : "");
		}
		if (!month_done(sent, 2, k)) {
			snprintf(key, sizeof(key), "DUE-7/market/%s", label);
			due_add(dc, due, "DUE-7", c->ae, c->r->id, c->r->path, c->r->line, key,
				"%s %s %s", label, L(dc, "市场月报 →", "market report to"), c->name);
		}
	}
}

static void site_visit(struct due_ctx *dc, const struct client_view *c)
{
	int every = (int)due_param(dc, "site_visit_every", 5);
	moment_t last = due_last(dc, c->r, EV_VISIT);
	int base = last ? day_of_moment(last) : rec_day(dc->b, c->r, "first_contact");
	const char *site = rec_field(dc->b, c->r, "sales_site");
	char when[20] = "";

	if (base < 0)
		return;
	if (last)
		format_moment(when, last);
	due_add(dc, due_end_of(dc, cal_add_days(dc->cal, base, every)), "DUE-10", c->ae,
		c->r->id, c->r->path, c->r->line, "DUE-10",
		"%s %s%s%s (%s%s)", L(dc, "巡访售楼处并更新照片:", "visit the sales site and update photos:"),
		c->name, site ? " / " : "", site ? site : "",
		last ? L(dc, "上次 ", "last ") : L(dc, "尚无巡访记录", "no visit yet"), when);
}

/*
 * DUE-11: call-backs in callback_month and then every callback_every_months
 * (default 12: once a year).  Each falls due at the end of its month; one
 * is done by a call-back sent after the previous one fell due.
 */
static void callback(struct due_ctx *dc, const struct client_view *c)
{
	const char *mv = rec_field(dc->b, c->r, "callback_month");
	int month = mv ? atoi(mv) : 0;
	int every = (int)due_param(dc, "callback_every_months", 12);
	moment_t done = due_last(dc, c->r, EV_CALLBACK), prev = 0;
	int y, m, d;

	if (month < 1 || month > 12 || every < 1)
		return;
	civil_from_days(dc->today, &y, &m, &d);
	/* from the year before, in steps, until one is not yet done */
	for (int n = 0, mi = (y - 1) * 12 + month - 1; n < 60; n++, mi += every) {
		int iy = mi / 12, im = mi % 12 + 1;
		moment_t due = (moment_t)cal_month_last_working(dc->cal, days_from_civil(iy, im, 1)) * 1440 +
			       dc->cal->end;
		char key[32];

		if (done > prev && done <= due) {
			prev = due;
			continue;	/* this one was done */
		}
		if (due < done || (iy < y && !done)) {
			prev = due;
			continue;	/* long past */
		}
		snprintf(key, sizeof(key), "DUE-11/%04d-%02d", iy, im);
		due_add(dc, due, "DUE-11", c->ae, c->r->id, c->r->path, c->r->line, key,
			"%04d-%02d %s %s", iy, im,
			L(dc, "定期回访及满意度调查:", "call-back and satisfaction survey:"), c->name);
		return;
	}
}

static void handover(struct due_ctx *dc, const struct client_view *c)
{
	const char *docs = rec_field(dc->b, c->r, "handover_docs");
	int complete = rec_day(dc->b, c->r, "handover_complete");
	int months = (int)due_param(dc, "handover_months", 3);
	int y, m, d, ty, tm;
	const char *am = rec_field(dc->b, c->r, "am");
	struct strbuf missing = STRBUF_INIT;

	if (rec_field(dc->b, c->r, "aftersales_from"))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(handover_docs); i++)
		if (!docs || !strstr(docs, handover_docs[i]))
			sb_addf(&missing, "%s%s", missing.len ? ", " : "", handover_docs[i]);
	if (missing.len || complete < 0) {
		/* the clock starts only once every document is in */
		sb_release(&missing);
		return;
	}
	sb_release(&missing);
	civil_from_days(complete, &y, &m, &d);
	ty = y + (m - 1 + months) / 12;
	tm = (m - 1 + months) % 12 + 1;
	if (d > days_in_month(ty, tm))
		d = days_in_month(ty, tm);
	due_add(dc, due_end_of(dc, days_from_civil(ty, tm, d)), "DUE-12", am ? am : c->ae,
		c->r->id, c->r->path, c->r->line, "DUE-12",
		"%s %s (%s %.10s)", L(dc, "售后正式接手:", "after-sales takes over"), c->name,
		L(dc, "文档齐备于", "documents complete"), rec_field(dc->b, c->r, "handover_complete"));
}

static void holiday_notice(struct due_ctx *dc, const struct client_view *c)
{
	int lead = (int)due_param(dc, "holiday_notice_days", 5);
	moment_t sent = due_last(dc, c->r, EV_HOLIDAY);

	for (size_t i = 0; i < dc->cal->nholidays; i++) {
		const struct holiday *h = &dc->cal->holidays[i];
		char key[64], first[16];

		if (h->first <= dc->today)
			continue;
		/* a holiday split over several 'off' ranges: notice once */
		if (i > 0 && !strcmp(dc->cal->holidays[i - 1].name, h->name) &&
		    dc->cal->holidays[i - 1].first > dc->today)
			continue;
		if (sent >= (moment_t)(h->first - 30) * 1440)
			continue;
		format_date(first, h->first);
		snprintf(key, sizeof(key), "DUE-13/%s", first);
		due_add(dc, due_end_of(dc, cal_add_days(dc->cal, h->first, -lead)), "DUE-13",
			c->ae, c->r->id, c->r->path, c->r->line, key,
			"%s%s (%s) %s %s", h->name, L(dc, "放假通知", " holiday notice"), first,
			L(dc, "→", "to"), c->name);
	}
}

/* DUE-14: "当合约结束后": once the contract has ended, a written note to
 * Finance with the end date, the unpaid fees and the invoiced amount. */
static void finance_note(struct due_ctx *dc, const struct client_view *c)
{
	int end = rec_day(dc->b, c->r, "contract_end");
	int after = (int)due_param(dc, "finance_note_days", 2);
	moment_t sent = due_last(dc, c->r, EV_FINANCE);
	const char *unpaid = rec_field(dc->b, c->r, "unpaid");
	const char *invoiced = rec_field(dc->b, c->r, "invoiced");

	if (end < 0 || sent >= (moment_t)(end - 30) * 1440)
		return;
	/* long-finished contracts are history, not a to-do */
	if (end < dc->today - 90)
		return;
	due_add(dc, due_end_of(dc, cal_add_days(dc->cal, end, after)), "DUE-14",
		c->ae, c->r->id, c->r->path, c->r->line, "DUE-14",
		"%s %s (%s %s; %s %s; %s %s)", L(dc, "合同结束后书面通知财务:", "contract-end note to Finance:"),
		c->name, L(dc, "到期", "ends"), rec_field(dc->b, c->r, "contract_end"),
		L(dc, "未付", "unpaid"), unpaid ? unpaid : "-",
		L(dc, "已开票", "invoiced"), invoiced ? invoiced : "-");
}

void due_client_rules(struct due_ctx *dc)
{
	struct book *b = dc->b;

	for (size_t i = 0; i < b->nrecs; i++) {
		struct client_view c;

		c.r = &b->recs[i];
		if (c.r->kind != K_CLIENT || c.r->bad)
			continue;
		c.name = rec_field(b, c.r, "name");
		c.ae = rec_field(b, c.r, "ae");
		c.status = rec_field(b, c.r, "status");
		c.segment = rec_field(b, c.r, "segment");
		if (!c.name)
			c.name = c.r->id;
		c.ae = c.ae ? config_staff(&b->cfg, c.ae) ? config_staff(&b->cfg, c.ae)->id : NULL : NULL;
		if (c.status && (!strcmp(c.status, "active") || !strcmp(c.status, "ended")))
			finance_note(dc, &c);
		if (!c.status || strcmp(c.status, "active"))
			continue;
		calls(dc, &c);
		weekly(dc, &c);
		month_end(dc, &c);
		holiday_notice(dc, &c);
		if (c.segment && !strcmp(c.segment, "real-estate"))
			site_visit(dc, &c);
		if (c.segment && !strcmp(c.segment, "after-sales")) {
			callback(dc, &c);
			handover(dc, &c);
		}
	}
}
