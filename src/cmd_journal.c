/* cmd_journal.c -- one-line journal entries: ae call, visit, hours,
 * overtime, expense, sent.  Each appends one well-formed line to this
 * month's journal/YYYY-MM.log, checked, and commits it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "edit.h"
#include "editing.h"

struct verb {
	const char *name;
	const char *usage;
	/* the kinds the first and second argument name, -1 for none, -2 client or job */
	int ref1, ref2;
	int min_args;
};

static const struct verb verbs[] = {
	{ "call", "ae call CLIENT [!] [NOTE...]   a call with the client; '!' marks an important call, which needs a contact report within 48 hours (DUE-1, DUE-2)", K_CLIENT, -1, 1 },
	{ "visit", "ae visit CLIENT [NOTE...]   a visit, e.g. to a real-estate client's sales site (DUE-10)", K_CLIENT, -1, 1 },
	{ "hours", "ae hours JOB HOURS [NOTE...]   hours worked on a job ticket (REC-7)", K_JOB, -1, 2 },
	{ "overtime", "ae overtime [YYYY-MM-DD] HH:MM-HH:MM [JOB] [NOTE...]   the overtime form, filed now, for the day worked (default today) (DUE-8)", -1, -1, 1 },
	{ "expense", "ae expense AMOUNT CLIENT|JOB CATEGORY [NOTE...]   an expense, claimed on Friday (DUE-9); CATEGORY: travel taxi meal print material gift postage other", -2, -1, 3 },
	{ "advance", "ae advance AMOUNT CLIENT [NOTE...]   a travel advance requested beforehand, signed by the GM (DUE-9)", -1, -1, 2 },
	{ "sent", "ae sent WHAT [REF] [NOTE...]   something sent: weekly|monthly|plan|market|media|bizplan|brand|holiday|finance|callback CLIENT, notice MEETING, report CONTACT, letter LETTER, summary, prep, tally, claim", -1, -1, 1 },
};

