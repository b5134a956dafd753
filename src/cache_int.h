/* cache_int.h -- what cache.c (the file: read, found, kept, written) and
 * cache_image.c (the journal's image in it) share of the parse cache;
 * not for the rest of ae, which sees cache.h only. */
#ifndef AE_CACHE_INT_H
#define AE_CACHE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "cache.h"
#include "pool.h"
#include "strmap.h"

#define HEADER_BYTES 40		/* magic, layout, settings, count, payload length; then the checksum */
_Static_assert(CACHE_HEADER_BYTES == HEADER_BYTES + 8, "the first entry follows the checksum");
#define ENTRY_MAX ((size_t)1 << 30)

/*
 * The journal's image (cache_put_image()): the last entry, of type
 * CACHE_IMAGE with an empty key and path, says what the bytes after the
 * payload are -- the book's array of journal entries as the run that
 * wrote the file had it, padded so that it ends on a page: mapped with
 * room after it, the next run uses it in place and puts the months that
 * changed after it.  Its body: a marker in the CPU's own byte order (the
 * entries are in it), the size of an entry, the ids digest they were
 * made under, the months and the entries' count, then each month's body
 * (its offset in the file), place, count and checksum, then padding.
 */
#define CACHE_IMAGE 3
/*
 * The table of the entries (cache.c write_cache()): the payload's first
 * entry, of type CACHE_TABLE with an empty key and path, so that a run
 * finds every entry from 2.4 MB read in order, not by walking 100,000
 * entries strewn over 150 MB (20 ms of waiting on memory, each entry's
 * place known only once the one before it is read).  Its body: the
 * rows' count, the runs' count (0: none found, the paths in no useful
 * order), each run's first row (32 bits), zeros to a multiple of 8, and
 * a row of TABLE_ROW bytes for each entry in the file's order: where its
 * length is in the file (64 bits), where its path starts after that,
 * the path's length, the body's length and its type (32 bits each).  A
 * row is checked against the file's bounds where it is read; what it
 * points at is checked where it is used (cache_find(): the entry's own
 * length, and its checksum).
 */
#define CACHE_TABLE 4
#define TABLE_ROW 24
#define TABLE_HEAD 16
/* runs of paths in order that a table names (or build_lookup() finds):
 * more, and the paths are hashed */
#define CACHE_RUNS_MAX 64
#define IMAGE_MARK 0x47414D49u	/* "IMAG" read little-endian */
#define IMAGE_HEAD 32
#define IMAGE_MONTH 32
#define IMAGE_ALIGN 4096
#define IMAGE_BODY (64 + ENTRY_SUMS)	/* where its body starts in the entry, length included */
#define IMAGE_ROOM ((size_t)64 << 20)	/* address space after a mapped file */
#define MAPPED_ROOM 2

/*
 * An entry of the file read, 24 bytes: found by walking the whole file
 * (100,000 of them in the 100k book, whose old 136-byte form, every
 * field decoded, cost 17 ms a warm run, most of it faulting in 14 MB);
 * its key (stat data, blob id) is read from the file where it is
 * compared, its body follows its path.
 */
struct centry {
	const unsigned char *raw;	/* the whole entry: its length, its type, its key */
	const char *path;	/* in the file, NUL-terminated */
	uint32_t path_len;
	uint32_t len;		/* of the body, after the path's NUL */
};
#define CE_TYPE(ce) ((ce)->raw[4])
#define CE_KEY(ce) ((ce)->raw + 5)
/*
 * After the path's NUL, at the next multiple of 8 in the file (zeros
 * between), the entry's checksums (ENTRY_SUMS bytes): the sum of the
 * entry's bytes but these and the tail, the sum of the tail, the tail's
 * length (the body's last bytes, which their user checks where it reads
 * them: cache_tail_ok()) and four zeros; then the body, and each entry
 * at a multiple of 8 (zeros between, the next entry's length not
 * counting them): a record's values are used where they lie
 * (cache_body.c).
 */
#define ENTRY_SUMS CACHE_ENTRY_SUMS
#define ENTRY_SEED 0x656E747279ULL	/* an entry's sum */
#define TAIL_SEED 0x7461696CULL		/* its tail's */
#define CE_BODY(ce) (body_at((const unsigned char *)(ce)->path + (ce)->path_len + 1) + ENTRY_SUMS)
static inline const unsigned char *body_at(const unsigned char *after_path)
{
	return (const unsigned char *)(((uintptr_t)after_path + 7) & ~(uintptr_t)7);
}
#define CE_RAW_LEN(ce) ((size_t)(CE_BODY(ce) + (ce)->len - (ce)->raw))

/* The checksum of the entry at raw whose body (len bytes, the last
 * `tail` of them its tail) is at body; the sums put in place
 * (cache.c). */
uint64_t cache_entry_head_sum(const unsigned char *raw, const unsigned char *body, size_t len,
			      size_t tail);
void cache_entry_seal(unsigned char *raw, unsigned char *body, size_t len, size_t tail);

