/* merge_journal.c -- see merge_journal.h */
#include "merge_journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_lines.h"
#include "strmap.h"

enum { KEPT = -1, DELETED = -2 };

/* A line added by one side, before base line `anchor`. */
struct added {
	size_t anchor, line;
};

struct sidefate {
	const struct mlines *ls;
	long *fate;		/* per base line: KEPT, DELETED or the side's line */
	struct added *add;
	size_t nadd, alloc;
};

static int blank(int c)
{
	return c == ' ' || c == '\t';
}

/* The first `words` words of l: [0, *n). 0 when l has fewer. */
static int words(const struct mline *l, int want, size_t *n)
{
	size_t p = 0;
	int w = 0;

	while (w < want) {
		while (p < l->len && blank((unsigned char)l->s[p]))
			p++;
		if (p >= l->len || l->s[p] == '#')
			return 0;
		while (p < l->len && !blank((unsigned char)l->s[p]))
			p++;
		w++;
	}
	*n = p;
	return 1;
}

/* The activity of a line (date, time, staff, verb) as a key (owned), or NULL. */
static char *activity(const struct mline *l)
{
	size_t n;

	if (!words(l, 4, &n) || memchr(l->s, '\0', n))
		return NULL;
	return xstrndup(l->s, n);
}

/*
 * Pair the base lines of hunk h with the side's lines of the same
 * activity, in order: a map from activity to the side's lines not yet
 * taken, so that a hunk of any size costs its length.
 */
static void pair_by_activity(const struct mlines *base, struct sidefate *sf, const struct mhunk *h,
			     unsigned char *used)
{
	struct strmap next = { 0 };	/* activity -> 1 + index of its first unused side line */
	struct strlist keys = { 0 };
	size_t ns = h->s1 - h->s0;
	size_t *chain = xmalloc(sizeof(size_t) * (ns + 1));	/* 1 + next line of the same activity */

	for (size_t j = ns; j-- > 0;) {
		char *k = activity(&sf->ls->v[h->s0 + j]);
		if (!k)
			continue;
		chain[j] = (size_t)strmap_get(&next, k);
		if (strmap_put(&next, k, (void *)(j + 1)))
			free(k);
		else
			strlist_add_owned(&keys, k);
	}
	for (size_t i = h->b0; i < h->b1; i++) {
		char *k = activity(&base->v[i]);
		size_t j;
		if (!k)
			continue;
		j = (size_t)strmap_get(&next, k);
		if (j) {
			j--;
			strmap_put(&next, k, (void *)chain[j]);
			used[j] = 1;
			/* paired with its own text: a hunk too big to diff finely */
			sf->fate[i] = mline_eq(&base->v[i], &sf->ls->v[h->s0 + j]) ? KEPT :
				      (long)(h->s0 + j);
		}
		free(k);
	}
	free(chain);
	strmap_release(&next);
	strlist_release(&keys);
}

/* What the hunks of one side did to each base line, and what it added. */
static void read_side(const struct mlines *base, struct sidefate *sf)
{
	struct mhunk *h = NULL;
	size_t nh = mdiff(base, sf->ls, &h);

	sf->fate = xmalloc(sizeof(long) * (base->n + 1));
	for (size_t i = 0; i < base->n; i++)
		sf->fate[i] = KEPT;
	for (size_t k = 0; k < nh; k++) {
		size_t nb = h[k].b1 - h[k].b0, ns = h[k].s1 - h[k].s0, lb = 0, ls = 0;
		unsigned char *used = xcalloc(ns + 1, 1);
		long lone_b = -1, lone_s = -1;

		for (size_t i = 0; i < nb; i++)
			sf->fate[h[k].b0 + i] = DELETED;
		pair_by_activity(base, sf, &h[k], used);
		/* one line replaced by one line is that line changed */
		for (size_t i = 0; i < nb; i++)
			if (sf->fate[h[k].b0 + i] == DELETED) {
				lb++;
				lone_b = (long)i;
			}
		for (size_t j = 0; j < ns; j++)
			if (!used[j]) {
				ls++;
				lone_s = (long)j;
			}
		if (lb == 1 && ls == 1) {
			sf->fate[h[k].b0 + (size_t)lone_b] = (long)(h[k].s0 + (size_t)lone_s);
			used[lone_s] = 1;
		}
		for (size_t j = 0; j < ns; j++)
			if (!used[j]) {
				ALLOC_GROW(sf->add, sf->nadd + 1, sf->alloc);
				sf->add[sf->nadd].anchor = h[k].b0;
				sf->add[sf->nadd].line = h[k].s0 + j;
				sf->nadd++;
			}
		free(used);
	}
	free(h);
}

