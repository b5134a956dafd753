/* store_mergedrv.c -- ae's record and journal merges as libgit2 merge
 * drivers, in-process, and who made each side of a conflict; see
 * store_team.h. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "merge_journal.h"
#include "merge_record.h"
#include "store_team.h"

/* Commits walked back from a side's tip looking for who changed a field. */
#define WHO_WALK_LIMIT 1000

struct ae_driver {
	git_merge_driver base;	/* first: libgit2 hands us this pointer */
	int journal;
};

/* What the drivers know of the merge store_merge_files() runs. */
static struct {
	struct store *s;
	git_oid ours, theirs;
	int have;		/* ours and theirs are set */
	struct merged_files *out;
} ctx;

void merged_files_release(struct merged_files *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		sb_release(&l->v[i].text);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int read_blob(git_repository *repo, const git_oid *id, struct strbuf *out)
{
	git_blob *blob = NULL;

	if (git_blob_lookup(&blob, repo, id) < 0)
		return -1;
	sb_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

/* The text of path in commit c (empty when absent): 0, or -1. */
static int read_at(git_repository *repo, const git_commit *c, const char *path,
		   git_oid *id, int *present, struct strbuf *out)
{
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	int ret = 0;

	*present = 0;
	if (git_commit_tree(&tree, c) < 0)
		return -1;
	if (git_tree_entry_bypath(&te, tree, path) == 0 &&
	    git_tree_entry_type(te) == GIT_OBJECT_BLOB) {
		*present = 1;
		git_oid_cpy(id, git_tree_entry_id(te));
		if (out)
			ret = read_blob(repo, id, out);
	}
	git_tree_entry_free(te);
	git_tree_free(tree);
	return ret;
}

/* Whether the change from a to b touched key (merge_conflict.h's KEY). */
static int touches(const struct strbuf *a, const struct strbuf *b, const char *key,
		   const char *base_line, size_t base_len)
{
	const char *pa = a->buf ? a->buf : "", *pb = b->buf ? b->buf : "";

	if (!strcmp(key, "*"))
		return 1;
	if (!strncmp(key, "line-", 5))
		return base_line && merge_journal_line_gone(pa, a->len, pb, b->len, base_line, base_len);
	return merge_record_field_differs(pa, a->len, pb, b->len, key);
}

static char *who_between(git_repository *repo, const git_oid *tip, const git_oid *base,
			 const char *path, const char *key, const char *base_line,
			 size_t base_len)
{
	git_revwalk *walk = NULL;
	git_oid id;
	char *who = NULL;
	int n = 0;

	if (git_revwalk_new(&walk, repo) < 0)
		return NULL;
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	if (git_revwalk_push(walk, tip) < 0 || (base && git_revwalk_hide(walk, base) < 0))
		goto out;
	while (!who && n++ < WHO_WALK_LIMIT && git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL, *p = NULL;
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		git_oid ia, ib;
		int ha = 0, hb = 0;

		if (git_commit_lookup(&c, repo, &id) < 0)
			break;
		if (git_commit_parentcount(c) > 1 ||
		    (git_commit_parentcount(c) == 1 && git_commit_parent(&p, c, 0) < 0) ||
		    read_at(repo, c, path, &ib, &hb, NULL) < 0 ||
		    (p && read_at(repo, p, path, &ia, &ha, NULL) < 0) ||
		    (ha == hb && (!ha || git_oid_equal(&ia, &ib)))) {
			git_commit_free(p);
			git_commit_free(c);
			continue;	/* a merge, or path untouched */
		}
		if ((!p || read_at(repo, p, path, &ia, &ha, &a) == 0) &&
		    read_at(repo, c, path, &ib, &hb, &b) == 0 &&
		    touches(&a, &b, key, base_line, base_len)) {
			const git_signature *sig = git_commit_author(c);
			char hex[8];
			git_oid_tostr(hex, sizeof(hex), &id);
			who = xasprintf("%s <%s> in %s", sig->name, sig->email, hex);
		}
		sb_release(&a);
		sb_release(&b);
		git_commit_free(p);
		git_commit_free(c);
	}
out:
	git_revwalk_free(walk);
	return who;
}

static int commit_oid(git_repository *repo, const char *rev, git_oid *out)
{
	git_object *obj = NULL;
	git_commit *c = NULL;
	int ret = -1;

	if (git_revparse_single(&obj, repo, rev) == 0 &&
	    git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) == 0) {
		git_oid_cpy(out, git_commit_id(c));
		ret = 0;
	}
	git_commit_free(c);
	git_object_free(obj);
	return ret;
}

char *store_merge_who(struct store *s, const char *tip, const char *other, const char *path,
		      const char *key, const char *base_line, size_t base_len)
{
	git_oid t, o, base;
	int have_base;

	if (commit_oid(s->repo, tip, &t) < 0)
		return NULL;
	have_base = other && commit_oid(s->repo, other, &o) == 0 &&
		    git_merge_base(&base, s->repo, &t, &o) == 0;
	return who_between(s->repo, &t, have_base ? &base : NULL, path, key, base_line,
			   base_len);
}

/* Name who made each side of each conflict of r, from the merge's commits. */
static void name_sides(git_repository *repo, const git_oid *ours, const git_oid *theirs,
		       const char *path, const struct strbuf *base,
		       struct merge_result *r)
{
	git_oid mb;
	int have_base = git_merge_base(&mb, repo, ours, theirs) == 0;

	for (size_t i = 0; i < r->n; i++) {
		struct merge_piece *p = &r->v[i];
		size_t bl = 0;
		const char *line;
		if (!p->key)
			continue;
		line = conflict_key_line(p->key, base->buf, base->len, &bl);
		p->who[0] = who_between(repo, ours, have_base ? &mb : NULL, path, p->key,
					line, bl);
		p->who[1] = who_between(repo, theirs, have_base ? &mb : NULL, path, p->key,
					line, bl);
	}
}

static void record_file(const char *path, const struct strbuf *text, int conflicts)
{
	const char *prefix = ctx.s->prefix;
	size_t plen = strlen(prefix);
	struct merged_file *f;

	if (!ctx.out || strncmp(path, prefix, plen))
		return;
	ALLOC_GROW(ctx.out->v, ctx.out->n + 1, ctx.out->alloc);
	f = &ctx.out->v[ctx.out->n++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path + plen);
	sb_add(&f->text, text->buf ? text->buf : "", text->len);
	f->conflicts = conflicts;
}

static int drv_apply(git_merge_driver *self, const char **path_out, uint32_t *mode_out,
		     git_buf *merged_out, const char *filter_name,
		     const git_merge_driver_source *src)
{
	const struct ae_driver *d = (const struct ae_driver *)self;
	git_repository *repo = git_merge_driver_source_repo(src);
	const git_index_entry *e[3] = {
		git_merge_driver_source_ancestor(src),
		git_merge_driver_source_ours(src),
		git_merge_driver_source_theirs(src),
	};
	struct strbuf text[3] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT }, out = STRBUF_INIT;
	struct merge_result r;
	const char *path;
	int n, ret = -1;

	(void)filter_name;
	if (!e[1] || !e[2])
		return GIT_PASSTHROUGH;	/* deleted on one side: git's decision */
	for (int i = 0; i < 3; i++)
		if (e[i] && read_blob(repo, &e[i]->id, &text[i]) < 0)
			goto out;
	path = e[0] && !strcmp(e[0]->path, e[1]->path) ? e[2]->path : e[1]->path;
	n = d->journal ? merge_journal(text[0].buf ? text[0].buf : "", text[0].len,
				       text[1].buf ? text[1].buf : "", text[1].len,
				       text[2].buf ? text[2].buf : "", text[2].len, &r) :
			 merge_record(text[0].buf ? text[0].buf : "", text[0].len,
				      text[1].buf ? text[1].buf : "", text[1].len,
				      text[2].buf ? text[2].buf : "", text[2].len, &r);
	if (n && ctx.have)
		name_sides(repo, &ctx.ours, &ctx.theirs, path, &text[0], &r);
	merge_result_render(&r, &out);
	merge_result_release(&r);
	if (ctx.s)
		record_file(path, &out, n);
	if (n) {
		ret = GIT_EMERGECONFLICT;	/* the three stages stay in the index */
		goto out;
	}
	if (git_buf_set(merged_out, out.buf ? out.buf : "", out.len) < 0)
		goto out;
	*path_out = path;
	*mode_out = e[0] && e[0]->mode == e[1]->mode ? e[2]->mode : e[1]->mode;
	ret = 0;
out:
	for (int i = 0; i < 3; i++)
		sb_release(&text[i]);
	sb_release(&out);
	return ret;
}

