/* report.c -- the report model, its labels and dates; what reports read
 * from the book.  See report.h. */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "due.h"
#include "inifile.h"
#include "textfile.h"
#include "tz.h"
#include "utf8.h"
#include "validate.h"

static const char *const months_en[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

void report_init(struct report *r, const char *kind, int zh, int year)
{
	char key[40];

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->zh = zh;
	r->year = year;
	snprintf(key, sizeof(key), "title.%s", kind);
	r->title = rlabel(r, key);
}

static void section_free(struct rsection *s)
{
	for (size_t i = 0; i < s->nblocks; i++) {
		free(s->blocks[i]->t.cols);
		free(s->blocks[i]->t.cells);
		free(s->blocks[i]);
	}
	free(s->blocks);
	free(s->facts.v);
	free(s->org_lines.v);
	free(s);
}

void report_release(struct report *r)
{
	for (size_t i = 0; i < r->nsecs; i++)
		section_free(r->secs[i]);
	free(r->secs);
	free(r->facts.v);
	arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}

void report_init_like(struct report *sub, const struct report *r)
{
	memset(sub, 0, sizeof(*sub));
	sub->kind = r->kind;
	sub->title = r->title;
	sub->tz = r->tz;
	sub->zh = r->zh;
	sub->year = r->year;
	sub->page_per_section = r->page_per_section;
	sub->letters = r->letters;
}

void report_adopt(struct report *r, struct report *sub)
{
	ALLOC_GROW(r->secs, r->nsecs + sub->nsecs, r->alloc);
	for (size_t i = 0; i < sub->nsecs; i++)
		r->secs[r->nsecs++] = sub->secs[i];
	arena_adopt(&r->arena, &sub->arena);
	free(sub->secs);
	free(sub->facts.v);
	memset(sub, 0, sizeof(*sub));
}

const char *rstr(struct report *r, const char *s)
{
	return arena_strdup(&r->arena, s ? s : "");
}

const char *rprintf(struct report *r, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	s = arena_strndup(&r->arena, sb.buf ? sb.buf : "", sb.len);
	sb_release(&sb);
	return s;
}

static void add_fact(struct report *r, struct rfacts *f, const char *key,
		     const char *text, const char *raw)
{
	struct rfact *x;

	ALLOC_GROW(f->v, f->n + 1, f->alloc);
	x = &f->v[f->n++];
	x->key = key;
	x->label = rlabel(r, key);
	x->text = rstr(r, text);
	x->raw = raw ? rstr(r, raw) : NULL;
}

void report_fact(struct report *r, struct rsection *s, const char *key,
		 const char *text, const char *raw)
{
	add_fact(r, s ? &s->facts : &r->facts, key, text, raw);
}

struct rsection *report_section(struct report *r, const char *key, const char *title)
{
	struct rsection *s = xcalloc(1, sizeof(*s));

	s->key = rstr(r, key);
	s->title = rstr(r, title);
	s->zh = r->zh;
	ALLOC_GROW(r->secs, r->nsecs + 1, r->alloc);
	r->secs[r->nsecs++] = s;
	return s;
}

static struct rblock *add_block(struct rsection *s, enum rblock_type type)
{
	struct rblock *bl = xcalloc(1, sizeof(*bl));

	bl->type = type;
	ALLOC_GROW(s->blocks, s->nblocks + 1, s->alloc);
	s->blocks[s->nblocks++] = bl;
	return bl;
}

void report_text(struct report *r, struct rsection *s, const char *text)
{
	add_block(s, RB_TEXT)->text = rstr(r, text);
}

void report_org_line(struct report *r, struct rsection *s, const char *key, const char *text)
{
	add_fact(r, &s->org_lines, key, text, NULL);
}

void report_signature(struct report *r, struct rsection *s, const char *text)
{
	add_block(s, RB_SIGN)->text = rstr(r, text);
}

void rt_relabel(struct report *r, struct rtable *t, const char *key, const char *label_key)
{
	for (int c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c].key, key))
			t->cols[c].label = rlabel(r, label_key);
}

