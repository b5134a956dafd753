/*
 * rules_run.c -- every cross-record rule (rules.h) run on the pool's
 * threads (pool.h), with the output of one thread.
 *
 * The families run in parts: a family that checks each record on its
 * own (the numbering, references, meetings, a ticket's dates, its job
 * number, its signature) takes a slice of the records of its kind in
 * each part; a family that needs the whole book at once is one part.
 * Each part captures its diagnostics (diag_capture()), and the parts'
 * diagnostics are committed in the order one thread gives them, family
 * by family and slice by slice, so diag.c's sort (which keeps that order
 * among diagnostics at the same place) prints the same bytes.
 *
 * Three waves, each a pool_run(), each needing the one before:
 *   1. identifiers, the numbering (which fills the memo of matches
 *      every later family reads: rules.c), and the job numbers'
 *      history (libgit2 when the history is read from git: the only
 *      part that calls it, so it is called on one thread at a time);
 *   2. references, unique fields, meetings, clients, the hierarchy, a
 *      ticket's dates, each job number's own checks;
 *   3. the job numbers in order and the first of each month (after all
 *      of them are split), tickets, letters, reviews.
 *
 * SEC-2: on several threads no pattern is charged its budget: a subject
 * that needs more than the first step allowance makes
 * pattern_serial_needed() (pattern.h).  Then what the threads found is
 * dropped and the rules run again on one thread, where the budget is
 * charged in the one order that gives the same diagnostics every run.
 * A part charges nothing else and keeps its caches to itself, so a part
 * run on any thread finds what it would on one.
 */
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "pattern.h"
#include "pool.h"
#include "rules.h"

enum family {
	F_IDS, F_NUMBERING, F_REFS, F_UNIQUE, F_MEETINGS, F_CLIENT, F_ORG, F_JOB,
	F_JOBNO_RECORDS, F_JOBNO_ORDER, F_JOBNO_HISTORY, F_JOBNO_FIRST,
	F_TICKET, F_TICKET_CLOSED, F_LETTER, F_REVIEW, F__N
};

enum { WHOLE = -1, ALL = -2 };

/* Each family, in the order one thread runs them: the records it takes
 * in parts (a kind, ALL of them, or WHOLE: one part), and its wave (0:
 * run by the part before it, F_JOBNO_ORDER's, on several threads). */
static const struct {
	int kind, wave;
} families[F__N] = {
	[F_IDS] = { WHOLE, 1 },
	[F_NUMBERING] = { ALL, 1 },
	[F_REFS] = { ALL, 2 },
	[F_UNIQUE] = { WHOLE, 2 },
	[F_MEETINGS] = { ALL, 2 },
	[F_CLIENT] = { WHOLE, 2 },
	[F_ORG] = { WHOLE, 2 },
	[F_JOB] = { K_JOB, 2 },
	[F_JOBNO_RECORDS] = { K_JOB, 2 },
	[F_JOBNO_ORDER] = { WHOLE, 3 },
	[F_JOBNO_HISTORY] = { WHOLE, 1 },
	[F_JOBNO_FIRST] = { WHOLE, 0 },
	[F_TICKET] = { K_JOB, 3 },
	[F_TICKET_CLOSED] = { K_JOB, 3 },
	[F_LETTER] = { WHOLE, 3 },
	[F_REVIEW] = { WHOLE, 3 },
};

struct part {
	enum family f;
	size_t from, to;
	struct diag_batch *diags;
};

struct run {
	struct book *b;
	struct jobno_run *jobno;
	int parallel;
	struct part *v;
	size_t n;
	size_t jobno_first;	/* the part of F_JOBNO_FIRST */
	size_t *wave;		/* the parts of the wave running: indices into v */
};

/* A slice of records has at least this many of its kind: a part costs a
 * few allocations and, on a small book, more parts only cost. */
#define SLICE_LEAST 256

