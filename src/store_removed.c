/*
 * store_removed.c -- the record files a history removed, for numbers never
 * reused (JOBNO-1), and those a commit has; see store.h.
 *
 * Every full 'ae check' asks, so the answer is kept in the repository's
 * own folder (.git/ae/removed-FOLDER): the commit it holds for, then one
 * line per path, the blob of its first removal and the path.  HEAD's own
 * files of the folder are kept the same way (.git/ae/present-FOLDER: the
 * commit, then a path a line), so that a warm check can answer both from
 * the files without starting libgit2 (store_removed_quick).  When the
 * commit asked about descends from the one kept, only the commits since
 * are read; otherwise (a history rewritten, no cache, a cache unreadable)
 * the whole history is, and the cache is written again.  A cache that
 * cannot be written is no error: the answer is the same without it.
 */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fileio.h"
#include "gitconfig.h"
#include "gitindex.h"
#include "strmap.h"

#define CACHE_MAGIC "ae removed 1 "
#define PRESENT_MAGIC "ae present 1 "
#define CACHE_LIMIT (64u << 20)

/* path -> hex oid of the blob it had just before its first removal */
struct removed_set {
	struct arena arena;
	struct strmap map;
	struct strlist paths;	/* the keys (owned by the arena), in no order */
};

static void set_put(struct removed_set *set, const char *path, const char *hex)
{
	const char *key = path;

	if (!strmap_get(&set->map, path)) {
		key = arena_strdup(&set->arena, path);
		strlist_add(&set->paths, key);
	}
	/* a key already there is kept by the map: the new value replaces */
	strmap_put(&set->map, key, arena_strdup(&set->arena, hex));
}

static void set_release(struct removed_set *set)
{
	strmap_release(&set->map);
	strlist_release(&set->paths);
	arena_release(&set->arena);
}

struct removed_walk {
	struct store *s;
	const char *folder;
	struct removed_set *set;
};

static void removed_blob(struct removed_walk *w, const char *rel, const git_tree_entry *e)
{
	char hex[GIT_OID_HEXSZ + 1];
	char *path;
	size_t n = strlen(rel);

	if (n < 4 || strcmp(rel + n - 4, ".ini"))
		return;
	path = xasprintf("%s/%s", w->folder, rel);
	git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(e));
	/* walked newest first: what is put last is the first removal */
	set_put(w->set, path, hex);
	free(path);
}

/* What old has and new lacks, below rel ("" or "2026/"); new may be NULL. */
static void removed_below(struct removed_walk *w, const git_tree *old, const git_tree *new,
			  const char *rel)
{
	for (size_t i = 0; i < git_tree_entrycount(old); i++) {
		const git_tree_entry *a = git_tree_entry_byindex(old, i);
		const git_tree_entry *z = new ? git_tree_entry_byname(new, git_tree_entry_name(a)) : NULL;
		char *sub = xasprintf("%s%s", rel, git_tree_entry_name(a));

		if (git_tree_entry_type(a) == GIT_OBJECT_BLOB) {
			if (!z || git_tree_entry_type(z) != GIT_OBJECT_BLOB)
				removed_blob(w, sub, a);
		} else if (git_tree_entry_type(a) == GIT_OBJECT_TREE &&
			   (!z || !git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(z)))) {
			git_tree *ta = NULL, *tz = NULL;
			char *dir = xasprintf("%s/", sub);
			if (git_tree_lookup(&ta, w->s->repo, git_tree_entry_id(a)) == 0) {
				if (z && git_tree_entry_type(z) == GIT_OBJECT_TREE)
					git_tree_lookup(&tz, w->s->repo, git_tree_entry_id(z));
				removed_below(w, ta, tz, dir);
			}
			git_tree_free(ta);
			git_tree_free(tz);
			free(dir);
		}
		free(sub);
	}
}

/* The id of the folder's tree in commit c; 0 when it has none. */
static int folder_tree_id(struct store *s, git_commit *c, const char *folder, git_oid *out)
{
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	char *p = store_full(s, folder);
	int found = 0;

	if (git_commit_tree(&root, c) == 0 && git_tree_entry_bypath(&e, root, p) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		git_oid_cpy(out, git_tree_entry_id(e));
		found = 1;
	}
	git_tree_entry_free(e);
	git_tree_free(root);
	free(p);
	return found;
}

