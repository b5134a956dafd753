/* cache.c -- see cache.h */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "book.h"
#include "diag.h"
#include "gitdir.h"
#include "cache_int.h"
#include "pool.h"

#define hash_bytes cache_hash_bytes
#define checksum cache_checksum
#include "store.h"
#include "strmap.h"

#ifndef AE_VERSION
#define AE_VERSION "0.1"
#endif

/* the layout of the file and of its bodies; bump on any change */
#define CACHE_LAYOUT 9
static const char magic[8] = "AEPARSE\n";
/* the cache of commits' files, keyed by blob id (another file, so that
 * neither kind of run throws the other's entries away) */
static const char blob_magic[8] = "AEBLOBS\n";

static uint64_t hash_str64(uint64_t h, const char *s)
{
	return hash_bytes(h, s, strlen(s) + 1);
}

#define le32 cle32
#define le64 cle64

/* -- the file */

static uint64_t hash_file(uint64_t h, struct source *src, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *msg;

	h = hash_str64(h, path);
	if (src && src->read(src, path, (size_t)64 << 20, &sb, &msg) == SRC_OK)
		h = hash_bytes(h ^ 1, sb.buf, sb.len);
	sb_release(&sb);
	return h;
}

/* What every cached result depends on besides its own file. */
static uint64_t settings_hash(const struct book *b)
{
	uint64_t h = hash_str64(0x6165, AE_VERSION);
	char file[64];

	h = hash_bytes(h, (const uint32_t[]){ CACHE_LAYOUT, (uint32_t)sizeof(struct record),
					      (uint32_t)sizeof(struct jentry) }, 12);
	h = hash_file(h, b->src, "ae.ini");
	for (int k = 0; k <= K__N; k++) {
		snprintf(file, sizeof(file), "%s.ini", k < K__N ? kind_names[k] : "journal");
		h = hash_file(h ^ 2, b->shipped, file);
		snprintf(file, sizeof(file), "formats/%s.ini", k < K__N ? kind_names[k] : "journal");
		h = hash_file(h ^ 3, b->src, file);
	}
	for (size_t i = 0; i < b->cfg.calendar_files.n; i++)
		h = hash_file(h ^ 4, b->src, b->cfg.calendar_files.v[i]);
	return h;
}

uint64_t cache_settings(const struct book *b)
{
	return settings_hash(b);
}

char *cache_dir(const struct cache *c)
{
	const char *slash;

	if (!c || c->by_blob || !(slash = strrchr(c->file, '/')))
		return NULL;
	return xstrndup(c->file, (size_t)(slash - c->file));
}

uint64_t cache_settings_of(const struct cache *c)
{
	return c ? c->settings : 0;
}

int cache_writes(const struct cache *c)
{
	return c && c->write;
}

static void wr64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t rd64(const unsigned char *p)
{
	struct creader r = { p, p + 8, 0 };
	return cget_u64(&r);
}

uint64_t cache_entry_head_sum(const unsigned char *raw, const unsigned char *body, size_t len,
			      size_t tail)
{
	/* its length, type, key and path; then from the tail's sum on */
	uint64_t h = hash_bytes(ENTRY_SEED, raw, (size_t)(body - ENTRY_SUMS - raw));

	return cache_entry_sum(h, body - 16, 16 + len - tail);
}

void cache_entry_seal(unsigned char *raw, unsigned char *body, size_t len, size_t tail)
{
	wr64(body - 16, cache_entry_sum(TAIL_SEED, body + len - tail, tail));
	wr64(body - 8, (uint64_t)(uint32_t)tail);
	wr64(body - 24, cache_entry_head_sum(raw, body, len, tail));
}

