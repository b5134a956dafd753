/*
 * store_index.c -- the staged changes read with ae's own reader of the
 * index (gitindex.h): HEAD's tree walked against the index, every folder
 * whose cached tree (git's TREE extension, kept valid by git for what it
 * has not touched since) is HEAD's folder skipped whole, as git diff
 * --cached does.  The list is the one git_diff_tree_to_index gives (a
 * conflicted path once, modified; a type change as a deletion and an
 * addition), which store_staged() falls back to when this reader says
 * "not mine".
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

int store_own_index_enabled(void)
{
	const char *v = getenv("AE_INDEX");

	return !v || strcmp(v, "libgit2");
}

char *store_index_file(const struct store *s)
{
	return s->index_path ? xstrdup(s->index_path) : xasprintf("%sindex", s->gitdir);
}

struct gitindex *store_own_index(struct store *s)
{
	struct gitindex *ix = s->own_index;
	char *path;
	struct stat st;

	if (!store_own_index_enabled())
		return NULL;
	path = store_index_file(s);
	s->own_index = NULL;
	/* the one read before, if the file is that one still */
	if (ix && !(stat(path, &st) == 0 && st.st_ino == ix->st.st_ino && st.st_dev == ix->st.st_dev &&
		    st.st_size == ix->st.st_size && st.st_mtim.tv_sec == ix->st.st_mtim.tv_sec &&
		    st.st_mtim.tv_nsec == ix->st.st_mtim.tv_nsec &&
		    st.st_ctim.tv_sec == ix->st.st_ctim.tv_sec &&
		    st.st_ctim.tv_nsec == ix->st.st_ctim.tv_nsec)) {
		gitindex_release(ix);
		free(ix);
		ix = NULL;
	}
	if (!ix) {
		ix = xcalloc(1, sizeof(*ix));
		if (gitindex_read(path, ix) != 0) {
			gitindex_release(ix);
			free(ix);
			ix = NULL;
		}
	}
	free(path);
	return ix;
}

void store_own_index_keep(struct store *s, struct gitindex *ix)
{
	if (s->own_index) {
		gitindex_release(s->own_index);
		free(s->own_index);
	}
	s->own_index = ix;
}

struct walk {
	struct store *s;
	struct gitindex *ix;
	struct change_list *out;
	struct strbuf path;		/* the folder walked, "" or ending in '/' */
	int depth;			/* of folders: a crafted tree could be deep */
};

/* Folders deeper than this: libgit2's walk, not ae's recursion. */
#define WALK_MAX_DEPTH 256

static void setlen(struct walk *w, size_t n)
{
	w->path.len = n;
	w->path.buf[n] = '\0';
}

static void add(struct walk *w, const char *name, size_t len, int type)
{
	size_t keep = w->path.len;

	sb_add(&w->path, name, len);
	store_add_change(w->s, w->path.buf, type, 1, w->out, NULL);
	setlen(w, keep);
}

static int all_deleted(struct walk *w, const git_tree *t);

/* A tree entry HEAD has and the index has not: deleted, a folder whole. */
static int deleted(struct walk *w, const git_tree_entry *te)
{
	const char *name = git_tree_entry_name(te);
	git_tree *sub = NULL;
	size_t keep = w->path.len;
	int r;

	if (git_tree_entry_type(te) != GIT_OBJECT_TREE) {
		add(w, name, strlen(name), CH_DELETED);
		return 0;
	}
	if (w->depth >= WALK_MAX_DEPTH || git_tree_lookup(&sub, w->s->repo, git_tree_entry_id(te)) < 0)
		return -1;
	sb_addf(&w->path, "%s/", name);
	w->depth++;
	r = all_deleted(w, sub);
	w->depth--;
	setlen(w, keep);
	git_tree_free(sub);
	return r;
}

static int all_deleted(struct walk *w, const git_tree *t)
{
	for (size_t i = 0, n = git_tree_entrycount(t); i < n; i++)
		if (deleted(w, git_tree_entry_byindex(t, i)) < 0)
			return -1;
	return 0;
}

/* The end of the run of entries at k of one path (its stages), and
 * whether it is in conflict. */
static size_t same_path(const struct gitindex *ix, size_t k, size_t hi, int *conflict)
{
	size_t j = k + 1;

	while (j < hi && ix->v[j].len == ix->v[k].len && !memcmp(ix->v[j].path, ix->v[k].path, ix->v[k].len))
		j++;
	*conflict = gitindex_stage(&ix->v[k]) != 0;
	return j;
}

