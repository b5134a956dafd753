/* report.c -- the report model, its labels and dates; what reports read
 * from the book.  See report.h. */
#include "report.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "due.h"
#include "inifile.h"
#include "textfile.h"
#include "tz.h"
#include "utf8.h"
#include "validate.h"

/* Every label of every report, in both languages. */
static const struct { const char *key, *zh, *en; } labels[] = {
	/* titles */
	{ "title.weekly", "工作周报", "Weekly status report" },
	{ "title.tally", "工作单周统计", "Weekly job ticket tally" },
	{ "title.monthly", "月度工作总结及下月计划", "Monthly summary and next month's plan" },
	{ "title.roster", "客户实绩统计表", "Client roster" },
	{ "title.hours", "人员工时记录表", "Timesheet" },
	{ "title.overtime", "加班统计", "Overtime" },
	{ "title.expenses", "费用报销统计", "Expenses" },
	/* facts */
	{ "book", "部门", "Department" },
	{ "week", "周次", "Week" },
	{ "month", "月份", "Month" },
	{ "period", "期间", "Period" },
	{ "workdays", "工作日", "Working days" },
	{ "as_of", "截至", "As of" },
	{ "who", "人员", "Staff" },
	{ "code", "客户代码", "Client code" },
	{ "ae", "客户主任", "AE" },
	{ "am", "客户经理", "AM" },
	{ "send_to", "报送", "Send to" },
	{ "tickets", "工作单", "Tickets" },
	{ "total_hours", "工时合计", "Total hours" },
	{ "total_amount", "金额合计", "Total amount" },
	{ "total_advances", "备用金合计", "Total advances" },
	{ "clients_n", "客户数", "Clients" },
	/* table titles */
	{ "t.jobs", "本周工作单", "Job tickets this week" },
	{ "t.contacts", "本周联络报告", "Contact reports this week" },
	{ "t.meetings", "本周会议", "Meetings this week" },
	{ "t.actions", "待办事项", "Open action items" },
	{ "t.deadlines", "下周到期", "Deadlines next week" },
	{ "t.by_ae", "按部门和客户主任", "By department and AE" },
	{ "t.list", "明细", "Entries" },
	{ "t.work", "本月工作", "This month's work" },
	{ "t.month_contacts", "本月联络", "This month's contact reports" },
	{ "t.plan_jobs", "下月工作安排", "Next month's tickets" },
	{ "t.plan_actions", "下月待办事项", "Next month's action items" },
	{ "t.plan_meetings", "下月会议", "Next month's meetings" },
	{ "t.clients", "客户", "Clients" },
	{ "t.by_person", "按人员", "By person" },
	{ "t.by_client", "按客户", "By client" },
	{ "t.by_job", "按工作单", "By job" },
	{ "t.by_category", "按类别", "By category" },
	{ "t.advances", "差旅备用金", "Travel advances" },
	/* columns */
	{ "section", "分组", "Section" },
	{ "part", "部分", "Part" },
	{ "job", "工作单", "Job" },
	{ "title", "名称", "Title" },
	{ "status", "状态", "Status" },
	{ "opened", "开单", "Opened" },
	{ "client_due", "客户要求", "Client due" },
	{ "delivered", "交付", "Delivered on" },
	{ "summary", "摘要", "Summary" },
	{ "progress", "进度", "Progress" },
	{ "next", "下一步", "Next steps" },
	{ "contact", "联络报告", "Contact report" },
	{ "occasion", "方式", "Occasion" },
	{ "subject", "主题", "Subject" },
	{ "conclusions", "结论", "Conclusions" },
	{ "meeting", "会议", "Meeting" },
	{ "when", "时间", "When" },
	{ "topic", "议题", "Topic" },
	{ "where", "地点", "Where" },
	{ "due", "到期", "Due" },
	{ "owner", "负责人", "Owner" },
	{ "late", "逾期", "Late" },
	{ "rule", "规则", "Rule" },
	{ "what", "事项", "What" },
	{ "dept", "部门", "Department" },
	{ "client", "客户", "Client" },
	{ "events", "本周动态", "This week" },
	{ "n_open", "待开工", "Open" },
	{ "n_in_progress", "进行中", "In progress" },
	{ "n_delivered", "已交付", "Delivered" },
	{ "n_closed", "已消单", "Closed" },
	{ "n_cancelled", "已取消", "Cancelled" },
	{ "total", "合计", "Total" },
	{ "submit", "提交", "Submitted" },
	{ "complete", "完成", "Completed" },
	{ "approval", "定稿", "Final approval" },
	{ "name", "客户名称", "Name" },
	{ "client_name", "客户名称", "Client name" },
	{ "last_contact", "最近联络", "Last contact" },
	{ "via", "方式", "By" },
	{ "open_jobs", "未完成工作单", "Open jobs" },
	{ "cadence", "通话频率", "Call cadence" },
	{ "callback", "回访", "Call-back" },
	{ "satisfaction", "满意度", "Satisfaction" },
	{ "overdue", "逾期事项", "Overdue" },
	{ "person", "人员", "Person" },
	{ "hours", "工时", "Hours" },
	{ "entries", "条目", "Entries" },
	{ "date", "日期", "Date" },
	{ "span", "时段", "Time" },
	{ "filed", "填单", "Filed" },
	{ "form", "加班单", "Form" },
	{ "late_start", "次日顺延", "Late start" },
	{ "count", "次数", "Times" },
	{ "category", "类别", "Category" },
	{ "amount", "金额", "Amount" },
	/* the client editions: a letter to the client */
	{ "to", "致", "To" },
	{ "issued", "日期", "Date" },
	{ "org_address", "地址", "Address" },
	{ "org_phone", "电话", "Phone" },
	{ "org_email", "邮箱", "E-mail" },
	{ "org_web", "网址", "Web" },
	{ "t.c_work", "本周工作", "This week's work" },
	{ "t.c_contacts", "本周沟通纪要", "This week's contact reports" },
	{ "t.c_meetings", "本周会议", "Meetings this week" },
	{ "t.c_plan", "下周安排", "Next week" },
	{ "t.c_month_work", "本月工作", "This month's work" },
	{ "t.c_month_contacts", "本月沟通纪要", "This month's contact reports" },
	{ "t.c_month_plan", "下月安排", "Next month" },
	{ "c.ref", "编号", "Ref." },
	{ "c.item", "项目", "Item" },
	{ "c.due", "约定交付", "Due" },
	{ "c.opened", "立项", "Started" },
	{ "c.delivered", "交付", "Delivered" },
	{ "c.approval", "定稿", "Approved" },
	{ "cjob.open", "待开始", "Not started" },
	{ "cjob.in-progress", "进行中", "In progress" },
	{ "cjob.delivered", "已交付", "Delivered" },
	{ "cjob.closed", "已完成", "Completed" },
	{ "cjob.cancelled", "已取消", "Cancelled" },
	{ "rank.AAE", "客户执行", "Assistant Account Executive" },
	{ "rank.AE", "客户主任", "Account Executive" },
	{ "rank.AM", "客户经理", "Account Manager" },
	{ "rank.AD", "客户总监", "Account Director" },
	{ "rank.ED", "项目执行总监", "Executive Director" },
	{ "rank.GM", "总经理", "General Manager" },
	/* words */
	{ "none", "无", "None" },
	{ "yes", "是", "yes" },
	{ "all_staff", "全部", "everyone" },
	/* job status */
	{ "job.open", "待开工", "Open" },
	{ "job.in-progress", "进行中", "In progress" },
	{ "job.delivered", "已交付", "Delivered" },
	{ "job.closed", "已消单", "Closed" },
	{ "job.cancelled", "已取消", "Cancelled" },
	/* contact occasions, and how a client was last reached */
	{ "occ.meeting", "会议", "Meeting" },
	{ "occ.call", "电话", "Call" },
	{ "occ.visit", "拜访", "Visit" },
	/* meeting status */
	{ "mtg.planned", "计划中", "Planned" },
	{ "mtg.held", "已举行", "Held" },
	{ "mtg.cancelled", "已取消", "Cancelled" },
	/* client status */
	{ "cli.prospect", "潜在客户", "Prospect" },
	{ "cli.active", "服务中", "Active" },
	{ "cli.paused", "暂停", "Paused" },
	{ "cli.ended", "已结束", "Ended" },
	/* call cadence (DUE-1) */
	{ "cad.ok", "正常", "OK" },
	{ "cad.today", "今天到期", "Due today" },
	{ "cad.late", "逾期", "Late" },
	/* a call-back's satisfaction survey (DUE-11) */
	{ "sat.satisfied", "满意", "Satisfied" },
	{ "sat.neutral", "一般", "Neutral" },
	{ "sat.unsatisfied", "不满意", "Unsatisfied" },
	/* expense categories */
	{ "cat.travel", "差旅", "Travel" },
	{ "cat.taxi", "出租车", "Taxi" },
	{ "cat.meal", "餐费", "Meal" },
	{ "cat.print", "印刷", "Printing" },
	{ "cat.material", "材料", "Material" },
	{ "cat.gift", "礼品", "Gift" },
	{ "cat.postage", "邮寄", "Postage" },
	{ "cat.other", "其他", "Other" },
	/* overtime form (DUE-8) */
	{ "form.ok", "按时", "On time" },
	{ "form.late", "晚于17:00", "After 17:00" },
	/* what happened to a ticket in the week */
	{ "ev.opened", "开单", "opened" },
	{ "ev.due", "到期", "due" },
	{ "ev.delivered", "交付", "delivered" },
	{ "ev.closed", "消单", "closed" },
	{ "ev.open", "未完成", "still open" },
	/* cost against budget (JOB-8) and letters (ORG-3) */
	{ "title.cost", "成本与预算", "Cost against budget" },
	{ "title.letter", "函件", "Letter" },
	{ "t.cost_jobs", "按工作单", "By job ticket" },
	{ "t.cost_clients", "按客户", "By client" },
	{ "budget", "预算", "Budget" },
	{ "cost_month", "本月成本", "Cost this month" },
	{ "cost", "累计成本", "Cost to date" },
	{ "remainder", "预算余额", "Remainder" },
	{ "margin", "余额率", "Margin" },
	{ "flag", "提示", "Flag" },
	{ "other", "客户费用（无工作单）", "Client expenses (no ticket)" },
	{ "budget_alert", "预算警戒线", "Budget alert at" },
	{ "unrated", "未定费率的工时", "Hours without a rate" },
	{ "letter", "函件编号", "Letter" },
	{ "addressee", "收件人", "To" },
	{ "from", "发件人", "From" },
	{ "approved", "审批", "Approved" },
	{ "sent", "发出", "Sent" },
	{ "written", "日期", "Date" },
	{ "lform", "形式", "Form" },
	{ "lform.letter", "正式函件", "Letter" },
	{ "lform.fax", "传真函", "Fax letter" },
	{ "address", "地址", "Address" },
	{ "phone", "电话", "Phone" },
	{ "email", "邮箱", "E-mail" },
	{ "web", "网址", "Web" },
	{ "draft", "状态", "Status" },
	{ "rank.AAE", "客户执行", "Account Executive Assistant" },
	{ "rank.AE", "客户主任", "Account Executive" },
	{ "rank.AM", "客户经理", "Account Manager" },
	{ "rank.AD", "客户总监", "Account Director" },
	{ "rank.ED", "项目执行总监", "Executive Director" },
	{ "rank.GM", "总经理", "General Manager" },
	{ "rank.FIN", "财务", "Finance" },
	{ "rank.STAFF", "", "" },
};

