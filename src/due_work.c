/* due_work.c -- deadlines of the work itself; see due.h.
 *   DUE-2  a contact report within 48 hours of a meeting or important call
 *   REC-4  the action items of contact reports
 *   JOB-3  each ticket's internal deadline, half a working day early
 *   JOB-2  a ticket opened with less than its kind's minimum lead time
 *   JOB-5  a delivered ticket closed out within close_out_days
 *   JOB-8  a ticket whose cost crossed the alert share of its budget
 *   DUE-6  the meeting notice the working day before; the confirmation call
 *          an hour and the check of materials half an hour before leaving
 *   REC-5  the meeting's minutes confirmed with the client
 *   REC-6  an open complaint followed up; DUE-15 the call-back once resolved
 *   DUE-8  the overtime form by 17:00 of the day worked; past 23:00, a late
 *          start the next day
 *   DUE-9  expense claims on Friday
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "cost.h"
#include "due.h"
#include "due_sums.h"
#include "fmt.h"
#include "sbfmt.h"
#include "validate.h"

/* DUE-2: the report's clock and allowance, read once a run. */
static void report_params(struct due_ctx *dc)
{
	const char *clock = config_str(&dc->b->cfg, "contact_report_clock", "calendar");

	dc->report_working = !strcmp(clock, "working");
	dc->report_minutes = due_duration(dc, "contact_report", "contact_report_hours", 48, 'h',
					  dc->report_working);
}

/* DUE-2: the report's deadline after the meeting or call at m. */
static moment_t report_due(struct due_ctx *dc, moment_t m)
{
	if (dc->report_working)
		return cal_add_minutes(dc->cal, cal_next_working(dc->cal, m), dc->report_minutes);
	return cal_next_working(dc->cal, m + dc->report_minutes);
}

/* key: prefix and n, as "%s%d" prints them (size at least 32 more than
 * prefix). */
static void key_num(char *key, const char *prefix, int n)
{
	char digits[16], *d = digits + sizeof(digits);
	unsigned u = n < 0 ? 0u - (unsigned)n : (unsigned)n;
	size_t len = strlen(prefix);

	*--d = '\0';
	do {
		*--d = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		*--d = '-';
	memcpy(key, prefix, len);
	strcpy(key + len, d);
}

static int contact_sent(struct due_ctx *dc, const struct record *c)
{
	const char *sent = rec_field(dc->b, c, "sent");
	moment_t m;

	if (sent && parse_datetime(sent, strlen(sent), &m) == DATE_OK && m <= dc->now)
		return 1;
	return due_last(dc, c, EV_REPORT) != 0;
}

static void contacts(struct due_ctx *dc, const struct record *r)
{
	moment_t held = dc->contact_held[r - dc->b->recs];
	const struct rval *acts = rec_val(r, book_field(dc->b, K_CONTACT, "actions"));
	int late = held && held <= dc->now && !contact_sent(dc, r), k = 0;
	/* the other fields only for a report due or actions to read */
	const char *client = late || acts ? rec_field(dc->b, r, "client") : NULL;

	if (late) {
		const char *author = rec_field(dc->b, r, "author");
		const char *subject = rec_field(dc->b, r, "subject");
		due_add(dc, report_due(dc, held), "DUE-2", author, client, r->path, r->line, "DUE-2",
			"%s %s %s", L(dc, "发出联络报告", "send contact report"), r->id,
			subject ? subject : "");
	}
	if (!acts)
		return;
	/* REC-4: every open action item is someone's deadline; k counts
	 * the lines before s */
	for (const char *s = rval_text(acts); *s; k++) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		int line, col;
		struct action a;
		char key[64], *owner;
		const struct staff *st;
		/* a done item's box, as action_parse() reads it: nothing to
		 * parse (ten years of contact reports: all but a few done) */
		int done = n >= 4 && s[0] == '[' && s[2] == ']' && (s[1] == 'x' || s[1] == 'X');

		if (n && !done && !action_parse(s, n, &a) && !a.done) {
			rval_pos(acts, k, &line, &col);
			owner = xstrndup(a.owner, a.owner_len);
			st = config_staff(&dc->b->cfg, owner);
			sbfmt_snprintf(key, sizeof(key), "REC-4/%d", k + 1);
			due_add(dc, due_end_of(dc, a.due), "REC-4", st ? st->id : NULL, client,
				r->path, line, key, "%.*s (%s %s)", (int)(n - a.text_off),
				s + a.text_off, L(dc, "联络报告", "contact report"), r->id);
			free(owner);
		}
		if (!nl)
			break;
		s = nl + 1;
	}
}

