/* diag.c -- see diag.h */
#include "diag.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "strmap.h"
#include "utf8.h"
#include "util.h"

struct diag {
	char *path;
	int line, col;
	enum diag_level level;
	char *rule;		/* copied: rules from format files die with them */
	char *msg;
	size_t seq;
	diag_read_fn *read;	/* the column still to convert through it, or NULL */
	void *ctx;
};

struct reader {
	diag_read_fn *read;
	void *ctx;
};

/* the diagnostics of one unit of a pool job, kept aside (diag.h) */
struct diag_batch {
	struct diag *v;
	size_t n, alloc;
	unsigned count[4];
};
static _Thread_local struct diag_batch **capture;

static struct {
	FILE *out;
	enum diag_format fmt;
	int color;
	struct diag *v;
	size_t n, alloc;
	unsigned count[4];
	const struct strmap *only;
	int muted;		/* diag_mute depth */
	enum diag_unit unit;
	struct reader *r;
	size_t nr, alloc_r;
} D;

void diag_column_unit(enum diag_unit unit)
{
	D.unit = unit;
}

int diag_unit_parse(const char *name, enum diag_unit *out)
{
	static const char *const names[] = { "display", "char", "byte" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i])) {
			*out = (enum diag_unit)i;
			return 0;
		}
	return -1;
}

void diag_text_from(diag_read_fn *read, void *ctx)
{
	ALLOC_GROW(D.r, D.nr + 1, D.alloc_r);
	D.r[D.nr].read = read;
	D.r[D.nr++].ctx = ctx;
}

void diag_only(const struct strmap *paths)
{
	D.only = paths;
}

int diag_filtering(void)
{
	return D.only != NULL;
}

void diag_mute(int on)
{
	D.muted += on ? 1 : -1;
}

void diag_setup(FILE *out, enum diag_format fmt, int color)
{
	D.out = out;
	D.fmt = fmt;
	D.color = color;
}

void diag_at(enum diag_level level, const char *path, int line, int col,
	     const char *rule, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vat(level, path, line, col, rule, fmt, ap);
	va_end(ap);
}

static void add(enum diag_level level, const char *path, int line, int col, int plain,
		const char *rule, const char *fmt, va_list ap);

void diag_vat(enum diag_level level, const char *path, int line, int col,
	      const char *rule, const char *fmt, va_list ap)
{
	add(level, path, line, col, 0, rule, fmt, ap);
}

void diag_vat_plain(enum diag_level level, const char *path, int line, int col,
		    const char *rule, const char *fmt, va_list ap)
{
	add(level, path, line, col, 1, rule, fmt, ap);
}

static void add(enum diag_level level, const char *path, int line, int col, int plain,
		const char *rule, const char *fmt, va_list ap)
{
	char first[512];
	char *msg;
	struct diag *d;
	va_list cp;
	int n;

	if (level != DIAG_SYSTEM && (D.muted > 0 || (D.only && path && !strmap_get(D.only, path))))
		return;
	/* most messages fit: formatted once, not measured first */
	va_copy(cp, ap);
	n = vsnprintf(first, sizeof(first), fmt, cp);
	va_end(cp);
	if (n >= 0 && (size_t)n < sizeof(first)) {
		msg = xstrndup(first, (size_t)n);
	} else {
		struct strbuf sb = STRBUF_INIT;
		sb_vaddf(&sb, fmt, ap);
		msg = sb_detach(&sb);
	}
	if (capture) {
		struct diag_batch *b = *capture;
		if (!b)
			b = *capture = xcalloc(1, sizeof(*b));
		ALLOC_GROW(b->v, b->n + 1, b->alloc);
		d = &b->v[b->n++];
		b->count[level]++;
	} else {
		ALLOC_GROW(D.v, D.n + 1, D.alloc);
		d = &D.v[D.n++];
		D.count[level]++;
	}
	d->path = xstrdup(path ? path : "");
	d->line = line;
	d->col = col;
	d->level = level;
	d->rule = rule ? xstrdup(rule) : NULL;
	d->msg = msg;
	d->seq = 0;
	d->read = NULL;
	d->ctx = NULL;
	if (D.nr && line > 0 && col > 1 && !plain) {
		d->read = D.r[D.nr - 1].read;
		d->ctx = D.r[D.nr - 1].ctx;
	}
	if (!capture)
		d->seq = D.n - 1;
}

