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
#include "safepath.h"
#include "editing.h"
#include "store.h"
#include "tz.h"

static const char usage[] =
	"usage: ae log [--format text|json] [-n N] [RECORD]\n"
	"\n"
	"The history of RECORD (an identifier like CS-2611-03, or a path from the\n"
	"book's top folder), or of the whole book: when, who, and which fields\n"
	"changed from what to what.  ae's own commits carry Record: trailers and\n"
	"are read without diffing; other commits are diffed to find the records\n"
	"they touched.  Names and messages are shown with control characters\n"
	"escaped (\\x1b).\n"
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

/* The body block of one record in an ae commit message: its field lines. */
static void record_block(const char *msg, const char *path, struct strlist *lines)
{
	char *head = xasprintf(" (%s)", path);
	const char *p = msg;

	while ((p = strstr(p, head))) {
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
		while (*p == ' ') {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			const char *s = p;
			while (*s == ' ')
				s++;
			strlist_add_owned(lines, xstrndup(s, n - (size_t)(s - p)));
			p = e ? e + 1 : p + n;
		}
		break;
	}
	free(head);
}

static int show(const struct log_commit *c, void *arg)
{
	struct log_state *ls = arg;
	const char *nl = strchr(c->message, '\n');
	size_t slen = nl ? (size_t)(nl - c->message) : strlen(c->message);
	char when[64];

	when_text(when, sizeof(when), c->when, c->offset);
	if (ls->json)
		json_when(when, sizeof(when), ls->tz, c->when, c->offset);
	if (ls->json) {
		sb_addstr(&ls->out, ls->count ? ",\n  {" : "\n  {");
		sb_addf(&ls->out, "\"commit\":\"%s\",\"author\":", c->oid);
		json_str(&ls->out, c->author);
		sb_addstr(&ls->out, ",\"email\":");
		json_str(&ls->out, c->email);
		sb_addstr(&ls->out, ",\"date\":");
		json_str(&ls->out, when);
		sb_addstr(&ls->out, ",\"summary\":");
		json_strn(&ls->out, c->message, slen);
		sb_addstr(&ls->out, ",\"records\":[");
		for (size_t i = 0; i < c->paths.n; i++) {
			struct strlist lines = { 0 };
			if (ls->path && strcmp(ls->path, c->paths.v[i]))
				continue;
			record_block(c->message, c->paths.v[i], &lines);
			sb_addstr(&ls->out, ls->out.buf[ls->out.len - 1] == '[' ? "{\"path\":" : ",{\"path\":");
			json_str(&ls->out, c->paths.v[i]);
			sb_addstr(&ls->out, ",\"changes\":[");
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
		sb_addf(&ls->out, "%s%.7s  %s  ", ls->count ? "\n" : "", c->oid, when);
		sb_add_visible(&ls->out, c->author, strlen(c->author), "");
		sb_addstr(&ls->out, " <");
		sb_add_visible(&ls->out, c->email, strlen(c->email), "");
		sb_addstr(&ls->out, ">\n    ");
		sb_add_visible(&ls->out, c->message, slen, "");
		sb_addch(&ls->out, '\n');
		for (size_t i = 0; i < c->paths.n; i++) {
			struct strlist lines = { 0 };
			if (ls->path && strcmp(ls->path, c->paths.v[i]))
				continue;
			record_block(c->message, c->paths.v[i], &lines);
			sb_addstr(&ls->out, "    ");
			sb_add_visible(&ls->out, c->paths.v[i], strlen(c->paths.v[i]), "");
			sb_addch(&ls->out, '\n');
			for (size_t k = 0; k < lines.n; k++) {
				sb_addstr(&ls->out, "      ");
				sb_add_visible(&ls->out, lines.v[k], strlen(lines.v[k]), "");
				sb_addch(&ls->out, '\n');
			}
			strlist_release(&lines);
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
