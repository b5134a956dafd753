/*
 * sync_msg.c -- the message of a merge commit: what arrived, record by
 * record and field by field, and from whom; see sync.h.
 *
 * Who made a field's change is found in the trees of the commits the
 * merge brings (store_walk_changes()), never in their messages, so that
 * a rebased or hand-written message cannot attribute a change wrongly.
 */
#include "sync.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commitmsg.h"
#include "diag.h"
#include "merge_record.h"
#include "store_sync.h"
#include "strmap.h"
#include "utf8.h"

/* Commits of their side read to find who made each change. */
#define WHO_LIMIT 2000

/* One thing that arrived: a field of a record, a journal line, a file. */
struct item {
	char *path;
	char *key;		/* field key; a journal line's text; "*" the file */
	char *line;		/* how the message shows it */
	int resolved;		/* the merged value is neither side's */
	const char *who;	/* an author (in authors), or NULL */
};

struct arrival {
	struct item *v;
	size_t n, alloc;
	size_t pending;
	struct strlist authors;	/* "NAME <EMAIL>", owned */
	struct strlist names;	/* their names, in the order first seen */
};

static int is_journal(const char *path)
{
	return !strncmp(path, "journal/", 8);
}

static int is_ini(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && !strcmp(path + n - 4, ".ini");
}

static void add_item(struct arrival *a, const char *path, const char *key, char *line,
		     int resolved)
{
	struct item *it;

	ALLOC_GROW(a->v, a->n + 1, a->alloc);
	it = &a->v[a->n++];
	memset(it, 0, sizeof(*it));
	it->path = xstrdup(path);
	it->key = xstrdup(key);
	it->line = line;
	it->resolved = resolved;
	if (!resolved)
		a->pending++;
}

/* The lines of z that a lacks (as a multiset), in z's order. */
static void added_lines(const struct strbuf *a, const struct strbuf *z, struct strlist *out)
{
	struct strlist la = { 0 }, lz = { 0 };
	struct strmap count = { 0 };

	strlist_add_lines(&la, a->buf);
	strlist_add_lines(&lz, z->buf);
	/* a line's count in a, as a number kept in the map's pointer */
	for (size_t i = 0; i < la.n; i++)
		strmap_put(&count, la.v[i],
			   (void *)((uintptr_t)strmap_get(&count, la.v[i]) + 1));
	for (size_t i = 0; i < lz.n; i++) {
		uintptr_t c = (uintptr_t)strmap_get(&count, lz.v[i]);
		if (c) {
			strmap_put(&count, lz.v[i], (void *)(c - 1));
			continue;
		}
		if (lz.v[i][0] && lz.v[i][0] != '#')
			strlist_add(out, lz.v[i]);
	}
	strmap_release(&count);
	strlist_release(&la);
	strlist_release(&lz);
}

static size_t count_removed(const struct strbuf *a, const struct strbuf *z)
{
	struct strlist gone = { 0 };
	size_t n;

	added_lines(z, a, &gone);
	n = gone.n;
	strlist_release(&gone);
	return n;
}

