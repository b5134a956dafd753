/*
 * tz.h -- the book's wall clock against UTC, for the outside world (iCalendar
 * DUE and DTSTAMP).  Everything else works in the book's wall time, so the
 * results are the same whatever the machine's TZ.
 */
#ifndef AE_TZ_H
#define AE_TZ_H

#include <time.h>

#include "date.h"

/* The UTC time of wall-clock moment m in zone tz (an IANA name). */
time_t tz_to_utc(const char *tz, moment_t m);
/* The wall-clock moment in zone tz of UTC time t. */
moment_t tz_from_utc(const char *tz, time_t t);

#endif
