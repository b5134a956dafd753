/* cmd_new.c -- ae new: a record with the next identifier, filled in as far
 * as is known, edited, checked and committed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "edit.h"
#include "editing.h"
#include "editor.h"
#include "fileio.h"
#include "identity.h"
#include "numbering.h"
#include "rollback.h"
#include "rules.h"
#include "template.h"

static const char usage[] =
	"usage: ae new KIND [-e] [--no-commit] [--as STAFF] [OPTIONS] [FIELD=VALUE...]\n"
	"\n"
	"Make a new record of KIND (client, job, contact, meeting, complaint,\n"
	"letter, review) with the next identifier by the handbook's numbering,\n"
	"fill in what is known (you as issuer or author, now as opened, held,\n"
	"written or submitted, the internal deadline half a working day before the\n"
	"client's), open $EDITOR on a terminal (or with -e), check it and commit\n"
	"it.  A record that fails the check stays on disk for you to fix, and is\n"
	"not committed.  A contact report, meeting, complaint, letter or review is\n"
	"numbered for the day of its held, when, received, written or submitted,\n"
	"also when you write that date in the editor.\n"
	"\n"
	"  job:     --dept CODE (default: yours), --parent JOB for a revision ticket\n"
	"  client:  --city-code SH --name-code COKE (the parts of the client code)\n"
	"  -e       edit even when not on a terminal; --no-edit never\n";

struct newrec {
	struct book *b;
	int kind;
	const char *me;
	moment_t now;
	const char **keys, **vals;	/* given FIELD=VALUE */
	int n;
	struct strlist owned;
};

static const char *given(const struct newrec *nr, const char *key)
{
	for (int i = 0; i < nr->n; i++)
		if (!strcmp(nr->keys[i], key))
			return nr->vals[i];
	return NULL;
}

static const char *own(struct newrec *nr, char *s)
{
	strlist_add_owned(&nr->owned, s);
	return s;
}

static const char *defaults(struct newrec *nr, const char *key)
{
	char buf[20];
	const struct staff *st = config_staff(&nr->b->cfg, nr->me);
	const char *v;

	format_moment(buf, nr->now);
	switch (nr->kind) {
	case K_JOB:
		if (!strcmp(key, "status")) return "open";
		if (!strcmp(key, "issuer")) return nr->me;
		if (!strcmp(key, "opened")) return own(nr, xstrdup(buf));
		if (!strcmp(key, "department") && st) return st->dept;
		if (!strcmp(key, "internal_due") && (v = given(nr, "client_due"))) {
			moment_t due;
			if (parse_datetime(v, strlen(v), &due) != DATE_OK)
				return NULL;
			/* JOB-3 as ae due computes it (due_work.c) */
			due = cal_add_minutes(&nr->b->cal, due,
					      -cal_param_minutes(&nr->b->cal, &nr->b->cfg, "internal_lead",
								 "internal_lead_hours", 0.5, 'd', 1));
			format_moment(buf, due);
			return own(nr, xstrdup(buf));
		}
		break;
	case K_CLIENT:
		if (!strcmp(key, "status")) return "prospect";
		if (!strcmp(key, "ae")) return nr->me;
		if (!strcmp(key, "department") && st) return st->dept;
		if (!strcmp(key, "strategy")) return "none";
		if (!strcmp(key, "segment")) return "standard";
		if (!strcmp(key, "first_contact")) return own(nr, xstrndup(buf, 10));
		break;
	case K_CONTACT:
		if (!strcmp(key, "author")) return nr->me;
		if (!strcmp(key, "held")) return own(nr, xstrdup(buf));
		break;
	case K_MEETING:
		if (!strcmp(key, "organiser")) return nr->me;
		if (!strcmp(key, "status")) return "planned";
		break;
	case K_COMPLAINT:
		if (!strcmp(key, "recorded_by")) return nr->me;
		if (!strcmp(key, "received")) return own(nr, xstrdup(buf));
		if (!strcmp(key, "status")) return "open";
		if (!strcmp(key, "kind")) return "complaint";
		break;
	case K_LETTER:
		if (!strcmp(key, "author")) return nr->me;
		if (!strcmp(key, "written")) return own(nr, xstrdup(buf));
		break;
	case K_REVIEW:
		if (!strcmp(key, "author")) return nr->me;
		if (!strcmp(key, "submitted")) return own(nr, xstrdup(buf));
		break;
	}
	return NULL;
}

