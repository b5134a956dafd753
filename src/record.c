/* record.c -- reading one record file: see book.h and record.h. */
#include "record.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "date.h"
#include "diag.h"
#include "inifile.h"
#include "pattern.h"
#include "pool.h"
#include "textfile.h"
#include "validate.h"

const struct rval *rec_val(const struct record *r, int field)
{
	int lo = 0, hi = r->nvals - 1;

	if (field < 0)
		return NULL;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (r->vals[mid].field == field)
			return &r->vals[mid];
		if (r->vals[mid].field < field)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

const char *rec_str(const struct record *r, int field)
{
	const struct rval *v = rec_val(r, field);

	return v ? rval_text(v) : NULL;
}

void rval_pos(const struct rval *v, int k, int *line, int *col)
{
	if (v->flags & RVAL_MULTI) {
		const int *count = (const int *)(const void *)rval_text(v) - 1;
		const int *pos = count - 2 * *count;
		if (k >= 0 && k < *count) {
			*line = pos[2 * k];
			*col = pos[2 * k + 1];
			return;
		}
	}
	*line = v->line;
	*col = v->col;
}

void rval_diag(int level, const char *path, const struct rval *v, const char *rule,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (v->flags & RVAL_PLAIN)
		diag_vat_plain((enum diag_level)level, path, v->line, v->col, rule, fmt, ap);
	else
		diag_vat((enum diag_level)level, path, v->line, v->col, rule, fmt, ap);
	va_end(ap);
}

/*
 * Whether the line of entry e is printable ASCII up to its value's first
 * byte (text[0..len) the file's): then the value's column in characters
 * is its column in bytes and in a terminal's cells.  The BOM of a first
 * line is not counted (e->start is past it), as columns are not.
 */
static int plain_before(const char *text, size_t len, const struct ini_entry *e)
{
	/* (a column past an rval's 16 bits is kept cut short: not plain) */
	if (e->start > e->vstart || e->vstart > len || e->col > 65535 ||
	    (size_t)e->col != e->vstart - e->start + 1)
		return 0;
	for (size_t i = e->start; i < e->vstart; i++)
		if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7E)
			return 0;
	return 1;
}

/* each thread's parse of the record at hand (pool.h) */
static struct scratch {
	struct arena a;
	char pad[POOL_LINE - sizeof(struct arena)];	/* pool.h: one cache line a thread */
} scratches[POOL_MAX];

static struct record *start_record(struct record *r, struct arena *a, const char *path, int kind)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".ini"))
		n -= 4;
	memset(r, 0, sizeof(*r));
	r->path = arena_strdup(a, path);
	r->id = arena_strndup(a, base, n);
	r->id_hash = hash_str(r->id, n);
	r->kind = (short)kind;
	return r;
}

static void describe_missing(const struct fieldspec *fd, const struct cond *c, int n,
			     const struct format *fmt, struct strbuf *sb)
{
	for (int i = 0; i < n; i++) {
		if (c[i].field < 0)
			continue;
		sb_addf(sb, "%s%s %s ", i ? " and " : " when ",
			fmt->fields[c[i].field].name, c[i].negate ? "is not" : "is");
		for (int k = 0; k < c[i].nvalues; k++)
			sb_addf(sb, "%s%s", k ? "/" : "", c[i].values[k]);
	}
	(void)fd;
}

/* A date or date-time value as a moment (a date at midnight); 0 if bad. */
static int order_value(const struct fieldspec *fd, const char *v, moment_t *m)
{
	int day;

	if (fd->type == FT_DATETIME)
		return parse_datetime(v, strlen(v), m) == DATE_OK;
	if (parse_date(v, strlen(v), &day) != DATE_OK)
		return 0;
	*m = (moment_t)day * 1440;
	return 1;
}

/*
 * A format's not_before (REC-1: signed, started, accepted in that order):
 * a date is compared by its day, two date-times by their moments; the
 * later field is the one reported.
 */
static void check_order(const struct format *fmt, const struct ini_entry **byfield,
			const char *path)
{
	for (int f = 0; f < fmt->nfields; f++) {
		const struct fieldspec *fd = &fmt->fields[f], *od;
		const struct ini_entry *e = byfield[f], *o;
		moment_t a, z;

		if (fd->not_before < 0 || !e || !*e->value || !(o = byfield[fd->not_before]) || !*o->value)
			continue;
		od = &fmt->fields[fd->not_before];
		if (!order_value(fd, e->value, &z) || !order_value(od, o->value, &a))
			continue;	/* reported as a bad date already */
		if (fd->type != od->type) {
			a -= a % 1440;
			z -= z % 1440;
		}
		if (z < a)
			diag_at(DIAG_ERROR, path, e->line, e->col, fd->rule,
				"'%s' %s is before '%s' %s; it must be on or after it",
				fd->name, e->value, od->name, o->value);
	}
}

void record_load(struct book *b, const char *path, int folder_kind, struct strbuf *buf)
{
	ALLOC_GROW(b->recs, b->nrecs + 1, b->alloc_recs);
	record_read(b, path, folder_kind, buf, &b->arena, &b->recs[b->nrecs++]);
}