/* REC-5: the minutes are taken, tidied and confirmed with the client. */
static void minutes_confirmed(struct due_ctx *dc, const struct record *r, moment_t when)
{
	const char *topic = rec_field(dc->b, r, "topic");

	if (rec_field(dc->b, r, "minutes_confirmed") || when > dc->now)
		return;
	due_add(dc, due_end_of(dc, cal_add_days(dc->cal, day_of_moment(when),
						(int)due_param(dc, "minutes_confirm_days", 2))),
		"REC-5", rec_field(dc->b, r, "organiser"), rec_field(dc->b, r, "client"), r->path,
		r->line, "REC-5", "%s %s %s", L(dc, "会议记录经客户确认 (minutes_confirmed):",
					    "have the minutes confirmed by the client (minutes_confirmed):"),
		r->id, topic ? topic : "");
}

/* DUE-6: when to leave for a meeting: its travel time, else its client's. */
static moment_t departure(struct due_ctx *dc, const struct record *r, moment_t when)
{
	const char *t = rec_field(dc->b, r, "travel_minutes");
	const char *client = rec_field(dc->b, r, "client");
	const struct record *c = client ? book_record(dc->b, K_CLIENT, client) : NULL;

	if (!t && c && !c->bad)
		t = rec_field(dc->b, c, "travel_minutes");
	return when - (t ? atol(t) : 0);
}

static void meetings(struct due_ctx *dc, const struct record *r)
{
	const char *status = rec_field(dc->b, r, "status");
	const char *client, *who, *topic;
	moment_t when, leave;
	char at[20];

	if (!status || !(when = rec_moment(dc->b, r, "when")))
		return;
	if (!strcmp(status, "held")) {
		const char *cr = rec_field(dc->b, r, "contact_report");
		/* a report that exists is followed by the contacts rule */
		if (!cr && when <= dc->now) {
			client = rec_field(dc->b, r, "client");
			who = rec_field(dc->b, r, "organiser");
			topic = rec_field(dc->b, r, "topic");
			due_add(dc, report_due(dc, when), "DUE-2", who, client, r->path, r->line,
				"DUE-2", "%s %s %s", L(dc, "撰写会议联络报告", "write the contact report of meeting"),
				r->id, topic ? topic : "");
		}
		minutes_confirmed(dc, r, when);
		return;
	}
	if (strcmp(status, "planned"))
		return;
	client = rec_field(dc->b, r, "client");
	who = rec_field(dc->b, r, "organiser");
	topic = rec_field(dc->b, r, "topic");
	if (when < dc->now) {
		/* it took place, or did it?  either way the book must say */
		due_add(dc, report_due(dc, when), "DUE-2", who, client, r->path, r->line, "DUE-2",
			"%s %s %s", L(dc, "会议时间已过, 仍为 planned: 改为 held 并写联络报告, 或改为 cancelled:",
				      "meeting time has passed but it is still planned: mark it held and write the contact report, or cancelled:"),
			r->id, topic ? topic : "");
		return;
	}
	/* DUE-6: notice by the end of the working day before */
	if (!rec_field(dc->b, r, "notice_sent") && !due_last(dc, r, EV_NOTICE)) {
		int days = (int)due_param(dc, "meeting_notice_days", 1);
		int day = cal_add_days(dc->cal, day_of_moment(when), days ? -days : 0);
		due_add(dc, (moment_t)day * 1440 + dc->cal->end, "DUE-6", who, client, r->path,
			r->line, "DUE-6/notice", "%s %s %s", L(dc, "发出会议通知", "send the meeting notice"),
			r->id, topic ? topic : "");
	}
	/* before leaving, not before the meeting: fixed moments, since moving
	 * them into office hours would put them after the departure */
	leave = departure(dc, r, when);
	format_moment(at, leave);
	if (!rec_field(dc->b, r, "confirm_call")) {
		long before = (long)due_param(dc, "confirm_call_minutes", 60);
		due_add_fixed(dc, leave - before, "DUE-6", who, client, r->path, r->line, "DUE-6/call",
			      "%s %s %s (%s %s)", L(dc, "电话确认会议", "confirm the meeting by phone:"), r->id,
			      topic ? topic : "", L(dc, "出发", "leave at"), at);
	}
	if (!rec_field(dc->b, r, "materials_checked")) {
		long before = (long)due_param(dc, "materials_check_minutes", 30);
		due_add_fixed(dc, leave - before, "DUE-6", who, client, r->path, r->line,
			      "DUE-6/materials", "%s %s %s (%s %s)",
			      L(dc, "检查会议资料及议程", "check the materials and agenda of"), r->id,
			      topic ? topic : "", L(dc, "出发", "leave at"), at);
	}
}

