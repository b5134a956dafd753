/*
 * Unit test of the check of the journal's entries in the cache's image
 * (journal_cache.c jentry_extremes()): the AVX2 walk against the scalar
 * one it stands for, over random runs of entries with every field pushed
 * past what ae writes, one at a time and together -- the same extremes of
 * every number, the same answer on the records named, the same verdict.
 * (On a processor without AVX2 both walks are the scalar one.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/journal.h"
#include "../../src/journal_int.h"

static int failures, checks;

static unsigned long long rnd_state = 0x9E3779B97F4A7C15ULL;

static unsigned long long rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

#define NRECS 5000u
#define NSTAFF 40u
#define NWHATS 60u

/* An entry as ae writes one: every number in range. */
static void good_entry(struct jentry *e)
{
	memset(e, 0, sizeof(*e));
	e->at = (moment_t)(rnd() % (200u * 365 * 1440)) + (moment_t)-25567 * 1440 + 1;
	e->amount = (long)(rnd() % 2000000) - 1000000;
	e->rec = (int)(rnd() % (NRECS + 1)) - 1;
	e->line = (int)(rnd() % 100000) + 1;
	e->who = (unsigned short)(rnd() % NSTAFF);
	e->what = (unsigned short)(rnd() % NWHATS);
	e->span_start = (unsigned)(rnd() % 1440);
	e->span_end = (unsigned)(rnd() % 1440);
	e->verb = (unsigned)(rnd() % 8);
	e->important = (unsigned)(rnd() & 1);
}

/* One field of e pushed to a value ae does not write (or an edge). */
static void bad_field(struct jentry *e)
{
	static const long amounts[] = { -9000000000000000000L, 9000000000000000000L, 0, -1 };
	uint32_t word;

	switch (rnd() % 9) {
	case 0: e->at = (moment_t)(rnd() % 2 ? -(long long)(rnd() >> 2) : (long long)(rnd() >> 2)); break;
	case 1: e->amount = amounts[rnd() % 4]; break;
	case 2: e->rec = (int)(rnd() % 2 ? -2 - (int)(rnd() % 100000) : (int)(NRECS + rnd() % 100)); break;
	case 3: e->rec = rnd() % 2 ? INT32_MIN : INT32_MAX; break;
	case 4: e->who = (unsigned short)(NSTAFF + rnd() % 60000); break;
	case 5: e->what = (unsigned short)(NWHATS + rnd() % 60000); break;
	case 6: e->span_start = (unsigned)(1440 + rnd() % 600); break;
	case 7: e->span_end = (unsigned)(1440 + rnd() % 600); break;
	default:
		/* a spare bit */
		memcpy(&word, (unsigned char *)e + 28, 4);
		word |= 1u << (26 + rnd() % 6);
		memcpy((unsigned char *)e + 28, &word, 4);
		break;
	}
}

static void expect_same(int round, const struct jentry_extremes *a, const struct jentry_extremes *b)
{
	int same = a->max_who == b->max_who && a->max_what == b->max_what &&
		   a->max_start == b->max_start && a->max_end == b->max_end &&
		   (a->named & 1) == (b->named & 1) && a->words == b->words &&
		   a->min_at == b->min_at && a->max_at == b->max_at &&
		   a->min_amount == b->min_amount && a->max_amount == b->max_amount &&
		   (a->max_r > NRECS) == (b->max_r > NRECS) &&
		   (a->max_r > NRECS || a->max_r == b->max_r) &&
		   jentry_extremes_bad(a, NSTAFF, NWHATS, NRECS) ==
			   jentry_extremes_bad(b, NSTAFF, NWHATS, NRECS);

	checks++;
	if (same)
		return;
	printf("jcheck.c: round %d: the AVX2 walk differs: who %u/%u what %u/%u start %u/%u end %u/%u "
	       "named %u/%u words %x/%x at %ld..%ld / %ld..%ld amount %ld..%ld / %ld..%ld r %llu/%llu\n",
	       round, a->max_who, b->max_who, a->max_what, b->max_what, a->max_start, b->max_start,
	       a->max_end, b->max_end, a->named & 1, b->named & 1, a->words, b->words, a->min_at,
	       a->max_at, b->min_at, b->max_at, a->min_amount, a->max_amount, b->min_amount,
	       b->max_amount, (unsigned long long)a->max_r, (unsigned long long)b->max_r);
	failures++;
}

int main(void)
{
	unsigned char *bits = calloc(NRECS / 8 + 2, 1);
	struct jentry *v = malloc(sizeof(*v) * 2048);
	int bad_verdicts = 0;

	for (int round = 0; round < 4000; round++) {
		size_t n = (size_t)(rnd() % 2048);
		struct jentry_extremes scalar, simd;
		int bad = (int)(rnd() % 4);

		/* the records a month's lookups found: all, or (a round in
		 * five) all but one in a hundred */
		memset(bits, 0, NRECS / 8 + 2);
		bits[0] = 1;
		for (unsigned r = 0; r < NRECS; r++)
			if (round % 5 || rnd() % 100)
				bits[(r + 1) >> 3] |= (unsigned char)(1u << ((r + 1) & 7));
		for (size_t i = 0; i < n; i++)
			good_entry(&v[i]);
		/* none, one, or many fields pushed out of range */
		for (int k = 0; n && k < (bad == 3 ? 8 : bad); k++)
			bad_field(&v[rnd() % n]);
		jentry_extremes(v, n, NRECS, bits, 0, &scalar);
		jentry_extremes(v, n, NRECS, bits, 1, &simd);
		expect_same(round, &scalar, &simd);
		bad_verdicts += n && jentry_extremes_bad(&scalar, NSTAFF, NWHATS, NRECS);
	}
	/* the rounds were not all good or all bad */
	checks++;
	if (bad_verdicts < 500 || bad_verdicts > 3900) {
		printf("jcheck.c: %d of 4000 rounds bad: the test does not test both ways\n",
		       bad_verdicts);
		failures++;
	}
	free(v);
	free(bits);
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
