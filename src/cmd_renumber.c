/*
 * cmd_renumber.c -- ae renumber OLD [NEW]: give a record a new identifier,
 * with its revision tickets, and rewrite every reference to it, in one
 * checked commit.  The way out when two clones allocated the same number
 * offline (JOBNO-1): in the middle of the merge, this clone's record,
 * not yet shared, takes the new number and the shared one keeps its own.
 * A moved record says what it was (renumbered_from), which ae sync, ae
 * log and the JOBNO-3 order check read (docs/ae-renumber.1.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "edit.h"
#include "editing.h"
#include "merge_lines.h"
#include "numbering.h"
#include "store.h"
#include "store_sync.h"
#include "strmap.h"
#include "sync.h"

static const char usage[] =
	"usage: ae renumber [--no-commit] [--as STAFF] [-m MSG] OLD [NEW]\n"
	"\n"
	"Rename the record OLD (a file path when two files share the number, or\n"
	"its identifier) to NEW, with its revision tickets (OLD-R1 -> NEW-R1), and\n"
	"rewrite every reference to them: record fields and journal lines.  The\n"
	"result is checked and committed as one change.  Without NEW, say which\n"
	"number is free.  In a merge where both sides made OLD, this clone's\n"
	"record (not yet pushed) becomes NEW and the other keeps OLD.\n";

/* A record's text with fields set; 0, or -1 when it has no section. */
static int set_fields(struct strbuf *text, const char *const *kv, const char *const *order,
		      size_t norder)
{
	struct strbuf out = STRBUF_INIT;

	for (; kv[0]; kv += 2) {
		if (!kv[1])
			continue;
		if (edit_set(&out, text->buf ? text->buf : "", text->len, kv[0], kv[1], order, norder) < 0) {
			sb_release(&out);
			return -1;
		}
		sb_reset(text);
		sb_add(text, out.buf ? out.buf : "", out.len);
		sb_reset(&out);
	}
	sb_release(&out);
	return 0;
}

/* The kind whose folder holds path, or -1. */
static int kind_of(const struct book *b, const char *path)
{
	for (int k = 0; k < K__N; k++) {
		size_t n = strlen(b->fmts.kinds[k].folder);
		if (!strncmp(path, b->fmts.kinds[k].folder, n) && path[n] == '/')
			return k;
	}
	return -1;
}

/* Whether kind k's format has the field renumbered_from. */
static int keeps_former(const struct book *b, int k)
{
	return book_field(b, k, "renumbered_from") >= 0;
}

/*
 * The next free identifier for the record id of kind (text its file), by
 * the rules ae new numbers with, among used: owned, or NULL (reported).
 */
static char *next_free(const struct book *b, int kind, const char *id, const char *text,
		       size_t len, const struct strlist *used)
{
	const char *dash = strchr(id, '-'), *last = strrchr(id, '-');
	char *v = NULL, *ret = NULL, *prefix = dash ? xstrndup(id, (size_t)(dash - id)) : NULL;

	if (!prefix) {
		error("'%s' is not numbered by the handbook's rules: give NEW", id);
		return NULL;
	}
	switch (kind) {
	case K_JOB: {
		moment_t when = 0;
		int d;
		if (strstr(id, "-R") && (v = edit_get(text, len, "parent"))) {
			ret = next_revision(used, v);
			break;
		}
		if ((v = edit_get(text, len, "opened")) && parse_datetime(v, strlen(v), &when) == DATE_OK) {
			free(v);
			v = edit_get(text, len, "department");
			ret = next_job(used, v && *v ? v : prefix, when);
		} else if (strlen(id) >= strlen(prefix) + 5 &&
			   (d = days_from_civil(2000 + atoi((char[3]){ dash[1], dash[2], 0 }),
						atoi((char[3]){ dash[3], dash[4], 0 }), 1)) > 0) {
			ret = next_job(used, prefix, (moment_t)d * 1440);
		}
		break;
	}
	case K_CLIENT: {
		int day;
		char *name = dash && last && last > dash + 8 ? xstrndup(dash + 8, (size_t)(last - dash - 8)) : NULL;
		if (name && (v = edit_get(text, len, "first_contact")) &&
		    parse_date(v, strlen(v), &day) == DATE_OK)
			ret = next_client(used, prefix, name, day);
		free(name);
		break;
	}
	default: {
		int day;
		if (strlen(dash) >= 9 && parse_date((char[11]){ dash[1], dash[2], dash[3], dash[4], '-',
							       dash[5], dash[6], '-', dash[7], dash[8], 0 },
						    10, &day) == DATE_OK)
			ret = next_daily(used, prefix, day);
	}
	}
	if (!ret)
		error("no number can be suggested for '%s': give NEW", id);
	free(v);
	free(prefix);
	return ret;
}