/* A ticket's revisions, as close-out sees them: any still open (and the
 * latest client's time among those), and the last delivery among them. */
struct revisions {
	int open;
	moment_t open_due;
	moment_t delivered;
};

/* The fields of a ticket the rules read, found once a run (50,000
 * tickets, ten fields each). */
struct job_fields {
	int status, client, issuer, title, work, parent;
	int client_due, opened, internal_due, delivered;
};

static void job_fields(const struct book *b, struct job_fields *f)
{
	f->status = book_field(b, K_JOB, "status");
	f->client = book_field(b, K_JOB, "client");
	f->issuer = book_field(b, K_JOB, "issuer");
	f->title = book_field(b, K_JOB, "title");
	f->work = book_field(b, K_JOB, "work");
	f->parent = book_field(b, K_JOB, "parent");
	f->client_due = book_field(b, K_JOB, "client_due");
	f->opened = book_field(b, K_JOB, "opened");
	f->internal_due = book_field(b, K_JOB, "internal_due");
	f->delivered = book_field(b, K_JOB, "delivered");
}

/* JOB-5: a delivered ticket is closed out 消单, by its issuer, with its
 * revisions; reminded close_out_days working days after the last of them
 * was delivered (or, for a revision still open, is due to the client),
 * until it is: an open revision is named, since it is delivered first,
 * and never hides the close-out however long it stays open. */
static void close_out(struct due_ctx *dc, const struct job_fields *f, const struct strmap *revs,
		      const struct record *r, const char *issuer, const char *client, const char *title)
{
	const struct revisions *rv = strmap_get(revs, r->id);
	moment_t delivered = rec_moment_at(r, f->delivered), from;
	const char *parent = rec_str(r, f->parent);
	char d[20];

	if (parent && book_record(dc->b, K_JOB, parent))
		return;	/* a revision is closed out with its original */
	if (rv && rv->delivered > delivered)
		delivered = rv->delivered;
	if (!delivered || delivered > dc->now)
		return;
	from = rv && rv->open && rv->open_due > delivered ? rv->open_due : delivered;
	format_moment(d, delivered);
	due_add(dc, due_end_of(dc, cal_add_days(dc->cal, day_of_moment(from),
						(int)due_param(dc, "close_out_days", 5))),
		"JOB-5", issuer, client, r->path, r->line, "JOB-5",
		"%s %s %s (%s %s; ae close %s)%s", L(dc, "消单", "close out"), r->id, title ? title : "",
		L(dc, "交付于", "delivered"), d, r->id,
		rv && rv->open ? L(dc, "; 先交付仍在进行的修改单", "; deliver its open revision first") : "");
}

/* JOB-8: the AE is told when a ticket's cost crosses the alert share of
 * its budget, until it is closed or its budget covers the cost again. */
static void over_budget(struct due_ctx *dc, const struct costs *costs, const struct record *r,
			const char *issuer, const char *client, const char *title)
{
	const struct job_cost *jc = cost_of(costs, dc->b, r);
	char when[20];

	if (!jc || jc->job != r || !jc->crossed || jc->budget <= 0 ||
	    cost_total(jc) * 100 < jc->budget * costs->alert)
		return;
	format_moment(when, jc->crossed);
	due_add(dc, due_end_of(dc, day_of_moment(jc->crossed)), "JOB-8", issuer, client, r->path,
		r->line, "JOB-8", "%s %s %s: %ld%% %s (%ld.%02ld / %ld.%02ld; %s %d%% %s %s)",
		L(dc, "成本超预算警戒", "cost against budget:"), r->id, title ? title : "",
		cost_total(jc) * 100 / jc->budget, L(dc, "预算已用", "of the budget spent"),
		cost_total(jc) / 100, cost_total(jc) % 100, jc->budget / 100, jc->budget % 100,
		L(dc, "达到", "reached"), costs->alert, L(dc, "于", "on"), when);
}

