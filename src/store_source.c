/* store_source.c -- the book in a commit's tree or in the index, as a
 * struct source (--at REV, ae check --staged); see store.h. */
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "gitindex.h"
#include "strmap.h"

_Static_assert(GIT_OID_RAWSZ <= sizeof(((struct source_entry *)0)->oid),
	       "a blob id fits a listing entry");

/* -- the book in a tree or the index, as a struct source -- */

struct source_git {
	struct source base;
	struct store *s;
	git_tree *tree;		/* NULL: read the index */
	git_index *index;	/* libgit2's reading of it, or */
	struct gitindex *own;	/* ae's own (gitindex.h) */
	char *name;
	int scanned;		/* the whole book's names checked (SEC-1) */
	struct strmap reported;	/* paths reported, keys in `keys` */
	struct strlist keys;
};

/* Report path once per source; 1 if it was new. */
static int once(struct source_git *g, const char *path)
{
	if (strmap_get(&g->reported, path))
		return 0;
	strlist_add(&g->keys, path);
	strmap_put(&g->reported, g->keys.v[g->keys.n - 1], (void *)1);
	return 1;
}

/* The index's entries, whichever reader read it. */
static size_t ix_count(const struct source_git *g)
{
	return g->own ? g->own->n : git_index_entrycount(g->index);
}

struct ix_entry {
	const char *path;
	unsigned mode, stage;
	size_t size;
	const git_oid *id;
};

static void ix_get(const struct source_git *g, size_t i, struct ix_entry *out)
{
	if (g->own) {
		const struct gitindex_entry *e = &g->own->v[i];
		out->path = e->path;
		out->mode = gitindex_mode(e);
		out->stage = gitindex_stage(e);
		out->size = gitindex_size(e);
		out->id = (const git_oid *)gitindex_id(e);
	} else {
		const git_index_entry *e = git_index_get_byindex(g->index, i);
		out->path = e->path;
		out->mode = e->mode;
		out->stage = (unsigned)git_index_entry_stage(e);
		out->size = e->file_size;
		out->id = &e->id;
	}
}

/* The merged (stage 0) entry of a repository path: 1, or 0 when none. */
static int ix_find(const struct source_git *g, const char *path, struct ix_entry *out)
{
	if (g->own) {
		long i = gitindex_find(g->own, path, strlen(path), 0);
		if (i < 0)
			return 0;
		ix_get(g, (size_t)i, out);
		return 1;
	} else {
		const git_index_entry *e = git_index_get_bypath(g->index, path, 0);
		if (!e)
			return 0;
		out->path = e->path;
		out->mode = e->mode;
		out->stage = 0;
		out->size = e->file_size;
		out->id = &e->id;
		return 1;
	}
}

/* The entries whose path begins with prefix: [*lo, *hi). */
static void ix_range(const struct source_git *g, const char *prefix, size_t *lo, size_t *hi)
{
	long i;

	*lo = 0;
	*hi = ix_count(g);
	if (!g->own)
		return;
	i = gitindex_find(g->own, prefix, strlen(prefix), 0);
	*lo = i < 0 ? (size_t)(-i - 1) : (size_t)i;
	*hi = gitindex_prefix_end(g->own, *lo, *hi, prefix, strlen(prefix));
}

/*
 * Why a name in a tree (or a component of an index path) can be no name
 * in the book, or NULL.  git writes no such tree, but a commit made by
 * hand (git hash-object --literally, a crafted pack) can hold one, and a
 * checkout of it would write outside the folder or into .git.
 */
static const char *bad_name(const char *name, size_t n)
{
	if (!n)
		return "an empty name (a path with '//', or absolute)";
	if ((n == 1 && name[0] == '.') || (n == 2 && !memcmp(name, "..", 2)))
		return "a '.' or '..' name, which leads out of its folder";
	if (memchr(name, '/', n))
		return "a '/' inside a name (a path that looks absolute or nested)";
	if (n == 4 && !strncasecmp(name, ".git", 4))
		return "a '.git' name, which would write into a repository's own files";
	return NULL;
}

static void refuse_name(struct source_git *g, const char *path, const char *why)
{
	if (once(g, path))
		diag_at(DIAG_ERROR, path, 1, 1, "SEC-1",
			"the %s holds %s: git refuses to check out such a path, and ae reads nothing of it",
			g->tree ? "commit's tree" : "index", why);
}

