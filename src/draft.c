/* draft.c -- see draft.h */
#include "draft.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fileio.h"

void draft_release(struct draft *d)
{
	if (d->lockfd >= 0) {
		/* removed while held: the next one makes its own */
		unlink(d->lock_path);
		close(d->lockfd);
	}
	free(d->name);
	free(d->text_path);
	free(d->base_path);
	free(d->lock_path);
	free(d->shown);
	free(d->resume);
	memset(d, 0, sizeof(*d));
	d->lockfd = -1;
}

/* The temporary files a killed writer of draft name left in dir (its
 * lock is ours). */
static void remove_temps(const char *dir, const char *name)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	size_t n = strlen(name);

	while (dh && (e = readdir(dh))) {
		if (e->d_name[0] == '.' && !strncmp(e->d_name + 1, name, n) && e->d_name[n + 1] == '.' &&
		    fileio_is_temp(e->d_name)) {
			char *p = xasprintf("%s/%s", dir, e->d_name);
			unlink(p);
			free(p);
		}
	}
	if (dh)
		closedir(dh);
}

/* The paths of draft name in dir. */
static void draft_name(struct draft *d, const char *dir, const char *root, const char *name)
{
	char cwd[4096];
	size_t rl = strlen(root);

	free(d->name);
	free(d->text_path);
	free(d->base_path);
	free(d->lock_path);
	free(d->shown);
	d->name = xstrdup(name);
	d->text_path = xasprintf("%s/%s.ini", dir, name);
	d->base_path = xasprintf("%s/%s.base", dir, name);
	d->lock_path = xasprintf("%s/%s.lock", dir, name);
	/* said relative to the book's folder when she is in it */
	if (getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, root) && !strncmp(d->text_path, root, rl) &&
	    d->text_path[rl] == '/')
		d->shown = xstrdup(d->text_path + rl + 1);
	else
		d->shown = xstrdup(d->text_path);
}

/* Lock d's lock file: 0, 1 held by another command, -1 (reported). */
static int draft_lock(struct draft *d)
{
	for (;;) {
		struct stat a, b;
		int fd = open(d->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			return error("unable to create '%s': %s; nothing was changed", d->lock_path,
				     strerror(errno));
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			close(fd);
			return 1;
		}
		/* the file locked is still the one of that name */
		if (fstat(fd, &a) == 0 && stat(d->lock_path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev) {
			d->lockfd = fd;
			return 0;
		}
		close(fd);
	}
}

int draft_open(struct draft *d, const char *gitdir, const char *root, const char *name,
	       const char *resume, int any)
{
	char *dir = xasprintf("%sae-edit", gitdir);
	int r = 1;

	memset(d, 0, sizeof(*d));
	d->lockfd = -1;
	d->resume = xstrdup(resume);
	if (make_dirs(dir) < 0) {
		free(dir);
		error("nothing was changed");
		return EXIT_SYSTEM;
	}
	if (!any) {
		draft_name(d, dir, root, name);
		if ((r = draft_lock(d)) > 0)
			error("%s is open in another '%s'; finish that one first (nothing was changed)",
			      name, resume);
	} else {
		/* one each for those at work at once, taken up in turn */
		for (int i = 1; i < 100 && r > 0; i++) {
			char *n = xasprintf("%s-%d", name, i);
			draft_name(d, dir, root, n);
			free(n);
			r = draft_lock(d);
		}
		if (r > 0)
			error("99 '%s' are at work on this book; finish one first (nothing was changed)",
			      resume);
	}
	if (r == 0)
		remove_temps(dir, d->name);
	free(dir);
	return r ? EXIT_SYSTEM : 0;
}

int draft_read(const char *path, struct strbuf *out)
{
	sb_reset(out);
	if (sb_read_file(out, path, (size_t)1 << 30) == 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	return error("unable to read '%s': %s", path, strerror(errno));
}

int draft_write(const char *path, const struct strbuf *text)
{
	return write_atomic(path, text->buf ? text->buf : "", text->len, 0644);
}

void draft_forget(const struct draft *d)
{
	/* her text first: a base alone is no draft */
	if ((unlink(d->text_path) < 0 && errno != ENOENT) ||
	    (unlink(d->base_path) < 0 && errno != ENOENT))
		warning("unable to remove '%s': %s (the next '%s' finds it)",
			d->text_path, strerror(errno), d->resume);
}

void draft_kept(const struct draft *d)
{
	fprintf(stderr, "ae: your text is kept in %s; '%s' takes it up again ('--discard' throws it away)\n",
		d->shown, d->resume);
}
