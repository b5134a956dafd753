/* format.c -- see format.h */
#include "format.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "inifile.h"
#include "pattern.h"
#include "textfile.h"

#ifndef AE_DATADIR
#define AE_DATADIR "/usr/local/share/ae"
#endif

const char *const ftype_names[FT__N] = {
	"text", "prose", "lines", "date", "datetime", "time", "enum", "bool",
	"int", "number", "money", "phone", "email", "list", "staff",
	"staff-list", "department", "client", "job", "meeting", "contact",
	"complaint", "actions"
};

int ftype_ref_kind(enum ftype t)
{
	switch (t) {
	case FT_CLIENT: return K_CLIENT;
	case FT_JOB: return K_JOB;
	case FT_MEETING: return K_MEETING;
	case FT_CONTACT: return K_CONTACT;
	case FT_COMPLAINT: return K_COMPLAINT;
	default: return -1;
	}
}

int ftype_multiline(enum ftype t)
{
	return t == FT_PROSE || t == FT_LINES || t == FT_ACTIONS;
}

static const char *const field_keys[] = {
	"type", "required", "required_if", "pattern", "reject", "message",
	"min", "max", "values", "labels", "unique", "rule", "label", "help",
	"filler", "not_before", "written_by"
};
static const char *const check_keys[] = {
	"field", "if", "pattern", "reject", "message", "rule", "level"
};
static const char *const kind_keys[] = { "name", "folder", "id", "rule", "label" };
static const char *const verb_keys[] = { "pattern", "usage", "rule" };
static const char *const group_keys[] = { "values", "labels" };

struct fstate {
	struct formats *f;
	const struct ini_doc *doc;
	const char *path;
	int errors;
};

static void ferr(struct fstate *fs, const struct ini_entry *e, int line, int col,
		 const char *fmt, const char *a, const char *b)
{
	diag_at(DIAG_ERROR, fs->path, e ? e->line : line, e ? e->col : col, "USE-1",
		fmt, a, b);
	fs->errors++;
}

static const char *fstr(struct fstate *fs, const char *s)
{
	return arena_strdup(&fs->f->arena, s);
}

static int valid_rule_id(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");

	return n > 0 && s[n] == '-' && s[n + 1] && strspn(s + n + 1, "0123456789") == strlen(s + n + 1);
}

static struct pattern *fpattern(struct fstate *fs, const struct ini_entry *e)
{
	const char *err;
	int ecol;
	struct pattern *p = pattern_compile(e->value, &err, &ecol);

	if (!p) {
		diag_at(DIAG_ERROR, fs->path, e->line, e->col + ecol - 1, "USE-1",
			"bad pattern in '%s': %s", e->key, err);
		fs->errors++;
	} else {
		pattern_set_origin(p, fs->path, e->line, e->col);
	}
	return p;
}

static void check_known(struct fstate *fs, size_t s, const char *const *known,
			size_t n, const char *what)
{
	const struct ini_section *sec = &fs->doc->sections[s];

	for (size_t i = sec->first; i < sec->first + sec->count; i++) {
		const struct ini_entry *e = &fs->doc->entries[i];
		int ok = 0;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(e->key, known[k]))
				ok = 1;
		if (!ok) {
			const char *near = nearest_word(e->key, known, n);
			char hint[96] = "";
			if (near)
				snprintf(hint, sizeof(hint), "; did you mean '%s'?", near);
			diag_at(DIAG_ERROR, fs->path, e->line, e->key_col, "USE-1",
				"unknown key '%s' in a %s section%s", e->key, what, hint);
			fs->errors++;
		}
	}
}

/* Split "a, b|c" on commas and bars into arena words. */
static int split_words(struct fstate *fs, const char *v, const char ***out)
{
	char *dup = xstrdup(v), *save = NULL;
	const char **words = NULL;
	int n = 0;

	for (char *w = strtok_r(dup, ",| \t\n", &save); w; w = strtok_r(NULL, ",| \t\n", &save)) {
		words = xrealloc(words, sizeof(*words) * (size_t)(n + 1));
		words[n++] = fstr(fs, w);
	}
	free(dup);
	if (n) {
		const char **a = arena_alloc(&fs->f->arena, sizeof(*a) * (size_t)n);
		memcpy(a, words, sizeof(*a) * (size_t)n);
		*out = a;
	} else {
		*out = NULL;
	}
	free(words);
	return n;
}

/*
 * Conditions "f=a|b & g!=c".  Field names are resolved later, when all
 * fields of the format are known; until then cond.field holds -1 and the
 * name is kept in values[-1]... simpler: we keep names aside.
 */
struct pending_cond {
	struct cond *conds;
	int n;
	const char **names;
	const char *path;
	int line, col;
};

