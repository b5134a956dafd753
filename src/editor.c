/* editor.c -- see editor.h */
#include "editor.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"

const char *editor_command(void)
{
	const char *ed = getenv("VISUAL");

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	return ed;
}

int run_editor(const char *path)
{
	const char *ed = editor_command();
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return error("unable to start the editor");
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed, path, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return error("the editor '%s' failed", ed);
	return 0;
}

int ask(const char *question, const char *letters, int def)
{
	char buf[256];

	for (int tries = 0; tries < 3; tries++) {
		char *p = buf;
		fputs(question, stderr);
		fflush(stderr);
		if (!fgets(buf, sizeof(buf), stdin)) {
			fputc('\n', stderr);
			return 0;
		}
		/* a script's answer is shown, as if typed */
		if (!isatty(0))
			fputs(buf, stderr);
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\n' || !*p)
			return def;
		if (strchr(letters, tolower((unsigned char)*p)))
			return tolower((unsigned char)*p);
	}
	return 0;
}