/* What changed in path from ours to the result, as items. */
static void arrived_in(struct arrival *a, const char *path, const struct strbuf *ours,
		       int have_ours, const struct strbuf *theirs, int have_theirs,
		       const struct strbuf *res, int have_res)
{
	if (!have_res || !have_ours) {
		int same = have_res == have_theirs &&
			   (!have_res || (res->len == theirs->len &&
					  !memcmp(res->buf ? res->buf : "", theirs->buf ? theirs->buf : "", res->len)));
		add_item(a, path, "*", xstrdup(!have_res ? "deleted" : "new"), !same);
		return;
	}
	if (is_journal(path)) {
		struct strlist added = { 0 }, theirs_lines = { 0 };
		size_t removed = count_removed(ours, res);
		strlist_add_lines(&theirs_lines, theirs->buf);
		added_lines(ours, res, &added);
		for (size_t i = 0; i < added.n; i++) {
			int theirs_has = 0;
			for (size_t k = 0; k < theirs_lines.n && !theirs_has; k++)
				theirs_has = !strcmp(theirs_lines.v[k], added.v[i]);
			add_item(a, path, added.v[i], xasprintf("+ %s", added.v[i]), !theirs_has);
		}
		if (removed)
			add_item(a, path, "-", xasprintf("%zu line%s changed or removed", removed,
							 removed == 1 ? "" : "s"), 1);
		strlist_release(&added);
		strlist_release(&theirs_lines);
		return;
	}
	if (is_ini(path)) {
		struct strlist keys = { 0 }, lines = { 0 };
		field_changes(path, ours, res, &keys, &lines);
		for (size_t i = 0; i < keys.n; i++) {
			/* theirs' value arrived, or the merge made one of its own */
			int theirs_value = have_theirs &&
					   !merge_record_field_differs(theirs->buf ? theirs->buf : "", theirs->len,
								       res->buf ? res->buf : "", res->len, keys.v[i]);
			add_item(a, path, keys.v[i], lines.v[i], !theirs_value);
			lines.v[i] = NULL;
		}
		strlist_release(&keys);
		for (size_t i = 0; i < lines.n; i++)
			free(lines.v[i]);
		free(lines.v);
		return;
	}
	add_item(a, path, "*", xstrdup("changed"), 0);
}

static const char *author_of(struct arrival *a, const struct store_commit_info *c)
{
	char *id = xasprintf("%s <%s>", c->author, c->email);

	for (size_t i = 0; i < a->authors.n; i++)
		if (!strcmp(a->authors.v[i], id)) {
			free(id);
			return a->names.v[i];
		}
	strlist_add_owned(&a->authors, id);
	strlist_add(&a->names, c->author);
	return a->names.v[a->names.n - 1];
}

static int who_cb(const struct store_commit_info *c, const char *path, const struct strbuf *old,
		  int had_old, const struct strbuf *new, int has_new, void *arg)
{
	struct arrival *a = arg;
	struct strlist keys = { 0 }, lines = { 0 };
	int parsed = 0;

	for (size_t i = 0; i < a->n && a->pending; i++) {
		struct item *it = &a->v[i];
		int touched;
		if (it->who || it->resolved || strcmp(it->path, path))
			continue;
		if (!strcmp(it->key, "*")) {
			touched = 1;
		} else if (is_journal(path)) {
			if (!parsed) {
				added_lines(old, new, &keys);
				parsed = 1;
			}
			touched = 0;
			for (size_t k = 0; k < keys.n && !touched; k++)
				touched = !strcmp(keys.v[k], it->key);
		} else {
			if (!parsed) {
				field_changes(path, had_old ? old : NULL, has_new ? new : NULL, &keys, &lines);
				parsed = 1;
			}
			touched = 0;
			for (size_t k = 0; k < keys.n && !touched; k++)
				touched = !strcmp(keys.v[k], it->key);
		}
		if (touched) {
			it->who = author_of(a, c);
			a->pending--;
		}
	}
	strlist_release(&keys);
	strlist_release(&lines);
	return a->pending == 0;
}

char *merge_theirs_name(struct store *s, const char *hex)
{
	static const char *const globs[] = { "refs/remotes/*", "refs/heads/*" };
	char *name = NULL;

	for (size_t g = 0; g < ARRAY_SIZE(globs) && !name; g++) {
		struct strlist refs = { 0 };
		if (store_refs(s, globs[g], &refs) < 0)
			continue;
		for (size_t i = 0; i < refs.n && !name; i++) {
			char id[41];
			if (store_rev(s, refs.v[i], id) == 0 && !strcmp(id, hex) &&
			    !strstr(refs.v[i], "/HEAD"))
				name = xstrdup(refs.v[i] + (g ? 11 : 13));
		}
		strlist_release(&refs);
	}
	return name;
}

