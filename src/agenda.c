/* agenda.c -- see agenda.h */
#include "agenda.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "utf8.h"

static const char *const wd_zh[] = { "周一", "周二", "周三", "周四", "周五", "周六", "周日" };
static const char *const wd_en[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

void agenda_when(char *buf, size_t size, moment_t due, moment_t now, int zh)
{
	int day = day_of_moment(due), today = day_of_moment(now), diff = day - today;
	int minute = (int)(due - (moment_t)day * 1440), y, m, d, ny, nm, nd;
	char hm[16];

	snprintf(hm, sizeof(hm), "%02d:%02d", minute / 60, minute % 60);
	civil_from_days(day, &y, &m, &d);
	civil_from_days(today, &ny, &nm, &nd);
	if (diff == 0)
		snprintf(buf, size, "%s %s", zh ? "今天" : "today", hm);
	else if (diff == 1)
		snprintf(buf, size, "%s %s", zh ? "明天" : "tomorrow", hm);
	else if (diff == -1)
		snprintf(buf, size, "%s %s", zh ? "昨天" : "yesterday", hm);
	else if (diff > 1 && diff < 7)
		snprintf(buf, size, "%s %s", zh ? wd_zh[weekday_of(day)] : wd_en[weekday_of(day)], hm);
	else if (y == ny)
		snprintf(buf, size, "%02d-%02d %s", m, d, hm);
	else
		snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

/* Working time: "3小时", "45分", "1天3小时" / "3h", "45m", "1d 3h". */
static void span(char *buf, size_t size, long minutes, int per_day, int zh)
{
	long days = per_day > 0 ? minutes / per_day : 0, rest = minutes - days * per_day;
	long h = rest / 60, mi = rest % 60;

	if (days && h)
		snprintf(buf, size, zh ? "%ld天%ld小时" : "%ldd %ldh", days, h);
	else if (days)
		snprintf(buf, size, zh ? "%ld天" : "%ldd", days);
	else if (h && mi)
		snprintf(buf, size, zh ? "%ld小时%ld分" : "%ldh %ldm", h, mi);
	else if (h)
		snprintf(buf, size, zh ? "%ld小时" : "%ldh", h);
	else
		snprintf(buf, size, zh ? "%ld分" : "%ldm", mi);
}

void agenda_state(char *buf, size_t size, const struct due_ctx *dc, const struct due_item *it)
{
	int per_day = dc->cal->minutes_per_day, zh = dc->zh;
	char sp[40];

	if (it->state == DUE_OVERDUE) {
		long work_days = per_day > 0 ? it->late / per_day : 0;
		int cal_days = dc->today - day_of_moment(it->due);
		span(sp, sizeof(sp), it->late, per_day, zh);
		if (cal_days >= 4 && cal_days >= 2 * (work_days + 1)) {
			/* holidays between: the working clock alone would say "just late" */
			if (it->late == 0)
				snprintf(buf, size, zh ? "逾期%d天" : "%d days late", cal_days);
			else
				snprintf(buf, size, zh ? "逾期%d天 (工时%s)" : "%d days late (%s working)",
					 cal_days, sp);
		} else if (it->late == 0) {
			snprintf(buf, size, zh ? "刚逾期" : "just late");
		} else {
			snprintf(buf, size, zh ? "逾期%s" : "%s late", sp);
		}
	} else if (it->state == DUE_TODAY) {
		if (it->late >= 0) {
			snprintf(buf, size, zh ? "现在" : "now");
		} else {
			/* today's time left in hours, never "1 day" */
			span(sp, sizeof(sp), -it->late, 0, zh);
			snprintf(buf, size, zh ? "还剩%s" : "%s left", sp);
		}
	} else {
		*buf = '\0';
	}
}

/* Text the book gave, made safe for a terminal: no control characters,
 * no bidirectional overrides, tabs and newlines as spaces. */
static char *clean(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; s && s[i];) {
		int len;
		unsigned cp = utf8_decode(s + i, &len);
		if (cp == '\t' || cp == '\n' || cp == '\r')
			sb_addch(&sb, ' ');
		else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
			 (cp >= 0x2066 && cp <= 0x2069))
			sb_addch(&sb, '?');
		else
			sb_add(&sb, s + i, (size_t)len);
		i += (size_t)len;
	}
	return sb_detach(&sb);
}

static size_t cells(const char *s)
{
	return utf8_width(s, strlen(s));
}

/* s in exactly `width` cells: cut with an ellipsis, or padded (unless last). */
static void fit(struct strbuf *sb, const char *s, size_t width, int last)
{
	size_t n = strlen(s), w = utf8_width(s, n);

	if (w > width) {
		size_t cut = width ? utf8_prefix_for_width(s, n, width - 1) : 0;
		sb_add(sb, s, cut);
		w = utf8_width(s, cut);
		if (width) {
			sb_addstr(sb, "…");
			w++;
		}
	} else {
		sb_addstr(sb, s);
	}
	for (; !last && w < width; w++)
		sb_addch(sb, ' ');
}

