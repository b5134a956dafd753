/* main.c -- ae: the account executive's book.  Global options and the
 * table of commands; each command lives in cmd_<name>.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "pool.h"
#include "util.h"
#include "trace.h"

#ifndef AE_VERSION
#define AE_VERSION "0.1"
#endif

const struct command commands[] = {
	{ "advance", cmd_journal_entry, "journal: a travel advance requested beforehand" },
	{ "approve", cmd_approve, "approve a letter to a client or review a report, as yourself" },
	{ "call", cmd_journal_entry, "journal: a call with a client (! for an important one)" },
	{ "close", cmd_close, "close out a job ticket (消单): status closed, dated" },
	{ "check", cmd_check, "check every record and the journal against the handbook's rules" },
	{ "clone", cmd_clone, "clone a shared book and set the clone up for working in a team" },
	{ "completion", cmd_completion, "print the bash or zsh completion script" },
	{ "commit", cmd_commit, "check, then commit the book's changes with a readable message" },
	{ "due", cmd_due, "what is due today, what is late, what comes next" },
	{ "edit", cmd_edit, "open a record in your editor, then check and commit it" },
	{ "expense", cmd_journal_entry, "journal: an expense for a client or job" },
	{ "export", cmd_export, "the clients' contact people as vCard or CSV" },
	{ "find", cmd_find, "search every record's fields and the journal for a text" },
	{ "help", cmd_help, "the help of ae, or of a command ('ae help due' is 'ae due --help')" },
	{ "hours", cmd_journal_entry, "journal: hours worked on a job ticket" },
	{ "import", cmd_import, "clients from a spreadsheet (CSV), checked and committed at once" },
	{ "init", cmd_init, "make a new book, or make a folder a book" },
	{ "log", cmd_log, "the history of a record or of the book: who changed what, when" },
	{ "new", cmd_new, "a new record with the next number, filled in, edited, committed" },
	{ "note", cmd_note, "add a dated line to a record's progress (or another multi-line field)" },
	{ "overtime", cmd_journal_entry, "journal: the overtime form" },
	{ "renumber", cmd_renumber, "give a record a new number and rewrite every reference to it" },
	{ "report", cmd_report, "weekly, monthly, roster, hours, overtime and expense reports" },
	{ "resolve", cmd_resolve, "settle a field both sides of a merge changed: ours, theirs or a value" },
	{ "sent", cmd_journal_entry, "journal: a report, notice or letter sent (marks reports and notices sent)" },
	{ "set", cmd_set, "change fields of a record, byte for byte everywhere else" },
	{ "show", cmd_show, "a record's fields as ae reads them (text or JSON)" },
	{ "sign", cmd_sign, "sign a job ticket as its account supervisor, as yourself" },
	{ "sync", cmd_sync, "fetch, merge field by field, check, commit and push: the team's book in step" },
	{ "tick", cmd_tick, "mark an action item of a contact report done" },
	{ "visit", cmd_journal_entry, "journal: a visit to a client or its sales site" },
	{ "watch", cmd_watch, "watch the book's folders, so that every command learns what changed at once" },
	{ "whoami", cmd_whoami, "which staff member ae takes you for, and by which rule" },
};

const size_t ncommands = ARRAY_SIZE(commands);

static void usage(FILE *f)
{
	fputs("usage: ae [-C DIR] [--at REV] [--now 'YYYY-MM-DD HH:MM'] [--threads N] COMMAND [ARGS]\n"
	      "\n"
	      "The account executive's book: records of clients, job tickets, contact\n"
	      "reports, meetings, complaints and a daily journal, kept as text in git.\n"
	      "\n"
	      "Commands:\n", f);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "Global options:\n"
	      "  -C DIR       run in DIR, as if started there (the book is found upward)\n"
	      "  --now TIME   take TIME ('YYYY-MM-DD HH:MM', the book's time zone) as now;\n"
	      "               also $AE_NOW.  Makes every output reproducible\n"
	      "  --at REV     read the book as of a git revision (a commit, branch, tag,\n"
	      "               HEAD~3 ...), without checking it out\n"
	      "  --threads N  read the book on N threads (also $AE_THREADS); 0, the\n"
	      "               default, one a CPU; 1 reads it on one\n"
	      "               (these four may also follow the command, before any '--')\n"
	      "  -h, --help   this help (also 'ae help'); 'ae COMMAND --help' or\n"
	      "               'ae help COMMAND' for a command\n"
	      "  --version    print the version\n"
	      "\n"
	      "Exit status: 0 fine, 1 the records are wrong, 2 usage, 3 system or git.\n"
	      "See ae(1) ('man ae') for the whole manual, a page per command.\n", f);
}


/* The command name names, exactly or by a unique prefix (as in tmux);
 * NULL, reported, when none or several. */
static const struct command *command_named(const char *name)
{
	const struct command *cmd = NULL;

	for (size_t k = 0; k < ncommands; k++) {
		if (!strcmp(name, commands[k].name))
			return &commands[k];
		if (!strncmp(name, commands[k].name, strlen(name))) {
			if (cmd) {
				error("'%s' is ambiguous: %s or %s?", name, cmd->name, commands[k].name);
				return NULL;
			}
			cmd = &commands[k];
		}
	}
	if (!cmd) {
		const char **names = xmalloc(sizeof(*names) * ncommands);
		const char *near;
		for (size_t k = 0; k < ncommands; k++)
			names[k] = commands[k].name;
		near = nearest_word(name, names, ncommands);
		error("'%s' is not an ae command; %s%s%ssee 'ae --help'", name,
		      near ? "did you mean '" : "", near ? near : "", near ? "'? " : "");
		free(names);
	}
	return cmd;
}

