/* journal_cache.c -- a journal file's entries, references and
 * diagnostics in the parse cache (cache.h), and back: see journal_int.h */
#include "journal_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "journal.h"
#include "util.h"

/*
 * The book's records as a journal file's references see them: a digest
 * of every record's kind, identifier and index (book_ids_digest()).  A
 * cached journal file keeps the digest it was made with and, for each
 * record it named, that record's index: while the digest is the same,
 * every name finds the same index, and a warm run needs no look-up
 * (988,000 of them in the 100k book's journal, each a miss in the cache
 * of the CPU).
 */
uint64_t journal_ids_digest(const struct book *b)
{
	return book_ids_digest(b);
}

void jfile_put(const struct book *b, const struct jfile *jf, uint64_t digest, struct cbuf *out)
{
	cput_u8(out, (unsigned)jf->loaded);
	cput_u8(out, !b->journal.check_only);
	cput_u64(out, jf->lines);
	cput_u32(out, (uint32_t)jf->diags_before_lines);
	cput_u64(out, digest);
	cput_u32(out, (uint32_t)jf->ndeps);
	for (size_t i = 0; i < jf->ndeps; i++) {
		const struct record *r = jf->deps[i].found ?
					 book_record(b, jf->deps[i].kind, jf->deps[i].id) : NULL;
		cput_u8(out, (unsigned)jf->deps[i].kind);
		cput_u8(out, (unsigned)jf->deps[i].found);
		cput_u32(out, r ? (uint32_t)(r - b->recs) : UINT32_MAX);
		cput_str(out, jf->deps[i].id, strlen(jf->deps[i].id));
	}
	/* the count, the diagnostics, then the entries: the body's tail,
	 * which a warm run seldom reads (the image has them), checked apart
	 * from the rest where it is decoded (cache.h cache_tail_ok()) */
	cput_u32(out, b->journal.check_only ? 0 : (uint32_t)jf->n);
	cache_put_diags(out, jf->diags, 0);
	for (size_t i = 0; !b->journal.check_only && i < jf->n; i++) {
		const struct jentry *je = &jf->v[i];
		uint32_t dep = 0;

		if (je->rec >= 0) {
			const struct record *r = &b->recs[je->rec];
			struct strbuf key = STRBUF_INIT;
			sb_addch(&key, '0' + r->kind);
			sb_addstr(&key, r->id);
			dep = (uint32_t)(size_t)strmap_get(&jf->dep_index, key.buf);
			sb_release(&key);
		}
		cput_u64(out, (uint64_t)je->at);
		cput_u32(out, je->who);
		cput_u32(out, dep);
		cput_u32(out, je->what);
		cput_u64(out, (uint64_t)je->amount);
		cput_u32(out, je->span_start);
		cput_u32(out, je->span_end);
		cput_u8(out, je->verb);
		cput_u8(out, je->important);
		cput_u32(out, (uint32_t)je->line);
	}
}

/*
 * Whether a cached entry's numbers are ones the parser can give, which
 * the rest of ae relies on: a moment from 1900 to 2199 (its day and
 * minute arithmetic cannot overflow), an amount below 10^12 (ten digits
 * of money, two of cents) or a day of those years, a span within a day.
 * A damaged cache could hold any (issue 9).
 */
#define MOMENT_FIRST ((moment_t)-25567 * 1440)	/* 1900-01-01: days_from_civil() */
#define MOMENT_END ((moment_t)84006 * 1440)	/* 2200-01-01 */
#define AMOUNT_LOW (-(1L << 20))	/* below every amount: a day, at least */
#define AMOUNT_END 1000000000000L
#define SPAN_MAX 1440		/* minutes from midnight */
_Static_assert(sizeof(void *) != 8 || sizeof(struct jentry) == 32,
	       "a jentry packs into 32 bytes (journal.h)");

/* an entry in the cache's image is a struct jentry as it lies in memory:
 * the settings' hash has its size, and the image's marker the byte order */
/* the word after `what`: span_start (11 bits from the low one), span_end
 * (11), verb (3), important (1), spare (6) */
