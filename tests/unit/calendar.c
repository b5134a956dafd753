/*
 * Unit tests of the working calendar (CAL-1, JOB-3): what data cases
 * cannot reach directly -- working-time arithmetic across the 2026
 * Spring Festival and National Day blocks, weekends and lunch breaks;
 * backward arithmetic landing exactly on every boundary; half-day units
 * on books with and without a lunch break.
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

/* The 2026 notice of the State Council. */
static void cn2026(struct calendar *c)
{
	off(c, D(2026, 1, 1), D(2026, 1, 3));
	calendar_set(c, D(2026, 1, 4), 0);
	off(c, D(2026, 2, 15), D(2026, 2, 23));
	calendar_set(c, D(2026, 2, 14), 0);
	calendar_set(c, D(2026, 2, 28), 0);
	off(c, D(2026, 4, 4), D(2026, 4, 6));
	off(c, D(2026, 5, 1), D(2026, 5, 5));
	calendar_set(c, D(2026, 5, 9), 0);
	off(c, D(2026, 6, 19), D(2026, 6, 21));
	off(c, D(2026, 9, 25), D(2026, 9, 27));
	off(c, D(2026, 10, 1), D(2026, 10, 7));
	calendar_set(c, D(2026, 9, 20), 0);
	calendar_set(c, D(2026, 10, 10), 0);
}

/*
 * Going backwards, the latest moment with the working-minute count: the
 * opening of a day, never the close of the day before; the end of lunch,
 * never its start (CAL-1, issue 12).  With lunch 12:00-13:00.
 */
static void backward_with_lunch(const struct calendar *c)
{
	/* landing on the opening */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 13, 0), -180), M(2026, 11, 26, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 14, 0), -240), M(2026, 11, 26, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 9, 1), -1), M(2026, 11, 26, 9, 0));
	/* one minute more goes to the day before, before its close */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 13, 0), -181), M(2026, 11, 25, 17, 59));
	/* a whole day back from an opening is the opening before */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 9, 0), -480), M(2026, 11, 25, 9, 0));
	/* over a weekend: Monday's opening, not Friday's close */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 30, 13, 0), -180), M(2026, 11, 30, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 30, 13, 0), -181), M(2026, 11, 27, 17, 59));
	/* landing on the end of lunch, not its start */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 15, 0), -120), M(2026, 11, 26, 13, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 15, 0), -121), M(2026, 11, 26, 11, 59));
	/* from the start of lunch, and from inside it */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 12, 0), -180), M(2026, 11, 26, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 12, 30), -60), M(2026, 11, 26, 11, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 13, 0), -60), M(2026, 11, 26, 11, 0));
	/* from the close: the close is the day's last working minute */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 18, 0), -300), M(2026, 11, 26, 13, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 18, 0), -480), M(2026, 11, 26, 9, 0));
	/* the close is never where a backward count lands: the next opening is */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 27, 10, 0), -60), M(2026, 11, 27, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 27, 9, 0), -1), M(2026, 11, 26, 17, 59));
	/* going forwards, a count lands on the earliest: the close, lunch's start */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 9, 0), 480), M(2026, 11, 26, 18, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 9, 0), 180), M(2026, 11, 26, 12, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 9, 0), 181), M(2026, 11, 26, 13, 1));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 26, 9, 0), 0), M(2026, 11, 26, 9, 0));

	/* the Spring Festival block 02-15..02-23, make-up Saturday 02-14 */
	/* the first working day after the block: its opening */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 2, 24, 13, 0), -180), M(2026, 2, 24, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 2, 24, 9, 1), -1), M(2026, 2, 24, 9, 0));
	/* one minute before it: the make-up Saturday, before its close */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 2, 24, 9, 0), -1), M(2026, 2, 14, 17, 59));
	/* a whole day back from it: the make-up Saturday's opening */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 2, 24, 9, 0), -480), M(2026, 2, 14, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 2, 24, 13, 0), -660), M(2026, 2, 14, 9, 0));
	/* from the first and the last day of the block */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 2, 15, 10, 0), -60), M(2026, 2, 14, 17, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 2, 23, 20, 0), -60), M(2026, 2, 14, 17, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 2, 15, 10, 0), -480), M(2026, 2, 14, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 2, 23, 20, 0), -481), M(2026, 2, 13, 17, 59));
	/* and forwards from them */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 2, 15, 10, 0), 60), M(2026, 2, 24, 10, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 2, 23, 10, 0), 480), M(2026, 2, 24, 18, 0));
	/* the make-up Saturday's opening, from the day after the block's make-up Sunday */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 3, 2, 9, 0), -480), M(2026, 2, 28, 9, 0));
	/* National Day 10-01..10-07: from the first day after it to the last before it */
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 10, 8, 9, 0), -480), M(2026, 9, 30, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 10, 8, 13, 0), -180), M(2026, 10, 8, 9, 0));
}

