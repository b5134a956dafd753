/* fileio.c -- see fileio.h */
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "safepath.h"

#define TEMP_MARK ".ae-tmp."
/* deeper than any book's folders; a bound for a hostile one */
#define STALE_DEPTH 16

/*
 * Write data to base in the folder dirfd through a temporary file beside
 * it; shown is the path for messages.  0, or -1 (reported).
 */
static int write_at(int dirfd, const char *base, const char *shown, const char *data,
		    size_t len, mode_t mode)
{
	char *tmp = xasprintf(".%s" TEMP_MARK "%ld", base, (long)getpid());
	struct stat st;
	int fd, ret = -1;
	size_t done = 0;

	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
		mode = st.st_mode & 07777;
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0 && errno == EEXIST) {
		/* our own, from a pid that was once a writer that died: stale */
		unlinkat(dirfd, tmp, 0);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	}
	if (fd < 0) {
		error("unable to create a temporary file beside '%s': %s", shown, strerror(errno));
		goto out;
	}
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			error("unable to write '%s': %s", shown, strerror(errno));
			goto fail;
		}
		done += (size_t)w;
	}
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		error("unable to write '%s': %s", shown, strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		error("unable to write '%s': %s", shown, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (renameat(dirfd, tmp, dirfd, base) < 0) {
		error("unable to replace '%s': %s", shown, strerror(errno));
		goto fail;
	}
	/* the rename itself made durable */
	if (fsync(dirfd) < 0) {
		error("unable to write '%s': %s", shown, strerror(errno));
		goto out;
	}
	ret = 0;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, tmp, 0);
out:
	free(tmp);
	return ret;
}

void cache_file_put(const char *dir, const char *file, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.%ld.tmp", file, (long)getpid());
	int fd, bad;

	if ((mkdir(dir, 0777) == 0 || errno == EEXIST) &&
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666)) >= 0) {
		bad = 0;
		while (!bad && len) {
			ssize_t w = write(fd, data, len);
			if (w < 0 && errno == EINTR)
				continue;
			bad = w <= 0;
			if (!bad) {
				data += w;
				len -= (size_t)w;
			}
		}
		bad |= close(fd) != 0;
		if (bad || rename(tmp, file) != 0)
			unlink(tmp);
	}
	free(tmp);
}

int write_atomic(const char *path, const char *data, size_t len, mode_t mode)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	int dfd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret;

	if (dfd < 0) {
		ret = error("unable to open the folder of '%s': %s", path, strerror(errno));
	} else {
		ret = write_at(dfd, slash ? slash + 1 : path, path, data, len, mode);
		close(dfd);
	}
	free(dir);
	return ret;
}

int make_dirs(const char *path)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0777) < 0 && errno != EEXIST) {
				error("unable to create folder '%s': %s", p, strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return 0;
}

/* Report why rel's folder could not be opened; -2 for a link, else -1. */
static int dir_failed(const char *verb, const char *rel, char *link)
{
	int ret;

	if (errno == ELOOP && link)
		ret = error("unable to %s '%s': '%s' is a symbolic link, and ae %ss only inside the book (make it a plain folder)",
			    verb, rel, link, verb) - 1;
	else if (errno == EINVAL)
		ret = error("unable to %s '%s': %s", verb, rel, *safe_path_problem(rel) ?
			    safe_path_problem(rel) : "not a path inside the book");
	else
		ret = error("unable to %s '%s': %s", verb, rel, strerror(errno));
	free(link);
	return ret;
}

int book_write(int rootfd, const char *rel, const char *data, size_t len, mode_t mode)
{
	char *dir, *base, *link = NULL;
	struct stat st;
	int dfd, ret;

	if (*safe_path_problem(rel)) {
		errno = EINVAL;
		return dir_failed("write", rel, NULL);
	}
	safe_split(rel, &dir, &base);
	dfd = safe_opendir(rootfd, dir, 1, &link);
	if (dfd < 0) {
		ret = dir_failed("write", rel, link);
	} else if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
		ret = S_ISLNK(st.st_mode) ?
		      error("unable to write '%s': it is a symbolic link, and ae writes only inside the book", rel) - 1 :
		      error("unable to write '%s': not a regular file", rel);
		close(dfd);
	} else {
		ret = write_at(dfd, base, rel, data, len, mode);
		close(dfd);
	}
	free(dir);
	free(base);
	return ret;
}