static int parse_conds(struct fstate *fs, const struct ini_entry *e,
		       struct cond **out, const char ***names_out)
{
	char *dup = xstrdup(e->value), *save = NULL;
	struct cond *conds = NULL;
	const char **names = NULL;
	int n = 0;

	for (char *part = strtok_r(dup, "&", &save); part; part = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(part, '='), *name = part, *end;
		int negate = 0;

		if (!eq) {
			ferr(fs, e, 0, 0, "condition '%s' must be FIELD=VALUE[|VALUE...]%s", part, "");
			continue;
		}
		if (eq > part && eq[-1] == '!') {
			negate = 1;
			eq[-1] = '\0';
		}
		*eq = '\0';
		while (*name == ' ')
			name++;
		end = name + strlen(name);
		while (end > name && end[-1] == ' ')
			*--end = '\0';
		conds = xrealloc(conds, sizeof(*conds) * (size_t)(n + 1));
		names = xrealloc(names, sizeof(*names) * (size_t)(n + 1));
		conds[n].field = -1;
		conds[n].negate = negate;
		conds[n].nvalues = split_words(fs, eq + 1, &conds[n].values);
		names[n] = fstr(fs, name);
		n++;
	}
	free(dup);
	if (n) {
		*out = arena_alloc(&fs->f->arena, sizeof(**out) * (size_t)n);
		memcpy(*out, conds, sizeof(*conds) * (size_t)n);
		*names_out = arena_alloc(&fs->f->arena, sizeof(**names_out) * (size_t)n);
		memcpy(*names_out, names, sizeof(*names) * (size_t)n);
	}
	free(conds);
	free(names);
	return n;
}

static struct {
	struct pending_cond *v;
	size_t n, alloc;
} pending;

static void add_pending(struct cond *c, int n, const char **names,
			const struct ini_entry *e, const char *path)
{
	ALLOC_GROW(pending.v, pending.n + 1, pending.alloc);
	pending.v[pending.n].conds = c;
	pending.v[pending.n].n = n;
	pending.v[pending.n].names = names;
	pending.v[pending.n].path = path;
	pending.v[pending.n].line = e->line;
	pending.v[pending.n].col = e->col;
	pending.n++;
}

/*
 * Labels are resolved against the values once every file of a kind is
 * read, since an overlay may give the labels, the values or both.
 */
struct pending_label {
	int field;		/* index into the kind's fields, or the grammar's groups */
	const char *text, *path;
	int line, col;
};

static struct {
	struct pending_label *v;
	size_t n, alloc;
} pending_labels;

static void add_pending_labels(struct fstate *fs, int field, const struct ini_entry *e)
{
	for (size_t i = 0; i < pending_labels.n; i++)
		if (pending_labels.v[i].field == field)
			pending_labels.v[i].field = -1;	/* replaced by the overlay */
	ALLOC_GROW(pending_labels.v, pending_labels.n + 1, pending_labels.alloc);
	pending_labels.v[pending_labels.n].field = field;
	pending_labels.v[pending_labels.n].text = fstr(fs, e->value);
	pending_labels.v[pending_labels.n].path = fstr(fs, fs->path);
	pending_labels.v[pending_labels.n].line = e->line;
	pending_labels.v[pending_labels.n].col = e->col;
	pending_labels.n++;
}

static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

/*
 * "in-city = 市内 | 本市, out-of-town = 市外" against values: the labels,
 * in the arena; problems reported at pl.  Returns their number.
 */
