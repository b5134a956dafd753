/* cmd_log.c -- ae log: who changed which field of which record, when (USE-3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "json.h"
#include "commitmsg.h"
#include "merge_record.h"
#include "safepath.h"
#include "editing.h"
#include "store.h"
#include "tz.h"

static const char usage[] =
	"usage: ae log [--format text|json] [-n N] [RECORD]\n"
	"\n"
	"The history of RECORD (an identifier like CS-2611-03, or a path from the\n"
	"book's top folder), or of the whole book, newest first in topological\n"
	"order: when, who, and which fields changed from what to what, read from\n"
	"the trees (not from the messages).  Merges that changed the record are\n"
	"listed with the fields they brought or resolved; a renumbered record is\n"
	"followed to its old number.  Names and messages are shown with control\n"
	"characters escaped (\\x1b).\n"
	"\n"
	"  -n N            at most N commits\n"
	"  --format json   one object per commit\n";

struct log_state {
	const char *path;	/* the record, or NULL */
	int json;
	const char *tz;		/* JSON: dates in the book's zone, or NULL */
	int count;
	struct strbuf out;
};

static void when_text(char *buf, size_t size, long long when, int offset)
{
	time_t t = (time_t)(when + (long long)offset * 60);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, size, "%04d-%02d-%02d %02d:%02d %c%02d%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, offset < 0 ? '-' : '+',
		 abs(offset) / 60, abs(offset) % 60);
}

/* RFC 3339 in the book's zone, as every JSON date-time of ae; the
 * commit's own offset when the book's settings cannot be read. */
static void json_when(char *buf, size_t size, const char *tz, long long when, int offset)
{
	time_t t = (time_t)(when + (long long)offset * 60);
	struct tm tm;

	if (tz) {
		tz_rfc3339(buf, size, tz, (time_t)when);
		return;
	}
	gmtime_r(&t, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 offset < 0 ? '-' : '+', abs(offset) / 60, abs(offset) % 60);
}

/* The book's time zone from its settings, or NULL (owned). */
static char *book_zone(const char *root, const char *argv0)
{
	struct book b;
	char *tz = NULL;

	diag_setup(stderr, DIAG_TEXT, 0);
	if (book_open(&b, root, argv0) == 0)
		tz = xstrdup(b.cfg.timezone);
	book_release(&b);
	diag_reset();
	return tz;
}

static int is_ini(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && !strcmp(path + n - 4, ".ini");
}

/* A journal's change: the lines added (at most 20), how many went. */
static void journal_lines(const struct log_file *f, struct strlist *lines)
{
	struct strlist a = { 0 }, z = { 0 };
	size_t added = 0, removed = 0;

	strlist_add_lines(&a, f->old.buf);
	strlist_add_lines(&z, f->new.buf);
	strlist_sort(&a);
	{
		/* the lines of the new version the old one lacks, in order */
		struct strlist zs = { 0 };
		for (size_t i = 0; i < z.n; i++)
			strlist_add(&zs, z.v[i]);
		strlist_sort(&zs);
		for (size_t i = 0, k = 0; i < a.n || k < zs.n;) {
			int c = i >= a.n ? 1 : k >= zs.n ? -1 : strcmp(a.v[i], zs.v[k]);
			if (c == 0)
				i++, k++;
			else if (c < 0)
				removed++, i++;
			else
				added++, k++;
		}
		strlist_release(&zs);
	}
	for (size_t i = 0, shown = 0; i < z.n && shown < 20; i++) {
		int old = 0;
		for (size_t k = 0; k < a.n && !old; k++)
			old = !strcmp(a.v[k], z.v[i]);
		if (!old && z.v[i][0] && z.v[i][0] != '#') {
			strlist_add_owned(lines, xasprintf("+ %s", z.v[i]));
			shown++;
		}
	}
	if (added > 20)
		strlist_add_owned(lines, xasprintf("... %zu more", added - 20));
	if (removed)
		strlist_add_owned(lines, xasprintf("%zu line%s changed or removed", removed,
						   removed == 1 ? "" : "s"));
	strlist_release(&a);
	strlist_release(&z);
}

static int field_differs(const struct strbuf *a, const struct strbuf *b, const char *key)
{
	return merge_record_field_differs(a->buf ? a->buf : "", a->len, b->buf ? b->buf : "", b->len,
					  key);
}

/*
 * What a commit changed in one file, from the two trees: the field lines
 * of a record ("status: in-progress -> delivered"); for a merge, each
 * marked as brought from the other side or resolved in the merge.
 */
