/* gitindex.c -- git's index file read (and written) by ae; see gitindex.h. */
#include "gitindex.h"
#include "sha1.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HDR 12
#define TRAILER 20
#define ONDISK 62		/* stat data, id, flags */
#define READ_TRIES 20

void gitindex_release(struct gitindex *ix)
{
	free(ix->buf);
	free(ix->v);
	free(ix->paths);
	free(ix->tree);
	memset(ix, 0, sizeof(*ix));
}

int gitindex_cmp(const char *a, size_t alen, unsigned astage,
		 const char *b, size_t blen, unsigned bstage)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return astage < bstage ? -1 : astage > bstage;
}

/* git's mode of an entry: a file (0644, 0755), a link or a submodule. */
static int mode_ok(uint32_t m)
{
	return m == 0100644 || m == 0100755 || m == 0120000 || m == 0160000;
}

/* The cached tree (TREE): its nodes in pre-order, each child count
 * checked against what follows.  0, or 1 malformed. */
static int parse_tree(struct gitindex *ix, const unsigned char *p, size_t len)
{
	const unsigned char *end = p + len;
	size_t alloc = 0;

	while (p < end) {
		struct gitindex_tree t = { 0 };
		const unsigned char *nul = memchr(p, '\0', (size_t)(end - p));
		long long cnt = 0, sub = 0;
		int neg = 0;

		if (!nul)
			return 1;
		t.name = (const char *)p;
		t.namelen = (uint32_t)(nul - p);
		p = nul + 1;
		if (p < end && *p == '-') {
			neg = 1;
			p++;
		}
		if (p >= end || *p < '0' || *p > '9')
			return 1;
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if ((cnt = cnt * 10 + (*p - '0')) > INT32_MAX)
				return 1;
		if (p >= end || *p++ != ' ' || p >= end || *p < '0' || *p > '9')
			return 1;
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if ((sub = sub * 10 + (*p - '0')) > INT32_MAX)
				return 1;
		if (p >= end || *p++ != '\n')
			return 1;
		if (neg) {
			if (cnt != 1)
				return 1;
			t.count = -1;
		} else {
			if ((size_t)(end - p) < 20)
				return 1;
			t.count = (int32_t)cnt;
			t.id = p;
			p += 20;
		}
		t.nsub = (uint32_t)sub;
		/* the root alone has no name, a child's is one component */
		if ((ix->ntree == 0) != (t.namelen == 0) || memchr(t.name, '/', t.namelen))
			return 1;
		ALLOC_GROW(ix->tree, ix->ntree + 1, alloc);
		ix->tree[ix->ntree++] = t;
	}
	/* a tree: every node but the root some node's child, once (which
	 * also bounds the walk below to one step a node) */
	{
		uint64_t children = 0;
		for (size_t i = 0; i < ix->ntree; i++)
			children += ix->tree[i].nsub;
		if (children != ix->ntree - 1)
			return 1;
	}
	/* where each subtree ends, from the last node back */
	for (size_t i = ix->ntree; i-- > 0; ) {
		size_t j = i + 1;
		for (uint32_t k = 0; k < ix->tree[i].nsub; k++) {
			if (j >= ix->ntree)
				return 1;
			j = ix->tree[j].end;
		}
		ix->tree[i].end = (uint32_t)j;
	}
	return ix->ntree && ix->tree[0].end == ix->ntree ? 0 : 1;
}

/* git's varint of index version 4. */
static int varint(const unsigned char **pp, const unsigned char *end, size_t *out)
{
	const unsigned char *p = *pp;
	size_t v;

	if (p >= end)
		return -1;
	v = *p & 127;
	while (*p++ & 128) {
		if (p >= end || v > (SIZE_MAX >> 8))
			return -1;
		v = ((v + 1) << 7) + (*p & 127);
	}
	*pp = p;
	*out = v;
	return 0;
}

