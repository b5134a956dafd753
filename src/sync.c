/*
 * sync.c -- a merge brought into the book the way every change is
 * (editing.h): planned in memory, checked as it will be, the files
 * written under the rollback journal, then committed as a merge of two
 * parents; or, when conflicts or errors are left, the merge state that
 * ae resolve and ae sync --continue conclude.  Also the fast-forward,
 * the check before a push, and the report of what is left; see sync.h.
 */
#include "sync.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "editing.h"
#include "fileio.h"
#include "gitlock.h"
#include "merge_conflict.h"
#include "rules.h"
#include "store_sync.h"

/* Files named in one message before "and N more". */
#define LIST_MAX 8

char *resolve_name(const char *path)
{
	return conflict_record_name(path);
}

static void list_paths(struct strbuf *sb, const struct strlist *l)
{
	for (size_t i = 0; i < l->n && i < LIST_MAX; i++)
		sb_addf(sb, "%s%s", i ? ", " : "", l->v[i]);
	if (l->n > LIST_MAX)
		sb_addf(sb, " and %zu more", l->n - LIST_MAX);
}

/* The plan as the files to write and the changes to commit. */
static void plan_changes(const struct merge_plan *p, struct change_set *cs,
			 struct change_list *ch, struct source *mem, struct strlist *paths)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_file *f = &p->v[i];
		char *text = f->present ? xstrndup(f->text.buf ? f->text.buf : "", f->text.len) : NULL;
		change_set_add(cs, f->path, text, f->present ? f->text.len : 0);
		ALLOC_GROW(ch->v, ch->n + 1, ch->alloc);
		ch->v[ch->n].path = xstrdup(f->path);
		ch->v[ch->n++].type = f->present ? CH_MODIFIED : CH_DELETED;
		if (mem && f->present)
			source_mem_put(mem, f->path, f->text.buf ? f->text.buf : "", f->text.len);
		if (paths)
			strlist_add(paths, f->path);
	}
}

/*
 * What the merge cannot write: files outside the book's folder, links
 * and other special files, an untracked file where it adds one.
 * 0, or an exit status (reported).
 */
static int refuse_unwritable(struct store *s, const char *root, const char *head,
			     const struct merge_plan *p, const struct strlist *outside)
{
	struct strlist bad = { 0 };
	struct strbuf sb = STRBUF_INIT;
	int status = 0;

	if (outside->n) {
		list_paths(&sb, outside);
		error("the merge changes files outside the book's folder (%s); ae writes only inside the book: merge with 'git pull' instead",
		      sb.buf);
		status = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_file *f = &p->v[i];
		if (f->present && f->mode != 0100644 && f->mode != 0100755)
			strlist_add(&bad, f->path);
	}
	if (bad.n) {
		list_paths(&sb, &bad);
		error("the merge brings what is not a plain file (%s): a book holds plain files only",
		      sb.buf);
		status = EXIT_BAD_RECORDS;
		goto out;
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_file *f = &p->v[i];
		struct strbuf t = STRBUF_INIT;
		char *full = xasprintf("%s/%s", root, f->path);
		if (f->present && store_read_at(s, head, f->path, &t) == 1 && access(full, F_OK) == 0)
			strlist_add(&bad, f->path);
		sb_release(&t);
		free(full);
	}
	if (bad.n) {
		list_paths(&sb, &bad);
		error("the merge would overwrite files that are not committed: %s; commit them ('ae commit') or move them away",
		      sb.buf);
		status = EXIT_USAGE;
	}
out:
	strlist_release(&bad);
	sb_release(&sb);
	return status;
}

static void flag_path(void *ctx, const struct diag_item *d)
{
	struct strlist *l = ctx;

	if (d->level != DIAG_ERROR && d->level != DIAG_SYSTEM)
		return;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], d->path))
			return;
	strlist_add(l, d->path);
}

/* The files with errors among the collected diagnostics, listed. */
static char *error_files(void)
{
	struct strlist l = { 0 };
	struct strbuf sb = STRBUF_INIT;

	diag_each(flag_path, &l);
	strlist_sort(&l);
	list_paths(&sb, &l);
	strlist_release(&l);
	return sb_detach(&sb);
}

/* Whether the conflicted path is a record both sides made: no base, and
 * a record's name (a journal both made merges line by line). */