void diag_capture(struct diag_batch **into)
{
	capture = into;
}

void diag_commit(struct diag_batch *b, size_t keep)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		struct diag *d = &b->v[i];
		if (i >= keep) {
			free(d->path);
			free(d->rule);
			free(d->msg);
			continue;
		}
		ALLOC_GROW(D.v, D.n + 1, D.alloc);
		d->seq = D.n;
		D.v[D.n++] = *d;
		D.count[d->level]++;
	}
	free(b->v);
	free(b);
}

size_t diag_batch_size(const struct diag_batch *b)
{
	return b ? b->n : 0;
}

void diag_batch_get(const struct diag_batch *b, size_t i, struct diag_item *out)
{
	const struct diag *d = &b->v[i];

	out->path = d->path;
	out->rule = d->rule;
	out->msg = d->msg;
	out->line = d->line;
	out->col = d->col;
	out->level = d->level;
}

static int cmp_diag(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Cells an editor gives one code point at display column `cells` (from 0). */
static size_t cells_of(unsigned cp, size_t cells)
{
	if (cp == '\t')
		return 8 - cells % 8;
	if (cp < 0x20 || cp == 0x7F)
		return 2;		/* ^X */
	if (cp >= 0x80 && cp < 0xA0)
		return 4;		/* <80> */
	return (size_t)utf8_cp_width(cp);
}

/* Column `col` (characters, from 1) of the line s[0..n) in D.unit. */
static int column_in(const char *s, size_t n, int col)
{
	size_t i = 0, cells = 0;

	for (int k = 1; k < col; k++) {
		unsigned c = i < n ? (unsigned char)s[i] : 0;
		size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		int dlen;

		if (i >= n) {
			/* past the end (a value missing at the end of the line):
			 * one column a byte, all at once (a column from a damaged
			 * parse cache can be 2^31-1: issue 9) */
			i += (size_t)(col - k);
			cells += (size_t)(col - k);
			break;
		} else if (n - i < len || utf8_invalid_at(s + i, len) != len) {
			i++;		/* not UTF-8: one byte, shown as <xx> */
			cells += 4;
		} else {
			cells += cells_of(utf8_decode(s + i, &dlen), cells);
			i += len;
		}
	}
	if (D.unit == DIAG_COL_BYTE)
		cells = i;
	return cells >= INT_MAX ? INT_MAX : (int)cells + 1;
}

/*
 * Columns into D.unit: of the diagnostics read through ctx's reader, or
 * of all of them (ctx NULL).  Each file is read once, its lines walked
 * in order.
 */
static void convert(void *ctx)
{
	struct strbuf text = STRBUF_INIT;
	const char *path = NULL;
	void *path_ctx = NULL;
	size_t pos = 0;
	int lineno = 1, have = 0;

	if (D.n > 1)
		qsort(D.v, D.n, sizeof(*D.v), cmp_diag);
	for (size_t i = 0; i < D.n; i++) {
		struct diag *d = &D.v[i];
		const char *nl;
		size_t start, end;

		if (!d->read || (ctx && d->ctx != ctx))
			continue;
		if (D.unit == DIAG_COL_CHAR) {
			d->read = NULL;
			continue;
		}
		if (!path || strcmp(path, d->path) || path_ctx != d->ctx) {
			path = d->path;
			path_ctx = d->ctx;
			sb_reset(&text);
			have = d->read(d->ctx, path, &text) == 0;
			pos = 0;
			lineno = 1;
		}
		d->read = NULL;
		if (!have)
			continue;
		if (d->line < lineno) {
			pos = 0;
			lineno = 1;
		}
		while (lineno < d->line && text.len && (nl = memchr(text.buf + pos, '\n', text.len - pos))) {
			pos = (size_t)(nl - text.buf) + 1;
			lineno++;
		}
		if (lineno != d->line)
			continue;	/* the file changed since: keep characters */
		nl = text.len ? memchr(text.buf + pos, '\n', text.len - pos) : NULL;
		end = nl ? (size_t)(nl - text.buf) : text.len;
		if (end > pos && text.buf[end - 1] == '\r')
			end--;		/* CRLF: editors do not show the CR */
		start = pos;
		if (d->line == 1 && end - pos >= 3 && !memcmp(text.buf, "\xEF\xBB\xBF", 3))
			start += 3;	/* columns count after a byte-order mark */
		d->col = column_in(text.buf + start, end - start, d->col);
	}
	sb_release(&text);
}

void diag_text_done(void *ctx)
{
	for (size_t i = D.nr; i-- > 0;)
		if (D.r[i].ctx == ctx) {
			convert(ctx);
			memmove(D.r + i, D.r + i + 1, (D.nr - i - 1) * sizeof(*D.r));
			D.nr--;
			return;
		}
}

static const char *level_name(enum diag_level l)
{
	return l == DIAG_WARNING ? "warning" : "error";
}

/* Bytes of the valid UTF-8 sequence at s[0..n), or 0 if none starts there. */
static size_t utf8_seq(const char *s, size_t n)
{
	unsigned char c = (unsigned char)*s;
	size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;

	return len && len <= n && utf8_invalid_at(s, len) == len ? len : 0;
}

void sb_add_visible(struct strbuf *sb, const char *s, size_t n, const char *keep)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t seq, run = i;
		int c1;

		/* printable ASCII, most of a message: copied a run at a time */
		while (run < n && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7F)
			run++;
		if (run > i + 1) {
			sb_add(sb, s + i, run - i);
			i = run - 1;
			continue;
		}
		seq = c >= 0x80 ? utf8_seq(s + i, n - i) : 1;
		c1 = c == 0xC2 && seq == 2 && (unsigned char)s[i + 1] <= 0x9F;

		if (seq > 1 && !c1) {
			sb_add(sb, s + i, seq);	/* a character beyond ASCII */
			i += seq - 1;
		} else if ((c >= 0x20 && c < 0x7F) || (c && c < 0x80 && strchr(keep, c))) {
			sb_addch(sb, c);
		} else if (c == '\t' || c == '\n' || c == '\r') {
			sb_addch(sb, '\\');
			sb_addch(sb, c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
		} else {
			/* a control, or a byte of no valid character */
			for (int k = 0; k <= c1; k++) {
				unsigned char b = (unsigned char)s[i + (size_t)k];
				char esc[4] = { '\\', 'x', hex[b >> 4], hex[b & 15] };
				sb_add(sb, esc, 4);
			}
			i += (size_t)c1;
		}
	}
}

