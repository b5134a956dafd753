/* cmd_commit.c -- ae commit: validate, then commit the book's changes (USE-2, USE-3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include <unistd.h>

#include "ae.h"
#include "book.h"
#include "commitmsg.h"
#include "diag.h"
#include "rules.h"
#include "store.h"
#include "tz.h"

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

/* Who is committing: --as, or git's user.email / user.name matched to staff. */
static const struct staff *whoami(const struct book *b, struct store *s, const char *as,
				  char **email_out)
{
	char *name = NULL, *email = NULL;
	const struct staff *st = NULL;

	store_identity(s, &name, &email);
	if (as) {
		st = config_staff(&b->cfg, as);
		if (!st)
			error("--as '%s' is not a staff member in ae.ini", as);
	} else {
		for (size_t i = 0; i < b->cfg.nstaff && !st; i++) {
			const struct staff *c = &b->cfg.staff[i];
			if (email && c->email && !strcasecmp(c->email, email))
				st = c;
		}
		for (size_t i = 0; i < b->cfg.nstaff && !st; i++) {
			const struct staff *c = &b->cfg.staff[i];
			if (name && ((c->name && !strcmp(c->name, name)) || !strcmp(c->id, name)))
				st = c;
		}
		if (!st)
			error("who are you? git's user.email is %s%s%s and user.name %s%s%s, and neither matches a staff member of ae.ini\n"
			      "hint: give your [staff] section 'email = <your git user.email>', or commit with --as STAFF",
			      email ? "'" : "", email ? email : "unset", email ? "'" : "",
			      name ? "'" : "", name ? name : "unset", name ? "'" : "");
	}
	if (st) {
		if (st->email)
			*email_out = xstrdup(st->email);
		else if (email)
			*email_out = xstrdup(email);
		else
			*email_out = xasprintf("%s@ae.invalid", st->id);
	}
	free(name);
	free(email);
	return st;
}

int cmd_commit(int argc, char **argv, struct globals *g)
{
	const char *summary = NULL, *as = NULL;
	struct strlist paths = { 0 }, changed = { 0 };
	struct change_list changes = { 0 };
	struct store *s = NULL;
	struct book b;
	const struct staff *me;
	char *root = NULL, *email = NULL, *msg = NULL, oid[41];
	int status = 0, r, opened = 0;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "-m") && i + 1 < argc) {
			summary = argv[++i];
		} else if (!strcmp(argv[i], "--as") && i + 1 < argc) {
			as = argv[++i];
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
		return EXIT_USAGE;
	}
	root = book_find_root(".");
	if (!root) {
		error("not inside a book: no ae.ini here or above; 'ae init' makes one");
		status = EXIT_SYSTEM;
		goto out;
	}
	if (!(s = store_open(root, 1))) {
		status = EXIT_SYSTEM;
		goto out;
	}
	/* paths are given relative to where we stand; the store wants them
	 * relative to the book */
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
	if (store_changes(s, &paths, &changes) < 0) {
		status = EXIT_SYSTEM;
		goto out;
	}
	if (!changes.n) {
		printf("nothing to commit: the book is as HEAD has it\n");
		goto out;
	}
	/* the book as it will be: HEAD, with the changed paths from the work tree */
	for (size_t i = 0; i < changes.n; i++)
		strlist_add(&changed, changes.v[i].path);
	diag_setup(stderr, DIAG_TEXT, want_color(stderr));
	{
		struct store *head_store = store_open(root, 0);
		struct source *head = head_store && !store_head_unborn(head_store) ?
				      store_source_rev(head_store, "HEAD") : NULL;
		struct source *work = source_fs_new(root), *src, *shipped;
		char *dir = formats_shipped_dir(g->argv0);

		if (!head) {
			/* an unborn branch: everything comes from the work tree */
			src = work;
			store_free(head_store);
			head_store = NULL;
		} else {
			src = source_overlay_new(head, work, &changed);
		}
		shipped = source_fs_new(dir);
		free(dir);
		r = book_open_source(&b, src, shipped);
		b.store = head_store;
		b.root = xstrdup(root);
		opened = 1;
		if (r < 0) {
			status = EXIT_SYSTEM;
			goto out;
		}
	}
	book_load(&b);
	rules_check(&b);
	if (diag_count(DIAG_ERROR) || diag_count(DIAG_SYSTEM)) {
		diag_flush();
		error("nothing committed: fix the errors above ('ae check' shows them again)");
		status = EXIT_BAD_RECORDS;
		goto out;
	}
	diag_flush();	/* warnings */
	if (!(me = whoami(&b, s, as, &email))) {
		status = EXIT_USAGE;
		goto out;
	}
	msg = commit_message(&b, s, &changes, summary);
	diag_reset();
	{
		/* dated on the book's wall clock: a Shanghai book's diary reads +0800 */
		time_t now = time(NULL);
		moment_t wall = tz_from_utc(b.cfg.timezone, now);
		int offset = (int)(wall - (moment_t)(now / 60));
		r = store_commit(s, &changes, msg, me->name ? me->name : me->id, email, offset, oid);
	}
	if (r < 0) {
		status = EXIT_SYSTEM;
	} else if (r == 1) {
		printf("nothing to commit: the book is as HEAD has it\n");
	} else {
		char *nl = strchr(msg, '\n');
		printf("[%.7s] %.*s\n", oid, nl ? (int)(nl - msg) : (int)strlen(msg), msg);
		for (size_t i = 0; i < changes.n; i++)
			printf(" %s %s\n", changes.v[i].type == CH_ADDED ? "new     " :
			       changes.v[i].type == CH_DELETED ? "deleted " : "modified", changes.v[i].path);
	}
out:
	if (opened)
		book_release(&b);
	store_free(s);
	change_list_release(&changes);
	strlist_release(&paths);
	strlist_release(&changed);
	free(root);
	free(email);
	free(msg);
	return status;
}
