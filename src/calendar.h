/*
 * calendar.h -- the working calendar (CAL-1).
 *
 * Working days are the weekdays of [office] workdays, less the public
 * holidays ('off') of the calendar files, plus their make-up working days
 * ('work', 调休).  Working time is the office hours of a working day less
 * the lunch break.  A table of days is built once per run (1990-2100)
 * with running counts, so adding N working days is a binary search, not
 * a walk.
 *
 * Every deadline rule that lands outside working time moves FORWARD to
 * the next working moment (顺延): a 48-hour report due on a Sunday is due
 * at the start of Monday's office hours.  A moment exactly at the end of
 * office hours (18:00) is still inside: "by 18:00" is a working deadline.
 */
#ifndef AE_CALENDAR_H
#define AE_CALENDAR_H

#include "date.h"

struct book;
struct config;

struct holiday {
	const char *name;	/* 春节 */
	int first, last;	/* the off block, day numbers */
	const char *path;	/* the calendar file */
	int line;
};

struct calendar {
	int day0, ndays;		/* the table covers day0 .. day0+ndays-1 */
	unsigned char *working;		/* 1 for a working day */
	int *before;			/* working days before each day */
	int start, end;			/* office hours, minutes of the day */
	int lunch_start, lunch_end;	/* equal when there is no break */
	int minutes_per_day;		/* working minutes in a working day */
	struct holiday *holidays;
	size_t nholidays, alloc_holidays;
	int first_year, last_year;	/* years the calendar files state */
};

/* Build the calendar of a book: its settings and calendar files.
 * Problems in the calendar files are reported; returns their number. */
int calendar_load(struct calendar *cal, struct book *b);
/* The same from settings alone, with no holidays (tests, empty books). */
void calendar_init(struct calendar *cal, const struct config *cfg);
/* Mark day as a holiday (off = 1) or a make-up working day (off = 0). */
void calendar_set(struct calendar *cal, int day, int off);
void calendar_release(struct calendar *cal);

int cal_is_working_day(const struct calendar *cal, int day);
/* Within working time: a working day, after the start and at most the end
 * of a working period (start < m <= lunch_start or lunch_end < m <= end),
 * or exactly at the start of the day. */
int cal_is_working(const struct calendar *cal, moment_t m);

/* The first working moment at or after m (m itself if working). */
moment_t cal_next_working(const struct calendar *cal, moment_t m);
/* The last working moment at or before m. */
moment_t cal_prev_working(const struct calendar *cal, moment_t m);

/* day plus n working days (n may be negative); from a non-working day,
 * counting starts at the next (or previous) working day. */
int cal_add_days(const struct calendar *cal, int day, int n);
/* m plus n working minutes (n may be negative). */
moment_t cal_add_minutes(const struct calendar *cal, moment_t m, long n);
/* Working minutes from a to b (negative when b is before a). */
long cal_minutes_between(const struct calendar *cal, moment_t a, moment_t b);
/* Working days from day a to day b, counting b but not a. */
int cal_days_between(const struct calendar *cal, int a, int b);

/* The first / last working day of the month holding day. */
int cal_month_first_working(const struct calendar *cal, int day);
int cal_month_last_working(const struct calendar *cal, int day);

#endif
