/* gitlock.c -- the book's writer lock, git's index.lock and the git
 * command line; see gitlock.h.  Plain POSIX: nothing here needs libgit2. */
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
#define POLL_MS 20
/* a writer that waits this long says so (once, on a terminal) */
#define SAY_WAITING_MS 200
#define INDEX_MARK "ae-index-lock "

struct note {
	char *key, *value;
};

struct book_lock {
	int fd;
	char *gitdir;
	char *what;
	struct note *notes, *prev;	/* ours; the previous holder's */
	size_t nnotes, nprev, alloc_notes, alloc_prev;
	int keep;		/* leave the notes for the next holder */
};

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int lock_wait_ms(void)
{
	const char *env = getenv("AE_LOCK_WAIT");
	char *end;
	double s;

	if (!env || !*env)
		return LOCK_WAIT_MS;
	s = strtod(env, &end);
	if (*end || s < 0 || s > 86400)
		return LOCK_WAIT_MS;
	return (int)(s * 1000);
}

static void add_note(struct note **v, size_t *n, size_t *alloc, const char *key,
		     const char *value)
{
	ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[*n].key = xstrdup(key);
	(*v)[*n].value = xstrdup(value);
	(*n)++;
}

static void free_notes(struct note *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

/* The whole content of the lock file (at most 64 KiB; it is a few lines). */
static void read_lock_file(int fd, struct strbuf *out)
{
	char buf[4096];
	off_t off = 0;
	ssize_t n;

	sb_reset(out);
	while (out->len < 65536 && (n = pread(fd, buf, sizeof(buf), off)) > 0) {
		sb_add(out, buf, (size_t)n);
		off += n;
	}
	sb_add(out, "", 0);	/* NUL-terminated even when empty */
}

/* "pid N" and "command ..." of whoever holds the lock, for a message. */
static char *holder(int fd)
{
	struct strbuf sb = STRBUF_INIT;
	char *pid = NULL, *cmd = NULL, *ret;

	read_lock_file(fd, &sb);
	for (char *save = NULL, *l = strtok_r(sb.buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(l, "pid ", 4) && !pid)
			pid = l + 4;
		else if (!strncmp(l, "command ", 8) && !cmd)
			cmd = l + 8;
	}
	if (pid && cmd)
		ret = xasprintf("another ae (pid %s: %s)", pid, cmd);
	else if (pid)
		ret = xasprintf("another ae (pid %s)", pid);
	else
		ret = xstrdup("another ae");
	sb_release(&sb);
	return ret;
}

/* The previous holder's notes: every line but pid and command. */
static void parse_prev(struct book_lock *l, char *text)
{
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');
		if (!sp || sp == line)
			continue;
		*sp = '\0';
		if (strcmp(line, "pid") && strcmp(line, "command"))
			add_note(&l->prev, &l->nprev, &l->alloc_prev, line, sp + 1);
	}
}

/*
 * The git lock files a killed holder noted it was about to create: git
 * would refuse every later commit until someone deletes them by hand.
 * Only those not newer than the note are removed, so that a lock a git
 * command took since is left alone.
 */
static void remove_noted_git_locks(struct book_lock *l, time_t noted)
{
	for (size_t i = 0; i < l->nprev; i++) {
		const char *w = l->prev[i].value;
		char *path;
		struct stat st;

		if (strcmp(l->prev[i].key, "gitlock") || strstr(w, "..") || *w == '/' ||
		    !strcmp(w, "index.lock"))
			continue;
		path = xasprintf("%s%s", l->gitdir, w);
		if (stat(path, &st) == 0 && st.st_mtime <= noted + 2 && unlink(path) == 0)
			warning("removed %s, left by an interrupted ae", path);
		free(path);
	}
}

static int write_lock_file(struct book_lock *l, int sync)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = 0;

	sb_addf(&sb, "pid %ld\ncommand %s\n", (long)getpid(), l->what);
	for (size_t i = 0; i < l->nnotes; i++)
		sb_addf(&sb, "%s %s\n", l->notes[i].key, l->notes[i].value);
	if (pwrite(l->fd, sb.buf, sb.len, 0) != (ssize_t)sb.len ||
	    ftruncate(l->fd, (off_t)sb.len) < 0 || (sync && fdatasync(l->fd) < 0))
		ret = error("unable to write the book's lock file %sae.lock: %s", l->gitdir,
			    strerror(errno));
	sb_release(&sb);
	return ret;
}

