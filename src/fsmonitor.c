/*
 * fsmonitor.c -- listings kept, and brought up to date from what `ae
 * watch` saw change; see fsmonitor.h.
 *
 * The file .git/ae/listing-cache, little endian:
 *   header  "AELIST02", u32 sections, u32 0, u64 the length of what
 *           follows the header, u64 its checksum (cache_checksum()),
 *           u32 length of the book's root, root
 *   section u32 length of the folder, folder, NUL, u64 instance, u64 seq,
 *           u32 entries, u64 their bytes, the entries
 *   entry   u8 type, u8 has_stat, u16 0, u32 length of the path, u64 size,
 *           i64 mtime_s, i64 ctime_s, u32 mtime_ns, u32 ctime_ns,
 *           u64 inode, u64 device, the path, NUL
 * A section is checked when it is used: its entries are decoded straight
 * into the listing asked for (their paths point into the mapped file),
 * and written back as they were read unless the run changed them.
 */
#include "fsmonitor.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "fileio.h"
#include "gitdir.h"
#include "pool.h"
#include "safepath.h"
#include "textfile.h"
#include "watch.h"

#define LIST_MAGIC "AELIST02"
#define LIST_HEADER 32
#define LIST_SEED 0x6165206c69737473ULL
#define LIST_FILE "listing-cache"
#define LIST_MAX (1u << 30)
#define ENTRY_FIXED 56
/* Changes taken into a kept listing before it is written anew (till
 * then each run stats them again, which costs less than the writing) */
#define REWRITE_AFTER 256
/* More changed paths than this and the folder is walked: a walk stats
 * every file but each in one call, a change costs a path's folders
 * opened one by one (safepath.h) */
#define WALK_AFTER 8192

struct section {
	char *dir;		/* owned */
	uint64_t instance, seq;
	/* as read: count entries in raw[0..raw_len), checked when used */
	const unsigned char *raw;
	size_t raw_len, count;
	/* or made by this run (raw NULL): paths in m->strings */
	struct source_entry *v;
	size_t n;
};

struct fsmonitor {
	char *root, *aedir;
	int loaded, dirty;
	/* the file read (mapped: it is replaced by a rename, never written
	 * in place), which raw sections point into */
	const unsigned char *map;
	size_t map_len;
	struct arena strings;
	struct section *s;
	size_t n, alloc;
	/* the kept listings being read on a thread of their own
	 * (fsmonitor_read_ahead()), joined before m is used */
	pthread_t ahead;
	int ahead_running;
};

static void settle(struct fsmonitor *m);

struct fsmonitor *fsmonitor_new(const char *root)
{
	struct fsmonitor *m;
	const char *off = getenv("AE_CACHE");
	char *gitdir;

	/* a kept listing is a cache: $AE_CACHE=0 turns it off too */
	if (!watch_enabled() || (off && !strcmp(off, "0")) || !(gitdir = git_dir_of(root)))
		return NULL;
	m = xcalloc(1, sizeof(*m));
	m->root = xstrdup(root);
	m->aedir = xasprintf("%s/ae", gitdir);
	free(gitdir);
	return m;
}

/* -- the order a walk lists paths in (source_fs.c: a folder's names as
 * strcmp() sorts them, each folder followed by what it holds): bytes
 * compared unsigned, with '/' below every other byte and above the end */
/* How many bytes a[0..an) and b[0..bn) share at their start, eight at
 * a time (paths share long ones). */
static size_t common_prefix(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn, i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return i + (size_t)__builtin_ctzll(x ^ y) / 8;
	}
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

static int walk_cmp_n(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = common_prefix(a, an, b, bn);
	unsigned ca, cb;

	if (i == an || i == bn)
		return an == bn ? 0 : an < bn ? -1 : 1;
	ca = (unsigned char)a[i];
	cb = (unsigned char)b[i];
	ca = ca == '/' ? 1 : ca + 1;
	cb = cb == '/' ? 1 : cb + 1;
	return ca < cb ? -1 : 1;
}

static int walk_cmp(const char *a, const char *b)
{
	return walk_cmp_n(a, strlen(a), b, strlen(b));
}

/* -- reading the file */

static inline uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

struct rd {
	const unsigned char *p, *end;
	int bad;
};

