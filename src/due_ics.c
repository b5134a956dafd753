/*
 * due_ics.c -- due items as iCalendar (RFC 5545); see due_format.h and
 * the OUTPUT section of docs/ae-due.1.md.
 *
 * Events (the default): each item a VEVENT at its due time in the book's
 * zone (TZID and a VTIMEZONE from the time zone database), with a VALARM
 * before it; to-dos (--todo): VTODOs with a DUE in UTC, as before.
 * ae keeps no memory between runs, so what tells a calendar that an
 * event it holds was updated is computed: the UID from the item's record
 * and rule key, SEQUENCE, LAST-MODIFIED and DTSTAMP from the command's
 * now.  Every file describes the book as of its now (the lateness in each
 * description is as of then), so a later file is the newer truth for
 * every event in it: its SEQUENCE is greater whether a deadline was put
 * back or brought forward.  A sequence taken from the deadline would
 * fall when a deadline is brought forward, and a calendar that compares
 * SEQUENCE would keep the old, later time.
 */
#include <stdio.h>
#include <string.h>

#include "due_format.h"
#include "fmt.h"
#include "ics.h"
#include "tz.h"

/* SEQUENCE counts the minutes of the command's now from 2020-01-01 UTC. */
#define SEQUENCE_EPOCH ((time_t)1577836800)

static const char *priority(const struct due_item *it)
{
	return it->state == DUE_OVERDUE ? "1" : it->state == DUE_TODAY ? "3" : "5";
}

/* strings appended, as sb_addf's "%s" (fmt.c: no printf per item) */
static void add(struct strbuf *sb, const char *s)
{
	fmt_put(sb, s, strlen(s));
}

static void summary(struct strbuf *text, const struct due_item *it)
{
	sb_reset(text);
	/* "[%s] %s" */
	SB_LIT(text, "[");
	add(text, it->rule);
	SB_LIT(text, "] ");
	add(text, it->what);
}