int book_unlink(int rootfd, const char *rel)
{
	char *dir, *base, *link = NULL;
	int dfd, ret = 0;

	if (*safe_path_problem(rel)) {
		errno = EINVAL;
		return dir_failed("remove", rel, NULL);
	}
	safe_split(rel, &dir, &base);
	dfd = safe_opendir(rootfd, dir, 0, &link);
	if (dfd < 0) {
		if (errno == ENOENT)
			free(link);
		else
			ret = dir_failed("remove", rel, link);
	} else {
		if (unlinkat(dfd, base, 0) < 0 && errno != ENOENT)
			ret = error("unable to remove '%s': %s", rel, strerror(errno));
		else if (fsync(dfd) < 0)
			ret = error("unable to remove '%s': %s", rel, strerror(errno));
		close(dfd);
	}
	free(dir);
	free(base);
	return ret;
}

/* Open rel beneath rootfd to read it: 0 and *fd, 1 when it does not
 * exist, -1 or -2 (reported) as book_read(). */
static int open_to_read(int rootfd, const char *rel, int *fd)
{
	char *link = NULL;

	*fd = safe_open(rootfd, rel, O_RDONLY | O_NONBLOCK, 0, &link);
	if (*fd >= 0)
		return 0;
	if (errno == ENOENT) {
		free(link);
		return 1;
	}
	if (errno == ELOOP && link && !strcmp(link, rel)) {
		free(link);
		return error("unable to read '%s': it is a symbolic link, and ae reads only inside the book", rel) - 1;
	}
	return dir_failed("read", rel, link);
}

static int too_big(const char *rel, size_t limit)
{
	return error("'%s' is larger than %zu bytes, the limit of a book file (max_file_bytes in ae.ini); ae does not edit a file that big",
		     rel, limit) - 1;
}

int book_exists(int rootfd, const char *rel)
{
	int fd, r = open_to_read(rootfd, rel, &fd);

	if (r)
		return r == 1 ? 0 : r;
	close(fd);
	return 1;
}

int book_read(int rootfd, const char *rel, size_t limit, struct strbuf *out)
{
	struct stat st;
	int fd, ret;

	sb_reset(out);
	sb_add(out, "", 0);	/* NUL-terminated even when empty */
	if ((ret = open_to_read(rootfd, rel, &fd)) != 0)
		return ret;
	if (fstat(fd, &st) < 0) {
		ret = error("unable to read '%s': %s", rel, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		ret = error("unable to read '%s': not a regular file", rel) - 1;
	} else if ((size_t)st.st_size > limit) {
		ret = too_big(rel, limit);
	} else {
		for (;;) {
			ssize_t n;
			sb_grow(out, 8192);
			n = read(fd, out->buf + out->len, out->alloc - out->len - 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				ret = error("unable to read '%s': %s", rel, strerror(errno));
				break;
			}
			if (n == 0)
				break;
			out->len += (size_t)n;
			out->buf[out->len] = '\0';
			if (out->len > limit) {
				ret = too_big(rel, limit);
				break;
			}
		}
	}
	close(fd);
	if (ret < 0)
		sb_reset(out);
	return ret;
}

int fileio_is_temp(const char *name)
{
	const char *m = strstr(name, TEMP_MARK);
	const char *d;

	if (name[0] != '.' || !m)
		return 0;
	d = m + strlen(TEMP_MARK);
	return *d && strspn(d, "0123456789") == strlen(d);
}

static void remove_stale_in(int dfd, int depth)
{
	DIR *d;
	struct dirent *e;

	if (depth > STALE_DEPTH || !(d = fdopendir(dfd))) {
		close(dfd);
		return;
	}
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		int sub;
		if (fileio_is_temp(n)) {
			long pid = strtol(strstr(n, TEMP_MARK) + strlen(TEMP_MARK), NULL, 10);
			/* a live writer's file is its business; a dead one's is junk */
			if (pid != (long)getpid() && pid > 0 && kill((pid_t)pid, 0) == 0)
				continue;
			if (pid > 0 && pid != (long)getpid() && errno != ESRCH)
				continue;
			if (unlinkat(dirfd(d), n, 0) == 0)
				warning("removed '%s', a temporary file left by an interrupted ae", n);
			continue;
		}
		if (n[0] == '.')
			continue;	/* ., .., .git and other hidden folders */
		/* a record is no folder: the 100,000 failing opens of a big
		 * book cost a writer more than its commit (docs/PERFORMANCE.md);
		 * a file system that does not say (DT_UNKNOWN) is asked */
		if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
			continue;
		sub = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			remove_stale_in(sub, depth + 1);
	}
	closedir(d);
}

void fileio_remove_stale(int rootfd)
{
	int fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0)
		remove_stale_in(fd, 0);
}