/* The folder's tree in commit c, or NULL when it has none. */
static git_tree *folder_tree(struct store *s, git_commit *c, const char *folder)
{
	git_tree *t = NULL;
	git_oid id;

	if (folder_tree_id(s, c, folder, &id))
		git_tree_lookup(&t, s->repo, &id);
	return t;
}

/*
 * The removals of the commits reachable from tip and not from hide (NULL:
 * all), into set, each commit compared with its first parent.  A commit
 * whose folder is the same tree as its parent's is not read further: the
 * folder's tree id of the commit just walked is remembered, as it is
 * usually the next one's parent.  0, or -1.
 */
static int walk_removed(struct store *s, const git_oid *tip, const git_oid *hide,
			const char *folder, struct removed_set *set)
{
	struct removed_walk w = { s, folder, set };
	git_revwalk *walk = NULL;
	git_oid oid, last_commit, last_tree;
	int have_last = 0, last_found = 0;

	if (git_revwalk_new(&walk, s->repo) < 0 || git_revwalk_push(walk, tip) < 0 ||
	    (hide && git_revwalk_hide(walk, hide) < 0)) {
		git_revwalk_free(walk);
		return -1;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	while (git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL, *parent = NULL;
		git_oid now_id, before_id;
		int now_found, before_found;

		if (git_commit_lookup(&c, s->repo, &oid) < 0)
			continue;
		if (have_last && git_oid_equal(&last_commit, &oid))
			now_found = last_found, git_oid_cpy(&now_id, &last_tree);
		else
			now_found = folder_tree_id(s, c, folder, &now_id);
		if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) == 0) {
			before_found = folder_tree_id(s, parent, folder, &before_id);
			git_oid_cpy(&last_commit, git_commit_id(parent));
			git_oid_cpy(&last_tree, &before_id);
			last_found = before_found;
			have_last = 1;
			if (before_found && (!now_found || !git_oid_equal(&now_id, &before_id))) {
				git_tree *now = NULL, *before = NULL;
				if (git_tree_lookup(&before, s->repo, &before_id) == 0) {
					if (now_found)
						git_tree_lookup(&now, s->repo, &now_id);
					removed_below(&w, before, now, "");
				}
				git_tree_free(now);
				git_tree_free(before);
			}
		}
		git_commit_free(parent);
		git_commit_free(c);
	}
	git_revwalk_free(walk);
	return 0;
}

/* A folder name fit for a file name. */
static int folder_ok(const char *folder)
{
	return *folder && strspn(folder, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
				  strlen(folder);
}

/* .git/ae/removed-FOLDER, or NULL for a folder name unfit for a file name. */
static char *cache_path(struct store *s, const char *folder)
{
	if (!folder_ok(folder))
		return NULL;
	return xasprintf("%sae/removed-%s", git_repository_commondir(s->repo), folder);
}

/* Two hex digits a byte into out[0..n); -1 unless all are lower-case hex. */
static int unhex(const char *hex, unsigned char *out, size_t n)
{
	for (size_t i = 0; i < 2 * n; i++) {
		int c = (unsigned char)hex[i], v;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else
			return -1;
		if (i % 2)
			out[i / 2] |= (unsigned char)v;
		else
			out[i / 2] = (unsigned char)(v << 4);
	}
	return 0;
}

/* A cache file's first line, "MAGIC HEX\n": its commit in at, and where
 * the lines after it begin; NULL when it is not one. */
static const char *cache_head(const struct strbuf *sb, const char *magic, unsigned char *at)
{
	size_t mlen = strlen(magic);

	if (sb->len < mlen + GIT_OID_HEXSZ + 1 || memcmp(sb->buf, magic, mlen) ||
	    sb->buf[mlen + GIT_OID_HEXSZ] != '\n' || unhex(sb->buf + mlen, at, GIT_OID_RAWSZ) < 0)
		return NULL;
	return sb->buf + mlen + GIT_OID_HEXSZ + 1;
}

/* The cache's commit in at[20] and its paths in set: 1, or 0 (none,
 * unreadable).  Plain POSIX: the quick path reads it without libgit2. */
static int cache_read(const char *file, unsigned char *at, struct removed_set *set)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p, *end;
	int ok = 0;

	if (!file || sb_read_file(&sb, file, CACHE_LIMIT) < 0 || !(p = cache_head(&sb, CACHE_MAGIC, at)))
		goto out;
	end = sb.buf + sb.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		unsigned char id[GIT_OID_RAWSZ];
		char hex[GIT_OID_HEXSZ + 1], *path;

		/* "HEX PATH\n", each line whole: anything else and the cache is not used */
		if (!nl || nl - p < GIT_OID_HEXSZ + 2 || p[GIT_OID_HEXSZ] != ' ' ||
		    unhex(p, id, sizeof(id)) < 0 || memchr(p, '\0', (size_t)(nl - p)))
			goto out;
		memcpy(hex, p, GIT_OID_HEXSZ);
		hex[GIT_OID_HEXSZ] = '\0';
		path = xstrndup(p + GIT_OID_HEXSZ + 1, (size_t)(nl - p - GIT_OID_HEXSZ - 1));
		set_put(set, path, hex);
		free(path);
		p = nl + 1;
	}
	ok = 1;