static int parse_labels(struct formats *f, const struct pending_label *pl, const char *what,
			const char **values, int nvalues, struct label **out)
{
	struct label *v = NULL;
	int n = 0;
	const char *s = pl->text;

	*out = NULL;
	if (!nvalues) {
		diag_at(DIAG_ERROR, pl->path, pl->line, pl->col, "USE-1",
			"labels of %s need its values: give 'values' too", what);
		return 0;
	}
	while (*s) {
		size_t len = 0;
		char *part, *eq;
		while (s[len] && s[len] != ',' && strncmp(s + len, "，", 3))
			len++;
		part = trimmed(s, len);
		s += len;
		s += *s == ',' ? 1 : *s ? 3 : 0;
		eq = strchr(part, '=');
		if (!*part) {
			free(part);
			continue;
		}
		if (!eq) {
			diag_at(DIAG_ERROR, pl->path, pl->line, pl->col, "USE-1",
				"labels of %s are VALUE=LABEL[|LABEL...], separated by commas; not '%s'", what, part);
			free(part);
			continue;
		}
		{
			char *value = trimmed(part, (size_t)(eq - part)), *save = NULL;
			int idx = enum_lookup(values, nvalues, NULL, 0, value, strlen(value));
			if (idx < 0) {
				const char *near = nearest_word(value, values, (size_t)nvalues);
				diag_at(DIAG_ERROR, pl->path, pl->line, pl->col, "USE-1",
					"labels of %s name '%s', which is not one of its values%s%s%s",
					what, value, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
			}
			for (char *w = strtok_r(eq + 1, "|", &save); w && idx >= 0; w = strtok_r(NULL, "|", &save)) {
				char *label = trimmed(w, strlen(w));
				int other = enum_lookup(values, nvalues, v, n, label, strlen(label));
				if (!*label)
					diag_at(DIAG_ERROR, pl->path, pl->line, pl->col, "USE-1",
						"an empty label of '%s' in %s", value, what);
				else if (other >= 0 && other != idx)
					diag_at(DIAG_ERROR, pl->path, pl->line, pl->col, "USE-1",
						"label '%s' of %s would name both '%s' and '%s'", label, what,
						values[other], values[idx]);
				else if (other < 0) {
					v = xrealloc(v, sizeof(*v) * (size_t)(n + 1));
					v[n].text = arena_strdup(&f->arena, label);
					v[n++].value = idx;
				}
				free(label);
			}
			free(value);
		}
		free(part);
	}
	if (n) {
		*out = arena_alloc(&f->arena, sizeof(**out) * (size_t)n);
		memcpy(*out, v, sizeof(*v) * (size_t)n);
	}
	free(v);
	return n;
}

static void resolve_labels(struct formats *f, struct format *fmt, struct journal_grammar *jg)
{
	for (size_t i = 0; i < pending_labels.n; i++) {
		const struct pending_label *pl = &pending_labels.v[i];
		char what[160];
		if (pl->field < 0)
			continue;
		if (fmt) {
			struct fieldspec *fd = &fmt->fields[pl->field];
			snprintf(what, sizeof(what), "field '%.100s'", fd->name);
			fd->nlabels = parse_labels(f, pl, what, fd->values, fd->nvalues, &fd->labels);
		} else {
			struct groupspec *gs = &jg->groups[pl->field];
			snprintf(what, sizeof(what), "group '%.100s'", gs->name);
			gs->nlabels = parse_labels(f, pl, what, gs->values, gs->nvalues, &gs->labels);
		}
	}
	pending_labels.n = 0;
}

static long parse_long(const char *s, int *ok)
{
	char *end;
	long v = strtol(s, &end, 10);

	*ok = *s && !*end;
	return v;
}

static void apply_field(struct fstate *fs, struct format *fmt, size_t s,
			const char *name)
{
	const struct ini_section *sec = &fs->doc->sections[s];
	int idx = format_field(fmt, name);
	struct fieldspec *fd;
	const struct ini_entry *e;
	int ok;

	check_known(fs, s, field_keys, ARRAY_SIZE(field_keys), "[field]");
	if (idx < 0 && fmt->nfields >= 250) {
		ferr(fs, NULL, sec->line, sec->col, "too many fields in one kind (at most 250): '%s'%s", name, "");
		return;
	}
	if (idx < 0) {
		if (!ini_find(fs->doc, s, "type")) {
			ferr(fs, NULL, sec->line, sec->col,
			     "field '%s' needs a type (text, prose, date, enum ...)%s", name, "");
			return;
		}
		if (fmt->nfields + 1 > fmt->alloc_fields) {
			fmt->alloc_fields = fmt->alloc_fields ? fmt->alloc_fields * 2 : 32;
			fmt->fields = xrealloc(fmt->fields, sizeof(*fmt->fields) * (size_t)fmt->alloc_fields);
		}
		idx = fmt->nfields++;
		fd = &fmt->fields[idx];
		memset(fd, 0, sizeof(*fd));
		fd->name = fstr(fs, name);
		fd->rule = "USE-1";
		fd->not_before = -1;
		strmap_put(&fmt->by_name, fd->name, (void *)(long)(idx + 1));
	}
	fd = &fmt->fields[idx];
	fd->def_path = fstr(fs, fs->path);
	fd->def_line = sec->line;
	if ((e = ini_find(fs->doc, s, "type"))) {
		int t = -1;
		for (int k = 0; k < FT__N; k++)
			if (!strcmp(e->value, ftype_names[k]))
				t = k;
		if (t < 0) {
			const char *near = nearest_word(e->value, ftype_names, FT__N);
			ferr(fs, e, 0, 0, "unknown type '%s'%s", e->value,
			     near ? "; see docs/ae-formats.5.md for the types" : "");
		} else {
			fd->type = (enum ftype)t;
		}
	}
	if ((e = ini_find(fs->doc, s, "required"))) {
		if (!strcmp(e->value, "yes"))
			fd->required = 1;
		else if (!strcmp(e->value, "no"))
			fd->required = 0;
		else
			ferr(fs, e, 0, 0, "required must be 'yes' or 'no', not '%s'%s", e->value, "");
	}
	if ((e = ini_find(fs->doc, s, "written_by"))) {
		if (!strcmp(e->value, "ae"))
			fd->written_by_ae = 1;
		else
			ferr(fs, e, 0, 0, "written_by must be 'ae' (a field only ae writes), not '%s'%s", e->value,
			     "");
	}
	if ((e = ini_find(fs->doc, s, "required_if"))) {
		const char **names = NULL;
		fd->nreq_if = parse_conds(fs, e, &fd->req_if, &names);
		if (fd->nreq_if)
			add_pending(fd->req_if, fd->nreq_if, names, e, fstr(fs, fs->path));
	}
	if ((e = ini_find(fs->doc, s, "pattern"))) {
		pattern_free(fd->pattern);
		fd->pattern = fpattern(fs, e);
	}
	if ((e = ini_find(fs->doc, s, "reject"))) {
		pattern_free(fd->reject);
		fd->reject = fpattern(fs, e);
	}
	if ((e = ini_find(fs->doc, s, "message")))
		fd->message = fstr(fs, e->value);
	if ((e = ini_find(fs->doc, s, "min"))) {
		fd->min = parse_long(e->value, &ok);
		fd->has_min = ok;
		if (!ok)
			ferr(fs, e, 0, 0, "min must be a whole number, not '%s'%s", e->value, "");
	}
	if ((e = ini_find(fs->doc, s, "max"))) {
		fd->max = parse_long(e->value, &ok);
		fd->has_max = ok;
		if (!ok)
			ferr(fs, e, 0, 0, "max must be a whole number, not '%s'%s", e->value, "");
	}
	if ((e = ini_find(fs->doc, s, "values")))
		fd->nvalues = split_words(fs, e->value, &fd->values);
	if ((e = ini_find(fs->doc, s, "labels")))
		add_pending_labels(fs, idx, e);
	if ((e = ini_find(fs->doc, s, "unique"))) {
		if (!strcmp(e->value, "no"))
			fd->unique = 0;
		else if (!strcmp(e->value, "warning"))
			fd->unique = DIAG_WARNING;
		else if (!strcmp(e->value, "error") || !strcmp(e->value, "yes"))
			fd->unique = DIAG_ERROR;
		else
			ferr(fs, e, 0, 0, "unique must be no, warning or error, not '%s'%s", e->value, "");
	}
	if ((e = ini_find(fs->doc, s, "rule"))) {
		if (!valid_rule_id(e->value))
			ferr(fs, e, 0, 0, "rule '%s' is not a rule ID like REC-2%s", e->value, "");
		else
			fd->rule = fstr(fs, e->value);
	}
	if ((e = ini_find(fs->doc, s, "label")))
		fd->label = fstr(fs, e->value);
	if ((e = ini_find(fs->doc, s, "filler"))) {
		long n = parse_long(e->value, &ok);
		if (!ok || n < 0 || n > 100)
			ferr(fs, e, 0, 0, "filler must be a number of characters from 0 to 100, not '%s'%s",
			     e->value, "");
		else
			fd->filler = (int)n;
	}
	if ((e = ini_find(fs->doc, s, "not_before"))) {
		/* resolved once every file of the kind is read: an overlay may add it */
		fd->not_before_name = *e->value ? fstr(fs, e->value) : NULL;
		fd->not_before_line = e->line;
		fd->not_before_col = e->col;
		fd->not_before_path = fstr(fs, fs->path);
	}
	if (fd->type == FT_ENUM && fd->nvalues == 0)
		ferr(fs, NULL, sec->line, sec->col, "enum field '%s' needs 'values'%s", name, "");
}

static void apply_check(struct fstate *fs, struct format *fmt, size_t s,
			const char *name)
{
	const struct ini_section *sec = &fs->doc->sections[s];
	struct checkspec *ck = NULL;
	const struct ini_entry *e;

	check_known(fs, s, check_keys, ARRAY_SIZE(check_keys), "[check]");
	for (int i = 0; i < fmt->nchecks; i++)
		if (!strcmp(fmt->checks[i].name, name))
			ck = &fmt->checks[i];
	if (!ck) {
		if (fmt->nchecks + 1 > fmt->alloc_checks) {
			fmt->alloc_checks = fmt->alloc_checks ? fmt->alloc_checks * 2 : 8;
			fmt->checks = xrealloc(fmt->checks, sizeof(*fmt->checks) * (size_t)fmt->alloc_checks);
		}
		ck = &fmt->checks[fmt->nchecks++];
		memset(ck, 0, sizeof(*ck));
		ck->name = fstr(fs, name);
		ck->field = -1;
		ck->level = DIAG_ERROR;
		ck->rule = "USE-1";
	}
	ck->def_path = fstr(fs, fs->path);
	ck->def_line = sec->line;
	if ((e = ini_find(fs->doc, s, "field"))) {
		ck->field = format_field(fmt, e->value);
		if (ck->field < 0)
			ferr(fs, e, 0, 0, "check '%s' names unknown field '%s'", name, e->value);
	} else if (ck->field < 0) {
		ferr(fs, NULL, sec->line, sec->col, "check '%s' needs 'field'%s", name, "");
	}
	if ((e = ini_find(fs->doc, s, "if"))) {
		const char **names = NULL;
		ck->nconds = parse_conds(fs, e, &ck->conds, &names);
		if (ck->nconds)
			add_pending(ck->conds, ck->nconds, names, e, fstr(fs, fs->path));
	}
	if ((e = ini_find(fs->doc, s, "pattern"))) {
		pattern_free(ck->pattern);
		ck->pattern = fpattern(fs, e);
	}
	if ((e = ini_find(fs->doc, s, "reject"))) {
		pattern_free(ck->reject);
		ck->reject = fpattern(fs, e);
	}
	if ((e = ini_find(fs->doc, s, "message")))
		ck->message = fstr(fs, e->value);
	if ((e = ini_find(fs->doc, s, "rule"))) {
		if (!valid_rule_id(e->value))
			ferr(fs, e, 0, 0, "rule '%s' is not a rule ID like REC-8%s", e->value, "");
		else
			ck->rule = fstr(fs, e->value);
	}
	if ((e = ini_find(fs->doc, s, "level"))) {
		if (!strcmp(e->value, "warning"))
			ck->level = DIAG_WARNING;
		else if (!strcmp(e->value, "error"))
			ck->level = DIAG_ERROR;
		else
			ferr(fs, e, 0, 0, "level must be 'error' or 'warning', not '%s'%s", e->value, "");
	}
	if (!ck->pattern && !ck->reject)
		ferr(fs, NULL, sec->line, sec->col, "check '%s' needs 'pattern' or 'reject'%s", name, "");
}

static const char *section_arg(const char *name, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(name, word, n) || name[n] != ' ')
		return NULL;
	name += n;
	while (*name == ' ')
		name++;
	return *name ? name : NULL;
}

