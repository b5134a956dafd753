/* journal_cache.c -- a journal file's entries, references and
 * diagnostics in the parse cache (cache.h), and back: see journal_int.h */
#include "journal_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

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

/* The extremes of each number of v[0..n) and whether every record they
 * name has its bit in bits (bit r + 1 for record r, bit 0 for none):
 * a million entries, no branch. */
static void extremes_scalar(const struct jentry *v, size_t n, uint64_t nrecs,
			    const unsigned char *bits, struct jentry_extremes *x)
{
	for (size_t i = 0; i < n; i++) {
		const struct jentry *e = &v[i];
		uint64_t r = (uint64_t)((int64_t)e->rec + 1);
		uint32_t word;

		memcpy(&word, (const unsigned char *)e + JENTRY_WORD, 4);
		x->max_who = e->who > x->max_who ? e->who : x->max_who;
		x->max_what = e->what > x->max_what ? e->what : x->max_what;
		x->min_at = e->at < x->min_at ? e->at : x->min_at;
		x->max_at = e->at > x->max_at ? e->at : x->max_at;
		x->min_amount = e->amount < x->min_amount ? e->amount : x->min_amount;
		x->max_amount = e->amount > x->max_amount ? e->amount : x->max_amount;
		x->max_start = (word & 0x7FF) > x->max_start ? (word & 0x7FF) : x->max_start;
		x->max_end = ((word >> 11) & 0x7FF) > x->max_end ? ((word >> 11) & 0x7FF) : x->max_end;
		x->words |= word;
		x->max_r = r > x->max_r ? r : x->max_r;
		r = r > nrecs ? 0 : r;
		x->named &= bits[r >> 3] >> (r & 7);
	}
}

#if defined(__x86_64__) && defined(__GNUC__)
/*
 * The same, an entry a 256-bit register: its time and amount compared as
 * 64-bit lanes, its record + 1 as 32 bits (a record below -1 is then
 * 2^31 or more: past any book's count, as it is in 64 bits), its staff
 * and what as 16, the word's spans masked out of it.  Lanes of no field
 * are compared too, and not looked at.  Half the instructions of the
 * scalar walk.  For nrecs < 2^31.
 */
__attribute__((target("avx2")))
static void extremes_avx2(const struct jentry *v, size_t n, uint64_t nrecs,
			  const unsigned char *bits, struct jentry_extremes *x)
{
	/* bytes 0-7 at, 8-15 amount, 16-19 rec, 20-23 line, 24-25 who,
	 * 26-27 what, 28-31 the word (JENTRY_WORD) */
	__m256i vmax = _mm256_set_epi64x(0, 0, x->max_amount, x->max_at);
	__m256i vmin = _mm256_set_epi64x(0, 0, x->min_amount, x->min_at);
	__m256i inc = _mm256_set_epi32(0, 0, 0, 1, 0, 0, 0, 0);
	__m256i span = _mm256_set1_epi32(0x7FF);
	__m256i vr = _mm256_setzero_si256(), v16 = _mm256_setzero_si256();
	__m256i vstart = _mm256_setzero_si256(), vend = _mm256_setzero_si256();
	__m256i vwords = _mm256_setzero_si256();
	unsigned named = x->named;
	uint32_t lanes[8];
	uint16_t halves[16];

	for (size_t i = 0; i < n; i++) {
		__m256i e = _mm256_loadu_si256((const __m256i *)(const void *)&v[i]);
		__m256i gt = _mm256_cmpgt_epi64(e, vmax), lt = _mm256_cmpgt_epi64(vmin, e);
		/* record + 1 in 32 bits, as the lanes have it */
		uint64_t r = (uint32_t)v[i].rec + 1u;

		vmax = _mm256_blendv_epi8(vmax, e, gt);
		vmin = _mm256_blendv_epi8(vmin, e, lt);
		vr = _mm256_max_epu32(vr, _mm256_add_epi32(e, inc));
		v16 = _mm256_max_epu16(v16, e);
		vstart = _mm256_max_epu32(vstart, _mm256_and_si256(e, span));
		vend = _mm256_max_epu32(vend, _mm256_and_si256(_mm256_srli_epi32(e, 11), span));
		vwords = _mm256_or_si256(vwords, e);
		r = r > nrecs ? 0 : r;
		named &= bits[r >> 3] >> (r & 7);
	}
	x->named = named;
	x->max_at = _mm256_extract_epi64(vmax, 0);
	x->max_amount = _mm256_extract_epi64(vmax, 1);
	x->min_at = _mm256_extract_epi64(vmin, 0);
	x->min_amount = _mm256_extract_epi64(vmin, 1);
	_mm256_storeu_si256((__m256i *)(void *)lanes, vr);
	x->max_r = lanes[4] > x->max_r ? lanes[4] : x->max_r;
	_mm256_storeu_si256((__m256i *)(void *)halves, v16);
	x->max_who = halves[12] > x->max_who ? halves[12] : x->max_who;
	x->max_what = halves[13] > x->max_what ? halves[13] : x->max_what;
	_mm256_storeu_si256((__m256i *)(void *)lanes, vstart);
	x->max_start = lanes[7] > x->max_start ? lanes[7] : x->max_start;
	_mm256_storeu_si256((__m256i *)(void *)lanes, vend);
	x->max_end = lanes[7] > x->max_end ? lanes[7] : x->max_end;
	_mm256_storeu_si256((__m256i *)(void *)lanes, vwords);
	x->words |= lanes[7];
}
#endif

