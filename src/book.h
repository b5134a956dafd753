/*
 * book.h -- the book: settings, formats, records and journal, read from a
 * struct source.  The single entry point every command reads through.
 *
 * Loading reports every problem through diag.h and goes on: a command
 * sees all records that could be read, with r->bad set on the ones that
 * had errors.
 */
#ifndef AE_BOOK_H
#define AE_BOOK_H

#include <stdint.h>

#include "calendar.h"
#include "config.h"
#include "format.h"
#include "journal.h"
#include "record.h"
#include "source.h"
#include "strmap.h"
#include "util.h"

struct store;
struct cache;
struct cache_hold;

struct book {
	char *root;			/* absolute path of the book's folder, or NULL */
	struct source *src;		/* where records are read from */
	struct source *shipped;		/* the shipped formats */
	struct config cfg;
	struct formats fmts;
	struct arena arena;		/* record strings */
	struct record *recs;
	size_t nrecs, alloc_recs;
	struct strmap by_id[K__N];	/* id -> struct record * */
	/* book_ids_digest()'s part of each kind, made as it was indexed
	 * (for ids_digested records) */
	uint64_t ids_digest_kind[K__N];
	size_t ids_digested;
	struct journal journal;
	struct calendar cal;		/* the working calendar (CAL-1) */
	int config_ok;
	struct store *store;		/* set when read from git (--at); owned */
	const char *rev;		/* the revision read (--at), whose history
					 * the rules read (JOBNO-1); NULL: HEAD */
	moment_t now;			/* the rules' now (JOB-7), or 0: unknown */
	int others_unread;		/* book_load_only(..., 1): no other record known */
	int cache_write;		/* book_load may write the parse cache back */
	struct cache *cache;		/* the parse cache, while book_load runs */
	struct cache_hold *cache_hold;	/* the cache file read, which records
					 * read from it point into */
	/* kept from the parse cache of a working folder once loaded (else
	 * NULL, 0): its folder (.git/ae), its settings hash, and whether
	 * this run may write there (due_sums.h) */
	char *cache_dir;
	uint64_t cache_settings;
	int cache_writes;
};

/*
 * Find the book containing start (or start itself): the nearest folder
 * upward holding ae.ini.  Returns an owned absolute path, or NULL.
 */
char *book_find_root(const char *start);

/* Open the book at root: settings and formats.  0, or -1 if unusable. */
int book_open(struct book *b, const char *root, const char *argv0);
/* The same for a book about to be loaded whole (book_load()): the
 * folders' listings that `ae watch` keeps read meanwhile, beside the
 * settings. */
int book_open_whole(struct book *b, const char *root, const char *argv0);

/*
 * Open the book read from src, with the shipped formats from shipped (or
 * none when NULL): as book_open(), with b->root NULL.  The book owns both
 * sources from now on, even on failure; book_release() frees them.
 */
int book_open_source(struct book *b, struct source *src, struct source *shipped);

/* Read every record, then the journal.  Returns 0 (problems are reported). */
int book_load(struct book *b);

/*
 * Read in full only the records and journal files whose paths are keys
 * of `only`, and the records they name; every other record is known by
 * its identifier alone.  For checking a change to a big book quickly:
 * diagnostics are meaningful for the paths in `only`.
 */
int book_load_only(struct book *b, const struct strmap *only, int alone);
/* alone: the change cannot affect other records nor they it (no reference,
 * identifier or shared field changed): nothing else is read at all, and
 * references, which did not change, are not looked up. */

void book_release(struct book *b);

/*
 * A digest of the book's records, each one's kind, identifier and index
 * in recs: the same digest, the same record at each index (journal.c's
 * cached look-ups rely on it).  Made while the book is indexed, on the
 * pool, each kind's part with the hash its map takes anyway (100,000
 * identifiers hashed once, not twice and one of them on one core).
 */
uint64_t book_ids_digest(const struct book *b);

/* The record of kind k with that id, or NULL. */
const struct record *book_record(const struct book *b, int kind, const char *id);

/* Field index of name in kind k's format, or -1. */
int book_field(const struct book *b, int kind, const char *name);

/* Read and check one record file, added to b->recs. */
void record_load(struct book *b, const char *path, int folder_kind,
		 struct strbuf *buf);
/*
 * The same into *out, its strings in `strings`, b left as it is: safe on
 * several threads at once (book_load reads the records on every core).
 */
struct arena;
void record_read(const struct book *b, const char *path, int folder_kind,
		 struct strbuf *buf, struct arena *strings, struct record *out);

#endif