int cache_seal(unsigned char *file, size_t len, uint64_t settings)
{
	const int by_blob = 0;	/* a parse cache's magic is put */
	struct cache_row *rows;
	uint64_t plen;
	unsigned char *p, *end;
	size_t n = 0;

	if (len < CACHE_HEADER_BYTES)
		return -1;
	plen = rd64(file + 32);
	/* the payload as long as the file says, if it can be (what follows
	 * it is the journal's image), else the whole rest */
	if (plen > len - CACHE_HEADER_BYTES)
		plen = len - CACHE_HEADER_BYTES;
	memcpy(file, magic, 8);
	wr64(file + 8, CACHE_LAYOUT);
	wr64(file + 16, settings);
	wr64(file + 32, plen);
	wr64(file + HEADER_BYTES, hash_bytes(0, file, HEADER_BYTES));
	/* each entry's sums, as far as the entries can be walked (a parse
	 * cache's: 48 bytes of stat data), its tail as long as it says if it
	 * can be; then the table's rows, if the first entry is a table with
	 * room for them */
	p = file + CACHE_HEADER_BYTES;
	end = p + plen;
	rows = xmalloc((plen / 16 + 1) * sizeof(*rows));
	while (end - p >= 4) {
		struct cache_row *row = &rows[n];
		unsigned char *body;
		size_t tail;

		if (cache_entry_row(p, (size_t)(end - p), by_blob, row) < 0)
			break;
		body = p + 4 + cle32(p) - row->len;
		tail = le32(body - 8);
		cache_entry_seal(p, body, row->len, tail <= row->len ? tail : 0);
		p = body + row->len;
		p += -(uintptr_t)p & 7;
		n++;
	}
	if (n && rows[0].type == CACHE_TABLE && !rows[0].path_len) {
		uint64_t *offs = xmalloc(n * sizeof(*offs));
		uint32_t runs[CACHE_RUNS_MAX];
		size_t nruns, nrows = n - 1;

		for (size_t i = 1; i < n; i++)
			offs[i - 1] = (uint64_t)(rows[i].raw - file);
		/* the runs of the entries but the image (the last, perhaps) */
		nruns = cache_table_runs(rows + 1,
					 nrows && rows[n - 1].type == CACHE_IMAGE ? nrows - 1 : nrows, runs);
		while (cache_table_size(nrows, nruns) > rows[0].len && nrows)
			nrows--;
		if (cache_table_size(nrows, nruns) > rows[0].len)
			nruns = 0;
		if (cache_table_size(nrows, nruns) <= rows[0].len) {
			cache_table_fill(file + CACHE_HEADER_BYTES, by_blob, rows + 1, offs, nrows, runs,
					 nruns);
			wr64(file + 24, nrows);
			wr64(file + HEADER_BYTES, hash_bytes(0, file, HEADER_BYTES));
		}
		free(offs);
	}
	free(rows);
	return 0;
}

/*
 * The whole file at path into sb, in one allocation of its size and one
 * read (sb_read_file()'s copies through a buffer cost 110 M instructions
 * for a 100,000-record book's 68 MB cache); -1 if it is no regular file,
 * or larger than limit.
 */
static int read_whole(struct strbuf *sb, const char *path, size_t limit)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	int ret = -1;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > limit)
		goto out;
	sb_grow(sb, (size_t)st.st_size + 1);
	for (;;) {
		ssize_t n;
		if (sb->alloc - sb->len < 2)
			sb_grow(sb, sb->alloc);	/* it grew meanwhile */
		n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		sb->len += (size_t)n;
		if (sb->len > limit)
			goto out;
	}
	sb->buf[sb->len] = '\0';
	ret = 0;
out:
	close(fd);
	return ret;
}

/*
 * The whole file at path, mapped (read only, private; populated at once:
 * its pages are the page cache's, neither copied nor zeroed), else read
 * into memory: 0 and *out, *len, *mapped; -1 if it is no regular file,
 * or larger than limit.  ae never writes a cache in place (a new one is
 * renamed over it), so what is mapped does not change under us.
 */