void fputs_visible(const char *s, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;

	sb_add_visible(&sb, s, strlen(s), "");
	if (sb.len)
		fputs(sb.buf, f);	/* "" leaves sb.buf NULL */
	sb_release(&sb);
}

static void print_text(FILE *f, const struct diag *d)
{
	const char *on = "", *off = "";

	if (D.color) {
		on = d->level == DIAG_WARNING ? "\033[1;35m" : "\033[1;31m";
		off = "\033[0m";
	}
	fputs_visible(d->path, f);
	if (d->line > 0) {
		fprintf(f, ":%d", d->line);
		if (d->col > 0)
			fprintf(f, ":%d", d->col);
	}
	fprintf(f, ": %s%s%s: ", on, level_name(d->level), off);
	fputs_visible(d->msg, f);
	if (d->rule) {
		fputs(" [", f);
		fputs_visible(d->rule, f);
		fputc(']', f);
	}
	fputc('\n', f);
}

void diag_each(void (*fn)(void *ctx, const struct diag_item *d), void *ctx)
{
	if (D.n > 1)
		qsort(D.v, D.n, sizeof(*D.v), cmp_diag);
	for (size_t i = 0; i < D.n; i++) {
		const struct diag *d = &D.v[i];
		struct diag_item it = { d->path, d->rule, d->msg, d->line, d->col, d->level };
		fn(ctx, &it);
	}
}

