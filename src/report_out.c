/* report_out.c -- a report as text, Markdown, CSV, JSON or HTML; see
 * report.h.  Written once for all reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "pool.h"
#include "report.h"
#include "utf8.h"

static const struct rcell *cell(const struct rtable *t, size_t row, int col)
{
	return &t->cells[row * (size_t)t->ncols + (size_t)col];
}

static int is_foot(const struct rtable *t, size_t row)
{
	return t->has_foot && row >= t->foot;
}

static size_t body_rows(const struct rtable *t)
{
	return t->has_foot && t->foot < t->nrows ? t->foot : t->nrows;
}

/* The value programs get: raw for dates and numbers (CSV), raw for all (JSON). */
static const char *machine(const struct rcol *c, const struct rcell *x, int all)
{
	if (x->raw && (all || c->type != RC_TEXT))
		return x->raw;
	return x->text;
}

/* "none" in the report's language, looked up once (a search of every label) */
static const char *none_label(int zh)
{
	static const char *cached[2];

	if (!cached[!!zh])
		cached[!!zh] = rlabel_in(zh, "none");
	return cached[!!zh];
}

/* -- text -- */

static size_t width(const char *s, size_t n)
{
	return utf8_width(s, n);
}

/* Width of the widest line of s. */
static size_t block_width(const char *s)
{
	size_t w = 0;

	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s), x = width(s, n);
		if (x > w)
			w = x;
		if (!nl)
			return w;
		s = nl + 1;
	}
}

/* Line k of s (from 0) as s[*n]; "" past the end. */
static const char *line_of(const char *s, int k, size_t *n)
{
	for (; k > 0; k--) {
		const char *nl = strchr(s, '\n');
		if (!nl) {
			*n = 0;
			return "";
		}
		s = nl + 1;
	}
	*n = strcspn(s, "\n");
	return s;
}