static int load_whole(const char *path, size_t limit, unsigned char **out, size_t *len,
		      int *mapped)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	void *m;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > limit) {
		close(fd);
		return -1;
	}
	if (st.st_size > 0) {
		/* with room after it: address space only, none of it memory
		 * until cache_image_open() asks (IMAGE_ROOM) */
		size_t span = page_up((size_t)st.st_size);
		void *room = mmap(NULL, span + IMAGE_ROOM, PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (room != MAP_FAILED) {
			/* populated up to the journal's image (its pages are
			 * faulted in only by a run that uses it: not `ae
			 * check`'s), which follows the payload */
			unsigned char head[HEADER_BYTES];
			size_t first = (size_t)st.st_size;
			if (first >= CACHE_HEADER_BYTES &&
			    pread(fd, head, sizeof(head), 0) == (ssize_t)sizeof(head)) {
				/* untrusted: only ever less than the file */
				uint64_t plen = rd64(head + 32);
				if (plen < first - CACHE_HEADER_BYTES)
					first = (CACHE_HEADER_BYTES + (size_t)plen) & ~(page_size() - 1);
				if (!first)
					first = (size_t)st.st_size;
			}
			m = mmap(room, first, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0);
			if (m != MAP_FAILED && first < (size_t)st.st_size &&
			    mmap((unsigned char *)room + first, (size_t)st.st_size - first, PROT_READ,
				 MAP_PRIVATE | MAP_FIXED, fd, (off_t)first) == MAP_FAILED)
				m = MAP_FAILED;
			if (m != MAP_FAILED) {
				close(fd);
				*out = m;
				*len = (size_t)st.st_size;
				*mapped = MAPPED_ROOM;
				return 0;
			}
			munmap(room, span + IMAGE_ROOM);
		}
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (m != MAP_FAILED) {
			close(fd);
			*out = m;
			*len = (size_t)st.st_size;
			*mapped = 1;
			return 0;
		}
	}
	close(fd);
	{
		struct strbuf sb = STRBUF_INIT;
		if (read_whole(&sb, path, limit) < 0) {
			sb_release(&sb);
			return -1;
		}
		*len = sb.len;
		*out = (unsigned char *)sb_detach(&sb);
		*mapped = 0;
		return 0;
	}
}

static void unload(unsigned char *p, size_t len, int mapped)
{
	if (mapped == MAPPED_ROOM)
		munmap(p, page_up(len) + IMAGE_ROOM);
	else if (mapped)
		munmap(p, len);
	else
		free(p);
}


/* Read the cache file into c: its entries, or nothing if unusable. */
static void read_cache(struct cache *c)
{
	unsigned char *file = NULL;
	size_t flen = 0;
	int mapped = 0;
	struct creader r;
	uint64_t count, plen;

	/* the whole header, checksum included (a cut inside the checksum
	 * made the payload length below wrap: fuzz_cache's first finding) */
	if (load_whole(c->file, (size_t)4 << 30, &file, &flen, &mapped) < 0)
		goto bad;
	if (flen < CACHE_HEADER_BYTES || memcmp(file, c->by_blob ? blob_magic : magic, 8))
		goto bad;
	r.p = file + 8;
	r.end = file + flen;
	r.bad = 0;
	if (cget_u64(&r) != CACHE_LAYOUT || cget_u64(&r) != c->settings)
		goto bad;
	count = cget_u64(&r);
	plen = rd64(r.p);
	r.p += 8;
	/* the header's checksum; each entry has its own, checked where the
	 * entry is used (cache_find()); the journal's image, if any, follows
	 * the payload (its months have checksums of their own) */
	if (plen > flen - HEADER_BYTES - 8 || count > plen / 16 ||
	    rd64(r.p) != hash_bytes(0, file, HEADER_BYTES))
		goto bad;
	/* the entries from the table, the first of them */
	if (cache_table_read(c, file, HEADER_BYTES + 8 + (size_t)plen, count) < 0)
		goto bad;
	{
		/* what follows the payload: the image's entries, or nothing */
		size_t tail = flen - HEADER_BYTES - 8 - (size_t)plen;
		uint64_t esize = 0, total = 0;

		if (c->image_raw) {
			if (c->image_len < IMAGE_HEAD)
				goto bad;
			esize = cle32(c->image_body + 4);
			total = cle64(c->image_body + 24);
		}
		if (esize > 4096 || (esize && total > tail / esize) || total * esize != tail)
			goto bad;
		c->image_entries = file + HEADER_BYTES + 8 + plen;
		c->image_bytes = tail;
	}
	c->old = file;
	c->old_len = flen;
	c->old_mapped = mapped;
	return;
bad:
	/* corrupt, truncated, or made from other settings: rebuilt */
	if (file)
		unload(file, flen, mapped);
	free(c->v);
	c->v = NULL;
	c->n = 0;
	free(c->runs);
	c->runs = NULL;
	c->nruns = 0;
	c->image_raw = c->image_body = NULL;
	c->image_entries = NULL;
	c->dirty = 1;
}

