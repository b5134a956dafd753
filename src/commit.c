/* commit.c -- checking and committing a change to the book; see commit.h. */
#include "commit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "clonesetup.h"
#include "commitmsg.h"
#include "diag.h"
#include "edit.h"
#include "identity.h"
#include "rules.h"
#include "safepath.h"
#include "store.h"
#include "strmap.h"
#include "sync.h"
#include "tz.h"

/* Who is committing: --as, then the rule of identity.h. */
static const struct staff *whoami(const struct book *b, struct store *s, const char *as,
				  char **email_out)
{
	struct identity id;
	const struct staff *st = NULL;

	(void)s;
	if (identity_find(&id, &b->cfg, b->root, as) == 0 && !(st = id.staff)) {
		char *why = identity_unknown_text(&id);
		error("%s, or commit with --as STAFF", why);
		free(why);
	}
	if (st) {
		if (st->email)
			*email_out = xstrdup(st->email);
		else if (id.git_email)
			*email_out = xstrdup(id.git_email);
		else
			*email_out = xasprintf("%s@ae.invalid", st->id);
	}
	identity_release(&id);
	return st;
}

/* Fields that rules read from other records than their own. */
static int depended_on(const struct book *b, int kind, const struct fieldspec *fd)
{
	/* a client's owners decide who approves its letters and reviews
	 * (ORG-3, ORG-4); a ticket's status, whether its original may be
	 * closed (JOB-5) */
	static const char *const read_across[K__N][6] = {
		[K_CLIENT] = { "strategy", "strategy_agreed", "ae", "am", "ad", NULL },
		[K_JOB] = { "form", "opened", "status", NULL },
		[K_CONTACT] = { "occasion", NULL },
	};

	(void)b;
	if (ftype_ref_kind(fd->type) >= 0 || fd->unique || !strcmp(fd->name, "id"))
		return 1;
	for (int i = 0; i < 6 && read_across[kind][i]; i++)
		if (!strcmp(fd->name, read_across[kind][i]))
			return 1;
	return 0;
}

static int kind_of_path(const struct book *b, const char *path)
{
	for (int k = 0; k < K__N; k++) {
		size_t n = strlen(b->fmts.kinds[k].folder);
		if (!strncmp(path, b->fmts.kinds[k].folder, n) && path[n] == '/')
			return k;
	}
	return -1;
}

/* Whether a modified record changed a field other records depend on. */
static int changes_dependencies(const struct book *b, struct source *old, struct source *new,
				const char *path)
{
	struct strbuf a = STRBUF_INIT, z = STRBUF_INIT;
	const char *msg;
	int kind = kind_of_path(b, path), ret = 0;

	if (kind < 0 || !old || old->read(old, path, (size_t)1 << 30, &a, &msg) != SRC_OK) {
		ret = kind < 0;
		goto out;
	}
	if (new->read(new, path, (size_t)1 << 30, &z, &msg) != SRC_OK) {
		/* made a link, a folder, too big: the whole book says it as ever */
		ret = 1;
		goto out;
	}
	for (int f = 0; f < b->fmts.kinds[kind].nfields && !ret; f++) {
		const struct fieldspec *fd = &b->fmts.kinds[kind].fields[f];
		char *va, *vz;
		if (!depended_on(b, kind, fd))
			continue;
		va = edit_get(a.buf ? a.buf : "", a.len, fd->name);
		vz = edit_get(z.buf ? z.buf : "", z.len, fd->name);
		ret = (va || vz) && (!va || !vz || strcmp(va, vz));
		free(va);
		free(vz);
	}
out:
	sb_release(&a);
	sb_release(&z);
	return ret;
}

struct strmap *change_plan(const struct book *b, struct source *old, struct source *new,
			   const struct change_list *changes, struct strlist *keys, int *alone)
{
	struct strmap *m;

	/* modified records, changing no field others read: nothing else matters */
	*alone = 1;
	for (size_t i = 0; i < changes->n; i++)
		if (changes->v[i].type != CH_MODIFIED || !strncmp(changes->v[i].path, "journal/", 8))
			*alone = 0;

	for (size_t i = 0; i < changes->n; i++) {
		const char *p = changes->v[i].path;
		if (changes->v[i].type == CH_DELETED || !strcmp(p, "ae.ini") ||
		    !strncmp(p, "formats/", 8) || !strncmp(p, "calendar/", 9) || !strchr(p, '/'))
			return NULL;
		if (changes->v[i].type == CH_MODIFIED && strncmp(p, "journal/", 8) &&
		    changes_dependencies(b, old, new, p))
			return NULL;
	}
	m = xcalloc(1, sizeof(*m));
	for (size_t i = 0; i < changes->n; i++) {
		strlist_add(keys, changes->v[i].path);
		strmap_put(m, keys->v[keys->n - 1], (void *)1);
	}
	return m;
}

