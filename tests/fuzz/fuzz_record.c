/*
 * fuzz_record.c -- libFuzzer target: one record file of any kind.
 *
 * The first byte of the input picks the kind (modulo 5: client, job,
 * contact, meeting, complaint); the rest is the file, put into the fixed
 * book of fuzz_book.h -- over its job, contact or meeting, or beside its
 * client and as its only complaint.  The book is then loaded and checked
 * as 'ae check' would, printing nothing.  See build.sh.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_book.h"

static const char *const record_paths[K__N] = {
	[K_CLIENT] = "clients/SH-202610-YUEXIN-014.ini",
	[K_JOB] = "jobs/CS-2611-01.ini",
	[K_CONTACT] = "contacts/CR-20261105-01.ini",
	[K_MEETING] = "meetings/MT-20261105-01.ini",
	[K_COMPLAINT] = "complaints/TS-20261106-01.ini",
	[K_LETTER] = "letters/LT-20261120-01.ini",
	[K_REVIEW] = "reviews/RV-20261127-01.ini",
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source *src;

	if (size < 1)
		return 0;
	src = fuzz_book();
	source_mem_put(src, record_paths[data[0] % K__N], (const char *)data + 1,
		       size - 1);
	fuzz_check(src);
	return 0;
}
