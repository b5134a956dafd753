/*
 * rules_letter.c -- letters and fax letters to a client go out only once
 * the client's AM or AD has approved them (ORG-3).  See rules.h.
 */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "rules.h"

/* "wang.fang (AM) or zhang.wei (AD)": who may approve for client c. */
void letter_approvers(const struct book *b, const struct record *c, struct strbuf *out)
{
	const struct staff *am = c ? client_boss(b, c, RANK_AM) : NULL;
	const struct staff *ad = c ? client_boss(b, c, RANK_AD) : NULL;

	if (am)
		sb_addf(out, "%s (AM)", am->id);
	if (am && ad)
		sb_addstr(out, " or ");
	if (ad)
		sb_addf(out, "%s (AD)", ad->id);
	if (!am && !ad)
		sb_addstr(out, "nobody: the client names no AM or AD, and none is up its AE's chain");
}

int may_approve_letter(const struct book *b, const struct record *c, const char *author,
		       const char *who)
{
	const struct staff *am = c ? client_boss(b, c, RANK_AM) : NULL;
	const struct staff *ad = c ? client_boss(b, c, RANK_AD) : NULL;

	if (!who || (author && !strcmp(author, who)))
		return 0;
	return (am && !strcmp(am->id, who)) || (ad && !strcmp(ad->id, who));
}

void rules_approver(const struct book *b, const struct record *r, const struct rval *by,
		    const char *author, enum rank least, int is_theirs, const char *theirs,
		    int live, const char *rule)
{
	const struct staff *st = config_staff(&b->cfg, rval_text(by));

	if (!st || is_theirs)
		return;
	if (author && !strcmp(author, rval_text(by)))
		rval_diag(DIAG_ERROR, r->path, by, rule,
			"%s approves their own %s; the approval is someone else's: %s",
			rval_text(by), kind_names[r->kind], theirs);
	else if (rank_level(st->rank) < rank_level(least))
		rval_diag(DIAG_ERROR, r->path, by, rule,
			"%s is %s; this approval is given at rank %s or above: %s",
			rval_text(by), rank_names[st->rank], rank_names[least], theirs);
	else
		/* the client's owners in its file now; an approval acted on
		 * (the letter sent) was given then */
		rval_diag(live ? DIAG_ERROR : DIAG_WARNING, r->path, by, rule,
			"%s is not the one the client's file names for this approval: %s",
			rval_text(by), theirs);
}

/* A staff field and its moment go together: 'ae approve' writes both. */
void rules_pair(const struct record *r, const struct rval *who, const struct rval *at,
		const char *who_name, const char *at_name, const char *rule)
{
	if (who && !at)
		rval_diag(DIAG_ERROR, r->path, who, rule,
			"'%s' without '%s': when was it given? ('ae approve %s' writes both)",
			who_name, at_name, r->id);
	else if (at && !who)
		rval_diag(DIAG_ERROR, r->path, at, rule,
			"'%s' without '%s': whose approval was it?", at_name, who_name);
}

void rules_letter(struct book *b)
{
	int f_client = book_field(b, K_LETTER, "client"), f_author = book_field(b, K_LETTER, "author");
	int f_by = book_field(b, K_LETTER, "approved_by"), f_at = book_field(b, K_LETTER, "approved_at");
	int f_sent = book_field(b, K_LETTER, "sent_at");

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i], *c;
		const struct rval *by, *sent;
		const char *cid;
		struct strbuf who = STRBUF_INIT;

		if (r->kind != K_LETTER || r->stub)
			continue;
		cid = rec_str(r, f_client);
		c = cid ? book_record(b, K_CLIENT, cid) : NULL;
		by = rec_val(r, f_by);
		sent = rec_val(r, f_sent);
		rules_pair(r, by, rec_val(r, f_at), "approved_by", "approved_at", "ORG-3");
		if (c && !c->stub)
			letter_approvers(b, c, &who);
		if (by && c && !c->stub)
			rules_approver(b, r, by, rec_str(r, f_author), RANK_AM,
				       may_approve_letter(b, c, rec_str(r, f_author), rval_text(by)), who.buf, !sent,
				       "ORG-3");
		if (sent && !by)
			rval_diag(DIAG_ERROR, r->path, sent, "ORG-3",
				"sent without approval: a letter goes to the client only once its AM or AD has approved it ('ae approve %s', run by %s)",
				r->id, who.len ? who.buf : "the client's AM or AD");
		sb_release(&who);
	}
}
