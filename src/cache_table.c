/* cache_table.c -- the parse cache's table of its entries (cache_int.h):
 * made as the file is written, read in place of a walk of the entries,
 * and the order of paths that its runs are found by */
#include "cache_int.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

int cache_path_order(unsigned ta, const char *a, size_t an, unsigned tb, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn, i = 0;

	if (ta != tb)
		return ta < tb ? -1 : 1;
	/* neighbours share most of their path ("jobs/2017/CB-1701-"):
	 * eight bytes at a time to the first that differs */
	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y) {
			i += (size_t)__builtin_ctzll(x ^ y) / 8;
			break;
		}
	}
	for (; i < n && a[i] == b[i]; i++)	/* the tail; none past a difference */
		;
	if (i == n)
		return an < bn ? -1 : an > bn;
	if (a[i] == '/' || b[i] == '/')
		return a[i] == '/' ? -1 : 1;
	return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
}

/* Where an entry's path starts after its length, its key read from the
 * entry at raw (room bytes): 0 if it does not fit. */
static size_t path_at(const unsigned char *raw, size_t room, int by_blob)
{
	size_t at = 4 + 1;

	if (by_blob) {
		if (room < at + 1)
			return 0;
		at += 1 + (size_t)raw[at];	/* the blob id's length and bytes */
	} else {
		at += 48;			/* the stat data */
	}
	return at + 4 <= room ? at + 4 : 0;
}

int cache_entry_row(const unsigned char *raw, size_t room, int by_blob, struct cache_row *row)
{
	size_t n, at, pn;
	const unsigned char *body;

	if (room < 4 + 1)
		return -1;
	n = cle32(raw);
	if (n > room - 4 || !(at = path_at(raw, 4 + n, by_blob)))
		return -1;
	pn = cle32(raw + at - 4);
	if (pn >= 4 + n - at)
		return -1;
	/* at a multiple of 8 from the entry's start, as the entry is in
	 * the file (not in memory: cache_keep()'s buffer) */
	body = raw + ((at + pn + 1 + 7) & ~(size_t)7) + ENTRY_SUMS;
	if (body > raw + 4 + n)
		return -1;
	row->raw = raw;
	row->path_at = (uint32_t)at;
	row->path_len = (uint32_t)pn;
	row->len = (uint32_t)(raw + 4 + n - body);
	row->type = raw[4];
	return 0;
}

size_t cache_table_runs(const struct cache_row *rows, size_t n, uint32_t *runs)
{
	size_t nruns = 0;

	for (size_t i = 0; i < n; i++) {
		if (i && cache_path_order(rows[i - 1].type, (const char *)rows[i - 1].raw + rows[i - 1].path_at,
					  rows[i - 1].path_len, rows[i].type,
					  (const char *)rows[i].raw + rows[i].path_at, rows[i].path_len) < 0)
			continue;
		if (nruns == CACHE_RUNS_MAX)
			return 0;	/* in no useful order */
		runs[nruns++] = (uint32_t)i;
	}
	return nruns;
}

size_t cache_table_size(size_t nrows, size_t nruns)
{
	return TABLE_HEAD + (4 * nruns + 7) / 8 * 8 + TABLE_ROW * nrows;
}

size_t cache_table_reserve(struct cbuf *payload, int by_blob, size_t body_len)
{
	size_t raw = payload->sb.len, len;

	cput_u32(payload, 0);	/* the length, put below */
	cput_u8(payload, CACHE_TABLE);
	if (by_blob) {
		cput_u8(payload, 1);	/* a blob id of one zero byte */
		cput_u8(payload, 0);
	} else {
		for (int i = 0; i < 48; i++)
			cput_u8(payload, 0);
	}
	cput_str(payload, "", 0);
	while (payload->sb.len % 8)
		sb_addch(&payload->sb, 0);	/* CE_BODY() */
	for (size_t i = 0; i < ENTRY_SUMS + body_len; i++)
		sb_addch(&payload->sb, 0);
	len = payload->sb.len - raw - 4;
	put32((unsigned char *)payload->sb.buf + raw, (uint32_t)len);
	return raw;
}

/* Where the body of the entry at raw starts (the entry checked or
 * made by ae: cache_entry_row() took it) */
static unsigned char *body_of(unsigned char *raw, int by_blob)
{
	size_t at = path_at(raw, 4 + cle32(raw), by_blob);

	return raw + ((at + cle32(raw + at - 4) + 1 + 7) & ~(size_t)7) + ENTRY_SUMS;
}

