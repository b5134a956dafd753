/* numbering.c -- see numbering.h */
#include "numbering.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "store.h"

struct removed_walk {
	struct removed_ids *r;
	int (*keep)(const char *id, void *arg);
	void *keep_arg;
	int (*skip)(const char *id, void *arg);	/* a present id not wanted, or NULL */
};

/* jobs/2026/CS-2611-03.ini -> CS-2611-03 (in buf), or NULL */
static const char *id_of_path(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/'), *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!dot || strcmp(dot, ".ini") || (size_t)(dot - base) >= size || dot == base)
		return NULL;
	memcpy(buf, base, (size_t)(dot - base));
	buf[dot - base] = '\0';
	return buf;
}

static int removed_want(const char *path, void *arg)
{
	struct removed_walk *w = arg;
	char id[256];

	return w->keep && id_of_path(path, id, sizeof(id)) && w->keep(id, w->keep_arg);
}

static int removed_one(const char *path, const struct strbuf *text, void *arg)
{
	struct removed_walk *w = arg;
	char id[256];
	const char *key;

	if (!id_of_path(path, id, sizeof(id)))
		return 0;
	if (!strmap_get(&w->r->text, id)) {
		key = arena_strdup(&w->r->arena, id);
		strlist_add(&w->r->ids, id);
	} else {
		key = id;	/* the map keeps its own key */
	}
	/* newest first: what is kept last is the first removal */
	strmap_put(&w->r->text, key, text ? (void *)arena_strndup(&w->r->arena, text->buf ? text->buf : "", text->len) :
		   strmap_get(&w->r->text, id) ? strmap_get(&w->r->text, id) : (void *)"");
	return 0;
}

static int present_one(const char *path, const struct strbuf *text, void *arg)
{
	struct removed_walk *w = arg;
	char id[256];

	(void)text;
	if (id_of_path(path, id, sizeof(id)) && !(w->skip && w->skip(id, w->keep_arg)))
		strlist_add(&w->r->ids, id);
	return 0;
}

void removed_ids_read(struct removed_ids *r, const struct book *b, int kind,
		      int (*keep)(const char *id, void *arg), void *keep_arg)
{
	removed_ids_read_skip(r, b, kind, keep, NULL, keep_arg);
}

void removed_ids_read_skip(struct removed_ids *r, const struct book *b, int kind,
			   int (*keep)(const char *id, void *arg),
			   int (*skip)(const char *id, void *arg), void *keep_arg)
{
	struct removed_walk w = { r, keep, keep_arg, skip };
	struct store *s = b->store;

	memset(r, 0, sizeof(*r));
	if (!s && b->root && !b->rev) {
		/* a warm check: from the files, without starting libgit2 */
		int q = store_removed_quick(b->root, b->fmts.kinds[kind].folder, removed_want,
					    removed_one, &w, present_one, &w);
		if (q) {
			r->history = q == 1;
			return;
		}
	}
	if (!s && b->root)
		s = store_try_open(b->root);
	if (s)
		r->history = store_removed(s, b->rev, b->fmts.kinds[kind].folder, removed_want,
					   removed_one, &w) == 0;
	/* and those of the commit checked against, which a change may remove
	 * (listed, their text not kept: they are no one's removed text) */
	if (s && r->history && store_present(s, b->rev, b->fmts.kinds[kind].folder, present_one, &w) < 0)
		r->history = 0;
	if (s && s != b->store)
		store_free(s);
}

void removed_ids_release(struct removed_ids *r)
{
	strmap_release(&r->text);
	strlist_release(&r->ids);
	arena_release(&r->arena);
}

void used_ids(const struct book *b, int kind, struct strlist *out)
{
	const char *folder = b->fmts.kinds[kind].folder;
	struct strlist paths = { 0 };
	struct removed_ids r;
	struct store *s;

	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].kind == kind)
			strlist_add(out, b->recs[i].id);
	removed_ids_read(&r, b, kind, NULL, NULL);
	for (size_t i = 0; i < r.ids.n; i++)
		strlist_add(out, r.ids.v[i]);
	removed_ids_release(&r);
	/* every number any branch has, fetched ones too (JOBNO-1) */
	if (b->root && (s = store_try_open(b->root))) {
		store_paths_ever(s, folder, &paths);
		store_free(s);
	}
	for (size_t i = 0; i < paths.n; i++) {
		const char *p = paths.v[i], *base, *dot;
		base = strrchr(p, '/') + 1;
		dot = strrchr(base, '.');
		if (dot && !strcmp(dot, ".ini"))
			strlist_add_owned(out, xstrndup(base, (size_t)(dot - base)));
	}
	strlist_release(&paths);
}

/* The highest number n among ids "prefix" followed by `digits` digits. */
static int highest(const struct strlist *used, const char *prefix, int digits)
{
	size_t plen = strlen(prefix);
	int best = 0;

	for (size_t i = 0; i < used->n; i++) {
		const char *id = used->v[i];
		if (strncmp(id, prefix, plen) || strspn(id + plen, "0123456789") < (size_t)digits)
			continue;
		{
			int n = 0;
			for (int k = 0; k < digits; k++)
				n = n * 10 + (id[plen + k] - '0');
			/* CS-2611-03-R1 counts as 03 */
			if (id[plen + digits] && id[plen + digits] != '-')
				continue;
			if (n > best)
				best = n;
		}
	}
	return best;
}

char *next_job(const struct strlist *used, const char *dept, moment_t when)
{
	int y, m, d, n;
	char *prefix;

	civil_from_days((int)(when / 1440), &y, &m, &d);
	prefix = xasprintf("%s-%02d%02d-", dept, y % 100, m);
	n = highest(used, prefix, 2) + 1;
	if (n > 99) {
		error("department %s has used all 99 job numbers of %04d-%02d", dept, y, m);
		free(prefix);
		return NULL;
	}
	{
		char *id = xasprintf("%s%02d", prefix, n);
		free(prefix);
		return id;
	}
}

char *next_revision(const struct strlist *used, const char *parent)
{
	char *prefix = xasprintf("%s-R", parent);
	int n = highest(used, prefix, 1) + 1;
	char *id = xasprintf("%s%d", prefix, n);

	free(prefix);
	return id;
}

char *next_client(const struct strlist *used, const char *city, const char *name, int day)
{
	int y, m, d, best = 0;
	char year[8];

	civil_from_days(day, &y, &m, &d);
	snprintf(year, sizeof(year), "%04d", y);
	/* the yearly number counts every client first contacted that year */
	for (size_t i = 0; i < used->n; i++) {
		const char *id = used->v[i], *a = strchr(id, '-'), *z = strrchr(id, '-');
		if (!a || !z || z == a || strncmp(a + 1, year, 4) || strlen(z + 1) != 3 ||
		    strspn(z + 1, "0123456789") != 3)
			continue;
		if (atoi(z + 1) > best)
			best = atoi(z + 1);
	}
	if (best >= 999) {
		error("all 999 client numbers of %d are used", y);
		return NULL;
	}
	return xasprintf("%s-%04d%02d-%s-%03d", city, y, m, name, best + 1);
}

char *next_daily(const struct strlist *used, const char *prefix, int day)
{
	int y, m, d, n;
	char *p;
	char *id;

	civil_from_days(day, &y, &m, &d);
	p = xasprintf("%s-%04d%02d%02d-", prefix, y, m, d);
	n = highest(used, p, 2) + 1;
	if (n > 99) {
		error("all 99 numbers of %s are used", p);
		free(p);
		return NULL;
	}
	id = xasprintf("%s%02d", p, n);
	free(p);
	return id;
}
