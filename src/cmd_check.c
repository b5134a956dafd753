/* cmd_check.c -- ae check: validate the whole book (USE-2). */
#include <stdio.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "rules.h"

static const char usage[] =
	"usage: ae check [--staged] [--format text|json] [-q]\n"
	"\n"
	"Check every record, the journal, ae.ini and the book's formats, and\n"
	"print each problem as 'path:line:col: error|warning: message [RULE]'.\n"
	"\n"
	"  --staged        check the book as staged in git's index (the pre-commit\n"
	"                  hook of 'ae init' runs this)\n"
	"  --format text   one line per problem (the default)\n"
	"  --format json   {\"diagnostics\": [...], \"errors\": N, \"warnings\": N}\n"
	"  -q, --quiet     no summary line on standard error\n"
	"\n"
	"Exit status: 0 clean or warnings only, 1 errors in the records,\n"
	"2 usage, 3 the book or the system could not be read.\n";

int cmd_check(int argc, char **argv, struct globals *g)
{
	struct book b;
	enum diag_format fmt = DIAG_TEXT;
	int quiet = 0, status;
	unsigned errors, warnings;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--staged")) {
			g->staged = 1;
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			quiet = 1;
		} else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			const char *f = argv[++i];
			if (!strcmp(f, "json"))
				fmt = DIAG_JSON;
			else if (!strcmp(f, "text"))
				fmt = DIAG_TEXT;
			else {
				error("unknown format '%s' for check (text, json)", f);
				return EXIT_USAGE;
			}
		} else if (!strncmp(argv[i], "--format=", 9)) {
			const char *f = argv[i] + 9;
			if (!strcmp(f, "json"))
				fmt = DIAG_JSON;
			else if (strcmp(f, "text")) {
				error("unknown format '%s' for check (text, json)", f);
				return EXIT_USAGE;
			}
		} else {
			error("unknown option '%s' for check", argv[i]);
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	diag_setup(stdout, fmt, fmt == DIAG_TEXT && want_color(stdout));
	if ((status = open_book(g, &b)) != 0)
		return status;
	rules_check(&b);
	errors = diag_count(DIAG_ERROR) + diag_count(DIAG_SYSTEM);
	warnings = diag_count(DIAG_WARNING);
	status = diag_flush();
	if (!quiet && fmt == DIAG_TEXT) {
		if (errors || warnings)
			fprintf(stderr, "ae: %u error%s, %u warning%s in %zu records and %zu journal lines\n",
				errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
				b.nrecs, b.journal.lines);
		else
			fprintf(stderr, "ae: %zu records and %zu journal lines checked: no problems\n",
				b.nrecs, b.journal.lines);
	}
	book_release(&b);
	return status;
}