struct cache *cache_begin(const struct book *b, int write)
{
	const char *env = getenv("AE_CACHE");
	struct timespec now;
	struct cache *c;
	char *gitdir;
	int by_blob;

	if ((env && !strcmp(env, "0")) || !b->root || !b->src)
		return NULL;
	/* the working folder (found from the book's root), or a commit of
	 * the repository ae opened for --at (a bare one too) */
	by_blob = b->src->content_ids && b->store;
	if (by_blob) {
		const char *gd = store_gitdir(b->store);
		size_t n = strlen(gd);
		gitdir = xstrndup(gd, n > 1 && gd[n - 1] == '/' ? n - 1 : n);
	} else if (b->src->cacheable && !b->store) {
		gitdir = git_dir_of(b->root);
	} else {
		return NULL;
	}
	if (!gitdir)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->by_blob = by_blob;
	c->file = xasprintf("%s/ae/%s", gitdir, by_blob ? "blob-cache" : "parse-cache");
	free(gitdir);
	c->write = write;
	clock_gettime(CLOCK_REALTIME_COARSE, &now);
	c->began = (int64_t)now.tv_sec;
	c->settings = settings_hash(b);
	/* cache_check_ahead(): "0" none, "all" every entry (the tests') */
	env = getenv("AE_CACHE_AHEAD");
	c->ahead = env && !strcmp(env, "0") ? 0 : env && !strcmp(env, "all") ? 2 : 1;
	return c;
}

size_t cache_size(const struct cache *c)
{
	return c && c->old ? c->old_len : 0;
}

void cache_read(struct cache *c)
{
	if (c)
		read_cache(c);
}

struct cache *cache_open(const struct book *b, int write)
{
	struct cache *c = cache_begin(b, write);

	cache_read(c);
	return c;
}

static int same_file(const struct centry *ce, const struct source_entry *e)
{
	const unsigned char *q = CE_KEY(ce);

	return e->has_stat && le64(q) == (uint64_t)e->size && le64(q + 8) == e->ino &&
	       le64(q + 16) == e->dev && le64(q + 24) == (uint64_t)e->mtime_s &&
	       le32(q + 32) == (uint32_t)e->mtime_ns && le64(q + 36) == (uint64_t)e->ctime_s &&
	       le32(q + 44) == (uint32_t)e->ctime_ns;
}

static int same_blob(const struct centry *ce, const struct source_entry *e)
{
	const unsigned char *q = CE_KEY(ce);

	return e->oid_len && q[0] == e->oid_len && !memcmp(q + 1, e->oid, e->oid_len);
}

/* Entry ce's lengths as the table says, and its head's checksum. */
static int entry_sound(const struct centry *ce)
{
	const unsigned char *body = CE_BODY(ce);
	size_t tail = le32(body - 8);

	return le32(ce->raw) == CE_RAW_LEN(ce) - 4 && tail <= ce->len && !le32(body - 4) &&
	       le64(body - ENTRY_SUMS) == cache_entry_head_sum(ce->raw, body, ce->len, tail);
}

/* The runs of entries in path order, or the hash index if there are too
 * many: once, by whichever thread first needs them. */
