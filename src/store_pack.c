/*
 * store_pack.c -- the objects of a big commit (the first commit of a
 * book, an import, a sync of a big change) written into one pack, synced
 * once, instead of one loose object each; see store_int.h.
 *
 * libgit2 writes every loose object to a file of its own, syncs it and
 * its folder (GIT_OPT_ENABLE_FSYNC_GITDIR), and "freshens" it first: the
 * first commit of a 10,000-record book made 20,371 fsync calls, most of
 * its time (docs/PERFORMANCE.md).  Here an object database backend of
 * ae's own, put in front of the repository's for the staging, appends
 * each new object to a temporary pack file as git's loose objects are
 * compressed (zlib, fast level, no deltas: git gc makes those later); it
 * answers for them (exists, read) until the pack is finished: the trailer
 * and the .idx (version 2) written, both synced, renamed into
 * objects/pack/ (the .pack first, the .idx last, as git's index-pack
 * does: git reads a pack only through its .idx), and the folder synced,
 * all before the branch moves.
 *
 * Memory: only an entry per object (its id, offset, checksum), not the
 * objects: a pack is written as it grows.  A pack is finished and another
 * begun past AE_PACK_MAX_MIB (default 512, under the 2 GiB the .idx's
 * short offsets cover twice over, and git's pack.packSizeLimit's scale).
 *
 * The temporary files live in objects/ae-pack.tmp/ (git reads only the
 * 256 fan-out folders, pack/ and info/ of objects/): one writer at a
 * time, as every commit is made under the book lock.  A kill leaves the
 * folder; the next pack writer removes it, and a .pack renamed whose
 * .idx was not (a kill between the two renames) with it: no reader ever
 * saw that pack.  A pack that was finished stays, even when the commit
 * then fails: like a loose object, git may already have found an object
 * in it (and not written its own), and git gc prunes what no ref reaches.
 */
#include "store_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "diag.h"
#include "sha1.h"

#define TMP_DIR "ae-pack.tmp"
#define TMP_PACK "tmp.pack"
#define WBUF_SIZE ((size_t)1 << 20)
/* measured (docs/PERFORMANCE.md): below this many files a commit's few
 * loose objects cost less than a pack, and git's own fetch unpacks a
 * transfer of fewer than 100 objects (transfer.unpackLimit) */
#define DEFAULT_MIN_FILES 100
#define DEFAULT_MAX_MIB 512

struct pack_obj {
	git_oid oid;
	uint32_t crc;
	uint32_t type;
	uint64_t off;		/* of its header in the pack */
	uint64_t len;		/* header and compressed data */
	uint64_t size;		/* inflated */
};

struct store_pack {
	git_odb_backend parent;	/* first: libgit2 hands it back */
	char *objdir;		/* .../objects/, ends in '/' */
	char *tmpdir, *tmppack;
	git_odb *orig;		/* the repository's own, put back at the end */
	git_odb *odb;		/* the staging one: this backend in front */
	int fd;			/* the pack being written, or -1 */
	uint64_t off;		/* its length so far (written or buffered) */
	unsigned char *wbuf;
	size_t wlen;
	unsigned char *zbuf;
	size_t zalloc;
	z_stream z;
	int z_ready;
	struct pack_obj *v;	/* the objects of the pack being written */
	size_t n, alloc;
	uint32_t *slots;	/* open addressing: index + 1 into v, 0 free */
	size_t nslots;
	uint64_t max_bytes;
	size_t packs;		/* finished */
};

static int fail_os(const char *what, const char *path)
{
	char *msg = xasprintf("unable to %s '%s': %s", what, path, strerror(errno));

	git_error_set_str(GIT_ERROR_OS, msg);
	free(msg);
	return -1;
}

static size_t env_size(const char *name, size_t dflt)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long n;

	if (!v || !*v)
		return dflt;
	n = strtoull(v, &end, 10);
	return *end ? dflt : (size_t)n;
}

/* -- the table of objects in the pack being written -- */

static size_t slot_of(const struct store_pack *p, const git_oid *oid)
{
	uint32_t h;

	memcpy(&h, oid->id, sizeof(h));
	return h & (p->nslots - 1);
}

/* The object's index in p->v, or -1. */
static long find(const struct store_pack *p, const git_oid *oid)
{
	if (!p->nslots)
		return -1;
	for (size_t i = slot_of(p, oid);; i = (i + 1) & (p->nslots - 1)) {
		uint32_t k = p->slots[i];
		if (!k)
			return -1;
		if (git_oid_equal(&p->v[k - 1].oid, oid))
			return (long)(k - 1);
	}
}

