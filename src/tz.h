/*
 * tz.h -- the book's wall clock against UTC, for the outside world
 * (iCalendar times and time zones, RFC 3339 times in JSON, the clock).
 * Everything else works in the book's wall time, so the results are the
 * same whatever the machine's TZ.
 */
#ifndef AE_TZ_H
#define AE_TZ_H

#include <time.h>

#include "date.h"

/* The UTC time of wall-clock moment m in zone tz (an IANA name). */
time_t tz_to_utc(const char *tz, moment_t m);
/* The wall-clock moment in zone tz of UTC time t. */
moment_t tz_from_utc(const char *tz, time_t t);

/*
 * RFC 3339 with the zone's offset at that time, "2026-11-19T18:00:00+08:00",
 * into buf (at least 26 bytes): of UTC time t, or of wall-clock moment m.
 */
void tz_rfc3339(char *buf, size_t size, const char *tz, time_t t);
void tz_rfc3339_moment(char *buf, size_t size, const char *tz, moment_t m);

/*
 * The moments around the last one converted in zone tz whose offset is
 * known to be the same (none when ok is 0), as a value: with it, many
 * threads write moments of that span at once (tz_rfc3339_span(): -1 and
 * nothing written for a moment outside it, which tz_rfc3339_moment() then
 * writes on one thread: this file's memory of the zone is not shared).
 */
struct tz_span {
	moment_t lo, hi;
	long off;
	int ok;
};
void tz_span_of(const char *tz, struct tz_span *s);
/* Whether m is of the span, so that tz_rfc3339_span() writes it. */
int tz_span_has(const struct tz_span *s, moment_t m);
int tz_rfc3339_span(char *buf, size_t size, const struct tz_span *s, moment_t m);

/* One observance of a zone: from `at` (UTC) on, the offset is `to`
 * seconds east of UTC (it was `from`), named `name`, daylight time or not. */
struct tz_change {
	time_t at;
	long from, to;
	int dst;
	char name[16];
};
/*
 * The observance in effect at t0 (into *start, with at = t0 and from = to)
 * and every change of offset, name or daylight flag in (t0, t1], found to
 * the second.  Returns the number of changes; *v is malloc'ed (free it).
 */
size_t tz_changes(const char *tz, time_t t0, time_t t1, struct tz_change *start,
		  struct tz_change **v);

#endif
