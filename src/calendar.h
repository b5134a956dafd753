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
 * Every deadline rule that lands outside working time moves FORWARD
 * (顺延).  A deadline tied to a day ("by the end of D", "by 17:00 of D")
 * moves with its day: on a day off, to the same time of the next working
 * day (cal_day_at, cal_day_end).  A deadline at a moment (48 hours after
 * a meeting) moves to the next working moment (cal_next_working): a report
 * due on a Sunday is due when Monday's office opens.  A moment exactly at
 * the end of office hours (18:00) is still inside: "by 18:00" is a
 * working deadline.
 *
 * Closures of the company (training, trips: [closure NAME] in ae.ini or a
 * calendar file) are days off like holidays, and are listed with them.
 */
#ifndef AE_CALENDAR_H
#define AE_CALENDAR_H

#include "date.h"

struct book;
struct config;

struct holiday {
	const char *name;	/* 春节; one pointer for the ranges of one section */
	int first, last;	/* the off block, day numbers */
	unsigned char closure;	/* a [closure NAME]: company training or a trip */
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
/*
 * m plus n working minutes.  Going forwards the result is the earliest
 * moment with that working-minute count (4 hours after 14:00 is 18:00,
 * not 09:00 the next day); going backwards (n < 0), the latest (5 hours
 * before 14:00 on a 9-hour day is 09:00, not the previous evening's
 * 18:00; 2 hours before 15:00 is 13:00 at the end of lunch, not 12:00).
 * n = 0 gives m.
 */
moment_t cal_add_minutes(const struct calendar *cal, moment_t m, long n);
/* Working minutes from a to b (negative when b is before a). */
long cal_minutes_between(const struct calendar *cal, moment_t a, moment_t b);
/* Working days from day a to day b, counting b but not a. */
int cal_days_between(const struct calendar *cal, int a, int b);

/* The first / last working day of the month holding day. */
int cal_month_first_working(const struct calendar *cal, int day);
int cal_month_last_working(const struct calendar *cal, int day);

/* day itself if it is a working day, else the next / the previous one. */
int cal_working_on_or_after(const struct calendar *cal, int day);
int cal_working_on_or_before(const struct calendar *cal, int day);
/* minute of day, the day moved forward to a working day: "by 17:00 of D". */
moment_t cal_day_at(const struct calendar *cal, int day, int minute);
/* The end of office hours of day, moved forward: "due on D" (REC-4). */
moment_t cal_day_end(const struct calendar *cal, int day);
/* The last working day of the Monday-to-Sunday week holding day, or -1
 * when the whole week is off (the Spring Festival week). */
int cal_week_last_working(const struct calendar *cal, int day);
/* Working days as working minutes: a day is the office hours less lunch,
 * so half a day is 4 hours of a 9-18 day with an hour's lunch, 4.5
 * without one.  Rounded to the minute. */
long cal_days_minutes(const struct calendar *cal, double days);
/*
 * A duration parameter of [rules] in minutes (config_duration): key (0.5d,
 * 4h), else the older hours_key, else def_amount of def_unit ('d' or
 * 'h').  A day is a working day of this calendar when working, else 24
 * hours.
 */
long cal_param_minutes(const struct calendar *cal, const struct config *cfg, const char *key,
		       const char *hours_key, double def_amount, char def_unit, int working);
/* The first of the holidays[] entries of the section holding entry i: a
 * holiday split over several 'off' ranges is one holiday. */
size_t cal_holiday_head(const struct calendar *cal, size_t i);
/*
 * DUE-13: the holiday a notice sent on day announces: the one named
 * (name, n bytes; NULL: none), its next occurrence not yet over, or else
 * the first to begin after day, within 30 days.  1 + its first
 * holidays[] entry, or 0 when there is none.
 */
long cal_holiday_announced(const struct calendar *cal, int day, const char *name, size_t n);

#endif