out:
	sb_release(&sb);
	return ok;
}

/* Write the cache for commit at; silently nothing when it cannot be. */
static void cache_write(struct store *s, const char *file, const git_oid *at,
			const struct removed_set *set)
{
	struct strbuf sb = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], *dir;

	if (!file)
		return;
	git_oid_tostr(hex, sizeof(hex), at);
	sb_addf(&sb, "%s%s\n", CACHE_MAGIC, hex);
	for (size_t i = 0; i < set->paths.n; i++)
		if (!strchr(set->paths.v[i], '\n'))
			sb_addf(&sb, "%s %s\n", (const char *)strmap_get(&set->map, set->paths.v[i]),
				set->paths.v[i]);
	dir = xasprintf("%sae", git_repository_commondir(s->repo));
	cache_file_put(dir, file, sb.buf, sb.len);
	free(dir);
	sb_release(&sb);
}

/* The object rev names (NULL: HEAD).  HEAD is resolved by hand:
 * libgit2 1.5's git_revparse_single() leaks the reference it resolved
 * when the commit it names cannot be read (a damaged object store). */
static int rev_object(struct store *s, const char *rev, git_object **out)
{
	git_oid id;

	*out = NULL;
	if (rev)
		return git_revparse_single(out, s->repo, rev);
	if (git_reference_name_to_id(&id, s->repo, "HEAD") < 0)
		return -1;
	return git_object_lookup(out, s->repo, &id, GIT_OBJECT_ANY);
}

