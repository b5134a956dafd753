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
	"usage: ae close [--no-commit] [--as STAFF] JOB\n"
	"\n"
	"Close out a job ticket (消单, JOB-5): status closed, closed today, and\n"
	"delivered now if it was never set.\n";

static const char tick_usage[] =
	"usage: ae tick [--undo] [--no-commit] [--as STAFF] CONTACT N\n"
	"\n"
	"Mark action item N (counting from 1) of contact report CONTACT done\n"
	"([x]), or open again with --undo.  Only that one character changes.\n";

struct edit_opts {
	struct commit_opts commit;
	int no_commit;
};

static int common_option(int argc, char **argv, int *i, struct edit_opts *o)
{
	if (!strcmp(argv[*i], "--no-commit")) {
		o->no_commit = 1;
		return 1;
	}
	if (!strcmp(argv[*i], "-m") && *i + 1 < argc) {
		o->commit.summary = argv[++*i];
		return 1;
	}
	if (!strcmp(argv[*i], "--as") && *i + 1 < argc) {
		o->commit.as = argv[++*i];
		return 1;
	}
	return 0;
}

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

static int open_for_edit(struct globals *g, struct book *b, int argc, char **argv)
{
	int status;

	if (g->at) {
		error("--at reads the past; editing changes the present (drop --at)");
		return EXIT_USAGE;
	}
	diag_setup(stderr, DIAG_TEXT, 0);
	if ((status = open_book_to_change(g, b, argc, argv)) != 0)
		return status;
	diag_reset();	/* problems elsewhere are ae check's business */
	return 0;
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
		} else if (common_option(argc, argv, &i, &o)) {
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
	if ((status = open_for_edit(g, &b, argc, argv)) != 0) {
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

int cmd_close(int argc, char **argv, struct globals *g)
{
	struct edit_opts o;
	struct book b;
	struct strbuf text = STRBUF_INIT;
	const struct record *r;
	const char *name = NULL;
	int status, changed;

	memset(&o, 0, sizeof(o));
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(close_usage, stdout);
			return 0;
		} else if (common_option(argc, argv, &i, &o)) {
			continue;
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
	if ((status = open_for_edit(g, &b, argc, argv)) != 0)
		return status;
	if ((r = record_to_edit(&b, name, K_JOB, &text, &status))) {
		char now[20], today[16];
		char *pairs[3];
		int n = 0;
		const char *st = rec_str(r, book_field(&b, K_JOB, "status"));

		format_moment(now, g->now);
		format_date(today, (int)(g->now / 1440));
		if (st && !strcmp(st, "closed")) {
			printf("%s: already closed on %s\n", r->id,
			       rec_str(r, book_field(&b, K_JOB, "closed")) ? rec_str(r, book_field(&b, K_JOB, "closed")) : "?");
			goto out;
		}
		if (st && !strcmp(st, "cancelled")) {
			error("'%s' was cancelled; a cancelled ticket is not closed out", r->id);
			status = EXIT_USAGE;
			goto out;
		}
		pairs[n++] = xstrdup("status=closed");
		pairs[n++] = xasprintf("closed=%s", today);
		if (!rec_str(r, book_field(&b, K_JOB, "delivered")))
			pairs[n++] = xasprintf("delivered=%s", now);
		status = set_fields(&b, r, pairs, n, &text, &changed);
		for (int i = 0; i < n; i++)
			free(pairs[i]);
		if (!status)
			status = finish(g, &b, r, &text, changed, &o);
	}
out:
	sb_release(&text);
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
		} else if (common_option(argc, argv, &i, &o)) {
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
	if ((status = open_for_edit(g, &b, argc, argv)) != 0)
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
