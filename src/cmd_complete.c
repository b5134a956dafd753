/* cmd_complete.c -- tab completion for bash and zsh: 'ae completion SHELL'
 * prints the script; the script asks 'ae __complete WORDS...' for the
 * candidates of the last word: commands, kinds, fields and identifiers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae.h"
#include "book.h"
#include "diag.h"

static const char bash_script[] =
	"# bash completion for ae: save it as 'ae' in bash-completion's completions\n"
	"# folder, or load it with: eval \"$(ae completion bash)\"\n"
	"_ae() {\n"
	"\tlocal line=${COMP_LINE:0:COMP_POINT} cur pre\n"
	"\tlocal -a words\n"
	"\t# the words as typed: bash's own split cuts FIELD=VALUE at the '='\n"
	"\tread -ra words <<<\"$line\"\n"
	"\t[[ ${#words[@]} -eq 0 || $line == *[[:space:]] ]] && words+=(\"\")\n"
	"\tcur=${words[${#words[@]}-1]}\n"
	"\tlocal IFS=$'\\n'\n"
	"\tCOMPREPLY=($(ae __complete \"${words[@]:1}\" 2>/dev/null))\n"
	"\t# readline replaces only what follows the last '=', a word break\n"
	"\tif [[ $cur == *=* && $COMP_WORDBREAKS == *=* ]]; then\n"
	"\t\tpre=${cur%\"${cur##*=}\"}\n"
	"\t\tCOMPREPLY=(\"${COMPREPLY[@]#\"$pre\"}\")\n"
	"\tfi\n"
	"\t[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null\n"
	"\treturn 0\n"
	"}\n"
	"complete -o default -F _ae ae\n";

static const char zsh_script[] =
	"#compdef ae\n"
	"# zsh completion for ae: save it as '_ae' in a folder of $fpath, or load\n"
	"# it with: eval \"$(ae completion zsh)\" (after compinit)\n"
	"_ae() {\n"
	"\tlocal -a cands open\n"
	"\tcands=(${(f)\"$(ae __complete \"${(@)words[2,CURRENT]}\" 2>/dev/null)\"})\n"
	"\topen=(${(M)cands:#*=})\t# FIELD= and --OPTION=: the value follows at once\n"
	"\tcands=(${cands:#*=})\n"
	"\tlocal ret=1\n"
	"\t(( $#open )) && compadd -S '' -- $open && ret=0\n"
	"\t(( $#cands )) && compadd -- $cands && ret=0\n"
	"\t(( ret )) && _files && ret=0\n"
	"\treturn ret\n"
	"}\n"
	"if [[ $funcstack[1] == _ae ]]; then\n"
	"\t_ae \"$@\"\t# autoloaded from $fpath: this file is _ae's body\n"
	"else\n"
	"\tcompdef _ae ae\n"
	"fi\n";

static const char *const journal_whats[] = {
	"weekly", "monthly", "plan", "market", "holiday", "finance", "callback",
	"notice", "report", "letter", "summary", "claim", "media", "bizplan", "brand", "prep", "tally"
};

static const char *const expense_categories[] = {
	"travel", "taxi", "meal", "print", "material", "gift", "postage", "other"
};

/*
 * The values of options, by command: a list of words, or "@client" and
 * "@staff" for the book's clients and staff.  Kept beside each command's
 * own parsing: a new value there is a new word here.
 */
static const struct {
	const char *cmd, *opt, *values;
} option_values[] = {
	{ "check", "--format", "text json" },
	{ "check", "--column-unit", "display char byte" },
	{ "due", "--format", "text json csv ics" },
	{ "due", "--lang", "zh en" },
	{ "due", "--client", "@client" },
	{ "due", "--who", "@staff" },
	{ "due", "--alarm", "none" },
	{ "report", "--format", "text md csv json html" },
	{ "report", "--lang", "zh en" },
	{ "report", "--client", "@client" },
	{ "report", "--who", "@staff" },
	{ "report", "--for", "client internal" },
	{ "log", "--format", "text json" },
	{ "show", "--format", "text json" },
	{ "find", "--format", "text json" },
	{ "find", "--kind", "client job contact meeting complaint journal" },
	{ "find", "--client", "@client" },
	{ "export", "--format", "vcf csv" },
	{ "export", "--client", "@client" },
	{ "export", "--lang", "zh en" },
};