static int made_twice(const char *p, const int have[3])
{
	char *name = resolve_name(p);
	int twice = !have[0] && have[1] && have[2] && strcmp(name, p);

	free(name);
	return twice;
}

int sync_report_path(struct store *s, const char *root, const char *p)
{
	char *full = xasprintf("%s/%s", root, p), *name = resolve_name(p);
	struct strbuf text = STRBUF_INIT;
	int have[3], twice;

	store_conflict_stages(s, p, have);
	if (have[0] && have[1] != have[2]) {
		diag_at(DIAG_ERROR, p, 0, 0, "USE-3",
			"%s deleted it, and %s changed it: keep it with 'ae resolve %s --keep', or delete it with 'ae resolve %s --delete'",
			have[1] ? "theirs" : "ours (this clone)", have[1] ? "ours (this clone)" : "theirs",
			name, name);
	} else if (sb_read_file(&text, full, (size_t)1 << 30) < 0 ||
		   !conflict_report(p, text.buf ? text.buf : "", text.len)) {
		diag_at(DIAG_ERROR, p, 0, 0, "USE-3",
			"the merge left this file in conflict; edit it, then 'ae sync --continue'");
	}
	twice = made_twice(p, have);
	sb_release(&text);
	free(name);
	free(full);
	return twice;
}

size_t sync_report_conflicts(struct store *s, const char *root)
{
	struct strlist paths = { 0 };
	size_t n;

	if (store_conflicts(s, &paths) < 0)
		return 0;
	for (size_t i = 0; i < paths.n; i++)
		sync_report_path(s, root, paths.v[i]);
	n = paths.n;
	strlist_release(&paths);
	return n;
}

char *sync_next_step(struct store *s)
{
	struct strlist paths = { 0 }, twice = { 0 };
	struct strbuf sb = STRBUF_INIT;
	size_t others = 0;

	if (store_conflicts(s, &paths) == 0)
		for (size_t i = 0; i < paths.n; i++) {
			int have[3];
			store_conflict_stages(s, paths.v[i], have);
			if (made_twice(paths.v[i], have))
				strlist_add_owned(&twice, resolve_name(paths.v[i]));
			else
				others++;
		}
	if (others || !twice.n)
		sb_addstr(&sb, "settle each conflict with 'ae resolve' (ae-resolve(1))");
	for (size_t i = 0; i < twice.n; i++)
		sb_addf(&sb, "%sgive this clone's %s a new number with 'ae renumber %s NEW' ('ae renumber %s' suggests one)",
			i ? "; " : others ? ", then " : "", twice.v[i], twice.v[i], twice.v[i]);
	if (twice.n)
		sb_addstr(&sb, ", which concludes the merge (ae-renumber(1)); then run 'ae sync --continue'");
	else
		sb_addstr(&sb, ", then run 'ae sync --continue'");
	strlist_release(&twice);
	strlist_release(&paths);
	return sb_detach(&sb);
}

char *sync_conflicted(const char *root, const char *name)
{
	struct store *s = root ? store_try_open(root) : NULL;
	struct strlist paths = { 0 };
	char *found = NULL;
	size_t n = strlen(name);

	if (!s || !store_merging(s) || store_conflicts(s, &paths) < 0)
		goto out;
	for (size_t i = 0; i < paths.n && !found; i++) {
		char *id = resolve_name(paths.v[i]);
		/* named as find_record() names records: exactly, or a prefix */
		if (!strcmp(paths.v[i], name) || !strncmp(id, name, n))
			found = xstrdup(paths.v[i]);
		free(id);
	}
out:
	strlist_release(&paths);
	store_free(s);
	return found;
}

/* The files of cs written, then the merge state entered; an exit status. */
static int enter_merge(struct globals *g, struct store *s, const char *root,
		       const struct merge_plan *p, const struct change_set *cs, const char *msg)
{
	struct rollback *rb = NULL;
	int status = write_changes(g, root, cs, &rb);

	if (status)
		return status;
	if (store_merge_enter(s, g->lock, p, msg) < 0)
		return end_write(rb, EXIT_SYSTEM, 0);
	status = end_write(rb, 0, 0);
	store_swap_done(g->lock);
	return status;
}

