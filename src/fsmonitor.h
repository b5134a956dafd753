/*
 * fsmonitor.h -- a folder's listing from the last one and what `ae watch`
 * saw change since (issue 15, goal 2; the monitor and its protocol:
 * watch.h).
 *
 * The working folder's source (source_fs.c) asks here before it walks a
 * folder.  The listing of each folder a run walked is kept in
 * .git/ae/listing-cache with the monitor's token of the question asked
 * before the walk; the next listing asks the monitor for the paths
 * changed since that token, stats those alone, and takes every other
 * entry, stat data and all, from the kept listing.  The stat data is then
 * what the parse cache compares (cache.h), so a record nobody touched is
 * neither stat'ed nor read.
 *
 * It can never serve a stale listing while the monitor runs: the token
 * covers every change made before the question (watch.h), a folder the
 * monitor did not follow path by path is listed anew ("all"), and a
 * listing is kept only when walking it reported nothing (no folder too
 * deep, no link refused, no repository inside the book), so that a walk
 * would say nothing more.  With no monitor answering, every folder is
 * walked, as before (and with no socket in .git/ae the kept listings
 * are not even read).  The file is untrusted like every cache: checksummed,
 * every length checked, every path checked to be a plain path inside the
 * folder it is kept for, in a walk's order; anything else and it is not
 * used.  Limits (those of every inotify monitor, git's and watchman's
 * too): a write through a hard link from outside the book, or through a
 * shared mapping, raises no event; so do not run `ae watch` on such a
 * book, or run `ae watch stop` first.
 */
#ifndef AE_FSMONITOR_H
#define AE_FSMONITOR_H

#include <stdint.h>

#include "source.h"

struct fsmonitor;

/* The monitor of the working folder at root (absolute; copied), or NULL
 * when it cannot be used (no repository, $AE_WATCH=0).  Nothing is read
 * or asked until the first listing, or fsmonitor_read_ahead(). */
struct fsmonitor *fsmonitor_new(const char *root);

/*
 * For a run about to list every folder (a whole book loaded): the kept
 * listings (8.5 MB for the 100k book, mapped and checksummed: 2.5-4.3 ms)
 * read now on a thread of their own, beside the book's settings, rather
 * than by the first listing on the main thread; any other call on m
 * waits for it first.  Nothing with one thread (pool.h), or m NULL.
 */
void fsmonitor_read_ahead(struct fsmonitor *m);

/* What a question got, for fsmonitor_listed(). */
struct fsm_token {
	uint64_t instance, seq;
	int valid;
};

/*
 * The listing of dir (as source.h's list() gives it) from the kept one
 * and the monitor's changes: 1 and out filled.  0 when dir must be
 * walked: then, if the walk reported nothing, the caller hands its result
 * to fsmonitor_listed() with *tok, to be kept.  m may be NULL (0).  rootfd
 * is the book's folder, through which changed paths are stat'ed.
 */
int fsmonitor_list(struct fsmonitor *m, int rootfd, const char *dir,
		   struct source_list *out, struct fsm_token *tok);
void fsmonitor_listed(struct fsmonitor *m, const char *dir, const struct source_list *l,
		      const struct fsm_token *tok);

/*
 * For the fuzzer (tests/fuzz/fuzz_listing.c), which feeds the file a
 * hostile disk could hold: the i-th kept listing, as the monitor's "no
 * change" would serve it, appended to out with its folder in *dir
 * (borrowed).  1, 0 if it is not usable (out as it was), -1 past the
 * last.  ae itself never calls it.
 */
int fsmonitor_kept(struct fsmonitor *m, size_t i, const char **dir, struct source_list *out);

/* Write the kept listings back if they changed, then free (NULL: nothing). */
void fsmonitor_free(struct fsmonitor *m);

#endif
