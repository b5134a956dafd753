/*
 * faultinject.c -- make the Nth I/O call of ae fail, as SQLite's tests do,
 * to prove that a command that fails anywhere leaves the book as it was.
 * Built by 'make check' as build/faultinject.so and loaded with
 * LD_PRELOAD by tests/cases/git/fault-sweep.
 *
 * Counted calls: opening a file for writing (open, openat, creat with a
 * write, create, truncate or append flag), write and pwrite (not to
 * standard input, output or error), fsync and fdatasync, rename,
 * renameat and renameat2, link and linkat, unlink and unlinkat.
 *
 *   AE_FAULT_AT=N        the Nth counted call fails (from 1)
 *   AE_FAULT_ERRNO=E     with ENOSPC or EIO (the default)
 *   AE_FAULT_PERSIST=1   and every counted call after it
 *   AE_FAULT_KILL=1      instead of failing, the process kills itself
 *                        (SIGKILL) before the Nth call: a kill -9 at
 *                        exactly that point, after call N-1 completed
 *   AE_FAULT_STALL=FILE  instead of failing, call N waits until FILE
 *                        exists (having made FILE.waiting), then goes
 *                        on: a writer held at that point, for as long
 *                        as a test needs (git/lock-wait)
 *   AE_FAULT_COUNT=FILE  at exit, append the number of counted calls
 *   AE_FAULT_LOG=FILE    append one line per counted call (debugging)
 *   AE_FAULT_NOSYNC=1    fsync and fdatasync that do not fail do nothing:
 *                        a sweep tests what ae does, not the disk, and
 *                        runs many times faster
 *   AE_FAULT_SWAP=A:B    before each of the first AE_FAULT_SWAP_TIMES
 *                        (default 2) opens for reading of a .git/index,
 *                        a copy of A, then of B, then A... is renamed
 *                        over it, as git or another ae replacing the
 *                        index at that very moment would: a reader that
 *                        stats the file before it opens it reads a torn
 *                        index (libgit2 does; counted calls unaffected)
 *
 * Only the process that loaded the library as ae (or ae-asan, ae-tsan) counts:
 * the shell that starts it, git, the editor, and a forked child do not.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static pid_t owner;		/* the process that counts; 0: none */
static long at, calls;
static int fault_errno = EIO, persist, nosync, killer, in_shim;
static long swaps_left = 2, swaps;

__attribute__((constructor)) static void shim_init(void)
{
	const char *name = program_invocation_short_name;
	const char *e;

	if (strcmp(name, "ae") && strcmp(name, "ae-asan") && strcmp(name, "ae-tsan"))
		return;
	owner = getpid();
	if ((e = getenv("AE_FAULT_AT")))
		at = atol(e);
	if ((e = getenv("AE_FAULT_ERRNO")) && !strcmp(e, "ENOSPC"))
		fault_errno = ENOSPC;
	persist = (e = getenv("AE_FAULT_PERSIST")) && *e == '1';
	nosync = (e = getenv("AE_FAULT_NOSYNC")) && *e == '1';
	killer = (e = getenv("AE_FAULT_KILL")) && *e == '1';
	if ((e = getenv("AE_FAULT_SWAP_TIMES")))
		swaps_left = atol(e);
}

static void append(const char *file, const char *text)
{
	static int (*real_open)(const char *, int, ...);
	static ssize_t (*real_write)(int, const void *, size_t);
	int fd;

	if (!real_open) {
		real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
		real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	}
	fd = real_open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)!real_write(fd, text, strlen(text));
		close(fd);
	}
}

__attribute__((destructor)) static void shim_fini(void)
{
	const char *file = getenv("AE_FAULT_COUNT");
	char buf[32];

	if (!owner || owner != getpid() || !file)
		return;
	in_shim = 1;
	snprintf(buf, sizeof(buf), "%ld\n", calls);
	append(file, buf);
}

/* Count one call; whether it is to fail (errno is then set). */
static int fail_now(const char *op, const char *path)
{
	const char *log;
	int fail;

	if (!owner || in_shim || getpid() != owner)
		return 0;
	calls++;
	fail = at > 0 && (calls == at || (persist && calls > at));
	if ((log = getenv("AE_FAULT_LOG"))) {
		char line[512];
		in_shim = 1;
		snprintf(line, sizeof(line), "%ld %s %s%s\n", calls, op, path ? path : "",
			 fail ? " FAIL" : "");
		append(log, line);
		in_shim = 0;
	}
	if (fail && killer)
		raise(SIGKILL);
	if (fail && (log = getenv("AE_FAULT_STALL"))) {
		char *waiting = malloc(strlen(log) + 9);
		struct stat st;
		in_shim = 1;
		if (waiting) {
			strcpy(waiting, log);
			strcat(waiting, ".waiting");
			append(waiting, "");
			free(waiting);
		}
		while (stat(log, &st) < 0)
			usleep(20000);
		in_shim = 0;
		return 0;
	}
	if (fail)
		errno = fault_errno;
	return fail;
}

