/* hooks.c -- see hooks.h */
#include "hooks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "fileio.h"

void sh_quote(struct strbuf *out, const char *s)
{
	sb_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_addstr(out, "'\\''");
		else
			sb_addch(out, *s);
	}
	sb_addch(out, '\'');
}

/* What every hook starts with: the chained local hook, and which ae. */
static void preamble(struct strbuf *sb, const char *name, const char *what, const char *exe,
		     int stdin_too)
{
	sb_addf(sb, "#!/bin/sh\n" HOOK_MARK ": %s\n", what);
	sb_addstr(sb, "hooks=$(dirname \"$0\")\n");
	if (stdin_too) {
		/* the refs come on standard input: the local hook reads them too */
		sb_addstr(sb, "input=$(cat)\n");
		sb_addf(sb, "if [ -x \"$hooks/%s.local\" ]; then\n"
			    "\tprintf '%%s\\n' \"$input\" | \"$hooks/%s.local\" \"$@\" || exit $?\n"
			    "fi\n", name, name);
	} else {
		sb_addf(sb, "if [ -x \"$hooks/%s.local\" ]; then\n"
			    "\t\"$hooks/%s.local\" \"$@\" || exit $?\n"
			    "fi\n", name, name);
	}
	sb_addstr(sb, "ae=${AE:-ae}\n"
		      "command -v \"$ae\" >/dev/null 2>&1 || ae=");
	sh_quote(sb, exe);
	sb_addch(sb, '\n');
}

char *hook_text(const char *name, const char *exe, const char *prefix)
{
	struct strbuf sb = STRBUF_INIT;

	if (!strcmp(name, "pre-receive")) {
		preamble(&sb, name, "refuse a push whose branch holds a book with errors (USE-2)",
			 exe, 1);
		sb_addstr(&sb,
			  "status=0\n"
			  "while read -r old new ref; do\n"
			  "\tcase $ref in refs/heads/*) ;; *) continue ;; esac\n"
			  "\tcase $new in *[!0]*) ;; *) continue ;; esac\n"
			  "\tif ! \"$ae\" --at \"$new\" check -q >&2; then\n"
			  "\t\techo \"ae: push to $ref refused: the book at $new has the errors above; fix them, commit and push again\" >&2\n"
			  "\t\tstatus=1\n"
			  "\tfi\n"
			  "done <<EOF\n"
			  "$input\n"
			  "EOF\n"
			  "exit $status\n");
		return sb_detach(&sb);
	}
	preamble(&sb, name, !strcmp(name, "pre-merge-commit") ?
		 "check a merge's result before git records it (USE-2)" :
		 "check the book as staged before every git commit (USE-2)", exe, 0);
	sb_addstr(&sb,
		  "# the index being committed: 'git commit -a' and 'git commit PATH'\n"
		  "# use a temporary one, named relative to here, the top of the work tree\n"
		  "case ${GIT_INDEX_FILE-} in\n"
		  "/*|'') ;;\n"
		  "*) GIT_INDEX_FILE=$(pwd)/$GIT_INDEX_FILE; export GIT_INDEX_FILE ;;\n"
		  "esac\n"
		  "top=$(git rev-parse --show-toplevel) || exit 1\n"
		  "exec \"$ae\" -C \"$top\"/");
	sh_quote(&sb, prefix);
	sb_addstr(&sb, !strcmp(name, "pre-merge-commit") ? " check --staged --merge -q\n" : " check --staged -q\n");
	return sb_detach(&sb);
}

/* The first 512 bytes of path, or "" (NUL-terminated in buf). */
static void head_of(const char *path, char buf[513])
{
	FILE *f = fopen(path, "rb");
	size_t got = 0;

	if (f) {
		got = fread(buf, 1, 512, f);
		fclose(f);
	}
	buf[got] = '\0';
}

int hook_is_ours(const char *hooks_dir, const char *name)
{
	char *hook = xasprintf("%s/%s", hooks_dir, name), buf[513];

	head_of(hook, buf);
	free(hook);
	return strstr(buf, HOOK_MARK) != NULL;
}

int hook_install(const char *hooks_dir, const char *name, const char *text)
{
	char *hook = xasprintf("%s/%s", hooks_dir, name);
	char *local = xasprintf("%s/%s.local", hooks_dir, name);
	struct stat st;
	int ret = -1;

	if (make_dirs(hooks_dir) < 0)
		goto out;
	if (lstat(hook, &st) == 0) {
		char buf[513];
		head_of(hook, buf);
		if (strstr(buf, HOOK_MARK)) {
			/* ours: unchanged, or rewritten below */
			struct strbuf old = STRBUF_INIT;
			int same = sb_read_file(&old, hook, (size_t)1 << 20) == 0 &&
				   old.len == strlen(text) && !memcmp(old.buf, text, old.len) &&
				   (st.st_mode & 0111);
			sb_release(&old);
			if (same) {
				ret = 0;
				goto out;
			}
		} else {
			if (lstat(local, &st) == 0) {
				error("both %s and %s exist; merge them by hand, then run 'ae init' again",
				      hook, local);
				goto out;
			}
			if (rename(hook, local) < 0) {
				error("unable to keep the existing hook as %s: %s", local, strerror(errno));
				goto out;
			}
			printf("kept the existing %s hook as %s; it runs first\n", name, local);
		}
	}
	ret = write_atomic(hook, text, strlen(text), 0755) < 0 ? -1 : 1;
	if (ret == 1 && chmod(hook, 0755) < 0)
		ret = error("unable to make %s executable: %s", hook, strerror(errno));
out:
	free(hook);
	free(local);
	return ret;
}
