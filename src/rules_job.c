/* rules_job.c -- revision tickets (REC-3), no creative work without an
 * agreed strategy (JOB-4), the deadlines of a ticket (JOB-2, JOB-3); see
 * rules.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "diag.h"
#include "calendar.h"
#include "rules.h"

struct jf {
	int client, department, issuer, opened, form, parent, work, strategy,
	    strategy_agreed;
};

static void check_revision(struct book *b, const struct jf *f, const struct record *r,
			   const char *rev)
{
	const char *form = rec_str(r, f->form);
	const struct rval *parent = rec_val(r, f->parent);
	const struct record *p;
	int line, col;

	if (rev[0] && form && strcmp(form, "revision")) {
		field_pos(b, r, "form", &line, &col);
		diag_at(DIAG_ERROR, r->path, line, col, "REC-3",
			"'%s' is numbered as a revision (-R%s) but its form is '%s'; set form = revision",
			r->id, rev, form);
	}
	if (!rev[0] && form && !strcmp(form, "revision")) {
		field_pos(b, r, "form", &line, &col);
		diag_at(DIAG_ERROR, r->path, line, col, "REC-3",
			"a revision ticket is numbered after its original with -R1, -R2 ...; '%s' is not",
			r->id);
	}
	if (!parent || !(p = book_record(b, K_JOB, parent->value)))
		return;
	if (rec_str(p, f->form) && !strcmp(rec_str(p, f->form), "revision")) {
		diag_at(DIAG_ERROR, r->path, parent->line, parent->col, "REC-3",
			"'%s' is itself a revision; a revision ticket points at the original ticket",
			p->id);
		return;
	}
	{
		size_t n = strlen(p->id);
		if (rev[0] && (strncmp(r->id, p->id, n) || strncmp(r->id + n, "-R", 2)))
			diag_at(DIAG_ERROR, r->path, parent->line, parent->col, "REC-3",
				"revision '%s' must be numbered after its original '%s' (as %s-R%s)",
				r->id, p->id, p->id, rev);
	}
	{
		const char *c1 = rec_str(r, f->client), *c2 = rec_str(p, f->client);
		if (c1 && c2 && strcmp(c1, c2))
			diag_at(DIAG_ERROR, r->path, parent->line, parent->col, "REC-3",
				"original '%s' is for client '%s', not '%s'; a revision belongs to its original's client",
				p->id, c2, c1);
	}
}

static void check_strategy(struct book *b, const struct jf *f, const struct record *r)
{
	const struct rval *work = rec_val(r, f->work);
	const char *cid = rec_str(r, f->client);
	const struct record *c = cid ? book_record(b, K_CLIENT, cid) : NULL;
	const char *strategy, *agreed, *opened;

	if (!work || strcmp(work->value, "creative") || !c)
		return;
	strategy = rec_str(c, f->strategy);
	if (strategy && strcmp(strategy, "agreed")) {
		diag_at(DIAG_ERROR, r->path, work->line, work->col, "JOB-4",
			"creative work for '%s', whose strategy is '%s': never start creative work for a client without an agreed strategy",
			c->id, strategy);
		return;
	}
	agreed = rec_str(c, f->strategy_agreed);
	opened = rec_str(r, f->opened);
	if (agreed && opened && strlen(opened) >= 10 && strncmp(agreed, opened, 10) > 0)
		diag_at(DIAG_ERROR, r->path, work->line, work->col, "JOB-4",
			"this creative ticket was opened %.10s, before the strategy of '%s' was agreed (%s)",
			opened, c->id, agreed);
}

/* JOB-3: the internal deadline comes before the client's time. */
static void check_internal_due(struct book *b, const struct record *r)
{
	const struct rval *in = rec_val(r, book_field(b, K_JOB, "internal_due"));
	const char *cd = rec_str(r, book_field(b, K_JOB, "client_due"));
	const char *op = rec_str(r, book_field(b, K_JOB, "opened"));
	moment_t a, c, o;

	if (!cd || parse_datetime(cd, strlen(cd), &c) != DATE_OK)
		return;
	if (op && parse_datetime(op, strlen(op), &o) == DATE_OK && c <= o) {
		const struct rval *v = rec_val(r, book_field(b, K_JOB, "client_due"));
		diag_at(DIAG_ERROR, r->path, v->line, v->col, "JOB-2",
			"the client's time %s is not after the ticket was opened (%s)", cd, op);
	}
	if (!in || parse_datetime(in->value, strlen(in->value), &a) != DATE_OK)
		return;
	if (a > c)
		diag_at(DIAG_ERROR, r->path, in->line, in->col, "JOB-3",
			"the internal deadline %s is after the client's time %s; aim half a day before it",
			in->value, cd);
}

/*
 * JOB-2: never squeeze a deadline below the time the work needs: the
 * working time from opening to the client's time against the least lead
 * of the kind of work (min_lead_WORK), said when the ticket is opened.
 * A revision is a follow-up, not the kind's new work: it has no minimum.
 */
static void check_lead(struct book *b, const struct record *r)
{
	const char *work = rec_field_of(b, r, "work"), *op = rec_field_of(b, r, "opened");
	const struct rval *cd = rec_val(r, book_field(b, K_JOB, "client_due"));
	moment_t opened, due;
	long need, have;
	char key[48];

	if (!work || !op || !cd || rec_field_of(b, r, "parent") ||
	    parse_datetime(op, strlen(op), &opened) != DATE_OK ||
	    parse_datetime(cd->value, strlen(cd->value), &due) != DATE_OK || due <= opened)
		return;
	snprintf(key, sizeof(key), "min_lead_%s", work);
	need = cal_param_minutes(&b->cal, &b->cfg, key, NULL, 0, 'd', 1);
	have = cal_minutes_between(&b->cal, opened, due);
	if (need <= 0 || have >= need)
		return;
	diag_at(DIAG_WARNING, r->path, cd->line, cd->col, "JOB-2",
		"only %.1f working days from opening (%s) to the client's time; %s work needs %g (%s): never squeeze a deadline below the time the work needs",
		(double)have / b->cal.minutes_per_day, op, work, (double)need / b->cal.minutes_per_day, key);
}

void rules_job(struct book *b)
{
	struct jf f;

	f.client = book_field(b, K_JOB, "client");
	f.department = book_field(b, K_JOB, "department");
	f.issuer = book_field(b, K_JOB, "issuer");
	f.opened = book_field(b, K_JOB, "opened");
	f.form = book_field(b, K_JOB, "form");
	f.parent = book_field(b, K_JOB, "parent");
	f.work = book_field(b, K_JOB, "work");
	f.strategy = book_field(b, K_CLIENT, "strategy");
	f.strategy_agreed = book_field(b, K_CLIENT, "strategy_agreed");

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		char rev[8] = "";

		if (r->kind != K_JOB || r->stub)
			continue;
		check_strategy(b, &f, r);
		check_internal_due(b, r);
		check_lead(b, r);
		if (!id_group(b, r, NULL, NULL, 0))
			continue;
		id_group_again(b, r, "rev", rev, sizeof(rev));
		check_revision(b, &f, r, rev);
	}
}
