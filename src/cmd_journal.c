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
#include "pattern.h"
#include "utf8.h"

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
	{ "expense", "ae expense AMOUNT CLIENT|JOB CATEGORY [NOTE...]   an expense, claimed on Friday (DUE-9)", -2, -1, 3 },
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

/*
 * Where each argument went in the line about to be written, so that a
 * problem the check finds there is said of the argument the user typed
 * ("ae expense: 'xx' is not a category ..."), not of a line of the
 * journal that does not exist yet.
 */
struct argspan {
	size_t from, to;	/* bytes of the line */
	const char *typed;	/* the argument as given */
};

struct newline {
	const char *cmd;	/* the command's name */
	const char *path;	/* the journal file */
	int line;		/* the new line's number in it */
	const struct strbuf *text;	/* the line */
	struct argspan *spans;
	size_t nspans;
};

/* Append " WORD" to the line for argument typed (the word may be its
 * resolved form). */
static void add_arg(struct strbuf *line, struct newline *nl, const char *typed, const char *word)
{
	sb_addch(line, ' ');
	nl->spans[nl->nspans].from = line->len;
	sb_addstr(line, word);
	nl->spans[nl->nspans].to = line->len;
	nl->spans[nl->nspans++].typed = typed;
}

struct kept {
	struct diag_item d;	/* strings owned */
};

struct kept_list {
	struct kept *v;
	size_t n, alloc;
};

static void keep_item(void *ctx, const struct diag_item *d)
{
	struct kept_list *l = ctx;
	struct kept *k;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	k = &l->v[l->n++];
	k->d = *d;
	k->d.path = xstrdup(d->path);
	k->d.msg = xstrdup(d->msg);
	k->d.rule = d->rule ? xstrdup(d->rule) : NULL;
}

/* The byte of line where character col (from 1) starts. */
static size_t byte_of_col(const struct strbuf *line, int col)
{
	size_t at = 0;

	for (int c = 1; c < col && at < line->len; c++)
		do
			at++;
		while (at < line->len && ((unsigned char)line->buf[at] & 0xC0) == 0x80);
	return at;
}

/* One problem of the new line, said of the argument at its column. */
static void say_of_argument(const struct newline *nl, const struct diag_item *d)
{
	size_t at = byte_of_col(nl->text, d->col);
	const struct argspan *on = NULL;
	struct strbuf quoted = STRBUF_INIT;

	for (size_t i = 0; i < nl->nspans; i++)
		if (at >= nl->spans[i].from && at < nl->spans[i].to)
			on = &nl->spans[i];
	if (on)
		sb_addf(&quoted, "'%.*s'", (int)(on->to - on->from), nl->text->buf + on->from);
	/* most messages quote the word already */
	if (on && !strstr(d->msg, quoted.buf))
		fprintf(stderr, "ae %s: '%s': %s", nl->cmd, on->typed, d->msg);
	else
		fprintf(stderr, "ae %s: %s", nl->cmd, d->msg);
	fprintf(stderr, d->rule ? " [%s]\n" : "\n", d->rule);
	sb_release(&quoted);
}

/* apply_changes()'s report: the new line's problems by argument, the
 * rest (a bad line already in the file) as diagnostics. */
static int report_new_line(void *ctx)
{
	const struct newline *nl = ctx;
	struct kept_list l = { 0 };
	int others = 0;

	diag_each(keep_item, &l);
	diag_reset();
	for (size_t i = 0; i < l.n; i++) {
		const struct diag_item *d = &l.v[i].d;
		if (!strcmp(d->path, nl->path) && d->line == nl->line)
			continue;
		diag_at(d->level, d->path, d->line, d->col, d->rule, "%s", d->msg);
		others = 1;
	}
	if (others)
		diag_flush();
	for (size_t i = 0; i < l.n; i++) {
		const struct diag_item *d = &l.v[i].d;
		if (!strcmp(d->path, nl->path) && d->line == nl->line)
			say_of_argument(nl, d);
		free((char *)d->path);
		free((char *)d->msg);
		free((char *)d->rule);
	}
	free(l.v);
	diag_reset();
	return EXIT_BAD_RECORDS;
}

