/* find.c -- see find.h */
#include "find.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "inifile.h"
#include "utf8.h"

/* The lowercase of a Latin capital letter, or cp itself. */
static unsigned fold_cp(unsigned cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp < 0xC0)
		return cp;
	if (cp <= 0xDE && cp != 0xD7)			/* Latin-1: À..Þ */
		return cp + 32;
	if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
		return cp % 2 ? cp : cp + 1;		/* Latin Extended-A pairs */
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
		return cp % 2 ? cp + 1 : cp;
	if (cp == 0x178)				/* Ÿ */
		return 0xFF;
	if (cp >= 0xFF21 && cp <= 0xFF3A)		/* full-width Ａ..Ｚ */
		return cp + 32;
	return cp;
}

static void put_cp(struct strbuf *out, unsigned cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sb_add(out, b, n);
}

void find_fold(struct strbuf *out, const char *s, size_t n)
{
	size_t i = 0;

	sb_grow(out, n);
	while (i < n) {
		int len = 1;
		unsigned cp = (unsigned char)s[i];
		if (cp >= 0x80)
			cp = utf8_decode(s + i, &len);
		if ((size_t)len > n - i)
			len = (int)(n - i);
		put_cp(out, fold_cp(cp));
		i += (size_t)len;
	}
}

struct search {
	const struct book *b;
	const struct find_opts *o;
	struct strbuf needle;	/* folded */
	struct strbuf tmp;
	struct find_result *res;
};

static int matches(struct search *s, const char *text, size_t n)
{
	sb_reset(&s->tmp);
	find_fold(&s->tmp, text, n);
	return s->tmp.len >= s->needle.len && strstr(s->tmp.buf, s->needle.buf) != NULL;
}

static int matches_str(struct search *s, const char *text)
{
	return text && matches(s, text, strlen(text));
}

static void hit(struct search *s, const char *path, int line, const char *record,
		const char *kind, const char *field, const char *text, size_t n,
		const char *label, const char *client)
{
	struct find_result *res = s->res;
	struct find_hit *h;

	ALLOC_GROW(res->v, res->n + 1, res->alloc);
	h = &res->v[res->n++];
	h->path = path;
	h->line = line;
	h->record = record;
	h->kind = kind;
	h->field = field ? arena_strdup(&res->arena, field) : NULL;
	h->text = arena_strndup(&res->arena, text, n);
	h->label = label ? arena_strdup(&res->arena, label) : NULL;
	h->client = client;
}

/*
 * An enumerated word (a value or a label of one) that does not match as
 * written: what of the same value does (the value, or one of its labels).
 */
static const char *other_name(struct search *s, const char *const *values, int nvalues,
			      const struct label *labels, int nlabels, const char *w, size_t n)
{
	int k = enum_lookup(values, nvalues, labels, nlabels, w, n);

	if (k < 0)
		return NULL;
	if (matches_str(s, values[k]))
		return values[k];
	for (int i = 0; i < nlabels; i++)
		if (labels[i].value == k && matches_str(s, labels[i].text))
			return labels[i].text;
	return NULL;
}

/* The label or value that matches for one line of an enum or list field. */
static const char *by_label(struct search *s, const struct fieldspec *fd, const char *v, size_t n)
{
	if (!fd || !fd->nvalues || (fd->type != FT_ENUM && fd->type != FT_LIST))
		return NULL;
	if (fd->type == FT_ENUM) {
		while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
			n--;
		return other_name(s, fd->values, fd->nvalues, fd->labels, fd->nlabels, v, n);
	}
	/* a list: each item */
	for (const char *p = v, *end = v + n; p < end;) {
		const char *c = memchr(p, ',', (size_t)(end - p)), *e = c ? c : end;
		const char *a = p, *z = e, *got;
		while (a < z && (*a == ' ' || *a == '\t'))
			a++;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
			z--;
		if ((got = other_name(s, fd->values, fd->nvalues, fd->labels, fd->nlabels, a,
				      (size_t)(z - a))))
			return got;
		p = c ? c + 1 : end;
	}
	return NULL;
}

/* The client a record is about: itself, or its client field. */
static const char *client_of(const struct book *b, const struct record *r)
{
	if (r->kind == K_CLIENT)
		return r->id;
	return rec_str(r, book_field(b, r->kind, "client"));
}