/* The columns of a table: "job title status client_due:d" */
static int parse_cols(struct report *r, const char *cols, struct rcol **out)
{
	struct rcol *v;
	int n = 0, ncols = 0;

	for (const char *p = cols; *p; p++)
		n += *p != ' ' && (p == cols || p[-1] == ' ');
	v = xcalloc((size_t)(n ? n : 1), sizeof(*v));
	for (const char *p = cols; *p;) {
		size_t len;
		const char *colon;
		struct rcol *c;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		len = strcspn(p, " ");
		c = &v[ncols++];
		colon = memchr(p, ':', len);
		c->key = arena_strndup(&r->arena, p, colon ? (size_t)(colon - p) : len);
		c->label = rlabel(r, c->key);
		c->wrap = (unsigned char)rcol_wrap_of(c->key);
		if (colon && colon[1] == 'n')
			c->type = RC_NUM;
		else if (colon && colon[1] == 'd')
			c->type = RC_DATE;
		else if (colon && colon[1] == 'w')
			c->wide = 1;
		p += len;
	}
	*out = v;
	return ncols;
}

struct rtable *report_table(struct report *r, struct rsection *s, const char *key,
			    const char *title, const char *cols)
{
	struct rblock *bl = add_block(s, RB_TABLE);
	struct rtable *t = &bl->t;
	struct rcols_memo *m = NULL;
	char tkey[64];

	for (size_t i = 0; i < ARRAY_SIZE(r->cols_memo) && !m; i++)
		if (r->cols_memo[i].v && r->cols_memo[i].zh == r->zh &&
		    !strcmp(r->cols_memo[i].key, key) && !strcmp(r->cols_memo[i].cols, cols))
			m = &r->cols_memo[i];
	if (!m) {
		m = &r->cols_memo[r->cols_next++ % ARRAY_SIZE(r->cols_memo)];
		snprintf(tkey, sizeof(tkey), "t.%s", key);
		m->key = rstr(r, key);
		m->cols = rstr(r, cols);
		m->title = rlabel(r, tkey);
		m->zh = r->zh;
		/* the memo's own copy, in the arena; each table's is its own
		 * (rt_relabel()) */
		m->n = parse_cols(r, cols, &t->cols);
		m->v = arena_alloc_align(&r->arena, sizeof(*m->v) * (size_t)(m->n ? m->n : 1),
					 _Alignof(struct rcol));
		memcpy(m->v, t->cols, sizeof(*m->v) * (size_t)m->n);
	} else {
		t->cols = xcalloc((size_t)(m->n ? m->n : 1), sizeof(*t->cols));
		memcpy(t->cols, m->v, sizeof(*t->cols) * (size_t)m->n);
	}
	t->ncols = m->n;
	bl->key = m->key;
	bl->title = title ? rstr(r, title) : m->title;
	return t;
}

/*
 * The dates and moments of a report written straight into a buffer, as
 * "%d年%d月%d日" (or "%d %s %d") and " %02d:%02d" would: a weekly report
 * writes ten thousand of them, and printf into a string of its own, then
 * into the arena, cost 2,400 instructions each.
 */
#define RDATE_MAX 64

static char *put_int(char *p, int v)
{
	char tmp[12];
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	int n = 0;

	if (v < 0)
		*p++ = '-';
	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10));
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* rdate() (whole: the year always) or rdate_short() of day into buf
 * (RDATE_MAX bytes); the end of the text. */
static char *put_day(const struct report *r, char *buf, int day, int whole)
{
	int y, m, d;
	char *p = buf;

	civil_from_days(day, &y, &m, &d);
	whole = whole || y != r->year;
	if (r->zh) {
		if (whole)
			p = put_str(put_int(p, y), "年");
		p = put_str(put_int(p, m), "月");
		p = put_str(put_int(p, d), "日");
	} else {
		p = put_int(p, d);
		*p++ = ' ';
		p = put_str(p, months_en[m - 1]);
		if (whole) {
			*p++ = ' ';
			p = put_int(p, y);
		}
	}
	*p = '\0';
	return p;
}

