/* store_log.c -- the history of the book or of one record, for ae log,
 * read from the trees; and every record path any branch ever had, for
 * the numbers in use; see store.h. */
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commitgraph.h"
#include "diag.h"
#include "edit.h"
#include "logcache.h"
#include "strmap.h"

/* -- history -- */

static void log_files_release(struct log_commit *lc)
{
	for (size_t i = 0; i < lc->nfiles; i++) {
		free(lc->files[i].path);
		free(lc->files[i].old_path);
		sb_release(&lc->files[i].old);
		sb_release(&lc->files[i].new);
		sb_release(&lc->files[i].other);
		sb_release(&lc->files[i].base);
	}
	free(lc->files);
	lc->files = NULL;
	lc->nfiles = 0;
}

static void log_fill(struct log_commit *lc, const git_oid *oid, git_commit *c)
{
	memset(lc, 0, sizeof(*lc));
	store_commit_info_fill(&lc->info, oid, c);
}

/* The blob at full path in tree t: 1 (*id set), or 0 when absent. */
static int blob_id(git_tree *t, const char *full, git_oid *id)
{
	git_tree_entry *e = NULL;
	int found = 0;

	if (t && git_tree_entry_bypath(&e, t, full) == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		git_oid_cpy(id, git_tree_entry_id(e));
		found = 1;
	}
	git_tree_entry_free(e);
	return found;
}

static void blob_text(git_repository *repo, const git_oid *id, struct strbuf *out)
{
	git_blob *b = NULL;

	if (git_blob_lookup(&b, repo, id) == 0) {
		sb_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
		git_blob_free(b);
	}
}

static struct log_file *add_file(struct log_commit *lc, const char *path)
{
	struct log_file *f;

	lc->files = xrealloc(lc->files, (lc->nfiles + 1) * sizeof(*lc->files));
	f = &lc->files[lc->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	return f;
}

/* A commit's parents' trees (owned by the caller: free each). */
static size_t parent_trees(git_commit *c, git_tree ***out)
{
	size_t n = git_commit_parentcount(c);

	*out = xcalloc(n + 1, sizeof(**out));
	for (size_t i = 0; i < n; i++) {
		git_commit *p = NULL;
		if (git_commit_parent(&p, c, (unsigned)i) == 0)
			git_commit_tree(&(*out)[i], p);
		git_commit_free(p);
	}
	return n;
}

static void free_trees(git_tree **t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		git_tree_free(t[i]);
	free(t);
}

/* The record's former path when its text (at book path rel) says it was
 * renumbered from another identifier: owned, or NULL. */
static char *renumbered_path(const struct strbuf *t, const char *rel)
{
	char *from, *path = NULL;
	const char *slash = strrchr(rel, '/');

	from = edit_get(t->buf ? t->buf : "", t->len, "renumbered_from");
	if (from && *from && slash && !strchr(from, '/') && strcmp(from, "..") && strcmp(from, "."))
		path = xasprintf("%.*s/%s.ini", (int)(slash - rel), rel, from);
	free(from);
	return path;
}

static char *renumbered_from(git_repository *repo, const git_oid *id, const char *rel)
{
	struct strbuf t = STRBUF_INIT;
	char *path;

	blob_text(repo, id, &t);
	path = renumbered_path(&t, rel);
	sb_release(&t);
	return path;
}

struct names {
	struct strmap map;	/* commit id -> the record's path there ("": none) */
	struct strlist keys;	/* the map's keys, owned */
};

static const char *name_of(struct names *n, const char *hex)
{
	return strmap_get(&n->map, hex);
}

static void name_set(struct names *n, const git_oid *oid, const char *path)
{
	char hex[GIT_OID_HEXSZ + 1];
	const char *was;

	git_oid_tostr(hex, sizeof(hex), oid);
	was = strmap_get(&n->map, hex);
	/* a name from any child beats "the record is not there" */
	if (was && (*was || !*path))
		return;
	strlist_add(&n->keys, hex);
	strlist_add(&n->keys, path);
	strmap_put(&n->map, n->keys.v[n->keys.n - 2], n->keys.v[n->keys.n - 1]);
}

/*
 * The record (book path rel, in commit c of tree t): what c changed of it,
 * into lc, and its name in each parent, into names.  1 when c changed it.
 */
static int record_step(struct store *s, git_commit *c, git_tree *t, const char *rel,
		       struct names *names, struct log_commit *lc)
{
	git_tree **pt;
	size_t np = parent_trees(c, &pt);
	char *full = store_full(s, rel), *from = NULL, *from_full = NULL;
	git_oid id, pid, fid;
	int has = blob_id(t, full, &id), changed = 0, reused;

