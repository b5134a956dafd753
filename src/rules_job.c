/* rules_job.c -- job numbers (JOBNO-1..5), revisions (REC-3), JOB-4 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "diag.h"
#include "rules.h"

struct jobnum {
	char dept[16], ym[8];
	int seq;
	moment_t opened;
	int renumbered;		/* the number was given by ae renumber, later */
	const struct record *r;
};

static int cmp_jobnum(const void *pa, const void *pb)
{
	const struct jobnum *a = pa, *b = pb;
	int c = strcmp(a->dept, b->dept);

	if (c)
		return c;
	if ((c = strcmp(a->ym, b->ym)))
		return c;
	if (a->seq != b->seq)
		return a->seq - b->seq;
	return strcmp(a->r->path, b->r->path);
}

struct jf {
	int client, department, issuer, opened, form, parent, work, strategy,
	    strategy_agreed, renumbered;
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

void rules_job(struct book *b)
{
	struct jf f;
	struct jobnum *jn = xmalloc(sizeof(*jn) * (b->nrecs + 1));
	size_t n = 0;

	f.client = book_field(b, K_JOB, "client");
	f.department = book_field(b, K_JOB, "department");
	f.issuer = book_field(b, K_JOB, "issuer");
	f.opened = book_field(b, K_JOB, "opened");
	f.form = book_field(b, K_JOB, "form");
	f.parent = book_field(b, K_JOB, "parent");
	f.work = book_field(b, K_JOB, "work");
	f.strategy = book_field(b, K_CLIENT, "strategy");
	f.strategy_agreed = book_field(b, K_CLIENT, "strategy_agreed");
	f.renumbered = book_field(b, K_JOB, "renumbered_from");

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		char dept[16], ym[8] = "", seq[8], rev[8] = "";
		const struct rval *v;
		int line, col;

		/* a record known by name only can clash with a changed one only by
		 * having the same identifier, which rules.c reports */
		if (r->kind != K_JOB || r->stub)
			continue;
		check_strategy(b, &f, r);
		check_internal_due(b, r);
		if (!id_group(b, r, "dept", dept, sizeof(dept)) ||
		    !id_group(b, r, "seq", seq, sizeof(seq)))
			continue;
		if (!id_group(b, r, "yymm", ym, sizeof(ym)) && id_group(b, r, "yyyymm", ym, sizeof(ym)))
			memmove(ym, ym + 2, 5);
		id_group(b, r, "rev", rev, sizeof(rev));
		check_revision(b, &f, r, rev);

		/* JOBNO-4: each department numbers on its own */
		if ((v = rec_val(r, f.department)) && strcmp(v->value, dept))
			diag_at(DIAG_ERROR, r->path, v->line, v->col, "JOBNO-4",
				"job number '%s' belongs to department %s, but the ticket's department is %s",
				r->id, dept, v->value);
		else if (!config_dept(&b->cfg, dept))
			diag_at(DIAG_ERROR, r->path, r->line, 1, "JOBNO-4",
				"job number '%s' starts with %s, which is not a department in ae.ini",
				r->id, dept);
		/* JOBNO-5: the issuer is named and known (validate); of that department */
		if ((v = rec_val(r, f.issuer)) && config_dept(&b->cfg, dept)) {
			const struct staff *st = config_staff(&b->cfg, v->value);
			if (st && st->dept && strcmp(st->dept, dept))
				diag_at(DIAG_WARNING, r->path, v->line, v->col, "JOBNO-5",
					"issuer %s is in department %s, but the ticket is numbered for %s",
					st->id, st->dept, dept);
		}
		/* JOBNO-2: the number contains the month it was opened */
		if ((v = rec_val(r, f.opened)) && strlen(v->value) == 16 && ym[0] && !rev[0] &&
		    parse_datetime(v->value, 16, &(moment_t){0}) == DATE_OK &&
		    (memcmp(v->value + 2, ym, 2) || memcmp(v->value + 5, ym + 2, 2))) {
			field_pos(b, r, "opened", &line, &col);
			diag_at(DIAG_ERROR, r->path, line, col, "JOBNO-2",
				"opened %.7s, but the job number '%s' says 20%.2s-%.2s; the number carries the month the ticket was opened",
				v->value, r->id, ym, ym + 2);
		}
		if (!strcmp(seq, "00")) {
			diag_at(DIAG_ERROR, r->path, r->line, 1, "JOBNO-3",
				"job number '%s' has sequence 00; each month's numbers start at 01", r->id);
			continue;
		}
		if (rev[0])
			continue;	/* a revision shares its original's number */
		snprintf(jn[n].dept, sizeof(jn[n].dept), "%s", dept);
		snprintf(jn[n].ym, sizeof(jn[n].ym), "%s", ym);
		jn[n].seq = atoi(seq);
		jn[n].opened = 0;
		if (v && strlen(v->value) == 16)
			parse_datetime(v->value, 16, &jn[n].opened);
		jn[n].renumbered = rec_str(r, f.renumbered) != NULL;
		jn[n].r = r;
		n++;
	}
	/* JOBNO-1/3: within a department and month, numbers are unique and in
	 * the order the tickets were opened */
	qsort(jn, n, sizeof(*jn), cmp_jobnum);
	for (size_t i = 1; i < n; i++) {
		const struct jobnum *a = &jn[i - 1], *c = &jn[i];
		if (strcmp(a->dept, c->dept) || strcmp(a->ym, c->ym))
			continue;
		if (a->seq == c->seq && !strcmp(a->r->id, c->r->id))
			continue;	/* the same identifier: reported by rules.c */
		if (a->seq == c->seq)
			diag_at(DIAG_ERROR, c->r->path, c->r->line, 1, "JOBNO-1",
				"job number %s-%s-%02d is given twice: here and in '%s'; a number is never duplicated",
				c->dept, c->ym, c->seq, a->r->path);
		else if (a->opened && c->opened && c->opened < a->opened &&
			 !a->renumbered && !c->renumbered)	/* numbered later, by a renumber */
			diag_at(DIAG_WARNING, c->r->path, c->r->line, 1, "JOBNO-3",
				"'%s' was opened before '%s' but has the higher number; numbers follow the order tickets are opened",
				c->r->id, a->r->id);
	}
	free(jn);
}
