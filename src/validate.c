/* validate.c -- see validate.h */
#include "validate.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "diag.h"
#include "pattern.h"
#include "utf8.h"

static void verr(struct vctx *v, const struct fieldspec *fd, int line, int col,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void verr(struct vctx *v, const struct fieldspec *fd, int line, int col,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vat(DIAG_ERROR, v->path, line, col, fd->rule, fmt, ap);
	va_end(ap);
	v->errors++;
}

/* Where e's value starts (its first line with text). */
static int vl(const struct ini_entry *e)
{
	int line, col;

	ini_value_pos(e, 0, &line, &col);
	return line;
}

static int vc(const struct ini_entry *e)
{
	int line, col;

	ini_value_pos(e, 0, &line, &col);
	return col;
}

/* Column of byte offset off within line k of e's value. */
static void pos_in(const struct ini_entry *e, const char *linestart, size_t off,
		   int k, int *line, int *col)
{
	int l, c;

	ini_value_pos(e, k, &l, &c);
	*line = l;
	*col = c + (int)utf8_count(linestart, off);
}

const char *action_parse(const char *s, size_t n, struct action *a)
{
	size_t i = 3, j;
	int days;

	memset(a, 0, sizeof(*a));
	if (n < 4 || s[0] != '[' || s[2] != ']' || (s[1] != ' ' && s[1] != 'x' && s[1] != 'X'))
		return "an action item starts with '[ ]' (open) or '[x]' (done)";
	a->done = s[1] != ' ';
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	a->date_off = i;
	for (j = i; j < n && s[j] != ' ' && s[j] != '\t'; j++)
		;
	if (j > i && s[i] == '@')
		return "an action item needs a due date YYYY-MM-DD after the box";
	if (parse_date(s + i, j - i, &days) != DATE_OK)
		return j == i ? "an action item needs a due date YYYY-MM-DD after the box" : "bad-date";
	a->due = days;
	i = j;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	a->owner_off = i;
	if (i >= n || s[i] != '@')
		return "an action item needs its owner as @staff after the date";
	for (j = i + 1; j < n && s[j] != ' ' && s[j] != '\t'; j++)
		;
	a->owner = s + i + 1;
	a->owner_len = j - i - 1;
	i = j;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n)
		return "an action item needs a description of what is to be done after the owner";
	a->text = s + i;
	a->text_off = i;
	return NULL;
}

/* A value or one of its labels (市内 for in-city). */
static int in_values(const struct fieldspec *fd, const char *w, size_t n)
{
	return field_value_index(fd, w, n) >= 0;
}

static void bad_word(struct vctx *v, const struct fieldspec *fd, int line, int col,
		     const char *w, size_t n)
{
	char *word = xstrndup(w, n);
	const char *near = enum_nearest(fd->values, fd->nvalues, fd->labels, fd->nlabels, word);
	struct strbuf all = STRBUF_INIT;

	enum_describe(&all, fd->values, fd->nvalues, fd->labels, fd->nlabels);
	if (near)
		verr(v, fd, line, col, "'%s' is not a %s value: did you mean '%s'? (one of %s)",
		     word, fd->name, near, all.buf);
	else
		verr(v, fd, line, col, "'%s' is not a %s value: use one of %s", word,
		     fd->name, all.buf);
	sb_release(&all);
	free(word);
}

static int check_staff(struct vctx *v, const struct fieldspec *fd, int line, int col,
		       const char *w, size_t n)
{
	char small[64];
	char *id = strn_buf(small, sizeof(small), w, n);
	int ok = config_staff(v->cfg, id) != NULL;

	if (!ok) {
		const char **ids = xmalloc(sizeof(*ids) * (v->cfg->nstaff + 1));
		const char *near;
		for (size_t i = 0; i < v->cfg->nstaff; i++)
			ids[i] = v->cfg->staff[i].id;
		near = nearest_word(id, ids, v->cfg->nstaff);
		if (near)
			verr(v, fd, line, col, "unknown staff '%s' in '%s'; did you mean '%s'?",
			     id, fd->name, near);
		else
			verr(v, fd, line, col, "unknown staff '%s' in '%s'; staff are declared in ae.ini as [staff ID]",
			     id, fd->name);
		free(ids);
	}
	strn_done(id, small);
	return ok;
}