	if (has)
		from = renumbered_from(s->repo, &id, rel);
	if (from)
		from_full = store_full(s, from);
	/* the old number kept by another record: ours came from the parent
	 * whose old file differs from it */
	reused = from && blob_id(t, from_full, &fid);
	for (size_t i = 0; i < np; i++) {
		const char *pname = rel;
		if (has && from && !blob_id(pt[i], full, &pid) && blob_id(pt[i], from_full, &pid))
			pname = reused && git_oid_equal(&pid, &fid) ? "" : from;
		name_set(names, git_commit_parent_id(c, (unsigned)i), pname);
	}
	{
		/* against the first parent, under its name there */
		const char *p0 = np ? name_of(names, git_oid_tostr_s(git_commit_parent_id(c, 0))) : "";
		char *p0full = p0 && *p0 ? store_full(s, p0) : NULL;
		int had = p0full && blob_id(np ? pt[0] : NULL, p0full, &pid);
		int had1 = 0, hadb = 0;
		git_oid oid1, oidb;
		if (np > 1) {
			/* a merge: the other side, and where both sides began */
			const char *p1 = name_of(names, git_oid_tostr_s(git_commit_parent_id(c, 1)));
			char *p1full = p1 && *p1 ? store_full(s, p1) : NULL;
			git_oid mb;
			git_commit *bc = NULL;
			git_tree *bt = NULL;
			had1 = p1full && blob_id(pt[1], p1full, &oid1);
			if (p0full && git_merge_base(&mb, s->repo, git_commit_parent_id(c, 0),
						     git_commit_parent_id(c, 1)) == 0 &&
			    git_commit_lookup(&bc, s->repo, &mb) == 0 && git_commit_tree(&bt, bc) == 0)
				hadb = blob_id(bt, p0full, &oidb);
			git_tree_free(bt);
			git_commit_free(bc);
			free(p1full);
		}
		/* changed from ours, or theirs' change of it not taken as it was */
		if ((had != has || (has && !git_oid_equal(&id, &pid))) ||
		    (np > 1 && (had1 != hadb || (had1 && !git_oid_equal(&oid1, &oidb))) &&
		     (had1 != has || (has && !git_oid_equal(&id, &oid1))))) {
			struct log_file *f = add_file(lc, rel);
			changed = 1;
			f->has_new = has;
			if (has)
				blob_text(s->repo, &id, &f->new);
			if (had) {
				f->old_path = xstrdup(p0);
				blob_text(s->repo, &pid, &f->old);
			}
			if ((f->has_other = had1))
				blob_text(s->repo, &oid1, &f->other);
			if ((f->has_base = hadb))
				blob_text(s->repo, &oidb, &f->base);
		}
		free(p0full);
	}
	free(from);
	free(from_full);
	free(full);
	free_trees(pt, np);
	return changed;
}

/* The walk of one record's history: what tells it a commit's changes
 * without reading the commit's trees. */
struct record_walk {
	struct store *s;
	struct commit_graph *graph;	/* changed-path filters, or NULL */
	struct log_cache *known;	/* what commits changed (logcache.h) */
	struct names names;
};

static int is_zero_id(const unsigned char *id)
{
	for (int i = 0; i < LOGCACHE_ID; i++)
		if (id[i])
			return 0;
	return 1;
}

/*
 * Commit oid, of the one parent, left the record (named name there)
 * alone (changed 0), or changed it from blob old to blob new (changed 1;
 * all zero bytes: none): what record_step() would find, without the
 * trees.  0 unchanged (its name in the parent set); 1 changed (lc
 * filled); -1 when only the trees can tell -- the record was renumbered
 * there, or the parent has it under another name.
 */
static int record_known(struct record_walk *w, const git_oid *oid, const git_oid *parent,
			const char *name, int changed, const unsigned char *old,
			const unsigned char *new, struct log_commit *lc)
{
	git_repository *repo = w->s->repo;
	struct strbuf text = STRBUF_INIT;
	int has = changed && !is_zero_id(new), had = changed && !is_zero_id(old);
	git_oid id_new, id_old;
	git_commit *c = NULL;
	const char *p0;
	struct log_file *f;

	if (changed && has) {
		char *from;
		git_oid_fromraw(&id_new, new);
		blob_text(repo, &id_new, &text);
		if ((from = renumbered_path(&text, name)) != NULL) {
			free(from);
			sb_release(&text);
			return -1;
		}
	}
	name_set(&w->names, parent, name);
	if (!changed)
		return 0;
	p0 = name_of(&w->names, git_oid_tostr_s(parent));
	if (!p0 || strcmp(p0, name) || git_commit_lookup(&c, repo, oid) < 0) {
		sb_release(&text);
		return -1;
	}
	if (had == has && (!has || !memcmp(old, new, LOGCACHE_ID))) {
		git_commit_free(c);
		sb_release(&text);
		return 0;	/* its mode alone changed */
	}
	log_fill(lc, oid, c);
	git_commit_free(c);
	f = add_file(lc, name);
	f->has_new = has;
	f->new = text;
	if (had) {
		f->old_path = xstrdup(name);
		git_oid_fromraw(&id_old, old);
		blob_text(repo, &id_old, &f->old);
	}
	return 1;
}

/* The order of entries in a git tree: by name, a folder's as if it
 * ended in '/' (git's base_name_compare). */
static int entry_order(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *na = git_tree_entry_name(a), *nb = git_tree_entry_name(b);
	size_t la = strlen(na), lb = strlen(nb), n = la < lb ? la : lb;
	int c = memcmp(na, nb, n), ca, cb;

	if (c)
		return c;
	ca = la > n ? (unsigned char)na[n] : git_tree_entry_type(a) == GIT_OBJECT_TREE ? '/' : 0;
	cb = lb > n ? (unsigned char)nb[n] : git_tree_entry_type(b) == GIT_OBJECT_TREE ? '/' : 0;
	return ca - cb;
}

struct changes {
	git_repository *repo;
	struct log_change *v;
	size_t n, alloc;
	struct strbuf paths;	/* each path NUL-terminated; v[i].path set at the end */
	size_t *at;
	size_t alloc_at;
};

static void change_put(struct changes *ch, const char *dir, const git_tree_entry *old,
		       const git_tree_entry *new)
{
	const git_tree_entry *e = old ? old : new;
	struct log_change *c;

	ALLOC_GROW(ch->v, ch->n + 1, ch->alloc);
	ALLOC_GROW(ch->at, ch->n + 1, ch->alloc_at);
	c = &ch->v[ch->n];
	memset(c, 0, sizeof(*c));
	ch->at[ch->n++] = ch->paths.len;
	sb_addf(&ch->paths, "%s%s", dir, git_tree_entry_name(e));
	sb_add(&ch->paths, "", 1);
	if (old)
		memcpy(c->old, git_tree_entry_id(old)->id, LOGCACHE_ID);
	if (new)
		memcpy(c->new, git_tree_entry_id(new)->id, LOGCACHE_ID);
}

static int is_blob(const git_tree_entry *e)
{
	return e && git_tree_entry_type(e) == GIT_OBJECT_BLOB;
}

static int is_tree(const git_tree_entry *e)
{
	return e && git_tree_entry_type(e) == GIT_OBJECT_TREE;
}

/*
 * The files that differ between trees old and new (either NULL: none)
 * below dir ("" or "jobs/2026/"), into ch: the two walked in step in
 * git's order, a folder of the same id on both sides never read (libgit2's
 * tree diff reads every folder of the two commits: the ten year folders
 * of a book's jobs, to find the one record changed).  0, or -1 when a
 * tree cannot be read.
 */
static int changes_below(struct changes *ch, const git_tree *old, const git_tree *new,
			 const char *dir)
{
	size_t i = 0, j = 0, no = old ? git_tree_entrycount(old) : 0;
	size_t nn = new ? git_tree_entrycount(new) : 0;
	int ret = 0;

	while (!ret && (i < no || j < nn)) {
		const git_tree_entry *a = i < no ? git_tree_entry_byindex(old, i) : NULL;
		const git_tree_entry *z = j < nn ? git_tree_entry_byindex(new, j) : NULL;
		int c = !a ? 1 : !z ? -1 : entry_order(a, z);

		if (c < 0)
			z = NULL, i++;
		else if (c > 0)
			a = NULL, j++;
		else
			i++, j++;
		if (a && z && git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(z)) &&
		    git_tree_entry_filemode(a) == git_tree_entry_filemode(z))
			continue;
		if (is_tree(a) || is_tree(z)) {
			git_tree *ta = NULL, *tz = NULL;
			char *sub = xasprintf("%s%s/", dir, git_tree_entry_name(a ? a : z));
			if ((a && git_tree_lookup(&ta, ch->repo, git_tree_entry_id(a)) < 0) ||
			    (z && git_tree_lookup(&tz, ch->repo, git_tree_entry_id(z)) < 0))
				ret = -1;
			else
				ret = changes_below(ch, ta, tz, sub);
			git_tree_free(ta);
			git_tree_free(tz);
			free(sub);
		} else if (is_blob(a) || is_blob(z)) {
			change_put(ch, dir, is_blob(a) ? a : NULL, is_blob(z) ? z : NULL);
		}
	}
	return ret;
}

