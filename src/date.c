/* date.c -- see date.h; civil-day algorithms after H. Hinnant. */
#include "date.h"

#include <stdio.h>
#include <string.h>

/*
 * The years every date of a book has (parse_date's 1900-2199) by table:
 * the day number of each 1 January, and of each month's day 0 from it
 * in common and leap years.  Every date field of a record that a rule
 * reads comes through here; the formula is about 45 instructions, the
 * table 10.
 */
#define TABLE_FIRST 1900
#define TABLE_YEARS 300
static int year_start[TABLE_YEARS];
static const int month_before[2][12] = {
	{ 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 },
	{ 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335 },
};

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* filled before main(), so that no thread ever sees it half done */
__attribute__((constructor)) static void fill_year_start(void)
{
	for (int i = 0; i < TABLE_YEARS; i++)
		year_start[i] = days_from_civil(TABLE_FIRST + i, 1, 1);
}

/* days_from_civil() of a valid date of the table's years */
static int table_day(int y, int m, int d)
{
	return year_start[y - TABLE_FIRST] + month_before[is_leap(y)][m - 1] + d - 1;
}

void civil_from_days(int z, int *yp, int *mp, int *dp)
{
	int era, doe, yoe, y, doy, mp5, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp5 = (5 * doy + 2) / 153;
	d = doy - (153 * mp5 + 2) / 5 + 1;
	m = mp5 < 10 ? mp5 + 3 : mp5 - 9;
	*yp = y + (m <= 2);
	*mp = m;
	*dp = d;
}

int days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

int weekday_of(int days)
{
	/* 1970-01-01 was a Thursday (3) */
	int w = (days + 3) % 7;
	return w < 0 ? w + 7 : w;
}

static int digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Two decimal digits at s, or -1. */
static int two_digits(const char *s)
{
	unsigned a = (unsigned)(s[0] - '0'), b = (unsigned)(s[1] - '0');

	return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

enum date_status parse_date(const char *s, size_t n, int *days)
{
	int c, yy, m, d, y;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return DATE_SYNTAX;
	c = two_digits(s);
	yy = two_digits(s + 2);
	m = two_digits(s + 5);
	d = two_digits(s + 8);
	if (c < 0 || yy < 0 || m < 0 || d < 0)
		return DATE_SYNTAX;
	y = c * 100 + yy;
	if (y < TABLE_FIRST || y >= TABLE_FIRST + TABLE_YEARS || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return DATE_RANGE;
	*days = table_day(y, m, d);
	return DATE_OK;
}

enum date_status parse_time(const char *s, size_t n, int *minute)
{
	int h, mi;

	if (n != 5 || s[2] != ':')
		return DATE_SYNTAX;
	h = two_digits(s);
	mi = two_digits(s + 3);
	if (h < 0 || mi < 0)
		return DATE_SYNTAX;
	if (h > 23 || mi > 59)
		return DATE_RANGE;
	*minute = h * 60 + mi;
	return DATE_OK;
}

enum date_status parse_datetime(const char *s, size_t n, moment_t *m)
{
	enum date_status st;
	int days, minute;

	if (n != 16 || s[10] != ' ')
		return DATE_SYNTAX;
	if ((st = parse_date(s, 10, &days)) != DATE_OK)
		return st;
	if ((st = parse_time(s + 11, 5, &minute)) != DATE_OK)
		return st;
	*m = (moment_t)days * 1440 + minute;
	return DATE_OK;
}

static const char *const month_en[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

const char *date_problem(const char *s, size_t n, int want_time, int want_date)
{
	static _Thread_local char buf[128];	/* per thread: records are read on several */
	int y, m, d, h, mi;

	if (want_date && n >= 10 && s[4] == '-' && s[7] == '-' &&
	    (y = digits(s, 4)) >= 0 && (m = digits(s + 5, 2)) >= 0 &&
	    (d = digits(s + 8, 2)) >= 0) {
		if (y < 1900 || y > 2199)
			snprintf(buf, sizeof(buf), "year %d is out of range", y);
		else if (m < 1 || m > 12)
			snprintf(buf, sizeof(buf), "there is no month %02d", m);
		else if (d < 1 || d > days_in_month(y, m))
			snprintf(buf, sizeof(buf), "%s %d has %d days", month_en[m - 1],
				 y, days_in_month(y, m));
		else if (want_time && n == 16 && s[10] == ' ')
			return date_problem(s + 11, 5, 1, 0);
		else if (want_time)
			snprintf(buf, sizeof(buf), "write it as YYYY-MM-DD HH:MM");
		else
			snprintf(buf, sizeof(buf), "write it as YYYY-MM-DD");
		return buf;
	}
	if (!want_date && n == 5 && s[2] == ':' && (h = digits(s, 2)) >= 0 &&
	    (mi = digits(s + 3, 2)) >= 0) {
		if (h > 23)
			snprintf(buf, sizeof(buf), "hours run from 00 to 23 (midnight is 00:00 of the next day)");
		else
			snprintf(buf, sizeof(buf), "minutes run from 00 to 59");
		return buf;
	}
	if (want_date && want_time)
		return "write it as YYYY-MM-DD HH:MM, with a zero-padded month, day and hour";
	if (want_date)
		return "write it as YYYY-MM-DD, with a zero-padded month and day";
	return "write it as HH:MM on a 24-hour clock";
}

/* Two digits of v (0-99) at p. */
static void two(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void format_date(char *buf, int days)
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
		return;
	}
	two(buf, y / 100);
	two(buf + 2, y % 100);
	buf[4] = '-';
	two(buf + 5, m);
	buf[7] = '-';
	two(buf + 8, d);
	buf[10] = '\0';
}

void format_moment(char *buf, moment_t mo)
{
	long days = mo >= 0 ? mo / 1440 : -((-mo + 1439) / 1440);
	int minute = (int)(mo - days * 1440);

	format_date(buf, (int)days);
	buf[10] = ' ';
	buf[11] = (char)('0' + minute / 600);
	buf[12] = (char)('0' + minute / 60 % 10);
	buf[13] = ':';
	buf[14] = (char)('0' + minute % 60 / 10);
	buf[15] = (char)('0' + minute % 10);
	buf[16] = '\0';
}
