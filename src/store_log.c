/* store_log.c -- the history of the book or of one record, for ae log;
 * see store.h. */
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "gitlock.h"

/* -- history -- */

static int store_log_walk(struct store *s, const char *path, int max,
			  int (*fn)(const struct log_commit *c, void *arg), void *arg);

static void trailer_paths(const char *msg, struct strlist *out)
{
	for (const char *p = msg; (p = strstr(p, "\nRecord: ")); ) {
		const char *e;
		p += 9;
		e = strchr(p, '\n');
		strlist_add_owned(out, xstrndup(p, e ? (size_t)(e - p) : strlen(p)));
	}
}

static int diff_paths(struct store *s, git_commit *c, struct strlist *out)
{
	git_tree *t = NULL, *pt = NULL;
	git_commit *parent = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	char *spec = xstrdup(s->prefix);
	size_t plen = strlen(s->prefix);
	int ret = -1;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (plen) {
		opts.pathspec.strings = &spec;
		opts.pathspec.count = 1;
	}
	if (git_commit_tree(&t, c) < 0)
		goto out;
	if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) == 0)
		git_commit_tree(&pt, parent);
	if (git_diff_tree_to_tree(&diff, s->repo, pt, t, &opts) < 0)
		goto out;
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *p = d->new_file.path ? d->new_file.path : d->old_file.path;
		if (!strncmp(p, s->prefix, plen) && store_in_book_area(p + plen))
			strlist_add(out, p + plen);
	}
	ret = 0;
out:
	git_diff_free(diff);
	git_tree_free(t);
	git_tree_free(pt);
	git_commit_free(parent);
	free(spec);
	return ret;
}

/* A commit's author, date, message and the paths its trailers name. */
static void log_fill(struct log_commit *lc, const git_oid *oid, git_commit *c)
{
	const git_signature *a = git_commit_author(c);

	memset(lc, 0, sizeof(*lc));
	git_oid_tostr(lc->oid, sizeof(lc->oid), oid);
	lc->author = a->name;
	lc->email = a->email;
	lc->when = (long long)a->when.time;
	lc->offset = a->when.offset;
	lc->message = git_commit_message(c);
	trailer_paths(lc->message, &lc->paths);
}

/* Whether commit c changed path (relative to the book) from its first parent. */
static int path_changed(struct store *s, git_commit *c, const char *path)
{
	git_tree *t = NULL, *pt = NULL;
	git_commit *parent = NULL;
	git_tree_entry *a = NULL, *z = NULL;
	char *p = store_full(s, path);
	int changed;

	git_commit_tree(&t, c);
	if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) == 0)
		git_commit_tree(&pt, parent);
	if (t)
		git_tree_entry_bypath(&z, t, p);
	if (pt)
		git_tree_entry_bypath(&a, pt, p);
	changed = (!a) != (!z) || (a && z && !git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(z)));
	git_tree_entry_free(a);
	git_tree_entry_free(z);
	git_tree_free(t);
	git_tree_free(pt);
	git_commit_free(parent);
	free(p);
	return changed;
}

int store_log(struct store *s, const char *path, int max,
	      int (*fn)(const struct log_commit *c, void *arg), void *arg)
{
	struct strlist ids = { 0 };

	if (path && git_rev_list(s->workdir, s->prefix, path, &ids) == 0) {
		int shown = 0, ret = 0;
		for (size_t i = 0; i < ids.n && !ret && (max <= 0 || shown < max); i++) {
			git_oid oid;
			git_commit *c = NULL;
			struct log_commit lc;

			if (git_oid_fromstr(&oid, ids.v[i]) < 0 || git_commit_lookup(&c, s->repo, &oid) < 0)
				continue;
			log_fill(&lc, &oid, c);
			{
				/* git saw the path change, whatever the message says */
				int named = 0;
				for (size_t k = 0; k < lc.paths.n; k++)
					named |= !strcmp(lc.paths.v[k], path);
				if (!named)
					strlist_add(&lc.paths, path);
			}
			ret = fn(&lc, arg);
			shown++;
			strlist_release(&lc.paths);
			git_commit_free(c);
		}
		strlist_release(&ids);
		return ret < 0 ? -1 : 0;
	}
	return store_log_walk(s, path, max, fn, arg);
}

static int store_log_walk(struct store *s, const char *path, int max,
			  int (*fn)(const struct log_commit *c, void *arg), void *arg)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	int shown = 0, ret = 0;

	if (git_repository_head_unborn(s->repo) == 1)
		return 0;
	if (git_revwalk_new(&walk, s->repo) < 0 || git_revwalk_push_head(walk) < 0) {
		error("unable to walk the history: %s", store_error());
		git_revwalk_free(walk);
		return -1;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	while (git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL;
		struct log_commit lc;
		int touched = 0;

		if (git_commit_lookup(&c, s->repo, &oid) < 0)
			continue;
		log_fill(&lc, &oid, c);
		/* ae's own commits say what they touched; others are compared:
		 * for one record, its blob against the parent's (a path lookup);
		 * for the whole book, the trees */
		if (!lc.paths.n && path) {
			if (path_changed(s, c, path))
				strlist_add(&lc.paths, path);
		} else if (!lc.paths.n) {
			diff_paths(s, c, &lc.paths);
		}
		for (size_t i = 0; i < lc.paths.n; i++)
			if (!path || !strcmp(lc.paths.v[i], path))
				touched = 1;
		if (touched) {
			ret = fn(&lc, arg);
			shown++;
		}
		strlist_release(&lc.paths);
		git_commit_free(c);
		if (ret || (max > 0 && shown >= max))
			break;
	}
	git_revwalk_free(walk);
	return ret < 0 ? -1 : 0;
}


