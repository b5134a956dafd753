/* diag.c -- see diag.h */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "strmap.h"
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

static void print_text(FILE *f, const struct diag *d)
{
	const char *on = "", *off = "";

	if (D.color) {
		on = d->level == DIAG_WARNING ? "\033[1;35m" : "\033[1;31m";
		off = "\033[0m";
	}
	fputs(d->path, f);
	if (d->line > 0) {
		fprintf(f, ":%d", d->line);
		if (d->col > 0)
			fprintf(f, ":%d", d->col);
	}
	fprintf(f, ": %s%s%s: %s", on, level_name(d->level), off, d->msg);
	if (d->rule)
		fprintf(f, " [%s]", d->rule);
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

int error(const char *fmt, ...)
{
	va_list ap;

	fputs("ae: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	fputs("ae: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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