/* The file in ix->buf parsed: 0, or 1 not mine. */
static int parse(struct gitindex *ix)
{
	const unsigned char *b = ix->buf, *p, *end;
	struct strbuf paths = STRBUF_INIT;
	size_t *offs = NULL, prevlen = 0, prevoff = 0;
	uint32_t n;
	int ret = 1;

	if (ix->size < HDR + TRAILER || memcmp(b, "DIRC", 4))
		return 1;
	ix->version = gitindex_be32(b + 4);
	n = gitindex_be32(b + 8);
	if (ix->version < 2 || ix->version > 4)
		return 1;
	end = b + ix->size - TRAILER;
	p = b + HDR;
	/* each entry takes at least ONDISK + 2 bytes: a bound before allocating */
	if (n > (ix->size - HDR - TRAILER) / (ONDISK + 2))
		return 1;
	ix->v = xcalloc(n ? n : 1, sizeof(*ix->v));
	if (ix->version == 4)
		offs = xcalloc(n ? n : 1, sizeof(*offs));
	for (uint32_t i = 0; i < n; i++) {
		struct gitindex_entry *e = &ix->v[i];
		const unsigned char *name;
		size_t hdr = ONDISK, len;

		if ((size_t)(end - p) < ONDISK + 1)
			goto out;
		e->raw = p;
		e->flags = (uint16_t)(p[60] << 8 | p[61]);
		if (e->flags & GITINDEX_F_EXTENDED) {
			if (ix->version < 3 || (size_t)(end - p) < ONDISK + 3)
				goto out;
			e->xflags = (uint16_t)(p[62] << 8 | p[63]);
			/* another bit is a newer format's: git refuses it too */
			if (e->xflags & ~(GITINDEX_X_SKIP_WORKTREE | GITINDEX_X_INTENT_TO_ADD))
				goto out;
			hdr += 2;
		}
		if (!mode_ok(gitindex_mode(e)))
			goto out;	/* a sparse index's folder, or damage */
		if (gitindex_stage(e))
			ix->conflicts = 1;
		name = p + hdr;
		if (ix->version == 4) {
			size_t strip;
			const unsigned char *nul;
			if (varint(&name, end, &strip) < 0 || strip > prevlen ||
			    !(nul = memchr(name, '\0', (size_t)(end - name))))
				goto out;
			len = prevlen - strip + (size_t)(nul - name);
			offs[i] = paths.len;
			/* grown first: the previous path is copied from the buffer */
			sb_grow(&paths, len + 1);
			sb_add(&paths, paths.buf + prevoff, prevlen - strip);
			sb_add(&paths, (const char *)name, (size_t)(nul - name));
			sb_add(&paths, "", 1);
			prevoff = offs[i];
			prevlen = len;
			p = nul + 1;
		} else {
			const unsigned char *nul = memchr(name, '\0', (size_t)(end - name));
			size_t disk;
			if (!nul)
				goto out;
			len = (size_t)(nul - name);
			disk = (hdr + len + 8) & ~(size_t)7;
			if (disk > (size_t)(end - p))
				goto out;
			e->path = (const char *)name;
			e->disk = (uint32_t)disk;
			p += disk;
		}
		if (!len || len > UINT32_MAX || ((e->flags & 0xfff) != 0xfff && (e->flags & 0xfff) != len))
			goto out;
		e->len = (uint32_t)len;
	}
	if (ix->version == 4) {
		ix->paths = paths.buf ? paths.buf : xstrdup("");
		paths.buf = NULL;
		for (uint32_t i = 0; i < n; i++)
			ix->v[i].path = ix->paths + offs[i];
	}
	ix->n = n;
	/* sorted, each (path, stage) once, a path merged or in conflict */
	for (size_t i = 1; i < ix->n; i++) {
		const struct gitindex_entry *a = &ix->v[i - 1], *c = &ix->v[i];
		if (gitindex_cmp(a->path, a->len, gitindex_stage(a), c->path, c->len,
				 gitindex_stage(c)) >= 0)
			goto out;
		if (a->len == c->len && !memcmp(a->path, c->path, a->len) && !gitindex_stage(a))
			goto out;
	}
	/* the extensions, up to the trailer exactly */
	while (p < end) {
		uint32_t elen;
		const unsigned char *sig = p;

		if ((size_t)(end - p) < 8)
			goto out;
		elen = gitindex_be32(p + 4);
		p += 8;
		if (elen > (size_t)(end - p))
			goto out;
		if (!memcmp(sig, "TREE", 4)) {
			if (ix->tree || parse_tree(ix, p, elen))
				goto out;
		} else if (!memcmp(sig, "REUC", 4)) {
			ix->reuc = p;
			ix->reuc_len = elen;
		} else if (sig[0] < 'A' || sig[0] > 'Z') {
			goto out;	/* required: "link", "sdir", or unknown */
		}
		p += elen;
	}
	ret = 0;
out:
	sb_release(&paths);
	free(offs);
	return ret;
}