static struct ae_driver record_driver = {
	{ GIT_MERGE_DRIVER_VERSION, NULL, NULL, drv_apply }, 0
};
static struct ae_driver journal_driver = {
	{ GIT_MERGE_DRIVER_VERSION, NULL, NULL, drv_apply }, 1
};

int store_merge_drivers_register(void)
{
	static int done;

	if (done)
		return 0;
	store_global_init();
	if (git_merge_driver_register(STORE_DRIVER_RECORD, &record_driver.base) < 0 ||
	    git_merge_driver_register(STORE_DRIVER_JOURNAL, &journal_driver.base) < 0)
		return error("unable to register ae's merge drivers: %s", store_error());
	done = 1;
	return 0;
}

/* A conflict no driver of ae's described: libgit2's line merge of it. */
static void other_conflict(struct store *s, git_index *idx, const git_index_entry *a,
			   const git_index_entry *o, const git_index_entry *t)
{
	git_merge_file_result res;
	struct strbuf text = STRBUF_INIT;
	const char *path = o ? o->path : t ? t->path : a->path;

	for (size_t i = 0; i < ctx.out->n; i++)
		if (!strcmp(ctx.out->v[i].path, path + strlen(s->prefix)))
			return;	/* ae's driver wrote it */
	memset(&res, 0, sizeof(res));
	if (o && t && git_merge_file_from_index(&res, s->repo, a, o, t, NULL) == 0 && res.ptr)
		sb_add(&text, res.ptr, res.len);
	else if (o || t)
		read_blob(s->repo, &(o ? o : t)->id, &text);
	record_file(path, &text, 1);
	git_merge_file_result_free(&res);
	sb_release(&text);
	(void)idx;
}