/* The end of s in `width` cells: "…CR-20261112-01.ini:17" keeps the file and line. */
static void fit_tail(struct strbuf *sb, const char *s, size_t width)
{
	size_t n = strlen(s);
	const char *p = s;

	if (utf8_width(s, n) <= width || width < 2) {
		fit(sb, s, width, 0);
		return;
	}
	while (*p && utf8_width(p, strlen(p)) > width - 1) {
		int len;
		utf8_decode(p, &len);
		p += len;
	}
	sb_addstr(sb, "…");
	fit(sb, p, width - 1, 0);
}

/* One line in at most width cells, whatever the columns asked for. */
static void end_line(struct strbuf *out, struct strbuf *line, size_t width)
{
	while (line->len && line->buf[line->len - 1] == ' ')
		line->buf[--line->len] = '\0';
	fit(out, line->buf ? line->buf : "", width, 1);
	sb_addch(out, '\n');
	sb_reset(line);
}

struct row {
	char *what, *who, *client, *when, *state, *rule, *where;
	int state_kind;
	int mine;
};

static void row_fill(struct row *r, const struct due_ctx *dc, const struct due_item *it,
		     const char *me)
{
	const struct staff *st = it->who ? config_staff(&dc->b->cfg, it->who) : NULL;
	char buf[512];

	r->what = clean(it->what);
	r->who = clean(st && st->name ? st->name : it->who ? it->who : "");
	r->client = clean(it->client ? client_code_name(dc->b, it->client, buf, sizeof(buf)) : "");
	agenda_when(buf, sizeof(buf), it->due, dc->now, dc->zh);
	r->when = xstrdup(buf);
	agenda_state(buf, sizeof(buf), dc, it);
	r->state = xstrdup(buf);
	r->rule = xstrdup(it->rule);
	if (it->line > 0)
		snprintf(buf, sizeof(buf), "%s:%d", it->path, it->line);
	else
		snprintf(buf, sizeof(buf), "%s", it->path);
	r->where = clean(buf);
	r->state_kind = it->state;
	r->mine = me && it->who && !strcmp(me, it->who);
}

static void row_release(struct row *r)
{
	free(r->what);
	free(r->who);
	free(r->client);
	free(r->when);
	free(r->state);
	free(r->rule);
	free(r->where);
}

#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* The columns of one group, from the widths of its rows. */
struct layout {
	size_t who, client, when, state, rule, xwho, where, task;
	int extras;		/* 0 none, 1 on the line, 2 on a line of their own */
};

static void plan(struct layout *l, const struct row *rows, size_t n, const struct due_group *g,
		 const struct agenda_opts *o)
{
	size_t maxtask = 0, fixed, avail, ext;
	int others = 0;

	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < n; i++) {
		maxtask = MAX(maxtask, cells(rows[i].what));
		if (g->show_who)
			l->who = MAX(l->who, cells(rows[i].who));
		l->client = MAX(l->client, cells(rows[i].client));
		l->when = MAX(l->when, cells(rows[i].when));
		l->state = MAX(l->state, cells(rows[i].state));
		l->rule = MAX(l->rule, cells(rows[i].rule));
		l->where = MAX(l->where, cells(rows[i].where));
		others |= !rows[i].mine;
	}
	if (!g->show_who && others)
		for (size_t i = 0; i < n; i++)
			l->xwho = MAX(l->xwho, cells(rows[i].who));
	l->who = l->who > 8 ? 8 : l->who;
	l->xwho = l->xwho > 8 ? 8 : l->xwho;
	l->client = l->client > 10 ? 10 : l->client;
	l->where = l->where > 44 ? 44 : l->where;
	/* indent, then task, who, client, when, state, two spaces apart */
	fixed = 2 + (l->who ? l->who + 2 : 0) + (l->client ? l->client + 2 : 0) + 2 + l->when +
		(l->state ? 2 + l->state : 0);
	avail = (size_t)o->width > fixed ? (size_t)o->width - fixed : 0;
	if (avail < 16 && l->client) {
		/* a narrow terminal: the task before the client's name */
		fixed -= l->client + 2;
		avail = (size_t)o->width > fixed ? (size_t)o->width - fixed : 0;
		l->client = 0;
	}
	ext = 2 + l->rule + (l->xwho ? 2 + l->xwho : 0) + 2 + l->where;
	if (avail >= ext && (avail - ext >= maxtask || avail - ext >= 60 ||
			     (o->verbose && avail - ext >= 30)))
		l->extras = 1;
	else if (o->verbose)
		l->extras = 2;
	l->task = l->extras == 1 ? avail - ext : avail;
	l->task = l->task > maxtask ? maxtask : l->task;
	if (l->task < 12)
		l->task = 12;
}