/* rmoment() (or rmoment_full()) of m into buf (RDATE_MAX bytes). */
static void put_moment(const struct report *r, char *buf, moment_t m, int whole)
{
	int day = day_of_moment(m), min = (int)(m - (moment_t)day * 1440);
	char *p = put_day(r, buf, day, whole);

	*p++ = ' ';
	/* %02d of a value from 0: two digits at least */
	if (min / 60 < 10)
		*p++ = '0';
	p = put_int(p, min / 60);
	*p++ = ':';
	if (min % 60 < 10)
		*p++ = '0';
	p = put_int(p, min % 60);
	*p = '\0';
}

/* riso_moment() of m into buf (40 bytes) */
static void put_iso_moment(const struct report *r, char *buf, moment_t m)
{
	if (r->tz)
		tz_rfc3339_moment(buf, 40, r->tz, m);
	else
		format_moment(buf, m);
}

void rt_cell(struct report *r, struct rtable *t, const char *text, const char *raw)
{
	struct rcell *c;

	if (t->filled == 0) {
		ALLOC_GROW(t->cells, (t->nrows + 1) * (size_t)t->ncols, t->alloc);
		t->nrows++;
	}
	c = &t->cells[(t->nrows - 1) * (size_t)t->ncols + (size_t)t->filled];
	c->text = rstr(r, text);
	c->raw = raw ? rstr(r, raw) : NULL;
	if (++t->filled == t->ncols)
		t->filled = 0;
}

void rt_text(struct report *r, struct rtable *t, const char *text)
{
	rt_cell(r, t, text ? text : "", NULL);
}

void rt_code(struct report *r, struct rtable *t, const char *prefix, const char *code)
{
	rt_cell(r, t, rcode(r, prefix, code), code ? code : "");
}

void rt_day(struct report *r, struct rtable *t, int day)
{
	if (day < 0)
		rt_cell(r, t, "", NULL);
	else
		rt_cell(r, t, rdate_short(r, day), riso_day(r, day));
}

void rt_moment(struct report *r, struct rtable *t, moment_t m)
{
	char text[RDATE_MAX], iso[40];	/* rt_cell() copies them */

	if (!m) {
		rt_cell(r, t, "", NULL);
		return;
	}
	put_moment(r, text, m, 0);
	put_iso_moment(r, iso, m);
	rt_cell(r, t, text, iso);
}

void rt_count(struct report *r, struct rtable *t, long n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", n);
	rt_cell(r, t, buf, buf);
}

static void hundredths(char *buf, size_t size, long v, int group)
{
	char digits[32], *out = buf;
	long whole = (v < 0 ? -v : v) / 100, frac = (v < 0 ? -v : v) % 100;
	size_t n, i;

	n = (size_t)snprintf(digits, sizeof(digits), "%ld", whole);
	if (v < 0)
		*out++ = '-';
	for (i = 0; i < n && (size_t)(out - buf) + 8 < size; i++) {
		*out++ = digits[i];
		if (group && (n - i - 1) % 3 == 0 && i + 1 < n)
			*out++ = ',';
	}
	snprintf(out, size - (size_t)(out - buf), ".%02ld", frac);
}

void rt_hundredths(struct report *r, struct rtable *t, long v)
{
	char buf[40];

	hundredths(buf, sizeof(buf), v, 0);
	rt_cell(r, t, buf, buf);
}

void rt_money(struct report *r, struct rtable *t, long cents)
{
	char raw[40];

	hundredths(raw, sizeof(raw), cents, 0);
	rt_cell(r, t, rmoney(r, cents), raw);
}

const char *rmoney(struct report *r, long cents)
{
	char text[48];

	hundredths(text, sizeof(text), cents, 1);
	return rstr(r, text);
}

void rt_foot(struct rtable *t)
{
	t->has_foot = 1;
	t->foot = t->nrows;
}

