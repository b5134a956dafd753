/* store_merge.c -- a merge in progress: its head, base and conflicted
 * paths; see store.h. */
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "gitindex.h"

/* -- merges -- */

static int first_mergehead(const git_oid *oid, void *payload)
{
	git_oid_cpy(payload, oid);
	return 1;	/* the first is enough */
}

int store_merge_head(struct store *s, git_oid *out)
{
	int r = git_repository_mergehead_foreach(s->repo, first_mergehead, out);

	return r == 1 || r == GIT_EUSER ? 0 : -1;
}

int store_merging(struct store *s)
{
	git_oid oid;

	return store_merge_head(s, &oid) == 0;
}

/*
 * The conflicted paths read by ae's own reader (store_index.c): libgit2
 * would read, checksum and copy every entry of a 100,000-entry index
 * only for these (0.54 G instructions of a warm 'ae check').  1 when the
 * reader cannot take the index: libgit2 reads it.
 */
static int own_conflicts(struct store *s, struct strlist *out)
{
	struct gitindex *ix = store_own_index(s);
	size_t plen = strlen(s->prefix);

	if (!ix)
		return 1;
	for (size_t i = 0; ix->conflicts && i < ix->n; i++) {
		const struct gitindex_entry *e = &ix->v[i];
		if (gitindex_stage(e) == 0 || strncmp(e->path, s->prefix, plen))
			continue;
		if (out->n && !strcmp(out->v[out->n - 1], e->path + plen))
			continue;
		strlist_add(out, e->path + plen);
	}
	store_own_index_keep(s, ix);
	return 0;
}

int store_conflicts(struct store *s, struct strlist *out)
{
	git_index *idx = NULL;
	size_t plen = strlen(s->prefix);

	if (own_conflicts(s, out) == 0)
		return 0;
	if (store_index(s, &idx) < 0) {
		git_index_free(idx);
		return -1;
	}
	for (size_t i = 0; i < git_index_entrycount(idx); i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		if (git_index_entry_stage(e) == 0 || strncmp(e->path, s->prefix, plen))
			continue;
		if (out->n && !strcmp(out->v[out->n - 1], e->path + plen))
			continue;
		strlist_add(out, e->path + plen);
	}
	git_index_free(idx);
	return 0;
}

int store_read_stage(struct store *s, const char *path, int stage, struct strbuf *out)
{
	git_index *idx = NULL;
	const git_index_entry *e;
	git_blob *blob = NULL;
	char *p = store_full(s, path);
	int ret = 1;

	if (store_index(s, &idx) < 0) {
		ret = -1;
	} else if ((e = git_index_get_bypath(idx, p, stage)) != NULL) {
		if (git_blob_lookup(&blob, s->repo, &e->id) < 0) {
			ret = -1;
		} else {
			sb_reset(out);
			sb_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
			ret = 0;
		}
	}
	git_blob_free(blob);
	git_index_free(idx);
	free(p);
	return ret;
}

struct source *store_source_merge_base(struct store *s)
{
	git_oid head, theirs, base;
	char hex[GIT_OID_HEXSZ + 1];

	if (store_merge_head(s, &theirs) < 0 || git_reference_name_to_id(&head, s->repo, "HEAD") < 0 ||
	    git_merge_base(&base, s->repo, &head, &theirs) < 0) {
		error("no merge base: %s", store_error());
		return NULL;
	}
	git_oid_tostr(hex, sizeof(hex), &base);
	return store_source_rev(s, hex);
}