static void jobs(struct due_ctx *dc, const struct job_fields *f, const struct costs *costs,
		 const struct strmap *revs, const struct record *r)
{
	const char *status = rec_str(r, f->status);
	const char *client, *issuer, *title, *work;
	moment_t client_due, opened, internal;
	char cd[20];

	/* a closed or cancelled ticket has no deadline left (most of them) */
	if (!status || !strcmp(status, "closed") || !strcmp(status, "cancelled"))
		return;
	client = rec_str(r, f->client);
	issuer = rec_str(r, f->issuer);
	title = rec_str(r, f->title);
	work = rec_str(r, f->work);
	over_budget(dc, costs, r, issuer, client, title);
	if (!strcmp(status, "delivered"))
		close_out(dc, f, revs, r, issuer, client, title);
	if (strcmp(status, "open") && strcmp(status, "in-progress"))
		return;
	client_due = rec_moment_at(r, f->client_due);
	opened = rec_moment_at(r, f->opened);
	internal = rec_moment_at(r, f->internal_due);
	if (!client_due)
		return;
	/* JOB-3: half a working day before the client's time, unless stated;
	 * a stated one outside working time moves forward like any other */
	if (!internal)
		internal = cal_add_minutes(dc->cal, client_due,
					   -due_duration(dc, "internal_lead", "internal_lead_hours", 0.5, 'd', 1));
	format_moment(cd, client_due);
	due_add(dc, internal, "JOB-3", issuer, client, r->path, r->line, "JOB-3",
		"%s %s %s (%s %s)", L(dc, "内部完成", "internal deadline of"), r->id,
		title ? title : "", L(dc, "客户要求", "client's time"), cd);
	/* JOB-2: never squeeze a deadline below the time the work needs;
	 * flagged at the client's own time, which is not ours to move (a
	 * revision, a follow-up, has no minimum of its own; rules_job.c) */
	if (opened && work && !rec_str(r, f->parent)) {
		char key[40];
		long need, have = cal_minutes_between(dc->cal, opened, client_due);
		sbfmt_snprintf(key, sizeof(key), "min_lead_%s", work);
		need = due_duration(dc, key, NULL, 0, 'd', 1);
		if (need > 0 && have < need)
			due_add_fixed(dc, client_due, "JOB-2", issuer, client, r->path, r->line, "JOB-2",
				      "%s %s: %.1f %s %s %g %s", L(dc, "工期被压缩", "squeezed deadline"), r->id,
				      (double)have / dc->cal->minutes_per_day,
				      L(dc, "个工作日, 此类工作需要", "working days given;"), work,
				      (double)need / dc->cal->minutes_per_day,
				      L(dc, "个工作日", "working days needed"));
	}
}

/* The last line of a multi-line field, and how many lines it has. */
static const char *last_line(const char *v, int *n, size_t *len)
{
	const char *last = v;

	*n = 0;
	for (const char *p = v; p && *p;) {
		const char *nl = strchr(p, '\n');
		if (nl != p && *p != '\n') {
			(*n)++;
			last = p;
		}
		p = nl ? nl + 1 : NULL;
	}
	*len = strcspn(last, "\n");
	return last;
}

static void complaints(struct due_ctx *dc, const struct record *r)
{
	const char *status = rec_field(dc->b, r, "status"), *name;
	moment_t resolved, received;

	if (!status)
		return;
	if ((!strcmp(status, "open") || !strcmp(status, "in-progress")) &&
	    (received = rec_moment(dc->b, r, "received"))) {
		/* REC-6: followed up until resolved, the responsible team's
		 * progress in view */
		const char *dept = rec_field(dc->b, r, "responsible");
		const struct dept *d = dept ? config_dept(&dc->b->cfg, dept) : NULL;
		const char *fu = rec_field(dc->b, r, "follow_up");
		struct strbuf what = STRBUF_INIT;
		char since[16];
		int n = 0;
		size_t len = 0;
		const char *last = fu ? last_line(fu, &n, &len) : NULL;

		name = rec_field(dc->b, r, "name");
		format_date(since, day_of_moment(received));
		sb_addf(&what, "%s %s %s (%s %s, %d %s; %s %s; ",
			L(dc, "跟进未解决的投诉", "follow up the open complaint"), r->id, name ? name : "",
			L(dc, "受理于", "received"), since,
			cal_days_between(dc->cal, day_of_moment(received), dc->today),
			L(dc, "个工作日", "working days"), L(dc, "责任部门", "responsible"),
			d && d->name ? d->name : dept ? dept : L(dc, "未指定", "none named"));
		if (n)
			sb_addf(&what, "%s %d %s: %.*s)", L(dc, "跟进", "follow-up:"), n,
				L(dc, "条, 最近", n == 1 ? "line, last" : "lines, last"), (int)len, last);
		else
			sb_addstr(&what, L(dc, "尚无跟进记录)", "no follow-up yet)"));
		due_add(dc, due_end_of(dc, cal_add_days(dc->cal, day_of_moment(received),
							(int)due_param(dc, "complaint_follow_up_days", 2))),
			"REC-6", rec_field(dc->b, r, "manager"), rec_field(dc->b, r, "client"), r->path,
			r->line, "REC-6", "%s", what.buf);
		sb_release(&what);
		return;
	}
	if (strcmp(status, "resolved") || !(resolved = rec_moment(dc->b, r, "resolved")) ||
	    rec_field(dc->b, r, "callback"))
		return;
	name = rec_field(dc->b, r, "name");
	due_add(dc, due_end_of(dc, cal_add_days(dc->cal, day_of_moment(resolved),
						(int)due_param(dc, "complaint_callback_days", 2))),
		"DUE-15", rec_field(dc->b, r, "manager"), rec_field(dc->b, r, "client"), r->path,
		r->line, "DUE-15", "%s %s %s", L(dc, "投诉解决后回访并记录满意度:", "call back after the complaint was resolved:"),
		r->id, name ? name : "");
}

