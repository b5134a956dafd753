/* cmd_new.c -- ae new: a record with the next identifier, filled in as far
 * as is known, edited (in a draft outside the book, no lock held), then
 * numbered under the lock for the book as it is then, checked and
 * committed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "draft.h"
#include "edit.h"
#include "editing.h"
#include "editor.h"
#include "fileio.h"
#include "identity.h"
#include "numbering.h"
#include "rollback.h"
#include "store.h"
#include "rules.h"
#include "template.h"

static const char usage[] =
	"usage: ae new KIND [-e] [--no-commit] [--as STAFF] [--discard] [OPTIONS] [FIELD=VALUE...]\n"
	"\n"
	"Make a new record of KIND (client, job, contact, meeting, complaint,\n"
	"letter, review) with the next identifier by the handbook's numbering,\n"
	"fill in what is known (you as issuer or author, now as opened, held,\n"
	"written or submitted, the internal deadline half a working day before the\n"
	"client's), open $EDITOR on a terminal (or with -e), check it and commit\n"
	"it.  The editor works on a copy in .git/ae-edit/; the book is not locked\n"
	"while it is open, and the record is numbered when you are done.  A\n"
	"contact report, meeting, complaint, letter or review is numbered for the\n"
	"day of its held, when, received, written or submitted, also when you\n"
	"write that date in the editor.  If the record has errors you are asked:\n"
	"e to edit again, q to quit with the record kept in the book as written,\n"
	"not committed (without the editor it is kept so at once).  Text kept from\n"
	"an editor that failed is taken up by the next 'ae new KIND -e'.\n"
	"\n"
	"  job:     --dept CODE (default: yours), --parent JOB for a revision ticket\n"
	"  client:  --city-code SH --name-code COKE (the parts of the client code)\n"
	"  -e       edit even when not on a terminal; --no-edit never\n"
	"  --discard  throw away a kept text first\n";

struct newrec {
	struct book *b;
	int kind;
	const char *me;
	moment_t now;
	const char **keys, **vals;	/* given FIELD=VALUE */
	int n;
	struct strlist owned;
	/* what the number is made of (number()) */
	const char *parent, *dept, *city, *cname;
	moment_t opened;	/* a job's */
	int day;		/* a client's first contact, or the day of a dated record */
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

/* The next identifier of nr's record among used; day for a dated one. */
static char *number(const struct newrec *nr, const struct strlist *used, int day)
{
	switch (nr->kind) {
	case K_JOB:
		return nr->parent ? next_revision(used, nr->parent) : next_job(used, nr->dept, nr->opened);
	case K_CLIENT:
		return next_client(used, nr->city, nr->cname, nr->day);
	default:
		return next_daily(used, day_prefix[nr->kind], day);
	}
}

/* The day of a dated record's number PREFIX-YYYYMMDD-NN: 0, or -1. */
static int id_day(const char *id, int *day)
{
	const char *d = strchr(id, '-');
	char buf[11];

	if (!d || strspn(d + 1, "0123456789") != 8)
		return -1;
	snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2s", d + 1, d + 5, d + 7);
	return parse_date(buf, 10, day) == DATE_OK ? 0 : -1;
}

static int is_used(const struct strlist *used, const char *id)
{
	for (size_t i = 0; i < used->n; i++)
		if (!strcmp(used->v[i], id))
			return 1;
	return 0;
}

/*
 * ae new -e.  The editor works on a draft outside the book (draft.h),
 * with no lock held: another command, a teammate's ae sync, runs
 * meanwhile.  The book lock is taken again only for each attempt to
 * commit her text, and under it the record is numbered from the book as
 * it is then: for the day its date names, and never with a number
 * someone took while she typed.
 */
struct new_edit {
	struct globals *g;
	struct book *b;		/* as it was when she began: formats, settings */
	struct newrec *nr;
	const struct commit_opts *o;
	int no_commit, argc;
	char **argv;
	struct draft d;
	struct strbuf base, mine;
	char *id, *path;	/* the number ae gave it last */
	int day;		/* the day that number is of (dated kinds) */
};