static void file_lines(const struct log_commit *c, const struct log_file *f, struct strlist *lines)
{
	struct strlist keys = { 0 }, fl = { 0 };

	if (!f->has_new || !f->old_path || !is_ini(f->path)) {
		if (f->has_new && f->old_path && !strncmp(f->path, "journal/", 8))
			journal_lines(f, lines);
		return;
	}
	field_changes(f->path, &f->old, &f->new, &keys, &fl);
	if (c->info.nparents > 1) {
		/* a merge: each field it changed, and each both sides had
		 * changed differently, with how the merge settled it */
		struct strlist tk = { 0 }, tl = { 0 };
		field_changes(f->path, &f->base, &f->other, &tk, &tl);
		for (size_t i = 0; i < tk.n; i++) {
			int listed = 0;
			for (size_t k = 0; k < keys.n && !listed; k++)
				listed = !strcmp(keys.v[k], tk.v[i]);
			if (!listed && field_differs(&f->old, &f->other, tk.v[i])) {
				/* theirs' value: what follows the last " -> " of its line */
				const char *v = NULL;
				for (const char *p = tl.v[i]; (p = strstr(p, " -> ")); p++)
					v = p + 4;
				strlist_add_owned(lines, xasprintf("%s: resolved, ours kept (theirs: %s)",
								   tk.v[i], v ? v : "changed"));
			}
		}
		for (size_t i = 0; i < keys.n; i++) {
			int theirs = f->has_other && !field_differs(&f->other, &f->new, keys.v[i]);
			int ours_changed = f->has_base && field_differs(&f->base, &f->old, keys.v[i]);
			int theirs_changed = !f->has_base || field_differs(&f->base, &f->other, keys.v[i]);
			strlist_add_owned(lines, xasprintf("%s (%s)", fl.v[i],
				!theirs ? "resolved in the merge" :
				ours_changed && theirs_changed ? "resolved: theirs" : "from the side merged in"));
		}
		strlist_release(&tk);
		strlist_release(&tl);
	} else {
		for (size_t i = 0; i < keys.n; i++)
			strlist_add(lines, fl.v[i]);
	}
	strlist_release(&keys);
	strlist_release(&fl);
}

/* "jobs/X.ini", with what became of it when not a change of fields. */
static char *file_head(const struct log_file *f)
{
	if (!f->has_new)
		return xasprintf("%s (deleted)", f->path);
	if (!f->old_path)
		return xasprintf("%s (new)", f->path);
	if (strcmp(f->old_path, f->path))
		return xasprintf("%s (renumbered from %s)", f->path, f->old_path);
	return xstrdup(f->path);
}

static int show(const struct log_commit *c, void *arg)
{
	struct log_state *ls = arg;
	const char *nl = strchr(c->info.message, '\n');
	size_t slen = nl ? (size_t)(nl - c->info.message) : strlen(c->info.message);
	char when[64];

	when_text(when, sizeof(when), c->info.when, c->info.offset);
	if (ls->json)
		json_when(when, sizeof(when), ls->tz, c->info.when, c->info.offset);
	if (ls->json) {
		sb_addstr(&ls->out, ls->count ? ",\n  {" : "\n  {");
		sb_addf(&ls->out, "\"commit\":\"%s\",\"author\":", c->info.oid);
		json_str(&ls->out, c->info.author);
		sb_addstr(&ls->out, ",\"email\":");
		json_str(&ls->out, c->info.email);
		sb_addstr(&ls->out, ",\"date\":");
		json_str(&ls->out, when);
		sb_addf(&ls->out, ",\"merge\":%s,\"summary\":", c->info.nparents > 1 ? "true" : "false");
		json_strn(&ls->out, c->info.message, slen);
		sb_addstr(&ls->out, ",\"records\":[");
		for (size_t i = 0; i < c->nfiles; i++) {
			const struct log_file *f = &c->files[i];
			struct strlist lines = { 0 };
			file_lines(c, f, &lines);
			sb_addstr(&ls->out, i ? ",{\"path\":" : "{\"path\":");
			json_str(&ls->out, f->path);
			if (f->old_path && strcmp(f->old_path, f->path)) {
				sb_addstr(&ls->out, ",\"renumbered_from\":");
				json_str(&ls->out, f->old_path);
			}
			sb_addf(&ls->out, ",\"state\":\"%s\",\"changes\":[",
				!f->has_new ? "deleted" : !f->old_path ? "new" : "changed");
			for (size_t k = 0; k < lines.n; k++) {
				if (k)
					sb_addch(&ls->out, ',');
				json_str(&ls->out, lines.v[k]);
			}
			sb_addstr(&ls->out, "]}");
			strlist_release(&lines);
		}
		sb_addstr(&ls->out, "]}");
	} else {
		/* commit messages and names come from anyone who pushed:
		 * shown with their control characters escaped */
		sb_addf(&ls->out, "%s%.7s  %s  ", ls->count ? "\n" : "", c->info.oid, when);
		sb_add_visible(&ls->out, c->info.author, strlen(c->info.author), "");
		sb_addstr(&ls->out, " <");
		sb_add_visible(&ls->out, c->info.email, strlen(c->info.email), "");
		sb_addf(&ls->out, ">%s\n    ", c->info.nparents > 1 ? "  (merge)" : "");
		sb_add_visible(&ls->out, c->info.message, slen, "");
		sb_addch(&ls->out, '\n');
		for (size_t i = 0; i < c->nfiles; i++) {
			struct strlist lines = { 0 };
			char *head = file_head(&c->files[i]);
			file_lines(c, &c->files[i], &lines);
			sb_addstr(&ls->out, "    ");
			sb_add_visible(&ls->out, head, strlen(head), "");
			sb_addch(&ls->out, '\n');
			for (size_t k = 0; k < lines.n; k++) {
				sb_addstr(&ls->out, "      ");
				sb_add_visible(&ls->out, lines.v[k], strlen(lines.v[k]), "");
				sb_addch(&ls->out, '\n');
			}
			strlist_release(&lines);
			free(head);
		}
	}
	ls->count++;
	return 0;
}

