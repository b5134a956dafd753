/* cmd_commit.c -- ae commit: validate, then commit the book's changes (USE-2, USE-3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae.h"
#include "book.h"
#include "commit.h"
#include "diag.h"
#include "editing.h"
#include "store.h"

static const char usage[] =
	"usage: ae commit [-m MESSAGE] [--as STAFF] [PATH...]\n"
	"\n"
	"Check the book as it will be after the commit, and if nothing is wrong\n"
	"commit exactly the changed records, journal files and settings (new,\n"
	"modified, deleted) -- all of them, or the PATHs given.  The message names\n"
	"the records and the fields that changed; -m replaces its first line.\n"
	"\n"
	"  -m MESSAGE   the summary line\n"
	"  --as STAFF   commit as this staff member (default: the one whose email\n"
	"               in ae.ini is git's user.email, or whose name is user.name)\n"
	"\n"
	"On any error nothing is committed and no file is touched (exit 1).\n"
	"Nothing to commit is not an error.\n";

int cmd_commit(int argc, char **argv, struct globals *g)
{
	struct commit_opts o = { NULL, NULL, 0 };
	struct strlist paths = { 0 };
	char *root;
	int status;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "-m") && i + 1 < argc) {
			o.summary = argv[++i];
		} else if (!strcmp(argv[i], "--as") && i + 1 < argc) {
			o.as = argv[++i];
		} else if (argv[i][0] == '-') {
			error("unknown option '%s' for commit", argv[i]);
			fputs(usage, stderr);
			return EXIT_USAGE;
		} else {
			strlist_add(&paths, argv[i]);
		}
	}
	if (g->at) {
		error("--at reads the past; commit changes the present (drop --at)");
		strlist_release(&paths);
		return EXIT_USAGE;
	}
	if (!(root = book_find_root("."))) {
		error("not inside a book: no ae.ini here or above; 'ae init' makes one");
		strlist_release(&paths);
		return EXIT_SYSTEM;
	}
	/* paths are given relative to where we stand; the book wants them
	 * relative to its root */
	{
		char cwd[4096];
		if (getcwd(cwd, sizeof(cwd)) && strncmp(cwd, root, strlen(root)) == 0) {
			const char *rel = cwd + strlen(root);
			while (*rel == '/')
				rel++;
			for (size_t i = 0; i < paths.n && *rel; i++) {
				char *p = xasprintf("%s/%s", rel, paths.v[i]);
				free(paths.v[i]);
				paths.v[i] = p;
			}
		}
	}
	for (size_t i = 0; i < paths.n; i++) {
		const char *p = paths.v[i];
		char *full = xasprintf("%s/%s", root, p);
		int here = access(full, F_OK) == 0;
		free(full);
		if (p[0] == '/' || strstr(p, "..")) {
			error("'%s' is not a path inside the book", p);
			strlist_release(&paths);
			free(root);
			return EXIT_USAGE;
		}
		if (!here) {
			/* a deleted file is still committable: HEAD has it */
			struct store *s = store_try_open(root);
			struct strbuf sb = STRBUF_INIT;
			int in_head = s && store_read_head(s, p, &sb) == 0;
			sb_release(&sb);
			store_free(s);
			if (!in_head) {
				error("no file '%s' in the book, now or at HEAD", p);
				strlist_release(&paths);
				free(root);
				return EXIT_USAGE;
			}
		}
	}
	/* the changes are read under the lock, and committed under it */
	if ((status = lock_book(g, root, argc, argv)) == 0) {
		int landed = 0;
		status = commit_book(g, root, &paths, &o, &landed);
		if (status == EXIT_SYSTEM && !landed)
			error("nothing was changed");
		end_change(g);
	}
	strlist_release(&paths);
	free(root);
	return status;
}
