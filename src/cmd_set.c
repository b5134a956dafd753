/* cmd_set.c -- ae set, ae close, ae tick: change fields of a record,
 * byte for byte everywhere else, checked, written atomically, committed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "edit.h"
#include "editing.h"
#include "identity.h"
#include "rules.h"

static const char set_usage[] =
	"usage: ae set [--no-commit] [-m MSG] [--as STAFF] RECORD FIELD=VALUE...\n"
	"\n"
	"Change fields of RECORD (its identifier or a unique prefix).  Only the\n"
	"lines of those fields change: comments, order, spacing, other fields and\n"
	"line endings stay byte for byte.  A field the record lacks is added where\n"
	"its format orders it; FIELD= (empty) removes it; FIELD=- reads a\n"
	"multi-line value from standard input.  The result is checked before it\n"
	"is written (atomically) and then committed.\n";

static const char close_usage[] =
	"usage: ae close [--delivered 'YYYY-MM-DD HH:MM'] [--no-commit] [-m MSG] [--as STAFF] JOB\n"
	"\n"
	"Close out job ticket JOB (消单, JOB-5): status closed, closed today.  The\n"
	"ticket must have been signed (REC-3) and started; its delivery time is\n"
	"the one it records, or --delivered, or asked for on a terminal: ae close\n"
	"does not invent it.  Its open revision tickets are closed with it, as the\n"
	"handbook files them together (each must be signed and delivered).\n";

static const char tick_usage[] =
	"usage: ae tick [--undo] [--no-commit] [--as STAFF] CONTACT N\n"
	"\n"
	"Mark action item N (counting from 1) of contact report CONTACT done\n"
	"([x]), or open again with --undo.  Only that one character changes.\n";

struct edit_opts {
	struct commit_opts commit;
	int no_commit;
};

static char *read_stdin(void)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		sb_add(&sb, buf, n);
	/* trailing newlines end the input, not the value */
	while (sb.len && (sb.buf[sb.len - 1] == '\n' || sb.buf[sb.len - 1] == '\r'))
		sb.buf[--sb.len] = '\0';
	return sb_detach(&sb);
}

/* Apply FIELD=VALUE pairs to the record's text; 0, or an exit status. */
static int set_fields(struct book *b, const struct record *r, char **pairs, int npairs,
		      struct strbuf *text, int *changed)
{
	const struct format *fmt = &b->fmts.kinds[r->kind];
	size_t norder;
	const char **order = field_order(b, r->kind, &norder);
	struct strbuf out = STRBUF_INIT;
	int status = 0, stdin_used = 0;

	*changed = 0;
	for (int i = 0; i < npairs && !status; i++) {
		char *eq = strchr(pairs[i], '=');
		char *key, *value, *named = NULL;
		int r2;

		if (!eq || eq == pairs[i]) {
			error("'%s' is not FIELD=VALUE", pairs[i]);
			status = EXIT_USAGE;
			break;
		}
		key = xstrndup(pairs[i], (size_t)(eq - pairs[i]));
		if (!strcmp(eq + 1, "-") && stdin_used++) {
			error("only one field can read standard input");
			free(key);
			status = EXIT_USAGE;
			break;
		}
		value = !strcmp(eq + 1, "-") ? read_stdin() : xstrdup(eq + 1);
		if (format_field(fmt, key) < 0) {
			const char *near = nearest_word(key, order, norder);
			error("a %s has no field '%s'%s%s%s", kind_names[r->kind], key,
			      near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
			status = EXIT_USAGE;
		} else if (!strcmp(key, "id")) {
			error("the id is the file's name; use 'ae renumber' to change it");
			status = EXIT_USAGE;
		} else if (!(named = field_value_named(b, &fmt->fields[format_field(fmt, key)], value))) {
			status = EXIT_USAGE;	/* staff and records named as people name them */
		} else if ((r2 = edit_set(&out, text->buf, text->len, key, named, order, norder)) < 0) {
			if (r2 == EDIT_BAD_VALUE) {
				error("the value of '%s' %s", key, edit_value_problem(key, named));
				status = EXIT_USAGE;
			} else if (r2 == EDIT_UNSAFE) {
				error("'%s' cannot take '%s' without other lines reading differently; edit the file by hand",
				      r->path, key);
				status = EXIT_BAD_RECORDS;
			} else {
				error("'%s' has no kind section to put '%s' in", r->path, key);
				status = EXIT_BAD_RECORDS;
			}
		} else {
			*changed |= r2;
			sb_reset(text);
			sb_add(text, out.buf ? out.buf : "", out.len);
		}
		free(key);
		free(value);
		free(named);
	}
	sb_release(&out);
	free(order);
	return status;
}

static int finish(struct globals *g, struct book *b, const struct record *r,
		  struct strbuf *text, int changed, const struct edit_opts *o)
{
	struct change_set cs = { 0 };
	int status;

