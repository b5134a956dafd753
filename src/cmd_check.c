/* cmd_check.c -- ae check: validate the whole book (USE-2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "merge_conflict.h"
#include "rules.h"
#include "commit.h"
#include "store.h"
#include "store_team.h"
#include "strmap.h"
#include "sync.h"
#include "trace.h"

static const char usage[] =
	"usage: ae check [--staged [--merge]] [--format text|json] [-q]\n"
	"                [--column-unit display|char|byte]\n"
	"\n"
	"Check every record, the journal, ae.ini and the book's formats, and\n"
	"print each problem as 'path:line:col: error|warning: message [RULE]'.\n"
	"\n"
	"  --staged        check the book as staged in git's index, or in the index\n"
	"                  $GIT_INDEX_FILE names (the hooks of 'ae init' run this)\n"
	"  --merge         with --staged: the index is a merge git is about to record\n"
	"                  (the pre-merge-commit hook); its other side is what was\n"
	"                  fetched (FETCH_HEAD) when git has not said (MERGE_HEAD)\n"
	"  --format text   one line per problem (the default)\n"
	"  --format json   {\"diagnostics\": [...], \"errors\": N, \"warnings\": N}\n"
	"  --column-unit display  columns in terminal cells, a Chinese character\n"
	"                  two, a tab to the next multiple of 8 (the default, as GCC;\n"
	"                  what Emacs and vim's %v read)\n"
	"  --column-unit char     columns in characters\n"
	"  --column-unit byte     columns in bytes (vim's %c)\n"
	"  -q, --quiet     no summary line on standard error\n"
	"\n"
	"Exit status: 0 clean or warnings only, 1 errors in the records,\n"
	"2 usage, 3 the book or the system could not be read.\n";

/* Whether the work tree's file holds ae's conflict blocks (reported when it was read). */
static int described(const struct book *b, const char *path)
{
	char *full = xasprintf("%s/%s", b->root, path);
	struct strbuf sb = STRBUF_INIT;
	struct conflict_list l;
	int ret = 0;

	if (sb_read_file(&sb, full, (size_t)1 << 30) == 0) {
		ret = conflict_find(sb.buf ? sb.buf : "", sb.len, &l) > 0 && !l.stray;
		conflict_list_release(&l);
	}
	sb_release(&sb);
	free(full);
	return ret;
}

/*
 * In the middle of a merge: a record both sides made (two clones gave the
 * same number to different work offline) is the duplicate of JOBNO-1; a
 * number one side renumbered is still used by the other side's work, or
 * a record would mix two tickets (sync.h).  Staged: the renumbers only
 * (git's index holds no conflict a commit could take).
 */
static void merge_conflicts(struct book *b, int staged, int merge)
{
	/* plainly none (no merge, no conflict in the index): told without
	 * starting libgit2, whose start is a tenth of a warm check */
	struct store *s = b->root && (merge || !store_plainly_settled(b->root)) ?
			  store_try_open(b->root) : NULL;
	struct strlist paths = { 0 };

	if (!s)
		return;
	renumber_check_merging(s, b->src, merge);
	if (!staged && store_conflicts(s, &paths) == 0)
		for (size_t i = 0; i < paths.n; i++) {
			struct strbuf ours = STRBUF_INIT, theirs = STRBUF_INIT;
			const char *p = paths.v[i];
			const char *slash = strrchr(p, '/');
			int both = store_read_stage(s, p, 2, &ours) == 0 &&
				   store_read_stage(s, p, 3, &theirs) == 0;
			int base = store_read_stage(s, p, 1, &ours) == 0;

			if (described(b, p)) {
				/* the file's conflict blocks were reported, field by field */
			} else if (both && !base && slash && strcmp(p, "ae.ini") && strncmp(p, "journal/", 8)) {
				char *id = xstrndup(slash + 1, strlen(slash + 1) - (strlen(p) > 4 ? 4 : 0));
				diag_at(DIAG_ERROR, p, 1, 1, !strncmp(p, "jobs/", 5) ? "JOBNO-1" : "USE-3",
					"both sides of the merge made '%s', each its own record (here, and in the commit merged in); a number is never duplicated: 'ae renumber %s NEW' keeps both, giving this clone's one NEW ('ae renumber %s' suggests a free number)",
					id, id, id);
				free(id);
			} else {
				diag_at(DIAG_ERROR, p, 0, 0, "USE-3",
					"the merge left this file in conflict; resolve it (edit, then 'ae commit')");
			}
			sb_release(&ours);
			sb_release(&theirs);
		}
	strlist_release(&paths);
	store_free(s);
}

