/* merge_record.c -- see merge_record.h */
#include "merge_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "inifile.h"
#include "merge_lines.h"
#include "strmap.h"
#include "utf8.h"

enum unit_kind { U_HEAD, U_FIELD, U_TAIL };

/* A section header or a field, with the comments and blank lines above it. */
struct unit {
	enum unit_kind kind;
	const char *id;		/* section "\n" key; "[" section for a header */
	const char *key;	/* the field's name in a conflict */
	const char *value;	/* the field's value as the parser reads it */
	size_t g0, f0, f1;	/* lines: [g0, f0) above it, [f0, f1) its own */
};

struct rdoc {
	struct mlines ls;
	struct unit *u;
	size_t n, alloc;
	struct strmap ids;	/* id -> unit index + 1 */
	struct arena arena;
	int sections;		/* named sections */
};

struct span {
	size_t from, to;
	enum unit_kind kind;
	const struct ini_entry *e;
	const struct ini_section *sec;
};

static void rdoc_release(struct rdoc *d)
{
	mlines_release(&d->ls);
	free(d->u);
	strmap_release(&d->ids);
	arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->from < y->from ? -1 : x->from > y->from;
}

static struct unit *add_unit(struct rdoc *d, enum unit_kind kind, size_t g0, size_t f0,
			     size_t f1)
{
	struct unit *u;

	ALLOC_GROW(d->u, d->n + 1, d->alloc);
	u = &d->u[d->n++];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	u->g0 = g0;
	u->f0 = f0;
	u->f1 = f1;
	return u;
}

/* Read text as units with the book's INI parser: 0, or -1 when it is not
 * a well-formed INI file. */
static int rdoc_parse(struct rdoc *d, const char *text, size_t len)
{
	struct ini_doc doc;
	struct strmap none = { 0 };
	struct span *sp = NULL;
	size_t nsp = 0, prev = 0;
	int errors, ret = -1;

	memset(d, 0, sizeof(*d));
	mlines_split(&d->ls, text, len);
	if (memchr(text, '\0', len) || utf8_invalid_at(text, len) < len)
		return -1;
	/* the sides' own mistakes are for ae check, not for the merge */
	diag_only(&none);
	errors = ini_doc_parse(&doc, &d->arena, "(merge)", text, len);
	diag_only(NULL);
	if (errors)
		goto out;
	sp = xcalloc(doc.nsections + doc.nentries + 1, sizeof(*sp));
	for (size_t s = 0; s < doc.nsections; s++) {
		const struct ini_section *sec = &doc.sections[s];
		if (sec->line <= 0)
			continue;
		for (size_t k = 0; k < s; k++)
			if (!strcmp(doc.sections[k].name, sec->name))
				goto out;	/* a section twice: no field identity */
		sp[nsp].from = (size_t)sec->line - 1;
		sp[nsp].to = (size_t)sec->line;
		sp[nsp].kind = U_HEAD;
		sp[nsp].sec = sec;
		nsp++;
		d->sections++;
	}
	for (size_t i = 0; i < doc.nentries; i++) {
		const struct ini_entry *e = &doc.entries[i];
		int last = e->nlines ? e->vline[e->nlines - 1] : e->line;
		sp[nsp].from = (size_t)e->line - 1;
		sp[nsp].to = (size_t)(last > e->line ? last : e->line);
		sp[nsp].kind = U_FIELD;
		sp[nsp].e = e;
		sp[nsp].sec = &doc.sections[e->section];
		nsp++;
	}
	qsort(sp, nsp, sizeof(*sp), cmp_span);
	for (size_t i = 0; i < nsp; i++) {
		struct unit *u;
		if (sp[i].from < prev || sp[i].to > d->ls.n)
			goto out;
		u = add_unit(d, sp[i].kind, prev, sp[i].from, sp[i].to);
		if (sp[i].kind == U_HEAD) {
			char *id = xasprintf("[%s]", sp[i].sec->name);
			u->id = arena_strdup(&d->arena, id);
			u->key = u->id;
			free(id);
		} else {
			char *id = xasprintf("%s\n%s", sp[i].sec->name, sp[i].e->key);
			char *key = xasprintf("[%s] %s", sp[i].sec->name, sp[i].e->key);
			u->id = arena_strdup(&d->arena, id);
			/* the plain name where the file has one section (a record) */
			u->key = arena_strdup(&d->arena, key);
			u->value = sp[i].e->value;
			free(id);
			free(key);
		}
		prev = sp[i].to;
	}
	add_unit(d, U_TAIL, prev, d->ls.n, d->ls.n)->id = "\n\ntail";
	for (size_t i = 0; i < d->n; i++)
		if (strmap_put(&d->ids, d->u[i].id, (void *)(i + 1)))
			goto out;
	ret = 0;
out:
	free(sp);
	ini_doc_release(&doc);
	return ret;
}

