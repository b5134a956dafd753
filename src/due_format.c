/* due_format.c -- writing due items as text, JSON or CSV; see due_format.h.
 * iCalendar is due_ics.c. */
#include "due_format.h"

#include <stdio.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

const char *due_staff_name(const struct book *b, const char *id)
{
	const struct staff *st = id ? config_staff(&b->cfg, id) : NULL;

	return st && st->name ? st->name : id ? id : "";
}

const char *due_client_name(const struct book *b, const char *id)
{
	const struct record *r = id ? book_record(b, K_CLIENT, id) : NULL;
	const char *n = r ? rec_field(b, r, "name") : NULL;

	return n ? n : id ? id : "";
}

/* "1d 3h", "45m": working time, a day being a working day's minutes */
static void span(char *buf, size_t size, long minutes, int per_day, int zh)
{
	long d = per_day > 0 ? minutes / per_day : 0;
	long rest = minutes - d * per_day;
	long h = rest / 60, m = rest % 60;
	struct strbuf sb = STRBUF_INIT;

	if (d)
		sb_addf(&sb, zh ? "%ld天" : "%ldd", d);
	if (h && zh)
		sb_addf(&sb, "%ld小时", h);
	else if (h)
		sb_addf(&sb, "%s%ldh", sb.len ? " " : "", h);
	if (m && !d && zh)
		sb_addf(&sb, "%ld分", m);
	else if (m && !d)
		sb_addf(&sb, "%s%ldm", sb.len ? " " : "", m);
	if (!sb.len)
		sb_addstr(&sb, zh ? "0分" : "0m");
	snprintf(buf, size, "%s", sb.buf);
	sb_release(&sb);
}

/* Pad s to `cells` terminal cells (cutting it if longer). */
static void pad(struct strbuf *sb, const char *s, size_t cells)
{
	size_t n = strlen(s), w = utf8_width(s, n);

	if (w > cells) {
		size_t cut = utf8_prefix_for_width(s, n, cells - 1);
		sb_add(sb, s, cut);
		sb_addstr(sb, "…");
		w = utf8_width(s, cut) + 1;
	} else {
		sb_addstr(sb, s);
	}
	for (; w < cells; w++)
		sb_addch(sb, ' ');
}

const char *due_where(char *buf, size_t size, const struct due_item *it)
{
	if (it->line > 0)
		snprintf(buf, size, "%s:%d", it->path, it->line);
	else
		snprintf(buf, size, "%s", it->path);
	return buf;
}

void due_late_text(char *buf, size_t size, const struct due_ctx *dc, const struct due_item *it)
{
	char sp[40];
	int zh = dc->zh;

	if (it->state == DUE_OVERDUE && it->late == 0 && dc->today - day_of_moment(it->due) >= 4) {
		/* no working time since, but a holiday: say the days */
		snprintf(buf, size, zh ? "逾期%d天" : "%d days late", dc->today - day_of_moment(it->due));
	} else if (it->state == DUE_OVERDUE && it->late == 0) {
		/* late since the office closed: no working time lost yet */
		snprintf(buf, size, zh ? "刚逾期" : "just late");
	} else if (it->state == DUE_OVERDUE) {
		span(sp, sizeof(sp), it->late, dc->cal->minutes_per_day, zh);
		snprintf(buf, size, zh ? "逾期%s" : "%s late", sp);
	} else {
		span(sp, sizeof(sp), -it->late, dc->cal->minutes_per_day, zh);
		snprintf(buf, size, zh ? "还剩%s" : "in %s", sp);
	}
}

/* The lines of one state (overdue, today, upcoming) of one group. */
static void text_state(struct strbuf *sb, const struct due_ctx *dc, const struct due_group *g,
		       int st, const size_t w[3], int color)
{
	static const char *const head_zh[] = { "逾期", "今天到期", "即将到期" };
	static const char *const head_en[] = { "OVERDUE", "DUE TODAY", "UPCOMING" };
	size_t count = 0;
	char hz[16];
	int zh = dc->zh;

	format_date(hz, dc->horizon_end);
	for (size_t i = 0; i < g->n; i++)
		count += g->v[i]->state == (enum due_state)st;
	sb_addch(sb, '\n');
	if (color)
		sb_addstr(sb, st == DUE_OVERDUE ? "\033[1;31m" : st == DUE_TODAY ? "\033[1;33m" : "\033[1m");
	sb_addf(sb, "%s (%zu)", zh ? head_zh[st] : head_en[st], count);
	if (st == DUE_UPCOMING)
		sb_addf(sb, zh ? ", 至 %s" : ", until %s", hz);
	if (color)
		sb_addstr(sb, "\033[0m");
	sb_addch(sb, '\n');
	if (!count)
		sb_addstr(sb, zh ? "  无\n" : "  none\n");
	for (size_t i = 0; i < g->n; i++) {
		const struct due_item *it = g->v[i];
		char due[20], late[48], loc[512];
		if (it->state != (enum due_state)st)
			continue;
		format_moment(due, it->due);
		due_late_text(late, sizeof(late), dc, it);
		sb_addstr(sb, "  ");
		sb_addstr(sb, due);
		sb_addstr(sb, "  ");
		if (color && it->state == DUE_OVERDUE)
			sb_addstr(sb, "\033[31m");
		pad(sb, late, 14);
		if (color && it->state == DUE_OVERDUE)
			sb_addstr(sb, "\033[0m");
		sb_addstr(sb, "  ");
		pad(sb, it->rule, 6);
		sb_addstr(sb, "  ");
		pad(sb, due_staff_name(dc->b, it->who), w[0]);
		sb_addstr(sb, "  ");
		pad(sb, due_client_name(dc->b, it->client), w[1]);
		sb_addstr(sb, "  ");
		pad(sb, due_where(loc, sizeof(loc), it), w[2]);
		sb_addstr(sb, "  ");
		sb_addstr(sb, it->what);
		/* no trailing blanks */
		while (sb->len && sb->buf[sb->len - 1] == ' ')
			sb->buf[--sb->len] = '\0';
		sb_addch(sb, '\n');
	}
}

