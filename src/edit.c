/* edit.c -- see edit.h */
#include "edit.h"

#include <stdlib.h>
#include <string.h>

struct line {
	const char *s;		/* the line's text */
	size_t n;		/* without its end */
	size_t eol;		/* bytes of its end: 0, 1 or 2 */
};

struct lines {
	struct line *v;
	size_t n, alloc;
	const char *eol;	/* the file's line end, for new lines */
};

static void split(struct lines *ls, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int crlf = 0, lf = 0;

	memset(ls, 0, sizeof(*ls));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct line *l;

		ALLOC_GROW(ls->v, ls->n + 1, ls->alloc);
		l = &ls->v[ls->n++];
		l->s = p;
		if (nl) {
			l->n = (size_t)(nl - p);
			l->eol = 1;
			if (l->n && p[l->n - 1] == '\r') {
				l->n--;
				l->eol = 2;
				crlf++;
			} else {
				lf++;
			}
			p = nl + 1;
		} else {
			l->n = (size_t)(end - p);
			l->eol = 0;
			p = end;
		}
	}
	ls->eol = crlf > lf ? "\r\n" : "\n";
}

static int blank(int c)
{
	return c == ' ' || c == '\t';
}

static int is_blank_line(const struct line *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!blank((unsigned char)l->s[i]) && l->s[i] != '\r')
			return 0;
	return 1;
}

