/* source_mem.c -- a book held in memory (tests, fuzzers); see source.h. */
#include "source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

struct mem_file {
	char *path, *data;
	size_t len;
};

struct source_mem {
	struct source base;
	struct mem_file *v;	/* in path_cmp() order */
	size_t n, alloc;
};

/* strcmp() with '/' before every other byte: the order of a tree walk. */
static int path_cmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	if (*a == *b)
		return 0;
	if (!*a || *a == '/')
		return -1;
	if (!*b || *b == '/')
		return 1;
	return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
}

static struct mem_file *find(struct source_mem *m, const char *path)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->v[i].path, path))
			return &m->v[i];
	return NULL;
}

/* Whether path is a folder: some file lies under it. */
static int is_dir(struct source_mem *m, const char *path)
{
	size_t n = strlen(path);

	for (size_t i = 0; i < m->n; i++)
		if (!strncmp(m->v[i].path, path, n) && m->v[i].path[n] == '/')
			return 1;
	return 0;
}

static void add_entry(struct source_list *l, const char *path, size_t n,
		      enum source_entry_type t, size_t size)
{
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	l->v[l->n].path = xstrndup(path, n);
	l->v[l->n].type = t;
	l->v[l->n].size = size;
	l->n++;
}

static int mem_list(struct source *s, const char *dir, struct source_list *out)
{
	struct source_mem *m = (struct source_mem *)s;
	size_t n = strlen(dir);
	const char *prev = NULL;

	if (find(m, dir)) {
		diag_at(DIAG_SYSTEM, dir, 0, 0, NULL, "unable to read folder: %s",
			strerror(ENOTDIR));
		return -1;
	}
	for (size_t i = 0; i < m->n; i++) {
		const char *path = m->v[i].path, *rel = path + n + 1;

		if (strncmp(path, dir, n) || path[n] != '/' || *rel == '.' ||
		    strstr(rel, "/."))
			continue;
		/* the folders on the way, each before its first file */
		for (const char *p = strchr(rel, '/'); p; p = strchr(p + 1, '/')) {
			size_t k = (size_t)(p - path);
			if (!prev || strncmp(prev, path, k + 1))
				add_entry(out, path, k, SRC_DIR, 0);
		}
		add_entry(out, path, strlen(path), SRC_FILE, m->v[i].len);
		prev = path;
	}
	return 0;
}

static enum source_read_status mem_read(struct source *s, const char *path,
					size_t limit, struct strbuf *out,
					const char **msg)
{
	struct source_mem *m = (struct source_mem *)s;
	struct mem_file *f = find(m, path);

	*msg = NULL;
	if (!f)
		return is_dir(m, path) ? SRC_NOT_REGULAR : SRC_MISSING;
	if (f->len > limit)
		return SRC_TOO_BIG;
	sb_reset(out);
	sb_add(out, f->data, f->len);
	return SRC_OK;
}

static int mem_exists(struct source *s, const char *path)
{
	struct source_mem *m = (struct source_mem *)s;

	return find(m, path) || is_dir(m, path);
}

static void mem_free(struct source *s)
{
	struct source_mem *m = (struct source_mem *)s;

	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].path);
		free(m->v[i].data);
	}
	free(m->v);
	free(m);
}

struct source *source_mem_new(void)
{
	struct source_mem *m = xcalloc(1, sizeof(*m));

	m->base.name = "memory";
	m->base.list = mem_list;
	m->base.read = mem_read;
	m->base.threads_ok = 1;
	m->base.exists = mem_exists;
	m->base.free = mem_free;
	return &m->base;
}

void source_mem_put(struct source *s, const char *path, const char *data,
		    size_t len)
{
	struct source_mem *m = (struct source_mem *)s;
	struct mem_file *f = find(m, path);

	if (f) {
		free(f->data);
	} else {
		size_t i = 0;

		ALLOC_GROW(m->v, m->n + 1, m->alloc);
		while (i < m->n && path_cmp(m->v[i].path, path) < 0)
			i++;
		memmove(m->v + i + 1, m->v + i, (m->n - i) * sizeof(*m->v));
		m->n++;
		f = &m->v[i];
		f->path = xstrdup(path);
	}
	f->data = xmalloc(len + 1);
	if (len)
		memcpy(f->data, data, len);
	f->data[len] = '\0';
	f->len = len;
}
