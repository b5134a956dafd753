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