static int nlines(const char *s)
{
	int n = 1;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* n copies of c */
static void repeat(struct strbuf *sb, int c, size_t n)
{
	sb_grow(sb, n);
	memset(sb->buf + sb->len, c, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

static void pad_to(struct strbuf *sb, size_t have, size_t want)
{
	if (have < want)
		repeat(sb, ' ', want - have);
}

static void end_line(struct strbuf *sb)
{
	while (sb->len && sb->buf[sb->len - 1] == ' ')
		sb->buf[--sb->len] = '\0';
	sb_addch(sb, '\n');
}

static void underline(struct strbuf *sb, const char *s, int c)
{
	size_t w = width(s, strlen(s));

	sb_addstr(sb, s);
	sb_addch(sb, '\n');
	repeat(sb, c, w);
	sb_addch(sb, '\n');
}

/* "label  value" lines, labels padded to the widest, continuation lines
 * of a value aligned under its first. */
static void text_pairs(struct strbuf *sb, const char *indent, const char *const *labels,
		       const char *const *values, size_t n)
{
	size_t lw = 0;

	for (size_t i = 0; i < n; i++) {
		size_t w = width(labels[i], strlen(labels[i]));
		if (*values[i] && w > lw)
			lw = w;
	}
	for (size_t i = 0; i < n; i++) {
		int k = 0;
		if (!*values[i])
			continue;
		for (int m = nlines(values[i]); k < m; k++) {
			size_t len;
			const char *ln = line_of(values[i], k, &len);
			sb_addstr(sb, indent);
			if (k == 0) {
				sb_addstr(sb, labels[i]);
				pad_to(sb, width(labels[i], strlen(labels[i])), lw + 2);
			} else {
				pad_to(sb, 0, lw + 2);
			}
			sb_add(sb, ln, len);
			end_line(sb);
		}
	}
}

static void text_facts(struct strbuf *sb, const struct rfacts *f)
{
	const char **l = xcalloc(f->n + 1, sizeof(*l)), **v = xcalloc(f->n + 1, sizeof(*v));

	for (size_t i = 0; i < f->n; i++) {
		l[i] = f->v[i].label;
		v[i] = f->v[i].text;
	}
	text_pairs(sb, "", l, v, f->n);
	free(l);
	free(v);
}

/* The dashes under a table's head (and above its foot), column by column. */
static void rule_line(struct strbuf *sb, const struct rtable *t, const size_t *w, int last)
{
	sb_addstr(sb, "  ");
	for (int c = 0; c <= last; c++) {
		if (t->cols[c].wide)
			continue;
		repeat(sb, '-', w[c]);
		if (c < last)
			sb_addstr(sb, "  ");
	}
	end_line(sb);
}

static void text_table(struct strbuf *sb, int zh, const struct rblock *bl)
{
	const struct rtable *t = &bl->t;
	size_t *w = xcalloc((size_t)t->ncols + 1, sizeof(*w));
	const char **wl = xcalloc((size_t)t->ncols + 1, sizeof(*wl));
	const char **wv = xcalloc((size_t)t->ncols + 1, sizeof(*wv));
	int last = -1;

	if (bl->title) {
		sb_addstr(sb, bl->title);
		if (t->counted)
			sb_addf(sb, " (%zu)", body_rows(t));
		sb_addch(sb, '\n');
	}
	if (!t->nrows) {
		sb_addf(sb, "  %s\n", none_label(zh));
		goto out;
	}
	for (int c = 0; c < t->ncols; c++) {
		if (t->cols[c].wide)
			continue;
		w[c] = width(t->cols[c].label, strlen(t->cols[c].label));
		for (size_t i = 0; i < t->nrows; i++) {
			size_t x = block_width(cell(t, i, c)->text);
			if (x > w[c])
				w[c] = x;
		}
		last = c;
	}
	/* the header and a rule under it */
	sb_addstr(sb, "  ");
	for (int c = 0; c <= last; c++) {
		const char *l = t->cols[c].label;
		size_t lw = width(l, strlen(l));
		if (t->cols[c].wide)
			continue;
		if (t->cols[c].type == RC_NUM)
			pad_to(sb, lw, w[c]);
		sb_addstr(sb, l);
		if (c < last) {
			if (t->cols[c].type != RC_NUM)
				pad_to(sb, lw, w[c]);
			sb_addstr(sb, "  ");
		}
	}
	end_line(sb);
	rule_line(sb, t, w, last);
	for (size_t i = 0; i < t->nrows; i++) {
		int m = 1, nw = 0;
		if (t->has_foot && i == t->foot)
			rule_line(sb, t, w, last);
		for (int c = 0; c <= last; c++)
			if (!t->cols[c].wide && nlines(cell(t, i, c)->text) > m)
				m = nlines(cell(t, i, c)->text);
		for (int k = 0; k < m; k++) {
			sb_addstr(sb, "  ");
			for (int c = 0; c <= last; c++) {
				size_t len, cw;
				const char *s;
				if (t->cols[c].wide)
					continue;
				s = line_of(cell(t, i, c)->text, k, &len);
				cw = width(s, len);
				if (t->cols[c].type == RC_NUM)
					pad_to(sb, cw, w[c]);
				sb_add(sb, s, len);
				if (c < last) {
					if (t->cols[c].type != RC_NUM)
						pad_to(sb, cw, w[c]);
					sb_addstr(sb, "  ");
				}
			}
			end_line(sb);
		}
		for (int c = 0; c < t->ncols; c++) {
			if (!t->cols[c].wide)
				continue;
			wl[nw] = t->cols[c].label;
			wv[nw++] = cell(t, i, c)->text;
		}
		text_pairs(sb, "      ", wl, wv, (size_t)nw);
	}
out:
	free(w);
	free(wl);
	free(wv);
}

/* Lines of text, each ended (a signature keeps its blank lines). */
static void text_lines(struct strbuf *sb, const char *text)
{
	for (const char *p = text;;) {
		size_t n = strcspn(p, "\n");
		sb_add(sb, p, n);
		end_line(sb);
		if (!p[n])
			break;
		p += n + 1;
	}
}

/* A letter's head: the agency's name and its lines, then the heading. */
static void text_letterhead(struct strbuf *sb, const struct rsection *s)
{
	if (s->org) {
		sb_addstr(sb, s->org);
		sb_addch(sb, '\n');
		for (size_t i = 0; i < s->org_lines.n; i++)
			sb_addf(sb, "%s%s %s", i ? "  " : "", s->org_lines.v[i].label, s->org_lines.v[i].text);
		if (s->org_lines.n)
			end_line(sb);
		sb_addch(sb, '\n');
	}
	underline(sb, s->heading, '=');
}

/* Section i of r as text (each section's text its own: no state runs
 * from one to the next). */
static void text_section(struct strbuf *sb, const struct report *r, size_t i)
{
	const struct rsection *s = r->secs[i];
	int head = s->facts.n || (*s->title && !r->letters);

	if (i || !r->letters)
		sb_addch(sb, '\n');
	if (r->letters)
		text_letterhead(sb, s);
	else if (*s->title)
		underline(sb, s->title, '-');
	text_facts(sb, &s->facts);
	for (size_t k = 0; k < s->nblocks; k++) {
		const struct rblock *bl = s->blocks[k];
		if (k || head)
			sb_addch(sb, '\n');
		if (bl->type == RB_TABLE)
			text_table(sb, s->zh, bl);
		else
			text_lines(sb, bl->text);
	}
}

/*
 * The sections written in runs of TEXT_RUN on the pool's threads, each
 * run into a buffer of its own, put together in order: the same text as
 * one thread's.  The weekly report of the 100k book has 2,010 sections,
 * 1.3 MB of aligned tables: 4.4 ms on one thread while the other waited.
 */
#define TEXT_RUN 32

struct text_runs {
	const struct report *r;
	struct strbuf *out;
};

static void text_run(void *ctx, size_t unit)
{
	struct text_runs *tr = ctx;
	size_t hi = (unit + 1) * TEXT_RUN;
	/* written here, not in out[], whose neighbours another thread
	 * writes: the line holding both would go back and forth */
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = unit * TEXT_RUN; i < hi && i < tr->r->nsecs; i++)
		text_section(&sb, tr->r, i);
	tr->out[unit] = sb;
}

static void write_text(struct strbuf *sb, const struct report *r)
{
	size_t runs = (r->nsecs + TEXT_RUN - 1) / TEXT_RUN;
	struct text_runs tr = { r, xcalloc(runs + 1, sizeof(*tr.out)) };

	if (!r->letters) {
		underline(sb, r->title, '=');
		text_facts(sb, &r->facts);
	}
	/* what the sections share, found here first (none_label() keeps it) */
	(void)none_label(0);
	(void)none_label(1);
	pool_run(runs, 1, text_run, &tr);
	for (size_t k = 0; k < runs; k++) {
		sb_add(sb, tr.out[k].buf ? tr.out[k].buf : "", tr.out[k].len);
		sb_release(&tr.out[k]);
	}
	free(tr.out);
}

/* -- Markdown (GitHub tables) -- */

static void md_escape(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\n': sb_addstr(sb, "<br>"); break;
		case '<': sb_addstr(sb, "&lt;"); break;
		case '&': sb_addstr(sb, "&amp;"); break;
		case '|': case '\\': case '*': case '_': case '`':
			sb_addch(sb, '\\');
			sb_addch(sb, *s);
			break;
		default: sb_addch(sb, *s);
		}
	}
}

