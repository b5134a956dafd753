/* cmd_approve.c -- ae approve: the client's AM or AD approves a letter
 * before it is sent (ORG-3), reviews the monthly report and the annual
 * brand review before they go out (ORG-4), as the person ae knows is
 * running it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "editing.h"
#include "rules.h"

static const char usage[] =
	"usage: ae approve [--no-commit] [-m MSG] [--as STAFF] LETTER|REVIEW...\n"
	"\n"
	"Approve, as yourself, each LETTER (a letter or fax letter to a client,\n"
	"ORG-3) or REVIEW (a report put up for review, ORG-4):\n"
	"\n"
	"  letter   the client's AM or AD approves it before it is sent:\n"
	"           approved_by you, approved_at now\n"
	"  review   the client's AM reviews the monthly report or the annual\n"
	"           brand review: reviewed_by you, reviewed_at now; the brand\n"
	"           review is then approved by the client's AD: approved_by,\n"
	"           approved_at (AE -> AM -> AD -> client)\n"
	"\n"
	"Who you are is settled as for 'ae commit' (see 'ae whoami'); nobody\n"
	"approves for someone else, nor their own letter or report.  All are\n"
	"approved in one commit, whose Approved-by: trailer names you, or none\n"
	"is when one cannot be.\n"
	"\n"
	"  --no-commit   write the records, do not commit them\n"
	"  -m MSG        the commit's summary line\n"
	"  --as STAFF    who you are, when git's identity does not say\n";

/* One approval to write: fields of a record. */
struct step {
	const char *keys[2];
	const char *what;	/* "approved", "reviewed" */
};

/* ORG-3: what approving letter r as me writes; 1 when there is nothing
 * to do, 0 a step, -1 refused (told). */
static int letter_step(struct book *b, const struct record *r, const struct staff *me,
		       struct step *st)
{
	const char *by = rec_field_of(b, r, "approved_by"), *at = rec_field_of(b, r, "approved_at");
	const char *sent = rec_field_of(b, r, "sent_at"), *author = rec_field_of(b, r, "author");
	const char *cid = rec_field_of(b, r, "client");
	const struct record *c = cid ? book_record(b, K_CLIENT, cid) : NULL;
	struct strbuf who = STRBUF_INIT;
	int ret = 0;

	if (by && !strcmp(by, me->id)) {
		printf("%s: already approved by you%s%s\n", r->id, at ? " at " : "", at ? at : "");
		ret = 1;
	} else if (by) {
		ret = error("'%s' is approved by %s already", r->id, by);
	} else if (sent) {
		ret = error("'%s' was sent at %s without approval; an approval now would come after it", r->id, sent);
	} else if (!c) {
		ret = error("'%s' names no client of the book; its approver is the client's AM or AD", r->id);
	} else if (!may_approve_letter(b, c, author, me->id)) {
		letter_approvers(b, c, &who);
		ret = error("you (%s, %s) may not approve '%s': %s; a letter to %s is approved by %s",
			    me->id, rank_names[me->rank], r->id,
			    author && !strcmp(author, me->id) ? "you wrote it" : "you are not the client's AM or AD",
			    cid, who.buf);
	} else {
		st->keys[0] = "approved_by";
		st->keys[1] = "approved_at";
		st->what = "approved";
	}
	sb_release(&who);
	return ret;
}

/* ORG-4: the AM's review, then (the brand review) the AD's approval. */
static int review_step(struct book *b, const struct record *r, const struct staff *me,
		       struct step *st)
{
	const char *rby = rec_field_of(b, r, "reviewed_by"), *aby = rec_field_of(b, r, "approved_by");
	const char *report = rec_field_of(b, r, "report"), *author = rec_field_of(b, r, "author");
	const char *cid = rec_field_of(b, r, "client");
	const struct record *c = cid ? book_record(b, K_CLIENT, cid) : NULL;
	const struct staff *am = c ? client_boss(b, c, RANK_AM) : NULL;
	const struct staff *ad = c ? client_boss(b, c, RANK_AD) : NULL;
	int brand = report && !strcmp(report, "brand");

