/*
 * fuzz_record.c -- libFuzzer target: one record file, the parser alone.
 *
 * The first byte of the input picks the kind (modulo 5: client, job,
 * contact, meeting, complaint); the rest is the file.  It is read,
 * parsed and checked field by field (textfile, inifile, validate) as
 * 'ae check' reads a record, against the formats and settings of the
 * fixed book of fuzz_book.h, which is loaded once.  See build.sh.
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
	struct strbuf buf = STRBUF_INIT;
	int kind;

	if (size < 1)
		return 0;
	kind = data[0] % K__N;
	source_mem_put(src, record_paths[kind], (const char *)data + 1, size - 1);
	fuzz_scratch(&b, src, 0);
	record_load(&b, record_paths[kind], kind, &buf);
	sb_release(&buf);
	fuzz_scratch_release(&b, 0);
	return 0;
}