static void md_facts(struct strbuf *sb, const struct rfacts *f)
{
	for (size_t i = 0; i < f->n; i++) {
		sb_addstr(sb, "- **");
		md_escape(sb, f->v[i].label);
		sb_addstr(sb, "**: ");
		md_escape(sb, f->v[i].text);
		sb_addch(sb, '\n');
	}
	if (f->n)
		sb_addch(sb, '\n');
}

static void md_table(struct strbuf *sb, int zh, const struct rblock *bl)
{
	const struct rtable *t = &bl->t;

	if (bl->title) {
		sb_addstr(sb, "### ");
		md_escape(sb, bl->title);
		if (t->counted)
			sb_addf(sb, " (%zu)", body_rows(t));
		sb_addstr(sb, "\n\n");
	}
	if (!t->nrows) {
		sb_addf(sb, "%s\n\n", none_label(zh));
		return;
	}
	sb_addch(sb, '|');
	for (int c = 0; c < t->ncols; c++) {
		sb_addch(sb, ' ');
		md_escape(sb, t->cols[c].label);
		sb_addstr(sb, " |");
	}
	sb_addstr(sb, "\n|");
	for (int c = 0; c < t->ncols; c++)
		sb_addstr(sb, t->cols[c].type == RC_NUM ? "---:|" : "---|");
	sb_addch(sb, '\n');
	for (size_t i = 0; i < t->nrows; i++) {
		sb_addch(sb, '|');
		for (int c = 0; c < t->ncols; c++) {
			const char *s = cell(t, i, c)->text;
			sb_addch(sb, ' ');
			if (is_foot(t, i) && *s)
				sb_addstr(sb, "**");
			md_escape(sb, s);
			if (is_foot(t, i) && *s)
				sb_addstr(sb, "**");
			sb_addstr(sb, " |");
		}
		sb_addch(sb, '\n');
	}
	sb_addch(sb, '\n');
}

