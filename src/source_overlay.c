/* source_overlay.c -- one source seen through another: the paths named
 * come from `top` (or are absent there: deleted), all others from `base`.
 * Used to check the book as it will be after committing some paths. */
#include "source.h"

#include <stdlib.h>
#include <string.h>

#include "strmap.h"

struct source_overlay {
	struct source base;
	struct source *lower, *top;
	struct strmap paths;
	struct strlist keys;
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct source_entry *)a)->path, ((const struct source_entry *)b)->path);
}

static int ov_list(struct source *s, const char *dir, struct source_list *out)
{
	struct source_overlay *o = (struct source_overlay *)s;
	struct source_list lo = { 0 };
	size_t start = out->n, dlen = strlen(dir);

	if (o->lower->list(o->lower, dir, &lo) < 0) {
		source_list_release(&lo);
		return -1;
	}
	for (size_t i = 0; i < lo.n; i++) {
		if (lo.v[i].type != SRC_DIR && strmap_get(&o->paths, lo.v[i].path))
			continue;
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = lo.v[i];
		lo.v[i].path = NULL;
		lo.v[i].in_block = 0;
	}
	source_list_adopt_blocks(out, &lo);
	/* the named paths under dir that top has: asked one by one, since
	 * listing a folder of the work tree costs a stat per file */
	for (size_t i = 0; i < o->keys.n; i++) {
		const char *p = o->keys.v[i];
		if (strncmp(p, dir, dlen) || p[dlen] != '/' || !o->top->exists(o->top, p))
			continue;
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		memset(&out->v[out->n], 0, sizeof(out->v[out->n]));
		out->v[out->n].path = xstrdup(p);
		out->v[out->n].type = SRC_FILE;
		out->v[out->n].size = 0;
		out->n++;
	}
	if (out->n - start > 1)
		qsort(out->v + start, out->n - start, sizeof(*out->v), cmp_entry);
	source_list_release(&lo);
	return 0;
}

static struct source *which(struct source_overlay *o, const char *path)
{
	return strmap_get(&o->paths, path) ? o->top : o->lower;
}

static enum source_read_status ov_read(struct source *s, const char *path, size_t limit,
				       struct strbuf *out, const char **msg)
{
	struct source *src = which((struct source_overlay *)s, path);

	return src->read(src, path, limit, out, msg);
}

static int ov_exists(struct source *s, const char *path)
{
	struct source *src = which((struct source_overlay *)s, path);

	return src->exists(src, path);
}

static void ov_free(struct source *s)
{
	struct source_overlay *o = (struct source_overlay *)s;

	o->lower->free(o->lower);
	o->top->free(o->top);
	strmap_release(&o->paths);
	strlist_release(&o->keys);
	free(o);
}

struct source *source_overlay_new(struct source *lower, struct source *top,
				  const struct strlist *paths)
{
	struct source_overlay *o = xcalloc(1, sizeof(*o));

	o->lower = lower;
	o->top = top;
	for (size_t i = 0; i < paths->n; i++) {
		strlist_add(&o->keys, paths->v[i]);
		strmap_put(&o->paths, o->keys.v[o->keys.n - 1], (void *)1);
	}
	o->base.name = top->name;
	o->base.list = ov_list;
	o->base.read = ov_read;
	o->base.threads_ok = lower->threads_ok && top->threads_ok;
	o->base.exists = ov_exists;
	o->base.free = ov_free;
	return &o->base;
}
