/* editing.c -- see editing.h */
#include "editing.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "edit.h"
#include "fileio.h"
#include "identity.h"
#include "rules.h"
#include "store.h"

const struct record *find_record(const struct book *b, const char *name, int kind)
{
	const struct record *found = NULL;
	struct strlist cands = { 0 };
	size_t n = strlen(name);

	if (!*name) {
		error("name a record by its identifier");
		return NULL;
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

int read_book_file(const char *root, const char *path, struct strbuf *out)
{
	char *full = xasprintf("%s/%s", root, path);
	FILE *f = fopen(full, "rb");
	char buf[8192];
	size_t n;

	sb_reset(out);
	if (!f) {
		error("unable to read '%s': %s", path, strerror(errno));
		free(full);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(out, buf, n);
	sb_grow(out, 0);
	fclose(f);
	free(full);
	return 0;
}

int apply_changes(struct globals *g, const char *root, const struct change_set *cs,
		  const struct commit_opts *o, int no_commit)
{
	struct source *mem = source_mem_new();
	struct strlist paths = { 0 };
	struct change_list changes = { 0 };
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
		diag_flush();
		error("nothing changed: the change would leave the errors above");
		strlist_release(&paths);
		return EXIT_BAD_RECORDS;
	}
	diag_reset();
	for (size_t i = 0; i < cs->n && !status; i++) {
		char *full = xasprintf("%s/%s", root, cs->v[i].path);
		if (cs->v[i].text) {
			char *dir = xstrdup(full);
			char *slash = strrchr(dir, '/');
			if (slash)
				*slash = '\0';
			if (make_dirs(dir) < 0 ||
			    write_atomic(full, cs->v[i].text, cs->v[i].len, 0644) < 0)
				status = EXIT_SYSTEM;
			free(dir);
		} else if (unlink(full) < 0 && errno != ENOENT) {
			error("unable to remove '%s': %s", cs->v[i].path, strerror(errno));
			status = EXIT_SYSTEM;
		}
		free(full);
	}
	if (!status && !no_commit)
		status = commit_book(g, root, &paths, o);
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
	if (read_book_file(b->root, r->path, out) < 0) {
		free(order);
		return EXIT_SYSTEM;
	}
	for (int i = 0; i < n && !status; i++) {
		if ((c = edit_set(&next, out->buf ? out->buf : "", out->len, keys[i], values[i],
				  order, norder)) < 0) {
			error("'%s' has no kind section to put '%s' in", r->path, keys[i]);
			status = EXIT_BAD_RECORDS;
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

int open_book_to_edit(struct globals *g, struct book *b)
{
	int status;

	if (g->at) {
		error("--at reads the past; editing changes the present (drop --at)");
		return EXIT_USAGE;
	}
	diag_setup(stderr, DIAG_TEXT, 0);
	if ((status = open_book(g, b)) != 0)
		return status;
	diag_reset();	/* problems elsewhere are ae check's business */
	return 0;
}