void record_read(const struct book *b, const char *path, int folder_kind,
		 struct strbuf *buf, struct arena *strings, struct record *out)
{
	struct arena *scratch = &scratches[pool_slot()].a;
	struct ini_doc doc;
	const struct ini_entry **byfield = NULL;
	unsigned char *flagged = NULL;
	const struct format *fmt;
	struct record *r;
	size_t sec_index = 0;
	int kind = folder_kind, errors_before = (int)diag_count(DIAG_ERROR);
	struct vctx v;
	struct rval *vals;
	int nkept = 0;

	if (text_load(b->src, path, b->cfg.max_file_bytes, 0, buf) != 0) {
		r = start_record(out, strings, path, folder_kind);
		r->bad = 1;
		return;
	}
	arena_reset(scratch);
	ini_doc_parse(&doc, scratch, path, buf->buf, buf->len);

	/* exactly one section, naming the kind */
	if (doc.nsections == 0 || (doc.nsections == 1 && doc.sections[0].line == 0 &&
				   !*doc.sections[0].name)) {
		diag_at(DIAG_ERROR, path, 1, 1, "USE-1",
			"no kind section: a %s record starts with a line [%s]",
			kind_names[folder_kind], kind_names[folder_kind]);
		goto stub;
	}
	if (doc.sections[0].line == 0) {
		const struct ini_entry *e = &doc.entries[doc.sections[0].first];
		diag_at(DIAG_ERROR, path, e->line, e->key_col, "USE-1",
			"'%s' comes before the kind section; move it below [%s]", e->key,
			doc.nsections > 1 ? doc.sections[1].name : kind_names[folder_kind]);
		sec_index = 1;
	}
	for (size_t s = sec_index + 1; s < doc.nsections; s++)
		diag_at(DIAG_ERROR, path, doc.sections[s].line, doc.sections[s].col, "USE-1",
			"a second section [%s]: a record file holds one record of one kind (first [%s] on line %d)",
			doc.sections[s].name, doc.sections[sec_index].name, doc.sections[sec_index].line);
	{
		const struct ini_section *sec = &doc.sections[sec_index];
		int k = kind_from_name(sec->name);
		if (sec->bad) {
			/* the header's problem is reported already */
		} else if (k < 0) {
			const char *near = nearest_word(sec->name, kind_names, K__N);
			diag_at(DIAG_ERROR, path, sec->line, sec->col, "USE-1",
				"unknown record kind [%s]%s%s%s (a file in %s/ holds a [%s])",
				sec->name, near ? "; did you mean [" : "", near ? near : "",
				near ? "]?" : "", b->fmts.kinds[folder_kind].folder,
				kind_names[folder_kind]);
		} else if (k != folder_kind) {
			diag_at(DIAG_ERROR, path, sec->line, sec->col, "USE-1",
				"a [%s] record in %s/: move it to %s/ or correct the section",
				sec->name, b->fmts.kinds[folder_kind].folder,
				b->fmts.kinds[k].folder);
			kind = k;	/* judge it as what it says it is */
		}
	}
	fmt = &b->fmts.kinds[kind];
	r = start_record(out, strings, path, kind);
	r->line = doc.sections[sec_index].line;
	byfield = xcalloc((size_t)fmt->nfields + 1, sizeof(*byfield));
	flagged = xcalloc((size_t)fmt->nfields + 1, 1);
	{
		const struct ini_section *sec = &doc.sections[sec_index];
		const char **names = xmalloc(sizeof(*names) * ((size_t)fmt->nfields + 1));
		for (int i = 0; i < fmt->nfields; i++)
			names[i] = fmt->fields[i].name;
		for (size_t i = sec->first; i < sec->first + sec->count; i++) {
			const struct ini_entry *e = &doc.entries[i];
			int f = format_field(fmt, e->key);
			if (f < 0) {
				const char *near = nearest_word(e->key, names, (size_t)fmt->nfields);
				if (near)
					diag_at(DIAG_ERROR, path, e->line, e->key_col, fmt->rule,
						"unknown field '%s' in a %s record; did you mean '%s'?",
						e->key, kind_names[kind], near);
				else
					diag_at(DIAG_ERROR, path, e->line, e->key_col, fmt->rule,
						"unknown field '%s' in a %s record (see docs/ae-%s.5.md for its fields)",
						e->key, kind_names[kind], kind_names[kind]);
				continue;
			}
			byfield[f] = e;
			if (*e->value)
				nkept++;
		}
		free(names);
	}

	/* a label (市内) is read as its value (in-city): rules compare values */
	format_canonical_entries(fmt, byfield, scratch);

