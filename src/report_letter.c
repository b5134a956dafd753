/* report_letter.c -- a letter to a client (ORG-3) on the agency's
 * letterhead ([agency] of ae.ini): 'ae report letter LT-... --format
 * html' prints it.  A letter not yet approved by the client's AM or AD
 * says so at its head: it is a draft.  See report.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "report.h"

/* "李明 客户主任 138 1660 2231": how a person signs, in the report's language. */
static const char *signed_as(struct report *r, const struct book *b, const char *id)
{
	const struct staff *st = id ? config_staff(&b->cfg, id) : NULL;
	const char *name, *title;

	if (!st)
		return id ? id : "";
	name = !r->zh && st->name_en ? st->name_en : st->name ? st->name : st->id;
	title = !r->zh && st->title_en ? st->title_en : st->title;
	if (!title)
		title = rcode(r, "rank", rank_names[st->rank]);
	return rprintf(r, "%s%s%s%s%s", name, *title ? " " : "", title, st->phone ? " " : "",
		       st->phone ? st->phone : "");
}

int report_letter(struct report *r, struct book *b, const struct report_opts *o)
{
	const struct agency *a = &b->cfg.agency;
	const struct record *l = o->record ? book_record(b, K_LETTER, o->record) : NULL;
	static const char *const prose[] = { "body" };
	const char *body, *by, *author, *agency;
	moment_t written, approved;
	struct rsection *s;

	if (!l)
		return error("no letter '%s' in the book", o->record ? o->record : "");
	report_prose(r, b, l, prose, &body, 1);
	by = rec_field(b, l, "approved_by");
	author = rec_field(b, l, "author");
	written = rec_moment(b, l, "written");
	approved = rec_moment(b, l, "approved_at");
	/* the letterhead: the agency as its clients know it */
	agency = !r->zh && a->name_en ? a->name_en : a->name ? a->name : b->cfg.name ? b->cfg.name : "";
	r->title = rstr(r, agency);
	if (a->address || a->address_en)
		report_fact(r, NULL, "address", !r->zh && a->address_en ? a->address_en : a->address ? a->address :
			    a->address_en, NULL);
	if (a->phone)
		report_fact(r, NULL, "phone", a->phone, NULL);
	if (a->email)
		report_fact(r, NULL, "email", a->email, NULL);
	if (a->web)
		report_fact(r, NULL, "web", a->web, NULL);

	s = report_section(r, "letter", rec_field(b, l, "subject") ? rec_field(b, l, "subject") : l->id);
	report_fact(r, s, "letter", l->id, NULL);
	report_fact(r, s, "lform", rcode(r, "lform", rec_field(b, l, "form")), rec_field(b, l, "form"));
	report_fact(r, s, "addressee", rec_field(b, l, "to") ? rec_field(b, l, "to") : "", NULL);
	report_fact(r, s, "client", client_label(b, rec_field(b, l, "client")), rec_field(b, l, "client"));
	if (written)
		report_fact(r, s, "written", rdate(r, day_of_moment(written)), riso_moment(r, written));
	report_fact(r, s, "from", signed_as(r, b, author), author);
	if (by && approved)
		report_fact(r, s, "approved", rprintf(r, "%s %s", staff_label(b, by), rdate(r, day_of_moment(approved))),
			    by);
	else
		/* ORG-3: printed for the approver, never to be sent as it is */
		report_fact(r, s, "draft", RL(r, "草稿：未经客户经理或客户总监审批，不得发出（ORG-3）",
					      "DRAFT: not approved by the client's AM or AD; not to be sent (ORG-3)"),
			    "draft");
	report_text(r, s, body ? body : "");
	report_text(r, s, rprintf(r, "%s\n%s\n%s", agency, signed_as(r, b, author),
				  written ? rdate(r, day_of_moment(written)) : ""));
	return 0;
}
