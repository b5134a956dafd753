/*
 * cmd_clone.c -- ae clone URL [DIR]: a clone of a shared book, set up
 * for working in a team.
 *
 * The clone itself is git's ('git clone', run as a program): git's own
 * transports then read the user's ssh configuration, credential helpers,
 * proxies and URL rewrites exactly as every other git command does,
 * which libgit2 does not.  Then the clone is set up as 'ae init' sets up
 * an existing clone (clonesetup.h): hooks, merge drivers, pull.rebase,
 * the identity check.  An empty repository (a shared remote nobody has
 * pushed to yet) becomes a new book.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ae.h"
#include "diag.h"
#include "store.h"

static const char usage[] =
	"usage: ae clone URL [DIR]\n"
	"\n"
	"Clone the shared book at URL into DIR (default: named after URL, as git\n"
	"names it) with 'git clone', so that your ssh configuration and credential\n"
	"helpers apply; then set the clone up as 'ae init' does: the pre-commit and\n"
	"pre-merge-commit hooks, ae's merge drivers, 'git pull' set to merge, and a\n"
	"check that your git user.email is a staff member of ae.ini.  An empty\n"
	"repository becomes a new book.\n";

/* The folder git would name a clone of url (as git's guess_dir_name), owned; NULL if none. */
static char *guess_dir(const char *url)
{
	size_t n = strlen(url);
	const char *start;
	char *dir;

	while (n && (url[n - 1] == '/' || url[n - 1] == ' ' || url[n - 1] == '\t'))
		n--;
	if (n >= 5 && !memcmp(url + n - 5, "/.git", 5))
		n -= 5;
	while (n && url[n - 1] == '/')
		n--;
	if (n >= 4 && !memcmp(url + n - 4, ".git", 4))
		n -= 4;
	else if (n >= 7 && !memcmp(url + n - 7, ".bundle", 7))
		n -= 7;
	start = url + n;
	while (start > url && start[-1] != '/' && start[-1] != ':')
		start--;
	if (start == url + n)
		return NULL;
	dir = xstrndup(start, (size_t)(url + n - start));
	if (!strcmp(dir, ".") || !strcmp(dir, "..")) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* git clone -- url dir, standard streams shared: its exit status, or -1. */
static int git_clone(const char *url, const char *dir)
{
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return error("unable to run git: %s", strerror(errno));
	if (pid == 0) {
		execlp("git", "git", "clone", "--", url, dir, (char *)NULL);
		fprintf(stderr, "ae: unable to run git: %s\n", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return error("unable to wait for git: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

int cmd_clone(int argc, char **argv, struct globals *g)
{
	const char *url = NULL, *dir = NULL;
	char *guessed = NULL, *ini = NULL;
	char *init_argv[3];
	struct stat st;
	int status = EXIT_SYSTEM, r, dashdash = 0;

	for (int i = 1; i < argc; i++) {
		if (!dashdash && is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (!dashdash && !strcmp(argv[i], "--")) {
			dashdash = 1;
		} else if (!dashdash && argv[i][0] == '-') {
			error("unknown option '%s' for clone", argv[i]);
			fputs(usage, stderr);
			return EXIT_USAGE;
		} else if (!url) {
			url = argv[i];
		} else if (!dir) {
			dir = argv[i];
		} else {
			error("usage: ae clone URL [DIR]");
			return EXIT_USAGE;
		}
	}
	if (!url || !*url) {
		error("usage: ae clone URL [DIR]: name the shared book to clone");
		return EXIT_USAGE;
	}
	if (!dir && !(dir = guessed = guess_dir(url))) {
		error("cannot tell a folder name from '%s'; name one: ae clone URL DIR", url);
		return EXIT_USAGE;
	}
	if ((r = git_clone(url, dir)) != 0) {
		if (r > 0)
			error("git clone failed (exit status %d); nothing was set up", r);
		goto out;
	}
	ini = xasprintf("%s/ae.ini", dir);
	if (lstat(ini, &st) < 0) {
		/* an empty repository becomes a new book; a repository
		 * with history and no ae.ini at its top is not a book */
		struct store *s = store_try_open(dir);
		int empty = s && store_head_unborn(s);
		store_free(s);
		if (!empty) {
			error("cloned into '%s', but it holds no ae.ini at its top, so it is not a book; nothing was set up\n"
			      "hint: if the book is a folder of it, run 'ae init FOLDER' in the clone", dir);
			status = EXIT_BAD_RECORDS;
			goto out;
		}
	}
	init_argv[0] = "init";
	init_argv[1] = (char *)dir;
	init_argv[2] = NULL;
	status = cmd_init(2, init_argv, g);
out:
	free(ini);
	free(guessed);
	return status;
}