static const struct verb *find_verb(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++)
		if (!strcmp(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

/* The record argument, resolved by prefix; writes its full id. */
static int resolve_arg(struct book *b, int kind, const char *arg, struct strbuf *line)
{
	const struct record *r;

	if (kind == -2) {
		r = book_record(b, K_CLIENT, arg);
		if (!r)
			r = book_record(b, K_JOB, arg);
		if (!r)
			r = find_record(b, arg, -1);
		if (r && r->kind != K_CLIENT && r->kind != K_JOB) {
			error("'%s' is a %s; an expense is for a client or a job", r->id, kind_names[r->kind]);
			return -1;
		}
	} else {
		r = find_record(b, arg, kind);
	}
	if (!r)
		return -1;
	sb_addf(line, " %s", r->id);
	return 0;
}

/* "sent report CR-x", "sent notice MT-x" and "sent letter LT-x" also fill
 * the record's field (a letter's sent_at: the check then asks for its
 * approval, ORG-3). */
static int mark_record(struct book *b, const char *what, const char *id, const char *now,
		       struct change_set *cs)
{
	int kind = !strcmp(what, "report") ? K_CONTACT : !strcmp(what, "letter") ? K_LETTER : K_MEETING;
	const char *field = kind == K_CONTACT ? "sent" : kind == K_LETTER ? "sent_at" : "notice_sent";
	const struct record *r = book_record(b, kind, id);
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	size_t norder;
	const char **order;

	if (!r || rec_str(r, book_field(b, kind, field)))
		return 0;	/* already marked: the journal line suffices */
	if (read_book_file(b, r->path, &text) != 0)
		return -1;
	order = field_order(b, kind, &norder);
	if (edit_set(&out, text.buf, text.len, field, now, order, norder) == 1) {
		size_t len = out.len;
		change_set_add(cs, r->path, sb_detach(&out), len);
	}
	free(order);
	sb_release(&text);
	sb_release(&out);
	return 0;
}

int cmd_journal_entry(int argc, char **argv, struct globals *g)
{
	const struct verb *v = find_verb(argv[0]);
	struct commit_opts o = { NULL, NULL, 0 };
	struct strbuf line = STRBUF_INIT, text = STRBUF_INIT;
	struct change_set cs = { 0 };
	struct book b;
	const char *me;
	char **args = xcalloc((size_t)argc + 1, sizeof(*args));
	char path[64], now[20];
	int nargs = 0, no_commit = 0, status = 0, y, m, d;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			printf("usage: %s\n\nOptions: --as STAFF (who), --no-commit, -m MSG.  The line is dated now\n(the global --now sets it) and goes to journal/YYYY-MM.log.\n", v->usage);
			free(args);
			return 0;
		} else if (!strcmp(argv[i], "--as") && i + 1 < argc) {
			o.as = argv[++i];
		} else if (!strcmp(argv[i], "-m") && i + 1 < argc) {
			o.summary = argv[++i];
		} else if (!strcmp(argv[i], "--no-commit")) {
			no_commit = 1;
		} else if (!strcmp(argv[i], "--")) {
			while (++i < argc)
				args[nargs++] = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			/* a mistyped option would otherwise become part of the note */
			error("unknown option '%s' (a note starting with '--' goes after '--')", argv[i]);
			free(args);
			return EXIT_USAGE;
		} else {
			args[nargs++] = argv[i];
		}
	}
	if (nargs < v->min_args) {
		fprintf(stderr, "usage: %s\n", v->usage);
		free(args);
		return EXIT_USAGE;
	}
	if (g->at) {
		error("--at reads the past; a journal entry is written now (drop --at)");
		free(args);
		return EXIT_USAGE;
	}
	diag_setup(stderr, DIAG_TEXT, 0);
	if ((status = open_book_to_change(g, &b, argc, argv)) != 0) {
		free(args);
		return status;
	}
	diag_reset();
	if (!(me = editor_identity(&b, o.as))) {
		status = EXIT_USAGE;
		goto out;
	}
	format_moment(now, g->now);
	civil_from_days((int)(g->now / 1440), &y, &m, &d);
	snprintf(path, sizeof(path), "journal/%04d-%02d.log", y, m);
	sb_addf(&line, "%s %s %s", now, me, v->name);
	{
		int i = 0;
		if (!strcmp(v->name, "advance")) {
			sb_addf(&line, " %s", args[i++]);	/* the amount */
			if (resolve_arg(&b, K_CLIENT, args[i++], &line) < 0) {
				status = EXIT_USAGE;
				goto out;
			}
		} else if (!strcmp(v->name, "overtime")) {
			int worked;
			/* the day worked, when it is not today (DUE-8) */
			if (nargs > 1 && parse_date(args[i], strlen(args[i]), &worked) == DATE_OK)
				sb_addf(&line, " %s", args[i++]);
			sb_addf(&line, " %s", args[i++]);	/* the span */
			/* a job number is resolved; anything else begins the note */
			if (i < nargs) {
				const struct record *j = book_record(&b, K_JOB, args[i]);
				size_t n = strlen(args[i]);
				if (!j && n >= 9 && args[i][0] >= 'A' && args[i][0] <= 'Z' &&
				    strchr(args[i], '-') && strspn(args[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-R") == n) {
					error("no job '%s' in the book", args[i]);
					status = EXIT_USAGE;
					goto out;
				}
				if (j) {
					sb_addf(&line, " %s", j->id);
					i++;
				}
			}
		} else if (v->ref1 != -1 && !strcmp(v->name, "expense")) {
			sb_addf(&line, " %s", args[i++]);	/* the amount */
			if (resolve_arg(&b, -2, args[i++], &line) < 0) {
				status = EXIT_USAGE;
				goto out;
			}
		} else if (v->ref1 != -1) {
			if (resolve_arg(&b, v->ref1, args[i++], &line) < 0) {
				status = EXIT_USAGE;
				goto out;
			}
		} else if (!strcmp(v->name, "sent")) {
			const char *what = args[i++];
			int kind = !strcmp(what, "notice") ? K_MEETING : !strcmp(what, "report") ? K_CONTACT :
				   !strcmp(what, "letter") ? K_LETTER : !strcmp(what, "summary") || !strcmp(what, "claim") || !strcmp(what, "prep") ||
				   !strcmp(what, "tally") ? -1 : K_CLIENT;
			sb_addf(&line, " %s", what);
			if (kind != -1) {
				if (i >= nargs) {
					fprintf(stderr, "usage: %s\n", v->usage);
					status = EXIT_USAGE;
					goto out;
				}
				if (resolve_arg(&b, kind, args[i++], &line) < 0) {
					status = EXIT_USAGE;
					goto out;
				}
				if (kind != K_CLIENT &&
				    mark_record(&b, what, strrchr(line.buf, ' ') + 1, now, &cs) < 0) {
					status = EXIT_SYSTEM;
					goto out;
				}
			}
		}
		for (; i < nargs; i++) {
			/* a note is one line: newlines would start a new entry */
			for (char *p = args[i]; *p; p++)
				if (*p == '\n' || *p == '\r')
					*p = ' ';
			sb_addf(&line, " %s", args[i]);
		}
	}
	if ((status = book_has_file(&b, path)) < 0) {
		status = EXIT_BAD_RECORDS;
		goto out;
	}
	if (status == 1 && (status = read_book_file(&b, path, &text)) != 0)
		goto out;
	{
		int crlf = text.len >= 2 && strstr(text.buf, "\r\n") != NULL;
		if (text.len && text.buf[text.len - 1] != '\n')
			sb_addstr(&text, crlf ? "\r\n" : "\n");
		sb_add(&text, line.buf, line.len);
		sb_addstr(&text, crlf ? "\r\n" : "\n");
	}
	{
		size_t len = text.len;
		change_set_add(&cs, path, sb_detach(&text), len);
	}
	status = apply_changes(g, b.root, &cs, &o, no_commit);
	if (status == 0 && no_commit)
		printf("%s: %s\n", path, line.buf);
out:
	change_set_release(&cs);
	sb_release(&line);
	sb_release(&text);
	book_release(&b);
	end_change(g);
	free(args);
	return status;
}
