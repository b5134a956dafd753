/* editing.c -- see editing.h */
#include "editing.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "edit.h"
#include "fileio.h"
#include "gitlock.h"
#include "identity.h"
#include "rollback.h"
#include "rules.h"
#include "store.h"
#include "store_sync.h"
#include "sync.h"

const struct record *find_record(const struct book *b, const char *name, int kind)
{
	const struct record *found = NULL;
	struct strlist cands = { 0 };
	size_t n = strlen(name);

	if (!*name) {
		error("name a record by its identifier");
		return NULL;
	}
	{
		/* a record a merge left in conflict is neither side yet */
		char *path = sync_conflicted(b->root, name);
		if (path) {
			char *id = resolve_name(path);
			error("'%s' is in conflict: a merge left '%s' with both sides' changes; settle it first with 'ae resolve %s FIELD --ours|--theirs|--value V' ('ae check' says which fields), then 'ae sync --continue'",
			      id, path, id);
			free(id);
			free(path);
			return NULL;
		}
	}
	for (int k = 0; k < K__N; k++) {
		const struct record *r;
		if ((kind < 0 || k == kind) && (r = book_record(b, k, name)))
			return r;
	}
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		if ((kind >= 0 && r->kind != kind) || strncmp(r->id, name, n))
			continue;
		found = r;
		strlist_add(&cands, r->id);
	}
	if (!cands.n) {
		/* then a part of the identifier, or of a client's name: "COKE", "可口" */
		int f_name = book_field(b, K_CLIENT, "name");
		for (size_t i = 0; i < b->nrecs; i++) {
			const struct record *r = &b->recs[i];
			const char *nm = r->kind == K_CLIENT ? rec_str(r, f_name) : NULL;
			if (kind >= 0 && r->kind != kind)
				continue;
			if (strcasestr(r->id, name) || (nm && strstr(nm, name))) {
				found = r;
				strlist_add(&cands, r->id);
			}
		}
	}
	if (cands.n == 1) {
		strlist_release(&cands);
		return found;
	}
	if (!cands.n) {
		char *hint = record_suggest(b, name, kind);
		error("no %s '%s' in the book%s", kind >= 0 ? kind_names[kind] : "record", name, hint);
		free(hint);
	} else {
		struct strbuf sb = STRBUF_INIT;
		strlist_sort(&cands);
		for (size_t i = 0; i < cands.n && i < 12; i++)
			sb_addf(&sb, "\n  %s", cands.v[i]);
		if (cands.n > 12)
			sb_addf(&sb, "\n  ... and %zu more", cands.n - 12);
		error("'%s' is ambiguous; it could be:%s", name, sb.buf);
		sb_release(&sb);
	}
	strlist_release(&cands);
	return NULL;
}

void change_set_add(struct change_set *cs, const char *path, char *text, size_t len)
{
	ALLOC_GROW(cs->v, cs->n + 1, cs->alloc);
	cs->v[cs->n].path = xstrdup(path);
	cs->v[cs->n].text = text;
	cs->v[cs->n].len = len;
	cs->n++;
}

void change_set_release(struct change_set *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->v[i].path);
		free(cs->v[i].text);
	}
	free(cs->v);
	memset(cs, 0, sizeof(*cs));
}

/* -- the lock, and what an interrupted writer left -- */

/* "ae" and the command line, for those who wait for the lock */
static char *command_line(int argc, char **argv)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addstr(&sb, "ae");
	for (int i = 0; i < argc && sb.len < 300; i++)
		sb_addf(&sb, " %s", argv[i]);
	return sb_detach(&sb);
}

/* Finish or undo what the previous holder of the lock left half done. */
static int recover(struct globals *g, struct store *s, const char *root)
{
	int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char head[41];
	int landed, swapped = 0, ret = -1;

	if (rootfd < 0)
		return error("unable to open the book's folder '%s': %s", root, strerror(errno));
	if ((landed = store_recover(s, g->lock)) >= 0 && (swapped = store_swap_recover(s, g->lock)) >= 0 &&
	    store_head_id(s, head) == 0 &&
	    rollback_recover(store_gitdir(s), rootfd, landed || swapped, head) == 0) {
		fileio_remove_stale(rootfd);
		ret = 0;
	}
	close(rootfd);
	return ret;
}

int lock_book(struct globals *g, const char *root, int argc, char **argv)
{
	struct store *s = store_try_open(root);
	char *what;

	if (!s)
		return 0;	/* no repository: nothing to lock, nothing to commit */
	store_free(s);
	/* refuse what cannot be committed (bare, detached, split index) */
	if (!(s = store_open(root, 1)))
		return EXIT_SYSTEM;
	what = command_line(argc, argv);
	g->lock = book_lock_take(store_gitdir(s), what);
	free(what);
	if (!g->lock) {
		store_free(s);
		return EXIT_SYSTEM;
	}
	if (recover(g, s, root) < 0) {
		error("nothing was changed");
		store_free(s);
		end_change(g);
		return EXIT_SYSTEM;
	}
	store_free(s);
	return 0;
}

