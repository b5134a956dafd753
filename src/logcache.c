/* logcache.c -- what each commit changed from its parent, kept for ae log;
 * see logcache.h. */
#include "logcache.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "fileio.h"
#include "util.h"

/*
 * The file, little-endian:
 *   "ae log-cache 1\n\0"                       16 bytes
 *   the number of commits kept                  u32
 *   that many entries, sorted by commit id:     commit id (20), parent id (20),
 *                                               offset of its changes in the data (u32),
 *                                               their number (u32)
 *   the data: each change                       its path's length (u16), the path,
 *                                               the old and the new blob id (20 + 20);
 *                                               one commit's changes together, by path
 *   a CRC-32 of everything before it            u32
 */
static const char magic[16] = "ae log-cache 1\n";
#define ID LOGCACHE_ID
#define HEAD_BYTES (sizeof(magic) + 4)
#define ENTRY_BYTES (2 * ID + 8)
#define MAX_CHANGES 20000		/* a commit that changed more is not kept */
#define MAX_FILE ((size_t)256 << 20)	/* nor anything past this size */

struct kept_change {
	char *path;
	unsigned char old[ID], new[ID];
};

struct added {
	unsigned char commit[ID], parent[ID];
	size_t first, n;		/* its changes in ch */
};

struct log_cache {
	char *dir, *file;
	unsigned char *map;		/* the file as read (mapped), or NULL */
	size_t size;
	uint32_t count;
	const unsigned char *entries, *data;
	size_t data_len;
	struct added *add;		/* kept this run, for the file */
	size_t nadd, alloc_add;
	struct kept_change *ch;
	size_t nch, alloc_ch;
};

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	sb_add(sb, (const char *)b, 4);
}

static uint32_t crc(const unsigned char *p, size_t n)
{
	uLong c = crc32(0L, Z_NULL, 0);

	while (n) {
		uInt step = n > (1u << 30) ? 1u << 30 : (uInt)n;
		c = crc32(c, p, step);
		p += step;
		n -= step;
	}
	return (uint32_t)c;
}

/* The file mapped and checked; nothing kept when it is not whole. */
static void read_file(struct log_cache *lc)
{
	int fd = open(lc->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	unsigned char *p;
	size_t body;

	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)(HEAD_BYTES + 4) ||
	    (uint64_t)st.st_size > MAX_FILE) {
		close(fd);
		return;
	}
	lc->size = (size_t)st.st_size;
	p = mmap(NULL, lc->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return;
	lc->map = p;
	body = lc->size - 4;
	if (memcmp(p, magic, sizeof(magic)) || rd32(p + body) != crc(p, body))
		goto bad;
	lc->count = rd32(p + sizeof(magic));
	if ((uint64_t)lc->count * ENTRY_BYTES > body - HEAD_BYTES)
		goto bad;
	lc->entries = p + HEAD_BYTES;
	lc->data = lc->entries + (size_t)lc->count * ENTRY_BYTES;
	lc->data_len = (size_t)(p + body - lc->data);
	/* sorted, each commit once: what the search and the writer's merge
	 * rely on */
	for (uint32_t i = 1; i < lc->count; i++)
		if (memcmp(lc->entries + (size_t)(i - 1) * ENTRY_BYTES,
			   lc->entries + (size_t)i * ENTRY_BYTES, ID) >= 0)
			goto bad;
	return;
bad:
	munmap(lc->map, lc->size);
	lc->map = NULL;
	lc->count = 0;
	lc->entries = lc->data = NULL;
	lc->data_len = 0;
}

struct log_cache *log_cache_open(const char *gitdir)
{
	struct log_cache *lc = xcalloc(1, sizeof(*lc));
	const char *off = getenv("AE_CACHE");

	if (off && !strcmp(off, "0"))
		return lc;
	lc->dir = xasprintf("%sae", gitdir);
	lc->file = xasprintf("%sae/log-cache", gitdir);
	read_file(lc);
	return lc;
}

