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
 *   rules_job.c     job numbers (JOBNO-1..5), revisions (REC-3), JOB-4
 */
#ifndef AE_RULES_H
#define AE_RULES_H

#include "book.h"

/* Run every cross-record rule; problems are reported through diag.h. */
void rules_check(struct book *b);

void rules_client(struct book *b);
void rules_job(struct book *b);

/*
 * Match r's id against its kind's numbering pattern.  On success copy the
 * named group into buf (size n) and return 1; return 0 if the id does not
 * match or the group is unset.
 */
int id_group(const struct book *b, const struct record *r, const char *group,
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
