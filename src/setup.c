/* setup.c -- what every command does first: find and open the book, and
 * settle "now" (see ae.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "gitconfig.h"
#include "store.h"
#include "store_team.h"
#include "tz.h"

int arg_value(int argc, char **argv, int *i, const char *name, const char **out)
{
	size_t n = strlen(name);

	if (!strcmp(argv[*i], name)) {
		if (*i + 1 >= argc) {
			error("%s needs a value", name);
			return -1;
		}
		*out = argv[++*i];
		return 1;
	}
	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=') {
		*out = argv[*i] + n + 1;
		return 1;
	}
	return 0;
}

int is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

/* The clock read in the book's time zone. */
static void clock_now(struct globals *g, const char *tz)
{
	g->now = tz_from_utc(tz, time(NULL));
}

/*
 * 0 when git plainly has no merge in progress for the book at root, told
 * from the files alone: libgit2's start (its TLS library parses every CA
 * certificate of the system) costs more than the rest of a warm 'ae due'
 * of a small book.  The repository is found as gitconfig_gitdir() finds
 * it (where libgit2 would find none, there is no merge either) and holds
 * no MERGE_HEAD.  Anything it leaves to libgit2 (a worktree's .git file,
 * a bare repository, someone else's, $GIT_DIR...) or a MERGE_HEAD: 1, and
 * libgit2 is asked.
 */
static int maybe_merging(const char *root)
{
	struct stat st;
	char *gitdir, *merge;
	int hard, ret;

	if (!(gitdir = gitconfig_gitdir(root, &hard)))
		return hard;
	merge = xasprintf("%s/MERGE_HEAD", gitdir);
	ret = !(lstat(merge, &st) < 0 && errno == ENOENT);
	free(merge);
	free(gitdir);
	return ret;
}

/*
 * Whether the book at root is in a merge that left files in conflict
 * (said, with what to do): a journal in conflict is read as neither
 * side, so figures computed from it would be wrong without a word.
 */
static int in_conflict(const char *root, const char *what)
{
	struct store *s = root && maybe_merging(root) ? store_try_open(root) : NULL;
	struct strlist paths = { 0 };
	int ret = 0;

	if (s && store_merging(s) && store_conflicts(s, &paths) == 0 && paths.n) {
		struct strbuf list = STRBUF_INIT;
		for (size_t i = 0; i < paths.n; i++)
			sb_addf(&list, "%s%s", i ? ", " : "", paths.v[i]);
		error("the book is in a merge that left %s in conflict; settle %s before '%s' ('ae check' describes each conflict)",
		      list.buf, paths.n == 1 ? "it" : "them", what);
		sb_release(&list);
		ret = 1;
	}
	strlist_release(&paths);
	store_free(s);
	return ret;
}

moment_t book_now(struct globals *g, struct book *b)
{
	if (!g->now_given && !g->now)
		clock_now(g, b->cfg.timezone ? b->cfg.timezone : "Asia/Shanghai");
	return b->now = g->now;
}

int open_book_to_read(struct globals *g, struct book *b, const char *what, int *bad)
{
	int status = open_book(g, b);

	*bad = 0;
	if (status)
		return status;
	if (!b->config_ok || diag_count(DIAG_SYSTEM)) {
		/* results from broken settings would mislead: show why and stop */
		status = diag_flush();
		error("the book's settings are wrong; fix them ('ae check') before '%s'", what);
		book_release(b);
		return status ? status : EXIT_BAD_RECORDS;
	}
	if (!g->at && in_conflict(b->root, what)) {
		book_release(b);
		return EXIT_BAD_RECORDS;
	}
	for (size_t i = 0; i < b->nrecs; i++)
		*bad += b->recs[i].bad;
	return 0;
}

static int open_unloaded(struct globals *g, struct book *b, int whole);

int open_book(struct globals *g, struct book *b)
{
	int status = open_unloaded(g, b, 1);

	if (status == 0)
		book_load(b);
	return status;
}

int open_book_unloaded(struct globals *g, struct book *b)
{
	return open_unloaded(g, b, 0);
}

/* whole: the book will be loaded whole (book_open_whole()) */
static int open_unloaded(struct globals *g, struct book *b, int whole)
{
	struct store *bare = g->at ? store_open_bare(g->dir ? g->dir : ".") : NULL;
	char *root = bare ? xstrdup(store_gitdir(bare)) : book_find_root(g->dir ? g->dir : ".");
	int r;

	if (!root && (bare = store_open_bare(g->dir ? g->dir : "."))) {
		error("'%s' is a bare repository: it has no work tree to read\n"
		      "hint: read a commit of it with 'ae --at REV COMMAND' (its pre-receive hook runs 'ae --at SHA check')",
		      store_gitdir(bare));
		store_free(bare);
		return EXIT_USAGE;
	}
	if (!root) {
		error("not inside a book: no ae.ini in '%s' or any folder above it\n"
		      "hint: 'ae init' makes a book here; '-C DIR' runs in another folder",
		      g->dir ? g->dir : ".");
		return EXIT_SYSTEM;
	}
	if (g->at || g->staged) {
		/* the same book, read from a commit or the index */
		/* a bare repository: the shared remote's pre-receive check */
		struct store *st = bare ? bare : store_open(root, 0);
		struct source *src = NULL, *shipped;
		char *dir;

		if (st)
			src = g->staged ? store_source_index(st) : store_source_rev(st, g->at);
		if (!src) {
			store_free(st);
			free(root);
			return EXIT_SYSTEM;
		}
		dir = formats_shipped_dir(g->argv0);
		shipped = source_fs_new(dir);
		free(dir);
		r = book_open_source(b, src, shipped);
		b->store = st;
		b->root = root;
		b->rev = g->at;
	} else {
		r = whole ? book_open_whole(b, root, g->argv0) : book_open(b, root, g->argv0);
		free(root);
	}
	if (r < 0) {
		book_release(b);
		return EXIT_SYSTEM;
	}
	if (!g->now_given)
		clock_now(g, b->cfg.timezone);
	book_now(g, b);
	b->journal.check_only = g->check_only;
	/* a writer (holding the book lock) reads the parse cache, not writes it */
	b->cache_write = !g->lock;
	return 0;
}