/* -- records removed from the book, for numbers never reused (JOBNO-1) -- */

struct removed_walk {
	struct store *s;
	const char *folder;
	int (*want)(const char *path, void *arg);
	int (*fn)(const char *path, const struct strbuf *text, void *arg);
	void *arg;
};

static int removed_blob(struct removed_walk *w, const char *rel, const git_tree_entry *e)
{
	char *path = xasprintf("%s/%s", w->folder, rel);
	struct strbuf text = STRBUF_INIT;
	git_blob *blob = NULL;
	int want = w->want && w->want(path, w->arg), ret;
	size_t n = strlen(rel);

	if (n < 4 || strcmp(rel + n - 4, ".ini")) {
		free(path);
		return 0;
	}
	if (want && git_blob_lookup(&blob, w->s->repo, git_tree_entry_id(e)) == 0)
		sb_add(&text, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	ret = w->fn(path, want && blob ? &text : NULL, w->arg);
	git_blob_free(blob);
	sb_release(&text);
	free(path);
	return ret;
}

/* What old has and new lacks, below rel ("" or "2026/"); new may be NULL. */
static int removed_below(struct removed_walk *w, const git_tree *old, const git_tree *new,
			 const char *rel)
{
	int ret = 0;

	for (size_t i = 0; i < git_tree_entrycount(old) && !ret; i++) {
		const git_tree_entry *a = git_tree_entry_byindex(old, i);
		const git_tree_entry *z = new ? git_tree_entry_byname(new, git_tree_entry_name(a)) : NULL;
		char *sub = xasprintf("%s%s", rel, git_tree_entry_name(a));

		if (git_tree_entry_type(a) == GIT_OBJECT_BLOB) {
			if (!z || git_tree_entry_type(z) != GIT_OBJECT_BLOB)
				ret = removed_blob(w, sub, a);
		} else if (git_tree_entry_type(a) == GIT_OBJECT_TREE &&
			   (!z || !git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(z)))) {
			git_tree *ta = NULL, *tz = NULL;
			char *dir = xasprintf("%s/", sub);
			if (git_tree_lookup(&ta, w->s->repo, git_tree_entry_id(a)) == 0) {
				if (z && git_tree_entry_type(z) == GIT_OBJECT_TREE)
					git_tree_lookup(&tz, w->s->repo, git_tree_entry_id(z));
				ret = removed_below(w, ta, tz, dir);
			}
			git_tree_free(ta);
			git_tree_free(tz);
			free(dir);
		}
		free(sub);
	}
	return ret;
}

/* The folder's tree in commit c, or NULL when it has none. */
static git_tree *folder_tree(struct store *s, git_commit *c, const char *folder)
{
	git_tree *root = NULL, *t = NULL;
	git_tree_entry *e = NULL;
	char *p = store_full(s, folder);

	if (git_commit_tree(&root, c) == 0 && git_tree_entry_bypath(&e, root, p) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE)
		git_tree_lookup(&t, s->repo, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(root);
	free(p);
	return t;
}

int store_present(struct store *s, const char *rev, const char *folder,
		  int (*fn)(const char *path, const struct strbuf *text, void *arg), void *arg)
{
	struct removed_walk w = { s, folder, NULL, fn, arg };
	git_object *obj = NULL;
	git_commit *c = NULL;
	git_tree *t = NULL;
	int ret = 0;

	if (!rev && git_repository_head_unborn(s->repo) == 1)
		return 0;
	if (git_revparse_single(&obj, s->repo, rev ? rev : "HEAD") < 0 ||
	    git_commit_lookup(&c, s->repo, git_object_id(obj)) < 0) {
		ret = error("unable to read '%s': %s", rev ? rev : "HEAD", store_error());
	} else if ((t = folder_tree(s, c, folder))) {
		/* every file of the folder, as if removed by what comes next */
		ret = removed_below(&w, t, NULL, "") < 0 ? -1 : 0;
	}
	git_tree_free(t);
	git_commit_free(c);
	git_object_free(obj);
	return ret;
}

int store_removed(struct store *s, const char *rev, const char *folder,
		  int (*want)(const char *path, void *arg),
		  int (*fn)(const char *path, const struct strbuf *text, void *arg), void *arg)
{
	struct removed_walk w = { s, folder, want, fn, arg };
	git_revwalk *walk = NULL;
	git_object *obj = NULL;
	git_oid oid;
	int ret = 0;

	if (!rev && git_repository_head_unborn(s->repo) == 1)
		return 0;
	if (git_revwalk_new(&walk, s->repo) < 0 ||
	    (rev ? git_revparse_single(&obj, s->repo, rev) < 0 ||
		   git_revwalk_push(walk, git_object_id(obj)) < 0 :
		   git_revwalk_push_head(walk) < 0)) {
		error("unable to walk the history: %s", store_error());
		git_object_free(obj);
		git_revwalk_free(walk);
		return -1;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	while (!ret && git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL, *parent = NULL;
		git_tree *now = NULL, *before = NULL;

		if (git_commit_lookup(&c, s->repo, &oid) < 0)
			continue;
		/* only a commit whose folder differs from its first parent's is read */
		if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) == 0 &&
		    (before = folder_tree(s, parent, folder))) {
			now = folder_tree(s, c, folder);
			if (!now || !git_oid_equal(git_tree_id(now), git_tree_id(before)))
				ret = removed_below(&w, before, now, "");
		}
		git_tree_free(now);
		git_tree_free(before);
		git_commit_free(parent);
		git_commit_free(c);
	}
	git_object_free(obj);
	git_revwalk_free(walk);
	return ret < 0 ? -1 : 0;
}