const char *rdate(struct report *r, int day)
{
	char buf[RDATE_MAX];

	put_day(r, buf, day, 1);
	return rstr(r, buf);
}

const char *rdate_short(struct report *r, int day)
{
	char buf[RDATE_MAX];

	put_day(r, buf, day, 0);
	return rstr(r, buf);
}

const char *rmoment(struct report *r, moment_t m)
{
	char buf[RDATE_MAX];

	put_moment(r, buf, m, 0);
	return rstr(r, buf);
}

const char *rmoment_full(struct report *r, moment_t m)
{
	char buf[RDATE_MAX];

	put_moment(r, buf, m, 1);
	return rstr(r, buf);
}

const char *rrange(struct report *r, int first, int last)
{
	int y1, y2, m, d;

	civil_from_days(first, &y1, &m, &d);
	civil_from_days(last, &y2, &m, &d);
	if (r->zh)
		return rprintf(r, "%s至%s", rdate(r, first),
			       y1 == y2 && y2 == r->year ? rdate_short(r, last) : rdate(r, last));
	return rprintf(r, "%s to %s", y1 == y2 && y1 == r->year ? rdate_short(r, first) : rdate(r, first),
		       rdate(r, last));
}

const char *riso_day(struct report *r, int day)
{
	char buf[20];

	format_date(buf, day);
	return rstr(r, buf);
}

const char *riso_moment(struct report *r, moment_t m)
{
	char buf[40];

	put_iso_moment(r, buf, m);
	return rstr(r, buf);
}

/* -- the book -- */

static void fields_of(const struct book *b, int kind, struct rjob_fields *f)
{
	f->client = book_field(b, kind, "client");
	f->title = book_field(b, kind, "title");
	f->dept = book_field(b, kind, "department");
	f->issuer = book_field(b, kind, "issuer");
	f->status = book_field(b, kind, "status");
	f->work = book_field(b, kind, "work");
	f->summary = book_field(b, kind, "summary");
	f->next = book_field(b, kind, "next");
	f->opened = book_field(b, kind, "opened");
	f->due = book_field(b, kind, "client_due");
	f->internal = book_field(b, kind, "internal_due");
	f->delivered = book_field(b, kind, "delivered");
	f->confirmed = book_field(b, kind, "confirmed");
	f->closed = book_field(b, kind, "closed");
}

void rjob_fields(const struct book *b, struct rjob_fields *f)
{
	fields_of(b, K_JOB, f);
}

/* rec_day() by the field's index */
static int day_at(const struct record *r, int field)
{
	const char *v = rec_str(r, field);
	int d;

	if (!v || parse_date(v, strlen(v), &d) != DATE_OK)
		return -1;
	return d;
}

void rjob_read_dates(const struct rjob_fields *f, const struct record *r, struct rjob *j)
{
	memset(j, 0, sizeof(*j));
	j->r = r;
	j->id = r->id;
	j->status = rec_str(r, f->status);
	j->opened = rec_moment_at(r, f->opened);
	j->due = rec_moment_at(r, f->due);
	j->delivered = rec_moment_at(r, f->delivered);
	j->closed = day_at(r, f->closed);
	j->confirmed = -1;
}

void rjob_read_rest(const struct rjob_fields *f, struct rjob *j)
{
	const struct record *r = j->r;

	j->client = rec_str(r, f->client);
	j->title = rec_str(r, f->title);
	j->dept = rec_str(r, f->dept);
	j->issuer = rec_str(r, f->issuer);
	j->work = rec_str(r, f->work);
	j->summary = rec_str(r, f->summary);
	j->next = rec_str(r, f->next);
	j->internal = rec_moment_at(r, f->internal);
	j->confirmed = day_at(r, f->confirmed);
}

void rjob_read_fields(const struct rjob_fields *f, const struct record *r, struct rjob *j)
{
	rjob_read_dates(f, r, j);
	rjob_read_rest(f, j);
}

