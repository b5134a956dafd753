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
	    strategy_agreed, internal_due, client_due;
};

/* A ticket's times, each parsed once for the rules below. */
struct jt {
	const struct recvals *rv;	/* the ticket's values */
	const char *op, *cd;		/* opened, client_due: the text, or NULL */
	int op_ok, cd_ok;		/* parsed */
	moment_t opened, due;
};

static void check_revision(struct book *b, const struct jf *f, const struct jt *t,
			   const struct record *r, const char *rev)
{
	const char *form = rv_str(t->rv, f->form);
	const struct rval *parent = rv_val(t->rv, f->parent);
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
	if (!parent || !(p = book_record(b, K_JOB, rval_text(parent))))
		return;
	if (rec_str(p, f->form) && !strcmp(rec_str(p, f->form), "revision")) {
		rval_diag(DIAG_ERROR, r->path, parent, "REC-3",
			"'%s' is itself a revision; a revision ticket points at the original ticket",
			p->id);
		return;
	}
	{
		size_t n = strlen(p->id);
		if (rev[0] && (strncmp(r->id, p->id, n) || strncmp(r->id + n, "-R", 2)))
			rval_diag(DIAG_ERROR, r->path, parent, "REC-3",
				"revision '%s' must be numbered after its original '%s' (as %s-R%s)",
				r->id, p->id, p->id, rev);
	}
	{
		const char *c1 = rv_str(t->rv, f->client), *c2 = rec_str(p, f->client);
		if (c1 && c2 && strcmp(c1, c2))
			rval_diag(DIAG_ERROR, r->path, parent, "REC-3",
				"original '%s' is for client '%s', not '%s'; a revision belongs to its original's client",
				p->id, c2, c1);
	}
}

static void check_strategy(struct book *b, const struct jf *f, const struct jt *t,
			   const struct record *r)
{
	const struct rval *work = rv_val(t->rv, f->work);
	const char *cid;
	const struct record *c;
	const char *strategy, *agreed, *opened;

	if (!work || strcmp(rval_text(work), "creative") || !(cid = rv_str(t->rv, f->client)) ||
	    !(c = book_record(b, K_CLIENT, cid)))
		return;
	strategy = rec_str(c, f->strategy);
	if (strategy && strcmp(strategy, "agreed")) {
		rval_diag(DIAG_ERROR, r->path, work, "JOB-4",
			"creative work for '%s', whose strategy is '%s': never start creative work for a client without an agreed strategy",
			c->id, strategy);
		return;
	}
	agreed = rec_str(c, f->strategy_agreed);
	opened = rv_str(t->rv, f->opened);
	if (agreed && opened && strlen(opened) >= 10 && strncmp(agreed, opened, 10) > 0)
		rval_diag(DIAG_ERROR, r->path, work, "JOB-4",
			"this creative ticket was opened %.10s, before the strategy of '%s' was agreed (%s)",
			opened, c->id, agreed);
}

/* JOB-3: the internal deadline comes before the client's time. */
static void check_internal_due(const struct jf *f, const struct jt *t, const struct record *r)
{
	const struct rval *in = rv_val(t->rv, f->internal_due);
	moment_t a;

	if (!t->cd_ok)
		return;
	if (t->op_ok && t->due <= t->opened) {
		const struct rval *v = rv_val(t->rv, f->client_due);
		rval_diag(DIAG_ERROR, r->path, v, "JOB-2",
			"the client's time %s is not after the ticket was opened (%s)", t->cd, t->op);
	}
	/* both as YYYY-MM-DD HH:MM, the text's order is the times' (a value
	 * of another shape does not parse): most are before, and not parsed */
	if (!in || strcmp(rval_text(in), t->cd) <= 0 ||
	    parse_datetime(rval_text(in), strlen(rval_text(in)), &a) != DATE_OK)
		return;
	if (a > t->due)
		rval_diag(DIAG_ERROR, r->path, in, "JOB-3",
			"the internal deadline %s is after the client's time %s; aim half a day before it",
			rval_text(in), t->cd);
}

