/*
 * cache.h -- the parse cache: each record's and journal file's checked,
 * compact form, kept in the repository (.git/ae/parse-cache, never
 * committed), so that a book of which almost nothing changed since the
 * last run is not parsed again (issue 15, goal 2).
 *
 * It can never serve stale data:
 * - An entry is found by the file's path and used only if the file's
 *   size, inode, device, and mtime and ctime in nanoseconds are those the
 *   entry was made from (a rename, a replace, a touch, an edit each
 *   change one of them).
 * - The whole cache is used only if it was made from the same settings:
 *   a hash of ae.ini, every format file (shipped and the book's own), the
 *   calendar files ae.ini names, and the version of ae and of the cache's
 *   layout.
 * - A file changed in the same tick as it was read would keep its stat
 *   data (git's "racy" case): a file whose mtime or ctime is not older,
 *   in whole seconds, than the moment the run began to read the book is
 *   never put in the cache; the next run reads it again.
 * - Every entry is checksummed, and checked by the run that uses it,
 *   when it uses it (cache_find()): a damaged entry is a miss, its file
 *   read from the book and the entry made anew; a truncated file, or a
 *   damaged header, is thrown away whole and rebuilt.  Never trusted: a
 *   journal file's encoded entries, which a warm run seldom decodes
 *   (the image has them), are an entry's tail with a checksum of their
 *   own, checked only where they are decoded (cache_tail_ok()); the
 *   journal's image after the payload has a checksum for each month,
 *   checked by the run that uses the month (cache_get_image()).  Nothing
 *   is summed that the run does not read (a whole-file checksum cost a
 *   warm run of the 100k book 150 MB of memory traffic, 20 ms).  It is
 *   untrusted input all the same: every length and index in it is
 *   checked before use, and an entry that does not decode is read from
 *   the book instead.
 * - It is written to a temporary file and renamed over the old one, so a
 *   reader sees a whole cache or the one before; two ae processes that
 *   write at once each leave a whole cache, the last rename wins.  So a
 *   reader maps the file rather than reading it (what it has open is
 *   never written again), and the records it serves point into that
 *   mapping, which the book keeps (cache_close_hold()).
 * - Results that depend on more than the file and the settings are not
 *   cached as they are: a journal file's lookups of records are kept with
 *   it and checked against the book on every use (a record added or
 *   removed elsewhere) -- by a digest of the book's ordered record
 *   identifiers when it is the one the file was cached with (each name
 *   then has the index it had, checked for its kind), else by looking
 *   each up again; a run in which a pattern spent more than its
 *   first step allowance (SEC-2's budget) writes no cache.
 *
 * A book read from a commit ('ae --at REV', a bare repository's too) is
 * cached in another file, .git/ae/blob-cache, its entries keyed by path
 * and blob id instead of stat data (the listing hands the id over,
 * source.h's content_ids, so a hit reads no blob at all): content named
 * by its hash cannot go stale, so no racy case either; the path stays in
 * the key because a result names its file (a renamed blob is parsed for
 * its new path).  Eviction, for both files: a run writes back only the
 * entries it used, so a cache never holds more than one book's files --
 * an older revision's files go with the next run that does not read
 * them, and two revisions read in turn share every unchanged blob.
 *
 * Only those two are cached (not the index, nor a book "as it will be");
 * a command that holds the book lock (a writer) reads the cache but does
 * not write it.  $AE_CACHE=0 turns the cache off.
 */
#ifndef AE_CACHE_H
#define AE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "source.h"
#include "util.h"

struct book;
struct record;
struct diag_batch;
struct cache;

/* The cache of b (settings loaded, records not yet): NULL when b has none
 * (not a working folder in git, or turned off).  write: whether the run
 * may write it back.  Owned by the caller: cache_close(). */
struct cache *cache_open(const struct book *b, int write);
/*
 * cache_open() in two steps: cache_begin() reads the book's settings
 * (through its source: on the book's thread), cache_read() the cache
 * file (only that: safe on a thread of its own while the book is
 * listed; book.c).  cache_read(NULL) does nothing.
 */
struct cache *cache_begin(const struct book *b, int write);
void cache_read(struct cache *c);
/*
 * On the thread that read the file, after cache_read(): the entries'
 * checksums checked in file order (where cache_find() would check each),
 * until cache_stop_ahead() is called from another thread (the listing is
 * done; then that thread joins this one before c is used).  What it did
 * not reach is checked by cache_find() as before.
 */
