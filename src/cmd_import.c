/* cmd_import.c -- ae import clients: a spreadsheet's client list made
 * client records, checked all together, committed once (REC-1, REC-2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "commit.h"
#include "csv_read.h"
#include "diag.h"
#include "editing.h"
#include "import_clients.h"
#include "numbering.h"

static const char usage[] =
	"usage: ae import clients [--map COLUMN=FIELD]... [--encoding ENC] [--dry-run]\n"
	"                         [--skip-bad] [--as STAFF] [-m MESSAGE] FILE.csv\n"
	"\n"
	"Make one client record per row of a sheet saved as CSV (UTF-8 with or\n"
	"without a byte-order mark, or GBK/GB18030 as Chinese Excel saves it; CRLF\n"
	"or LF), check them all with the book, and commit them in one commit.\n"
	"The header row names the fields, by name or label (name or 客户名称);\n"
	"an 'id' (客户代码) column gives each client's code, otherwise it is\n"
	"numbered as 'ae new client' does, from 'name_code' and 'city_code'.\n"
	"\n"
	"  --map COLUMN=FIELD  read the column (its heading or number) as FIELD;\n"
	"                  --map COLUMN= leaves the column out\n"
	"  --encoding ENC  read the file as ENC (any iconv name) instead of guessing\n"
	"  --dry-run       check, and print what would be made; write nothing\n"
	"  --skip-bad      import the good rows even if some rows have errors\n"
	"  --as STAFF      import as this member of staff (default: git's identity)\n"
	"  -m MESSAGE      the commit's summary line\n"
	"\n"
	"A row's problems are reported as FILE.csv:ROW:COL: error: ..., ROW and\n"
	"COL as the spreadsheet numbers them.  Nothing is written if any row has\n"
	"errors, unless --skip-bad.  Exit status: 0 imported, 1 rows with errors,\n"
	"2 usage, 3 the file, the book or git could not be read or written.\n";

/* Keep a copy of each diagnostic the book's check collected. */
struct kept {
	struct import *im;
	struct diag_item *v;
	size_t n, alloc;
};

static void keep_diag(void *ctx, const struct diag_item *d)
{
	struct kept *k = ctx;

	if (import_trace(k->im, d))
		return;
	ALLOC_GROW(k->v, k->n + 1, k->alloc);
	k->v[k->n] = *d;
	k->v[k->n].path = xstrdup(d->path);
	k->v[k->n].rule = d->rule ? xstrdup(d->rule) : NULL;
	k->v[k->n].msg = xstrdup(d->msg);
	k->n++;
}

static void kept_release(struct kept *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free((char *)k->v[i].path);
		free((char *)k->v[i].rule);
		free((char *)k->v[i].msg);
	}
	free(k->v);
	k->v = NULL;
	k->n = k->alloc = 0;
}

/*
 * The book as it will be with the good rows' records, checked as the
 * commit will check it; its problems traced to the rows, the others (about
 * files already in the book) kept in *other.  Returns the number of rows
 * checked, or -1 (reported).
 */
static int check_rows(struct globals *g, const char *root, struct import *im, struct kept *other)
{
	struct source *mem = source_mem_new();
	struct change_list changes = { 0 };
	struct book after;
	int n = 0, r;

	for (size_t i = 0; i < im->n; i++) {
		const struct import_row *row = &im->rows[i];
		if (row->bad || !row->text)
			continue;
		source_mem_put(mem, row->path, row->text, strlen(row->text));
		ALLOC_GROW(changes.v, changes.n + 1, changes.alloc);
		changes.v[changes.n].path = xstrdup(row->path);
		changes.v[changes.n++].type = CH_ADDED;
		n++;
	}
	if (!n) {
		mem->free(mem);
		return 0;
	}
	r = book_after(g, root, mem, &changes, &after);
	change_list_release(&changes);
	if (r == 0) {
		import_forget_good(im);
		kept_release(other);
		other->im = im;
		diag_each(keep_diag, other);
	}
	book_release(&after);
	diag_reset();
	return r < 0 ? -1 : n;
}

static size_t count_bad(const struct import *im)
{
	size_t n = 0;

	for (size_t i = 0; i < im->n; i++)
		n += im->rows[i].bad;
	return n;
}

