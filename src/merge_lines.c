/* merge_lines.c -- see merge_lines.h */
#include "merge_lines.h"

#include <stdlib.h>
#include <string.h>

/* Past this many differences the middle of a diff is one hunk: the
 * search costs the square of it in memory. */
#define MDIFF_MAX_D 2000

void mlines_split(struct mlines *ls, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t crlf = 0, lf = 0;

	memset(ls, 0, sizeof(*ls));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct mline *l;

		ALLOC_GROW(ls->v, ls->n + 1, ls->alloc);
		l = &ls->v[ls->n++];
		l->s = p;
		if (nl) {
			l->len = (size_t)(nl - p);
			l->eol = 1;
			if (l->len && p[l->len - 1] == '\r') {
				l->len--;
				l->eol = 2;
				crlf++;
			} else {
				lf++;
			}
			p = nl + 1;
		} else {
			l->len = (size_t)(end - p);
			l->eol = 0;
			p = end;
		}
		l->hash = hash_str(l->s, l->len);
	}
	ls->eol = crlf > lf ? "\r\n" : "\n";
}

void mlines_release(struct mlines *ls)
{
	free(ls->v);
	memset(ls, 0, sizeof(*ls));
}

int mline_eq(const struct mline *a, const struct mline *b)
{
	return a->hash == b->hash && a->len == b->len && !memcmp(a->s, b->s, a->len);
}

int mlines_eq(const struct mlines *a, size_t a0, size_t a1,
	      const struct mlines *b, size_t b0, size_t b1)
{
	if (a1 - a0 != b1 - b0)
		return 0;
	for (size_t i = 0; i < a1 - a0; i++)
		if (!mline_eq(&a->v[a0 + i], &b->v[b0 + i]))
			return 0;
	return 1;
}

void mline_put(struct strbuf *out, const struct mline *l, const char *eol)
{
	if (out->len && out->buf[out->len - 1] != '\n')
		sb_addstr(out, eol);
	sb_add(out, l->s, l->len + l->eol);
}

void mlines_put(struct strbuf *out, const struct mlines *a, size_t a0, size_t a1,
		const char *eol)
{
	for (size_t i = a0; i < a1; i++)
		mline_put(out, &a->v[i], eol);
}

/*
 * Myers' O(ND) search for a shortest edit script between a[0..n) and
 * b[0..m), marking the lines of the longest common subsequence found.
 * Returns 0, or -1 when more than MDIFF_MAX_D differences were met (then
 * nothing is marked).
 */
static int myers(const struct mline *a, size_t n, const struct mline *b, size_t m,
		 unsigned char *ma, unsigned char *mb)
{
	long N = (long)n, M = (long)m, D = -1;
	long **trace = xcalloc(MDIFF_MAX_D + 1, sizeof(*trace));
	int ret = -1;

	for (long d = 0; d <= MDIFF_MAX_D && d <= N + M; d++) {
		long *v = xmalloc(sizeof(long) * (size_t)(2 * d + 1));
		long *pv = d ? trace[d - 1] : NULL;	/* index k + (d - 1) */

		trace[d] = v;
		for (long k = -d; k <= d; k += 2) {
			long x, y;
			if (d == 0)
				x = 0;
			else if (k == -d || (k != d && pv[k - 1 + d - 1] < pv[k + 1 + d - 1]))
				x = pv[k + 1 + d - 1];
			else
				x = pv[k - 1 + d - 1] + 1;
			y = x - k;
			while (x < N && y < M && mline_eq(&a[x], &b[y]))
				x++, y++;
			v[k + d] = x;
			if (x >= N && y >= M) {
				D = d;
				break;
			}
		}
		if (D >= 0)
			break;
	}
	if (D < 0)
		goto out;
	/* back from the end, marking each snake's lines as matched */
	{
		long x = N, y = M;
		for (long d = D; d > 0; d--) {
			long *pv = trace[d - 1];
			long k = x - y;
			long pk = (k == -d || (k != d && pv[k - 1 + d - 1] < pv[k + 1 + d - 1])) ?
				  k + 1 : k - 1;
			long px = pv[pk + d - 1];
			/* the one edit (down keeps x, right adds one), then the snake */
			long sx = pk == k + 1 ? px : px + 1, sy = sx - k;

			while (x > sx && y > sy) {
				x--, y--;
				ma[x] = mb[y] = 1;
			}
			x = px;
			y = px - pk;
		}
		while (x > 0 && y > 0) {
			x--, y--;
			ma[x] = mb[y] = 1;
		}
	}
	ret = 0;
out:
	for (long d = 0; d <= MDIFF_MAX_D && trace[d]; d++)
		free(trace[d]);
	free(trace);
	return ret;
}

