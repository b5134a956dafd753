/* store_source.c -- the book in a commit's tree or in the index, as a
 * struct source (--at REV, ae check --staged); see store.h. */
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "strmap.h"

/* -- the book in a tree or the index, as a struct source -- */

struct source_git {
	struct source base;
	struct store *s;
	git_tree *tree;		/* NULL: read the index */
	git_index *index;
	char *name;
};

static enum source_entry_type mode_type(unsigned mode)
{
	if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE)
		return SRC_FILE;
	if (mode == GIT_FILEMODE_TREE)
		return SRC_DIR;
	if (mode == GIT_FILEMODE_LINK)
		return SRC_SYMLINK;
	return SRC_OTHER;
}

struct walk_arg {
	struct source_list *out;
	const char *dir;
};

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct walk_arg *wa = payload;
	const char *name = git_tree_entry_name(e);
	struct source_list *l = wa->out;

	if (name[0] == '.')
		return git_tree_entry_type(e) == GIT_OBJECT_TREE ? 1 : 0;
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n].path = xasprintf("%s/%s%s", wa->dir, root, name);
	l->v[l->n].type = mode_type(git_tree_entry_filemode(e));
	l->v[l->n].size = 0;
	l->n++;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct source_entry *)a)->path, ((const struct source_entry *)b)->path);
}

static int git_list(struct source *src, const char *dir, struct source_list *out)
{
	struct source_git *g = (struct source_git *)src;
	char *p = store_full(g->s, dir);
	size_t start = out->n;

	if (g->tree) {
		git_tree_entry *te = NULL;
		git_tree *sub = NULL;
		struct walk_arg wa = { out, dir };

		if (git_tree_entry_bypath(&te, g->tree, p) == 0 &&
		    git_tree_entry_type(te) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&sub, g->s->repo, git_tree_entry_id(te)) == 0) {
			git_tree_walk(sub, GIT_TREEWALK_PRE, walk_cb, &wa);
			git_tree_free(sub);
		}
		git_tree_entry_free(te);
	} else {
		size_t n = git_index_entrycount(g->index), plen = strlen(p);
		struct strmap dirs = { 0 };
		struct strlist keep = { 0 };

		for (size_t i = 0; i < n; i++) {
			const git_index_entry *e = git_index_get_byindex(g->index, i);
			const char *rel;
			if (strncmp(e->path, p, plen) || e->path[plen] != '/' ||
			    git_index_entry_stage(e) != 0)
				continue;
			rel = e->path + strlen(g->s->prefix);
			if (strstr(rel + plen - strlen(g->s->prefix), "/."))
				continue;
			/* the folders on the way, once each */
			for (const char *sl = strchr(rel + strlen(dir) + 1, '/'); sl; sl = strchr(sl + 1, '/')) {
				char *d = xstrndup(rel, (size_t)(sl - rel));
				if (strmap_get(&dirs, d)) {
					free(d);
					continue;
				}
				strlist_add_owned(&keep, d);
				strmap_put(&dirs, d, d);
				ALLOC_GROW(out->v, out->n + 1, out->alloc);
				out->v[out->n].path = xstrdup(d);
				out->v[out->n].type = SRC_DIR;
				out->v[out->n].size = 0;
				out->n++;
			}
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			out->v[out->n].path = xstrdup(rel);
			out->v[out->n].type = mode_type(e->mode);
			out->v[out->n].size = e->file_size;
			out->n++;
		}
		strmap_release(&dirs);
		strlist_release(&keep);
	}
	if (out->n - start > 1)
		qsort(out->v + start, out->n - start, sizeof(*out->v), cmp_entry);
	free(p);
	return 0;
}

static enum source_read_status git_read(struct source *src, const char *path, size_t limit,
					struct strbuf *out, const char **msg)
{
	struct source_git *g = (struct source_git *)src;
	char *p = store_full(g->s, path);
	git_blob *blob = NULL;
	enum source_read_status st = SRC_OK;
	size_t size;

	*msg = NULL;
	if (g->tree) {
		git_tree_entry *te = NULL;
		if (git_tree_entry_bypath(&te, g->tree, p) < 0) {
			free(p);
			return SRC_MISSING;
		}
		if (mode_type(git_tree_entry_filemode(te)) != SRC_FILE)
			st = SRC_NOT_REGULAR;
		else if (git_blob_lookup(&blob, g->s->repo, git_tree_entry_id(te)) < 0) {
			*msg = store_error();
			st = SRC_ERROR;
		}
		git_tree_entry_free(te);
	} else {
		const git_index_entry *e = git_index_get_bypath(g->index, p, 0);
		if (!e) {
			free(p);
			return SRC_MISSING;
		}
		if (mode_type(e->mode) != SRC_FILE)
			st = SRC_NOT_REGULAR;
		else if (git_blob_lookup(&blob, g->s->repo, &e->id) < 0) {
			*msg = store_error();
			st = SRC_ERROR;
		}
	}
	free(p);
	if (st != SRC_OK)
		return st;
	size = (size_t)git_blob_rawsize(blob);
	if (size > limit) {
		git_blob_free(blob);
		return SRC_TOO_BIG;
	}
	sb_reset(out);
	sb_add(out, git_blob_rawcontent(blob), size);
	git_blob_free(blob);
	return SRC_OK;
}

static int git_exists(struct source *src, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *msg;
	int r = git_read(src, path, (size_t)1 << 30, &sb, &msg) != SRC_MISSING;

	sb_release(&sb);
	return r;
}

static void git_free_source(struct source *src)
{
	struct source_git *g = (struct source_git *)src;

	git_tree_free(g->tree);
	git_index_free(g->index);
	free(g->name);
	free(g);
}

static struct source_git *new_source(struct store *s)
{
	struct source_git *g = xcalloc(1, sizeof(*g));

	g->s = s;
	g->base.list = git_list;
	g->base.read = git_read;
	g->base.exists = git_exists;
	g->base.free = git_free_source;
	return g;
}

struct source *store_source_rev(struct store *s, const char *rev)
{
	git_object *obj = NULL;
	git_tree *tree = NULL;
	struct source_git *g;
	char hex[12];

	if (git_revparse_single(&obj, s->repo, rev) < 0) {
		error("unknown revision '%s': %s", rev, store_error());
		return NULL;
	}
	if (git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0) {
		error("'%s' does not name a commit or tree", rev);
		git_object_free(obj);
		return NULL;
	}
	git_oid_tostr(hex, sizeof(hex), git_object_id(obj));
	git_object_free(obj);
	g = new_source(s);
	g->tree = tree;
	g->name = xasprintf("commit %s", hex);
	g->base.name = g->name;
	return &g->base;
}

/*
 * The index is read with force 0 where only read: the repository keeps
 * one index object, read from disk when first asked for and again only
 * if the file changed -- a 100,000-entry index costs tens of
 * milliseconds a read.  Writers (commit_once) force the re-read.
 */
struct source *store_source_index(struct store *s)
{
	git_index *idx = NULL;
	struct source_git *g;

	if (git_repository_index(&idx, s->repo) < 0 || git_index_read(idx, 0) < 0) {
		error("unable to read the index: %s", store_error());
		git_index_free(idx);
		return NULL;
	}
	g = new_source(s);
	g->index = idx;
	g->base.name = "index";
	return &g->base;
}