static int depth_of(const char *path)
{
	int d = 0;

	for (; *path; path++)
		d += *path == '/';
	return d;
}

static int scan_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct source_git *g = payload;
	const char *name = git_tree_entry_name(e);
	const char *why = bad_name(name, strlen(name));
	char *path;

	if (!why && depth_of(root) <= SOURCE_MAX_DEPTH + 1)
		return 0;
	if (why) {
		path = xasprintf("%s%s", root, name);
		refuse_name(g, path, why);
	} else {
		/* the folder too deep, as the working tree's walk names it */
		path = xstrndup(root, strlen(root) - 1);
		if (once(g, path))
			source_refuse_depth(path);
	}
	free(path);
	return 1;	/* not into it */
}

/* Every name in the book's part of the tree or index, checked once. */
static void scan_names(struct source_git *g)
{
	size_t plen = strlen(g->s->prefix);

	g->scanned = 1;
	if (g->tree) {
		git_tree_entry *te = NULL;
		git_tree *sub = NULL;
		int r = 0;

		if (!plen) {
			r = git_tree_walk(g->tree, GIT_TREEWALK_PRE, scan_cb, g);
		} else if ((r = git_tree_entry_bypath(&te, g->tree, g->s->prefix)) == 0 &&
			   git_tree_entry_type(te) == GIT_OBJECT_TREE &&
			   (r = git_tree_lookup(&sub, g->s->repo, git_tree_entry_id(te))) == 0) {
			r = git_tree_walk(sub, GIT_TREEWALK_PRE, scan_cb, g);
			git_tree_free(sub);
		}
		git_tree_entry_free(te);
		/* a tree git cannot parse (an empty name): its folder would
		 * look empty, so say why */
		if (r < 0 && r != GIT_ENOTFOUND)
			diag_at(DIAG_ERROR, g->name, 0, 0, "SEC-1",
				"a tree of this commit cannot be read (%s): what it holds is not read",
				store_error());
		return;
	}
	for (size_t i = 0, n = ix_count(g); i < n; i++) {
		struct ix_entry e;
		const char *rel, *p;

		ix_get(g, i, &e);
		rel = e.path;
		if (strncmp(rel, g->s->prefix, plen))
			continue;
		rel += plen;
		for (p = rel;; ) {
			size_t k = strcspn(p, "/");
			const char *why = bad_name(p, k);
			if (why) {
				char *path = xstrndup(rel, (size_t)(p - rel) + k);
				refuse_name(g, path, why);
				free(path);
				break;
			}
			if (!p[k])
				break;
			p += k + 1;
		}
	}
}

/* The mode of a book path in the tree or index, or 0 when absent. */
static unsigned mode_of(struct source_git *g, const char *path)
{
	char *p = store_full(g->s, path);
	unsigned mode = 0;

	if (g->tree) {
		git_tree_entry *te = NULL;
		if (git_tree_entry_bypath(&te, g->tree, p) == 0)
			mode = git_tree_entry_filemode(te);
		git_tree_entry_free(te);
	} else {
		struct ix_entry e;
		if (ix_find(g, p, &e))
			mode = e.mode;
	}
	free(p);
	return mode;
}

/*
 * Whether path, or a folder on its way, is a symbolic link (reported
 * once): git stores a link as a blob of its target, so nothing would be
 * read through it, but the book's user is told why the file is not seen.
 */
