/*
 * fuzz_calendar.c -- libFuzzer target: a calendar file, alone.
 *
 * The input is calendar/cn-2026.ini, the file the fixed book's ae.ini
 * names.  It is read and applied (calendar.c: years, holidays, make-up
 * working days, ranges), then the working calendar is asked a few
 * questions across the year it may have changed.  See build.sh.
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
	struct calendar cal;
	int day = days_from_civil(2026, 1, 1);

	source_mem_put(src, "calendar/cn-2026.ini", (const char *)data, size);
	fuzz_scratch(&b, src, 1);
	calendar_load(&cal, &b);
	for (int d = 0; d < 400; d += 37) {
		moment_t m = (moment_t)(day + d) * 1440 + 600;
		cal_add_days(&cal, day + d, 3);
		cal_add_minutes(&cal, m, 8 * 60);
		cal_minutes_between(&cal, m, m + 5 * 1440);
		cal_month_last_working(&cal, day + d);
	}
	calendar_release(&cal);
	fuzz_scratch_release(&b, 1);
	return 0;
}