#define JENTRY_WORD 28
_Static_assert(offsetof(struct jentry, at) == 0 && offsetof(struct jentry, amount) == 8 &&
	       offsetof(struct jentry, rec) == 16 && offsetof(struct jentry, line) == 20 &&
	       offsetof(struct jentry, who) == 24 && offsetof(struct jentry, what) == 26,
	       "the image's entries are laid out as the cache's layout number says");

/* the bytes of an entry of the body (put_jfile()) */
#define JENTRY_BYTES (8 + 4 + 4 + 4 + 8 + 4 + 4 + 1 + 1 + 4)

size_t jfile_tail(const struct book *b, const struct jfile *jf)
{
	return b->journal.check_only ? 0 : jf->n * JENTRY_BYTES;
}

/* One cached entry (JENTRY_BYTES at p) into *je, its reference by recs
 * (0: none, else 1 + a dependency); -1 when it is not one ae writes,
 * every number checked before it is put into its narrower field. */
static int decode_entry(const struct book *b, const unsigned char *p, const int *recs,
			uint32_t ndeps, struct jentry *je)
{
	uint32_t who = cle32(p + 8), dep = cle32(p + 12), what = cle32(p + 16);
	uint32_t span_start = cle32(p + 28), span_end = cle32(p + 32);
	moment_t at = (moment_t)cle64(p);
	long amount = (long)cle64(p + 20);

	if (who >= b->cfg.nstaff || who > JOURNAL_MAX_STAFF || dep > ndeps ||
	    (dep && recs[dep] < 0) || what >= b->journal.nwhats || p[36] > JV_OTHER ||
	    p[37] > 1 || at < MOMENT_FIRST || at >= MOMENT_END || amount <= AMOUNT_LOW ||
	    amount >= AMOUNT_END || span_start > SPAN_MAX || span_end > SPAN_MAX)
		return -1;
	/* one store of the whole entry, its bit-fields put together */
	*je = (struct jentry){ .at = at, .amount = amount, .rec = recs[dep],
			       .line = (int)cle32(p + 38), .who = (unsigned short)who,
			       .what = (unsigned short)what, .span_start = span_start,
			       .span_end = span_end, .verb = p[36], .important = p[37],
			       .spare = 0 };
	return 0;
}

/* where a body's digest and its records are (jfile_put()) */
#define BODY_DIGEST (1 + 1 + 8 + 4)
#define BODY_DEPS (BODY_DIGEST + 8 + 4)

/*
 * A body served by looking each record up again (the book's records
 * changed since it was made) made anew for the next run, in jf->body:
 * today's digest, each record's index today (jf->recs, which jfile_get()
 * found and checked), so that the next run needs no look-up.  Kept as it
 * was, the old digest would cost every later run 300,000 look-ups in the
 * 100k book, until the month's file changed.
 */
static void refresh(struct jfile *jf, uint64_t digest, const unsigned char *body, size_t len)
{
	unsigned char *q;
	size_t off = BODY_DEPS;

	sb_reset(&jf->body);
	sb_add(&jf->body, (const char *)body, len);
	q = (unsigned char *)jf->body.buf;
	for (int i = 0; i < 8; i++)
		q[BODY_DIGEST + i] = (unsigned char)(digest >> (8 * i));
	/* kind, found, index, the name: bounds checked by jfile_get() */
	for (uint32_t i = 0; i < jf->ndeps_enc; i++) {
		uint32_t at = jf->recs[i + 1] >= 0 ? (uint32_t)jf->recs[i + 1] : UINT32_MAX;
		for (int k = 0; k < 4; k++)
			q[off + 2 + k] = (unsigned char)(at >> (8 * k));
		off += 10 + (size_t)cle32(q + off + 6) + 1;
	}
}

/*
 * jf from a cache body: 0, or -1 when it cannot be used (nothing given).
 * Its header, the records it named and its diagnostics are checked here;
 * its entries, n of them at jf->enc, only where jfile_decode() puts them
 * into the book's array (each byte read once, not twice): an entry ae
 * could not have written makes that a miss too.
 */