/* The entries [k, hi) of the index HEAD does not have: added (a
 * conflicted path: in conflict, which the list says as modified). */
static void all_added(struct walk *w, size_t k, size_t hi)
{
	while (k < hi) {
		int conflict;
		size_t j = same_path(w->ix, k, hi, &conflict);
		store_add_change(w->s, w->ix->v[k].path, conflict ? CH_MODIFIED : CH_ADDED, 1, w->out, NULL);
		k = j;
	}
}

static int walk(struct walk *w, const git_tree *t, size_t lo, size_t hi, long node);

/* A folder both have: skipped when the cached tree says it is HEAD's. */
static int both_dirs(struct walk *w, const git_tree_entry *te, size_t k, size_t end, long node)
{
	const char *name = git_tree_entry_name(te);
	size_t nlen = strlen(name), keep = w->path.len;
	long child = node >= 0 ? gitindex_tree_child(w->ix, (size_t)node, name, nlen) : -1;
	git_tree *sub = NULL;
	int r;

	if (child >= 0 && w->ix->tree[child].id &&
	    !memcmp(w->ix->tree[child].id, git_tree_entry_id(te)->id, 20))
		return 0;
	if (w->depth >= WALK_MAX_DEPTH || git_tree_lookup(&sub, w->s->repo, git_tree_entry_id(te)) < 0)
		return -1;
	sb_add(&w->path, name, nlen);
	sb_add(&w->path, "/", 1);
	w->depth++;
	r = walk(w, sub, k, end, child);
	w->depth--;
	setlen(w, keep);
	git_tree_free(sub);
	return r;
}

/* A file both have at k (its stages up to j). */
static void both_files(struct walk *w, const git_tree_entry *te, size_t k, int conflict)
{
	const struct gitindex_entry *e = &w->ix->v[k];
	unsigned omode = git_tree_entry_filemode(te), nmode = gitindex_mode(e);
	const char *name = git_tree_entry_name(te);

	if (conflict) {
		add(w, name, strlen(name), CH_MODIFIED);
	} else if ((omode & 0170000) != (nmode & 0170000)) {
		/* a type change: libgit2 splits it in two */
		add(w, name, strlen(name), CH_DELETED);
		add(w, name, strlen(name), CH_ADDED);
	} else if (omode != nmode || memcmp(git_tree_entry_id(te)->id, gitindex_id(e), 20)) {
		add(w, name, strlen(name), CH_MODIFIED);
	}
}

/*
 * The tree t (NULL: HEAD has no such folder) against the entries [lo, hi)
 * of the index below the folder w->path, whose cached-tree node is node
 * (-1 none): in path order, as libgit2 lists them.
 */
static int walk(struct walk *w, const git_tree *t, size_t lo, size_t hi, long node)
{
	size_t i = 0, nt = t ? git_tree_entrycount(t) : 0, k = lo, plen = w->path.len;

	while (i < nt || k < hi) {
		const git_tree_entry *te = i < nt ? git_tree_entry_byindex(t, i) : NULL;
		const char *comp = k < hi ? w->ix->v[k].path + plen : NULL;
		size_t clen = comp ? strcspn(comp, "/") : 0;
		int edir = comp && comp[clen] == '/', tdir = 0, cmp = 0;

		if (te) {
			const char *name = git_tree_entry_name(te);
			size_t tlen = strlen(name);
			tdir = git_tree_entry_type(te) == GIT_OBJECT_TREE;
			if (comp) {
				/* git's order: a folder's name as if it ended in '/' */
				size_t m = tlen < clen ? tlen : clen;
				cmp = memcmp(name, comp, m);
				if (!cmp) {
					int a = tlen > m ? (unsigned char)name[m] : tdir ? '/' : 0;
					int b = clen > m ? (unsigned char)comp[m] : edir ? '/' : 0;
					cmp = a - b;
				}
			}
		}
		if (te && (!comp || cmp < 0)) {
			if (deleted(w, te) < 0)
				return -1;
			i++;
			continue;
		}
		if (edir) {
			size_t keep = w->path.len, end;
			sb_add(&w->path, comp, clen + 1);
			end = gitindex_prefix_end(w->ix, k, hi, w->path.buf, w->path.len);
			setlen(w, keep);
			if (te && !cmp) {
				if (both_dirs(w, te, k, end, node) < 0)
					return -1;
				i++;
			} else {
				all_added(w, k, end);
			}
			k = end;
		} else {
			int conflict;
			size_t j = same_path(w->ix, k, hi, &conflict);
			if (te && !cmp) {
				both_files(w, te, k, conflict);
				i++;
			} else {
				add(w, comp, clen, conflict ? CH_MODIFIED : CH_ADDED);
			}
			k = j;
		}
	}
	return 0;
}

