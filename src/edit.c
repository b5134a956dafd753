/* edit.c -- see edit.h.  Where a field starts and ends is the parser's
 * answer (inifile.h: ini_entry.start .. end), never a second guess. */
#include "edit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inifile.h"
#include "utf8.h"

/* The text as the parser sees it, and the record's section in it. */
struct edoc {
	struct arena arena;
	struct ini_doc doc;
	long sec;		/* the first real section, or -1 */
};

static void parse(struct edoc *d, const char *text, size_t len)
{
	memset(d, 0, sizeof(*d));
	ini_doc_parse_quiet(&d->doc, &d->arena, text, len);
	d->sec = -1;
	for (size_t i = 0; i < d->doc.nsections && d->sec < 0; i++)
		if (d->doc.sections[i].line > 0)
			d->sec = (long)i;
}

static void release(struct edoc *d)
{
	ini_doc_release(&d->doc);
	arena_release(&d->arena);
}

static const struct ini_entry *find(const struct edoc *d, const char *key)
{
	return d->sec < 0 ? NULL : ini_find(&d->doc, (size_t)d->sec, key);
}

static int blank(int c)
{
	return c == ' ' || c == '\t';
}

/* The file's line end, for new lines: CRLF if most lines end so. */
static const char *file_eol(const char *text, size_t len)
{
	size_t crlf = 0, lf = 0;

	for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p))); p++) {
		if (p > text && p[-1] == '\r')
			crlf++;
		else
			lf++;
	}
	return crlf > lf ? "\r\n" : "\n";
}

/* The end of the line holding off: its line end included. */
static size_t end_of_line(const char *text, size_t len, size_t off)
{
	const char *nl = memchr(text + off, '\n', len - off);

	return nl ? (size_t)(nl - text) + 1 : len;
}

/* The line end of the line ending at end (exclusive): "", "\n" or "\r\n". */
static const char *eol_before(const char *text, size_t end)
{
	if (!end || text[end - 1] != '\n')
		return "";
	return end >= 2 && text[end - 2] == '\r' ? "\r\n" : "\n";
}

const char *edit_value_problem(const char *key, const char *value)
{
	size_t n = strlen(value);

	if (!*key || strpbrk(key, "=:[] \t\r\n") || *key == ';' || *key == '#')
		return "is not a field name";
	for (const char *k = key; *k; k++)
		if ((unsigned char)*k < 0x20 || *k == 0x7F)
			return "is not a field name";
	if (utf8_invalid_at(value, n) < n)
		return "is not valid UTF-8";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)value[i];
		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F ||
		    (c == 0xC2 && i + 1 < n && (unsigned char)value[i + 1] >= 0x80 &&
		     (unsigned char)value[i + 1] <= 0x9F))
			return "holds a control character; records are plain text";
	}
	if (strchr(value, '\n')) {
		/* each line goes on a continuation line of its own */
		for (const char *s = value; s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL) {
			while (blank((unsigned char)*s))
				s++;
			if (*s == ';' || *s == '#')
				return "has a line starting with ';' or '#', which the file would read as a comment";
		}
	}
	return NULL;
}

