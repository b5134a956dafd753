/*
 * fuzz_book.c -- libFuzzer target: the whole book.
 *
 * The first byte of the input picks a file of the fixed book of
 * fuzz_book.h (modulo 14): 0-4 a record of each kind (over the job,
 * contact or meeting, beside the client, the only complaint), 5 the
 * journal, 6 ae.ini, 7 the calendar file, 8 formats/journal.ini, 9-13
 * formats/KIND.ini; the rest is that file.  The book is then opened,
 * loaded and checked as 'ae check' would, and its deadlines computed as
 * 'ae due' would, printing nothing.  Slower than the parser targets (it
 * reads the shipped formats and every file each time), it finds what
 * happens between the parts.  See build.sh.
 */
#include <stddef.h>
#include <stdint.h>

#include "due.h"
#include "fuzz_book.h"

static const char *const paths[] = {
	"clients/SH-202610-YUEXIN-014.ini", "jobs/CS-2611-01.ini",
	"contacts/CR-20261105-01.ini", "meetings/MT-20261105-01.ini",
	"complaints/TS-20261106-01.ini", "journal/2026-11.log", "ae.ini",
	"calendar/cn-2026.ini", "formats/journal.ini", "formats/client.ini",
	"formats/job.ini", "formats/contact.ini", "formats/meeting.ini",
	"formats/complaint.ini",
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
	struct book b;

	if (size < 1)
		return 0;
	src = fuzz_book();
	source_mem_put(src, paths[data[0] % ARRAY_SIZE(paths)], (const char *)data + 1,
		       size - 1);
	if (book_open_source(&b, src, fuzz_shipped()) == 0) {
		struct due_ctx dc;

		book_load(&b);
		rules_check(&b);
		memset(&dc, 0, sizeof(dc));
		/* 2026-11-26 09:00, a month ahead */
		due_collect(&dc, &b, (moment_t)days_from_civil(2026, 11, 26) * 1440 + 540,
			    days_from_civil(2026, 12, 26), data[0] & 0x80);
		due_release(&dc);
	}
	diag_reset();
	book_release(&b);
	return 0;
}
