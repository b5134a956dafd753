/* cmd_show.c -- ae show: a record's fields as the checker reads them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "edit.h"
#include "editing.h"
#include "json.h"
#include "store.h"
#include "sync.h"
#include "textfile.h"

static const char usage[] =
	"usage: ae show [--format text|json] RECORD [FIELD]\n"
	"\n"
	"Print RECORD's fields (or one FIELD) as ae reads them: 'key = value'\n"
	"lines, multi-line values indented, or a JSON object.  For scripts: the\n"
	"value of one field is printed bare.  The record is read as 'ae check'\n"
	"reads it: a file over max_file_bytes or not plain text is reported, not\n"
	"shown; control characters in text output are shown escaped (\\x1b).\n";

/* A line of text output: book text with any control character but TAB
 * made visible (the reader refuses them; this is the second fence). */
static void add_text(struct strbuf *out, const char *s)
{
	sb_add_visible(out, s, strlen(s), "\t");
}

/* A field's value for JSON: a date-time in RFC 3339 with the book's
 * offset, as every JSON date-time of ae (ae(1)); anything else, and a
 * date-time that does not parse, as written. */
static void json_value(struct strbuf *out, const struct book *b, enum ftype type, const char *v)
{
	moment_t m;

	if (type == FT_DATETIME && parse_datetime(v, strlen(v), &m) == DATE_OK)
		json_moment(out, b->cfg.timezone, m);
	else
		json_str(out, v);
}

int cmd_show(int argc, char **argv, struct globals *g)
{
	const char *name = NULL, *field = NULL;
	int json = 0, status;
	struct book b;
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	const struct record *r;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			json = !strcmp(argv[++i], "json");
		} else if (argv[i][0] == '-' || (name && field)) {
			fputs(usage, stderr);
			return EXIT_USAGE;
		} else if (!name) {
			name = argv[i];
		} else {
			field = argv[i];
		}
	}
	if (!name) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	diag_setup(stderr, DIAG_TEXT, 0);
	if (!g->at) {
		/* in conflict, a record is neither side: say so, show no side */
		char *root = book_find_root(g->dir ? g->dir : ".");
		char *path = root ? sync_conflicted(root, name) : NULL;
		if (path) {
			struct store *s = store_open(root, 0);
			char *id = resolve_name(path);
			if (s)
				sync_report_path(s, root, path);
			diag_flush();
			error("'%s' is in conflict: a merge left both sides' changes in '%s' (above), so there is no one value to show; settle it with 'ae resolve %s FIELD --ours|--theirs|--value V', then 'ae sync --continue'",
			      id, path, id);
			free(id);
			store_free(s);
			free(path);
			free(root);
			return EXIT_BAD_RECORDS;
		}
		free(root);
	}
	if ((status = open_book(g, &b)) != 0)
		return status;
	diag_reset();
	if (!(r = find_record(&b, name, -1))) {
		status = EXIT_USAGE;
	} else if (text_load(b.src, r->path, b.cfg.max_file_bytes, 0, &text) != 0) {
		/* too big, not text, a link, gone: as ae check says it */
		if (!diag_count(DIAG_ERROR) && !diag_count(DIAG_SYSTEM))
			diag_at(DIAG_SYSTEM, r->path, 0, 0, NULL, "unable to read the record");
		status = diag_flush();
	} else {
		const struct format *fmt = &b.fmts.kinds[r->kind];
		int first = 1;
		if (json)
			sb_addstr(&out, "{");
		for (int f = 0; f < fmt->nfields; f++) {
			char *v;
			if (field && strcmp(field, fmt->fields[f].name))
				continue;
			if (!(v = edit_get(text.buf, text.len, fmt->fields[f].name)))
				continue;
			if (field && !json) {
				/* bare, for scripts: a multi-line value as its lines */
				sb_add_visible(&out, v, strlen(v), "\t\n");
				sb_addch(&out, '\n');
			} else if (json) {
				sb_addstr(&out, first ? "\n  " : ",\n  ");
				json_str(&out, fmt->fields[f].name);
				sb_addch(&out, ':');
				json_value(&out, &b, fmt->fields[f].type, v);
			} else if (strchr(v, '\n')) {
				add_text(&out, fmt->fields[f].name);
				sb_addstr(&out, " =\n");
				for (char *s = v; s;) {
					char *nl = strchr(s, '\n');
					if (nl)
						*nl = '\0';
					if (*s) {
						sb_addstr(&out, "    ");
						add_text(&out, s);
					}
					sb_addch(&out, '\n');
					s = nl ? nl + 1 : NULL;
				}
			} else {
				add_text(&out, fmt->fields[f].name);
				sb_addstr(&out, " = ");
				add_text(&out, v);
				sb_addch(&out, '\n');
			}
			first = 0;
			free(v);
		}
		if (json)
			sb_addstr(&out, first ? "}\n" : "\n}\n");
		if (field && first) {
			error("%s has no field '%s'", r->id, field);
			status = EXIT_USAGE;
		} else if (out.len) {
			fputs(out.buf, stdout);
		}
	}
	sb_release(&text);
	sb_release(&out);
	book_release(&b);
	return status;
}
