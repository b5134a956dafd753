/*
 * rules.h -- the rules that look across records, each tagged with its
 * DOMAIN.md ID.  Per-field rules (type, pattern, length, required) live in
 * the formats and validate.c; these need the whole book.
 *
 *   rules.c         identity (REC-2, JOBNO-1), references, unique fields
 *                   (REC-8), meetings and their contact reports (REC-5)
 *   rules_client.c  client codes (REC-2), owners' ranks (ORG-1), the
 *                   hand-over documents (DUE-12) and the amounts of an
 *                   ended contract (DUE-14)
 *   rules_org.c     the hierarchy: reports_to up the ranks, the client's
 *                   AM over its AE, spans (ORG-1, ORG-2); who may sign
 *                   and approve
 *   rules_job.c     revisions (REC-3), JOB-4, a ticket's deadlines
 *                   (JOB-2 lead time, JOB-3)
 *   rules_jobno.c   job numbers (JOBNO-1..5), never reused (the history)
 *   rules_ticket.c  a ticket's life: signed (REC-3), confirmed (JOB-7),
 *                   closed out with its revisions (JOB-5)
 *   rules_letter.c  letters approved before they are sent (ORG-3)
 *   rules_review.c  reports reviewed before they go out (ORG-4)
 *   rules_run.c     all of them, in parts on the pool's threads
 *
 * The order of a record's own dates (REC-1: signed <= started <=
 * accepted ...) is the formats' not_before (record.c).
 */
#ifndef AE_RULES_H
#define AE_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "book.h"

/*
 * Run every cross-record rule; problems are reported through diag.h, the
 * same whatever the number of threads (rules_run.c).
 */
void rules_check(struct book *b);

/*
 * The families of rules, in the order rules_check() gives their
 * diagnostics.  A family that takes records [from, to) checks only
 * those (each record's findings are its own): rules_run.c runs such a
 * family in parts on the pool's threads, each part with its own
 * diagnostics (diag_capture) and its own caches.  They read the book,
 * ae.ini and the numbering memo, and write nothing shared.
 */
void rules_memo_start(const struct book *b);	/* before rules_numbering() */
void rules_memo_end(void);
void rules_ids(struct book *b);
/* Fills the memo of its records: every later family reads it. */
void rules_numbering(struct book *b, size_t from, size_t to);
void rules_refs(struct book *b, size_t from, size_t to);
void rules_unique_fields(struct book *b);
void rules_meetings(struct book *b, size_t from, size_t to);
void rules_client(struct book *b);
void rules_org(struct book *b);
void rules_job(struct book *b, size_t from, size_t to);
/*
 * Job numbers in steps: records (in parts) before order; history (the
 * git history: one thread, nothing else calling libgit2 meanwhile) and
 * order before first.  Diagnostics in the order records, order,
 * history, first.
 */
struct jobno_run;
struct jobno_run *rules_jobno_start(struct book *b);
void rules_jobno_records(struct jobno_run *j, size_t from, size_t to);
void rules_jobno_order(struct jobno_run *j);
void rules_jobno_history(struct jobno_run *j);
void rules_jobno_first(struct jobno_run *j);
void rules_jobno_end(struct jobno_run *j);
void rules_ticket(struct book *b, size_t from, size_t to);
void rules_ticket_closed(struct book *b, size_t from, size_t to);
void rules_letter(struct book *b);
void rules_review(struct book *b);

/*
 * One record's values by field, for a rule that asks many fields of each
 * record: rv_load() (on a zeroed struct first) puts r's values in, each
 * once; rv_val() and rv_str() are then rec_val() and rec_str() of r.
 */
struct recvals {
	const struct record *r;
	unsigned gen;			/* v[f] is r's when at[f] is gen */
	unsigned at[256];
	const struct rval *v[256];	/* a record's fields are below 256 */
};
void rv_load(struct recvals *t, const struct record *r);
static inline const struct rval *rv_val(const struct recvals *t, int field)
{
	return field >= 0 && field < 256 && t->at[field] == t->gen ? t->v[field] : NULL;
}
static inline const char *rv_str(const struct recvals *t, int field)
{
	const struct rval *v = rv_val(t, field);

	return v ? rval_text(v) : NULL;
}