	if (!changed) {
		int pending = 0;
		/* the value is there but not in HEAD (--no-commit, a failed
		 * command retried): committing it is the change asked for */
		if (!o->no_commit && (status = commit_pending(g, b->root, r->path, &o->commit,
							      &pending)) != 0)
			return status;
		if (!pending)
			printf("%s: no change\n", r->id);
		return 0;
	}
	/* who commits is known before anything is written */
	if (!o->no_commit && !editor_identity(b, o->commit.as))
		return EXIT_USAGE;
	change_set_add(&cs, r->path, sb_detach(text), 0);
	cs.v[0].len = strlen(cs.v[0].text);
	status = apply_changes(g, b->root, &cs, &o->commit, o->no_commit);
	change_set_release(&cs);
	return status;
}

/* The record named, and its text as the work tree has it; NULL with
 * *status set (reported) when there is none or it cannot be read. */
static const struct record *record_to_edit(struct book *b, const char *name, int kind,
					   struct strbuf *text, int *status)
{
	const struct record *r = find_record(b, name, kind);

	*status = r ? read_book_file(b, r->path, text) : EXIT_USAGE;
	return *status ? NULL : r;
}

int cmd_set(int argc, char **argv, struct globals *g)
{
	struct edit_opts o;
	struct book b;
	struct strbuf text = STRBUF_INIT;
	const struct record *r;
	char **pairs = xcalloc((size_t)argc + 1, sizeof(*pairs));
	const char *name = NULL;
	int npairs = 0, status, changed;

	memset(&o, 0, sizeof(o));
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(set_usage, stdout);
			free(pairs);
			return 0;
		} else if (commit_option(argc, argv, &i, &o.commit, &o.no_commit)) {
			continue;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			error("unknown option '%s' for set", argv[i]);
			free(pairs);
			return EXIT_USAGE;
		} else if (!name) {
			name = argv[i];
		} else {
			pairs[npairs++] = argv[i];
		}
	}
	if (!name || !npairs) {
		fputs(set_usage, stderr);
		free(pairs);
		return EXIT_USAGE;
	}
	if ((status = open_book_to_edit(g, &b, argc, argv, "editing changes the present")) != 0) {
		free(pairs);
		return status;
	}
	if ((r = record_to_edit(&b, name, -1, &text, &status)) &&
	    !(status = set_fields(&b, r, pairs, npairs, &text, &changed)))
		status = finish(g, &b, r, &text, changed, &o);
	sb_release(&text);
	book_release(&b);
	end_change(g);
	free(pairs);
	return status;
}

/* The delivery time asked for on a terminal: 0, or -1 (told). */
static int ask_delivered(const char *id, char *out, size_t size)
{
	char line[64];

	fprintf(stderr, "%s: delivered at (YYYY-MM-DD HH:MM): ", id);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return error("no delivery time given; nothing changed");
	line[strcspn(line, "\r\n")] = '\0';
	snprintf(out, size, "%s", line);
	return 0;
}

/*
 * Why ticket r cannot be closed out (told), or 0.  A revision closed with
 * its original (orig) must have its own delivery time.
 */
static int close_refused(struct book *b, const struct record *r, const struct record *orig)
{
	const char *st = rec_field_of(b, r, "status");

	if (st && !strcmp(st, "cancelled"))
		return error("'%s' was cancelled; a cancelled ticket is not closed out", r->id);
	if (st && !strcmp(st, "open"))
		return error("'%s' was never started (status open): a ticket is closed out once its work is delivered; if it will not be done, cancel it ('ae set %s status=cancelled')",
			     r->id, r->id);
	if (!rec_field_of(b, r, "signed_by"))
		return error("'%s' was never signed: the account supervisor signs it ('ae sign %s', run by the supervisor) before it is closed out",
			     r->id, r->id);
	if (orig && !rec_field_of(b, r, "delivered"))
		return error("revision '%s' of '%s' has no delivery time: close it out first ('ae close %s --delivered ...')",
			     r->id, orig->id, r->id);
	return 0;
}

/* Status closed, closed on today, delivered as given: r's new text into cs. */
static int close_one(struct book *b, const struct record *r, const char *today,
		     const char *delivered, struct change_set *cs)
{
	struct strbuf text = STRBUF_INIT;
	const char *keys[] = { "status", "closed", "delivered" };
	const char *values[] = { "closed", today, delivered };
	int changed, status;

	status = edit_record(b, r, keys, values, delivered ? 3 : 2, &text, &changed);
	if (!status) {
		change_set_add(cs, r->path, sb_detach(&text), 0);
		cs->v[cs->n - 1].len = strlen(cs->v[cs->n - 1].text);
	}
	sb_release(&text);
	return status;
}