/* A letter's head: the agency in bold with its lines, then the heading. */
static void md_letterhead(struct strbuf *sb, const struct rsection *s, int first)
{
	if (!first)
		sb_addstr(sb, "---\n\n");
	if (s->org) {
		sb_addstr(sb, "**");
		md_escape(sb, s->org);
		sb_addstr(sb, "**");
		for (size_t i = 0; i < s->org_lines.n; i++) {
			sb_addstr(sb, i ? " · " : "  \n");
			md_escape(sb, s->org_lines.v[i].label);
			sb_addch(sb, ' ');
			md_escape(sb, s->org_lines.v[i].text);
		}
		sb_addstr(sb, "\n\n");
	}
	sb_addstr(sb, "# ");
	md_escape(sb, s->heading);
	sb_addstr(sb, "\n\n");
}

static void write_md(struct strbuf *sb, const struct report *r)
{
	if (!r->letters) {
		sb_addstr(sb, "# ");
		md_escape(sb, r->title);
		sb_addstr(sb, "\n\n");
		md_facts(sb, &r->facts);
	}
	for (size_t i = 0; i < r->nsecs; i++) {
		const struct rsection *s = r->secs[i];
		if (r->letters) {
			md_letterhead(sb, s, i == 0);
		} else if (*s->title) {
			sb_addstr(sb, "## ");
			md_escape(sb, s->title);
			sb_addstr(sb, "\n\n");
		}
		md_facts(sb, &s->facts);
		for (size_t k = 0; k < s->nblocks; k++) {
			const struct rblock *bl = s->blocks[k];
			if (bl->type == RB_TEXT) {
				md_escape(sb, bl->text);
				sb_addstr(sb, "\n\n");
			} else if (bl->type == RB_SIGN) {
				/* each line its own: a hard break (two spaces) after it */
				for (const char *p = bl->text;;) {
					size_t n = strcspn(p, "\n");
					char *line = xstrndup(p, n);
					md_escape(sb, line);
					free(line);
					if (!p[n])
						break;
					sb_addstr(sb, n ? "  \n" : "\n");
					p += n + 1;
				}
				sb_addstr(sb, "\n\n");
			} else {
				md_table(sb, s->zh, bl);
			}
		}
	}
	/* one newline at the end, not two */
	if (sb->len >= 2 && sb->buf[sb->len - 2] == '\n')
		sb->buf[--sb->len] = '\0';
}

/* -- CSV (RFC 4180): one table of every table's rows, for a spreadsheet -- */

/* A cell as CSV writes it: an RFC 3339 date-time as YYYY-MM-DD HH:MM,
 * which spreadsheets read as a date-time (they keep the offset as text). */
static void csv_cell(struct strbuf *sb, const struct rcol *c, const struct rcell *x)
{
	const char *v = machine(c, x, 0);

	if (c->type == RC_DATE && strlen(v) > 16 && v[10] == 'T') {
		sb_add(sb, v, 10);
		sb_addch(sb, ' ');
		sb_add(sb, v + 11, 5);
		return;
	}
	csv_field(sb, v);
}

static void write_csv(struct strbuf *sb, const struct report *r, int bom)
{
	/* the columns: every key of every table, in the order first seen */
	const struct rcol **cols = NULL;
	size_t ncols = 0, alloc = 0;
	int named = 0;

	for (size_t i = 0; i < r->nsecs; i++)
		for (size_t k = 0; k < r->secs[i]->nblocks; k++) {
			const struct rblock *bl = r->secs[i]->blocks[k];
			if (bl->type != RB_TABLE)
				continue;
			for (int c = 0; c < bl->t.ncols; c++) {
				size_t j;
				for (j = 0; j < ncols; j++)
					if (!strcmp(cols[j]->key, bl->t.cols[c].key))
						break;
				if (j == ncols) {
					ALLOC_GROW(cols, ncols + 1, alloc);
					cols[ncols++] = &bl->t.cols[c];
				}
			}
		}
	/* a section column only when the sections have names (one per client) */
	for (size_t i = 0; i < r->nsecs; i++)
		named |= *r->secs[i]->title != '\0';
	csv_start(sb, bom);
	if (named) {
		csv_field(sb, rlabel(r, "section"));
		sb_addch(sb, ',');
	}
	csv_field(sb, rlabel(r, "part"));
	for (size_t j = 0; j < ncols; j++) {
		sb_addch(sb, ',');
		csv_field(sb, cols[j]->label);
	}
	csv_end_row(sb);
	for (size_t i = 0; i < r->nsecs; i++) {
		const struct rsection *s = r->secs[i];
		for (size_t k = 0; k < s->nblocks; k++) {
			const struct rblock *bl = s->blocks[k];
			const struct rtable *t = &bl->t;
			if (bl->type != RB_TABLE)
				continue;
			for (size_t row = 0; row < t->nrows; row++) {
				if (named) {
					csv_field(sb, s->title);
					sb_addch(sb, ',');
				}
				csv_field(sb, bl->title ? bl->title : bl->key);
				for (size_t j = 0; j < ncols; j++) {
					sb_addch(sb, ',');
					for (int c = 0; c < t->ncols; c++)
						if (!strcmp(t->cols[c].key, cols[j]->key)) {
							csv_cell(sb, &t->cols[c], cell(t, row, c));
							break;
						}
				}
				csv_end_row(sb);
			}
		}
	}
	free(cols);
}