/* A field of record r by name, or NULL (r may be NULL). */
const char *rec_field_of(const struct book *b, const struct record *r, const char *field);

/* ORG-1's ladder: AAE 1, AE 2, AM 3, AD 4, ED 5, GM 6; finance and other
 * staff 0, who stand aside from it. */
int rank_level(enum rank r);

/* REC-3: whether `who` may sign a ticket issued by `issuer`: someone up
 * the issuer's reports_to chain of rank AM or above, not the issuer. */
int may_sign(const struct config *c, const char *issuer, const char *who);
/* Who may: "wang.fang, zhang.wei, huang.jun", up the chain, appended. */
void sign_candidates(const struct config *c, const char *issuer, struct strbuf *out);

/*
 * The client's AM (want RANK_AM) or AD (RANK_AD): its 'am' or 'ad', or,
 * when it names none, the first of that rank up its AE's reports_to
 * chain (ORG-2); NULL when there is none.
 */
const struct staff *client_boss(const struct book *b, const struct record *client, enum rank want);

/* ORG-3: whether `who` may approve a letter by author to client c: the
 * client's AM or AD (client_boss), not the author. */
int may_approve_letter(const struct book *b, const struct record *c, const char *author,
		       const char *who);
/* Who that is, for messages: "wang.fang (AM) or zhang.wei (AD)". */
void letter_approvers(const struct book *b, const struct record *c, struct strbuf *out);

/* ORG-4: whether `who` is the client's AM (want RANK_AM: the review) or
 * AD (RANK_AD: the brand review's approval), and not the author. */
int may_review(const struct book *b, const struct record *c, const char *author,
	       const char *who, enum rank want);

/*
 * An approval by by->value of record r, whose author is author: checked
 * against who gives it (is_theirs: the one the client's file or ae.ini
 * names now; theirs, who that is, for the message).  One's own, or below
 * rank `least`, is an error; someone else is a warning, as the client's
 * owners or ae.ini may have changed since it was given, unless the
 * approval is still live (a letter not yet sent): an error then.
 */
void rules_approver(const struct book *b, const struct record *r, const struct rval *by,
		    const char *author, enum rank least, int is_theirs, const char *theirs,
		    int live, const char *rule);

/* A person field and its moment (approved_by, approved_at) go together:
 * an error at whichever is given alone. */
void rules_pair(const struct record *r, const struct rval *who, const struct rval *at,
		const char *who_name, const char *at_name, const char *rule);

/*
 * r's id matched against its kind's [numbering] pattern, once: 1 if it
 * matches, then its groups by id_part(), until the next match of that
 * pattern on this thread.  The match check_numbering() made is used when
 * it can be (the pattern spent no steps since: pattern_repeatable()).
 */
struct idmatch {
	const struct pattern *p;
	const uint32_t *saved;	/* the kept match, or NULL: the last one made */
	const char *id;
};
int id_match(const struct book *b, const struct record *r, struct idmatch *m);
/* The number of a kind's numbering group, for id_part(); -1 if none. */
int id_group_number(const struct book *b, int kind, const char *group);
/* Group number `group` of m into buf (size n): 1, or 0 if unset, too
 * long or no group. */
int id_part(const struct idmatch *m, int group, char *buf, size_t n);

/*
 * Match r's id against its kind's numbering pattern.  On success copy the
 * named group into buf (size n) and return 1; return 0 if the id does not
 * match or the group is unset.
 */
int id_group(const struct book *b, const struct record *r, const char *group,
	     char *buf, size_t n);
/* Another group of the match id_group() just made of r (no call on the
 * pattern since, on this thread): as id_group() without matching again. */
int id_group_again(const struct book *b, const struct record *r, const char *group,
		   char *buf, size_t n);

/*
 * DUE-12: the hand-over documents (the values of the client format's
 * handover_docs) client r's handover_docs does not list, added to missing
 * ("open-issues, server"); returns how many.
 */
int rules_handover_missing(const struct book *b, const struct record *r, struct strbuf *missing);

/* Where to point at a record's value of field name: its position, or the
 * section line when absent. */
void field_pos(const struct book *b, const struct record *r, const char *name,
	       int *line, int *col);

#endif