/*
 * Whether the record will need field fd: required, or required_if with
 * every condition holding on the values given and filled in (a creative
 * ticket's brief parts, JOB-1), so that its empty line is there to fill.
 */
static int needed(struct newrec *nr, const struct format *fmt, const struct fieldspec *fd)
{
	if (fd->required)
		return 1;
	for (int i = 0; i < fd->nreq_if; i++) {
		const struct cond *c = &fd->req_if[i];
		const struct fieldspec *of = c->field >= 0 ? &fmt->fields[c->field] : NULL;
		const char *v = of ? given(nr, of->name) : NULL;
		int match = 0, k;

		if (of && !v)
			v = defaults(nr, of->name);
		if (v && (k = field_value_index(of, v, strlen(v))) >= 0)
			v = of->values[k];	/* a label read as its value */
		for (k = 0; v && k < c->nvalues; k++)
			if (!strcmp(v, c->values[k]))
				match = 1;
		if (match == c->negate)
			return 0;
	}
	return fd->nreq_if > 0;
}

static char *template(struct newrec *nr, const char *id)
{
	const struct format *fmt = &nr->b->fmts.kinds[nr->kind];
	struct strbuf sb = STRBUF_INIT;

	sb_addf(&sb, "[%s]\nid = %s\n", kind_names[nr->kind], id);
	for (int i = 0; i < fmt->nfields; i++) {
		const struct fieldspec *fd = &fmt->fields[i];
		const char *v = given(nr, fd->name);

		if (!strcmp(fd->name, "id"))
			continue;
		if (!v)
			v = defaults(nr, fd->name);
		if (!v && !needed(nr, fmt, fd))
			continue;
		if (v && strchr(v, '\n')) {
			sb_addf(&sb, "%s =\n", fd->name);
			for (const char *s = v; *s;) {
				const char *nl = strchr(s, '\n');
				size_t n = nl ? (size_t)(nl - s) : strlen(s);
				sb_addstr(&sb, "    ");
				sb_add(&sb, s, n);
				sb_addch(&sb, '\n');
				s = nl ? nl + 1 : s + n;
			}
		} else if (v && *v) {
			sb_addf(&sb, "%s = %s\n", fd->name, v);
		} else if (ftype_multiline(fd->type)) {
			sb_addf(&sb, "%s =\n", fd->name);
		} else {
			sb_addf(&sb, "%s =\n", fd->name);
		}
	}
	return sb_detach(&sb);
}

/* The field whose day a contact report's, meeting's or complaint's
 * number carries, and the number's prefix; NULL for other kinds. */
static const char *const day_field[K__N] = {
	NULL, NULL, "held", "when", "received", "written", "submitted"
};
static const char *const day_prefix[K__N] = { NULL, NULL, "CR", "MT", "TS", "LT", "RV" };

/*
 * After the editor: a record numbered by day whose date field now names
 * another day than its number (the template was numbered for today, or
 * for the date given, and she wrote the real one) is renamed and
 * numbered for that day, the next free number of it, before it is
 * checked and committed.  The rename goes into the rollback journal rb
 * like the first write.  *id and *path become the new ones.  0 (also
 * when nothing was to be done), or an exit status (reported; the file
 * stays as she wrote it).
 */
static int number_by_date(const struct book *b, int kind, const struct strlist *used,
			  struct rollback *rb, char **id, char **path)
{
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	char *v = NULL, *cur = NULL, *nid = NULL, *npath = NULL;
	const char *field = day_field[kind];
	int day, have, rootfd = -1, status = 0;
	size_t norder;
	const char **order = NULL;