static void plan(struct run *r, struct book *b, int threads)
{
	size_t lo[K__N], hi[K__N];
	size_t most = threads > 1 ? (size_t)threads * 4 : 1;

	for (int k = 0; k < K__N; k++)
		lo[k] = hi[k] = 0;
	for (size_t i = b->nrecs; i-- > 0;)
		lo[b->recs[i].kind] = i;
	for (size_t i = 0; i < b->nrecs; i++)
		hi[b->recs[i].kind] = i + 1;
	r->b = b;
	r->parallel = threads > 1;
	r->v = xmalloc(sizeof(*r->v) * (F__N * most + 1));
	r->n = 0;
	r->wave = xmalloc(sizeof(*r->wave) * (F__N * most + 1));
	for (int f = 0; f < F__N; f++) {
		int kind = families[f].kind;
		size_t from = kind == WHOLE || kind == ALL ? 0 : lo[kind];
		size_t to = kind == WHOLE || kind == ALL ? b->nrecs : hi[kind];
		size_t parts = kind == WHOLE ? 1 : (to - from + SLICE_LEAST - 1) / SLICE_LEAST;

		if (parts > most)
			parts = most;
		if (parts < 1)
			parts = 1;
		if (f == F_JOBNO_FIRST)
			r->jobno_first = r->n;
		for (size_t p = 0; p < parts; p++) {
			struct part *pt = &r->v[r->n++];
			pt->f = (enum family)f;
			pt->from = from + (to - from) * p / parts;
			pt->to = from + (to - from) * (p + 1) / parts;
			pt->diags = NULL;
		}
	}
}

static void run_part(struct run *r, struct part *p)
{
	struct book *b = r->b;

	switch (p->f) {
	case F_IDS: rules_ids(b); break;
	case F_NUMBERING: rules_numbering(b, p->from, p->to); break;
	case F_REFS: rules_refs(b, p->from, p->to); break;
	case F_UNIQUE: rules_unique_fields(b); break;
	case F_MEETINGS: rules_meetings(b, p->from, p->to); break;
	case F_CLIENT: rules_client(b); break;
	case F_ORG: rules_org(b); break;
	case F_JOB: rules_job(b, p->from, p->to); break;
	case F_JOBNO_RECORDS: rules_jobno_records(r->jobno, p->from, p->to); break;
	case F_JOBNO_ORDER:
		rules_jobno_order(r->jobno);
		if (r->parallel) {
			/* the first of each month needs the order and the
			 * history (wave 1): on the same thread, right after */
			diag_capture(&r->v[r->jobno_first].diags);
			rules_jobno_first(r->jobno);
		}
		break;
	case F_JOBNO_HISTORY: rules_jobno_history(r->jobno); break;
	case F_JOBNO_FIRST: rules_jobno_first(r->jobno); break;
	case F_TICKET: rules_ticket(b, p->from, p->to); break;
	case F_TICKET_CLOSED: rules_ticket_closed(b, p->from, p->to); break;
	case F_LETTER: rules_letter(b); break;
	case F_REVIEW: rules_review(b); break;
	case F__N: break;
	}
}

static void run_unit(void *ctx, size_t unit)
{
	struct run *r = ctx;
	struct part *p = &r->v[r->wave[unit]];

	diag_capture(&p->diags);
	run_part(r, p);
	diag_capture(NULL);
}

static void run_end(struct run *r)
{
	rules_jobno_end(r->jobno);
	rules_memo_end();
	free(r->wave);
	free(r->v);
}

/*
 * The rules in parts on the threads; 1 when done, 0 when a pattern
 * needed more steps than threads may give it (nothing reported then:
 * the caller runs the rules on one thread).
 */
static int run_parallel(struct book *b, int threads)
{
	struct run r;
	int ok = 1;

	plan(&r, b, threads);
	rules_memo_start(b);
	r.jobno = rules_jobno_start(b);
	for (int w = 1; w <= 3 && ok; w++) {
		size_t n = 0;
		/* the parts that take the whole book first: the longest */
		for (size_t i = 0; i < r.n; i++)
			if (families[r.v[i].f].wave == w && families[r.v[i].f].kind == WHOLE)
				r.wave[n++] = i;
		for (size_t i = 0; i < r.n; i++)
			if (families[r.v[i].f].wave == w && families[r.v[i].f].kind != WHOLE)
				r.wave[n++] = i;
		pool_run(n, 1, run_unit, &r);
		ok = !pattern_serial_needed();
	}
	for (size_t i = 0; i < r.n; i++)
		diag_commit(r.v[i].diags, ok ? SIZE_MAX : 0);
	if (!ok)
		pattern_serial_reset();
	run_end(&r);
	return ok;
}

void rules_check(struct book *b)
{
	struct run r;
	int threads = pool_threads();

	/* on the pool's threads, unless on one anyway, or a pattern's
	 * budget is being charged on one (pattern.h) */
	if (threads > 1 && pool_slot() == 0 && !pattern_serial_needed() && run_parallel(b, threads))
		return;
	plan(&r, b, 1);
	rules_memo_start(b);
	r.jobno = rules_jobno_start(b);
	for (size_t i = 0; i < r.n; i++)
		run_part(&r, &r.v[i]);
	run_end(&r);
}