/* ae help [COMMAND]: ae --help, or the command's own --help. */
int cmd_help(int argc, char **argv, struct globals *g)
{
	const struct command *cmd;
	char *args[3];

	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	if (argc > 2 || is_help(argv[1])) {
		fputs("usage: ae help [COMMAND]\n\nThe help of ae (as 'ae --help'), or of COMMAND (as 'ae COMMAND --help').\n",
		      argc > 2 ? stderr : stdout);
		return argc > 2 ? EXIT_USAGE : 0;
	}
	if (!(cmd = command_named(argv[1])))
		return EXIT_USAGE;
	if (cmd->run == cmd_help)
		return cmd_help(2, (char *[]){ "help", "--help", NULL }, g);
	args[0] = (char *)cmd->name;
	args[1] = "--help";
	args[2] = NULL;
	return cmd->run(2, args, g);
}

static int parse_now(struct globals *g, const char *s)
{
	if (parse_datetime(s, strlen(s), &g->now) != DATE_OK) {
		error("--now wants 'YYYY-MM-DD HH:MM', not '%s' (%s)", s,
		      date_problem(s, strlen(s), 1, 1));
		return -1;
	}
	g->now_given = 1;
	g->now_text = s;
	return 0;
}

/*
 * A global option at argv[*i]: 1 and consumed (with its value), 0 if
 * argv[*i] is none, -1 (reported) when it is bad.
 */
static int global_option(struct globals *g, int argc, char **argv, int *i)
{
	const char *a = argv[*i];

	if (!strcmp(a, "-C") || !strcmp(a, "--at") || !strcmp(a, "--now") ||
	    !strcmp(a, "--threads")) {
		if (*i + 1 >= argc) {
			error("%s needs a value", a);
			return -1;
		}
		(*i)++;
		if (a[1] == 'C')
			g->dir = argv[*i];
		else if (!strcmp(a, "--at"))
			g->at = argv[*i];
		else if (!strcmp(a, "--threads"))
			return pool_set_threads_text(argv[*i], "--threads") < 0 ? -1 : 1;
		else if (parse_now(g, argv[*i]) < 0)
			return -1;
		return 1;
	}
	if (!strncmp(a, "--threads=", 10))
		return pool_set_threads_text(a + 10, "--threads") < 0 ? -1 : 1;
	if (!strncmp(a, "-C", 2) && a[2]) {
		g->dir = a + 2;
		return 1;
	}
	if (!strncmp(a, "--at=", 5)) {
		g->at = a + 5;
		return 1;
	}
	if (!strncmp(a, "--now=", 6))
		return parse_now(g, a + 6) < 0 ? -1 : 1;
	return 0;
}

/*
 * Global options after the command, as git, hledger and taskwarrior users
 * type them: taken out of the command's arguments up to a "--", which
 * stays for the command (a journal note may start with "--" after it).
 * Returns the command's new argc, or -1 (reported).
 */
static int globals_after_command(struct globals *g, int argc, char **argv)
{
	int out = 1, i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		int r = global_option(g, argc, argv, &i);
		if (r < 0)
			return -1;
		if (!r)
			argv[out++] = argv[i];
	}
	while (i < argc)
		argv[out++] = argv[i++];
	argv[out] = NULL;
	return out;
}

int main(int argc, char **argv)
{
	struct globals g;
	const struct command *cmd = NULL;
	const char *env_now = getenv("AE_NOW");
	int i, r, cargc;

	trace_perf("start");

	memset(&g, 0, sizeof(g));
	g.argv0 = argv[0];
	diag_setup(stderr, DIAG_TEXT, 0);
	if (pool_set_threads_text(NULL, NULL) < 0)
		return EXIT_USAGE;	/* $AE_THREADS; --threads overrides it */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (is_help(a)) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--version")) {
			printf("ae %s\n", AE_VERSION);
			return 0;
		} else if ((r = global_option(&g, argc, argv, &i)) < 0) {
			return EXIT_USAGE;
		} else if (!r) {
			error("unknown option '%s'", a);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "__complete"))
		return cmd_complete(argc - i, argv + i, &g);
	/* git's merge driver (ae init configures it): hidden, never a prefix */
	if (!strcmp(argv[i], "merge-driver"))
		return cmd_merge_driver(argc - i, argv + i, &g);
	if (!(cmd = command_named(argv[i])))
		return EXIT_USAGE;
	if ((cargc = globals_after_command(&g, argc - i, argv + i)) < 0)
		return EXIT_USAGE;
	if (!g.now_given && env_now && *env_now && parse_now(&g, env_now) < 0)
		return EXIT_USAGE;
	if (g.dir && chdir(g.dir) < 0) {
		error("cannot change to '%s': %s", g.dir, strerror(errno));
		return EXIT_SYSTEM;
	}
	g.dir = NULL;
	/* the command sees its own name, whatever prefix was typed */
	argv[i] = (char *)cmd->name;
	r = cmd->run(cargc, argv + i, &g);
	trace_perf("done");
	return r;
}
