/*
 * export_contacts.h -- the clients' contact people (the 'contacts' lines
 * of the client file, REC-1) for phones and mail programs: vCard 4.0
 * (RFC 6350) or CSV (RFC 4180).
 */
#ifndef AE_EXPORT_CONTACTS_H
#define AE_EXPORT_CONTACTS_H

#include "book.h"
#include "util.h"

struct person {
	const char *client, *org, *address;	/* the client's code, name, address */
	char *name, *title, *phone, *email;	/* owned; "" when not given */
};

struct people {
	struct person *v;
	size_t n, alloc;
};

/*
 * Add the people of client r: one per line of its 'contacts' field,
 * 'name, title, phone[, e-mail]' (commas ASCII or Chinese).  Lines with
 * no name are left out.  The client's strings are the book's.
 */
void people_add(struct people *p, const struct book *b, const struct record *r);
void people_release(struct people *p);

/*
 * One vCard 4.0 per person: FN and N (a Chinese name split after its
 * surname), ORG, TITLE, TEL, EMAIL, the client's ADR, the client's code
 * as CATEGORIES and X-AE-CLIENT, and a UID that stays the same for the
 * same person of the same client, so that importing again updates.
 * Lines end in CRLF and are folded at 75 bytes.
 */
void people_vcard(struct strbuf *out, const struct people *p);

/* CSV: a header in Chinese (zh) or English, CRLF, a UTF-8 BOM if bom. */
void people_csv(struct strbuf *out, const struct people *p, int zh, int bom);

#endif