int jfile_get(const struct book *b, struct jfile *jf, uint64_t digest,
		     const unsigned char *body, size_t len)
{
	struct creader r = { body, body + len, 0 };
	unsigned loaded = cget_u8(&r), has_entries = cget_u8(&r);
	uint64_t lines = cget_u64(&r);
	uint32_t before = cget_u32(&r);
	int same = cget_u64(&r) == digest && digest;	/* the book's records as they were */
	uint32_t ndeps = cget_u32(&r), n;
	int *recs = NULL;

	if (r.bad || loaded > 1 || (!b->journal.check_only && !has_entries) ||
	    ndeps > len)
		return -1;
	recs = xmalloc(((size_t)ndeps + 1) * sizeof(*recs));
	recs[0] = -1;
	/* every record the file named must be found, or not, as it was:
	 * kind, found, index, then the name (its length, bytes, a NUL),
	 * read in place (300,000 of them in the 100k book) */
	for (uint32_t i = 0; i < ndeps && !r.bad; i++) {
		const unsigned char *p = r.p;
		unsigned kind, found;
		uint32_t at, sn;
		const struct record *rec;

		if (r.end - p < 2 + 4 + 4) {
			r.bad = 1;
			break;
		}
		kind = p[0];
		found = p[1];
		at = cle32(p + 2);
		sn = cle32(p + 6);
		p += 10;
		/* the name: only looked up when the book changed (a NUL inside
		 * would name another record, so then it is looked for) */
		if (sn >= (size_t)(r.end - p) || p[sn] || kind >= K__N || found > 1 ||
		    (!same && memchr(p, '\0', sn))) {
			r.bad = 1;
			break;
		}
		r.p = p + sn + 1;
		if (same)	/* the index it had, checked for what it must be */
			rec = found && at < b->nrecs && b->recs[at].kind == (int)kind ? &b->recs[at] : NULL;
		else
			rec = book_record(b, (int)kind, (const char *)p);
		if ((rec != NULL) != (int)found)
			r.bad = 1;
		recs[i + 1] = rec ? (int)(rec - b->recs) : -1;
	}
	n = cget_u32(&r);
	/* the entries are the body's tail (jfile_put()); a body made anew
	 * below copies them, so they are checked first */
	if (r.bad || n > (size_t)(r.end - r.p) / JENTRY_BYTES || before > len ||
	    cache_tail_len(body) != (size_t)n * JENTRY_BYTES ||
	    (!same && digest && n && cache_tail_ok(body, len) < 0)) {
		free(recs);
		return -1;
	}
	{
		/* the diagnostics, up to the entries: given only when
		 * everything else was good */
		struct creader rest = { r.p, r.end - (size_t)n * JENTRY_BYTES, 0 };
		if (cache_give_diags(&rest) < 0 || rest.p != rest.end) {
			free(recs);
			return -1;
		}
	}
	/* checked and decoded where they go (jfile_decode()); `ae check`
	 * wants none and keeps none */
	jf->enc = r.end - (size_t)n * JENTRY_BYTES;
	jf->enc_body = body;
	jf->enc_len = len;
	if (b->journal.check_only)
		n = 0;
	jf->n = n;
	jf->recs = recs;
	jf->ndeps_enc = ndeps;
	jf->loaded = (int)loaded;
	jf->lines = (size_t)lines;
	jf->diags_before_lines = before;
	if (!same && digest) {
		refresh(jf, digest, body, len);
		jf->body_tail = cache_tail_len(body);
	}
	return 0;
}

/*
 * A cached file's entries decoded into their place in the book's array:
 * 0, or -1 if one of them is not one ae writes (a damaged cache: the
 * caller reads the file's text instead).
 */
int jfile_decode(const struct book *b, struct jfile *jf)
{
	struct jentry *out;

	if (!jf->enc)
		return 0;
	/* the tail's checksum, here where it is read (cache.h) */
	if (jf->n && cache_tail_ok(jf->enc_body, jf->enc_len) < 0)
		return -1;
	/* none (ae check keeps none): the array may not even exist */
	out = jf->n ? b->journal.v + jf->at : NULL;
	for (size_t i = 0; i < jf->n; i++) {
		if (decode_entry(b, jf->enc + i * JENTRY_BYTES, jf->recs, jf->ndeps_enc, &out[i]) < 0)
			return -1;
	}
	return 0;
}

