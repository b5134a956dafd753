/*
 * fuzz_format.c -- libFuzzer target: a book's own format file, alone.
 *
 * The first byte of the input picks the file (modulo 6): formats/KIND.ini
 * for the five kinds, or formats/journal.ini; the rest is that file.  It
 * is read and applied over the shipped file of the same name (format.c:
 * fields, checks, conditions, patterns; or the journal grammar), as a
 * book's overlay is.  Only that shipped file is given (read from disk
 * once), so one execution parses two files.  See build.sh.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_book.h"

static const char *const names[] = {
	"client.ini", "job.ini", "contact.ini", "meeting.ini", "complaint.ini", "journal.ini"
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct source *shipped[ARRAY_SIZE(names)];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct source *fs = fuzz_shipped();
	struct strbuf sb = STRBUF_INIT;
	const char *msg;

	fuzz_template();
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (fs->read(fs, names[i], 1 << 20, &sb, &msg) != SRC_OK) {
			fprintf(stderr, "fuzz: no shipped %s\n", names[i]);
			exit(1);
		}
		shipped[i] = source_mem_new();
		source_mem_put(shipped[i], names[i], sb.buf, sb.len);
	}
	sb_release(&sb);
	fs->free(fs);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct formats f;
	struct source *book;
	char path[64];
	size_t k;

	if (size < 1)
		return 0;
	k = data[0] % ARRAY_SIZE(names);
	snprintf(path, sizeof(path), "formats/%s", names[k]);
	book = source_mem_new();
	source_mem_put(book, path, (const char *)data + 1, size - 1);
	formats_load(&f, shipped[k], book, &fuzz_template()->cfg);
	formats_release(&f);
	book->free(book);
	diag_reset();
	return 0;
}