/* a, '/' and the n bytes of b, in buf if they fit, else allocated (*heap,
 * for the caller to free): the key of a call's contact report */
static const char *call_key(char *buf, size_t size, const char *a, const char *b, size_t n,
			    char **heap)
{
	size_t la = strlen(a);

	*heap = NULL;
	if (la + n + 2 > size)
		return *heap = xasprintf("%s/%.*s", a, (int)n, b);
	memcpy(buf, a, la);
	buf[la] = '/';
	memcpy(buf + la + 1, b, n);
	buf[la + 1 + n] = '\0';
	return buf;
}

/* DUE-2: the contact reports of calls, by client and day ("client/day"
 * keys in the arena), for the important calls' walks. */
struct due_calls {
	struct strmap reports;
	struct arena arena;
};

struct due_calls *due_calls_new(void)
{
	return xcalloc(1, sizeof(struct due_calls));
}

void due_calls_add(struct due_calls *calls, const struct record *report, const char *client,
		   const char *held)
{
	char kbuf[128], *heap;
	const char *k;

	if (strlen(held) < 10)
		return;
	k = call_key(kbuf, sizeof(kbuf), client, held, 10, &heap);
	strmap_put(&calls->reports, arena_strdup(&calls->arena, k), (void *)report);
	free(heap);
}

void due_calls_release(struct due_calls *calls)
{
	if (!calls)
		return;
	strmap_release(&calls->reports);
	arena_release(&calls->arena);
	free(calls);
}

/* DUE-2: the important calls of the journal's entries [lo, hi) with no
 * contact report of that client on that day. */
void due_calls_rules(struct due_ctx *dc, const struct due_calls *calls, size_t lo, size_t hi)
{
	const struct book *b = dc->b;
	const struct journal *j = &b->journal;
	size_t f = SIZE_MAX;	/* the file of the last item's entry */

	for (size_t i = lo; i < hi && i < j->n; i++) {
		const struct jentry *e = &j->v[i];
		const struct record *client;
		char kbuf[128], *heap, when[20], key[64];
		const char *k, *name;
		moment_t due;
		int found;

		if (e->verb != JV_CALL || !e->important || e->rec < 0 || e->at > dc->now)
			continue;
		/* ten years of calls: most are not in the view of a week's
		 * report (report_weekly.c), so the report is looked for and
		 * the item's text made only for those that are */
		if (!due_in_view(dc, (due = report_due(dc, e->at))))
			continue;
		client = &b->recs[e->rec];
		/* the call's day: format_date()'s ten bytes, which begin its
		 * moment's text */
		format_moment(when, e->at);
		k = call_key(kbuf, sizeof(kbuf), client->id, when, 10, &heap);
		found = strmap_get(&calls->reports, k) != NULL;
		free(heap);
		if (found)
			continue;
		name = rec_field(b, client, "name");
		key_num(key, "DUE-2/call/", e->line);
		/* the entries come in order: their files too */
		if (f == SIZE_MAX)
			f = jentry_file(j, e);
		while (f + 1 < j->nfiles && j->file_at[f + 1] <= i)
			f++;
		/* "%s %s (%s %s)", joined: 27,000 items on the bench book */
		sb_reset(&dc->text);
		if (dc->zh)
			SB_LIT(&dc->text, "重要电话的联络报告: ");
		else
			SB_LIT(&dc->text, "contact report of the important call with ");
		sb_addstr(&dc->text, name ? name : client->id);
		if (dc->zh)
			SB_LIT(&dc->text, " (通话于 ");
		else
			SB_LIT(&dc->text, " (called ");
		sb_addstr(&dc->text, when);
		SB_LIT(&dc->text, ")");
		due_add_made(dc, due, "DUE-2", jentry_who(j, e), client->id, j->files[f], e->line,
			     key);
	}
}

