/*
 * fuzz_journal.c -- libFuzzer target: a month of the journal, the parser
 * alone.
 *
 * The input is journal/2026-11.log.  Its lines are split by the shipped
 * grammar's patterns and checked (journal.c) against the fixed book of
 * fuzz_book.h, loaded once, whose client, job, meeting and contact
 * report the lines can name.  See build.sh.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_book.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct source *src;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_template();
	src = source_mem_new();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct book b;

	source_mem_put(src, "journal/2026-11.log", (const char *)data, size);
	fuzz_scratch(&b, src, 1);
	journal_load(&b, NULL);
	fuzz_scratch_release(&b, 1);
	return 0;
}
