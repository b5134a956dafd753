/* store.c -- opening the repository behind a book, what changed, who is
 * committing; see store.h. */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
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

/* The areas of a book that ae commits. */
const char *const store_book_areas[] = {
	"ae.ini", "clients", "jobs", "contacts", "meetings", "complaints",
	"letters", "reviews", "journal", "formats", "calendar", ".gitattributes"
};
_Static_assert(ARRAY_SIZE(store_book_areas) == STORE_NBOOK_AREAS, "STORE_NBOOK_AREAS");

const char *store_error(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

void store_global_init(void)
{
	static int done;

	if (done)
		return;
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	/* objects are not hashed again on every read, as git does not:
	 * that was half of what reading a big tree cost (docs/PERFORMANCE.md) */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	done = 1;
}

void store_sleep_ms(int ms)
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
	free(s->index_path);
	store_own_index_keep(s, NULL);
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

	store_global_init();
	if (git_repository_open_ext(&repo, root, 0, getenv("GIT_CEILING_DIRECTORIES")) < 0) {
		error("the book at '%s' is not in a git repository; run 'ae init' there", root);
		return NULL;
	}
	return wrap(repo, root, for_write);
}

struct store *store_try_open(const char *root)
{
	git_repository *repo = NULL;

	store_global_init();
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

	store_global_init();
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

char *store_full(const struct store *s, const char *path)
{
	return xasprintf("%s%s", s->prefix, path);
}

/* -- changes, identity, HEAD contents -- */

void change_list_release(struct change_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int store_in_book_area(const char *rel)
{
	for (size_t i = 0; i < STORE_NBOOK_AREAS; i++) {
		size_t n = strlen(store_book_areas[i]);
		if (!strncmp(rel, store_book_areas[i], n) && (rel[n] == '\0' || rel[n] == '/'))
			return 1;
	}
	return 0;
}

/*
 * Whether a book path has a hidden component (".x"), other than the
 * top-level .gitattributes: a writer's temporary file (".NAME.ae-tmp.PID",
 * which a kill can leave), an editor's swap file.  Never committed.
 */
static int hidden(const char *rel)
{
	if (!strcmp(rel, ".gitattributes"))
		return 0;
	for (const char *p = rel; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL)
		if (*p == '.')
			return 1;
	return 0;
}

/* Whether two stats are of one unchanged file. */
static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/*
 * libgit2 (1.5) reads the index by stat(2) of its path, then open(2):
 * git or another ae renaming a new index into place between the two
 * gives one file's bytes at the other's size, a torn read that fails as
 * "extension is truncated" (or, in a refresh, leaves a half-read index
 * and no error).  So the index is read here, and read again for as long
 * as the file was replaced during the read; a file that stayed the same
 * and still fails is really damaged.
 */
#define INDEX_READ_TRIES 50

int store_index(struct store *s, git_index **out)
{
	char *dflt = xasprintf("%sindex", s->gitdir);
	int r = -1;

	*out = NULL;
	if (s->index_pending) {
		git_index *env = NULL;
		if (git_index_open(&env, s->index_path) < 0 ||
		    git_repository_set_index(s->repo, env) < 0) {
			/* the caller says so, with libgit2's reason */
			git_index_free(env);
			free(dflt);
			return -1;
		}
		git_index_free(env);
		s->index_pending = 0;
	}
	for (int attempt = 0; attempt < INDEX_READ_TRIES; attempt++) {
		struct stat before, after;
		const char *path = dflt;
		int had = stat(path, &before) == 0;

		/* the first call reads .git/index; one set by ae is its own path */
		if (git_repository_index(out, s->repo) == 0) {
			const char *p = git_index_path(*out);
			if (p && strcmp(p, dflt)) {
				path = p;
				had = stat(path, &before) == 0;
			}
			if (git_index_read(*out, 0) == 0) {
				r = 0;
				break;
			}
			if (stat(path, &after) < 0 || !had || same_file(&before, &after)) {
				git_index_free(*out);
				*out = NULL;
				break;
			}
			git_index_free(*out);
			*out = NULL;
		} else if (!had || stat(path, &after) < 0 || same_file(&before, &after)) {
			break;
		}
		store_sleep_ms(1 + attempt);
	}
	free(dflt);
	return r;
}

/*
 * The blob id of a work tree file that git's filters would store as it
 * is: no carriage return (text, eol) and no "$Id" (ident).  0, or -1
 * (then status, which applies the filters, decides; libgit2 reads the
 * index to find .gitattributes, which is what is avoided here).
 */
static int plain_hash(const char *abs, git_oid *out)
{
	struct strbuf sb = STRBUF_INIT;
	int r = -1;

	if (sb_read_file(&sb, abs, (size_t)1 << 30) == 0 &&
	    (!sb.len || (!memchr(sb.buf, '\r', sb.len) && !memmem(sb.buf, sb.len, "$Id", 3))))
		r = git_odb_hash(out, sb.buf ? sb.buf : "", sb.len, GIT_OBJECT_BLOB) < 0 ? -1 : 0;
	sb_release(&sb);
	return r;
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const struct change *)a)->path, ((const struct change *)b)->path);
}

/*
 * The named records' changes without reading the index (issue 15, goal
 * 3: a 100,000-entry index costs more than the rest of a one-record
 * commit): each one a plain file HEAD has, compared with the work tree's
 * file as git would store it (its filters applied) -- modified, deleted,
 * or as HEAD has it.  What the index holds besides does not matter: a
 * commit writes the work tree's file, and one the same as HEAD's commits
 * nothing and leaves the index as it was, as status would have it.  1
 * (out untouched) when a path is anything else (new, a folder, a link,
 * executable, hidden, outside the book's areas): status decides.
 */