void rjob_read(const struct book *b, const struct record *r, struct rjob *j)
{
	struct rjob_fields f;

	fields_of(b, r->kind, &f);
	rjob_read_fields(&f, r, j);
}

/* s (a field's text, or NULL) may be a date or moment within from..to:
 * its first ten bytes not before from's nor after to's (text shorter
 * than ten is before: its NUL is less than any digit of from) */
static int maybe_within(const char *s, const char *from, const char *to)
{
	int i;

	if (!s)
		return 0;
	for (i = 0; i < 10 && s[i] == from[i]; i++)
		;
	if (i < 10 && (unsigned char)s[i] < (unsigned char)from[i])
		return 0;
	for (i = 0; i < 10 && s[i] == to[i]; i++)
		;
	return i == 10 || (unsigned char)s[i] < (unsigned char)to[i];
}

int rjob_passed_over(const struct rjob_fields *f, const struct record *r,
		     const char *from, const char *to, int first)
{
	int closed = day_at(r, f->closed);

	return closed >= 0 && closed < first &&
	       !maybe_within(rec_str(r, f->opened), from, to) &&
	       !maybe_within(rec_str(r, f->due), from, to) &&
	       !maybe_within(rec_str(r, f->delivered), from, to);
}

int rjob_window(char *from, char *to, int first, int last)
{
	format_date(from, first);
	format_date(to, last);
	return strlen(from) == 10 && strlen(to) == 10 && from[4] == '-' && to[4] == '-';
}

const char *rjob_status_at(const struct rjob *j, int day)
{
	const char *st = j->status ? j->status : "open";

	if (j->closed >= 0 && j->closed <= day)
		return "closed";
	if (!strcmp(st, "cancelled"))
		return st;
	if (j->delivered && day_of_moment(j->delivered) <= day)
		return "delivered";
	if (!strcmp(st, "open"))
		return st;
	/* delivered or closed later: it was being worked on */
	return "in-progress";
}

static int within(int d, int first, int last)
{
	return d >= first && d <= last;
}

int rjob_active(const struct rjob *j, int first, int last)
{
	const char *st;

	if ((j->opened && within(day_of_moment(j->opened), first, last)) ||
	    (j->due && within(day_of_moment(j->due), first, last)) ||
	    (j->delivered && within(day_of_moment(j->delivered), first, last)) ||
	    within(j->closed, first, last))
		return 1;
	if (!j->opened || day_of_moment(j->opened) > last)
		return 0;
	st = rjob_status_at(j, last);
	return !strcmp(st, "open") || !strcmp(st, "in-progress");
}

const char *staff_label(const struct book *b, const char *id)
{
	const struct staff *st = id ? config_staff(&b->cfg, id) : NULL;

	return st && st->name ? st->name : id ? id : "";
}

const char *client_label(const struct book *b, const char *id)
{
	const struct record *r = id ? book_record(b, K_CLIENT, id) : NULL;
	const char *n = r ? rec_field(b, r, "name") : NULL;

	return n ? n : id ? id : "";
}

int report_who_matches(const struct book *b, const char *id, const char *who)
{
	return !who || (id && config_reports_to(&b->cfg, id, who));
}

int report_client_matches(const struct book *b, const struct record *c,
			  const struct report_opts *o)
{
	if (o->client && strcmp(o->client, c->id))
		return 0;
	return report_who_matches(b, rec_field(b, c, "ae"), o->who);
}

void report_prose(struct report *r, struct book *b, const struct record *rec,
		  const char *const *names, const char **values, int n)
{
	struct strbuf buf = STRBUF_INIT;
	struct arena scratch = { 0 };
	struct ini_doc doc;

	for (int i = 0; i < n; i++)
		values[i] = NULL;
	if (text_load(b->src, rec->path, b->cfg.max_file_bytes, 0, &buf) != 0) {
		sb_release(&buf);
		return;
	}
	ini_doc_parse(&doc, &scratch, rec->path, buf.buf, buf.len);
	for (size_t s = 0; s < doc.nsections; s++) {
		if (strcmp(doc.sections[s].name, kind_names[rec->kind]))
			continue;
		for (int i = 0; i < n; i++) {
			const struct ini_entry *e = ini_find(&doc, s, names[i]);
			if (e && *e->value)
				values[i] = rstr(r, e->value);
		}
		break;
	}
	ini_doc_release(&doc);
	arena_release(&scratch);
	sb_release(&buf);
}

