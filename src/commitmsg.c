/* commitmsg.c -- see commitmsg.h */
#include "commitmsg.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "inifile.h"
#include "merge_lines.h"
#include "utf8.h"
#include "validate.h"

static const char *const approval_fields[] = {
	"signed_by", "verified_by", "approved_by", "reviewed_by"
};

struct fields {
	struct arena arena;
	struct ini_doc doc;
	int ok;
};

static void fields_parse(struct fields *f, const char *path, const struct strbuf *text)
{
	memset(f, 0, sizeof(*f));
	if (!text)
		return;
	/* diagnostics about these copies are not the user's concern here */
	diag_mute(1);
	ini_doc_parse(&f->doc, &f->arena, path, text->buf ? text->buf : "", text->len);
	diag_mute(0);
	f->ok = f->doc.nsections > 0;
}

static void fields_release(struct fields *f)
{
	ini_doc_release(&f->doc);
	arena_release(&f->arena);
}

/* A record's keys are its field names; a settings file with several
 * sections names them "[section] key". */
static char *key_name(const struct fields *f, const struct ini_entry *e)
{
	if (f->doc.nsections <= 1)
		return xstrdup(e->key);
	return xasprintf("[%s] %s", f->doc.sections[e->section].name, e->key);
}

static const char *value_of(const struct fields *f, const char *key)
{
	if (!f->ok)
		return NULL;
	for (size_t i = 0; i < f->doc.nentries; i++) {
		char *k = key_name(f, &f->doc.entries[i]);
		int same = !strcmp(k, key);
		free(k);
		if (same)
			return f->doc.entries[i].value;
	}
	return NULL;
}

/* A value as it reads in one line of the log. */
static void shown(struct strbuf *sb, const char *v)
{
	size_t n, cut;

	if (!v || !*v) {
		sb_addstr(sb, "(none)");
		return;
	}
	if (strchr(v, '\n')) {
		int lines = 1;
		for (const char *p = v; *p; p++)
			lines += *p == '\n';
		sb_addf(sb, "(%d lines)", lines);
		return;
	}
	n = strlen(v);
	cut = utf8_prefix_for_width(v, n, 60);
	sb_add(sb, v, cut);
	if (cut < n)
		sb_addstr(sb, "…");
}

