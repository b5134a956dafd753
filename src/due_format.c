/* due_format.c -- writing due items as text, JSON or CSV; see due_format.h.
 * iCalendar is due_ics.c. */
#include "due_format.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "json.h"
#include "pool.h"
#include "tz.h"
#include "utf8.h"

#define SPILL (256 * 1024)

void due_spill(struct strbuf *sb, FILE *f)
{
	if (sb->len < SPILL)
		return;
	fwrite(sb->buf, 1, sb->len, f);
	sb->len = 0;
	sb->buf[0] = '\0';
}

/* snprintf(buf, size, "%s", s) of s[0..n): cut to size - 1 bytes. */
static void copy_cut(char *buf, size_t size, const char *s, size_t n)
{
	if (!size)
		return;
	if (n > size - 1)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

static char *put(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* The uid's hash (FNV-1a, 64 bits) of the path, key and client, each
 * ended by a 0xFF byte: h carried on over s. */
#define UID_BASIS 1469598103934665603ULL

static uint64_t uid_part(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= 0xff;
	return h * 1099511628211ULL;
}

const char *due_staff_name(const struct book *b, const char *id)
{
	const struct staff *st = id ? config_staff(&b->cfg, id) : NULL;

	return st && st->name ? st->name : id ? id : "";
}

/* due_client_name() with the name field's index f_name found already */
static const char *client_name_at(const struct book *b, const char *id, int f_name)
{
	const struct record *r = id ? book_record(b, K_CLIENT, id) : NULL;
	const char *n = r ? rec_str(r, f_name) : NULL;

	return n ? n : id ? id : "";
}

const char *due_client_name(const struct book *b, const char *id)
{
	return client_name_at(b, id, book_field(b, K_CLIENT, "name"));
}

/* "1d 3h", "45m": working time, a day being a working day's minutes;
 * into sp, at most 39 bytes (as it always was), NUL-terminated */
static char *span(char sp[40], long minutes, int per_day, int zh)
{
	long d = per_day > 0 ? minutes / per_day : 0;
	long rest = minutes - d * per_day;
	long h = rest / 60, m = rest % 60;
	char tmp[96], *p = tmp;

	if (d) {
		p = fmt_long(p, d);
		p = put(p, zh ? "天" : "d");
	}
	if (h && zh) {
		p = fmt_long(p, h);
		p = put(p, "小时");
	} else if (h) {
		if (p > tmp)
			*p++ = ' ';
		p = fmt_long(p, h);
		*p++ = 'h';
	}
	if (m && !d && zh) {
		p = fmt_long(p, m);
		p = put(p, "分");
	} else if (m && !d) {
		if (p > tmp)
			*p++ = ' ';
		p = fmt_long(p, m);
		*p++ = 'm';
	}
	if (p == tmp)
		p = put(p, zh ? "0分" : "0m");
	copy_cut(sp, 40, tmp, (size_t)(p - tmp));
	return sp;
}

/* Pad s (n bytes, w cells wide) to `cells` terminal cells (cutting it if
 * longer). */
static void pad_w(struct strbuf *sb, const char *s, size_t n, size_t w, size_t cells)
{
	if (w > cells) {
		size_t cut = utf8_prefix_for_width(s, n, cells - 1);
		sb_add(sb, s, cut);
		SB_LIT(sb, "…");
		w = utf8_width(s, cut) + 1;
	} else {
		sb_add(sb, s, n);
	}
	if (w < cells) {
		sb_grow(sb, cells - w);
		memset(sb->buf + sb->len, ' ', cells - w);
		sb->len += cells - w;
		sb->buf[sb->len] = '\0';
	}
}

static void pad(struct strbuf *sb, const char *s, size_t cells)
{
	size_t n = strlen(s);

	pad_w(sb, s, n, utf8_width(s, n), cells);
}

const char *due_where(char *buf, size_t size, const struct due_item *it)
{
	size_t n = strlen(it->path);

	if (it->line > 0 && n + 12 < size) {
		/* "%s:%d" */
		char *p = buf + n;
		memcpy(buf, it->path, n);
		*p++ = ':';
		p = fmt_long(p, it->line);
		*p = '\0';
	} else if (it->line > 0) {
		snprintf(buf, size, "%s:%d", it->path, it->line);
	} else {
		copy_cut(buf, size, it->path, n);
	}
	return buf;
}

void due_late_text(char *buf, size_t size, const struct due_ctx *dc, const struct due_item *it)
{
	char sp[40], tmp[96], *p = tmp;
	int zh = dc->zh;

	if (it->state == DUE_OVERDUE && it->late == 0 && dc->today - day_of_moment(it->due) >= 4) {
		/* no working time since, but a holiday: say the days */
		if (zh)
			p = put(p, "逾期");
		p = fmt_long(p, dc->today - day_of_moment(it->due));
		p = put(p, zh ? "天" : " days late");
	} else if (it->state == DUE_OVERDUE && it->late == 0) {
		/* late since the office closed: no working time lost yet */
		p = put(p, zh ? "刚逾期" : "just late");
	} else if (it->state == DUE_OVERDUE) {
		span(sp, it->late, dc->cal->minutes_per_day, zh);
		if (zh)
			p = put(p, "逾期");
		p = put(p, sp);
		if (!zh)
			p = put(p, " late");
	} else {
		span(sp, -it->late, dc->cal->minutes_per_day, zh);
		p = put(p, zh ? "还剩" : "in ");
		p = put(p, sp);
	}
	copy_cut(buf, size, tmp, (size_t)(p - tmp));
}

/* An item's owner and client as the text layout shows them, with their
 * widths: found once for the columns' widths and the lines both. */
struct row {
	const char *who, *cl;
	size_t wn, ww, cn, cw;
};

/* What the lines of the text layout share. */
struct text_arg {
	const struct due_ctx *dc;
	const struct row *const *rows;	/* [i]: the row of the i-th line */
	const size_t *w;
	int color;
};

/* One line of the text layout. */
static void text_line(struct strbuf *sb, struct strbuf *scratch, void *arg,
		      const struct due_item *it, size_t i, const union due_slot *slot)
{
	const struct text_arg *a = arg;
	const struct row *r = a->rows[i];
	char due[20], late[48], loc[512];
	int color = a->color;

	format_moment(due, it->due);
	due_late_text(late, sizeof(late), a->dc, it);
	SB_LIT(sb, "  ");
	sb_add(sb, due, strlen(due));
	SB_LIT(sb, "  ");
	if (color && it->state == DUE_OVERDUE)
		SB_LIT(sb, "\033[31m");
	pad(sb, late, 14);
	if (color && it->state == DUE_OVERDUE)
		SB_LIT(sb, "\033[0m");
	SB_LIT(sb, "  ");
	pad(sb, it->rule, 6);
	SB_LIT(sb, "  ");
	pad_w(sb, r->who, r->wn, r->ww, a->w[0]);
	SB_LIT(sb, "  ");
	pad_w(sb, r->cl, r->cn, r->cw, a->w[1]);
	SB_LIT(sb, "  ");
	pad(sb, due_where(loc, sizeof(loc), it), a->w[2]);
	SB_LIT(sb, "  ");
	sb_addstr(sb, it->what);
	/* no trailing blanks */
	while (sb->len && sb->buf[sb->len - 1] == ' ')
		sb->buf[--sb->len] = '\0';
	sb_addch(sb, '\n');
	(void)scratch;
	(void)slot;
}

/* The lines of one state (overdue, today, upcoming) of one group: the
 * heading in sb, written, then the lines (due_write_items). */
static void text_state(FILE *f, struct strbuf *sb, const struct due_ctx *dc,
		       const struct due_group *g, const struct row *rows, int st, const size_t w[3],
		       int color)
{
	static const char *const head_zh[] = { "逾期", "今天到期", "即将到期" };
	static const char *const head_en[] = { "OVERDUE", "DUE TODAY", "UPCOMING" };
	const struct due_item **v = xmalloc(sizeof(*v) * (g->n + 1));
	const struct row **r = xmalloc(sizeof(*r) * (g->n + 1));
	struct text_arg a = { dc, r, w, color };
	size_t count = 0;
	char hz[16];
	int zh = dc->zh;

	format_date(hz, dc->horizon_end);
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i]->state == (enum due_state)st) {
			v[count] = g->v[i];
			r[count++] = &rows[i];
		}
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
	if (count) {
		fwrite(sb->buf, 1, sb->len, f);
		sb_reset(sb);
		due_write_items(f, v, count, NULL, text_line, &a);
	}
	free(v);
	free(r);
}