	if (!field)
		return 0;
	if ((status = read_book_file(b, *path, &text)) != 0)
		goto out;
	v = edit_get(text.buf, text.len, field);
	cur = edit_get(text.buf, text.len, "id");
	/* a date she wrote wrong is the check's to report; an id she
	 * changed herself is hers */
	if (!v || strlen(v) < 10 || parse_date(v, 10, &day) != DATE_OK || !cur || strcmp(cur, *id))
		goto out;
	if (!(nid = next_daily(used, day_prefix[kind], day))) {
		status = EXIT_USAGE;
		goto out;
	}
	/* the same day: the number stands */
	if (!strncmp(nid, *id, strlen(day_prefix[kind]) + 10))
		goto out;
	npath = xasprintf("%s/%s.ini", b->fmts.kinds[kind].folder, nid);
	if ((have = book_has_file(b, npath)) != 0) {
		if (have > 0)
			error("'%s' already exists; '%s' keeps its number", npath, *path);
		status = have > 0 ? EXIT_BAD_RECORDS : EXIT_SYSTEM;
		goto out;
	}
	order = field_order(b, kind, &norder);
	if (edit_set(&out, text.buf, text.len, "id", nid, order, norder) < 0) {
		status = EXIT_BAD_RECORDS;	/* no section: the check says so */
		goto out;
	}
	rootfd = open(b->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		error("unable to open the book's folder '%s': %s", b->root, strerror(errno));
		status = EXIT_SYSTEM;
		goto out;
	}
	/* the new file, then the old one gone: both undone together */
	if (rollback_add(rb, npath, out.buf, out.len) < 0 || rollback_add(rb, *path, NULL, 0) < 0 ||
	    rollback_save(rb) < 0 || book_write(rootfd, npath, out.buf, out.len, 0644) < 0 ||
	    book_unlink(rootfd, *path) < 0) {
		status = EXIT_SYSTEM;
		goto out;
	}
	printf("renumbered for its %s (%.10s): %s\n", field, v, npath);
	free(*id);
	free(*path);
	*id = nid;
	*path = npath;
	nid = npath = NULL;
out:
	if (rootfd >= 0)
		close(rootfd);
	free(order);
	free(v);
	free(cur);
	free(nid);
	free(npath);
	sb_release(&text);
	sb_release(&out);
	return status;
}

