/* source_fs.c -- the book in the working directory; see source.h.  Every
 * folder and file is opened through safepath.h, one component at a time
 * with O_NOFOLLOW from the book's root, so no link leads out of it. */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fsmonitor.h"
#include "pool.h"
#include "safepath.h"
#include "strmap.h"

struct source_fs {
	struct source base;
	char *root;
	int rootfd;
	struct strmap reported;	/* links and folders reported, keys in `keys` */
	struct strlist keys;
	pthread_mutex_t lock;	/* of reported: readers run on several threads */
	struct fsmonitor *mon;	/* listings kept and `ae watch`'s changes, or NULL */
	int walk_said;		/* the walk of a folder reported something */
	/* the folder of the last file read, kept open, one per thread
	 * (pool_slot()): records are read folder by folder, so this saves
	 * a walk from the root per file */
	struct open_dir {
		char *dir;
		int fd;
		char pad[POOL_LINE - sizeof(char *) - sizeof(int)];	/* pool.h: one cache line a thread */
	} open[POOL_MAX];
};

void source_refuse_link(const char *path)
{
	diag_at(DIAG_ERROR, path, 1, 1, "SEC-1",
		"a symbolic link inside the book: not followed, as it could lead out of the book; replace the link with the folder or file itself");
}

void source_refuse_depth(const char *path)
{
	diag_at(DIAG_ERROR, path, 1, 1, "SEC-3",
		"folders nested more than %d deep: what this folder holds is not read; move its records up",
		SOURCE_MAX_DEPTH);
}

/* Report path once per source; 1 if it was new. */
static int once(struct source_fs *fs, const char *path)
{
	int fresh = 0;

	pthread_mutex_lock(&fs->lock);
	if (!strmap_get(&fs->reported, path)) {
		strlist_add(&fs->keys, path);
		strmap_put(&fs->reported, fs->keys.v[fs->keys.n - 1], (void *)1);
		fresh = 1;
	}
	pthread_mutex_unlock(&fs->lock);
	return fresh;
}

static void refuse_link(struct source_fs *fs, const char *link)
{
	if (once(fs, link))
		source_refuse_link(link);
}

/* path (owned, taken) as an entry of type t, with st's data if any */
static void add_entry(struct source_list *l, char *path, enum source_entry_type t,
		      const struct stat *st)
{
	struct source_entry *e;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->path = path;
	e->type = t;
	if (st)
		source_entry_stat(e, st);
}

_Static_assert(sizeof(struct source_entry) <= 56, "a listing's entry: fresh memory each run");

void source_entry_stat(struct source_entry *e, const struct stat *st)
{
	e->type = S_ISLNK(st->st_mode) ? SRC_SYMLINK : S_ISDIR(st->st_mode) ? SRC_DIR :
		  S_ISREG(st->st_mode) ? SRC_FILE : SRC_OTHER;
	e->size = (size_t)st->st_size;
	e->oid_len = 0;
	e->has_stat = (uint64_t)st->st_dev <= UINT32_MAX;
	e->dev = (uint32_t)st->st_dev;
	e->mtime_s = (long long)st->st_mtim.tv_sec;
	e->mtime_ns = (uint32_t)st->st_mtim.tv_nsec;
	e->ctime_s = (long long)st->st_ctim.tv_sec;
	e->ctime_ns = (uint32_t)st->st_ctim.tv_nsec;
	e->ino = (unsigned long long)st->st_ino;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Sort a folder's names as strcmp() orders them.  A folder of a thousand
 * records sorted by qsort() and strcmp() cost 500 instructions a name, so
 * each name's first 16 bytes are a key (zeros past its end: a shorter
 * name first, as strcmp() has it), sorted by a radix sort a byte at a
 * time from the last (a byte the same in every name costs one count),
 * and only names whose keys are equal are compared further.
 */
#define KEY_BYTES 16
struct name_key {
	unsigned char k[KEY_BYTES];
	const char *s;
};

