/*
 * date.h -- civil dates and times, with no clock and no time zone.
 *
 * A date is a day number (days since 1970-01-01, proleptic Gregorian); a
 * moment is minutes since 1970-01-01 00:00 of the book's wall clock (the
 * book's time zone is applied only where the outside world needs UTC).
 * Nothing here reads the clock: "now" is always an argument.
 */
#ifndef AE_DATE_H
#define AE_DATE_H

#include <stddef.h>

typedef long moment_t;	/* minutes of wall-clock time since the epoch */

enum date_status {
	DATE_OK = 0,
	DATE_SYNTAX,	/* not of the form at all */
	DATE_RANGE,	/* right form, impossible value: 2026-02-30, 24:30 */
};

/* The day number of y-m-d (any year; m 1-12, d counted on from the
 * month's start).  Inline, so that a call with constants (the bounds of
 * a range, in a loop over a million journal lines) costs nothing; the
 * civil-day formula after H. Hinnant. */
static inline int days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}
void civil_from_days(int days, int *y, int *m, int *d);
int days_in_month(int y, int m);
/* 0 = Monday .. 6 = Sunday */
int weekday_of(int days);

/* Strict parsers of s[0..n): YYYY-MM-DD, HH:MM, "YYYY-MM-DD HH:MM". */
enum date_status parse_date(const char *s, size_t n, int *days);
enum date_status parse_time(const char *s, size_t n, int *minute);
enum date_status parse_datetime(const char *s, size_t n, moment_t *m);

/*
 * A sentence saying why s is not a valid date/time/datetime, for the
 * diagnostic ("February 2026 has 28 days").  Static buffer.
 */
const char *date_problem(const char *s, size_t n, int want_time, int want_date);

/* Formatting into a caller buffer of at least 17 bytes. */
void format_date(char *buf, int days);
void format_moment(char *buf, moment_t m);

#endif