/*
 * Whether the arguments, as written after the verb, fit the grammar's
 * pattern for it (formats/journal.ini); said when they do not, with the
 * grammar's usage.  1 fits (or cannot be told), 0 not.
 */
static int fits_grammar(const struct book *b, const char *cmd, const char *rest,
			char **args, int nargs)
{
	const struct journal_grammar *jg = &b->fmts.journal;

	for (int i = 0; i < jg->nverbs; i++) {
		const struct verbspec *vs = &jg->verbs[i];
		if (strcmp(vs->name, cmd) || !vs->pattern)
			continue;
		if (pattern_match(vs->pattern, rest, strlen(rest)) != PM_NOMATCH)
			return 1;
		fprintf(stderr, "ae %s: the arguments '", cmd);
		for (int k = 0; k < nargs; k++)
			fprintf(stderr, "%s%s", k ? " " : "", args[k]);
		fprintf(stderr, "' do not fit: %s", vs->usage ? vs->usage : cmd);
		fprintf(stderr, vs->rule ? " [%s]\n" : "\n", vs->rule);
		return 0;
	}
	return 1;
}

/* The usage of verb v, with what the book's grammar allows (the
 * expense categories and their labels). */
static void print_usage(FILE *f, const struct verb *v, const struct globals *g, int full)
{
	fprintf(f, "usage: %s\n", v->usage);
	if (full && !strcmp(v->name, "expense")) {
		struct formats fmts;
		struct config cfg;
		struct book b;
		char *root = book_find_root(g->dir ? g->dir : ".");
		const struct groupspec *gs = NULL;
		int opened = 0;

		/* the book's own grammar when there is a book, else the shipped one */
		memset(&cfg, 0, sizeof(cfg));
		memset(&fmts, 0, sizeof(fmts));
		if (root && book_open(&b, root, g->argv0) == 0) {
			gs = journal_group(&b.fmts.journal, "category");
			opened = 1;
		} else {
			if (root)
				book_release(&b);
			char *dir = formats_shipped_dir(g->argv0);
			struct source *shipped = source_fs_new(dir);
			config_parse(&cfg, "ae.ini", "", 0);
			formats_load(&fmts, shipped, NULL, &cfg);
			shipped->free(shipped);
			free(dir);
			gs = journal_group(&fmts.journal, "category");
		}
		diag_reset();
		if (gs) {
			struct strbuf sb = STRBUF_INIT;
			size_t col = 2;
			enum_describe(&sb, gs->values, gs->nvalues, gs->labels, gs->nlabels);
			fputs("\nCATEGORY, the word or a label (the line keeps it as typed):\n ", f);
			/* one value and its labels at a time, lines kept under 78 cells */
			for (char *p = sb.buf; p && *p;) {
				char *comma = strstr(p, ", ");
				size_t n = comma ? (size_t)(comma - p) + 1 : strlen(p);
				size_t w = utf8_width(p, n);
				if (col + 1 + w > 78) {
					fputs("\n ", f);
					col = 2;
				}
				fprintf(f, " %.*s", (int)n, p);
				col += 1 + w;
				p = comma ? comma + 2 : NULL;
			}
			fputc('\n', f);
			sb_release(&sb);
		}
		if (opened)
			book_release(&b);
		else {
			formats_release(&fmts);
			config_release(&cfg);
		}
		free(root);
	}
}