/* DUE-8: an overtime line of the window (e): its form filed late, its
 * work past late_after (the next day starts later). */
static void overtime_line(struct due_ctx *dc, const struct journal *j, const struct jentry *e,
			  int form_by, int late_after)
{
	/* the day worked is the span's date, else the line's */
	const char *path = j->files[jentry_file(j, e)];
	int worked = (int)e->amount;
	moment_t form = cal_day_at(dc->cal, worked, form_by);
	char d[16], key[64];

	format_date(d, worked);
	if (e->at > form) {
		char filed[20];
		format_moment(filed, e->at);
		key_num(key, "DUE-8/form/", e->line);
		if (dc->zh)
			due_add(dc, form, "DUE-8", jentry_who(j, e), NULL, path, e->line, key,
				"%s 加班单 提交于 %s, 晚于加班当天 %02d:%02d", d, filed,
				form_by / 60, form_by % 60);
		else
			due_add(dc, form, "DUE-8", jentry_who(j, e), NULL, path, e->line, key,
				"%s overtime form filed %s, after %02d:%02d of the day worked",
				d, filed, form_by / 60, form_by % 60);
	}
	if (e->span_end > late_after || e->span_end < e->span_start) {
		int next = cal_add_days(dc->cal, worked, 1);
		key_num(key, "DUE-8/late/", e->line);
		due_add(dc, (moment_t)next * 1440 + dc->cal->start, "DUE-8", jentry_who(j, e), NULL,
			path, e->line, key, "%s %s %02d:%02d%s", d,
			L(dc, "加班至", "overtime until"), e->span_end / 60, e->span_end % 60,
			L(dc, ", 次日上班时间顺延至上午", ": the next day starts later in the morning"));
	}
}

#define RULES_RUN 2048

size_t due_claim_word(const struct journal *j)
{
	/* ae's own word, so the first of that text */
	for (size_t i = 1; i < j->nwhats; i++)
		if (j->whats[i] && !strcmp(j->whats[i], "claim"))
			return i;
	return 0;
}

/* Journal-driven rules: overtime (DUE-8), claims (DUE-9); and each line
 * handed to the tickets' costs (one walk of the million lines for both;
 * the important calls, DUE-2, are due_calls_rules()'). */
