/* due_approval.c -- what waits for someone's approval; see due.h.
 *   ORG-3  a letter to a client, before it is sent: its AM or AD approves
 *   ORG-4  the monthly report and the annual brand review: the client's
 *          AM reviews them; the brand review then goes to its AD, and,
 *          approved, from its author to the client ('sent brand')
 * Each waits review_days working days ([rules], default 1) from the day
 * it was put up (written, submitted, reviewed): its reviewer sees it in
 * 'ae due', done by 'ae approve'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "due.h"
#include "rules.h"

static moment_t review_due(struct due_ctx *dc, moment_t from)
{
	return due_end_of(dc, cal_add_days(dc->cal, day_of_moment(from),
					   (int)due_param(dc, "review_days", 1)));
}

static void letter(struct due_ctx *dc, const struct record *r)
{
	struct book *b = dc->b;
	const char *cl = rec_field(b, r, "client"), *subject = rec_field(b, r, "subject");
	const struct record *c = cl ? book_record(b, K_CLIENT, cl) : NULL;
	const struct staff *who = c ? client_boss(b, c, RANK_AM) : NULL;
	moment_t written = rec_moment(b, r, "written");
	const char *name = c ? rec_field(b, c, "name") : NULL;

	if (!c || !written || written > dc->now || rec_field(b, r, "approved_by") ||
	    rec_field(b, r, "sent_at"))
		return;
	if (!who || (rec_field(b, r, "author") && !strcmp(who->id, rec_field(b, r, "author"))))
		who = client_boss(b, c, RANK_AD);
	due_add(dc, review_due(dc, written), "ORG-3", who ? who->id : rec_field(b, r, "author"), cl,
		r->path, r->line, "ORG-3", "%s %s → %s: %s", L(dc, "审批函件", "approve the letter"), r->id,
		name ? name : cl, subject ? subject : "");
}

static void review(struct due_ctx *dc, const struct record *r)
{
	struct book *b = dc->b;
	const char *cl = rec_field(b, r, "client"), *report = rec_field(b, r, "report");
	const char *period = rec_field(b, r, "period");
	const struct record *c = cl ? book_record(b, K_CLIENT, cl) : NULL;
	moment_t submitted = rec_moment(b, r, "submitted"), reviewed = rec_moment(b, r, "reviewed_at");
	moment_t approved = rec_moment(b, r, "approved_at");
	const char *name = c ? rec_field(b, c, "name") : NULL;
	int brand = report && !strcmp(report, "brand");
	const char *what = brand ? L(dc, "年度品牌回顾", "annual brand review") :
			   L(dc, "月报", "monthly report");
	const struct staff *who;

	if (!c || !submitted || submitted > dc->now)
		return;
	if (!rec_field(b, r, "reviewed_by")) {
		who = client_boss(b, c, RANK_AM);
		due_add(dc, review_due(dc, submitted), "ORG-4", who ? who->id : NULL, cl, r->path, r->line,
			"ORG-4/review", "%s%s %s: %s %s (ae approve %s)", L(dc, "审核", "review the "), what,
			r->id, name ? name : cl, period ? period : "", r->id);
		return;
	}
	if (!brand || !reviewed)
		return;
	if (!rec_field(b, r, "approved_by")) {
		who = client_boss(b, c, RANK_AD);
		due_add(dc, review_due(dc, reviewed), "ORG-4", who ? who->id : NULL, cl, r->path, r->line,
			"ORG-4/approve", "%s %s %s %s (%s)", L(dc, "批准年度品牌回顾", "approve the annual brand review"),
			r->id, name ? name : cl, period ? period : "",
			L(dc, "客户经理已审核", "reviewed by the AM"));
		return;
	}
	/* approved: the AE takes it to the client ('sent brand CLIENT') */
	if (approved && due_last(dc, c, EV_BRAND) < approved)
		due_add(dc, review_due(dc, approved), "ORG-4", rec_field(b, r, "author"), cl, r->path,
			r->line, "ORG-4/send", "%s %s %s %s (%s)",
			L(dc, "把已批准的年度品牌回顾发给客户", "send the approved annual brand review to"),
			name ? name : cl, period ? period : "", r->id,
			L(dc, "日志记 'sent brand'", "write 'sent brand' in the journal"));
}

void due_approval_rules(struct due_ctx *dc)
{
	struct book *b = dc->b;

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];

		if (r->bad)
			continue;
		if (r->kind == K_LETTER)
			letter(dc, r);
		else if (r->kind == K_REVIEW)
			review(dc, r);
	}
}
