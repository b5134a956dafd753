/* due_client.c -- the cadences kept with each client; see due.h.
 *   DUE-1  contact: in-city every working day, out-of-town every three
 *   DUE-3  the weekly status report by Monday morning
 *   DUE-7  month-end summary and next month's plan, the summary reviewed
 *          by the AM before it goes (ORG-4); the market report and the
 *          media evaluation report 媒体评估报告 that goes with it
 *   DUE-10 a visit to a real-estate client's sales site every week
 *   DUE-11 a yearly call-back for after-sales clients; an unsatisfied
 *          result goes to the AM (ORG-2)
 *   DUE-12 the hand-over documents; after-sales takes over three months
 *          after the last one is in
 *   DUE-13 a written notice before each holiday and company closure
 *   DUE-14 the note to Finance at contract end
 *   DUE-16 the next regular meeting planned, at the cadence agreed
 *   DUE-17 the client business plan 客户经营计划: on signing, each month end
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "due.h"
#include "rules.h"
#include "sbfmt.h"

struct client_view {
	const struct record *r;
	const char *name, *ae, *status, *segment;
	int since;		/* first_contact, or -1 */
	moment_t last_meeting, next_meeting;	/* DUE-16: not cancelled */
};

static void fmt_day(char *buf, int day)
{
	format_date(buf, day);
}

/* No cadence item falls due before the client's first contact. */
static int before_client(const struct client_view *c, moment_t due)
{
	return c->since >= 0 && due < (moment_t)c->since * 1440;
}

static const char *via_label(const struct due_ctx *dc, const char *via)
{
	if (!via)
		return "";
	if (!strcmp(via, "call"))
		return L(dc, " 电话", " call");
	if (!strcmp(via, "visit"))
		return L(dc, " 拜访", " visit");
	return L(dc, " 会议", " meeting");
}

/* DUE-1: any contact counts, as the roster shows it. */
static void calls(struct due_ctx *dc, const struct client_view *c)
{
	const char *loc = rec_field(dc->b, c->r, "location");
	int in_city = loc && !strcmp(loc, "in-city");
	int every = (int)due_param(dc, in_city ? "call_every_in_city" : "call_every_out_of_town",
				   in_city ? 1 : 3);
	const char *via = NULL;
	moment_t last = due_last_contact(dc, c->r, &via);
	int base = last ? day_of_moment(last) : c->since;
	char when[20] = "";

	if (base < 0)
		return;
	if (last)
		format_moment(when, last);
	due_add(dc, due_end_of(dc, cal_add_days(dc->cal, base, every)), "DUE-1", c->ae,
		c->r->id, c->r->path, c->r->line, "DUE-1",
		"%s %s (%s%s%s%s)", L(dc, "致电", "call"), c->name,
		in_city ? L(dc, "市内客户: 每个工作日", "in town: every working day") :
			  L(dc, "市外客户: 每三个工作日", "out of town: every 3 working days"),
		last ? L(dc, "; 上次联络 ", "; last contact ") : L(dc, "; 尚无联络记录", "; no contact yet"),
		when, last ? via_label(dc, via) : "");
}