/* One line, printable: the command line as the lock file shows it. */
static char *one_line(const char *what)
{
	size_t n = strnlen(what, 300);
	char *s;

	/* cut between characters, not inside one */
	while (n && what[n] && ((unsigned char)what[n] & 0xC0) == 0x80)
		n--;
	s = xstrndup(what, n);
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

struct book_lock *book_lock_take(const char *gitdir, const char *what)
{
	char *path = xasprintf("%sae.lock", gitdir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	int waited = 0, limit = lock_wait_ms(), said = 0;
	struct book_lock *l;
	struct strbuf prev = STRBUF_INIT;
	struct stat st;

	free(path);
	if (fd < 0) {
		error("unable to create the book's lock file in %s: %s; nothing was changed",
		      gitdir, strerror(errno));
		return NULL;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			error("unable to lock the book: %s; nothing was changed", strerror(errno));
			close(fd);
			return NULL;
		}
		if (waited >= limit) {
			char *who = holder(fd);
			error("%s is still changing the book after %.1f s; nothing was changed: try again when it has finished",
			      who, limit / 1000.0);
			free(who);
			close(fd);
			return NULL;
		}
		if (!said && waited >= SAY_WAITING_MS && isatty(2)) {
			char *who = holder(fd);
			fprintf(stderr, "ae: waiting for %s to finish\n", who);
			free(who);
			said = 1;
		}
		sleep_ms(POLL_MS);
		waited += POLL_MS;
	}
	l = xcalloc(1, sizeof(*l));
	l->fd = fd;
	l->gitdir = xstrdup(gitdir);
	l->what = one_line(what);
	read_lock_file(fd, &prev);
	parse_prev(l, prev.buf);
	sb_release(&prev);
	if (l->nprev && fstat(fd, &st) == 0)
		remove_noted_git_locks(l, st.st_mtime);
	/* who holds it, for those who wait; not synced: it is only a name */
	(void)write_lock_file(l, 0);
	return l;
}

const char *book_lock_prev(const struct book_lock *l, const char *key)
{
	for (size_t i = 0; l && i < l->nprev; i++)
		if (!strcmp(l->prev[i].key, key))
			return l->prev[i].value;
	return NULL;
}

int book_lock_note(struct book_lock *l, const char *const *kv)
{
	for (; kv[0] && kv[1]; kv += 2) {
		int many = !strcmp(kv[0], "gitlock");
		size_t i;
		/* one note of each key, but any number of git lock files */
		for (i = 0; i < l->nnotes; i++)
			if (!strcmp(l->notes[i].key, kv[0]) && (!many || !strcmp(l->notes[i].value, kv[1])))
				break;
		if (i < l->nnotes) {
			free(l->notes[i].value);
			l->notes[i].value = xstrdup(kv[1]);
		} else {
			add_note(&l->notes, &l->nnotes, &l->alloc_notes, kv[0], kv[1]);
		}
	}
	return write_lock_file(l, 1);
}

void book_lock_keep_notes(struct book_lock *l)
{
	l->keep = 1;
}

void book_lock_drop(struct book_lock *l)
{
	if (!l)
		return;
	/* no holder and nothing half done: an empty file */
	if (!l->keep)
		(void)!ftruncate(l->fd, 0);
	flock(l->fd, LOCK_UN);
	close(l->fd);
	free_notes(l->notes, l->nnotes);
	free_notes(l->prev, l->nprev);
	free(l->gitdir);
	free(l->what);
	free(l);
}

static void say_index_held(const char *path, int wait_ms)
{
	error("another git command holds the index (%s) after %.1f s; nothing was changed\n"
	      "hint: if no git command is running, remove that file and try again",
	      path, wait_ms / 1000.0);
}

/* index.lock made where hard links cannot be: O_EXCL, then the mark. */
static int create_then_mark(const char *path, const char *mark, int n, int wait_ms)
{
	int fd, waited = 0;

	while ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0) {
		if (errno != EEXIST && errno != EINTR)
			return error("unable to create '%s': %s; nothing was changed", path,
				     strerror(errno));
		if (waited >= wait_ms) {
			say_index_held(path, wait_ms);
			return -1;
		}
		sleep_ms(POLL_MS);
		waited += POLL_MS;
	}
	if (write(fd, mark, (size_t)n) != n) {
		error("unable to write '%s': %s; nothing was changed", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * index.lock must never exist without ae's mark in it: a kill between
 * creating it and writing the mark would leave an empty lock that nobody
 * can tell from git's.  So the mark is written first into a file of our
 * own, which is then linked to index.lock: link(2) creates the name with
 * its content at once, and fails like O_EXCL when the name exists.
 * Only the book lock's holder makes the file of our own, so a fixed name
 * will do; one a kill left behind is simply written again.
 */
int index_lock_take(const char *gitdir, int wait_ms)
{
	char *path = xasprintf("%sindex.lock", gitdir);
	char *marked = xasprintf("%sae-index-mark", gitdir);
	char mark[64];
	int fd, waited = 0, n, ret = -1;

	n = snprintf(mark, sizeof(mark), INDEX_MARK "%ld\n", (long)getpid());
	fd = open(marked, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0 || write(fd, mark, (size_t)n) != n) {
		error("unable to write '%s': %s; nothing was changed", marked, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(marked);
		goto out;
	}
	close(fd);
	while (link(marked, path) < 0) {
		if (errno == EPERM || errno == EOPNOTSUPP || errno == EMLINK) {
			/* no hard links here: created, then marked, as git does */
			ret = create_then_mark(path, mark, n, wait_ms);
			goto out;
		}
		if (errno != EEXIST && errno != EINTR) {
			error("unable to create '%s': %s; nothing was changed", path, strerror(errno));
			goto out;
		}
		if (waited >= wait_ms) {
			say_index_held(path, wait_ms);
			goto out;
		}
		sleep_ms(POLL_MS);
		waited += POLL_MS;
	}
	ret = 0;
out:
	unlink(marked);
	free(marked);
	free(path);
	return ret;
}

int index_lock_ours(const char *gitdir)
{
	char *path = xasprintf("%sindex.lock", gitdir);
	char buf[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), ours = 0;
	ssize_t n;

	free(path);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	ours = n >= (ssize_t)strlen(INDEX_MARK) && !memcmp(buf, INDEX_MARK, strlen(INDEX_MARK));
	close(fd);
	return ours;
}

int index_lock_release(const char *gitdir)
{
	char *path = xasprintf("%sindex.lock", gitdir);
	int r = unlink(path);

	free(path);
	return r < 0 && errno != ENOENT ? -1 : 0;
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