/* The first line of text, past a UTF-8 BOM. */
static size_t skip_bom(const struct lines *ls, size_t i)
{
	return i == 0 && ls->n && ls->v[0].n >= 3 && !memcmp(ls->v[0].s, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

/* If line i is "key = ..." return the offset of the value, else -1. */
static long key_line(const struct lines *ls, size_t i, const char *key)
{
	const struct line *l = &ls->v[i];
	size_t k = strlen(key), off = skip_bom(ls, i);

	if (l->n < off + k || memcmp(l->s + off, key, k))
		return -1;
	off += k;
	while (off < l->n && blank((unsigned char)l->s[off]))
		off++;
	if (off >= l->n || (l->s[off] != '=' && l->s[off] != ':'))
		return -1;
	off++;
	while (off < l->n && blank((unsigned char)l->s[off]))
		off++;
	return (long)off;
}

static int section_line(const struct lines *ls, size_t i)
{
	const struct line *l = &ls->v[i];
	size_t off = skip_bom(ls, i);

	while (off < l->n && blank((unsigned char)l->s[off]))
		off++;
	return off < l->n && l->s[off] == '[' && !(l->n - off >= 3 && l->s[off + 2] == ']' &&
						  (l->s[off + 1] == ' ' || l->s[off + 1] == 'x'));
}

/* A line that continues the value above it: indented, not blank. */
static int continuation(const struct line *l)
{
	return l->n && blank((unsigned char)l->s[0]) && !is_blank_line(l);
}

/* The last line of the field starting at line i: continuation lines,
 * with blank lines only between them. */
static size_t field_end(const struct lines *ls, size_t i)
{
	size_t last = i;

	for (size_t j = i + 1; j < ls->n; j++) {
		if (continuation(&ls->v[j]))
			last = j;
		else if (!is_blank_line(&ls->v[j]))
			break;
	}
	return last;
}

static long find_key(const struct lines *ls, const char *key, size_t *at)
{
	int in_section = 0;

	for (size_t i = 0; i < ls->n; i++) {
		long off;
		if (section_line(ls, i)) {
			if (in_section)
				break;	/* a record has one section */
			in_section = 1;
			continue;
		}
		if (in_section && (off = key_line(ls, i, key)) >= 0) {
			*at = i;
			return off;
		}
	}
	return -1;
}

static void trimmed(struct strbuf *sb, const char *s, size_t n)
{
	while (n && (blank((unsigned char)*s)))
		s++, n--;
	while (n && (blank((unsigned char)s[n - 1]) || s[n - 1] == '\r'))
		n--;
	sb_add(sb, s, n);
}

/* The value as the parser sees it: trimmed lines, blank lines kept between. */
static char *value_at(const struct lines *ls, size_t i, long off, size_t last)
{
	struct strbuf sb = STRBUF_INIT;
	const struct line *l = &ls->v[i];
	int have = 0;
	size_t pending_blank = 0;

	trimmed(&sb, l->s + off, l->n - (size_t)off);
	have = sb.len > 0;
	for (size_t j = i + 1; j <= last; j++) {
		if (is_blank_line(&ls->v[j])) {
			pending_blank++;
			continue;
		}
		if (have) {
			sb_addch(&sb, '\n');
			for (; pending_blank; pending_blank--)
				sb_addch(&sb, '\n');
		}
		pending_blank = 0;
		trimmed(&sb, ls->v[j].s, ls->v[j].n);
		have = 1;
	}
	return sb_detach(&sb);
}

char *edit_get(const char *text, size_t len, const char *key)
{
	struct lines ls;
	size_t at;
	long off;
	char *v = NULL;

	split(&ls, text, len);
	if ((off = find_key(&ls, key, &at)) >= 0)
		v = value_at(&ls, at, off, field_end(&ls, at));
	free(ls.v);
	return v;
}

static void copy_lines(struct strbuf *out, const struct lines *ls, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		sb_add(out, ls->v[i].s, ls->v[i].n + ls->v[i].eol);
}

/* The new lines of a field; eol of the last one as given. */
static void field_lines(struct strbuf *out, const char *prefix, size_t plen, const char *value,
			const char *indent, const char *eol, const char *last_eol)
{
	if (!strchr(value, '\n')) {
		sb_add(out, prefix, plen);
		sb_addstr(out, value);
		sb_addstr(out, last_eol);
		return;
	}
	/* "key =" then each line indented */
	while (plen && blank((unsigned char)prefix[plen - 1]))
		plen--;
	sb_add(out, prefix, plen);
	for (const char *s = value; ; ) {
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

/* The line after which a field the record lacks goes: after the nearest
 * field before it in the format's order, else after the section line. */
static size_t insert_after(const struct lines *ls, size_t section, const char *key,
			   const char *const *order, size_t norder)
{
	size_t k;

	for (k = 0; k < norder && strcmp(order[k], key); k++)
		;
	while (k-- > 0) {
		size_t pat;
		if (find_key(ls, order[k], &pat) >= 0)
			return field_end(ls, pat);
	}
	return section;
}

/* The first section line of the text; 0 and *at unset when none. */
static int first_section(const struct lines *ls, size_t *at)
{
	for (size_t i = 0; i < ls->n; i++)
		if (section_line(ls, i)) {
			*at = i;
			return 1;
		}
	return 0;
}

int edit_set(struct strbuf *out, const char *text, size_t len, const char *key,
	     const char *value, const char *const *order, size_t norder)
{
	struct lines ls;
	size_t at = 0, last, section = 0;
	long off;
	int have_section = 0, ret = 1;

	sb_reset(out);
	split(&ls, text, len);
	have_section = first_section(&ls, &section);
	if (!have_section) {
		free(ls.v);
		return -1;
	}
	if ((off = find_key(&ls, key, &at)) >= 0) {
		char *cur;
		char indent[64] = "    ";

		last = field_end(&ls, at);
		cur = value_at(&ls, at, off, last);
		if (!strcmp(cur, value)) {
			free(cur);
			sb_add(out, text, len);
			free(ls.v);
			return 0;
		}
		free(cur);
		if (last > at) {
			/* keep the indentation the field already uses */
			const struct line *c = &ls.v[at + 1];
			size_t n = 0;
			while (n < c->n && n < sizeof(indent) - 1 && blank((unsigned char)c->s[n]))
				n++;
			if (n) {
				memcpy(indent, c->s, n);
				indent[n] = '\0';
			}
		}
		copy_lines(out, &ls, 0, at);
		if (*value) {
			const struct line *kl = &ls.v[at];
			struct strbuf prefix = STRBUF_INIT;
			sb_add(&prefix, kl->s, (size_t)off);
			if ((size_t)off == kl->n && off && !blank((unsigned char)kl->s[off - 1]))
				sb_addch(&prefix, ' ');
			{
				/* the last line of the field keeps its own line end */
				const struct line *ll = &ls.v[last];
				char end[3] = "";
				memcpy(end, ll->s + ll->n, ll->eol);
				end[ll->eol] = '\0';
				field_lines(out, prefix.buf, prefix.len, value, indent, ls.eol,
					    ll->eol ? end : "");
			}
			sb_release(&prefix);
		}
		copy_lines(out, &ls, last + 1, ls.n);
	} else if (!*value) {
		sb_add(out, text, len);
		ret = 0;
	} else {
		size_t after = insert_after(&ls, section, key, order, norder);
		struct strbuf prefix = STRBUF_INIT;

		copy_lines(out, &ls, 0, after + 1);
		if (!ls.v[after].eol)
			sb_addstr(out, ls.eol);
		sb_addf(&prefix, "%s = ", key);
		field_lines(out, prefix.buf, prefix.len, value, "    ", ls.eol, ls.eol);
		sb_release(&prefix);
		copy_lines(out, &ls, after + 1, ls.n);
	}
	free(ls.v);
	return ret;
}

int edit_tick(struct strbuf *out, const char *text, size_t len, const char *key,
	      int n, int done)
{
	struct lines ls;
	size_t at, last;
	long off;
	int item = 0, ret = -1;

	sb_reset(out);
	split(&ls, text, len);
	if ((off = find_key(&ls, key, &at)) < 0) {
		free(ls.v);
		return -1;
	}
	last = field_end(&ls, at);
	sb_add(out, text, len);
	for (size_t i = at; i <= last; i++) {
		const struct line *l = &ls.v[i];
		size_t p = i == at ? (size_t)off : 0;
		while (p < l->n && blank((unsigned char)l->s[p]))
			p++;
		if (l->n - p < 3 || l->s[p] != '[' || l->s[p + 2] != ']')
			continue;
		if (++item != n)
			continue;
		{
			size_t pos = (size_t)(l->s - text) + p + 1;
			char want = done ? 'x' : ' ';
			if (out->buf[pos] == want || (done && out->buf[pos] == 'X')) {
				ret = 0;
			} else {
				out->buf[pos] = want;
				ret = 1;
			}
		}
		break;
	}
	free(ls.v);
	return ret;
}

int edit_append(struct strbuf *out, const char *text, size_t len, const char *key,
		const char *line, const char *const *order, size_t norder)
{
	struct lines ls;
	size_t at, last, section;
	char indent[64] = "    ";

	sb_reset(out);
	split(&ls, text, len);
	if (!first_section(&ls, &section)) {
		free(ls.v);
		return -1;
	}
	if (find_key(&ls, key, &at) >= 0) {
		last = field_end(&ls, at);
		if (last > at) {
			/* the indentation of the lines above it */
			const struct line *c = &ls.v[last];
			size_t n = 0;
			while (n < c->n && n < sizeof(indent) - 1 && blank((unsigned char)c->s[n]))
				n++;
			memcpy(indent, c->s, n);
			indent[n] = '\0';
		}
		copy_lines(out, &ls, 0, last + 1);
		if (!ls.v[last].eol)
			sb_addstr(out, ls.eol);
		sb_addf(out, "%s%s", indent, line);
		/* the file ends as it did: with a line end or without */
		if (ls.v[last].eol || last + 1 < ls.n)
			sb_addstr(out, ls.eol);
	} else {
		last = insert_after(&ls, section, key, order, norder);
		copy_lines(out, &ls, 0, last + 1);
		if (!ls.v[last].eol)
			sb_addstr(out, ls.eol);
		sb_addf(out, "%s =%s%s%s%s", key, ls.eol, indent, line, ls.eol);
	}
	copy_lines(out, &ls, last + 1, ls.n);
	free(ls.v);
	return 1;
}