static void table_put(struct store_pack *p, size_t idx)
{
	size_t i = slot_of(p, &p->v[idx].oid);

	while (p->slots[i])
		i = (i + 1) & (p->nslots - 1);
	p->slots[i] = (uint32_t)(idx + 1);
}

static void table_add(struct store_pack *p, const struct pack_obj *o)
{
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	p->v[p->n] = *o;
	if (2 * (p->n + 1) > p->nslots) {
		free(p->slots);
		p->nslots = p->nslots ? 2 * p->nslots : 1024;
		p->slots = xcalloc(p->nslots, sizeof(*p->slots));
		for (size_t i = 0; i < p->n; i++)
			table_put(p, i);
	}
	table_put(p, p->n++);
}

/* -- the temporary pack file -- */

static int write_all(int fd, const void *buf, size_t n, const char *path)
{
	const char *b = buf;

	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return fail_os("write", path);
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int flush_wbuf(struct store_pack *p)
{
	int r = p->wlen ? write_all(p->fd, p->wbuf, p->wlen, p->tmppack) : 0;

	p->wlen = 0;
	return r;
}

static int append(struct store_pack *p, const void *data, size_t n)
{
	p->off += n;
	if (p->wlen + n > WBUF_SIZE) {
		if (flush_wbuf(p) < 0)
			return -1;
		if (n > WBUF_SIZE)
			return write_all(p->fd, data, n, p->tmppack);
	}
	memcpy(p->wbuf + p->wlen, data, n);
	p->wlen += n;
	return 0;
}

/* A pack begun: the temporary file with a header whose count is filled
 * in when it is finished. */
static int open_pack(struct store_pack *p)
{
	static const unsigned char hdr[12] = { 'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 0 };

	if (mkdir(p->tmpdir, 0755) < 0 && errno != EEXIST)
		return fail_os("create", p->tmpdir);
	p->fd = open(p->tmppack, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0444);
	if (p->fd < 0)
		return fail_os("create", p->tmppack);
	p->off = 0;
	p->wlen = 0;
	return append(p, hdr, sizeof(hdr));
}

/* The type and size header of a pack entry: its length. */
static size_t entry_header(unsigned char *h, unsigned type, uint64_t size)
{
	size_t n = 0;
	unsigned char c = (unsigned char)((type << 4) | (size & 15));

	for (size >>= 4; size; size >>= 7) {
		h[n++] = c | 0x80;
		c = size & 0x7f;
	}
	h[n++] = c;
	return n;
}

static int deflate_into(struct store_pack *p, const void *data, size_t len, size_t *zlen)
{
	size_t bound;

	if (!p->z_ready) {
		if (deflateInit(&p->z, Z_BEST_SPEED) != Z_OK) {
			git_error_set_str(GIT_ERROR_ZLIB, "unable to start zlib");
			return -1;
		}
		p->z_ready = 1;
	} else if (deflateReset(&p->z) != Z_OK) {
		git_error_set_str(GIT_ERROR_ZLIB, "unable to reset zlib");
		return -1;
	}
	bound = deflateBound(&p->z, (uLong)len);
	ALLOC_GROW(p->zbuf, bound, p->zalloc);
	p->z.next_in = (Bytef *)data;
	p->z.avail_in = (uInt)len;
	p->z.next_out = p->zbuf;
	p->z.avail_out = (uInt)bound;
	if (deflate(&p->z, Z_FINISH) != Z_STREAM_END) {
		git_error_set_str(GIT_ERROR_ZLIB, "unable to compress an object");
		return -1;
	}
	*zlen = bound - p->z.avail_out;
	return 0;
}

/* -- finishing a pack -- */

static void put32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

static int cmp_obj(const void *a, const void *b)
{
	return git_oid_cmp(&((const struct pack_obj *)a)->oid, &((const struct pack_obj *)b)->oid);
}

/* The pack's checksum: the file read back whole, its header now
 * holding the count (written before the count was known, as git's
 * fast-import does). */
static int pack_checksum(struct store_pack *p, unsigned char out[20])
{
	struct sha1 c;
	unsigned char hdr[4];
	uint64_t at = 0;

	put32(hdr, (uint32_t)p->n);
	if (pwrite(p->fd, hdr, 4, 8) != 4)
		return fail_os("write", p->tmppack);
	sha1_init(&c);
	while (at < p->off) {
		size_t want = p->off - at < WBUF_SIZE ? (size_t)(p->off - at) : WBUF_SIZE;
		ssize_t r = pread(p->fd, p->wbuf, want, (off_t)at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? fail_os("read", p->tmppack) : (errno = EIO, fail_os("read", p->tmppack));
		sha1_update(&c, p->wbuf, (size_t)r);
		at += (uint64_t)r;
	}
	sha1_final(&c, out);
	return 0;
}

/* The .idx (version 2) of the objects, sorted, for the pack whose
 * checksum is sum. */
static void build_idx(struct store_pack *p, const unsigned char sum[20], struct strbuf *idx)
{
	static const unsigned char head[8] = { 0xff, 't', 'O', 'c', 0, 0, 0, 2 };
	unsigned char b[8], digest[20];
	uint32_t fan[256] = { 0 }, nlarge = 0;
	struct sha1 c;

	qsort(p->v, p->n, sizeof(*p->v), cmp_obj);
	sb_add(idx, (const char *)head, sizeof(head));
	for (size_t i = 0; i < p->n; i++)
		fan[p->v[i].oid.id[0]]++;
	for (int i = 0, sum_n = 0; i < 256; i++) {
		sum_n += (int)fan[i];
		put32(b, (uint32_t)sum_n);
		sb_add(idx, (const char *)b, 4);
	}
	for (size_t i = 0; i < p->n; i++)
		sb_add(idx, (const char *)p->v[i].oid.id, GIT_OID_RAWSZ);
	for (size_t i = 0; i < p->n; i++) {
		put32(b, p->v[i].crc);
		sb_add(idx, (const char *)b, 4);
	}
	for (size_t i = 0; i < p->n; i++) {
		uint64_t off = p->v[i].off;
		put32(b, off < 0x80000000u ? (uint32_t)off : 0x80000000u | nlarge++);
		sb_add(idx, (const char *)b, 4);
	}
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].off < 0x80000000u)
			continue;
		put32(b, (uint32_t)(p->v[i].off >> 32));
		put32(b + 4, (uint32_t)p->v[i].off);
		sb_add(idx, (const char *)b, 8);
	}
	sb_add(idx, (const char *)sum, 20);
	sha1_init(&c);
	sha1_update(&c, idx->buf, idx->len);
	sha1_final(&c, digest);
	sb_add(idx, (const char *)digest, 20);
}