/*
 * Whether a RECORD given as a path names one inside the book: relative to
 * its top folder, no '.' or '..', no hidden or empty component.
 */
static int path_in_book(const char *name)
{
	if (*safe_path_problem(name))
		return 0;
	for (const char *p = name; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (*p == '.')
			return 0;
	}
	return 1;
}

/* A record named by identifier: its path in the book. */
static char *resolve(const char *root, const char *name)
{
	static const char *const folders[] = {
		"clients", "jobs", "contacts", "meetings", "complaints", "letters", "reviews"
	};
	struct stat st;

	if (strchr(name, '/'))
		return xstrdup(name);
	for (size_t i = 0; i < ARRAY_SIZE(folders); i++) {
		char *p = xasprintf("%s/%s/%s.ini", root, folders[i], name);
		if (stat(p, &st) == 0) {
			free(p);
			return xasprintf("%s/%s.ini", folders[i], name);
		}
		free(p);
	}
	return NULL;
}

int cmd_log(int argc, char **argv, struct globals *g)
{
	struct log_state ls;
	const char *record = NULL;
	char *root, *path = NULL, *tz = NULL;
	struct store *s;
	int max = 0, r;

	memset(&ls, 0, sizeof(ls));
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if ((!strcmp(argv[i], "--format") && i + 1 < argc) ||
			   !strncmp(argv[i], "--format=", 9)) {
			const char *f = argv[i][8] == '=' ? argv[i] + 9 : argv[++i];
			if (!strcmp(f, "json"))
				ls.json = 1;
			else if (strcmp(f, "text")) {
				error("unknown format '%s' for log (text, json)", f);
				return EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			max = atoi(argv[++i]);
		} else if (!strncmp(argv[i], "-n", 2) && argv[i][2] &&
			   strspn(argv[i] + 2, "0123456789") == strlen(argv[i] + 2)) {
			max = atoi(argv[i] + 2);
		} else if (argv[i][0] == '-' || record) {
			error("unknown argument '%s' for log", argv[i]);
			fputs(usage, stderr);
			return EXIT_USAGE;
		} else {
			record = argv[i];
		}
	}
	if (g->at) {
		error("ae log shows the history from HEAD; --at does not apply (try 'git log REV')");
		return EXIT_USAGE;
	}
	if (record && strchr(record, '/') && !path_in_book(record)) {
		error("'%s' is not a path inside the book: name a record by its identifier, or by its path from the book's top folder (like clients/SH-202603-COKE-007.ini)",
		      record);
		return EXIT_USAGE;
	}
	root = book_find_root(".");
	if (!root) {
		error("not inside a book: no ae.ini here or above");
		return EXIT_SYSTEM;
	}
	if (!(s = store_open(root, 0))) {
		free(root);
		return EXIT_SYSTEM;
	}
	if (record && !(path = resolve(root, record))) {
		/* named by a prefix or a part, as everywhere else */
		struct book b;
		const struct record *found;
		diag_setup(stderr, DIAG_TEXT, 0);
		g->now_given = 1;
		if (open_book(g, &b) == 0) {
			diag_reset();
			if ((found = find_record(&b, record, -1)))
				path = xstrdup(found->path);
			book_release(&b);
		}
		if (!path) {
			store_free(s);
			free(root);
			return EXIT_USAGE;
		}
	}
	ls.path = path;
	if (ls.json)
		ls.tz = tz = book_zone(root, g->argv0);
	if (ls.json)
		sb_addstr(&ls.out, "[");
	r = store_log(s, path, max, show, &ls);
	if (ls.json)
		sb_addstr(&ls.out, ls.count ? "\n]\n" : "]\n");
	if (ls.out.len)
		fputs(ls.out.buf, stdout);
	sb_release(&ls.out);
	store_free(s);
	free(tz);
	free(path);
	free(root);
	return r < 0 ? EXIT_SYSTEM : 0;
}