void cache_check_ahead(struct cache *c);
void cache_stop_ahead(struct cache *c);
/* Write the cache back if anything changed (and the run may), then free. */
void cache_close(struct cache *c);
/*
 * The same, but the file read is kept, in *hold, until
 * cache_hold_release(): what cache_get_record() served is the file's
 * (a record's values are used where they lie), so a book holds it as
 * long as its records.
 */
struct cache_hold;
void cache_close_hold(struct cache *c, struct cache_hold **hold);
void cache_hold_release(struct cache_hold *h);

/* The size of the cache file read (0 if none): what a run will decode
 * from it is about proportional. */
size_t cache_size(const struct cache *c);

/* Entry types */
enum { CACHE_RECORD = 1, CACHE_JOURNAL = 2 };

/*
 * The body of path's entry of that type, if the listing entry e (its
 * stat data) matches it and its checksum is right; else NULL.  The
 * body's tail (cache_keep()), if it has one, is not checked: its user
 * checks it with cache_tail_ok() where it reads it.  Valid until
 * cache_close().  Safe on several threads.
 */
const unsigned char *cache_find(struct cache *c, int type, const struct source_entry *e,
				size_t *len);
/* Of a body cache_find() gave: the length of its tail, and whether the
 * tail's own checksum is right (0) or not (-1). */
size_t cache_tail_len(const unsigned char *body);
int cache_tail_ok(const unsigned char *body, size_t len);
/*
 * Keep path's entry for the next run: body (len bytes, copied), made
 * from the file e describes, its last `tail` bytes checked apart from
 * the rest (cache_tail_ok()).  A body cache_find() gave is kept as it
 * is, its checksums with it.  Not safe on several threads: called in
 * order after a job.  A racy file (see above) is not kept.
 */
size_t cache_keep(struct cache *c, int type, const struct source_entry *e,
		  const void *body, size_t len, size_t tail);
#define CACHE_NOT_KEPT ((size_t)-1)	/* else cache_keep() gives the entry's number */
/* Nothing of this run is to be written (a pattern spent its allowance). */
void cache_spoil(struct cache *c);
/* Something of this run is to be written even if no entry changed. */
void cache_dirty(struct cache *c);

/*
 * The journal's image: the book's array of journal entries (struct
 * jentry, journal.h) as the run that wrote the cache had it, each month
 * tied to the body it came from, so that the next run uses them where
 * they lie in the mapped file rather than decoding a million entries
 * into fresh memory (journal_cache.c; the file's layout is cache.c's).
 * cache_put_image(): the array the cache is to keep (read when it is
 * written, at cache_close()), its first months in order, each by the
 * number cache_keep() gave its body; their ids digest.
 */
struct cache_image_month {
	size_t kept;		/* cache_keep()'s number of the month's body */
	size_t at, n;		/* its entries in the array */
	uint64_t sum;		/* their checksum, if summed (an image carried
				 * forward); else worked out when written */
	int summed;
};
void cache_put_image(struct cache *c, uint64_t digest, const void *entries, size_t esize,
		     size_t total, const struct cache_image_month *months, size_t n);
/*
 * The image of the file read, its entries esize bytes each (0: any): 0,
 * or -1 if there is none (or not of that size).  Its months follow one another
 * from the first entry (checked); each month's body, place, count and
 * the checksum of its entries (cache_checksum(digest, ...)) from
 * cache_image_month(): the body is a place in the file to compare with
 * cache_find()'s, never to read through.  The entries are read only
 * until cache_image_open() makes [from, from + bytes) writable, which may
 * reach past the image into the room mapped after the file: -1 if it
 * cannot.
 */
struct cache_image {
	uint64_t digest;
	size_t esize, nmonths, total;
	unsigned char *entries;
	const unsigned char *months;
};
int cache_get_image(const struct cache *c, size_t esize, struct cache_image *im);
const unsigned char *cache_image_month(const struct cache *c, const struct cache_image *im,
				       size_t k, size_t *at, size_t *n, uint64_t *sum);
int cache_image_open(struct cache *c, unsigned char *from, size_t bytes);