int cmd_new(int argc, char **argv, struct globals *g)
{
	struct newrec nr;
	struct commit_opts o = { NULL, NULL, 0 };
	struct book b;
	struct strlist used = { 0 }, paths = { 0 };
	const char *kind_name = NULL, *dept = NULL, *parent = NULL, *city = NULL, *cname = NULL;
	struct change_set cs = { 0 };
	struct rollback *rb = NULL;
	char *id = NULL, *text = NULL, *path = NULL, *full = NULL;
	int edit = isatty(0) && isatty(1), no_commit = 0, status = 0, opened = 0, keep = 0;

	memset(&nr, 0, sizeof(nr));
	nr.keys = xcalloc((size_t)argc + 1, sizeof(*nr.keys));
	nr.vals = xcalloc((size_t)argc + 1, sizeof(*nr.vals));
	for (int i = 1; i < argc; i++) {
		const char *eq;
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			goto out;
		} else if (!strcmp(argv[i], "-e")) {
			edit = 1;
		} else if (!strcmp(argv[i], "--no-edit")) {
			edit = 0;
		} else if (!strcmp(argv[i], "--no-commit")) {
			no_commit = 1;
		} else if (!strcmp(argv[i], "--as") && i + 1 < argc) {
			o.as = argv[++i];
		} else if (!strcmp(argv[i], "-m") && i + 1 < argc) {
			o.summary = argv[++i];
		} else if (!strcmp(argv[i], "--dept") && i + 1 < argc) {
			dept = argv[++i];
		} else if (!strcmp(argv[i], "--parent") && i + 1 < argc) {
			parent = argv[++i];
		} else if (!strcmp(argv[i], "--city-code") && i + 1 < argc) {
			city = argv[++i];
		} else if (!strcmp(argv[i], "--name-code") && i + 1 < argc) {
			cname = argv[++i];
		} else if (argv[i][0] == '-') {
			error("unknown option '%s' for new", argv[i]);
			status = EXIT_USAGE;
			goto out;
		} else if (!kind_name) {
			kind_name = argv[i];
		} else if ((eq = strchr(argv[i], '=')) && eq != argv[i]) {
			nr.keys[nr.n] = own(&nr, xstrndup(argv[i], (size_t)(eq - argv[i])));
			nr.vals[nr.n++] = eq + 1;
		} else {
			error("'%s' is not FIELD=VALUE", argv[i]);
			status = EXIT_USAGE;
			goto out;
		}
	}
	if (!kind_name || (nr.kind = kind_from_name(kind_name)) < 0) {
		if (kind_name)
			error("unknown kind '%s' (client, job, contact, meeting, complaint)", kind_name);
		fputs(usage, stderr);
		status = EXIT_USAGE;
		goto out;
	}
	if (g->at) {
		error("--at reads the past; a new record is made now (drop --at)");
		status = EXIT_USAGE;
		goto out;
	}
	diag_setup(stderr, DIAG_TEXT, 0);
	if ((status = open_book_to_change(g, &b, argc, argv)) != 0)
		goto out;
	opened = 1;
	diag_reset();
	nr.b = &b;
	nr.now = g->now;
	if (!(nr.me = editor_identity(&b, o.as))) {
		status = EXIT_USAGE;
		goto out;
	}
	for (int i = 0; i < nr.n; i++) {
		int f = format_field(&b.fmts.kinds[nr.kind], nr.keys[i]);
		char *named;
		if (f < 0 || !strcmp(nr.keys[i], "id")) {
			error("a %s has no field '%s' to set%s", kind_names[nr.kind], nr.keys[i],
			      !strcmp(nr.keys[i], "id") ? " (the id is allocated)" : "");
			status = EXIT_USAGE;
			goto out;
		}
		/* staff and records are named as anywhere else: by a unique part */
		if (!(named = field_value_named(&b, &b.fmts.kinds[nr.kind].fields[f], nr.vals[i]))) {
			status = EXIT_USAGE;
			goto out;
		}
		nr.vals[i] = own(&nr, named);
	}
	used_ids(&b, nr.kind, &used);
	switch (nr.kind) {
	case K_JOB:
		if (parent) {
			const struct record *p = find_record(&b, parent, K_JOB);
			const char *pd, *pc;
			if (!p) {
				status = EXIT_USAGE;
				goto out;
			}
			id = next_revision(&used, p->id);
			nr.keys[nr.n] = "form";
			nr.vals[nr.n++] = "revision";
			nr.keys[nr.n] = "parent";
			nr.vals[nr.n++] = p->id;
			if (!given(&nr, "client") && (pc = rec_str(p, book_field(&b, K_JOB, "client")))) {
				nr.keys[nr.n] = "client";
				nr.vals[nr.n++] = pc;
			}
			if (!given(&nr, "department") && (pd = rec_str(p, book_field(&b, K_JOB, "department")))) {
				nr.keys[nr.n] = "department";
				nr.vals[nr.n++] = pd;
			}
		} else {
			const struct staff *st = config_staff(&b.cfg, nr.me);
			if (!dept)
				dept = given(&nr, "department");
			if (!dept && st)
				dept = st->dept;
			if (dept && !config_dept(&b.cfg, dept)) {
				error("department '%s' is not in ae.ini", dept);
				status = EXIT_USAGE;
				goto out;
			}
			if (!dept) {
				error("which department numbers this ticket? give --dept CODE");
				status = EXIT_USAGE;
				goto out;
			}
			if (!given(&nr, "department")) {
				nr.keys[nr.n] = "department";
				nr.vals[nr.n++] = dept;
			}
			if (!given(&nr, "form")) {
				nr.keys[nr.n] = "form";
				nr.vals[nr.n++] = "job";
			}
			{
				/* JOBNO-2: the number carries the month it was opened */
				const char *op = given(&nr, "opened");
				moment_t when = g->now;
				if (op && parse_datetime(op, strlen(op), &when) != DATE_OK) {
					error("opened must be 'YYYY-MM-DD HH:MM'");
					status = EXIT_USAGE;
					goto out;
				}
				id = next_job(&used, dept, when);
			}
		}
		break;
	case K_CLIENT: {
		const char *fc = given(&nr, "first_contact");
		int day = (int)(g->now / 1440);
		if (!city || !cname) {
			error("a client code is city-YYYYMM-name-NNN: give --city-code (like SH) and --name-code (like COKE)");
			status = EXIT_USAGE;
			goto out;
		}
		if (fc && parse_date(fc, strlen(fc), &day) != DATE_OK) {
			error("first_contact must be a date YYYY-MM-DD");
			status = EXIT_USAGE;
			goto out;
		}
		id = next_client(&used, city, cname, day);
		break;
	}
	default: {
		/* numbered for the day of its date when given, else today's */
		const char *v = given(&nr, day_field[nr.kind]);
		moment_t m = g->now;
		if (v && parse_datetime(v, strlen(v), &m) != DATE_OK) {
			error("%s must be 'YYYY-MM-DD HH:MM'", day_field[nr.kind]);
			status = EXIT_USAGE;
			goto out;
		}
		id = next_daily(&used, day_prefix[nr.kind], (int)(m / 1440));
	}
	}
	if (!id) {
		status = EXIT_USAGE;
		goto out;
	}
	text = template(&nr, id);
	if (edit) {
		/* each field's values, format and need, as comments (template.h) */
		char *annotated = template_annotate(&b, nr.kind, text);
		free(text);
		text = annotated;
	}
	path = xasprintf("%s/%s.ini", b.fmts.kinds[nr.kind].folder, id);
	full = xasprintf("%s/%s", b.root, path);
	if ((status = book_has_file(&b, path)) != 0) {
		if (status > 0)
			error("'%s' already exists", path);
		status = status > 0 ? EXIT_SYSTEM : EXIT_BAD_RECORDS;
		goto out;
	}
	change_set_add(&cs, path, text, strlen(text));
	text = NULL;	/* cs has it */
	if ((status = write_changes(g, b.root, &cs, &rb)) != 0)
		goto out;
	printf("%s\n", path);
	strlist_add(&paths, path);
	if (edit && run_editor(full) < 0) {
		status = EXIT_SYSTEM;
	} else if (edit && template_strip_file(&b, nr.kind, path) < 0) {
		status = EXIT_SYSTEM;
	} else if (edit && (status = number_by_date(&b, nr.kind, &used, rb, &id, &path)) != 0) {
		;	/* her text stays, under the number it had */
	} else if (no_commit) {
		/* the record is in the work tree: check the work tree */
		struct book after;
		char *dir = formats_shipped_dir(g->argv0);
		if (book_open_source(&after, source_fs_new(b.root), source_fs_new(dir)) == 0) {
			book_now(g, &after);
			book_load(&after);
			rules_check(&after);
		}
		free(dir);
		book_release(&after);
		status = diag_flush();
		keep = 1;
	} else {
		strlist_release(&paths);
		strlist_add(&paths, path);
		status = commit_book(g, b.root, &paths, &o, &keep);
	}
	/* a record that fails the check is kept for its author to fix */
	if (status == EXIT_BAD_RECORDS)
		keep = 1;
	status = end_write(rb, status, keep);
	if (status == EXIT_BAD_RECORDS)
		fprintf(stderr, "ae: %s is kept as written: fix it, then 'ae commit %s'\n", path, path);
out:
	if (opened)
		book_release(&b);
	end_change(g);
	change_set_release(&cs);
	strlist_release(&used);
	strlist_release(&paths);
	strlist_release(&nr.owned);
	free(nr.keys);
	free(nr.vals);
	free(id);
	free(text);
	free(path);
	free(full);
	return status;
}