int store_staged_own(struct store *s, struct change_list *out)
{
	struct gitindex *ix = store_own_index(s);
	struct walk w = { s, ix, out, STRBUF_INIT, 0 };
	git_object *head = NULL;
	size_t n0 = out->n;
	int r;

	if (!ix)
		return 1;
	if (!store_head_unborn(s) && git_revparse_single(&head, s->repo, "HEAD^{tree}") < 0) {
		store_own_index_keep(s, ix);
		return 1;
	}
	sb_add(&w.path, "", 0);
	if (head && ix->ntree && ix->tree[0].id && !memcmp(ix->tree[0].id, git_object_id(head)->id, 20))
		r = 0;	/* the index is HEAD's tree */
	else
		r = walk(&w, (git_tree *)head, 0, ix->n, ix->ntree ? 0 : -1);
	if (r < 0) {
		/* a tree that cannot be read: libgit2 says why */
		while (out->n > n0)
			free(out->v[--out->n].path);
		r = 1;
	}
	sb_release(&w.path);
	git_object_free(head);
	/* the index source reads it next (ae check --staged) */
	store_own_index_keep(s, ix);
	return r;
}

/* -- ae commit on ae's own writer -- */

void store_own_commit_release(struct store_own_commit *oc)
{
	for (size_t i = 0; i < oc->n; i++)
		free((char *)oc->v[i].path);
	free(oc->v);
	if (oc->ix) {
		gitindex_release(oc->ix);
		free(oc->ix);
	}
	memset(oc, 0, sizeof(*oc));
}

static int cmp_new(const void *a, const void *b)
{
	return strcmp(((const struct gitindex_new *)a)->path, ((const struct gitindex_new *)b)->path);
}

static int same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mode == b->st_mode && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec && a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/*
 * The entry of a changed path: its blob, with the stat data of the file
 * it was read from.  Only a file git's filters would store as it is (no
 * carriage return for text/eol, no "$Id" for ident: store.c's
 * plain_hash() says why) is taken: asking libgit2 for the filters reads
 * the whole index.  0; 1 anything else, or a file that changed while
 * read (libgit2 decides); -1 (reported).
 */
static int new_entry(struct store *s, const char *full, struct gitindex_new *e)
{
	char *abs = xasprintf("%s%s", s->workdir, full);
	struct strbuf sb = STRBUF_INIT;
	struct stat again;
	git_oid id;
	int r = 1;

	e->path = xstrdup(full);
	if (lstat(abs, &e->st) < 0 || !S_ISREG(e->st.st_mode) ||
	    sb_read_file(&sb, abs, (size_t)1 << 30) < 0 ||
	    (sb.len && (memchr(sb.buf, '\r', sb.len) || memmem(sb.buf, sb.len, "$Id", 3))))
		goto out;
	if (git_blob_create_from_buffer(&id, s->repo, sb.buf ? sb.buf : "", sb.len) < 0) {
		r = error("unable to stage '%s': %s", full, store_error());
		goto out;
	}
	/* changed while read: the stat data would not name the blob */
	if (lstat(abs, &again) < 0 || !same_stat(&e->st, &again))
		goto out;
	memcpy(e->id, id.id, 20);
	e->mode = e->st.st_mode & 0100 ? 0100755 : 0100644;
	r = 0;
out:
	sb_release(&sb);
	free(abs);
	return r;
}

/* Whether the repository takes a file's mode from the file (core.fileMode). */
static int file_mode_trusted(struct store *s)
{
	git_config *cfg = NULL;
	int v = 1;

	if (git_repository_config_snapshot(&cfg, s->repo) < 0)
		return 0;
	if (git_config_get_bool(&v, cfg, "core.filemode") < 0)
		v = 1;
	git_config_free(cfg);
	return v;
}

