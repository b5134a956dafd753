/* tz.c -- see tz.h.  The only place that sets TZ. */
#include "tz.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static char *saved;

static void enter(const char *tz)
{
	const char *old = getenv("TZ");

	free(saved);
	saved = old ? xstrdup(old) : NULL;
	setenv("TZ", tz, 1);
	tzset();
}

static void leave(void)
{
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	free(saved);
	saved = NULL;
	tzset();
}

time_t tz_to_utc(const char *tz, moment_t m)
{
	struct tm tm;
	int y, mo, d;
	long days = m >= 0 ? m / 1440 : -((-m + 1439) / 1440);
	int minute = (int)(m - days * 1440);
	time_t t;

	civil_from_days((int)days, &y, &mo, &d);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = minute / 60;
	tm.tm_min = minute % 60;
	tm.tm_isdst = -1;
	enter(tz);
	t = mktime(&tm);
	leave();
	return t;
}

moment_t tz_from_utc(const char *tz, time_t t)
{
	struct tm tm;

	enter(tz);
	localtime_r(&t, &tm);
	leave();
	return (moment_t)days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 1440 +
	       tm.tm_hour * 60 + tm.tm_min;
}