static const char *kind_of(const char *path)
{
	static const struct { const char *dir, *kind; } map[] = {
		{ "clients/", "client" }, { "jobs/", "job" }, { "contacts/", "contact" },
		{ "meetings/", "meeting" }, { "complaints/", "complaint" },
		{ "letters/", "letter" }, { "reviews/", "review" },
		{ "journal/", "journal" }, { "formats/", "format" }, { "calendar/", "calendar" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (!strncmp(path, map[i].dir, strlen(map[i].dir)))
			return map[i].kind;
	return "settings";
}

static int is_record(const char *path)
{
	const char *kind = kind_of(path);
	size_t n = strlen(path);

	return strcmp(kind, "journal") && strcmp(kind, "format") && strcmp(kind, "calendar") &&
	       strcmp(kind, "settings") && n > 4 && !strcmp(path + n - 4, ".ini");
}

static char *id_of(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	return xstrndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

char *commitmsg_label(const char *path)
{
	char *id = id_of(path), *label = xasprintf("%s %s", kind_of(path), id);

	free(id);
	return label;
}

/* "1 line", "2 lines" */
static void count(struct strbuf *sb, size_t n, const char *one, const char *many)
{
	sb_addf(sb, "%zu %s", n, n == 1 ? one : many);
}

/* Whether line is an action item, "[ ] ..." after its indentation (as
 * edit_tick() counts them); its box at *box. */
static int item_line(const char *s, size_t n, size_t *box)
{
	size_t p = 0;

	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	*box = p;
	return n - p >= 3 && s[p] == '[' && s[p + 2] == ']';
}

/*
 * A multi-line value whose only change is the box of action items ticked
 * or opened again (ae tick, or the same edit by hand): "action 2 done:
 * TEXT" for one item, "actions 1, 3 done" for several, into sb.  0 when
 * anything else changed.
 */
static int describe_ticks(const char *a, const char *z, struct strbuf *sb)
{
	struct strbuf done = STRBUF_INIT, opened = STRBUF_INIT;
	size_t ndone = 0, nopened = 0, item = 0, which = 0;
	const char *la = a, *lz = z, *one = NULL;
	size_t one_len = 0;
	int ok = 1;

	while (ok && *la && *lz) {
		size_t na = strcspn(la, "\n"), nz = strcspn(lz, "\n"), box, boxz;
		int is_item = item_line(lz, nz, &boxz);

		item += is_item;
		if (na != nz || memcmp(la, lz, na)) {
			/* the same line but for the character in the box */
			ok = is_item && item_line(la, na, &box) && box == boxz &&
			     !memcmp(la, lz, box + 1) && !memcmp(la + box + 2, lz + box + 2, na - box - 2) &&
			     (la[box + 1] == ' ') != (lz[box + 1] == ' ');
			if (ok) {
				int d = lz[box + 1] != ' ';
				struct strbuf *list = d ? &done : &opened;
				sb_addf(list, "%s%zu", list->len ? ", " : "", item);
				*(d ? &ndone : &nopened) += 1;
				one = lz + boxz;
				one_len = nz - boxz;
				which = item;
			}
		}
		la += na + (la[na] == '\n');
		lz += nz + (lz[nz] == '\n');
	}
	ok = ok && !*la && !*lz && ndone + nopened > 0;
	if (ok && ndone + nopened == 1) {
		struct action act;
		const char *text = action_parse(one, one_len, &act) ? one + 3 : act.text;
		size_t tn = one_len - (size_t)(text - one);
		while (tn && (*text == ' ' || *text == '\t'))
			text++, tn--;
		sb_addf(sb, "action %zu %s: ", which, ndone ? "done" : "opened again");
		sb_add(sb, text, tn);
	} else if (ok) {
		if (ndone)
			sb_addf(sb, "%s %s done", ndone == 1 ? "action" : "actions", done.buf);
		if (nopened)
			sb_addf(sb, "%s%s %s opened again", ndone ? ", " : "",
				nopened == 1 ? "action" : "actions", opened.buf);
	}
	sb_release(&done);
	sb_release(&opened);
	return ok;
}

/*
 * A multi-line value that only grew at its end (ae note): "+ LINE" for
 * one line, "N lines added" for more, into sb.  0 when anything else
 * changed.
 */
static int describe_appended(const char *a, const char *z, struct strbuf *sb)
{
	size_t n = strlen(a), lines = 0;
	const char *p;

	if (strncmp(a, z, n) || (n && z[n] != '\n'))
		return 0;
	p = z + n + (n ? 1 : 0);
	for (const char *q = p; *q; q++)
		lines += *q == '\n';
	lines++;
	if (lines == 1) {
		sb_addstr(sb, "+ ");
		shown(sb, p);
	} else {
		count(sb, lines, "line added", "lines added");
	}
	return 1;
}

struct rec_change {
	char *label;		/* "job CS-2611-03" */
	struct strbuf body;
	char *one;		/* "status in-progress -> delivered", when one field */
	int nfields;
	struct strbuf names;	/* "status, delivered" */
};

/* The keys of either version whose values differ, in the new file's
 * order, then those only the old one has, each with its log line. */
static void changed_keys(const struct fields *old, const struct fields *new,
			 struct strlist *keys, struct strlist *lines)
{
	struct strlist all = { 0 };
	const struct fields *both[2] = { old, new };

	for (int w = 1; w >= 0; w--) {
		const struct fields *f = both[w];
		if (!f->ok)
			continue;
		for (size_t i = 0; i < f->doc.nentries; i++) {
			char *name = key_name(f, &f->doc.entries[i]);
			int seen = 0;
			for (size_t k = 0; k < all.n && !seen; k++)
				seen = !strcmp(all.v[k], name);
			if (!seen)
				strlist_add_owned(&all, name);
			else
				free(name);
		}
	}
	for (size_t k = 0; k < all.n; k++) {
		const char *a = value_of(old, all.v[k]), *z = value_of(new, all.v[k]);
		struct strbuf line = STRBUF_INIT, ticks = STRBUF_INIT;

		if ((a && z && !strcmp(a, z)) || (!a && !z))
			continue;
		sb_addf(&line, "%s: ", all.v[k]);
		if (a && z && (strchr(a, '\n') || strchr(z, '\n'))) {
			if (describe_ticks(a, z, &ticks))
				sb_add(&line, ticks.buf, ticks.len);
			else if (!describe_appended(a, z, &line))
				sb_addstr(&line, "changed");
			sb_release(&ticks);
		} else {
			shown(&line, a);
			sb_addstr(&line, " -> ");
			shown(&line, z);
		}
		strlist_add(keys, all.v[k]);
		strlist_add_owned(lines, sb_detach(&line));
	}
	strlist_release(&all);
}

size_t field_changes(const char *path, const struct strbuf *old, const struct strbuf *new,
		     struct strlist *keys, struct strlist *lines)
{
	struct fields fo, fn;
	size_t before = keys->n;

	fields_parse(&fo, path, old);
	fields_parse(&fn, path, new);
	changed_keys(&fo, &fn, keys, lines);
	fields_release(&fo);
	fields_release(&fn);
	return keys->n - before;
}

struct approvals {
	const struct staff *me;
	struct strlist given;	/* by me: the trailers */
	struct strlist *others;	/* naming someone else, in a record changed */
};

static void diff_records(struct book *b, const char *path, const struct fields *old,
			 const struct fields *new, struct rec_change *rc,
			 struct approvals *ap)
{
	struct strlist keys = { 0 }, lines = { 0 };

	changed_keys(old, new, &keys, &lines);
	for (size_t k = 0; k < keys.n; k++) {
		const char *z = value_of(new, keys.v[k]);

		sb_addf(&rc->body, "  %s\n", lines.v[k]);
		rc->nfields++;
		sb_addf(&rc->names, "%s%s", rc->names.len ? ", " : "", keys.v[k]);
		free(rc->one);
		if (rc->nfields == 1) {
			/* a tick is summed up by its item, not "actions: ..." */
			const char *a = value_of(old, keys.v[k]);
			struct strbuf ticks = STRBUF_INIT;
			if (a && z && (strchr(a, '\n') || strchr(z, '\n')) && describe_ticks(a, z, &ticks))
				rc->one = sb_detach(&ticks);
			else
				rc->one = xstrdup(lines.v[k]);
			sb_release(&ticks);
		} else {
			rc->one = NULL;
		}
		for (size_t i = 0; i < ARRAY_SIZE(approval_fields); i++) {
			const struct staff *st;
			if (!z || strcmp(keys.v[k], approval_fields[i]) || !(st = config_staff(&b->cfg, z)))
				continue;
			/* the trailer names who gave the approval: the one committing */
			if (ap->me && !strcmp(st->id, ap->me->id))
				strlist_add_owned(&ap->given, st->email ?
					xasprintf("%s <%s>", st->name ? st->name : st->id, st->email) :
					xasprintf("%s", st->name ? st->name : st->id));
			else if (old->ok && ap->others)
				strlist_add_owned(ap->others, xasprintf("%s of %s names %s", keys.v[k], path, st->id));
		}
	}
	strlist_release(&keys);
	strlist_release(&lines);
}

/* Whether a journal line is an entry worth showing (not blank, not a comment). */
static int shown_line(const struct mline *l)
{
	return l->len && l->s[0] != '#';
}

static void diff_journal(const struct strbuf *old, const struct strbuf *new, struct rec_change *rc)
{
	struct mlines a, z;
	struct mhunk *h = NULL;
	size_t nh, added = 0, changed = 0, removed = 0, listed = 0, more = 0;
	const struct mline *last_new = NULL;
	struct strbuf sum = STRBUF_INIT;

	mlines_split(&a, old && old->buf ? old->buf : "", old ? old->len : 0);
	mlines_split(&z, new && new->buf ? new->buf : "", new ? new->len : 0);
	/* a line replaced by another is changed, not one added and one
	 * removed: a renumber rewrites lines in the middle */
	nh = mdiff(&a, &z, &h);
	for (size_t k = 0; k < nh; k++) {
		size_t del = h[k].b1 - h[k].b0, add = h[k].s1 - h[k].s0;
		size_t both = del < add ? del : add;

		changed += both;
		added += add - both;
		removed += del - both;
		for (size_t i = h[k].b0; i < h[k].b1; i++) {
			if (!shown_line(&a.v[i]))
				continue;
			if (listed++ < 20)
				sb_addf(&rc->body, "  - %.*s\n", (int)a.v[i].len, a.v[i].s);
			else
				more++;
		}
		for (size_t i = h[k].s0; i < h[k].s1; i++) {
			if (!shown_line(&z.v[i]))
				continue;
			last_new = &z.v[i];
			if (listed++ < 20)
				sb_addf(&rc->body, "  + %.*s\n", (int)z.v[i].len, z.v[i].s);
			else
				more++;
		}
	}
	if (more)
		sb_addf(&rc->body, "  ... %zu more\n", more);
	if (added == 1 && !changed && !removed && last_new) {
		/* one entry: the summary is the entry, less its date and time */
		const char *l = last_new->s, *p = l, *end = l + last_new->len;
		for (int sp = 0; sp < 2 && p && (p = memchr(p, ' ', (size_t)(end - p))); sp++)
			p++;
		if (!p || p >= end)
			p = l;
		rc->one = xstrndup(p, (size_t)(end - p));
	} else {
		const char *sep = "";
		if (added) {
			count(&sum, added, "line added", "lines added");
			sep = ", ";
		}
		if (changed) {
			sb_addstr(&sum, sep);
			count(&sum, changed, *sep ? "changed" : "line changed",
			      *sep ? "changed" : "lines changed");
			sep = ", ";
		}
		if (removed) {
			sb_addstr(&sum, sep);
			count(&sum, removed, *sep ? "removed" : "line removed",
			      *sep ? "removed" : "lines removed");
			sep = ", ";
		}
		rc->one = *sep ? sb_detach(&sum) : xstrdup("layout only, no line changed");
	}
	rc->nfields = 1;
	sb_release(&sum);
	free(h);
	mlines_release(&a);
	mlines_release(&z);
}

char *commit_message(struct book *b, struct store *s, const struct change_list *changes,
		     const char *summary, const struct staff *me, struct strlist *others)
{
	struct strbuf msg = STRBUF_INIT, body = STRBUF_INIT, trailers = STRBUF_INIT;
	struct approvals ap = { me, { 0 }, others };
	struct strlist *approvers = &ap.given;
	struct rec_change *rcs = xcalloc(changes->n + 1, sizeof(*rcs));

	for (size_t i = 0; i < changes->n; i++) {
		const struct change *c = &changes->v[i];
		struct strbuf old = STRBUF_INIT, new = STRBUF_INIT;
		struct fields fo, fn;
		const char *kind = kind_of(c->path), *msgp;
		struct rec_change *rc = &rcs[i];
		int have_old = store_read_head(s, c->path, &old) == 0;
		int have_new = c->type != CH_DELETED &&
			       b->src->read(b->src, c->path, (size_t)1 << 30, &new, &msgp) == SRC_OK;

		rc->label = commitmsg_label(c->path);
		if (!strcmp(kind, "journal")) {
			diff_journal(have_old ? &old : NULL, have_new ? &new : NULL, rc);
		} else if (c->type == CH_DELETED) {
			rc->one = xstrdup("deleted");
			rc->nfields = 1;
		} else if (!have_old) {
			static const char *const titles[] = { "title", "name", "subject", "topic" };
			const char *title = NULL;
			fields_parse(&fn, c->path, have_new ? &new : NULL);
			if (strcmp(kind, "settings"))
				for (size_t t = 0; t < ARRAY_SIZE(titles) && !title; t++)
					title = value_of(&fn, titles[t]);
			rc->one = title ? xasprintf("new: %s", title) : xstrdup("new");
			rc->nfields = 1;
			fields_release(&fn);
		} else if (strlen(c->path) < 4 || strcmp(c->path + strlen(c->path) - 4, ".ini")) {
			rc->one = xstrdup("changed");
			rc->nfields = 1;
		} else {
			fields_parse(&fo, c->path, have_old ? &old : NULL);
			fields_parse(&fn, c->path, have_new ? &new : NULL);
			diff_records(b, c->path, &fo, &fn, rc, &ap);
			fields_release(&fo);
			fields_release(&fn);
		}
		sb_addf(&body, "%s (%s)%s\n%s", rc->label, c->path,
			c->type == CH_DELETED ? ": deleted" : "", rc->body.buf ? rc->body.buf : "");
		sb_addf(&trailers, "Record: %s\n", c->path);
		sb_release(&old);
		sb_release(&new);
	}
	/* the summary line */
	if (summary && *summary) {
		sb_addstr(&msg, summary);
	} else if (changes->n == 1) {
		struct rec_change *rc = &rcs[0];
		if (rc->nfields == 1 && rc->one)
			sb_addf(&msg, "%s: %s", rc->label, rc->one);
		else if (rc->nfields > 1)
			sb_addf(&msg, "%s: %s", rc->label, rc->names.buf);
		else
			sb_addf(&msg, "%s: layout only, no field changed", rc->label);
	} else {
		/* a journal or a settings file is not a record */
		int all_records = 1;
		for (size_t i = 0; i < changes->n; i++)
			if (!is_record(changes->v[i].path))
				all_records = 0;
		sb_addf(&msg, "%zu %s:", changes->n, all_records ? "records" : "files");
		for (size_t i = 0; i < changes->n && i < 4; i++)
			sb_addf(&msg, "%s %s", i ? "," : "", rcs[i].label);
		if (changes->n > 4)
			sb_addstr(&msg, ", ...");
	}
	/* a summary line stays one line of reasonable length */
	for (char *p = msg.buf; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (utf8_width(msg.buf, msg.len) > 100) {
		size_t cut = utf8_prefix_for_width(msg.buf, msg.len, 99);
		msg.len = cut;
		msg.buf[cut] = '\0';
		sb_addstr(&msg, "…");
	}
	sb_addf(&msg, "\n\n%s\n%s", body.buf ? body.buf : "", trailers.buf ? trailers.buf : "");
	strlist_sort(approvers);
	for (size_t i = 0; i < approvers->n; i++)
		if (!i || strcmp(approvers->v[i], approvers->v[i - 1]))
			sb_addf(&msg, "Approved-by: %s\n", approvers->v[i]);
	for (size_t i = 0; i < changes->n; i++) {
		free(rcs[i].label);
		free(rcs[i].one);
		sb_release(&rcs[i].body);
		sb_release(&rcs[i].names);
	}
	free(rcs);
	strlist_release(approvers);
	sb_release(&body);
	sb_release(&trailers);
	return sb_detach(&msg);
}