static void apply_kind_file(struct fstate *fs, struct format *fmt)
{
	const struct ini_doc *doc = fs->doc;

	for (size_t s = 0; s < doc->nsections; s++) {
		const struct ini_section *sec = &doc->sections[s];
		const char *arg;
		const struct ini_entry *e;

		if (!strcmp(sec->name, "kind")) {
			check_known(fs, s, kind_keys, ARRAY_SIZE(kind_keys), "[kind]");
			if ((e = ini_find(doc, s, "name")) && strcmp(e->value, kind_names[fmt->kind]))
				ferr(fs, e, 0, 0, "this file describes kind '%s', not '%s'",
				     kind_names[fmt->kind], e->value);
			if ((e = ini_find(doc, s, "folder"))) {
				if (strchr(e->value, '/') || e->value[0] == '.' || !*e->value)
					ferr(fs, e, 0, 0, "folder '%s' must be one folder name at the book's top%s", e->value, "");
				else
					fmt->folder = fstr(fs, e->value);
			}
			if ((e = ini_find(doc, s, "label")))
				fmt->label = fstr(fs, e->value);
			if ((e = ini_find(doc, s, "rule")) && valid_rule_id(e->value))
				fmt->rule = fstr(fs, e->value);
		} else if ((arg = section_arg(sec->name, "field"))) {
			apply_field(fs, fmt, s, arg);
		} else if ((arg = section_arg(sec->name, "check"))) {
			apply_check(fs, fmt, s, arg);
		} else {
			ferr(fs, NULL, sec->line, sec->col,
			     "unknown section [%s]; a format has [kind], [field NAME] and [check NAME]%s",
			     sec->name, "");
		}
	}
}

