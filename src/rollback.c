/* rollback.c -- see rollback.h */
#include "rollback.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fileio.h"
#include "util.h"

#define JOURNAL "ae-rollback"
/* the old content of a file is kept whatever its size: it was read already */
#define OLD_LIMIT ((size_t)1 << 30)

struct saved {
	char *path;
	char *old;		/* NULL: the file did not exist */
	size_t oldlen;
	int removes;		/* the command removes the file */
	size_t newlen;
	uint64_t newhash;
};

struct rollback {
	char *gitdir;
	char *path;		/* gitdir + JOURNAL */
	int rootfd;
	char *head;
	struct saved *v;
	size_t n, alloc;
	int saved;		/* the journal is on disk */
};

/* 64-bit FNV-1a: enough to tell the command's text from any other */
static uint64_t fnv64(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

struct rollback *rollback_new(const char *gitdir, int rootfd, const char *head)
{
	struct rollback *rb = xcalloc(1, sizeof(*rb));

	rb->gitdir = gitdir ? xstrdup(gitdir) : NULL;
	rb->path = gitdir ? xasprintf("%s" JOURNAL, gitdir) : NULL;
	rb->rootfd = fcntl(rootfd, F_DUPFD_CLOEXEC, 0);
	rb->head = xstrdup(head);
	return rb;
}

static void rollback_free(struct rollback *rb)
{
	for (size_t i = 0; i < rb->n; i++) {
		free(rb->v[i].path);
		free(rb->v[i].old);
	}
	free(rb->v);
	if (rb->rootfd >= 0)
		close(rb->rootfd);
	free(rb->gitdir);
	free(rb->path);
	free(rb->head);
	free(rb);
}

int rollback_add(struct rollback *rb, const char *path, const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	struct saved *s;
	int r = book_read(rb->rootfd, path, OLD_LIMIT, &sb);

	if (r < 0) {
		sb_release(&sb);
		return r;
	}
	ALLOC_GROW(rb->v, rb->n + 1, rb->alloc);
	s = &rb->v[rb->n++];
	s->path = xstrdup(path);
	s->oldlen = r == 0 ? sb.len : 0;
	s->old = r == 0 ? sb_detach(&sb) : NULL;
	s->removes = text == NULL;
	s->newlen = text ? len : 0;
	s->newhash = text ? fnv64(text, len) : 0;
	sb_release(&sb);
	return 0;
}

int rollback_save(struct rollback *rb)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	if (!rb->path)
		return 0;	/* no git folder: kept in memory only */
	sb_addf(&sb, "ae-rollback 1\nhead %s\n", *rb->head ? rb->head : "unborn");
	for (size_t i = 0; i < rb->n; i++) {
		const struct saved *s = &rb->v[i];
		sb_addf(&sb, "file %zu %s%zu %s%zu %016llx\n", strlen(s->path),
			s->old ? "" : "-", s->oldlen, s->removes ? "-" : "", s->newlen,
			(unsigned long long)s->newhash);
		sb_addstr(&sb, s->path);
		if (s->old)
			sb_add(&sb, s->old, s->oldlen);
		sb_addch(&sb, '\n');
	}
	sb_addstr(&sb, "end\n");
	ret = write_atomic(rb->path, sb.buf, sb.len, 0644);
	sb_release(&sb);
	if (ret == 0)
		rb->saved = 1;
	return ret;
}