static struct unit *find(const struct rdoc *d, const char *id)
{
	size_t i = (size_t)strmap_get(&d->ids, id);

	return i ? &d->u[i - 1] : NULL;
}

/* A view of lines [from, to) of d as a line sequence of its own. */
static struct mlines view(const struct rdoc *d, size_t from, size_t to)
{
	struct mlines v;

	memset(&v, 0, sizeof(v));
	v.v = d->ls.v + from;
	v.n = to - from;
	v.eol = d->ls.eol;
	return v;
}

static const struct mlines empty_lines = { NULL, 0, 0, "\n" };

/* -- action items and single lines -- */

/* Append complete lines held in a buffer, as mline_put() appends one. */
static void put_text(struct strbuf *out, const struct strbuf *lines, const char *eol)
{
	struct mline l = { lines->buf ? lines->buf : "", lines->len, 0, 0 };

	if (lines->len)
		mline_put(out, &l, eol);
}


static int blank(int c)
{
	return c == ' ' || c == '\t';
}

/* Where the "[ ]" of an action item starts in l, or -1: after the
 * indentation, or after "name =" on a key line. */
static long item_at(const struct mline *l)
{
	size_t p = 0;

	while (p < l->len && blank((unsigned char)l->s[p]))
		p++;
	if (p < l->len && l->s[p] != '[') {
		while (p < l->len && l->s[p] != '=' && l->s[p] != ':')
			p++;
		if (p++ >= l->len)
			return -1;
		while (p < l->len && blank((unsigned char)l->s[p]))
			p++;
	}
	if (p + 3 > l->len || l->s[p] != '[' || l->s[p + 2] != ']' ||
	    (l->s[p + 1] != ' ' && l->s[p + 1] != 'x' && l->s[p + 1] != 'X') ||
	    (p + 3 < l->len && !blank((unsigned char)l->s[p + 3])))
		return -1;
	return (long)p;
}

struct bytes {
	const char *s;
	size_t n;
};

static int bytes_eq(struct bytes a, struct bytes b)
{
	return a.n == b.n && !memcmp(a.s, b.s, a.n);
}

/* Three-way choice between strings: 0 and *out set, or -1 (both changed). */
static int pick3(struct bytes b, struct bytes o, struct bytes t, struct bytes *out)
{
	if (bytes_eq(o, b) || bytes_eq(o, t))
		*out = bytes_eq(o, b) ? t : o;
	else if (bytes_eq(t, b))
		*out = o;
	else
		return -1;
	return 0;
}

/*
 * One line both sides changed: as strings, or as action items part by
 * part (indentation, mark, text).  0 with the merged line in out, or -1.
 */
static int merge_line(const struct mline *b, const struct mline *o, const struct mline *t,
		      struct strbuf *out)
{
	struct bytes lb = { b->s, b->len }, lo = { o->s, o->len }, lt = { t->s, t->len }, r;
	long ib = item_at(b), io = item_at(o), it = item_at(t);

	if (pick3(lb, lo, lt, &r) == 0) {
		sb_add(out, r.s, r.n);
	} else if (ib >= 0 && io >= 0 && it >= 0) {
		struct bytes pre[3], rest[3], rp, rr;
		const struct mline *l[3] = { b, o, t };
		long at[3] = { ib, io, it };
		int done[3];
		char mark;
		for (int k = 0; k < 3; k++) {
			pre[k].s = l[k]->s;
			pre[k].n = (size_t)at[k];
			rest[k].s = l[k]->s + at[k] + 3;
			rest[k].n = l[k]->len - (size_t)at[k] - 3;
			done[k] = l[k]->s[at[k] + 1] != ' ';
		}
		if (pick3(pre[0], pre[1], pre[2], &rp) < 0 || pick3(rest[0], rest[1], rest[2], &rr) < 0)
			return -1;
		mark = done[1] != done[0] ? o->s[io + 1] : done[2] != done[0] ? t->s[it + 1] :
		       o->s[io + 1];
		sb_add(out, rp.s, rp.n);
		sb_addch(out, '[');
		sb_addch(out, mark);
		sb_addch(out, ']');
		sb_add(out, rr.s, rr.n);
	} else {
		return -1;
	}
	{
		const struct mline *e = o->eol ? o : t;
		sb_add(out, e->s + e->len, e->eol);
	}
	return 0;
}