static void journal_rules(struct due_ctx *dc, struct costs *costs, const struct work_prefix *pre)
{
	struct book *b = dc->b;
	const struct config *cfg = &b->cfg;
	const struct journal *j = &b->journal;
	int form_by = due_time(dc, "overtime_form_by", 17 * 60);
	int late_after = due_time(dc, "overtime_late_after", 23 * 60);
	int window = cal_add_days(dc->cal, dc->today, -5);
	/* per person (the index config_staff() gives): whether they claimed,
	 * the latest claim (from 0), the first expense since and how many */
	size_t ns = cfg->nstaff;
	unsigned char *has_claim = xcalloc(ns + 1, 1), *has_first = xcalloc(ns + 1, 1);
	moment_t *claimed = xcalloc(ns + 1, sizeof(*claimed));
	moment_t *first_unclaimed = xcalloc(ns + 1, sizeof(*first_unclaimed));
	int *count = xcalloc(ns + 1, sizeof(*count));
	struct { moment_t at; size_t staff; } *exps = NULL;
	size_t nexps = 0, alloc_exps = 0, claim;
	unsigned short counted[RULES_RUN], claims[RULES_RUN], overtime[RULES_RUN], expenses[RULES_RUN];
	unsigned char *claim_after = xcalloc(ns + 1, 1);	/* a claim after the sums' */
	size_t from = pre ? pre->from : 0;

	claim = due_claim_word(j);
	if (pre) {
		/* the past months' sums: the claims, the overtime that may be
		 * of the window */
		for (size_t k = 0; k < ns; k++) {
			has_claim[k] = pre->has_claim[k];
			claimed[k] = pre->claimed[k];
		}
		for (size_t i = 0; i < pre->novertime; i++) {
			const struct jentry *e = &j->v[pre->overtime[i]];
			if (e->at <= dc->now && (int)e->amount >= window)
				overtime_line(dc, j, e, form_by, late_after);
		}
	}
	/* one walk of the journal, RULES_RUN entries at a time, each run's
	 * lines sorted first with no branch into those the costs count,
	 * the claims, the overtime of the window and the expenses (a
	 * million lines of verbs in no order: a branch on each was a
	 * mispredicted jump every other line); the latest claim of each
	 * person, and each expense of the staff's (counted below, once
	 * every claim is known) */
	for (size_t base = from; base < j->n; base += RULES_RUN) {
		const struct jentry *v = j->v + base;
		size_t n = j->n - base < RULES_RUN ? j->n - base : RULES_RUN;
		size_t nc = costs_lines(costs, v, n, counted), ncl = 0, no = 0, nx = 0;

		for (size_t i = 0; i < n; i++) {
			const struct jentry *e = &v[i];
			unsigned verb = e->verb;
			int by_now = e->at <= dc->now;

			claims[ncl] = (unsigned short)i;
			ncl += (size_t)(by_now & (verb == JV_SENT) & (e->what == claim) & (claim != 0));
			overtime[no] = (unsigned short)i;
			no += (size_t)(by_now & (verb == JV_OVERTIME) & ((int)e->amount >= window));
			expenses[nx] = (unsigned short)i;
			nx += (size_t)(by_now & (verb == JV_EXPENSE));
		}
		for (size_t i = 0; i < nc; i++)
			costs_line(costs, &v[counted[i]]);
		for (size_t i = 0; i < ncl; i++) {
			const struct jentry *e = &v[claims[i]];
			size_t k = e->who;
			has_claim[k] = 1;
			claim_after[k] = 1;
			if (e->at > claimed[k])
				claimed[k] = e->at;
		}
		for (size_t i = 0; i < no; i++)
			overtime_line(dc, j, &v[overtime[i]], form_by, late_after);
		ALLOC_GROW(exps, nexps + nx, alloc_exps);
		for (size_t i = 0; i < nx; i++) {
			exps[nexps].at = v[expenses[i]].at;
			exps[nexps].staff = v[expenses[i]].who;
			nexps++;
		}
	}
	/* the past months' expenses since the person's claim of then, unless
	 * claimed since (every line after them is later) */
	for (size_t k = 0; pre && k < ns; k++)
		if (pre->count[k] && !claim_after[k]) {
			has_first[k] = 1;
			first_unclaimed[k] = pre->first[k];
			count[k] = (int)pre->count[k];
		}
	for (size_t i = 0; i < nexps; i++) {
		size_t k = exps[i].staff;
		if (has_claim[k] && exps[i].at <= claimed[k])
			continue;
		if (!has_first[k]) {
			has_first[k] = 1;
			first_unclaimed[k] = exps[i].at;
		}
		if (exps[i].at < first_unclaimed[k])
			first_unclaimed[k] = exps[i].at;
		count[k]++;
	}
	/* DUE-9: claims go in on the Friday of the week the expense was made */
	for (size_t i = 0; i < ns; i++) {
		const char *who = cfg->staff[i].id;
		const struct staff *st = config_staff(cfg, who);
		size_t k = st ? (size_t)(st - cfg->staff) : i;
		moment_t first = first_unclaimed[k];
		int cnt = count[k];
		int want = due_weekday(dc, "expense_day", "fri"), day;
		char d[16], key[48];

		if (!st || !has_first[k])
			continue;
		day = day_of_moment(first);
		day = day - weekday_of(day) + want;
		if (day < day_of_moment(first))
			day += 7;
		/* spent after that day's claims went in: next week's claim */
		if (due_end_of(dc, day) < first)
			day += 7;
		format_date(d, day_of_moment(first));
		sbfmt_snprintf(key, sizeof(key), "DUE-9/%s", who);
		due_add(dc, due_end_of(dc, day), "DUE-9", who, NULL, "journal", 0, key,
			"%s %d %s %s%s", L(dc, "报销", "claim"), cnt,
			L(dc, "笔费用, 最早", cnt == 1 ? "expense, on" : "expenses, the first on"), d,
			L(dc, "; 报销后在日志记 'sent claim'", "; write 'sent claim' in the journal once claimed"));
	}
	free(has_claim);
	free(claim_after);
	free(has_first);
	free(claimed);
	free(first_unclaimed);
	free(count);
	free(exps);
}

