/* import_clients.c -- see import_clients.h */
#include "import_clients.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "editing.h"
#include "numbering.h"
#include "utf8.h"

/* Columns that are not fields of the format but parts of one. */
enum { P_CITY_CODE, P_NAME_CODE, P_CONTACT_NAME, P_CONTACT_TITLE, P_CONTACT_PHONE,
       P_CONTACT_EMAIL, P__N };
enum { T_UNKNOWN = -1, T_IGNORE = -2, T_AMBIGUOUS = -3 };

static const struct {
	const char *name;
	const char *aliases[5];		/* labels a sheet may use */
} parts[P__N] = {
	{ "city_code", { "城市代码" } },
	{ "name_code", { "名称代码", "客户简称" } },
	{ "contact_name", { "联系人姓名", "姓名" } },
	{ "contact_title", { "联系人职务", "职务", "职位" } },
	{ "contact_phone", { "联系人电话", "联系电话", "手机" } },
	{ "contact_email", { "联系人邮箱", "邮箱", "电子邮箱", "email", "e-mail" } },
};

/* s without leading and trailing blanks (ASCII, and the ideographic space). */
static char *trimmed(const char *s)
{
	size_t n = strlen(s);

	for (;;) {
		if (n && isspace((unsigned char)*s))
			s++, n--;
		else if (n >= 3 && !memcmp(s, "\xE3\x80\x80", 3))
			s += 3, n -= 3;
		else
			break;
	}
	for (;;) {
		if (n && isspace((unsigned char)s[n - 1]))
			n--;
		else if (n >= 3 && !memcmp(s + n - 3, "\xE3\x80\x80", 3))
			n -= 3;
		else
			break;
	}
	return xstrndup(s, n);
}

/* A header's words as a field name: lower case, spaces and dashes as '_'. */
static char *as_name(const char *s)
{
	char *n = xstrdup(s);

	for (char *p = n; *p; p++)
		*p = *p == ' ' || *p == '-' ? '_' : (char)tolower((unsigned char)*p);
	return n;
}

/*
 * The target of a column headed (or mapped to) `head`: a field by name,
 * else by label (T_AMBIGUOUS when two fields share it, as segment and
 * client_type share 客户类型), else a part; or T_UNKNOWN.
 */
static int target_of(const struct format *fmt, const char *head)
{
	char *name = as_name(head);
	int t = T_UNKNOWN;

	for (int f = 0; f < fmt->nfields && t == T_UNKNOWN; f++)
		if (!strcmp(name, fmt->fields[f].name))
			t = f;
	if (t != T_UNKNOWN)
		goto out;
	for (int f = 0; f < fmt->nfields; f++)
		if (fmt->fields[f].label && !strcmp(head, fmt->fields[f].label))
			t = t == T_UNKNOWN ? f : T_AMBIGUOUS;
	for (int p = 0; p < P__N && t == T_UNKNOWN; p++) {
		if (!strcmp(name, parts[p].name))
			t = fmt->nfields + p;
		for (int a = 0; a < 5 && parts[p].aliases[a] && t == T_UNKNOWN; a++)
			if (!strcmp(head, parts[p].aliases[a]) || !strcmp(name, parts[p].aliases[a]))
				t = fmt->nfields + p;
	}
out:
	free(name);
	return t;
}

static const char *target_name(const struct import *im, const struct format *fmt, int t)
{
	return t < im->nfields ? fmt->fields[t].name : parts[t - im->nfields].name;
}

/* The field or part name nearest to head, for "did you mean"; or NULL. */
static const char *nearest(const struct format *fmt, const char *head)
{
	const char **names = xcalloc((size_t)fmt->nfields + P__N, sizeof(*names));
	char *name = as_name(head);
	const char *best;
	int n = 0;

	for (int f = 0; f < fmt->nfields; f++)
		names[n++] = fmt->fields[f].name;
	for (int p = 0; p < P__N; p++)
		names[n++] = parts[p].name;
	best = nearest_word(name, names, (size_t)n);
	free(name);
	free(names);
	return best;
}