static const unsigned char *take(struct rd *r, size_t n)
{
	const unsigned char *p = r->p;

	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	r->p += n;
	return p;
}

static uint64_t get(struct rd *r, int bytes)
{
	const unsigned char *p = take(r, (size_t)bytes);
	uint64_t v = 0;

	if (!p)
		return 0;
	for (int i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void drop_sections(struct fsmonitor *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->s[i].dir);
		free(m->s[i].v);
	}
	m->n = 0;
}

static struct section *section_of(struct fsmonitor *m, const char *dir)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->s[i].dir, dir))
			return &m->s[i];
	return NULL;
}

static void unmap(struct fsmonitor *m)
{
	if (m->map)
		munmap((void *)m->map, m->map_len);
	m->map = NULL;
	m->map_len = 0;
}

static void load(struct fsmonitor *m)
{
	char *path = xasprintf("%s/%s", m->aedir, LIST_FILE);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	struct rd r;
	size_t nsec, rn;
	uint64_t len;
	void *p;

	m->loaded = 1;
	free(path);
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < LIST_HEADER ||
	    (uint64_t)st.st_size > LIST_MAX ||
	    (p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0)) == MAP_FAILED) {
		close(fd);
		return;
	}
	close(fd);
	m->map = p;
	m->map_len = (size_t)st.st_size;
	r.p = m->map;
	r.end = r.p + m->map_len;
	r.bad = 0;
	if (memcmp(take(&r, 8), LIST_MAGIC, 8))
		goto bad;
	nsec = get(&r, 4);
	get(&r, 4);
	len = get(&r, 8);
	if (len != m->map_len - LIST_HEADER ||
	    get(&r, 8) != cache_checksum(LIST_SEED, r.p, (size_t)len))
		goto bad;
	rn = get(&r, 4);
	if (r.bad || rn != strlen(m->root) || !take(&r, rn) ||
	    memcmp(r.p - rn, m->root, rn) || nsec > len / 32)
		goto bad;
	for (size_t i = 0; i < nsec; i++) {
		size_t dn = get(&r, 4);
		const unsigned char *d = take(&r, dn + 1);
		struct section *s;

		if (!d || !dn || d[dn] || memchr(d, 0, dn) || section_of(m, (const char *)d))
			goto bad;
		ALLOC_GROW(m->s, m->n + 1, m->alloc);
		s = &m->s[m->n++];
		memset(s, 0, sizeof(*s));
		s->dir = xstrdup((const char *)d);
		s->instance = get(&r, 8);
		s->seq = get(&r, 8);
		s->count = get(&r, 4);
		s->raw_len = get(&r, 8);
		if (r.bad || s->count > s->raw_len / (ENTRY_FIXED + 2) ||
		    !(s->raw = take(&r, s->raw_len)))
			goto bad;
	}
	if (r.p != r.end)
		goto bad;
	return;
bad:
	/* not used; rewritten by the next run that lists */
	drop_sections(m);
	unmap(m);
}

/* Whether p[0..n) is a path of names a walk lists: none empty, none
 * starting with '.' (hidden, and so no "." or "..") */
static int plain_below(const char *p, size_t n)
{
	if (!n || p[0] == '.' || p[0] == '/' || p[n - 1] == '/')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (p[i - 1] == '/' && (p[i] == '/' || p[i] == '.'))
			return 0;
	return 1;
}

/* Whether any byte of x is zero (every byte of x ^ a repeated byte: is
 * that byte there) */
#define ONES 0x0101010101010101ULL
#define HAS_ZERO(x) (((x) - ONES) & ~(x) & (ONES << 7))

/* Whether p[0..n) holds neither a NUL nor a '/', eight bytes a step */
static int one_name(const char *p, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, p + i, 8);
		if (HAS_ZERO(x) || HAS_ZERO(x ^ (ONES * '/')))
			return 0;
	}
	for (; i < n; i++)
		if (!p[i] || p[i] == '/')
			return 0;
	return 1;
}

/*
 * Section s's entries appended to out, their paths pointing into the
 * mapped file (which lives as long as m, the source's): 0, or -1 (out as
 * it was) if they are not what a walk of s->dir could give -- a plain
 * path inside the folder, in a walk's order, of a type a walk gives (a
 * kept listing never holds a repository).
 */