/* Whether id is taken: by a record of the book or anywhere in history. */
static int taken(const struct book *b, const struct strlist *used, const char *id)
{
	for (int k = 0; k < K__N; k++)
		if (book_record(b, k, id))
			return 1;
	for (size_t i = 0; i < used->n; i++)
		if (!strcmp(used->v[i], id))
			return 1;
	return 0;
}

/* Whether a record of the book has id (said). */
static int in_use(const struct book *b, const char *id)
{
	for (int k = 0; k < K__N; k++)
		if (book_record(b, k, id)) {
			error("'%s' is already used; choose another number", id);
			return 1;
		}
	return 0;
}

static int suggest(const struct book *b, int kind, const char *old, const char *text, size_t len)
{
	struct strlist used = { 0 };
	char *id;

	used_ids(b, kind, &used);
	id = next_free(b, kind, old, text, len, &used);
	strlist_release(&used);
	if (!id)
		return EXIT_USAGE;
	printf("the next free number for %s is %s: 'ae renumber %s %s'\n", old, id, old, id);
	free(id);
	return EXIT_USAGE;
}

/* -- in the middle of a merge -- */

/* The lines of journal path the commit `side` added since base. */
static void side_lines(struct source *base, struct source *side, const char *path,
		       struct strlist *out)
{
	struct strbuf b = STRBUF_INIT, t = STRBUF_INIT;
	struct mlines lb = { 0 }, lt = { 0 };
	const char *msg;

	if (side->read(side, path, (size_t)1 << 30, &t, &msg) != SRC_OK)
		goto out;
	if (base->read(base, path, (size_t)1 << 30, &b, &msg) != SRC_OK)
		sb_reset(&b);
	mlines_split(&lb, b.buf ? b.buf : "", b.len);
	mlines_split(&lt, t.buf ? t.buf : "", t.len);
	mlines_added(&lb, &lt, out);
	mlines_release(&lb);
	mlines_release(&lt);
out:
	sb_release(&b);
	sb_release(&t);
}

/* Whether this side of the merge changed path since the merge base: in
 * the diff of the two trees, which reads no file that both share. */
static int changed(const struct strmap *mine, const char *path)
{
	return strmap_get(mine, path) != NULL;
}

/*
 * Both sides of the merge made OLD (path): ours, this clone's record not
 * yet shared, becomes NEW with the revisions it made, and so do the
 * references it made; theirs keeps the number.
 */