static void weekly(struct due_ctx *dc, const struct client_view *c)
{
	int want = due_weekday(dc, "weekly_report_day", "mon");
	int by_min = due_time(dc, "weekly_report_by", 12 * 60);
	int week = dc->today - weekday_of(dc->today);
	moment_t sent = due_last(dc, c->r, EV_WEEKLY);

	for (int w = week; w <= dc->horizon_end; w += 7) {
		moment_t due = cal_day_at(dc->cal, w + want, by_min);
		char key[48], wk[16];

		if (sent >= (moment_t)w * 1440 || before_client(c, due))
			continue;
		fmt_day(wk, w);
		sbfmt_join(key, sizeof(key), "DUE-3/", wk, (char *)NULL);
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
	const int *sent = due_month_sends(dc, c->r);
	const int *unreviewed = &dc->month_unreviewed[(size_t)(c->r - dc->b->recs) * 2];
	static const struct {
		int kind;
		const char *rule, *key, *zh, *en;
	} others[] = {
		{ MR_MARKET, "DUE-7", "market", "市场月报 →", "market report to" },
		{ MR_MEDIA, "DUE-7", "media", "媒体评估报告 (随市场月报) →",
		  "media evaluation report (with the market report) to" },
		{ MR_BIZPLAN, "DUE-17", "bizplan", "客户经营计划:", "client business plan:" },
	};
	int y, m, d;

	civil_from_days(dc->today, &y, &m, &d);
	for (int k = 0; k < 2; k++) {
		int my = y, mm = m + k - 1;
		int summary = month_done(sent, MR_MONTHLY, k), plan = month_done(sent, MR_PLAN, k);
		moment_t due;
		char key[48], label[32];

		if (mm < 1) {
			mm += 12;
			my--;
		}
		due = due_month_end(dc, days_from_civil(my, mm, 1));
		if (before_client(c, due))
			continue;
		sbfmt_snprintf(label, sizeof(label), "%04d-%02d", my, mm);
		if (!summary || !plan) {
			sbfmt_join(key, sizeof(key), "DUE-7/summary/", label, (char *)NULL);
			due_add(dc, due, "DUE-7", c->ae, c->r->id, c->r->path, c->r->line, key,
				"%s %s %s%s%s", label, L(dc, "月度工作总结及下月计划 →", "work summary and next month's plan to"),
				c->name,
				summary ? L(dc, " (总结已发, 缺计划)", " (summary sent, plan missing)") :
				unreviewed[k] ? (plan ? L(dc, " (计划已发; ", " (plan sent; ") : " (") :
				plan ? L(dc, " (计划已发, 缺总结)", " (plan sent, summary missing)") : "",
				!summary && unreviewed[k] ?
				L(dc, "总结未经客户经理审核就发出, 不算数: 先审核, ORG-4)",
				  "the summary went out without the AM's review, so it does not count: review first, ORG-4)") : "");
		}
		for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
			if (month_done(sent, others[i].kind, k))
				continue;
			sbfmt_join(key, sizeof(key), others[i].rule, "/", others[i].key, "/", label,
				   (char *)NULL);
			due_add(dc, due, others[i].rule, c->ae, c->r->id, c->r->path, c->r->line, key,
				"%s %s %s", label, L(dc, others[i].zh, others[i].en), c->name);
		}
	}
}

/* DUE-17: a business plan once a new project is signed (REC-1 'signed'). */
static void bizplan_on_signing(struct due_ctx *dc, const struct client_view *c)
{
	int signed_on = rec_day(dc->b, c->r, "signed");
	int after = (int)due_param(dc, "bizplan_days", 5);

	if (signed_on < 0 || signed_on > dc->today ||
	    due_last(dc, c->r, EV_BIZPLAN) >= (moment_t)signed_on * 1440)
		return;
	due_add(dc, due_end_of(dc, cal_add_days(dc->cal, signed_on, after)), "DUE-17", c->ae,
		c->r->id, c->r->path, c->r->line, "DUE-17/signed",
		"%s %s (%s %s)", L(dc, "新项目客户经营计划:", "business plan for the new project:"), c->name,
		L(dc, "签约于", "signed"), rec_field(dc->b, c->r, "signed"));
}

/*
 * The last day of the week `weeks` weeks after the week of day that has
 * a working day: a week all off (the Spring Festival) moves it on.
 */
static int week_deadline(const struct due_ctx *dc, int day, int weeks)
{
	int wk = day - weekday_of(day) + 7 * weeks, last;

	for (int guard = 0; guard < 8; guard++, wk += 7)
		if ((last = cal_week_last_working(dc->cal, wk)) >= 0)
			return last;
	return wk;
}

/*
 * DUE-10: one visit every calendar week (site_visit_weeks); a visit in a
 * week makes the next due by the end of the week after, however early in
 * its week it was.  The older site_visit_every counts N working days from
 * the last visit instead.
 */
