/* store.c -- see store.h.  The only file that includes <git2.h>. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "gitlock.h"
#include "strmap.h"

#define INDEX_WAIT_MS 5000
#define REDO_LIMIT 20

struct store {
	git_repository *repo;
	char *workdir;		/* ends in '/' */
	char *gitdir;
	char *prefix;		/* "" or "sub/dir/" */
};

/* The areas of a book that ae commits. */
static const char *const book_areas[] = {
	"ae.ini", "clients", "jobs", "contacts", "meetings", "complaints",
	"journal", "formats", "calendar", ".gitattributes"
};

const char *store_error(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

static void global_init(void)
{
	static int done;

	if (done)
		return;
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	done = 1;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

void store_free(struct store *s)
{
	if (!s)
		return;
	git_repository_free(s->repo);
	free(s->workdir);
	free(s->gitdir);
	free(s->prefix);
	free(s);
}

static struct store *wrap(git_repository *repo, const char *root, int for_write)
{
	struct store *s;
	const char *wd = git_repository_workdir(repo);
	char real[PATH_MAX];
	size_t n;

	if (git_repository_is_bare(repo) || !wd) {
		error("'%s' is a bare repository; a book needs a work tree to edit (clone it first)",
		      git_repository_path(repo));
		git_repository_free(repo);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->repo = repo;
	s->workdir = xstrdup(wd);
	s->gitdir = xstrdup(git_repository_path(repo));
	if (!realpath(root, real))
		snprintf(real, sizeof(real), "%s", root);
	n = strlen(s->workdir);
	if (n && s->workdir[n - 1] == '/' && !strncmp(real, s->workdir, n - 1) &&
	    (real[n - 1] == '/' || real[n - 1] == '\0'))
		s->prefix = real[n - 1] ? xasprintf("%s/", real + n) : xstrdup("");
	else
		s->prefix = xstrdup("");
	if (for_write) {
		int split = 0;
		git_config *cfg = NULL;

		if (git_repository_head_detached(repo) == 1) {
			error("HEAD is detached; check out a branch before changing the book ('git switch main')");
			store_free(s);
			return NULL;
		}
		if (git_repository_config_snapshot(&cfg, repo) == 0) {
			if (git_config_get_bool(&split, cfg, "core.splitIndex") == 0 && split) {
				error("this repository uses a split index (core.splitIndex), which ae cannot update safely; run 'git config core.splitIndex false && git update-index --no-split-index'");
				git_config_free(cfg);
				store_free(s);
				return NULL;
			}
			git_config_free(cfg);
		}
	}
	return s;
}

struct store *store_open(const char *root, int for_write)
{
	git_repository *repo = NULL;

	global_init();
	if (git_repository_open_ext(&repo, root, 0, getenv("GIT_CEILING_DIRECTORIES")) < 0) {
		error("the book at '%s' is not in a git repository; run 'ae init' there", root);
		return NULL;
	}
	return wrap(repo, root, for_write);
}

struct store *store_try_open(const char *root)
{
	git_repository *repo = NULL;

	global_init();
	if (git_repository_open_ext(&repo, root, 0, getenv("GIT_CEILING_DIRECTORIES")) < 0)
		return NULL;
	if (git_repository_is_bare(repo) || !git_repository_workdir(repo)) {
		git_repository_free(repo);
		return NULL;
	}
	return wrap(repo, root, 0);
}

struct store *store_init(const char *root, int *created)
{
	git_repository *repo = NULL;

	global_init();
	*created = 0;
	if (git_repository_open_ext(&repo, root, 0, getenv("GIT_CEILING_DIRECTORIES")) == 0)
		return wrap(repo, root, 1);
	if (git_repository_init(&repo, root, 0) < 0) {
		error("unable to create a repository in '%s': %s", root, store_error());
		return NULL;
	}
	*created = 1;
	return wrap(repo, root, 1);
}

int store_head_unborn(struct store *s)
{
	return git_repository_head_unborn(s->repo) == 1;
}

const char *store_prefix(const struct store *s)
{
	return s->prefix;
}

const char *store_gitdir(const struct store *s)
{
	return s->gitdir;
}

static char *full(const struct store *s, const char *path)
{
	return xasprintf("%s%s", s->prefix, path);
}

/* -- the book in a tree or the index, as a struct source -- */

struct source_git {
	struct source base;
	struct store *s;
	git_tree *tree;		/* NULL: read the index */
	git_index *index;
	char *name;
};

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

	if (name[0] == '.')
		return git_tree_entry_type(e) == GIT_OBJECT_TREE ? 1 : 0;
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n].path = xasprintf("%s/%s%s", wa->dir, root, name);
	l->v[l->n].type = mode_type(git_tree_entry_filemode(e));
	l->v[l->n].size = 0;
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
	char *p = full(g->s, dir);
	size_t start = out->n;

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
		size_t n = git_index_entrycount(g->index), plen = strlen(p);
		struct strmap dirs = { 0 };
		struct strlist keep = { 0 };

		for (size_t i = 0; i < n; i++) {
			const git_index_entry *e = git_index_get_byindex(g->index, i);
			const char *rel;
			if (strncmp(e->path, p, plen) || e->path[plen] != '/' ||
			    git_index_entry_stage(e) != 0)
				continue;
			rel = e->path + strlen(g->s->prefix);
			if (strstr(rel + plen - strlen(g->s->prefix), "/."))
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
				out->v[out->n].path = xstrdup(d);
				out->v[out->n].type = SRC_DIR;
				out->v[out->n].size = 0;
				out->n++;
			}
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			out->v[out->n].path = xstrdup(rel);
			out->v[out->n].type = mode_type(e->mode);
			out->v[out->n].size = e->file_size;
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
	char *p = full(g->s, path);
	git_blob *blob = NULL;
	enum source_read_status st = SRC_OK;
	size_t size;

	*msg = NULL;
	if (g->tree) {
		git_tree_entry *te = NULL;
		if (git_tree_entry_bypath(&te, g->tree, p) < 0) {
			free(p);
			return SRC_MISSING;
		}
		if (mode_type(git_tree_entry_filemode(te)) != SRC_FILE)
			st = SRC_NOT_REGULAR;
		else if (git_blob_lookup(&blob, g->s->repo, git_tree_entry_id(te)) < 0) {
			*msg = store_error();
			st = SRC_ERROR;
		}
		git_tree_entry_free(te);
	} else {
		const git_index_entry *e = git_index_get_bypath(g->index, p, 0);
		if (!e) {
			free(p);
			return SRC_MISSING;
		}
		if (mode_type(e->mode) != SRC_FILE)
			st = SRC_NOT_REGULAR;
		else if (git_blob_lookup(&blob, g->s->repo, &e->id) < 0) {
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
	g->name = xasprintf("commit %s", hex);
	g->base.name = g->name;
	return &g->base;
}

/*
 * The index is read with force 0 where only read: the repository keeps
 * one index object, read from disk when first asked for and again only
 * if the file changed -- a 100,000-entry index costs tens of
 * milliseconds a read.  Writers (commit_once) force the re-read.
 */
struct source *store_source_index(struct store *s)
{
	git_index *idx = NULL;
	struct source_git *g;

	if (git_repository_index(&idx, s->repo) < 0 || git_index_read(idx, 0) < 0) {
		error("unable to read the index: %s", store_error());
		git_index_free(idx);
		return NULL;
	}
	g = new_source(s);
	g->index = idx;
	g->base.name = "index";
	return &g->base;
}

/* -- changes, identity, HEAD contents -- */

void change_list_release(struct change_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int in_book_area(const char *rel)
{
	for (size_t i = 0; i < ARRAY_SIZE(book_areas); i++) {
		size_t n = strlen(book_areas[i]);
		if (!strncmp(rel, book_areas[i], n) && (rel[n] == '\0' || rel[n] == '/'))
			return 1;
	}
	return 0;
}

int store_changes(struct store *s, const struct strlist *paths, struct change_list *out)
{
	git_status_options opts;
	git_status_list *list = NULL;
	char **specs;
	size_t nspecs = 0, plen = strlen(s->prefix);
	int ret = 0;

	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	specs = xcalloc((paths && paths->n ? paths->n : ARRAY_SIZE(book_areas)) + 1, sizeof(*specs));
	if (paths && paths->n)
		for (size_t i = 0; i < paths->n; i++)
			specs[nspecs++] = full(s, paths->v[i]);
	else
		for (size_t i = 0; i < ARRAY_SIZE(book_areas); i++)
			specs[nspecs++] = full(s, book_areas[i]);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		     GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	opts.pathspec.strings = specs;
	opts.pathspec.count = nspecs;
	if (git_status_list_new(&list, s->repo, &opts) < 0) {
		error("unable to compare the book with HEAD: %s", store_error());
		ret = -1;
		goto out;
	}
	for (size_t i = 0; i < git_status_list_entrycount(list); i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
		const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
		unsigned st = e->status;
		struct change *c;
		int head_has = e->head_to_index ? e->head_to_index->status != GIT_DELTA_ADDED :
				 !(st & GIT_STATUS_WT_NEW);
		int work_has = !(st & GIT_STATUS_WT_DELETED) &&
			       !((st & GIT_STATUS_INDEX_DELETED) && !(st & GIT_STATUS_WT_NEW));

		if (strncmp(path, s->prefix, plen) || !in_book_area(path + plen))
			continue;
		if (st == GIT_STATUS_CURRENT || (st & GIT_STATUS_IGNORED))
			continue;
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		c = &out->v[out->n++];
		c->path = xstrdup(path + plen);
		c->type = !work_has ? CH_DELETED : head_has ? CH_MODIFIED : CH_ADDED;
	}
out:
	git_status_list_free(list);
	for (size_t i = 0; i < nspecs; i++)
		free(specs[i]);
	free(specs);
	return ret;
}

int store_staged(struct store *s, struct change_list *out)
{
	git_tree *head = NULL;
	git_index *idx = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	git_object *obj = NULL;
	size_t plen = strlen(s->prefix);
	int ret = -1;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (!store_head_unborn(s)) {
		if (git_revparse_single(&obj, s->repo, "HEAD^{tree}") < 0)
			goto out;
		head = (git_tree *)obj;
	}
	if (git_repository_index(&idx, s->repo) < 0 || git_index_read(idx, 0) < 0 ||
	    git_diff_tree_to_index(&diff, s->repo, head, idx, &opts) < 0) {
		error("unable to compare the index with HEAD: %s", store_error());
		goto out;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *p = d->new_file.path ? d->new_file.path : d->old_file.path;
		struct change *c;
		if (strncmp(p, s->prefix, plen) || !in_book_area(p + plen))
			continue;
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		c = &out->v[out->n++];
		c->path = xstrdup(p + plen);
		c->type = d->status == GIT_DELTA_ADDED ? CH_ADDED :
			  d->status == GIT_DELTA_DELETED ? CH_DELETED : CH_MODIFIED;
	}
	ret = 0;
out:
	git_diff_free(diff);
	git_index_free(idx);
	git_object_free(obj);
	return ret;
}

int store_read_head(struct store *s, const char *path, struct strbuf *out)
{
	struct source *src;
	const char *msg;
	int r;

	if (git_repository_head_unborn(s->repo) == 1)
		return 1;
	src = store_source_rev(s, "HEAD");
	if (!src)
		return -1;
	r = src->read(src, path, (size_t)1 << 30, out, &msg);
	src->free(src);
	return r == SRC_OK ? 0 : r == SRC_MISSING || r == SRC_NOT_REGULAR ? 1 : -1;
}

void store_identity(struct store *s, char **name, char **email)
{
	git_config *cfg = NULL;
	git_buf buf = { 0 };

	*name = *email = NULL;
	if (git_repository_config_snapshot(&cfg, s->repo) < 0)
		return;
	if (git_config_get_string_buf(&buf, cfg, "user.name") == 0) {
		*name = xstrdup(buf.ptr);
		git_buf_dispose(&buf);
	}
	if (git_config_get_string_buf(&buf, cfg, "user.email") == 0) {
		*email = xstrdup(buf.ptr);
		git_buf_dispose(&buf);
	}
	git_config_free(cfg);
}

/* -- committing -- */

static int merge_head(struct store *s, git_oid *out);

static int write_index(git_index *idx)
{
	int waited = 0, r;

	while ((r = git_index_write(idx)) == GIT_ELOCKED && waited < INDEX_WAIT_MS) {
		sleep_ms(25);
		waited += 25;
	}
	if (r == GIT_ELOCKED)
		error("the index is locked by another git command (.git/index.lock); if none is running, remove that file");
	else if (r < 0)
		error("unable to write the index: %s", store_error());
	return r;
}

/*
 * The tree of HEAD with exactly the changes applied: whatever else the
 * user has staged with git add stays staged, and out of this commit.
 */
static int tree_of_changes(struct store *s, git_index *idx, git_commit *parent,
			   const struct change_list *changes, git_oid *tree_oid)
{
	git_tree *ptree = NULL;
	git_tree_update *ups = xcalloc(changes->n + 1, sizeof(*ups));
	char **paths = xcalloc(changes->n + 1, sizeof(*paths));
	int ret = -1;

	if (!parent) {
		/* the first commit: the index holds nothing else of the book */
		ret = git_index_write_tree(tree_oid, idx);
		goto out;
	}
	if (git_commit_tree(&ptree, parent) < 0)
		goto out;
	for (size_t i = 0; i < changes->n; i++) {
		const git_index_entry *e;
		paths[i] = full(s, changes->v[i].path);
		e = git_index_get_bypath(idx, paths[i], 0);
		ups[i].path = paths[i];
		if (e) {
			ups[i].action = GIT_TREE_UPDATE_UPSERT;
			git_oid_cpy(&ups[i].id, &e->id);
			ups[i].filemode = (git_filemode_t)e->mode;
		} else {
			ups[i].action = GIT_TREE_UPDATE_REMOVE;
		}
	}
	/* only the trees on the changed paths are rewritten */
	ret = git_tree_create_updated(tree_oid, s->repo, ptree, changes->n, ups);
out:
	if (ret < 0)
		error("unable to write the tree: %s", store_error());
	for (size_t i = 0; i < changes->n; i++)
		free(paths[i]);
	free(paths);
	free(ups);
	git_tree_free(ptree);
	return ret < 0 ? -1 : 0;
}

static int commit_once(struct store *s, int lockfd, const struct change_list *changes,
		       const char *msg, const git_signature *sig, git_oid *new_oid)
{
	git_index *idx = NULL;
	git_reference *head = NULL, *newref = NULL;
	git_commit *parent = NULL, *theirs = NULL;
	git_oid theirs_oid;
	const git_commit *parents[2];
	int nparents = 0;
	git_tree *tree = NULL;
	git_oid tree_oid, parent_oid;
	const char *branch = NULL;
	char *branch_owned = NULL;
	int unborn = git_repository_head_unborn(s->repo) == 1, ret = -1;

	/* under our lock; re-read if another git changed the file */
	if (git_repository_index(&idx, s->repo) < 0 || git_index_read(idx, 0) < 0) {
		error("unable to read the index: %s", store_error());
		goto out;
	}
	if (unborn) {
		/* HEAD names the branch to be born */
		git_reference *sym = NULL;
		if (git_reference_lookup(&sym, s->repo, "HEAD") < 0) {
			error("unable to read HEAD: %s", store_error());
			goto out;
		}
		branch_owned = xstrdup(git_reference_symbolic_target(sym));
		branch = branch_owned;
		git_reference_free(sym);
	} else {
		if (git_repository_head(&head, s->repo) < 0) {
			error("unable to read HEAD: %s", store_error());
			goto out;
		}
		branch = git_reference_name(head);
		git_oid_cpy(&parent_oid, git_reference_target(head));
		if (git_commit_lookup(&parent, s->repo, &parent_oid) < 0) {
			error("unable to read the HEAD commit: %s", store_error());
			goto out;
		}
	}
	lock_note(lockfd, branch);
	for (size_t i = 0; i < changes->n; i++) {
		char *p = full(s, changes->v[i].path);
		int r = changes->v[i].type == CH_DELETED ? git_index_remove_bypath(idx, p) :
			git_index_add_bypath(idx, p);
		free(p);
		if (r < 0) {
			error("unable to stage '%s': %s", changes->v[i].path, store_error());
			goto out;
		}
	}
	if (git_index_has_conflicts(idx)) {
		const git_index_entry *a, *o, *t;
		git_index_conflict_iterator *it = NULL;
		struct strbuf sb = STRBUF_INIT;
		if (git_index_conflict_iterator_new(&it, idx) == 0) {
			while (git_index_conflict_next(&a, &o, &t, it) == 0)
				sb_addf(&sb, "\n  %s", (o ? o : t ? t : a)->path);
			git_index_conflict_iterator_free(it);
		}
		error("the merge still has conflicts; resolve them first:%s", sb.buf ? sb.buf : "");
		sb_release(&sb);
		goto out;
	}
	if (write_index(idx) < 0)
		goto out;
	if (merge_head(s, &theirs_oid) == 0) {
		/* concluding a merge: everything the merge staged goes in */
		if (git_index_write_tree(&tree_oid, idx) < 0) {
			error("unable to write the tree: %s", store_error());
			goto out;
		}
	} else if (tree_of_changes(s, idx, parent, changes, &tree_oid) < 0) {
		goto out;
	}
	if (git_tree_lookup(&tree, s->repo, &tree_oid) < 0) {
		error("unable to write the tree: %s", store_error());
		goto out;
	}
	if (parent)
		parents[nparents++] = parent;
	if (parent && merge_head(s, &theirs_oid) == 0 &&
	    git_commit_lookup(&theirs, s->repo, &theirs_oid) == 0)
		parents[nparents++] = theirs;	/* concluding a merge */
	if (parent && nparents == 1 && git_oid_equal(&tree_oid, git_commit_tree_id(parent))) {
		ret = 1;
		goto out;
	}
	if (git_commit_create(new_oid, s->repo, NULL, sig, sig, "UTF-8", msg, tree,
			      (size_t)nparents, parents) < 0) {
		error("unable to create the commit: %s", store_error());
		goto out;
	}
	ret = unborn ? git_reference_create(&newref, s->repo, branch, new_oid, 0, "ae commit") :
		       git_reference_create_matching(&newref, s->repo, branch, new_oid, 1, &parent_oid,
						     "ae commit");
	if (ret == GIT_EMODIFIED || ret == GIT_EEXISTS) {
		ret = 2;	/* the branch moved: redo */
	} else if (ret < 0) {
		error("unable to update %s: %s", branch, store_error());
		ret = -1;
	} else if (theirs) {
		git_repository_state_cleanup(s->repo);
	}
out:
	git_commit_free(theirs);
	git_reference_free(newref);
	git_reference_free(head);
	git_commit_free(parent);
	git_tree_free(tree);
	git_index_free(idx);
	free(branch_owned);
	return ret;
}

int store_commit(struct store *s, const struct change_list *changes,
		 const char *msg, const char *name, const char *email, long long when,
		 int tz_minutes, char oid[41])
{
	git_signature *sig = NULL;
	git_oid new_oid;
	int fd, r = -1;

	if (git_signature_new(&sig, name, email, when ? (git_time_t)when : (git_time_t)time(NULL),
			      tz_minutes) < 0) {
		error("bad author '%s <%s>': %s", name, email, store_error());
		return -1;
	}
	if ((fd = lock_take(s->gitdir)) < 0) {
		git_signature_free(sig);
		return -1;
	}
	for (int attempt = 0; attempt < REDO_LIMIT; attempt++) {
		r = commit_once(s, fd, changes, msg, sig, &new_oid);
		if (r != 2)
			break;
		sleep_ms(10 + attempt * 10);
	}
	if (r == 2) {
		error("the branch kept moving while committing; try again");
		r = -1;
	}
	lock_clear(fd);
	lock_drop(fd);
	git_signature_free(sig);
	if (r == 0)
		git_oid_tostr(oid, 41, &new_oid);
	return r;
}

/* -- merges -- */

static int first_mergehead(const git_oid *oid, void *payload)
{
	git_oid_cpy(payload, oid);
	return 1;	/* the first is enough */
}

static int merge_head(struct store *s, git_oid *out)
{
	int r = git_repository_mergehead_foreach(s->repo, first_mergehead, out);

	return r == 1 || r == GIT_EUSER ? 0 : -1;
}

int store_merging(struct store *s)
{
	git_oid oid;

	return merge_head(s, &oid) == 0;
}

int store_conflicts(struct store *s, struct strlist *out)
{
	git_index *idx = NULL;
	size_t plen = strlen(s->prefix);

	if (git_repository_index(&idx, s->repo) < 0 || git_index_read(idx, 0) < 0) {
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
	char *p = full(s, path);
	int ret = 1;

	if (git_repository_index(&idx, s->repo) < 0 || git_index_read(idx, 0) < 0) {
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

	if (merge_head(s, &theirs) < 0 || git_reference_name_to_id(&head, s->repo, "HEAD") < 0 ||
	    git_merge_base(&base, s->repo, &head, &theirs) < 0) {
		error("no merge base: %s", store_error());
		return NULL;
	}
	git_oid_tostr(hex, sizeof(hex), &base);
	return store_source_rev(s, hex);
}

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
		if (!strncmp(p, s->prefix, plen) && in_book_area(p + plen))
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
	char *p = full(s, path);
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