/*
 * A field both sides changed, line by line: clean regions go to both
 * variants; a region both changed is settled where it can be (both only
 * added lines there: both kept; lines changed in place: line by line),
 * else ours' lines go to the ours variant and theirs' to the theirs
 * variant.  Returns the number of regions left in conflict.
 */
static int merge_field_lines(const struct mlines *b, const struct mlines *o,
			     const struct mlines *t, struct strbuf *vo, struct strbuf *vt)
{
	struct mregion *r = NULL;
	size_t n = merge3(b, o, t, &r);
	int conflicts = 0;

	for (size_t i = 0; i < n; i++) {
		const struct mregion *g = &r[i];
		struct strbuf m = STRBUF_INIT;
		int ok = 1;

		switch (g->kind) {
		case MR_THEIRS:
			mlines_put(vo, t, g->t0, g->t1, o->eol);
			mlines_put(vt, t, g->t0, g->t1, o->eol);
			continue;
		case MR_CONFLICT:
			break;
		default:
			mlines_put(vo, o, g->o0, g->o1, o->eol);
			mlines_put(vt, o, g->o0, g->o1, o->eol);
			continue;
		}
		if (g->b0 == g->b1) {
			/* only additions, at the same place: both kept */
			mlines_put(&m, o, g->o0, g->o1, o->eol);
			mlines_put(&m, t, g->t0, g->t1, o->eol);
		} else if (g->o1 - g->o0 == g->b1 - g->b0 && g->t1 - g->t0 == g->b1 - g->b0) {
			/* lines changed in place: each on its own */
			for (size_t k = 0; k < g->b1 - g->b0; k++) {
				struct strbuf one = STRBUF_INIT;
				if (merge_line(&b->v[g->b0 + k], &o->v[g->o0 + k], &t->v[g->t0 + k],
					       &one) == 0) {
					put_text(vo, &one, o->eol);
					put_text(vt, &one, o->eol);
				} else {
					mline_put(vo, &o->v[g->o0 + k], o->eol);
					mline_put(vt, &t->v[g->t0 + k], o->eol);
					conflicts++;
				}
				sb_release(&one);
			}
			continue;
		} else {
			ok = 0;
		}
		if (ok) {
			put_text(vo, &m, o->eol);
			put_text(vt, &m, o->eol);
		} else {
			mlines_put(vo, o, g->o0, g->o1, o->eol);
			mlines_put(vt, t, g->t0, g->t1, o->eol);
			conflicts++;
		}
		sb_release(&m);
	}
	free(r);
	return conflicts;
}

/* -- the merge of units -- */

struct side {
	const struct rdoc *d;
	const struct unit *u;	/* NULL: not in this side */
};

/* Whether a unit's lines (above it, and its own) are the same in x and y. */
static int same_gap(const struct side *x, const struct side *y)
{
	struct mlines a = view(x->d, x->u->g0, x->u->f0), b = view(y->d, y->u->g0, y->u->f0);

	return mlines_eq(&a, 0, a.n, &b, 0, b.n);
}

static int same_own(const struct side *x, const struct side *y)
{
	struct mlines a = view(x->d, x->u->f0, x->u->f1), b = view(y->d, y->u->f0, y->u->f1);

	return mlines_eq(&a, 0, a.n, &b, 0, b.n);
}

static void put_gap(struct strbuf *out, const struct side *x)
{
	mlines_put(out, &x->d->ls, x->u->g0, x->u->f0, x->d->ls.eol);
}

static void put_own(struct strbuf *out, const struct side *x)
{
	mlines_put(out, &x->d->ls, x->u->f0, x->u->f1, x->d->ls.eol);
}

static void merge_gaps(struct strbuf *out, const struct side *b, const struct side *o,
		       const struct side *t)
{
	struct mlines vb = b->u ? view(b->d, b->u->g0, b->u->f0) : empty_lines;
	struct mlines vo = view(o->d, o->u->g0, o->u->f0), vt = view(t->d, t->u->g0, t->u->f0);

	if (mlines_eq(&vo, 0, vo.n, &vb, 0, vb.n))
		put_gap(out, t);
	else if (mlines_eq(&vt, 0, vt.n, &vb, 0, vb.n) || mlines_eq(&vo, 0, vo.n, &vt, 0, vt.n))
		put_gap(out, o);
	else
		merge3_union(&vb, &vo, &vt, o->d->ls.eol, out);
}

