/* ics.c -- see ics.h */
#include "ics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tz.h"

void ics_line(struct strbuf *out, const char *name, const char *value, int escape)
{
	struct strbuf line = STRBUF_INIT;
	size_t col = 0;

	sb_addstr(&line, name);
	sb_addch(&line, ':');
	for (const char *s = value; *s; s++) {
		if (escape && (*s == '\\' || *s == ';' || *s == ',')) {
			sb_addch(&line, '\\');
			sb_addch(&line, *s);
		} else if (escape && *s == '\n') {
			sb_addstr(&line, "\\n");
		} else if (*s == '\r' || (unsigned char)*s < 0x20) {
			/* control characters are not allowed in a content line */
			sb_addch(&line, ' ');
		} else {
			sb_addch(&line, *s);
		}
	}
	for (size_t i = 0; i < line.len;) {
		size_t len = 1;
		unsigned char c = (unsigned char)line.buf[i];
		if (c >= 0xF0)
			len = 4;
		else if (c >= 0xE0)
			len = 3;
		else if (c >= 0xC0)
			len = 2;
		if (i + len > line.len)
			len = line.len - i;
		if (col + len > 75) {
			sb_addstr(out, "\r\n ");
			col = 1;
		}
		sb_add(out, line.buf + i, len);
		col += len;
		i += len;
	}
	sb_addstr(out, "\r\n");
	sb_release(&line);
}

void ics_utc(char *buf, size_t size, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y%m%dT%H%M%SZ", &tm);
}

void ics_local(char *buf, size_t size, moment_t m)
{
	long days = m >= 0 ? m / 1440 : -((-m + 1439) / 1440);
	int minute = (int)(m - days * 1440), y, mo, d;

	civil_from_days((int)days, &y, &mo, &d);
	snprintf(buf, size, "%04d%02d%02dT%02d%02d00", y, mo, d, minute / 60, minute % 60);
}

int ics_zone_is_utc(const char *tz)
{
	return !strcmp(tz, "UTC") || !strcmp(tz, "Etc/UTC") || !strcmp(tz, "Etc/Zulu") ||
	       !strcmp(tz, "Zulu") || !strcmp(tz, "Universal") || !strcmp(tz, "Etc/Universal");
}

static void offset(char *buf, size_t size, long off)
{
	long a = off < 0 ? -off : off;

	if (a % 60)
		snprintf(buf, size, "%c%02ld%02ld%02ld", off < 0 ? '-' : '+', a / 3600, a / 60 % 60, a % 60);
	else
		snprintf(buf, size, "%c%02ld%02ld", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

static void observance(struct strbuf *out, const struct tz_change *c, moment_t local)
{
	char buf[32];
	const char *kind = c->dst ? "DAYLIGHT" : "STANDARD";

	sb_addf(out, "BEGIN:%s\r\n", kind);
	ics_local(buf, sizeof(buf), local);
	ics_line(out, "DTSTART", buf, 0);
	offset(buf, sizeof(buf), c->from);
	ics_line(out, "TZOFFSETFROM", buf, 0);
	offset(buf, sizeof(buf), c->to);
	ics_line(out, "TZOFFSETTO", buf, 0);
	if (*c->name)
		ics_line(out, "TZNAME", c->name, 1);
	sb_addf(out, "END:%s\r\n", kind);
}

void ics_vtimezone(struct strbuf *out, const char *tz, int first, int last)
{
	moment_t m0 = (moment_t)days_from_civil(first, 1, 1) * 1440;
	moment_t m1 = (moment_t)days_from_civil(last + 1, 1, 1) * 1440;
	time_t t0 = tz_to_utc(tz, m0), t1 = tz_to_utc(tz, m1);
	struct tz_change start, *v;
	size_t n = tz_changes(tz, t0, t1, &start, &v);

	sb_addstr(out, "BEGIN:VTIMEZONE\r\n");
	ics_line(out, "TZID", tz, 0);
	observance(out, &start, m0);
	for (size_t i = 0; i < n; i++)
		/* an observance starts at the local time of the offset before it */
		observance(out, &v[i], (moment_t)((v[i].at + v[i].from) / 60));
	sb_addstr(out, "END:VTIMEZONE\r\n");
	free(v);
}

void ics_datetime(struct strbuf *out, const char *name, const char *tz, moment_t m)
{
	char buf[32], *param;

	if (ics_zone_is_utc(tz)) {
		ics_utc(buf, sizeof(buf), tz_to_utc(tz, m));
		ics_line(out, name, buf, 0);
		return;
	}
	ics_local(buf, sizeof(buf), m);
	param = xasprintf("%s;TZID=%s", name, tz);
	ics_line(out, param, buf, 0);
	free(param);
}