/* Split a list on ',', '，' and '、', calling fn for each trimmed item. */
static int each_item(struct vctx *v, const struct fieldspec *fd, const struct ini_entry *e,
		     int (*fn)(struct vctx *, const struct fieldspec *, int, int,
			       const char *, size_t))
{
	const char *s = e->value;
	int ok = 1, k = 0;
	const char *linestart = s;

	while (*s) {
		const char *a = s, *b;
		size_t sep = 0;
		while (*s && *s != ',' && *s != '\n' && strncmp(s, "，", 3) && strncmp(s, "、", 3))
			s++;
		b = s;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (a == b) {
			int line, col;
			pos_in(e, linestart, (size_t)(a - linestart), k, &line, &col);
			verr(v, fd, line, col, "empty item in the list '%s'", fd->name);
			ok = 0;
		} else if (fn) {
			int line, col;
			pos_in(e, linestart, (size_t)(a - linestart), k, &line, &col);
			ok &= fn(v, fd, line, col, a, (size_t)(b - a));
		}
		if (!*s)
			break;
		sep = *s == ',' || *s == '\n' ? 1 : 3;
		if (*s == '\n') {
			k++;
			linestart = s + 1;
		}
		s += sep;
	}
	return ok;
}

static int check_list_word(struct vctx *v, const struct fieldspec *fd, int line,
			   int col, const char *w, size_t n)
{
	if (fd->nvalues && !in_values(fd, w, n)) {
		bad_word(v, fd, line, col, w, n);
		return 0;
	}
	return 1;
}

static int valid_money(const char *s)
{
	size_t i = 0, digits = 0, dec = 0;

	if (s[i] == '-')
		i++;
	while (s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (s[i] == '.') {
		i++;
		while (s[i] >= '0' && s[i] <= '9')
			i++, dec++;
		if (!dec)
			return 0;
	}
	return digits > 0 && digits <= 12 && dec <= 2 && s[i] == '\0';
}

static int valid_phone(const char *s)
{
	int digits = 0;

	if (*s == '+')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s != '-' && *s != ' ' && *s != '(' && *s != ')')
			return 0;
	}
	return digits >= 6 && digits <= 20;
}

static int valid_email(const char *s)
{
	const char *at = strchr(s, '@');

	return at && at > s && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
	       !strchr(s, ' ') && at[1] != '.' && s[strlen(s) - 1] != '.';
}

static int check_date_like(struct vctx *v, const struct fieldspec *fd,
			   const struct ini_entry *e)
{
	size_t n = strlen(e->value);
	enum date_status st;
	int d;
	moment_t m;
	const char *kind;

	if (fd->type == FT_DATE) {
		st = parse_date(e->value, n, &d);
		kind = "a date";
	} else if (fd->type == FT_TIME) {
		st = parse_time(e->value, n, &d);
		kind = "a time";
	} else {
		st = parse_datetime(e->value, n, &m);
		kind = "a date and time";
	}
	if (st == DATE_OK)
		return 1;
	verr(v, fd, vl(e), vc(e), "'%s' is not %s: '%s' (%s)", fd->name, kind,
	     e->value, date_problem(e->value, n, fd->type != FT_DATE, fd->type != FT_TIME));
	return 0;
}