int report_actions(struct report *r, const struct book *b, const struct record *c,
		   struct raction **out)
{
	const struct rval *acts = rec_val(c, book_field(b, K_CONTACT, "actions"));
	struct raction *v = NULL;
	size_t n = 0, alloc = 0;

	if (out)
		*out = NULL;
	if (!acts)
		return 0;
	for (const char *s = rval_text(acts); *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		struct action a;
		/* a done item's box, as action_parse() reads it: nothing to parse */
		int done = len >= 4 && s[0] == '[' && s[2] == ']' && (s[1] == 'x' || s[1] == 'X');

		if (out && len && !done && !action_parse(s, len, &a) && !a.done) {
			char *owner = xstrndup(a.owner, a.owner_len);
			const struct staff *st = config_staff(&b->cfg, owner);
			ALLOC_GROW(v, n + 1, alloc);
			v[n].due = a.due;
			v[n].owner = st ? st->id : rstr(r, owner);
			v[n].text = arena_strndup(&r->arena, s + a.text_off, len - a.text_off);
			n++;
			free(owner);
		} else if (len && !done && !out && !action_parse(s, len, &a) && !a.done) {
			n++;	/* only counted */
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	if (out)
		*out = v;
	return (int)n;
}

int report_open_actions(const struct book *b, const struct record *c)
{
	return report_actions(NULL, b, c, NULL);
}

void report_workdays(struct report *r, const struct book *b, int first, int last)
{
	struct strbuf sb = STRBUF_INIT;
	int n = 0;

	for (int d = first; d <= last; d++)
		n += cal_is_working_day(&b->cal, d);
	sb_addf(&sb, "%d", n);
	for (size_t i = 0; i < b->cal.nholidays; i++) {
		const struct holiday *h = &b->cal.holidays[i];
		if (h->last < first || h->first > last)
			continue;
		sb_addf(&sb, " (%s %s%s%s)", h->name, rdate_short(r, h->first),
			r->zh ? "至" : " to ", rdate_short(r, h->last));
	}
	report_fact(r, NULL, "workdays", sb.buf, rprintf(r, "%d", n));
	sb_release(&sb);
}

static int cmp_rec_id(const void *a, const void *b)
{
	const struct record *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

void rclients_init(struct rclients *cs, const struct book *b, const struct report_opts *o)
{
	const struct record **v = xmalloc(sizeof(*v) * (b->nrecs + 1));
	size_t n = 0;

	memset(cs, 0, sizeof(*cs));
	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].kind == K_CLIENT && report_client_matches(b, &b->recs[i], o))
			v[n++] = &b->recs[i];
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_rec_id);
	cs->v = xcalloc(n + 1, sizeof(*cs->v));
	for (size_t i = 0; i < n; i++) {
		cs->v[i].c = v[i];
		strmap_put(&cs->by_id, v[i]->id, &cs->v[i]);
	}
	cs->n = n;
	cs->f_job = book_field(b, K_JOB, "client");
	cs->f_contact = book_field(b, K_CONTACT, "client");
	cs->f_meeting = book_field(b, K_MEETING, "client");
	free(v);
}

struct rclient *rclients_get(struct rclients *cs, const char *id)
{
	return id ? strmap_get(&cs->by_id, id) : NULL;
}

struct rclient *rclients_for(struct rclients *cs, const struct book *b, const struct record *rec)
{
	(void)b;
	if (rec->kind == K_JOB)
		return rclients_get(cs, rec_str(rec, cs->f_job));
	if (rec->kind == K_CONTACT)
		return rclients_get(cs, rec_str(rec, cs->f_contact));
	if (rec->kind == K_MEETING)
		return rclients_get(cs, rec_str(rec, cs->f_meeting));
	return NULL;
}