static int sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (fd < 0)
		return fail_os("open", path);
	r = fsync(fd);
	close(fd);
	return r < 0 ? fail_os("sync", path) : 0;
}

static int write_idx(const char *path, const struct strbuf *idx)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0444), r;

	if (fd < 0)
		return fail_os("create", path);
	r = write_all(fd, idx->buf, idx->len, path);
	if (r == 0 && fsync(fd) < 0)
		r = fail_os("sync", path);
	if (close(fd) < 0 && r == 0)
		r = fail_os("write", path);
	return r;
}

/*
 * The pack being written finished and put in place: its count and
 * trailer, its .idx, both synced, renamed into objects/pack/ (.pack,
 * then .idx), the folder synced; from then on the staging database's
 * pack backend reads them.  0, or -1 (git's error set).
 */
static int finish_pack(struct store_pack *p)
{
	unsigned char sum[20];
	char hex[41], *packdir = NULL, *final_pack = NULL, *tmp_idx = NULL, *final_idx = NULL;
	struct strbuf idx = STRBUF_INIT;
	int r = -1;

	if (p->fd >= 0 && !p->n) {
		/* nothing was new */
		close(p->fd);
		p->fd = -1;
		unlink(p->tmppack);
	}
	if (p->fd < 0)
		return 0;
	if (flush_wbuf(p) < 0 || pack_checksum(p, sum) < 0)
		goto out;
	if (pwrite(p->fd, sum, 20, (off_t)p->off) != 20) {
		fail_os("write", p->tmppack);
		goto out;
	}
	if (fsync(p->fd) < 0) {
		fail_os("sync", p->tmppack);
		goto out;
	}
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	build_idx(p, sum, &idx);
	packdir = xasprintf("%spack", p->objdir);
	final_pack = xasprintf("%s/pack-%s.pack", packdir, hex);
	final_idx = xasprintf("%s/pack-%s.idx", packdir, hex);
	tmp_idx = xasprintf("%s/pack-%s.idx", p->tmpdir, hex);
	if (write_idx(tmp_idx, &idx) < 0)
		goto out;
	if (mkdir(packdir, 0755) < 0 && errno != EEXIST) {
		fail_os("create", packdir);
		goto out;
	}
	if (rename(p->tmppack, final_pack) < 0) {
		fail_os("rename into place", p->tmppack);
		goto out;
	}
	if (rename(tmp_idx, final_idx) < 0) {
		fail_os("rename into place", tmp_idx);
		/* the .pack without its .idx: no reader has seen it */
		unlink(final_pack);
		goto out;
	}
	if (sync_dir(packdir) < 0)
		goto out;
	/* done: the next object begins another pack */
	close(p->fd);
	p->fd = -1;
	p->n = 0;
	memset(p->slots, 0, p->nslots * sizeof(*p->slots));
	p->packs++;
	/* no git_odb_refresh here: libgit2 calls write with the database's
	 * lock held; a lookup that misses refreshes it (and finds the pack) */
	r = 0;
out:
	if (tmp_idx && r < 0)
		unlink(tmp_idx);
	sb_release(&idx);
	free(tmp_idx);
	free(final_idx);
	free(final_pack);
	free(packdir);
	return r;
}

