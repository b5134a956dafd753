/* terminal.c -- see terminal.h */
#include "terminal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int env_number(const char *name)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return 0;
	n = strtol(v, &end, 10);
	return *end || n <= 0 || n > 10000 ? 0 : (int)n;
}

/* The width (cols) or the height of the terminal on fd. */
static int size_of(int fd, int cols)
{
	struct winsize ws;
	int n = env_number(cols ? "COLUMNS" : "LINES");

	if (n)
		return n;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && (cols ? ws.ws_col : ws.ws_row) > 0)
		return cols ? ws.ws_col : ws.ws_row;
	return cols ? 80 : 24;
}

int term_columns(int fd)
{
	return size_of(fd, 1);
}

int term_rows(int fd)
{
	return size_of(fd, 0);
}

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;	/* the pager quit early: the rest is not wanted */
		s += w;
		n -= (size_t)w;
	}
}

void pager_write(const char *text, size_t len)
{
	const char *pager = getenv("PAGER");
	size_t lines = 0;
	void (*old)(int);
	int fds[2], st = 0;
	pid_t pid;

	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (!pager)
		pager = "less -FRX";
	if (lines < (size_t)term_rows(1) || !*pager || !strcmp(pager, "cat") || pipe(fds) < 0) {
		fwrite(text, 1, len, stdout);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		fwrite(text, 1, len, stdout);
		return;
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		setenv("LESS", "FRX", 0);
		setenv("LV", "-c", 0);
		execl("/bin/sh", "sh", "-c", pager, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	old = signal(SIGPIPE, SIG_IGN);
	write_all(fds[1], text, len);
	close(fds[1]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	signal(SIGPIPE, old);
	/* no such pager: the text still reaches the terminal */
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		fwrite(text, 1, len, stdout);
}
