/* cmd_renumber.c -- ae renumber OLD NEW: give a record a new identifier and
 * rewrite every reference to it, in one checked commit.  The way out when
 * two clones allocated the same job number offline (JOBNO-1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "edit.h"
#include "editing.h"
#include "numbering.h"
#include "store.h"

static const char usage[] =
	"usage: ae renumber [--no-commit] [--as STAFF] [-m MSG] OLD NEW\n"
	"\n"
	"Rename the record OLD (a file path when two files share the number, or\n"
	"its identifier) to NEW, with its revision tickets (OLD-R1 -> NEW-R1), and\n"
	"rewrite every reference to them: record fields and journal lines.  The\n"
	"result is checked and committed as one change.\n";

struct mapping {
	const char *from, *to;
};

static const char *mapped(const struct mapping *m, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(m[i].from) == len && !memcmp(m[i].from, s, len))
			return m[i].to;
	return NULL;
}

/* Journal lines: whole words equal to an old identifier. */
static int rewrite_words(const struct mapping *m, size_t n, const char *text, size_t len,
			 struct strbuf *out)
{
	int changed = 0;
	size_t i = 0;

	while (i < len) {
		size_t j = i;
		const char *to;
		while (j < len && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' && text[j] != '\r')
			j++;
		if (j > i && (to = mapped(m, n, text + i, j - i))) {
			sb_addstr(out, to);
			changed = 1;
		} else {
			sb_add(out, text + i, j - i);
		}
		if (j < len)
			sb_addch(out, text[j]);
		i = j + 1;
	}
	return changed;
}

/* Journal lines the merged-in side added that name old: rewrite them. */
static int rewrite_their_lines(struct source *base, struct source *theirs, const char *path,
			       const struct mapping *m, const struct strbuf *work,
			       struct strbuf *out)
{
	struct strbuf b = STRBUF_INIT, t = STRBUF_INIT;
	const char *msg;
	struct strlist added = { 0 };
	int changed = 0;

