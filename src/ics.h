/*
 * ics.h -- writing iCalendar (RFC 5545): content lines escaped and folded,
 * UTC and local date-times, and the VTIMEZONE of an IANA zone computed
 * from the time zone database, so that a calendar program shows every
 * time in the book's zone whatever its own.
 */
#ifndef AE_ICS_H
#define AE_ICS_H

#include <time.h>

#include "date.h"
#include "util.h"

/*
 * One content line "NAME:value" ending in CRLF, folded at 75 octets
 * without splitting a UTF-8 character.  With escape, value is TEXT:
 * backslash, semicolon, comma and newline escaped.  name may carry
 * parameters ("DTSTART;TZID=Asia/Shanghai").
 */
void ics_line(struct strbuf *out, const char *name, const char *value, int escape);

/* A UTC date-time, 20261126T010000Z, into buf (at least 17 bytes). */
void ics_utc(char *buf, size_t size, time_t t);
/* A wall-clock date-time with no zone, 20261126T090000 (at least 16 bytes). */
void ics_local(char *buf, size_t size, moment_t m);

/* Whether tz is UTC itself, so that times are written with Z and need no
 * VTIMEZONE. */
int ics_zone_is_utc(const char *tz);
/*
 * The VTIMEZONE of zone tz covering the years first..last (book time):
 * the observance in effect on 1 January of first, then one component per
 * change of offset up to the end of last.
 */
void ics_vtimezone(struct strbuf *out, const char *tz, int first, int last);
/* "DTSTART" with its TZID parameter and the value of moment m of zone
 * tz, as one content line (UTC with Z when the zone is UTC). */
void ics_datetime(struct strbuf *out, const char *name, const char *tz, moment_t m);

#endif