/*
 * Her text numbered from the book fresh (read under the lock), into out;
 * ne->id, ->path and ->day become the number it has.  An id she wrote
 * herself is hers; a date she left empty or wrote wrong keeps the day
 * (the check says what is wrong with it).  0, or an exit status
 * (reported; EXIT_BAD_RECORDS: hers to fix).
 */
static int number_now(struct new_edit *ne, const struct book *fresh, const struct strbuf *text,
		      struct strbuf *out)
{
	const char *field = day_field[ne->nr->kind];
	struct strlist used = { 0 };
	char *cur = edit_get(text->buf ? text->buf : "", text->len, "id");
	char *v = field ? edit_get(text->buf ? text->buf : "", text->len, field) : NULL;
	char *nid = NULL;
	int day = ne->day, have, status = 0;

	sb_reset(out);
	sb_add(out, text->buf ? text->buf : "", text->len);
	if (cur && !strcmp(cur, ne->id)) {
		used_ids(fresh, ne->nr->kind, &used);
		if (v && strlen(v) >= 10 && parse_date(v, 10, &day) != DATE_OK)
			day = ne->day;
		if ((have = book_has_file(fresh, ne->path)) < 0) {
			status = EXIT_SYSTEM;
			goto out;
		}
		if ((field && day != ne->day) || have || is_used(&used, ne->id)) {
			size_t norder;
			const char **order = field_order(fresh, ne->nr->kind, &norder);
			int e;

			if (!(nid = number(ne->nr, &used, day))) {
				free(order);
				status = EXIT_BAD_RECORDS;
				goto out;
			}
			e = edit_set(out, text->buf ? text->buf : "", text->len, "id", nid, order, norder);
			free(order);
			if (e < 0) {
				status = EXIT_BAD_RECORDS;	/* no section: the check says so */
				goto out;
			}
			free(ne->path);
			ne->path = xasprintf("%s/%s.ini", fresh->fmts.kinds[ne->nr->kind].folder, nid);
			if (day != ne->day)
				printf("renumbered for its %s (%.10s): %s\n", field, v, ne->path);
			else
				printf("renumbered (%s was taken meanwhile): %s\n", ne->id, ne->path);
			free(ne->id);
			ne->id = nid;
			nid = NULL;
			ne->day = day;
		}
	}
	/* her own id, or one a record took meanwhile: never over it */
	if ((have = book_has_file(fresh, ne->path)) != 0) {
		if (have > 0)
			error("'%s' already exists: give the record another id", ne->path);
		status = have > 0 ? EXIT_BAD_RECORDS : EXIT_SYSTEM;
	}
out:
	strlist_release(&used);
	free(cur);
	free(v);
	free(nid);
	return status;
}

/*
 * One attempt with her text, under the book lock: numbered, checked,
 * written and committed (or only written: no_commit; or, keep, written
 * as it is for her to fix).  0, -1 when it has errors (shown), or an
 * exit status (reported; nothing changed).
 */
static int attempt(struct new_edit *ne, const struct strbuf *text, int keep, struct strbuf *numbered)
{
	struct change_set cs = { 0 };
	struct book fresh;
	int status;

	if ((status = lock_book(ne->g, ne->b->root, ne->argc, ne->argv)) != 0)
		return status;
	/* the numbers in use now: read under the lock */
	if ((status = open_book(ne->g, &fresh)) != 0) {
		end_change(ne->g);
		return status;
	}
	diag_reset();	/* problems elsewhere are ae check's business */
	status = number_now(ne, &fresh, text, numbered);
	if (!status) {
		change_set_add(&cs, ne->path, xstrndup(numbered->buf ? numbered->buf : "", numbered->len),
			       numbered->len);
		if (keep) {
			struct rollback *rb = NULL;
			if ((status = write_changes(ne->g, ne->b->root, &cs, &rb)) == 0)
				status = end_write(rb, 0, 1);
		} else {
			status = apply_changes(ne->g, ne->b->root, &cs, ne->o, ne->no_commit);
		}
	}
	change_set_release(&cs);
	book_release(&fresh);
	end_change(ne->g);
	return status == EXIT_BAD_RECORDS ? -1 : status;
}