static int writes(int flags)
{
	return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)) != 0;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && !strcmp(s + n - m, tail);
}

/* AE_FAULT_SWAP: put the next of its two files in place of path. */
static void swap_in(const char *path, int flags)
{
	static int (*real_open)(const char *, int, ...);
	static int (*real_rename)(const char *, const char *);
	const char *spec = getenv("AE_FAULT_SWAP"), *colon;
	char from[4096], tmp[4200], buf[65536];
	int in, out;
	ssize_t n;

	if (!spec || writes(flags) || !owner || in_shim || getpid() != owner || swaps_left <= 0 ||
	    !ends_with(path, "/.git/index") || !(colon = strchr(spec, ':')))
		return;
	if (!real_open) {
		real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
		real_rename = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	}
	swaps_left--;
	if (swaps++ % 2 == 0)
		snprintf(from, sizeof(from), "%.*s", (int)(colon - spec), spec);
	else
		snprintf(from, sizeof(from), "%s", colon + 1);
	snprintf(tmp, sizeof(tmp), "%s.swap", path);
	in_shim = 1;
	in = real_open(from, O_RDONLY | O_CLOEXEC);
	out = real_open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (in >= 0 && out >= 0) {
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n)
				break;
		close(out);
		out = -1;
		real_rename(tmp, path);
	}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	in_shim = 0;
}

/* the next definition of name: libc's (or the sanitizer's) */
#define REAL(name) \
	static __typeof__(name) *real_##name; \
	if (!real_##name) \
		real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	REAL(open);

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	swap_in(path, flags);
	if (writes(flags) && fail_now("open", path))
		return -1;
	return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	REAL(open64);

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	swap_in(path, flags);
	if (writes(flags) && fail_now("open", path))
		return -1;
	return real_open64(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	REAL(openat);

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	swap_in(path, flags);
	if (writes(flags) && fail_now("openat", path))
		return -1;
	return real_openat(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	REAL(openat64);

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	swap_in(path, flags);
	if (writes(flags) && fail_now("openat", path))
		return -1;
	return real_openat64(dirfd, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
	REAL(creat);

	if (fail_now("creat", path))
		return -1;
	return real_creat(path, mode);
}

int creat64(const char *path, mode_t mode)
{
	REAL(creat64);

	if (fail_now("creat", path))
		return -1;
	return real_creat64(path, mode);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(write);

	if (fd > 2 && fail_now("write", NULL))
		return -1;
	return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite);

	if (fd > 2 && fail_now("pwrite", NULL))
		return -1;
	return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite64);

	if (fd > 2 && fail_now("pwrite", NULL))
		return -1;
	return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	REAL(writev);

	if (fd > 2 && fail_now("writev", NULL))
		return -1;
	return real_writev(fd, iov, n);
}

int fsync(int fd)
{
	REAL(fsync);

	if (fail_now("fsync", NULL))
		return -1;
	if (nosync && owner == getpid())
		return 0;
	return real_fsync(fd);
}

int fdatasync(int fd)
{
	REAL(fdatasync);

	if (fail_now("fdatasync", NULL))
		return -1;
	if (nosync && owner == getpid())
		return 0;
	return real_fdatasync(fd);
}

int rename(const char *from, const char *to)
{
	REAL(rename);

	if (fail_now("rename", to))
		return -1;
	return real_rename(from, to);
}

int renameat(int fd1, const char *from, int fd2, const char *to)
{
	REAL(renameat);

	if (fail_now("renameat", to))
		return -1;
	return real_renameat(fd1, from, fd2, to);
}

int renameat2(int fd1, const char *from, int fd2, const char *to, unsigned flags)
{
	REAL(renameat2);

	if (fail_now("renameat2", to))
		return -1;
	return real_renameat2(fd1, from, fd2, to, flags);
}

int link(const char *from, const char *to)
{
	REAL(link);

	if (fail_now("link", to))
		return -1;
	return real_link(from, to);
}

int linkat(int fd1, const char *from, int fd2, const char *to, int flags)
{
	REAL(linkat);

	if (fail_now("linkat", to))
		return -1;
	return real_linkat(fd1, from, fd2, to, flags);
}

int unlink(const char *path)
{
	REAL(unlink);

	if (fail_now("unlink", path))
		return -1;
	return real_unlink(path);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	REAL(unlinkat);

	if (fail_now("unlinkat", path))
		return -1;
	return real_unlinkat(dirfd, path, flags);
}
