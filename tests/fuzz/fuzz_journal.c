/*
 * fuzz_journal.c -- libFuzzer target: a month of the journal.
 *
 * The input is journal/2026-11.log of the fixed book of fuzz_book.h, whose
 * client, job, meeting and contact report its lines can name.  The book
 * is then loaded and checked as 'ae check' would, printing nothing.  See
 * build.sh.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_book.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source *src = fuzz_book();

	source_mem_put(src, "journal/2026-11.log", (const char *)data, size);
	fuzz_check(src);
	return 0;
}