static const char *shown_key(const struct unit *u, int sections)
{
	if (u->kind == U_FIELD && sections <= 1) {
		const char *sp = strchr(u->key, ']');
		return sp ? sp + 2 : u->key;
	}
	return u->key;
}

static void conflict(struct merge_result *r, const char *key, const struct side *b,
		     const struct side *o, const struct side *t, const struct strbuf *vo,
		     const struct strbuf *vt)
{
	struct strbuf sb = STRBUF_INIT, so = STRBUF_INIT, st = STRBUF_INIT;

	if (b->u)
		put_own(&sb, b);
	if (!vo && o->u)
		put_own(&so, o);
	if (!vt && t->u)
		put_own(&st, t);
	mres_conflict(r, key, vo ? vo : &so, &sb, vt ? vt : &st);
	sb_release(&sb);
	sb_release(&so);
	sb_release(&st);
}

/* One unit, present in ours or theirs (or both). */
static void merge_unit(struct merge_result *r, const char *key, const struct side *b,
		       const struct side *o, const struct side *t)
{
	struct strbuf *out = mres_text(r);

	if (o->u && t->u) {
		merge_gaps(out, b, o, t);
		if ((b->u && same_own(o, b)) || same_own(o, t)) {
			put_own(out, t);
		} else if (b->u && same_own(t, b)) {
			put_own(out, o);
		} else if (o->u->kind != U_FIELD ||
			   (o->u->value && t->u->value && !strcmp(o->u->value, t->u->value))) {
			put_own(out, o);	/* the same value, laid out differently */
		} else {
			struct mlines vb = b->u ? view(b->d, b->u->f0, b->u->f1) : empty_lines;
			struct mlines vo = view(o->d, o->u->f0, o->u->f1);
			struct mlines vt = view(t->d, t->u->f0, t->u->f1);
			struct strbuf mo = STRBUF_INIT, mt = STRBUF_INIT;

			if (!b->u)	/* both added it, each its own way */
				conflict(r, key, b, o, t, NULL, NULL);
			else if (!merge_field_lines(&vb, &vo, &vt, &mo, &mt))
				put_text(out, &mo, o->d->ls.eol);
			else
				conflict(r, key, b, o, t, &mo, &mt);
			sb_release(&mo);
			sb_release(&mt);
		}
		return;
	}
	{
		/* in one side only: added there, or deleted by the other */
		const struct side *has = o->u ? o : t;
		if (!b->u) {
			put_gap(out, has);
			put_own(out, has);
		} else if (same_own(has, b)) {
			if (!same_gap(has, b))
				put_gap(out, has);	/* a comment changed above a deleted field */
		} else {
			put_gap(out, has);
			conflict(r, key, b, o, t, NULL, NULL);
		}
	}
}

/* Whether x lists the units it shares with the base in another order. */
static int reordered(const struct rdoc *base, const struct rdoc *x)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < base->n && !find(x, base->u[i].id))
			i++;
		while (j < x->n && !find(base, x->u[j].id))
			j++;
		if (i >= base->n || j >= x->n)
			return 0;
		if (strcmp(base->u[i].id, x->u[j].id))
			return 1;
		i++, j++;
	}
}

static void merge_units(struct merge_result *r, const struct rdoc *b, const struct rdoc *o,
			const struct rdoc *t)
{
	const struct rdoc *skel = !reordered(b, o) && reordered(b, t) ? t : o;
	const struct rdoc *other = skel == o ? t : o;
	const char **order = xcalloc(o->n + t->n + 1, sizeof(*order));
	size_t n = 0;
	long last = -1;
	int sections = b->sections > o->sections ? b->sections : o->sections;

	if (t->sections > sections)
		sections = t->sections;
	/* the skeleton's units, then the other side's new ones after the
	 * unit they follow there */
	for (size_t i = 0; i + 1 < skel->n; i++)
		order[n++] = skel->u[i].id;
	for (size_t i = 0; i + 1 < other->n; i++) {
		const char *id = other->u[i].id;
		long at = -1;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(order[k], id)) {
				at = (long)k;
				break;
			}
		if (at >= 0) {
			last = at;
			continue;
		}
		memmove(order + last + 2, order + last + 1, (n - (size_t)(last + 1)) * sizeof(*order));
		order[++last] = id;
		n++;
	}
	order[n++] = "\n\ntail";
	for (size_t i = 0; i < n; i++) {
		struct side sb = { b, find(b, order[i]) }, so = { o, find(o, order[i]) },
			    st = { t, find(t, order[i]) };
		const struct unit *any = so.u ? so.u : st.u;
		merge_unit(r, shown_key(any, sections), &sb, &so, &st);
	}
	free(order);
}

