/*
 * logcache.h -- what each commit changed from its parent, kept for `ae
 * log RECORD` (issue 15, goal 4) in the repository's own folder
 * (.git/ae/log-cache, never committed).
 *
 * git's changed-path filters (commitgraph.h) say which commits certainly
 * left a record alone; each of the others costs reading the two versions
 * of the record's folder tree -- in a book whose folder holds thousands
 * of records, two trees of a few hundred kilobytes, resolved through
 * their deltas.  What a commit changed from its only parent never
 * changes, so once a commit's trees have been compared, the paths it
 * changed and their blobs before and after are kept here, keyed by the
 * commit and the parent: the next `ae log` of any record reads no tree of
 * that commit at all.  A merge or a root commit is never kept (ae log
 * reads its trees).
 *
 * The file is untrusted input like every cache: a CRC-32 trailer over the
 * whole, every count and length checked before use; one that does not
 * parse is used as empty and written anew.  It is written to a temporary
 * file renamed over the old one, so a reader sees a whole file; two
 * writers at once each leave a whole file (the last rename wins, and the
 * other's new entries are computed again by a later run).  $AE_CACHE=0
 * turns it off with the parse cache.
 */
#ifndef AE_LOGCACHE_H
#define AE_LOGCACHE_H

#include <stddef.h>

#define LOGCACHE_ID 20

/* One path a commit changed: its blob before and after (all zero bytes:
 * no blob there -- added, removed, or not a file). */
struct log_change {
	const char *path;	/* the repository path */
	unsigned char old[LOGCACHE_ID], new[LOGCACHE_ID];
};

struct log_cache;

/* The cache of the repository whose git folder is gitdir (ending in '/'):
 * never NULL (an empty cache when there is no usable file, or $AE_CACHE
 * is 0).  log_cache_close() it. */
struct log_cache *log_cache_open(const char *gitdir);

/*
 * What commit, whose only parent is parent, did to path: 1 changed
 * (*old and *new set), 0 left it alone, -1 not known (the commit is not
 * kept, or kept for another parent).
 */
int log_cache_path(const struct log_cache *lc, const unsigned char commit[LOGCACHE_ID],
		   const unsigned char parent[LOGCACHE_ID], const char *path,
		   unsigned char old[LOGCACHE_ID], unsigned char new[LOGCACHE_ID]);

/*
 * Every change kept for commit (whose only parent is parent), in path
 * order: fn(path, its length, old, new, arg) for each (the path is not
 * NUL-terminated).  0, or -1 when the commit is not known (nothing
 * called).
 */
int log_cache_each(const struct log_cache *lc, const unsigned char commit[LOGCACHE_ID],
		   const unsigned char parent[LOGCACHE_ID],
		   void (*fn)(const char *path, size_t len, const unsigned char *old,
			      const unsigned char *new, void *arg),
		   void *arg);

/* Keep what commit changed from parent: the n changes of v, in any order
 * (copied; a path given twice is kept once, its blob ids merged). */
void log_cache_add(struct log_cache *lc, const unsigned char commit[LOGCACHE_ID],
		   const unsigned char parent[LOGCACHE_ID], const struct log_change *v, size_t n);

/* Write the file if anything was added, then free. */
void log_cache_close(struct log_cache *lc);

#endif