/* The record argument, resolved by prefix; its full id goes in the line. */
static int resolve_arg(struct book *b, int kind, const char *arg, struct strbuf *line,
		       struct newline *nl)
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
	add_arg(line, nl, arg, r->id);
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
	struct newline nl;
	struct book b;
	const char *me;
	char **args = xcalloc((size_t)argc + 1, sizeof(*args));
	char path[64], now[20];
	size_t rest;
	int nargs = 0, no_commit = 0, status = 0, y, m, d;

	memset(&nl, 0, sizeof(nl));
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			print_usage(stdout, v, g, 1);
			printf("\nOptions: --as STAFF (who), --no-commit, -m MSG.  The line is dated now\n(the global --now sets it) and goes to journal/YYYY-MM.log.\n");
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
		print_usage(stderr, v, g, 0);
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
	nl.spans = xcalloc((size_t)nargs + 1, sizeof(*nl.spans));
	if (!(me = editor_identity(&b, o.as))) {
		status = EXIT_USAGE;
		goto out;
	}
	format_moment(now, g->now);
	civil_from_days((int)(g->now / 1440), &y, &m, &d);
	snprintf(path, sizeof(path), "journal/%04d-%02d.log", y, m);
	sb_addf(&line, "%s %s %s", now, me, v->name);
	rest = line.len + 1;
	{
		int i = 0;
		if (!strcmp(v->name, "advance")) {
			add_arg(&line, &nl, args[i], args[i]);	/* the amount */
			i++;
			if (resolve_arg(&b, K_CLIENT, args[i++], &line, &nl) < 0) {
				status = EXIT_USAGE;
				goto out;
			}
		} else if (!strcmp(v->name, "overtime")) {
			int worked;
			/* the day worked, when it is not today (DUE-8) */
			if (nargs > 1 && parse_date(args[i], strlen(args[i]), &worked) == DATE_OK) {
				add_arg(&line, &nl, args[i], args[i]);
				i++;
			}
			add_arg(&line, &nl, args[i], args[i]);	/* the span */
			i++;
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
					add_arg(&line, &nl, args[i], j->id);
					i++;
				}
			}
		} else if (v->ref1 != -1 && !strcmp(v->name, "expense")) {
			add_arg(&line, &nl, args[i], args[i]);	/* the amount */
			i++;
			if (resolve_arg(&b, -2, args[i++], &line, &nl) < 0) {
				status = EXIT_USAGE;
				goto out;
			}
		} else if (v->ref1 != -1) {
			if (resolve_arg(&b, v->ref1, args[i++], &line, &nl) < 0) {
				status = EXIT_USAGE;
				goto out;
			}
		} else if (!strcmp(v->name, "sent")) {
			const char *what = args[i++];
			int kind = !strcmp(what, "notice") ? K_MEETING : !strcmp(what, "report") ? K_CONTACT :
				   !strcmp(what, "letter") ? K_LETTER : !strcmp(what, "summary") || !strcmp(what, "claim") || !strcmp(what, "prep") ||
				   !strcmp(what, "tally") ? -1 : K_CLIENT;
			add_arg(&line, &nl, what, what);
			if (kind != -1) {
				if (i >= nargs) {
					print_usage(stderr, v, g, 0);
					status = EXIT_USAGE;
					goto out;
				}
				if (resolve_arg(&b, kind, args[i++], &line, &nl) < 0) {
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
			add_arg(&line, &nl, args[i], args[i]);
		}
	}
	/* the arguments' shape first: said of them, not of a line to come */
	if (!fits_grammar(&b, v->name, line.len > rest ? line.buf + rest : "", args, nargs)) {
		status = EXIT_BAD_RECORDS;
		goto out;
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
		nl.line = 1;
		for (size_t k = 0; k < text.len; k++)
			nl.line += text.buf[k] == '\n';
		sb_add(&text, line.buf, line.len);
		sb_addstr(&text, crlf ? "\r\n" : "\n");
	}
	{
		size_t len = text.len;
		change_set_add(&cs, path, sb_detach(&text), len);
	}
	nl.cmd = v->name;
	nl.path = path;
	nl.text = &line;
	cs.report = report_new_line;
	cs.report_ctx = &nl;
	status = apply_changes(g, b.root, &cs, &o, no_commit);
	if (status == 0 && no_commit)
		printf("%s: %s\n", path, line.buf);
out:
	change_set_release(&cs);
	sb_release(&line);
	sb_release(&text);
	book_release(&b);
	end_change(g);
	free(nl.spans);
	free(args);
	return status;
}
