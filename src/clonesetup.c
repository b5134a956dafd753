/* clonesetup.c -- see clonesetup.h */
#include "clonesetup.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book.h"
#include "diag.h"
#include "fileio.h"
#include "hooks.h"
#include "store.h"
#include "store_team.h"

const char clone_attributes[] =
	"# ae: records and settings are LF text merged field by field, journals\n"
	"# merged line by line in time order (ae-merge(5))\n"
	"*.ini text eol=lf merge=" STORE_DRIVER_RECORD "\n"
	"journal/**/*.log text eol=lf merge=" STORE_DRIVER_JOURNAL "\n";

/* The lines an earlier ae init wrote, and what each becomes. */
static const char *const old_lines[][2] = {
	{ "# ae: records and settings are LF text; journals merge by union (USE-3)",
	  "# ae: records and settings are LF text merged field by field, journals\n"
	  "# merged line by line in time order (ae-merge(5))" },
	{ "*.ini text eol=lf", "*.ini text eol=lf merge=" STORE_DRIVER_RECORD },
	{ "journal/*.log text eol=lf merge=union", "journal/**/*.log text eol=lf merge=" STORE_DRIVER_JOURNAL },
};

static const char *const hook_names[] = { "pre-commit", "pre-merge-commit" };

static const char *const drivers[][3] = {
	{ STORE_DRIVER_RECORD, "record", "ae: records merged field by field (ae-merge(5))" },
	{ STORE_DRIVER_JOURNAL, "journal", "ae: journals merged line by line in time order (ae-merge(5))" },
};

char *clone_self_exe(const char *argv0)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		exe[n] = '\0';
		return xstrdup(exe);
	}
	if (argv0 && strchr(argv0, '/') && realpath(argv0, exe))
		return xstrdup(exe);
	return xstrdup("ae");
}

/* The driver command git runs: "'EXE' merge-driver KIND %O %A %B %P". */
static char *driver_command(const char *exe, const char *kind)
{
	struct strbuf sb = STRBUF_INIT;

	sh_quote(&sb, exe);
	sb_addf(&sb, " merge-driver %s %%O %%A %%B %%P", kind);
	return sb_detach(&sb);
}

/* Whether the attributes text selects both of ae's drivers. */
static int selects_drivers(const char *text)
{
	return text && strstr(text, "merge=" STORE_DRIVER_RECORD) &&
	       strstr(text, "merge=" STORE_DRIVER_JOURNAL);
}

int clone_attributes_update(int rootfd)
{
	struct strbuf old = STRBUF_INIT, new = STRBUF_INIT;
	int ret = 0;

	if (book_read(rootfd, ".gitattributes", (size_t)1 << 20, &old) < 0) {
		ret = -1;
		goto out;
	}
	if (selects_drivers(old.buf))
		goto out;
	/* an earlier ae's lines, updated where they are */
	for (const char *p = old.buf, *end = old.buf + old.len; p && p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), k;
		size_t t = n && p[n - 1] == '\r' ? n - 1 : n;
		for (k = 0; k < ARRAY_SIZE(old_lines); k++)
			if (strlen(old_lines[k][0]) == t && !memcmp(p, old_lines[k][0], t))
				break;
		if (k < ARRAY_SIZE(old_lines)) {
			sb_addstr(&new, old_lines[k][1]);
			sb_add(&new, p + t, n - t);
		} else {
			sb_add(&new, p, n);
		}
		if (nl)
			sb_addch(&new, '\n');
		p = nl ? nl + 1 : end;
	}
	if (!selects_drivers(new.buf)) {
		if (new.len && new.buf[new.len - 1] != '\n')
			sb_addch(&new, '\n');
		sb_addstr(&new, clone_attributes);
	}
	ret = book_write(rootfd, ".gitattributes", new.buf, new.len, 0644) < 0 ? -1 : 1;
out:
	sb_release(&old);
	sb_release(&new);
	return ret;
}