int open_book_to_change(struct globals *g, struct book *b, int argc, char **argv)
{
	char *root = book_find_root(g->dir ? g->dir : ".");
	int status;

	if (!root) {
		/* open_book() says why there is no book */
		status = open_book(g, b);
		if (status == 0)
			book_release(b);
		return status ? status : EXIT_SYSTEM;
	}
	status = lock_book(g, root, argc, argv);
	free(root);
	if (status)
		return status;
	/* everything read from here on is read under the lock */
	if ((status = open_book(g, b)) != 0)
		end_change(g);
	return status;
}

void end_change(struct globals *g)
{
	book_lock_drop(g->lock);
	g->lock = NULL;
}

/* -- reading and writing the files of a change -- */

int read_book_file(const struct book *b, const char *path, struct strbuf *out)
{
	size_t limit = b->cfg.max_file_bytes;
	int rootfd = open(b->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (!strncmp(path, "journal/", 8))
		limit *= 256;	/* a month of lines, as book.h reads it */
	if (rootfd < 0) {
		error("unable to open the book's folder '%s': %s", b->root, strerror(errno));
		return EXIT_SYSTEM;
	}
	r = book_read(rootfd, path, limit, out);
	close(rootfd);
	if (r == 1)
		error("unable to read '%s': %s", path, strerror(ENOENT));
	return r == 0 ? 0 : r == -2 ? EXIT_BAD_RECORDS : EXIT_SYSTEM;
}

int book_has_file(const struct book *b, const char *path)
{
	int rootfd = open(b->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (rootfd < 0)
		return error("unable to open the book's folder '%s': %s", b->root, strerror(errno));
	r = book_exists(rootfd, path);
	close(rootfd);
	return r < 0 ? -1 : r;
}

int write_changes(struct globals *g, const char *root, const struct change_set *cs,
		  struct rollback **rb)
{
	struct store *s = g->lock ? store_open(root, 0) : NULL;
	char head[41] = "";
	int rootfd, status = 0, r;

	*rb = NULL;
	if (g->lock && (!s || store_head_id(s, head) < 0)) {
		store_free(s);
		return EXIT_SYSTEM;
	}
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		error("unable to open the book's folder '%s': %s", root, strerror(errno));
		store_free(s);
		return EXIT_SYSTEM;
	}
	/* without a repository the old contents are kept in memory only */
	*rb = rollback_new(s ? store_gitdir(s) : NULL, rootfd, head);
	store_free(s);
	for (size_t i = 0; i < cs->n && !status; i++)
		if ((r = rollback_add(*rb, cs->v[i].path, cs->v[i].text, cs->v[i].len)) < 0)
			status = r == -2 ? EXIT_BAD_RECORDS : EXIT_SYSTEM;
	if (!status && rollback_save(*rb) < 0)
		status = EXIT_SYSTEM;
	for (size_t i = 0; i < cs->n && !status; i++) {
		const struct file_change *c = &cs->v[i];
		r = c->text ? book_write(rootfd, c->path, c->text, c->len, 0644) :
		    book_unlink(rootfd, c->path);
		if (r < 0)
			status = r == -2 ? EXIT_BAD_RECORDS : EXIT_SYSTEM;
	}
	if (status) {
		status = end_write(*rb, status, 0);
		*rb = NULL;
	}
	close(rootfd);
	return status;
}

int end_write(struct rollback *rb, int status, int keep)
{
	if (!status || keep) {
		rollback_done(rb);
		return status;
	}
	switch (rollback_undo(rb)) {
	case -1:
		return EXIT_SYSTEM;
	case 0:
		error("nothing was changed: the book's files are as they were");
		break;
	}
	return status;
}

int apply_changes(struct globals *g, const char *root, const struct change_set *cs,
		  const struct commit_opts *o, int no_commit)
{
	struct source *mem = source_mem_new();
	struct strlist paths = { 0 };
	struct change_list changes = { 0 };
	struct rollback *rb = NULL;
	struct book after;
	int status = 0, r;

	for (size_t i = 0; i < cs->n; i++) {
		strlist_add(&paths, cs->v[i].path);
		ALLOC_GROW(changes.v, changes.n + 1, changes.alloc);
		changes.v[changes.n].path = xstrdup(cs->v[i].path);
		changes.v[changes.n++].type = cs->v[i].text ? CH_MODIFIED : CH_DELETED;
		if (cs->v[i].text)
			source_mem_put(mem, cs->v[i].path, cs->v[i].text, cs->v[i].len);
	}
	/* first the book as it will be: nothing is written if it is wrong.
	 * What will be committed is HEAD with these files; what is only
	 * written (--no-commit) joins the work tree as it is. */
	diag_setup(stderr, DIAG_TEXT, want_color(stderr));
	if (no_commit) {
		char *dir = formats_shipped_dir(g->argv0);
		r = book_open_source(&after, source_overlay_new(source_fs_new(root), mem, &paths),
				     source_fs_new(dir));
		free(dir);
		after.root = xstrdup(root);
		book_now(g, &after);
		if (r == 0) {
			book_load(&after);
			rules_check(&after);
		}
	} else {
		r = book_after(g, root, mem, &changes, &after);
	}
	change_list_release(&changes);
	book_release(&after);
	if (r < 0) {
		strlist_release(&paths);
		return EXIT_SYSTEM;
	}
	if (diag_count(DIAG_ERROR) || diag_count(DIAG_SYSTEM)) {
		status = cs->report ? cs->report(cs->report_ctx) : (diag_flush(), EXIT_BAD_RECORDS);
		error("nothing changed: the change would leave the errors above");
		strlist_release(&paths);
		return status;
	}
	diag_reset();
	status = write_changes(g, root, cs, &rb);
	if (!status) {
		int landed = 0;
		if (!no_commit)
			status = commit_book(g, root, &paths, o, &landed);
		/* a commit on the branch keeps its files, finished or not */
		status = end_write(rb, status, landed);
	}
	strlist_release(&paths);
	return status;
}

int commit_pending(struct globals *g, const char *root, const char *path,
		   const struct commit_opts *o, int *pending)
{
	struct store *s = store_try_open(root);
	struct strlist paths = { 0 };
	struct change_list changes = { 0 };
	int status = 0, landed = 0;

	*pending = 0;
	if (!s)
		return 0;
	strlist_add(&paths, path);
	if (store_changes(s, &paths, &changes) < 0)
		status = EXIT_SYSTEM;
	store_free(s);
	if (!status && changes.n) {
		*pending = 1;
		status = commit_book(g, root, &paths, o, &landed);
		if (status == EXIT_SYSTEM && !landed)
			error("nothing was changed");
	}
	change_list_release(&changes);
	strlist_release(&paths);
	return status;
}

const char *editor_identity(struct book *b, const char *as)
{
	const struct staff *st = commit_identity(b, b->root, as);

	return st ? st->id : NULL;
}

const char **field_order(const struct book *b, int kind, size_t *n)
{
	const struct format *fmt = &b->fmts.kinds[kind];
	const char **v = xmalloc(sizeof(*v) * ((size_t)fmt->nfields + 1));

	for (int i = 0; i < fmt->nfields; i++)
		v[i] = fmt->fields[i].name;
	*n = (size_t)fmt->nfields;
	return v;
}

int edit_record(const struct book *b, const struct record *r, const char *const *keys,
		const char *const *values, int n, struct strbuf *out, int *changed)
{
	struct strbuf next = STRBUF_INIT;
	size_t norder;
	const char **order = field_order(b, r->kind, &norder);
	int status = 0, c;

	*changed = 0;
	if ((status = read_book_file(b, r->path, out)) != 0) {
		free(order);
		return status;
	}
	for (int i = 0; i < n && !status; i++) {
		if ((c = edit_set(&next, out->buf ? out->buf : "", out->len, keys[i], values[i],
				  order, norder)) < 0) {
			if (c == EDIT_BAD_VALUE) {
				error("the value of '%s' %s", keys[i], edit_value_problem(keys[i], values[i]));
				status = EXIT_USAGE;
			} else if (c == EDIT_UNSAFE) {
				error("'%s' cannot take '%s' without other lines reading differently; edit the file by hand",
				      r->path, keys[i]);
				status = EXIT_BAD_RECORDS;
			} else {
				error("'%s' has no kind section to put '%s' in", r->path, keys[i]);
				status = EXIT_BAD_RECORDS;
			}
			break;
		}
		*changed |= c;
		sb_reset(out);
		sb_add(out, next.buf ? next.buf : "", next.len);
	}
	sb_release(&next);
	free(order);
	return status;
}

int open_book_to_edit(struct globals *g, struct book *b, int argc, char **argv, const char *now)
{
	int status;

	if (g->at) {
		error("--at reads the past; %s (drop --at)", now);
		return EXIT_USAGE;
	}
	diag_setup(stderr, DIAG_TEXT, 0);
	if ((status = open_book_to_change(g, b, argc, argv)) != 0)
		return status;
	diag_reset();	/* problems elsewhere are ae check's business */
	return 0;
}

int commit_option(int argc, char **argv, int *i, struct commit_opts *o, int *no_commit)
{
	if (!strcmp(argv[*i], "--no-commit")) {
		*no_commit = 1;
		return 1;
	}
	if (!strcmp(argv[*i], "-m") && *i + 1 < argc) {
		o->summary = argv[++*i];
		return 1;
	}
	if (!strcmp(argv[*i], "--as") && *i + 1 < argc) {
		o->as = argv[++*i];
		return 1;
	}
	return 0;
}
