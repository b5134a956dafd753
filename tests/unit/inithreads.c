/*
 * inih's knobs are process globals and records are parsed on several
 * threads (pool.h): inifile.c once set the line buffer's size from each
 * text just before parsing it, so a thread parsing a short text could
 * lower it between another thread's setting and that thread's parse,
 * and a long line was then cut there and its rest read as a line of its
 * own (ThreadSanitizer reported the race in a cold check; the cut was
 * seen here).  First, deterministically, what makes the race harmless:
 * a short text parsed after a long one leaves inih's line size where
 * the long one put it.  Then two threads parse, over and over, a text
 * with one long value and a short one; every parse must give the whole
 * long value (the old code lost one in several thousand, some runs).
 */
#include <ini.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/inifile.h"
#include "../../src/util.h"

#define ROUNDS 100000
#define LONG_VALUE 60000

static char *long_text, *short_text;
static size_t long_len, short_len;

static int parse_one(const char *text, size_t len, size_t want)
{
	struct ini_doc doc;
	struct arena a;
	const struct ini_entry *e;
	int ok;

	memset(&a, 0, sizeof(a));
	ini_doc_parse_quiet(&doc, &a, text, len);
	e = doc.nsections ? ini_find(&doc, 0, "v") : NULL;
	ok = e && strlen(e->value) == want && doc.nentries == 2;
	ini_doc_release(&doc);
	arena_release(&a);
	return ok;
}

static void *parse_long(void *arg)
{
	long bad = 0;

	(void)arg;
	for (int i = 0; i < ROUNDS; i++)
		bad += !parse_one(long_text, long_len, LONG_VALUE);
	return (void *)bad;
}

static void *parse_short(void *arg)
{
	long bad = 0;

	(void)arg;
	for (int i = 0; i < ROUNDS * 4; i++)
		bad += !parse_one(short_text, short_len, 3);
	return (void *)bad;
}

int main(void)
{
	pthread_t t[2];
	void *r0, *r1;
	size_t n = 0;

	long_text = xmalloc(LONG_VALUE + 64);
	n += (size_t)sprintf(long_text, "[job]\nv = ");
	memset(long_text + n, 'x', LONG_VALUE);
	n += LONG_VALUE;
	n += (size_t)sprintf(long_text + n, "\nw = 1\n");
	long_len = n;
	short_text = xstrdup("[job]\nv = abc\nw = 2\n");
	short_len = strlen(short_text);
	if (!parse_one(long_text, long_len, LONG_VALUE) || ini_max_line < (int)long_len + 3 ||
	    !parse_one(short_text, short_len, 3) || ini_max_line < (int)long_len + 3 ||
	    ini_initial_alloc < (int)long_len + 3) {
		printf("FAIL: a short text lowered inih's line size to %d after a long one of %zu bytes\n",
		       ini_max_line, long_len);
		return 1;
	}
	pthread_create(&t[0], NULL, parse_long, NULL);
	pthread_create(&t[1], NULL, parse_short, NULL);
	pthread_join(t[0], &r0);
	pthread_join(t[1], &r1);
	free(long_text);
	free(short_text);
	if (r0 || r1) {
		printf("FAIL: %ld long and %ld short parses lost text to another thread's line size\n",
		       (long)r0, (long)r1);
		return 1;
	}
	printf("ok: %d long and %d short parses on two threads, every value whole\n", ROUNDS,
	       ROUNDS * 4);
	return 0;
}
