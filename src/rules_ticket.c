/*
 * rules_ticket.c -- a job ticket's life: signed by the account supervisor
 * before work starts (REC-3), confirmed by the client before anything is
 * executed (JOB-7), closed out with its revisions (JOB-5).  See rules.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "diag.h"
#include "rules.h"

struct tf {
	int status, issuer, signed_by, signed_at, started, confirmed, delivered, parent, work;
};

static int past_open(const char *status)
{
	return status && (!strcmp(status, "in-progress") || !strcmp(status, "delivered") ||
			  !strcmp(status, "closed"));
}

/* The moment of a date-time or a date (its midnight) v, or 0. */
static moment_t moment_of(const char *v)
{
	moment_t m;
	int day;

	if (!v)
		return 0;
	if (parse_datetime(v, strlen(v), &m) == DATE_OK)
		return m;
	return parse_date(v, strlen(v), &day) == DATE_OK ? (moment_t)day * 1440 : 0;
}

/* REC-3: signed by the account supervisor, before work starts. */
/*
 * Whether a ticket issued by issuer and signed by who is to be told
 * (REC-3): both are staff of ae.ini and who may not sign it.  Asked of
 * ae.ini once a part for each pair (a book has about as many pairs as
 * staff, and 50,000 tickets).
 */
struct signers {
	struct pair {
		const char *issuer, *who;	/* NULL: a free slot */
		uint64_t h;
		int told;
	} v[512];
	size_t n;
};

static int sign_told(const struct config *c, struct signers *m, const char *issuer, const char *who)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t k, size = sizeof(m->v) / sizeof(m->v[0]);
	int told;

	for (const char *p = issuer; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	h = (h ^ 0xFF) * 0x100000001b3ULL;	/* no byte of UTF-8 text */
	for (const char *p = who; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	for (k = (size_t)(h ^ (h >> 32)) & (size - 1); m->v[k].issuer; k = (k + 1) & (size - 1))
		if (m->v[k].h == h && !strcmp(m->v[k].issuer, issuer) && !strcmp(m->v[k].who, who))
			return m->v[k].told;
	told = config_staff(c, issuer) && config_staff(c, who) && !may_sign(c, issuer, who);
	if (m->n < size / 2) {
		m->v[k].issuer = issuer;
		m->v[k].who = who;
		m->v[k].h = h;
		m->v[k].told = told;
		m->n++;
	}
	return told;
}

static void check_signature(struct book *b, const struct tf *f, struct signers *m,
			    const struct recvals *t, const struct rval *st, moment_t started)
{
	const struct record *r = t->r;
	const char *status = rval_text(st), *issuer = rv_str(t, f->issuer);
	const struct rval *sb = rv_val(t, f->signed_by);
	struct strbuf who = STRBUF_INIT;
	const struct staff *signer;
	moment_t at;

	if (!sb) {
		if (past_open(status))
			rval_diag(DIAG_ERROR, r->path, st, "REC-3",
				"'%s' is %s but not signed: the account supervisor signs a ticket before work starts ('ae sign %s', run by the supervisor)",
				r->id, status, r->id);
		return;
	}
	if (issuer && sign_told(&b->cfg, m, issuer, rval_text(sb))) {
		signer = config_staff(&b->cfg, rval_text(sb));
		sign_candidates(&b->cfg, issuer, &who);
		if (!strcmp(rval_text(sb), issuer))
			rval_diag(DIAG_ERROR, r->path, sb, "REC-3",
				"the issuer %s cannot sign their own ticket; the account supervisor signs it (%s)",
				issuer, who.len ? who.buf : "nobody above the issuer is of rank AM or above");
		else if (rank_level(signer->rank) < rank_level(RANK_AM))
			rval_diag(DIAG_ERROR, r->path, sb, "REC-3",
				"%s is %s: the account supervisor who signs is of rank AM or above (%s)",
				rval_text(sb), rank_names[signer->rank], who.len ? who.buf : "nobody above the issuer is");
		else if (status && (!strcmp(status, "closed") || !strcmp(status, "cancelled")))
			/* ae.ini says who reports to whom now; a ticket filed
			 * away keeps the signature it was given then */
			rval_diag(DIAG_WARNING, r->path, sb, "REC-3",
				"%s is not up %s's reports_to chain in ae.ini: the issuer's account supervisor signs (%s)",
				rval_text(sb), issuer, who.len ? who.buf : "nobody above the issuer is of rank AM or above");
		else
			/* live work is signed by the supervisor the issuer has now */
			rval_diag(DIAG_ERROR, r->path, sb, "REC-3",
				"%s is not up %s's reports_to chain in ae.ini: the issuer's account supervisor signs (%s; to sign again: 'ae set %s signed_by= signed_at=', then 'ae sign %s' run by the supervisor)",
				rval_text(sb), issuer, who.len ? who.buf : "nobody above the issuer is of rank AM or above",
				r->id, r->id);
	}
	at = moment_of(rv_str(t, f->signed_at));
	if (at && started && at > started) {
		const struct rval *v = rv_val(t, f->signed_at);
		rval_diag(DIAG_ERROR, r->path, v, "REC-3",
			"signed at %s, after work started (%s): the ticket is signed before work starts",
			rval_text(v), rv_str(t, f->started));
	}
	sb_release(&who);
}

/*
 * JOB-7: the client's confirmation is not in the future of the status
 * change that needs it: the start of work when the ticket says when
 * (started), the delivery, or for work in progress today.
 */
static void check_confirmation(struct book *b, const struct tf *f, const struct recvals *t,
			       const char *status, moment_t started)
{
	const struct record *r = t->r;
	const struct rval *c = rv_val(t, f->confirmed);
	moment_t delivered;
	int day, limit;
	const char *what;
	char when[16];

	if (!c || !past_open(status) || parse_date(rval_text(c), strlen(rval_text(c)), &day) != DATE_OK)
		return;
	if (started) {
		limit = (int)(started / 1440);
		what = "the start of work";
	} else if (strcmp(status, "in-progress") && (delivered = moment_of(rv_str(t, f->delivered)))) {
		limit = (int)(delivered / 1440);
		what = "the delivery";
	} else if (!strcmp(status, "in-progress") && b->now > 0) {
		limit = (int)(b->now / 1440);
		what = "today, while the work is in progress";
	} else {
		return;
	}
	if (day <= limit)
		return;
	format_date(when, limit);
	rval_diag(DIAG_ERROR, r->path, c, "JOB-7",
		"the client's confirmation %s is later than %s (%s): nothing is executed before the client has confirmed it",
		rval_text(c), what, when);
}

/* JOB-5, REC-3: a revision is filed with its original: an original is not
 * closed out while one of its revisions is still open. */
static void check_revisions_closed(struct book *b, const struct tf *f, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		const struct record *rv = &b->recs[i], *orig;
		const char *parent, *st, *ost;
		const struct rval *v;

		if (rv->kind != K_JOB || rv->stub || !(parent = rec_str(rv, f->parent)) ||
		    !(orig = book_record(b, K_JOB, parent)) || orig->stub)
			continue;
		st = rec_str(rv, f->status);
		ost = rec_str(orig, f->status);
		if (!st || !ost || strcmp(ost, "closed") || !strcmp(st, "closed") || !strcmp(st, "cancelled"))
			continue;
		v = rec_val(orig, f->status);
		rval_diag(DIAG_ERROR, orig->path, v, "JOB-5",
			"'%s' is closed out while its revision %s is %s: a revision is filed with its original, so they are closed together ('ae close %s')",
			orig->id, rv->id, st, orig->id);
	}
}