/* The same without a lunch break: 09:00-18:00 is a 9-hour day. */
static void backward_without_lunch(void)
{
	struct config cfg;
	struct calendar c;

	memset(&cfg, 0, sizeof(cfg));
	cfg.office_start = 9 * 60;
	cfg.office_end = 18 * 60;
	cfg.workdays = 0x1F;
	calendar_init(&c, &cfg);
	cn2026(&c);
	EXPECT_INT(c.minutes_per_day, 9 * 60);
	/* issue 12: 5 working hours before Tue 02-24 14:00 is its opening */
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 2, 24, 14, 0), -300), M(2026, 2, 24, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 2, 24, 14, 0), -301), M(2026, 2, 14, 17, 59));
	/* 9 hours before Mon 01-05 09:00 is the make-up Sunday's opening */
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 1, 5, 9, 0), -540), M(2026, 1, 4, 9, 0));
	/* and 9 more is the last working day of 2025 */
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 1, 5, 9, 0), -1080), M(2025, 12, 31, 9, 0));
	/* no lunch: 12:00 and 13:00 are ordinary minutes */
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 11, 26, 15, 0), -120), M(2026, 11, 26, 13, 0));
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 11, 26, 15, 0), -180), M(2026, 11, 26, 12, 0));
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 11, 27, 10, 0), -60), M(2026, 11, 27, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 11, 26, 9, 0), 540), M(2026, 11, 26, 18, 0));
	/* half a working day is 4.5 hours */
	EXPECT_INT(cal_days_minutes(&c, 0.5), 270);
	EXPECT_INT(cal_days_minutes(&c, 1), 540);
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 11, 24, 14, 0), -cal_days_minutes(&c, 0.5)),
		      M(2026, 11, 24, 9, 30));
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 11, 24, 13, 30), -cal_days_minutes(&c, 0.5)),
		      M(2026, 11, 24, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(&c, M(2026, 2, 24, 13, 30), -cal_days_minutes(&c, 0.5)),
		      M(2026, 2, 24, 9, 0));
	calendar_release(&c);
}

/* Half a working day with lunch is 4 hours: JOB-3 before a client's time. */
static void half_day_with_lunch(const struct calendar *c)
{
	EXPECT_INT(cal_days_minutes(c, 0.5), 240);
	EXPECT_INT(cal_days_minutes(c, 1.5), 720);
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 24, 14, 0), -cal_days_minutes(c, 0.5)),
		      M(2026, 11, 24, 9, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 24, 18, 0), -cal_days_minutes(c, 0.5)),
		      M(2026, 11, 24, 14, 0));
	EXPECT_MOMENT(cal_add_minutes(c, M(2026, 11, 24, 10, 0), -cal_days_minutes(c, 0.5)),
		      M(2026, 11, 23, 15, 0));
}

/* Day-tied deadlines move with their day (REC-4, DUE-8), and weeks. */
static void days(const struct calendar *c)
{
	EXPECT_MOMENT(cal_day_end(c, D(2026, 2, 15)), M(2026, 2, 24, 18, 0));
	EXPECT_MOMENT(cal_day_end(c, D(2026, 2, 14)), M(2026, 2, 14, 18, 0));
	EXPECT_MOMENT(cal_day_end(c, D(2026, 11, 28)), M(2026, 11, 30, 18, 0));
	EXPECT_MOMENT(cal_day_at(c, D(2026, 11, 29), 17 * 60), M(2026, 11, 30, 17, 0));
	EXPECT_DAY(cal_working_on_or_before(c, D(2026, 10, 4)), D(2026, 9, 30));
	EXPECT_DAY(cal_working_on_or_after(c, D(2026, 10, 4)), D(2026, 10, 8));
	EXPECT_DAY(cal_week_last_working(c, D(2026, 11, 23)), D(2026, 11, 27));
	EXPECT_DAY(cal_week_last_working(c, D(2026, 11, 29)), D(2026, 11, 27));
	EXPECT_DAY(cal_week_last_working(c, D(2026, 2, 9)), D(2026, 2, 14));
	EXPECT_INT(cal_week_last_working(c, D(2026, 2, 18)), -1);
	EXPECT_DAY(cal_week_last_working(c, D(2026, 9, 28)), D(2026, 9, 30));
	EXPECT_DAY(cal_week_last_working(c, D(2026, 10, 5)), D(2026, 10, 10));
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
	cn2026(&c);

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

	backward_with_lunch(&c);
	half_day_with_lunch(&c);
	days(&c);
	calendar_release(&c);
	backward_without_lunch();
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
