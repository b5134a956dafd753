/*
 * Unit tests of the working calendar (CAL-1, JOB-3): what data cases
 * cannot reach directly -- working-time arithmetic across the 2026
 * Spring Festival and National Day blocks, weekends and lunch breaks.
 */
#include <stdio.h>
#include <string.h>

#include "../../src/calendar.h"
#include "../../src/config.h"
#include "../../src/date.h"

static int failures, checks;

static int D(int y, int m, int d)
{
	return days_from_civil(y, m, d);
}

static moment_t M(int y, int mo, int d, int h, int mi)
{
	return (moment_t)D(y, mo, d) * 1440 + h * 60 + mi;
}

#define EXPECT_DAY(got, want) expect_day(__LINE__, (got), (want))
#define EXPECT_MOMENT(got, want) expect_moment(__LINE__, (got), (want))
#define EXPECT_INT(got, want) expect_int(__LINE__, (long)(got), (long)(want))

static void expect_day(int line, int got, int want)
{
	char g[16], w[16];

	checks++;
	if (got == want)
		return;
	format_date(g, got);
	format_date(w, want);
	printf("calendar.c:%d: got %s, want %s\n", line, g, w);
	failures++;
}

static void expect_moment(int line, moment_t got, moment_t want)
{
	char g[20], w[20];

	checks++;
	if (got == want)
		return;
	format_moment(g, got);
	format_moment(w, want);
	printf("calendar.c:%d: got %s, want %s\n", line, g, w);
	failures++;
}

static void expect_int(int line, long got, long want)
{
	checks++;
	if (got == want)
		return;
	printf("calendar.c:%d: got %ld, want %ld\n", line, got, want);
	failures++;
}

static void off(struct calendar *c, int a, int z)
{
	for (int d = a; d <= z; d++)
		calendar_set(c, d, 1);
}