static void changes_release(struct changes *ch)
{
	free(ch->v);
	free(ch->at);
	sb_release(&ch->paths);
	memset(ch, 0, sizeof(*ch));
}

/* The paths of ch's changes set, once every one is in (the buffer moves
 * while they are added). */
static void changes_done(struct changes *ch)
{
	for (size_t i = 0; i < ch->n; i++)
		ch->v[i].path = ch->paths.buf + ch->at[i];
}

static void change_kept(const char *path, size_t len, const unsigned char *old,
			const unsigned char *new, void *arg)
{
	struct changes *ch = arg;
	struct log_change *c;

	ALLOC_GROW(ch->v, ch->n + 1, ch->alloc);
	ALLOC_GROW(ch->at, ch->n + 1, ch->alloc_at);
	c = &ch->v[ch->n];
	ch->at[ch->n++] = ch->paths.len;
	sb_add(&ch->paths, path, len);
	sb_add(&ch->paths, "", 1);
	memcpy(c->old, old, LOGCACHE_ID);
	memcpy(c->new, new, LOGCACHE_ID);
}

/*
 * What commit c changed from its first parent, in path order, into ch
 * (released by the caller): from the log cache when it knows the
 * commit, else read from the trees (and kept, for a commit of one
 * parent).  0, or -1 when the trees could not be read.
 */
