/*
 * cmd_sync.c -- ae sync: fetch, merge field by field, check, commit the
 * merge, push; all under the book lock (docs/ae-sync.1.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "clonesetup.h"
#include "diag.h"
#include "editing.h"
#include "store.h"
#include "store_sync.h"
#include "sync.h"
#include "sync_git.h"

/* Fetches and merges again when someone pushed in between: at most. */
#define SYNC_ROUNDS 3
/* A round's answer: the push was rejected, go round again (no exit status). */
#define AGAIN (-1)

static const char usage[] =
	"usage: ae sync [--no-push] [--as STAFF] [-m MESSAGE]\n"
	"       ae sync --continue [--no-push] [--as STAFF] [-m MESSAGE]\n"
	"\n"
	"Exchange the book with its shared remote: fetch (git's own transport),\n"
	"merge the others' work into yours record by record and field by field,\n"
	"check the whole merged book, commit the merge with a message that says\n"
	"what arrived and from whom, and push.  With nothing to do it says so;\n"
	"with only your commits it pushes them; when someone pushed meanwhile it\n"
	"fetches and merges again.\n"
	"\n"
	"On a conflict (both sides changed one field) or an error in the merged\n"
	"book nothing is committed or pushed: ae says which fields of which\n"
	"records, each side's value and who made it.  Settle each with 'ae\n"
	"resolve', then 'ae sync --continue' commits the merge and pushes it.\n"
	"\n"
	"  --continue   conclude the merge a conflict stopped, then push\n"
	"  --no-push    fetch and merge only\n"
	"  --as STAFF   the merge's author (default: as ae commit finds you)\n"
	"  -m MESSAGE   the merge commit's summary line\n"
	"\n"
	"Exit status: 0 in sync; 1 conflicts or errors are left, or the remote\n"
	"refused the book; 2 usage, uncommitted changes, no remote; 3 git or the\n"
	"system failed (nothing was changed).\n";

struct sync_run {
	struct globals *g;
	const char *root;
	struct store_upstream up;
	struct commit_opts o;
	int no_push;
	int fetched;		/* rounds fetched so far */
};

static int fetch(struct sync_run *r)
{
	const char *args[] = { "fetch", "--quiet", r->up.remote, NULL };
	int st = run_git(r->root, args, NULL);

	r->fetched++;
	if (st != 0) {
		if (st > 0)
			error("unable to fetch from '%s' (git's message above); nothing was changed",
			      r->up.remote);
		return EXIT_SYSTEM;
	}
	return 0;
}

struct authors {
	struct strlist names;
	size_t commits;
};

static int collect_author(const struct store_commit_info *c, void *arg)
{
	struct authors *a = arg;
	int seen = 0;

	a->commits++;
	for (size_t i = 0; i < a->names.n && !seen; i++)
		seen = !strcmp(a->names.v[i], c->author);
	if (!seen)
		strlist_add(&a->names, c->author);
	return 0;
}

/* "3 commits by 王芳, 赵磊" for the commits of tip not in hide. */
static char *describe_range(struct store *s, const char *tip, const char *hide)
{
	struct authors a = { { 0 }, 0 };
	struct strbuf sb = STRBUF_INIT;

	store_range(s, tip, hide, collect_author, &a);
	sb_addf(&sb, "%zu commit%s", a.commits, a.commits == 1 ? "" : "s");
	for (size_t i = 0; i < a.names.n; i++)
		sb_addf(&sb, "%s%s", i ? ", " : " by ", a.names.v[i]);
	strlist_release(&a.names);
	return sb_detach(&sb);
}

/* Push HEAD: 0 pushed, AGAIN when rejected (someone pushed: fetch
 * again), or an exit status. */