/*
 * For the fuzzer (tests/fuzz/fuzz_cache.c), which must get a mutated
 * cache past the checks that would throw it or its entries away, so
 * that they reach the decoder: the settings hash of b (what cache_open()
 * compares with the file's), and cache_seal(), which rewrites the header
 * of the cache file image in file[0..len): magic, layout, settings,
 * payload length (the one the file says, if it can be: the journal's
 * image follows the payload) and the header's checksum, and each entry's
 * checksums, as far as the entries can be walked, so that they pass;
 * if the first entry is a table (cache_int.h), it is made anew for the
 * entries walked (as many as it has room for), and the count with it.
 * -1 if len is shorter than the header
 * (CACHE_HEADER_BYTES, the first entry's offset).  ae itself never
 * calls them: a cache that fails its checks is rebuilt, not mended.
 */
#define CACHE_HEADER_BYTES 48
/* an entry's checksums, before its body (cache_int.h) */
#define CACHE_ENTRY_SUMS 24
/* The cache's checksum of data[0..n) (a 64-bit hash, several bytes an
 * instruction), for the other files of .git/ae that want one. */
uint64_t cache_checksum(uint64_t seed, const void *data, size_t n);
/* The same sum with keys made once (cache_sum.c): for many small
 * inputs, each entry of the parse cache. */
uint64_t cache_entry_sum(uint64_t seed, const void *data, size_t n);
/* A 64-bit hash of data[0..n) from h, eight bytes a step: for a few
 * bytes (keys, settings), not for a whole file (cache_sum.c) */
uint64_t cache_hash_bytes(uint64_t h, const void *data, size_t n);
uint64_t cache_settings(const struct book *b);
/* Of an open cache: the folder of the working folder's cache files
 * (.git/ae; allocated), NULL for a cache of blobs (--at) or none; the
 * settings hash it was opened with; whether the run may write it. */
char *cache_dir(const struct cache *c);
uint64_t cache_settings_of(const struct cache *c);
int cache_writes(const struct cache *c);
int cache_seal(unsigned char *file, size_t len, uint64_t settings);

/* -- the bodies: bytes, little endian, every read bounds-checked */
struct cbuf {
	struct strbuf sb;
};
void cput_u8(struct cbuf *b, unsigned v);
void cput_u32(struct cbuf *b, uint32_t v);
void cput_u64(struct cbuf *b, uint64_t v);
/* A string: its length (0xFFFFFFFF for NULL), its bytes, a NUL. */
void cput_str(struct cbuf *b, const char *s, size_t n);

struct creader {
	const unsigned char *p, *end;
	int bad;		/* ran past the end, or a bad value: the entry is unusable */
};
/* Little-endian numbers at p, for a reader that checked the room itself. */
static inline uint32_t cle32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t cle64(const unsigned char *p)
{
	return (uint64_t)cle32(p) | (uint64_t)cle32(p + 4) << 32;
}
unsigned cget_u8(struct creader *r);
uint32_t cget_u32(struct creader *r);
uint64_t cget_u64(struct creader *r);
/* A string into the arena (NUL-terminated); NULL when NULL was put, or
 * when it does not fit or holds a NUL (then r->bad). */
const char *cget_str(struct creader *r, struct arena *a, size_t *len);
/* The same, not copied: the body holds it NUL-terminated (cput_str()). */
const char *cpeek_str(struct creader *r, size_t *len);

/* The diagnostics of a batch put into an entry, and given again (through
 * diag_at(), so captured as usual) from one: 0, or -1 if it is bad (then
 * nothing is given). */
void cache_put_diags(struct cbuf *b, const struct diag_batch *d, size_t from);
int cache_give_diags(struct creader *r);

/* A record (record.h) and its diagnostics, to and from an entry body. */
void cache_put_record(struct cbuf *b, const struct record *r, const struct diag_batch *d);
/* 0 and *out filled, its rvals, path, id and values the body's own, used
 * where they lie (body must be at a multiple of 8, as cache_find() gives
 * it, and outlive *out: cache_close_hold(); nothing is allocated, strings
 * is not used), diagnostics given; or -1 if the body is unusable (nothing
 * given): read the file instead. */
int cache_get_record(const struct book *b, const unsigned char *body, size_t len,
		     const char *path, struct arena *strings, struct record *out);

#endif