int sync_merge(struct globals *g, const char *root, const char *theirs, const char *theirs_name,
	       const struct commit_opts *o, int *merged)
{
	struct store *s = store_open(root, 1);
	struct merge_plan p;
	struct change_set cs = { 0 };
	struct change_list changes = { 0 };
	struct strlist paths = { 0 };
	struct strbuf said = STRBUF_INIT;
	struct source *mem = NULL;
	struct book after;
	char head[41], *msg = NULL, *name = NULL, *email = NULL;
	int status = 0, have_plan = 0, opened = 0, errors;

	*merged = 0;
	if (!s || store_head_id(s, head) < 0) {
		status = EXIT_SYSTEM;
		goto out;
	}
	if (store_merge_plan(s, head, theirs, &p) < 0) {
		status = EXIT_SYSTEM;
		goto out;
	}
	have_plan = 1;
	if ((status = refuse_unwritable(s, root, head, &p, &p.outside)) != 0)
		goto out;
	if (renumber_carry_over(s, &p, &said) < 0) {
		status = EXIT_SYSTEM;
		goto out;
	}
	mem = source_mem_new();
	plan_changes(&p, &cs, &changes, mem, &paths);
	diag_setup(stderr, DIAG_TEXT, want_color(stderr));
	if (said.len)
		fputs(said.buf, stdout);
	if (p.conflicts) {
		/* what the merge made, for the message git would offer too */
		struct source *res = source_overlay_new(store_source_rev(s, "HEAD"), mem, &paths);
		struct merge_msg_in mi = { s, head, theirs, theirs_name, res, &changes, NULL, NULL };
		mem = NULL;
		msg = merge_message(&mi);
		res->free(res);
		if ((status = enter_merge(g, s, root, &p, &cs, msg)) != 0)
			goto out;
		printf("merged %s, but %zu file%s left in conflict; nothing is committed or pushed yet:\n",
		       theirs_name, p.conflicts, p.conflicts == 1 ? " is" : "s are");
		fflush(stdout);
		sync_report_conflicts(s, root);
		diag_flush();
		{
			char *next = sync_next_step(s);
			printf("%s\n", next);
			free(next);
		}
		status = EXIT_BAD_RECORDS;
		goto out;
	}
	/* the book as merged, checked before anything is written */
	opened = 1;
	if (book_after(g, root, mem, &changes, &after) < 0) {
		mem = NULL;
		status = EXIT_SYSTEM;
		goto out;
	}
	mem = NULL;
	renumber_check_merge(s, p.base, head, theirs, after.src);
	errors = diag_count(DIAG_ERROR) || diag_count(DIAG_SYSTEM);
	if (errors) {
		char *files = error_files();
		struct merge_msg_in mi = { s, head, theirs, theirs_name, after.src, &changes, NULL, NULL };
		msg = merge_message(&mi);
		if ((status = enter_merge(g, s, root, &p, &cs, msg)) != 0) {
			free(files);
			diag_reset();
			goto out;
		}
		printf("merged %s, but the book as merged has errors in %s; nothing is committed or pushed yet:\n",
		       theirs_name, files);
		fflush(stdout);
		diag_flush();
		printf("fix them (ae set, or edit the files), then run 'ae sync --continue'\n");
		free(files);
		status = EXIT_BAD_RECORDS;
		goto out;
	}
	diag_flush();	/* warnings */
	if (commit_author(&after, o->as, &name, &email) < 0) {
		status = EXIT_USAGE;
		goto out;
	}
	{
		struct merge_msg_in mi = { s, head, theirs, theirs_name, after.src, &changes, o->summary,
					   email };
		struct rollback *rb = NULL;
		long long when;
		int offset, r, landed;
		char oid[41];

		msg = merge_message(&mi);
		commit_when(g, &after, &when, &offset);
		if ((status = write_changes(g, root, &cs, &rb)) != 0)
			goto out;
		r = store_commit_merge(s, g->lock, &changes, theirs, msg, name, email, when, offset, oid);
		landed = r == -2;
		status = end_write(rb, r < 0 ? EXIT_SYSTEM : 0, landed);
		if (!status) {
			char *nl = strchr(msg, '\n');
			*merged = 1;
			if (!o->quiet)
				printf("[%.7s] %.*s\n", oid, nl ? (int)(nl - msg) : (int)strlen(msg), msg);
		}
	}
out:
	if (mem)
		mem->free(mem);
	if (opened)
		book_release(&after);
	if (have_plan)
		merge_plan_release(&p);
	change_set_release(&cs);
	change_list_release(&changes);
	strlist_release(&paths);
	sb_release(&said);
	store_free(s);
	free(msg);
	free(name);
	free(email);
	return status;
}

