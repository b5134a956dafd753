/* cache_body.c -- the parse cache's bodies (cache.h): numbers and
 * strings put and got, bounds-checked, diagnostics, and a record's
 * body; the file they are kept in is cache.c's, whose CACHE_LAYOUT a change
 * of what is put here bumps. */
#include "cache.h"

#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "diag.h"

#define le32 cle32

/* -- bodies */
void cput_u8(struct cbuf *b, unsigned v)
{
	sb_addch(&b->sb, (int)(v & 0xFF));
}

void cput_u32(struct cbuf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8),
			       (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
	sb_add(&b->sb, (const char *)x, 4);
}

void cput_u64(struct cbuf *b, uint64_t v)
{
	cput_u32(b, (uint32_t)v);
	cput_u32(b, (uint32_t)(v >> 32));
}

void cput_str(struct cbuf *b, const char *s, size_t n)
{
	if (!s) {
		cput_u32(b, 0xFFFFFFFFu);
		return;
	}
	cput_u32(b, (uint32_t)n);
	sb_add(&b->sb, s, n);
	sb_addch(&b->sb, '\0');	/* so that a reader can point at it */
}

unsigned cget_u8(struct creader *r)
{
	if (r->bad || r->end - r->p < 1) {
		r->bad = 1;
		return 0;
	}
	return *r->p++;
}