static void apply_journal_file(struct fstate *fs, struct journal_grammar *jg)
{
	const struct ini_doc *doc = fs->doc;

	for (size_t s = 0; s < doc->nsections; s++) {
		const struct ini_section *sec = &doc->sections[s];
		const char *arg;
		const struct ini_entry *e;

		if (!strcmp(sec->name, "journal")) {
			static const char *const jk[] = { "line" };
			check_known(fs, s, jk, 1, "[journal]");
			if ((e = ini_find(doc, s, "line"))) {
				struct pattern *p = fpattern(fs, e);
				if (p) {
					static const char *const need[] = { "date", "time", "who", "verb", "rest" };
					for (size_t k = 0; k < ARRAY_SIZE(need); k++)
						if (!pattern_has_group(p, need[k]))
							ferr(fs, e, 0, 0, "the journal line pattern needs a group (?<%s>...)%s",
							     need[k], "");
					pattern_free(jg->line);
					jg->line = p;
				}
			}
		} else if ((arg = section_arg(sec->name, "verb"))) {
			struct verbspec *v = NULL;
			check_known(fs, s, verb_keys, ARRAY_SIZE(verb_keys), "[verb]");
			for (int i = 0; i < jg->nverbs; i++)
				if (!strcmp(jg->verbs[i].name, arg))
					v = &jg->verbs[i];
			if (!v) {
				if (jg->nverbs + 1 > jg->alloc_verbs) {
					jg->alloc_verbs = jg->alloc_verbs ? jg->alloc_verbs * 2 : 8;
					jg->verbs = xrealloc(jg->verbs, sizeof(*jg->verbs) * (size_t)jg->alloc_verbs);
				}
				v = &jg->verbs[jg->nverbs++];
				memset(v, 0, sizeof(*v));
				v->name = fstr(fs, arg);
				v->rule = "USE-1";
			}
			if ((e = ini_find(doc, s, "pattern"))) {
				pattern_free(v->pattern);
				v->pattern = fpattern(fs, e);
			}
			if ((e = ini_find(doc, s, "usage")))
				v->usage = fstr(fs, e->value);
			if ((e = ini_find(doc, s, "rule")) && valid_rule_id(e->value))
				v->rule = fstr(fs, e->value);
			if (!v->pattern && !ini_find(doc, s, "pattern"))
				ferr(fs, NULL, sec->line, sec->col, "verb '%s' needs a pattern%s", arg, "");
		} else if ((arg = section_arg(sec->name, "group"))) {
			struct groupspec *gs = NULL;
			int gi = -1;
			check_known(fs, s, group_keys, ARRAY_SIZE(group_keys), "[group]");
			for (int i = 0; i < jg->ngroups; i++)
				if (!strcmp(jg->groups[i].name, arg))
					gi = i;
			if (gi < 0) {
				if (jg->ngroups + 1 > jg->alloc_groups) {
					jg->alloc_groups = jg->alloc_groups ? jg->alloc_groups * 2 : 4;
					jg->groups = xrealloc(jg->groups, sizeof(*jg->groups) * (size_t)jg->alloc_groups);
				}
				gi = jg->ngroups++;
				memset(&jg->groups[gi], 0, sizeof(jg->groups[gi]));
				jg->groups[gi].name = fstr(fs, arg);
			}
			gs = &jg->groups[gi];
			if ((e = ini_find(doc, s, "values")))
				gs->nvalues = split_words(fs, e->value, &gs->values);
			if ((e = ini_find(doc, s, "labels")))
				add_pending_labels(fs, gi, e);
			if (!gs->nvalues)
				ferr(fs, NULL, sec->line, sec->col, "group '%s' needs 'values'%s", arg, "");
		} else {
			ferr(fs, NULL, sec->line, sec->col,
			     "unknown section [%s]; the journal grammar has [journal], [verb NAME] and [group NAME]%s",
			     sec->name, "");
		}
	}
}