	if (theirs->read(theirs, path, (size_t)1 << 30, &t, &msg) != SRC_OK) {
		sb_release(&t);
		return 0;
	}
	if (base->read(base, path, (size_t)1 << 30, &b, &msg) != SRC_OK)
		sb_reset(&b);
	for (const char *p = t.buf; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *l = xstrndup(p, n);
		char *inb = xasprintf("\n%s\n", l);
		char *wrapped = xasprintf("\n%s\n", b.buf ? b.buf : "");
		if (!strstr(wrapped, inb))
			strlist_add_owned(&added, l);
		else
			free(l);
		free(inb);
		free(wrapped);
		p = nl ? nl + 1 : NULL;
	}
	for (const char *p = work->buf; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		int theirs_line = 0;
		for (size_t i = 0; i < added.n && !theirs_line; i++)
			theirs_line = strlen(added.v[i]) == n && !memcmp(added.v[i], p, n);
		if (theirs_line && rewrite_words(m, 1, p, n, out))
			changed = 1;
		else if (theirs_line)
			;
		else
			sb_add(out, p, n);
		if (nl)
			sb_addch(out, '\n');
		p = nl ? nl + 1 : NULL;
	}
	strlist_release(&added);
	sb_release(&b);
	sb_release(&t);
	return changed;
}

/*
 * Mid-merge, both sides made OLD: ours keeps the number, the merged-in one
 * becomes NEW, and so do the references that side made.
 */
static int renumber_conflict(struct globals *g, struct book *b, struct store *s,
			     const char *path, const char *old, const char *new,
			     const struct commit_opts *o, int no_commit)
{
	struct strbuf ours = STRBUF_INIT, theirs = STRBUF_INIT, out = STRBUF_INIT;
	struct change_set cs = { 0 };
	struct source *base = store_source_merge_base(s), *them = store_source_rev(s, "MERGE_HEAD");
	struct mapping m = { old, new };
	const char *slash = strrchr(path, '/');
	int kind = -1, status = 0;
	size_t norder;
	const char **order;

	for (int k = 0; k < K__N; k++)
		if (!strncmp(path, b->fmts.kinds[k].folder, strlen(b->fmts.kinds[k].folder)))
			kind = k;
	if (!base || !them || kind < 0 || store_read_stage(s, path, 2, &ours) != 0 ||
	    store_read_stage(s, path, 3, &theirs) != 0) {
		error("'%s' is not a record both sides of the merge made", path);
		status = EXIT_USAGE;
		goto out;
	}
	order = field_order(b, kind, &norder);
	edit_set(&out, theirs.buf, theirs.len, "id", new, order, norder);
	free(order);
	{
		char *dest = xasprintf("%.*s/%s.ini", (int)(slash - path), path, new);
		size_t len = out.len;
		change_set_add(&cs, dest, sb_detach(&out), len);
		free(dest);
		len = ours.len;
		change_set_add(&cs, path, sb_detach(&ours), len);
	}
	/* records the merged-in side made or changed that name old */
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *q = &b->recs[i];
		const struct format *fmt = &b->fmts.kinds[q->kind];
		struct strbuf tb = STRBUF_INIT, bb = STRBUF_INIT, text = STRBUF_INIT;
		const char *msg;
		int refers = 0, changed_there;

		if (!strcmp(q->path, path))
			continue;
		for (int k = 0; k < q->nvals; k++)
			if (ftype_ref_kind(fmt->fields[q->vals[k].field].type) >= 0 &&
			    !strcmp(q->vals[k].value, old))
				refers = 1;
		if (!refers)
			continue;
		changed_there = them->read(them, q->path, (size_t)1 << 30, &tb, &msg) == SRC_OK &&
				(base->read(base, q->path, (size_t)1 << 30, &bb, &msg) != SRC_OK ||
				 tb.len != bb.len || memcmp(tb.buf, bb.buf, tb.len));
		if (changed_there && read_book_file(b, q->path, &text) == 0) {
			order = field_order(b, q->kind, &norder);
			for (int k = 0; k < q->nvals; k++) {
				const char *name = fmt->fields[q->vals[k].field].name;
				if (ftype_ref_kind(fmt->fields[q->vals[k].field].type) >= 0 &&
				    !strcmp(q->vals[k].value, old) &&
				    edit_set(&out, text.buf, text.len, name, new, order, norder) == 1) {
					sb_reset(&text);
					sb_add(&text, out.buf, out.len);
				}
			}
			free(order);
			{
				size_t len = text.len;
				change_set_add(&cs, q->path, sb_detach(&text), len);
			}
		}
		sb_release(&tb);
		sb_release(&bb);
		sb_release(&text);
	}
	for (size_t f = 0; f < b->journal.nfiles; f++) {
		struct strbuf text = STRBUF_INIT;
		sb_reset(&out);
		if (read_book_file(b, b->journal.files[f], &text) == 0 &&
		    rewrite_their_lines(base, them, b->journal.files[f], &m, &text, &out)) {
			size_t len = out.len;
			change_set_add(&cs, b->journal.files[f], sb_detach(&out), len);
		}
		sb_release(&text);
	}
	status = apply_changes(g, b->root, &cs, o, no_commit);
out:
	if (base)
		base->free(base);
	if (them)
		them->free(them);
	change_set_release(&cs);
	sb_release(&ours);
	sb_release(&theirs);
	sb_release(&out);
	return status;
}