static int commit_changes(struct record_walk *w, git_commit *c, struct changes *ch)
{
	git_commit *p = NULL;
	git_tree *t = NULL, *pt = NULL;
	int single = git_commit_parentcount(c) == 1, ret = -1;

	memset(ch, 0, sizeof(*ch));
	ch->repo = w->s->repo;
	if (single && log_cache_each(w->known, git_commit_id(c)->id,
				     git_commit_parent_id(c, 0)->id, change_kept, ch) == 0) {
		changes_done(ch);
		return 0;
	}
	changes_release(ch);
	ch->repo = w->s->repo;
	if ((git_commit_parentcount(c) && (git_commit_parent(&p, c, 0) < 0 ||
					   git_commit_tree(&pt, p) < 0)) ||
	    git_commit_tree(&t, c) < 0 || changes_below(ch, pt, t, "") < 0)
		goto out;
	changes_done(ch);
	if (single)
		log_cache_add(w->known, git_commit_id(c)->id, git_commit_parent_id(c, 0)->id,
			      ch->v, ch->n);
	ret = 0;
out:
	git_tree_free(t);
	git_tree_free(pt);
	git_commit_free(p);
	return ret;
}

/* The whole book: the files c changed from its first parent. */
static int book_step(struct record_walk *w, git_commit *c, struct log_commit *lc)
{
	struct store *s = w->s;
	git_tree *other = NULL;
	size_t plen = strlen(s->prefix);
	struct changes ch;

	if (commit_changes(w, c, &ch) < 0) {
		changes_release(&ch);
		return 0;
	}
	if (git_commit_parentcount(c) > 1) {
		git_commit *p1 = NULL;
		if (git_commit_parent(&p1, c, 1) == 0)
			git_commit_tree(&other, p1);
		git_commit_free(p1);
	}
	for (size_t i = 0; i < ch.n; i++) {
		const struct log_change *d = &ch.v[i];
		struct log_file *f;
		git_oid oid1;
		if (strncmp(d->path, s->prefix, plen) || !store_in_book_area(d->path + plen))
			continue;
		f = add_file(lc, d->path + plen);
		if (!is_zero_id(d->old)) {
			f->old_path = xstrdup(d->path + plen);
			git_oid_fromraw(&oid1, d->old);
			blob_text(s->repo, &oid1, &f->old);
		}
		if (!is_zero_id(d->new)) {
			f->has_new = 1;
			git_oid_fromraw(&oid1, d->new);
			blob_text(s->repo, &oid1, &f->new);
		}
		if (other && blob_id(other, d->path, &oid1)) {
			f->has_other = 1;
			blob_text(s->repo, &oid1, &f->other);
		}
	}
	git_tree_free(other);
	changes_release(&ch);
	return lc->nfiles > 0;
}