/* Her draft numbered as ae last numbered it, so that another round, or
 * the next 'ae new -e' that takes it up, goes on from there. */
static int draft_renumbered(struct new_edit *ne, const struct strbuf *numbered)
{
	struct strbuf base = STRBUF_INIT;
	size_t norder;
	const char **order = field_order(ne->b, ne->nr->kind, &norder);
	int ret = 0;

	if (edit_set(&base, ne->base.buf ? ne->base.buf : "", ne->base.len, "id", ne->id, order, norder) > 0) {
		ret = draft_write(ne->d.base_path, &base);
		sb_reset(&ne->base);
		sb_add(&ne->base, base.buf, base.len);
	}
	if (!ret)
		ret = draft_write(ne->d.text_path, numbered);
	free(order);
	sb_release(&base);
	return ret;
}

static int edit_loop(struct new_edit *ne)
{
	struct strbuf text = STRBUF_INIT, numbered = STRBUF_INIT;
	int status;

	for (;;) {
		if (run_editor(ne->d.text_path) < 0) {
			if (draft_read(ne->d.text_path, &ne->mine) == 0 && ne->mine.len == ne->base.len &&
			    !memcmp(ne->mine.buf ? ne->mine.buf : "", ne->base.buf ? ne->base.buf : "", ne->mine.len)) {
				draft_forget(&ne->d);
				error("nothing was changed");
			} else {
				draft_kept(&ne->d);
			}
			status = EXIT_SYSTEM;
			break;
		}
		if (draft_read(ne->d.text_path, &ne->mine) != 0) {
			error("your editor left no file '%s'; nothing was changed", ne->d.text_path);
			status = EXIT_SYSTEM;
			break;
		}
		/* the help lines out (template.h), the rest as she typed it */
		template_strip(ne->b, ne->nr->kind, ne->mine.buf ? ne->mine.buf : "", ne->mine.len, &text);
		if ((status = attempt(ne, &text, 0, &numbered)) >= 0) {
			if (status)
				draft_kept(&ne->d);
			else
				draft_forget(&ne->d);
			break;
		}
		/* errors: she sees the lines they name, numbered as they are */
		if (draft_renumbered(ne, &numbered) < 0) {
			draft_kept(&ne->d);
			status = EXIT_SYSTEM;
			break;
		}
		if (ask("What now? e(dit again), q(uit: the record is kept in the book as written, not committed) [e] ",
			"eq", 'e') == 'e')
			continue;
		if ((status = attempt(ne, &numbered, 1, &text)) != 0) {
			draft_kept(&ne->d);
			if (status < 0)
				status = EXIT_BAD_RECORDS;
			break;
		}
		draft_forget(&ne->d);
		fprintf(stderr, "ae: %s is kept as written: fix it, then 'ae commit %s'\n", ne->path, ne->path);
		status = EXIT_BAD_RECORDS;
		break;
	}
	sb_release(&text);
	sb_release(&numbered);
	return status;
}

/*
 * ae new -e from the template text numbered id (under the book lock,
 * which is dropped for the editor): the draft begun, or the one an
 * earlier 'ae new KIND -e' kept taken up; then the editor and the
 * attempts.  An exit status.
 */