uint32_t cget_u32(struct creader *r)
{
	uint32_t v;

	if (r->bad || r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	    (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}

uint64_t cget_u64(struct creader *r)
{
	uint64_t lo = cget_u32(r);

	return lo | (uint64_t)cget_u32(r) << 32;
}

/* a string in the body, not copied (NUL-terminated there): NULL for
 * NULL, or bad (too long, a NUL inside, none after) */
static const char *peek_str(struct creader *r, size_t *len)
{
	uint32_t n = cget_u32(r);
	const char *s;

	*len = 0;
	if (r->bad || n == 0xFFFFFFFFu)
		return NULL;
	if ((size_t)(r->end - r->p) <= n) {
		r->bad = 1;
		return NULL;
	}
	s = (const char *)r->p;
	if (s[n] != '\0' || (n && memchr(s, '\0', n))) {
		r->bad = 1;
		return NULL;
	}
	r->p += (size_t)n + 1;
	*len = n;
	return s;
}

const char *cpeek_str(struct creader *r, size_t *len)
{
	size_t n;
	const char *s = peek_str(r, &n);

	if (len)
		*len = n;
	return s;
}

const char *cget_str(struct creader *r, struct arena *a, size_t *len)
{
	size_t n;
	const char *s = peek_str(r, &n);

	if (len)
		*len = n;
	return s ? arena_strndup(a, s, n) : NULL;
}

void cache_put_diags(struct cbuf *b, const struct diag_batch *d, size_t from)
{
	size_t n = diag_batch_size(d);

	cput_u32(b, (uint32_t)(n > from ? n - from : 0));
	for (size_t i = from; i < n; i++) {
		struct diag_item it;
		diag_batch_get(d, i, &it);
		cput_u8(b, it.level);
		cput_u32(b, (uint32_t)it.line);
		cput_u32(b, (uint32_t)it.col);
		cput_str(b, it.path, strlen(it.path));
		cput_str(b, it.rule, it.rule ? strlen(it.rule) : 0);
		cput_str(b, it.msg, strlen(it.msg));
	}
}

int cache_give_diags(struct creader *r)
{
	uint32_t n = cget_u32(r);
	struct creader check = *r;

	if (r->bad || n > (uint32_t)(r->end - r->p))
		return -1;
	/* all of them decoded before the first is given */
	for (uint32_t i = 0; i < n; i++) {
		size_t len;
		unsigned level = cget_u8(&check);
		cget_u32(&check);
		cget_u32(&check);
		if (!peek_str(&check, &len))
			check.bad = 1;
		peek_str(&check, &len);
		if (!peek_str(&check, &len))
			check.bad = 1;
		if (level < DIAG_WARNING || level > DIAG_SYSTEM)
			check.bad = 1;
		if (check.bad)
			return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		size_t pn, rn, mn;
		unsigned level = cget_u8(r);
		int line = (int)cget_u32(r), col = (int)cget_u32(r);
		const char *path = peek_str(r, &pn), *rule = peek_str(r, &rn), *msg = peek_str(r, &mn);

		diag_at((enum diag_level)level, path, line, col, rule, "%s", msg);
	}
	return 0;
}

/* -- records */

/*
 * A record's body: its kind, flags (bad 1, stub 2), a zero byte pair,
 * its line, the number of values and the length of the strings (little-
 * endian u32s), 16 bytes; then its rvals exactly as record.h lays them
 * (native: little-endian, as every machine ae is built for), each one's
 * offset leading into the strings; then the strings: the record's path
 * and id, each value's text (a multi-line one after its lines' places
 * and their count, ints at a multiple of 4, as record.c lays them), each
 * NUL-terminated; then the diagnostics.  The body is at a multiple of 8
 * in the file (cache.c), so that the rvals are used where they lie.
 */
#define REC_HEAD 16
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "the parse cache holds rvals as the machine does: little-endian");
_Static_assert(sizeof(struct rval) == 16 && REC_HEAD % 8 == 0 && _Alignof(struct rval) <= 8,
	       "the rvals of a body at a multiple of 8 are aligned");

void cache_put_record(struct cbuf *b, const struct record *r, const struct diag_batch *d)
{
	struct strbuf strs = STRBUF_INIT;
	size_t base = b->sb.len;

	cput_u8(b, (unsigned)r->kind);
	cput_u8(b, (unsigned)((r->bad ? 1 : 0) | (r->stub ? 2 : 0)));
	cput_u8(b, 0);
	cput_u8(b, 0);
	cput_u32(b, (uint32_t)r->line);
	cput_u32(b, (uint32_t)r->nvals);
	cput_u32(b, 0);		/* the strings' length, known below */
	sb_add(&strs, r->path, strlen(r->path) + 1);
	sb_add(&strs, r->id, strlen(r->id) + 1);
	for (int k = 0; k < r->nvals; k++) {
		const struct rval *v = &r->vals[k];
		const char *text = rval_text(v);
		struct rval out = *v;	/* its off made anew below */

		if (v->flags & RVAL_MULTI) {
			const int *count = (const int *)(const void *)text - 1;
			const int *pos = count - 2 * *count;
			while (strs.len & 3)
				sb_addch(&strs, 0);
			sb_add(&strs, (const char *)pos, sizeof(int) * (2 * (size_t)*count + 1));
		}
		/* from this rval's place in the body to its text's */
		out.off = (int64_t)(sizeof(struct rval) * (size_t)(r->nvals - k) + strs.len);
		sb_add(&strs, text, strlen(text) + 1);
		sb_add(&b->sb, (const char *)&out, sizeof(out));
	}
	{
		unsigned char x[4] = { (unsigned char)strs.len, (unsigned char)(strs.len >> 8),
				       (unsigned char)(strs.len >> 16), (unsigned char)(strs.len >> 24) };
		memcpy(b->sb.buf + base + REC_HEAD - 4, x, 4);
	}
	sb_add(&b->sb, strs.buf, strs.len);
	sb_release(&strs);
	cache_put_diags(b, d, 0);
}

/*
 * A record from its body, used where it lies (the cache file is kept as
 * long as the book, cache_close_hold()): its rvals, path, id and values
 * are the body's, nothing is copied, nothing allocated.  Each rval is
 * checked in place: its field known and after the one before, no flag
 * but RVAL_MULTI and RVAL_PLAIN, its text inside the strings (whose last byte is a NUL, so every
 * text ends inside them); a multi-line one's text at a multiple of 4,
 * after its count (2 or more) and its lines' places, all inside the
 * strings.  A NUL inside a value could only make it shorter, as a
 * shorter value in a damaged cache would: not looked for.
 */
int cache_get_record(const struct book *b, const unsigned char *body, size_t len,
		     const char *path, struct arena *strings, struct record *out)
{
	const char *base = strrchr(path, '/');
	const struct rval *vals;
	const char *strs;
	unsigned kind, flags;
	uint32_t nvals, slen;
	int prev = -1;
	size_t n, pn = strlen(path);

	(void)strings;
	if (len < REC_HEAD || ((uintptr_t)body & 7))
		return -1;
	kind = body[0];
	flags = body[1];
	nvals = le32(body + 8);
	slen = le32(body + 12);
	if (kind >= K__N || flags > 3 || nvals > 256 ||
	    len - REC_HEAD < sizeof(struct rval) * (size_t)nvals ||
	    slen > len - REC_HEAD - sizeof(struct rval) * (size_t)nvals)
		return -1;
	vals = (const struct rval *)(const void *)(body + REC_HEAD);
	strs = (const char *)(vals + nvals);
	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && !memcmp(base + n - 4, ".ini", 4))
		n -= 4;
	/* the path and the id, then the values' texts; the last byte a NUL */
	if (slen < pn + 1 + n + 1 || strs[slen - 1] || memcmp(strs, path, pn + 1) ||
	    memcmp(strs + pn + 1, base, n) || strs[pn + 1 + n])
		return -1;
	/* to: from rval k to the strings; a text before them or past them
	 * is a huge t (unsigned); fields increasing, so the last one known
	 * means all are */
	for (uint64_t k = 0, to = sizeof(struct rval) * (uint64_t)nvals; k < nvals;
	     k++, to -= sizeof(struct rval)) {
		const struct rval *v = &vals[k];
		uint64_t t = (uint64_t)v->off - to;	/* the text's place in the strings */

		if ((int)v->field <= prev || t >= slen || v->flags > (RVAL_MULTI | RVAL_PLAIN))
			return -1;
		prev = v->field;
		if (v->flags & RVAL_MULTI) {
			int count;
			if ((t & 3) || t < 4)
				return -1;
			memcpy(&count, strs + t - 4, sizeof(count));
			if (count < 2 || (uint64_t)count > (t - 4) / 8)
				return -1;
		}
	}
	if (prev >= b->fmts.kinds[kind].nfields)
		return -1;
	{
		struct creader r = { (const unsigned char *)strs + slen, body + len, 0 };
		if (cache_give_diags(&r) < 0 || r.p != r.end)
			return -1;
	}
	memset(out, 0, sizeof(*out));
	out->kind = (short)kind;
	out->bad = flags & 1;
	out->stub = (flags >> 1) & 1;
	out->line = (int)le32(body + 4);
	out->vals = vals;
	out->nvals = (int)nvals;
	out->path = strs;
	out->id = strs + pn + 1;
	out->id_hash = hash_str(out->id, strlen(out->id));	/* its bytes at hand (book.c index_kind()) */
	return 0;
}