/* -- line by line, for what the parser cannot read -- */

static void merge_by_lines(struct merge_result *r, const struct mlines *b,
			   const struct mlines *o, const struct mlines *t)
{
	struct mregion *g = NULL;
	size_t n = merge3(b, o, t, &g);

	r->by_lines = 1;
	for (size_t i = 0; i < n; i++) {
		if (g[i].kind == MR_CONFLICT) {
			struct strbuf sb = STRBUF_INIT, so = STRBUF_INIT, st = STRBUF_INIT;
			char key[32];
			snprintf(key, sizeof(key), "line-%zu", g[i].b0 + 1);
			mlines_put(&sb, b, g[i].b0, g[i].b1, o->eol);
			mlines_put(&so, o, g[i].o0, g[i].o1, o->eol);
			mlines_put(&st, t, g[i].t0, g[i].t1, o->eol);
			mres_conflict(r, key, &so, &sb, &st);
			sb_release(&sb);
			sb_release(&so);
			sb_release(&st);
		} else if (g[i].kind == MR_THEIRS) {
			mlines_put(mres_text(r), t, g[i].t0, g[i].t1, o->eol);
		} else {
			mlines_put(mres_text(r), o, g[i].o0, g[i].o1, o->eol);
		}
	}
	free(g);
}

int merge_record(const char *base, size_t blen, const char *ours, size_t olen,
		 const char *theirs, size_t tlen, struct merge_result *r)
{
	struct rdoc b, o, t;
	int pb, po, pt;

	if (merge_trivial(base, blen, ours, olen, theirs, tlen, r))
		return 0;
	memset(r, 0, sizeof(*r));
	pb = rdoc_parse(&b, base, blen);
	po = rdoc_parse(&o, ours, olen);
	pt = rdoc_parse(&t, theirs, tlen);
	r->eol = o.ls.n ? o.ls.eol : t.ls.eol;
	if (!blen && olen && tlen) {
		/* both made the file: two records under one name, not one */
		struct strbuf sb = STRBUF_INIT, so = STRBUF_INIT, st = STRBUF_INIT;
		sb_add(&so, ours, olen);
		sb_add(&st, theirs, tlen);
		mres_conflict(r, "*", &so, &sb, &st);
		sb_release(&so);
		sb_release(&st);
	} else if (pb < 0 || po < 0 || pt < 0) {
		merge_by_lines(r, &b.ls, &o.ls, &t.ls);
	} else {
		merge_units(r, &b, &o, &t);
	}
	rdoc_release(&b);
	rdoc_release(&o);
	rdoc_release(&t);
	return r->conflicts;
}

int merge_record_field_differs(const char *a, size_t alen, const char *b, size_t blen,
			       const char *key)
{
	struct rdoc x, y;
	const struct unit *ux = NULL, *uy = NULL;
	int ret = 1;

	if (rdoc_parse(&x, a, alen) == 0 && rdoc_parse(&y, b, blen) == 0) {
		/* only fields have keys: the head and tail units have none */
		for (size_t i = 0; i < x.n && !ux; i++)
			if (x.u[i].key && (!strcmp(shown_key(&x.u[i], x.sections), key) ||
					   !strcmp(x.u[i].key, key)))
				ux = &x.u[i];
		for (size_t i = 0; i < y.n && !uy; i++)
			if (y.u[i].key && (!strcmp(shown_key(&y.u[i], y.sections), key) ||
					   !strcmp(y.u[i].key, key)))
				uy = &y.u[i];
		if (!ux && !uy)
			ret = 0;
		else if (ux && uy) {
			struct side sx = { &x, ux }, sy = { &y, uy };
			ret = !same_own(&sx, &sy);
		}
	}
	rdoc_release(&x);
	rdoc_release(&y);
	return ret;
}