static int new_in_editor(struct new_edit *ne, const char *text, const char *id, int discard)
{
	struct store *s = store_try_open(ne->b->root);
	char *name = xasprintf("new-%s", kind_names[ne->nr->kind]);
	char *resume = xasprintf("ae new %s -e", kind_names[ne->nr->kind]);
	int status = 0, r;

	ne->day = ne->nr->day;
	if (!s) {
		error("ae new -e keeps your text in the book's git folder while the editor is open: make the book a repository ('ae init'), or give the fields with --no-edit");
		status = EXIT_USAGE;
		goto out;
	}
	if ((status = draft_open(&ne->d, store_gitdir(s), ne->b->root, name, resume, 1)) != 0)
		goto out;
	if (discard && draft_read(ne->d.text_path, &ne->mine) == 0) {
		fprintf(stderr, "ae: the text kept in %s is thrown away\n", ne->d.shown);
		draft_forget(&ne->d);
	}
	if ((r = draft_read(ne->d.text_path, &ne->mine)) < 0) {
		status = EXIT_SYSTEM;
		goto out;
	}
	if (r == 0 && draft_read(ne->d.base_path, &ne->base) == 0) {
		/* the number it was given is the one in the text it began from */
		char *was = edit_get(ne->base.buf ? ne->base.buf : "", ne->base.len, "id");
		if (was) {
			int day;
			ne->id = was;
			if (day_field[ne->nr->kind] && id_day(was, &day) == 0)
				ne->day = day;
		}
		fprintf(stderr, "ae: taking up your text of a new %s kept in %s ('--discard' throws it away)\n",
			kind_names[ne->nr->kind], ne->d.shown);
	}
	if (!ne->id) {
		sb_reset(&ne->base);
		sb_addstr(&ne->base, text);
		/* the text it began from first: a text alone is never taken for hers */
		if (draft_write(ne->d.base_path, &ne->base) < 0 || draft_write(ne->d.text_path, &ne->base) < 0) {
			error("nothing was changed");
			status = EXIT_SYSTEM;
			goto out;
		}
		ne->id = xstrdup(id);
	}
	ne->path = xasprintf("%s/%s.ini", ne->b->fmts.kinds[ne->nr->kind].folder, ne->id);
	printf("%s\n", ne->path);
	fflush(stdout);
	/* no lock while she types */
	end_change(ne->g);
	status = edit_loop(ne);
out:
	end_change(ne->g);
	if (ne->d.name)
		draft_release(&ne->d);
	store_free(s);
	sb_release(&ne->base);
	sb_release(&ne->mine);
	free(ne->id);
	free(ne->path);
	free(name);
	free(resume);
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
	char *id = NULL, *text = NULL, *path = NULL;
	int edit = isatty(0) && isatty(1), no_commit = 0, status = 0, opened = 0, keep = 0, discard = 0;

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
		} else if (commit_option(argc, argv, &i, &o, &no_commit)) {
			;
		} else if (!strcmp(argv[i], "--discard")) {
			discard = 1;
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
	if ((status = open_book_to_edit(g, &b, argc, argv, "a new record is made now")) != 0)
		goto out;
	opened = 1;
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
			nr.parent = p->id;
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
				nr.dept = dept;
				nr.opened = when;
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
		nr.city = city;
		nr.cname = cname;
		nr.day = day;
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
		nr.day = (int)(m / 1440);
	}
	}
	if (!(id = number(&nr, &used, nr.day))) {
		status = EXIT_USAGE;
		goto out;
	}
	text = template(&nr, id);
	if (edit) {
		/* each field's values, format and need, as comments (template.h) */
		char *annotated = template_annotate(&b, nr.kind, text);
		struct new_edit ne = { .g = g, .b = &b, .nr = &nr, .o = &o, .no_commit = no_commit,
				       .argc = argc, .argv = argv };
		status = new_in_editor(&ne, annotated, id, discard);
		free(annotated);
		goto out;
	}
	path = xasprintf("%s/%s.ini", b.fmts.kinds[nr.kind].folder, id);
	if ((status = book_has_file(&b, path)) != 0) {
		if (status > 0)
			error("'%s' already exists, though it is not a record of the book: move it away and try again",
			      path);
		status = status > 0 ? EXIT_BAD_RECORDS : EXIT_SYSTEM;
		goto out;
	}
	change_set_add(&cs, path, text, strlen(text));
	text = NULL;	/* cs has it */
	if ((status = write_changes(g, b.root, &cs, &rb)) != 0)
		goto out;
	printf("%s\n", path);
	strlist_add(&paths, path);
	if (no_commit) {
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
	return status;
}
