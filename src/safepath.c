/* safepath.c -- see safepath.h */
#include "safepath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

const char *safe_path_problem(const char *rel)
{
	const char *p = rel;

	if (!*rel)
		return "an empty path";
	if (*rel == '/')
		return "an absolute path";
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 0)
			return "an empty folder name ('//')";
		if (n == 1 && p[0] == '.')
			return "a '.' component";
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "a '..' component";
		p += n;
		if (*p == '/') {
			p++;
			if (!*p)
				return "a trailing '/'";
		}
	}
	return "";
}

void safe_split(const char *rel, char **dir, char **base)
{
	const char *slash = strrchr(rel, '/');

	*dir = slash ? xstrndup(rel, (size_t)(slash - rel)) : xstrdup("");
	*base = xstrdup(slash ? slash + 1 : rel);
}

/* Whether name, in dirfd, is a symbolic link (after O_NOFOLLOW failed). */
static int is_link(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

int safe_opendir(int rootfd, const char *rel, int create, char **link)
{
	char *copy, *save = NULL;
	int fd, err;

	if (link)
		*link = NULL;
	if (!*rel || !strcmp(rel, "."))
		return openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*safe_path_problem(rel)) {
		errno = EINVAL;
		return -1;
	}
	fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	copy = xstrdup(rel);
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		int next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, c, 0777) < 0 && errno != EEXIST)
				goto fail;
			next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (next < 0) {
			/* O_DIRECTORY|O_NOFOLLOW on a link gives ELOOP or ENOTDIR */
			if ((errno == ELOOP || errno == ENOTDIR) && is_link(fd, c)) {
				if (link)
					*link = xstrndup(rel, (size_t)(c - copy) + strlen(c));
				errno = ELOOP;
			}
			goto fail;
		}
		close(fd);
		fd = next;
	}
	free(copy);
	return fd;
fail:
	err = errno;
	close(fd);
	free(copy);
	errno = err;
	return -1;
}

int safe_open(int rootfd, const char *rel, int flags, mode_t mode, char **link)
{
	char *dir, *base;
	int dfd, fd = -1, err;

	if (link)
		*link = NULL;
	if (*safe_path_problem(rel)) {
		errno = EINVAL;
		return -1;
	}
	safe_split(rel, &dir, &base);
	dfd = safe_opendir(rootfd, dir, (flags & O_CREAT) != 0, link);
	if (dfd >= 0) {
		fd = openat(dfd, base, flags | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0 && errno == ELOOP && link)
			*link = xstrdup(rel);
		err = errno;
		close(dfd);
		errno = err;
	}
	free(dir);
	free(base);
	return fd;
}
