/* cmd_init.c -- ae init: a new book, or make a folder or repository a book. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ae.h"
#include "clonesetup.h"
#include "diag.h"
#include "editing.h"
#include "fileio.h"
#include "format.h"
#include "hooks.h"
#include "safepath.h"
#include "store.h"
#include "store_team.h"
#include "utf8.h"

static const char usage[] =
	"usage: ae init [DIR]\n"
	"       ae init --bare DIR\n"
	"\n"
	"Make DIR (default: here) a book: a git repository (unless DIR is already\n"
	"in one), an ae.ini with commented defaults, the record folders, the 2026\n"
	"calendar and a .gitattributes that keeps records LF and selects ae's merge\n"
	"drivers.  Then set up the clone for working in a team: the pre-commit and\n"
	"pre-merge-commit hooks that run 'ae check --staged', so that a plain 'git\n"
	"commit' or 'git merge' is checked too; ae's merge drivers, which merge\n"
	"records field by field and journals line by line; 'git pull' set to\n"
	"merge (pull.rebase=false).  In a clone made with 'git clone', 'ae init'\n"
	"does only this set-up.  Existing files are kept as they are; an existing\n"
	"hook is kept and run first.  Running it again changes nothing.\n"
	"\n"
	"  --bare DIR   make DIR a bare repository to share a book (or set up an\n"
	"               existing one): its pre-receive hook refuses every push\n"
	"               whose branch holds a book with errors\n";

static const char *const folders[] = {
	"clients", "jobs", "contacts", "meetings", "complaints", "letters", "reviews",
	"journal", "calendar"
};

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
		"contact_report = 48h\n"
		"; DUE-1: working days between calls\n"
		"call_every_in_city = 1\n"
		"call_every_out_of_town = 3\n"
		"; JOB-3: internal deadline half a working day (0.5d) or some hours (4h)\n"
		"; before the client's\n"
		"internal_lead = 0.5d\n"
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

/* ae init --bare DIR: the shared repository, checking every push. */
static int init_bare(const char *dir, struct globals *g)
{
	struct store *s;
	char *hooks = NULL, *text = NULL, *exe = clone_self_exe(g->argv0);
	int created = 0, r, status = EXIT_SYSTEM;

	if (make_dirs(dir) < 0 || !(s = store_init_bare(dir, &created))) {
		free(exe);
		return EXIT_SYSTEM;
	}
	hooks = store_hooks_dir(s);
	text = hook_text("pre-receive", exe, "");
	if ((r = hook_install(hooks, "pre-receive", text)) < 0)
		goto out;
	printf("%s %s: every push to it is checked by 'ae check' (pre-receive hook)\n",
	       created ? "new shared repository" : r ? "set up the shared repository" :
	       "the shared repository is already set up:", store_gitdir(s));
	if (created)
		printf("next: push a book to it ('git remote add origin %s && git push -u origin main' in the book), then 'ae clone' it\n",
		       dir);
	status = 0;
out:
	free(text);
	free(hooks);
	free(exe);
	store_free(s);
	return status;
}

int cmd_init(int argc, char **argv, struct globals *g)
{
	const char *dir = ".";
	char root[PATH_MAX], *ini = NULL, *name = NULL, *email = NULL;
	char *exe = NULL;
	struct store *s = NULL;
	int created = 0, status = EXIT_SYSTEM, bare = 0, ndirs = 0, changed = 0, had_book = 0;
	int rootfd = -1;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--bare")) {
			bare = 1;
		} else if (argv[i][0] == '-' || ndirs++) {
			error("usage: ae init [DIR] | ae init --bare DIR");
			return EXIT_USAGE;
		} else {
			dir = argv[i];
		}
	}
	/* a book's paths are UTF-8 text that ae prints (escaped, so that
	 * even a line end in the name is shown, and quoted in the hook) */
	if (!*dir || utf8_invalid_at(dir, strlen(dir)) < strlen(dir)) {
		error("'%s' is not a folder name for a book: name it in UTF-8 text", dir);
		return EXIT_USAGE;
	}
	if (bare) {
		if (!ndirs) {
			error("usage: ae init --bare DIR: name the shared repository's folder");
			return EXIT_USAGE;
		}
		return init_bare(dir, g);
	}
	if (make_dirs(dir) < 0 || !realpath(dir, root))
		return EXIT_SYSTEM;
	if (!(s = store_init(root, &created)))
		return EXIT_SYSTEM;
	/* as every writer: under the book lock, never through a symbolic
	 * link of the book (it may be a clone of someone else's) */
	if ((status = lock_book(g, root, argc, argv)) != 0)
		goto out;
	status = EXIT_SYSTEM;
	if ((rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		error("unable to open the book's folder '%s': %s", root, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < ARRAY_SIZE(folders); i++) {
		char *link = NULL;
		int fd = safe_opendir(rootfd, folders[i], 1, &link);
		if (fd < 0) {
			error("unable to make the folder '%s' of the book: %s", link ? link : folders[i],
			      errno == ELOOP ? "a symbolic link is on the way" : strerror(errno));
			free(link);
			goto out;
		}
		close(fd);
	}
	ini = xasprintf("%s/ae.ini", root);
	had_book = exists(ini);
	if (!had_book) {
		char *text;
		store_identity(s, &name, &email);
		text = default_ini(name, email);
		if (book_write(rootfd, "ae.ini", text, strlen(text), 0644) < 0) {
			free(text);
			goto out;
		}
		free(text);
		printf("wrote ae.ini: name your departments and staff there\n");
	}
	{
		char *fdir = formats_shipped_dir(g->argv0);
		char *shipped = xasprintf("%s/calendar/cn-2026.ini", fdir);
		struct strbuf have = STRBUF_INIT;
		int r = book_read(rootfd, "calendar/cn-2026.ini", (size_t)1 << 20, &have);
		sb_release(&have);
		if (r == 1) {
			struct strbuf sb = STRBUF_INIT;
			if (sb_read_file(&sb, shipped, (size_t)1 << 20) == 0) {
				r = book_write(rootfd, "calendar/cn-2026.ini", sb.buf ? sb.buf : "", sb.len, 0644);
			} else {
				warning("no shipped calendar at %s; write calendar/cn-2026.ini yourself", shipped);
				r = 0;
			}
			sb_release(&sb);
		}
		free(fdir);
		free(shipped);
		if (r < 0)
			goto out;
	}
	switch (clone_attributes_update(rootfd)) {
	case -1:
		goto out;
	case 1:
		if (!created && !store_head_unborn(s))
			printf("updated .gitattributes to select ae's merge drivers; commit it ('ae commit -m \"ae merge drivers\"')\n");
		break;
	}
	exe = clone_self_exe(g->argv0);
	if (clone_setup(s, exe, &changed) < 0)
		goto out;
	if (changed)
		printf("set up for a team: hooks pre-commit and pre-merge-commit, merge drivers, pull.rebase=false\n");
	clone_identity_check(s, root, g->argv0);
	if (had_book && !store_head_unborn(s)) {
		printf("the book in %s is ready\n", root);
	} else {
		printf("%s book in %s%s\n", created ? "new" : "made a", root,
		       created ? " (a new git repository)" : *store_prefix(s) ? " (inside an existing repository)" : "");
		printf("next: edit ae.ini, then 'ae check' and 'ae commit -m \"start the book\"'\n");
	}
	status = 0;
out:
	if (rootfd >= 0)
		close(rootfd);
	end_change(g);
	store_free(s);
	free(ini);
	free(exe);
	free(name);
	free(email);
	return status;
}