int store_own_stage(struct store *s, const struct change_list *changes, struct store_own_commit *oc)
{
	char *path;
	int r;

	memset(oc, 0, sizeof(*oc));
	if (!store_own_index_enabled() || !changes->n || changes->n > STORE_OWN_MAX ||
	    !file_mode_trusted(s))
		return 1;
	oc->ix = xcalloc(1, sizeof(*oc->ix));
	path = xasprintf("%sindex", s->gitdir);
	r = gitindex_read(path, oc->ix);
	free(path);
	if (r != 0 || !gitindex_writable(oc->ix)) {
		store_own_commit_release(oc);
		return 1;
	}
	oc->v = xcalloc(changes->n, sizeof(*oc->v));
	for (size_t i = 0; i < changes->n; i++) {
		char *full = store_full(s, changes->v[i].path);
		struct gitindex_new *e = &oc->v[oc->n++];

		if (changes->v[i].type == CH_DELETED) {
			e->path = full;
			e->remove = 1;
			continue;
		}
		r = new_entry(s, full, e);
		free(full);
		if (r != 0) {
			store_own_commit_release(oc);
			return r;
		}
	}
	qsort(oc->v, oc->n, sizeof(*oc->v), cmp_new);
	for (size_t i = 1; i < oc->n; i++)
		if (!strcmp(oc->v[i - 1].path, oc->v[i].path)) {
			store_own_commit_release(oc);
			return 1;
		}
	return 0;
}

int store_own_tree(struct store *s, git_commit *parent, const struct store_own_commit *oc,
		   git_oid *tree_oid)
{
	git_tree *ptree = NULL;
	git_tree_update *ups = xcalloc(oc->n + 1, sizeof(*ups));
	int ret = -1;

	if (git_commit_tree(&ptree, parent) < 0)
		goto out;
	for (size_t i = 0; i < oc->n; i++) {
		ups[i].path = oc->v[i].path;
		if (oc->v[i].remove) {
			ups[i].action = GIT_TREE_UPDATE_REMOVE;
		} else {
			ups[i].action = GIT_TREE_UPDATE_UPSERT;
			memcpy(ups[i].id.id, oc->v[i].id, 20);
			ups[i].filemode = (git_filemode_t)oc->v[i].mode;
		}
	}
	ret = git_tree_create_updated(tree_oid, s->repo, ptree, oc->n, ups);
out:
	if (ret < 0)
		error("unable to write the tree: %s", store_error());
	free(ups);
	git_tree_free(ptree);
	return ret < 0 ? -1 : 0;
}

/* The tree id of folder (""the root) in tree, into out: 1, or 0 none. */
static int folder_id(struct store *s, git_tree *tree, const char *folder, unsigned char *out)
{
	git_tree_entry *te = NULL;
	int r = 0;

	if (!*folder) {
		memcpy(out, git_tree_id(tree)->id, 20);
		return 1;
	}
	if (git_tree_entry_bypath(&te, tree, folder) == 0 && git_tree_entry_type(te) == GIT_OBJECT_TREE) {
		memcpy(out, git_tree_entry_id(te)->id, 20);
		r = 1;
	}
	git_tree_entry_free(te);
	return r;
}