void due_print_groups(FILE *f, const struct due_ctx *dc, const struct due_group *g,
		      size_t ngroups, int color)
{
	static const char *const wd_zh[] = { "周一", "周二", "周三", "周四", "周五", "周六", "周日" };
	static const char *const wd_en[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	struct strbuf sb = STRBUF_INIT;
	size_t w[3] = { 4, 4, 6 };	/* who, client, where: the same in every group */
	size_t total = 0, at = 0;
	struct row *rows;
	char now[20];
	int zh = dc->zh;

	for (size_t k = 0; k < ngroups; k++)
		total += g[k].n;
	rows = xcalloc(total ? total : 1, sizeof(*rows));
	for (size_t k = 0; k < ngroups; k++)
		for (size_t i = 0; i < g[k].n; i++) {
			const struct due_item *it = g[k].v[i];
			struct row *r = &rows[at++];
			char buf[512];
			r->who = due_staff_name(dc->b, it->who);
			r->cl = due_client_name(dc->b, it->client);
			r->wn = strlen(r->who);
			r->ww = utf8_width(r->who, r->wn);
			r->cn = strlen(r->cl);
			r->cw = utf8_width(r->cl, r->cn);
			if (r->ww > w[0])
				w[0] = r->ww;
			if (r->cw > w[1])
				w[1] = r->cw;
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
	at = 0;
	for (size_t k = 0; k < ngroups; k++) {
		if (g[k].title)
			sb_addf(&sb, "\n%s== %s ==%s\n", color ? "\033[1m" : "", g[k].title,
				color ? "\033[0m" : "");
		for (int st = DUE_OVERDUE; st <= DUE_UPCOMING; st++)
			text_state(f, &sb, dc, &g[k], rows + at, st, w, color);
		at += g[k].n;
	}
	fwrite(sb.buf, 1, sb.len, f);
	free(rows);
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

/*
 * The strings an item points to are all over the memory (its text in the
 * arena, its record's path and client in the parse cache's mapping), and
 * the items go out in time order: the strings of the item AHEAD places on
 * are asked for early, so that their misses overlap instead of coming one
 * after another (the JSON of the 100k book spent 16 ms in strlen).
 */
#define AHEAD 8

static void prefetch_item(const struct due_item *it)
{
	__builtin_prefetch(it->what);
	__builtin_prefetch(it->path);
	__builtin_prefetch(it->key);
	if (it->client)
		__builtin_prefetch(it->client);
}

/*
 * The JSON of an item's owner and of its client (the id and the name, a
 * lookup and two escapes each) made once per string a thread meets, not
 * per item: the bench book's 48,000 items name a few dozen people and a
 * few thousand clients.  Slots are found by the string's address, not
 * its bytes (reading those is a miss an item: slower than making the
 * JSON anew on the rare collision); the strings do not move while the
 * list is written.  The FNV state of the uid after the item's path is
 * kept for the last path (the items of one journal month come together).
 */
#define MEMO_BITS 11
#define MEMO_SLOTS (1u << MEMO_BITS)
#define MEMO_TEXT_MAX ((size_t)1 << 20)

struct memo_slot {
	const char *key;
	uint32_t at, len;	/* the JSON, in the memo's text */
};

struct json_memo {
	struct memo_slot who[MEMO_SLOTS], client[MEMO_SLOTS];
	struct strbuf text;
	const char *path;
	uint64_t path_h;
};

/* What the JSON items are written with: the zone's span of one offset,
 * in which the threads write the items' times themselves. */
struct json_items {
	const struct due_ctx *dc;
	struct tz_span span;
	int f_name;		/* a client's name field */
	struct json_memo *memo[POOL_MAX];	/* [pool_slot()], made by that thread */
};

/* The JSON of key's slot, made by make() if the slot holds another's. */
static void memo_put(struct strbuf *sb, struct json_memo *m, struct memo_slot *v,
		     const char *key, const struct json_items *ji,
		     void (*make)(struct strbuf *sb, const struct json_items *ji, const char *key))
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9E3779B97F4A7C15ULL;
	struct memo_slot *slot = &v[h >> (64 - MEMO_BITS)];	/* the hash's top bits */

	if (slot->key != key) {
		if (m->text.len > MEMO_TEXT_MAX) {
			/* every slot's text goes: the memo starts again */
			sb_reset(&m->text);
			memset(m->who, 0, sizeof(m->who));
			memset(m->client, 0, sizeof(m->client));
		}
		slot->key = key;
		slot->at = (uint32_t)m->text.len;
		make(&m->text, ji, key);
		slot->len = (uint32_t)(m->text.len - slot->at);
	}
	fmt_put(sb, m->text.buf + slot->at, slot->len);
}

static void make_who(struct strbuf *sb, const struct json_items *ji, const char *who)
{
	SB_LIT(sb, ",\"who\":");
	json_str(sb, who);
	SB_LIT(sb, ",\"who_name\":");
	json_str(sb, due_staff_name(ji->dc->b, who));
}

static void make_client(struct strbuf *sb, const struct json_items *ji, const char *client)
{
	SB_LIT(sb, ",\"client\":");
	json_str(sb, client);
	SB_LIT(sb, ",\"client_name\":");
	json_str(sb, client_name_at(ji->dc->b, client, ji->f_name));
}

/* One item of the JSON list, the i-th (from 0); slot: its time, as
 * tz_rfc3339_moment() writes it, or empty for one of the span. */
static void json_item(struct strbuf *sb, struct strbuf *scratch, void *arg,
		      const struct due_item *it, size_t i, const union due_slot *slot)
{
	struct json_items *ji = arg;
	struct json_memo *m = ji->memo[pool_slot()];
	const char *when = slot->text;
	char uid[16], buf[40];

	if (!m)
		m = ji->memo[pool_slot()] = xcalloc(1, sizeof(*m));

	/* json_time() left it to this thread: of the span, so written */
	if (!*when && !tz_rfc3339_span(buf, sizeof(buf), &ji->span, it->due))
		when = buf;

	if (i)
		SB_LIT(sb, ",\n  {\"state\":");
	else
		SB_LIT(sb, "\n  {\"state\":");
	/* state_name()'s, as JSON strings */
	if (it->state == DUE_OVERDUE)
		SB_LIT(sb, "\"overdue\"");
	else if (it->state == DUE_TODAY)
		SB_LIT(sb, "\"today\"");
	else
		SB_LIT(sb, "\"upcoming\"");
	SB_LIT(sb, ",\"due\":\"");
	sb_addstr(sb, when);
	SB_LIT(sb, "\",\"late_minutes\":");
	fmt_addlong(sb, it->late);
	SB_LIT(sb, ",\"late_calendar_minutes\":");
	fmt_addlong(sb, it->late_calendar);
	SB_LIT(sb, ",\"rule\":");
	json_str(sb, it->rule);
	if (it->who)
		memo_put(sb, m, m->who, it->who, ji, make_who);
	else
		SB_LIT(sb, ",\"who\":null,\"who_name\":null");
	if (it->client)
		memo_put(sb, m, m->client, it->client, ji, make_client);
	else
		SB_LIT(sb, ",\"client\":null,\"client_name\":null");
	SB_LIT(sb, ",\"path\":");
	json_str(sb, it->path);
	SB_LIT(sb, ",\"line\":");
	fmt_addlong(sb, it->line);
	SB_LIT(sb, ",\"what\":");
	json_str(sb, it->what);
	/* sixteen hex digits and "@ae": nothing to escape */
	SB_LIT(sb, ",\"uid\":\"");
	if (m->path != it->path) {
		m->path = it->path;
		m->path_h = uid_part(UID_BASIS, it->path);
	}
	fmt_hex16(uid, uid_part(uid_part(m->path_h, it->key), it->client ? it->client : ""));
	fmt_put(sb, uid, 16);
	SB_LIT(sb, "@ae\"}");
	(void)scratch;
}

/* On one thread, before the items are written: the time of an item
 * outside the span (most books have one span from 1992 on). */
static void json_time(void *arg, const struct due_item *it, union due_slot *slot)
{
	const struct json_items *ji = arg;

	if (tz_span_has(&ji->span, it->due))
		slot->text[0] = '\0';
	else
		tz_rfc3339_moment(slot->text, sizeof(slot->text), ji->dc->b->cfg.timezone, it->due);
}

/*
 * due_write_items(): rounds of ROUND blocks of BLOCK items, so that the
 * memory held is a round's (a few megabytes), not the whole list's.
 */
#define BLOCK 256
#define ROUND 32

struct items_round {
	const struct due_item *const *v;
	size_t first, n;	/* this round's items: v[first, first + n) */
	union due_slot *slots;	/* [i - first] */
	void (*one)(struct strbuf *sb, struct strbuf *scratch, void *arg,
		    const struct due_item *it, size_t i, const union due_slot *slot);
	void *arg;
	struct strbuf out[ROUND], scratch[ROUND];
};

static void items_block(void *ctx, size_t unit)
{
	struct items_round *r = ctx;
	size_t lo = unit * BLOCK, hi = lo + BLOCK < r->n ? lo + BLOCK : r->n;

	sb_reset(&r->out[unit]);
	for (size_t i = lo; i < hi; i++) {
		if (i + AHEAD < hi)
			prefetch_item(r->v[r->first + i + AHEAD]);
		r->one(&r->out[unit], &r->scratch[unit], r->arg, r->v[r->first + i], r->first + i,
		       &r->slots[i]);
	}
}

void due_write_items(FILE *f, const struct due_item *const *v, size_t n,
		     void (*first)(void *arg, const struct due_item *it, union due_slot *slot),
		     void (*one)(struct strbuf *sb, struct strbuf *scratch, void *arg,
				 const struct due_item *it, size_t i, const union due_slot *slot),
		     void *arg)
{
	struct items_round *r = xcalloc(1, sizeof(*r));

	r->v = v;
	r->one = one;
	r->arg = arg;
	r->slots = xcalloc(ROUND * BLOCK, sizeof(*r->slots));
	for (r->first = 0; r->first < n; r->first += r->n) {
		size_t blocks;
		r->n = n - r->first < ROUND * BLOCK ? n - r->first : ROUND * BLOCK;
		if (first)
			for (size_t i = 0; i < r->n; i++)
				first(arg, v[r->first + i], &r->slots[i]);
		blocks = (r->n + BLOCK - 1) / BLOCK;
		pool_run(blocks, 1, items_block, r);
		for (size_t b = 0; b < blocks; b++)
			fwrite(r->out[b].buf, 1, r->out[b].len, f);
	}
	for (size_t b = 0; b < ROUND; b++) {
		sb_release(&r->out[b]);
		sb_release(&r->scratch[b]);
	}
	free(r->slots);
	free(r);
}

/* JSON: times as RFC 3339 with the book's offset, so that a program
 * reading them needs no time zone of its own. */
static void print_json(FILE *f, const struct due_ctx *dc, const struct due_item *const *v, size_t n)
{
	const char *tz = dc->b->cfg.timezone;
	struct strbuf sb = STRBUF_INIT;
	struct json_items ji;
	char buf[20];

	sb_addstr(&sb, "{\"now\":");
	json_moment(&sb, tz, dc->now);
	format_date(buf, dc->horizon_end);
	sb_addstr(&sb, ",\"until\":");
	json_str(&sb, buf);
	sb_addstr(&sb, ",\"timezone\":");
	json_str(&sb, tz);
	sb_addstr(&sb, ",\"items\":[");
	fwrite(sb.buf, 1, sb.len, f);
	ji.dc = dc;
	ji.f_name = book_field(dc->b, K_CLIENT, "name");
	/* dc->now's offset known (json_moment() above), its span with it */
	tz_span_of(tz, &ji.span);
	memset(ji.memo, 0, sizeof(ji.memo));
	due_write_items(f, v, n, json_time, json_item, &ji);
	for (int t = 0; t < POOL_MAX; t++) {
		if (ji.memo[t])
			sb_release(&ji.memo[t]->text);
		free(ji.memo[t]);
	}
	sb_reset(&sb);
	sb_addstr(&sb, n ? "\n]}\n" : "]}\n");
	fwrite(sb.buf, 1, sb.len, f);
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

/* One row of the CSV. */
static void csv_item(struct strbuf *sb, struct strbuf *scratch, void *arg,
		     const struct due_item *it, size_t i, const union due_slot *slot)
{
	const struct due_ctx *dc = arg;
	char due[20];

	format_moment(due, it->due);
	csv_field(sb, state_words(it->state, dc->zh));
	/* ",%s,%ld,%ld,%s," */
	SB_LIT(sb, ",");
	fmt_put(sb, due, strlen(due));
	SB_LIT(sb, ",");
	fmt_addlong(sb, it->late);
	SB_LIT(sb, ",");
	fmt_addlong(sb, it->late_calendar);
	SB_LIT(sb, ",");
	fmt_put(sb, it->rule, strlen(it->rule));
	SB_LIT(sb, ",");
	csv_field(sb, it->who);
	SB_LIT(sb, ",");
	csv_field(sb, it->who ? due_staff_name(dc->b, it->who) : "");
	SB_LIT(sb, ",");
	csv_field(sb, it->client);
	SB_LIT(sb, ",");
	csv_field(sb, it->client ? due_client_name(dc->b, it->client) : "");
	SB_LIT(sb, ",");
	csv_field(sb, it->path);
	SB_LIT(sb, ",");
	fmt_addlong(sb, it->line);
	SB_LIT(sb, ",");
	csv_field(sb, it->what);
	csv_end_row(sb);
	(void)scratch;
	(void)i;
	(void)slot;
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
	fwrite(sb.buf, 1, sb.len, f);
	due_write_items(f, v, n, NULL, csv_item, (void *)dc);
	sb_release(&sb);
}

void due_uid(char *buf, size_t size, const struct due_item *it)
{
	uint64_t h = uid_part(uid_part(uid_part(UID_BASIS, it->path), it->key),
			      it->client ? it->client : "");
	char tmp[20];

	/* "%016llx@ae" */
	memcpy(fmt_hex16(tmp, h), "@ae", 4);
	copy_cut(buf, size, tmp, 19);
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
		due_write_ics(f, &sb, dc, v, n, o);
		fwrite(sb.buf, 1, sb.len, f);
		break;
	}
	sb_release(&sb);
}