/* -- JSON -- */

static void json_value(struct strbuf *sb, const struct rcol *c, const struct rcell *x)
{
	const char *v = machine(c, x, 1);

	if (!*v)
		sb_addstr(sb, "null");
	else if (c->type == RC_NUM && *v)
		sb_addstr(sb, v);
	else
		json_str(sb, v);
}

static void json_facts(struct strbuf *sb, const struct rfacts *f, const char *indent)
{
	sb_addstr(sb, "\"facts\": [");
	for (size_t i = 0; i < f->n; i++) {
		sb_addstr(sb, i ? ",\n" : "\n");
		sb_addf(sb, "%s  {\"key\": ", indent);
		json_str(sb, f->v[i].key);
		sb_addstr(sb, ", \"label\": ");
		json_str(sb, f->v[i].label);
		sb_addstr(sb, ", \"value\": ");
		json_str(sb, f->v[i].raw ? f->v[i].raw : f->v[i].text);
		sb_addch(sb, '}');
	}
	if (f->n)
		sb_addf(sb, "\n%s", indent);
	sb_addch(sb, ']');
}

static void json_rows(struct strbuf *sb, const struct rtable *t, size_t from, size_t to)
{
	sb_addch(sb, '[');
	for (size_t i = from; i < to; i++) {
		sb_addstr(sb, i > from ? ",\n          {" : "\n          {");
		for (int c = 0; c < t->ncols; c++) {
			if (c)
				sb_addstr(sb, ", ");
			json_str(sb, t->cols[c].key);
			sb_addstr(sb, ": ");
			json_value(sb, &t->cols[c], cell(t, i, c));
		}
		sb_addch(sb, '}');
	}
	if (to > from)
		sb_addstr(sb, "\n        ");
	sb_addch(sb, ']');
}

static void json_block(struct strbuf *sb, const struct rblock *bl)
{
	const struct rtable *t = &bl->t;

	if (bl->type != RB_TABLE) {
		sb_addstr(sb, bl->type == RB_SIGN ? "{\"type\": \"signature\", \"text\": "
						  : "{\"type\": \"text\", \"text\": ");
		json_str(sb, bl->text);
		sb_addch(sb, '}');
		return;
	}
	sb_addstr(sb, "{\"type\": \"table\", \"key\": ");
	json_str(sb, bl->key);
	sb_addstr(sb, ", \"title\": ");
	json_str(sb, bl->title);
	sb_addstr(sb, ",\n        \"columns\": [");
	for (int c = 0; c < t->ncols; c++) {
		if (c)
			sb_addstr(sb, ", ");
		sb_addstr(sb, "{\"key\": ");
		json_str(sb, t->cols[c].key);
		sb_addstr(sb, ", \"label\": ");
		json_str(sb, t->cols[c].label);
		sb_addstr(sb, ", \"type\": ");
		json_str(sb, t->cols[c].type == RC_NUM ? "number" : t->cols[c].type == RC_DATE ? "date" : "text");
		sb_addch(sb, '}');
	}
	sb_addstr(sb, "],\n        \"rows\": ");
	json_rows(sb, t, 0, body_rows(t));
	if (t->has_foot) {
		sb_addstr(sb, ",\n        \"totals\": ");
		json_rows(sb, t, body_rows(t), t->nrows);
	}
	sb_addch(sb, '}');
}

/* A letter's language, heading and letterhead. */
static void json_letterhead(struct strbuf *sb, const struct rsection *s)
{
	sb_addstr(sb, ", \"lang\": ");
	json_str(sb, s->zh ? "zh" : "en");
	sb_addstr(sb, ", \"heading\": ");
	json_str(sb, s->heading);
	sb_addstr(sb, ",\n    \"letterhead\": {\"name\": ");
	json_str(sb, s->org);
	sb_addstr(sb, ", ");
	json_facts(sb, &s->org_lines, "    ");
	sb_addch(sb, '}');
}