int store_own_write(struct store *s, const struct store_own_commit *oc, git_commit *parent,
		    const git_oid *tree_oid, const char *path)
{
	git_tree *head = NULL, *tree = NULL;
	struct gitindex_newtree *trees = NULL;
	struct strlist names = { 0 };
	size_t nt = 0, alloc = 0;
	char *lock = xasprintf("%s.lock", path);
	int fd = -1, ret = -1;

	if (git_commit_tree(&head, parent) < 0 || git_tree_lookup(&tree, s->repo, tree_oid) < 0) {
		error("unable to read the trees: %s", store_error());
		goto out;
	}
	/* every folder along the changed paths, once, in HEAD and in the new tree */
	for (size_t i = 0; i < oc->n; i++) {
		const char *p = oc->v[i].path;
		for (const char *sl = NULL;; ) {
			size_t flen = sl ? (size_t)(sl - p) : 0;
			int seen = 0;
			for (size_t j = 0; j < nt && !seen; j++)
				seen = strlen(trees[j].path) == flen && !strncmp(trees[j].path, p, flen);
			if (!seen) {
				char *f = xstrndup(p, flen);
				strlist_add_owned(&names, f);
				ALLOC_GROW(trees, nt + 1, alloc);
				memset(&trees[nt], 0, sizeof(trees[nt]));
				trees[nt].path = f;
				trees[nt].has_head = folder_id(s, head, f, trees[nt].head);
				trees[nt].has_new = folder_id(s, tree, f, trees[nt].id);
				nt++;
			}
			if (!(sl = strchr(sl ? sl + 1 : p, '/')))
				break;
		}
	}
	fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 || gitindex_write(fd, oc->ix, oc->v, oc->n, trees, nt, s->workdir) < 0 ||
	    fsync(fd) < 0) {
		error("unable to write the index: %s", strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (rename(lock, path) < 0) {
		error("unable to write the index: %s", strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (ret < 0)
		unlink(lock);
	free(lock);
	free(trees);
	strlist_release(&names);
	git_tree_free(tree);
	git_tree_free(head);
	return ret;
}

/*
 * The answer about an index kept for the next run, in .git/ae/settled:
 * reading the 100k book's index of 100,000 entries to learn that none is
 * in conflict took 10 ms of a 130 ms warm 'ae check', on one core.  It is
 * kept with what names the index's content: its size and its last 32
 * bytes (git's checksum of all before it ends the file, 20 bytes of it
 * for SHA-1, 32 for SHA-256; any change to the index changes it), so
 * that it is only ever the answer for the very index it was found for.
 */
#define SETTLED_MAGIC "ae settled 1\n"
#define SETTLED_TAIL 32

/* What names the index's content: "SIZE HEX\n" into key (at least 96
 * bytes), from its buffer (buf, size) or its file (NULL: read); 0 or -1. */
static int settled_key(const char *path, const unsigned char *buf, size_t size, char *key)
{
	unsigned char tail[SETTLED_TAIL];
	int n;

	if (!buf) {
		struct stat st;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		int ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
			 st.st_size >= SETTLED_TAIL &&
			 pread(fd, tail, sizeof(tail), st.st_size - SETTLED_TAIL) == (ssize_t)sizeof(tail);
		if (fd >= 0)
			close(fd);
		if (!ok)
			return -1;
		size = (size_t)st.st_size;
	} else {
		if (size < SETTLED_TAIL)
			return -1;
		memcpy(tail, buf + size - SETTLED_TAIL, SETTLED_TAIL);
	}
	n = snprintf(key, 96, "%zu ", size);
	for (int i = 0; i < SETTLED_TAIL; i++)
		n += snprintf(key + n, 96 - (size_t)n, "%02x", tail[i]);
	key[n++] = '\n';
	key[n] = '\0';
	return 0;
}

/* The answer kept for the index of that key: 0 or 1, or -1 if none. */
static int settled_kept(const char *gitdir, const char *key)
{
	char *file = xasprintf("%s/ae/settled", gitdir), buf[160];
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), ret = -1;
	size_t m = strlen(SETTLED_MAGIC), k = strlen(key);
	ssize_t n;

	free(file);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	/* the magic, the key, the answer and a newline, nothing else */
	if (n == (ssize_t)(m + k + 2) && !memcmp(buf, SETTLED_MAGIC, m) && !memcmp(buf + m, key, k) &&
	    (buf[m + k] == '0' || buf[m + k] == '1') && buf[m + k + 1] == '\n')
		ret = buf[m + k] - '0';
	return ret;
}

int store_plainly_settled(const char *root)
{
	const struct gitindex *ix;
	struct stat st;
	char *gitdir, *path, key[96];
	int hard, ret = 0;

	if (!(gitdir = gitconfig_gitdir(root, &hard)))
		return !hard;
	path = xasprintf("%s/MERGE_HEAD", gitdir);
	if (!getenv("GIT_INDEX_FILE") && store_own_index_enabled() && lstat(path, &st) < 0 &&
	    errno == ENOENT) {
		free(path);
		path = xasprintf("%s/index", gitdir);
		if (lstat(path, &st) < 0 && errno == ENOENT) {
			ret = 1;	/* no index yet: nothing in conflict */
		} else if (settled_key(path, NULL, 0, key) < 0 || (ret = settled_kept(gitdir, key)) < 0) {
			ret = (ix = gitindex_shared(path)) && !ix->conflicts;
			/* kept for the index that was read, whatever is there now */
			if (ix && settled_key(NULL, ix->buf, ix->size, key) == 0) {
				char *ae = xasprintf("%s/ae", gitdir), *file = xasprintf("%s/settled", ae);
				char *data = xasprintf("%s%s%d\n", SETTLED_MAGIC, key, ret);
				cache_file_put(ae, file, data, strlen(data));
				free(data);
				free(file);
				free(ae);
			}
		}
	}
	free(path);
	free(gitdir);
	return ret;
}