void jentry_extremes(const struct jentry *v, size_t n, uint64_t nrecs, const unsigned char *bits,
		     int simd, struct jentry_extremes *x)
{
	memset(x, 0, sizeof(*x));
	x->min_at = MOMENT_END;
	x->max_at = MOMENT_FIRST;
	x->named = 1;
#if defined(__x86_64__) && defined(__GNUC__)
	if (simd && nrecs < ((uint64_t)1 << 31) && __builtin_cpu_supports("avx2")) {
		extremes_avx2(v, n, nrecs, bits, x);
		return;
	}
#endif
	(void)simd;
	extremes_scalar(v, n, nrecs, bits, x);
}

int jentry_extremes_bad(const struct jentry_extremes *x, uint64_t nstaff, uint64_t nwhats,
			uint64_t nrecs)
{
	return x->max_who >= nstaff || x->max_what >= nwhats || x->min_at < MOMENT_FIRST ||
	       x->max_at >= MOMENT_END || x->min_amount <= AMOUNT_LOW ||
	       x->max_amount >= AMOUNT_END || x->max_start > SPAN_MAX || x->max_end > SPAN_MAX ||
	       x->words >> 26 || x->max_r > nrecs || !(x->named & 1);
}

int jfile_check_image(const struct book *b, struct jfile *jf, uint64_t digest, unsigned char *bits)
{
	const struct jentry *v = b->journal.v + jf->at;
	struct jentry_extremes x;
	int bad;

	if (!word_layout_ok() ||
	    (jf->n && cache_checksum(digest, v, jf->n * sizeof(*v)) != jf->image_sum))
		return -1;
	/* bit r + 1 for record r, bit 0 for none (-1) */
	bits[0] |= 1;
	for (uint32_t i = 1; i <= jf->ndeps_enc; i++)
		if (jf->recs[i] >= 0)
			bits[(jf->recs[i] + 1) >> 3] |= (unsigned char)(1u << ((jf->recs[i] + 1) & 7));
	jentry_extremes(v, jf->n, b->nrecs, bits, 1, &x);
	bad = jf->n && jentry_extremes_bad(&x, (uint64_t)b->cfg.nstaff, (uint64_t)b->journal.nwhats,
					   b->nrecs);
	for (uint32_t i = 1; i <= jf->ndeps_enc; i++)
		if (jf->recs[i] >= 0)
			bits[(jf->recs[i] + 1) >> 3] = 0;
	bits[0] = 0;
	return bad ? -1 : 0;
}