static void write_json(struct strbuf *sb, const struct report *r)
{
	sb_addstr(sb, "{\"report\": ");
	json_str(sb, r->kind);
	sb_addstr(sb, ", \"lang\": ");
	json_str(sb, r->zh ? "zh" : "en");
	sb_addstr(sb, ", \"edition\": ");
	json_str(sb, r->letters ? "client" : "internal");
	sb_addstr(sb, ", \"title\": ");
	json_str(sb, r->title);
	sb_addstr(sb, ",\n  ");
	json_facts(sb, &r->facts, "  ");
	sb_addstr(sb, ",\n  \"sections\": [");
	for (size_t i = 0; i < r->nsecs; i++) {
		const struct rsection *s = r->secs[i];
		sb_addstr(sb, i ? ",\n    {\"key\": " : "\n    {\"key\": ");
		json_str(sb, s->key);
		sb_addstr(sb, ", \"title\": ");
		json_str(sb, s->title);
		if (r->letters)
			json_letterhead(sb, s);
		sb_addstr(sb, ",\n    ");
		json_facts(sb, &s->facts, "    ");
		sb_addstr(sb, ",\n    \"blocks\": [");
		for (size_t k = 0; k < s->nblocks; k++) {
			sb_addstr(sb, k ? ",\n      " : "\n      ");
			json_block(sb, s->blocks[k]);
		}
		sb_addstr(sb, s->nblocks ? "\n    ]}" : "]}");
	}
	sb_addstr(sb, r->nsecs ? "\n  ]}\n" : "]}\n");
}

/* -- HTML: one self-contained page that prints on A4 -- */

static const char html_style[] =
	"@page { size: A4; margin: 14mm 12mm 16mm 12mm;\n"
	"  @bottom-right { content: counter(page) \" / \" counter(pages); font-size: 8pt; color: #555; } }\n"
	"html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
	"body { font-family: \"Noto Sans CJK SC\", \"Noto Sans SC\", \"Source Han Sans SC\",\n"
	"  \"PingFang SC\", \"Microsoft YaHei\", \"WenQuanYi Micro Hei\", sans-serif;\n"
	"  font-size: 9pt; line-height: 1.4; color: #111; margin: 0 auto; max-width: 186mm; padding: 8mm 0; }\n"
	"@media print { body { max-width: none; padding: 0; } }\n"
	"h1 { font-size: 15pt; margin: 0 0 2mm; padding-bottom: 1mm; border-bottom: 1.5pt solid #222; }\n"
	"h2 { font-size: 12pt; margin: 6mm 0 1.5mm; padding-bottom: 0.5mm; border-bottom: 0.75pt solid #444; }\n"
	"h3 { font-size: 10pt; margin: 4mm 0 1mm; }\n"
	"h2, h3 { break-after: avoid; page-break-after: avoid; }\n"
	"dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3mm 4mm; margin: 1mm 0 2mm; }\n"
	"dl.facts dt { color: #555; } dl.facts dd { margin: 0; }\n"
	/* A table never grows wider than its page box: every column can
	 * shrink to its narrowest honest width.  Prose breaks anywhere;
	 * identifiers and numbers stay whole; code words (状态, 方式) and
	 * headers break only between words, but a number's heading anywhere;
	 * a date and its time may go on two lines, each whole. */
	"table { width: 100%; border-collapse: collapse; font-size: 8.5pt; margin: 0 0 2mm; }\n"
	"th, td { text-align: left; vertical-align: top; padding: 0.6mm 1.2mm; border-bottom: 0.5pt solid #bbb;\n"
	"  overflow-wrap: anywhere; }\n"
	"thead th { border-bottom: 1pt solid #333; background: #eee; overflow-wrap: normal; word-break: keep-all; }\n"
	"thead { display: table-header-group; }\n"
	"tr { break-inside: avoid; page-break-inside: avoid; }\n"
	"td.num, th.num { text-align: right; }\n"
	/* a number is narrower than its heading: the heading gives way */
	"th.num { word-break: normal; }\n"
	"th.num::before { content: \"\"; display: block; height: 0; width: 2.2em; }\n"
	"td.num, td.k, td.date span { white-space: nowrap; }\n"
	"td.date, td.w { overflow-wrap: normal; word-break: keep-all; }\n"
	/* the least width of a column, as an empty block inside its cells:
	 * browsers ignore min-width on table cells */
	"td.wide::before, td.t::before, td.n::before { content: \"\"; display: block; height: 0; }\n"
	"td.wide::before { width: 24mm; }\n"
	"td.t::before { width: 5em; }\n"
	"td.n::before { width: 11em; }\n"
	"tfoot td { font-weight: bold; border-top: 1pt solid #333; }\n"
	"p.none { color: #555; margin: 0 0 2mm; }\n";

