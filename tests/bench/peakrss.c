/*
 * peakrss.c -- run a command; report its wall time and peak resident set.
 *
 *   peakrss [-o FILE] COMMAND [ARGS...]
 *
 * Forks, execs COMMAND (searched on PATH), waits with wait4() and writes
 *
 *   wall_s=1.234567 user_s=1.000000 sys_s=0.200000 maxrss_kib=123456 status=0
 *
 * to FILE (default: standard error).  maxrss_kib is ru_maxrss of the
 * child as wait4() reports it (Linux: KiB; the largest of the child and
 * the descendants it waited for).  wall_s is CLOCK_MONOTONIC from just
 * before fork() to just after wait4(); user_s and sys_s are the child's CPU
 * times from the same rusage (less disturbed by other load on the machine
 * than the wall time).  The exit status is the child's
 * (128 + signal if it was killed; 127 if it could not be run).
 * For tests/bench/bench.sh, where GNU time may be absent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *outpath = NULL;
	struct timespec t0, t1;
	struct rusage ru;
	pid_t pid;
	int st, code, i = 1;
	FILE *out = stderr;

	if (i + 1 < argc && !strcmp(argv[i], "-o")) {
		outpath = argv[i + 1];
		i += 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: peakrss [-o FILE] COMMAND [ARGS...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("peakrss: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[i], argv + i);
		fprintf(stderr, "peakrss: cannot run %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	memset(&ru, 0, sizeof(ru));
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("peakrss: wait4");
			return 127;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	code = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 127;
	if (outpath && !(out = fopen(outpath, "w"))) {
		fprintf(stderr, "peakrss: cannot write %s: %s\n", outpath, strerror(errno));
		return 127;
	}
	fprintf(out, "wall_s=%.6f user_s=%.6f sys_s=%.6f maxrss_kib=%ld status=%d\n",
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
		ru.ru_maxrss, code);
	if (outpath)
		fclose(out);
	return code;
}