/*
 * The record's step at commit oid told without reading its trees when
 * the graph or the log cache can: 0 (the commit left it alone, its
 * parents' names set), 1 (changed, lc filled), -1 (read the commit).
 */
static int record_quick(struct record_walk *w, const git_oid *oid, struct log_commit *lc)
{
	const unsigned char *par[2];
	int np = commit_graph_parents(w->graph, oid->id, par), r;
	const char *name;
	unsigned char old[LOGCACHE_ID], new[LOGCACHE_ID];
	git_oid parent;
	char *full;

	if (np < 0)
		return -1;
	name = name_of(&w->names, git_oid_tostr_s(oid));
	if (!name || !*name) {
		for (int i = 0; i < np; i++) {
			git_oid_fromraw(&parent, par[i]);
			name_set(&w->names, &parent, "");
		}
		return 0;
	}
	if (np != 1)
		return -1;
	git_oid_fromraw(&parent, par[0]);
	full = store_full(w->s, name);
	if (!commit_graph_may_change(w->graph, oid->id, par[0], full))
		r = 0;
	else
		r = log_cache_path(w->known, oid->id, par[0], full, old, new);
	free(full);
	return r < 0 ? -1 : record_known(w, oid, &parent, name, r, old, new, lc);
}

/* The same for a commit read (c): its changes read from its trees, and
 * kept, when the log cache has none. */
