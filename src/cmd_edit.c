/*
 * cmd_edit.c -- ae edit: a record opened in the user's editor, then
 * checked and committed; on errors, the choice to edit again or to quit
 * with her text kept (as crontab -e and visudo do).
 *
 * The editor works on a draft, .git/ae-edit/ID.ini, beside the record
 * as it was when she began (ID.base): the book lock is not held while
 * the editor is open, only for each attempt to commit.  Under the lock
 * the record is read again; when it changed meanwhile (a commit, a
 * pull, another command), her changes are merged into its new version
 * field by field (merge_record.h) and she is asked to look it over.
 * Nothing she typed is lost: the draft stays until its text is
 * committed, and the next 'ae edit' of the record takes it up again
 * (after she quit, after a failed commit, after a kill).  One 'ae edit'
 * at a time per record: ID.lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "draft.h"
#include "editing.h"
#include "editor.h"
#include "merge_record.h"
#include "store.h"

static const char usage[] =
	"usage: ae edit [--no-commit] [-m MSG] [--as STAFF] [--discard] RECORD\n"
	"\n"
	"Open RECORD (its identifier or a unique part) in $VISUAL, $EDITOR or vi,\n"
	"then check it and commit it.  The editor works on a copy; the book is\n"
	"not locked while it is open.  If the record has errors you are asked:\n"
	"e to edit again, q to quit, the record as it was and your text kept in\n"
	".git/ae-edit/ for the next 'ae edit RECORD' to take up (the answer is\n"
	"read from standard input; at its end, q).  If the record changed while\n"
	"you edited, your changes are merged into its new version for you to\n"
	"look over.  --discard throws away a kept text first.\n";

static int same(const struct strbuf *a, const struct strbuf *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->buf, b->buf, a->len));
}

/* Her changes from base merged into now, into out; the conflicts. */
static int merge_into(const struct strbuf *base, const struct strbuf *mine,
		      const struct strbuf *now, struct strbuf *out)
{
	struct merge_result mr;
	int conflicts;

	if (!merge_trivial(base->buf, base->len, mine->buf, mine->len, now->buf, now->len, &mr))
		merge_record(base->buf, base->len, mine->buf, mine->len, now->buf, now->len, &mr);
	conflicts = mr.conflicts;
	sb_reset(out);
	merge_result_render(&mr, out);
	merge_result_release(&mr);
	return conflicts;
}

/* Edit again (1), or quit keeping her text (0). */
static int again(const struct draft *d, const char *id)
{
	char *q = xasprintf("What now? e(dit again), q(uit: %s stays as it was, your text is kept) [e] ", id);
	int a = ask(q, "eq", 'e');

	free(q);
	if (a == 'e')
		return 1;
	draft_kept(d);
	return 0;
}

struct edit_state {
	struct globals *g;
	struct book *b;
	const char *id, *path;
	struct draft d;
	struct strbuf base, mine, now;
	int argc;
	char **argv;
	const struct commit_opts *o;
	int no_commit;
};

/* The record as the work tree has it now, into st->now: 0, 1 gone,
 * or an exit status (reported). */
static int read_now(struct edit_state *st)
{
	int has = book_has_file(st->b, st->path);

	sb_reset(&st->now);
	if (has < 0)
		return EXIT_SYSTEM;
	if (!has)
		return 1;
	return read_book_file(st->b, st->path, &st->now);
}

/*
 * One attempt to commit her text, under the book lock: 0 committed (or
 * nothing to commit), -1 to ask her (the errors or the merge are shown),
 * or an exit status with her text kept (reported).
 */
static int attempt(struct edit_state *st)
{
	struct change_set cs = { 0 };
	int status, r;

	if ((status = lock_book(st->g, st->b->root, st->argc, st->argv)) != 0)
		return status;
	if ((r = read_now(st)) != 0) {
		end_change(st->g);
		if (r == 1)
			error("'%s' is gone (renumbered or removed while you were editing it)", st->path);
		return r == 1 ? EXIT_BAD_RECORDS : r;
	}
	if (!same(&st->now, &st->base)) {
		/* changed underneath: her changes onto the new version */
		struct strbuf merged = STRBUF_INIT;
		int conflicts;

		end_change(st->g);
		conflicts = merge_into(&st->base, &st->mine, &st->now, &merged);
		if (draft_write(st->d.text_path, &merged) < 0 || draft_write(st->d.base_path, &st->now) < 0) {
			sb_release(&merged);
			return EXIT_SYSTEM;
		}
		sb_reset(&st->base);
		sb_add(&st->base, st->now.buf, st->now.len);
		if (conflicts)
			fprintf(stderr, "ae: %s changed while you were editing it: your changes are merged into its new version, with %d conflict%s marked (<<<<<<< ours is yours, >>>>>>> theirs the record now); settle %s\n",
				st->id, conflicts, conflicts == 1 ? "" : "s", conflicts == 1 ? "it" : "them");
		else
			fprintf(stderr, "ae: %s changed while you were editing it: your changes are merged into its new version; look it over\n",
				st->id);
		sb_release(&merged);
		return -1;
	}
	if (same(&st->mine, &st->now)) {
		int pending = 0;
		/* nothing typed; a hand edit not yet committed is committed,
		 * as ae set does */
		if (!st->no_commit)
			status = commit_pending(st->g, st->b->root, st->path, st->o, &pending);
		end_change(st->g);
		if (!status && !pending)
			printf("%s: no change\n", st->id);
		return status;
	}
	change_set_add(&cs, st->path, xstrndup(st->mine.buf, st->mine.len), st->mine.len);
	status = apply_changes(st->g, st->b->root, &cs, st->o, st->no_commit);
	change_set_release(&cs);
	end_change(st->g);
	return status == EXIT_BAD_RECORDS ? -1 : status;
}

