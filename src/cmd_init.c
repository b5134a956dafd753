/* cmd_init.c -- ae init: a new book, or make a folder or repository a book. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ae.h"
#include "diag.h"
#include "fileio.h"
#include "format.h"
#include "store.h"
#include "textfile.h"
#include "utf8.h"

static const char usage[] =
	"usage: ae init [DIR]\n"
	"\n"
	"Make DIR (default: here) a book: a git repository (unless DIR is already\n"
	"in one), an ae.ini with commented defaults, the record folders, the 2026\n"
	"calendar, a .gitattributes that keeps records LF and merges journals by\n"
	"union, and a pre-commit hook that runs 'ae check --staged' so a plain\n"
	"'git commit' is checked too.  Existing files are kept as they are; an\n"
	"existing pre-commit hook is kept and run first.\n";

static const char *const folders[] = {
	"clients", "jobs", "contacts", "meetings", "complaints", "journal", "calendar"
};

static const char attributes[] =
	"# ae: records and settings are LF text; journals merge by union (USE-3)\n"
	"*.ini text eol=lf\n"
	"journal/*.log text eol=lf merge=union\n";

#define HOOK_MARK "# installed by ae init"

static int exists(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0;
}

static char *staff_id_from(const char *email, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = email ? email : name ? name : "me";

	for (; *s && *s != '@'; s++) {
		int c = tolower((unsigned char)*s);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')
			sb_addch(&sb, c);
		else if (c == ' ')
			sb_addch(&sb, '.');
	}
	if (!sb.len || !(sb.buf[0] >= 'a' && sb.buf[0] <= 'z')) {
		sb_reset(&sb);
		sb_addstr(&sb, "me");
	}
	return sb_detach(&sb);
}

static char *default_ini(const char *name, const char *email)
{
	char *id = staff_id_from(email, name);
	char *s = xasprintf(
		"; ae.ini -- the settings of this book (docs/ae.ini.5.md)\n"
		"\n"
		"[book]\n"
		"name = 客户服务部\n"
		"; the wall clock of every date in the book\n"
		"timezone = Asia/Shanghai\n"
		"; zh or en: the language of ae due and the reports\n"
		"lang = zh\n"
		"\n"
		"[office]\n"
		"hours = 09:00-18:00\n"
		"lunch = 12:00-13:00\n"
		"\n"
		"[calendar]\n"
		"; public holidays and make-up working days (CAL-1)\n"
		"files = calendar/cn-2026.ini\n"
		"\n"
		"[rules]\n"
		"; every parameter has a default; see docs/ae.ini.5.md\n"
		"; DUE-2: contact report within 48 hours of a meeting or important call\n"
		"contact_report_hours = 48\n"
		"; DUE-1: working days between calls\n"
		"call_every_in_city = 1\n"
		"call_every_out_of_town = 3\n"
		"; JOB-3: internal deadline this many working hours before the client's\n"
		"internal_lead_hours = 4\n"
		"\n"
		"[department CS]\n"
		"name = 客户服务部\n"
		"kind = account\n"
		"\n"
		"; one section per person: rank AAE, AE, AM, AD (and ED, GM, FIN, STAFF)\n"
		"[staff %s]\n"
		"name = %s\n"
		"rank = AE\n"
		"department = CS\n"
		"%s%s%s",
		id, name ? name : id, email ? "email = " : "", email ? email : "", email ? "\n" : "");
	free(id);
	return s;
}

static int install_hook(struct store *s, const char *root, const char *argv0)
{
	char *hooks = xasprintf("%shooks", store_gitdir(s));
	char *hook = xasprintf("%s/pre-commit", hooks);
	char *local = xasprintf("%s/pre-commit.local", hooks);
	char exe[PATH_MAX];
	char *text;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int ret = -1;
	const char *prefix = store_prefix(s);
	FILE *f;

	(void)root;
	(void)argv0;
	exe[n > 0 ? n : 0] = '\0';
	if (make_dirs(hooks) < 0)
		goto out;
	if (exists(hook)) {
		char buf[512] = "";
		size_t got = 0;
		if ((f = fopen(hook, "r"))) {
			got = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
		}
		buf[got] = '\0';
		if (!strstr(buf, HOOK_MARK)) {
			if (exists(local)) {
				error("both %s and %s exist; merge them by hand, then run 'ae init' again",
				      hook, local);
				goto out;
			}
			if (rename(hook, local) < 0) {
				error("unable to keep the existing hook as %s: %s", local, strerror(errno));
				goto out;
			}
			printf("kept the existing pre-commit hook as %s; it runs first\n", local);
		}
	}
	text = xasprintf("#!/bin/sh\n"
			 HOOK_MARK ": check the book as staged before every git commit (USE-2)\n"
			 "hooks=$(dirname \"$0\")\n"
			 "if [ -x \"$hooks/pre-commit.local\" ]; then\n"
			 "\t\"$hooks/pre-commit.local\" \"$@\" || exit $?\n"
			 "fi\n"
			 "ae=${AE:-ae}\n"
			 "command -v \"$ae\" >/dev/null 2>&1 || ae='%s'\n"
			 "top=$(git rev-parse --show-toplevel) || exit 1\n"
			 "exec \"$ae\" -C \"$top/%s\" check --staged -q\n",
			 exe, prefix);
	ret = write_atomic(hook, text, strlen(text), 0755);
	free(text);
out:
	free(hooks);
	free(hook);
	free(local);
	return ret;
}

int cmd_init(int argc, char **argv, struct globals *g)
{
	const char *dir = ".";
	char root[PATH_MAX], *ini = NULL, *attr = NULL, *name = NULL, *email = NULL;
	struct store *s = NULL;
	int created = 0, status = EXIT_SYSTEM;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (argv[i][0] == '-' || i > 1) {
			error("usage: ae init [DIR]");
			return EXIT_USAGE;
		} else {
			dir = argv[i];
		}
	}
	/* every path of a book is text that ae prints: refuse to start one
	 * in a folder whose name is not */
	if (!*dir || utf8_invalid_at(dir, strlen(dir)) < strlen(dir) ||
	    text_control_at(dir, strlen(dir)) < strlen(dir) || strpbrk(dir, "\t\r\n")) {
		error("'%s' is not a folder name for a book: name it in plain UTF-8 text", dir);
		return EXIT_USAGE;
	}
	if (make_dirs(dir) < 0 || !realpath(dir, root))
		return EXIT_SYSTEM;
	if (!(s = store_init(root, &created)))
		return EXIT_SYSTEM;
	for (size_t i = 0; i < ARRAY_SIZE(folders); i++) {
		char *p = xasprintf("%s/%s", root, folders[i]);
		int r = make_dirs(p);
		free(p);
		if (r < 0)
			goto out;
	}
	ini = xasprintf("%s/ae.ini", root);
	if (!exists(ini)) {
		char *text;
		store_identity(s, &name, &email);
		text = default_ini(name, email);
		if (write_atomic(ini, text, strlen(text), 0644) < 0) {
			free(text);
			goto out;
		}
		free(text);
		printf("wrote ae.ini: name your departments and staff there\n");
	}
	{
		char *cal = xasprintf("%s/calendar/cn-2026.ini", root);
		char *fdir = formats_shipped_dir(g->argv0);
		char *shipped = xasprintf("%s/calendar/cn-2026.ini", fdir);
		if (!exists(cal)) {
			FILE *f = fopen(shipped, "rb");
			struct strbuf sb = STRBUF_INIT;
			char buf[4096];
			size_t n;
			if (f) {
				while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
					sb_add(&sb, buf, n);
				fclose(f);
				write_atomic(cal, sb.buf, sb.len, 0644);
			} else {
				warning("no shipped calendar at %s; write calendar/cn-2026.ini yourself", shipped);
			}
			sb_release(&sb);
		}
		free(cal);
		free(fdir);
		free(shipped);
	}
	attr = xasprintf("%s/.gitattributes", root);
	{
		struct strbuf sb = STRBUF_INIT;
		FILE *f = fopen(attr, "rb");
		char buf[4096];
		size_t n;
		if (f) {
			while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
				sb_add(&sb, buf, n);
			fclose(f);
		}
		if (!sb.buf || !strstr(sb.buf, "merge=union")) {
			if (sb.len && sb.buf[sb.len - 1] != '\n')
				sb_addch(&sb, '\n');
			sb_addstr(&sb, attributes);
			if (write_atomic(attr, sb.buf, sb.len, 0644) < 0) {
				sb_release(&sb);
				goto out;
			}
		}
		sb_release(&sb);
	}
	if (install_hook(s, root, g->argv0) < 0)
		goto out;
	printf("%s book in %s%s\n", created ? "new" : "made a", root,
	       created ? " (a new git repository)" : *store_prefix(s) ? " (inside an existing repository)" : "");
	printf("next: edit ae.ini, then 'ae check' and 'ae commit -m \"start the book\"'\n");
	status = 0;
out:
	store_free(s);
	free(ini);
	free(attr);
	free(name);
	free(email);
	return status;
}