/* The file's entry of commit, or NULL. */
static const unsigned char *find(const struct log_cache *lc, const unsigned char commit[ID])
{
	uint32_t lo = 0, hi = lc->count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const unsigned char *e = lc->entries + (size_t)mid * ENTRY_BYTES;
		int c = memcmp(e, commit, ID);
		if (!c)
			return e;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Walk the n changes of an entry from data offset at: for each, fn (when
 * not NULL) with its path (len bytes) and ids; a non-zero return stops
 * with it.  The bytes they take (*bytes), or -1 when they do not fit.
 */
static int each_change(const struct log_cache *lc, size_t at, uint32_t n, size_t *bytes,
		       int (*fn)(const unsigned char *path, size_t len, const unsigned char *ids, void *arg),
		       void *arg)
{
	size_t start = at;

	if (at > lc->data_len)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		size_t len;
		int r;
		if (lc->data_len - at < 2)
			return -1;
		len = (size_t)lc->data[at] | (size_t)lc->data[at + 1] << 8;
		if (lc->data_len - at - 2 < len + 2 * ID)
			return -1;
		if (fn && (r = fn(lc->data + at + 2, len, lc->data + at + 2 + len, arg)) != 0)
			return r;
		at += 2 + len + 2 * ID;
	}
	*bytes = at - start;
	return 0;
}

struct wanted {
	const char *path;
	size_t len;
	unsigned char *old, *new;
};

static int is_wanted(const unsigned char *path, size_t len, const unsigned char *ids, void *arg)
{
	struct wanted *w = arg;

	if (len != w->len || memcmp(path, w->path, len))
		return 0;
	memcpy(w->old, ids, ID);
	memcpy(w->new, ids + ID, ID);
	return 1;
}

int log_cache_path(const struct log_cache *lc, const unsigned char commit[ID],
		   const unsigned char parent[ID], const char *path, unsigned char old[ID],
		   unsigned char new[ID])
{
	const unsigned char *e = lc->count ? find(lc, commit) : NULL;
	struct wanted w = { path, strlen(path), old, new };
	size_t bytes;

	/* the entry checked whole first: a damaged one says nothing, even
	 * about a path before the damage (the writer drops it) */
	if (!e || memcmp(e + ID, parent, ID) ||
	    each_change(lc, rd32(e + 2 * ID), rd32(e + 2 * ID + 4), &bytes, NULL, NULL) < 0)
		return -1;
	switch (each_change(lc, rd32(e + 2 * ID), rd32(e + 2 * ID + 4), &bytes, is_wanted, &w)) {
	case 0:
		return 0;
	case 1:
		return 1;
	default:
		return -1;	/* a damaged entry says nothing */
	}
}

struct each {
	void (*fn)(const char *path, size_t len, const unsigned char *old,
		   const unsigned char *new, void *arg);
	void *arg;
};

static int call_each(const unsigned char *path, size_t len, const unsigned char *ids, void *arg)
{
	struct each *e = arg;

	e->fn((const char *)path, len, ids, ids + ID, e->arg);
	return 0;
}

int log_cache_each(const struct log_cache *lc, const unsigned char commit[ID],
		   const unsigned char parent[ID],
		   void (*fn)(const char *path, size_t len, const unsigned char *old,
			      const unsigned char *new, void *arg),
		   void *arg)
{
	const unsigned char *e = lc->count ? find(lc, commit) : NULL;
	struct each each = { fn, arg };
	size_t bytes;

	/* the entry checked whole before the first call */
	if (!e || memcmp(e + ID, parent, ID) ||
	    each_change(lc, rd32(e + 2 * ID), rd32(e + 2 * ID + 4), &bytes, NULL, NULL) < 0)
		return -1;
	return each_change(lc, rd32(e + 2 * ID), rd32(e + 2 * ID + 4), &bytes, call_each, &each);
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const struct kept_change *)a)->path, ((const struct kept_change *)b)->path);
}

static int is_zero(const unsigned char *id)
{
	for (int i = 0; i < ID; i++)
		if (id[i])
			return 0;
	return 1;
}

void log_cache_add(struct log_cache *lc, const unsigned char commit[ID],
		   const unsigned char parent[ID], const struct log_change *v, size_t n)
{
	struct added *a;
	size_t out;

	if (!lc->file || n > MAX_CHANGES)
		return;
	for (size_t i = 0; i < n; i++)
		if (strlen(v[i].path) > UINT16_MAX)
			return;
	ALLOC_GROW(lc->add, lc->nadd + 1, lc->alloc_add);
	a = &lc->add[lc->nadd++];
	memcpy(a->commit, commit, ID);
	memcpy(a->parent, parent, ID);
	a->first = lc->nch;
	ALLOC_GROW(lc->ch, lc->nch + n, lc->alloc_ch);
	for (size_t i = 0; i < n; i++) {
		struct kept_change *k = &lc->ch[lc->nch + i];
		k->path = xstrdup(v[i].path);
		memcpy(k->old, v[i].old, ID);
		memcpy(k->new, v[i].new, ID);
	}
	if (n)
		qsort(lc->ch + a->first, n, sizeof(*lc->ch), cmp_change);
	/* a path twice (a file that became something else: removed, then
	 * added): one change, from the one's old blob to the other's new */
	out = 0;
	for (size_t i = 0; i < n; i++) {
		struct kept_change *k = &lc->ch[a->first + i];
		if (out && !strcmp(lc->ch[a->first + out - 1].path, k->path)) {
			struct kept_change *was = &lc->ch[a->first + out - 1];
			if (is_zero(was->old))
				memcpy(was->old, k->old, ID);
			if (is_zero(was->new))
				memcpy(was->new, k->new, ID);
			free(k->path);
			continue;
		}
		lc->ch[a->first + out++] = *k;
	}
	a->n = out;
	lc->nch = a->first + out;
}