/* Take up a draft an earlier ae edit kept, or begin one: 0 or an exit
 * status (reported). */
static int begin(struct edit_state *st, int discard)
{
	int r;

	if ((r = read_now(st)) != 0) {
		if (r == 1)
			error("unable to read '%s': %s", st->path, strerror(ENOENT));
		return r == 1 ? EXIT_SYSTEM : r;
	}
	if (discard) {
		if (draft_read(st->d.text_path, &st->mine) == 0)
			fprintf(stderr, "ae: the text kept in %s is thrown away\n", st->d.shown);
		draft_forget(&st->d);
	}
	if ((r = draft_read(st->d.text_path, &st->mine)) < 0)
		return EXIT_SYSTEM;
	if (r == 0 && !same(&st->mine, &st->now)) {
		if ((r = draft_read(st->d.base_path, &st->base)) < 0)
			return EXIT_SYSTEM;
		if (r == 1)
			sb_add(&st->base, st->now.buf, st->now.len);
		fprintf(stderr, "ae: taking up your text of %s kept in %s ('--discard' throws it away)\n",
			st->id, st->d.shown);
		return 0;
	}
	/* no draft, or one whose text is the record's own (committed) */
	sb_reset(&st->base);
	sb_add(&st->base, st->now.buf, st->now.len);
	if (draft_write(st->d.base_path, &st->base) < 0 || draft_write(st->d.text_path, &st->base) < 0) {
		error("nothing was changed");
		return EXIT_SYSTEM;
	}
	return 0;
}

static int edit_loop(struct edit_state *st)
{
	for (;;) {
		int status;

		if (run_editor(st->d.text_path) < 0) {
			if (draft_read(st->d.text_path, &st->mine) == 0 && same(&st->mine, &st->base)) {
				draft_forget(&st->d);
				error("nothing was changed");
			} else {
				draft_kept(&st->d);
			}
			return EXIT_SYSTEM;
		}
		if (draft_read(st->d.text_path, &st->mine) != 0) {
			error("your editor left no file '%s'; nothing was changed", st->d.text_path);
			return EXIT_SYSTEM;
		}
		status = attempt(st);
		if (status == 0) {
			draft_forget(&st->d);
			return 0;
		}
		if (status > 0) {
			draft_kept(&st->d);
			return status;
		}
		if (!again(&st->d, st->id))
			return EXIT_BAD_RECORDS;
	}
}

int cmd_edit(int argc, char **argv, struct globals *g)
{
	struct commit_opts o = { NULL, NULL, 0 };
	struct edit_state st;
	struct book b;
	struct store *s = NULL;
	const struct record *r;
	const char *name = NULL;
	int status = 0, discard = 0, opened = 0, drafted = 0;

	memset(&st, 0, sizeof(st));
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (commit_option(argc, argv, &i, &o, &st.no_commit)) {
			;
		} else if (!strcmp(argv[i], "--discard")) {
			discard = 1;
		} else if (argv[i][0] == '-' || name) {
			if (argv[i][0] == '-')
				error("unknown option '%s' for edit", argv[i]);
			fputs(usage, stderr);
			return EXIT_USAGE;
		} else {
			name = argv[i];
		}
	}
	if (!name) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (g->at) {
		error("--at reads the past; editing changes the present (drop --at)");
		return EXIT_USAGE;
	}
	diag_setup(stderr, DIAG_TEXT, 0);
	/* read without the lock: the lock is taken for each commit */
	if ((status = open_book(g, &b)) != 0)
		return status;
	opened = 1;
	diag_reset();	/* problems elsewhere are ae check's business */
	if (!(r = find_record(&b, name, -1))) {
		status = EXIT_USAGE;
		goto out;
	}
	if (!(s = store_open(b.root, 1))) {
		status = EXIT_SYSTEM;
		goto out;
	}
	/* who commits is known before she types anything */
	if (!st.no_commit && !editor_identity(&b, o.as)) {
		status = EXIT_USAGE;
		goto out;
	}
	st.g = g;
	st.b = &b;
	st.id = r->id;
	st.path = r->path;
	st.argc = argc;
	st.argv = argv;
	st.o = &o;
	drafted = 1;
	{
		char *resume = xasprintf("ae edit %s", r->id);
		status = draft_open(&st.d, store_gitdir(s), b.root, r->id, resume, 0);
		free(resume);
	}
	if (status)
		goto out;
	/* the record as the last writer left it: what a killed one left
	 * half done is finished or undone first (editing.h) */
	if ((status = lock_book(g, b.root, argc, argv)) != 0)
		goto out;
	status = begin(&st, discard);
	end_change(g);
	if (status)
		goto out;
	status = edit_loop(&st);
out:
	if (drafted)
		draft_release(&st.d);
	sb_release(&st.base);
	sb_release(&st.mine);
	sb_release(&st.now);
	store_free(s);
	if (opened)
		book_release(&b);
	return status;
}
