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
void cache_put_record(struct cbuf *b, const struct record *r, const struct diag_batch *d)
{
	cput_u8(b, (unsigned)r->kind);
	cput_u8(b, (unsigned)((r->bad ? 1 : 0) | (r->stub ? 2 : 0)));
	cput_u32(b, (uint32_t)r->line);
	cput_u32(b, (uint32_t)r->nvals);
	for (int k = 0; k < r->nvals; k++) {
		const struct rval *v = &r->vals[k];
		cput_u8(b, v->field);
		cput_u32(b, (uint32_t)v->line);
		cput_u32(b, v->col);
		cput_u8(b, v->multi);
		if (v->multi) {
			const int *count = (const int *)(const void *)v->value - 1;
			const int *pos = count - 2 * *count;
			cput_u32(b, (uint32_t)*count);
			for (int i = 0; i < 2 * *count; i++)
				cput_u32(b, (uint32_t)pos[i]);
		}
		cput_str(b, v->value, strlen(v->value));
	}
	cache_put_diags(b, d, 0);
}

/*
 * A record from its body, which stays where it is (the cache file is kept
 * as long as the book, cache_hold()): a value of one line is not copied,
 * the body holds it NUL-terminated; the lines of a multi-line one are
 * laid out as record.c lays them, in `strings`.  Each value's fixed part
 * is checked for room once, not field by field.
 */
int cache_get_record(const struct book *b, const unsigned char *body, size_t len,
		     const char *path, struct arena *strings, struct record *out)
{
	const unsigned char *p = body, *end = body + len;
	const char *base = strrchr(path, '/');
	unsigned kind, flags;
	uint32_t nvals;
	int line;
	const struct format *fmt;
	size_t n;

	if (len < 10)
		return -1;
	kind = p[0];
	flags = p[1];
	line = (int)le32(p + 2);
	nvals = le32(p + 6);
	p += 10;
	/* each value takes at least 15 bytes */
	if (kind >= K__N || nvals > 256 || nvals > (size_t)(end - p) / 15)
		return -1;
	fmt = &b->fmts.kinds[kind];
	memset(out, 0, sizeof(*out));
	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && !memcmp(base + n - 4, ".ini", 4))
		n -= 4;
	out->kind = (short)kind;
	out->bad = flags & 1;
	out->stub = (flags >> 1) & 1;
	out->line = line;
	out->vals = arena_alloc_align(strings, sizeof(*out->vals) * (nvals ? nvals : 1), 8);
	for (uint32_t k = 0; k < nvals; k++) {
		struct rval *v = &out->vals[k];
		unsigned field, multi;
		uint32_t col, sn;

		/* field, line, column, multi; then a count and the lines' places
		 * (multi), the text's length, its bytes and a NUL */
		if (end - p < 10 + 4 + 1)
			return -1;
		field = p[0];
		col = le32(p + 5);
		multi = p[9];
		if ((int)field >= fmt->nfields || col > 65535 || multi > 1 ||
		    (k && field <= out->vals[k - 1].field))
			return -1;
		v->field = (unsigned char)field;
		v->line = (int)le32(p + 1);
		v->col = (unsigned short)col;
		v->multi = (unsigned char)multi;
		p += 10;
		if (multi) {
			uint32_t count = le32(p);
			int *block;
			const unsigned char *text;

			p += 4;
			if (count < 2 || count > (size_t)(end - p) / 8)
				return -1;
			text = p + 8 * (size_t)count;
			if (end - text < 5)
				return -1;
			sn = le32(text);
			text += 4;
			if (sn >= (size_t)(end - text) || text[sn] || memchr(text, '\0', sn))
				return -1;
			/* [line, col] per line, the count, then the text (record.c) */
			block = arena_alloc_align(strings, sizeof(int) * (2 * (size_t)count + 1) + sn + 1, 4);
			for (uint32_t i = 0; i < 2 * count; i++)
				block[i] = (int)le32(p + 4 * (size_t)i);
			block[2 * count] = (int)count;
			memcpy(block + 2 * count + 1, text, (size_t)sn + 1);
			v->value = (const char *)(block + 2 * count + 1);
			p = text + sn + 1;
		} else {
			sn = le32(p);
			p += 4;
			/* a NUL inside could only make the value shorter, as a
			 * shorter value in a damaged cache would: not looked for */
			if (sn >= (size_t)(end - p) || p[sn])
				return -1;
			v->value = (const char *)p;
			p += (size_t)sn + 1;
		}
		out->nvals = (int)k + 1;
	}
	{
		struct creader r = { p, end, 0 };
		if (cache_give_diags(&r) < 0 || r.p != r.end)
			return -1;
	}
	out->path = arena_strdup(strings, path);
	out->id = arena_strndup(strings, base, n);
	return 0;
}

