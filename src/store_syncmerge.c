/*
 * store_syncmerge.c -- a merge planned in memory with ae's drivers, the
 * merge state it leaves when it cannot be committed at once, and the
 * index changed by a swap that a kill cannot leave half done; see
 * store_sync.h.
 *
 * The swap: under git's index.lock, the index is copied to
 * .git/ae-index-swap and changed there; the old index is linked as
 * .git/ae-index-old; the note "swap index" in the book lock (synced) says
 * a swap is under way; the copy is renamed over .git/index; the note
 * "swapped yes" says it landed.  Whoever takes the lock after a kill
 * reads the notes: landed, the old index is dropped; not landed, it is
 * put back and the merge state the swap began (MERGE_HEAD ...) removed.
 */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fileio.h"
#include "gitlock.h"
#include "store_sync.h"
#include "store_team.h"

#define SWAP_INDEX "ae-index-swap"
#define OLD_INDEX "ae-index-old"
#define INDEX_WAIT_MS 5000

static const char *const merge_files[] = { "MERGE_HEAD", "MERGE_MSG", "MERGE_MODE" };

void merge_plan_release(struct merge_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].path);
		sb_release(&p->v[i].text);
	}
	free(p->v);
	strlist_release(&p->outside);
	memset(p, 0, sizeof(*p));
}

struct plan_file *merge_plan_find(struct merge_plan *p, const char *path)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].path, path))
			return &p->v[i];
	return NULL;
}

static struct plan_file *plan_add(struct merge_plan *p, const char *path)
{
	struct plan_file *f;

	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	f = &p->v[p->n++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->mode = GIT_FILEMODE_BLOB;
	return f;
}

static int blob_into(git_repository *repo, const git_oid *id, struct strbuf *out)
{
	git_blob *b = NULL;

	if (git_blob_lookup(&b, repo, id) < 0)
		return error("unable to read a blob of the merge: %s", store_error());
	sb_reset(out);
	sb_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return 0;
}

static int cmp_plan(const void *a, const void *b)
{
	return strcmp(((const struct plan_file *)a)->path, ((const struct plan_file *)b)->path);
}

/* The merged index's conflicts into the plan, with the text ae made. */
static int plan_conflicts(struct store *s, git_index *idx, const struct merged_files *mf,
			  struct merge_plan *p)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *e[3];
	size_t plen = strlen(s->prefix);

	if (git_index_conflict_iterator_new(&it, idx) < 0)
		return error("unable to read the merge's conflicts: %s", store_error());
	while (git_index_conflict_next(&e[0], &e[1], &e[2], it) == 0) {
		const char *path = e[1] ? e[1]->path : e[2] ? e[2]->path : e[0]->path;
		struct plan_file *f;
		const struct merged_file *m = NULL;

		if (strncmp(path, s->prefix, plen)) {
			strlist_add(&p->outside, path);
			continue;
		}
		for (size_t i = 0; i < mf->n && !m; i++)
			if (!strcmp(mf->v[i].path, path + plen))
				m = &mf->v[i];
		f = plan_add(p, path + plen);
		for (int k = 0; k < 3; k++)
			if (e[k]) {
				git_oid_tostr(f->stage_oid[k], 41, &e[k]->id);
				f->stage_mode[k] = e[k]->mode;
			}
		f->present = e[1] || e[2];
		f->mode = e[1] ? e[1]->mode : e[2] ? e[2]->mode : GIT_FILEMODE_BLOB;
		if (e[0] && !e[1] && e[2])
			f->conflict = PLAN_DELETED_OURS;
		else if (e[0] && e[1] && !e[2])
			f->conflict = PLAN_DELETED_THEIRS;
		else if (m && memmem(m->text.buf ? m->text.buf : "", m->text.len, "<<<<<<< ours ", 13))
			f->conflict = PLAN_BLOCKS;
		else
			f->conflict = PLAN_OTHER;
		if (m)
			sb_add(&f->text, m->text.buf ? m->text.buf : "", m->text.len);
		else if (e[1] || e[2])
			blob_into(s->repo, &(e[1] ? e[1] : e[2])->id, &f->text);
		p->conflicts++;
	}
	git_index_conflict_iterator_free(it);
	return 0;
}