static int link_on_way(struct source_git *g, const char *path)
{
	for (const char *sl = path;; sl++) {
		char *pre;
		int is_link;

		sl = strchr(sl, '/');
		pre = sl ? xstrndup(path, (size_t)(sl - path)) : xstrdup(path);
		is_link = mode_of(g, pre) == GIT_FILEMODE_LINK;
		if (is_link && once(g, pre))
			source_refuse_link(pre);
		free(pre);
		if (is_link)
			return 1;
		if (!sl)
			return 0;
	}
}

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

	/* hidden names are not the book's; the bad ones were reported by
	 * scan_names(), and so were folders too deep */
	if (name[0] == '.' || bad_name(name, strlen(name)) ||
	    depth_of(root) > SOURCE_MAX_DEPTH)
		return git_tree_entry_type(e) == GIT_OBJECT_TREE ? 1 : 0;
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	l->v[l->n].path = xasprintf("%s/%s%s", wa->dir, root, name);
	l->v[l->n].type = mode_type(git_tree_entry_filemode(e));
	l->v[l->n].size = 0;
	/* the blob id: the parse cache's key for a commit's files */
	memcpy(l->v[l->n].oid, git_tree_entry_id(e)->id, GIT_OID_RAWSZ);
	l->v[l->n].oid_len = GIT_OID_RAWSZ;
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
	char *p;
	size_t start = out->n;

	if (!g->scanned)
		scan_names(g);
	if (*dir && link_on_way(g, dir))
		return 0;
	p = store_full(g->s, dir);
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
		size_t lo, hi, plen = strlen(p);
		struct strmap dirs = { 0 };
		struct strlist keep = { 0 };
		char *under = xasprintf("%s/", p);

		/* ae's reader: only the folder's entries, found by their order */
		ix_range(g, under, &lo, &hi);
		free(under);
		for (size_t i = lo; i < hi; i++) {
			struct ix_entry e;
			const char *rel;
			ix_get(g, i, &e);
			if (strncmp(e.path, p, plen) || e.path[plen] != '/' || e.stage != 0)
				continue;
			rel = e.path + strlen(g->s->prefix);
			if (strstr(rel + plen - strlen(g->s->prefix), "/.") ||
			    strstr(rel, "//") || depth_of(rel) > depth_of(dir) + SOURCE_MAX_DEPTH + 1)
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
				memset(&out->v[out->n], 0, sizeof(out->v[out->n]));
				out->v[out->n].path = xstrdup(d);
				out->v[out->n].type = SRC_DIR;
				out->n++;
			}
			/* every field zero but these (in_block among them: the
			 * path is this entry's own, freed with the listing) */
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			memset(&out->v[out->n], 0, sizeof(out->v[out->n]));
			out->v[out->n].path = xstrdup(rel);
			out->v[out->n].type = mode_type(e.mode);
			out->v[out->n].size = e.size;
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
	if (strchr(path, '/') && link_on_way(g, path)) {
		free(p);
		return SRC_LINK;
	}
	if (g->tree) {
		git_tree_entry *te = NULL;
		if (git_tree_entry_bypath(&te, g->tree, p) < 0) {
			free(p);
			return SRC_MISSING;
		}
		if (git_tree_entry_filemode(te) == GIT_FILEMODE_LINK) {
			if (once(g, path))
				source_refuse_link(path);
			st = SRC_LINK;
		} else if (mode_type(git_tree_entry_filemode(te)) != SRC_FILE)
			st = SRC_NOT_REGULAR;
		else if (git_blob_lookup(&blob, g->s->repo, git_tree_entry_id(te)) < 0) {
			*msg = store_error();
			st = SRC_ERROR;
		}
		git_tree_entry_free(te);
	} else {
		struct ix_entry e;
		if (!ix_find(g, p, &e)) {
			free(p);
			return SRC_MISSING;
		}
		if (e.mode == GIT_FILEMODE_LINK) {
			if (once(g, path))
				source_refuse_link(path);
			st = SRC_LINK;
		} else if (mode_type(e.mode) != SRC_FILE)
			st = SRC_NOT_REGULAR;
		else if (git_blob_lookup(&blob, g->s->repo, e.id) < 0) {
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
	if (g->own) {
		gitindex_release(g->own);
		free(g->own);
	}
	strmap_release(&g->reported);
	strlist_release(&g->keys);
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
	g->base.content_ids = 1;
	g->name = xasprintf("commit %s", hex);
	g->base.name = g->name;
	return &g->base;
}

/*
 * The index as ae's own reader reads it (gitindex.h; the reading
 * store_staged() kept, while the file is the same), else libgit2's.
 * That is read with force 0 where only read: the repository keeps
 * one index object, read from disk when first asked for and again only
 * if the file changed -- a 100,000-entry index costs tens of
 * milliseconds a read.  Writers (commit_once) force the re-read.
 */
struct source *store_source_index(struct store *s)
{
	/* ae's own reader, as store_staged's; libgit2 says what it cannot take */
	struct gitindex *own = store_own_index(s);
	git_index *idx = NULL;
	struct source_git *g;

	if (!own && store_index(s, &idx) < 0) {
		error("unable to read the index: %s", store_error());
		git_index_free(idx);
		return NULL;
	}
	g = new_source(s);
	g->index = idx;
	g->own = own;
	g->base.name = "index";
	return &g->base;
}