int import_map(struct import *im, const struct book *b, const struct csv *csv,
	       const char *shown, const struct import_opts *o)
{
	const struct format *fmt = &b->fmts.kinds[K_CLIENT];
	const struct csv_row *head = &csv->rows[0];
	char **heads = xcalloc((size_t)head->n + 1, sizeof(*heads));
	int ret = 0;

	memset(im, 0, sizeof(*im));
	im->shown = shown;
	im->nfields = fmt->nfields;
	im->ncols = head->n;
	im->target = xcalloc((size_t)head->n + 1, sizeof(*im->target));
	for (int c = 0; c < head->n; c++) {
		heads[c] = trimmed(head->cells[c]);
		im->target[c] = *heads[c] ? target_of(fmt, heads[c]) : T_IGNORE;
	}
	/* --map COLUMN=FIELD: COLUMN a header or a column number */
	for (int i = 0; i < o->nmap && !ret; i++) {
		const char *eq = strrchr(o->map[i], '=');
		char *raw, *col;
		int c = -1, t;

		if (!eq) {
			ret = 2;
			error("--map wants COLUMN=FIELD, not '%s'", o->map[i]);
			continue;
		}
		raw = xstrndup(o->map[i], (size_t)(eq - o->map[i]));
		col = trimmed(raw);
		free(raw);
		for (int k = 0; k < head->n && c < 0; k++)
			if (!strcmp(heads[k], col))
				c = k;
		if (c < 0 && *col && strspn(col, "0123456789") == strlen(col) && atoi(col) >= 1 &&
		    atoi(col) <= head->n)
			c = atoi(col) - 1;
		if (c < 0) {
			ret = 2;
			error("--map: no column '%s' in the header of '%s'", col, shown);
		} else if (!eq[1]) {
			im->target[c] = T_IGNORE;
		} else if ((t = target_of(fmt, eq + 1)) == T_AMBIGUOUS) {
			ret = 2;
			error("--map: '%s' is the label of more than one field; give the field's name", eq + 1);
		} else if (t == T_UNKNOWN) {
			const char *near = nearest(fmt, eq + 1);
			ret = 2;
			error("--map: '%s' is not a field of a client%s%s%s", eq + 1,
			      near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
		} else {
			im->target[c] = t;
		}
		free(col);
	}
	for (int c = 0; c < head->n && ret != 2; c++) {
		if (im->target[c] == T_AMBIGUOUS) {
			struct strbuf which = STRBUF_INIT;
			for (int f = 0; f < fmt->nfields; f++)
				if (fmt->fields[f].label && !strcmp(heads[c], fmt->fields[f].label))
					sb_addf(&which, "%s'%s'", which.len ? " and " : "", fmt->fields[f].name);
			diag_at(DIAG_ERROR, shown, head->row, c + 1, NULL,
				"the heading '%s' is the label of %s: say which with --map '%s=FIELD'",
				heads[c], which.buf, heads[c]);
			sb_release(&which);
			ret = 1;
			continue;
		}
		if (im->target[c] == T_UNKNOWN) {
			const char *near = nearest(fmt, heads[c]);
			diag_at(DIAG_ERROR, shown, head->row, c + 1, NULL,
				"unknown column '%s': not a client field nor its label%s%s%s; map it with --map '%s=FIELD', or leave it out with --map '%s='",
				heads[c], near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "",
				heads[c], heads[c]);
			ret = 1;
			continue;
		}
		for (int k = 0; k < c; k++)
			if (im->target[c] >= 0 && im->target[k] == im->target[c]) {
				diag_at(DIAG_ERROR, shown, head->row, c + 1, NULL,
					"column '%s' gives '%s', as column %d ('%s') does; map one of them elsewhere with --map",
					heads[c], target_name(im, fmt, im->target[c]), k + 1, heads[k]);
				ret = 1;
			}
	}
	im->n = csv->n - 1;
	im->rows = xcalloc(im->n + 1, sizeof(*im->rows));
	for (size_t i = 0; i < im->n; i++)
		im->rows[i].src = &csv->rows[i + 1];
	for (int c = 0; c < head->n; c++)
		free(heads[c]);
	free(heads);
	return ret;
}

static void row_diag(struct import_row *r, enum diag_level level, int col, const char *rule,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void row_diag(struct import_row *r, enum diag_level level, int col, const char *rule,
		     const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(r->diags, r->ndiags + 1, r->alloc_diags);
	r->diags[r->ndiags].level = level;
	r->diags[r->ndiags].col = col;
	r->diags[r->ndiags].rule = rule ? xstrdup(rule) : NULL;
	r->diags[r->ndiags].msg = sb_detach(&sb);
	r->ndiags++;
	if (level != DIAG_WARNING)
		r->bad = 1;
}

static void drop_record(struct import_row *r)
{
	free(r->id);
	free(r->path);
	free(r->text);
	free(r->line_col);
	free(r->name);
	r->id = r->path = r->text = r->name = NULL;
	r->line_col = NULL;
	r->nlines = 0;
}

/* What one row says: a value and its column for each field and part. */
struct cells {
	const char **val;		/* by target; owned strings in `own` */
	int *col;
	struct strlist own;
};

static const char *keep(struct cells *c, char *s)
{
	strlist_add_owned(&c->own, s);
	return s;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
			return 1;
	return 0;
}

/* The row's cells into c: 0, or -1 when the row has errors (kept). */
static int read_cells(struct import *im, const struct format *fmt, struct import_row *r,
		      struct cells *c)
{
	const struct csv_row *src = r->src;
	int bad = 0;

	for (int k = 0; k < src->n; k++) {
		int t = k < im->ncols ? im->target[k] : T_UNKNOWN;
		char *v = trimmed(src->cells[k]);

		if (!*v || t == T_IGNORE) {
			free(v);
			continue;
		}
		if (k >= im->ncols) {
			row_diag(r, DIAG_ERROR, k + 1, NULL,
				 "a cell beyond the header's %d columns: give the column a heading", im->ncols);
			bad = 1;
		} else if (has_control(v)) {
			row_diag(r, DIAG_ERROR, k + 1, NULL,
				 "a control character in the cell; a record is plain text");
			bad = 1;
		} else if (strchr(v, '\n') && (t >= im->nfields ? 1 : !ftype_multiline(fmt->fields[t].type))) {
			row_diag(r, DIAG_ERROR, k + 1, t < im->nfields ? fmt->fields[t].rule : "REC-1",
				 "a line break in '%s', which holds one line", target_name(im, fmt, t));
			bad = 1;
		} else {
			c->val[t] = keep(c, v);
			c->col[t] = k + 1;
			continue;
		}
		free(v);
	}
	return bad ? -1 : 0;
}

/* A client code's part: 2-3 capital letters, or 2-4 Chinese characters. */
static int code_like_city(const char *s)
{
	size_t n = strlen(s), k = 0;

	if (n >= 2 && n <= 3 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == n)
		return 1;
	for (size_t i = 0; i < n;) {
		int len;
		if (!utf8_is_han(utf8_decode(s + i, &len)))
			return 0;
		i += (size_t)len;
		k++;
	}
	return k >= 2 && k <= 4;
}

/*
 * The record's text, written as 'ae set' writes fields (edit.h), and the
 * sheet's column each of its lines came from: a field's key line and its
 * continuation lines its cell's, the section line none.
 */
static void render(struct import_row *r, const struct book *b, const struct format *fmt,
		   const struct cells *c, int id_col)
{
	struct strbuf text = STRBUF_INIT, next = STRBUF_INIT;
	size_t norder;
	const char **order = field_order(b, K_CLIENT, &norder);
	int line = 0, col = 0;

	sb_addf(&text, "[%s]\nid = %s\n", kind_names[K_CLIENT], r->id);
	for (int f = 0; f < fmt->nfields; f++) {
		if (!c->val[f] || !strcmp(fmt->fields[f].name, "id"))
			continue;
		sb_reset(&next);
		if (edit_set(&next, text.buf, text.len, fmt->fields[f].name, c->val[f], order, norder) > 0) {
			struct strbuf t = text;
			text = next;
			next = t;
		}
	}
	for (const char *s = text.buf; *s; line++) {
		const char *nl = strchr(s, '\n');
		size_t key = strcspn(s, " \t=:\n");

		if (line && *s != ' ' && *s != '\t') {
			char *name = xstrndup(s, key);
			int f = format_field(fmt, name);
			col = !strcmp(name, "id") ? id_col : f >= 0 ? c->col[f] : 0;
			free(name);
		}
		r->line_col = xrealloc(r->line_col, (size_t)(line + 2) * sizeof(*r->line_col));
		r->line_col[line + 1] = line ? col : 0;
		s = nl ? nl + 1 : s + strlen(s);
	}
	r->nlines = line;
	r->text = sb_detach(&text);
	sb_release(&next);
	free(order);
}

/* The defaults of 'ae new client'; the staff's department. */
static const char *default_of(const struct book *b, const struct import_opts *o,
			      struct cells *c, const char *field)
{
	const struct staff *st = config_staff(&b->cfg, o->me);
	char buf[20];

	if (!strcmp(field, "status"))
		return "prospect";
	if (!strcmp(field, "ae"))
		return o->me;
	if (!strcmp(field, "department"))
		return st ? st->dept : NULL;
	if (!strcmp(field, "strategy"))
		return "none";
	if (!strcmp(field, "segment"))
		return "standard";
	if (!strcmp(field, "first_contact")) {
		format_moment(buf, o->now);
		return keep(c, xstrndup(buf, 10));
	}
	return NULL;
}

/* One contact line of the contact_* columns, added to 'contacts'. */
static void compose_contact(struct import *im, const struct format *fmt, struct cells *c)
{
	int contacts = format_field(fmt, "contacts"), col = 0;
	const char *const *pv = c->val + im->nfields;
	struct strbuf sb = STRBUF_INIT;

	if (contacts < 0 || (!pv[P_CONTACT_NAME] && !pv[P_CONTACT_TITLE] &&
			     !pv[P_CONTACT_PHONE] && !pv[P_CONTACT_EMAIL]))
		return;
	for (int p = P_CONTACT_NAME; p <= P_CONTACT_EMAIL && !col; p++)
		col = c->col[im->nfields + p];
	if (c->val[contacts])
		sb_addf(&sb, "%s\n", c->val[contacts]);
	sb_addf(&sb, "%s, %s, %s", pv[P_CONTACT_NAME] ? pv[P_CONTACT_NAME] : "",
		pv[P_CONTACT_TITLE] ? pv[P_CONTACT_TITLE] : "",
		pv[P_CONTACT_PHONE] ? pv[P_CONTACT_PHONE] : "");
	if (pv[P_CONTACT_EMAIL])
		sb_addf(&sb, ", %s", pv[P_CONTACT_EMAIL]);
	c->val[contacts] = keep(c, sb_detach(&sb));
	if (!c->col[contacts])
		c->col[contacts] = col;
}

/* A code given in the 'id' column, before it names a file. */
static int safe_code(const char *id)
{
	return *id && *id != '.' && !strpbrk(id, "/\\ \t\n") && strlen(id) < 100;
}

/* The row's record, its code next in `used` when not given. */
static void build_row(struct import *im, const struct book *b, const struct import_opts *o,
		      struct strlist *used, struct import_row *r, size_t index)
{
	const struct format *fmt = &b->fmts.kinds[K_CLIENT];
	int ntargets = im->nfields + P__N, id_col = 0;
	struct cells c;
	int fid = format_field(fmt, "id"), fc = format_field(fmt, "first_contact");
	int fname = format_field(fmt, "name"), fcity = format_field(fmt, "city");

	c.val = xcalloc((size_t)ntargets, sizeof(*c.val));
	c.col = xcalloc((size_t)ntargets, sizeof(*c.col));
	memset(&c.own, 0, sizeof(c.own));
	if (read_cells(im, fmt, r, &c) < 0)
		goto out;
	compose_contact(im, fmt, &c);
	for (int f = 0; f < im->nfields; f++)
		if (!c.val[f] && f != fid)
			c.val[f] = default_of(b, o, &c, fmt->fields[f].name);
	if (fid >= 0 && c.val[fid]) {
		id_col = c.col[fid];
		if (!safe_code(c.val[fid])) {
			row_diag(r, DIAG_ERROR, id_col, "REC-2",
				 "'%s' cannot be a client code: a code names its file (no spaces, no '/', not starting with '.')",
				 c.val[fid]);
			goto out;
		}
		r->id = xstrdup(c.val[fid]);
		for (size_t i = 0; i < index; i++)
			if (im->rows[i].id && !strcmp(im->rows[i].id, r->id)) {
				row_diag(r, DIAG_ERROR, id_col, "REC-2",
					 "the code '%s' is also on row %d; a code is given once", r->id,
					 im->rows[i].src->row);
				goto out;
			}
		if (book_record(b, K_CLIENT, r->id)) {
			row_diag(r, DIAG_ERROR, id_col, "REC-2",
				 "client '%s' is in the book already; 'ae import' adds clients, 'ae set' changes one",
				 r->id);
			goto out;
		}
	} else {
		const char *city = c.val[im->nfields + P_CITY_CODE];
		const char *name = c.val[im->nfields + P_NAME_CODE];
		int day;

		if (!city && fcity >= 0 && c.val[fcity] && code_like_city(c.val[fcity]))
			city = c.val[fcity];
		if (!city || !name) {
			row_diag(r, DIAG_ERROR, 0, "REC-2",
				 "no client code: give the row an 'id' (客户代码) column, or a 'name_code' (名称代码, like COKE)%s",
				 city ? "" : " and a 'city_code' (城市代码, like SH), unless 'city' is 2-4 Chinese characters");
			goto out;
		}
		if (!fc || parse_date(c.val[fc], strlen(c.val[fc]), &day) != DATE_OK) {
			row_diag(r, DIAG_ERROR, fc >= 0 ? c.col[fc] : 0, "REC-2",
				 "'first_contact' is not a date YYYY-MM-DD: '%s'; the code carries its month",
				 fc >= 0 && c.val[fc] ? c.val[fc] : "");
			goto out;
		}
		if (!(r->id = next_client(used, city, name, day)))
			goto out;
		strlist_add(used, r->id);
		id_col = c.col[im->nfields + P_NAME_CODE];
	}
	r->path = xasprintf("%s/%s.ini", fmt->folder, r->id);
	r->name = xstrdup(fname >= 0 && c.val[fname] ? c.val[fname] : r->id);
	render(r, b, fmt, &c, id_col);
out:
	if (r->bad)
		drop_record(r);
	strlist_release(&c.own);
	free(c.val);
	free(c.col);
}

void import_build(struct import *im, const struct book *b,
		  const struct import_opts *o, const struct strlist *used)
{
	struct strlist mine = { 0 };

	for (size_t i = 0; i < used->n; i++)
		strlist_add(&mine, used->v[i]);
	for (size_t i = 0; i < im->n; i++) {
		drop_record(&im->rows[i]);
		if (!im->rows[i].bad)
			build_row(im, b, o, &mine, &im->rows[i], i);
	}
	strlist_release(&mine);
}

int import_trace(struct import *im, const struct diag_item *d)
{
	for (size_t i = 0; i < im->n; i++) {
		struct import_row *r = &im->rows[i];
		int col = 0;

		if (!r->path || strcmp(r->path, d->path))
			continue;
		if (d->line >= 1 && d->line <= r->nlines)
			col = r->line_col[d->line];
		row_diag(r, d->level, col, d->rule, "%s", d->msg);
		return 1;
	}
	return 0;
}

static void forget(struct import_row *r)
{
	for (size_t k = 0; k < r->ndiags; k++) {
		free(r->diags[k].rule);
		free(r->diags[k].msg);
	}
	r->ndiags = 0;
}

void import_forget_good(struct import *im)
{
	for (size_t i = 0; i < im->n; i++)
		if (!im->rows[i].bad)
			forget(&im->rows[i]);
}

void import_report(const struct import *im)
{
	for (size_t i = 0; i < im->n; i++)
		for (size_t k = 0; k < im->rows[i].ndiags; k++) {
			const struct row_diag *rd = &im->rows[i].diags[k];
			diag_at(rd->level, im->shown, im->rows[i].src->row, rd->col, rd->rule,
				"%s", rd->msg);
		}
}

void import_release(struct import *im)
{
	for (size_t i = 0; i < im->n; i++) {
		drop_record(&im->rows[i]);
		forget(&im->rows[i]);
		free(im->rows[i].diags);
	}
	free(im->rows);
	free(im->target);
	memset(im, 0, sizeof(*im));
}