char *merge_message(const struct merge_msg_in *in)
{
	struct arrival a = { 0 };
	struct strbuf msg = STRBUF_INIT, body = STRBUF_INIT, sb = STRBUF_INIT;
	struct strlist paths = { 0 };
	struct strlist co = { 0 };
	struct strmap quiet = { 0 };
	const char *shown_name;
	char short_id[8];
	size_t nrec = 0;

	/* the versions read here (a file in conflict) are not what the user
	 * is told about: nothing of theirs is reported */
	diag_only(&quiet);
	snprintf(short_id, sizeof(short_id), "%.7s", in->theirs);
	shown_name = in->theirs_name ? in->theirs_name : short_id;
	for (size_t i = 0; i < in->changes->n; i++) {
		const char *p = in->changes->v[i].path, *m;
		struct strbuf o = STRBUF_INIT, t = STRBUF_INIT, r = STRBUF_INIT;
		int ho = store_read_at(in->s, in->ours, p, &o) == 0;
		int ht = store_read_at(in->s, in->theirs, p, &t) == 0;
		int hr = in->changes->v[i].type != CH_DELETED &&
			 in->result->read(in->result, p, (size_t)1 << 30, &r, &m) == SRC_OK;
		arrived_in(&a, p, &o, ho, &t, ht, &r, hr);
		strlist_add(&paths, p);
		sb_release(&o);
		sb_release(&t);
		sb_release(&r);
	}
	if (a.pending)
		store_walk_changes(in->s, in->theirs, in->ours, &paths, WHO_LIMIT, who_cb, &a);
	/* the body: each file, then its items */
	for (size_t i = 0; i < paths.n; i++) {
		char *l = commitmsg_label(paths.v[i]);
		int first = 1;
		for (size_t k = 0; k < a.n; k++) {
			const struct item *it = &a.v[k];
			if (strcmp(it->path, paths.v[i]))
				continue;
			if (first) {
				sb_addf(&body, "%s (%s)\n", l, paths.v[i]);
				first = 0;
			}
			sb_addf(&body, "  %s", it->line);
			if (it->who)
				sb_addf(&body, " (by %s)", it->who);
			else if (it->resolved)
				sb_addstr(&body, " (resolved in the merge)");
			sb_addch(&body, '\n');
		}
		if (first)
			sb_addf(&body, "%s (%s)\n", l, paths.v[i]);
		nrec++;
		free(l);
	}
	/* the summary line */
	if (in->summary && *in->summary) {
		sb_addstr(&sb, in->summary);
	} else {
		sb_addf(&sb, "merge %s: %zu file%s", shown_name, nrec, nrec == 1 ? "" : "s");
		for (size_t i = 0; i < a.names.n; i++)
			sb_addf(&sb, "%s%s", i ? ", " : " from ", a.names.v[i]);
	}
	for (char *p = sb.buf; p && *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (sb.len && utf8_width(sb.buf, sb.len) > 100) {
		size_t cut = utf8_prefix_for_width(sb.buf, sb.len, 99);
		sb.len = cut;
		sb.buf[cut] = '\0';
		sb_addstr(&sb, "…");
	}
	sb_addf(&msg, "%s\n\nFrom %s (%s):\n%s\n", sb.buf ? sb.buf : "", shown_name, short_id,
		body.buf ? body.buf : "");
	for (size_t i = 0; i < paths.n; i++)
		sb_addf(&msg, "Record: %s\n", paths.v[i]);
	for (size_t i = 0; i < a.authors.n; i++) {
		const char *lt = strrchr(a.authors.v[i], '<');
		if (in->me_email && lt && !strncmp(lt + 1, in->me_email, strlen(in->me_email)) &&
		    lt[1 + strlen(in->me_email)] == '>')
			continue;
		strlist_add(&co, a.authors.v[i]);
	}
	strlist_sort(&co);
	for (size_t i = 0; i < co.n; i++)
		sb_addf(&msg, "Co-authored-by: %s\n", co.v[i]);
	for (size_t i = 0; i < a.n; i++) {
		free(a.v[i].path);
		free(a.v[i].key);
		free(a.v[i].line);
	}
	free(a.v);
	strlist_release(&a.authors);
	strlist_release(&a.names);
	strlist_release(&co);
	strlist_release(&paths);
	sb_release(&body);
	sb_release(&sb);
	diag_only(NULL);
	strmap_release(&quiet);
	return sb_detach(&msg);
}
