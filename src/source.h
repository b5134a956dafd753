/*
 * source.h -- where the book's files come from.
 *
 * Every read of the book goes through a struct source, so the same code
 * reads the working directory or (with --at REV) a commit's tree.  Paths
 * are relative to the book's root, with '/' separators.
 *
 * The book is untrusted (it comes from teammates through a remote): a
 * source never follows a symbolic link, never reads a path with an empty,
 * '.' or '..' component, and lists no folder deeper than SOURCE_MAX_DEPTH
 * below the folder asked for.  What it refuses it reports itself, once
 * per link or folder, as a SEC-1 or SEC-3 error (docs/SECURITY.md).
 */
#ifndef AE_SOURCE_H
#define AE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum source_entry_type { SRC_FILE, SRC_DIR, SRC_SYMLINK, SRC_OTHER, SRC_NESTED_REPO };

/*
 * 56 bytes (a listing of the 100k book is 100,000 of them, fresh memory
 * each run): a file's stat data and its content's id share their room,
 * as no source has both (has_stat and oid_len are never both set).
 */
struct source_entry {
	char *path;			/* owned unless in_block; relative to the root */
	size_t size;
	unsigned char type;		/* enum source_entry_type */
	/* what the parse cache (cache.h) knows a file by; has_stat 0 when
	 * the source has none (a commit, the index, memory) or a value does
	 * not fit (source_entry_stat()) */
	unsigned char has_stat;
	/* the length of oid below, 0 if none */
	unsigned char oid_len;
	/* path is not the entry's own: it lies in one of its list's blocks
	 * or in what its source holds (fsmonitor.c's mapped listing), which
	 * lives as long as the source; not freed by itself */
	unsigned char in_block;
	uint32_t dev;			/* with has_stat */
	union {
		struct {		/* has_stat */
			long long mtime_s, ctime_s;
			unsigned long long ino;
			uint32_t mtime_ns, ctime_ns;
		};
		/* oid_len: the id of a file's content where the source has
		 * one (a commit's tree: the blob id, handed over by the
		 * listing so that the parse cache is looked up before the
		 * blob is read) */
		unsigned char oid[32];
	};
};

/* A listing: its paths live no longer than the source that made it. */
struct source_list {
	struct source_entry *v;
	size_t n, alloc;
	/* blocks holding the paths of entries with in_block set (a listing
	 * made of one copy, fsmonitor.c), freed with the list */
	char **blocks;
	size_t nblocks;
	/* v[0 .. clean) have names text_name_ok() passes without a look:
	 * seen so by fsmonitor.c as it decoded them (0 from anyone else) */
	size_t clean;
};

enum source_read_status {
	SRC_OK = 0,
	SRC_MISSING,		/* no such file */
	SRC_NOT_REGULAR,	/* a directory, symlink, device ... */
	SRC_TOO_BIG,		/* larger than the limit given */
	SRC_ERROR,		/* any other failure; errno-style text in msg */
	SRC_LINK,		/* a folder on the way, or the file, is a symbolic
				 * link: not followed, and already reported */
};

/* Folders listed below the one asked for, at most (SEC-3). */
#define SOURCE_MAX_DEPTH 16

struct source {
	const char *name;	/* "working tree", "commit 1a2b3c4" */
	/*
	 * Every entry under dir (recursively; dir "" is the root is not
	 * used), sorted by path.  Hidden names (".git", ".x") are skipped.
	 * Returns 0, or -1 with a diagnostic already given.
	 */
	int (*list)(struct source *s, const char *dir, struct source_list *out);
	/* Read a regular file of at most limit bytes into out. */
	enum source_read_status (*read)(struct source *s, const char *path,
					size_t limit, struct strbuf *out,
					const char **msg);
	int (*exists)(struct source *s, const char *path);
	void (*free)(struct source *s);
	/* read() may run on several threads at once (pool.h); when 0, the
	 * readers take turns (pool_lock), as libgit2's objects want */
	int threads_ok;
	/* its listing's stat data name a file's content (the working
	 * folder): the parse cache may be used (cache.h) */
	int cacheable;
	/* its listing's files carry the id of their content (oid above),
	 * which cannot go stale: the parse cache may key them by it */
	int content_ids;
};

/* The working directory rooted at root (an absolute path; copied). */
struct source *source_fs_new(const char *root);
/* For a whole listing to come: what `ae watch` keeps read meanwhile
 * (fsmonitor_read_ahead()); src is source_fs_new()'s. */
void source_fs_read_ahead(struct source *src);

/*
 * A book held in memory (tests, fuzzers): empty until files are put in.
 * Folders are implied by the files' paths; every entry is SRC_FILE or
 * SRC_DIR.  Listed in the order a walk of the same tree gives.
 */
struct source *source_mem_new(void);
/* Store a copy of data[0..len) as the file path, replacing any before. */
void source_mem_put(struct source *s, const char *path, const char *data,
		    size_t len);

void source_list_release(struct source_list *l);
/* e's type and stat data from st, as a walk of the working folder
 * records them (source_fs.c; fsmonitor.c for a changed path); has_stat
 * 0 (the parse cache not used for it) if the device number does not
 * fit in 32 bits (it always does on Linux, whose own are 32 bits) */
struct stat;
void source_entry_stat(struct source_entry *e, const struct stat *st);
/* Move from's blocks to to (when its entries move there). */
void source_list_adopt_blocks(struct source_list *to, struct source_list *from);

/*
 * The one report of a symbolic link inside the book (SEC-1), at
 * path:1:1; the sources call it once per link they meet.
 */
void source_refuse_link(const char *path);
/* The one report of a folder nested deeper than SOURCE_MAX_DEPTH (SEC-3). */
void source_refuse_depth(const char *path);

/*
 * lower, except that the paths named (exact file paths) are read from top,
 * or are absent when top lacks them.  Takes ownership of both sources.
 */
struct source *source_overlay_new(struct source *lower, struct source *top,
				  const struct strlist *paths);

#endif