static int record_read(struct record_walk *w, git_commit *c, const char *name,
		       struct log_commit *lc)
{
	unsigned char old[LOGCACHE_ID], new[LOGCACHE_ID];
	const git_oid *oid = git_commit_id(c), *parent;
	char *full;
	int r;

	if (git_commit_parentcount(c) != 1)
		return -1;
	parent = git_commit_parent_id(c, 0);
	full = store_full(w->s, name);
	r = log_cache_path(w->known, oid->id, parent->id, full, old, new);
	if (r < 0) {
		struct changes ch;
		if (commit_changes(w, c, &ch) == 0) {
			r = 0;
			for (size_t i = 0; i < ch.n && !r; i++)
				if (!strcmp(ch.v[i].path, full)) {
					memcpy(old, ch.v[i].old, LOGCACHE_ID);
					memcpy(new, ch.v[i].new, LOGCACHE_ID);
					r = 1;
				}
		}
		changes_release(&ch);
	}
	free(full);
	return r < 0 ? -1 : record_known(w, oid, parent, name, r, old, new, lc);
}

int store_log(struct store *s, const char *path, int max,
	      int (*fn)(const struct log_commit *c, void *arg), void *arg)
{
	git_revwalk *walk = NULL;
	struct record_walk rw;
	git_oid oid;
	int shown = 0, ret = 0;

	if (git_repository_head_unborn(s->repo) == 1)
		return 0;
	memset(&rw, 0, sizeof(rw));
	rw.s = s;
	/* a folder's tree read for a commit is often its child's parent
	 * tree too: kept in libgit2's object cache, which by default keeps
	 * no tree over 4 KiB (a folder of 5,000 records is 211 KB) */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)4 << 20);
	if (path) {
		char *objdir = xasprintf("%sobjects/", git_repository_commondir(s->repo));
		rw.graph = commit_graph_open(objdir);
		free(objdir);
	}
	rw.known = log_cache_open(git_repository_commondir(s->repo));
	if (git_revwalk_new(&walk, s->repo) < 0 || git_revwalk_push_head(walk) < 0) {
		error("unable to walk the history: %s", store_error());
		git_revwalk_free(walk);
		commit_graph_free(rw.graph);
		log_cache_close(rw.known);
		return -1;
	}
	/* newest first, a commit always before its parents */
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	if (path && git_reference_name_to_id(&oid, s->repo, "HEAD") == 0)
		name_set(&rw.names, &oid, path);
	while (!ret && git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL;
		git_tree *t = NULL;
		struct log_commit lc;
		int touched = -1;

		memset(&lc, 0, sizeof(lc));
		if (path)
			touched = record_quick(&rw, &oid, &lc);
		if (touched < 0 && git_commit_lookup(&c, s->repo, &oid) < 0)
			continue;
		if (touched < 0 && path) {
			const char *name = name_of(&rw.names, git_oid_tostr_s(&oid));
			if (!name || !*name) {
				for (unsigned i = 0; i < git_commit_parentcount(c); i++)
					name_set(&rw.names, git_commit_parent_id(c, i), "");
				touched = 0;
			} else {
				touched = record_read(&rw, c, name, &lc);
			}
		}
		if (touched < 0 && path) {
			if (git_commit_tree(&t, c) < 0) {
				git_commit_free(c);
				continue;
			}
			log_fill(&lc, &oid, c);
			touched = record_step(s, c, t, name_of(&rw.names, lc.info.oid), &rw.names, &lc);
		} else if (touched < 0) {
			log_fill(&lc, &oid, c);
			touched = book_step(&rw, c, &lc);
		}
		if (touched > 0) {
			ret = fn(&lc, arg);
			shown++;
		}
		log_files_release(&lc);
		git_tree_free(t);
		git_commit_free(c);
		if (max > 0 && shown >= max)
			break;
	}
	git_revwalk_free(walk);
	commit_graph_free(rw.graph);
	log_cache_close(rw.known);
	strmap_release(&rw.names.map);
	strlist_release(&rw.names.keys);
	return ret < 0 ? -1 : 0;
}