static int changes_by_path(struct store *s, const struct strlist *paths, struct change_list *out)
{
	git_object *head = NULL;
	struct change_list l = { 0 };
	int ret = 1;

	if (git_repository_head_unborn(s->repo) == 1 ||
	    git_revparse_single(&head, s->repo, "HEAD^{tree}") < 0)
		goto out;
	for (size_t i = 0; i < paths->n; i++) {
		const char *rel = paths->v[i];
		char *full = store_full(s, rel), *abs = xasprintf("%s%s", s->workdir, full);
		git_tree_entry *te = NULL;
		struct stat st;
		git_oid work;
		int type = -1;

		if (!store_in_book_area(rel) || hidden(rel) ||
		    git_tree_entry_bypath(&te, (git_tree *)head, full) < 0 ||
		    git_tree_entry_filemode(te) != GIT_FILEMODE_BLOB) {
			/* new, or not a plain file in HEAD */
		} else if (lstat(abs, &st) < 0) {
			if (errno == ENOENT)
				type = CH_DELETED;
		} else if (S_ISREG(st.st_mode) && !(st.st_mode & 0111) && plain_hash(abs, &work) == 0) {
			type = git_oid_equal(&work, git_tree_entry_id(te)) ? -2 : CH_MODIFIED;
		}
		git_tree_entry_free(te);
		free(abs);
		free(full);
		if (type == -1)
			goto out;
		if (type == -2)
			continue;
		ALLOC_GROW(l.v, l.n + 1, l.alloc);
		l.v[l.n].path = xstrdup(rel);
		l.v[l.n++].type = type;
	}
	/* in status's order, each path once */
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), cmp_change);
	for (size_t i = 0; i < l.n; i++) {
		if (i && !strcmp(l.v[i].path, l.v[i - 1].path)) {
			free(l.v[i].path);
			continue;
		}
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = l.v[i];
	}
	free(l.v);
	l.v = NULL;
	l.n = 0;
	ret = 0;
out:
	change_list_release(&l);
	git_object_free(head);
	return ret;
}

int store_index_at(struct store *s, const char *path, git_index **out)
{
	*out = NULL;
	if (git_index_open(out, path) < 0 || git_repository_set_index(s->repo, *out) < 0) {
		git_index_free(*out);
		*out = NULL;
		return error("unable to read the index: %s", store_error());
	}
	return 0;
}

int store_changes(struct store *s, const struct strlist *paths, struct change_list *out)
{
	git_status_options opts;
	git_status_list *list = NULL;
	git_index *idx = NULL;
	char **specs;
	size_t nspecs = 0, plen = strlen(s->prefix);
	int ret = 0;

	if (paths && paths->n && changes_by_path(s, paths, out) == 0)
		return 0;
	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	specs = xcalloc((paths && paths->n ? paths->n : STORE_NBOOK_AREAS) + 1, sizeof(*specs));
	if (paths && paths->n)
		for (size_t i = 0; i < paths->n; i++)
			specs[nspecs++] = store_full(s, paths->v[i]);
	else
		for (size_t i = 0; i < STORE_NBOOK_AREAS; i++)
			specs[nspecs++] = store_full(s, store_book_areas[i]);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		     GIT_STATUS_OPT_EXCLUDE_SUBMODULES | GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
	opts.pathspec.strings = specs;
	opts.pathspec.count = nspecs;
	/* the index read once, whole (store_index), and not again by status */
	opts.flags |= GIT_STATUS_OPT_NO_REFRESH;
	if (store_index(s, &idx) < 0 || git_status_list_new(&list, s->repo, &opts) < 0) {
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

		if (strncmp(path, s->prefix, plen) || !store_in_book_area(path + plen) ||
		    hidden(path + plen))
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
	git_index_free(idx);
	for (size_t i = 0; i < nspecs; i++)
		free(specs[i]);
	free(specs);
	return ret;
}

void store_add_change(const struct store *s, const char *p, int type, int book_only,
		      struct change_list *out, size_t *outside)
{
	size_t plen = strlen(s->prefix);
	struct change *c;

	if (strncmp(p, s->prefix, plen)) {
		if (outside)
			(*outside)++;
		return;
	}
	if (book_only && !store_in_book_area(p + plen))
		return;
	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	c = &out->v[out->n++];
	c->path = xstrdup(p + plen);
	c->type = type;
}

void store_diff_changes(const struct store *s, git_diff *diff, int book_only,
			struct change_list *out, size_t *outside)
{
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *p = d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path;

		store_add_change(s, p, d->status == GIT_DELTA_ADDED ? CH_ADDED :
				 d->status == GIT_DELTA_DELETED ? CH_DELETED : CH_MODIFIED,
				 book_only, out, outside);
	}
}

int store_staged(struct store *s, struct change_list *out)
{
	git_tree *head = NULL;
	git_index *idx = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	git_object *obj = NULL;
	int ret = -1;

	/* ae's own reader, skipping what the cached tree says is HEAD's */
	if ((ret = store_staged_own(s, out)) <= 0)
		return ret;
	ret = -1;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (!store_head_unborn(s)) {
		if (git_revparse_single(&obj, s->repo, "HEAD^{tree}") < 0)
			goto out;
		head = (git_tree *)obj;
	}
	if (store_index(s, &idx) < 0 ||
	    git_diff_tree_to_index(&diff, s->repo, head, idx, &opts) < 0) {
		error("unable to compare the index with HEAD: %s", store_error());
		goto out;
	}
	store_diff_changes(s, diff, 1, out, NULL);
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
