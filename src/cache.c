/* cache.c -- see cache.h */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "book.h"
#include "diag.h"
#include "store.h"
#include "strmap.h"

#ifndef AE_VERSION
#define AE_VERSION "0.1"
#endif

/* the layout of the file and of its bodies; bump on any change */
#define CACHE_LAYOUT 1
static const char magic[8] = "AEPARSE\n";
/* the cache of commits' files, keyed by blob id (another file, so that
 * neither kind of run throws the other's entries away) */
static const char blob_magic[8] = "AEBLOBS\n";
#define HEADER_BYTES 40		/* magic, layout, settings, count, payload length; then the checksum */
_Static_assert(CACHE_HEADER_BYTES == HEADER_BYTES + 8, "the first entry follows the checksum");
#define ENTRY_MAX ((size_t)1 << 30)

struct centry {
	const unsigned char *raw;	/* the whole entry, its length first */
	size_t raw_len;
	const unsigned char *body;
	size_t len;
	uint64_t size, ino, dev, mtime_s, ctime_s;
	uint32_t mtime_ns, ctime_ns;
	unsigned char oid[32];	/* by_blob: the blob id */
	size_t oid_len;
};

struct cache {
	char *file;		/* .git/ae/parse-cache, or blob-cache */
	int by_blob;		/* entries keyed by path and blob id, not stat data */
	int write;
	int dirty, spoiled;
	uint64_t settings;
	int64_t began;		/* seconds: a file not older than this is racy */
	unsigned char *old;	/* the cache read, or NULL */
	size_t old_len;
	struct centry *v;
	size_t n;
	struct strmap index;	/* "T" + path -> entry + 1 */
	struct arena keys;
	size_t kept, kept_old;	/* entries kept for the next run; of them from old */
	/* the entries of the next cache, in order: an old one (its index
	 * in v) or a new one (its offset in `out`), copied out only when
	 * the cache is written */
	struct kept {
		size_t old;	/* index + 1 into v, or 0 */
		size_t off, len;
	} *keep;
	size_t nkeep, alloc_keep;
	struct cbuf out;	/* the new entries */
};

/* -- hashing: 64 bits, eight bytes at a time (not cryptographic: it
 * tells a changed or damaged file, not a forged one; the cache is only
 * ever a copy of what the book itself says) */
static uint64_t hash_bytes(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	const uint64_t k = 0x9E3779B97F4A7C15ULL;

	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	{
		uint64_t w = 0;
		memcpy(&w, p, n);
		h = (h ^ w ^ ((uint64_t)n << 56)) * k;
		h ^= h >> 29;
	}
	return h;
}

static uint64_t hash_str64(uint64_t h, const char *s)
{
	return hash_bytes(h, s, strlen(s) + 1);
}

/* -- bodies */
void cput_u8(struct cbuf *b, unsigned v)
{
	sb_addch(&b->sb, (int)(v & 0xFF));
}

void cput_u32(struct cbuf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8),
			       (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
	sb_add(&b->sb, (const char *)x, 4);
}

void cput_u64(struct cbuf *b, uint64_t v)
{
	cput_u32(b, (uint32_t)v);
	cput_u32(b, (uint32_t)(v >> 32));
}

void cput_str(struct cbuf *b, const char *s, size_t n)
{
	if (!s) {
		cput_u32(b, 0xFFFFFFFFu);
		return;
	}
	cput_u32(b, (uint32_t)n);
	sb_add(&b->sb, s, n);
}

unsigned cget_u8(struct creader *r)
{
	if (r->bad || r->end - r->p < 1) {
		r->bad = 1;
		return 0;
	}
	return *r->p++;
}