int store_merge_plan(struct store *s, const char *ours, const char *theirs,
		     struct merge_plan *out)
{
	struct merged_files mf = { 0 };
	git_index *idx = NULL;
	git_commit *co = NULL;
	git_tree *ot = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	git_oid o, t, base;
	size_t plen = strlen(s->prefix);
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (git_oid_fromstr(&o, ours) < 0 || git_oid_fromstr(&t, theirs) < 0)
		return error("internal error: a merge of '%s' and '%s'", ours, theirs);
	memcpy(out->ours, ours, 41);
	memcpy(out->theirs, theirs, 41);
	if (git_merge_base(&base, s->repo, &o, &t) == 0)
		git_oid_tostr(out->base, 41, &base);
	if (store_merge_in_memory(s, &o, &t, &idx, &mf) < 0)
		goto out;
	if (git_commit_lookup(&co, s->repo, &o) < 0 || git_commit_tree(&ot, co) < 0) {
		error("unable to read '%s': %s", ours, store_error());
		goto out;
	}
	if (plan_conflicts(s, idx, &mf, out) < 0)
		goto out;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (git_diff_tree_to_index(&diff, s->repo, ot, idx, &opts) < 0) {
		error("unable to compare the merge with '%s': %s", ours, store_error());
		goto out;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path;
		struct plan_file *f;

		if (d->status == GIT_DELTA_CONFLICTED ||
		    (!strncmp(path, s->prefix, plen) && merge_plan_find(out, path + plen)))
			continue;	/* a conflict, planned above */
		if (strncmp(path, s->prefix, plen)) {
			strlist_add(&out->outside, path);
			continue;
		}
		f = plan_add(out, path + plen);
		if (d->status == GIT_DELTA_DELETED)
			continue;
		f->present = 1;
		f->mode = d->new_file.mode;
		if (blob_into(s->repo, &d->new_file.id, &f->text) < 0)
			goto out;
	}
	qsort(out->v, out->n, sizeof(*out->v), cmp_plan);
	ret = 0;
out:
	if (ret < 0)
		merge_plan_release(out);
	merged_files_release(&mf);
	git_diff_free(diff);
	git_tree_free(ot);
	git_commit_free(co);
	git_index_free(idx);
	return ret;
}

/* -- the index swap -- */

static char *gpath(const struct store *s, const char *name)
{
	return xasprintf("%s%s", s->gitdir, name);
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

static void remove_merge_state(const struct store *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(merge_files); i++) {
		char *p = gpath(s, merge_files[i]);
		(void)unlink(p);
		free(p);
	}
}

static void unlink_name(const struct store *s, const char *name)
{
	char *p = gpath(s, name);

	(void)unlink(p);
	free(p);
}

/* The index now, at a path of its own, as the repository's index. */
static int open_swap_index(struct store *s, git_index **out)
{
	char *idx = gpath(s, "index"), *copy = gpath(s, SWAP_INDEX);
	int ret = -1;
	struct strbuf sb = STRBUF_INIT;

	*out = NULL;
	(void)unlink(copy);
	/* a copy, not a link: libgit2 replaces the file it opened */
	if (sb_read_file(&sb, idx, (size_t)1 << 31) == 0 &&
	    write_atomic(copy, sb.buf ? sb.buf : "", sb.len, 0644) < 0)
		goto out;
	ret = store_index_at(s, copy, out);
out:
	sb_release(&sb);
	free(idx);
	free(copy);
	return ret;
}

typedef int (*index_fn)(struct store *s, git_index *idx, const void *arg);

/*
 * Change the index with fn, under index.lock, landing with one rename;
 * theirs (a commit id) and msg, when theirs is not NULL, are the merge
 * state written with it.  0, or -1 (reported; the index as it was).
 */
static int index_swap(struct store *s, struct book_lock *l, index_fn fn, const void *arg,
		      const char *theirs, const char *msg)
{
	git_index *idx = NULL;
	char *index = gpath(s, "index"), *copy = gpath(s, SWAP_INDEX), *old = gpath(s, OLD_INDEX);
	int wait = lock_wait_ms(), ret = -1, linked = 0, wrote_state = 0, swapped = 0;
	const char *begin[] = { "swap", "index", "merge", theirs ? theirs : "-", NULL };

	if (index_lock_take(s->gitdir, wait < INDEX_WAIT_MS ? wait : INDEX_WAIT_MS) < 0)
		goto out_nolock;
	if (book_lock_note(l, begin) < 0 || open_swap_index(s, &idx) < 0)
		goto out;
	if (fn(s, idx, arg) < 0)
		goto out;
	if (git_index_write(idx) < 0) {
		error("unable to write the index: %s", store_error());
		goto out;
	}
	if (theirs) {
		char *head = xasprintf("%s\n", theirs);
		char *p;
		int r = 0;
		wrote_state = 1;
		p = gpath(s, "MERGE_HEAD");
		r |= write_atomic(p, head, strlen(head), 0644);
		free(p);
		p = gpath(s, "MERGE_MSG");
		r |= write_atomic(p, msg ? msg : "", msg ? strlen(msg) : 0, 0644);
		free(p);
		p = gpath(s, "MERGE_MODE");
		r |= write_atomic(p, "", 0, 0644);
		free(p);
		free(head);
		if (r)
			goto out;
	}
	(void)unlink(old);
	if (link(index, old) < 0 && errno != ENOENT) {
		error("unable to keep the old index: %s", strerror(errno));
		goto out;
	}
	linked = 1;
	if (rename(copy, index) < 0) {
		error("unable to update the index: %s", strerror(errno));
		goto out;
	}
	swapped = 1;
	sync_dir(s->gitdir);
	{
		const char *landed[] = { "swapped", "yes", NULL };
		if (book_lock_note(l, landed) < 0)
			goto out;
	}
	ret = 0;
out:
	if (ret < 0) {
		/* as it was: the old index back, no merge state */
		if (swapped && rename(old, index) < 0) {
			error("unable to put the old index back: %s; the next ae command will",
			      strerror(errno));
			book_lock_keep_notes(l);
		} else if (wrote_state) {
			remove_merge_state(s);
		}
	}
	if (linked && (ret == 0 || !swapped))
		(void)unlink(old);
	(void)unlink(copy);
	if (index_lock_release(s->gitdir) < 0)
		warning("unable to remove %sindex.lock: %s; the next ae command will", s->gitdir,
			strerror(errno));
out_nolock:
	git_repository_set_index(s->repo, NULL);
	git_index_free(idx);
	free(index);
	free(copy);
	free(old);
	return ret;
}