/* Parse one format file from src; 1 if absent, 0 if applied, -1 if bad. */
static int load_file(struct formats *f, struct source *src, const char *file,
		     const char *shown, int kind, const struct config *cfg)
{
	struct strbuf buf = STRBUF_INIT;
	struct arena scratch = { 0 };
	struct ini_doc doc;
	struct fstate fs = { f, &doc, shown, 0 };
	int r = text_load(src, file, cfg->max_file_bytes, 0, &buf);

	if (r != 0) {
		sb_release(&buf);
		return r;
	}
	fs.errors = ini_doc_parse(&doc, &scratch, shown, buf.buf, buf.len);
	if (kind >= 0)
		apply_kind_file(&fs, &f->kinds[kind]);
	else
		apply_journal_file(&fs, &f->journal);
	ini_doc_release(&doc);
	arena_release(&scratch);
	sb_release(&buf);
	return fs.errors ? -1 : 0;
}

static void resolve_pending(struct formats *f, int kind, struct strlist *unused)
{
	struct format *fmt = &f->kinds[kind];

	(void)unused;
	for (size_t i = 0; i < pending.n; i++) {
		struct pending_cond *pc = &pending.v[i];
		for (int k = 0; k < pc->n; k++) {
			int idx = format_field(fmt, pc->names[k]);
			if (idx < 0)
				diag_at(DIAG_ERROR, pc->path, pc->line, pc->col, "USE-1",
					"a condition names unknown field '%s'", pc->names[k]);
			pc->conds[k].field = idx;
			/* a condition may name a value by its label too */
			for (int v = 0; idx >= 0 && v < pc->conds[k].nvalues; v++) {
				const struct fieldspec *fd = &fmt->fields[idx];
				const char *w = pc->conds[k].values[v];
				int vi = field_value_index(fd, w, strlen(w));
				if (vi >= 0)
					pc->conds[k].values[v] = fd->values[vi];
			}
		}
	}
	pending.n = 0;
}

