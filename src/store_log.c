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

/* The record's former path when the commit's version of full (book path
 * rel) says it was renumbered from another identifier: owned, or NULL. */
static char *renumbered_from(git_repository *repo, const struct store *s, const git_oid *id,
			     const char *rel)
{
	struct strbuf t = STRBUF_INIT;
	char *from, *path = NULL;
	const char *slash = strrchr(rel, '/');

	blob_text(repo, id, &t);
	from = edit_get(t.buf ? t.buf : "", t.len, "renumbered_from");
	if (from && *from && slash && !strchr(from, '/') && strcmp(from, "..") && strcmp(from, "."))
		path = xasprintf("%.*s/%s.ini", (int)(slash - rel), rel, from);
	(void)s;
	free(from);
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
		from = renumbered_from(s->repo, s, &id, rel);
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

/* The whole book: the files c changed from its first parent. */
static int book_step(struct store *s, git_commit *c, git_tree *t, struct log_commit *lc)
{
	git_tree **pt;
	size_t np = parent_trees(c, &pt), plen = strlen(s->prefix);
	git_diff *diff = NULL;
	git_diff_options opts;
	char *spec = xstrdup(s->prefix);

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (plen) {
		opts.pathspec.strings = &spec;
		opts.pathspec.count = 1;
	}
	if (git_diff_tree_to_tree(&diff, s->repo, np ? pt[0] : NULL, t, &opts) == 0) {
		for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
			const git_diff_delta *d = git_diff_get_delta(diff, i);
			const char *p = d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path;
			struct log_file *f;
			git_oid oid1;
			if (strncmp(p, s->prefix, plen) || !store_in_book_area(p + plen))
				continue;
			f = add_file(lc, p + plen);
			if (d->status != GIT_DELTA_ADDED) {
				f->old_path = xstrdup(p + plen);
				blob_text(s->repo, &d->old_file.id, &f->old);
			}
			if (d->status != GIT_DELTA_DELETED) {
				f->has_new = 1;
				blob_text(s->repo, &d->new_file.id, &f->new);
			}
			if (np > 1 && blob_id(pt[1], p, &oid1)) {
				f->has_other = 1;
				blob_text(s->repo, &oid1, &f->other);
			}
		}
	}
	git_diff_free(diff);
	free(spec);
	free_trees(pt, np);
	return lc->nfiles > 0;
}

/*
 * Whether the commit-graph's changed-path filter says that c, a commit of
 * one parent, certainly left the record alone (then its name in the
 * parent is its name here, as record_step() would find): the trees of
 * most commits are never read (commitgraph.h).
 */
static int untouched(struct store *s, const struct commit_graph *g, git_commit *c,
		     struct names *names)
{
	const char *name;
	char *full;
	int r;

	if (!g || git_commit_parentcount(c) != 1)
		return 0;
	name = name_of(names, git_oid_tostr_s(git_commit_id(c)));
	if (!name || !*name)
		return 0;
	full = store_full(s, name);
	r = commit_graph_may_change(g, git_commit_id(c)->id, git_commit_parent_id(c, 0)->id, full);
	free(full);
	if (r)
		return 0;
	name_set(names, git_commit_parent_id(c, 0), name);
	return 1;
}

int store_log(struct store *s, const char *path, int max,
	      int (*fn)(const struct log_commit *c, void *arg), void *arg)
{
	git_revwalk *walk = NULL;
	struct names names = { { 0 }, { 0 } };
	struct commit_graph *graph = NULL;
	git_oid oid;
	int shown = 0, ret = 0;

	if (git_repository_head_unborn(s->repo) == 1)
		return 0;
	if (path) {
		char *objdir = xasprintf("%sobjects/", git_repository_commondir(s->repo));
		graph = commit_graph_open(objdir);
		free(objdir);
	}
	if (git_revwalk_new(&walk, s->repo) < 0 || git_revwalk_push_head(walk) < 0) {
		error("unable to walk the history: %s", store_error());
		git_revwalk_free(walk);
		return -1;
	}
	/* newest first, a commit always before its parents */
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	if (path && git_reference_name_to_id(&oid, s->repo, "HEAD") == 0)
		name_set(&names, &oid, path);
	while (!ret && git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL;
		git_tree *t = NULL;
		struct log_commit lc;
		int touched = 0;

		if (git_commit_lookup(&c, s->repo, &oid) < 0) {
			continue;
		}
		if (path && untouched(s, graph, c, &names)) {
			git_commit_free(c);
			continue;
		}
		if (git_commit_tree(&t, c) < 0) {
			git_commit_free(c);
			continue;
		}
		log_fill(&lc, &oid, c);
		if (path) {
			const char *name = name_of(&names, lc.info.oid);
			if (name && *name)
				touched = record_step(s, c, t, name, &names, &lc);
			else
				for (unsigned i = 0; i < git_commit_parentcount(c); i++)
					name_set(&names, git_commit_parent_id(c, i), "");
		} else {
			touched = book_step(s, c, t, &lc);
		}
		if (touched) {
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
	commit_graph_free(graph);
	strmap_release(&names.map);
	strlist_release(&names.keys);
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
	int filters = commit_graph_has_filters(g), steps = 0;
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
		(void)commit_graph_write(s->workdir, !filters);
out:
	commit_graph_free(g);
}