int clone_setup(struct store *s, const char *exe, int *changed)
{
	char *hooks = store_hooks_dir(s);
	int ret = -1;

	*changed = 0;
	for (size_t i = 0; i < ARRAY_SIZE(hook_names); i++) {
		char *text = hook_text(hook_names[i], exe, store_prefix(s));
		int r = hook_install(hooks, hook_names[i], text);
		free(text);
		if (r < 0)
			goto out;
		*changed |= r;
	}
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		char *key = xasprintf("merge.%s.driver", drivers[i][0]);
		char *name = xasprintf("merge.%s.name", drivers[i][0]);
		char *want = driver_command(exe, drivers[i][1]);
		char *have = store_config_get(s, key);
		int r = 0;
		if (!have || strcmp(have, want)) {
			r = store_config_set(s, name, drivers[i][2]) < 0 ||
			    store_config_set(s, key, want) < 0 ? -1 : 1;
			*changed = 1;
		}
		free(key);
		free(name);
		free(want);
		free(have);
		if (r < 0)
			goto out;
	}
	{
		char *pr = store_config_get(s, "pull.rebase");
		int r = 0;
		if (!pr || strcmp(pr, "false")) {
			r = store_config_set(s, "pull.rebase", "false");
			*changed = 1;
		}
		free(pr);
		if (r < 0)
			goto out;
	}
	ret = 0;
out:
	free(hooks);
	return ret;
}

static void lacks(struct strbuf *what, const char *s)
{
	sb_addf(what, "%s%s", what->len ? ", " : "", s);
}

int clone_setup_missing(struct store *s, const char *root, struct strbuf *what)
{
	char *hooks = store_hooks_dir(s), *exe = clone_self_exe(NULL);
	char *path = xasprintf("%s/.gitattributes", root);
	struct strbuf attr = STRBUF_INIT;

	for (size_t i = 0; i < ARRAY_SIZE(hook_names); i++)
		if (!hook_is_ours(hooks, hook_names[i]))
			sb_addf(what, "%sno ae %s hook", what->len ? ", " : "", hook_names[i]);
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		char *key = xasprintf("merge.%s.driver", drivers[i][0]);
		char *have = store_config_get(s, key), *want = driver_command(exe, drivers[i][1]);
		if (!have)
			sb_addf(what, "%sno %s merge driver", what->len ? ", " : "", drivers[i][0]);
		else if (strcmp(have, want))
			sb_addf(what, "%sthe %s merge driver runs another ae", what->len ? ", " : "",
				drivers[i][0]);
		free(key);
		free(have);
		free(want);
	}
	{
		char *pr = store_config_get(s, "pull.rebase");
		if (!pr || strcmp(pr, "false"))
			lacks(what, "git pull would not merge (pull.rebase is not false)");
		free(pr);
	}
	sb_read_file(&attr, path, (size_t)1 << 20);
	if (!selects_drivers(attr.buf))
		lacks(what, ".gitattributes does not select ae's merge drivers");
	sb_release(&attr);
	free(path);
	free(exe);
	free(hooks);
	return what->len != 0;
}

void clone_identity_check(struct store *s, const char *root, const char *argv0)
{
	struct book b;
	char *name = NULL, *email = NULL;
	int found = 0;

	store_identity(s, &name, &email);
	if (book_open(&b, root, argv0) == 0) {
		for (size_t i = 0; i < b.cfg.nstaff && !found; i++)
			found = email && b.cfg.staff[i].email && !strcasecmp(b.cfg.staff[i].email, email);
		if (!email)
			warning("git's user.email is not set in this clone, so 'ae commit' cannot tell who you are\n"
				"hint: git config user.email YOUR-EMAIL (the email of your [staff] section in ae.ini)");
		else if (!found)
			warning("git's user.email '%s' is the email of no staff member in ae.ini, so 'ae commit' cannot tell who you are\n"
				"hint: git config user.email YOUR-EMAIL (as ae.ini has it), or add 'email = %s' to your [staff] section of ae.ini",
				email, email);
	}
	book_release(&b);
	diag_reset();	/* ae.ini's own problems are for ae check */
	free(name);
	free(email);
}

void clone_setup_warn(const char *root)
{
	static int warned;
	struct store *s;
	struct strbuf what = STRBUF_INIT;

	if (warned || !root)
		return;
	warned = 1;
	if (!(s = store_try_open(root)))
		return;
	if (clone_setup_missing(s, root, &what))
		warning("this clone is not set up for working in a team (%s)\n"
			"hint: run 'ae init' in it: it keeps your files and hooks, and adds what is missing",
			what.buf);
	sb_release(&what);
	store_free(s);
}
