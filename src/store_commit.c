/* store_commit.c -- committing the book under the writer lock, with a
 * compare-and-swap on the branch; see store.h. */
#include "store_int.h"

#include <time.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "gitlock.h"

#define INDEX_WAIT_MS 5000
#define REDO_LIMIT 20

/* -- committing -- */

static int write_index(git_index *idx)
{
	int waited = 0, r;

	while ((r = git_index_write(idx)) == GIT_ELOCKED && waited < INDEX_WAIT_MS) {
		store_sleep_ms(25);
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
		char *p = store_full(s, changes->v[i].path);
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
	if (store_merge_head(s, &theirs_oid) == 0) {
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
	if (parent && store_merge_head(s, &theirs_oid) == 0 &&
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
		store_sleep_ms(10 + attempt * 10);
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