size_t mdiff(const struct mlines *base, const struct mlines *side, struct mhunk **out)
{
	size_t pre = 0, suf = 0, nb = base->n, ns = side->n, n = 0, alloc = 0;
	unsigned char *mb, *ms;
	struct mhunk *h = NULL;

	while (pre < nb && pre < ns && mline_eq(&base->v[pre], &side->v[pre]))
		pre++;
	while (suf < nb - pre && suf < ns - pre &&
	       mline_eq(&base->v[nb - 1 - suf], &side->v[ns - 1 - suf]))
		suf++;
	mb = xcalloc(nb + 1, 1);
	ms = xcalloc(ns + 1, 1);
	for (size_t i = 0; i < pre; i++)
		mb[i] = ms[i] = 1;
	for (size_t i = 0; i < suf; i++)
		mb[nb - 1 - i] = ms[ns - 1 - i] = 1;
	/* a middle empty on one side is one hunk as it is: no search, which
	 * would take (N+M)^2 steps to find it (a new journal file's lines,
	 * docs/PERFORMANCE.md) */
	if (nb - pre - suf && ns - pre - suf &&
	    myers(base->v + pre, nb - pre - suf, side->v + pre, ns - pre - suf,
		  mb + pre, ms + pre) < 0) {
		memset(mb + pre, 0, nb - pre - suf);
		memset(ms + pre, 0, ns - pre - suf);
	}
	for (size_t i = 0, j = 0; i < nb || j < ns;) {
		size_t i0 = i, j0 = j;
		if (i < nb && j < ns && mb[i] && ms[j]) {
			i++, j++;
			continue;
		}
		while (i < nb && !mb[i])
			i++;
		while (j < ns && !ms[j])
			j++;
		ALLOC_GROW(h, n + 1, alloc);
		h[n].b0 = i0;
		h[n].b1 = i;
		h[n].s0 = j0;
		h[n].s1 = j;
		n++;
	}
	free(mb);
	free(ms);
	*out = h;
	return n;
}

/* Whether hunk [h0, h1) of base meets the region [r0, r1): overlapping
 * lines, an insertion at the same place, or one inserting inside the
 * other's lines. */
static int meets(size_t h0, size_t h1, size_t r0, size_t r1)
{
	if (h0 < r1 && r0 < h1)
		return 1;
	if (h0 == h1 && r0 == r1)
		return h0 == r0;
	if (h0 == h1)
		return r0 < h0 && h0 < r1;
	if (r0 == r1)
		return h0 < r0 && r0 < h1;
	return 0;
}

/* Which hunk comes first: the lower base line; at the same line an
 * insertion, which goes before the lines the other hunk changes. */
static int before(const struct mhunk *a, const struct mhunk *b)
{
	if (a->b0 != b->b0)
		return a->b0 < b->b0;
	return a->b0 == a->b1 && b->b0 != b->b1;
}

static void add_region(struct mregion **r, size_t *n, size_t *alloc, enum mregion_kind kind,
		       size_t b0, size_t b1, size_t o0, size_t o1, size_t t0, size_t t1)
{
	struct mregion *g;

	ALLOC_GROW(*r, *n + 1, *alloc);
	g = &(*r)[(*n)++];
	g->kind = kind;
	g->b0 = b0;
	g->b1 = b1;
	g->o0 = o0;
	g->o1 = o1;
	g->t0 = t0;
	g->t1 = t1;
}