/* How short columns break in HTML (enum rcol_wrap); others are prose. */
static const struct { const char *key; enum rcol_wrap wrap; } wraps[] = {
	{ "job", RW_IDENT }, { "contact", RW_IDENT }, { "meeting", RW_IDENT },
	{ "code", RW_WORDS }, { "rule", RW_IDENT }, { "person", RW_IDENT },
	{ "owner", RW_IDENT }, { "ae", RW_IDENT }, { "am", RW_IDENT },
	{ "span", RW_IDENT }, { "filed", RW_IDENT },
	{ "status", RW_WORDS }, { "category", RW_WORDS }, { "via", RW_WORDS },
	{ "cadence", RW_WORDS }, { "late", RW_WORDS }, { "late_start", RW_WORDS },
	{ "form", RW_WORDS }, { "occasion", RW_WORDS }, { "satisfaction", RW_WORDS },
	{ "name", RW_NAME }, { "client_name", RW_NAME }, { "client", RW_NAME },
};

static const char *const months_en[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

void report_init(struct report *r, const char *kind, int zh, int year)
{
	char key[40];

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->zh = zh;
	r->year = year;
	snprintf(key, sizeof(key), "title.%s", kind);
	r->title = rlabel(r, key);
}

static void section_free(struct rsection *s)
{
	for (size_t i = 0; i < s->nblocks; i++) {
		free(s->blocks[i]->t.cols);
		free(s->blocks[i]->t.cells);
		free(s->blocks[i]);
	}
	free(s->blocks);
	free(s->facts.v);
	free(s->org_lines.v);
	free(s);
}

void report_release(struct report *r)
{
	for (size_t i = 0; i < r->nsecs; i++)
		section_free(r->secs[i]);
	free(r->secs);
	free(r->facts.v);
	arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}

const char *rstr(struct report *r, const char *s)
{
	return arena_strdup(&r->arena, s ? s : "");
}

const char *rprintf(struct report *r, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	s = arena_strndup(&r->arena, sb.buf ? sb.buf : "", sb.len);
	sb_release(&sb);
	return s;
}

/*
 * The labels in the order of their keys (the first of a key first), for
 * a binary search: a weekly report asks for a label of each code cell,
 * three million string comparisons when the table was searched in turn.
 * Sorted once, on the first ask.
 */
static unsigned short label_order[ARRAY_SIZE(labels)];
_Static_assert(ARRAY_SIZE(labels) <= 65535, "label_order holds the labels' indices");
static pthread_once_t label_once = PTHREAD_ONCE_INIT;

static int cmp_label(const void *pa, const void *pb)
{
	unsigned a = *(const unsigned short *)pa, b = *(const unsigned short *)pb;
	int c = strcmp(labels[a].key, labels[b].key);

	return c ? c : (int)a - (int)b;
}

static void sort_labels(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(labels); i++)
		label_order[i] = (unsigned short)i;
	qsort(label_order, ARRAY_SIZE(labels), sizeof(label_order[0]), cmp_label);
}