int cmd_import(int argc, char **argv, struct globals *g)
{
	struct commit_opts o = { NULL, NULL, 0 };
	struct import_opts io = { 0 };
	const char **map = xcalloc((size_t)argc + 1, sizeof(*map));
	const char *file = NULL, *encoding = NULL, *v;
	struct strlist used = { 0 };
	struct change_set cs = { 0 };
	struct kept other = { 0 };
	struct import im = { 0 };
	struct csv csv = { 0 };
	struct book b;
	int dry = 0, skip_bad = 0, status = 0, opened = 0, nmap = 0, r, mark;
	size_t bad, good;
	char *summary = NULL;

	if (argc < 2 || is_help(argv[1]) || strcmp(argv[1], "clients")) {
		if (argc >= 2 && !is_help(argv[1]))
			error("ae import knows 'clients', not '%s'", argv[1]);
		fputs(usage, argc >= 2 && is_help(argv[1]) ? stdout : stderr);
		free(map);
		return argc >= 2 && is_help(argv[1]) ? 0 : EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			goto out;
		} else if ((r = arg_value(argc, argv, &i, "--map", &v)) != 0) {
			if (r < 0)
				goto usage;
			map[nmap++] = v;
		} else if ((r = arg_value(argc, argv, &i, "--encoding", &encoding)) != 0) {
			if (r < 0)
				goto usage;
		} else if ((r = arg_value(argc, argv, &i, "--as", &o.as)) != 0) {
			if (r < 0)
				goto usage;
		} else if ((r = arg_value(argc, argv, &i, "-m", &o.summary)) != 0) {
			if (r < 0)
				goto usage;
		} else if (!strcmp(argv[i], "--dry-run") || !strcmp(argv[i], "-n")) {
			dry = 1;
		} else if (!strcmp(argv[i], "--skip-bad")) {
			skip_bad = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			error("unknown option '%s' for import", argv[i]);
			goto usage;
		} else if (!file) {
			file = argv[i];
		} else {
			error("one file at a time: '%s' and '%s'", file, argv[i]);
			goto usage;
		}
	}
	if (!file) {
		error("which file? ae import clients FILE.csv");
		goto usage;
	}
	if (g->at) {
		error("--at reads the past; an import is made now (drop --at)");
		goto usage;
	}
	diag_setup(stderr, DIAG_TEXT, want_color(stderr));
	/* the book lock before the book is read: numbers are given under it
	 * (editing.h); a dry run changes nothing */
	if ((status = dry ? open_book(g, &b) : open_book_to_change(g, &b, argc, argv)) != 0)
		goto out;
	opened = 1;
	diag_reset();
	if (!(io.me = editor_identity(&b, o.as))) {
		status = EXIT_USAGE;
		goto out;
	}
	io.now = g->now;
	io.map = map;
	io.nmap = nmap;

	/* the sheet's columns are not columns of text: never converted */
	diag_text_from(NULL, &mark);
	r = csv_read_file(&csv, file, file, encoding);
	if (r == 0 && csv.n < 2) {
		diag_at(DIAG_ERROR, file, 0, 0, NULL,
			csv.n ? "no rows under the header" : "no header and no rows: the file is empty");
		r = 1;
	}
	if (r == 0 && (r = import_map(&im, &b, &csv, file, &io)) == 2) {
		status = EXIT_USAGE;
		goto out;
	}
	if (r != 0) {
		status = r < 0 ? EXIT_SYSTEM : diag_flush();
		goto out;
	}

	/* build, check, and with --skip-bad again without the bad rows,
	 * until no checked row goes bad (renumbered each time: no gaps) */
	used_ids(&b, K_CLIENT, &used);
	do {
		bad = count_bad(&im);
		import_build(&im, &b, &io, &used);
		if (check_rows(g, b.root, &im, &other) < 0) {
			status = EXIT_SYSTEM;
			goto out;
		}
	} while (skip_bad && count_bad(&im) > bad && count_bad(&im) < im.n);
	bad = count_bad(&im);
	good = im.n - bad;

	import_report(&im);
	diag_text_done(&mark);	/* the book's own files: columns of text again */
	for (size_t i = 0; i < other.n; i++)
		diag_at(other.v[i].level, other.v[i].path, other.v[i].line, other.v[i].col,
			other.v[i].rule, "%s", other.v[i].msg);
	status = diag_flush();
	if (status == EXIT_SYSTEM)
		goto out;
	for (size_t i = 0; i < other.n; i++)
		if (other.v[i].level != DIAG_WARNING) {
			error("the book as it would be has errors outside the imported rows (above); nothing imported");
			status = EXIT_BAD_RECORDS;
			goto out;
		}
	if (bad && (!skip_bad || !good)) {
		error("nothing imported: %zu of %zu row%s %s errors%s", bad, im.n, im.n == 1 ? "" : "s",
		      bad == 1 ? "has" : "have",
		      skip_bad ? "" : " (fix them, or --skip-bad to import the others)");
		status = EXIT_BAD_RECORDS;
		goto out;
	}
	for (size_t i = 0; i < im.n; i++) {
		const struct import_row *row = &im.rows[i];
		if (row->bad)
			continue;
		if (dry)
			printf("row %d: %s  %s\n", row->src->row, row->path, row->name);
		else
			change_set_add(&cs, row->path, xstrdup(row->text), strlen(row->text));
	}
	if (dry) {
		printf("%zu client%s from %s (read as %s)%s; nothing written (--dry-run)\n", good,
		       good == 1 ? "" : "s", file, csv.encoding,
		       bad ? ", rows with errors left out" : "");
		status = bad ? EXIT_BAD_RECORDS : 0;
		goto out;
	}
	if (!o.summary) {
		const char *base = strrchr(file, '/');
		summary = xasprintf("import %zu client%s from %s", good, good == 1 ? "" : "s",
				    base ? base + 1 : file);
		o.summary = summary;
	}
	for (size_t i = 0; i < cs.n; i++)
		printf("%s\n", cs.v[i].path);
	status = apply_changes(g, b.root, &cs, &o, 0);
	if (status == 0 && bad) {
		error("%zu row%s with errors left out (--skip-bad)", bad, bad == 1 ? "" : "s");
		status = EXIT_BAD_RECORDS;
	}
	goto out;
usage:
	fputs(usage, stderr);
	status = EXIT_USAGE;
out:
	diag_text_done(&mark);
	if (opened)
		book_release(&b);
	end_change(g);
	change_set_release(&cs);
	kept_release(&other);
	import_release(&im);
	csv_release(&csv);
	strlist_release(&used);
	free(summary);
	free(map);
	return status;
}