/* Print pre + cand if it starts with cur. */
static void say_pre(const char *pre, const char *cand, const char *cur)
{
	size_t n = strlen(pre);

	if (strncmp(cur, pre, n > strlen(cur) ? strlen(cur) : n))
		return;
	if (strlen(cur) > n && strncmp(cand, cur + n, strlen(cur) - n))
		return;
	printf("%s%s\n", pre, cand);
}

static void say(const char *cand, const char *prefix)
{
	say_pre("", cand, prefix);
}

static void ids_pre(const struct book *b, int kind, const char *pre, const char *cur)
{
	for (size_t i = 0; i < b->nrecs; i++)
		if (kind < 0 || b->recs[i].kind == kind)
			say_pre(pre, b->recs[i].id, cur);
}

static void ids(const struct book *b, int kind, const char *prefix)
{
	ids_pre(b, kind, "", prefix);
}

/* The letters and reviews still waiting for an approval (ae approve). */
static void awaiting_approval(const struct book *b, const char *cur)
{
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		const char *report = rec_str(r, book_field(b, r->kind, "report"));
		int waits = r->kind == K_LETTER ? !rec_str(r, book_field(b, K_LETTER, "approved_by")) :
			    r->kind == K_REVIEW && (!rec_str(r, book_field(b, K_REVIEW, "reviewed_by")) ||
						    (report && !strcmp(report, "brand") &&
						     !rec_str(r, book_field(b, K_REVIEW, "approved_by"))));
		if (waits)
			say(r->id, cur);
	}
}

static void staff_pre(const struct book *b, const char *pre, const char *cur)
{
	for (size_t i = 0; i < b->cfg.nstaff; i++)
		say_pre(pre, b->cfg.staff[i].id, cur);
}

static void fields(const struct book *b, int kind, const char *prefix)
{
	const struct format *fmt = &b->fmts.kinds[kind];

	for (int i = 0; i < fmt->nfields; i++) {
		char *f = xasprintf("%s=", fmt->fields[i].name);
		if (strcmp(fmt->fields[i].name, "id"))
			say(f, prefix);
		free(f);
	}
}

/*
 * cur is FIELD=VALUE (a field of kind's format): the values FIELD may
 * take, each printed whole (FIELD=value).  Of a list, the item after the
 * last comma is completed.
 */
static void field_values(const struct book *b, int kind, const char *cur)
{
	const struct format *fmt = &b->fmts.kinds[kind];
	const char *eq = strchr(cur, '='), *comma;
	const struct fieldspec *fs;
	char *field = xstrndup(cur, (size_t)(eq - cur)), *pre;
	int f = format_field(fmt, field), k;

	free(field);
	if (f < 0)
		return;
	fs = &fmt->fields[f];
	comma = (fs->type == FT_LIST || fs->type == FT_STAFF_LIST) ? strrchr(eq, ',') : NULL;
	pre = xstrndup(cur, (size_t)((comma ? comma : eq) + 1 - cur));
	switch (fs->type) {
	case FT_ENUM:
	case FT_LIST:
		for (int i = 0; i < fs->nvalues; i++)
			say_pre(pre, fs->values[i], cur);
		break;
	case FT_BOOL:
		say_pre(pre, "yes", cur);
		say_pre(pre, "no", cur);
		break;
	case FT_STAFF:
	case FT_STAFF_LIST:
		staff_pre(b, pre, cur);
		break;
	case FT_DEPT:
		for (size_t i = 0; i < b->cfg.ndepts; i++)
			say_pre(pre, b->cfg.depts[i].code, cur);
		break;
	default:
		if ((k = ftype_ref_kind(fs->type)) >= 0)
			ids_pre(b, k, pre, cur);
		break;
	}
	free(pre);
}

/*
 * The value of an option of cmd: cur after prev (--format j), or cur
 * itself (--format=j).  Returns 1 if cur is such a value (printed when
 * the values need no book, else *need set), 0 if not.
 */