static int forget(struct rollback *rb)
{
	int fd;

	if (!rb->saved)
		return 0;
	if (unlink(rb->path) < 0 && errno != ENOENT) {
		warning("unable to remove '%s': %s; the next ae command will", rb->path,
			strerror(errno));
		return -1;
	}
	fd = open(rb->gitdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	rb->saved = 0;
	return 0;
}

void rollback_done(struct rollback *rb)
{
	if (!rb)
		return;
	forget(rb);
	rollback_free(rb);
}

/* Put one file back if it holds what the command wrote.  0 or -1. */
static int put_back(struct rollback *rb, const struct saved *s)
{
	struct strbuf cur = STRBUF_INIT;
	int r = book_read(rb->rootfd, s->path, OLD_LIMIT, &cur), ret = 0;
	int is_new, is_old;

	if (r < 0) {
		sb_release(&cur);
		return -1;
	}
	is_new = s->removes ? r == 1 :
		 r == 0 && cur.len == s->newlen && fnv64(cur.buf, cur.len) == s->newhash;
	is_old = s->old ? r == 0 && cur.len == s->oldlen && !memcmp(cur.buf, s->old, cur.len) :
		 r == 1;
	if (is_old) {
		;
	} else if (!is_new) {
		warning("'%s' was changed after ae wrote it; it is kept as it is", s->path);
		ret = 1;
	} else if (s->old) {
		ret = book_write(rb->rootfd, s->path, s->old, s->oldlen, 0644) < 0 ? -1 : 0;
	} else {
		ret = book_unlink(rb->rootfd, s->path) < 0 ? -1 : 0;
	}
	sb_release(&cur);
	return ret;
}

static int undo_files(struct rollback *rb)
{
	int ret = 0;

	/* backwards: a file written twice ends as it first was */
	for (size_t i = rb->n; i-- > 0;) {
		int r = put_back(rb, &rb->v[i]);
		if (r < 0)
			ret = -1;
		else if (r > 0 && ret == 0)
			ret = 1;
	}
	return ret;
}

int rollback_undo(struct rollback *rb)
{
	int ret;

	if (!rb)
		return 0;
	ret = undo_files(rb);
	if (ret < 0)
		error("some files could not be put back as they were; the next ae command will try again");
	else
		forget(rb);
	rollback_free(rb);
	return ret;
}

/* A size written by rollback_save: digits, or '-' and digits for "none". */
static int parse_size(const char **p, size_t *out, int *none)
{
	char *end;

	*none = **p == '-';
	if (*none)
		(*p)++;
	if (**p < '0' || **p > '9')
		return -1;
	errno = 0;
	*out = strtoull(*p, &end, 10);
	if (errno)
		return -1;
	*p = end;
	return 0;
}

/* The journal's text into rb's entries; -1 when it is not one we wrote. */
static int parse(struct rollback *rb, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	const char *nl;

	if (len < 20 || memcmp(p, "ae-rollback 1\nhead ", 19))
		return -1;
	p += 19;
	if (!(nl = memchr(p, '\n', (size_t)(end - p))))
		return -1;
	free(rb->head);
	rb->head = xstrndup(p, (size_t)(nl - p));
	if (!strcmp(rb->head, "unborn"))
		rb->head[0] = '\0';
	p = nl + 1;
	while (end - p >= 5 && !memcmp(p, "file ", 5)) {
		struct saved s;
		size_t plen, rest;
		int none, had_old;
		char *e;

		memset(&s, 0, sizeof(s));
		p += 5;
		if (parse_size(&p, &plen, &none) < 0 || none || *p++ != ' ' ||
		    parse_size(&p, &s.oldlen, &none) < 0)
			return -1;
		had_old = !none;
		if (*p++ != ' ' || parse_size(&p, &s.newlen, &s.removes) < 0 || *p++ != ' ')
			return -1;
		errno = 0;
		s.newhash = strtoull(p, &e, 16);
		if (errno || *e != '\n')
			return -1;
		p = e + 1;
		rest = (size_t)(end - p);
		if (plen > rest || s.oldlen >= rest - plen)
			return -1;
		s.path = xstrndup(p, plen);
		p += plen;
		if (had_old) {
			s.old = xmalloc(s.oldlen + 1);
			memcpy(s.old, p, s.oldlen);
			s.old[s.oldlen] = '\0';
		}
		p += s.oldlen;
		ALLOC_GROW(rb->v, rb->n + 1, rb->alloc);
		rb->v[rb->n++] = s;
		if (*p++ != '\n')
			return -1;
	}
	return end - p == 4 && !memcmp(p, "end\n", 4) ? 0 : -1;
}

/* The journal's temporary files that a killed rollback_save() left. */
static void remove_temps(const char *gitdir)
{
	DIR *d = opendir(gitdir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (!strncmp(e->d_name, "." JOURNAL ".", strlen(JOURNAL) + 2) &&
		    fileio_is_temp(e->d_name)) {
			char *p = xasprintf("%s%s", gitdir, e->d_name);
			unlink(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
}

int rollback_recover(const char *gitdir, int rootfd, int landed, const char *head)
{
	struct rollback *rb = rollback_new(gitdir, rootfd, "");
	struct strbuf sb = STRBUF_INIT;
	FILE *f;
	int ret = 0;

	remove_temps(gitdir);
	f = fopen(rb->path, "rb");
	if (!f) {
		if (errno != ENOENT)
			ret = error("unable to read '%s': %s", rb->path, strerror(errno));
		goto out;
	}
	{
		char buf[8192];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			sb_add(&sb, buf, n);
		fclose(f);
	}
	rb->saved = 1;
	if (parse(rb, sb.buf ? sb.buf : "", sb.len) < 0) {
		/* written atomically, so never torn: not ours to undo */
		warning("'%s' is not an ae rollback journal; removed", rb->path);
	} else if (!landed && !strcmp(rb->head, head)) {
		if (undo_files(rb) < 0) {
			ret = error("an interrupted ae command's files could not be put back; nothing was changed");
			rb->saved = 0;	/* keep it for the next try */
		} else if (rb->n) {
			warning("put back %zu file%s as they were before an interrupted ae command",
				rb->n, rb->n == 1 ? "" : "s");
		}
	} else if (!landed && rb->n) {
		warning("an interrupted ae command's files are left as they are: HEAD moved since it began");
	}
	forget(rb);
out:
	sb_release(&sb);
	rollback_free(rb);
	return ret;
}