static int decode(const struct section *s, struct source_list *out)
{
	const unsigned char *p = s->raw, *end = s->raw + s->raw_len;
	size_t dn = strlen(s->dir), start = out->n;
	const char *prev = NULL;
	/* prev's length, and where its last name starts */
	size_t prevn = 0, prevname = 0;
	/* every path so far clean (text_name_clean()): then only the bytes
	 * from the first name that differs from the last path need a look */
	int clean = 1;

	ALLOC_GROW(out->v, out->n + s->count, out->alloc);
	for (size_t i = 0; i < s->count; i++) {
		struct source_entry *e = &out->v[out->n];
		const char *at = (const char *)p + ENTRY_FIXED;
		size_t pn, same, from;
		uint64_t dev;

		if ((size_t)(end - p) < ENTRY_FIXED)
			goto bad;
		pn = le32(p + 4);
		if (p[0] > SRC_OTHER || p[1] > 1 || p[2] || p[3] ||
		    (size_t)(end - p) - ENTRY_FIXED <= pn || at[pn] || pn <= dn + 1)
			goto bad;
		if (prev) {
			/* after the last: then only the names from the
			 * first that differs need checking, the rest were
			 * (the folder's own part among them) */
			unsigned ca, cb;
			same = common_prefix(prev, prevn, at, pn);
			if (same == pn)
				goto bad;	/* the same, or before it */
			if (same < prevn) {
				ca = (unsigned char)prev[same];
				cb = (unsigned char)at[same];
				ca = ca == '/' ? 1 : ca + 1;
				cb = cb == '/' ? 1 : cb + 1;
				if (ca > cb)
					goto bad;
			}
			if (same < dn + 1)
				goto bad;	/* outside the folder */
			from = same;
			if (prevname <= same) {
				from = prevname;
			} else {
				while (from > dn + 1 && at[from - 1] != '/')
					from--;
			}
		} else {
			if (memcmp(at, s->dir, dn) || at[dn] != '/')
				goto bad;
			from = dn + 1;
		}
		/* from: where the name holding the first new byte starts */
		if (from >= pn || at[from] == '.')
			goto bad;
		if (clean)
			clean = prev ? text_name_clean(at + from, pn - from) : text_name_clean(at, pn);
		if (one_name(at + from, pn - from)) {
			prevname = from;
		} else {
			const char *slash;
			if (memchr(at + from, 0, pn - from) || !plain_below(at + from, pn - from))
				goto bad;
			slash = memrchr(at + from, '/', pn - from);
			prevname = (size_t)(slash - at) + 1;
		}
		dev = le64(p + 48);
		e->path = (char *)at;
		e->size = (size_t)le64(p + 8);
		e->type = p[0];
		e->has_stat = p[1];
		e->oid_len = 0;
		e->in_block = 1;
		e->dev = (uint32_t)dev;
		e->mtime_s = (long long)le64(p + 16);
		e->ctime_s = (long long)le64(p + 24);
		e->ino = le64(p + 40);
		e->mtime_ns = le32(p + 32);
		e->ctime_ns = le32(p + 36);
		if (e->mtime_ns >= 1000000000u || e->ctime_ns >= 1000000000u || dev > UINT32_MAX)
			goto bad;
		prev = at;
		prevn = pn;
		p += ENTRY_FIXED + pn + 1;
		out->n++;
	}
	if (p != end)
		goto bad;
	if (clean && out->clean == start)
		out->clean = out->n;
	return 0;
bad:
	out->n = start;
	return -1;
}

/* -- writing it */