static int push(struct sync_run *r, struct store *s, const char *theirs)
{
	char *dest = xasprintf("HEAD:refs/heads/%s", r->up.branch), *what;
	/* git's advice on a rejected push would say to pull: ae does that */
	const char *args[8] = { "-c", "advice.pushUpdateRejected=false", "push", "--porcelain" };
	size_t n = 4;
	struct strbuf out = STRBUF_INIT;
	int st, status = 0;

	if (!r->up.configured)
		args[n++] = "--set-upstream";	/* 'ae sync' finds it next time */
	args[n++] = r->up.remote;
	args[n++] = dest;
	args[n] = NULL;
	/* what is pushed is checked first: the remote would refuse it anyway */
	if ((status = sync_check_head(r->g, r->root, theirs[0] ? theirs : NULL)) != 0)
		goto out;
	what = describe_range(s, "HEAD", theirs[0] ? theirs : NULL);
	st = run_git(r->root, args, &out);
	switch (st < 0 ? PUSH_FAILED : push_outcome(out.buf ? out.buf : "", st)) {
	case PUSH_OK:
		printf("pushed %s to %s\n", what, r->up.name);
		break;
	case PUSH_REJECTED:
		status = AGAIN;
		break;
	case PUSH_REFUSED:
		fputs(out.buf ? out.buf : "", stderr);
		error("%s refused the push: the book it would hold has the errors above; fix them, then 'ae sync' again",
		      r->up.name);
		status = EXIT_BAD_RECORDS;
		break;
	case PUSH_FAILED:
		fputs(out.buf ? out.buf : "", stderr);
		error("unable to push to %s (git's message above); your commits are kept here, 'ae sync' again pushes them",
		      r->up.name);
		status = EXIT_SYSTEM;
		break;
	}
	free(what);
out:
	sb_release(&out);
	free(dest);
	return status;
}

/* Refuse to merge over changes that are not committed. */
static int uncommitted(struct store *s)
{
	struct change_list ch = { 0 };
	struct strbuf sb = STRBUF_INIT;
	int status = 0;

	if (store_changes(s, NULL, &ch) < 0)
		return EXIT_SYSTEM;
	if (ch.n) {
		for (size_t i = 0; i < ch.n && i < 8; i++)
			sb_addf(&sb, "\n  %s", ch.v[i].path);
		if (ch.n > 8)
			sb_addf(&sb, "\n  ... and %zu more", ch.n - 8);
		error("the book has changes that are not committed:%s\nhint: commit them first ('ae commit'), then 'ae sync'",
		      sb.buf);
		status = EXIT_USAGE;
	}
	sb_release(&sb);
	change_list_release(&ch);
	return status;
}

/* One round: fetch, bring in, push.  0 in sync, AGAIN to go round again
 * (the push was rejected), or an exit status. */
static int sync_round(struct sync_run *r)
{
	struct store *s = NULL;
	char head[41], theirs[41];
	size_t ahead = 0, behind = 0;
	int status, have_theirs;

	if ((status = fetch(r)) != 0)
		return status;
	if (!(s = store_open(r->root, 1)) || store_head_id(s, head) < 0 ||
	    (have_theirs = store_rev(s, r->up.tracking, theirs)) < 0) {
		store_free(s);
		return EXIT_SYSTEM;
	}
	if (have_theirs == 1)
		theirs[0] = '\0';
	if (!head[0] && !theirs[0]) {
		printf("nothing to sync: no commit here nor on %s\n", r->up.name);
		goto done;
	}
	if (head[0] && theirs[0] && store_ahead_behind(s, head, theirs, &ahead, &behind) < 0) {
		status = EXIT_SYSTEM;
		goto done;
	}
	if (!head[0])
		behind = 1;
	else if (!theirs[0])
		ahead = 1;
	if (!ahead && !behind) {
		printf("already in sync with %s: nothing to fetch, nothing to push\n", r->up.name);
		goto done;
	}
	if (behind) {
		char *what;
		/* only what arrives needs a clean work tree: with nothing to
		 * bring in, no file is stat'ed (the book's 10,000 files) */
		if ((status = uncommitted(s)) != 0)
			goto done;
		what = describe_range(s, theirs, head[0] ? head : NULL);
		if (!ahead) {
			if ((status = sync_fast_forward(r->g, r->root, theirs)) == 0)
				printf("brought in %s from %s (fast-forward)\n", what, r->up.name);
			free(what);
			if (!status)
				status = sync_check_head(r->g, r->root, head[0] ? head : NULL);
			goto done;
		}
		printf("merging %s from %s\n", what, r->up.name);
		free(what);
		{
			int merged = 0;
			if ((status = sync_merge(r->g, r->root, theirs, r->up.name, &r->o, &merged)) != 0)
				goto done;
		}
	}
	if (r->no_push) {
		printf("not pushed (--no-push): 'ae sync' pushes your commits\n");
		goto done;
	}
	status = push(r, s, theirs);
done:
	store_free(s);
	return status;
}