static const char *find_label_in(int zh, const char *key)
{
	size_t lo = 0, hi = ARRAY_SIZE(labels);

	pthread_once(&label_once, sort_labels);
	/* the first whose key is not before key */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(labels[label_order[mid]].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ARRAY_SIZE(labels) && !strcmp(labels[label_order[lo]].key, key))
		return zh ? labels[label_order[lo]].zh : labels[label_order[lo]].en;
	return NULL;
}

static const char *find_label(const struct report *r, const char *key)
{
	return find_label_in(r->zh, key);
}

const char *rlabel_in(int zh, const char *key)
{
	const char *l = find_label_in(zh, key);

	return l ? l : key;
}

const char *rlabel(const struct report *r, const char *key)
{
	const char *l = find_label(r, key);

	return l ? l : key;
}

const char *rcode(const struct report *r, const char *prefix, const char *code)
{
	char key[64];
	const char *l;

	if (!code)
		return "";
	snprintf(key, sizeof(key), "%s.%s", prefix, code);
	l = find_label(r, key);
	return l ? l : code;
}

static void add_fact(struct report *r, struct rfacts *f, const char *key,
		     const char *text, const char *raw)
{
	struct rfact *x;

	ALLOC_GROW(f->v, f->n + 1, f->alloc);
	x = &f->v[f->n++];
	x->key = key;
	x->label = rlabel(r, key);
	x->text = rstr(r, text);
	x->raw = raw ? rstr(r, raw) : NULL;
}