void rclients_release(struct rclients *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->v[i].jobs);
		free(cs->v[i].contacts);
		free(cs->v[i].meetings);
		free(cs->v[i].actions);
		free(cs->v[i].items);
	}
	free(cs->v);
	strmap_release(&cs->by_id);
	memset(cs, 0, sizeof(*cs));
}

void rclient_add_job(struct rclient *c, const struct rjob *j)
{
	ALLOC_GROW(c->jobs, c->njobs + 1, c->ajobs);
	c->jobs[c->njobs++] = *j;
}

void rclient_add_rec(const struct record ***list, size_t *n, size_t *alloc,
		     const struct record *r)
{
	ALLOC_GROW(*list, *n + 1, *alloc);
	(*list)[(*n)++] = r;
}

void rclient_add_item(struct rclient *c, const struct due_item *it)
{
	ALLOC_GROW(c->items, c->nitems + 1, c->aitems);
	c->items[c->nitems++] = it;
}

struct open_action {
	struct raction a;
	const struct record *c;
	int k;
};

static int cmp_open_action(const void *pa, const void *pb)
{
	const struct open_action *a = pa, *b = pb;
	int c;

	if (a->a.due != b->a.due)
		return a->a.due < b->a.due ? -1 : 1;
	if ((c = strcmp(a->c->id, b->c->id)))
		return c;
	return a->k - b->k;
}

void report_action_table(struct report *r, struct rsection *s, const struct book *b,
			 struct rclient *c, const char *key, int from, int until,
			 int late_before)
{
	struct open_action *v = NULL;
	size_t n = 0, alloc = 0;
	struct rtable *t;

	for (size_t i = 0; i < c->nactions; i++) {
		struct raction *acts;
		int na = report_actions(r, b, c->actions[i], &acts);
		for (int k = 0; k < na; k++) {
			if (acts[k].due < from || (until >= 0 && acts[k].due > until))
				continue;
			ALLOC_GROW(v, n + 1, alloc);
			v[n].a = acts[k];
			v[n].c = c->actions[i];
			v[n].k = k;
			n++;
		}
		free(acts);
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_open_action);
	t = report_table(r, s, key, NULL,
			 late_before >= 0 ? "due:d owner what contact late" : "due:d owner what contact");
	t->counted = 1;
	for (size_t i = 0; i < n; i++) {
		rt_day(r, t, v[i].a.due);
		rt_cell(r, t, staff_label(b, v[i].a.owner), v[i].a.owner);
		rt_text(r, t, v[i].a.text);
		rt_text(r, t, v[i].c->id);
		if (late_before >= 0)
			rt_cell(r, t, v[i].a.due < late_before ? rlabel(r, "late") : "",
				v[i].a.due < late_before ? "late" : "");
	}
	free(v);
}

void report_client_facts(struct report *r, struct rsection *s, const struct book *b,
			 const struct record *c)
{
	const char *ae = rec_field(b, c, "ae"), *am = rec_field(b, c, "am");

	report_fact(r, s, "code", c->id, NULL);
	if (ae)
		report_fact(r, s, "ae", staff_label(b, ae), ae);
	if (am)
		report_fact(r, s, "am", staff_label(b, am), am);
}

int report_cmp_job(const void *a, const void *b)
{
	return strcmp(((const struct rjob *)a)->id, ((const struct rjob *)b)->id);
}

int report_cmp_by_time(const void *a, const void *b, void *book)
{
	const struct record *x = *(const struct record *const *)a;
	const struct record *y = *(const struct record *const *)b;
	const char *f = x->kind == K_MEETING ? "when" : "held";
	moment_t mx = rec_moment(book, x, f), my = rec_moment(book, y, f);

	if (mx != my)
		return mx < my ? -1 : 1;
	return strcmp(x->id, y->id);
}