/*
 * The book as staged in git's index, for the pre-commit hook.  Only what
 * is staged is read in full (with the records it names): in a big book
 * that is a small part of the work.  1 when nothing is staged.
 */
static int open_staged(struct globals *g, struct book *b, struct strmap **plan,
		       struct strlist *keys)
{
	char *root = book_find_root(g->dir ? g->dir : ".");
	struct change_list ch = { 0 };
	struct store *s;
	struct source *src, *shipped;
	char *dir;
	int alone = 0;

	if (!root)
		return error("not inside a book: no ae.ini here or above");
	/* a hook's index: 'git commit -a' and 'git commit PATH' commit a temporary one */
	if (!(s = store_open(root, 0)) || store_use_env_index(s) < 0 || store_staged(s, &ch) < 0) {
		store_free(s);
		free(root);
		return -1;
	}
	if (!ch.n) {
		store_free(s);
		free(root);
		return 1;
	}
	if (!(src = store_source_index(s))) {
		change_list_release(&ch);
		store_free(s);
		free(root);
		return -1;
	}
	dir = formats_shipped_dir(g->argv0);
	shipped = source_fs_new(dir);
	free(dir);
	if (book_open_source(b, src, shipped) < 0) {
		b->store = s;
		b->root = root;
		return -1;
	}
	b->store = s;
	b->root = root;
	book_now(g, b);
	{
		struct source *head = store_head_unborn(s) ? NULL : store_source_rev(s, "HEAD");
		*plan = change_plan(b, head, src, &ch, keys, &alone);
		alone = alone && head;
		if (head)
			head->free(head);
	}
	change_list_release(&ch);
	diag_only(*plan);
	if (*plan)
		book_load_only(b, *plan, alone);
	else
		book_load(b);
	return 0;
}

int cmd_check(int argc, char **argv, struct globals *g)
{
	struct book b;
	enum diag_format fmt = DIAG_TEXT;
	int quiet = 0, merge = 0, status;
	unsigned errors, warnings;
	const char *unit;
	enum diag_unit u;
	struct strmap *plan = NULL;
	struct strlist plan_keys = { 0 };

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if ((status = arg_value(argc, argv, &i, "--column-unit", &unit)) != 0) {
			if (status < 0)
				return EXIT_USAGE;
			if (diag_unit_parse(unit, &u) < 0) {
				error("unknown column unit '%s' for check (display, char, byte)", unit);
				return EXIT_USAGE;
			}
			diag_column_unit(u);
		} else if (!strcmp(argv[i], "--staged")) {
			g->staged = 1;
		} else if (!strcmp(argv[i], "--merge")) {
			merge = 1;
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
	if (merge && !g->staged) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	g->check_only = 1;
	if (g->staged) {
		int r = open_staged(g, &b, &plan, &plan_keys);
		if (r == 1) {
			/* nothing staged: said, and in JSON an empty, valid answer */
			if (fmt == DIAG_JSON)
				diag_flush();
			else if (!quiet)
				fprintf(stderr, "ae: nothing staged to check: the index holds the book as HEAD has it\n");
			return 0;
		}
		if (r < 0)
			return EXIT_SYSTEM;
	} else if ((status = open_book(g, &b)) != 0) {
		return status;
	}
	trace_perf("book loaded");
	rules_check(&b);
	if (!g->at)
		merge_conflicts(&b, g->staged, merge);
	trace_perf("rules");
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
	trace_perf("diagnostics out");
	book_release(&b);
	diag_only(NULL);
	if (plan)
		strmap_release(plan);
	free(plan);
	strlist_release(&plan_keys);
	return status;
}
