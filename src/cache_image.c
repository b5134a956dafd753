/* cache_image.c -- the journal's image in the parse cache (cache.h):
 * put after the payload when the cache is written, found, checked and
 * opened for writing past it when it is read; the file is cache.c's */
#include "cache_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define checksum cache_checksum

static void zeros(struct strbuf *sb, size_t n)
{
	sb_grow(sb, n);
	memset(sb->buf + sb->len, 0, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/*
 * A run that put no image (`ae check` keeps no entries) keeps the one it
 * read, as far as its months' bodies are kept as they were: the same
 * bytes, now at their places in the new file.
 */
static void carry_forward(struct cache *c)
{
	struct cache_image im;
	struct cache_image_month *m;
	size_t *kept_as, k, end = 0;

	if (cache_get_image(c, 0, &im) < 0)
		return;
	kept_as = xmalloc((c->n ? c->n : 1) * sizeof(*kept_as));
	for (size_t i = 0; i < c->n; i++)
		kept_as[i] = CACHE_NOT_KEPT;
	for (size_t i = 0; i < c->nkeep; i++)
		if (c->keep[i].old)
			kept_as[c->keep[i].old - 1] = i;
	m = xmalloc((im.nmonths ? im.nmonths : 1) * sizeof(*m));
	for (k = 0; k < im.nmonths; k++) {
		size_t at, n, lo = 0, hi = c->n, old = CACHE_NOT_KEPT;
		uint64_t sum;
		const unsigned char *body = cache_image_month(c, &im, k, &at, &n, &sum);

		/* the old entry of that body: entries are in file order */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (CE_BODY(&c->v[mid]) == body) {
				old = mid;
				break;
			}
			if (CE_BODY(&c->v[mid]) < body)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (old == CACHE_NOT_KEPT || CE_TYPE(&c->v[old]) != CACHE_JOURNAL ||
		    kept_as[old] == CACHE_NOT_KEPT)
			break;
		m[k] = (struct cache_image_month){ .kept = kept_as[old], .at = at, .n = n, .sum = sum,
						   .summed = 1 };
		end = at + n;
	}
	c->put.months = m;
	c->put.n = k;
	c->put.digest = im.digest;
	c->put.entries = im.entries;
	c->put.esize = im.esize;
	c->put.total = end;
	free(kept_as);
}

/*
 * The journal's image entry put at the end of payload (the kept bodies'
 * places in the file already in keep[].off), padded so that its entries
 * after the payload end on an IMAGE_ALIGN boundary; the entries to write
 * after it, or NULL for no image.
 */
int cache_image_ready(struct cache *c)
{
	/* once: asked again by cache_image_put() */
	if (!c->put.n && !c->put.set && !c->by_blob && !c->put.carried) {
		carry_forward(c);
		c->put.carried = 1;
	}
	if (!c->put.n || c->by_blob || c->put.esize > 4096 || c->put.esize % 8)
		return 0;
	for (size_t i = 0; i < c->put.n; i++)
		if (c->put.months[i].kept >= c->nkeep)
			return 0;
	return 1;
}

const char *cache_image_put(struct cache *c, struct cbuf *payload)
{
	struct cbuf body = { STRBUF_INIT };
	uint32_t mark = IMAGE_MARK;
	size_t bytes, end;

	if (!cache_image_ready(c) || payload->sb.len % 8)
		return NULL;
	sb_add(&body.sb, (const char *)&mark, 4);
	cput_u32(&body, (uint32_t)c->put.esize);
	cput_u64(&body, c->put.digest);
	cput_u64(&body, c->put.n);
	cput_u64(&body, c->put.total);
	for (size_t i = 0; i < c->put.n; i++) {
		const struct cache_image_month *m = &c->put.months[i];
		if (m->kept >= c->nkeep) {
			sb_release(&body.sb);
			return NULL;
		}
		cput_u64(&body, c->keep[m->kept].off);
		cput_u64(&body, m->at);
		cput_u64(&body, m->n);
		/* an empty month of an empty array: no entries, perhaps no
		 * array (NULL) */
		cput_u64(&body, m->summed ? m->sum :
				checksum(c->put.digest, m->n ? (const char *)c->put.entries +
							      m->at * c->put.esize : "",
					 m->n * c->put.esize));
	}
	/* the entry (at a multiple of 8, as every one): its length, type, an
	 * empty key and path, zeros up to the next multiple of 8 (CE_BODY()),
	 * the body and the padding (its length, then that many zeros): the
	 * entries follow at a multiple of 32 */
	bytes = c->put.total * c->put.esize;
	end = CACHE_HEADER_BYTES + payload->sb.len + IMAGE_BODY + body.sb.len + 4;
	{
		size_t pad = (IMAGE_ALIGN - (end + bytes) % IMAGE_ALIGN) % IMAGE_ALIGN;
		size_t raw = payload->sb.len;
		cput_u32(payload, (uint32_t)(IMAGE_BODY - 4 + body.sb.len + 4 + pad));
		cput_u8(payload, CACHE_IMAGE);
		zeros(&payload->sb, 48);
		cput_str(payload, "", 0);
		zeros(&payload->sb, IMAGE_BODY - (4 + 1 + 48 + 5));	/* to 8, then the sums */
		sb_add(&payload->sb, body.sb.buf, body.sb.len);
		cput_u32(payload, (uint32_t)pad);
		zeros(&payload->sb, pad);
		cache_entry_seal((unsigned char *)payload->sb.buf + raw,
				 (unsigned char *)payload->sb.buf + raw + IMAGE_BODY,
				 body.sb.len + 4 + pad, 0);
	}
	sb_release(&body.sb);
	/* not NULL when put: an array with no entries may be NULL itself
	 * (the entry counted all the same: cache.c write_cache()) */
	return c->put.entries ? c->put.entries : "";
}

void cache_put_image(struct cache *c, uint64_t digest, const void *entries, size_t esize,
		     size_t total, const struct cache_image_month *months, size_t n)
{
	if (!c || !c->write || c->by_blob)
		return;
	free(c->put.months);
	c->put.months = xmalloc((n ? n : 1) * sizeof(*months));
	memcpy(c->put.months, months, n * sizeof(*months));
	c->put.n = n;
	c->put.set = 1;
	c->put.digest = digest;
	c->put.entries = entries;
	c->put.esize = esize;
	c->put.total = total;
}

void cache_dirty(struct cache *c)
{
	if (c)
		c->dirty = 1;
}

int cache_get_image(const struct cache *c, size_t esize, struct cache_image *im)
{
	const unsigned char *p = c ? c->image_body : NULL;
	uint32_t mark;
	uint64_t n, total, at = 0;

	memset(im, 0, sizeof(*im));
	/* its checksum: the entry is the payload's last (cache.c) */
	if (!p || cle32(p - 8) || cle32(p - 4) ||
	    cle64(p - ENTRY_SUMS) != cache_entry_head_sum(c->image_raw, p, c->image_len, 0))
		return -1;
	memcpy(&mark, p, 4);
	n = cle64(p + 16);
	total = cle64(p + 24);
	if (mark != IMAGE_MARK || !cle32(p + 4) || (esize && cle32(p + 4) != esize) ||
	    n > (c->image_len - IMAGE_HEAD) / IMAGE_MONTH ||
	    total * cle32(p + 4) != c->image_bytes)
		return -1;
	/* the months one after another from the first entry, within them */
	for (uint64_t k = 0; k < n; k++) {
		const unsigned char *m = p + IMAGE_HEAD + IMAGE_MONTH * k;
		uint64_t mat = cle64(m + 8), mn = cle64(m + 16);
		if (mat != at || mn > total - at)
			return -1;
		at += mn;
	}
	im->esize = cle32(p + 4);
	im->digest = cle64(p + 8);
	im->nmonths = (size_t)n;
	im->total = (size_t)total;
	im->entries = c->image_entries;
	im->months = p + IMAGE_HEAD;
	return 0;
}

const unsigned char *cache_image_month(const struct cache *c, const struct cache_image *im,
				       size_t k, size_t *at, size_t *n, uint64_t *sum)
{
	const unsigned char *m = im->months + IMAGE_MONTH * k;
	uint64_t off = cle64(m);

	*at = (size_t)cle64(m + 8);
	*n = (size_t)cle64(m + 16);
	*sum = cle64(m + 24);
	/* a body's place: compared, never read through, by the caller */
	return off < c->old_len ? c->old + off : NULL;
}

int cache_image_open(struct cache *c, unsigned char *from, size_t bytes)
{
	uintptr_t lo = (uintptr_t)from & ~(uintptr_t)(page_size() - 1);
	uintptr_t hi = (uintptr_t)from + bytes, map_end = (uintptr_t)(c->old + c->old_len);

	if (!bytes)
		return 0;
	if (c->old_mapped != MAPPED_ROOM || from < c->image_entries || hi < (uintptr_t)from)
		return -1;
	/* past the file: into the room after it, if the file ends on a page */
	if (hi > map_end && (c->old_len % page_size() || hi - map_end > IMAGE_ROOM))
		return -1;
	return mprotect((void *)lo, page_up(hi - lo), PROT_READ | PROT_WRITE) < 0 ? -1 : 0;
}
