/* fileio.c -- see fileio.h */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

int write_atomic(const char *path, const char *data, size_t len, mode_t mode)
{
	/* a hidden name beside it: a crash may leave it, and nothing reads it */
	const char *base = strrchr(path, '/');
	char *tmp = base ? xasprintf("%.*s/.%s.ae-tmp.%ld", (int)(base - path), path, base + 1, (long)getpid()) :
			   xasprintf(".%s.ae-tmp.%ld", path, (long)getpid());
	char *dir = xstrdup(path), *slash;
	struct stat st;
	int fd, dfd, ret = -1;
	size_t done = 0;

	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		error("unable to create '%s': %s", tmp, strerror(errno));
		goto out;
	}
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			error("unable to write '%s': %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
		done += (size_t)w;
	}
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		error("unable to sync '%s': %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		error("unable to replace '%s': %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	dfd = open(slash ? (*dir ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	ret = 0;
out:
	free(tmp);
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