int store_removed(struct store *s, const char *rev, const char *folder,
		  int (*want)(const char *path, void *arg),
		  int (*fn)(const char *path, const struct strbuf *text, void *arg), void *arg)
{
	struct removed_set set = { 0 }, since = { 0 };
	git_object *obj = NULL, *commit = NULL;
	git_oid tip, at;
	unsigned char at_raw[GIT_OID_RAWSZ];
	char *file = cache_path(s, folder);
	int ret = 0, cached;

	if (!rev && git_repository_head_unborn(s->repo) == 1)
		goto out;
	if (rev_object(s, rev, &obj) < 0 ||
	    git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		ret = error("unable to walk the history: %s", store_error());
		goto out;
	}
	git_oid_cpy(&tip, git_object_id(commit));
	cached = cache_read(file, at_raw, &set);
	if (cached)
		git_oid_fromraw(&at, at_raw);
	if (!cached || !git_oid_equal(&at, &tip)) {
		/* only what came since, when the cache's commit is in tip's history */
		int since_cache = cached && git_graph_descendant_of(s->repo, &tip, &at) == 1;
		if (walk_removed(s, &tip, since_cache ? &at : NULL, folder, &since) < 0) {
			ret = error("unable to walk the history: %s", store_error());
			goto out;
		}
		if (!since_cache) {
			set_release(&set);
			memset(&set, 0, sizeof(set));
		}
		/* the cache's removals are the older ones: the first removal stays */
		for (size_t i = 0; i < since.paths.n; i++)
			if (!strmap_get(&set.map, since.paths.v[i]))
				set_put(&set, since.paths.v[i], strmap_get(&since.map, since.paths.v[i]));
		cache_write(s, file, &tip, &set);
	}
	strlist_sort(&set.paths);
	for (size_t i = 0; i < set.paths.n && !ret; i++) {
		const char *path = set.paths.v[i];
		struct strbuf text = STRBUF_INIT;
		git_blob *blob = NULL;
		git_oid id;
		int got = 0;

		if (want && want(path, arg) &&
		    git_oid_fromstr(&id, strmap_get(&set.map, path)) == 0 &&
		    git_blob_lookup(&blob, s->repo, &id) == 0) {
			sb_add(&text, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
			got = 1;
		}
		ret = fn(path, got ? &text : NULL, arg) ? 1 : 0;
		git_blob_free(blob);
		sb_release(&text);
	}
	ret = ret < 0 ? -1 : 0;
out:
	set_release(&set);
	set_release(&since);
	git_object_free(commit);
	git_object_free(obj);
	free(file);
	return ret;
}

/* Every file of a tree, as if removed: the numbers a commit has. */
static int present_below(struct store *s, const git_tree *t, const char *folder, const char *rel,
			 int (*fn)(const char *path, const struct strbuf *text, void *arg), void *arg)
{
	int ret = 0;

	for (size_t i = 0; i < git_tree_entrycount(t) && !ret; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		char *sub = xasprintf("%s%s", rel, git_tree_entry_name(e));
		size_t n = strlen(sub);

		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB && n >= 4 && !strcmp(sub + n - 4, ".ini")) {
			char *path = xasprintf("%s/%s", folder, sub);
			ret = fn(path, NULL, arg);
			free(path);
		} else if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			git_tree *sub_t = NULL;
			char *dir = xasprintf("%s/", sub);
			if (git_tree_lookup(&sub_t, s->repo, git_tree_entry_id(e)) == 0)
				ret = present_below(s, sub_t, folder, dir, fn, arg);
			git_tree_free(sub_t);
			free(dir);
		}
		free(sub);
	}
	return ret;
}

/*
 * HEAD's files of folder listed from the index (ae's own reader,
 * store_index.c) when the index's cached tree of that folder is valid
 * and HEAD's: the entries below it are then exactly HEAD's files, and
 * reading 50,000 names out of HEAD's trees (0.21 G instructions of a
 * warm 'ae check' of the 100k book) is not needed.  Entries the cached
 * tree leaves out (intent-to-add) are left out here too.  1 when the
 * index cannot say: the trees are read.
 */
static int present_from_index(struct store *s, git_commit *c, const char *folder,
			      int (*fn)(const char *path, const struct strbuf *text, void *arg),
			      void *arg)
{
	struct gitindex *ix;
	git_oid id;
	char *dir;
	size_t plen = strlen(s->prefix), dlen;
	long node = 0;
	int ret = 1;

	if (!folder_tree_id(s, c, folder, &id) || !(ix = store_own_index(s)))
		return 1;
	dir = xasprintf("%s%s/", s->prefix, folder);
	dlen = strlen(dir);
	if (!ix->tree || !ix->ntree)
		node = -1;
	for (const char *p = dir, *slash; node >= 0 && (slash = strchr(p, '/')); p = slash + 1)
		node = gitindex_tree_child(ix, (size_t)node, p, (size_t)(slash - p));
	if (node >= 0 && ix->tree[node].count >= 0 && ix->tree[node].id &&
	    !memcmp(ix->tree[node].id, id.id, GIT_OID_RAWSZ)) {
		long pos = gitindex_find(ix, dir, dlen, 0);
		size_t lo = pos < 0 ? (size_t)(-pos - 1) : (size_t)pos;
		size_t hi = gitindex_prefix_end(ix, lo, ix->n, dir, dlen);
		int r = 0;

		for (size_t i = lo; i < hi && !r; i++) {
			const struct gitindex_entry *e = &ix->v[i];
			if (e->len < dlen + 4 || strcmp(e->path + e->len - 4, ".ini") || gitindex_stage(e) ||
			    (e->xflags & GITINDEX_X_INTENT_TO_ADD) || (gitindex_mode(e) & 0170000) == 0160000)
				continue;
			r = fn(e->path + plen, NULL, arg);
		}
		ret = r < 0 ? -1 : 0;
	}
	store_own_index_keep(s, ix);
	free(dir);
	return ret;
}