int store_swap_recover(struct store *s, struct book_lock *l)
{
	const char *swap = book_lock_prev(l, "swap"), *swapped = book_lock_prev(l, "swapped");
	const char *merge = book_lock_prev(l, "merge");
	char *old = gpath(s, OLD_INDEX), *index = gpath(s, "index");
	int ret = 0;

	unlink_name(s, SWAP_INDEX);
	if (!swap || strcmp(swap, "index")) {
		(void)unlink(old);
		goto out;
	}
	if (swapped && !strcmp(swapped, "yes")) {
		(void)unlink(old);
		ret = 1;
		goto out;
	}
	if (access(old, F_OK) == 0) {
		if (rename(old, index) < 0) {
			ret = error("unable to put back the index an interrupted ae kept: %s",
				    strerror(errno));
			goto out;
		}
		sync_dir(s->gitdir);
	}
	if (merge && strcmp(merge, "-"))
		remove_merge_state(s);
	warning("undid the change of the index an interrupted ae had begun");
out:
	free(old);
	free(index);
	return ret;
}

void store_swap_done(struct book_lock *l)
{
	const char *done[] = { "swap", "done", "swapped", "no", "merge", "-", NULL };

	if (l)
		(void)book_lock_note(l, done);
}

/* -- the merge state -- */

static int entry_of(git_index_entry *e, const char *path, const char *hex, unsigned mode,
		    int stage)
{
	memset(e, 0, sizeof(*e));
	e->path = path;
	e->mode = mode ? mode : GIT_FILEMODE_BLOB;
	GIT_INDEX_ENTRY_STAGE_SET(e, stage);
	return git_oid_fromstr(&e->id, hex);
}

static int enter_fn(struct store *s, git_index *idx, const void *arg)
{
	const struct merge_plan *p = arg;

	for (size_t i = 0; i < p->n; i++) {
		const struct plan_file *f = &p->v[i];
		char *full = store_full(s, f->path);
		int r = 0;

		if (f->conflict != PLAN_CLEAN) {
			git_index_entry e[3];
			const git_index_entry *ep[3] = { NULL, NULL, NULL };
			for (int k = 0; k < 3; k++)
				if (f->stage_oid[k][0] &&
				    entry_of(&e[k], full, f->stage_oid[k], f->stage_mode[k], k + 1) == 0)
					ep[k] = &e[k];
			git_index_remove_bypath(idx, full);
			r = git_index_conflict_add(idx, ep[0], ep[1], ep[2]);
		} else if (f->present) {
			r = git_index_add_bypath(idx, full);
		} else {
			r = git_index_remove_bypath(idx, full);
		}
		free(full);
		if (r < 0)
			return error("unable to stage '%s' of the merge: %s", f->path, store_error());
	}
	return 0;
}

int store_merge_enter(struct store *s, struct book_lock *l, const struct merge_plan *p,
		      const char *msg)
{
	if (!l)
		return error("internal error: a merge without the book lock");
	return index_swap(s, l, enter_fn, p, p->theirs, msg);
}

static int stage_fn(struct store *s, git_index *idx, const void *arg)
{
	const struct strlist *paths = arg;

	for (size_t i = 0; i < paths->n; i++) {
		char *full = store_full(s, paths->v[i]);
		char *abs = xasprintf("%s%s", s->workdir, full);
		int r = access(abs, F_OK) == 0 ? git_index_add_bypath(idx, full) :
			git_index_remove_bypath(idx, full);
		free(abs);
		free(full);
		if (r < 0)
			return error("unable to stage '%s': %s", paths->v[i], store_error());
	}
	return 0;
}

int store_stage_paths(struct store *s, struct book_lock *l, const struct strlist *paths)
{
	if (!l)
		return error("internal error: staging without the book lock");
	return index_swap(s, l, stage_fn, paths, NULL, NULL);
}

int store_conflict_stages(struct store *s, const char *path, int have[3])
{
	git_index *idx = NULL;
	char *full = store_full(s, path);
	int ret = -1;

	have[0] = have[1] = have[2] = 0;
	if (store_index(s, &idx) == 0) {
		for (int k = 0; k < 3; k++)
			have[k] = git_index_get_bypath(idx, full, k + 1) != NULL;
		ret = 0;
	}
	git_index_free(idx);
	free(full);
	return ret;
}