void report_fact(struct report *r, struct rsection *s, const char *key,
		 const char *text, const char *raw)
{
	add_fact(r, s ? &s->facts : &r->facts, key, text, raw);
}

struct rsection *report_section(struct report *r, const char *key, const char *title)
{
	struct rsection *s = xcalloc(1, sizeof(*s));

	s->key = rstr(r, key);
	s->title = rstr(r, title);
	s->zh = r->zh;
	ALLOC_GROW(r->secs, r->nsecs + 1, r->alloc);
	r->secs[r->nsecs++] = s;
	return s;
}

static struct rblock *add_block(struct rsection *s, enum rblock_type type)
{
	struct rblock *bl = xcalloc(1, sizeof(*bl));

	bl->type = type;
	ALLOC_GROW(s->blocks, s->nblocks + 1, s->alloc);
	s->blocks[s->nblocks++] = bl;
	return bl;
}

void report_text(struct report *r, struct rsection *s, const char *text)
{
	add_block(s, RB_TEXT)->text = rstr(r, text);
}

void report_org_line(struct report *r, struct rsection *s, const char *key, const char *text)
{
	add_fact(r, &s->org_lines, key, text, NULL);
}

void report_signature(struct report *r, struct rsection *s, const char *text)
{
	add_block(s, RB_SIGN)->text = rstr(r, text);
}

void rt_relabel(struct report *r, struct rtable *t, const char *key, const char *label_key)
{
	for (int c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c].key, key))
			t->cols[c].label = rlabel(r, label_key);
}