/* The date and time of a line, for ordering; NULL when it has none. */
static const char *when(const struct mline *l, size_t *n)
{
	if (!words(l, 2, n))
		return NULL;
	return l->s;
}

/* A run of added lines: a line with its time and the lines without one
 * that follow it. */
struct group {
	const struct mlines *ls;
	size_t from, to;	/* indices into the side's added lines */
	const char *t;
	size_t tn;
};

static size_t groups(const struct sidefate *sf, size_t from, size_t to, struct group **out)
{
	struct group *g = NULL;
	size_t n = 0, alloc = 0;

	for (size_t i = from; i < to; i++) {
		const struct mline *l = &sf->ls->v[sf->add[i].line];
		size_t tn = 0;
		const char *t = when(l, &tn);
		if (n && !t) {
			g[n - 1].to = i + 1;
			continue;
		}
		ALLOC_GROW(g, n + 1, alloc);
		g[n].ls = sf->ls;
		g[n].from = i;
		g[n].to = i + 1;
		g[n].t = t;
		g[n].tn = tn;
		n++;
	}
	*out = g;
	return n;
}

static int cmp_time(const struct group *a, const struct group *b)
{
	size_t n = a->tn < b->tn ? a->tn : b->tn;
	int c;

	if (!a->t || !b->t)
		return a->t ? 1 : b->t ? -1 : 0;
	c = memcmp(a->t, b->t, n);
	return c ? c : (a->tn > b->tn) - (a->tn < b->tn);
}

struct dedupe {
	struct strmap seen;	/* ours' added lines -> count */
	struct strlist keys;
};

static void put_group(struct strbuf *out, const struct sidefate *sf, const struct group *g,
		      struct dedupe *dd, const char *eol)
{
	for (size_t i = g->from; i < g->to; i++) {
		const struct mline *l = &sf->ls->v[sf->add[i].line];
		if (dd && !memchr(l->s, '\0', l->len)) {
			char *k = xstrndup(l->s, l->len);
			size_t c = (size_t)strmap_get(&dd->seen, k);
			if (c)
				strmap_put(&dd->seen, k, (void *)(c - 1));
			free(k);
			if (c)
				continue;	/* ours added it too */
		}
		mline_put(out, l, eol);
	}
}

/* The lines both sides added before base line a, interleaved by time. */
static void put_added(struct strbuf *out, const struct sidefate *o, size_t *io,
		      const struct sidefate *t, size_t *it, size_t a, struct dedupe *dd,
		      const char *eol)
{
	size_t eo = *io, et = *it, ngo, ngt, i = 0, j = 0;
	struct group *go = NULL, *gt = NULL;

	while (eo < o->nadd && o->add[eo].anchor == a)
		eo++;
	while (et < t->nadd && t->add[et].anchor == a)
		et++;
	ngo = groups(o, *io, eo, &go);
	ngt = groups(t, *it, et, &gt);
	while (i < ngo || j < ngt) {
		if (j >= ngt || (i < ngo && cmp_time(&go[i], &gt[j]) <= 0))
			put_group(out, o, &go[i++], NULL, eol);
		else
			put_group(out, t, &gt[j++], dd, eol);
	}
	free(go);
	free(gt);
	*io = eo;
	*it = et;
}