char *edit_normalize(const char *value)
{
	struct strbuf sb = STRBUF_INIT;
	size_t pending = 0;

	for (const char *s = value;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		const char *a = s, *z = s + n;

		while (a < z && blank((unsigned char)*a))
			a++;
		while (z > a && blank((unsigned char)z[-1]))
			z--;
		if (a == z) {
			pending += sb.len > 0;	/* no empty line before the first */
		} else {
			for (; pending; pending--)
				sb_addch(&sb, '\n');
			if (sb.len)
				sb_addch(&sb, '\n');
			sb_add(&sb, a, (size_t)(z - a));
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	sb_addstr(&sb, "");
	return sb_detach(&sb);
}

char *edit_get(const char *text, size_t len, const char *key)
{
	struct edoc d;
	const struct ini_entry *e;
	char *v;

	parse(&d, text, len);
	e = find(&d, key);
	v = e ? xstrdup(e->value) : NULL;
	release(&d);
	return v;
}

/*
 * The lines of a field: "key = value", or "key =" and indented lines.
 * prefix is the key line up to its value ("key = ", "key="); bare when
 * nothing followed it, and then a space goes before a one-line value.
 */
static void field_lines(struct strbuf *out, const char *prefix, size_t plen, int bare,
			const char *value, const char *indent, const char *eol,
			const char *last_eol)
{
	if (!strchr(value, '\n')) {
		sb_add(out, prefix, plen);
		if (bare && plen && !blank((unsigned char)prefix[plen - 1]))
			sb_addch(out, ' ');
		sb_addstr(out, value);
		sb_addstr(out, last_eol);
		return;
	}
	while (plen && blank((unsigned char)prefix[plen - 1]))
		plen--;
	sb_add(out, prefix, plen);
	for (const char *s = value;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		sb_addstr(out, eol);
		if (n) {
			sb_addstr(out, indent);
			sb_add(out, s, n);
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	sb_addstr(out, last_eol);
}

/*
 * The lines inside e's span that are not its value (comments, lines the
 * parser refused): kept, after the new value, as they were.  Returns how
 * many bytes were added.
 */
static size_t other_lines(struct strbuf *out, const char *text, const struct ini_entry *e)
{
	size_t before = out->len, k = 0;
	size_t p = end_of_line(text, e->end, e->start);

	while (p < e->end) {
		size_t q = end_of_line(text, e->end, p), t = p;
		int value_line = 0;

		while (k < (size_t)e->nlines && (e->voff[k] == SIZE_MAX || e->voff[k] < p))
			k++;
		if (k < (size_t)e->nlines && e->voff[k] < q)
			value_line = 1;
		while (t < q && (blank((unsigned char)text[t]) || text[t] == '\r' || text[t] == '\n'))
			t++;
		if (!value_line && t < q)
			sb_add(out, text + p, q - p);
		p = q;
	}
	return out->len - before;
}

/* Whether e's key line holds nothing after its '=' or ':'. */
static int bare_key_line(const char *text, const struct ini_entry *e)
{
	for (size_t p = e->vstart; p < e->end && text[p] != '\n'; p++)
		if (!blank((unsigned char)text[p]) && text[p] != '\r')
			return 0;
	return 1;
}

/* The indentation of e's first continuation line (or four spaces). */
static void indent_of(char *buf, size_t size, const char *text, const struct ini_entry *e)
{
	strcpy(buf, "    ");
	for (int k = 0; k < e->nlines; k++) {
		size_t off = e->voff[k], ls;
		if (off == SIZE_MAX || off < end_of_line(text, e->end, e->start))
			continue;
		for (ls = off; ls > 0 && text[ls - 1] != '\n'; ls--)
			;
		if (off > ls && off - ls < size) {
			memcpy(buf, text + ls, off - ls);
			buf[off - ls] = '\0';
		}
		return;
	}
}

/* Whether a field inserted at pos would take in the lines after it: the
 * first line that is neither blank nor a comment is indented. */
static int absorbs(const char *text, size_t len, size_t pos)
{
	while (pos < len) {
		size_t q = end_of_line(text, len, pos), t = pos;
		while (t < q && blank((unsigned char)text[t]))
			t++;
		if (t < q && text[t] != '\r' && text[t] != '\n') {
			if (text[t] != ';' && text[t] != '#')
				return t > pos;
		}
		pos = q;
	}
	return 0;
}

/* Where to insert key: after the nearest field before it in order, else
 * after the section's header; never where it would take in other lines. */
static long insert_at(const struct edoc *d, const char *text, size_t len, const char *key,
		      const char *const *order, size_t norder)
{
	const struct ini_section *sec = &d->doc.sections[d->sec];
	size_t k, cand[3];
	int nc = 0;

	for (k = 0; k < norder && strcmp(order[k], key); k++)
		;
	cand[0] = sec->end;
	while (k-- > 0) {
		const struct ini_entry *e = find(d, order[k]);
		if (e) {
			cand[0] = e->end;
			break;
		}
	}
	nc = 1;
	if (sec->count)
		cand[nc++] = d->doc.entries[sec->first + sec->count - 1].end;
	if ((size_t)d->sec + 1 == d->doc.nsections)
		cand[nc++] = len;
	for (int i = 0; i < nc; i++)
		if (!absorbs(text, len, cand[i]))
			return (long)cand[i];
	return -1;
}

/* Whether every field of a but key is in b, the same, in the same order. */
static int same_others(const struct ini_doc *a, const struct ini_doc *b, const char *key,
		       long asec, long bsec)
{
	size_t i = 0, j = 0;

	if (a->nsections != b->nsections)
		return 0;
	for (;;) {
		while (i < a->nentries && a->entries[i].section == asec && !strcmp(a->entries[i].key, key))
			i++;
		while (j < b->nentries && b->entries[j].section == bsec && !strcmp(b->entries[j].key, key))
			j++;
		if (i == a->nentries || j == b->nentries)
			return i == a->nentries && j == b->nentries;
		if (a->entries[i].section != b->entries[j].section ||
		    strcmp(a->entries[i].key, b->entries[j].key) ||
		    strcmp(a->entries[i].value, b->entries[j].value))
			return 0;
		i++;
		j++;
	}
}

/*
 * The lines of a field the record lacks (field, ending in its line end)
 * inserted into text where insert_at() puts key, into out.  0, or
 * EDIT_UNSAFE when there is no such place.
 */
static int insert_field(struct strbuf *out, const struct edoc *d, const char *text, size_t len,
			const char *key, const char *const *order, size_t norder, const char *eol,
			const struct strbuf *field)
{
	long at = insert_at(d, text, len, key, order, norder);

	if (at < 0)
		return EDIT_UNSAFE;
	sb_add(out, text, (size_t)at);
	if (at > 0 && text[at - 1] != '\n')
		sb_addstr(out, eol);
	sb_add(out, field->buf ? field->buf : "", field->len);
	sb_add(out, text + at, len - (size_t)at);
	return 0;
}

/*
 * Every edit is read back before anyone sees it: in out, key reads as
 * exactly want (absent when NULL), and every other field as in d.
 */
static int reads_back(const struct edoc *d, const struct strbuf *out, const char *key,
		      const char *want)
{
	struct edoc after;
	const struct ini_entry *got;
	int ok;

	parse(&after, out->buf ? out->buf : "", out->len);
	got = find(&after, key);
	ok = after.sec == d->sec && (want ? got && !strcmp(got->value, want) : !got) &&
	     same_others(&d->doc, &after.doc, key, d->sec, after.sec);
	release(&after);
	return ok;
}

/*
 * What edit_set() and edit_append() do first: out emptied, the value
 * checked (EDIT_BAD_VALUE, out then the text), its normalized form into
 * *norm and the text parsed into d, both for end_edit() to free.
 */
static int begin_edit(struct strbuf *out, const char *text, size_t len, const char *key,
		      const char *value, int one_line, struct edoc *d, char **norm)
{
	sb_reset(out);
	if ((one_line && strchr(value, '\n')) || edit_value_problem(key, value)) {
		sb_add(out, text, len);
		return EDIT_BAD_VALUE;
	}
	*norm = edit_normalize(value);
	parse(d, text, len);
	return 0;
}

/* ...and last: on an error out is the text as it was.  Returns ret. */
static int end_edit(int ret, struct strbuf *out, const char *text, size_t len, struct edoc *d,
		    char *norm)
{
	if (ret < 0) {
		sb_reset(out);
		sb_add(out, text, len);
	}
	release(d);
	free(norm);
	return ret;
}

int edit_set(struct strbuf *out, const char *text, size_t len, const char *key,
	     const char *value, const char *const *order, size_t norder)
{
	struct edoc d;
	const struct ini_entry *e;
	const char *eol = file_eol(text, len);
	char *norm = NULL;
	int ret = 1;

	if (begin_edit(out, text, len, key, value, 0, &d, &norm) < 0)
		return EDIT_BAD_VALUE;
	if (d.sec < 0) {
		ret = EDIT_NO_SECTION;
		goto out;
	}
	if ((e = find(&d, key))) {
		char indent[64];
		size_t kept;

		if (*norm && !strcmp(e->value, norm)) {	/* "" removes even an empty field */
			sb_add(out, text, len);
			ret = 0;
			goto out;
		}
		indent_of(indent, sizeof(indent), text, e);
		sb_add(out, text, e->start);
		if (*norm) {
			struct strbuf others = STRBUF_INIT;
			/* the last line keeps its line end, unless lines follow */
			kept = other_lines(&others, text, e);
			field_lines(out, text + e->start, e->vstart - e->start, bare_key_line(text, e),
				    norm, indent, eol, kept ? eol : eol_before(text, e->end));
			sb_add(out, others.buf ? others.buf : "", others.len);
			sb_release(&others);
		} else {
			other_lines(out, text, e);
		}
		sb_add(out, text + e->end, len - e->end);
	} else if (!*norm) {
		sb_add(out, text, len);
		ret = 0;
		goto out;
	} else {
		struct strbuf prefix = STRBUF_INIT, field = STRBUF_INIT;

		sb_addf(&prefix, "%s = ", key);
		field_lines(&field, prefix.buf, prefix.len, 0, norm, "    ", eol, eol);
		ret = insert_field(out, &d, text, len, key, order, norder, eol, &field);
		sb_release(&prefix);
		sb_release(&field);
		if (ret < 0)
			goto out;
		ret = 1;
	}
	if (!reads_back(&d, out, key, *norm ? norm : NULL))
		ret = EDIT_UNSAFE;
out:
	return end_edit(ret, out, text, len, &d, norm);
}

int edit_tick(struct strbuf *out, const char *text, size_t len, const char *key,
	      int n, int done)
{
	struct edoc d;
	const struct ini_entry *e;
	int item = 0, ret = -1;

	sb_reset(out);
	sb_add(out, text, len);
	parse(&d, text, len);
	if (!(e = find(&d, key))) {
		release(&d);
		return -1;
	}
	/* item n is the n-th value line that starts with a box */
	for (int k = 0; k < e->nlines; k++) {
		size_t p = e->voff[k];
		char want = done ? 'x' : ' ', *box;

		if (p == SIZE_MAX || p + 3 > len || text[p] != '[' || text[p + 2] != ']' ||
		    (text[p + 1] != ' ' && text[p + 1] != 'x' && text[p + 1] != 'X'))
			continue;
		if (++item != n)
			continue;
		box = out->buf + p + 1;
		if (*box == want || (done && *box == 'X')) {
			ret = 0;
		} else {
			*box = want;
			ret = 1;
		}
		break;
	}
	release(&d);
	return ret;
}

int edit_append(struct strbuf *out, const char *text, size_t len, const char *key,
		const char *line, const char *const *order, size_t norder)
{
	struct edoc d;
	const struct ini_entry *e;
	const char *eol = file_eol(text, len);
	char *want = NULL, *norm = NULL;
	int ret = 1;

	if (begin_edit(out, text, len, key, line, 1, &d, &norm) < 0)
		return EDIT_BAD_VALUE;
	if (d.sec < 0 || !*norm) {
		ret = d.sec < 0 ? EDIT_NO_SECTION : EDIT_BAD_VALUE;
		goto out;
	}
	if ((e = find(&d, key))) {
		size_t key_end = end_of_line(text, e->end, e->start), pos = key_end;
		char indent[64] = "    ";
		int last = -1;

		/* after the value's last line, indented as it is */
		for (int k = 0; k < e->nlines; k++)
			if (e->voff[k] != SIZE_MAX)
				last = k;
		if (last >= 0) {
			size_t off = e->voff[last], ls = off;
			pos = end_of_line(text, len, off);
			while (ls > 0 && text[ls - 1] != '\n')
				ls--;
			if (off >= key_end && off > ls && off - ls < sizeof(indent)) {
				memcpy(indent, text + ls, off - ls);
				indent[off - ls] = '\0';
			}
		}
		sb_add(out, text, pos);
		if (pos > 0 && text[pos - 1] != '\n')
			sb_addstr(out, eol);
		sb_addf(out, "%s%s", indent, norm);
		/* the file ends as it did: with a line end or without */
		if (pos < len || (len && text[len - 1] == '\n'))
			sb_addstr(out, eol);
		sb_add(out, text + pos, len - pos);
		want = *e->value ? xasprintf("%s\n%s", e->value, norm) : xstrdup(norm);
	} else {
		struct strbuf field = STRBUF_INIT;

		sb_addf(&field, "%s =%s    %s%s", key, eol, norm, eol);
		ret = insert_field(out, &d, text, len, key, order, norder, eol, &field);
		sb_release(&field);
		if (ret < 0)
			goto out;
		ret = 1;
		want = xstrdup(norm);
	}
	/* the field grew by the line, every other field as it was */
	if (!reads_back(&d, out, key, want))
		ret = EDIT_UNSAFE;
out:
	free(want);
	return end_edit(ret, out, text, len, &d, norm);
}
