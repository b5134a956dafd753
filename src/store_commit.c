/*
 * store_commit.c -- committing the book under the book lock, holding
 * git's index.lock for the whole read-modify-write of the index, with a
 * compare-and-swap on the branch; and finishing or undoing a commit that
 * a kill -9 interrupted.  See store.h.
 *
 * libgit2 reads the index before it takes index.lock, and then writes
 * it, so a git command in between loses its update.  Instead the index
 * is read and changed while we hold index.lock ourselves: a hard link of
 * .git/index, .git/ae-index, is opened as the repository's index,
 * changed and written (libgit2 replaces the link, never the original),
 * and renamed over .git/index once the branch has the commit.  The note
 * "commit ID" in the book lock (written, synced, before the branch
 * moves) tells whoever takes the lock after a kill whether the commit
 * landed: then the new index is put in place, else it is thrown away.
 */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "gitlock.h"

/* git holds index.lock for milliseconds; one left by a crash, forever */
#define INDEX_WAIT_MS 5000
#define REDO_LIMIT 20
#define NEW_INDEX "ae-index"

/* What kind of commit: ae's own, a merge of `theirs` (ae sync), or a
 * fast-forward to the existing commit `ff`. */
struct landing_kind {
	const git_oid *theirs;
	const git_oid *ff;
	const char *reflog;
};

/* What a commit that landed needs to be finished or taken back. */
struct landing {
	char *branch;
	git_oid parent;		/* the branch before (when not unborn) */
	int unborn;
	int merged;		/* a merge was concluded */
};

static char *gitpath(const struct store *s, const char *name)
{
	return xasprintf("%s%s", s->gitdir, name);
}

