/* cmd_watch.c -- ae watch: start, stop, ask after or run the book's
 * file-system monitor (watch.h), which spares every command the stat of
 * each file of the book. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "gitdir.h"
#include "watch.h"

static const char usage[] =
	"usage: ae watch start | stop | status | run\n"
	"\n"
	"Watch the book's folders (inotify), so that every ae command learns\n"
	"from the monitor which files changed since it last listed the book,\n"
	"instead of checking each of them: on a ten-year book this is most of\n"
	"the time of a warm 'ae due' or 'ae check'.  One monitor a working folder;\n"
	"it stops by itself when the folder is removed.\n"
	"\n"
	"  start    start the monitor in the background (nothing if it runs);\n"
	"           it logs to .git/ae/watch.log\n"
	"  stop     stop it (nothing if it does not run)\n"
	"  status   say whether it runs, since when, what it watches\n"
	"           (exit 1 when it does not run)\n"
	"  run      run it in the foreground, logging to standard error, until\n"
	"           interrupted (for a service manager)\n"
	"\n"
	"A write through a hard link from outside the book, or through a shared\n"
	"mapping, is not seen by any inotify monitor: stop it for such work.\n"
	"$AE_WATCH=0 makes a command list the book itself.\n";

/* The book's root and its .git/ae (made), or an exit status. */
static int find_book(char **root, char **aedir)
{
	char *gitdir;

	*root = *aedir = NULL;
	if (!(*root = book_find_root("."))) {
		error("not inside a book: no ae.ini here or in any folder above it\n"
		      "hint: '-C DIR' runs in another folder");
		return EXIT_USAGE;
	}
	if (!(gitdir = git_dir_of(*root))) {
		error("%s is not in a git repository: there is nothing to keep a monitor's socket in\n"
		      "hint: 'ae init' or 'git init' makes one", *root);
		free(*root);
		*root = NULL;
		return EXIT_USAGE;
	}
	*aedir = xasprintf("%s/ae", gitdir);
	free(gitdir);
	if (mkdir(*aedir, 0777) < 0 && errno != EEXIST) {
		error("cannot make %s: %s", *aedir, strerror(errno));
		return EXIT_SYSTEM;
	}
	return 0;
}

/* The value of key in a status answer, or NULL. */
static const char *status_of(const struct watch_answer *a, const char *key)
{
	const char *p = a->body.buf, *end = p + a->body.len;

	while (p < end) {
		const char *k = p, *v = k + strlen(k) + 1;
		if (v >= end)
			return NULL;
		if (!strcmp(k, key))
			return v;
		p = v + strlen(v) + 1;
	}
	return NULL;
}

/* The same, "?" when the answer lacks it. */
static const char *status_or(const struct watch_answer *a, const char *key)
{
	const char *v = status_of(a, key);

	return v ? v : "?";
}

static int ask_simple(const char *aedir, const char *what, struct watch_answer *a)
{
	const char *f[1] = { what };

	return watch_ask(aedir, f, 1, a);
}

static int show_status(const char *root, const char *aedir)
{
	struct watch_answer a;
	const char *since, *r;

	if (ask_simple(aedir, "status", &a) < 0 || strcmp(a.kind, "status")) {
		sb_release(&a.body);
		printf("not watching %s\n"
		       "hint: 'ae watch start' starts the monitor\n", root);
		return EXIT_BAD_RECORDS;
	}
	r = status_of(&a, "root");
	since = status_of(&a, "since");
	printf("watching %s\n", status_or(&a, "root"));
	printf("  pid        %s\n", status_or(&a, "pid"));
	if (since) {
		time_t t = (time_t)strtoll(since, NULL, 10);
		struct tm tm;
		char buf[32];
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
		printf("  since      %s\n", buf);
	}
	printf("  folders    %s\n", status_or(&a, "folders"));
	printf("  changed    %s paths since it started or last forgot\n",
	       status_or(&a, "changed"));
	printf("  forgot     %s times (a folder made or moved, too many changes)\n",
	       status_or(&a, "forgot"));
	if (r && strcmp(r, root))
		printf("warning: it watches another folder than %s\n", root);
	sb_release(&a.body);
	return 0;
}

