/* sync_git.c -- git run as a program for fetch and push; see sync_git.h. */
#include "sync_git.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"

/* What a hook's environment sets that would point git elsewhere. */
static const char *const hook_env[] = {
	"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
	"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_PREFIX", "GIT_QUARANTINE_PATH",
};

int run_git(const char *dir, const char *const *args, struct strbuf *out)
{
	size_t n = 0;
	const char **argv;
	int fds[2] = { -1, -1 }, st;
	pid_t pid;

	while (args[n])
		n++;
	argv = xcalloc(n + 4, sizeof(*argv));
	argv[0] = "git";
	argv[1] = "-C";
	argv[2] = dir;
	for (size_t i = 0; i < n; i++)
		argv[3 + i] = args[i];
	if (out && pipe(fds) < 0) {
		free(argv);
		return error("unable to run git: %s", strerror(errno));
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		int e = errno;
		if (out) {
			close(fds[0]);
			close(fds[1]);
		}
		free(argv);
		return error("unable to run git: %s", strerror(e));
	}
	if (pid == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(hook_env); i++)
			unsetenv(hook_env[i]);
		if (out) {
			dup2(fds[1], 1);
			dup2(fds[1], 2);
			close(fds[0]);
			close(fds[1]);
		}
		execvp("git", (char *const *)argv);
		fprintf(stderr, "ae: unable to run git: %s\n", strerror(errno));
		_exit(127);
	}
	free(argv);
	if (out) {
		char buf[4096];
		ssize_t r;
		close(fds[1]);
		while ((r = read(fds[0], buf, sizeof(buf))) != 0) {
			if (r < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			sb_add(out, buf, (size_t)r);
		}
		close(fds[0]);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return error("unable to wait for git: %s", strerror(errno));
	if (WIFEXITED(st))
		return WEXITSTATUS(st) == 127 ? error("unable to run git (is it installed?)") :
		       WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

enum push_result push_outcome(const char *out, int status)
{
	/* porcelain: "FLAG\tFROM:TO\tSUMMARY" for each ref; '!' is rejected */
	for (const char *p = out; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 2 && p[0] == '!' && p[1] == '\t') {
			if (memmem(p, len, "[remote rejected]", 17) || memmem(p, len, "[remote failure]", 16))
				return PUSH_REFUSED;
			if (memmem(p, len, "[rejected]", 10))
				return PUSH_REJECTED;
			return PUSH_FAILED;
		}
		p = nl ? nl + 1 : NULL;
	}
	return status == 0 ? PUSH_OK : PUSH_FAILED;
}
