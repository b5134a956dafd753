/* journal_cache.c -- a journal file's entries, references and
 * diagnostics in the parse cache (cache.h), and back: see journal_int.h */
#include "journal_int.h"

#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "journal.h"
#include "util.h"

void jcodes_init(struct jcodes *jc, const struct journal_grammar *g)
{
	jc->gs[0] = journal_group(g, "what");
	jc->gs[1] = journal_group(g, "category");
}

/* je.what as a number: 0 none, 1 + a word of ae's, 1000 + a value of the
 * grammar's [group what], 2000 + one of [group category] */
static uint32_t what_code(const struct jcodes *jc, const char *what)
{
	if (!what)
		return 0;
	for (size_t i = 0; i < JOURNAL_NWORDS; i++)
		if (what == journal_words[i])
			return 1 + (uint32_t)i;
	for (int k = 0; k < 2; k++) {
		const struct groupspec *gs = jc->gs[k];
		for (int i = 0; gs && i < gs->nvalues; i++)
			if (what == gs->values[i])
				return 1000 * (uint32_t)(k + 1) + (uint32_t)i;
	}
	return 0;
}

/* je.what from its code (what_code()); -1 if it is none of them */
static int what_from(const struct jcodes *jc, uint32_t code, const char **out)
{
	const struct groupspec *gs;

	*out = NULL;
	if (code <= JOURNAL_NWORDS) {
		if (code)
			*out = journal_words[code - 1];
		return 0;
	}
	if (code < 1000 || code >= 3000)
		return -1;
	gs = jc->gs[code / 1000 - 1];
	if (!gs || (int)(code % 1000) >= gs->nvalues)
		return -1;
	*out = gs->values[code % 1000];
	return 0;
}

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

void jfile_put(const struct book *b, const struct jcodes *jc, const struct jfile *jf, uint64_t digest,
		      struct cbuf *out)
{
	const struct config *cfg = &b->cfg;
	size_t who = 0;

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
	cput_u32(out, b->journal.check_only ? 0 : (uint32_t)jf->n);
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
		if (who >= cfg->nstaff || cfg->staff[who].id != je->who)
			for (who = 0; who < cfg->nstaff && cfg->staff[who].id != je->who; who++)
				;
		cput_u64(out, (uint64_t)je->at);
		cput_u32(out, (uint32_t)who);
		cput_u32(out, dep);
		cput_u32(out, what_code(jc, je->what));
		cput_u64(out, (uint64_t)je->amount);
		cput_u32(out, (uint32_t)(int32_t)je->span_start);
		cput_u32(out, (uint32_t)(int32_t)je->span_end);
		cput_u8(out, je->verb);
		cput_u8(out, je->important);
		cput_u32(out, (uint32_t)je->line);
	}
	cache_put_diags(out, jf->diags, 0);
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
static int entry_in_range(const struct jentry *je)
{
	return je->at >= MOMENT_FIRST && je->at < MOMENT_END && je->amount > -(1L << 20) &&
	       je->amount < 1000000000000L && je->span_start >= 0 && je->span_start <= 1440 &&
	       je->span_end >= 0 && je->span_end <= 1440;
}

_Static_assert(sizeof(void *) != 8 || sizeof(struct jentry) == 48,
	       "a jentry packs into 48 bytes (journal.h)");

/* the bytes of an entry of the body (put_jfile()) */
#define JENTRY_BYTES (8 + 4 + 4 + 4 + 8 + 4 + 4 + 1 + 1 + 4)

/* One cached entry (JENTRY_BYTES at p) into *je, its reference by recs
 * (0: none, else 1 + a dependency); -1 when it is not one ae writes. */
static int decode_entry(const struct book *b, const struct jcodes *jc, const unsigned char *p,
			const int *recs, uint32_t ndeps, struct jentry *je)
{
	const struct config *cfg = &b->cfg;
	uint32_t who = cle32(p + 8), dep = cle32(p + 12), what = cle32(p + 16);

	je->at = (moment_t)cle64(p);
	je->amount = (long)cle64(p + 20);
	je->span_start = (short)(int32_t)cle32(p + 28);
	je->span_end = (short)(int32_t)cle32(p + 32);
	je->verb = p[36];
	je->important = p[37];
	je->line = (int)cle32(p + 38);
	if (who >= cfg->nstaff || dep > ndeps || (dep && recs[dep] < 0) ||
	    je->verb > JV_OTHER || je->important > 1 || !entry_in_range(je) ||
	    what_from(jc, what, &je->what) < 0)
		return -1;
	je->who = cfg->staff[who].id;
	je->rec = recs[dep];
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
	if (r.bad || n > (size_t)(r.end - r.p) / JENTRY_BYTES || before > len) {
		free(recs);
		return -1;
	}
	if (b->journal.check_only) {
		/* the entries are not wanted: `ae check` keeps none */
		r.p += (size_t)n * JENTRY_BYTES;
		n = 0;
	}
	/* checked and decoded where they go (jfile_decode()) */
	jf->enc = r.p;
	r.p += (size_t)n * JENTRY_BYTES;
	{
		/* the diagnostics last: given only when everything else was good */
		struct creader rest = r;
		if (cache_give_diags(&rest) < 0 || rest.p != rest.end)
			r.bad = 1;
	}
	if (r.bad) {
		free(recs);
		jf->enc = NULL;
		return -1;
	}
	jf->n = n;
	jf->recs = recs;
	jf->ndeps_enc = ndeps;
	jf->loaded = (int)loaded;
	jf->lines = (size_t)lines;
	jf->diags_before_lines = before;
	if (!same && digest)
		refresh(jf, digest, body, len);
	return 0;
}

/*
 * A cached file's entries decoded into their place in the book's array:
 * 0, or -1 if one of them is not one ae writes (a damaged cache: the
 * caller reads the file's text instead).
 */
int jfile_decode(const struct book *b, const struct jcodes *jc, struct jfile *jf)
{
	struct jentry *out;

	if (!jf->enc)
		return 0;
	/* none (ae check keeps none): the array may not even exist */
	out = jf->n ? b->journal.v + jf->at : NULL;
	for (size_t i = 0; i < jf->n; i++) {
		if (decode_entry(b, jc, jf->enc + i * JENTRY_BYTES, jf->recs, jf->ndeps_enc, &out[i]) < 0)
			return -1;
		out[i].file = jf->file;
	}
	return 0;
}