int cmd_close(int argc, char **argv, struct globals *g)
{
	struct edit_opts o;
	struct book b;
	struct change_set cs = { 0 };
	struct strbuf with = STRBUF_INIT;
	const struct record *r;
	const char *name = NULL, *given = NULL, *had;
	char today[16], asked[64], *summary = NULL;
	moment_t at;
	int status;

	memset(&o, 0, sizeof(o));
	for (int i = 1; i < argc; i++) {
		int r1;
		if (is_help(argv[i])) {
			fputs(close_usage, stdout);
			return 0;
		} else if (commit_option(argc, argv, &i, &o.commit, &o.no_commit)) {
			continue;
		} else if ((r1 = arg_value(argc, argv, &i, "--delivered", &given))) {
			if (r1 < 0)
				return EXIT_USAGE;
		} else if (argv[i][0] == '-' || name) {
			fputs(close_usage, stderr);
			return EXIT_USAGE;
		} else {
			name = argv[i];
		}
	}
	if (!name) {
		fputs(close_usage, stderr);
		return EXIT_USAGE;
	}
	if ((status = open_book_to_edit(g, &b, argc, argv, "editing changes the present")) != 0)
		return status;
	format_date(today, (int)(g->now / 1440));
	if (!(r = find_record(&b, name, K_JOB))) {
		status = EXIT_USAGE;
		goto out;
	}
	if (rec_field_of(&b, r, "status") && !strcmp(rec_field_of(&b, r, "status"), "closed")) {
		printf("%s: already closed on %s\n", r->id,
		       rec_field_of(&b, r, "closed") ? rec_field_of(&b, r, "closed") : "?");
		goto out;
	}
	if (close_refused(&b, r, NULL) < 0) {
		status = EXIT_USAGE;
		goto out;
	}
	/* the delivery time: recorded, given, or asked for; never invented */
	had = rec_field_of(&b, r, "delivered");
	if (had && given && strcmp(had, given)) {
		status = EXIT_USAGE;
		error("'%s' was delivered at %s, not %s; correct it with 'ae set %s delivered=...' first",
		      r->id, had, given, r->id);
		goto out;
	}
	if (!had && !given) {
		if (!isatty(STDIN_FILENO)) {
			error("'%s' has no delivery time: give it with --delivered 'YYYY-MM-DD HH:MM' (ae close does not invent it)",
			      r->id);
			status = EXIT_USAGE;
			goto out;
		}
		if (ask_delivered(r->id, asked, sizeof(asked)) < 0) {
			status = EXIT_USAGE;
			goto out;
		}
		given = asked;
	}
	if (given && (parse_datetime(given, strlen(given), &at) != DATE_OK || at > g->now)) {
		error("the delivery time is 'YYYY-MM-DD HH:MM', and not later than now: not '%s'", given);
		status = EXIT_USAGE;
		goto out;
	}
	if (!o.no_commit && !editor_identity(&b, o.commit.as)) {
		status = EXIT_USAGE;
		goto out;
	}
	if ((status = close_one(&b, r, today, had ? NULL : given, &cs)) != 0)
		goto out;
	/* JOB-5, REC-3: its revisions are filed with it, closed with it */
	for (size_t i = 0; i < b.nrecs; i++) {
		const struct record *rv = &b.recs[i];
		const char *parent = rec_field_of(&b, rv, "parent"), *st = rec_field_of(&b, rv, "status");
		if (rv->kind != K_JOB || !parent || strcmp(parent, r->id) ||
		    (st && (!strcmp(st, "closed") || !strcmp(st, "cancelled"))))
			continue;
		if (close_refused(&b, rv, r) < 0 || (status = close_one(&b, rv, today, NULL, &cs)) != 0) {
			error("nothing closed: '%s' is closed out together with its revisions", r->id);
			if (!status)
				status = EXIT_USAGE;
			goto out;
		}
		sb_addf(&with, "%s%s", with.len ? ", " : "", rv->id);
	}
	if (!o.commit.summary)
		o.commit.summary = summary = with.len ? xasprintf("job %s: closed out (消单) with %s", r->id, with.buf) :
						      xasprintf("job %s: closed out (消单)", r->id);
	status = apply_changes(g, b.root, &cs, &o.commit, o.no_commit);
out:
	change_set_release(&cs);
	sb_release(&with);
	free(summary);
	book_release(&b);
	end_change(g);
	return status;
}

int cmd_tick(int argc, char **argv, struct globals *g)
{
	struct edit_opts o;
	struct book b;
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	const struct record *r;
	const char *name = NULL, *num = NULL;
	int status, undo = 0, changed;

	memset(&o, 0, sizeof(o));
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(tick_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--undo")) {
			undo = 1;
		} else if (commit_option(argc, argv, &i, &o.commit, &o.no_commit)) {
			continue;
		} else if (argv[i][0] == '-') {
			fputs(tick_usage, stderr);
			return EXIT_USAGE;
		} else if (!name) {
			name = argv[i];
		} else if (!num) {
			num = argv[i];
		} else {
			fputs(tick_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (!name || !num || atoi(num) < 1 || strspn(num, "0123456789") != strlen(num)) {
		fputs(tick_usage, stderr);
		return EXIT_USAGE;
	}
	if ((status = open_book_to_edit(g, &b, argc, argv, "editing changes the present")) != 0)
		return status;
	if ((r = record_to_edit(&b, name, K_CONTACT, &text, &status))) {
		changed = edit_tick(&out, text.buf, text.len, "actions", atoi(num), !undo);
		if (changed < 0) {
			error("%s has no action item %s", r->id, num);
			status = EXIT_USAGE;
		} else {
			status = finish(g, &b, r, &out, changed, &o);
		}
	}
	sb_release(&text);
	sb_release(&out);
	book_release(&b);
	end_change(g);
	return status;
}