/*
 * A month's entries where they lie in the cache's image (journal.c
 * placed the array there): 0, or -1 if their checksum is not the one the
 * image gave, or one of them is not one ae writes -- the same checks as
 * decode_entry()'s (a verb of three bits is always one), and each record
 * named must be one the month's body names (jfile_get() checked those):
 * bits, a bit per record of the book, all clear, is this thread's to use
 * and is left clear.
 */
/* Whether the compiler laid the bit-fields out as JENTRY_WORD says. */
static int word_layout_ok(void)
{
	struct jentry e = { .span_start = 1, .span_end = 2, .verb = 3, .important = 1, .spare = 5 };
	uint32_t word;

	memcpy(&word, (const unsigned char *)&e + JENTRY_WORD, 4);
	return word == (1u | 2u << 11 | 3u << 22 | 1u << 25 | 5u << 26);
}

int jfile_check_image(const struct book *b, struct jfile *jf, uint64_t digest, unsigned char *bits)
{
	const struct jentry *v = b->journal.v + jf->at;
	const uint32_t nstaff = (uint32_t)b->cfg.nstaff, nwhats = (uint32_t)b->journal.nwhats;
	const uint64_t nrecs = b->nrecs;
	unsigned bad, max_who = 0, max_what = 0, max_start = 0, max_end = 0, named = 1;
	uint32_t words = 0;
	moment_t min_at = MOMENT_END, max_at = MOMENT_FIRST;
	long min_amount = 0, max_amount = 0;
	uint64_t max_r = 0;

	if (!word_layout_ok() ||
	    (jf->n && cache_checksum(digest, v, jf->n * sizeof(*v)) != jf->image_sum))
		return -1;
	/* bit r + 1 for record r, bit 0 for none (-1) */
	bits[0] |= 1;
	for (uint32_t i = 1; i <= jf->ndeps_enc; i++)
		if (jf->recs[i] >= 0)
			bits[(jf->recs[i] + 1) >> 3] |= (unsigned char)(1u << ((jf->recs[i] + 1) & 7));
	/* the extremes of each number, tested once at the end; the records
	 * named, each a bit: a million entries, no branch */
	for (size_t i = 0; i < jf->n; i++) {
		const struct jentry *e = &v[i];
		uint64_t r = (uint64_t)((int64_t)e->rec + 1);
		uint32_t word;

		memcpy(&word, (const unsigned char *)e + JENTRY_WORD, 4);
		max_who = e->who > max_who ? e->who : max_who;
		max_what = e->what > max_what ? e->what : max_what;
		min_at = e->at < min_at ? e->at : min_at;
		max_at = e->at > max_at ? e->at : max_at;
		min_amount = e->amount < min_amount ? e->amount : min_amount;
		max_amount = e->amount > max_amount ? e->amount : max_amount;
		max_start = (word & 0x7FF) > max_start ? (word & 0x7FF) : max_start;
		max_end = ((word >> 11) & 0x7FF) > max_end ? ((word >> 11) & 0x7FF) : max_end;
		words |= word;
		max_r = r > max_r ? r : max_r;
		r = r > nrecs ? 0 : r;
		named &= bits[r >> 3] >> (r & 7);
	}
	bad = (jf->n && (max_who >= nstaff || max_what >= nwhats || min_at < MOMENT_FIRST ||
			 max_at >= MOMENT_END || min_amount <= AMOUNT_LOW ||
			 max_amount >= AMOUNT_END || max_start > SPAN_MAX || max_end > SPAN_MAX ||
			 words >> 26 || max_r > nrecs)) ||
	      !(named & 1);
	for (uint32_t i = 1; i <= jf->ndeps_enc; i++)
		if (jf->recs[i] >= 0)
			bits[(jf->recs[i] + 1) >> 3] = 0;
	bits[0] = 0;
	return bad ? -1 : 0;
}