struct rtable *report_table(struct report *r, struct rsection *s, const char *key,
			    const char *title, const char *cols)
{
	struct rblock *bl = add_block(s, RB_TABLE);
	struct rtable *t = &bl->t;
	char tkey[64];
	int n = 0;

	snprintf(tkey, sizeof(tkey), "t.%s", key);
	bl->key = rstr(r, key);
	bl->title = title ? rstr(r, title) : rlabel(r, tkey);
	for (const char *p = cols; *p; p++)
		n += *p != ' ' && (p == cols || p[-1] == ' ');
	t->cols = xcalloc((size_t)(n ? n : 1), sizeof(*t->cols));
	for (const char *p = cols; *p;) {
		size_t len;
		const char *colon;
		struct rcol *c;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		len = strcspn(p, " ");
		c = &t->cols[t->ncols++];
		colon = memchr(p, ':', len);
		c->key = arena_strndup(&r->arena, p, colon ? (size_t)(colon - p) : len);
		c->label = rlabel(r, c->key);
		for (size_t k = 0; k < ARRAY_SIZE(wraps); k++)
			if (!strcmp(c->key, wraps[k].key))
				c->wrap = (unsigned char)wraps[k].wrap;
		if (colon && colon[1] == 'n')
			c->type = RC_NUM;
		else if (colon && colon[1] == 'd')
			c->type = RC_DATE;
		else if (colon && colon[1] == 'w')
			c->wide = 1;
		p += len;
	}
	return t;
}

void rt_cell(struct report *r, struct rtable *t, const char *text, const char *raw)
{
	struct rcell *c;

	if (t->filled == 0) {
		ALLOC_GROW(t->cells, (t->nrows + 1) * (size_t)t->ncols, t->alloc);
		t->nrows++;
	}
	c = &t->cells[(t->nrows - 1) * (size_t)t->ncols + (size_t)t->filled];
	c->text = rstr(r, text);
	c->raw = raw ? rstr(r, raw) : NULL;
	if (++t->filled == t->ncols)
		t->filled = 0;
}

void rt_text(struct report *r, struct rtable *t, const char *text)
{
	rt_cell(r, t, text ? text : "", NULL);
}

void rt_code(struct report *r, struct rtable *t, const char *prefix, const char *code)
{
	rt_cell(r, t, rcode(r, prefix, code), code ? code : "");
}

void rt_day(struct report *r, struct rtable *t, int day)
{
	if (day < 0)
		rt_cell(r, t, "", NULL);
	else
		rt_cell(r, t, rdate_short(r, day), riso_day(r, day));
}

void rt_moment(struct report *r, struct rtable *t, moment_t m)
{
	if (!m)
		rt_cell(r, t, "", NULL);
	else
		rt_cell(r, t, rmoment(r, m), riso_moment(r, m));
}

void rt_count(struct report *r, struct rtable *t, long n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", n);
	rt_cell(r, t, buf, buf);
}

static void hundredths(char *buf, size_t size, long v, int group)
{
	char digits[32], *out = buf;
	long whole = (v < 0 ? -v : v) / 100, frac = (v < 0 ? -v : v) % 100;
	size_t n, i;

	n = (size_t)snprintf(digits, sizeof(digits), "%ld", whole);
	if (v < 0)
		*out++ = '-';
	for (i = 0; i < n && (size_t)(out - buf) + 8 < size; i++) {
		*out++ = digits[i];
		if (group && (n - i - 1) % 3 == 0 && i + 1 < n)
			*out++ = ',';
	}
	snprintf(out, size - (size_t)(out - buf), ".%02ld", frac);
}

void rt_hundredths(struct report *r, struct rtable *t, long v)
{
	char buf[40];

	hundredths(buf, sizeof(buf), v, 0);
	rt_cell(r, t, buf, buf);
}

void rt_money(struct report *r, struct rtable *t, long cents)
{
	char raw[40];

	hundredths(raw, sizeof(raw), cents, 0);
	rt_cell(r, t, rmoney(r, cents), raw);
}

const char *rmoney(struct report *r, long cents)
{
	char text[48];

	hundredths(text, sizeof(text), cents, 1);
	return rstr(r, text);
}

void rt_foot(struct rtable *t)
{
	t->has_foot = 1;
	t->foot = t->nrows;
}

const char *rdate(struct report *r, int day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	if (r->zh)
		return rprintf(r, "%d年%d月%d日", y, m, d);
	return rprintf(r, "%d %s %d", d, months_en[m - 1], y);
}

const char *rdate_short(struct report *r, int day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	if (y != r->year)
		return rdate(r, day);
	if (r->zh)
		return rprintf(r, "%d月%d日", m, d);
	return rprintf(r, "%d %s", d, months_en[m - 1]);
}