int book_after(struct globals *g, const char *root, struct source *top,
	       const struct change_list *changes, struct book *b)
{
	struct store *head_store = store_open(root, 0);
	/* while a merge is concluded the work tree holds what both sides
	 * made, so it, not HEAD, is the book under the change */
	int use_head = head_store && !store_head_unborn(head_store) && !store_merging(head_store);
	struct source *head = use_head ? store_source_rev(head_store, "HEAD") : NULL;
	struct source *old = use_head ? store_source_rev(head_store, "HEAD") : NULL;
	struct source *src, *shipped;
	struct strlist paths = { 0 }, keys = { 0 };
	struct strmap *plan = NULL;
	char *dir = formats_shipped_dir(g->argv0);
	int r, alone = 0;

	for (size_t i = 0; i < changes->n; i++)
		strlist_add(&paths, changes->v[i].path);
	if (head) {
		src = source_overlay_new(head, top, &paths);
	} else {
		src = source_overlay_new(source_fs_new(root), top, &paths);
		store_free(head_store);
		head_store = NULL;
	}
	shipped = source_fs_new(dir);
	free(dir);
	r = book_open_source(b, src, shipped);
	b->store = head_store;
	b->root = xstrdup(root);
	book_now(g, b);
	if (r == 0) {
		plan = change_plan(b, old, src, changes, &keys, &alone);
		diag_only(plan);
		if (plan)
			book_load_only(b, plan, alone && old);
		else
			book_load(b);
		rules_check(b);
		diag_only(NULL);
	}
	if (old)
		old->free(old);
	if (plan)
		strmap_release(plan);
	free(plan);
	strlist_release(&keys);
	strlist_release(&paths);
	return r < 0 ? -1 : 0;
}

const struct staff *commit_identity(const struct book *b, const char *root, const char *as)
{
	struct store *s = store_open(root, 0);
	char *email = NULL;
	const struct staff *st;

	if (!s)
		return NULL;
	st = whoami(b, s, as, &email);
	free(email);
	store_free(s);
	return st;
}

/*
 * A change reached through a symbolic link (a folder of the book made a
 * link to one outside it, or the file itself a link): libgit2 would
 * read through it and commit what lies outside.  Reported by name.
 */
static int through_link(const char *root, const struct change_list *changes)
{
	int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret = 0;

	if (rootfd < 0)
		return error("unable to open the book's folder '%s': %s", root, strerror(errno));
	for (size_t i = 0; i < changes->n && !ret; i++) {
		const char *p = changes->v[i].path;
		char *link = NULL, *dir, *base;
		int fd;

		safe_split(p, &dir, &base);
		if (changes->v[i].type == CH_DELETED)
			fd = safe_opendir(rootfd, dir, 0, &link);
		else
			fd = safe_open(rootfd, p, O_RDONLY | O_NONBLOCK, 0, &link);
		if (fd >= 0)
			close(fd);
		else if (errno == ELOOP && link)
			ret = error("'%s' is a symbolic link; ae commits only what lies inside the book, so '%s' is not committed (make it a plain %s)",
				    link, p, strcmp(link, p) ? "folder" : "file");
		free(link);
		free(dir);
		free(base);
	}
	close(rootfd);
	return ret;
}

void commit_when(const struct globals *g, const struct book *b, long long *when, int *offset)
{
	/* dated on the book's wall clock: a Shanghai book's diary reads +0800;
	 * --now dates the commit too, so a scripted history is reproducible */
	time_t now = g->now_given ? tz_to_utc(b->cfg.timezone, g->now) : time(NULL);
	moment_t wall = tz_from_utc(b->cfg.timezone, now);

	*offset = (int)(wall - (moment_t)(now / 60));
	*when = (long long)now;
}

int commit_author(const struct book *b, const char *as, char **name, char **email)
{
	struct store *s = store_open(b->root, 0);
	const struct staff *st;

	*name = *email = NULL;
	if (!s)
		return -1;
	st = whoami(b, s, as, email);
	store_free(s);
	if (!st)
		return -1;
	*name = xstrdup(st->name ? st->name : st->id);
	return 0;
}

/*
 * Concluding a merge: the paths still in conflict in the index whose
 * files the work tree has as HEAD has them (settled as ours) are staged
 * too, as settled.  0, or -1.
 */
static int merge_unsettled(struct store *s, const char *root, struct change_list *changes)
{
	struct strlist conflicts = { 0 };

	if (store_conflicts(s, &conflicts) < 0)
		return -1;
	for (size_t i = 0; i < conflicts.n; i++) {
		char *full = xasprintf("%s/%s", root, conflicts.v[i]);
		int listed = 0;
		for (size_t k = 0; k < changes->n && !listed; k++)
			listed = !strcmp(changes->v[k].path, conflicts.v[i]);
		if (!listed) {
			ALLOC_GROW(changes->v, changes->n + 1, changes->alloc);
			changes->v[changes->n].path = xstrdup(conflicts.v[i]);
			changes->v[changes->n++].type = access(full, F_OK) == 0 ? CH_MODIFIED : CH_DELETED;
		}
		free(full);
	}
	strlist_release(&conflicts);
	return 0;
}

