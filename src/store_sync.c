/* store_sync.c -- the branch's upstream, how commits relate, what differs
 * between two, and walks over the commits a merge brings; see
 * store_sync.h. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "store_sync.h"

void store_upstream_release(struct store_upstream *u)
{
	free(u->local);
	free(u->remote);
	free(u->branch);
	free(u->tracking);
	free(u->name);
	memset(u, 0, sizeof(*u));
}

static char *buf_take(git_buf *b)
{
	char *s = xstrdup(b->ptr ? b->ptr : "");

	git_buf_dispose(b);
	return s;
}

int store_upstream(struct store *s, struct store_upstream *u)
{
	git_reference *head = NULL;
	git_buf buf = { 0 };
	git_strarray remotes = { 0 };
	const char *refname;
	int ret = -1;

	memset(u, 0, sizeof(*u));
	if (git_reference_lookup(&head, s->repo, "HEAD") < 0 ||
	    git_reference_type(head) != GIT_REFERENCE_SYMBOLIC ||
	    strncmp(git_reference_symbolic_target(head), "refs/heads/", 11)) {
		error("HEAD is not on a branch: ae sync exchanges a branch with its remote");
		goto out;
	}
	refname = git_reference_symbolic_target(head);
	u->local = xstrdup(refname + 11);
	if (git_branch_upstream_remote(&buf, s->repo, refname) == 0) {
		u->remote = buf_take(&buf);
		if (git_branch_upstream_merge(&buf, s->repo, refname) == 0) {
			char *m = buf_take(&buf);
			u->branch = xstrdup(!strncmp(m, "refs/heads/", 11) ? m + 11 : m);
			free(m);
			if (git_branch_upstream_name(&buf, s->repo, refname) == 0) {
				u->tracking = buf_take(&buf);
				u->configured = 1;
			}
		}
	}
	if (!u->configured) {
		const char *pick = NULL;
		free(u->remote);
		free(u->branch);
		u->remote = u->branch = NULL;
		if (git_remote_list(&remotes, s->repo) < 0) {
			error("unable to read the remotes: %s", store_error());
			goto out;
		}
		for (size_t i = 0; i < remotes.count; i++)
			if (!strcmp(remotes.strings[i], "origin"))
				pick = remotes.strings[i];
		if (!pick && remotes.count == 1)
			pick = remotes.strings[0];
		if (!pick) {
			ret = 1;
			goto out;
		}
		u->remote = xstrdup(pick);
		u->branch = xstrdup(u->local);
		u->tracking = xasprintf("refs/remotes/%s/%s", u->remote, u->branch);
	}
	u->name = !strncmp(u->tracking, "refs/remotes/", 13) ? xstrdup(u->tracking + 13) :
		  xasprintf("%s/%s", u->remote, u->branch);
	ret = 0;
out:
	if (ret)
		store_upstream_release(u);
	git_strarray_dispose(&remotes);
	git_reference_free(head);
	return ret;
}

/* rev's commit: 0, 1 absent, -1 (reported) */
static int rev_oid(struct store *s, const char *rev, git_oid *out)
{
	git_object *obj = NULL, *c = NULL;
	int r;

	r = git_revparse_single(&obj, s->repo, rev);
	if (r == GIT_ENOTFOUND)
		return 1;
	if (r < 0 || git_object_peel(&c, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		return error("'%s' is not a commit: %s", rev, store_error());
	}
	git_oid_cpy(out, git_object_id(c));
	git_object_free(c);
	git_object_free(obj);
	return 0;
}

int store_rev(struct store *s, const char *rev, char out[41])
{
	git_oid oid;
	int r = rev_oid(s, rev, &oid);

	out[0] = '\0';
	if (r == 0)
		git_oid_tostr(out, 41, &oid);
	return r;
}

int store_ahead_behind(struct store *s, const char *a, const char *b, size_t *ahead,
		       size_t *behind)
{
	git_oid oa, ob;

	if (rev_oid(s, a, &oa) != 0 || rev_oid(s, b, &ob) != 0)
		return error("unknown revision '%s' or '%s'", a, b);
	if (git_graph_ahead_behind(ahead, behind, s->repo, &oa, &ob) < 0)
		return error("unable to compare '%s' and '%s': %s", a, b, store_error());
	return 0;
}

int store_merge_base_of(struct store *s, const char *a, const char *b, char out[41])
{
	git_oid oa, ob, base;
	int r;

	out[0] = '\0';
	if (rev_oid(s, a, &oa) != 0 || rev_oid(s, b, &ob) != 0)
		return error("unknown revision '%s' or '%s'", a, b);
	r = git_merge_base(&base, s->repo, &oa, &ob);
	if (r == GIT_ENOTFOUND)
		return 1;
	if (r < 0)
		return error("no merge base of '%s' and '%s': %s", a, b, store_error());
	git_oid_tostr(out, 41, &base);
	return 0;
}

static int tree_of(struct store *s, const char *rev, git_tree **out)
{
	git_oid oid;
	git_commit *c = NULL;
	int r;

	*out = NULL;
	if (!rev)
		return 0;
	if ((r = rev_oid(s, rev, &oid)) != 0)
		return r < 0 ? -1 : error("unknown revision '%s'", rev);
	r = git_commit_lookup(&c, s->repo, &oid) < 0 || git_commit_tree(out, c) < 0 ? -1 : 0;
	git_commit_free(c);
	return r < 0 ? error("unable to read '%s': %s", rev, store_error()) : 0;
}

int store_diff(struct store *s, const char *from, const char *to, int book_only,
	       struct change_list *out, size_t *outside)
{
	git_tree *a = NULL, *z = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	git_diff_find_options fopts;
	int ret = -1;

	if (outside)
		*outside = 0;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	if (tree_of(s, from, &a) < 0 || tree_of(s, to, &z) < 0)
		goto out;
	if (git_diff_tree_to_tree(&diff, s->repo, a, z, &opts) < 0) {
		error("unable to compare '%s' and '%s': %s", from ? from : "nothing", to,
		      store_error());
		goto out;
	}
	store_diff_changes(s, diff, book_only, out, outside);
	ret = 0;
out:
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(z);
	return ret;
}

void store_commit_info_fill(struct store_commit_info *ci, const git_oid *oid, git_commit *c)
{
	const git_signature *a = git_commit_author(c);

	git_oid_tostr(ci->oid, sizeof(ci->oid), oid);
	ci->author = a->name;
	ci->email = a->email;
	ci->when = (long long)a->when.time;
	ci->offset = a->when.offset;
	ci->message = git_commit_message(c);
	ci->nparents = (int)git_commit_parentcount(c);
}

static int walk_new(struct store *s, const char *tip, const char *hide, git_revwalk **out)
{
	git_oid t, h;
	int r;

	*out = NULL;
	if (rev_oid(s, tip, &t) != 0)
		return error("unknown revision '%s'", tip);
	if (git_revwalk_new(out, s->repo) < 0)
		return error("unable to walk the history: %s", store_error());
	git_revwalk_sorting(*out, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	if (git_revwalk_push(*out, &t) < 0)
		return error("unable to walk the history: %s", store_error());
	if (hide && (r = rev_oid(s, hide, &h)) == 0 && git_revwalk_hide(*out, &h) < 0)
		return error("unable to walk the history: %s", store_error());
	return 0;
}

int store_range(struct store *s, const char *tip, const char *hide,
		int (*fn)(const struct store_commit_info *c, void *arg), void *arg)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	int ret = 0;

	if (walk_new(s, tip, hide, &walk) < 0) {
		git_revwalk_free(walk);
		return -1;
	}
	while (!ret && git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL;
		struct store_commit_info ci;
		if (git_commit_lookup(&c, s->repo, &oid) < 0)
			continue;
		store_commit_info_fill(&ci, &oid, c);
		ret = fn(&ci, arg);
		git_commit_free(c);
	}
	git_revwalk_free(walk);
	return 0;
}

/* The blob of path in tree t: 1 found (*id set), 0 absent. */
static int blob_at(git_tree *t, const char *path, git_oid *id)
{
	git_tree_entry *e = NULL;
	int found = 0;

	if (t && git_tree_entry_bypath(&e, t, path) == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		git_oid_cpy(id, git_tree_entry_id(e));
		found = 1;
	}
	git_tree_entry_free(e);
	return found;
}

static int blob_text(git_repository *repo, const git_oid *id, struct strbuf *out)
{
	git_blob *b = NULL;

	sb_reset(out);
	if (git_blob_lookup(&b, repo, id) < 0)
		return -1;
	sb_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return 0;
}

int store_walk_changes(struct store *s, const char *tip, const char *hide,
		       const struct strlist *paths, size_t limit,
		       int (*fn)(const struct store_commit_info *c, const char *path,
				 const struct strbuf *old, int had_old,
				 const struct strbuf *new, int has_new, void *arg),
		       void *arg)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	struct strbuf a = STRBUF_INIT, z = STRBUF_INIT;
	char **full = xcalloc(paths->n + 1, sizeof(*full));
	size_t seen = 0;
	int stop = 0, ret = 0;

	for (size_t i = 0; i < paths->n; i++)
		full[i] = store_full(s, paths->v[i]);
	if (walk_new(s, tip, hide, &walk) < 0) {
		ret = -1;
		goto out;
	}
	while (!stop && seen++ < limit && git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL, *p = NULL;
		git_tree *t = NULL, *pt = NULL;
		struct store_commit_info ci;

		if (git_commit_lookup(&c, s->repo, &oid) < 0 || git_commit_parentcount(c) > 1 ||
		    git_commit_tree(&t, c) < 0 ||
		    (git_commit_parentcount(c) == 1 &&
		     (git_commit_parent(&p, c, 0) < 0 || git_commit_tree(&pt, p) < 0))) {
			git_tree_free(t);
			git_commit_free(p);
			git_commit_free(c);
			continue;
		}
		store_commit_info_fill(&ci, &oid, c);
		for (size_t i = 0; i < paths->n && !stop; i++) {
			git_oid ia, iz;
			int ha = blob_at(pt, full[i], &ia), hz = blob_at(t, full[i], &iz);
			if (ha == hz && (!ha || git_oid_equal(&ia, &iz)))
				continue;
			if ((ha && blob_text(s->repo, &ia, &a) < 0) || (hz && blob_text(s->repo, &iz, &z) < 0))
				continue;
			if (!ha)
				sb_reset(&a);
			if (!hz)
				sb_reset(&z);
			stop = fn(&ci, paths->v[i], &a, ha, &z, hz, arg);
		}
		git_tree_free(pt);
		git_tree_free(t);
		git_commit_free(p);
		git_commit_free(c);
	}
out:
	git_revwalk_free(walk);
	for (size_t i = 0; i < paths->n; i++)
		free(full[i]);
	free(full);
	sb_release(&a);
	sb_release(&z);
	return ret;
}

int store_read_at(struct store *s, const char *rev, const char *path, struct strbuf *out)
{
	git_tree *t = NULL;
	git_oid id;
	char *p = store_full(s, path);
	int r = 1;

	if (tree_of(s, rev, &t) < 0) {
		r = -1;
	} else if (blob_at(t, p, &id)) {
		r = blob_text(s->repo, &id, out) < 0 ? -1 : 0;
	}
	git_tree_free(t);
	free(p);
	return r;
}

int store_refs(struct store *s, const char *glob, struct strlist *out)
{
	git_reference_iterator *it = NULL;
	const char *name;

	if (git_reference_iterator_glob_new(&it, s->repo, glob) < 0)
		return error("unable to list the references: %s", store_error());
	while (git_reference_next_name(&name, it) == 0)
		strlist_add(out, name);
	git_reference_iterator_free(it);
	strlist_sort(out);
	return 0;
}

int store_blob_write(struct store *s, const char *text, size_t len, char out[41])
{
	git_oid id;

	if (git_blob_create_from_buffer(&id, s->repo, text, len) < 0)
		return error("unable to write a blob: %s", store_error());
	git_oid_tostr(out, 41, &id);
	return 0;
}