static int run(struct sync_run *r)
{
	int status;

	for (int i = 0; i < SYNC_ROUNDS; i++) {
		if ((status = sync_round(r)) != AGAIN)
			return status;
		printf("%s moved while pushing (someone pushed): fetching and merging again\n",
		       r->up.name);
	}
	error("%s kept moving: pushed by others %d times while syncing; 'ae sync' again", r->up.name,
	      SYNC_ROUNDS);
	return EXIT_SYSTEM;
}

/* The merge a conflict stopped: concluded, then pushed. */
static int conclude(struct sync_run *r, struct store *s)
{
	struct strlist none = { 0 };
	int landed = 0, status;

	(void)s;
	status = commit_book(r->g, r->root, &none, &r->o, &landed);
	if (status == EXIT_SYSTEM && !landed)
		error("nothing was changed");
	if (status || r->no_push)
		return status;
	return run(r);
}

int cmd_sync(int argc, char **argv, struct globals *g)
{
	struct sync_run r;
	struct store *s = NULL;
	char *root = NULL;
	int cont = 0, status, u;

	memset(&r, 0, sizeof(r));
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--continue")) {
			cont = 1;
		} else if (!strcmp(argv[i], "--no-push")) {
			r.no_push = 1;
		} else if (!strcmp(argv[i], "--as") && i + 1 < argc) {
			r.o.as = argv[++i];
		} else if (!strcmp(argv[i], "-m") && i + 1 < argc) {
			r.o.summary = argv[++i];
		} else {
			error("unknown argument '%s' for sync", argv[i]);
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (g->at) {
		error("--at reads the past; sync changes the present (drop --at)");
		return EXIT_USAGE;
	}
	if (!(root = book_find_root(g->dir ? g->dir : "."))) {
		error("not inside a book: no ae.ini here or above");
		return EXIT_SYSTEM;
	}
	r.g = g;
	r.root = root;
	if ((status = lock_book(g, root, argc, argv)) != 0)
		goto out_nolock;
	if (!g->lock) {
		error("the book is in no git repository: there is nothing to sync with ('ae init' makes one)");
		status = EXIT_USAGE;
		goto out;
	}
	if (!(s = store_open(root, 1))) {
		status = EXIT_SYSTEM;
		goto out;
	}
	clone_setup_warn(root);
	if ((u = store_upstream(s, &r.up)) != 0) {
		if (u == 1)
			error("this book has no remote to sync with\nhint: 'ae clone URL' makes a clone of a shared book; or add one: git remote add origin URL");
		status = u == 1 ? EXIT_USAGE : EXIT_SYSTEM;
		goto out;
	}
	if (store_merging(s)) {
		if (cont) {
			status = conclude(&r, s);
			goto out;
		}
		diag_setup(stderr, DIAG_TEXT, want_color(stderr));
		if (sync_report_conflicts(s, root)) {
			char *next = sync_next_step(s);
			diag_flush();
			error("a merge is in progress with the conflicts above: %s", next);
			free(next);
		} else {
			error("a merge is in progress and nothing is left in conflict: 'ae sync --continue' concludes it");
		}
		status = EXIT_BAD_RECORDS;
		goto out;
	}
	/* --continue with the merge already concluded (by ae commit, or ae
	 * renumber in a number both sides made): what is left is the sync */
	store_free(s);
	s = NULL;
	status = run(&r);
out:
	end_change(g);
out_nolock:
	store_free(s);
	store_upstream_release(&r.up);
	free(root);
	return status;
}