void cache_table_fill(unsigned char *raw, int by_blob, const struct cache_row *rows,
		      const uint64_t *offs, size_t nrows, const uint32_t *runs, size_t nruns)
{
	unsigned char *body = body_of(raw, by_blob), *p = body;
	size_t len = (size_t)(raw + 4 + cle32(raw) - body);

	put64(p, nrows);
	put64(p + 8, nruns);
	p += TABLE_HEAD;
	for (size_t i = 0; i < nruns; i++, p += 4)
		put32(p, runs[i]);
	p = body + cache_table_size(0, nruns);
	for (size_t i = 0; i < nrows; i++, p += TABLE_ROW) {
		put64(p, offs[i]);
		put32(p + 8, rows[i].path_at);
		put32(p + 12, rows[i].path_len);
		put32(p + 16, rows[i].len);
		put32(p + 20, rows[i].type);
	}
	cache_entry_seal(raw, body, len, 0);
}

int cache_table_read(struct cache *c, const unsigned char *file, size_t pend, uint64_t count)
{
	struct cache_row t;
	const unsigned char *body, *q;
	size_t nrows, nruns, prev;

	/* the table: the first entry, its checksum right */
	if (cache_entry_row(file + CACHE_HEADER_BYTES, pend - CACHE_HEADER_BYTES, c->by_blob, &t) < 0 ||
	    t.type != CACHE_TABLE || t.path_len || t.len < TABLE_HEAD)
		return -1;
	body = t.raw + 4 + cle32(t.raw) - t.len;
	if (cle32(body - 8) || cle32(body - 4) ||
	    cle64(body - ENTRY_SUMS) != cache_entry_head_sum(t.raw, body, t.len, 0))
		return -1;
	nrows = cle64(body);
	nruns = cle64(body + 8);
	if (nrows != count || nruns > CACHE_RUNS_MAX || nrows > t.len / TABLE_ROW ||
	    cache_table_size(nrows, nruns) > t.len)
		return -1;
	c->v = xmalloc((nrows + 1) * sizeof(*c->v));
	mem_prefer_huge(c->v, (nrows + 1) * sizeof(*c->v));
	/* each row within the payload, after the one before it; what it
	 * points at is checked where it is used */
	prev = (size_t)(body + t.len - file);
	q = body + cache_table_size(0, nruns);
	for (size_t i = 0; i < nrows; i++, q += TABLE_ROW) {
		uint64_t off = cle64(q);
		uint32_t at = cle32(q + 8), pn = cle32(q + 12), len = cle32(q + 16), type = cle32(q + 20);
		size_t path, bodyoff;
		struct centry *e;

		if (off % 8 || off < ((prev + 7) & ~(size_t)7) || off > pend ||
		    (c->by_blob ? at < 4 + 1 + 2 + 4 || at > 4 + 1 + 1 + 32 + 4 : at != 4 + 1 + 48 + 4))
			return -1;
		path = (size_t)off + at;
		if (path > pend || pn >= pend - path)
			return -1;
		bodyoff = ((path + pn + 1 + 7) & ~(size_t)7) + ENTRY_SUMS;
		if (bodyoff > pend || len > pend - bodyoff)
			return -1;
		prev = bodyoff + len;
		if (type == CACHE_IMAGE && i + 1 == nrows && !c->by_blob && !pn) {
			/* the journal's image: kept apart from the entries */
			c->image_raw = file + off;
			c->image_body = file + bodyoff;
			c->image_len = len;
			continue;
		}
		if (type != CACHE_RECORD && type != CACHE_JOURNAL)
			return -1;
		e = &c->v[c->n++];
		e->raw = file + off;
		e->path = (const char *)file + path;
		e->path_len = pn;
		e->len = len;
	}
	if (prev != pend && ((prev + 7) & ~(size_t)7) != pend)
		return -1;
	/* the runs in path order: else found when first needed
	 * (build_lookup()) */
	q = body + TABLE_HEAD;
	for (size_t k = 0; k < nruns; k++)
		if (cle32(q + 4 * k) >= c->n || (k ? cle32(q + 4 * k) <= cle32(q + 4 * (k - 1)) :
						 cle32(q) != 0))
			nruns = 0;
	if (nruns) {
		c->runs = xmalloc((nruns + 1) * sizeof(*c->runs));
		for (size_t k = 0; k < nruns; k++)
			c->runs[k] = cle32(q + 4 * k);
		c->runs[nruns] = c->n;
		c->nruns = nruns;
		atomic_store_explicit(&c->built, 1, memory_order_release);
	}
	return 0;
}
