/* rules_client.c -- client codes (REC-2) and owners (ORG-1); see rules.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rules.h"

struct yearseq {
	int year, seq;
	const struct record *r;
};

static int cmp_yearseq(const void *pa, const void *pb)
{
	const struct yearseq *a = pa, *b = pb;

	if (a->year != b->year)
		return a->year - b->year;
	if (a->seq != b->seq)
		return a->seq - b->seq;
	return strcmp(a->r->path, b->r->path);
}

static void check_owner_rank(struct book *b, const struct record *r,
			     const char *field, const enum rank *ok, int nok,
			     const char *want)
{
	const struct rval *v = rec_val(r, book_field(b, K_CLIENT, field));
	const struct staff *st = v ? config_staff(&b->cfg, rval_text(v)) : NULL;

	if (!st)
		return;
	for (int i = 0; i < nok; i++)
		if (st->rank == ok[i])
			return;
	rval_diag(DIAG_WARNING, r->path, v, "ORG-1",
		"'%s' is %s, whose rank is %s; the %s of a client is %s", field,
		st->id, rank_names[st->rank], field, want);
}

/* Whether word is an item of a list value ("a, b、c"). */
static int list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n) {
		int start = p == list || p[-1] == ',' || p[-1] == ' ' || p[-1] == '\n' ||
			    (p - list >= 3 && (!memcmp(p - 3, "，", 3) || !memcmp(p - 3, "、", 3)));
		int end = !p[n] || p[n] == ',' || p[n] == ' ' || p[n] == '\n' ||
			  !strncmp(p + n, "，", 3) || !strncmp(p + n, "、", 3);
		if (start && end)
			return 1;
	}
	return 0;
}

int rules_handover_missing(const struct book *b, const struct record *r, struct strbuf *missing)
{
	int f = book_field(b, K_CLIENT, "handover_docs");
	const struct fieldspec *fd = f >= 0 ? &b->fmts.kinds[K_CLIENT].fields[f] : NULL;
	const char *docs = rec_str(r, f);
	int n = 0;

	for (int i = 0; fd && i < fd->nvalues; i++)
		if (!docs || !list_has(docs, fd->values[i])) {
			sb_addf(missing, "%s%s", n ? ", " : "", fd->values[i]);
			n++;
		}
	return n;
}

/* DUE-12: after-sales counts from the day every document is in; DUE-14:
 * the note to Finance names the unpaid and invoiced amounts. */
static void check_aftersales(struct book *b, const struct record *r)
{
	struct strbuf missing = STRBUF_INIT;
	const char *st = rec_str(r, book_field(b, K_CLIENT, "status"));
	int line, col;

	if (rec_val(r, book_field(b, K_CLIENT, "handover_complete")) &&
	    rules_handover_missing(b, r, &missing)) {
		field_pos(b, r, "handover_complete", &line, &col);
		diag_at(DIAG_WARNING, r->path, line, col, "DUE-12",
			"'handover_complete' is set but 'handover_docs' lacks %s; after-sales cannot take over until every document is in",
			missing.buf);
	}
	sb_release(&missing);
	if (st && !strcmp(st, "ended") && rec_val(r, book_field(b, K_CLIENT, "contract_end"))) {
		int unpaid = rec_val(r, book_field(b, K_CLIENT, "unpaid")) != NULL;
		int invoiced = rec_val(r, book_field(b, K_CLIENT, "invoiced")) != NULL;
		if (unpaid && invoiced)
			return;
		field_pos(b, r, "contract_end", &line, &col);
		diag_at(DIAG_WARNING, r->path, line, col, "DUE-14",
			"the contract has ended but %s missing; the note to Finance states the unpaid fees and the invoiced amount",
			!unpaid && !invoiced ? "'unpaid' and 'invoiced' are" : !unpaid ? "'unpaid' is" : "'invoiced' is");
	}
}

void rules_client(struct book *b)
{
	int f_first = book_field(b, K_CLIENT, "first_contact");
	struct yearseq *ys = xmalloc(sizeof(*ys) * (b->nrecs + 1));
	size_t n = 0;
	static const enum rank ae_ok[] = { RANK_AAE, RANK_AE, RANK_AM };
	static const enum rank am_ok[] = { RANK_AM };
	static const enum rank ad_ok[] = { RANK_AD };

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		char ym[16], seq[16];
		const struct rval *first;
		int line, col, year;

		if (r->kind != K_CLIENT)
			continue;
		check_owner_rank(b, r, "ae", ae_ok, 3, "an AE (or AAE/AM)");
		check_owner_rank(b, r, "am", am_ok, 1, "an AM");
		check_owner_rank(b, r, "ad", ad_ok, 1, "an AD");
		check_aftersales(b, r);
		if (!id_group(b, r, "yyyymm", ym, sizeof(ym)) || strlen(ym) != 6 ||
		    !id_group(b, r, "seq", seq, sizeof(seq)))
			continue;
		year = (ym[0] - '0') * 1000 + (ym[1] - '0') * 100 + (ym[2] - '0') * 10 + (ym[3] - '0');
		if (ym[4] > '1' || (ym[4] == '0' && ym[5] == '0') || (ym[4] == '1' && ym[5] > '2')) {
			diag_at(DIAG_ERROR, r->path, r->line, 1, "REC-2",
				"client code '%s' has no month %.2s; the first-contact month is YYYYMM with a zero-padded month",
				r->id, ym + 4);
			continue;
		}
		first = rec_val(r, f_first);
		if (first && strlen(rval_text(first)) == 10 &&
		    (memcmp(rval_text(first), ym, 4) || memcmp(rval_text(first) + 5, ym + 4, 2))) {
			field_pos(b, r, "first_contact", &line, &col);
			diag_at(DIAG_ERROR, r->path, line, col, "REC-2",
				"first contact %s is not in %.4s-%.2s, the month in the client code '%s'",
				rval_text(first), ym, ym + 4, r->id);
		}
		if (!strcmp(seq, "000")) {
			diag_at(DIAG_ERROR, r->path, r->line, 1, "REC-2",
				"client code '%s' has number 000; numbers within a year start at 001", r->id);
			continue;
		}
		ys[n].year = year;
		ys[n].seq = (seq[0] - '0') * 100 + (seq[1] - '0') * 10 + (seq[2] - '0');
		ys[n].r = r;
		n++;
	}
	/* the yearly number is unique within the year of first contact */
	qsort(ys, n, sizeof(*ys), cmp_yearseq);
	for (size_t i = 1; i < n; i++) {
		if (ys[i].year != ys[i - 1].year || ys[i].seq != ys[i - 1].seq ||
		    !strcmp(ys[i].r->id, ys[i - 1].r->id))
			continue;
		diag_at(DIAG_ERROR, ys[i].r->path, ys[i].r->line, 1, "REC-2",
			"client number %03d of %d is already taken by '%s'; each client first contacted in a year gets its own number",
			ys[i].seq, ys[i].year, ys[i - 1].r->id);
	}
	free(ys);
}