static void site_visit(struct due_ctx *dc, const struct client_view *c)
{
	moment_t last = due_last(dc, c->r, EV_VISIT);
	int base = last ? day_of_moment(last) : c->since;
	const char *site = rec_field(dc->b, c->r, "sales_site");
	char when[20] = "";
	int day;

	if (base < 0)
		return;
	if (config_param_line(&dc->b->cfg, "site_visit_every"))
		day = cal_add_days(dc->cal, base, (int)due_param(dc, "site_visit_every", 5));
	else
		day = week_deadline(dc, base, (int)due_param(dc, "site_visit_weeks", 1));
	if (last)
		format_moment(when, last);
	due_add(dc, due_end_of(dc, day), "DUE-10", c->ae,
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
		if (due < done || (iy < y && !done) || before_client(c, due)) {
			prev = due;
			continue;	/* long past, or before the client */
		}
		sbfmt_snprintf(key, sizeof(key), "DUE-11/%04d-%02d", iy, im);
		due_add(dc, due, "DUE-11", c->ae, c->r->id, c->r->path, c->r->line, key,
			"%04d-%02d %s %s", iy, im,
			L(dc, "定期回访及满意度调查:", "call-back and satisfaction survey:"), c->name);
		return;
	}
}

/*
 * DUE-11, ORG-2: a call-back whose survey says 不满意 goes to the AM, who
 * is done once he has called or visited the client himself, or a later
 * call-back is better.
 */
static void callback_unsatisfied(struct due_ctx *dc, const struct client_view *c)
{
	size_t k = (size_t)(c->r - dc->b->recs);
	moment_t at = due_last(dc, c->r, EV_CALLBACK);
	const char *am = rec_field(dc->b, c->r, "am");
	const struct staff *st = am ? config_staff(&dc->b->cfg, am) : NULL;
	char when[20];

	if (!at || dc->callback_result[k] != 3 || due_last(dc, c->r, EV_AM_CONTACT) > at)
		return;
	if (!st && c->ae) {
		/* no AM named: the AE's own boss (ORG-2) */
		const struct staff *ae = config_staff(&dc->b->cfg, c->ae);
		if (ae && ae->reports_to)
			st = config_staff(&dc->b->cfg, ae->reports_to);
	}
	format_moment(when, at);
	due_add(dc, due_end_of(dc, cal_add_days(dc->cal, day_of_moment(at),
						(int)due_param(dc, "callback_escalate_days", 1))),
		"DUE-11", st ? st->id : c->ae, c->r->id, c->r->path, c->r->line, "DUE-11/unsatisfied",
		"%s %s (%s %s); %s", L(dc, "回访结果不满意, 客户经理亲自跟进:", "call-back found the client unsatisfied; the AM follows up:"),
		c->name, L(dc, "回访于", "call-back"), when,
		L(dc, "致电或拜访客户后消除", "done once the AM has called or visited"));
}