/* the client editions: a letter on the agency's paper */
static const char html_letter_style[] =
	".letterhead { border-bottom: 1.5pt solid #222; padding-bottom: 1.5mm; margin-bottom: 5mm; }\n"
	".letterhead .org { font-size: 14pt; font-weight: bold; }\n"
	".letterhead .lines { font-size: 8pt; color: #444; }\n"
	".letterhead .lines span { display: inline-block; margin-right: 1.2em; }\n"
	"section.letter h1 { border-bottom: none; padding-bottom: 0; }\n"
	".sign { margin-top: 8mm; break-inside: avoid; page-break-inside: avoid; }\n";

static void html_escape(struct strbuf *sb, const char *s, int br)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sb_addstr(sb, "&amp;"); break;
		case '<': sb_addstr(sb, "&lt;"); break;
		case '>': sb_addstr(sb, "&gt;"); break;
		case '"': sb_addstr(sb, "&quot;"); break;
		case '\'': sb_addstr(sb, "&#39;"); break;
		case '\n':
			sb_addstr(sb, br ? "<br>\n" : " ");
			break;
		default: sb_addch(sb, *s);
		}
	}
}

static void html_facts(struct strbuf *sb, const struct rfacts *f)
{
	if (!f->n)
		return;
	sb_addstr(sb, "<dl class=\"facts\">\n");
	for (size_t i = 0; i < f->n; i++) {
		sb_addstr(sb, "<dt>");
		html_escape(sb, f->v[i].label, 0);
		sb_addstr(sb, "</dt><dd>");
		html_escape(sb, f->v[i].text, 1);
		sb_addstr(sb, "</dd>\n");
	}
	sb_addstr(sb, "</dl>\n");
}

/* A date cell: the date and the time after it each kept whole, so that
 * a narrow column puts the time under the date and breaks nothing else. */
static void html_date(struct strbuf *sb, const char *text)
{
	const char *sp = strrchr(text, ' ');

	if (!*text)
		return;
	if (sp && strlen(sp + 1) == 5 && sp[3] == ':') {
		char *date = xstrndup(text, (size_t)(sp - text));
		sb_addstr(sb, "<span>");
		html_escape(sb, date, 0);
		sb_addstr(sb, "</span> <span>");
		html_escape(sb, sp + 1, 0);
		sb_addstr(sb, "</span>");
		free(date);
		return;
	}
	sb_addstr(sb, "<span>");
	html_escape(sb, text, 0);
	sb_addstr(sb, "</span>");
}

static void html_row(struct strbuf *sb, const struct rtable *t, size_t i)
{
	sb_addstr(sb, "<tr>");
	for (int c = 0; c < t->ncols; c++) {
		const struct rcol *col = &t->cols[c];
		static const char *const classes[] = {
			[RW_TEXT] = "t", [RW_IDENT] = "k", [RW_WORDS] = "w", [RW_NAME] = "n",
		};
		if (col->type == RC_DATE) {
			sb_addstr(sb, "<td class=\"date\">");
			html_date(sb, cell(t, i, c)->text);
			sb_addstr(sb, "</td>");
			continue;
		}
		sb_addf(sb, "<td class=\"%s\">", col->type == RC_NUM ? "num" : col->wide ? "wide" : classes[col->wrap]);
		html_escape(sb, cell(t, i, c)->text, 1);
		sb_addstr(sb, "</td>");
	}
	sb_addstr(sb, "</tr>\n");
}

static void html_table(struct strbuf *sb, int zh, const struct rblock *bl)
{
	const struct rtable *t = &bl->t;

	if (bl->title) {
		sb_addstr(sb, "<h3>");
		html_escape(sb, bl->title, 0);
		if (t->counted)
			sb_addf(sb, " (%zu)", body_rows(t));
		sb_addstr(sb, "</h3>\n");
	}
	if (!t->nrows) {
		sb_addstr(sb, "<p class=\"none\">");
		html_escape(sb, none_label(zh), 0);
		sb_addstr(sb, "</p>\n");
		return;
	}
	sb_addstr(sb, "<table>\n<thead><tr>");
	for (int c = 0; c < t->ncols; c++) {
		sb_addstr(sb, t->cols[c].type == RC_NUM ? "<th class=\"num\">" : "<th>");
		html_escape(sb, t->cols[c].label, 0);
		sb_addstr(sb, "</th>");
	}
	sb_addstr(sb, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < body_rows(t); i++)
		html_row(sb, t, i);
	sb_addstr(sb, "</tbody>\n");
	if (t->has_foot && body_rows(t) < t->nrows) {
		sb_addstr(sb, "<tfoot>\n");
		for (size_t i = body_rows(t); i < t->nrows; i++)
			html_row(sb, t, i);
		sb_addstr(sb, "</tfoot>\n");
	}
	sb_addstr(sb, "</table>\n");
}