static void search_record(struct search *s, const struct record *r)
{
	const struct book *b = s->b;
	const struct format *fmt = &b->fmts.kinds[r->kind];
	struct strbuf text = STRBUF_INIT;
	struct arena a = { 0 };
	struct ini_doc doc;
	const char *msg;

	memset(&doc, 0, sizeof(doc));
	if (b->src->read(b->src, r->path, b->cfg.max_file_bytes, &text, &msg) != SRC_OK ||
	    utf8_invalid_at(text.buf, text.len) != text.len || memchr(text.buf, '\0', text.len))
		goto out;
	ini_doc_parse(&doc, &a, r->path, text.buf, text.len);
	for (size_t i = 0; i < doc.nentries; i++) {
		const struct ini_entry *e = &doc.entries[i];
		int f = format_field(fmt, e->key);
		const struct fieldspec *fd = f >= 0 ? &fmt->fields[f] : NULL;
		const char *p = e->value;

		/* one hit per line of the value, at that line */
		for (int k = 0; k < e->nlines && p; k++) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			const char *label = NULL;
			int line, col;

			ini_value_pos(e, k, &line, &col);
			if (n && (matches(s, p, n) || (label = by_label(s, fd, p, n))))
				hit(s, r->path, line, r->id, kind_names[r->kind], e->key, p, n, label,
				    client_of(b, r));
			p = nl ? nl + 1 : NULL;
		}
	}
out:
	ini_doc_release(&doc);
	arena_release(&a);
	sb_release(&text);
}

/* The word after the third space of a journal line: its verb. */
static char *verb_of(const char *l, size_t n)
{
	const char *p = l, *end = l + n;

	for (int w = 0; w < 3 && p < end; w++) {
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
	}
	{
		const char *q = p;
		while (q < end && *q != ' ' && *q != '\t')
			q++;
		return xstrndup(p, (size_t)(q - p));
	}
}

/* The client a journal line is about, from the entry the book read. */
static const char *line_client(const struct book *b, const struct jentry *je)
{
	return je && je->rec >= 0 ? client_of(b, &b->recs[je->rec]) : NULL;
}

static void search_journal(struct search *s, size_t file, const struct jentry **byline,
			   int nlines)
{
	const struct book *b = s->b;
	const char *path = b->journal.files[file], *msg;
	const struct groupspec *cat = journal_group(&b->fmts.journal, "category");
	struct strbuf text = STRBUF_INIT;
	int line = 0;

	if (b->src->read(b->src, path, b->cfg.max_file_bytes * 256, &text, &msg) != SRC_OK ||
	    utf8_invalid_at(text.buf, text.len) != text.len || memchr(text.buf, '\0', text.len))
		goto out;
	for (const char *p = text.buf, *end = text.buf + text.len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const struct jentry *je;
		const char *label = NULL, *client;

		line++;
		je = line < nlines ? byline[line] : NULL;
		client = line_client(b, je);
		if (n && p[n - 1] == '\r')
			n--;
		if (n && p[0] != '#' && (!s->o->client || (client && !strcmp(client, s->o->client)))) {
			int found = matches(s, p, n);
			/* an expense's category by any of its names (交通 is taxi) */
			if (!found && je && je->verb == JV_EXPENSE && je->what && cat) {
				const char *what = jentry_what(&b->journal, je);
				found = (label = other_name(s, cat->values, cat->nvalues, cat->labels,
							    cat->nlabels, what, strlen(what))) != NULL;
			}
			if (found) {
				char *verb = verb_of(p, n);
				hit(s, path, line, NULL, "journal", verb, p, n, label, client);
				free(verb);
			}
		}
		p = nl ? nl + 1 : end;
	}
out:
	sb_release(&text);
}

static int cmp_hit(const void *pa, const void *pb)
{
	const struct find_hit *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	return c ? c : (a->line > b->line) - (a->line < b->line);
}

void find_run(const struct book *b, const struct find_opts *o, struct find_result *res)
{
	struct search s;

	memset(&s, 0, sizeof(s));
	s.b = b;
	s.o = o;
	s.res = res;
	find_fold(&s.needle, o->text, strlen(o->text));
	for (size_t i = 0; i < b->nrecs && o->kind != FIND_JOURNAL; i++) {
		const struct record *r = &b->recs[i];
		const char *c;
		if (r->stub || (o->kind >= 0 && r->kind != o->kind))
			continue;
		if (o->client && (!(c = client_of(b, r)) || strcmp(c, o->client)))
			continue;
		search_record(&s, r);
	}
	if (o->kind < 0 || o->kind == FIND_JOURNAL) {
		/* the entries the book read, by file and line: their clients
		 * and categories */
		const struct journal *j = &b->journal;
		for (size_t f = 0; f < j->nfiles; f++) {
			const struct jentry **byline = NULL;
			size_t from = j->file_at[f], to = journal_file_end(j, f);
			int nlines = 0;
			for (size_t i = from; i < to; i++)
				if (j->v[i].line >= nlines)
					nlines = j->v[i].line + 1;
			byline = xcalloc((size_t)nlines + 1, sizeof(*byline));
			for (size_t i = from; i < to; i++)
				byline[j->v[i].line] = &j->v[i];
			search_journal(&s, f, byline, nlines);
			free(byline);
		}
	}
	/* reading the files again reports nothing: ae check's business */
	diag_reset();
	if (res->n)
		qsort(res->v, res->n, sizeof(*res->v), cmp_hit);
	sb_release(&s.needle);
	sb_release(&s.tmp);
}

void find_result_release(struct find_result *res)
{
	free(res->v);
	arena_release(&res->arena);
	memset(res, 0, sizeof(*res));
}