	if (!c)
		return error("'%s' names no client of the book; its reviewer is the client's AM", r->id);
	if (author && !strcmp(author, me->id))
		return error("'%s' is your own report; the client's AM (%s) reviews it", r->id,
			     am ? am->id : "none named");
	if (!rby) {
		if (!may_review(b, c, author, me->id, RANK_AM))
			return error("you (%s, %s) may not review '%s': the AM of %s reviews it first (%s)%s",
				     me->id, rank_names[me->rank], r->id, cid, am ? am->id : "none named",
				     brand ? "; then its AD approves it (AE -> AM -> AD -> client)" : "");
		st->keys[0] = "reviewed_by";
		st->keys[1] = "reviewed_at";
		st->what = "reviewed";
		return 0;
	}
	if (!strcmp(rby, me->id) && (!brand || !may_review(b, c, author, me->id, RANK_AD))) {
		printf("%s: already reviewed by you at %s\n", r->id, rec_field_of(b, r, "reviewed_at") ?
		       rec_field_of(b, r, "reviewed_at") : "?");
		return 1;
	}
	if (!brand)
		return error("'%s' is reviewed by %s already; a monthly report needs one review", r->id, rby);
	if (aby && !strcmp(aby, me->id)) {
		printf("%s: already approved by you\n", r->id);
		return 1;
	}
	if (aby)
		return error("'%s' is approved by %s already", r->id, aby);
	if (!may_review(b, c, author, me->id, RANK_AD))
		return error("you (%s, %s) may not approve '%s': after the AM's review, the AD of %s approves the brand review (%s)",
			     me->id, rank_names[me->rank], r->id, cid, ad ? ad->id : "none named");
	st->keys[0] = "approved_by";
	st->keys[1] = "approved_at";
	st->what = "approved";
	return 0;
}

/* Everything named, as one change: 0 (cs filled, *what said) or an exit
 * status, nothing written. */
static int collect(struct book *b, char **names, int n, const struct staff *me, const char *now,
		   struct change_set *cs, struct strbuf *what)
{
	for (int i = 0; i < n; i++) {
		const struct record *r = find_record(b, names[i], -1);
		struct strbuf text = STRBUF_INIT;
		struct step st = { { NULL, NULL }, NULL };
		const char *values[] = { me->id, now };
		int r1, changed, status;

		if (!r)
			return EXIT_USAGE;
		for (size_t k = 0; k < cs->n; k++)
			if (!strcmp(cs->v[k].path, r->path)) {
				error("'%s' is named twice", r->id);
				return EXIT_USAGE;
			}
		if (r->kind != K_LETTER && r->kind != K_REVIEW) {
			error("'%s' is a %s; ae approve takes letters and reviews%s", r->id, kind_names[r->kind],
			      r->kind == K_JOB ? " (a ticket is signed: 'ae sign')" : "");
			return EXIT_USAGE;
		}
		r1 = r->kind == K_LETTER ? letter_step(b, r, me, &st) : review_step(b, r, me, &st);
		if (r1 < 0)
			return EXIT_USAGE;
		if (r1 > 0)
			continue;
		if ((status = edit_record(b, r, st.keys, values, 2, &text, &changed)) != 0) {
			sb_release(&text);
			return status;
		}
		change_set_add(cs, r->path, sb_detach(&text), 0);
		cs->v[cs->n - 1].len = strlen(cs->v[cs->n - 1].text);
		sb_addf(what, "%s%s %s %s", what->len ? ", " : "", kind_names[r->kind], r->id, st.what);
	}
	return 0;
}

int cmd_approve(int argc, char **argv, struct globals *g)
{
	struct commit_opts o = { 0 };
	struct change_set cs = { 0 };
	struct strbuf what = STRBUF_INIT;
	const struct staff *me;
	char **names = xcalloc((size_t)argc + 1, sizeof(*names));
	char *summary = NULL, now[20];
	int n = 0, no_commit = 0, status, dashes = 0;
	struct book b;

	for (int i = 1; i < argc; i++) {
		if (!dashes && is_help(argv[i])) {
			fputs(usage, stdout);
			free(names);
			return 0;
		} else if (!dashes && !strcmp(argv[i], "--no-commit")) {
			no_commit = 1;
		} else if (!dashes && !strcmp(argv[i], "-m") && i + 1 < argc) {
			o.summary = argv[++i];
		} else if (!dashes && !strcmp(argv[i], "--as") && i + 1 < argc) {
			o.as = argv[++i];
		} else if (!dashes && !strcmp(argv[i], "--")) {
			dashes = 1;
		} else if (!dashes && argv[i][0] == '-') {
			error("unknown option '%s' for approve", argv[i]);
			fputs(usage, stderr);
			free(names);
			return EXIT_USAGE;
		} else {
			names[n++] = argv[i];
		}
	}
	if (!n) {
		fputs(usage, stderr);
		free(names);
		return EXIT_USAGE;
	}
	if ((status = open_book_to_edit(g, &b, argc, argv, "editing changes the present")) != 0) {
		free(names);
		return status;
	}
	format_moment(now, g->now);
	/* the approver is who runs ae: never a name given for someone else */
	if (!(me = commit_identity(&b, b.root, o.as)))
		status = EXIT_USAGE;
	else if (!(status = collect(&b, names, n, me, now, &cs, &what)) && cs.n) {
		if (!o.summary)
			o.summary = summary = cs.n == 1 ? xasprintf("%s by %s", what.buf, me->name ? me->name : me->id) :
					      xasprintf("%zu approvals by %s: %s", cs.n, me->name ? me->name : me->id, what.buf);
		status = apply_changes(g, b.root, &cs, &o, no_commit);
	}
	change_set_release(&cs);
	sb_release(&what);
	book_release(&b);
	end_change(g);
	free(summary);
	free(names);
	return status;
}