int sync_fast_forward(struct globals *g, const char *root, const char *theirs)
{
	struct store *s = store_open(root, 1);
	struct change_list changes = { 0 };
	struct change_set cs = { 0 };
	struct rollback *rb = NULL;
	char head[41], oid[41];
	size_t outside = 0;
	int status = 0, r;

	if (!s || store_head_id(s, head) < 0 ||
	    store_diff(s, head[0] ? head : NULL, theirs, 0, &changes, &outside) < 0) {
		status = EXIT_SYSTEM;
		goto out;
	}
	if (outside) {
		error("%s changes %zu file%s outside the book's folder; ae writes only inside the book: bring it in with 'git pull' instead",
		      theirs, outside, outside == 1 ? "" : "s");
		status = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < changes.n; i++) {
		struct strbuf t = STRBUF_INIT;
		const char *p = changes.v[i].path;
		if (changes.v[i].type == CH_DELETED) {
			change_set_add(&cs, p, NULL, 0);
		} else if (store_read_at(s, theirs, p, &t) == 0) {
			size_t len = t.len;
			change_set_add(&cs, p, t.buf ? sb_detach(&t) : xstrdup(""), len);
		} else {
			status = EXIT_SYSTEM;
		}
		sb_release(&t);
		changes.v[i].type = changes.v[i].type == CH_DELETED ? CH_DELETED : CH_MODIFIED;
	}
	if (status)
		goto out;
	{
		/* what the fast-forward adds must not replace an uncommitted file */
		struct merge_plan p = { 0 };
		for (size_t i = 0; i < cs.n; i++) {
			struct plan_file *f;
			ALLOC_GROW(p.v, p.n + 1, p.alloc);
			f = &p.v[p.n++];
			memset(f, 0, sizeof(*f));
			f->path = xstrdup(cs.v[i].path);
			f->present = cs.v[i].text != NULL;
			f->mode = 0100644;
		}
		status = refuse_unwritable(s, root, head, &p, &p.outside);
		merge_plan_release(&p);
		if (status)
			goto out;
	}
	if ((status = write_changes(g, root, &cs, &rb)) != 0)
		goto out;
	r = store_fast_forward(s, g->lock, &changes, theirs, oid);
	status = end_write(rb, r < 0 ? EXIT_SYSTEM : 0, r == -2);
out:
	change_list_release(&changes);
	change_set_release(&cs);
	store_free(s);
	return status;
}

int sync_check_head(struct globals *g, const char *root, const char *since)
{
	struct store *s = store_open(root, 0);
	struct change_list changes = { 0 };
	struct book b;
	int status = 0, r;

	if (!s)
		return EXIT_SYSTEM;
	diag_setup(stderr, DIAG_TEXT, want_color(stderr));
	if (since) {
		if (store_diff(s, since, "HEAD", 1, &changes, NULL) < 0) {
			store_free(s);
			return EXIT_SYSTEM;
		}
		if (!changes.n) {
			store_free(s);
			return 0;
		}
		r = book_after(g, root, store_source_rev(s, "HEAD"), &changes, &b);
	} else {
		char *dir = formats_shipped_dir(g->argv0);
		r = book_open_source(&b, store_source_rev(s, "HEAD"), source_fs_new(dir));
		b.root = xstrdup(root);
		free(dir);
		if (r == 0) {
			book_load(&b);
			rules_check(&b);
		}
	}
	if (r < 0) {
		status = EXIT_SYSTEM;
	} else if (diag_count(DIAG_ERROR) || diag_count(DIAG_SYSTEM)) {
		char *files = error_files();
		diag_flush();
		error("not pushed: the book has errors in %s (above); fix them ('ae set', or edit and 'ae commit'), then 'ae sync' again",
		      files);
		free(files);
		status = EXIT_BAD_RECORDS;
	} else {
		diag_flush();
	}
	book_release(&b);
	change_list_release(&changes);
	store_free(s);
	return status;
}