uint32_t cget_u32(struct creader *r)
{
	uint32_t v;

	if (r->bad || r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	    (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}

uint64_t cget_u64(struct creader *r)
{
	uint64_t lo = cget_u32(r);

	return lo | (uint64_t)cget_u32(r) << 32;
}

/* a string's bytes in the body, not copied: NULL for NULL or bad */
static const char *peek_str(struct creader *r, size_t *len)
{
	uint32_t n = cget_u32(r);
	const char *s;

	*len = 0;
	if (r->bad || n == 0xFFFFFFFFu)
		return NULL;
	if ((size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	s = (const char *)r->p;
	if (memchr(s, '\0', n)) {
		r->bad = 1;
		return NULL;
	}
	r->p += n;
	*len = n;
	return s;
}

const char *cget_str(struct creader *r, struct arena *a, size_t *len)
{
	size_t n;
	const char *s = peek_str(r, &n);

	if (len)
		*len = n;
	return s ? arena_strndup(a, s, n) : NULL;
}

void cache_put_diags(struct cbuf *b, const struct diag_batch *d, size_t from)
{
	size_t n = diag_batch_size(d);

	cput_u32(b, (uint32_t)(n > from ? n - from : 0));
	for (size_t i = from; i < n; i++) {
		struct diag_item it;
		diag_batch_get(d, i, &it);
		cput_u8(b, it.level);
		cput_u32(b, (uint32_t)it.line);
		cput_u32(b, (uint32_t)it.col);
		cput_str(b, it.path, strlen(it.path));
		cput_str(b, it.rule, it.rule ? strlen(it.rule) : 0);
		cput_str(b, it.msg, strlen(it.msg));
	}
}

int cache_give_diags(struct creader *r)
{
	uint32_t n = cget_u32(r);
	struct creader check = *r;

	if (r->bad || n > (uint32_t)(r->end - r->p))
		return -1;
	/* all of them decoded before the first is given */
	for (uint32_t i = 0; i < n; i++) {
		size_t len;
		unsigned level = cget_u8(&check);
		cget_u32(&check);
		cget_u32(&check);
		if (!peek_str(&check, &len))
			check.bad = 1;
		peek_str(&check, &len);
		if (!peek_str(&check, &len))
			check.bad = 1;
		if (level < DIAG_WARNING || level > DIAG_SYSTEM)
			check.bad = 1;
		if (check.bad)
			return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		size_t pn, rn, mn;
		unsigned level = cget_u8(r);
		int line = (int)cget_u32(r), col = (int)cget_u32(r);
		const char *path = peek_str(r, &pn), *rule = peek_str(r, &rn), *msg = peek_str(r, &mn);
		char *p = xstrndup(path, pn), *ru = rule ? xstrndup(rule, rn) : NULL;

		diag_at((enum diag_level)level, p, line, col, ru, "%.*s", (int)mn, msg);
		free(p);
		free(ru);
	}
	return 0;
}

/* -- records */
void cache_put_record(struct cbuf *b, const struct record *r, const struct diag_batch *d)
{
	cput_u8(b, (unsigned)r->kind);
	cput_u8(b, (unsigned)((r->bad ? 1 : 0) | (r->stub ? 2 : 0)));
	cput_u32(b, (uint32_t)r->line);
	cput_u32(b, (uint32_t)r->nvals);
	for (int k = 0; k < r->nvals; k++) {
		const struct rval *v = &r->vals[k];
		cput_u8(b, v->field);
		cput_u32(b, (uint32_t)v->line);
		cput_u32(b, v->col);
		cput_u8(b, v->multi);
		if (v->multi) {
			const int *count = (const int *)(const void *)v->value - 1;
			const int *pos = count - 2 * *count;
			cput_u32(b, (uint32_t)*count);
			for (int i = 0; i < 2 * *count; i++)
				cput_u32(b, (uint32_t)pos[i]);
		}
		cput_str(b, v->value, strlen(v->value));
	}
	cache_put_diags(b, d, 0);
}

int cache_get_record(const struct book *b, const unsigned char *body, size_t len,
		     const char *path, struct arena *strings, struct record *out)
{
	struct creader r = { body, body + len, 0 };
	const char *base = strrchr(path, '/');
	unsigned kind = cget_u8(&r), flags = cget_u8(&r);
	int line = (int)cget_u32(&r);
	uint32_t nvals = cget_u32(&r);
	const struct format *fmt;
	size_t n;

	if (r.bad || kind >= K__N || nvals > 256 || nvals > len)
		return -1;
	fmt = &b->fmts.kinds[kind];
	memset(out, 0, sizeof(*out));
	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".ini"))
		n -= 4;
	out->kind = (short)kind;
	out->bad = flags & 1;
	out->stub = (flags >> 1) & 1;
	out->line = line;
	out->vals = arena_alloc_align(strings, sizeof(*out->vals) * (nvals ? nvals : 1), 8);
	for (uint32_t k = 0; k < nvals && !r.bad; k++) {
		struct rval *v = &out->vals[k];
		unsigned field = cget_u8(&r);
		int vline = (int)cget_u32(&r);
		uint32_t col = cget_u32(&r);
		unsigned multi = cget_u8(&r);
		const char *s;
		size_t sn;

		if ((int)field >= fmt->nfields || col > 65535 || multi > 1 ||
		    (k && field <= out->vals[k - 1].field)) {
			r.bad = 1;
			break;
		}
		v->field = (unsigned char)field;
		v->line = vline;
		v->col = (unsigned short)col;
		v->multi = multi;
		if (multi) {
			uint32_t count = cget_u32(&r);
			int *block;
			if (r.bad || count < 2 || count > (uint32_t)(r.end - r.p) / 8) {
				r.bad = 1;
				break;
			}
			s = peek_str(&(struct creader){ r.p + 8 * (size_t)count, r.end, 0 }, &sn);
			if (!s) {
				r.bad = 1;
				break;
			}
			/* [line, col] per line, the count, then the text (record.c) */
			block = arena_alloc_align(strings, sizeof(int) * (2 * (size_t)count + 1) + sn + 1, 4);
			for (uint32_t i = 0; i < 2 * count; i++)
				block[i] = (int)cget_u32(&r);
			block[2 * count] = (int)count;
			peek_str(&r, &sn);
			memcpy(block + 2 * count + 1, s, sn);
			((char *)(block + 2 * count + 1))[sn] = '\0';
			v->value = (const char *)(block + 2 * count + 1);
		} else {
			v->value = cget_str(&r, strings, &sn);
			if (!v->value)
				r.bad = 1;
		}
		out->nvals = (int)k + 1;
	}
	if (r.bad || cache_give_diags(&r) < 0 || r.p != r.end)
		return -1;
	out->path = arena_strdup(strings, path);
	out->id = arena_strndup(strings, base, n);
	return 0;
}

/* -- the file */

/* The repository's folder of the book at root: ROOT/.git or above, a
 * .git file (a worktree) followed; owned, or NULL. */
static char *git_dir_of(const char *root)
{
	char *dir = xstrdup(root);

	for (;;) {
		char *dotgit = xasprintf("%s/.git", dir), *slash;
		struct stat st;

		if (lstat(dotgit, &st) == 0 && S_ISDIR(st.st_mode)) {
			/* a folder that is no repository is looked past, as git does */
			char *head = xasprintf("%s/HEAD", dotgit);
			int repo = lstat(head, &st) == 0;
			free(head);
			if (repo) {
				free(dir);
				return dotgit;
			}
		}
		if (lstat(dotgit, &st) == 0 && S_ISREG(st.st_mode)) {
			struct strbuf sb = STRBUF_INIT;
			char *found = NULL;
			if (sb_read_file(&sb, dotgit, 4096) == 0 && !strncmp(sb.buf, "gitdir: ", 8)) {
				size_t n = strcspn(sb.buf + 8, "\r\n");
				sb.buf[8 + n] = '\0';
				found = sb.buf[8] == '/' ? xstrdup(sb.buf + 8) :
					xasprintf("%s/%s", dir, sb.buf + 8);
			}
			sb_release(&sb);
			free(dotgit);
			free(dir);
			return found;
		}
		free(dotgit);
		slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			free(dir);
			return NULL;
		}
		*slash = '\0';
	}
}

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

static void wr64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

int cache_seal(unsigned char *file, size_t len, uint64_t settings)
{
	if (len < CACHE_HEADER_BYTES)
		return -1;
	memcpy(file, magic, 8);
	wr64(file + 8, CACHE_LAYOUT);
	wr64(file + 16, settings);
	wr64(file + 32, len - CACHE_HEADER_BYTES);
	wr64(file + HEADER_BYTES, hash_bytes(hash_bytes(0, file, HEADER_BYTES),
					     file + CACHE_HEADER_BYTES, len - CACHE_HEADER_BYTES));
	return 0;
}

static uint64_t rd64(const unsigned char *p)
{
	struct creader r = { p, p + 8, 0 };
	return cget_u64(&r);
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

/* Read the cache file into c: entries indexed, or nothing if unusable. */
static void read_cache(struct cache *c)
{
	struct strbuf sb = STRBUF_INIT;
	struct creader r;
	uint64_t count, plen;

	/* the whole header, checksum included (a cut inside the checksum
	 * made the payload length below wrap: fuzz_cache's first finding) */
	if (read_whole(&sb, c->file, (size_t)4 << 30) < 0 || sb.len < CACHE_HEADER_BYTES ||
	    memcmp(sb.buf, c->by_blob ? blob_magic : magic, 8))
		goto bad;
	r.p = (const unsigned char *)sb.buf + 8;
	r.end = (const unsigned char *)sb.buf + sb.len;
	r.bad = 0;
	if (cget_u64(&r) != CACHE_LAYOUT || cget_u64(&r) != c->settings)
		goto bad;
	count = cget_u64(&r);
	plen = rd64(r.p);
	r.p += 8;
	/* the checksum covers everything before it and the payload after it */
	if (plen != sb.len - HEADER_BYTES - 8 ||
	    rd64(r.p) != hash_bytes(hash_bytes(0, sb.buf, HEADER_BYTES), sb.buf + HEADER_BYTES + 8, (size_t)plen))
		goto bad;
	r.p += 8;
	if (count > plen / 16)
		goto bad;
	c->v = xcalloc((size_t)count + 1, sizeof(*c->v));
	for (uint64_t i = 0; i < count; i++) {
		struct centry *e = &c->v[c->n];
		uint32_t len = cget_u32(&r);
		struct creader er;
		unsigned type;
		const char *path;
		size_t pn;
		char *key;

		if (r.bad || len > (size_t)(r.end - r.p))
			goto bad;
		e->raw = r.p - 4;
		e->raw_len = (size_t)len + 4;
		er.p = r.p;
		er.end = r.p + len;
		er.bad = 0;
		r.p += len;
		type = cget_u8(&er);
		if (c->by_blob) {
			/* its length, then its bytes (which may be 0: not a string) */
			e->oid_len = cget_u8(&er);
			if (er.bad || !e->oid_len || e->oid_len > sizeof(e->oid) ||
			    e->oid_len > (size_t)(er.end - er.p))
				goto bad;
			memcpy(e->oid, er.p, e->oid_len);
			er.p += e->oid_len;
		} else {
			e->size = cget_u64(&er);
			e->ino = cget_u64(&er);
			e->dev = cget_u64(&er);
			e->mtime_s = cget_u64(&er);
			e->mtime_ns = cget_u32(&er);
			e->ctime_s = cget_u64(&er);
			e->ctime_ns = cget_u32(&er);
		}
		path = peek_str(&er, &pn);
		if (er.bad || !path || (type != CACHE_RECORD && type != CACHE_JOURNAL))
			goto bad;
		e->body = er.p;
		e->len = (size_t)(er.end - er.p);
		key = arena_alloc_align(&c->keys, pn + 2, 1);
		key[0] = (char)('0' + type);
		memcpy(key + 1, path, pn);
		key[pn + 1] = '\0';
		strmap_put(&c->index, key, (void *)(c->n + 1));
		c->n++;
	}
	if (r.p != r.end)
		goto bad;
	c->old = (unsigned char *)sb.buf;
	c->old_len = sb.len;
	return;
bad:
	/* corrupt, truncated, or made from other settings: rebuilt */
	sb_release(&sb);
	strmap_release(&c->index);
	arena_release(&c->keys);
	free(c->v);
	c->v = NULL;
	c->n = 0;
	c->dirty = 1;
}

struct cache *cache_open(const struct book *b, int write)
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
	read_cache(c);
	return c;
}

static int same_file(const struct centry *ce, const struct source_entry *e)
{
	return e->has_stat && ce->size == (uint64_t)e->size && ce->ino == e->ino &&
	       ce->dev == e->dev && ce->mtime_s == (uint64_t)e->mtime_s &&
	       ce->mtime_ns == (uint32_t)e->mtime_ns && ce->ctime_s == (uint64_t)e->ctime_s &&
	       ce->ctime_ns == (uint32_t)e->ctime_ns;
}

static int same_blob(const struct centry *ce, const struct source_entry *e)
{
	return e->oid_len && ce->oid_len == e->oid_len && !memcmp(ce->oid, e->oid, e->oid_len);
}

const unsigned char *cache_find(struct cache *c, int type, const struct source_entry *e,
				size_t *len)
{
	char buf[256], *key = buf;
	size_t i, n = strlen(e->path);

	if (!c || !c->n)
		return NULL;
	/* "T" + path, on the stack but for a long path */
	if (n + 2 > sizeof(buf))
		key = xmalloc(n + 2);
	key[0] = (char)('0' + type);
	memcpy(key + 1, e->path, n + 1);
	i = (size_t)strmap_get(&c->index, key);
	if (key != buf)
		free(key);
	if (!i)
		return NULL;
	if (c->by_blob ? !same_blob(&c->v[i - 1], e) : !same_file(&c->v[i - 1], e))
		return NULL;
	*len = c->v[i - 1].len;
	return c->v[i - 1].body;
}

/* The old entry whose body is at p, or 0: index + 1 (entries are in
 * file order, so by address). */
static size_t old_entry(const struct cache *c, const unsigned char *p)
{
	size_t lo = 0, hi = c->n;

	if (!c->old || p < c->old || p >= c->old + c->old_len)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->v[mid].body == p)
			return mid + 1;
		if (c->v[mid].body < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void cache_keep(struct cache *c, int type, const struct source_entry *e,
		const void *body, size_t len)
{
	struct cbuf entry = { STRBUF_INIT };
	struct kept *k;
	size_t old;

	if (!c || !c->write || len > ENTRY_MAX || (c->by_blob ? !e->oid_len : !e->has_stat))
		return;
	/* racy: changed as we read it, perhaps (a blob never changes) */
	if (!c->by_blob && (e->mtime_s >= c->began || e->ctime_s >= c->began))
		return;
	ALLOC_GROW(c->keep, c->nkeep + 1, c->alloc_keep);
	k = &c->keep[c->nkeep++];
	memset(k, 0, sizeof(*k));
	c->kept++;
	old = old_entry(c, body);
	if (old && c->v[old - 1].len == len) {
		/* the same file as before (cache_find() matched its stat data) */
		k->old = old;
		c->kept_old++;
		return;
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
	sb_add(&entry.sb, body, len);
	k->off = c->out.sb.len;
	cput_u32(&c->out, (uint32_t)entry.sb.len);
	sb_add(&c->out.sb, entry.sb.buf, entry.sb.len);
	k->len = c->out.sb.len - k->off;
	sb_release(&entry.sb);
}

void cache_spoil(struct cache *c)
{
	if (c)
		c->spoiled = 1;
}

static void write_cache(struct cache *c)
{
	struct cbuf head = { STRBUF_INIT }, payload = { STRBUF_INIT };
	char *dir = xstrdup(c->file), *tmp;
	uint64_t sum;
	int fd, ok;

	*strrchr(dir, '/') = '\0';
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		free(dir);
		return;		/* a cache is a help, never a requirement */
	}
	tmp = xasprintf("%s.%ld.tmp", c->file, (long)getpid());
	for (size_t i = 0; i < c->nkeep; i++) {
		const struct kept *k = &c->keep[i];
		if (k->old)
			sb_add(&payload.sb, (const char *)c->v[k->old - 1].raw, c->v[k->old - 1].raw_len);
		else
			sb_add(&payload.sb, c->out.sb.buf + k->off, k->len);
	}
	sb_add(&head.sb, c->by_blob ? blob_magic : magic, 8);
	cput_u64(&head, CACHE_LAYOUT);
	cput_u64(&head, c->settings);
	cput_u64(&head, c->kept);
	cput_u64(&head, payload.sb.len);
	sum = hash_bytes(hash_bytes(0, head.sb.buf, HEADER_BYTES),
			 payload.sb.buf ? payload.sb.buf : "", payload.sb.len);
	cput_u64(&head, sum);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
	ok = fd >= 0;
	for (size_t part = 0; ok && part < 2; part++) {
		const char *p = part ? payload.sb.buf : head.sb.buf;
		size_t n = part ? payload.sb.len : head.sb.len;
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
	free(tmp);
	free(dir);
	sb_release(&head.sb);
	sb_release(&payload.sb);
}

void cache_close(struct cache *c)
{
	if (!c)
		return;
	if (c->write && !c->spoiled && (c->dirty || c->kept_old != c->n))
		write_cache(c);
	free(c->old);
	free(c->v);
	strmap_release(&c->index);
	arena_release(&c->keys);
	sb_release(&c->out.sb);
	free(c->keep);
	free(c->file);
	free(c);
}