static int option_value(const char *cmd, const char *prev, const char *cur,
			const char **need, const char **pre)
{
	for (size_t i = 0; i < ARRAY_SIZE(option_values); i++) {
		const char *opt = option_values[i].opt, *v = option_values[i].values;
		size_t n = strlen(opt);

		if (strcmp(cmd, option_values[i].cmd))
			continue;
		if (!strcmp(prev, opt))
			*pre = "";
		else if (!strncmp(cur, opt, n) && cur[n] == '=')
			*pre = xstrndup(cur, n + 1);
		else
			continue;
		if (v[0] == '@') {
			*need = v;
			return 1;
		}
		while (*v) {
			size_t len = strcspn(v, " ");
			char *word = xstrndup(v, len);
			say_pre(*pre, word, cur);
			free(word);
			v += len + (v[len] == ' ');
		}
		return 1;
	}
	return 0;
}

/* The words after 'ae' up to and including the one being completed. */
int cmd_complete(int argc, char **argv, struct globals *g)
{
	const char *cur = argc > 1 ? argv[argc - 1] : "";
	const char *need = NULL, *pre = "";
	int first = 1, nwords;
	struct book b;
	const char *cmd, *prev;

	/* skip global options */
	while (first < argc - 1 && argv[first][0] == '-') {
		if (!strcmp(argv[first], "-C") || !strcmp(argv[first], "--now") || !strcmp(argv[first], "--at") ||
		    !strcmp(argv[first], "--threads")) {
			if (!strcmp(argv[first], "-C") && first + 1 < argc - 1)
				g->dir = argv[first + 1];
			first++;
		}
		first++;
	}
	nwords = argc - first;	/* words of the command, the current one included */
	if (nwords <= 1) {
		for (size_t i = 0; i < ncommands; i++)
			say(commands[i].name, cur);
		return 0;
	}
	cmd = argv[first];
	prev = argv[argc - 2];
	if (!strcmp(cmd, "new") && nwords == 2) {
		for (int k = 0; k < K__N; k++)
			say(kind_names[k], cur);
		return 0;
	}
	if (!strcmp(cmd, "help") && nwords == 2) {
		for (size_t i = 0; i < ncommands; i++)
			say(commands[i].name, cur);
		return 0;
	}
	if (!strcmp(cmd, "completion")) {
		say("bash", cur);
		say("zsh", cur);
		return 0;
	}
	if (!strcmp(cmd, "watch")) {
		static const char *const whats[] = { "start", "stop", "status", "run" };
		for (size_t i = 0; nwords == 2 && i < ARRAY_SIZE(whats); i++)
			say(whats[i], cur);
		return 0;
	}
	if (!strcmp(cmd, "report") && nwords == 2) {
		static const char *const reports[] = {
			"weekly", "tally", "monthly", "roster", "hours", "overtime", "expenses", "cost", "letter"
		};
		for (size_t i = 0; i < ARRAY_SIZE(reports); i++)
			say(reports[i], cur);
		return 0;
	}
	if (nwords == 2 && (!strcmp(cmd, "import") || !strcmp(cmd, "export"))) {
		say(!strcmp(cmd, "import") ? "clients" : "contacts", cur);
		return 0;
	}
	if (nwords == 4 && !strcmp(cmd, "expense")) {
		for (size_t i = 0; i < ARRAY_SIZE(expense_categories); i++)
			say(expense_categories[i], cur);
		return 0;
	}
	if (option_value(cmd, prev, cur, &need, &pre) && !need)
		goto done;
	if (!need && cur[0] == '-')
		return 0;
	if (g->dir && chdir(g->dir) < 0)
		goto done;
	g->dir = NULL;
	diag_setup(stderr, DIAG_TEXT, 0);
	g->now_given = 1;	/* no clock needed */
	if (open_book(g, &b) != 0)
		goto done;
	diag_reset();
	if (need) {
		if (!strcmp(need, "@client"))
			ids_pre(&b, K_CLIENT, pre, cur);
		else
			staff_pre(&b, pre, cur);
	} else if (!strcmp(cmd, "new")) {
		int k = kind_from_name(argv[first + 1]);
		if (k >= 0 && strchr(cur, '='))
			field_values(&b, k, cur);
		else if (k >= 0)
			fields(&b, k, cur);
	} else if (!strcmp(cmd, "set")) {
		if (nwords == 2)
			ids(&b, -1, cur);
		else {
			const struct record *r = NULL;
			for (int k = 0; k < K__N && !r; k++)
				r = book_record(&b, k, argv[first + 1]);
			if (r && strchr(cur, '='))
				field_values(&b, r->kind, cur);
			else if (r)
				fields(&b, r->kind, cur);
		}
	} else if (nwords == 2 && (!strcmp(cmd, "close") || !strcmp(cmd, "hours") || !strcmp(cmd, "sign"))) {
		ids(&b, K_JOB, cur);
	} else if (!strcmp(cmd, "approve")) {
		awaiting_approval(&b, cur);
	} else if (nwords == 3 && !strcmp(cmd, "report") && !strcmp(argv[first + 1], "letter")) {
		ids(&b, K_LETTER, cur);
	} else if (nwords == 2 && !strcmp(cmd, "tick")) {
		ids(&b, K_CONTACT, cur);
	} else if (nwords == 2 && (!strcmp(cmd, "call") || !strcmp(cmd, "visit"))) {
		ids(&b, K_CLIENT, cur);
	} else if (nwords == 2 && (!strcmp(cmd, "log") || !strcmp(cmd, "renumber") || !strcmp(cmd, "show") ||
				   !strcmp(cmd, "edit") || !strcmp(cmd, "note") || !strcmp(cmd, "resolve"))) {
		ids(&b, -1, cur);
	} else if (nwords == 3 && !strcmp(cmd, "note")) {
		/* the fields a note may go to: multi-line text */
		const struct record *r = NULL;
		for (int k = 0; k < K__N && !r; k++)
			r = book_record(&b, k, argv[first + 1]);
		for (int i = 0; r && i < b.fmts.kinds[r->kind].nfields; i++) {
			const struct fieldspec *fs = &b.fmts.kinds[r->kind].fields[i];
			if (fs->type == FT_PROSE || fs->type == FT_LINES)
				say(fs->name, cur);
		}
	} else if (nwords == 3 && (!strcmp(cmd, "show") || !strcmp(cmd, "resolve"))) {
		const struct record *r = NULL;
		for (int k = 0; k < K__N && !r; k++)
			r = book_record(&b, k, argv[first + 1]);
		if (r)
			for (int i = 0; i < b.fmts.kinds[r->kind].nfields; i++)
				say(b.fmts.kinds[r->kind].fields[i].name, cur);
	} else if (!strcmp(cmd, "sent")) {
		if (nwords == 2) {
			for (size_t i = 0; i < ARRAY_SIZE(journal_whats); i++)
				say(journal_whats[i], cur);
		} else if (nwords == 3) {
			const char *w = argv[first + 1];
			ids(&b, !strcmp(w, "notice") ? K_MEETING : !strcmp(w, "report") ? K_CONTACT :
				!strcmp(w, "letter") ? K_LETTER : K_CLIENT, cur);
		}
	} else if (nwords == 3 && !strcmp(cmd, "expense")) {
		ids(&b, K_CLIENT, cur);
		ids(&b, K_JOB, cur);
	}
	book_release(&b);
done:
	if (*pre)
		free((char *)pre);
	return 0;
}

int cmd_completion(int argc, char **argv, struct globals *g)
{
	(void)g;
	if (argc == 2 && !strcmp(argv[1], "bash")) {
		fputs(bash_script, stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "zsh")) {
		fputs(zsh_script, stdout);
		return 0;
	}
	if (argc == 2 && is_help(argv[1])) {
		fputs("usage: ae completion bash|zsh\n\nPrint the shell's completion script for ae: commands, kinds, fields\nand record identifiers.  Load it with eval \"$(ae completion bash)\",\nor save it where your shell reads completions.\n", stdout);
		return 0;
	}
	fputs("usage: ae completion bash|zsh\n", stderr);
	return EXIT_USAGE;
}
