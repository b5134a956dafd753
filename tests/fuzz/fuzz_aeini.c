/*
 * fuzz_aeini.c -- libFuzzer target: ae.ini, the settings alone.
 *
 * The input is read as 'ae check' reads ae.ini (textfile.c), parsed and
 * checked (config.c: staff, ranks, departments, office hours, [rules],
 * [numbering] patterns, calendar file names).  The working calendar built
 * from the settings is fuzz_book's business: its 40,000-day table would
 * cost more than the parse.  See build.sh.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_book.h"
#include "textfile.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct source *src;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	src = source_mem_new();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf buf = STRBUF_INIT;
	struct config c;

	source_mem_put(src, "ae.ini", (const char *)data, size);
	if (text_load(src, "ae.ini", 1 << 20, 1, &buf) == 0) {
		config_parse(&c, "ae.ini", buf.buf ? buf.buf : "", buf.len);
		config_release(&c);
	}
	sb_release(&buf);
	diag_reset();
	return 0;
}
