/* pool.c -- see pool.h */
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

static int nthreads;		/* 0: not settled yet */
static _Thread_local int slot;
static _Thread_local int running;
static pthread_mutex_t serial = PTHREAD_MUTEX_INITIALIZER;

struct job {
	void (*fn)(void *ctx, size_t unit);
	void *ctx;
	size_t n, chunk;
	atomic_size_t next;
};

static int cpus(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	n = CPU_COUNT(&set);
	return n < 1 ? 1 : n > POOL_MAX ? POOL_MAX : n;
}

int pool_set_threads_text(const char *text, const char *what)
{
	char *end;
	long n;

	if (!text) {
		text = getenv("AE_THREADS");
		what = "$AE_THREADS";
		if (!text || !*text) {
			nthreads = cpus();
			return 0;
		}
	}
	n = strtol(text, &end, 10);
	if (!*text || *end || n < 0 || n > POOL_MAX)
		return error("%s wants a number of threads from 1 to %d (0: one a CPU), not '%s'",
			     what, POOL_MAX, text);
	nthreads = n ? (int)n : cpus();
	return 0;
}

int pool_threads(void)
{
	if (!nthreads)
		pool_set_threads_text(NULL, NULL) < 0 ? (void)(nthreads = 1) : (void)0;
	return nthreads;
}

int pool_slot(void)
{
	return slot;
}

int pool_active(void)
{
	return running;
}

static void work(struct job *j, int parallel)
{
	running = parallel;
	for (;;) {
		size_t first = atomic_fetch_add(&j->next, j->chunk);
		if (first >= j->n)
			break;
		for (size_t u = first; u < first + j->chunk && u < j->n; u++)
			j->fn(j->ctx, u);
	}
	running = 0;
}

struct worker {
	pthread_t t;
	struct job *job;
	int slot;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	slot = w->slot;
	work(w->job, 1);
	return NULL;
}

void pool_run(size_t n, size_t chunk, void (*fn)(void *ctx, size_t unit), void *ctx)
{
	struct job j;
	struct worker *w;
	int want = pool_threads(), started = 0;

	j.fn = fn;
	j.ctx = ctx;
	j.n = n;
	/* chunks small enough to share the tail out, big enough to keep the
	 * shared counter cold */
	j.chunk = chunk ? chunk : n / ((size_t)want * 16) + 1;
	atomic_init(&j.next, 0);
	if (want <= 1 || n <= 1 || slot != 0) {
		work(&j, 0);
		return;
	}
	if ((size_t)want > n)
		want = (int)n;
	w = xcalloc((size_t)want, sizeof(*w));
	for (int i = 1; i < want; i++) {
		w[i].job = &j;
		w[i].slot = i;
		if (pthread_create(&w[i].t, NULL, worker_main, &w[i]) != 0)
			break;	/* fewer threads: the units still all run */
		started = i;
	}
	work(&j, started > 0);
	for (int i = 1; i <= started; i++)
		pthread_join(w[i].t, NULL);
	free(w);
}

void pool_lock(void)
{
	if (running)
		pthread_mutex_lock(&serial);
}

void pool_unlock(void)
{
	if (running)
		pthread_mutex_unlock(&serial);
}