static int renumber_conflict(struct globals *g, struct book *b, struct store *s,
			     const char *path, const char *old, const char *new,
			     const struct strmap *ours_changed, const struct commit_opts *o,
			     int no_commit)
{
	struct strbuf ours = STRBUF_INIT, theirs = STRBUF_INIT, out = STRBUF_INIT;
	struct change_set cs = { 0 };
	struct source *base = store_source_merge_base(s), *mine = store_source_rev(s, "HEAD");
	struct id_map *map = NULL;
	struct strlist owned = { 0 };
	size_t nmap = 0;
	const char *slash = strrchr(path, '/');
	int kind = kind_of(b, path), status = 0;
	size_t norder;
	const char **order = NULL;

	if (!base || !mine || kind < 0 || !slash || store_read_stage(s, path, 2, &ours) != 0 ||
	    store_read_stage(s, path, 3, &theirs) != 0) {
		error("'%s' is not a record both sides of the merge made", path);
		status = EXIT_USAGE;
		goto out;
	}
	order = field_order(b, kind, &norder);
	map = xcalloc(64, sizeof(*map));
	map[nmap].from = old;
	map[nmap++].to = new;
	{
		/* ours moves; theirs is written back at the number */
		const char *kv[] = { "id", new, "renumbered_from", keeps_former(b, kind) ? old : NULL, NULL };
		char *dest = xasprintf("%.*s/%s.ini", (int)(slash - path), path, new);
		size_t len;
		set_fields(&ours, kv, order, norder);
		len = ours.len;
		change_set_add(&cs, dest, sb_detach(&ours), len);
		len = theirs.len;
		change_set_add(&cs, path, sb_detach(&theirs), len);
		free(dest);
	}
	if (kind == K_JOB) {
		/* the revisions this clone made follow their original */
		struct source_list l = { 0 };
		size_t olen = strlen(old);
		char *dir = xstrndup(path, (size_t)(slash - path));
		if (mine->list(mine, dir, &l) == 0)
			for (size_t i = 0; i < l.n && nmap < 63; i++) {
				const char *p = l.v[i].path, *base_name = strrchr(p, '/') + 1;
				struct strbuf t = STRBUF_INIT;
				const char *msg;
				char *rid, *to, *dest;
				if (strncmp(base_name, old, olen) || strncmp(base_name + olen, "-R", 2) ||
				    !strstr(base_name, ".ini") || !changed(ours_changed, p) ||
				    mine->read(mine, p, (size_t)1 << 30, &t, &msg) != SRC_OK) {
					sb_release(&t);
					continue;
				}
				rid = xstrndup(base_name, strlen(base_name) - 4);
				to = xasprintf("%s%s", new, rid + olen);
				dest = xasprintf("%s/%s.ini", dir, to);
				{
					const char *kv[] = { "id", to, "renumbered_from",
							     keeps_former(b, kind) ? rid : NULL, "parent", new, NULL };
					size_t len;
					set_fields(&t, kv, order, norder);
					len = t.len;
					change_set_add(&cs, dest, sb_detach(&t), len);
				}
				/* theirs keeps a revision of the number they made too */
				{
					struct strbuf th = STRBUF_INIT;
					if (store_read_stage(s, p, 3, &th) == 0) {
						size_t len = th.len;
						change_set_add(&cs, p, sb_detach(&th), len);
					} else {
						change_set_add(&cs, p, NULL, 0);
					}
					sb_release(&th);
				}
				strlist_add_owned(&owned, rid);
				strlist_add_owned(&owned, to);
				map[nmap].from = owned.v[owned.n - 2];
				map[nmap++].to = owned.v[owned.n - 1];
				free(dest);
				sb_release(&t);
			}
		source_list_release(&l);
		free(dir);
	}
	/* records this clone made or changed that name the number: NEW */
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *q = &b->recs[i];
		const struct format *fmt = &b->fmts.kinds[q->kind];
		struct strbuf text = STRBUF_INIT;
		size_t qn;
		const char **qorder;
		int refers = 0;

		if (!changed(ours_changed, q->path))
			continue;	/* not read: known by its identifier only */
		for (size_t c = 0; c < cs.n; c++)
			refers |= !strcmp(cs.v[c].path, q->path);
		if (refers)
			continue;	/* moved above */
		for (int k = 0; k < q->nvals; k++)
			if (ftype_ref_kind(fmt->fields[q->vals[k].field].type) >= 0 &&
			    id_mapped(map, nmap, rval_text(&q->vals[k]), strlen(rval_text(&q->vals[k]))))
				refers = 1;
		if (!refers || read_book_file(b, q->path, &text) != 0) {
			sb_release(&text);
			continue;
		}
		qorder = field_order(b, q->kind, &qn);
		for (int k = 0; k < q->nvals; k++) {
			const char *name = fmt->fields[q->vals[k].field].name;
			const char *to = ftype_ref_kind(fmt->fields[q->vals[k].field].type) >= 0 ?
					 id_mapped(map, nmap, rval_text(&q->vals[k]), strlen(rval_text(&q->vals[k]))) : NULL;
			if (to && edit_set(&out, text.buf, text.len, name, to, qorder, qn) == 1) {
				sb_reset(&text);
				sb_add(&text, out.buf, out.len);
			}
			sb_reset(&out);
		}
		free(qorder);
		{
			size_t len = text.len;
			change_set_add(&cs, q->path, sb_detach(&text), len);
		}
		sb_release(&text);
	}
	/* the journal lines this clone added */
	for (size_t f = 0; f < b->journal.nfiles; f++) {
		struct strbuf text = STRBUF_INIT;
		struct strlist lines = { 0 };
		if (!changed(ours_changed, b->journal.files[f]))
			continue;
		side_lines(base, mine, b->journal.files[f], &lines);
		sb_reset(&out);
		if (lines.n && read_book_file(b, b->journal.files[f], &text) == 0 &&
		    rewrite_id_words(map, nmap, text.buf, text.len, &lines, &out)) {
			size_t len = out.len;
			change_set_add(&cs, b->journal.files[f], sb_detach(&out), len);
		}
		strlist_release(&lines);
		sb_release(&text);
	}
	status = apply_changes(g, b->root, &cs, o, no_commit);