struct due_work {
	struct costs costs;
	struct strmap revs;
	struct job_fields jf;
	struct arena arena;	/* the revisions */
	unsigned char *open_jobs;	/* the tickets costs_begin() wants */
	uint32_t *orig;		/* [record index]: its original (a ticket's) */
	uint64_t groups;	/* every ticket's original and badness, hashed */
};

void due_work_params(struct due_ctx *dc)
{
	report_params(dc);
}

struct due_work *due_work_new(const struct book *b)
{
	struct due_work *w = xcalloc(1, sizeof(*w));

	job_fields(b, &w->jf);
	return w;
}

/* A revision ticket r's part in its original's (JOB-5): open, due to
 * the client, delivered (revs: parent id -> struct revisions, in a). */
static void add_revision(const struct job_fields *f, struct arena *a, struct strmap *revs,
			 const struct record *r, const char *parent, const char *st)
{
	struct revisions *rv;
	moment_t d;

	if (!(rv = strmap_get(revs, parent))) {
		rv = arena_alloc(a, sizeof(*rv));
		memset(rv, 0, sizeof(*rv));
		strmap_put(revs, parent, rv);
	}
	if (!strcmp(st, "open") || !strcmp(st, "in-progress")) {
		rv->open = 1;
		if ((d = rec_moment_at(r, f->client_due)) > rv->open_due)
			rv->open_due = d;
	}
	if ((d = rec_moment_at(r, f->delivered)) > rv->delivered)
		rv->delivered = d;
}

/*
 * The tickets read once for what the rules and the costs want of them
 * all: the revisions of each original (JOB-5), the tickets still open
 * (JOB-8 asks for the cost of those neither closed nor cancelled) and
 * each ticket's original, its parent when the book has it (the costs
 * roll a revision into it).  Three walks of the 50,000 tickets, each
 * reading the parent and status again from the mapped cache, were 10
 * ms of the collection.
 */
void due_work_tickets(struct due_work *w, const struct book *b, moment_t now)
{
	unsigned char *open_jobs = xcalloc(b->nrecs + 1, 1);
	uint32_t *orig = xmalloc(sizeof(*orig) * (b->nrecs + 1));

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i], *p;
		const char *parent, *st;

		orig[i] = (uint32_t)i;
		if (r->kind != K_JOB)
			continue;
		parent = rec_str(r, w->jf.parent);
		st = rec_str(r, w->jf.status);
		open_jobs[i] = st && strcmp(st, "closed") && strcmp(st, "cancelled");
		if (parent && (p = book_record(b, K_JOB, parent)))
			orig[i] = (uint32_t)(p - b->recs);
		if (!r->bad && parent && st && strcmp(st, "cancelled"))
			add_revision(&w->jf, &w->arena, &w->revs, r, parent, st);
	}
	/* how the tickets are grouped, which the work's sums depend on */
	w->groups = cache_hash_bytes(b->nrecs, orig, sizeof(*orig) * b->nrecs);
	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].kind == K_JOB && b->recs[i].bad)
			w->groups = cache_hash_bytes(w->groups, &i, sizeof(i));
	/* counted as due_work_journal() walks the journal */
	costs_begin_from(&w->costs, b, now, open_jobs, orig);
	w->open_jobs = open_jobs;
	w->orig = orig;
}

void due_work_records(struct due_ctx *dc, const struct due_work *w, size_t lo, size_t hi)
{
	struct book *b = dc->b;

	for (size_t i = lo; i < hi && i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];

		if (r->bad)
			continue;
		switch (r->kind) {
		case K_CONTACT: contacts(dc, r); break;
		case K_MEETING: meetings(dc, r); break;
		case K_JOB: jobs(dc, &w->jf, &w->costs, &w->revs, r); break;
		case K_COMPLAINT: complaints(dc, r); break;
		default: break;
		}
	}
}

void due_work_journal(struct due_ctx *dc, struct due_work *w)
{
	struct work_prefix pre;
	int summed = due_work_sums_read(dc, &w->costs, w->groups, &pre) == 0;

	journal_rules(dc, &w->costs, summed ? &pre : NULL);
	costs_end(&w->costs);
	due_work_sums_make(dc, w->orig, w->groups, &pre);
	work_prefix_release(&pre);
	free(w->orig);
	w->orig = NULL;
	free(w->open_jobs);
	w->open_jobs = NULL;
}

void due_work_release(struct due_work *w)
{
	if (!w)
		return;
	costs_release(&w->costs);
	free(w->open_jobs);
	free(w->orig);
	strmap_release(&w->revs);
	arena_release(&w->arena);
	free(w);
}
