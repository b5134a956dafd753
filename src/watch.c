/*
 * watch.c -- the monitor of `ae watch`: inotify(7) on every folder of the
 * book, and a Unix socket that says which paths changed since a token.
 * The protocol and why it cannot miss a change: watch.h.
 *
 * One thread, one poll(2) loop over the inotify descriptor and the
 * listening socket.  A question is answered after every event queued
 * so far is read.  What the monitor does not follow path by path it
 * forgets (a new instance, so every command lists the book once more):
 * a folder made, removed, moved or changed in mode, a .git appearing
 * in a folder (a repository inside the book), the kernel's queue
 * overflowing, more than WATCH_MAX_CHANGED paths changed.  Those are rare
 * in a book (a year folder a year), and forgetting is always correct.
 * It stops when told (`ae watch stop`, SIGTERM, SIGINT, SIGHUP), when
 * the book's folder is removed or moved, or when its socket is removed
 * or replaced (checked every WATCH_TICK_MS).
 */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "source.h"
#include "strmap.h"

/* Folders watched at most (a ten-year book has about sixty). */
#define WATCH_MAX_FOLDERS 16384
/* Changed paths known at most before the monitor forgets them all. */
#define WATCH_MAX_CHANGED 65536
#define WATCH_TICK_MS 10000
/* A question must arrive whole within this. */
#define WATCH_QUESTION_MS 1000
#define WATCH_QUESTION_MAX 65536

#define WATCH_MASK (IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | \
		    IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | \
		    IN_DONT_FOLLOW | IN_EXCL_UNLINK)

struct watcher {
	const char *root;
	int ifd, lfd, aedirfd;
	ino_t sock_ino;
	uint64_t instance, seq;
	char **dir_of;		/* by watch descriptor: the folder's path ("" the root) */
	size_t ndir_of, nfolders;
	struct strmap changed;	/* path -> (uintptr_t) its last change's seq */
	struct strlist keys;	/* the paths of changed */
	uint64_t forgot;	/* times it forgot everything */
	time_t started;
	int stop;
	const char *why_stop;
};

static volatile sig_atomic_t signalled;

static void on_signal(int sig)
{
	signalled = sig;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&now, &tm));
	fprintf(stderr, "%s ae watch[%ld]: ", when, (long)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

static uint64_t new_instance(uint64_t old)
{
	uint64_t v = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &v, sizeof(v)) != sizeof(v))
			v = 0;
		close(fd);
	}
	if (!v) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		v = ((uint64_t)t.tv_sec << 30) ^ (uint64_t)t.tv_nsec ^ ((uint64_t)getpid() << 48);
	}
	return v == old ? v + 1 : v;
}

/* -- the folders watched */

static void forget_folders(struct watcher *w)
{
	for (size_t i = 0; i < w->ndir_of; i++)
		free(w->dir_of[i]);
	free(w->dir_of);
	w->dir_of = NULL;
	w->ndir_of = w->nfolders = 0;
}

/* Watch the folder rel (open as fd, taken) and those below it. */
static int watch_folder(struct watcher *w, int fd, const char *rel, int depth)
{
	char *path = *rel ? xasprintf("%s/%s", w->root, rel) : xstrdup(w->root);
	DIR *d;
	struct dirent *de;
	int wd, r = 0;

	wd = inotify_add_watch(w->ifd, path, WATCH_MASK);
	free(path);
	if (wd < 0) {
		say("cannot watch %s: %s%s", *rel ? rel : "the book's folder", strerror(errno),
		    errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
		close(fd);
		return -1;
	}
	if (++w->nfolders > WATCH_MAX_FOLDERS) {
		say("more than %d folders in the book: not watched", WATCH_MAX_FOLDERS);
		close(fd);
		return -1;
	}
	if ((size_t)wd >= w->ndir_of) {
		size_t n = (size_t)wd * 2 + 16;
		w->dir_of = xrealloc(w->dir_of, n * sizeof(*w->dir_of));
		memset(w->dir_of + w->ndir_of, 0, (n - w->ndir_of) * sizeof(*w->dir_of));
		w->ndir_of = n;
	}
	free(w->dir_of[wd]);
	w->dir_of[wd] = xstrdup(rel);
	/* what a listing reads goes SOURCE_MAX_DEPTH below a kind's folder
	 * (source_fs.c); a folder deeper than that is refused whatever it
	 * holds, and made or removed in one watched */
	if (depth > SOURCE_MAX_DEPTH || !(d = fdopendir(fd))) {
		close(fd);
		return 0;
	}
	while (r == 0 && (de = readdir(d)) != NULL) {
		int sub;
		char *subrel;

		if (de->d_name[0] == '.')
			continue;	/* hidden, and .git: never listed */
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;	/* not a folder (or a link to one): not below */
		subrel = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		r = watch_folder(w, sub, subrel, depth + 1);
		free(subrel);
	}
	closedir(d);
	return r;
}

static int watch_book(struct watcher *w)
{
	int fd;

	w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->ifd < 0) {
		say("inotify: %s", strerror(errno));
		return -1;
	}
	fd = open(w->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		say("%s: %s", w->root, strerror(errno));
		return -1;
	}
	return watch_folder(w, fd, "", 0);
}