static void build_lookup(struct cache *c)
{
	pthread_mutex_lock(&c->lock);
	if (!atomic_load_explicit(&c->built, memory_order_acquire)) {
		c->runs = xmalloc((CACHE_RUNS_MAX + 2) * sizeof(*c->runs));
		c->nruns = 0;
		c->runs[c->nruns++] = 0;
		for (size_t i = 1; i < c->n && c->nruns <= CACHE_RUNS_MAX; i++)
			if (cache_path_order(CE_TYPE(&c->v[i - 1]), c->v[i - 1].path, c->v[i - 1].path_len,
					     CE_TYPE(&c->v[i]), c->v[i].path, c->v[i].path_len) >= 0)
				c->runs[c->nruns++] = i;
		if (c->nruns > CACHE_RUNS_MAX) {
			/* in no useful order (a cache not written by ae): hashed */
			free(c->runs);
			c->runs = NULL;
			c->nruns = 0;
			for (size_t i = 0; i < c->n; i++) {
				const struct centry *e = &c->v[i];
				char *key = arena_alloc_align(&c->keys, e->path_len + 2, 1);
				key[0] = (char)('0' + CE_TYPE(e));
				memcpy(key + 1, e->path, e->path_len);
				key[e->path_len + 1] = '\0';	/* the table's length, not the file's NUL */
				strmap_put(&c->index, key, (void *)(i + 1));
			}
		} else {
			c->runs[c->nruns] = c->n;
		}
		atomic_store_explicit(&c->built, 1, memory_order_release);
	}
	pthread_mutex_unlock(&c->lock);
}