int main(void)
{
	struct config cfg;
	struct calendar c;

	memset(&cfg, 0, sizeof(cfg));
	cfg.office_start = 9 * 60;
	cfg.office_end = 18 * 60;
	cfg.lunch_start = 12 * 60;
	cfg.lunch_end = 13 * 60;
	cfg.workdays = 0x1F;
	calendar_init(&c, &cfg);
	/* the 2026 notice */
	off(&c, D(2026, 1, 1), D(2026, 1, 3));
	calendar_set(&c, D(2026, 1, 4), 0);
	off(&c, D(2026, 2, 15), D(2026, 2, 23));
	calendar_set(&c, D(2026, 2, 14), 0);
	calendar_set(&c, D(2026, 2, 28), 0);
	off(&c, D(2026, 4, 4), D(2026, 4, 6));
	off(&c, D(2026, 5, 1), D(2026, 5, 5));
	calendar_set(&c, D(2026, 5, 9), 0);
	off(&c, D(2026, 6, 19), D(2026, 6, 21));
	off(&c, D(2026, 9, 25), D(2026, 9, 27));
	off(&c, D(2026, 10, 1), D(2026, 10, 7));
	calendar_set(&c, D(2026, 9, 20), 0);
	calendar_set(&c, D(2026, 10, 10), 0);

	EXPECT_INT(c.minutes_per_day, 8 * 60);
	/* weekdays, weekends, holidays and make-up days */
	EXPECT_INT(cal_is_working_day(&c, D(2026, 11, 26)), 1);	/* Thursday */
	EXPECT_INT(cal_is_working_day(&c, D(2026, 11, 28)), 0);	/* Saturday */
	EXPECT_INT(cal_is_working_day(&c, D(2026, 2, 14)), 1);	/* working Saturday */
	EXPECT_INT(cal_is_working_day(&c, D(2026, 2, 16)), 0);	/* Spring Festival Monday */
	EXPECT_INT(cal_is_working_day(&c, D(2026, 2, 28)), 1);	/* working Saturday */
	EXPECT_INT(cal_is_working_day(&c, D(2026, 9, 20)), 1);	/* working Sunday */
	EXPECT_INT(cal_is_working_day(&c, D(2026, 10, 5)), 0);
	EXPECT_INT(cal_is_working_day(&c, D(2026, 10, 10)), 1);
	EXPECT_INT(cal_is_working_day(&c, D(2026, 1, 4)), 1);	/* working Sunday */

	/* working days across the Spring Festival block */
	EXPECT_DAY(cal_add_days(&c, D(2026, 2, 13), 1), D(2026, 2, 14));
	EXPECT_DAY(cal_add_days(&c, D(2026, 2, 13), 2), D(2026, 2, 24));
	EXPECT_DAY(cal_add_days(&c, D(2026, 2, 24), -1), D(2026, 2, 14));
	EXPECT_DAY(cal_add_days(&c, D(2026, 2, 27), 1), D(2026, 2, 28));
	EXPECT_DAY(cal_add_days(&c, D(2026, 2, 27), 2), D(2026, 3, 2));
	EXPECT_DAY(cal_add_days(&c, D(2026, 2, 18), 1), D(2026, 2, 24));	/* from a holiday */
	EXPECT_DAY(cal_add_days(&c, D(2026, 2, 18), 0), D(2026, 2, 24));
	EXPECT_DAY(cal_add_days(&c, D(2026, 2, 18), -1), D(2026, 2, 14));
	/* and National Day: Sep 30 (Wed) + 1 is Oct 8 (Thu) */
	EXPECT_DAY(cal_add_days(&c, D(2026, 9, 30), 1), D(2026, 10, 8));
	EXPECT_DAY(cal_add_days(&c, D(2026, 10, 9), 1), D(2026, 10, 10));
	EXPECT_DAY(cal_add_days(&c, D(2026, 10, 9), 2), D(2026, 10, 12));
	EXPECT_DAY(cal_add_days(&c, D(2026, 9, 18), 1), D(2026, 9, 20));	/* Fri -> working Sunday */
	EXPECT_INT(cal_days_between(&c, D(2026, 9, 30), D(2026, 10, 8)), 1);
	EXPECT_INT(cal_days_between(&c, D(2026, 11, 20), D(2026, 11, 27)), 5);
	/* the Thanksgiving week of the demo: Thu 26 + 5 working days = Thu Dec 3 */
	EXPECT_DAY(cal_add_days(&c, D(2026, 11, 26), 5), D(2026, 12, 3));

	/* working moments and the forward rule */
	EXPECT_INT(cal_is_working(&c, M(2026, 11, 26, 18, 0)), 1);
	EXPECT_INT(cal_is_working(&c, M(2026, 11, 26, 18, 1)), 0);
	EXPECT_INT(cal_is_working(&c, M(2026, 11, 26, 12, 30)), 0);
	EXPECT_MOMENT(cal_next_working(&c, M(2026, 11, 28, 10, 0)), M(2026, 11, 30, 9, 0));
	EXPECT_MOMENT(cal_next_working(&c, M(2026, 11, 26, 12, 30)), M(2026, 11, 26, 13, 0));
	EXPECT_MOMENT(cal_next_working(&c, M(2026, 11, 26, 7, 0)), M(2026, 11, 26, 9, 0));
	EXPECT_MOMENT(cal_next_working(&c, M(2026, 2, 15, 10, 0)), M(2026, 2, 24, 9, 0));
	EXPECT_MOMENT(cal_prev_working(&c, M(2026, 2, 15, 10, 0)), M(2026, 2, 14, 18, 0));
	EXPECT_MOMENT(cal_prev_working(&c, M(2026, 11, 26, 12, 30)), M(2026, 11, 26, 12, 0));

	/* JOB-3: half a working day (4 h) before the client's time */
	/* across a weekend: Mon 10:00 -> Fri 15:00 */
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 11, 30, 10, 0), -240), M(2026, 11, 27, 15, 0));
	/* across the lunch break: Thu 15:00 -> Thu 10:00 */
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 11, 26, 15, 0), -240), M(2026, 11, 26, 10, 0));
	/* across the Spring Festival: Tue Feb 24 10:00 -> Sat Feb 14 15:00 */
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 2, 24, 10, 0), -240), M(2026, 2, 14, 15, 0));
	/* across National Day and its make-up Saturday: Thu Oct 8 11:00 -> Wed Sep 30 16:00 */
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 10, 8, 11, 0), -240), M(2026, 9, 30, 16, 0));
	/* from a time outside working hours, counting starts at the last working moment */
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 11, 29, 20, 0), -240), M(2026, 11, 27, 14, 0));
	/* adding: Fri 16:00 + 4 h = Mon 11:00 */
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 11, 27, 16, 0), 240), M(2026, 11, 30, 11, 0));
	/* 48 working hours = 6 working days */
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 11, 26, 9, 0), 48 * 60), M(2026, 12, 3, 18, 0));
	/* exactly to the end of a day stays on that day */
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 11, 26, 14, 0), 240), M(2026, 11, 26, 18, 0));
	EXPECT_INT(cal_minutes_between(&c, M(2026, 11, 27, 15, 0), M(2026, 11, 30, 10, 0)), 240);
	EXPECT_INT(cal_minutes_between(&c, M(2026, 11, 30, 10, 0), M(2026, 11, 27, 15, 0)), -240);
	EXPECT_INT(cal_minutes_between(&c, M(2026, 2, 13, 18, 0), M(2026, 2, 24, 9, 0)), 480);

	/* month ends */
	EXPECT_DAY(cal_month_last_working(&c, D(2026, 11, 10)), D(2026, 11, 30));
	EXPECT_DAY(cal_month_last_working(&c, D(2026, 10, 10)), D(2026, 10, 30));
	EXPECT_DAY(cal_month_first_working(&c, D(2026, 10, 20)), D(2026, 10, 8));
	EXPECT_DAY(cal_month_last_working(&c, D(2026, 2, 3)), D(2026, 2, 28));

	calendar_release(&c);
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