/* The file at path, whole, through one descriptor: 0, 1 absent, -1. */
static int slurp(const char *path, struct gitindex *ix)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	if (fstat(fd, &ix->st) < 0) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	if (!S_ISREG(ix->st.st_mode) || (unsigned long long)ix->st.st_size > ((size_t)1 << 31)) {
		close(fd);
		return 1;
	}
	ix->size = (size_t)ix->st.st_size;
	ix->buf = xmalloc(ix->size + 1);
	while (got < ix->size) {
		ssize_t r = read(fd, ix->buf + got, ix->size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	/* shorter than it said: damaged, not ours to judge */
	ix->size = got;
	return 0;
}

int gitindex_read(const char *path, struct gitindex *ix)
{
	for (int attempt = 0; attempt < READ_TRIES; attempt++) {
		struct stat now;
		int r;

		memset(ix, 0, sizeof(*ix));
		if ((r = slurp(path, ix)) != 0)
			return r;
		if (parse(ix) == 0)
			return 0;
		/* a new index renamed into place meanwhile: read that one */
		if (stat(path, &now) < 0 || (now.st_ino == ix->st.st_ino && now.st_dev == ix->st.st_dev &&
					     now.st_size == ix->st.st_size &&
					     now.st_mtim.tv_sec == ix->st.st_mtim.tv_sec &&
					     now.st_mtim.tv_nsec == ix->st.st_mtim.tv_nsec))
			return 1;
		gitindex_release(ix);
	}
	return 1;
}

long gitindex_find(const struct gitindex *ix, const char *path, size_t len, unsigned stage)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct gitindex_entry *e = &ix->v[mid];
		int c = gitindex_cmp(path, len, stage, e->path, e->len, gitindex_stage(e));
		if (!c)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -(long)lo - 1;
}