/* -- the backend -- */

static int be_write(git_odb_backend *b, const git_oid *oid, const void *data, size_t len,
		    git_object_t type)
{
	struct store_pack *p = (struct store_pack *)b;
	struct pack_obj o = { 0 };
	unsigned char hdr[16];
	size_t hlen, zlen;

	if (find(p, oid) >= 0)
		return 0;
	if (len > UINT32_MAX) {
		git_error_set_str(GIT_ERROR_ODB, "an object too big for ae's pack");
		return -1;
	}
	if (p->fd >= 0 && p->off >= p->max_bytes && finish_pack(p) < 0)
		return -1;
	if (p->fd < 0 && open_pack(p) < 0)
		return -1;
	if (deflate_into(p, data, len, &zlen) < 0)
		return -1;
	hlen = entry_header(hdr, (unsigned)type, len);
	git_oid_cpy(&o.oid, oid);
	o.type = (uint32_t)type;
	o.off = p->off;
	o.len = hlen + zlen;
	o.size = len;
	o.crc = (uint32_t)crc32(crc32(0L, hdr, (uInt)hlen), p->zbuf, (uInt)zlen);
	if (append(p, hdr, hlen) < 0 || append(p, p->zbuf, zlen) < 0)
		return -1;
	table_add(p, &o);
	return 0;
}

static int be_exists(git_odb_backend *b, const git_oid *oid)
{
	return find((struct store_pack *)b, oid) >= 0;
}

static int be_read_header(size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *oid)
{
	struct store_pack *p = (struct store_pack *)b;
	long i = find(p, oid);

	if (i < 0)
		return GIT_ENOTFOUND;
	*len = (size_t)p->v[i].size;
	*type = (git_object_t)p->v[i].type;
	return 0;
}

static int be_read(void **out, size_t *len, git_object_t *type, git_odb_backend *b,
		   const git_oid *oid)
{
	struct store_pack *p = (struct store_pack *)b;
	long i = find(p, oid);
	const struct pack_obj *o;
	unsigned char *raw = NULL, *data = NULL;
	size_t hlen = 1;
	z_stream z = { 0 };
	int r = -1;

	if (i < 0)
		return GIT_ENOTFOUND;
	o = &p->v[i];
	if (flush_wbuf(p) < 0)
		return -1;
	raw = xmalloc(o->len);
	if (pread(p->fd, raw, o->len, (off_t)o->off) != (ssize_t)o->len) {
		fail_os("read", p->tmppack);
		goto out;
	}
	while (hlen < o->len && raw[hlen - 1] & 0x80)
		hlen++;
	data = git_odb_backend_data_alloc(b, o->size + 1);
	if (!data)
		goto out;
	z.next_in = raw + hlen;
	z.avail_in = (uInt)(o->len - hlen);
	z.next_out = data;
	z.avail_out = (uInt)o->size + 1;
	if (inflateInit(&z) != Z_OK || inflate(&z, Z_FINISH) != Z_STREAM_END ||
	    z.total_out != o->size) {
		git_error_set_str(GIT_ERROR_ZLIB, "an object ae wrote does not read back");
		git_odb_backend_data_free(b, data);
		data = NULL;
		goto out;
	}
	*out = data;
	*len = (size_t)o->size;
	*type = (git_object_t)o->type;
	r = 0;
out:
	inflateEnd(&z);
	free(raw);
	return r;
}