out:
	free(order);
	free(map);
	strlist_release(&owned);
	if (base)
		base->free(base);
	if (mine)
		mine->free(mine);
	change_set_release(&cs);
	sb_release(&ours);
	sb_release(&theirs);
	sb_release(&out);
	return status;
}

/* The work tree of a merge in progress, as a carry_io. */
struct work_io {
	struct book *b;
	struct change_set *cs;
};

static int work_read(void *ctx, const char *path, struct strbuf *out)
{
	struct work_io *w = ctx;

	sb_reset(out);
	for (size_t i = w->cs->n; i-- > 0;)
		if (!strcmp(w->cs->v[i].path, path)) {
			if (!w->cs->v[i].text)
				return 1;
			sb_add(out, w->cs->v[i].text, w->cs->v[i].len);
			return 0;
		}
	switch (book_has_file(w->b, path)) {
	case 0:
		return 1;
	case 1:
		return read_book_file(w->b, path, out) == 0 ? 0 : -1;
	}
	return -1;
}

static int work_write(void *ctx, const char *path, const char *text, size_t len,
		      const struct strbuf *const *stages)
{
	struct work_io *w = ctx;

	(void)stages;	/* left in the text: the check refuses it, saying where */
	change_set_add(w->cs, path, text ? xstrndup(text, len) : NULL, text ? len : 0);
	return 0;
}

/*
 * One side of the merge renumbered old (this one: ours_renumbered): carry
 * the other side's work on it over to the new number, in the work tree,
 * and conclude the merge.
 */
static int renumber_carry_work(struct globals *g, struct book *b, struct store *s,
			       const struct renumber *r, const char *base, const char *head,
			       const char *theirs, int ours_renumbered, const struct commit_opts *o,
			       int no_commit)
{
	struct change_set cs = { 0 }, last = { 0 };
	struct work_io w = { b, &cs };
	struct carry_io io = { base, ours_renumbered ? theirs : head, ours_renumbered ? head : theirs,
			       work_read, work_write, &w };
	struct strbuf said = STRBUF_INIT;
	int status;

	if (renumber_carry(s, &io, r, ours_renumbered, &said) < 0) {
		change_set_release(&cs);
		sb_release(&said);
		return EXIT_SYSTEM;
	}
	/* the last write of each path counts */
	for (size_t i = 0; i < cs.n; i++) {
		int later = 0;
		for (size_t k = i + 1; k < cs.n && !later; k++)
			later = !strcmp(cs.v[k].path, cs.v[i].path);
		if (!later) {
			change_set_add(&last, cs.v[i].path, cs.v[i].text, cs.v[i].len);
			cs.v[i].text = NULL;
		}
	}
	change_set_release(&cs);
	if (said.len)
		fputs(said.buf, stdout);
	status = apply_changes(g, b->root, &last, o, no_commit);
	change_set_release(&last);
	sb_release(&said);
	return status;
}