static void sync_gitdir(const struct store *s)
{
	int fd = open(s->gitdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Remove the new index and libgit2's lock of it, if they are there. */
static void drop_new_index(const struct store *s)
{
	char *p = gitpath(s, NEW_INDEX), *pl = gitpath(s, NEW_INDEX ".lock");

	if (access(p, F_OK) == 0)
		unlink(p);
	if (access(pl, F_OK) == 0)
		unlink(pl);
	free(p);
	free(pl);
}

/* A copy of from at to, where a hard link cannot be made (a file system
 * without them); synced by libgit2 when it writes it.  0, or -1. */
static int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, ret = -1, err;
	char buf[65536];
	ssize_t n;

	if (in < 0 || (out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		goto out;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			goto out;
	ret = n < 0 ? -1 : 0;
out:
	err = errno;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (ret < 0 && out >= 0)
		unlink(to);
	errno = err;
	return ret;
}

/*
 * The index as it is now (we hold index.lock), as the repository's index,
 * at a path of its own so that writing it leaves .git/index alone.
 */
static int open_new_index(struct store *s, git_index **out)
{
	char *idx = gitpath(s, "index"), *copy = gitpath(s, NEW_INDEX);
	int ret = -1;

	*out = NULL;
	drop_new_index(s);
	if (link(idx, copy) < 0 && errno != ENOENT && copy_file(idx, copy) < 0) {
		error("unable to read the index: %s", strerror(errno));
		goto out;
	}
	ret = store_index_at(s, copy, out);
out:
	free(idx);
	free(copy);
	return ret;
}

/* Put the new index in place of .git/index: 0, or -1 (reported). */
static int install_new_index(struct store *s)
{
	char *idx = gitpath(s, "index"), *copy = gitpath(s, NEW_INDEX);
	int ret = 0;

	if (rename(copy, idx) < 0)
		ret = error("unable to update the index: %s", strerror(errno));
	else
		sync_gitdir(s);
	free(idx);
	free(copy);
	return ret;
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
		paths[i] = store_full(s, changes->v[i].path);
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

static int stage(struct store *s, git_index *idx, const struct change_list *changes)
{
	for (size_t i = 0; i < changes->n; i++) {
		char *p = store_full(s, changes->v[i].path);
		int r = changes->v[i].type == CH_DELETED ? git_index_remove_bypath(idx, p) :
			git_index_add_bypath(idx, p);
		free(p);
		if (r < 0)
			return error("unable to stage '%s': %s", changes->v[i].path, store_error());
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
		return -1;
	}
	return 0;
}

/* Whether the branch points at oid. */
static int branch_is(struct store *s, const char *branch, const git_oid *oid)
{
	git_oid now;

	return git_reference_name_to_id(&now, s->repo, branch) == 0 && git_oid_equal(&now, oid);
}

/*
 * One attempt: 0 the branch has the commit (land says how to take it
 * back), 1 nothing differs from HEAD, 2 the branch moved underneath
 * (redo), -1 failure (reported; the branch is as it was).
 */
static int commit_once(struct store *s, struct book_lock *l, const struct change_list *changes,
		       const char *msg, const git_signature *sig, const struct landing_kind *how,
		       git_oid *new_oid, struct landing *land)
{
	git_index *idx = NULL;
	git_reference *head = NULL, *newref = NULL;
	git_commit *parent = NULL, *theirs = NULL;
	git_oid theirs_oid, tree_oid;
	const git_commit *parents[2];
	int nparents = 0;
	git_tree *tree = NULL;
	struct store_pack *pack = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	struct store_own_commit own = { 0 };
	int ret = -1, mine;

	free(land->branch);
	memset(land, 0, sizeof(*land));
	land->unborn = git_repository_head_unborn(s->repo) == 1;
	if (land->unborn) {
		/* HEAD names the branch to be born */
		git_reference *sym = NULL;
		if (git_reference_lookup(&sym, s->repo, "HEAD") < 0) {
			error("unable to read HEAD: %s", store_error());
			goto out;
		}
		land->branch = xstrdup(git_reference_symbolic_target(sym));
		git_reference_free(sym);
	} else {
		if (git_repository_head(&head, s->repo) < 0) {
			error("unable to read HEAD: %s", store_error());
			goto out;
		}
		land->branch = xstrdup(git_reference_name(head));
		git_oid_cpy(&land->parent, git_reference_target(head));
		if (git_commit_lookup(&parent, s->repo, &land->parent) < 0) {
			error("unable to read the HEAD commit: %s", store_error());
			goto out;
		}
	}
	/* many new objects: one pack, synced once (store_pack.c) */
	if (store_pack_begin(s, changes->n, &pack) < 0)
		goto out;
	/* a few paths of a plain commit: ae's own index writer, not libgit2's
	 * read, write and free of every entry (store_index.c) */
	mine = parent && !how->theirs && !how->ff && store_merge_head(s, &theirs_oid) < 0 ?
	       store_own_stage(s, changes, &own) : 1;
	if (mine < 0)
		goto out;
	if (mine == 0) {
		if (store_own_tree(s, parent, &own, &tree_oid) < 0)
			goto out;
	} else if (open_new_index(s, &idx) < 0 || stage(s, idx, changes) < 0) {
		goto out;
	} else if (how->theirs || how->ff) {
		/* ae sync: exactly HEAD's tree with the changes it wrote */
		if (tree_of_changes(s, idx, parent, changes, &tree_oid) < 0)
			goto out;
	} else if (store_merge_head(s, &theirs_oid) == 0) {
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
	if (how->theirs) {
		if (!parent || git_commit_lookup(&theirs, s->repo, how->theirs) < 0) {
			error("unable to read the commit merged in: %s", store_error());
			goto out;
		}
		parents[nparents++] = theirs;
	} else if (!how->ff && parent && store_merge_head(s, &theirs_oid) == 0 &&
		   git_commit_lookup(&theirs, s->repo, &theirs_oid) == 0) {
		parents[nparents++] = theirs;	/* concluding a merge */
	}
	if (how->ff) {
		/* a fast-forward lands the commit as it is: its tree must be
		 * exactly what was written */
		git_commit *target = NULL;
		int same = git_commit_lookup(&target, s->repo, how->ff) == 0 &&
			   git_oid_equal(&tree_oid, git_commit_tree_id(target)) &&
			   (!parent || git_graph_descendant_of(s->repo, how->ff, &land->parent) == 1);
		git_commit_free(target);
		if (!same) {
			error("internal error: the files written are not those of the commit to fast-forward to");
			goto out;
		}
		git_oid_cpy(new_oid, how->ff);
	} else {
		if (parent && nparents == 1 && git_oid_equal(&tree_oid, git_commit_tree_id(parent))) {
			ret = 1;
			goto out;
		}
		if (git_commit_create(new_oid, s->repo, NULL, sig, sig, "UTF-8", msg, tree,
				      (size_t)nparents, parents) < 0) {
			error("unable to create the commit: %s", store_error());
			goto out;
		}
	}
	/* the objects on disk, synced, before the branch moves */
	ret = store_pack_end(s, pack);
	pack = NULL;
	if (ret < 0)
		goto out;
	ret = -1;
	/* the new index, complete, before the branch moves */
	if (own.ix) {
		char *p = gitpath(s, NEW_INDEX);
		drop_new_index(s);
		mine = store_own_write(s, &own, parent, &tree_oid, p);
		free(p);
		if (mine < 0)
			goto out;
	} else if (git_index_write(idx) < 0) {
		error("unable to write the index: %s", store_error());
		goto out;
	}
	{
		char *reflock = xasprintf("%s.lock", land->branch);
		const char *notes[] = { "commit", hex, "gitlock", reflock,
					"gitlock", "packed-refs.lock", NULL };
		int r;
		git_oid_tostr(hex, sizeof(hex), new_oid);
		r = book_lock_note(l, notes);
		free(reflock);
		if (r < 0)
			goto out;
	}
	ret = land->unborn ?
	      git_reference_create(&newref, s->repo, land->branch, new_oid, 0, how->reflog) :
	      git_reference_create_matching(&newref, s->repo, land->branch, new_oid, 1,
					    &land->parent, how->reflog);
	if (ret == GIT_EMODIFIED || ret == GIT_EEXISTS || ret == GIT_ELOCKED) {
		/* the branch moved, or is moving: a plain git commit updates it
		 * after it has let go of index.lock.  Redo on the new tip */
		ret = 2;
	} else if (ret < 0 && !branch_is(s, land->branch, new_oid)) {
		error("unable to update %s: %s", land->branch, store_error());
		ret = -1;
	} else {
		/* moved, even if what came after (the reflog) failed */
		land->merged = theirs != NULL;
		ret = 0;
	}
out:
	store_pack_drop(s, pack);
	git_commit_free(theirs);
	git_reference_free(newref);
	git_reference_free(head);
	git_commit_free(parent);
	git_tree_free(tree);
	git_index_free(idx);
	store_own_commit_release(&own);
	return ret;
}

/* Put the branch back where it was, if it still has our commit.  0 or -1. */
static int take_back(struct store *s, const struct landing *land, const git_oid *ours)
{
	git_reference *ref = NULL;
	int r;

	if (land->unborn) {
		r = git_reference_lookup(&ref, s->repo, land->branch);
		if (r == 0 && git_oid_equal(git_reference_target(ref), ours))
			r = git_reference_delete(ref);
		git_reference_free(ref);
	} else {
		r = git_reference_create_matching(&ref, s->repo, land->branch, &land->parent, 1, ours,
						  "ae commit: taken back, the index could not be updated");
		git_reference_free(ref);
	}
	return r < 0 ? -1 : 0;
}

static int commit_landing(struct store *s, struct book_lock *l,
			  const struct change_list *changes, const char *msg, const char *name,
			  const char *email, long long when, int tz_minutes,
			  const struct landing_kind *how, char oid[41]);

int store_commit(struct store *s, struct book_lock *l, const struct change_list *changes,
		 const char *msg, const char *name, const char *email, long long when,
		 int tz_minutes, char oid[41])
{
	struct landing_kind how = { NULL, NULL, "ae commit" };

	return commit_landing(s, l, changes, msg, name, email, when, tz_minutes, &how, oid);
}

/* A revision's commit: 0, or -1 (reported). */
static int rev_commit(struct store *s, const char *rev, git_oid *out)
{
	git_object *obj = NULL, *c = NULL;
	int r = -1;

	if (git_revparse_single(&obj, s->repo, rev) == 0 &&
	    git_object_peel(&c, obj, GIT_OBJECT_COMMIT) == 0) {
		git_oid_cpy(out, git_object_id(c));
		r = 0;
	} else {
		error("unknown revision '%s': %s", rev, store_error());
	}
	git_object_free(c);
	git_object_free(obj);
	return r;
}

int store_commit_merge(struct store *s, struct book_lock *l, const struct change_list *changes,
		       const char *theirs, const char *msg, const char *name, const char *email,
		       long long when, int tz_minutes, char oid[41])
{
	git_oid t;
	struct landing_kind how = { &t, NULL, "ae sync: merge" };

	if (rev_commit(s, theirs, &t) < 0)
		return -1;
	return commit_landing(s, l, changes, msg, name, email, when, tz_minutes, &how, oid);
}

int store_fast_forward(struct store *s, struct book_lock *l, const struct change_list *changes,
		       const char *target, char oid[41])
{
	git_oid t;
	struct landing_kind how = { NULL, &t, "ae sync: fast-forward" };

	if (rev_commit(s, target, &t) < 0)
		return -1;
	return commit_landing(s, l, changes, "", "ae", "ae@ae.invalid", 0, 0, &how, oid);
}

static int commit_landing(struct store *s, struct book_lock *l,
			  const struct change_list *changes, const char *msg, const char *name,
			  const char *email, long long when, int tz_minutes,
			  const struct landing_kind *how, char oid[41])
{
	git_signature *sig = NULL;
	struct landing land = { 0 };
	git_oid new_oid;
	int r = -1, wait = lock_wait_ms();

	if (!l)
		return error("internal error: a commit without the book lock");
	if (git_signature_new(&sig, name, email, when ? (git_time_t)when : (git_time_t)time(NULL),
			      tz_minutes) < 0) {
		error("bad author '%s <%s>': %s", name, email, store_error());
		return -1;
	}
	if (index_lock_take(s->gitdir, wait < INDEX_WAIT_MS ? wait : INDEX_WAIT_MS) < 0) {
		git_signature_free(sig);
		return -1;
	}
	for (int attempt = 0; attempt < REDO_LIMIT; attempt++) {
		r = commit_once(s, l, changes, msg, sig, how, &new_oid, &land);
		if (r != 2)
			break;
		store_sleep_ms(10 + attempt * 10);
	}
	if (r == 2) {
		error("the branch kept moving while committing; try again");
		r = -1;
	}
	if (r == 0 && install_new_index(s) < 0) {
		if (take_back(s, &land, &new_oid) == 0) {
			r = -1;
		} else {
			git_oid_tostr(oid, 41, &new_oid);
			error("the change is committed as %.7s, but the index could not be updated: the next ae command that changes the book finishes it",
			      oid);
			book_lock_keep_notes(l);
			r = -2;
		}
	}
	if (r == 0 && land.merged)
		git_repository_state_cleanup(s->repo);
	if (r != -2) {
		drop_new_index(s);
		if (index_lock_release(s->gitdir) < 0)
			warning("unable to remove %sindex.lock: %s; the next ae command will", s->gitdir,
				strerror(errno));
	}
	/* the repository's index is .git/index again for whatever follows */
	git_repository_set_index(s->repo, NULL);
	/* ae log's changed-path filters, kept up with the history */
	if (r == 0)
		store_graph_refresh(s);
	git_signature_free(sig);
	free(land.branch);
	if (r == 0)
		git_oid_tostr(oid, 41, &new_oid);
	return r;
}

int store_head_id(struct store *s, char out[41])
{
	git_oid oid;

	out[0] = '\0';
	if (git_repository_head_unborn(s->repo) == 1)
		return 0;
	if (git_reference_name_to_id(&oid, s->repo, "HEAD") < 0)
		return error("unable to read HEAD: %s", store_error());
	git_oid_tostr(out, 41, &oid);
	return 0;
}

/* Whether the commit hex is HEAD or one of its ancestors. */
static int landed(struct store *s, const char *hex)
{
	git_oid c, head;

	if (git_oid_fromstr(&c, hex) < 0 || git_reference_name_to_id(&head, s->repo, "HEAD") < 0)
		return 0;
	return git_oid_equal(&c, &head) || git_graph_descendant_of(s->repo, &head, &c) == 1;
}

int store_recover(struct store *s, struct book_lock *l)
{
	const char *commit = book_lock_prev(l, "commit");
	int done = commit && landed(s, commit);
	char *copy = gitpath(s, NEW_INDEX);

	if (index_lock_ours(s->gitdir)) {
		/* the killed writer held git's index lock: it is ours to finish */
		if (done && access(copy, F_OK) == 0) {
			if (install_new_index(s) < 0) {
				free(copy);
				return -1;
			}
			warning("finished updating the index for commit %.7s, which an interrupted ae had made",
				commit);
		}
		if (index_lock_release(s->gitdir) < 0) {
			error("unable to remove %sindex.lock, left by an interrupted ae: %s", s->gitdir,
			      strerror(errno));
			free(copy);
			return -1;
		}
		warning("removed %sindex.lock, left by an interrupted ae", s->gitdir);
	}
	drop_new_index(s);
	free(copy);
	/* the mark index_lock_take() links as index.lock, if a failed
	 * unlink left it: only the book lock's holder makes one */
	copy = gitpath(s, "ae-index-mark");
	(void)unlink(copy);
	free(copy);
	return done;
}
