/* journal_int.h -- what journal.c (the text) and journal_cache.c (the
 * parse cache's form) share of a journal file being loaded; not for the
 * rest of ae, which sees struct journal (journal.h) only. */
#ifndef AE_JOURNAL_INT_H
#define AE_JOURNAL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cache.h"
#include "date.h"
#include "diag.h"
#include "format.h"
#include "source.h"
#include "strmap.h"
#include "util.h"

struct book;

/* the words of journal.whats that ae itself knows, from its index 1 */
#define JOURNAL_NWORDS 25
extern const char *const journal_words[JOURNAL_NWORDS];

/*
 * One journal file, read on any thread of the pool (pool.h): its
 * diagnostics and entries are kept here, and journal_load() adds them to
 * the book in the order of the files once every file is read.
 */
struct jfile {
	const char *path;	/* the listing's */
	int read;		/* a .log file to read */
	int loaded;		/* its text was read */
	struct diag_batch *diags;
	size_t diags_before_lines;	/* diagnostics given before its lines' */
	struct jentry *v;
	size_t n, alloc;
	size_t lines;		/* activity lines */
	/* for the parse cache (cache.h): every lookup of a record and its
	 * answer, which a cached result depends on */
	const struct source_entry *e;
	int note_deps;		/* a cache is in use: note the lookups */
	int content_deps;	/* its result read a record's fields (ORG-3's
				 * approval of a letter), which the lookups do
				 * not capture: never cached */
	const unsigned char *cached;	/* the body it was read from */
	size_t cached_len;
	/* a cached file's entries, checked but not yet decoded: n of them
	 * at enc, their references by recs; decoded straight into the
	 * book's array (at dest, as file number `file`) once every file's
	 * count is known, so that a million entries are not copied */
	const unsigned char *enc;
	const unsigned char *enc_body;	/* the body they end (cache_tail_ok()) */
	size_t enc_len;
	int *recs;
	uint32_t ndeps_enc;
	size_t at;		/* into the book's entries (place_entries()) */
	int placed;		/* it has a place there (loaded, and not too many files) */
	int decode_bad;		/* a cached entry ae could not have written */
	int not_cached;		/* read from its text, its cached form not trusted */
	int in_image;		/* its entries are in place in the cache's image,
				 * to be checked there (jfile_check_image()) */
	uint64_t image_sum;	/* their checksum, as the image says */
	size_t kept;		/* cache_keep()'s number of its body */
	struct strbuf body;	/* else its body for the cache, made where it was read */
	size_t body_tail;	/* the bytes of its entries at body's end */
	struct strmap dep_index;	/* "K" + id -> 1 + index into deps */
	struct jdep {
		const char *id;		/* in deps_arena */
		int kind, found;
	} *deps;
	size_t ndeps, alloc_deps;
	struct arena deps_arena;
};

/* journal_cache.c */
uint64_t journal_ids_digest(const struct book *b);
int jfile_get(const struct book *b, struct jfile *jf, uint64_t digest,
	      const unsigned char *body, size_t len);
void jfile_put(const struct book *b, const struct jfile *jf, uint64_t digest, struct cbuf *out);
/* The bytes of its entries at the end of the body jfile_put() made. */
size_t jfile_tail(const struct book *b, const struct jfile *jf);
int jfile_decode(const struct book *b, struct jfile *jf);
int jfile_check_image(const struct book *b, struct jfile *jf, uint64_t digest, unsigned char *bits);

/* The extremes of the numbers of a run of entries, which an image's
 * check compares with what ae could have written (jfile_check_image()),
 * and whether each record they name is one of bits (bit r + 1 for
 * record r, bit 0 for none). */
struct jentry_extremes {
	unsigned max_who, max_what, max_start, max_end, named;
	uint32_t words;		/* every word or-ed: its spare bits */
	moment_t min_at, max_at;
	long min_amount, max_amount;
	uint64_t max_r;		/* the largest record + 1 (one below -1: past nrecs) */
};
/* simd: with AVX2 where the processor has it (the scalar walk's answer,
 * in half the instructions; unit_jcheck holds them to each other). */
void jentry_extremes(const struct jentry *v, size_t n, uint64_t nrecs, const unsigned char *bits,
		     int simd, struct jentry_extremes *x);
/* Whether x holds a number ae could not have written. */
int jentry_extremes_bad(const struct jentry_extremes *x, uint64_t nstaff, uint64_t nwhats,
			uint64_t nrecs);

#endif