static int cmp_added(const void *a, const void *b)
{
	return memcmp(((const struct added *)a)->commit, ((const struct added *)b)->commit, ID);
}

/* Put an entry and its changes' bytes: into the entries and the data. */
static void put_entry(struct strbuf *entries, struct strbuf *data, const unsigned char *commit,
		      const unsigned char *parent, const void *changes, size_t bytes, uint32_t n)
{
	sb_add(entries, (const char *)commit, ID);
	sb_add(entries, (const char *)parent, ID);
	put32(entries, (uint32_t)data->len);
	put32(entries, n);
	sb_add(data, changes, bytes);
}

static void put_added(struct strbuf *entries, struct strbuf *data, const struct log_cache *lc,
		      const struct added *a)
{
	struct strbuf ch = STRBUF_INIT;

	for (size_t i = a->first; i < a->first + a->n; i++) {
		size_t len = strlen(lc->ch[i].path);
		unsigned char l[2] = { (unsigned char)len, (unsigned char)(len >> 8) };
		sb_add(&ch, (const char *)l, 2);
		sb_add(&ch, lc->ch[i].path, len);
		sb_add(&ch, (const char *)lc->ch[i].old, ID);
		sb_add(&ch, (const char *)lc->ch[i].new, ID);
	}
	put_entry(entries, data, a->commit, a->parent, ch.buf ? ch.buf : "", ch.len, (uint32_t)a->n);
	sb_release(&ch);
}

/* The file's entries and this run's, merged by commit id (the file's
 * entry kept when both have one), written whole. */
static void write_file(struct log_cache *lc)
{
	struct strbuf entries = STRBUF_INIT, data = STRBUF_INIT, file = STRBUF_INIT;
	size_t i = 0, j = 0, count = 0;

	qsort(lc->add, lc->nadd, sizeof(*lc->add), cmp_added);
	while (i < lc->count || j < lc->nadd) {
		const unsigned char *e = i < lc->count ? lc->entries + i * ENTRY_BYTES : NULL;
		int c = !e ? 1 : j == lc->nadd ? -1 : memcmp(e, lc->add[j].commit, ID);
		size_t bytes, at;

		if (c <= 0) {
			at = rd32(e + 2 * ID);
			if (each_change(lc, at, rd32(e + 2 * ID + 4), &bytes, NULL, NULL) == 0) {
				put_entry(&entries, &data, e, e + ID, lc->data + at, bytes,
					  rd32(e + 2 * ID + 4));
				count++;
			}
			i++;
			if (c == 0)
				j++;
		} else {
			if (!j || memcmp(lc->add[j - 1].commit, lc->add[j].commit, ID)) {
				put_added(&entries, &data, lc, &lc->add[j]);
				count++;
			}
			j++;
		}
	}
	if (HEAD_BYTES + entries.len + data.len + 4 <= MAX_FILE && count <= UINT32_MAX) {
		sb_add(&file, magic, sizeof(magic));
		put32(&file, (uint32_t)count);
		sb_add(&file, entries.buf ? entries.buf : "", entries.len);
		sb_add(&file, data.buf ? data.buf : "", data.len);
		put32(&file, crc((const unsigned char *)file.buf, file.len));
		cache_file_put(lc->dir, lc->file, file.buf, file.len);
	}
	sb_release(&entries);
	sb_release(&data);
	sb_release(&file);
}

void log_cache_close(struct log_cache *lc)
{
	if (!lc)
		return;
	if (lc->nadd)
		write_file(lc);
	if (lc->map)
		munmap(lc->map, lc->size);
	for (size_t i = 0; i < lc->nch; i++)
		free(lc->ch[i].path);
	free(lc->ch);
	free(lc->add);
	free(lc->dir);
	free(lc->file);
	free(lc);
}