/* store_present's listing kept as it is given (present-FOLDER) */
struct present_rec {
	int (*fn)(const char *path, const struct strbuf *text, void *arg);
	void *arg;
	struct strbuf list;
	int stopped;
};

static int present_keep(const char *path, const struct strbuf *text, void *arg)
{
	struct present_rec *pr = arg;
	int r = pr->fn(path, text, pr->arg);

	if (strchr(path, '\n') || r)
		pr->stopped = 1;	/* a listing that is not whole is not kept */
	sb_addf(&pr->list, "%s\n", path);
	return r;
}

/* Whether .git/ae/present-FOLDER already lists commit id's files, whole. */
static int present_kept(struct store *s, const char *folder, const git_oid *id)
{
	char *file = xasprintf("%sae/present-%s", git_repository_commondir(s->repo), folder);
	char head[64], want[64];
	FILE *f = fopen(file, "rb");
	size_t n, wn;
	int kept;

	free(file);
	if (!f)
		return 0;
	wn = (size_t)snprintf(want, sizeof(want), "%s", PRESENT_MAGIC);
	git_oid_tostr(want + wn, sizeof(want) - wn, id);
	wn += GIT_OID_HEXSZ;
	want[wn++] = '\n';
	n = fread(head, 1, wn, f);
	/* and whole: it ends a line (one cut short is written again) */
	kept = n == wn && !memcmp(head, want, wn) && fseek(f, -1, SEEK_END) == 0 &&
	       fread(head, 1, 1, f) == 1 && head[0] == '\n';
	fclose(f);
	return kept;
}

int store_present(struct store *s, const char *rev, const char *folder,
		  int (*fn)(const char *path, const struct strbuf *text, void *arg), void *arg)
{
	git_object *obj = NULL;
	git_commit *c = NULL;
	git_tree *t = NULL;
	struct present_rec pr = { fn, arg, STRBUF_INIT, 0 };
	int ret = 0;

	if (!rev && git_repository_head_unborn(s->repo) == 1)
		return 0;
	if (rev_object(s, rev, &obj) < 0 ||
	    git_commit_lookup(&c, s->repo, git_object_id(obj)) < 0) {
		ret = error("unable to read '%s': %s", rev ? rev : "HEAD", store_error());
		goto out;
	}
	if (!rev && folder_ok(folder) && !present_kept(s, folder, git_commit_id(c))) {
		/* HEAD's listing is kept for the quick path, once a commit */
		fn = present_keep;
		arg = &pr;
	}
	if (rev || (ret = present_from_index(s, c, folder, fn, arg)) > 0)
		/* the trees: a revision asked for, or an index that cannot say */
		ret = (t = folder_tree(s, c, folder)) && present_below(s, t, folder, "", fn, arg) < 0 ? -1 : 0;
	if (ret == 0 && fn == present_keep && !pr.stopped) {
		char hex[GIT_OID_HEXSZ + 1], *dir, *file;
		struct strbuf sb = STRBUF_INIT;

		git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
		sb_addf(&sb, "%s%s\n", PRESENT_MAGIC, hex);
		sb_add(&sb, pr.list.buf ? pr.list.buf : "", pr.list.len);
		dir = xasprintf("%sae", git_repository_commondir(s->repo));
		file = xasprintf("%s/present-%s", dir, folder);
		cache_file_put(dir, file, sb.buf, sb.len);
		free(file);
		free(dir);
		sb_release(&sb);
	}
out:
	sb_release(&pr.list);
	git_tree_free(t);
	git_commit_free(c);
	git_object_free(obj);
	return ret;
}

/* -- the same answers without libgit2, for a warm 'ae check' */

/* HEAD's commit of the plain repository at gitdir, read from its files:
 * 1 (in id), 0 when the branch is unborn, -1 when only libgit2 can tell
 * (a symbolic ref to a symbolic ref, anything unexpected). */