const char *rmoment(struct report *r, moment_t m)
{
	int day = day_of_moment(m), min = (int)(m - (moment_t)day * 1440);

	return rprintf(r, "%s %02d:%02d", rdate_short(r, day), min / 60, min % 60);
}

const char *rmoment_full(struct report *r, moment_t m)
{
	int day = day_of_moment(m), min = (int)(m - (moment_t)day * 1440);

	return rprintf(r, "%s %02d:%02d", rdate(r, day), min / 60, min % 60);
}

const char *rrange(struct report *r, int first, int last)
{
	int y1, y2, m, d;

	civil_from_days(first, &y1, &m, &d);
	civil_from_days(last, &y2, &m, &d);
	if (r->zh)
		return rprintf(r, "%s至%s", rdate(r, first),
			       y1 == y2 && y2 == r->year ? rdate_short(r, last) : rdate(r, last));
	return rprintf(r, "%s to %s", y1 == y2 && y1 == r->year ? rdate_short(r, first) : rdate(r, first),
		       rdate(r, last));
}

const char *riso_day(struct report *r, int day)
{
	char buf[20];

	format_date(buf, day);
	return rstr(r, buf);
}

const char *riso_moment(struct report *r, moment_t m)
{
	char buf[40];

	if (r->tz)
		tz_rfc3339_moment(buf, sizeof(buf), r->tz, m);
	else
		format_moment(buf, m);
	return rstr(r, buf);
}

/* -- the book -- */

static void fields_of(const struct book *b, int kind, struct rjob_fields *f)
{
	f->client = book_field(b, kind, "client");
	f->title = book_field(b, kind, "title");
	f->dept = book_field(b, kind, "department");
	f->issuer = book_field(b, kind, "issuer");
	f->status = book_field(b, kind, "status");
	f->work = book_field(b, kind, "work");
	f->summary = book_field(b, kind, "summary");
	f->next = book_field(b, kind, "next");
	f->opened = book_field(b, kind, "opened");
	f->due = book_field(b, kind, "client_due");
	f->internal = book_field(b, kind, "internal_due");
	f->delivered = book_field(b, kind, "delivered");
	f->confirmed = book_field(b, kind, "confirmed");
	f->closed = book_field(b, kind, "closed");
}

void rjob_fields(const struct book *b, struct rjob_fields *f)
{
	fields_of(b, K_JOB, f);
}

/* rec_day() by the field's index */
static int day_at(const struct record *r, int field)
{
	const char *v = rec_str(r, field);
	int d;

	if (!v || parse_date(v, strlen(v), &d) != DATE_OK)
		return -1;
	return d;
}

void rjob_read_fields(const struct rjob_fields *f, const struct record *r, struct rjob *j)
{
	memset(j, 0, sizeof(*j));
	j->r = r;
	j->id = r->id;
	j->client = rec_str(r, f->client);
	j->title = rec_str(r, f->title);
	j->dept = rec_str(r, f->dept);
	j->issuer = rec_str(r, f->issuer);
	j->status = rec_str(r, f->status);
	j->work = rec_str(r, f->work);
	j->summary = rec_str(r, f->summary);
	j->next = rec_str(r, f->next);
	j->opened = rec_moment_at(r, f->opened);
	j->due = rec_moment_at(r, f->due);
	j->internal = rec_moment_at(r, f->internal);
	j->delivered = rec_moment_at(r, f->delivered);
	j->confirmed = day_at(r, f->confirmed);
	j->closed = day_at(r, f->closed);
}

void rjob_read(const struct book *b, const struct record *r, struct rjob *j)
{
	struct rjob_fields f;

	fields_of(b, r->kind, &f);
	rjob_read_fields(&f, r, j);
}

const char *rjob_status_at(const struct rjob *j, int day)
{
	const char *st = j->status ? j->status : "open";

	if (j->closed >= 0 && j->closed <= day)
		return "closed";
	if (!strcmp(st, "cancelled"))
		return st;
	if (j->delivered && day_of_moment(j->delivered) <= day)
		return "delivered";
	if (!strcmp(st, "open"))
		return st;
	/* delivered or closed later: it was being worked on */
	return "in-progress";
}

static int within(int d, int first, int last)
{
	return d >= first && d <= last;
}