/* Forget every change: what follows is a new instance.  -1 if the book
 * can no longer be watched. */
static int forget(struct watcher *w, const char *why, const char *path)
{
	say("forgetting what changed (every command lists the book once more): %s%s%s",
	    why, path ? ": " : "", path ? path : "");
	close(w->ifd);
	forget_folders(w);
	strmap_release(&w->changed);
	strlist_release(&w->keys);
	w->instance = new_instance(w->instance);
	w->forgot++;
	return watch_book(w);
}

static void changed(struct watcher *w, const char *dir, const char *name)
{
	char *path = *dir ? xasprintf("%s/%s", dir, name) : xstrdup(name);

	/* a path seen before keeps its first copy as the key */
	if (strmap_put(&w->changed, path, (void *)(uintptr_t)++w->seq))
		free(path);
	else
		strlist_add_owned(&w->keys, path);
}

/* One event; 0, or -1 when the monitor must stop. */
static int take_event(struct watcher *w, const struct inotify_event *ev, int *must_forget,
		      char **why)
{
	const char *dir, *name = ev->len ? ev->name : "";

	if (ev->mask & IN_Q_OVERFLOW) {
		*must_forget = 1;
		free(*why);
		*why = xstrdup("too many changes at once (the kernel's queue overflowed)");
		return 0;
	}
	if (ev->wd < 0 || (size_t)ev->wd >= w->ndir_of || !(dir = w->dir_of[ev->wd]))
		return 0;	/* a watch of before the last forgetting */
	if (ev->mask & IN_UNMOUNT) {
		w->why_stop = "the book's file system was unmounted";
		return -1;
	}
	if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
		if (!*dir) {
			w->why_stop = "the book's folder was removed or moved";
			return -1;
		}
		if (!(ev->mask & IN_IGNORED) && !*must_forget) {
			*must_forget = 1;
			free(*why);
			*why = xasprintf("a folder was removed or moved: %s", dir);
		}
		return 0;
	}
	if (!*name)
		return 0;
	if (name[0] == '.') {
		/* hidden names are not listed, but a .git below the root makes
		 * its folder a repository inside the book */
		if (!strcmp(name, ".git") && *dir && !*must_forget) {
			*must_forget = 1;
			free(*why);
			*why = xasprintf("a .git appeared or went in %s", dir);
		}
		return 0;
	}
	if (ev->mask & IN_ISDIR) {
		if (!*must_forget) {
			*must_forget = 1;
			free(*why);
			*why = *dir ? xasprintf("a folder was made, removed, moved or changed: %s/%s", dir, name) :
				      xasprintf("a folder was made, removed, moved or changed: %s", name);
		}
		return 0;
	}
	changed(w, dir, name);
	return 0;
}

/* Read every event queued; 0, or -1 when the monitor must stop. */
static int drain(struct watcher *w)
{
	char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
	int must_forget = 0;
	char *why = NULL;

	for (;;) {
		ssize_t n = read(w->ifd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (take_event(w, ev, &must_forget, &why) < 0) {
				free(why);
				return -1;
			}
			p += sizeof(*ev) + ev->len;
		}
		if (w->keys.n > WATCH_MAX_CHANGED && !must_forget) {
			must_forget = 1;
			why = xasprintf("more than %d paths changed", WATCH_MAX_CHANGED);
		}
		if (must_forget) {
			/* the rest of the queue is of the old watches */
			int r = forget(w, why, NULL);
			free(why);
			if (r < 0) {
				w->why_stop = "the book can no longer be watched";
				return -1;
			}
			must_forget = 0;
			why = NULL;
		}
	}
	free(why);
	return 0;
}

