/* diag.c -- see diag.h */
#include "diag.h"

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
};

static struct {
	FILE *out;
	enum diag_format fmt;
	int color;
	struct diag *v;
	size_t n, alloc;
	unsigned count[4];
	const struct strmap *only;
} D;

void diag_only(const struct strmap *paths)
{
	D.only = paths;
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
	struct strbuf sb = STRBUF_INIT;
	struct diag *d;
	va_list ap;

	if (D.only && level != DIAG_SYSTEM && path && !strmap_get(D.only, path))
		return;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(D.v, D.n + 1, D.alloc);
	d = &D.v[D.n];
	d->path = xstrdup(path ? path : "");
	d->line = line;
	d->col = col;
	d->level = level;
	d->rule = rule ? xstrdup(rule) : NULL;
	d->msg = sb_detach(&sb);
	d->seq = D.n++;
	D.count[level]++;
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
		size_t seq = c >= 0x80 ? utf8_seq(s + i, n - i) : 1;
		int c1 = c == 0xC2 && seq == 2 && (unsigned char)s[i + 1] <= 0x9F;

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
	fputs(sb.buf, f);
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

int diag_flush(void)
{
	FILE *f = D.out ? D.out : stderr;
	struct strbuf sb = STRBUF_INIT;
	int status = EXIT_CLEAN;

	if (D.n > 1)
		qsort(D.v, D.n, sizeof(*D.v), cmp_diag);
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