void due_print_groups(FILE *f, const struct due_ctx *dc, const struct due_group *g,
		      size_t ngroups, int color)
{
	static const char *const wd_zh[] = { "周一", "周二", "周三", "周四", "周五", "周六", "周日" };
	static const char *const wd_en[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	struct strbuf sb = STRBUF_INIT;
	size_t w[3] = { 4, 4, 6 };	/* who, client, where: the same in every group */
	char now[20];
	int zh = dc->zh;

	for (size_t k = 0; k < ngroups; k++)
		for (size_t i = 0; i < g[k].n; i++) {
			const struct due_item *it = g[k].v[i];
			const char *who = due_staff_name(dc->b, it->who), *cl = due_client_name(dc->b, it->client);
			char buf[512];
			if (utf8_width(who, strlen(who)) > w[0])
				w[0] = utf8_width(who, strlen(who));
			if (utf8_width(cl, strlen(cl)) > w[1])
				w[1] = utf8_width(cl, strlen(cl));
			due_where(buf, sizeof(buf), it);
			if (strlen(buf) > w[2])
				w[2] = strlen(buf);
		}
	if (w[1] > 16)
		w[1] = 16;
	if (w[0] > 12)
		w[0] = 12;
	format_moment(now, dc->now);
	sb_addf(&sb, "%s%s %s %s%s\n", color ? "\033[1m" : "", zh ? "截至" : "As of", now,
		zh ? wd_zh[weekday_of(dc->today)] : wd_en[weekday_of(dc->today)], color ? "\033[0m" : "");
	for (size_t k = 0; k < ngroups; k++) {
		if (g[k].title)
			sb_addf(&sb, "\n%s== %s ==%s\n", color ? "\033[1m" : "", g[k].title,
				color ? "\033[0m" : "");
		for (int st = DUE_OVERDUE; st <= DUE_UPCOMING; st++)
			text_state(&sb, dc, &g[k], st, w, color);
	}
	fputs(sb.buf, f);
	sb_release(&sb);
}

static void print_text(FILE *f, const struct due_ctx *dc, const struct due_item *const *v,
		       size_t n, int color)
{
	struct due_group g = { NULL, v, n, 1 };

	due_print_groups(f, dc, &g, 1, color);
}

static const char *state_name(enum due_state s)
{
	return s == DUE_OVERDUE ? "overdue" : s == DUE_TODAY ? "today" : "upcoming";
}

/* JSON: times as RFC 3339 with the book's offset, so that a program
 * reading them needs no time zone of its own. */
static void print_json(FILE *f, const struct due_ctx *dc, const struct due_item *const *v, size_t n)
{
	const char *tz = dc->b->cfg.timezone;
	struct strbuf sb = STRBUF_INIT;
	char buf[20];

	sb_addstr(&sb, "{\"now\":");
	json_moment(&sb, tz, dc->now);
	format_date(buf, dc->horizon_end);
	sb_addstr(&sb, ",\"until\":");
	json_str(&sb, buf);
	sb_addstr(&sb, ",\"timezone\":");
	json_str(&sb, tz);
	sb_addstr(&sb, ",\"items\":[");
	for (size_t i = 0; i < n; i++) {
		const struct due_item *it = v[i];
		sb_addstr(&sb, i ? ",\n  {" : "\n  {");
		sb_addstr(&sb, "\"state\":");
		json_str(&sb, state_name(it->state));
		sb_addstr(&sb, ",\"due\":");
		json_moment(&sb, tz, it->due);
		sb_addf(&sb, ",\"late_minutes\":%ld,\"late_calendar_minutes\":%ld,\"rule\":", it->late,
			it->late_calendar);
		json_str(&sb, it->rule);
		sb_addstr(&sb, ",\"who\":");
		json_str(&sb, it->who);
		sb_addstr(&sb, ",\"who_name\":");
		json_str(&sb, it->who ? due_staff_name(dc->b, it->who) : NULL);
		sb_addstr(&sb, ",\"client\":");
		json_str(&sb, it->client);
		sb_addstr(&sb, ",\"client_name\":");
		json_str(&sb, it->client ? due_client_name(dc->b, it->client) : NULL);
		sb_addstr(&sb, ",\"path\":");
		json_str(&sb, it->path);
		sb_addf(&sb, ",\"line\":%d,\"what\":", it->line);
		json_str(&sb, it->what);
		sb_addstr(&sb, ",\"uid\":");
		{
			char uid[64];
			due_uid(uid, sizeof(uid), it);
			json_str(&sb, uid);
		}
		sb_addch(&sb, '}');
	}
	sb_addstr(&sb, n ? "\n]}\n" : "]}\n");
	fputs(sb.buf, f);
	sb_release(&sb);
}

/* The CSV columns: the JSON keys, headed in the list's language. */
static const struct { const char *key, *zh, *en; } csv_cols[] = {
	{ "state", "状态", "State" },
	{ "due", "到期", "Due" },
	{ "late_minutes", "逾期(工作分钟)", "Late (working minutes)" },
	{ "late_calendar_minutes", "逾期(日历分钟)", "Late (calendar minutes)" },
	{ "rule", "规则", "Rule" },
	{ "who", "负责人账号", "Owner ID" },
	{ "who_name", "负责人", "Owner" },
	{ "client", "客户代码", "Client code" },
	{ "client_name", "客户名称", "Client name" },
	{ "path", "记录", "Record" },
	{ "line", "行", "Line" },
	{ "what", "事项", "What" },
};

static const char *state_words(enum due_state s, int zh)
{
	if (!zh)
		return state_name(s);
	return s == DUE_OVERDUE ? "逾期" : s == DUE_TODAY ? "今天到期" : "即将到期";
}

/* CSV as ae(1) says every CSV of ae is written (RFC 4180, CRLF, UTF-8
 * with a byte-order mark unless asked not to); times as a spreadsheet
 * reads them, YYYY-MM-DD HH:MM in the book's zone. */
static void print_csv(FILE *f, const struct due_ctx *dc, const struct due_item *const *v, size_t n,
		      int bom)
{
	struct strbuf sb = STRBUF_INIT;

	csv_start(&sb, bom);
	for (size_t c = 0; c < ARRAY_SIZE(csv_cols); c++) {
		if (c)
			sb_addch(&sb, ',');
		csv_field(&sb, dc->zh ? csv_cols[c].zh : csv_cols[c].en);
	}
	csv_end_row(&sb);
	for (size_t i = 0; i < n; i++) {
		const struct due_item *it = v[i];
		char due[20];
		format_moment(due, it->due);
		csv_field(&sb, state_words(it->state, dc->zh));
		sb_addf(&sb, ",%s,%ld,%ld,%s,", due, it->late, it->late_calendar, it->rule);
		csv_field(&sb, it->who);
		sb_addch(&sb, ',');
		csv_field(&sb, it->who ? due_staff_name(dc->b, it->who) : "");
		sb_addch(&sb, ',');
		csv_field(&sb, it->client);
		sb_addch(&sb, ',');
		csv_field(&sb, it->client ? due_client_name(dc->b, it->client) : "");
		sb_addch(&sb, ',');
		csv_field(&sb, it->path);
		sb_addf(&sb, ",%d,", it->line);
		csv_field(&sb, it->what);
		csv_end_row(&sb);
	}
	fwrite(sb.buf, 1, sb.len, f);
	sb_release(&sb);
}

void due_uid(char *buf, size_t size, const struct due_item *it)
{
	unsigned long long h = 1469598103934665603ULL;
	const char *parts[3] = { it->path, it->key, it->client ? it->client : "" };

	for (int p = 0; p < 3; p++) {
		for (const char *s = parts[p]; *s; s++) {
			h ^= (unsigned char)*s;
			h *= 1099511628211ULL;
		}
		h ^= 0xff;
		h *= 1099511628211ULL;
	}
	snprintf(buf, size, "%016llx@ae", h);
}

void due_print(FILE *f, const struct due_ctx *dc, const struct due_item *const *v, size_t n,
	       const struct due_out *o)
{
	struct strbuf sb = STRBUF_INIT;

	switch (o->fmt) {
	case DF_TEXT: print_text(f, dc, v, n, o->color); break;
	case DF_JSON: print_json(f, dc, v, n); break;
	case DF_CSV: print_csv(f, dc, v, n, o->bom); break;
	case DF_ICS:
		due_write_ics(&sb, dc, v, n, o);
		fwrite(sb.buf, 1, sb.len, f);
		break;
	}
	sb_release(&sb);
}