/* The index + 1 of the entry of type and path (n bytes), or 0. */
static size_t lookup(struct cache *c, int type, const char *path, size_t n)
{
	size_t *cur = &c->cursor[pool_slot()].at;

	/* just past the last one found: the listing's order is the cache's */
	for (size_t i = *cur, stop = i + 8 < c->n ? i + 8 : c->n; i < stop; i++) {
		const struct centry *e = &c->v[i];
		if (e->path_len == n && CE_TYPE(e) == (unsigned)type && !memcmp(e->path, path, n)) {
			*cur = i + 1;
			return i + 1;
		}
	}
	if (!atomic_load_explicit(&c->built, memory_order_acquire))
		build_lookup(c);
	if (!c->runs) {
		char buf[256], *key = buf;
		size_t i;
		/* "T" + path, on the stack but for a long path */
		if (n + 2 > sizeof(buf))
			key = xmalloc(n + 2);
		key[0] = (char)('0' + type);
		memcpy(key + 1, path, n + 1);
		i = (size_t)strmap_get(&c->index, key);
		if (key != buf)
			free(key);
		if (i)
			*cur = i;
		return i;
	}
	for (size_t k = 0; k < c->nruns; k++) {
		size_t lo = c->runs[k], hi = c->runs[k + 1];
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const struct centry *e = &c->v[mid];
			int d = cache_path_order((unsigned)type, path, n, CE_TYPE(e), e->path, e->path_len);
			if (!d) {
				*cur = mid + 1;
				return mid + 1;
			}
			if (d < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
	}
	return 0;
}

const unsigned char *cache_find(struct cache *c, int type, const struct source_entry *e,
				size_t *len)
{
	const struct centry *ce;
	size_t i;

	if (!c || !c->n)
		return NULL;
	i = lookup(c, type, e->path, strlen(e->path));
	if (!i)
		return NULL;
	ce = &c->v[i - 1];
	if (c->by_blob ? !same_blob(ce, e) : !same_file(ce, e))
		return NULL;
	/* its length as the table says and its checksum, checked ahead or
	 * here, where its bytes are about to be read anyway: a damaged entry
	 * is a miss */
	if (!(c->sound && c->sound[i - 1]) && !entry_sound(ce))
		return NULL;
	*len = ce->len;
	return CE_BODY(ce);
}

/* Entries checked between two looks at stop_ahead */
#define AHEAD_STEP 64

void cache_check_ahead(struct cache *c)
{
	if (!c || !c->n || !c->ahead)
		return;
	c->sound = xcalloc(c->n, 1);
	for (size_t i = 0; i < c->n; i++) {
		if (!(i % AHEAD_STEP) && c->ahead < 2 &&
		    atomic_load_explicit(&c->stop_ahead, memory_order_relaxed))
			break;
		c->sound[i] = (unsigned char)entry_sound(&c->v[i]);
	}
}

void cache_stop_ahead(struct cache *c)
{
	if (c)
		atomic_store_explicit(&c->stop_ahead, 1, memory_order_relaxed);
}

size_t cache_tail_len(const unsigned char *body)
{
	return le32(body - 8);
}

int cache_tail_ok(const unsigned char *body, size_t len)
{
	size_t tail = le32(body - 8);

	return tail <= len && le64(body - 16) == cache_entry_sum(TAIL_SEED, body + len - tail, tail) ?
	       0 : -1;
}

/* The old entry whose body is at p, or 0: index + 1 (entries are in
 * file order, so by address; most often the one after the last kept). */
static size_t old_entry(struct cache *c, const unsigned char *p)
{
	size_t lo = 0, hi = c->n;

	if (!c->old || p < c->old || p >= c->old + c->old_len)
		return 0;
	if (c->keep_cursor < c->n && CE_BODY(&c->v[c->keep_cursor]) == p)
		return ++c->keep_cursor;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (CE_BODY(&c->v[mid]) == p) {
			c->keep_cursor = mid + 1;
			return mid + 1;
		}
		if (CE_BODY(&c->v[mid]) < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The entries kept so far, each an old one in its order, listed
 * (cache_keep() only counted them); then in_order is never nkeep again. */
static void keep_list(struct cache *c)
{
	if (!c->in_order)
		return;
	ALLOC_GROW(c->keep, c->in_order + 1, c->alloc_keep);
	for (size_t i = 0; i < c->in_order; i++) {
		struct kept *k = &c->keep[i];
		memset(k, 0, sizeof(*k));
		k->old = i + 1;
		k->body = (size_t)(CE_BODY(&c->v[i]) - c->v[i].raw);
	}
	c->in_order = 0;
}

size_t cache_keep(struct cache *c, int type, const struct source_entry *e,
		  const void *body, size_t len, size_t tail)
{
	struct cbuf entry = { STRBUF_INIT };
	struct kept *k;
	size_t old;

	if (!c || !c->write || len > ENTRY_MAX || tail > len ||
	    (c->by_blob ? !e->oid_len : !e->has_stat))
		return CACHE_NOT_KEPT;
	/* racy: changed as we read it, perhaps (a blob never changes) */
	if (!c->by_blob && (e->mtime_s >= c->began || e->ctime_s >= c->began))
		return CACHE_NOT_KEPT;
	old = old_entry(c, body);
	if (c->nkeep == c->in_order && old == c->nkeep + 1 && c->v[old - 1].len == len) {
		/* the old entries kept in their order so far: counted, the
		 * list made only if the file is written (keep_list()) */
		c->kept_old++;
		c->in_order++;
		return c->nkeep++;
	}
	keep_list(c);
	ALLOC_GROW(c->keep, c->nkeep + 1, c->alloc_keep);
	k = &c->keep[c->nkeep++];
	memset(k, 0, sizeof(*k));
	if (old && c->v[old - 1].len == len) {
		/* the same file as before (cache_find() matched its stat data) */
		k->old = old;
		k->body = (size_t)((const unsigned char *)body - c->v[old - 1].raw);
		c->kept_old++;
		return c->nkeep - 1;
	}
	c->dirty = 1;
	cput_u8(&entry, (unsigned)type);
	if (c->by_blob) {
		cput_u8(&entry, e->oid_len);
		sb_add(&entry.sb, (const char *)e->oid, e->oid_len);
	} else {
		cput_u64(&entry, (uint64_t)e->size);
		cput_u64(&entry, e->ino);
		cput_u64(&entry, e->dev);
		cput_u64(&entry, (uint64_t)e->mtime_s);
		cput_u32(&entry, (uint32_t)e->mtime_ns);
		cput_u64(&entry, (uint64_t)e->ctime_s);
		cput_u32(&entry, (uint32_t)e->ctime_ns);
	}
	cput_str(&entry, e->path, strlen(e->path));
	while ((4 + entry.sb.len) & 7)
		sb_addch(&entry.sb, 0);	/* CE_BODY(): after the length, the entry is at a multiple of 8 */
	for (int z = 0; z < ENTRY_SUMS; z++)
		sb_addch(&entry.sb, 0);	/* the sums, put below */
	k->body = 4 + entry.sb.len;	/* after the length put below */
	sb_add(&entry.sb, body, len);
	k->off = c->out.sb.len;
	cput_u32(&c->out, (uint32_t)entry.sb.len);
	sb_add(&c->out.sb, entry.sb.buf, entry.sb.len);
	k->len = c->out.sb.len - k->off;
	sb_release(&entry.sb);
	cache_entry_seal((unsigned char *)c->out.sb.buf + k->off,
			 (unsigned char *)c->out.sb.buf + k->off + k->body, len, tail);
	return c->nkeep - 1;
}

void cache_spoil(struct cache *c)
{
	if (c)
		c->spoiled = 1;
}

static void write_cache(struct cache *c)
{
	struct cbuf head = { STRBUF_INIT }, payload = { STRBUF_INIT };
	char *dir = xstrdup(c->file), *tmp = NULL;
	const char *image;
	struct cache_row *rows = NULL;
	uint64_t *offs = NULL;
	uint32_t *runs = NULL;
	size_t nruns, nrows, table, image_at;
	int fd, ok, with_image;

	*strrchr(dir, '/') = '\0';
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		free(dir);
		return;		/* a cache is a help, never a requirement */
	}
	keep_list(c);
	/* each entry's row, and the runs of them in path order; a row for
	 * the image too (its entry put last) */
	rows = xmalloc((c->nkeep + 1) * sizeof(*rows));
	offs = xmalloc((c->nkeep + 1) * sizeof(*offs));
	runs = xmalloc(CACHE_RUNS_MAX * sizeof(*runs));
	for (size_t i = 0; i < c->nkeep; i++) {
		struct kept *k = &c->keep[i];
		const unsigned char *raw = k->old ? c->v[k->old - 1].raw :
					   (const unsigned char *)c->out.sb.buf + k->off;
		size_t room = k->old ? CE_RAW_LEN(&c->v[k->old - 1]) : k->len;
		if (cache_entry_row(raw, room, c->by_blob, &rows[i]) < 0)
			goto out;	/* never: each was checked, or made here */
	}
	nruns = cache_table_runs(rows, c->nkeep, runs);
	with_image = cache_image_ready(c);
	table = cache_table_reserve(&payload, c->by_blob,
				    cache_table_size(c->nkeep + (size_t)with_image, nruns));
	tmp = xasprintf("%s.%ld.tmp", c->file, (long)getpid());
	for (size_t i = 0; i < c->nkeep; i++) {
		struct kept *k = &c->keep[i];
		size_t at = payload.sb.len;
		if (k->old)
			sb_add(&payload.sb, (const char *)c->v[k->old - 1].raw, CE_RAW_LEN(&c->v[k->old - 1]));
		else
			sb_add(&payload.sb, c->out.sb.buf + k->off, k->len);
		while (payload.sb.len & 7)
			sb_addch(&payload.sb, 0);	/* CE_BODY() */
		offs[i] = CACHE_HEADER_BYTES + at;
		k->off = CACHE_HEADER_BYTES + at + k->body;	/* now the body's place in the file */
	}
	nrows = c->nkeep;
	image_at = payload.sb.len;
	image = cache_image_put(c, &payload);
	if (image) {
		if (!with_image)
			goto out;	/* never: its row was not made room for */
		if (cache_entry_row((const unsigned char *)payload.sb.buf + image_at,
				    payload.sb.len - image_at, c->by_blob, &rows[nrows]) < 0)
			goto out;
		offs[nrows++] = CACHE_HEADER_BYTES + image_at;
	}
	cache_table_fill((unsigned char *)payload.sb.buf + table, c->by_blob, rows, offs, nrows, runs,
			 nruns);
	sb_add(&head.sb, c->by_blob ? blob_magic : magic, 8);
	cput_u64(&head, CACHE_LAYOUT);
	cput_u64(&head, c->settings);
	cput_u64(&head, nrows);
	cput_u64(&head, payload.sb.len);
	cput_u64(&head, hash_bytes(0, head.sb.buf, HEADER_BYTES));
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
	ok = fd >= 0;
	for (size_t part = 0; ok && part < 3; part++) {
		const char *p = part == 2 ? image : part ? payload.sb.buf : head.sb.buf;
		size_t n = part == 2 ? (image ? c->put.total * c->put.esize : 0) :
			   part ? payload.sb.len : head.sb.len;
		while (ok && n) {
			ssize_t w = write(fd, p, n);
			if (w < 0 && errno == EINTR)
				continue;
			ok = w > 0;
			if (ok) {
				p += w;
				n -= (size_t)w;
			}
		}
	}
	if (fd >= 0 && close(fd) < 0)
		ok = 0;
	if (!ok || rename(tmp, c->file) < 0)
		unlink(tmp);
out:
	free(tmp);
	free(dir);
	free(rows);
	free(offs);
	free(runs);
	sb_release(&head.sb);
	sb_release(&payload.sb);
}

struct cache_hold {
	struct cache_hold *next;
	unsigned char *p;
	size_t len;
	int mapped;
};

/*
 * The journal files' bodies of a mapped cache given back to the kernel
 * once the book is loaded: nothing of the book points into them (their
 * entries were decoded into its array, their diagnostics copied), unlike
 * the records' values, so a warm run of the 100k book holds 50 MB less.
 * They are the file's tail when ae wrote it (entries in listing order,
 * records first); read again, a page comes back from the page cache.
 */
static void drop_journal_pages(struct cache *c)
{
	size_t i = c->n, page = page_size();
	uintptr_t from, end = (uintptr_t)(c->old + c->old_len);

	/* not the image, which the journal may be using (its entry and
	 * entries are the file's end) */
	if (c->image_raw)
		end = (uintptr_t)c->image_raw & ~(uintptr_t)(page - 1);
	while (i > 0 && CE_TYPE(&c->v[i - 1]) == CACHE_JOURNAL)
		i--;
	if (i == c->n)
		return;
	from = ((uintptr_t)c->v[i].raw + page - 1) & ~(uintptr_t)(page - 1);
	if (from < end)
		madvise((void *)from, (size_t)(end - from), MADV_DONTNEED);
}

void cache_close_hold(struct cache *c, struct cache_hold **hold)
{
	if (!c)
		return;
	if (c->write && !c->spoiled && (c->dirty || c->kept_old != c->n))
		write_cache(c);
	if (c->old && hold) {
		struct cache_hold *h = xmalloc(sizeof(*h));
		if (c->old_mapped)
			drop_journal_pages(c);
		h->next = *hold;
		h->p = c->old;
		h->len = c->old_len;
		h->mapped = c->old_mapped;
		*hold = h;
	} else if (c->old) {
		unload(c->old, c->old_len, c->old_mapped);
	}
	free(c->v);
	free(c->sound);
	free(c->runs);
	strmap_release(&c->index);
	arena_release(&c->keys);
	pthread_mutex_destroy(&c->lock);
	sb_release(&c->out.sb);
	free(c->keep);
	free(c->put.months);
	free(c->file);
	free(c);
}

void cache_close(struct cache *c)
{
	cache_close_hold(c, NULL);
}

void cache_hold_release(struct cache_hold *h)
{
	while (h) {
		struct cache_hold *next = h->next;
		unload(h->p, h->len, h->mapped);
		free(h);
		h = next;
	}
}