/* A letter's head: the agency's name and its lines, then the heading. */
static void html_letterhead(struct strbuf *sb, const struct rsection *s)
{
	if (s->org) {
		sb_addstr(sb, "<header class=\"letterhead\">\n<div class=\"org\">");
		html_escape(sb, s->org, 0);
		sb_addstr(sb, "</div>\n");
		if (s->org_lines.n) {
			sb_addstr(sb, "<div class=\"lines\">");
			for (size_t i = 0; i < s->org_lines.n; i++) {
				sb_addstr(sb, "<span>");
				html_escape(sb, s->org_lines.v[i].label, 0);
				sb_addch(sb, ' ');
				html_escape(sb, s->org_lines.v[i].text, 0);
				sb_addstr(sb, "</span>");
			}
			sb_addstr(sb, "</div>\n");
		}
		sb_addstr(sb, "</header>\n");
	}
	sb_addstr(sb, "<h1>");
	html_escape(sb, s->heading, 0);
	sb_addstr(sb, "</h1>\n");
}

static void write_html(struct strbuf *sb, const struct report *r)
{
	sb_addf(sb, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
		r->zh ? "zh-CN" : "en");
	sb_addstr(sb, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	html_escape(sb, r->title, 0);
	if (r->letters) {
		for (size_t i = 0; i < r->nsecs && i < 2; i++) {
			sb_addstr(sb, " - ");
			html_escape(sb, r->secs[i]->title, 0);
		}
	}
	for (size_t i = 0; i < r->facts.n && i < 2; i++) {
		sb_addstr(sb, " - ");
		html_escape(sb, r->facts.v[i].text, 0);
	}
	sb_addstr(sb, "</title>\n<style>\n");
	sb_addstr(sb, html_style);
	if (r->letters)
		sb_addstr(sb, html_letter_style);
	if (r->page_per_section)
		sb_addstr(sb, "section + section { break-before: page; page-break-before: always; }\n"
			      "section + section > h2 { margin-top: 0; }\n");
	sb_addstr(sb, "</style>\n</head>\n<body>\n");
	if (!r->letters) {
		sb_addstr(sb, "<header>\n<h1>");
		html_escape(sb, r->title, 0);
		sb_addstr(sb, "</h1>\n");
		html_facts(sb, &r->facts);
		sb_addstr(sb, "</header>\n");
	}
	for (size_t i = 0; i < r->nsecs; i++) {
		const struct rsection *s = r->secs[i];
		if (r->letters) {
			sb_addf(sb, "<section class=\"letter\" lang=\"%s\">\n", s->zh ? "zh-CN" : "en");
			html_letterhead(sb, s);
		} else {
			sb_addstr(sb, "<section>\n");
			if (*s->title) {
				sb_addstr(sb, "<h2>");
				html_escape(sb, s->title, 0);
				sb_addstr(sb, "</h2>\n");
			}
		}
		html_facts(sb, &s->facts);
		for (size_t k = 0; k < s->nblocks; k++) {
			const struct rblock *bl = s->blocks[k];
			if (bl->type == RB_TEXT) {
				sb_addstr(sb, "<p>");
				html_escape(sb, bl->text, 1);
				sb_addstr(sb, "</p>\n");
			} else if (bl->type == RB_SIGN) {
				sb_addstr(sb, "<div class=\"sign\">");
				html_escape(sb, bl->text, 1);
				sb_addstr(sb, "</div>\n");
			} else {
				html_table(sb, s->zh, bl);
			}
		}
		sb_addstr(sb, "</section>\n");
	}
	sb_addstr(sb, "</body>\n</html>\n");
}

void report_write(struct strbuf *out, const struct report *r, enum report_format f, int bom)
{
	switch (f) {
	case RF_TEXT: write_text(out, r); break;
	case RF_MD: write_md(out, r); break;
	case RF_CSV: write_csv(out, r, bom); break;
	case RF_JSON: write_json(out, r); break;
	case RF_HTML: write_html(out, r); break;
	}
}