static void ticket_fields(struct book *b, struct tf *f)
{
	f->status = book_field(b, K_JOB, "status");
	f->issuer = book_field(b, K_JOB, "issuer");
	f->signed_by = book_field(b, K_JOB, "signed_by");
	f->signed_at = book_field(b, K_JOB, "signed_at");
	f->started = book_field(b, K_JOB, "started");
	f->confirmed = book_field(b, K_JOB, "confirmed");
	f->delivered = book_field(b, K_JOB, "delivered");
	f->parent = book_field(b, K_JOB, "parent");
	f->work = book_field(b, K_JOB, "work");
}

void rules_ticket(struct book *b, size_t from, size_t to)
{
	struct tf f;
	struct signers *signers;
	struct recvals *rv;

	ticket_fields(b, &f);
	signers = xcalloc(1, sizeof(*signers));
	rv = xcalloc(1, sizeof(*rv));
	for (size_t i = from; i < to; i++) {
		const struct record *r = &b->recs[i];
		const struct rval *st;
		moment_t started;

		if (r->kind != K_JOB || r->stub || !(st = rec_val(r, f.status)))
			continue;
		rv_load(rv, r);
		started = moment_of(rv_str(rv, f.started));
		check_signature(b, &f, signers, rv, st, started);
		check_confirmation(b, &f, rv, rval_text(st), started);
	}
	free(rv);
	free(signers);
}

void rules_ticket_closed(struct book *b, size_t from, size_t to)
{
	struct tf f;

	ticket_fields(b, &f);
	check_revisions_closed(b, &f, from, to);
}