static void print_row(struct strbuf *out, struct strbuf *line, const struct row *r,
		      const struct layout *l, const struct agenda_opts *o)
{
	size_t state_at = 0;

	sb_addstr(line, "  ");
	fit(line, r->what, l->task, 0);
	if (l->who) {
		sb_addstr(line, "  ");
		fit(line, r->who, l->who, 0);
	}
	if (l->client) {
		sb_addstr(line, "  ");
		fit(line, r->client, l->client, 0);
	}
	sb_addstr(line, "  ");
	fit(line, r->when, l->when, 0);
	if (l->state) {
		sb_addstr(line, "  ");
		state_at = line->len;
		fit(line, r->state, l->state, 0);
	}
	if (l->extras == 1) {
		sb_addstr(line, "  ");
		fit(line, r->rule, l->rule, 0);
		if (l->xwho) {
			sb_addstr(line, "  ");
			fit(line, r->mine ? "" : r->who, l->xwho, 0);
		}
		sb_addstr(line, "  ");
		fit_tail(line, r->where, l->where);
	}
	if (o->color && r->state_kind == DUE_OVERDUE && state_at &&
	    utf8_width(line->buf, line->len) <= (size_t)o->width) {
		/* the lateness in red; the widths were counted without escapes */
		size_t n = strlen(r->state);
		while (line->len && line->buf[line->len - 1] == ' ')
			line->buf[--line->len] = '\0';
		sb_add(out, line->buf, state_at);
		sb_addstr(out, "\033[31m");
		sb_add(out, line->buf + state_at, n);
		sb_addstr(out, "\033[0m");
		sb_addstr(out, line->buf + state_at + n);
		sb_addch(out, '\n');
		sb_reset(line);
	} else {
		end_line(out, line, (size_t)o->width);
	}
	if (l->extras == 2) {
		sb_addstr(line, "      ");
		sb_addstr(line, r->rule);
		if (!r->mine && !l->who) {
			sb_addstr(line, "  ");
			sb_addstr(line, r->who);
		}
		sb_addstr(line, "  ");
		sb_addstr(line, r->where);
		end_line(out, line, (size_t)o->width);
	}
}

void agenda_write(struct strbuf *out, const struct due_ctx *dc, const struct due_group *g,
		  size_t ngroups, const struct agenda_opts *o)
{
	static const char *const head_zh[] = { "逾期", "今天到期", "即将到期" };
	static const char *const head_en[] = { "Overdue", "Due today", "Upcoming" };
	static const char *const color_of[] = { "\033[1;31m", "\033[1;33m", "\033[1m" };
	struct strbuf line = STRBUF_INIT;
	size_t width = o->width > 0 ? (size_t)o->width : 80;
	char now[20], hz[16];
	int zh = dc->zh;

	format_moment(now, dc->now);
	format_date(hz, dc->horizon_end);
	sb_addf(&line, "%s %s %s", zh ? "截至" : "As of", now,
		zh ? wd_zh[weekday_of(dc->today)] : wd_en[weekday_of(dc->today)]);
	if (o->color)
		sb_addstr(out, "\033[1m");
	fit(out, line.buf, width, 1);
	sb_addstr(out, o->color ? "\033[0m\n" : "\n");
	sb_reset(&line);
	for (size_t k = 0; k < ngroups; k++) {
		struct row *rows = xcalloc(g[k].n + 1, sizeof(*rows));
		struct layout l;

		for (size_t i = 0; i < g[k].n; i++)
			row_fill(&rows[i], dc, g[k].v[i], o->me);
		plan(&l, rows, g[k].n, &g[k], o);
		if (g[k].title) {
			sb_addch(out, '\n');
			if (o->color)
				sb_addstr(out, "\033[1;4m");
			fit(out, g[k].title, width, 1);
			sb_addstr(out, o->color ? "\033[0m\n" : "\n");
		}
		if (g[k].title && !g[k].n) {
			/* an empty group in one line, not three empty states */
			sb_addstr(&line, zh ? "  无" : "  none");
			end_line(out, &line, width);
			free(rows);
			continue;
		}
		for (int st = DUE_OVERDUE; st <= DUE_UPCOMING; st++) {
			size_t count = 0;
			for (size_t i = 0; i < g[k].n; i++)
				count += rows[i].state_kind == st;
			sb_addf(&line, "%s (%zu)", zh ? head_zh[st] : head_en[st], count);
			if (st == DUE_UPCOMING)
				sb_addf(&line, zh ? ", 至 %s" : ", until %s", hz);
			sb_addch(out, '\n');
			if (o->color)
				sb_addstr(out, color_of[st]);
			fit(out, line.buf, width, 1);
			sb_addstr(out, o->color ? "\033[0m\n" : "\n");
			sb_reset(&line);
			if (!count) {
				sb_addstr(&line, zh ? "  无" : "  none");
				end_line(out, &line, width);
			}
			for (size_t i = 0; i < g[k].n; i++)
				if (rows[i].state_kind == st)
					print_row(out, &line, &rows[i], &l, o);
		}
		for (size_t i = 0; i < g[k].n; i++)
			row_release(&rows[i]);
		free(rows);
	}
	sb_release(&line);
}