static void handover(struct due_ctx *dc, const struct client_view *c)
{
	int complete = rec_day(dc->b, c->r, "handover_complete");
	int months = (int)due_param(dc, "handover_months", 3);
	int y, m, d, ty, tm;
	const char *am = rec_field(dc->b, c->r, "am");
	struct strbuf missing = STRBUF_INIT;

	if (rec_field(dc->b, c->r, "aftersales_from"))
		return;
	rules_handover_missing(dc->b, c->r, &missing);
	if (missing.len && complete >= 0)
		/* said complete, but is not: the clock cannot start */
		due_add(dc, due_end_of(dc, complete), "DUE-12", c->ae, c->r->id, c->r->path,
			c->r->line, "DUE-12/missing", "%s %s: %s %s (%s %s)",
			L(dc, "移交文档不全", "hand-over documents missing for"), c->name,
			L(dc, "缺", "no"), missing.buf,
			L(dc, "handover_complete 已填", "though handover_complete says"),
			rec_field(dc->b, c->r, "handover_complete"));
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

/*
 * DUE-13: a written notice before each holiday and company closure; a
 * notice counts for the one holiday it names, or the first after it
 * (journal.c).  A holiday of several 'off' ranges is one.
 */
static void holiday_notice(struct due_ctx *dc, const struct client_view *c)
{
	const struct calendar *cal = dc->cal;
	int lead = (int)due_param(dc, "holiday_notice_days", 5);

	for (size_t i = 0; i < cal->nholidays; i++) {
		const struct holiday *h = &cal->holidays[i];
		int first = h->first;
		char key[64], from[16];
		moment_t due;

		if (cal_holiday_head(cal, i) != i)
			continue;
		for (size_t j = i + 1; j < cal->nholidays && cal->holidays[j].name == h->name; j++)
			if (cal->holidays[j].first < first)
				first = cal->holidays[j].first;
		if (first <= dc->today || (c->since >= 0 && first <= c->since) ||
		    due_notified(dc, c->r, i))
			continue;
		due = due_end_of(dc, cal_add_days(cal, first, -lead));
		if (before_client(c, due))
			due = due_end_of(dc, c->since);
		format_date(from, first);
		sbfmt_join(key, sizeof(key), "DUE-13/", from, (char *)NULL);
		if (h->closure)
			due_add(dc, due, "DUE-13", c->ae, c->r->id, c->r->path, c->r->line, key,
				"%s %s (%s %s) %s %s", L(dc, "公司安排书面通知:", "written notice of the company's"),
				h->name, from, L(dc, "起", "on"), L(dc, "→", "to"), c->name);
		else
			due_add(dc, due, "DUE-13", c->ae, c->r->id, c->r->path, c->r->line, key,
				"%s%s (%s) %s %s", h->name, L(dc, "放假通知", " holiday notice"), from,
				L(dc, "→", "to"), c->name);
	}
}

/* DUE-14: "当合约结束后": once the contract has ended, a written note to
 * Finance with the end date, the unpaid fees and the invoiced amount; it
 * stays due until sent, however long ago the contract ended. */
static void finance_note(struct due_ctx *dc, const struct client_view *c)
{
	int end = rec_day(dc->b, c->r, "contract_end");
	int after = (int)due_param(dc, "finance_note_days", 2);
	moment_t sent = due_last(dc, c->r, EV_FINANCE);
	const char *unpaid = rec_field(dc->b, c->r, "unpaid");
	const char *invoiced = rec_field(dc->b, c->r, "invoiced");
	struct strbuf amounts = STRBUF_INIT;

	if (end < 0 || sent >= (moment_t)(end - 30) * 1440)
		return;
	if (unpaid && invoiced)
		sb_addf(&amounts, "%s %s; %s %s", L(dc, "未付", "unpaid"), unpaid,
			L(dc, "已开票", "invoiced"), invoiced);
	else
		sb_addf(&amounts, "%s %s%s%s", L(dc, "先在客户档案中补全", "first fill in the client file's"),
			unpaid ? "" : "unpaid", !unpaid && !invoiced ? L(dc, "、", ", ") : "",
			invoiced ? "" : "invoiced");
	due_add(dc, due_end_of(dc, cal_add_days(dc->cal, end, after)), "DUE-14",
		c->ae, c->r->id, c->r->path, c->r->line, "DUE-14",
		"%s %s (%s %s; %s)", L(dc, "合同结束后书面通知财务:", "contract-end note to Finance:"),
		c->name, L(dc, "到期", "ends"), rec_field(dc->b, c->r, "contract_end"), amounts.buf);
	sb_release(&amounts);
}

/*
 * DUE-16: regular meetings with monthly-fee and long-term clients at the
 * cadence agreed (meeting_cadence: weekly, fortnightly, monthly).  The
 * next one is held by the end of the week (the second week, the month)
 * after the last; it must be planned in time for its notice (DUE-6).
 */
static void regular_meeting(struct due_ctx *dc, const struct client_view *c)
{
	const char *cad = rec_field(dc->b, c->r, "meeting_cadence");
	int notice = (int)due_param(dc, "meeting_notice_days", 1);
	int base = c->last_meeting ? day_of_moment(c->last_meeting) : c->since;
	int by, y, m, d;
	char last[16] = "", byd[16], next[16] = "";
	const char *every;

	if (!cad || base < 0)
		return;
	if (!strcmp(cad, "monthly")) {
		civil_from_days(base, &y, &m, &d);
		if (++m > 12) {
			m = 1;
			y++;
		}
		by = cal_month_last_working(dc->cal, days_from_civil(y, m, 1));
		every = L(dc, "每月一次", "monthly");
	} else {
		int fortnightly = !strcmp(cad, "fortnightly");
		by = week_deadline(dc, base, fortnightly ? 2 : 1);
		every = fortnightly ? L(dc, "隔周一次", "fortnightly") : L(dc, "每周一次", "weekly");
	}
	if (c->next_meeting && day_of_moment(c->next_meeting) <= by)
		return;
	if (c->last_meeting)
		format_date(last, day_of_moment(c->last_meeting));
	if (c->next_meeting)
		format_date(next, day_of_moment(c->next_meeting));
	format_date(byd, by);
	due_add(dc, due_end_of(dc, notice ? cal_add_days(dc->cal, by, -notice) : by), "DUE-16",
		c->ae, c->r->id, c->r->path, c->r->line, "DUE-16",
		"%s %s (%s; %s%s; %s %s%s%s%s)", L(dc, "安排下次例会:", "plan the next regular meeting with"),
		c->name, every, c->last_meeting ? L(dc, "上次 ", "last ") : L(dc, "尚无例会", "none yet"),
		last, L(dc, "须于", "to be held by"), byd, L(dc, " 前召开", ""),
		c->next_meeting ? L(dc, "; 已约的一次太晚: ", "; the one planned is too late: ") : "", next);
}

/* The last meeting held or planned with each client at or before now, and
 * the first planned after it: DUE-16's meetings. */
static void index_meetings(struct due_ctx *dc, moment_t *last, moment_t *next)
{
	struct book *b = dc->b;

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		const struct record *c;
		const char *st, *cl;
		moment_t when;
		size_t k;

		if (r->bad || r->kind != K_MEETING)
			continue;
		st = rec_field(b, r, "status");
		cl = rec_field(b, r, "client");
		when = rec_moment(b, r, "when");
		if (!st || !strcmp(st, "cancelled") || !cl || !when || !(c = book_record(b, K_CLIENT, cl)))
			continue;
		k = (size_t)(c - b->recs);
		if (when <= dc->now) {
			if (when > last[k])
				last[k] = when;
		} else if (!next[k] || when < next[k]) {
			next[k] = when;
		}
	}
}

void due_client_rules(struct due_ctx *dc)
{
	struct book *b = dc->b;
	moment_t *last = xcalloc(b->nrecs + 1, sizeof(*last));
	moment_t *next = xcalloc(b->nrecs + 1, sizeof(*next));

	index_meetings(dc, last, next);
	for (size_t i = 0; i < b->nrecs; i++) {
		struct client_view c;

		c.r = &b->recs[i];
		if (c.r->kind != K_CLIENT || c.r->bad)
			continue;
		c.name = rec_field(b, c.r, "name");
		c.ae = rec_field(b, c.r, "ae");
		c.status = rec_field(b, c.r, "status");
		c.segment = rec_field(b, c.r, "segment");
		c.since = due_client_since(dc, c.r);
		c.last_meeting = last[i];
		c.next_meeting = next[i];
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
		bizplan_on_signing(dc, &c);
		holiday_notice(dc, &c);
		regular_meeting(dc, &c);
		callback_unsatisfied(dc, &c);
		if (c.segment && !strcmp(c.segment, "real-estate"))
			site_visit(dc, &c);
		if (c.segment && !strcmp(c.segment, "after-sales")) {
			callback(dc, &c);
			handover(dc, &c);
		}
	}
	free(last);
	free(next);
}
