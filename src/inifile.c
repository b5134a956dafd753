/* inifile.c -- see inifile.h.  The only file that includes <ini.h>. */
#include "inifile.h"

#include <ini.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "utf8.h"

/* inih copies a key into a 50-byte buffer for continuations */
#define INIH_MAX_NAME 50

struct pstate {
	struct ini_doc *doc;
	struct arena *arena;
	const char *buf, *p, *end;
	char *line;		/* inih's buffer holding the current line */
	const char *raw;	/* the current line in buf */
	size_t rawlen;		/* without the line end */
	int lineno;
	int handled;		/* the handler saw the current line */
	int cur_section;
	struct strbuf val;	/* value of the open multi-line entry */
	struct {
		int *line, *col;
		size_t *off, n, alloc;
		/* the first lines' in place: most values have one */
		int line0[16], col0[16];
		size_t off0[16];
	} vpos;
	long open;		/* entry whose value is being built, or -1 */
	int last_value_line;
	int after_bad_item;	/* an action item at column 1 broke the value */
};

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' ||
	       c == '\n';
}

static int col_of(const struct pstate *ps, const char *at)
{
	const char *base = ps->raw;

	if (ps->lineno == 1 && ps->rawlen >= 3 && !memcmp(base, "\xEF\xBB\xBF", 3))
		base += 3;
	if (at < base)
		return 1;
	return (int)utf8_count(base, (size_t)(at - base)) + 1;
}

static void close_value(struct pstate *ps)
{
	struct ini_entry *e;

	if (ps->open < 0)
		return;
	e = &ps->doc->entries[ps->open];
	e->value = arena_strndup(ps->arena, ps->val.buf ? ps->val.buf : "",
				 ps->val.len);
	e->nlines = (int)ps->vpos.n;
	{
		/* the three arrays in one allocation: offsets first, aligned */
		size_t k = ps->vpos.n ? ps->vpos.n : 1;
		char *block = arena_alloc(ps->arena, k * (sizeof(size_t) + 2 * sizeof(int)));
		e->voff = (size_t *)block;
		e->vline = (int *)(block + k * sizeof(size_t));
		e->vcol = e->vline + k;
	}
	if (ps->vpos.n == 1) {
		e->vline[0] = ps->vpos.line[0];
		e->vcol[0] = ps->vpos.col[0];
		e->voff[0] = ps->vpos.off[0];
	} else if (ps->vpos.n) {
		memcpy(e->vline, ps->vpos.line, sizeof(int) * ps->vpos.n);
		memcpy(e->vcol, ps->vpos.col, sizeof(int) * ps->vpos.n);
		memcpy(e->voff, ps->vpos.off, sizeof(size_t) * ps->vpos.n);
	} else {
		e->vline[0] = e->line;
		e->vcol[0] = e->col;
		e->voff[0] = e->vstart;
	}
	ps->open = -1;
	sb_reset(&ps->val);
	ps->vpos.n = 0;
}

static void add_vpos(struct pstate *ps, int line, int col, size_t off)
{
	size_t need = ps->vpos.n + 1;

	if (need > ps->vpos.alloc) {
		size_t na = ps->vpos.alloc * 2;
		if (ps->vpos.line == ps->vpos.line0) {
			ps->vpos.line = xmalloc(na * sizeof(int));
			ps->vpos.col = xmalloc(na * sizeof(int));
			ps->vpos.off = xmalloc(na * sizeof(size_t));
			memcpy(ps->vpos.line, ps->vpos.line0, sizeof(ps->vpos.line0));
			memcpy(ps->vpos.col, ps->vpos.col0, sizeof(ps->vpos.col0));
			memcpy(ps->vpos.off, ps->vpos.off0, sizeof(ps->vpos.off0));
		} else {
			ps->vpos.line = xrealloc(ps->vpos.line, na * sizeof(int));
			ps->vpos.col = xrealloc(ps->vpos.col, na * sizeof(int));
			ps->vpos.off = xrealloc(ps->vpos.off, na * sizeof(size_t));
		}
		ps->vpos.alloc = na;
	}
	ps->vpos.line[ps->vpos.n] = line;
	ps->vpos.col[ps->vpos.n] = col;
	ps->vpos.off[ps->vpos.n] = off;
	ps->vpos.n++;
}