struct cache {
	char *file;		/* .git/ae/parse-cache, or blob-cache */
	int by_blob;		/* entries keyed by path and blob id, not stat data */
	int write;
	int dirty, spoiled;
	uint64_t settings;
	int64_t began;		/* seconds: a file not older than this is racy */
	unsigned char *old;	/* the cache read, or NULL */
	size_t old_len;
	int old_mapped;		/* old is mapped (munmap), not allocated:
				 * MAPPED_ROOM with IMAGE_ROOM bytes of
				 * address space kept after it */
	/* the journal's image (cache_get_image()) of the file read: its
	 * entry's body, within the payload, and its entries after the
	 * payload */
	const unsigned char *image_raw, *image_body;
	size_t image_len;
	unsigned char *image_entries;
	size_t image_bytes;
	/* the image to write (cache_put_image()) */
	struct {
		uint64_t digest;
		const void *entries;
		size_t esize, total;
		struct cache_image_month *months;
		size_t n;
		int set;	/* by the journal: else the image read is
				 * carried forward, as far as it can be */
		int carried;	/* carry_forward() done */
	} put;
	struct centry *v;
	size_t n;
	/*
	 * The entries' sums checked ahead (cache_check_ahead(), on the
	 * thread that read the file, while the records are listed): sound[i]
	 * 1 for entry i found sound; written by that thread alone, read only
	 * after it is joined.  stop_ahead: the listing is done.
	 */
	unsigned char *sound;
	atomic_int stop_ahead;
	int ahead;		/* $AE_CACHE_AHEAD: 0 none, 1 till stopped, 2 all */
	/*
	 * Finding a path's entry.  The listing and the cache are in the
	 * same order (the cache is written in the order its files were
	 * read), so each thread first looks just past the entry it found
	 * last (`cursor`, by pool_slot()); failing that, a binary search
	 * in each run of entries that is in path order (`runs`, found the
	 * first time it is needed); and a cache in no useful order (more
	 * runs than RUNS_MAX) gets a hash index of every path.
	 */
	struct cursor {
		size_t at;
		char pad[POOL_LINE - sizeof(size_t)];	/* pool.h: one cache line a thread */
	} cursor[POOL_MAX];
	pthread_mutex_t lock;	/* of what follows, while it is built */
	atomic_int built;	/* runs or index built */
	size_t *runs, nruns;	/* each run's first entry; then n */
	struct strmap index;	/* "T" + path -> entry + 1, with too many runs */
	struct arena keys;
	size_t keep_cursor;	/* cache_keep()'s guess of the next old entry */
	size_t kept_old;	/* of the entries kept (nkeep), those from old */
	/* the entries of the next cache, in order: an old one (its index
	 * in v) or a new one (its offset in `out`), copied out only when
	 * the cache is written */
	size_t in_order;	/* while nkeep is this, keep[] is not made: the
				 * entries kept are v's first, in order */
	struct kept {
		size_t old;	/* index + 1 into v, or 0 */
		size_t off, len;
		size_t body;	/* where the body starts in the entry */
	} *keep;
	size_t nkeep, alloc_keep;
	struct cbuf out;	/* the new entries */
};

/* The page size, and n rounded up to it. */
static inline size_t page_size(void)
{
	static size_t page;

	if (!page) {
		long v = sysconf(_SC_PAGESIZE);
		page = v > 0 && !(v & (v - 1)) ? (size_t)v : 4096;
	}
	return page;
}

static inline size_t page_up(size_t n)
{
	return (n + page_size() - 1) & ~(page_size() - 1);
}

/* -- the table of the entries (cache_table.c) */

/* An entry as the table has it: where it is, where its path starts
 * after its length, the path's length, the body's and the type. */
struct cache_row {
	const unsigned char *raw;
	uint32_t path_at, path_len, len, type;
};

/* The order of a listing: by type, then path, a folder's files right
 * after it ('/' before any other byte): <0, 0, >0. */
int cache_path_order(unsigned ta, const char *a, size_t an, unsigned tb, const char *b, size_t bn);
/* The row of the entry at raw (its length first; room bytes there): 0,
 * or -1 if they do not hold an entry of a cache keyed by stat data, or
 * by blob id. */
int cache_entry_row(const unsigned char *raw, size_t room, int by_blob, struct cache_row *row);
/* The first row of each run of rows[0..n) in path order into runs: how
 * many, or 0 if there are more than CACHE_RUNS_MAX. */
size_t cache_table_runs(const struct cache_row *rows, size_t n, uint32_t *runs);
/* The size of a table's body of nrows rows and nruns runs. */
size_t cache_table_size(size_t nrows, size_t nruns);
/* A table entry with a body of body_len zero bytes put at the end of
 * payload: where it starts in payload. */
size_t cache_table_reserve(struct cbuf *payload, int by_blob, size_t body_len);
/* The table entry at raw (cache_table_reserve()'s) filled with rows
 * (each in the file at offs[i]) and runs, and sealed. */
void cache_table_fill(unsigned char *raw, int by_blob, const struct cache_row *rows,
		      const uint64_t *offs, size_t nrows, const uint32_t *runs, size_t nruns);
/* c's entries (c->v), runs and journal's image from the table of file,
 * whose payload ends at pend and whose header says count entries: 0, or
 * -1 if the table is not one that this file could have (c->v may be
 * allocated all the same). */
int cache_table_read(struct cache *c, const unsigned char *file, size_t pend, uint64_t count);

/* Whether cache_image_put() will put an image (cache_image.c). */
int cache_image_ready(struct cache *c);
/* The image entry put at the end of payload, the kept bodies' places in
 * the file already in keep[].off: the entries to write after the
 * payload, or NULL if none (cache_image.c). */
const char *cache_image_put(struct cache *c, struct cbuf *payload);

#endif