	/* the format's [check] rules come first: their message is the precise one */
	for (int i = 0; i < fmt->nchecks; i++) {
		const struct checkspec *ck = &fmt->checks[i];
		const struct ini_entry *e = ck->field >= 0 ? byfield[ck->field] : NULL;
		int bad = 0;
		if (!e || !*e->value || !conds_hold(ck->conds, ck->nconds, byfield))
			continue;
		/* bad: 0 fine (or a dropped pattern: not checked), 1 failed
		 * the check, 2 a pattern is too costly for this value */
		const struct pattern *costly = NULL;
		if (ck->pattern) {
			int m = pattern_match(ck->pattern, e->value, strlen(e->value));
			bad = m == PM_NOMATCH ? 1 : m == PM_LIMIT ? 2 : 0;
			costly = ck->pattern;
		}
		if (!bad && ck->reject) {
			int m = pattern_match(ck->reject, e->value, strlen(e->value));
			bad = m == PM_MATCH ? 1 : m == PM_LIMIT ? 2 : 0;
			costly = ck->reject;
		}
		if (bad == 2) {
			diag_at(DIAG_ERROR, path, e->line, e->col, "SEC-2",
				"the pattern of check '%s' (%s) is too costly for this value: it is not checked; simplify the pattern",
				ck->name, pattern_origin(costly));
			flagged[ck->field] = 1;
		} else if (bad) {
			diag_at((enum diag_level)ck->level, path, e->line, e->col, ck->rule,
				"'%s': %s (got '%s')", e->key,
				ck->message ? ck->message : ck->name, e->value);
			flagged[ck->field] = 1;
		}
	}
	v.cfg = &b->cfg;
	v.fmt = fmt;
	v.path = path;
	v.errors = 0;
	for (int f = 0; f < fmt->nfields; f++) {
		const struct fieldspec *fd = &fmt->fields[f];
		const struct ini_entry *e = byfield[f];
		int need = fd->required ||
			   (fd->nreq_if && conds_hold(fd->req_if, fd->nreq_if, byfield));

		if (e && *e->value) {
			validate_field(&v, fd, e, flagged[f]);
		} else if (need) {
			struct strbuf why = STRBUF_INIT;
			if (!fd->required)
				describe_missing(fd, fd->req_if, fd->nreq_if, fmt, &why);
			if (e)
				diag_at(DIAG_ERROR, path, e->line, e->col, fd->rule,
					"'%s'%s%s%s is empty; it is required%s", fd->name,
					fd->label ? " (" : "", fd->label ? fd->label : "",
					fd->label ? ")" : "", why.len ? why.buf : "");
			else
				diag_at(DIAG_ERROR, path, r->line, 1, fd->rule,
					"missing required field '%s'%s%s%s%s", fd->name,
					fd->label ? " (" : "", fd->label ? fd->label : "",
					fd->label ? ")" : "", why.len ? why.buf : "");
			sb_release(&why);
		}
	}
	check_order(fmt, byfield, path);
	{
		int f = format_field(fmt, "id");
		const struct ini_entry *e = f >= 0 ? byfield[f] : NULL;
		if (e && *e->value && strcmp(e->value, r->id))
			diag_at(DIAG_ERROR, path, e->line, e->col, "USE-1",
				"id '%s' differs from the file name '%s.ini'; they must be the same (rename the file or correct the id)",
				e->value, r->id);
	}

	/* keep what later rules read: everything but prose */
	nkept = 0;
	for (int f = 0; f < fmt->nfields && f < 256; f++)
		if (byfield[f] && *byfield[f]->value && fmt->fields[f].type != FT_PROSE)
			nkept++;
	vals = arena_alloc_align(strings, sizeof(*vals) * (size_t)(nkept ? nkept : 1), 8);
	r->vals = vals;
	for (int f = 0; f < fmt->nfields && f < 256; f++) {
		const struct ini_entry *e = byfield[f];
		struct rval *rv;
		size_t len;
		if (!e || !*e->value || fmt->fields[f].type == FT_PROSE)
			continue;
		rv = &vals[r->nvals++];
		rv->field = (unsigned char)f;
		rv->line = e->line;
		rv->col = (unsigned short)(e->col > 65535 ? 65535 : e->col);
		rv->flags = (e->nlines > 1 ? RVAL_MULTI : 0) |
			    (plain_before(buf->buf, buf->len, e) ? RVAL_PLAIN : 0);
		len = strlen(e->value);
		if (rv->flags & RVAL_MULTI) {
			/* [line, col] per line, the count, then the text */
			int *block = arena_alloc_align(strings,
						       sizeof(int) * (2 * (size_t)e->nlines + 1) + len + 1, 4);
			for (int k = 0; k < e->nlines; k++) {
				block[2 * k] = e->vline[k];
				block[2 * k + 1] = e->vcol[k];
			}
			block[2 * e->nlines] = e->nlines;
			memcpy(block + 2 * e->nlines + 1, e->value, len + 1);
			rval_set_text(rv, (const char *)(block + 2 * e->nlines + 1));
		} else {
			rval_set_text(rv, arena_strndup(strings, e->value, len));
		}
	}
	r->bad = (int)diag_count(DIAG_ERROR) != errors_before;
	free(byfield);
	free(flagged);
	ini_doc_release(&doc);
	return;
stub:
	r = start_record(out, strings, path, folder_kind);
	r->bad = 1;
	ini_doc_release(&doc);
}
