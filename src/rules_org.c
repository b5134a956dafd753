/*
 * rules_org.c -- the hierarchy (ORG-1, ORG-2): reports_to runs up the
 * ranks, a client's AM manages its AE, spans of two to three; and who may
 * sign or approve what (REC-3, ORG-3, ORG-4), for the rules and for 'ae
 * sign' and 'ae approve'.  See rules.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rules.h"

int rank_level(enum rank r)
{
	switch (r) {
	case RANK_AAE: return 1;
	case RANK_AE: return 2;
	case RANK_AM: return 3;
	case RANK_AD: return 4;
	case RANK_ED: return 5;
	case RANK_GM: return 6;
	default: return 0;	/* finance and other staff: aside */
	}
}

/* The departments whose people climb the account ladder. */
static int on_ladder(const struct config *c, const struct staff *st)
{
	const struct dept *d = st->dept ? config_dept(c, st->dept) : NULL;

	return rank_level(st->rank) &&
	       (!d || !strcmp(d->kind, "account") || !strcmp(d->kind, "management"));
}

int may_sign(const struct config *c, const char *issuer, const char *who)
{
	const struct staff *st = config_staff(c, who);

	return st && issuer && strcmp(issuer, who) && rank_level(st->rank) >= rank_level(RANK_AM) &&
	       config_reports_to(c, issuer, who);
}

void sign_candidates(const struct config *c, const char *issuer, struct strbuf *out)
{
	size_t steps = 0;

	for (const char *who = issuer; who && steps++ <= c->nstaff;) {
		const struct staff *st = config_staff(c, who);
		if (!st)
			break;
		if (may_sign(c, issuer, st->id))
			sb_addf(out, "%s%s", out->len ? ", " : "", st->id);
		who = st->reports_to;
	}
}

const struct staff *client_boss(const struct book *b, const struct record *client, enum rank want)
{
	const char *named = rec_field_of(b, client, want == RANK_AD ? "ad" : "am");
	const char *ae = rec_field_of(b, client, "ae");
	const struct staff *st;
	size_t steps = 0;

	if (named)
		return config_staff(&b->cfg, named);
	/* none named: the first of that rank up the AE's chain (ORG-2) */
	for (st = ae ? config_staff(&b->cfg, ae) : NULL; st && steps++ <= b->cfg.nstaff;
	     st = st->reports_to ? config_staff(&b->cfg, st->reports_to) : NULL)
		if (st->rank == want && (!ae || strcmp(st->id, ae)))
			return st;
	return NULL;
}

const char *rec_field_of(const struct book *b, const struct record *r, const char *field)
{
	return r ? rec_str(r, book_field(b, r->kind, field)) : NULL;
}

/* ORG-1: each person of the account ladder reports to a higher rank. */
static void check_ladder(struct book *b)
{
	const struct config *c = &b->cfg;

	for (size_t i = 0; i < c->nstaff; i++) {
		const struct staff *st = &c->staff[i];
		const struct staff *boss = st->reports_to ? config_staff(c, st->reports_to) : NULL;

		/* a chain that leads back is config.c's error already */
		if (!boss || !on_ladder(c, st) || rank_level(boss->rank) > rank_level(st->rank) ||
		    config_reports_to(c, boss->id, st->id))
			continue;
		diag_at(DIAG_ERROR, c->path, st->reports_to_line, st->reports_to_col, "ORG-1",
			"%s (%s) reports to %s (%s); reports_to runs up the ranks AAE -> AE -> AM -> AD -> ED/GM",
			st->id, rank_names[st->rank], boss->id, rank_names[boss->rank]);
	}
}

/* ORG-1: an AM manages two to three AEs, an AD two to three AMs. */
static void check_spans(struct book *b)
{
	const struct config *c = &b->cfg;
	int most = (int)config_num(c, "max_span", 3);

	for (size_t i = 0; i < c->nstaff; i++) {
		const struct staff *boss = &c->staff[i];
		enum rank under = boss->rank == RANK_AM ? RANK_AE : boss->rank == RANK_AD ? RANK_AM : RANK__N;
		struct strbuf who = STRBUF_INIT;
		int n = 0;

		if (under == RANK__N)
			continue;
		for (size_t k = 0; k < c->nstaff; k++)
			if (c->staff[k].rank == under && c->staff[k].reports_to &&
			    !strcmp(c->staff[k].reports_to, boss->id)) {
				sb_addf(&who, "%s%s", n ? ", " : "", c->staff[k].id);
				n++;
			}
		if (n > most)
			diag_at(DIAG_WARNING, c->path, boss->line, 1, "ORG-1",
				"%s (%s) manages %d %ss (%s); the handbook's span is two to three (max_span = %d)",
				boss->id, rank_names[boss->rank], n, rank_names[under], who.buf, most);
		sb_release(&who);
	}
}

/* ORG-2: escalations go AE -> AM -> AD: the client's AM is the manager of
 * its AE, its AD the manager of its AM.  A client whose service ended
 * keeps the owners it had (a warning): ae.ini says who reports to whom
 * now. */
static void check_client_chain(struct book *b, const struct record *r)
{
	static const char *const pairs[][2] = { { "am", "ae" }, { "ad", "am" } };
	const char *status = rec_field_of(b, r, "status");
	int level = status && !strcmp(status, "ended") ? DIAG_WARNING : DIAG_ERROR;

	for (size_t p = 0; p < ARRAY_SIZE(pairs); p++) {
		const struct rval *boss = rec_val(r, book_field(b, K_CLIENT, pairs[p][0]));
		const char *under = rec_field_of(b, r, pairs[p][1]);

		if (!boss || !under || !config_staff(&b->cfg, rval_text(boss)) || !config_staff(&b->cfg, under))
			continue;
		if (strcmp(rval_text(boss), under) && config_reports_to(&b->cfg, under, rval_text(boss)))
			continue;
		rval_diag(level, r->path, boss, "ORG-2",
			"the client's %s %s is not up the reports_to chain of its %s %s; escalations go AE -> AM -> AD",
			pairs[p][0], rval_text(boss), pairs[p][1], under);
	}
}

void rules_org(struct book *b)
{
	check_ladder(b);
	check_spans(b);
	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].kind == K_CLIENT && !b->recs[i].stub)
			check_client_chain(b, &b->recs[i]);
}
