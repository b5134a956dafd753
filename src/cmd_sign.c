/* cmd_sign.c -- ae sign: the account supervisor signs a job ticket (REC-3),
 * as the person ae knows is running it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "editing.h"
#include "rules.h"

static const char usage[] =
	"usage: ae sign [--no-commit] [-m MSG] [--as STAFF] JOB\n"
	"\n"
	"Sign job ticket JOB as its account supervisor (REC-3): signed_by becomes\n"
	"you and signed_at now.  Only someone up the issuer's reports_to chain, of\n"
	"rank AM or above, signs, and only as themselves: who you are is settled\n"
	"as for 'ae commit' (see 'ae whoami').  The commit's Approved-by: trailer\n"
	"names you.  A ticket is signed before work starts; a signature is not\n"
	"replaced by another.\n"
	"\n"
	"  --no-commit   write the ticket, do not commit it\n"
	"  -m MSG        the commit's summary line\n"
	"  --as STAFF    who you are, when git's identity does not say\n";

/* Whether me may sign r now; the reason told when not.  0 or an exit status;
 * *done when it is signed by me already. */
static int can_sign(struct book *b, const struct record *r, const struct staff *me, int *done)
{
	const char *status = rec_field_of(b, r, "status"), *issuer = rec_field_of(b, r, "issuer");
	const char *by = rec_field_of(b, r, "signed_by"), *at = rec_field_of(b, r, "signed_at");
	struct strbuf who = STRBUF_INIT;
	int ret = 0;

	*done = 0;
	if (by && !strcmp(by, me->id)) {
		printf("%s: already signed by you%s%s\n", r->id, at ? " at " : "", at ? at : "");
		*done = 1;
	} else if (by) {
		ret = error("'%s' is signed by %s%s%s; a signature is not replaced (to withdraw it: 'ae set %s signed_by= signed_at=')",
			    r->id, by, at ? " at " : "", at ? at : "", r->id);
	} else if (status && !strcmp(status, "cancelled")) {
		ret = error("'%s' was cancelled; a cancelled ticket is not signed", r->id);
	} else if (!issuer) {
		ret = error("'%s' names no issuer; its signer is the issuer's account supervisor", r->id);
	} else if (!may_sign(&b->cfg, issuer, me->id)) {
		sign_candidates(&b->cfg, issuer, &who);
		ret = error("you (%s, %s) may not sign '%s': %s; the account supervisor signs, someone up %s's reports_to chain of rank AM or above (%s)",
			    me->id, rank_names[me->rank], r->id,
			    !strcmp(issuer, me->id) ? "you issued it" :
			    config_reports_to(&b->cfg, issuer, me->id) ? "your rank is below AM" :
			    "you are not up its issuer's reports_to chain",
			    issuer, who.len ? who.buf : "nobody in ae.ini");
	}
	sb_release(&who);
	return ret < 0 ? EXIT_USAGE : 0;
}

int cmd_sign(int argc, char **argv, struct globals *g)
{
	struct commit_opts o = { 0 };
	struct strbuf text = STRBUF_INIT;
	struct change_set cs = { 0 };
	const struct record *r;
	const struct staff *me;
	const char *name = NULL;
	char *summary = NULL;
	int no_commit = 0, status, changed, done;
	struct book b;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (commit_option(argc, argv, &i, &o, &no_commit)) {
			;
		} else if (!strcmp(argv[i], "--") && i + 2 == argc && !name) {
			name = argv[++i];
		} else if (argv[i][0] == '-' || name) {
			if (argv[i][0] == '-')
				error("unknown option '%s' for sign", argv[i]);
			fputs(usage, stderr);
			return EXIT_USAGE;
		} else {
			name = argv[i];
		}
	}
	if (!name) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if ((status = open_book_to_edit(g, &b, argc, argv, "editing changes the present")) != 0)
		return status;
	if (!(r = find_record(&b, name, K_JOB))) {
		status = EXIT_USAGE;
	} else if (!(me = commit_identity(&b, b.root, o.as))) {
		/* the signer is who runs ae: never a name given for someone else */
		status = EXIT_USAGE;
	} else if (!(status = can_sign(&b, r, me, &done)) && !done) {
		char now[20];
		const char *keys[] = { "signed_by", "signed_at" };
		const char *values[] = { me->id, now };

		format_moment(now, g->now);
		if (!(status = edit_record(&b, r, keys, values, 2, &text, &changed))) {
			if (!o.summary)
				o.summary = summary = xasprintf("job %s: signed by %s", r->id,
								me->name ? me->name : me->id);
			change_set_add(&cs, r->path, sb_detach(&text), 0);
			cs.v[0].len = strlen(cs.v[0].text);
			status = apply_changes(g, b.root, &cs, &o, no_commit);
		}
	}
	change_set_release(&cs);
	sb_release(&text);
	book_release(&b);
	end_change(g);
	free(summary);
	return status;
}
