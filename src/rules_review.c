/*
 * rules_review.c -- the monthly report and the annual brand review pass
 * the client's AM (and the brand review then its AD) before they go to
 * the client (ORG-4).  See rules.h.
 */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "rules.h"

int may_review(const struct book *b, const struct record *c, const char *author,
	       const char *who, enum rank want)
{
	const struct staff *boss = c ? client_boss(b, c, want) : NULL;

	return who && boss && !strcmp(boss->id, who) && (!author || strcmp(author, who));
}

void rules_review(struct book *b)
{
	int f_client = book_field(b, K_REVIEW, "client"), f_author = book_field(b, K_REVIEW, "author");
	int f_rby = book_field(b, K_REVIEW, "reviewed_by"), f_rat = book_field(b, K_REVIEW, "reviewed_at");
	int f_aby = book_field(b, K_REVIEW, "approved_by"), f_aat = book_field(b, K_REVIEW, "approved_at");
	struct strbuf who = STRBUF_INIT;

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i], *c;
		const struct rval *rby, *aby;
		const char *cid, *author;

		if (r->kind != K_REVIEW || r->stub)
			continue;
		cid = rec_str(r, f_client);
		author = rec_str(r, f_author);
		c = cid ? book_record(b, K_CLIENT, cid) : NULL;
		rby = rec_val(r, f_rby);
		aby = rec_val(r, f_aby);
		rules_pair(r, rby, rec_val(r, f_rat), "reviewed_by", "reviewed_at", "ORG-4");
		rules_pair(r, aby, rec_val(r, f_aat), "approved_by", "approved_at", "ORG-4");
		if (!c || c->stub)
			continue;
		if (rby) {
			const struct staff *am = client_boss(b, c, RANK_AM);
			sb_reset(&who);
			sb_addf(&who, am ? "the AM of %s, %s, reviews the report" :
				"%s names no AM, and none is up its AE's chain", cid, am ? am->id : "");
			rules_approver(b, r, rby, author, RANK_AM, may_review(b, c, author, rval_text(rby), RANK_AM),
				       who.buf, 0, "ORG-4");
		}
		if (aby && !rby) {
			rval_diag(DIAG_ERROR, r->path, aby, "ORG-4",
				"approved before the AM's review: the review goes AE -> AM -> AD -> client");
		} else if (aby) {
			const struct staff *ad = client_boss(b, c, RANK_AD);
			sb_reset(&who);
			sb_addf(&who, ad ? "the AD of %s, %s, approves it after the AM's review" :
				"%s names no AD, and none is up its AE's chain", cid, ad ? ad->id : "");
			rules_approver(b, r, aby, author, RANK_AD, may_review(b, c, author, rval_text(aby), RANK_AD),
				       who.buf, 0, "ORG-4");
		}
	}
	sb_release(&who);
}