size_t merge3(const struct mlines *base, const struct mlines *ours,
	      const struct mlines *theirs, struct mregion **out)
{
	struct mhunk *ho = NULL, *ht = NULL;
	size_t nho = mdiff(base, ours, &ho), nht = mdiff(base, theirs, &ht);
	size_t io = 0, it = 0, pb = 0, n = 0, alloc = 0;
	long dout = 0, dth = 0;	/* side index minus base index, outside hunks */
	struct mregion *r = NULL;

	for (;;) {
		const struct mhunk *first;
		size_t r0, r1;
		long do0 = dout, dt0 = dth;
		int from_o = 0, from_t = 0;

		if (io >= nho && it >= nht)
			break;
		if (io < nho && (it >= nht || before(&ho[io], &ht[it]) ||
				 !before(&ht[it], &ho[io])))
			first = &ho[io];
		else
			first = &ht[it];
		r0 = first->b0;
		r1 = first->b1;
		/* grow the region while a hunk of either side meets it */
		for (;;) {
			int grew = 0;
			if (io < nho && (meets(ho[io].b0, ho[io].b1, r0, r1) || &ho[io] == first)) {
				if (ho[io].b1 > r1)
					r1 = ho[io].b1;
				if (ho[io].b0 < r0)
					r0 = ho[io].b0;
				dout += (long)(ho[io].s1 - ho[io].s0) - (long)(ho[io].b1 - ho[io].b0);
				io++;
				from_o = grew = 1;
			}
			if (it < nht && (meets(ht[it].b0, ht[it].b1, r0, r1) || &ht[it] == first)) {
				if (ht[it].b1 > r1)
					r1 = ht[it].b1;
				if (ht[it].b0 < r0)
					r0 = ht[it].b0;
				dth += (long)(ht[it].s1 - ht[it].s0) - (long)(ht[it].b1 - ht[it].b0);
				it++;
				from_t = grew = 1;
			}
			if (!grew)
				break;
		}
		if (r0 > pb)
			add_region(&r, &n, &alloc, MR_SAME, pb, r0, (size_t)((long)pb + do0),
				   (size_t)((long)r0 + do0), (size_t)((long)pb + dt0),
				   (size_t)((long)r0 + dt0));
		add_region(&r, &n, &alloc, from_o ? MR_OURS : MR_THEIRS, r0, r1,
			   (size_t)((long)r0 + do0), (size_t)((long)r1 + dout),
			   (size_t)((long)r0 + dt0), (size_t)((long)r1 + dth));
		if (from_o && from_t)
			r[n - 1].kind = mlines_eq(ours, r[n - 1].o0, r[n - 1].o1, theirs, r[n - 1].t0,
						  r[n - 1].t1) ? MR_BOTH : MR_CONFLICT;
		pb = r1;
	}
	if (pb < base->n || !n)
		add_region(&r, &n, &alloc, MR_SAME, pb, base->n, (size_t)((long)pb + dout), ours->n,
			   (size_t)((long)pb + dth), theirs->n);
	free(ho);
	free(ht);
	*out = r;
	return n;
}

void merge3_union(const struct mlines *base, const struct mlines *ours,
		  const struct mlines *theirs, const char *eol, struct strbuf *out)
{
	struct mregion *r = NULL;
	size_t n = merge3(base, ours, theirs, &r);

	for (size_t i = 0; i < n; i++) {
		switch (r[i].kind) {
		case MR_THEIRS:
			mlines_put(out, theirs, r[i].t0, r[i].t1, eol);
			break;
		case MR_CONFLICT:
			mlines_put(out, ours, r[i].o0, r[i].o1, eol);
			mlines_put(out, theirs, r[i].t0, r[i].t1, eol);
			break;
		default:
			mlines_put(out, ours, r[i].o0, r[i].o1, eol);
			break;
		}
	}
	free(r);
}

void mlines_added(const struct mlines *a, const struct mlines *z, struct strlist *out)
{
	size_t cap = 16, mask;
	size_t *slot;		/* index + 1 of a line of a; 0 empty */

	while (cap < a->n * 2)
		cap *= 2;
	mask = cap - 1;
	slot = xcalloc(cap, sizeof(*slot));
	for (size_t i = 0; i < a->n; i++) {
		size_t h = a->v[i].hash & mask;
		while (slot[h] && !mline_eq(&a->v[slot[h] - 1], &a->v[i]))
			h = (h + 1) & mask;
		if (!slot[h])
			slot[h] = i + 1;
	}
	for (size_t i = 0; i < z->n; i++) {
		size_t h = z->v[i].hash & mask;
		while (slot[h] && !mline_eq(&a->v[slot[h] - 1], &z->v[i]))
			h = (h + 1) & mask;
		if (!slot[h])
			strlist_add_owned(out, xstrndup(z->v[i].s, z->v[i].len));
	}
	free(slot);
}