static int head_id(const char *gitdir, unsigned char *id)
{
	struct strbuf head = STRBUF_INIT, ref = STRBUF_INIT;
	char *name = NULL, *path;
	int ret = -1;

	path = xasprintf("%s/HEAD", gitdir);
	if (sb_read_file(&head, path, 4096) < 0)
		goto out;
	if (head.len == GIT_OID_HEXSZ + 1 && head.buf[GIT_OID_HEXSZ] == '\n') {
		ret = unhex(head.buf, id, GIT_OID_RAWSZ) == 0 ? 1 : -1;	/* detached */
		goto out;
	}
	if (head.len < 18 || strncmp(head.buf, "ref: refs/heads/", 16) || head.buf[head.len - 1] != '\n')
		goto out;
	name = xstrndup(head.buf + 5, head.len - 6);
	if (strstr(name, "..") || strstr(name, "//") || strlen(name) != head.len - 6 ||
	    strcspn(name, " ~^:?*[\\\n") != strlen(name))
		goto out;
	free(path);
	path = xasprintf("%s/%s", gitdir, name);
	if (sb_read_file(&ref, path, 4096) == 0) {
		if (ref.len == GIT_OID_HEXSZ + 1 && ref.buf[GIT_OID_HEXSZ] == '\n')
			ret = unhex(ref.buf, id, GIT_OID_RAWSZ) == 0 ? 1 : -1;
		goto out;
	}
	if (errno != ENOENT)
		goto out;
	/* packed, or no such branch yet */
	free(path);
	path = xasprintf("%s/packed-refs", gitdir);
	sb_reset(&ref);
	if (sb_read_file(&ref, path, CACHE_LIMIT) < 0) {
		ret = errno == ENOENT ? 0 : -1;
		goto out;
	}
	ret = 0;
	for (const char *p = ref.buf, *end = ref.buf + ref.len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), k = strlen(name);
		if (n == GIT_OID_HEXSZ + 1 + k && p[GIT_OID_HEXSZ] == ' ' &&
		    !memcmp(p + GIT_OID_HEXSZ + 1, name, k)) {
			ret = unhex(p, id, GIT_OID_RAWSZ) == 0 ? 1 : -1;
			break;
		}
		p = nl ? nl + 1 : end;
	}
out:
	free(name);
	free(path);
	sb_release(&head);
	sb_release(&ref);
	return ret;
}

int store_removed_quick(const char *root, const char *folder,
			int (*want)(const char *path, void *arg),
			int (*removed)(const char *path, const struct strbuf *text, void *arg),
			void *rarg,
			int (*present)(const char *path, const struct strbuf *text, void *arg),
			void *parg)
{
	struct removed_set set = { 0 };
	struct strbuf list = STRBUF_INIT;
	unsigned char head[GIT_OID_RAWSZ], at[GIT_OID_RAWSZ];
	char *gitdir, *file = NULL;
	const char *p, *end;
	int hard, h, ret = 0;

	if (!(gitdir = gitconfig_gitdir(root, &hard)))
		return hard ? 0 : 2;
	if (!folder_ok(folder) || !store_own_index_enabled() || (h = head_id(gitdir, head)) < 0)
		goto out;
	if (h == 0) {
		ret = 1;	/* unborn: no history, no commit to list */
		goto out;
	}
	file = xasprintf("%s/ae/removed-%s", gitdir, folder);
	if (!cache_read(file, at, &set) || memcmp(at, head, sizeof(head)))
		goto out;
	for (size_t i = 0; i < set.paths.n; i++)
		if (want && want(set.paths.v[i], rarg))
			goto out;	/* a removed file's text is wanted: libgit2 reads it */
	free(file);
	file = xasprintf("%s/ae/present-%s", gitdir, folder);
	if (sb_read_file(&list, file, CACHE_LIMIT) < 0 || !(p = cache_head(&list, PRESENT_MAGIC, at)) ||
	    memcmp(at, head, sizeof(head)) || memchr(list.buf, '\0', list.len) ||
	    (list.len && list.buf[list.len - 1] != '\n'))
		goto out;

	/* every question answered: now the answers, as store_removed and
	 * store_present give them */
	ret = 1;
	strlist_sort(&set.paths);
	for (size_t i = 0; i < set.paths.n; i++)
		if (removed(set.paths.v[i], NULL, rarg))
			break;
	for (end = list.buf + list.len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		*nl = '\0';
		if (present(p, NULL, parg))
			break;
		p = nl + 1;
	}
out:
	set_release(&set);
	sb_release(&list);
	free(file);
	free(gitdir);
	return ret;
}
