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

static const char usage[] =
	"usage: ae show [--format text|json] RECORD [FIELD]\n"
	"\n"
	"Print RECORD's fields (or one FIELD) as ae reads them: 'key = value'\n"
	"lines, multi-line values indented, or a JSON object.  For scripts: the\n"
	"value of one field is printed bare.\n";

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
	} else if (b.src->read(b.src, r->path, (size_t)1 << 30, &text, &(const char *){NULL}) != SRC_OK) {
		error("unable to read '%s'", r->path);
		status = EXIT_SYSTEM;
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
				sb_addf(&out, "%s\n", v);
			} else if (json) {
				sb_addstr(&out, first ? "\n  " : ",\n  ");
				json_str(&out, fmt->fields[f].name);
				sb_addch(&out, ':');
				json_str(&out, v);
			} else if (strchr(v, '\n')) {
				sb_addf(&out, "%s =\n", fmt->fields[f].name);
				for (char *s = v; s;) {
					char *nl = strchr(s, '\n');
					if (nl)
						*nl = '\0';
					sb_addf(&out, *s ? "    %s\n" : "\n", s);
					s = nl ? nl + 1 : NULL;
				}
			} else {
				sb_addf(&out, "%s = %s\n", fmt->fields[f].name, v);
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