/* not_before names a date or date-time field of the same kind. */
static void resolve_not_before(struct format *fmt)
{
	for (int i = 0; i < fmt->nfields; i++) {
		struct fieldspec *fd = &fmt->fields[i];
		int other;

		fd->not_before = -1;
		if (!fd->not_before_name)
			continue;
		other = format_field(fmt, fd->not_before_name);
		if (other < 0 || other == i ||
		    (fmt->fields[other].type != FT_DATE && fmt->fields[other].type != FT_DATETIME) ||
		    (fd->type != FT_DATE && fd->type != FT_DATETIME))
			diag_at(DIAG_ERROR, fd->not_before_path, fd->not_before_line, fd->not_before_col,
				"USE-1", "not_before of '%s' must name another date or datetime field of the %s format, not '%s'",
				fd->name, kind_names[fmt->kind], fd->not_before_name);
		else
			fd->not_before = other;
	}
}

int formats_load(struct formats *f, struct source *shipped, struct source *book,
		 const struct config *cfg)
{
	unsigned before = diag_count(DIAG_ERROR);
	char file[64], shown[128];

	memset(f, 0, sizeof(*f));
	for (int k = 0; k < K__N; k++) {
		struct format *fmt = &f->kinds[k];
		int r;

		fmt->kind = k;
		fmt->folder = k == K_CLIENT ? "clients" : k == K_JOB ? "jobs" :
			      k == K_CONTACT ? "contacts" : k == K_MEETING ? "meetings" :
			      k == K_COMPLAINT ? "complaints" : k == K_LETTER ? "letters" :
			      "reviews";
		fmt->rule = "USE-1";
		fmt->label = kind_names[k];
		snprintf(file, sizeof(file), "%s.ini", kind_names[k]);
		snprintf(shown, sizeof(shown), "<shipped>/formats/%s", file);
		r = shipped ? load_file(f, shipped, file, shown, k, cfg) : 1;
		if (r == 1)
			diag_at(DIAG_SYSTEM, shown, 0, 0, NULL,
				"the shipped format is missing; set AE_FORMATS_DIR to the folder holding %s", file);
		snprintf(shown, sizeof(shown), "formats/%s", file);
		if (book)
			load_file(f, book, shown, shown, k, cfg);
		resolve_labels(f, fmt, NULL);
		resolve_pending(f, k, NULL);
		resolve_not_before(fmt);
	}
	snprintf(shown, sizeof(shown), "<shipped>/formats/journal.ini");
	if (!shipped || load_file(f, shipped, "journal.ini", shown, -1, cfg) == 1)
		diag_at(DIAG_SYSTEM, shown, 0, 0, NULL,
			"the shipped journal grammar is missing; set AE_FORMATS_DIR");
	if (book)
		load_file(f, book, "formats/journal.ini", "formats/journal.ini", -1, cfg);
	resolve_labels(f, NULL, &f->journal);
	free(pending.v);
	memset(&pending, 0, sizeof(pending));
	free(pending_labels.v);
	memset(&pending_labels, 0, sizeof(pending_labels));
	return (int)(diag_count(DIAG_ERROR) - before);
}

void formats_release(struct formats *f)
{
	for (int k = 0; k < K__N; k++) {
		struct format *fmt = &f->kinds[k];
		for (int i = 0; i < fmt->nfields; i++) {
			pattern_free(fmt->fields[i].pattern);
			pattern_free(fmt->fields[i].reject);
		}
		for (int i = 0; i < fmt->nchecks; i++) {
			pattern_free(fmt->checks[i].pattern);
			pattern_free(fmt->checks[i].reject);
		}
		free(fmt->fields);
		free(fmt->checks);
		strmap_release(&fmt->by_name);
	}
	pattern_free(f->journal.line);
	for (int i = 0; i < f->journal.nverbs; i++)
		pattern_free(f->journal.verbs[i].pattern);
	free(f->journal.verbs);
	free(f->journal.groups);
	arena_release(&f->arena);
}

int format_field(const struct format *fmt, const char *name)
{
	long v = (long)strmap_get(&fmt->by_name, name);

	return v ? (int)v - 1 : -1;
}