size_t gitindex_prefix_end(const struct gitindex *ix, size_t lo, size_t hi,
			   const char *prefix, size_t plen)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct gitindex_entry *e = &ix->v[mid];
		if (e->len >= plen && !memcmp(e->path, prefix, plen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long gitindex_tree_child(const struct gitindex *ix, size_t node, const char *name, size_t len)
{
	size_t j = node + 1;

	if (node >= ix->ntree)
		return -1;
	for (uint32_t k = 0; k < ix->tree[node].nsub && j < ix->ntree; k++) {
		if (ix->tree[j].namelen == len && !memcmp(ix->tree[j].name, name, len))
			return (long)j;
		j = ix->tree[j].end;
	}
	return -1;
}

/* -- writing -- */

int gitindex_writable(const struct gitindex *ix)
{
	return (ix->version == 2 || ix->version == 3) && !ix->conflicts;
}

static void put32(struct strbuf *sb, uint32_t v)
{
	char b[4] = { (char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v };

	sb_add(sb, b, 4);
}

/* A new entry as versions 2 and 3 write it: stat data, id, flags, the
 * path padded with NULs to a multiple of 8. */
static void put_entry(struct strbuf *sb, const struct gitindex_new *c)
{
	size_t len = strlen(c->path), disk = (ONDISK + len + 8) & ~(size_t)7;
	const struct stat *st = &c->st;

	put32(sb, (uint32_t)st->st_ctim.tv_sec);
	put32(sb, (uint32_t)st->st_ctim.tv_nsec);
	put32(sb, (uint32_t)st->st_mtim.tv_sec);
	put32(sb, (uint32_t)st->st_mtim.tv_nsec);
	put32(sb, (uint32_t)st->st_dev);
	put32(sb, (uint32_t)st->st_ino);
	put32(sb, c->mode);
	put32(sb, (uint32_t)st->st_uid);
	put32(sb, (uint32_t)st->st_gid);
	put32(sb, (uint32_t)st->st_size);
	sb_add(sb, (const char *)c->id, 20);
	sb_addch(sb, (int)((len < 0xfff ? len : 0xfff) >> 8));
	sb_addch(sb, (int)((len < 0xfff ? len : 0xfff) & 0xff));
	sb_add(sb, c->path, len);
	for (size_t i = ONDISK + len; i < disk; i++)
		sb_addch(sb, 0);
}

/* Whether the work tree's file no longer has the content of e, whose
 * stat data it still matches (git's racily clean entry). */
static int racy_changed(const struct gitindex_entry *e, const char *workdir)
{
	char *abs = xasprintf("%s%s", workdir, e->path);
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	struct sha1 c;
	unsigned char id[20];
	char hdr[32];
	int changed = 1, n;

	if (lstat(abs, &st) < 0 || (uint32_t)st.st_mtim.tv_sec != gitindex_be32(e->raw + 8) ||
	    (uint32_t)st.st_mtim.tv_nsec != gitindex_be32(e->raw + 12) ||
	    (uint32_t)st.st_ctim.tv_sec != gitindex_be32(e->raw) ||
	    (uint32_t)st.st_ctim.tv_nsec != gitindex_be32(e->raw + 4) ||
	    (uint32_t)st.st_ino != gitindex_be32(e->raw + 20) ||
	    (uint32_t)st.st_size != gitindex_size(e)) {
		/* git sees the change by the stat data already */
		changed = 0;
	} else if (S_ISREG(st.st_mode) && sb_read_file(&sb, abs, (size_t)1 << 31) == 0) {
		n = snprintf(hdr, sizeof(hdr), "blob %zu", sb.len);
		sha1_init(&c);
		sha1_update(&c, hdr, (size_t)n + 1);
		sha1_update(&c, sb.buf ? sb.buf : "", sb.len);
		sha1_final(&c, id);
		changed = memcmp(id, gitindex_id(e), 20) != 0;
	}
	sb_release(&sb);
	free(abs);
	return changed;
}

/* The index's entries below folder (length flen, "" the root) after ch. */
static int32_t new_count(const struct gitindex *ix, const struct gitindex_new *ch, size_t nch,
			 const char *folder, size_t flen)
{
	char *pre = xasprintf("%.*s/", (int)flen, folder);
	size_t plen = flen ? flen + 1 : 0, lo;
	long i = plen ? gitindex_find(ix, pre, plen, 0) : 0;
	int64_t n;

	lo = i < 0 ? (size_t)(-i - 1) : (size_t)i;
	n = (int64_t)(gitindex_prefix_end(ix, lo, ix->n, pre, plen) - lo);
	for (size_t k = 0; k < nch; k++) {
		int had;
		if (strncmp(ch[k].path, pre, plen))
			continue;
		had = gitindex_find(ix, ch[k].path, strlen(ch[k].path), 0) >= 0;
		n += ch[k].remove ? -(int64_t)had : !had;
	}
	free(pre);
	return n > INT32_MAX ? -1 : (int32_t)n;
}

/* The entry of trees for the folder p[0..flen), or NULL. */
static const struct gitindex_newtree *tree_of(const struct gitindex_newtree *trees, size_t ntrees,
					      const char *p, size_t flen)
{
	for (size_t j = 0; j < ntrees; j++)
		if (strlen(trees[j].path) == flen && !strncmp(trees[j].path, p, flen))
			return &trees[j];
	return NULL;
}

/*
 * What becomes of each cached-tree node along the changed paths: 1
 * invalidated, 2 the new tree's id (ids[node], counts[node]); 0 kept.
 * A folder takes the new tree's id when its node was valid and HEAD's
 * (the index held HEAD's folder, so it holds the new one now); else it
 * and every folder above it are invalidated, as git does.
 */
static void tree_fate(const struct gitindex *ix, const struct gitindex_new *ch, size_t nch,
		      const struct gitindex_newtree *trees, size_t ntrees, unsigned char *fate,
		      const unsigned char **ids, int32_t *counts)
{
	for (size_t k = 0; k < nch; k++) {
		const char *p = ch[k].path;
		size_t chain[64], depth = 0, flen = 0;
		long node = 0;

		for (;;) {
			const struct gitindex_newtree *t = tree_of(trees, ntrees, p, flen);
			size_t start = flen ? flen + 1 : 0;
			const char *sl;

			chain[depth++] = (size_t)node;
			if (t && t->has_new && t->has_head && ix->tree[node].id &&
			    !memcmp(ix->tree[node].id, t->head, 20)) {
				if (fate[node] != 1) {
					fate[node] = 2;
					ids[node] = t->id;
					counts[node] = new_count(ix, ch, nch, p, flen);
				}
			} else {
				for (size_t d = 0; d < depth; d++)
					fate[chain[d]] = 1;
			}
			if (!(sl = strchr(p + start, '/')))
				break;
			node = gitindex_tree_child(ix, (size_t)node, p + start, (size_t)(sl - p - start));
			flen = (size_t)(sl - p);
			if (node < 0 || depth == ARRAY_SIZE(chain)) {
				/* a folder the cached tree lacks: all above it invalid */
				for (size_t d = 0; d < depth; d++)
					fate[chain[d]] = 1;
				break;
			}
		}
	}
}

/* Whether inserting ch's entries leaves a file and a folder of one name
 * (a path whose folder is a file, or a file where a folder is). */
static int file_and_folder(const struct gitindex *ix, const struct gitindex_new *ch, size_t nch)
{
	for (size_t k = 0; k < nch; k++) {
		const char *p = ch[k].path;
		size_t len = strlen(p);
		char *under;
		long i;
		int bad;

		if (ch[k].remove || gitindex_find(ix, p, len, 0) >= 0)
			continue;
		for (const char *sl = strchr(p, '/'); sl; sl = strchr(sl + 1, '/'))
			if (gitindex_find(ix, p, (size_t)(sl - p), 0) >= 0)
				return 1;
		under = xasprintf("%s/", p);
		i = gitindex_find(ix, under, len + 1, 0);
		i = i < 0 ? -i - 1 : i;
		bad = gitindex_prefix_end(ix, (size_t)i, ix->n, under, len + 1) > (size_t)i;
		free(under);
		if (bad)
			return 1;
	}
	return 0;
}

static void put_tree(struct strbuf *sb, const struct gitindex *ix, const unsigned char *fate,
		     const unsigned char **ids, const int32_t *counts)
{
	struct strbuf t = STRBUF_INIT;

	for (size_t i = 0; i < ix->ntree; i++) {
		const struct gitindex_tree *n = &ix->tree[i];
		const unsigned char *id = fate[i] == 2 ? ids[i] : fate[i] == 1 ? NULL : n->id;
		int32_t count = fate[i] == 2 ? counts[i] : id ? n->count : -1;

		if (count < 0)
			id = NULL;
		sb_add(&t, n->name, n->namelen);
		sb_addch(&t, 0);
		sb_addf(&t, "%d %u\n", id ? (int)count : -1, n->nsub);
		if (id)
			sb_add(&t, (const char *)id, 20);
	}
	sb_add(sb, "TREE", 4);
	put32(sb, (uint32_t)t.len);
	sb_add(sb, t.buf ? t.buf : "", t.len);
	sb_release(&t);
}

int gitindex_write(int fd, const struct gitindex *ix, const struct gitindex_new *ch, size_t nch,
		   const struct gitindex_newtree *trees, size_t ntrees, const char *workdir)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned char *fate = NULL, sum[20];
	const unsigned char **ids = NULL;
	int32_t *counts = NULL;
	const unsigned char *run = NULL, *run_end = NULL;
	size_t k = 0, c = 0, n = 0, off;
	struct sha1 h;
	int ret = -1;

	if (!gitindex_writable(ix) || file_and_folder(ix, ch, nch)) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 1; i < nch; i++)
		if (strcmp(ch[i - 1].path, ch[i].path) >= 0) {
			errno = EINVAL;
			return -1;
		}
	sb_grow(&sb, ix->size + nch * 128 + 64);
	sb_add(&sb, "DIRC", 4);
	put32(&sb, ix->version);
	put32(&sb, 0);		/* the count, once known */
#define FLUSH() do { if (run) sb_add(&sb, (const char *)run, (size_t)(run_end - run)); run = NULL; } while (0)
	while (k < ix->n || c < nch) {
		const struct gitindex_entry *e = k < ix->n ? &ix->v[k] : NULL;
		int cmp = !e ? 1 : c >= nch ? -1 :
			  gitindex_cmp(e->path, e->len, 0, ch[c].path, strlen(ch[c].path), 0);

		if (cmp < 0) {
			/* kept as it was; racily clean: as git, smudged if it changed */
			if ((uint32_t)ix->st.st_mtim.tv_sec <= gitindex_be32(e->raw + 8) && workdir &&
			    (gitindex_mode(e) & 0170000) == 0100000 && racy_changed(e, workdir)) {
				FLUSH();
				off = sb.len;
				sb_add(&sb, (const char *)e->raw, e->disk);
				memset(sb.buf + off + 36, 0, 4);
			} else if (run && run_end == e->raw) {
				run_end += e->disk;
			} else {
				FLUSH();
				run = e->raw;
				run_end = e->raw + e->disk;
			}
			k++;
			n++;
			continue;
		}
		FLUSH();
		if (!ch[c].remove) {
			put_entry(&sb, &ch[c]);
			n++;
		}
		if (cmp == 0)
			k++;
		c++;
	}
	FLUSH();
#undef FLUSH
	sb.buf[8] = (char)(n >> 24);
	sb.buf[9] = (char)(n >> 16);
	sb.buf[10] = (char)(n >> 8);
	sb.buf[11] = (char)n;
	if (ix->ntree) {
		fate = xcalloc(ix->ntree, 1);
		ids = xcalloc(ix->ntree, sizeof(*ids));
		counts = xcalloc(ix->ntree, sizeof(*counts));
		tree_fate(ix, ch, nch, trees, ntrees, fate, ids, counts);
		put_tree(&sb, ix, fate, ids, counts);
	}
	if (ix->reuc) {
		sb_add(&sb, "REUC", 4);
		put32(&sb, ix->reuc_len);
		sb_add(&sb, (const char *)ix->reuc, ix->reuc_len);
	}
	sha1_init(&h);
	sha1_update(&h, sb.buf, sb.len);
	sha1_final(&h, sum);
	sb_add(&sb, (const char *)sum, 20);
	for (size_t done = 0; done < sb.len; ) {
		ssize_t w = write(fd, sb.buf + done, sb.len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto out;
		done += (size_t)w;
	}
	ret = 0;
out:
	free(fate);
	free(ids);
	free(counts);
	sb_release(&sb);
	return ret;
}

/* -- one read shared by the quick paths of a run (gitindex.h) */
static struct shared {
	char *path;
	struct gitindex ix;
	struct shared *older;	/* replaced reads: kept, a caller may hold one */
} *shared;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

const struct gitindex *gitindex_shared(const char *path)
{
	const struct gitindex *ret = NULL;
	struct stat st;

	pthread_mutex_lock(&shared_lock);
	if (stat(path, &st) < 0)
		goto out;
	if (shared && !strcmp(shared->path, path) && same_file(&shared->ix.st, &st)) {
		ret = &shared->ix;
		goto out;
	}
	{
		struct shared *sh = xcalloc(1, sizeof(*sh));
		if (gitindex_read(path, &sh->ix) != 0) {
			gitindex_release(&sh->ix);
			free(sh);
			goto out;
		}
		sh->path = xstrdup(path);
		sh->older = shared;
		shared = sh;
		ret = &sh->ix;
	}
out:
	pthread_mutex_unlock(&shared_lock);
	return ret;
}