int rjob_active(const struct rjob *j, int first, int last)
{
	const char *st;

	if ((j->opened && within(day_of_moment(j->opened), first, last)) ||
	    (j->due && within(day_of_moment(j->due), first, last)) ||
	    (j->delivered && within(day_of_moment(j->delivered), first, last)) ||
	    within(j->closed, first, last))
		return 1;
	if (!j->opened || day_of_moment(j->opened) > last)
		return 0;
	st = rjob_status_at(j, last);
	return !strcmp(st, "open") || !strcmp(st, "in-progress");
}

const char *staff_label(const struct book *b, const char *id)
{
	const struct staff *st = id ? config_staff(&b->cfg, id) : NULL;

	return st && st->name ? st->name : id ? id : "";
}

const char *client_label(const struct book *b, const char *id)
{
	const struct record *r = id ? book_record(b, K_CLIENT, id) : NULL;
	const char *n = r ? rec_field(b, r, "name") : NULL;

	return n ? n : id ? id : "";
}

int report_who_matches(const struct book *b, const char *id, const char *who)
{
	return !who || (id && config_reports_to(&b->cfg, id, who));
}

int report_client_matches(const struct book *b, const struct record *c,
			  const struct report_opts *o)
{
	if (o->client && strcmp(o->client, c->id))
		return 0;
	return report_who_matches(b, rec_field(b, c, "ae"), o->who);
}

void report_prose(struct report *r, struct book *b, const struct record *rec,
		  const char *const *names, const char **values, int n)
{
	struct strbuf buf = STRBUF_INIT;
	struct arena scratch = { 0 };
	struct ini_doc doc;

	for (int i = 0; i < n; i++)
		values[i] = NULL;
	if (text_load(b->src, rec->path, b->cfg.max_file_bytes, 0, &buf) != 0) {
		sb_release(&buf);
		return;
	}
	ini_doc_parse(&doc, &scratch, rec->path, buf.buf, buf.len);
	for (size_t s = 0; s < doc.nsections; s++) {
		if (strcmp(doc.sections[s].name, kind_names[rec->kind]))
			continue;
		for (int i = 0; i < n; i++) {
			const struct ini_entry *e = ini_find(&doc, s, names[i]);
			if (e && *e->value)
				values[i] = rstr(r, e->value);
		}
		break;
	}
	ini_doc_release(&doc);
	arena_release(&scratch);
	sb_release(&buf);
}

int report_actions(struct report *r, const struct book *b, const struct record *c,
		   struct raction **out)
{
	const struct rval *acts = rec_val(c, book_field(b, K_CONTACT, "actions"));
	struct raction *v = NULL;
	size_t n = 0, alloc = 0;

	*out = NULL;
	if (!acts)
		return 0;
	for (const char *s = acts->value; *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		struct action a;

		if (len && !action_parse(s, len, &a)) {
			char *owner = xstrndup(a.owner, a.owner_len);
			const struct staff *st = config_staff(&b->cfg, owner);
			ALLOC_GROW(v, n + 1, alloc);
			v[n].due = a.due;
			v[n].owner = st ? st->id : rstr(r, owner);
			v[n].text = arena_strndup(&r->arena, s + a.text_off, len - a.text_off);
			v[n].done = a.done;
			n++;
			free(owner);
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	*out = v;
	return (int)n;
}

void report_workdays(struct report *r, const struct book *b, int first, int last)
{
	struct strbuf sb = STRBUF_INIT;
	int n = 0;

	for (int d = first; d <= last; d++)
		n += cal_is_working_day(&b->cal, d);
	sb_addf(&sb, "%d", n);
	for (size_t i = 0; i < b->cal.nholidays; i++) {
		const struct holiday *h = &b->cal.holidays[i];
		if (h->last < first || h->first > last)
			continue;
		sb_addf(&sb, " (%s %s%s%s)", h->name, rdate_short(r, h->first),
			r->zh ? "至" : " to ", rdate_short(r, h->last));
	}
	report_fact(r, NULL, "workdays", sb.buf, rprintf(r, "%d", n));
	sb_release(&sb);
}

static int cmp_rec_id(const void *a, const void *b)
{
	const struct record *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

void rclients_init(struct rclients *cs, const struct book *b, const struct report_opts *o)
{
	const struct record **v = xmalloc(sizeof(*v) * (b->nrecs + 1));
	size_t n = 0;

	memset(cs, 0, sizeof(*cs));
	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].kind == K_CLIENT && report_client_matches(b, &b->recs[i], o))
			v[n++] = &b->recs[i];
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_rec_id);
	cs->v = xcalloc(n + 1, sizeof(*cs->v));
	for (size_t i = 0; i < n; i++) {
		cs->v[i].c = v[i];
		strmap_put(&cs->by_id, v[i]->id, &cs->v[i]);
	}
	cs->n = n;
	free(v);
}