int store_merge_in_memory(struct store *s, const git_oid *ours, const git_oid *theirs,
			  git_index **idx_out, struct merged_files *out)
{
	git_commit *co = NULL, *ct = NULL;
	git_index *idx = NULL;
	git_merge_options opts;
	int ret = -1;

	if (store_merge_drivers_register() < 0)
		return -1;
	memset(&ctx, 0, sizeof(ctx));
	git_oid_cpy(&ctx.ours, ours);
	git_oid_cpy(&ctx.theirs, theirs);
	if (git_commit_lookup(&co, s->repo, &ctx.ours) < 0 ||
	    git_commit_lookup(&ct, s->repo, &ctx.theirs) < 0)
		goto fail;
	ctx.s = s;
	ctx.have = 1;
	ctx.out = out;
	git_merge_options_init(&opts, GIT_MERGE_OPTIONS_VERSION);
	if (git_merge_commits(&idx, s->repo, co, ct, &opts) < 0)
		goto fail;
	if (git_index_has_conflicts(idx)) {
		git_index_conflict_iterator *it = NULL;
		const git_index_entry *a, *o, *t;
		if (git_index_conflict_iterator_new(&it, idx) < 0)
			goto fail;
		while (git_index_conflict_next(&a, &o, &t, it) == 0) {
			const char *path = o ? o->path : t ? t->path : a->path;
			if (!strncmp(path, s->prefix, strlen(s->prefix)))
				other_conflict(s, idx, a, o, t);
		}
		git_index_conflict_iterator_free(it);
	}
	ret = 0;
	for (size_t i = 0; i < out->n; i++)
		ret += out->v[i].conflicts != 0;
	if (idx_out) {
		*idx_out = idx;
		idx = NULL;
	}
	goto out;
fail:
	error("unable to merge: %s", store_error());
out:
	memset(&ctx, 0, sizeof(ctx));
	git_index_free(idx);
	git_commit_free(co);
	git_commit_free(ct);
	return ret;
}

int store_merge_files(struct store *s, const char *ours, const char *theirs,
		      struct merged_files *out)
{
	git_oid o, t;

	if (commit_oid(s->repo, ours, &o) < 0 || commit_oid(s->repo, theirs, &t) < 0)
		return error("unknown revision '%s' or '%s': %s", ours, theirs, store_error());
	return store_merge_in_memory(s, &o, &t, NULL, out);
}