/* Whether no monitor holds aedir's lock (watch.c holds it while it runs). */
static int lock_free(const char *aedir)
{
	char *path = xasprintf("%s/%s", aedir, WATCH_LOCK);
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW), free_ = 1;

	free(path);
	if (fd < 0)
		return 1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		free_ = 0;
	close(fd);
	return free_;
}

static int stop(const char *aedir)
{
	struct watch_answer a;
	struct timespec ts = { 0, 20000000 };

	if (ask_simple(aedir, "stop", &a) < 0) {
		printf("no monitor was running\n");
		return 0;
	}
	sb_release(&a.body);
	/* gone when its lock is free: it lets go of it last */
	for (int i = 0; i < 250; i++) {
		if (lock_free(aedir)) {
			printf("stopped\n");
			return 0;
		}
		nanosleep(&ts, NULL);
	}
	error("the monitor did not stop within 5 seconds");
	return EXIT_SYSTEM;
}

/* Read the monitor's first line from fd (within 10 s) into buf. */
static void read_ready(int fd, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	while (n + 1 < size) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;
		if (poll(&p, 1, 10000) <= 0)
			break;
		r = read(fd, buf + n, size - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static int start(const char *root, const char *aedir)
{
	struct watch_answer a;
	char line[512], *log;
	int p[2], st;
	pid_t pid;

	if (ask_simple(aedir, "status", &a) == 0) {
		printf("already watching %s (pid %s)\n", root, status_or(&a, "pid"));
		sb_release(&a.body);
		return 0;
	}
	log = xasprintf("%s/%s", aedir, WATCH_LOG);
	if (pipe2(p, O_CLOEXEC) < 0) {
		error("pipe: %s", strerror(errno));
		free(log);
		return EXIT_SYSTEM;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		error("fork: %s", strerror(errno));
		free(log);
		return EXIT_SYSTEM;
	}
	if (pid == 0) {
		/* a session of its own, and a grandchild, so that no terminal
		 * and no parent waits on it */
		int null = open("/dev/null", O_RDWR | O_CLOEXEC), lf;
		close(p[0]);
		if (setsid() < 0 || (pid = fork()) < 0)
			_exit(1);
		if (pid > 0)
			_exit(0);
		lf = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		if (lf >= 0)
			dup2(lf, 2);
		else if (null >= 0)
			dup2(null, 2);	/* never the starter's terminal */
		if (chdir("/") < 0) {
			/* the monitor uses absolute paths only */
		}
		_exit(watch_run(root, aedir, p[1]));
	}
	close(p[1]);
	waitpid(pid, &st, 0);
	read_ready(p[0], line, sizeof(line));
	close(p[0]);
	free(log);
	if (strcmp(line, "ok")) {
		error("the monitor did not start: %s\nhint: .git/ae/%s may say more",
		      *line ? line : "it gave no answer", WATCH_LOG);
		return EXIT_SYSTEM;
	}
	if (ask_simple(aedir, "status", &a) == 0) {
		printf("watching %s (pid %s); 'ae watch stop' stops it\n", root, status_or(&a, "pid"));
		sb_release(&a.body);
	}
	return 0;
}

int cmd_watch(int argc, char **argv, struct globals *g)
{
	char *root, *aedir;
	int r;

	(void)g;
	if (argc == 2 && is_help(argv[1])) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc != 2 || (strcmp(argv[1], "start") && strcmp(argv[1], "stop") &&
			  strcmp(argv[1], "status") && strcmp(argv[1], "run"))) {
		if (argc < 2)
			error("ae watch needs what to do: start, stop, status or run");
		else
			error("unknown argument '%s' for watch", argv[argc < 3 ? 1 : 2]);
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if ((r = find_book(&root, &aedir)) != 0) {
		free(root);
		free(aedir);
		return r;
	}
	if (!strcmp(argv[1], "start"))
		r = start(root, aedir);
	else if (!strcmp(argv[1], "stop"))
		r = stop(aedir);
	else if (!strcmp(argv[1], "status"))
		r = show_status(root, aedir);
	else
		r = watch_run(root, aedir, -1);
	free(root);
	free(aedir);
	return r;
}
