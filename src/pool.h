/*
 * pool.h -- reading and checking a book on every core: a pool of threads.
 *
 * pool_run() hands the units of a job (records, journal files) to
 * pool_threads() threads, the calling thread one of them, and returns when
 * every unit is done.  Each thread has a small number, pool_slot(): 0 for
 * the main thread (and any thread outside the pool), 1 .. POOL_MAX - 1 for
 * the workers, so that a module can keep per-thread state in an array
 * indexed by it (PCRE2 match data and match contexts, a source's open
 * folder, the diagnostics being collected) with no lock on the hot path.
 *
 * The number of threads is the CPUs this process may run on
 * (sched_getaffinity), unless --threads N or $AE_THREADS says otherwise;
 * 1 runs every unit in the calling thread, in order: the sequential path.
 * A job's results must not depend on which thread ran which unit: each
 * unit writes only its own result, and the caller merges the results in
 * unit order after pool_run() returns (book.c, journal.c), so the output
 * is byte for byte that of one thread.
 */
#ifndef AE_POOL_H
#define AE_POOL_H

#include <stddef.h>

#define POOL_MAX 64

/*
 * State kept per thread in an array indexed by pool_slot() is padded to
 * a cache line (POOL_LINE bytes a slot): neighbouring slots written by two
 * threads would otherwise share a line, and each write would take it
 * from the other core (the cold check of the 100k book spent 18% more
 * user time on two threads than on one before the slots were padded).
 */
#define POOL_LINE 64

/*
 * Set the number of threads: n >= 1, or 0 for the CPUs.  Returns 0, or
 * -1 (reported with error()) when text is not a number from 0 to
 * POOL_MAX.  pool_set_threads_text(NULL) reads $AE_THREADS (unset or
 * empty: the CPUs).
 */
int pool_set_threads_text(const char *text, const char *what);
/* The number of threads pool_run() uses (at least 1, at most POOL_MAX). */
int pool_threads(void);

/* This thread's slot: 0 outside a pool's workers. */
int pool_slot(void);

/*
 * Run fn(ctx, unit) for every unit in [0, n), on pool_threads() threads,
 * units taken in order in chunks of `chunk` (0: a sensible size).  fn
 * must be safe to run on several threads at once.  With one thread, or
 * when a worker cannot be started, the units run in the calling thread.
 */
void pool_run(size_t n, size_t chunk, void (*fn)(void *ctx, size_t unit), void *ctx);

/* Whether the calling thread is running units of a pool_run() now, on
 * more than one thread (with one, everything is as it always was). */
int pool_active(void);

/*
 * Serialises calls of a function that is not safe on several threads (a
 * libgit2 source's read); no-ops outside pool_run().
 */
void pool_lock(void);
void pool_unlock(void);

#endif