static void put(struct strbuf *sb, uint64_t v, int bytes)
{
	unsigned char b[8];

	for (int i = 0; i < bytes; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	sb_add(sb, (const char *)b, (size_t)bytes);
}

static void encode(struct strbuf *sb, const struct section *s)
{
	size_t dn = strlen(s->dir), at;

	put(sb, dn, 4);
	sb_add(sb, s->dir, dn + 1);
	put(sb, s->instance, 8);
	put(sb, s->seq, 8);
	if (s->raw) {
		put(sb, s->count, 4);
		put(sb, s->raw_len, 8);
		sb_add(sb, (const char *)s->raw, s->raw_len);
		return;
	}
	put(sb, s->n, 4);
	at = sb->len;
	put(sb, 0, 8);
	for (size_t j = 0; j < s->n; j++) {
		const struct source_entry *e = &s->v[j];
		size_t pn = strlen(e->path);
		put(sb, (uint64_t)e->type, 1);
		put(sb, (uint64_t)!!e->has_stat, 1);
		put(sb, 0, 2);
		put(sb, pn, 4);
		put(sb, e->size, 8);
		put(sb, (uint64_t)e->mtime_s, 8);
		put(sb, (uint64_t)e->ctime_s, 8);
		put(sb, (uint64_t)e->mtime_ns, 4);
		put(sb, (uint64_t)e->ctime_ns, 4);
		put(sb, e->ino, 8);
		put(sb, e->dev, 8);
		sb_add(sb, e->path, pn + 1);
	}
	for (int i = 0; i < 8; i++)
		sb->buf[at + i] = (char)((uint64_t)(sb->len - at - 8) >> (8 * i));
}

static void write_file(struct fsmonitor *m)
{
	struct strbuf sb = STRBUF_INIT;
	size_t rn = strlen(m->root);
	char *path;

	sb_add(&sb, LIST_MAGIC, 8);
	put(&sb, m->n, 4);
	put(&sb, 0, 4);
	put(&sb, 0, 8);
	put(&sb, 0, 8);
	put(&sb, rn, 4);
	sb_add(&sb, m->root, rn);
	for (size_t i = 0; i < m->n; i++)
		encode(&sb, &m->s[i]);
	{
		size_t len = sb.len - LIST_HEADER;
		uint64_t sum = cache_checksum(LIST_SEED, sb.buf + LIST_HEADER, len);
		for (int i = 0; i < 8; i++) {
			sb.buf[16 + i] = (char)((uint64_t)len >> (8 * i));
			sb.buf[24 + i] = (char)(sum >> (8 * i));
		}
	}
	path = xasprintf("%s/%s", m->aedir, LIST_FILE);
	cache_file_put(m->aedir, path, sb.buf, sb.len);
	free(path);
	sb_release(&sb);
}

void fsmonitor_free(struct fsmonitor *m)
{
	if (!m)
		return;
	settle(m);
	if (m->dirty)
		write_file(m);
	drop_sections(m);
	free(m->s);
	unmap(m);
	arena_release(&m->strings);
	free(m->root);
	free(m->aedir);
	free(m);
}

/* -- listing */

struct change {
	const char *path;
	int gone;
	struct source_entry e;
};

static int cmp_change(const void *a, const void *b)
{
	return walk_cmp(((const struct change *)a)->path, ((const struct change *)b)->path);
}

/* Whether the folder part of path is dir or a folder v[0..n) lists. */
static int parent_listed(const struct source_entry *v, size_t n, const char *dir,
			 const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t pn = (size_t)(slash - path), lo = 0, hi = n;

	if (pn == strlen(dir))
		return 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = walk_cmp_n(v[mid].path, strlen(v[mid].path), path, pn);
		if (!c)
			return v[mid].type == SRC_DIR;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The paths the monitor named (a's body) stat'ed, in a walk's order;
 * -1 if dir must be walked instead.  v[0..n): dir's kept listing. */
static int stat_changes(const struct source_entry *v, size_t n, int rootfd, const char *dir,
			const struct watch_answer *a, struct change **chp, size_t *nch)
{
	size_t dn = strlen(dir), k = 0, alloc = 0;
	struct change *ch = NULL;

	for (size_t at = 0; at < a->body.len;) {
		const char *p = a->body.buf + at;
		char *pdir, *pbase, *link = NULL;
		size_t pn = strlen(p);
		struct stat st;
		int dfd, r, err;

		at += pn + 1;
		if (pn <= dn + 1 || strncmp(p, dir, dn) || p[dn] != '/' ||
		    !plain_below(p + dn + 1, pn - dn - 1) || !parent_listed(v, n, dir, p)) {
			free(ch);
			return -1;	/* not a path a walk lists: walk */
		}
		ALLOC_GROW(ch, k + 1, alloc);
		memset(&ch[k], 0, sizeof(ch[k]));
		ch[k].path = p;
		safe_split(p, &pdir, &pbase);
		dfd = safe_opendir(rootfd, pdir, 0, &link);
		r = dfd >= 0 ? fstatat(dfd, pbase, &st, AT_SYMLINK_NOFOLLOW) : -1;
		err = errno;
		if (dfd >= 0)
			close(dfd);
		free(pdir);
		free(pbase);
		free(link);
		if (r < 0 && err != ENOENT && err != ENOTDIR && !(dfd < 0 && err == ELOOP)) {
			free(ch);
			return -1;	/* unreadable: the walk says why */
		}
		if (r == 0 && S_ISDIR(st.st_mode)) {
			free(ch);
			return -1;	/* a folder where a file was */
		}
		if (r < 0) {
			ch[k].gone = 1;
		} else {
			source_entry_stat(&ch[k].e, &st);
			ch[k].e.path = (char *)p;
		}
		k++;
	}
	if (k > 1)
		qsort(ch, k, sizeof(*ch), cmp_change);
	*chp = ch;
	*nch = k;
	return 0;
}

/* out's entries from start, with the changes ch merged in (their paths
 * copied into a block of out's). */
static void merge_changes(struct source_list *out, size_t start, struct change *ch, size_t nch)
{
	size_t n0 = out->n - start, i = 0, j = 0, k = 0, bytes = 1;
	struct source_entry *old = xmalloc((n0 + 1) * sizeof(*old)), *v;
	char *block, *at;

	ALLOC_GROW(out->v, start + n0 + nch + 1, out->alloc);
	v = out->v + start;
	memcpy(old, v, n0 * sizeof(*old));
	for (size_t c = 0; c < nch; c++)
		bytes += strlen(ch[c].path) + 1;
	block = at = xmalloc(bytes);
	while (i < n0 || j < nch) {
		int c = i == n0 ? 1 : j == nch ? -1 : walk_cmp(old[i].path, ch[j].path);
		if (c < 0) {
			v[k++] = old[i++];
			continue;
		}
		if (j + 1 < nch && !walk_cmp(ch[j].path, ch[j + 1].path)) {
			j++;	/* the same path twice: once is enough */
			continue;
		}
		if (c == 0) {
			if (!old[i].in_block)
				free(old[i].path);
			i++;
		}
		if (!ch[j].gone) {
			size_t pn = strlen(ch[j].path);
			v[k] = ch[j].e;
			memcpy(at, ch[j].path, pn + 1);
			v[k].path = at;
			v[k++].in_block = 1;
			at += pn + 1;
		}
		j++;
	}
	out->n = start + k;
	out->blocks = xrealloc(out->blocks, (out->nblocks + 1) * sizeof(*out->blocks));
	out->blocks[out->nblocks++] = block;
	free(old);
}

/* s made from v[0..n), its paths copied into m->strings */
static void keep(struct fsmonitor *m, struct section *s, const struct source_entry *v, size_t n)
{
	free(s->v);
	s->v = xmalloc((n + 1) * sizeof(*s->v));
	for (size_t i = 0; i < n; i++) {
		s->v[i] = v[i];
		s->v[i].path = arena_strdup(&m->strings, v[i].path);
		s->v[i].oid_len = 0;
		s->v[i].in_block = 0;
	}
	s->n = n;
	s->raw = NULL;
	s->raw_len = s->count = 0;
	m->dirty = 1;
}

/* Ask the monitor what changed in dir since s's token: 1 and *a filled
 * ("ok" or "all"), or 0 when no monitor answered as it should. */
static int ask(struct fsmonitor *m, const struct section *s, const char *dir,
	       struct watch_answer *a)
{
	char inst[17], seq[21];
	const char *f[5];

	watch_token_fmt(s ? s->instance : 0, s ? s->seq : 0, inst, seq);
	f[0] = "changes";
	f[1] = m->root;
	f[2] = inst;
	f[3] = seq;
	f[4] = dir;
	if (watch_ask(m->aedir, f, 5, a) < 0)
		return 0;
	if (strcmp(a->kind, "ok") && strcmp(a->kind, "all")) {
		sb_release(&a->body);	/* "error": this monitor is not ours to use */
		return 0;
	}
	return 1;
}

/* Whether a monitor may be running: its socket is there.  With none, the
 * kept listings are not even read (a run without `ae watch` pays
 * nothing for them). */
static int socket_there(const struct fsmonitor *m)
{
	char *path = xasprintf("%s/%s", m->aedir, WATCH_SOCKET);
	struct stat st;
	int there = lstat(path, &st) == 0 && S_ISSOCK(st.st_mode);

	free(path);
	return there;
}

static size_t count_paths(const struct watch_answer *a)
{
	size_t n = 0;

	for (size_t i = 0; i < a->body.len; i++)
		n += !a->body.buf[i];
	return n;
}

/* s's entries appended to out: 0, or -1 (out as it was) */
static int section_out(const struct section *s, struct source_list *out)
{
	if (s->raw)
		return decode(s, out);
	ALLOC_GROW(out->v, out->n + s->n, out->alloc);
	for (size_t i = 0; i < s->n; i++) {
		out->v[out->n] = s->v[i];
		out->v[out->n++].path = xstrdup(s->v[i].path);
	}
	return 0;
}

static void *read_ahead(void *arg)
{
	struct fsmonitor *m = arg;

	if (socket_there(m))
		load(m);
	return NULL;
}

void fsmonitor_read_ahead(struct fsmonitor *m)
{
	if (!m || m->loaded || m->ahead_running || pool_threads() < 2)
		return;
	m->ahead_running = pthread_create(&m->ahead, NULL, read_ahead, m) == 0;
}

/* The kept listings read ahead, if they are being: m is this thread's. */
static void settle(struct fsmonitor *m)
{
	if (m && m->ahead_running) {
		pthread_join(m->ahead, NULL);
		m->ahead_running = 0;
	}
}

int fsmonitor_list(struct fsmonitor *m, int rootfd, const char *dir,
		   struct source_list *out, struct fsm_token *tok)
{
	struct watch_answer a;
	struct section *s;
	struct change *ch = NULL;
	size_t nch = 0, start = out->n;

	memset(tok, 0, sizeof(*tok));
	settle(m);
	if (!m || !*dir || *safe_path_problem(dir) || !socket_there(m))
		return 0;	/* no monitor: walk, keep nothing */
	if (!m->loaded)
		load(m);
	s = section_of(m, dir);
	if (!ask(m, s, dir, &a))
		return 0;
	tok->instance = a.instance;
	tok->seq = a.seq;
	tok->valid = 1;
	if (!strcmp(a.kind, "all") || !s || s->instance != a.instance ||
	    count_paths(&a) > WALK_AFTER || section_out(s, out) < 0) {
		sb_release(&a.body);
		return 0;
	}
	if (a.body.len) {
		if (stat_changes(out->v ? out->v + start : NULL, out->n - start, rootfd, dir, &a,
				 &ch, &nch) < 0) {
			/* walked instead: what was put out goes */
			for (size_t i = start; i < out->n; i++)
				if (!out->v[i].in_block)
					free(out->v[i].path);
			out->n = start;
			out->clean = out->clean < start ? out->clean : start;
			sb_release(&a.body);
			return 0;
		}
		/* the changes' names are the monitor's: looked at by the reader */
		out->clean = out->clean < start ? out->clean : start;
		merge_changes(out, start, ch, nch);
		if (nch >= REWRITE_AFTER) {
			keep(m, s, out->v + start, out->n - start);
			s->seq = a.seq;
		}
	}
	free(ch);
	sb_release(&a.body);
	return 1;
}

void fsmonitor_listed(struct fsmonitor *m, const char *dir, const struct source_list *l,
		      const struct fsm_token *tok)
{
	struct section *s;

	settle(m);
	if (!m || !tok->valid || !*dir || *safe_path_problem(dir))
		return;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].type == SRC_NESTED_REPO)
			return;	/* a walk says more than the entries: keep nothing */
	if (!(s = section_of(m, dir))) {
		ALLOC_GROW(m->s, m->n + 1, m->alloc);
		s = &m->s[m->n++];
		memset(s, 0, sizeof(*s));
		s->dir = xstrdup(dir);
	}
	keep(m, s, l->v, l->n);
	s->instance = tok->instance;
	s->seq = tok->seq;
}

int fsmonitor_kept(struct fsmonitor *m, size_t i, const char **dir, struct source_list *out)
{
	settle(m);
	if (!m->loaded)
		load(m);
	if (i >= m->n)
		return -1;
	*dir = m->s[i].dir;
	return section_out(&m->s[i], out) == 0;
}