/* -- the questions */

static void put(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s) + 1);
}

static void put_token(struct strbuf *sb, const struct watcher *w)
{
	char inst[17], seq[21];

	watch_token_fmt(w->instance, w->seq, inst, seq);
	put(sb, inst);
	put(sb, seq);
}

static void answer_changes(struct watcher *w, char **f, int n, struct strbuf *out)
{
	char inst[17], *end;
	uint64_t seq;
	size_t dn;

	if (n != 6) {
		put(out, "error");
		put(out, "a question of changes has six fields");
		return;
	}
	if (strcmp(f[2], w->root)) {
		put(out, "error");
		put(out, "this monitor watches another folder");
		return;
	}
	watch_token_fmt(w->instance, 0, inst, (char[21]){ 0 });
	errno = 0;
	seq = strtoull(f[4], &end, 10);
	if (strcmp(f[3], inst) || errno || *end || !*f[4] || seq > w->seq) {
		put(out, "all");
		put_token(out, w);
		return;
	}
	put(out, "ok");
	put_token(out, w);
	dn = strlen(f[5]);
	for (size_t i = 0; i < w->keys.n; i++) {
		const char *p = w->keys.v[i];
		if ((uintptr_t)strmap_get(&w->changed, p) <= seq)
			continue;
		if (dn && (strncmp(p, f[5], dn) || p[dn] != '/'))
			continue;
		put(out, p);
	}
}

static void answer_status(struct watcher *w, struct strbuf *out)
{
	char inst[17], seq[21], n[3][24];

	watch_token_fmt(w->instance, w->seq, inst, seq);
	snprintf(n[0], sizeof(n[0]), "%ld", (long)getpid());
	snprintf(n[1], sizeof(n[1]), "%zu", w->nfolders);
	snprintf(n[2], sizeof(n[2]), "%zu", w->keys.n);
	put(out, "status");
	put(out, "root"); put(out, w->root);
	put(out, "pid"); put(out, n[0]);
	put(out, "folders"); put(out, n[1]);
	put(out, "changed"); put(out, n[2]);
	put(out, "instance"); put(out, inst);
	put(out, "seq"); put(out, seq);
	snprintf(n[0], sizeof(n[0]), "%" PRIu64, w->forgot);
	put(out, "forgot"); put(out, n[0]);
	snprintf(n[0], sizeof(n[0]), "%lld", (long long)w->started);
	put(out, "since"); put(out, n[0]);
}

