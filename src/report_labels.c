/* report_labels.c -- every label of every report in both languages, and
 * how each column may break in HTML; looked up by key.  See report.h. */
#include "report.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int rcol_wrap_of(const char *key)
{
	for (size_t k = 0; k < ARRAY_SIZE(wraps); k++)
		if (wraps[k].key[0] == key[0] && !strcmp(key, wraps[k].key))
			return wraps[k].wrap;
	return RW_TEXT;
}