/* The paths under spec that commit c added (or changed) from its first parent. */
static int added_paths(struct store *s, git_commit *c, git_diff_options *opts, struct strlist *out)
{
	git_tree *t = NULL, *pt = NULL;
	git_commit *parent = NULL;
	git_diff *diff = NULL;
	size_t plen = strlen(s->prefix);
	int ret = -1;

	if (git_commit_tree(&t, c) < 0)
		goto out;
	if (git_commit_parentcount(c) > 0 &&
	    (git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&pt, parent) < 0))
		goto out;
	if (git_diff_tree_to_tree(&diff, s->repo, pt, t, opts) < 0)
		goto out;
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status != GIT_DELTA_DELETED && !strncmp(d->new_file.path, s->prefix, plen))
			strlist_add(out, d->new_file.path + plen);
	}
	ret = 0;
out:
	git_diff_free(diff);
	git_tree_free(t);
	git_tree_free(pt);
	git_commit_free(parent);
	return ret;
}

int store_paths_ever(struct store *s, const char *folder, struct strlist *out)
{
	static const char *const globs[] = { "refs/heads/*", "refs/remotes/*" };
	git_revwalk *walk = NULL;
	git_diff_options opts;
	git_oid oid;
	char *spec = xasprintf("%s%s/", s->prefix, folder);
	int ret = -1;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.pathspec.strings = &spec;
	opts.pathspec.count = 1;
	if (git_revwalk_new(&walk, s->repo) < 0)
		goto fail;
	/* HEAD too: a detached HEAD's commits are in use as well */
	if (git_repository_head_unborn(s->repo) != 1 && git_revwalk_push_head(walk) < 0)
		goto fail;
	for (size_t i = 0; i < ARRAY_SIZE(globs); i++)
		if (git_revwalk_push_glob(walk, globs[i]) < 0)
			goto fail;
	while (git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, s->repo, &oid) < 0)
			continue;
		if (added_paths(s, c, &opts, out) < 0) {
			git_commit_free(c);
			goto fail;
		}
		git_commit_free(c);
	}
	ret = 0;
	goto out;
fail:
	error("unable to read the history for the numbers in use: %s", store_error());
out:
	git_revwalk_free(walk);
	free(spec);
	return ret;
}

/* How far behind HEAD git's commit-graph may fall before it is written
 * again: a few dozen commits read from the trees cost little. */
#define GRAPH_LAG 64

void store_graph_refresh(struct store *s)
{
	char *objdir = xasprintf("%sobjects/", git_repository_commondir(s->repo));
	struct commit_graph *g = commit_graph_open(objdir);
	/* a graph libgit2 cannot read is as good as none for its walks */
	int filters = commit_graph_has_filters(g) && commit_graph_libgit2_reads(g), steps = 0;
	git_commit *c = NULL;
	git_oid oid;

	free(objdir);
	if (git_reference_name_to_id(&oid, s->repo, "HEAD") < 0)
		goto out;
	/* the first parents from HEAD back to one the graph has */
	while (steps < GRAPH_LAG && !(filters && commit_graph_has(g, oid.id)) &&
	       git_commit_lookup(&c, s->repo, &oid) == 0) {
		steps++;
		if (git_commit_parentcount(c) == 0) {
			git_commit_free(c);
			goto out;	/* a short history: nothing to gain */
		}
		git_oid_cpy(&oid, git_commit_parent_id(c, 0));
		git_commit_free(c);
	}
	/* git writes it; failing, the log reads the trees as before */
	if (steps >= GRAPH_LAG)
		(void)commit_graph_write(s->workdir);
out:
	commit_graph_free(g);
}