/* Byte offset in the text of p, a pointer into the current line. */
static size_t off_of(const struct pstate *ps, const char *p)
{
	return (size_t)(p - ps->buf);
}

/* Byte offset just past the current line, its line end included. */
static size_t line_end(const struct pstate *ps)
{
	return (size_t)(ps->p - ps->buf);
}

static void add_section(struct pstate *ps, const char *name, size_t n, int line,
			int col)
{
	struct ini_doc *doc = ps->doc;
	struct ini_section *s;

	ALLOC_GROW(doc->sections, doc->nsections + 1, doc->alloc_sections);
	s = &doc->sections[doc->nsections];
	s->name = arena_strndup(ps->arena, name, n);
	s->line = line;
	s->col = col;
	s->first = doc->nentries;
	s->count = 0;
	s->bad = 0;
	s->start = off_of(ps, ps->raw);
	s->end = line_end(ps);
	ps->cur_section = (int)doc->nsections++;
}

static void syntax_error(struct pstate *ps, int col, const char *fmt, const char *arg)
{
	if (ps->doc->path)
		diag_at(DIAG_ERROR, ps->doc->path, ps->lineno, col, "USE-1", fmt, arg);
	ps->doc->errors++;
}

/* Called before inih sees the next line: judge the line just finished. */
static void finish_line(struct pstate *ps)
{
	const char *s, *e;

	if (!ps->lineno)
		return;		/* no line yet, and raw is NULL */
	s = ps->raw;
	e = ps->raw + ps->rawlen;
	if (ps->lineno == 1 && ps->rawlen >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	while (s < e && is_blank((unsigned char)*s))
		s++;
	while (e > s && is_blank((unsigned char)e[-1]))
		e--;
	if (s == e)
		return;
	if (*s == ';' || *s == '#') {
		if (s > ps->raw && ps->open >= 0 && ps->cur_section >= 0 &&
		    ps->doc->entries[ps->open].section == ps->cur_section && ps->doc->path)
			diag_at(DIAG_WARNING, ps->doc->path, ps->lineno, col_of(ps, s), "USE-1",
				"this indented line starts with '%c', so it is a comment and not part of '%s'; write the text another way if it belongs to the value",
				*s, ps->doc->entries[ps->open].key);
		return;
	}
	if (ps->handled) {
		ps->after_bad_item = 0;
		return;
	}
	if (ps->after_bad_item && s > ps->raw && e - s >= 3 && s[0] == '[' && s[2] == ']')
		return;	/* the rest of the broken list: reported once */
	if (e - s >= 4 && (!memcmp(s, "[ ]", 3) || !memcmp(s, "[x]", 3) ||
			   !memcmp(s, "[X]", 3)) && is_blank((unsigned char)s[3])) {
		syntax_error(ps, col_of(ps, s),
			     "an action item must be indented under 'actions =' to continue its value%s", "");
		ps->after_bad_item = 1;
		return;
	}
	if (*s == '[') {
		const char *close = memchr(s, ']', (size_t)(e - s));
		const char *n0 = s + 1, *n1;

		close_value(ps);
		ps->after_bad_item = 0;
		if (!close) {
			syntax_error(ps, col_of(ps, e), "section header is missing its closing ']'%s", "");
			add_section(ps, "", 0, ps->lineno, col_of(ps, s));
			ps->doc->sections[ps->doc->nsections - 1].bad = 1;
			return;
		}
		n1 = close;
		while (n0 < n1 && is_blank((unsigned char)*n0))
			n0++;
		while (n1 > n0 && is_blank((unsigned char)n1[-1]))
			n1--;
		add_section(ps, n0, (size_t)(n1 - n0), ps->lineno, col_of(ps, s));
		if (close + 1 < e)
			syntax_error(ps, col_of(ps, close + 1),
				     "unexpected text after the section header%s", "");
		return;
	}
	if (*s == '=' || *s == ':') {
		syntax_error(ps, col_of(ps, s), "a line cannot start with '%s': write 'name = value'",
			     *s == '=' ? "=" : ":");
		return;
	}
	syntax_error(ps, col_of(ps, s), "expected 'name = value', a '[section]' or a comment%s", "");
}

static char *reader(char *str, int num, void *stream)
{
	struct pstate *ps = stream;
	const char *nl;
	size_t n;

	finish_line(ps);
	if (ps->p >= ps->end)
		return NULL;
	nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
	n = nl ? (size_t)(nl - ps->p) + 1 : (size_t)(ps->end - ps->p);
	if (n > (size_t)num - 1)	/* cannot happen: max_line is set from len */
		n = (size_t)num - 1;
	memcpy(str, ps->p, n);
	str[n] = '\0';
	ps->line = str;
	ps->raw = ps->p;
	ps->rawlen = nl ? n - 1 : n;
	ps->p += n;
	ps->lineno++;
	ps->handled = 0;
	return str;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct pstate *ps = user;
	struct ini_doc *doc = ps->doc;
	const char *s = ps->raw;
	int vcol = col_of(ps, ps->raw + (value - ps->line));
	struct ini_entry *e;

	(void)section;
	ps->handled = 1;
	/* a section header seen by finish_line() is not yet recorded there:
	 * inih reports its keys only after we have judged the header line */
	if (ps->lineno == 1 && ps->rawlen >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	if (is_blank((unsigned char)*s) && ps->open >= 0 &&
	    !strncmp(doc->entries[ps->open].key, name, INIH_MAX_NAME - 1)) {
		/* continuation of the open value; blank lines between are kept */
		int gap = ps->last_value_line ? ps->lineno - ps->last_value_line - 1 : 0;
		if (ps->vpos.n > 0 || ps->val.len > 0)
			sb_addch(&ps->val, '\n');
		for (int k = 0; k < gap && ps->vpos.n > 0; k++) {
			sb_addch(&ps->val, '\n');
			add_vpos(ps, ps->last_value_line + k + 1, 1, SIZE_MAX);
		}
		sb_addstr(&ps->val, value);
		add_vpos(ps, ps->lineno, vcol, off_of(ps, ps->raw + (value - ps->line)));
		ps->last_value_line = ps->lineno;
		doc->entries[ps->open].end = line_end(ps);
		return 1;
	}
	{
		/* an indented line after a refused key (a duplicate): inih
		 * passes it as that key's continuation, with name from its own
		 * buffer, not this line; the key was reported already */
		const char *t = s, *v = ps->raw + (value - ps->line);
		while (t < v && is_blank((unsigned char)*t))
			t++;
		if (t == v && t > s)
			return 1;
	}
	close_value(ps);
	if (!*name) {
		syntax_error(ps, col_of(ps, ps->raw + (name - ps->line)),
			     "a line cannot start with '=': write 'name = value'%s", "");
		return 1;
	}
	if (ps->cur_section < 0)
		add_section(ps, "", 0, 0, 0);
	{
		struct ini_section *sec = &doc->sections[ps->cur_section];
		for (size_t i = sec->first; i < sec->first + sec->count; i++) {
			if (doc->entries[i].key[0] == name[0] && !strcmp(doc->entries[i].key, name)) {
				char lbuf[16];
				snprintf(lbuf, sizeof(lbuf), "%d", doc->entries[i].line);
				if (doc->path)
					diag_at(DIAG_ERROR, doc->path, ps->lineno,
						col_of(ps, ps->raw + (name - ps->line)), "USE-1",
						"duplicate key '%s' (first given on line %s); keep one",
						name, lbuf);
				doc->errors++;
				return 1;
			}
		}
	}
	ALLOC_GROW(doc->entries, doc->nentries + 1, doc->alloc_entries);
	e = &doc->entries[doc->nentries];
	memset(e, 0, sizeof(*e));
	e->key = arena_strdup(ps->arena, name);
	e->line = ps->lineno;
	e->key_col = col_of(ps, ps->raw + (name - ps->line));
	e->col = vcol;
	e->section = ps->cur_section;
	e->start = off_of(ps, s);
	e->vstart = off_of(ps, ps->raw + (value - ps->line));
	e->end = line_end(ps);
	doc->sections[ps->cur_section].count++;
	ps->open = (long)doc->nentries++;
	sb_reset(&ps->val);
	ps->vpos.n = 0;
	ps->last_value_line = 0;
	if (*value) {
		sb_addstr(&ps->val, value);
		add_vpos(ps, ps->lineno, vcol, e->vstart);
		ps->last_value_line = ps->lineno;
	}
	return 1;
}

/*
 * inih's knobs are the library's globals, read as a parse starts, and
 * records are parsed on several threads (pool.h): a knob set per text
 * (the line buffer sized to it) could be lowered by another thread
 * between one thread's setting and its parse, which would then cut a
 * long line, and the rest of it would be read as a line of its own.  So
 * the knobs are set once, the buffer only ever grows (under a lock;
 * what a parse already under way reads is then at least what it
 * needed), and a text no longer than KNOBS_LINE_FLOOR -- every record
 * of a real book: ae.ini and the formats are read before any thread
 * starts -- sets nothing at all.
 */
#define KNOBS_LINE_FLOOR 16384
static pthread_mutex_t knobs_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int knobs_line;	/* ini_max_line as set here; 0: not yet */

static void set_knobs(int max)
{
	if (atomic_load_explicit(&knobs_line, memory_order_acquire) >= max)
		return;
	pthread_mutex_lock(&knobs_lock);
	if (atomic_load_explicit(&knobs_line, memory_order_relaxed) < max) {
		ini_use_stack = false;
		ini_allow_realloc = false;
		ini_max_line = max;
		ini_initial_alloc = max;
		ini_allow_inline_comments = false;
		ini_allow_multiline = true;
		ini_allow_bom = true;
		ini_allow_no_value = false;
		ini_stop_on_first_error = false;
		atomic_store_explicit(&knobs_line, max, memory_order_release);
	}
	pthread_mutex_unlock(&knobs_lock);
}

int ini_doc_parse(struct ini_doc *doc, struct arena *a, const char *path,
		  const char *buf, size_t len)
{
	struct pstate ps;
	int max;

	memset(doc, 0, sizeof(*doc));
	doc->path = path;
	memset(&ps, 0, sizeof(ps));
	ps.doc = doc;
	ps.arena = a;
	ps.buf = ps.p = buf;
	ps.end = buf + len;
	ps.cur_section = -1;
	ps.open = -1;
	ps.vpos.line = ps.vpos.line0;
	ps.vpos.col = ps.vpos.col0;
	ps.vpos.off = ps.vpos.off0;
	ps.vpos.alloc = ARRAY_SIZE(ps.vpos.line0);

	/* one reader call per line: the buffer holds the longest line */
	max = len + 3 > KNOBS_LINE_FLOOR ? (int)(len + 3) : KNOBS_LINE_FLOOR;
	set_knobs(max);

	/*
	 * Section headers are recorded by finish_line(), which runs when the
	 * reader is asked for the line after them -- before inih hands us the
	 * first key of that section, so entries land in the right section.
	 */
	if (ini_parse_stream(reader, &ps, handler, &ps) == -2) {
		if (path)
			diag_at(DIAG_SYSTEM, path, 0, 0, NULL, "out of memory while parsing");
		doc->errors++;
	}
	close_value(&ps);
	doc->nlines = ps.lineno;
	sb_release(&ps.val);
	if (ps.vpos.line != ps.vpos.line0) {
		free(ps.vpos.line);
		free(ps.vpos.col);
		free(ps.vpos.off);
	}
	return doc->errors;
}

int ini_doc_parse_quiet(struct ini_doc *doc, struct arena *a, const char *buf, size_t len)
{
	return ini_doc_parse(doc, a, NULL, buf, len);
}

void ini_doc_release(struct ini_doc *doc)
{
	free(doc->sections);
	free(doc->entries);
	memset(doc, 0, sizeof(*doc));
}

const struct ini_entry *ini_find(const struct ini_doc *doc, size_t s, const char *key)
{
	const struct ini_section *sec = &doc->sections[s];

	for (size_t i = sec->first; i < sec->first + sec->count; i++)
		if (!strcmp(doc->entries[i].key, key))
			return &doc->entries[i];
	return NULL;
}

void ini_value_pos(const struct ini_entry *e, int k, int *line, int *col)
{
	if (k < 0 || k >= e->nlines) {
		*line = e->line;
		*col = e->col;
		return;
	}
	*line = e->vline[k];
	*col = e->vcol[k];
}
