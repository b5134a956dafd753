/* gitlock.c -- the book's writer lock and the git command line; see gitlock.h.
 * Plain POSIX: nothing here needs libgit2. */
#include "gitlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"

#define LOCK_WAIT_MS 30000

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Our lock file also says which of git's lock files we are about to
 * create.  Whoever takes our lock next and finds that note knows the
 * previous holder died (a kill -9) holding them, and removes those that
 * are not newer than the note: git would otherwise refuse every later
 * commit until someone deletes them by hand.
 */
void lock_note(int fd, const char *branch)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "index.lock\n%s.lock\npacked-refs.lock\n",
			 branch ? branch : "HEAD");

	if (ftruncate(fd, 0) == 0 && n > 0)
		(void)!pwrite(fd, buf, (size_t)n, 0);
}

void lock_clear(int fd)
{
	(void)!ftruncate(fd, 0);
}

static void recover(const char *gitdir, int fd)
{
	char buf[512];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	struct stat note;

	if (n <= 0 || fstat(fd, &note) < 0)
		return;
	buf[n] = '\0';
	for (char *save = NULL, *w = strtok_r(buf, "\n", &save); w; w = strtok_r(NULL, "\n", &save)) {
		char *path = xasprintf("%s%s", gitdir, w);
		struct stat st;
		if (!strstr(w, "..") && stat(path, &st) == 0 && st.st_mtime <= note.st_mtime + 2) {
			if (unlink(path) == 0)
				warning("removed %s, left by an interrupted ae commit", path);
		}
		free(path);
	}
	lock_clear(fd);
}

int lock_take(const char *gitdir)
{
	char *path = xasprintf("%sae.lock", gitdir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	int waited = 0;

	free(path);
	if (fd < 0) {
		error("unable to create the book's lock file in %s: %s", gitdir, strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			error("unable to lock the book: %s", strerror(errno));
			close(fd);
			return -1;
		}
		if (waited >= LOCK_WAIT_MS) {
			error("another ae is still committing after %d s; try again", LOCK_WAIT_MS / 1000);
			close(fd);
			return -1;
		}
		sleep_ms(20);
		waited += 20;
	}
	recover(gitdir, fd);
	return fd;
}

void lock_drop(int fd)
{
	flock(fd, LOCK_UN);
	close(fd);
}

/*
 * The commits that touched one path, newest first, from git itself:
 * 'git rev-list HEAD -- path' uses the commit-graph and its changed-path
 * filters, where a libgit2 revwalk must compare trees commit by commit
 * (measured: 0.07 s against 3 s on a 5,000-commit, 100,000-record
 * history; docs/PERFORMANCE.md).  -1 when git cannot be run.
 */
int git_rev_list(const char *workdir, const char *prefix, const char *path,
		 struct strlist *out)
{
	char *full_path = xasprintf("%s%s", prefix, path);
	int fds[2], status;
	pid_t pid;
	FILE *f;
	char line[128];

	if (pipe(fds) < 0) {
		free(full_path);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		free(full_path);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(fds[1], 1);
		if (devnull >= 0)
			dup2(devnull, 2);
		close(fds[0]);
		close(fds[1]);
		execlp("git", "git", "-C", workdir, "rev-list", "HEAD", "--", full_path,
		       (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	free(full_path);
	f = fdopen(fds[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strlen(line) == 40)
			strlist_add(out, line);
	}
	if (f)
		fclose(f);
	else
		close(fds[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		strlist_release(out);
		return -1;
	}
	return 0;
}