struct rclient *rclients_get(struct rclients *cs, const char *id)
{
	return id ? strmap_get(&cs->by_id, id) : NULL;
}

struct rclient *rclients_for(struct rclients *cs, const struct book *b, const struct record *rec)
{
	if (rec->kind != K_JOB && rec->kind != K_CONTACT && rec->kind != K_MEETING)
		return NULL;
	return rclients_get(cs, rec_field(b, rec, "client"));
}

void rclients_release(struct rclients *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->v[i].jobs);
		free(cs->v[i].contacts);
		free(cs->v[i].meetings);
		free(cs->v[i].actions);
		free(cs->v[i].items);
	}
	free(cs->v);
	strmap_release(&cs->by_id);
	memset(cs, 0, sizeof(*cs));
}

void rclient_add_job(struct rclient *c, const struct rjob *j)
{
	ALLOC_GROW(c->jobs, c->njobs + 1, c->ajobs);
	c->jobs[c->njobs++] = *j;
}

void rclient_add_rec(const struct record ***list, size_t *n, size_t *alloc,
		     const struct record *r)
{
	ALLOC_GROW(*list, *n + 1, *alloc);
	(*list)[(*n)++] = r;
}

void rclient_add_item(struct rclient *c, const struct due_item *it)
{
	ALLOC_GROW(c->items, c->nitems + 1, c->aitems);
	c->items[c->nitems++] = it;
}

struct open_action {
	struct raction a;
	const struct record *c;
	int k;
};

static int cmp_open_action(const void *pa, const void *pb)
{
	const struct open_action *a = pa, *b = pb;
	int c;

	if (a->a.due != b->a.due)
		return a->a.due < b->a.due ? -1 : 1;
	if ((c = strcmp(a->c->id, b->c->id)))
		return c;
	return a->k - b->k;
}

void report_action_table(struct report *r, struct rsection *s, const struct book *b,
			 struct rclient *c, const char *key, int from, int until,
			 int late_before)
{
	struct open_action *v = NULL;
	size_t n = 0, alloc = 0;
	struct rtable *t;

	for (size_t i = 0; i < c->nactions; i++) {
		struct raction *acts;
		int na = report_actions(r, b, c->actions[i], &acts);
		for (int k = 0; k < na; k++) {
			if (acts[k].done || acts[k].due < from || (until >= 0 && acts[k].due > until))
				continue;
			ALLOC_GROW(v, n + 1, alloc);
			v[n].a = acts[k];
			v[n].c = c->actions[i];
			v[n].k = k;
			n++;
		}
		free(acts);
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_open_action);
	t = report_table(r, s, key, NULL,
			 late_before >= 0 ? "due:d owner what contact late" : "due:d owner what contact");
	t->counted = 1;
	for (size_t i = 0; i < n; i++) {
		rt_day(r, t, v[i].a.due);
		rt_cell(r, t, staff_label(b, v[i].a.owner), v[i].a.owner);
		rt_text(r, t, v[i].a.text);
		rt_text(r, t, v[i].c->id);
		if (late_before >= 0)
			rt_cell(r, t, v[i].a.due < late_before ? rlabel(r, "late") : "",
				v[i].a.due < late_before ? "late" : "");
	}
	free(v);
}

void report_client_facts(struct report *r, struct rsection *s, const struct book *b,
			 const struct record *c)
{
	const char *ae = rec_field(b, c, "ae"), *am = rec_field(b, c, "am");

	report_fact(r, s, "code", c->id, NULL);
	if (ae)
		report_fact(r, s, "ae", staff_label(b, ae), ae);
	if (am)
		report_fact(r, s, "am", staff_label(b, am), am);
}

int report_cmp_job(const void *a, const void *b)
{
	return strcmp(((const struct rjob *)a)->id, ((const struct rjob *)b)->id);
}

int report_cmp_by_time(const void *a, const void *b, void *book)
{
	const struct record *x = *(const struct record *const *)a;
	const struct record *y = *(const struct record *const *)b;
	const char *f = x->kind == K_MEETING ? "when" : "held";
	moment_t mx = rec_moment(book, x, f), my = rec_moment(book, y, f);

	if (mx != my)
		return mx < my ? -1 : 1;
	return strcmp(x->id, y->id);
}
