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
	"# bash completion for ae; load it with: eval \"$(ae completion bash)\"\n"
	"_ae() {\n"
	"\tlocal IFS=$'\\n'\n"
	"\tCOMPREPLY=($(ae __complete \"${COMP_WORDS[@]:1:COMP_CWORD}\" 2>/dev/null))\n"
	"\t[ ${#COMPREPLY[@]} -eq 1 ] && [[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null\n"
	"\treturn 0\n"
	"}\n"
	"complete -F _ae ae\n";

static const char zsh_script[] =
	"#compdef ae\n"
	"# zsh completion for ae; load it with: eval \"$(ae completion zsh)\"\n"
	"_ae() {\n"
	"\tlocal -a cands\n"
	"\tcands=(${(f)\"$(ae __complete \"${(@)words[2,CURRENT]}\" 2>/dev/null)\"})\n"
	"\tcompadd -S '' -- ${cands[@]}\n"
	"}\n"
	"compdef _ae ae\n";

static const char *const journal_whats[] = {
	"weekly", "monthly", "plan", "market", "holiday", "finance", "callback",
	"notice", "report", "summary", "claim"
};

static void say(const char *cand, const char *prefix)
{
	if (!strncmp(cand, prefix, strlen(prefix)))
		printf("%s\n", cand);
}

static void ids(const struct book *b, int kind, const char *prefix)
{
	for (size_t i = 0; i < b->nrecs; i++)
		if (kind < 0 || b->recs[i].kind == kind)
			say(b->recs[i].id, prefix);
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

/* The words after 'ae' up to and including the one being completed. */
int cmd_complete(int argc, char **argv, struct globals *g)
{
	const char *cur = argc > 1 ? argv[argc - 1] : "";
	int first = 1, nwords;
	struct book b;
	const char *cmd;

	/* skip global options */
	while (first < argc - 1 && argv[first][0] == '-') {
		if (!strcmp(argv[first], "-C") || !strcmp(argv[first], "--now") || !strcmp(argv[first], "--at")) {
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
	if (!strcmp(cmd, "new") && nwords == 2) {
		for (int k = 0; k < K__N; k++)
			say(kind_names[k], cur);
		return 0;
	}
	if (!strcmp(cmd, "completion")) {
		say("bash", cur);
		say("zsh", cur);
		return 0;
	}
	if (!strcmp(cmd, "report") && nwords == 2) {
		static const char *const reports[] = { "weekly", "tally", "monthly", "roster", "hours", "overtime", "expenses" };
		for (size_t i = 0; i < ARRAY_SIZE(reports); i++)
			say(reports[i], cur);
		return 0;
	}
	if (cur[0] == '-')
		return 0;
	if (g->dir && chdir(g->dir) < 0)
		return 0;
	g->dir = NULL;
	diag_setup(stderr, DIAG_TEXT, 0);
	g->now_given = 1;	/* no clock needed */
	if (open_book(g, &b) != 0)
		return 0;
	diag_reset();
	if (!strcmp(cmd, "new")) {
		int k = kind_from_name(argv[first + 1]);
		if (k >= 0)
			fields(&b, k, cur);
	} else if (!strcmp(cmd, "set")) {
		if (nwords == 2)
			ids(&b, -1, cur);
		else {
			const struct record *r = NULL;
			for (int k = 0; k < K__N && !r; k++)
				r = book_record(&b, k, argv[first + 1]);
			if (r)
				fields(&b, r->kind, cur);
		}
	} else if (nwords == 2 && (!strcmp(cmd, "close") || !strcmp(cmd, "hours"))) {
		ids(&b, K_JOB, cur);
	} else if (nwords == 2 && !strcmp(cmd, "tick")) {
		ids(&b, K_CONTACT, cur);
	} else if (nwords == 2 && (!strcmp(cmd, "call") || !strcmp(cmd, "visit"))) {
		ids(&b, K_CLIENT, cur);
	} else if (nwords == 2 && (!strcmp(cmd, "log") || !strcmp(cmd, "renumber"))) {
		ids(&b, -1, cur);
	} else if (!strcmp(cmd, "sent")) {
		if (nwords == 2) {
			for (size_t i = 0; i < ARRAY_SIZE(journal_whats); i++)
				say(journal_whats[i], cur);
		} else if (nwords == 3) {
			const char *w = argv[first + 1];
			ids(&b, !strcmp(w, "notice") ? K_MEETING : !strcmp(w, "report") ? K_CONTACT : K_CLIENT, cur);
		}
	} else if (nwords == 3 && !strcmp(cmd, "expense")) {
		ids(&b, K_CLIENT, cur);
		ids(&b, K_JOB, cur);
	} else if (!strcmp(cmd, "due") || !strcmp(cmd, "report")) {
		const char *prev = argv[argc - 2];
		if (!strcmp(prev, "--client"))
			ids(&b, K_CLIENT, cur);
		else if (!strcmp(prev, "--who"))
			for (size_t i = 0; i < b.cfg.nstaff; i++)
				say(b.cfg.staff[i].id, cur);
	}
	book_release(&b);
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