static int check_actions(struct vctx *v, const struct fieldspec *fd,
			 const struct ini_entry *e)
{
	const char *s = e->value;
	int ok = 1;

	for (int k = 0; *s || k == 0; k++) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		struct action a;
		const char *msg;
		int line, col;

		if (n == 0) {
			if (!nl)
				break;
			s = nl + 1;
			continue;
		}
		msg = action_parse(s, n, &a);
		if (msg && !strcmp(msg, "bad-date")) {
			size_t j = a.date_off;
			while (j < n && s[j] != ' ' && s[j] != '\t')
				j++;
			pos_in(e, s, a.date_off, k, &line, &col);
			verr(v, fd, line, col, "action item due date is not a date: '%.*s' (%s)",
			     (int)(j - a.date_off), s + a.date_off,
			     date_problem(s + a.date_off, j - a.date_off, 0, 1));
			ok = 0;
		} else if (msg) {
			size_t off = strstr(msg, "owner as") ? a.owner_off :
				     strstr(msg, "description") ? n : 0;
			pos_in(e, s, off, k, &line, &col);
			verr(v, fd, line, col, "%s: '[ ] YYYY-MM-DD @owner what'", msg);
			ok = 0;
		} else {
			pos_in(e, s, a.owner_off, k, &line, &col);
			ok &= check_staff(v, fd, line, col + 1, a.owner, a.owner_len);
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	return ok;
}

static void length_checks(struct vctx *v, const struct fieldspec *fd,
			  const struct ini_entry *e)
{
	size_t n = strlen(e->value), chars;

	/* a value has at most as many characters as bytes, and at least a
	 * quarter as many: count them only when the bounds cannot tell */
	if ((!fd->has_max || n <= (size_t)fd->max) && (!fd->has_min || n / 4 >= (size_t)fd->min))
		return;
	chars = utf8_count(e->value, n);
	if (fd->has_max && chars > (size_t)fd->max) {
		/* point at the first character past the limit */
		size_t off = 0, count = 0;
		int k = 0;
		const char *linestart = e->value;
		while (e->value[off] && count < (size_t)fd->max) {
			if ((e->value[off] & 0xC0) != 0x80)
				count++;
			if (e->value[off] == '\n') {
				k++;
				linestart = e->value + off + 1;
			}
			off++;
		}
		while ((e->value[off] & 0xC0) == 0x80)
			off++;
		int line, col;
		pos_in(e, linestart, (size_t)(e->value + off - linestart), k, &line, &col);
		verr(v, fd, line, col, "'%s' is %zu characters long; at most %ld are allowed",
		     fd->name, chars, fd->max);
	}
	if (fd->has_min && chars < (size_t)fd->min)
		verr(v, fd, vl(e), vc(e),
		     "'%s' is only %zu characters; write at least %ld (%s)", fd->name, chars,
		     fd->min, fd->message ? fd->message : "say what is meant in full");
}

/* SEC-2: the pattern ran out of steps on this value, which is not checked. */
static void too_costly(struct vctx *v, const struct fieldspec *fd, const struct pattern *p,
		       int line, int col, const char *what)
{
	diag_at(DIAG_ERROR, v->path, line, col, "SEC-2",
		"the pattern for '%s' (%s) is too costly for this %s: it is not checked; simplify the pattern",
		fd->name, pattern_origin(p), what);
	v->errors++;
}

static int pattern_checks(struct vctx *v, const struct fieldspec *fd,
			  const struct ini_entry *e)
{
	const char *s = e->value;
	int ok = 1;

	if (fd->type == FT_LINES && fd->pattern) {
		for (int k = 0;; k++) {
			const char *nl = strchr(s, '\n');
			size_t n = nl ? (size_t)(nl - s) : strlen(s);
			if (n) {
				int r = pattern_match(fd->pattern, s, n);
				int line, col;
				ini_value_pos(e, k, &line, &col);
				if (r == PM_LIMIT) {
					too_costly(v, fd, fd->pattern, line, col, "line");
					ok = 0;
				} else if (r == PM_NOMATCH) {
					verr(v, fd, line, col, "line of '%s' does not match its pattern%s%s",
					     fd->name, fd->message ? ": " : "", fd->message ? fd->message : "");
					ok = 0;
				}
			}
			if (!nl)
				break;
			s = nl + 1;
		}
	} else if (fd->pattern) {
		int r = pattern_match(fd->pattern, s, strlen(s));
		if (r != PM_MATCH && r != PM_DROPPED) {
			if (r == PM_LIMIT)
				too_costly(v, fd, fd->pattern, vl(e), vc(e), "value");
			else if (fd->message)
				verr(v, fd, vl(e), vc(e), "'%s' does not match: %s (got '%s')", fd->name, fd->message, s);
			else
				verr(v, fd, vl(e), vc(e), "'%s' does not match the pattern %s (got '%s')",
				     fd->name, pattern_source(fd->pattern), s);
			ok = 0;
		}
	}
	if (fd->reject) {
		int r = pattern_match(fd->reject, e->value, strlen(e->value));
		if (r == PM_LIMIT) {
			too_costly(v, fd, fd->reject, vl(e), vc(e), "value");
			ok = 0;
		} else if (r == PM_MATCH) {
			verr(v, fd, vl(e), vc(e), "'%s' is not acceptable: %s", fd->name,
			     fd->message ? fd->message : "it matches the format's reject pattern");
			ok = 0;
		}
	}
	return ok;
}

/* Blanks and punctuation, ASCII and CJK: not part of what is said. */
static int filler_skips(unsigned cp)
{
	return cp <= 0x20 || (cp < 0x80 && !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
					     (cp >= 'A' && cp <= 'Z'))) ||
	       (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x3000 && cp <= 0x303F) ||
	       (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	       (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65);
}

/*
 * JOB-1: whether s, blanks and punctuation aside, is one string of at most
 * `longest` characters said at least twice over (a last repetition may be
 * cut short): "做一个东西做一个东西", "aaaaaaaa".  Returns the unit's
 * length in characters (its text at *unit, *unit_len bytes) and the
 * number of repetitions, or 0.
 */
static int filler_unit(const char *s, int longest, const char **unit, size_t *unit_len,
		       int *times)
{
	size_t n = 0, alloc = 64;
	unsigned *cp = xmalloc(sizeof(*cp) * alloc);
	const char **at = xmalloc(sizeof(*at) * alloc);
	int found = 0;

	for (const char *p = s; *p;) {
		int len;
		unsigned c = utf8_decode(p, &len);
		if (len < 1)
			len = 1;
		if (!filler_skips(c)) {
			if (n == alloc) {
				alloc *= 2;
				cp = xrealloc(cp, sizeof(*cp) * alloc);
				at = xrealloc(at, sizeof(*at) * alloc);
			}
			at[n] = p;
			cp[n++] = c;
		}
		p += len;
	}
	for (size_t u = 1; !found && u <= (size_t)longest && 2 * u <= n; u++) {
		size_t i = u;
		while (i < n && cp[i] == cp[i % u])
			i++;
		if (i == n) {
			int last;
			utf8_decode(at[u - 1], &last);
			found = (int)u;
			*unit = at[0];
			*unit_len = (size_t)(at[u - 1] - at[0]) + (size_t)(last > 0 ? last : 1);
			*times = (int)((n + u - 1) / u);
		}
	}
	free(cp);
	free(at);
	return found;
}

int validate_field(struct vctx *v, const struct fieldspec *fd,
		   const struct ini_entry *e, int skip_pattern)
{
	const char *s = e->value;
	size_t n = strlen(s);
	int ok = 1;

	if (!*s) {
		/* an empty value counts as absent; 'required' is judged by the caller */
		return 0;
	}
	if (e->nlines > 1 && !ftype_multiline(fd->type)) {
		int line, col;
		ini_value_pos(e, 1, &line, &col);
		verr(v, fd, line, col,
		     "'%s' is one line, but this indented line continues it; remove the indentation to start a new field",
		     fd->name);
		return -1;
	}
	switch (fd->type) {
	case FT_TEXT:
	case FT_PROSE:
	case FT_LINES:
		break;
	case FT_DATE:
	case FT_DATETIME:
	case FT_TIME:
		ok = check_date_like(v, fd, e);
		break;
	case FT_ENUM:
		if (!in_values(fd, s, n)) {
			bad_word(v, fd, vl(e), vc(e), s, n);
			ok = 0;
		}
		break;
	case FT_BOOL:
		if (strcmp(s, "yes") && strcmp(s, "no")) {
			verr(v, fd, vl(e), vc(e), "'%s' must be yes or no, not '%s'", fd->name, s);
			ok = 0;
		}
		break;
	case FT_INT:
	case FT_NUMBER: {
		char *end;
		double d = strtod(s, &end);
		size_t digits = strspn(s + (*s == '-'), "0123456789");
		const char *rest = s + (*s == '-') + digits;
		int plain = digits > 0 && (!*rest || (fd->type == FT_NUMBER && *rest == '.' &&
				rest[1] && strspn(rest + 1, "0123456789") == strlen(rest + 1)));
		if (*end || !plain) {
			verr(v, fd, vl(e), vc(e), "'%s' must be %s, not '%s'", fd->name,
			     fd->type == FT_INT ? "a whole number" : "a number", s);
			ok = 0;
		} else if ((fd->has_min && d < fd->min) || (fd->has_max && d > fd->max)) {
			verr(v, fd, vl(e), vc(e), "'%s' must be from %ld to %ld, not %s",
			     fd->name, fd->has_min ? fd->min : 0, fd->has_max ? fd->max : 0, s);
			ok = 0;
		}
		break;
	}
	case FT_MONEY:
		if (!valid_money(s)) {
			verr(v, fd, vl(e), vc(e),
			     "'%s' is not an amount of money: '%s' (write digits with at most two decimals, like 12000.50, without commas or ¥)",
			     fd->name, s);
			ok = 0;
		} else if ((fd->has_min && strtod(s, NULL) < fd->min) ||
			   (fd->has_max && strtod(s, NULL) > fd->max)) {
			verr(v, fd, vl(e), vc(e), "'%s' must be from %ld to %ld, not %s",
			     fd->name, fd->has_min ? fd->min : 0, fd->has_max ? fd->max : 0, s);
			ok = 0;
		}
		break;
	case FT_PHONE:
		if (!valid_phone(s)) {
			verr(v, fd, vl(e), vc(e),
			     "'%s' is not a phone number: '%s' (6 to 20 digits, with optional + - spaces and brackets)",
			     fd->name, s);
			ok = 0;
		}
		break;
	case FT_EMAIL:
		if (!valid_email(s)) {
			verr(v, fd, vl(e), vc(e), "'%s' is not an e-mail address: '%s'", fd->name, s);
			ok = 0;
		}
		break;
	case FT_LIST:
		ok = each_item(v, fd, e, check_list_word);
		break;
	case FT_STAFF:
		ok = check_staff(v, fd, vl(e), vc(e), s, n);
		break;
	case FT_STAFF_LIST:
		ok = each_item(v, fd, e, check_staff);
		break;
	case FT_DEPT:
		if (!config_dept(v->cfg, s)) {
			verr(v, fd, vl(e), vc(e), "unknown department '%s'; departments are declared in ae.ini as [department CODE]", s);
			ok = 0;
		}
		break;
	case FT_CLIENT:
	case FT_JOB:
	case FT_MEETING:
	case FT_CONTACT:
	case FT_COMPLAINT:
		if (strchr(s, ' ') || strchr(s, '/')) {
			verr(v, fd, vl(e), vc(e), "'%s' must be one %s identifier, not '%s'",
			     fd->name, ftype_names[fd->type], s);
			ok = 0;
		}
		break;
	case FT_ACTIONS:
		ok = check_actions(v, fd, e);
		break;
	case FT__N:
		break;
	}
	if (ok && !skip_pattern)
		ok = pattern_checks(v, fd, e);
	if (ok && fd->filler) {
		const char *unit;
		size_t unit_len;
		int times;
		if (filler_unit(s, fd->filler, &unit, &unit_len, &times)) {
			verr(v, fd, vl(e), vc(e), "'%s' is '%.*s' said %d times over, not text: %s", fd->name,
			     (int)unit_len, unit, times,
			     fd->message ? fd->message : "write what is meant");
			ok = 0;
		}
	}
	/* a rejected placeholder is reported once, not also as too short */
	if ((fd->type == FT_TEXT || fd->type == FT_PROSE || fd->type == FT_LINES ||
	     fd->type == FT_LIST) && (ok || !fd->reject))
		length_checks(v, fd, e);
	return ok ? 0 : -1;
}

int conds_hold(const struct cond *c, int n, const struct ini_entry *const *byfield)
{
	for (int i = 0; i < n; i++) {
		const struct ini_entry *e = c[i].field >= 0 ? byfield[c[i].field] : NULL;
		int match = 0;
		if (e)
			for (int k = 0; k < c[i].nvalues; k++)
				if (!strcmp(e->value, c[i].values[k]))
					match = 1;
		if (match == c[i].negate)
			return 0;
	}
	return 1;
}
