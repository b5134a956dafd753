/* date.c -- see date.h; civil-day algorithms after H. Hinnant. */
#include "date.h"

#include <stdio.h>
#include <string.h>

int days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
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

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
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

enum date_status parse_date(const char *s, size_t n, int *days)
{
	int y, m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return DATE_SYNTAX;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		return DATE_SYNTAX;
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return DATE_RANGE;
	*days = days_from_civil(y, m, d);
	return DATE_OK;
}

enum date_status parse_time(const char *s, size_t n, int *minute)
{
	int h, mi;

	if (n != 5 || s[2] != ':')
		return DATE_SYNTAX;
	h = digits(s, 2);
	mi = digits(s + 3, 2);
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

void format_date(char *buf, int days)
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
		return;
	}
	/* the same by hand: printf was most of the cost of ae due's dates */
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
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