/* The least lead of each kind of work (min_lead_WORK), asked of ae.ini
 * once a part for each kind the tickets name (one a thread: no lock);
 * beyond 16 kinds, asked each time, into `one`. */
struct leads {
	struct lead {
		const char *work;
		long need;
		char key[48];
	} v[16], one;
	int n;
};

static const struct lead *lead_of(struct book *b, struct leads *l, const char *work)
{
	struct lead *e;

	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].work, work))
			return &l->v[i];
	e = l->n < (int)(sizeof(l->v) / sizeof(l->v[0])) ? &l->v[l->n++] : &l->one;
	e->work = work;
	snprintf(e->key, sizeof(e->key), "min_lead_%s", work);
	e->need = cal_param_minutes(&b->cal, &b->cfg, e->key, NULL, 0, 'd', 1);
	return e;
}

/*
 * JOB-2: never squeeze a deadline below the time the work needs: the
 * working time from opening to the client's time against the least lead
 * of the kind of work (min_lead_WORK), said when the ticket is opened.
 * A revision is a follow-up, not the kind's new work: it has no minimum.
 */
static void check_lead(struct book *b, const struct jf *f, const struct jt *t,
		       struct leads *l, const struct record *r)
{
	const char *work = rv_str(t->rv, f->work);
	const struct rval *cd = rv_val(t->rv, f->client_due);
	const struct lead *e;
	long have;

	if (!work || !t->op || !cd || rv_str(t->rv, f->parent) || !t->op_ok || !t->cd_ok ||
	    t->due <= t->opened)
		return;
	e = lead_of(b, l, work);
	if (e->need <= 0)
		return;
	have = cal_minutes_between(&b->cal, t->opened, t->due);
	if (have >= e->need)
		return;
	rval_diag(DIAG_WARNING, r->path, cd, "JOB-2",
		"only %.1f working days from opening (%s) to the client's time; %s work needs %g (%s): never squeeze a deadline below the time the work needs",
		(double)have / b->cal.minutes_per_day, t->op, work, (double)e->need / b->cal.minutes_per_day, e->key);
}

void rules_job(struct book *b, size_t from, size_t to)
{
	struct jf f;
	struct leads leads = { .n = 0 };
	int g_rev = id_group_number(b, K_JOB, "rev");
	struct recvals *rv = xcalloc(1, sizeof(*rv));

	f.client = book_field(b, K_JOB, "client");
	f.department = book_field(b, K_JOB, "department");
	f.issuer = book_field(b, K_JOB, "issuer");
	f.opened = book_field(b, K_JOB, "opened");
	f.form = book_field(b, K_JOB, "form");
	f.parent = book_field(b, K_JOB, "parent");
	f.work = book_field(b, K_JOB, "work");
	f.strategy = book_field(b, K_CLIENT, "strategy");
	f.strategy_agreed = book_field(b, K_CLIENT, "strategy_agreed");
	f.internal_due = book_field(b, K_JOB, "internal_due");
	f.client_due = book_field(b, K_JOB, "client_due");

	for (size_t i = from; i < to; i++) {
		const struct record *r = &b->recs[i];
		char rev[8] = "";
		struct jt t;
		struct idmatch m;

		if (r->kind != K_JOB || r->stub)
			continue;
		rv_load(rv, r);
		t.rv = rv;
		t.op = rv_str(rv, f.opened);
		t.cd = rv_str(rv, f.client_due);
		t.op_ok = t.op && parse_datetime(t.op, strlen(t.op), &t.opened) == DATE_OK;
		t.cd_ok = t.cd && parse_datetime(t.cd, strlen(t.cd), &t.due) == DATE_OK;
		check_strategy(b, &f, &t, r);
		check_internal_due(&f, &t, r);
		check_lead(b, &f, &t, &leads, r);
		if (!id_match(b, r, &m))
			continue;
		id_part(&m, g_rev, rev, sizeof(rev));
		check_revision(b, &f, &t, r, rev);
	}
	free(rv);
}
