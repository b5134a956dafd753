/* cmd_note.c -- ae note: a dated line added to a multi-line field of a
 * record (a job's progress, a complaint's follow-up), checked, written
 * atomically, committed; every other byte as it was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "edit.h"
#include "editing.h"

static const char usage[] =
	"usage: ae note [--no-commit] [-m MSG] [--as STAFF] RECORD [FIELD] TEXT...\n"
	"\n"
	"Add the line 'YYYY-MM-DD HH:MM TEXT' (now, from --now, $AE_NOW or the\n"
	"clock) at the end of a multi-line FIELD of RECORD: by default a job's\n"
	"progress, or a complaint's follow_up.  The words of TEXT are joined by\n"
	"spaces; a word after '--' is text even if it starts with '-'.  FIELD is\n"
	"the second argument when it names a field of the record's kind.  Only\n"
	"the new line is added: every other byte of the file stays.  The record\n"
	"is checked, written atomically and committed, as by 'ae set'.\n";

/* The fields a note may go to: multi-line text (not action items, whose
 * lines have a shape of their own). */
static int takes_notes(const struct fieldspec *fd)
{
	return fd->type == FT_PROSE || fd->type == FT_LINES;
}

/* "progress, description, notes": the fields of kind that take notes. */
static char *note_fields(const struct format *fmt)
{
	struct strbuf sb = STRBUF_INIT;

	for (int i = 0; i < fmt->nfields; i++)
		if (takes_notes(&fmt->fields[i]))
			sb_addf(&sb, "%s%s", sb.len ? ", " : "", fmt->fields[i].name);
	if (!sb.len)
		sb_addstr(&sb, "(none)");
	return sb_detach(&sb);
}

/* The field a note goes to when none is named: the record's running log. */
static const char *default_field(const struct format *fmt)
{
	static const char *const logs[] = { "progress", "follow_up" };

	for (size_t i = 0; i < ARRAY_SIZE(logs); i++)
		if (format_field(fmt, logs[i]) >= 0)
			return logs[i];
	return NULL;
}

/* Check the field named for a note: 0, or EXIT_USAGE (reported). */
static int field_ok(const struct format *fmt, int kind, const char *field)
{
	int f = field ? format_field(fmt, field) : -1;
	char *names;

	if (f >= 0 && takes_notes(&fmt->fields[f]))
		return 0;
	names = note_fields(fmt);
	if (!field)
		error("a %s has no 'progress' to add a note to; name one of its multi-line fields: %s",
		      kind_names[kind], names);
	else if (f >= 0 && fmt->fields[f].type == FT_ACTIONS)
		error("'%s' holds action items ('ae tick'; add one with 'ae set' or 'ae edit'); a note goes to one of: %s",
		      field, names);
	else
		error("'%s' is not a multi-line field of a %s; a note goes to one of: %s", field,
		      kind_names[kind], names);
	free(names);
	return EXIT_USAGE;
}

int cmd_note(int argc, char **argv, struct globals *g)
{
	struct commit_opts o = { NULL, NULL, 0 };
	struct book b;
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT, words = STRBUF_INIT;
	struct change_set cs = { 0 };
	const struct record *r;
	const struct format *fmt;
	const char *name = NULL, *field = NULL;
	const char **order = NULL;
	char **rest = xcalloc((size_t)argc + 1, sizeof(*rest));
	char now[20];
	size_t norder;
	int nrest = 0, no_commit = 0, status = 0, opened = 0, first = 0;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			goto out;
		} else if (commit_option(argc, argv, &i, &o, &no_commit)) {
			;
		} else if (!strcmp(argv[i], "--")) {
			while (++i < argc)
				rest[nrest++] = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			/* a mistyped option would otherwise become part of the note */
			error("unknown option '%s' for note (a note starting with '-' goes after '--')", argv[i]);
			status = EXIT_USAGE;
			goto out;
		} else if (!name) {
			name = argv[i];
		} else {
			rest[nrest++] = argv[i];
		}
	}
	if (!name || !nrest) {
		fputs(usage, stderr);
		status = EXIT_USAGE;
		goto out;
	}
	if ((status = open_book_to_edit(g, &b, argc, argv, "a note is written now")) != 0)
		goto out;
	opened = 1;
	if (!(r = find_record(&b, name, -1))) {
		status = EXIT_USAGE;
		goto out;
	}
	fmt = &b.fmts.kinds[r->kind];
	/* FIELD, when the second argument names one */
	if (format_field(fmt, rest[0]) >= 0) {
		field = rest[0];
		first = 1;
	} else {
		field = default_field(fmt);
	}
	if ((status = field_ok(fmt, r->kind, field)) != 0)
		goto out;
	format_moment(now, g->now);
	for (int i = first; i < nrest; i++)
		sb_addf(&words, "%s%s", words.len ? " " : "", rest[i]);
	/* a note is one line: a line end would make the rest another field */
	for (char *p = words.buf; p && *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	if (!words.len || strspn(words.buf, " ") == words.len) {
		error("the note is empty: give its text after the record%s", first ? " and the field" : "");
		status = EXIT_USAGE;
		goto out;
	}
	if ((status = read_book_file(&b, r->path, &text)) != 0)
		goto out;
	order = field_order(&b, r->kind, &norder);
	{
		char *line = xasprintf("%s %s", now, words.buf);
		int e = edit_append(&out, text.buf, text.len, field, line, order, norder);
		if (e == EDIT_BAD_VALUE) {
			error("the note %s", edit_value_problem(field, line));
			status = EXIT_USAGE;
		} else if (e == EDIT_UNSAFE) {
			error("'%s' cannot take a line in '%s' without other lines reading differently; edit the file with 'ae edit'",
			      r->path, field);
			status = EXIT_BAD_RECORDS;
		} else if (e < 0) {
			error("'%s' has no kind section to put '%s' in", r->path, field);
			status = EXIT_BAD_RECORDS;
		}
		free(line);
		if (status)
			goto out;
	}
	/* who commits is known before anything is written */
	if (!no_commit && !editor_identity(&b, o.as)) {
		status = EXIT_USAGE;
		goto out;
	}
	{
		size_t len = out.len;
		change_set_add(&cs, r->path, sb_detach(&out), len);
	}
	status = apply_changes(g, b.root, &cs, &o, no_commit);
out:
	if (opened)
		book_release(&b);
	end_change(g);
	change_set_release(&cs);
	free(order);
	free(rest);
	sb_release(&text);
	sb_release(&out);
	sb_release(&words);
	return status;
}