/* Freed with the staging database; what was not finished is dropped. */
static void be_free(git_odb_backend *b)
{
	struct store_pack *p = (struct store_pack *)b;

	if (p->fd >= 0) {
		close(p->fd);
		unlink(p->tmppack);
	}
	rmdir(p->tmpdir);
	if (p->z_ready)
		deflateEnd(&p->z);
	free(p->v);
	free(p->slots);
	free(p->wbuf);
	free(p->zbuf);
	free(p->tmppack);
	free(p->tmpdir);
	free(p->objdir);
	free(p);
}

/*
 * What a killed writer left in the temporary folder removed: its files,
 * and a .pack it had renamed into place whose .idx it had not (no reader
 * read it; one whose .idx is in place too was complete, and stays).
 */
static void remove_leftovers(const char *objdir, const char *tmpdir)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char *path;
		if (e->d_name[0] == '.')
			continue;
		if (n > 4 && !strcmp(e->d_name + n - 4, ".idx") && !strncmp(e->d_name, "pack-", 5)) {
			char *pack = xasprintf("%spack/%.*s.pack", objdir, (int)(n - 4), e->d_name);
			char *idx = xasprintf("%spack/%s", objdir, e->d_name);
			if (access(idx, F_OK) < 0 && access(pack, F_OK) == 0)
				unlink(pack);
			free(pack);
			free(idx);
		}
		path = xasprintf("%s/%s", tmpdir, e->d_name);
		unlink(path);
		free(path);
	}
	closedir(d);
	rmdir(tmpdir);
}

int store_pack_begin(struct store *s, size_t nfiles, struct store_pack **out)
{
	struct store_pack *p;
	git_buf dir = { 0 };

	*out = NULL;
	if (nfiles < env_size("AE_PACK_MIN_FILES", DEFAULT_MIN_FILES))
		return 0;
	if (git_repository_item_path(&dir, s->repo, GIT_REPOSITORY_ITEM_OBJECTS) < 0)
		return error("unable to find the object database: %s", store_error());
	p = xcalloc(1, sizeof(*p));
	p->fd = -1;
	p->objdir = dir.size && dir.ptr[dir.size - 1] == '/' ? xstrdup(dir.ptr) :
		    xasprintf("%s/", dir.ptr);
	git_buf_dispose(&dir);
	p->tmpdir = xasprintf("%s" TMP_DIR, p->objdir);
	p->tmppack = xasprintf("%s/" TMP_PACK, p->tmpdir);
	p->wbuf = xmalloc(WBUF_SIZE);
	p->max_bytes = (uint64_t)env_size("AE_PACK_MAX_MIB", DEFAULT_MAX_MIB) << 20;
	if (!p->max_bytes)
		p->max_bytes = 1;
	p->parent.version = GIT_ODB_BACKEND_VERSION;
	p->parent.read = be_read;
	p->parent.read_header = be_read_header;
	p->parent.write = be_write;
	p->parent.exists = be_exists;
	p->parent.free = be_free;
	remove_leftovers(p->objdir, p->tmpdir);
	if (git_repository_odb(&p->orig, s->repo) < 0 || git_odb_open(&p->odb, p->objdir) < 0) {
		error("unable to open the object database: %s", store_error());
		git_odb_free(p->orig);
		be_free(&p->parent);
		return -1;
	}
	/* in front of the loose objects (1) and the packs (2) */
	if (git_odb_add_backend(p->odb, &p->parent, 999) < 0) {
		error("unable to open the object database: %s", store_error());
		git_odb_free(p->odb);
		git_odb_free(p->orig);
		be_free(&p->parent);
		return -1;
	}
	git_repository_set_odb(s->repo, p->odb);
	*out = p;
	return 0;
}

/* The repository's own database back; the staging one (and p) freed. */
static void restore(struct store *s, struct store_pack *p)
{
	git_odb *orig = p->orig;

	git_repository_set_odb(s->repo, orig);
	/* it reads the new packs without a miss first */
	git_odb_refresh(orig);
	git_odb_free(orig);
	git_odb_free(p->odb);
}

int store_pack_end(struct store *s, struct store_pack *p)
{
	int r;

	if (!p)
		return 0;
	r = finish_pack(p);
	if (r < 0)
		error("unable to write the pack of the new objects: %s", store_error());
	restore(s, p);
	return r;
}

void store_pack_drop(struct store *s, struct store_pack *p)
{
	if (p)
		restore(s, p);
}