static void calendar_start(struct strbuf *sb, const struct due_ctx *dc)
{
	sb_addstr(sb, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ae//ae due//EN\r\nCALSCALE:GREGORIAN\r\n");
	ics_line(sb, "X-WR-CALNAME", dc->b->cfg.name ? dc->b->cfg.name : "ae", 1);
}

/* What the items' writers share. */
struct ics_arg {
	const struct due_ctx *dc;
	const char *stamp, *seq;
	const struct due_out *o;
	int utc;		/* the zone is UTC: DTSTART in UTC */
};

/* An item's time in UTC, found on the writing thread (tz.c). */
static void utc_time(void *arg, const struct due_item *it, union due_slot *slot)
{
	const struct ics_arg *a = arg;

	slot->t = tz_to_utc(a->dc->b->cfg.timezone, it->due);
}

static void write_todo(struct strbuf *sb, struct strbuf *text, void *arg,
		       const struct due_item *it, size_t i, const union due_slot *slot)
{
	const struct ics_arg *a = arg;
	const struct due_ctx *dc = a->dc;
	char due[32], uid[64], loc[512];

	ics_utc(due, sizeof(due), slot->t);
	due_uid(uid, sizeof(uid), it);
	sb_addstr(sb, "BEGIN:VTODO\r\n");
	ics_line(sb, "UID", uid, 0);
	ics_line(sb, "DTSTAMP", a->stamp, 0);
	ics_line(sb, "DUE", due, 0);
	summary(text, it);
	ics_line(sb, "SUMMARY", text->buf, 1);
	sb_reset(text);
	/* "%s: %s\n%s: %s\n%s: %s" */
	add(text, dc->zh ? "负责人" : "Owner");
	SB_LIT(text, ": ");
	add(text, due_staff_name(dc->b, it->who));
	SB_LIT(text, "\n");
	add(text, dc->zh ? "客户" : "Client");
	SB_LIT(text, ": ");
	add(text, due_client_name(dc->b, it->client));
	SB_LIT(text, "\n");
	add(text, dc->zh ? "记录" : "Record");
	SB_LIT(text, ": ");
	add(text, due_where(loc, sizeof(loc), it));
	ics_line(sb, "DESCRIPTION", text->buf, 1);
	ics_line(sb, "RELATED-TO", it->path, 1);
	ics_line(sb, "CATEGORIES", it->rule, 1);
	ics_line(sb, "STATUS", "NEEDS-ACTION", 0);
	ics_line(sb, "PRIORITY", priority(it), 0);
	sb_addstr(sb, "END:VTODO\r\n");
	(void)i;
}

static void write_todos(FILE *f, struct strbuf *sb, const struct due_ctx *dc,
			const struct due_item *const *v, size_t n)
{
	const char *tz = dc->b->cfg.timezone;
	struct ics_arg a = { .dc = dc };
	char stamp[32];

	ics_utc(stamp, sizeof(stamp), tz_to_utc(tz, dc->now));
	a.stamp = stamp;
	calendar_start(sb, dc);
	fwrite(sb->buf, 1, sb->len, f);
	sb_reset(sb);
	due_write_items(f, v, n, utc_time, write_todo, &a);
	sb_addstr(sb, "END:VCALENDAR\r\n");
}

/* The years the events and now fall in, for the VTIMEZONE. */
static void year_span(const struct due_ctx *dc, const struct due_item *const *v, size_t n,
		      int *first, int *last)
{
	int y, m, d;

	civil_from_days(day_of_moment(dc->now), &y, &m, &d);
	*first = *last = y;
	for (size_t i = 0; i < n; i++) {
		civil_from_days(day_of_moment(v[i]->due), &y, &m, &d);
		if (y < *first)
			*first = y;
		if (y > *last)
			*last = y;
	}
}

/* The description: how late as of now, who, which client, the record. */
static void description(struct strbuf *text, const struct due_ctx *dc, const struct due_item *it)
{
	char late[64], now[20], due[20], loc[512];

	due_late_text(late, sizeof(late), dc, it);
	format_moment(now, dc->now);
	format_moment(due, it->due);
	sb_reset(text);
	/* "%s（截至 %s）\n到期: %s" or "%s (as of %s)\nDue: %s", then the
	 * owner, the client, the record and the rule, a line each */
	add(text, late);
	add(text, dc->zh ? "（截至 " : " (as of ");
	add(text, now);
	add(text, dc->zh ? "）\n到期: " : ")\nDue: ");
	add(text, due);
	if (it->who) {
		add(text, dc->zh ? "\n负责人: " : "\nOwner: ");
		add(text, due_staff_name(dc->b, it->who));
	}
	if (it->client) {
		add(text, dc->zh ? "\n客户: " : "\nClient: ");
		add(text, due_client_name(dc->b, it->client));
	}
	add(text, dc->zh ? "\n记录: " : "\nRecord: ");
	add(text, due_where(loc, sizeof(loc), it));
	add(text, dc->zh ? "\n规则: " : "\nRule: ");
	add(text, it->rule);
}

static void write_event(struct strbuf *sb, struct strbuf *text, void *arg,
			const struct due_item *it, size_t i, const union due_slot *slot)
{
	const struct ics_arg *a = arg;
	const struct due_ctx *dc = a->dc;
	const struct due_out *o = a->o;
	char uid[64], buf[32];

	due_uid(uid, sizeof(uid), it);
	sb_addstr(sb, "BEGIN:VEVENT\r\n");
	ics_line(sb, "UID", uid, 0);
	ics_line(sb, "DTSTAMP", a->stamp, 0);
	ics_line(sb, "SEQUENCE", a->seq, 0);
	ics_line(sb, "LAST-MODIFIED", a->stamp, 0);
	/* a moment, not a span: no DTEND (RFC 5545 3.6.1); in UTC as
	 * ics_datetime() writes it, from the time found beforehand */
	if (a->utc) {
		ics_utc(buf, sizeof(buf), slot->t);
		ics_line(sb, "DTSTART", buf, 0);
	} else {
		ics_datetime(sb, "DTSTART", dc->b->cfg.timezone, it->due);
	}
	summary(text, it);
	ics_line(sb, "SUMMARY", text->buf, 1);
	description(text, dc, it);
	ics_line(sb, "DESCRIPTION", text->buf, 1);
	ics_line(sb, "CATEGORIES", it->rule, 1);
	ics_line(sb, "PRIORITY", priority(it), 0);
	ics_line(sb, "TRANSP", "TRANSPARENT", 0);
	/* an alarm for a moment gone would fire at once on every refresh */
	if (o->alarm >= 0 && it->state != DUE_OVERDUE) {
		sb_addstr(sb, "BEGIN:VALARM\r\n");
		ics_line(sb, "ACTION", "DISPLAY", 0);
		summary(text, it);
		ics_line(sb, "DESCRIPTION", text->buf, 1);
		snprintf(buf, sizeof(buf), "-PT%dM", o->alarm);
		ics_line(sb, "TRIGGER", o->alarm ? buf : "PT0S", 0);
		sb_addstr(sb, "END:VALARM\r\n");
	}
	sb_addstr(sb, "END:VEVENT\r\n");
	(void)i;
}

static void write_events(FILE *f, struct strbuf *sb, const struct due_ctx *dc,
			 const struct due_item *const *v, size_t n, const struct due_out *o)
{
	const char *tz = dc->b->cfg.timezone;
	struct ics_arg a = { .dc = dc, .o = o, .utc = ics_zone_is_utc(tz) };
	time_t now = tz_to_utc(tz, dc->now);
	char stamp[32], seq[32];
	int first, last;

	ics_utc(stamp, sizeof(stamp), now);
	snprintf(seq, sizeof(seq), "%ld", now > SEQUENCE_EPOCH ? (long)((now - SEQUENCE_EPOCH) / 60) : 0L);
	a.stamp = stamp;
	a.seq = seq;
	calendar_start(sb, dc);
	ics_line(sb, "X-WR-TIMEZONE", tz, 0);
	if (!a.utc) {
		year_span(dc, v, n, &first, &last);
		ics_vtimezone(sb, tz, first, last);
	}
	fwrite(sb->buf, 1, sb->len, f);
	sb_reset(sb);
	due_write_items(f, v, n, a.utc ? utc_time : NULL, write_event, &a);
	sb_addstr(sb, "END:VCALENDAR\r\n");
}

void due_write_ics(FILE *f, struct strbuf *sb, const struct due_ctx *dc,
		   const struct due_item *const *v, size_t n, const struct due_out *o)
{
	if (o->todo)
		write_todos(f, sb, dc, v, n);
	else
		write_events(f, sb, dc, v, n, o);
}