int diag_flush(void)
{
	FILE *f = D.out ? D.out : stderr;
	struct strbuf sb = STRBUF_INIT;
	int status = EXIT_CLEAN;

	convert(NULL);
	if (D.fmt == DIAG_JSON)
		sb_addstr(&sb, "{\"diagnostics\":[");
	for (size_t i = 0; i < D.n; i++) {
		struct diag *d = &D.v[i];
		if (D.fmt == DIAG_JSON) {
			sb_addstr(&sb, i ? ",\n  {" : "\n  {");
			sb_addstr(&sb, "\"path\":");
			json_str(&sb, d->path);
			sb_addf(&sb, ",\"line\":%d,\"column\":%d,\"severity\":",
				d->line, d->col);
			json_str(&sb, level_name(d->level));
			sb_addstr(&sb, ",\"message\":");
			json_str(&sb, d->msg);
			sb_addstr(&sb, ",\"rule\":");
			json_str(&sb, d->rule);
			sb_addch(&sb, '}');
		} else {
			print_text(f, d);
		}
	}
	if (D.fmt == DIAG_JSON) {
		sb_addf(&sb, "%s],\"errors\":%u,\"warnings\":%u}\n",
			D.n ? "\n" : "", D.count[DIAG_ERROR] + D.count[DIAG_SYSTEM],
			D.count[DIAG_WARNING]);
		fputs(sb.buf, f);
	}
	fflush(f);
	if (D.count[DIAG_SYSTEM])
		status = EXIT_SYSTEM;
	else if (D.count[DIAG_ERROR])
		status = EXIT_BAD_RECORDS;
	sb_release(&sb);
	diag_reset();
	return status;
}

unsigned diag_count(enum diag_level level)
{
	if (capture && *capture)
		return D.count[level] + (*capture)->count[level];
	return D.count[level];
}

void diag_reset(void)
{
	for (size_t i = 0; i < D.n; i++) {
		free(D.v[i].path);
		free(D.v[i].msg);
		free(D.v[i].rule);
	}
	free(D.v);
	D.v = NULL;
	D.n = D.alloc = 0;
	memset(D.count, 0, sizeof(D.count));
}

/*
 * prefix, then the message made visible -- but for a line break before
 * "hint: " or two spaces: ae's own messages continue that way (a hint, a
 * list of candidates), and a forged line can then neither pass for a
 * diagnostic nor for a message of ae.
 */
static void print_message(const char *prefix, const char *fmt, va_list ap)
{
	struct strbuf msg = STRBUF_INIT, out = STRBUF_INIT;
	const char *p = NULL, *nl;

	sb_vaddf(&msg, fmt, ap);
	sb_addstr(&out, prefix);
	for (p = msg.buf; (nl = strchr(p, '\n')); p = nl + 1) {
		int keep = !strncmp(nl + 1, "hint: ", 6) || !strncmp(nl + 1, "  ", 2);
		sb_add_visible(&out, p, (size_t)(nl - p) + !keep, "");
		if (keep)
			sb_addch(&out, '\n');
	}
	sb_add_visible(&out, p, strlen(p), "");
	sb_addch(&out, '\n');
	fputs(out.buf, stderr);
	sb_release(&msg);
	sb_release(&out);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_message("ae: ", fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_message("ae: warning: ", fmt, ap);
	va_end(ap);
}

int want_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc && *nc)
		return 0;
	if (term && !strcmp(term, "dumb"))
		return 0;
	return isatty(fileno(f));
}