/* Read a whole question (the asker shuts its side when done). */
static int read_question(int fd, struct strbuf *q)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		long left;
		ssize_t r;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = WATCH_QUESTION_MS - ((t.tv_sec - t0.tv_sec) * 1000 +
					    (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		sb_grow(q, 4096);
		r = recv(fd, q->buf + q->len, 4096, 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		q->len += (size_t)r;
		if (q->len > WATCH_QUESTION_MAX)
			return -1;
	}
}

static void send_all(int fd, const struct strbuf *sb)
{
	size_t at = 0;

	while (at < sb->len) {
		ssize_t w = send(fd, sb->buf + at, sb->len - at, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;	/* gone, or stuck past SO_SNDTIMEO */
		at += (size_t)w;
	}
}

static int serve(struct watcher *w)
{
	struct strbuf q = STRBUF_INIT, out = STRBUF_INIT;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct timeval tv = { 1, 0 };
	char *f[8];
	int fd, n = 0, r = 0;

	fd = accept4(w->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != geteuid() ||
	    read_question(fd, &q) < 0) {
		close(fd);
		sb_release(&q);
		return 0;
	}
	for (size_t at = 0; at < q.len && n < 8;) {
		size_t l = strnlen(q.buf + at, q.len - at);
		if (at + l >= q.len)
			break;	/* not terminated: ignored */
		f[n++] = q.buf + at;
		at += l + 1;
	}
	if (drain(w) < 0) {
		r = -1;
		put(&out, "error");
		put(&out, w->why_stop);
	} else if (n < 2 || strcmp(f[0], WATCH_PROTO)) {
		put(&out, "error");
		put(&out, "not a question of this version (" WATCH_PROTO ")");
	} else if (!strcmp(f[1], "changes")) {
		answer_changes(w, f, n, &out);
	} else if (!strcmp(f[1], "status")) {
		answer_status(w, &out);
	} else if (!strcmp(f[1], "stop")) {
		put(&out, "stopping");
		w->why_stop = "told to stop";
		r = -1;
	} else {
		put(&out, "error");
		put(&out, "an unknown question");
	}
	/* the answer may be long: block, but not for ever */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	send_all(fd, &out);
	close(fd);
	sb_release(&q);
	sb_release(&out);
	return r;
}

/* -- starting and stopping */

static int socket_is_ours(struct watcher *w)
{
	struct stat st;

	return fstatat(w->aedirfd, WATCH_SOCKET, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISSOCK(st.st_mode) && st.st_ino == w->sock_ino;
}

static int listen_on(struct watcher *w)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int r;

	if (watch_address(w->aedirfd, &sa) < 0)
		return -1;
	w->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (w->lfd < 0)
		return -1;
	/* a socket left by a monitor that died: we hold the lock, so none
	 * other answers on it */
	unlinkat(w->aedirfd, WATCH_SOCKET, 0);
	old = umask(077);
	r = bind(w->lfd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || listen(w->lfd, 64) < 0 ||
	    fstatat(w->aedirfd, WATCH_SOCKET, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	w->sock_ino = st.st_ino;
	return 0;
}

static void tell(int *ready, const char *line)
{
	if (*ready < 0)
		return;
	if (write(*ready, line, strlen(line)) < 0) {
		/* the starter is gone: nothing to tell */
	}
	close(*ready);
	*ready = -1;
}

int watch_run(const char *root, const char *aedir, int ready)
{
	struct watcher w;
	struct sigaction sa;
	int lockfd, status = 1;
	char line[256];

	memset(&w, 0, sizeof(w));
	w.root = root;
	w.ifd = w.lfd = -1;
	w.started = time(NULL);
	w.aedirfd = open(aedir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w.aedirfd < 0) {
		snprintf(line, sizeof(line), "cannot open %s: %s\n", aedir, strerror(errno));
		say("%.*s", (int)strlen(line) - 1, line);
		tell(&ready, line);
		return 1;
	}
	lockfd = openat(w.aedirfd, WATCH_LOCK, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lockfd < 0 || flock(lockfd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(line, sizeof(line), "%s\n", lockfd >= 0 && errno == EWOULDBLOCK ?
			 "another ae watch already watches this book" : strerror(errno));
		say("%.*s", (int)strlen(line) - 1, line);
		tell(&ready, line);
		if (lockfd >= 0)
			close(lockfd);
		close(w.aedirfd);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	w.instance = new_instance(0);
	if (watch_book(&w) < 0 || listen_on(&w) < 0) {
		snprintf(line, sizeof(line), "cannot watch %s: %s\n", root,
			 errno ? strerror(errno) : "see .git/ae/" WATCH_LOG);
		say("%.*s", (int)strlen(line) - 1, line);
		tell(&ready, line);
		goto out;
	}
	say("watching %s (%zu folders)", root, w.nfolders);
	tell(&ready, "ok\n");
	while (!signalled) {
		struct pollfd p[2] = { { w.ifd, POLLIN, 0 }, { w.lfd, POLLIN, 0 } };
		int r = poll(p, 2, WATCH_TICK_MS);

		if (r < 0 && errno != EINTR) {
			w.why_stop = strerror(errno);
			break;
		}
		if (r <= 0 || (p[0].revents & POLLIN)) {
			if (drain(&w) < 0)
				break;
		}
		if (r <= 0 && !socket_is_ours(&w)) {
			w.why_stop = "its socket was removed or replaced";
			break;
		}
		if (r > 0 && (p[1].revents & POLLIN) && serve(&w) < 0)
			break;
	}
	if (signalled)
		w.why_stop = "signalled";
	say("stopped: %s", w.why_stop ? w.why_stop : "?");
	status = w.why_stop && !strcmp(w.why_stop, "told to stop") ? 0 : signalled ? 0 : 1;
out:
	if (w.lfd >= 0 && socket_is_ours(&w))
		unlinkat(w.aedirfd, WATCH_SOCKET, 0);
	if (w.lfd >= 0)
		close(w.lfd);
	if (w.ifd >= 0)
		close(w.ifd);
	forget_folders(&w);
	strmap_release(&w.changed);
	strlist_release(&w.keys);
	close(lockfd);
	close(w.aedirfd);
	return status;
}