static void line_conflict(struct merge_result *r, size_t a, const struct mlines *base,
			  const struct sidefate *o, const struct sidefate *t, const char *eol)
{
	struct strbuf sb = STRBUF_INIT, so = STRBUF_INIT, st = STRBUF_INIT;
	char key[32];

	snprintf(key, sizeof(key), "line-%zu", a + 1);
	mline_put(&sb, &base->v[a], eol);
	if (o->fate[a] >= 0)
		mline_put(&so, &o->ls->v[o->fate[a]], eol);
	if (t->fate[a] >= 0)
		mline_put(&st, &t->ls->v[t->fate[a]], eol);
	mres_conflict(r, key, &so, &sb, &st);
	sb_release(&sb);
	sb_release(&so);
	sb_release(&st);
}

int merge_journal(const char *base, size_t blen, const char *ours, size_t olen,
		  const char *theirs, size_t tlen, struct merge_result *r)
{
	struct mlines b, o, t;
	struct sidefate so, st;
	struct dedupe dd;
	size_t io = 0, it = 0;
	const char *eol;

	if (merge_trivial(base, blen, ours, olen, theirs, tlen, r))
		return 0;
	memset(r, 0, sizeof(*r));
	mlines_split(&b, base, blen);
	mlines_split(&o, ours, olen);
	mlines_split(&t, theirs, tlen);
	eol = r->eol = o.n ? o.eol : t.eol;
	memset(&so, 0, sizeof(so));
	memset(&st, 0, sizeof(st));
	memset(&dd, 0, sizeof(dd));
	so.ls = &o;
	st.ls = &t;
	read_side(&b, &so);
	read_side(&b, &st);
	for (size_t i = 0; i < so.nadd; i++) {
		const struct mline *l = &o.v[so.add[i].line];
		char *k;
		size_t c;
		if (memchr(l->s, '\0', l->len))
			continue;
		k = xstrndup(l->s, l->len);
		c = (size_t)strmap_get(&dd.seen, k);
		if (strmap_put(&dd.seen, k, (void *)(c + 1)))
			free(k);
		else
			strlist_add_owned(&dd.keys, k);
	}
	for (size_t a = 0; a <= b.n; a++) {
		long fo, ft;
		put_added(mres_text(r), &so, &io, &st, &it, a, &dd, eol);
		if (a == b.n)
			break;
		fo = so.fate[a];
		ft = st.fate[a];
		if (fo == DELETED || ft == DELETED) {
			if (fo >= 0 || ft >= 0)
				line_conflict(r, a, &b, &so, &st, eol);	/* changed and deleted */
		} else if (fo == KEPT && ft == KEPT) {
			mline_put(mres_text(r), &b.v[a], eol);
		} else if (ft == KEPT || (fo >= 0 && ft >= 0 && mline_eq(&o.v[fo], &t.v[ft]))) {
			mline_put(mres_text(r), &o.v[fo], eol);
		} else if (fo == KEPT) {
			mline_put(mres_text(r), &t.v[ft], eol);
		} else {
			line_conflict(r, a, &b, &so, &st, eol);
		}
	}
	free(so.fate);
	free(st.fate);
	free(so.add);
	free(st.add);
	strmap_release(&dd.seen);
	strlist_release(&dd.keys);
	mlines_release(&b);
	mlines_release(&o);
	mlines_release(&t);
	return r->conflicts;
}

int merge_journal_line_gone(const char *a, size_t alen, const char *b, size_t blen,
			    const char *line, size_t n)
{
	struct mlines x, y;
	long count = 0;

	mlines_split(&x, a, alen);
	mlines_split(&y, b, blen);
	for (size_t i = 0; i < x.n; i++)
		count += x.v[i].len == n && !memcmp(x.v[i].s, line, n);
	for (size_t i = 0; i < y.n; i++)
		count -= y.v[i].len == n && !memcmp(y.v[i].s, line, n);
	mlines_release(&x);
	mlines_release(&y);
	return count > 0;
}