int cmd_renumber(int argc, char **argv, struct globals *g)
{
	struct commit_opts o = { NULL, NULL, 0 };
	struct change_set cs = { 0 };
	struct mapping *map = NULL;
	struct strlist owned = { 0 };
	struct book b;
	const struct record *r = NULL;
	const char *old = NULL, *new = NULL;
	size_t nmap = 0;
	int no_commit = 0, status = 0, opened = 0;

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
	if (!old || !new) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (g->at) {
		error("--at reads the past; renumber changes the present (drop --at)");
		return EXIT_USAGE;
	}
	diag_setup(stderr, DIAG_TEXT, 0);
	if ((status = open_book_to_change(g, &b, argc, argv)) != 0)
		return status;
	opened = 1;
	diag_reset();
	for (int k = 0; k < K__N; k++)
		if (book_record(&b, k, new)) {
			error("'%s' is already used; choose another number", new);
			status = EXIT_USAGE;
			goto out;
		}
	if (!editor_identity(&b, o.as) && !no_commit) {
		status = EXIT_USAGE;
		goto out;
	}
	{
		/* a number once given out is never given again (JOBNO-1) */
		struct strlist used = { 0 };
		int seen = 0;
		for (int k = 0; k < K__N && !seen; k++) {
			used_ids(&b, k, &used);
			for (size_t i = 0; i < used.n && !seen; i++)
				seen = !strcmp(used.v[i], new);
			strlist_release(&used);
		}
		if (seen) {
			error("'%s' was used before (the history has it); a number is never reused", new);
			status = EXIT_USAGE;
			goto out;
		}
	}
	/* two files with one number: name the one to move by its path */
	for (size_t i = 0; i < b.nrecs && !r; i++)
		if (!strcmp(b.recs[i].path, old))
			r = &b.recs[i];
	{
		/* a number both sides of a merge gave out */
		struct store *s = store_try_open(b.root);
		struct strlist conflicts = { 0 };
		if (s && store_conflicts(s, &conflicts) == 0) {
			for (size_t i = 0; i < conflicts.n; i++) {
				const char *p = conflicts.v[i], *slash = strrchr(p, '/');
				if ((slash && !strncmp(slash + 1, old, strlen(old)) &&
				     !strcmp(slash + 1 + strlen(old), ".ini")) || !strcmp(p, old)) {
					char *id = slash ? xstrndup(slash + 1, strlen(slash + 1) - 4) : xstrdup(old);
					char *msg = xasprintf("%s renumbered %s: both sides of the merge had made it", id, new);
					strlist_add_owned(&owned, id);
					strlist_add_owned(&owned, msg);
					if (!o.summary)
						o.summary = msg;
					status = renumber_conflict(g, &b, s, p, id, new, &o, no_commit);
					strlist_release(&conflicts);
					store_free(s);
					goto out;
				}
			}
		}
		strlist_release(&conflicts);
		store_free(s);
	}
	if (!r && !(r = find_record(&b, old, -1))) {
		status = EXIT_USAGE;
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
	for (size_t i = 0; i < b.nrecs; i++) {
		const struct record *q = &b.recs[i];
		const struct format *fmt = &b.fmts.kinds[q->kind];
		const char *to = q == r || mapped(map, nmap, q->id, strlen(q->id)) ?
				 mapped(map, nmap, q->id, strlen(q->id)) : NULL;
		struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
		size_t norder;
		const char **order;
		int changed = 0;

		/* records named in a field */
		for (int k = 0; k < q->nvals; k++) {
			const struct rval *v = &q->vals[k];
			if (ftype_ref_kind(fmt->fields[v->field].type) >= 0 &&
			    mapped(map, nmap, v->value, strlen(v->value)))
				changed = 1;
		}
		if (!changed && !to)
			continue;
		if (r == q || to) {
			/* only this very file moves, not its namesake */
			if (q != r && !strcmp(q->id, r->id))
				continue;
		}
		if ((status = read_book_file(&b, q->path, &text)) != 0)
			goto out;
		order = field_order(&b, q->kind, &norder);
		for (int k = 0; k < q->nvals; k++) {
			const struct rval *v = &q->vals[k];
			const char *nv = ftype_ref_kind(fmt->fields[v->field].type) >= 0 ?
					 mapped(map, nmap, v->value, strlen(v->value)) : NULL;
			if (nv && edit_set(&out, text.buf, text.len, fmt->fields[v->field].name, nv,
					   order, norder) == 1) {
				sb_reset(&text);
				sb_add(&text, out.buf, out.len);
			}
		}
		if (to && edit_set(&out, text.buf, text.len, "id", to, order, norder) == 1) {
			sb_reset(&text);
			sb_add(&text, out.buf, out.len);
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
		sb_release(&out);
	}
	/* journal lines */
	for (size_t f = 0; f < b.journal.nfiles; f++) {
		struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
		if ((status = read_book_file(&b, b.journal.files[f], &text)) != 0)
			goto out;
		if (rewrite_words(map, nmap, text.buf, text.len, &out)) {
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
	change_set_release(&cs);
	strlist_release(&owned);
	free(map);
	if (opened)
		book_release(&b);
	end_change(g);
	return status;
}