/*
 * The files this clone made or changed since the merge base (the trees'
 * diff), into diff, with their paths as keys of set: all a renumber in a
 * merge reads in full of a big book.  0, or an exit status.
 */
static int ours_since_base(struct store *s, struct change_list *diff, struct strmap *set)
{
	char head[41], theirs[41], base[41];

	if (store_head_id(s, head) < 0 || store_rev(s, "MERGE_HEAD", theirs) != 0 ||
	    store_merge_base_of(s, head, theirs, base) < 0 || store_diff(s, base, head, 0, diff, NULL) < 0)
		return EXIT_SYSTEM;
	for (size_t i = 0; i < diff->n; i++)
		strmap_put(set, diff->v[i].path, diff->v[i].path);
	return 0;
}

/* open_book_to_change(), the book opened under the lock but not loaded:
 * what is read of it depends on the case (a merge needs little). */
static int open_to_renumber(struct globals *g, struct book *b, int argc, char **argv)
{
	char *root = book_find_root(g->dir ? g->dir : ".");
	int status;

	if (!root)	/* it says why there is no book */
		return open_book_to_change(g, b, argc, argv);
	status = lock_book(g, root, argc, argv);
	free(root);
	if (status)
		return status;
	if ((status = open_book_unloaded(g, b)) != 0)
		end_change(g);
	return status;
}