char *formats_shipped_dir(const char *argv0)
{
	const char *env = getenv("AE_FORMATS_DIR");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash, *cand;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			cand = xasprintf("%s/formats/client.ini", exe);
			if (access(cand, R_OK) == 0) {
				free(cand);
				return xasprintf("%s/formats", exe);
			}
			free(cand);
			cand = xasprintf("%s/../share/ae/formats/client.ini", exe);
			if (access(cand, R_OK) == 0) {
				free(cand);
				return xasprintf("%s/../share/ae/formats", exe);
			}
			free(cand);
		}
	}
	(void)argv0;
	return xstrdup(AE_DATADIR "/formats");
}

int enum_lookup(const char *const *values, int nvalues, const struct label *labels,
		int nlabels, const char *w, size_t n)
{
	for (int i = 0; i < nvalues; i++)
		if (strlen(values[i]) == n && !memcmp(values[i], w, n))
			return i;
	for (int i = 0; i < nlabels; i++)
		if (strlen(labels[i].text) == n && !memcmp(labels[i].text, w, n))
			return labels[i].value;
	return -1;
}

int field_value_index(const struct fieldspec *fd, const char *w, size_t n)
{
	return enum_lookup(fd->values, fd->nvalues, fd->labels, fd->nlabels, w, n);
}

int group_value_index(const struct groupspec *gs, const char *w, size_t n)
{
	return enum_lookup(gs->values, gs->nvalues, gs->labels, gs->nlabels, w, n);
}

const struct groupspec *journal_group(const struct journal_grammar *g, const char *name)
{
	for (int i = 0; i < g->ngroups; i++)
		if (!strcmp(g->groups[i].name, name))
			return &g->groups[i];
	return NULL;
}

const char *enum_label(const char *const *values, const struct label *labels, int nlabels, int i)
{
	for (int k = 0; k < nlabels; k++)
		if (labels[k].value == i)
			return labels[k].text;
	return values[i];
}

void enum_describe(struct strbuf *out, const char *const *values, int nvalues,
		   const struct label *labels, int nlabels)
{
	for (int i = 0; i < nvalues; i++) {
		int first = 1;
		sb_addf(out, "%s%s", i ? ", " : "", values[i]);
		for (int k = 0; k < nlabels; k++) {
			if (labels[k].value != i)
				continue;
			sb_addf(out, "%s%s", first ? " (" : "/", labels[k].text);
			first = 0;
		}
		if (!first)
			sb_addch(out, ')');
	}
}

const char *enum_nearest(const char *const *values, int nvalues, const struct label *labels,
			 int nlabels, const char *w)
{
	const char **words = xmalloc(sizeof(*words) * (size_t)(nvalues + nlabels + 1));
	const char *near;

	for (int i = 0; i < nvalues; i++)
		words[i] = values[i];
	for (int i = 0; i < nlabels; i++)
		words[nvalues + i] = labels[i].text;
	near = nearest_word(w, words, (size_t)(nvalues + nlabels));
	free(words);
	return near;
}

/* A list's items as values, separated by ", "; NULL when an item is neither a value nor a label. */
static char *canonical_list(const struct fieldspec *fd, const char *s)
{
	struct strbuf out = STRBUF_INIT;
	int changed = 0;

	while (*s) {
		size_t n = 0;
		char *item;
		int i;
		while (s[n] && s[n] != ',' && s[n] != '\n' && strncmp(s + n, "，", 3) && strncmp(s + n, "、", 3))
			n++;
		item = trimmed(s, n);
		i = field_value_index(fd, item, strlen(item));
		if (i < 0) {
			free(item);
			sb_release(&out);
			return NULL;
		}
		changed |= strcmp(item, fd->values[i]) != 0;
		sb_addf(&out, "%s%s", out.len ? ", " : "", fd->values[i]);
		free(item);
		s += n;
		s += *s == ',' || *s == '\n' ? 1 : *s ? 3 : 0;
	}
	if (!changed) {
		sb_release(&out);
		return NULL;
	}
	return sb_detach(&out);
}

void format_canonical_entries(const struct format *fmt, const struct ini_entry **byfield,
			      struct arena *a)
{
	for (int f = 0; f < fmt->nfields; f++) {
		const struct fieldspec *fd = &fmt->fields[f];
		const struct ini_entry *e = byfield[f];
		struct ini_entry *copy;
		char *list = NULL;
		int i = -1;

		if (!e || !*e->value || !fd->nlabels)
			continue;
		if (fd->type == FT_ENUM) {
			i = field_value_index(fd, e->value, strlen(e->value));
			if (i < 0 || !strcmp(fd->values[i], e->value))
				continue;
		} else if (fd->type == FT_LIST) {
			if (!(list = canonical_list(fd, e->value)))
				continue;
		} else {
			continue;
		}
		copy = arena_alloc(a, sizeof(*copy));
		*copy = *e;
		copy->value = list ? arena_strdup(a, list) : fd->values[i];
		free(list);
		byfield[f] = copy;
	}
}