int commit_book(struct globals *g, const char *root, const struct strlist *paths,
		const struct commit_opts *o, int *landed)
{
	struct strlist changed = { 0 };
	struct change_list changes = { 0 };
	struct store *s = NULL;
	struct book b;
	const struct staff *me;
	char *email = NULL, *msg = NULL, oid[41];
	int status = 0, r, opened = 0, merging = 0;

	if (landed)
		*landed = 0;
	if (!(s = store_open(root, 1))) {
		status = EXIT_SYSTEM;
		goto out;
	}
	if (!g->lock) {
		/* every caller took it before reading what it changes */
		error("internal error: committing without the book lock");
		status = EXIT_SYSTEM;
		goto out;
	}
	clone_setup_warn(root);
	merging = store_merging(s);
	/* a merge is concluded whole: everything it brought, not some paths */
	if (store_changes(s, merging ? NULL : paths, &changes) < 0 ||
	    (merging && merge_unsettled(s, root, &changes) < 0)) {
		status = EXIT_SYSTEM;
		goto out;
	}
	if (!changes.n && !merging) {
		/* a merge settled all on this side's values still concludes */
		if (!o->quiet)
			printf("nothing to commit: the book is as HEAD has it\n");
		goto out;
	}
	if (through_link(root, &changes) < 0) {
		status = EXIT_BAD_RECORDS;
		goto out;
	}
	for (size_t i = 0; i < changes.n; i++)
		strlist_add(&changed, changes.v[i].path);
	diag_setup(stderr, DIAG_TEXT, want_color(stderr));
	opened = 1;
	if (book_after(g, root, source_fs_new(root), &changes, &b) < 0) {
		status = EXIT_SYSTEM;
		goto out;
	}
	/* the fields of two tickets in one record, after a renumber */
	if (merging)
		renumber_check_merging(s, b.src, 0);
	if (diag_count(DIAG_ERROR) || diag_count(DIAG_SYSTEM)) {
		diag_flush();
		error(merging ? "the merge is not concluded: fix the errors above ('ae check' shows them again)" :
		      "nothing committed: fix the errors above ('ae check' shows them again)");
		status = EXIT_BAD_RECORDS;
		goto out;
	}
	diag_flush();	/* warnings */
	if (!(me = whoami(&b, s, o->as, &email))) {
		status = EXIT_USAGE;
		goto out;
	}
	if (merging) {
		char theirs[41], head[41];
		struct merge_msg_in mi = { s, head, theirs, NULL, b.src, &changes, o->summary, email };
		if (store_rev(s, "MERGE_HEAD", theirs) != 0 || store_head_id(s, head) < 0) {
			status = EXIT_SYSTEM;
			goto out;
		}
		mi.theirs_name = merge_theirs_name(s, theirs);
		msg = merge_message(&mi);
		free((char *)mi.theirs_name);
	} else {
		struct strlist others = { 0 };
		msg = commit_message(&b, s, &changes, o->summary, me, &others);
		/* an approval is its giver's own act: typed for another, it is
		 * committed as a change, without their Approved-by: */
		for (size_t i = 0; i < others.n; i++)
			warning("%s, but %s commits: no Approved-by: trailer; %s gives it by running 'ae sign' or 'ae approve'",
				others.v[i], me->id, strrchr(others.v[i], ' ') + 1);
		strlist_release(&others);
	}
	diag_reset();
	{
		long long now;
		int offset;
		commit_when(g, &b, &now, &offset);
		r = store_commit(s, g->lock, &changes, msg, me->name ? me->name : me->id, email,
				 now, offset, oid);
	}
	if (r < 0) {
		status = EXIT_SYSTEM;
		if (landed)
			*landed = r == -2;
	} else if (r == 1) {
		if (!o->quiet)
			printf("nothing to commit: the book is as HEAD has it\n");
	} else if (!o->quiet) {
		char *nl = strchr(msg, '\n');
		printf("[%.7s] %.*s\n", oid, nl ? (int)(nl - msg) : (int)strlen(msg), msg);
		for (size_t i = 0; i < changes.n; i++)
			printf(" %s %s\n", changes.v[i].type == CH_ADDED ? "new     " :
			       changes.v[i].type == CH_DELETED ? "deleted " : "modified", changes.v[i].path);
	}
out:
	if (opened)
		book_release(&b);
	store_free(s);
	change_list_release(&changes);
	strlist_release(&changed);
	free(email);
	free(msg);
	return status;
}