int cmd_renumber(int argc, char **argv, struct globals *g)
{
	struct commit_opts o = { NULL, NULL, 0 };
	struct change_set cs = { 0 };
	struct id_map *map = NULL;
	struct strlist owned = { 0 }, used = { 0 };
	struct change_list ours = { 0 };
	struct strmap ours_set = { 0 };
	struct book b;
	struct store *s = NULL;
	const struct record *r = NULL;
	const char *old = NULL, *new = NULL;
	size_t nmap = 0;
	int no_commit = 0, status = 0, opened = 0, loaded = 0;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--no-commit")) {
			no_commit = 1;
		} else if (!strcmp(argv[i], "--as") && i + 1 < argc) {
			o.as = argv[++i];
		} else if (!strcmp(argv[i], "-m") && i + 1 < argc) {
			o.summary = argv[++i];
		} else if (argv[i][0] == '-' || (old && new)) {
			fputs(usage, stderr);
			return EXIT_USAGE;
		} else if (!old) {
			old = argv[i];
		} else {
			new = argv[i];
		}
	}
	if (!old) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (g->at) {
		error("--at reads the past; renumber changes the present (drop --at)");
		return EXIT_USAGE;
	}
	diag_setup(stderr, DIAG_TEXT, 0);
	if ((status = open_to_renumber(g, &b, argc, argv)) != 0)
		return status;
	opened = 1;
	s = store_try_open(b.root);
	if (new && !editor_identity(&b, o.as) && !no_commit) {
		status = EXIT_USAGE;
		goto out;
	}
	if (s && store_merging(s)) {
		/* a number both sides of a merge gave out */
		struct strlist conflicts = { 0 };
		char head[41], theirs[41], base[41];
		struct renumber_list rl = { 0 };
		if (store_conflicts(s, &conflicts) == 0)
			for (size_t i = 0; i < conflicts.n; i++) {
				const char *p = conflicts.v[i], *slash = strrchr(p, '/');
				int kind = kind_of(&b, p);
				char *id;
				struct strbuf stage = STRBUF_INIT;
				if (!((slash && !strncmp(slash + 1, old, strlen(old)) &&
				       !strcmp(slash + 1 + strlen(old), ".ini")) || !strcmp(p, old)) || kind < 0)
					continue;
				id = slash ? xstrndup(slash + 1, strlen(slash + 1) - 4) : xstrdup(old);
				strlist_add_owned(&owned, id);
				/* read in full: the record and what this clone changed
				 * (their problems are the check's, at the commit) */
				if ((status = ours_since_base(s, &ours, &ours_set)) != 0) {
					strlist_release(&conflicts);
					goto out;
				}
				strmap_put(&ours_set, p, (void *)p);
				book_load_only(&b, &ours_set, 0);
				loaded = 1;
				diag_reset();
				if (!new) {
					store_read_stage(s, p, 2, &stage);
					status = suggest(&b, kind, id, stage.buf ? stage.buf : "", stage.len);
				} else if (in_use(&b, new)) {
					status = EXIT_USAGE;
				} else {
					char *msg = xasprintf("%s renumbered %s: both sides of the merge had made it",
							      id, new);
					strlist_add_owned(&owned, msg);
					if (!o.summary)
						o.summary = msg;
					status = renumber_conflict(g, &b, s, p, id, new, &ours_set, &o, no_commit);
				}
				sb_release(&stage);
				strlist_release(&conflicts);
				goto out;
			}
		strlist_release(&conflicts);
		book_load(&b);
		loaded = 1;
		diag_reset();
		/* a number one side renumbered: carry the other side's work over */
		for (int mine = 0; mine < 2 && store_head_id(s, head) == 0 &&
				   store_rev(s, "MERGE_HEAD", theirs) == 0 &&
				   store_merge_base_of(s, head, theirs, base) == 0; mine++) {
			renumber_list_release(&rl);
			if (renumbers_between(s, base, mine ? head : theirs, &rl) < 0)
				break;
			for (size_t i = 0; i < rl.n; i++) {
				const char *from = strrchr(rl.v[i].from, '/') + 1, *to = strrchr(rl.v[i].to, '/') + 1;
				if (strncmp(from, old, strlen(old)) || strcmp(from + strlen(old), ".ini"))
					continue;
				if (!new || strncmp(to, new, strlen(new)) || strcmp(to + strlen(new), ".ini")) {
					error("%s of the merge renumbered %s as %.*s: 'ae renumber %s %.*s' carries the work on it over",
					      mine ? "this side" : "the other side", old, (int)strlen(to) - 4, to, old,
					      (int)strlen(to) - 4, to);
					status = EXIT_USAGE;
				} else {
					status = renumber_carry_work(g, &b, s, &rl.v[i], base, head, theirs, mine,
								     &o, no_commit);
				}
				renumber_list_release(&rl);
				goto out;
			}
		}
		renumber_list_release(&rl);
	}
	if (!loaded) {
		book_load(&b);
		diag_reset();
	}
	if (new && in_use(&b, new)) {
		status = EXIT_USAGE;
		goto out;
	}
	/* two files with one number: name the one to move by its path */
	for (size_t i = 0; i < b.nrecs && !r; i++)
		if (!strcmp(b.recs[i].path, old))
			r = &b.recs[i];
	if (!r && !(r = find_record(&b, old, -1))) {
		status = EXIT_USAGE;
		goto out;
	}
	if (!new) {
		struct strbuf text = STRBUF_INIT;
		if ((status = read_book_file(&b, r->path, &text)) == 0)
			status = suggest(&b, r->kind, r->id, text.buf ? text.buf : "", text.len);
		sb_release(&text);
		goto out;
	}
	/* the record, and its revision tickets */
	map = xcalloc(b.nrecs + 1, sizeof(*map));
	map[nmap].from = r->id;
	map[nmap++].to = new;
	if (r->kind == K_JOB) {
		size_t n = strlen(r->id);
		for (size_t i = 0; i < b.nrecs; i++) {
			const struct record *q = &b.recs[i];
			if (q->kind == K_JOB && !strncmp(q->id, r->id, n) && !strncmp(q->id + n, "-R", 2)) {
				char *to = xasprintf("%s%s", new, q->id + n);
				strlist_add_owned(&owned, to);
				map[nmap].from = q->id;
				map[nmap++].to = to;
			}
		}
	}
	{
		/* a number once given out is never given again (JOBNO-1), on
		 * any branch: the new ones and their revisions' */
		used_ids(&b, r->kind, &used);
		for (size_t i = 0; i < nmap; i++)
			if (taken(&b, &used, map[i].to)) {
				error("'%s' was used before (the history has it); a number is never reused", map[i].to);
				status = EXIT_USAGE;
				goto out;
			}
	}
	for (size_t i = 0; i < b.nrecs; i++) {
		const struct record *q = &b.recs[i];
		const struct format *fmt = &b.fmts.kinds[q->kind];
		const char *to = q == r || id_mapped(map, nmap, q->id, strlen(q->id)) ?
				 id_mapped(map, nmap, q->id, strlen(q->id)) : NULL;
		struct strbuf text = STRBUF_INIT;
		size_t norder;
		const char **order;
		int changed = 0;

		/* records named in a field */
		for (int k = 0; k < q->nvals; k++) {
			const struct rval *v = &q->vals[k];
			if (ftype_ref_kind(fmt->fields[v->field].type) >= 0 &&
			    id_mapped(map, nmap, rval_text(v), strlen(rval_text(v))))
				changed = 1;
		}
		if (!changed && !to)
			continue;
		/* only this very file moves, not a namesake */
		if (to && q != r && !strcmp(q->id, r->id))
			continue;
		if ((status = read_book_file(&b, q->path, &text)) != 0)
			goto out;
		order = field_order(&b, q->kind, &norder);
		for (int k = 0; k < q->nvals; k++) {
			const struct rval *v = &q->vals[k];
			const char *nv = ftype_ref_kind(fmt->fields[v->field].type) >= 0 ?
					 id_mapped(map, nmap, rval_text(v), strlen(rval_text(v))) : NULL;
			const char *kv[] = { fmt->fields[v->field].name, nv, NULL };
			set_fields(&text, kv, order, norder);
		}
		if (to) {
			/* the record says what it was: ae sync, ae log, JOBNO-3 read it */
			const char *kv[] = { "id", to, "renumbered_from",
					     keeps_former(&b, q->kind) ? q->id : NULL, NULL };
			set_fields(&text, kv, order, norder);
		}
		free(order);
		if (to) {
			const char *slash = strrchr(q->path, '/');
			char *dest = xasprintf("%.*s/%s.ini", (int)(slash - q->path), q->path, to);
			size_t len = text.len;
			change_set_add(&cs, dest, sb_detach(&text), len);
			change_set_add(&cs, q->path, NULL, 0);
			free(dest);
		} else {
			size_t len = text.len;
			change_set_add(&cs, q->path, sb_detach(&text), len);
		}
		sb_release(&text);
	}
	/* journal lines */
	for (size_t f = 0; f < b.journal.nfiles; f++) {
		struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
		if ((status = read_book_file(&b, b.journal.files[f], &text)) != 0)
			goto out;
		if (rewrite_id_words(map, nmap, text.buf, text.len, NULL, &out)) {
			size_t len = out.len;
			change_set_add(&cs, b.journal.files[f], sb_detach(&out), len);
		}
		sb_release(&text);
		sb_release(&out);
	}
	{
		size_t files = 0;
		for (size_t i = 0; i < cs.n; i++)
			files += cs.v[i].text != NULL;	/* a move is one file, not two */
		char *summary = xasprintf("%s %s renumbered %s (%zu file%s)", kind_names[r->kind],
					  r->id, new, files, files == 1 ? "" : "s");
		if (!o.summary) {
			strlist_add_owned(&owned, summary);
			o.summary = summary;
		} else {
			free(summary);
		}
	}
	status = apply_changes(g, b.root, &cs, &o, no_commit);
out:
	strmap_release(&ours_set);
	change_list_release(&ours);
	store_free(s);
	change_set_release(&cs);
	strlist_release(&owned);
	strlist_release(&used);
	free(map);
	if (opened)
		book_release(&b);
	end_change(g);
	return status;
}
