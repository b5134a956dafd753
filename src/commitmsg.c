/* commitmsg.c -- see commitmsg.h */
#include "commitmsg.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "inifile.h"
#include "strmap.h"
#include "utf8.h"

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
	ini_doc_parse(&f->doc, &f->arena, path, text->buf ? text->buf : "", text->len);
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

static char *id_of(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	return xstrndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

struct rec_change {
	char *label;		/* "job CS-2611-03" */
	struct strbuf body;
	char *one;		/* "status in-progress -> delivered", when one field */
	int nfields;
	struct strbuf names;	/* "status, delivered" */
};

struct approvals {
	const struct staff *me;
	struct strlist given;	/* by me: the trailers */
	struct strlist *others;	/* naming someone else, in a record changed */
};

static void diff_records(struct book *b, const char *path, const struct fields *old,
			 const struct fields *new, struct rec_change *rc,
			 struct approvals *ap)
{
	struct strlist keys = { 0 };
	const struct fields *both[2] = { old, new };

	/* every key of either version, in the new file's order, then removed ones */
	for (int w = 1; w >= 0; w--) {
		const struct fields *f = both[w];
		if (!f->ok)
			continue;
		for (size_t i = 0; i < f->doc.nentries; i++) {
			char *name = key_name(f, &f->doc.entries[i]);
			int seen = 0;
			for (size_t k = 0; k < keys.n; k++)
				if (!strcmp(keys.v[k], name))
					seen = 1;
			if (!seen)
				strlist_add_owned(&keys, name);
			else
				free(name);
		}
	}
	for (size_t k = 0; k < keys.n; k++) {
		const char *a = value_of(old, keys.v[k]), *z = value_of(new, keys.v[k]);
		struct strbuf line = STRBUF_INIT;

		if ((a && z && !strcmp(a, z)) || (!a && !z))
			continue;
		sb_addf(&line, "%s: ", keys.v[k]);
		if (a && z && (strchr(a, '\n') || strchr(z, '\n')))
			sb_addstr(&line, "changed");
		else {
			shown(&line, a);
			sb_addstr(&line, " -> ");
			shown(&line, z);
		}
		sb_addf(&rc->body, "  %s\n", line.buf);
		rc->nfields++;
		sb_addf(&rc->names, "%s%s", rc->names.len ? ", " : "", keys.v[k]);
		free(rc->one);
		rc->one = rc->nfields == 1 ? xstrdup(line.buf) : NULL;
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
		sb_release(&line);
	}
	strlist_release(&keys);
}

static void diff_journal(const struct strbuf *old, const struct strbuf *new, struct rec_change *rc)
{
	struct strlist a = { 0 }, z = { 0 };
	size_t i = 0, added = 0, removed = 0;
	const struct strbuf *both[2] = { old, new };
	struct strlist *lists[2] = { &a, &z };

	for (int w = 0; w < 2; w++) {
		const char *p = both[w] && both[w]->buf ? both[w]->buf : "";
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			strlist_add_owned(lists[w], xstrndup(p, n));
			p = nl ? nl + 1 : p + n;
		}
	}
	/* lines are compared as multisets: a journal grows at its end, but a
	 * renumber rewrites lines in the middle */
	{
		struct strlist as = { 0 }, zs = { 0 };
		size_t ia = 0, iz = 0;
		for (size_t k = 0; k < a.n; k++)
			strlist_add(&as, a.v[k]);
		for (size_t k = 0; k < z.n; k++)
			strlist_add(&zs, z.v[k]);
		strlist_sort(&as);
		strlist_sort(&zs);
		while (ia < as.n || iz < zs.n) {
			int c = ia >= as.n ? 1 : iz >= zs.n ? -1 : strcmp(as.v[ia], zs.v[iz]);
			if (c == 0) {
				ia++;
				iz++;
			} else if (c < 0) {
				removed++;
				ia++;
			} else {
				added++;
				iz++;
			}
		}
		strlist_release(&as);
		strlist_release(&zs);
	}
	/* the added lines, in the file's order */
	{
		size_t shown = 0;
		struct strmap old_lines = { 0 };
		for (size_t k = 0; k < a.n; k++)
			strmap_put(&old_lines, a.v[k], (void *)1);
		for (size_t k = 0; k < z.n; k++) {
			if (strmap_get(&old_lines, z.v[k]) || !z.v[k][0] || z.v[k][0] == '#')
				continue;
			if (shown++ < 20)
				sb_addf(&rc->body, "  + %s\n", z.v[k]);
			i = k;
		}
		if (shown > 20)
			sb_addf(&rc->body, "  ... %zu more\n", shown - 20);
		strmap_release(&old_lines);
	}
	if (added == 1 && !removed) {
		/* one entry: the summary is the entry, less its date */
		const char *l = z.v[i], *p = l;
		for (int sp = 0; sp < 2 && (p = strchr(p, ' ')); sp++)
			p++;
		rc->one = xstrdup(p ? p : l);
	} else {
		rc->one = removed ? xasprintf("%zu lines added, %zu changed or removed", added, removed) :
				    xasprintf("%zu lines added", added);
	}
	rc->nfields = 1;
	strlist_release(&a);
	strlist_release(&z);
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
		char *id = id_of(c->path);
		struct rec_change *rc = &rcs[i];
		int have_old = store_read_head(s, c->path, &old) == 0;
		int have_new = c->type != CH_DELETED &&
			       b->src->read(b->src, c->path, (size_t)1 << 30, &new, &msgp) == SRC_OK;

		rc->label = xasprintf("%s %s", kind, id);
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
		free(id);
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
		sb_addf(&msg, "%zu records:", changes->n);
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