static void sort_names(const char **v, size_t n)
{
	struct name_key *a, *b, *t;
	size_t count[256];
	unsigned char vary[KEY_BYTES];

	if (n < 32) {
		if (n > 1)
			qsort(v, n, sizeof(*v), cmp_name);
		return;
	}
	a = xmalloc(2 * n * sizeof(*a));
	b = a + n;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		for (; j < KEY_BYTES && v[i][j]; j++)
			a[i].k[j] = (unsigned char)v[i][j];
		memset(a[i].k + j, 0, KEY_BYTES - j);
		a[i].s = v[i];
	}
	/* the bytes that differ between names: only they are sorted on */
	{
		uint64_t h0, l0, dh = 0, dl = 0, h, l;
		memcpy(&h0, a[0].k, 8);
		memcpy(&l0, a[0].k + 8, 8);
		for (size_t i = 1; i < n; i++) {
			memcpy(&h, a[i].k, 8);
			memcpy(&l, a[i].k + 8, 8);
			dh |= h ^ h0;
			dl |= l ^ l0;
		}
		memcpy(vary, &dh, 8);
		memcpy(vary + 8, &dl, 8);
	}
	for (int pos = KEY_BYTES - 1; pos >= 0; pos--) {
		size_t sum = 0;
		if (!vary[pos])
			continue;	/* the same byte in every name */
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[a[i].k[pos]]++;
		for (int c = 0; c < 256; c++) {
			size_t m = count[c];
			count[c] = sum;
			sum += m;
		}
		for (size_t i = 0; i < n; i++)
			b[count[a[i].k[pos]]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = a[i].s;
	/* equal keys: compared in full (names longer than the key) */
	for (size_t i = 0; i + 1 < n;) {
		size_t j = i + 1;
		while (j < n && a[j].k[KEY_BYTES - 1] == a[i].k[KEY_BYTES - 1] &&
		       !memcmp(a[j].k, a[i].k, KEY_BYTES))
			j++;
		if (j - i > 1)
			qsort(v + i, j - i, sizeof(*v), cmp_name);
		i = j;
	}
	free(a < b ? a : b);
}

/* The names of a big folder stat'ed on every core: the kernel's part of
 * a warm run (a path lookup and an inode's attributes a file) is most of
 * its system time, and it parallelises. */
#define STAT_PARALLEL_MIN 256

struct stat_job {
	int dirfd;
	const char **names;
	struct stat *st;
	unsigned char *ok;
};

static void stat_one(void *ctx, size_t i)
{
	struct stat_job *j = ctx;

	j->ok[i] = fstatat(j->dirfd, j->names[i], &j->st[i], AT_SYMLINK_NOFOLLOW) == 0;
}

/* List the folder open as fd (its path dir) into out; takes fd.  The
 * names are gathered in one buffer and sorted as pointers into it: a
 * folder of 100,000 files costs an allocation per file (its entry's
 * path), not four. */
static int walk(struct source_fs *fs, int fd, const char *dir, struct source_list *out,
		int depth)
{
	DIR *d;
	struct dirent *de;
	struct strbuf names = STRBUF_INIT;
	size_t *offs = NULL, n = 0, alloc = 0, dn = strlen(dir);
	const char **sorted;
	struct stat_job job = { -1, NULL, NULL, NULL };

	if (depth > SOURCE_MAX_DEPTH) {
		close(fd);
		fs->walk_said = 1;
		if (once(fs, dir))
			source_refuse_depth(dir);
		return 0;
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.') {
			if (!strcmp(de->d_name, ".git")) {
				/* a repository inside the book: its files are not the book's */
				add_entry(out, xstrdup(dir), SRC_NESTED_REPO, NULL);
				sb_release(&names);
				free(offs);
				closedir(d);
				return 0;
			}
			continue;
		}
		ALLOC_GROW(offs, n + 1, alloc);
		offs[n++] = names.len;
		sb_add(&names, de->d_name, strlen(de->d_name) + 1);
	}
	sorted = xmalloc((n + 1) * sizeof(*sorted));
	for (size_t i = 0; i < n; i++)
		sorted[i] = names.buf + offs[i];
	free(offs);
	sort_names(sorted, n);
	if (n >= STAT_PARALLEL_MIN && pool_threads() > 1 && !pool_active()) {
		job.dirfd = dirfd(d);
		job.names = sorted;
		job.st = xmalloc(n * sizeof(*job.st));
		job.ok = xmalloc(n);
		pool_run(n, 512, stat_one, &job);
	}
	for (size_t i = 0; i < n; i++) {
		size_t nn = strlen(sorted[i]);
		char *path = xmalloc(dn + 1 + nn + 1);
		struct stat st;
		enum source_entry_type t;

		memcpy(path, dir, dn);
		path[dn] = '/';
		memcpy(path + dn + 1, sorted[i], nn + 1);
		if (job.st ? !job.ok[i] : fstatat(dirfd(d), sorted[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			free(path);
			continue;
		}
		if (job.st)
			st = job.st[i];
		add_entry(out, path, SRC_FILE, &st);
		t = out->v[out->n - 1].type;
		if (t == SRC_DIR) {
			int sub = openat(dirfd(d), sorted[i],
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0)
				walk(fs, sub, out->v[out->n - 1].path, out, depth + 1);
		}
	}
	free(job.st);
	free(job.ok);
	free(sorted);
	sb_release(&names);
	closedir(d);
	return 0;
}

static int fs_list(struct source *s, const char *dir, struct source_list *out)
{
	struct source_fs *fs = (struct source_fs *)s;
	struct fsm_token tok;
	struct source_list mine = { 0 };
	char *link = NULL;
	size_t start = out->n;
	int fd;

	if (fsmonitor_list(fs->mon, fs->rootfd, dir, out, &tok))
		return 0;
	fs->walk_said = 0;
	fd = safe_opendir(fs->rootfd, dir, 0, &link);
	if (fd < 0 && errno == ELOOP && link) {
		refuse_link(fs, link);
		free(link);
		return 0;
	}
	free(link);
	/* no such folder: nothing in it */
	if ((fd < 0 && errno != ENOENT && errno != ENOTDIR) ||
	    (fd >= 0 && walk(fs, fd, dir, out, 0) < 0)) {
		diag_at(DIAG_SYSTEM, dir, 0, 0, NULL, "unable to read folder: %s",
			strerror(errno));
		return -1;
	}
	if (!fs->walk_said) {
		/* what a walk found and said nothing about is kept, for
		 * the next listing to take from and what changed since */
		mine.v = out->v ? out->v + start : NULL;
		mine.n = mine.alloc = out->n - start;
		fsmonitor_listed(fs->mon, dir, &mine, &tok);
	}
	return 0;
}

static enum source_read_status fs_read(struct source *s, const char *path,
				       size_t limit, struct strbuf *out,
				       const char **msg)
{
	struct source_fs *fs = (struct source_fs *)s;
	struct open_dir *od = &fs->open[pool_slot()];
	struct stat st;
	char *link = NULL, *dir, *base;
	int fd, err;

	*msg = NULL;
	if (*safe_path_problem(path)) {
		*msg = "not a plain path inside the book";
		return SRC_ERROR;
	}
	safe_split(path, &dir, &base);
	if (!od->dir || strcmp(od->dir, dir)) {
		if (od->dir)
			close(od->fd);
		free(od->dir);
		od->dir = NULL;
		od->fd = safe_opendir(fs->rootfd, dir, 0, &link);
		if (od->fd >= 0) {
			od->dir = dir;
			dir = NULL;
		}
	}
	/* open first and ask the descriptor: one lookup per file, not two;
	 * O_NONBLOCK so a FIFO cannot hang us */
	if (od->dir)
		fd = openat(od->fd, base, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	else
		fd = -1;	/* errno from safe_opendir() */
	err = fd < 0 ? errno : 0;
	if (fd < 0 && od->dir && err == ELOOP)
		link = xstrdup(path);
	free(dir);
	free(base);
	if (fd < 0) {
		if (err == ELOOP && link) {
			refuse_link(fs, link);
			free(link);
			return SRC_LINK;
		}
		free(link);
		if (err == ENOENT || err == ENOTDIR)
			return SRC_MISSING;
		if (err == ELOOP || err == ENXIO)
			return SRC_NOT_REGULAR;	/* a socket */
		*msg = strerror(err);
		return SRC_ERROR;
	}
	if (fstat(fd, &st) < 0) {
		*msg = strerror(errno);
		close(fd);
		return SRC_ERROR;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return SRC_NOT_REGULAR;
	}
	if ((size_t)st.st_size > limit) {
		close(fd);
		return SRC_TOO_BIG;
	}
	sb_reset(out);
	sb_grow(out, (size_t)st.st_size);
	for (;;) {
		ssize_t r;

		sb_grow(out, 4096);
		r = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*msg = strerror(errno);
			close(fd);
			return SRC_ERROR;
		}
		if (r == 0)
			break;
		out->len += (size_t)r;
		if (out->len > limit) {
			close(fd);
			return SRC_TOO_BIG;
		}
	}
	out->buf[out->len] = '\0';
	close(fd);
	return SRC_OK;
}

static int fs_exists(struct source *s, const char *path)
{
	struct source_fs *fs = (struct source_fs *)s;
	struct stat st;
	char *dir, *base;
	int dfd, r = 0;

	if (*safe_path_problem(path))
		return 0;
	safe_split(path, &dir, &base);
	dfd = safe_opendir(fs->rootfd, dir, 0, NULL);
	if (dfd >= 0) {
		r = fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
		close(dfd);
	}
	free(dir);
	free(base);
	return r;
}

static void fs_free(struct source *s)
{
	struct source_fs *fs = (struct source_fs *)s;

	fsmonitor_free(fs->mon);
	close(fs->rootfd);
	for (int i = 0; i < POOL_MAX; i++) {
		if (fs->open[i].dir)
			close(fs->open[i].fd);
		free(fs->open[i].dir);
	}
	pthread_mutex_destroy(&fs->lock);
	strmap_release(&fs->reported);
	strlist_release(&fs->keys);
	free(fs->root);
	free(fs);
}

void source_fs_read_ahead(struct source *src)
{
	fsmonitor_read_ahead(((struct source_fs *)src)->mon);
}

struct source *source_fs_new(const char *root)
{
	struct source_fs *fs = xcalloc(1, sizeof(*fs));

	fs->rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fs->rootfd < 0) {
		free(fs);
		return NULL;
	}
	fs->root = xstrdup(root);
	fs->mon = fsmonitor_new(root);
	pthread_mutex_init(&fs->lock, NULL);
	fs->base.name = "working tree";
	fs->base.list = fs_list;
	fs->base.read = fs_read;
	fs->base.exists = fs_exists;
	fs->base.free = fs_free;
	fs->base.threads_ok = 1;
	fs->base.cacheable = 1;
	return &fs->base;
}

void source_list_release(struct source_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!l->v[i].in_block)
			free(l->v[i].path);
	for (size_t i = 0; i < l->nblocks; i++)
		free(l->blocks[i]);
	free(l->blocks);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void source_list_adopt_blocks(struct source_list *to, struct source_list *from)
{
	if (!from->nblocks)
		return;
	to->blocks = xrealloc(to->blocks, (to->nblocks + from->nblocks) * sizeof(*to->blocks));
	memcpy(to->blocks + to->nblocks, from->blocks, from->nblocks * sizeof(*from->blocks));
	to->nblocks += from->nblocks;
	free(from->blocks);
	from->blocks = NULL;
	from->nblocks = 0;
}
