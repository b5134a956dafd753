/*
 * Unit tests of gitconfig.c, the reader of git's configuration that
 * spares a warm command libgit2's start: for each of many files (quotes,
 * escapes, comments, continuations, sections and subsections in any
 * case, blanks, CRLF, a BOM, the same key set at every level), the values
 * it gives must be those `git config --get` prints -- git is the judge --
 * and in every case it must refuse (-1) rather than guess where libgit2
 * would read more: includes, bad lines, a bare key, a bare or extended
 * repository, a worktree's .git file, $GIT_DIR and $GIT_CONFIG_*.
 * $GIT_CEILING_DIRECTORIES stops the search for the repository.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/gitconfig.h"

static int failures;
static char home[256], repo[300], sub[320];

static const char *const keys[] = { "ae.staff", "user.email", "user.name" };

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

static void run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "failed: %s\n", cmd);
		exit(2);
	}
}

/* what git says key is, in dir; NULL when unset or empty */
static char *git_says(const char *dir, const char *key)
{
	char cmd[1024], buf[4096];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "git -C '%s' config --get '%s'", dir, key);
	if (!(p = popen(cmd, "r")))
		exit(2);
	n = fread(buf, 1, sizeof(buf) - 1, p);
	pclose(p);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return n ? strdup(buf) : NULL;
}

/* The three values read from dir (or the user's alone) equal git's. */
static void agrees(const char *what, const char *dir)
{
	char *v[3];

	if (gitconfig_lookup(dir, keys, v, 3) != 0) {
		fprintf(stderr, "%s: refused a configuration it should read\n", what);
		failures++;
		return;
	}
	for (int i = 0; i < 3; i++) {
		char *want = git_says(dir ? dir : home, keys[i]);
		if ((want == NULL) != (v[i] == NULL) || (want && strcmp(want, v[i]))) {
			fprintf(stderr, "%s: %s is [%s], git says [%s]\n", what, keys[i],
				v[i] ? v[i] : "(unset)", want ? want : "(unset)");
			failures++;
		}
		free(want);
		free(v[i]);
	}
}

static void refuses(const char *what, const char *dir)
{
	char *v[3];

	if (gitconfig_lookup(dir, keys, v, 3) != -1) {
		fprintf(stderr, "%s: answered where libgit2 must\n", what);
		failures++;
	}
	for (int i = 0; i < 3; i++)
		if (v[i]) {
			fprintf(stderr, "%s: refused but left a value\n", what);
			failures++;
			free(v[i]);
		}
}

int main(void)
{
	char path[512], cmd[2048];
	const char *global[] = {
		"[user]\n\tname = Plain Name\n\temail = plain@example.com\n",
		"[User]\n\tNAME=  spaced   inside  \t \n",
		"[user]\n  name = \"quoted ; not a comment\" # a comment\n",
		"[user]\n name = a\\\"b\\\\c\\td\n",
		"[user]\nname = first \\\n  continued\n",
		"[user]\r\n\tname = crlf\r\n\temail = c@example.com\r\n",
		"\xef\xbb\xbf[user]\n\tname = 李明\n",
		"# comment\n; another\n[user] name = same line\n",
		"[user \"sub\"]\n\tname = not this\n[user]\n\tname = this\n[user.sub]\n\tname = nor this\n",
		"[user]\n\tname = one\n\tname = two\n[ae]\n\tstaff = am-zhang\n",
		"[user]\n\tname =\n\temail = \"\"\n",
		"[core]\n\tbare = false\n[user]\n\temail = x@y\n",
		"[user]\n\tname = \"half\" quoted  \"  inner  \"\n",
		"",
	};
	const char *bad[] = {
		"[include]\n\tpath = other\n",
		"[includeIf \"gitdir:/x/\"]\n\tpath = other\n",
		"[user]\n\tname = \"unterminated\n",
		"[user]\n\tname = bad \\q escape\n",
		"[user]\n\tname\n",
		"name = outside any section\n",
		"[user\n\tname = x\n",
	};

	snprintf(home, sizeof(home), "/tmp/ae-unit-gitconfig.XXXXXX");
	if (!mkdtemp(home))
		return 2;
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("GIT_CONFIG_NOSYSTEM");	/* both read /etc/gitconfig, if any */
	unsetenv("GIT_CEILING_DIRECTORIES");
	unsetenv("GIT_DIR");
	snprintf(repo, sizeof(repo), "%s/repo", home);
	snprintf(sub, sizeof(sub), "%s/repo/book/deeper", home);
	snprintf(cmd, sizeof(cmd), "git init -q '%s' && mkdir -p '%s'", repo, sub);
	run(cmd);
	snprintf(path, sizeof(path), "%s/.gitconfig", home);

	for (size_t i = 0; i < sizeof(global) / sizeof(*global); i++) {
		char what[64];
		put(path, global[i]);
		snprintf(what, sizeof(what), "global file %zu", i);
		agrees(what, NULL);
		agrees(what, repo);
		agrees(what, sub);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char what[64];
		put(path, bad[i]);
		snprintf(what, sizeof(what), "bad global file %zu", i);
		refuses(what, sub);
	}

	/* levels: the repository's file over ~/.config/git/config over ~/.gitconfig */
	put(path, "[user]\n\tname = global\n\temail = g@example.com\n[ae]\n\tstaff = g\n");
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/.config/git'", home);
	run(cmd);
	snprintf(path, sizeof(path), "%s/.config/git/config", home);
	put(path, "[user]\n\tname = xdg\n\temail = x@example.com\n");
	agrees("xdg below global", sub);
	snprintf(cmd, sizeof(cmd), "git -C '%s' config user.name 'Local Name'", repo);
	run(cmd);
	agrees("local over global", sub);
	agrees("no repository: the user's alone", NULL);

	/* the ceiling: a book below it does not see the repository above */
	setenv("GIT_CEILING_DIRECTORIES", repo, 1);
	agrees("ceiling at the repository", sub);
	setenv("GIT_CEILING_DIRECTORIES", "relative:/nowhere/", 1);
	agrees("ceilings elsewhere", sub);
	unsetenv("GIT_CEILING_DIRECTORIES");

	/* repositories libgit2 must open */
	snprintf(cmd, sizeof(cmd), "git -C '%s' config core.bare true", repo);
	run(cmd);
	refuses("a bare repository", sub);
	snprintf(cmd, sizeof(cmd), "git -C '%s' config core.bare false && git -C '%s' config extensions.worktreeConfig true", repo, repo);
	run(cmd);
	refuses("an extension", sub);
	snprintf(cmd, sizeof(cmd), "git -C '%s' config --unset extensions.worktreeConfig && git -C '%s' commit -q --allow-empty -m x && git -C '%s' worktree add -q '%s/wt' 2>/dev/null", repo, repo, repo, home);
	run(cmd);
	snprintf(path, sizeof(path), "%s/wt", home);
	refuses("a worktree's .git file", path);
	snprintf(path, sizeof(path), "%s/.git/commondir", repo);
	put(path, "../elsewhere\n");
	refuses("a .git folder that shares another's (commondir)", sub);
	unlink(path);
	agrees("back to plain", sub);
	setenv("GIT_DIR", repo, 1);
	refuses("$GIT_DIR", sub);
	unsetenv("GIT_DIR");
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	refuses("$GIT_CONFIG_GLOBAL", sub);
	unsetenv("GIT_CONFIG_GLOBAL");

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
	run(cmd);
	return failures != 0;
}
