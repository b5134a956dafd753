/* config.c -- see config.h */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "date.h"
#include "diag.h"
#include "inifile.h"
#include "pattern.h"
#include "safepath.h"
#include "utf8.h"

const char *const rank_names[RANK__N] = {
	"AAE", "AE", "AM", "AD", "ED", "GM", "FIN", "STAFF"
};

const char *const kind_names[K__N] = {
	"client", "job", "contact", "meeting", "complaint", "letter", "review"
};

int kind_from_name(const char *name)
{
	for (int k = 0; k < K__N; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -1;
}

enum ptype { P_INT, P_NUM, P_ENUM, P_TIME, P_WEEKDAY, P_DUR, P_SLOT };

/*
 * The rule parameters a book may set in [rules]; docs/ae.ini.5.md.
 * P_DUR: a duration, working days 'Nd' (at most 60) or hours 'Nh' (at
 * most 720), at least min; a bare number is in `values` ("d" or "h"), or
 * wants its unit when values is NULL.  P_SLOT: 'mon 09:30', or 'none'.
 * replaced_by: the key that supersedes this older one (both set is an
 * error).
 */
static const struct param_def {
	const char *key;
	enum ptype type;
	double min, max;
	const char *values;	/* P_ENUM: '|'-separated; P_DUR: the bare unit */
	const char *replaced_by;
} param_defs[] = {
	{ "contact_report", P_DUR, 0.01, 0, NULL, NULL },
	{ "contact_report_hours", P_NUM, 1, 720, NULL, "contact_report" },
	{ "contact_report_clock", P_ENUM, 0, 0, "calendar|working", NULL },
	{ "call_every_in_city", P_INT, 1, 60, NULL, NULL },
	{ "call_every_out_of_town", P_INT, 1, 60, NULL, NULL },
	{ "internal_lead", P_DUR, 0, 0, NULL, NULL },
	{ "internal_lead_hours", P_NUM, 0, 80, NULL, "internal_lead" },
	{ "min_lead_creative", P_DUR, 0, 0, "d", NULL },
	{ "min_lead_production", P_DUR, 0, 0, "d", NULL },
	{ "min_lead_media", P_DUR, 0, 0, "d", NULL },
	{ "min_lead_event", P_DUR, 0, 0, "d", NULL },
	{ "min_lead_digital", P_DUR, 0, 0, "d", NULL },
	{ "min_lead_research", P_DUR, 0, 0, "d", NULL },
	{ "weekly_report_day", P_WEEKDAY, 0, 0, NULL, NULL },
	{ "weekly_report_by", P_TIME, 0, 0, NULL, NULL },
	{ "weekly_meeting", P_SLOT, 0, 0, NULL, NULL },
	{ "weekly_meeting_minutes", P_INT, 5, 600, NULL, NULL },
	{ "department_meeting", P_SLOT, 0, 0, NULL, NULL },
	{ "tally_day", P_WEEKDAY, 0, 0, NULL, NULL },
	{ "tally_by", P_TIME, 0, 0, NULL, NULL },
	{ "meeting_notice_days", P_INT, 0, 30, NULL, NULL },
	{ "confirm_call_minutes", P_INT, 0, 600, NULL, NULL },
	{ "materials_check_minutes", P_INT, 0, 600, NULL, NULL },
	{ "minutes_confirm_days", P_INT, 0, 60, NULL, NULL },
	{ "month_end_days", P_INT, 0, 20, NULL, NULL },
	{ "bizplan_days", P_INT, 0, 60, NULL, NULL },
	{ "overtime_form_by", P_TIME, 0, 0, NULL, NULL },
	{ "overtime_late_after", P_TIME, 0, 0, NULL, NULL },
	{ "expense_day", P_WEEKDAY, 0, 0, NULL, NULL },
	{ "site_visit_weeks", P_INT, 1, 8, NULL, NULL },
	{ "site_visit_every", P_INT, 1, 60, NULL, NULL },
	{ "callback_every_months", P_INT, 1, 60, NULL, NULL },
	{ "callback_escalate_days", P_INT, 0, 60, NULL, NULL },
	{ "handover_months", P_INT, 0, 36, NULL, NULL },
	{ "holiday_notice_days", P_INT, 0, 60, NULL, NULL },
	{ "finance_note_days", P_INT, 0, 60, NULL, NULL },
	{ "complaint_follow_up_days", P_INT, 0, 60, NULL, NULL },
	{ "complaint_callback_days", P_INT, 0, 60, NULL, NULL },
	{ "horizon_days", P_INT, 1, 366, NULL, NULL },
	{ "close_out_days", P_INT, 0, 60, NULL, NULL },
	{ "review_days", P_INT, 0, 30, NULL, NULL },
	{ "budget_alert", P_INT, 1, 1000, NULL, NULL },
	{ "max_span", P_INT, 1, 50, NULL, NULL },
};

static const char *const weekday_names[] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

static const char *const dept_kinds[] = {
	"account", "creative", "production", "media", "finance", "management", "other"
};

static const char *const top_sections[] = {
	"book", "office", "calendar", "rules", "numbering", "agency", "rates", "department", "staff",
	"closure"
};

static const char *const keys_book[] = { "name", "timezone", "lang", "max_file_bytes" };
static const char *const keys_office[] = { "hours", "lunch", "workdays" };
static const char *const keys_calendar[] = { "files" };
static const char *const keys_dept[] = { "name", "kind" };
static const char *const keys_staff[] = {
	"name", "rank", "department", "reports_to", "email", "phone", "title", "name_en", "title_en"
};
static const char *const keys_agency[] = {
	"name", "name_en", "address", "address_en", "phone", "email", "web"
};
static const char *const keys_closure[] = { "off" };

/* Numbering groups each kind's pattern must define. */
static const char *const numbering_groups[K__N][4] = {
	[K_CLIENT] = { "city", "yyyymm", "name", "seq" },
	[K_JOB] = { "dept", "seq", NULL, NULL },
	[K_CONTACT] = { "yyyymmdd", "seq", NULL, NULL },
	[K_MEETING] = { "yyyymmdd", "seq", NULL, NULL },
	[K_COMPLAINT] = { "yyyymmdd", "seq", NULL, NULL },
	[K_LETTER] = { "yyyymmdd", "seq", NULL, NULL },
	[K_REVIEW] = { "yyyymmdd", "seq", NULL, NULL },
};

static const char *const default_numbering[K__N] = {
	[K_CLIENT] = "^(?<city>[A-Z]{2,3}|\\p{Han}{2,4})-(?<yyyymm>[0-9]{6})-(?<name>[A-Z0-9]{2,12}|\\p{Han}{2,8})-(?<seq>[0-9]{3})$",
	[K_JOB] = "^(?<dept>[A-Z]{2,4})-(?<yymm>[0-9]{4})-(?<seq>[0-9]{2})(?:-R(?<rev>[1-9]))?$",
	[K_CONTACT] = "^CR-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$",
	[K_MEETING] = "^MT-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$",
	[K_COMPLAINT] = "^TS-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$",
	[K_LETTER] = "^LT-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$",
	[K_REVIEW] = "^RV-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$",
};

struct cstate {
	struct config *c;
	const struct ini_doc *doc;
	int errors;
};

static void bad(struct cstate *cs, int line, int col, const char *rule,
		const char *fmt, const char *a, const char *b)
{
	diag_at(DIAG_ERROR, cs->c->path, line, col, rule, fmt, a, b);
	cs->errors++;
}

static int in_list(const char *w, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(w, list[i]))
			return 1;
	return 0;
}

static void unknown_key(struct cstate *cs, const struct ini_entry *e,
			const char *where, const char *const *known, size_t n)
{
	const char *near = nearest_word(e->key, known, n);
	char hint[128] = "";

	if (near)
		snprintf(hint, sizeof(hint), "; did you mean '%s'?", near);
	diag_at(DIAG_ERROR, cs->c->path, e->line, e->key_col, "USE-1",
		"unknown key '%s' in [%s]%s", e->key, where, hint);
	cs->errors++;
}

static void check_keys(struct cstate *cs, size_t s, const char *where,
		       const char *const *known, size_t n)
{
	const struct ini_section *sec = &cs->doc->sections[s];

	for (size_t i = sec->first; i < sec->first + sec->count; i++)
		if (!in_list(cs->doc->entries[i].key, known, n))
			unknown_key(cs, &cs->doc->entries[i], where, known, n);
}

static int parse_range(const char *v, int *a, int *b)
{
	size_t n = strlen(v);
	const char *dash = strchr(v, '-');

	if (!dash || n != 11 || dash != v + 5)
		return -1;
	if (parse_time(v, 5, a) != DATE_OK || parse_time(v + 6, 5, b) != DATE_OK)
		return -1;
	return *a < *b ? 0 : -1;
}

static const char *cstr(struct config *c, const char *s)
{
	return arena_strdup(&c->arena, s);
}

static void do_book(struct cstate *cs, size_t s)
{
	struct config *c = cs->c;
	const struct ini_entry *e;

	check_keys(cs, s, "book", keys_book, ARRAY_SIZE(keys_book));
	if ((e = ini_find(cs->doc, s, "name")))
		c->name = cstr(c, e->value);
	if ((e = ini_find(cs->doc, s, "timezone"))) {
		const char *zdir = getenv("TZDIR");
		char *zone = xasprintf("%s/%s", zdir && *zdir ? zdir : "/usr/share/zoneinfo", e->value);
		char *utc = xasprintf("%s/UTC", zdir && *zdir ? zdir : "/usr/share/zoneinfo");
		if (!*e->value || strstr(e->value, "..") || e->value[0] == '/')
			bad(cs, e->line, e->col, "CAL-1",
			    "'%s' is not a time zone name like Asia/Shanghai%s", e->value, "");
		else if (access(utc, R_OK) == 0 && access(zone, R_OK) != 0)
			/* with the time zone database at hand, the name must be in it */
			bad(cs, e->line, e->col, "CAL-1",
			    "unknown time zone '%s'; use a name of the time zone database, like Asia/Shanghai%s",
			    e->value, "");
		else
			c->timezone = cstr(c, e->value);
		free(zone);
		free(utc);
	}
	if ((e = ini_find(cs->doc, s, "lang"))) {
		if (strcmp(e->value, "zh") && strcmp(e->value, "en"))
			bad(cs, e->line, e->col, "USE-4",
			    "lang must be 'zh' or 'en', not '%s'%s", e->value, "");
		else
			c->lang = cstr(c, e->value);
	}
	if ((e = ini_find(cs->doc, s, "max_file_bytes"))) {
		char *end;
		unsigned long long v = strtoull(e->value, &end, 10);
		if (*end || !*e->value || v < 1024 || v > (1ULL << 30))
			bad(cs, e->line, e->col, "USE-1",
			    "max_file_bytes must be a whole number of bytes from 1024 to 1073741824, not '%s'%s",
			    e->value, "");
		else
			c->max_file_bytes = (size_t)v;
	}
}

static void do_office(struct cstate *cs, size_t s)
{
	struct config *c = cs->c;
	const struct ini_entry *e;

	check_keys(cs, s, "office", keys_office, ARRAY_SIZE(keys_office));
	int hours_ok = 1;

	if ((e = ini_find(cs->doc, s, "hours")) &&
	    parse_range(e->value, &c->office_start, &c->office_end) < 0) {
		bad(cs, e->line, e->col, "CAL-1",
		    "office hours must be HH:MM-HH:MM with the start first, not '%s'%s", e->value, "");
		c->office_start = 9 * 60;
		c->office_end = 18 * 60;
		hours_ok = 0;
	}
	if ((e = ini_find(cs->doc, s, "lunch"))) {
		if (parse_range(e->value, &c->lunch_start, &c->lunch_end) < 0)
			bad(cs, e->line, e->col, "CAL-1",
			    "lunch must be HH:MM-HH:MM with the start first, not '%s'%s", e->value, "");
		else if (hours_ok && (c->lunch_start <= c->office_start || c->lunch_end >= c->office_end))
			bad(cs, e->line, e->col, "CAL-1",
			    "the lunch break '%s' must lie inside the office hours%s", e->value, "");
	}
	if ((e = ini_find(cs->doc, s, "workdays"))) {
		unsigned mask = 0;
		char *dup = xstrdup(e->value), *save = NULL;
		for (char *w = strtok_r(dup, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
			int found = -1;
			for (int d = 0; d < 7; d++)
				if (!strcasecmp(w, weekday_names[d]))
					found = d;
			if (found < 0)
				bad(cs, e->line, e->col + (int)utf8_count(dup, (size_t)(w - dup)), "CAL-1",
				    "'%s' is not a weekday (mon tue wed thu fri sat sun)%s", w, "");
			else
				mask |= 1u << found;
		}
		free(dup);
		if (mask)
			c->workdays = mask;
	}
}

static void do_calendar(struct cstate *cs, size_t s)
{
	struct config *c = cs->c;
	const struct ini_entry *e;

	check_keys(cs, s, "calendar", keys_calendar, ARRAY_SIZE(keys_calendar));
	if ((e = ini_find(cs->doc, s, "files"))) {
		char *dup = xstrdup(e->value), *save = NULL;
		c->calendar_line = e->line;
		for (char *w = strtok_r(dup, ", \n", &save); w; w = strtok_r(NULL, ", \n", &save)) {
			/* read through safepath.h, which takes no other kind */
			if (*safe_path_problem(w))
				bad(cs, e->line, e->col, "CAL-1",
				    "calendar file '%s' must be a path inside the book, not %s", w,
				    safe_path_problem(w));
			else
				strlist_add(&c->calendar_files, w);
		}
		free(dup);
	}
}

static int parse_weekday(const char *v)
{
	for (int d = 0; d < 7; d++)
		if (!strcasecmp(v, weekday_names[d]))
			return d;
	return -1;
}

/* "0.5d", "4h", or a bare number in unit bare (0: a unit is wanted). */
static int parse_duration(const char *v, char bare, double *amount, char *unit)
{
	char *end;
	double x;

	if (!((*v >= '0' && *v <= '9') || *v == '.'))
		return -1;
	x = strtod(v, &end);
	if (end == v)
		return -1;
	if (!*end && bare)
		*unit = bare;
	else if ((*end == 'd' || *end == 'h') && !end[1])
		*unit = *end;
	else
		return -1;
	if (x < 0 || x > (*unit == 'd' ? 60 : 720))
		return -1;
	*amount = x;
	return 0;
}

/* "mon 09:30": 1 and the slot; "none": 0; anything else -1. */
static int parse_slot(const char *v, int *weekday, int *minute)
{
	char day[4];
	const char *sp = strchr(v, ' ');

	if (!strcmp(v, "none"))
		return 0;
	if (!sp || sp - v != 3)
		return -1;
	memcpy(day, v, 3);
	day[3] = '\0';
	if ((*weekday = parse_weekday(day)) < 0)
		return -1;
	while (*sp == ' ')
		sp++;
	if (parse_time(sp, strlen(sp), minute) != DATE_OK)
		return -1;
	return 1;
}

static const struct param_def *param_def(const char *key)
{
	for (size_t k = 0; k < ARRAY_SIZE(param_defs); k++)
		if (!strcmp(key, param_defs[k].key))
			return &param_defs[k];
	return NULL;
}

static void do_rules(struct cstate *cs, size_t s)
{
	struct config *c = cs->c;
	const struct ini_section *sec = &cs->doc->sections[s];
	const char *names[ARRAY_SIZE(param_defs)];

	for (size_t k = 0; k < ARRAY_SIZE(param_defs); k++)
		names[k] = param_defs[k].key;
	for (size_t i = sec->first; i < sec->first + sec->count; i++) {
		const struct ini_entry *e = &cs->doc->entries[i];
		const struct param_def *def = NULL;
		struct config_param *p;
		int ok = 1;

		def = param_def(e->key);
		if (!def) {
			unknown_key(cs, e, "rules", names, ARRAY_SIZE(names));
			continue;
		}
		switch (def->type) {
		case P_INT:
		case P_NUM: {
			char *end;
			double v = strtod(e->value, &end);
			if (!*e->value || *end || v < def->min || v > def->max ||
			    (def->type == P_INT && v != (long)v))
				ok = 0;
			if (!ok) {
				char range[64];
				snprintf(range, sizeof(range), "%s from %g to %g",
					 def->type == P_INT ? "a whole number" : "a number",
					 def->min, def->max);
				bad(cs, e->line, e->col, "USE-1", "'%s' must be %s", e->key, range);
			}
			break;
		}
		case P_ENUM: {
			char pat[64];
			snprintf(pat, sizeof(pat), "|%s|", def->values);
			char want[64];
			snprintf(want, sizeof(want), "|%s|", e->value);
			if (strchr(e->value, '|') || !strstr(pat, want)) {
				ok = 0;
				bad(cs, e->line, e->col, "USE-1", "'%s' must be one of %s",
				    e->key, def->values);
			}
			break;
		}
		case P_TIME: {
			int m;
			if (parse_time(e->value, strlen(e->value), &m) != DATE_OK) {
				ok = 0;
				bad(cs, e->line, e->col, "USE-1", "'%s' must be a time HH:MM, not '%s'",
				    e->key, e->value);
			}
			break;
		}
		case P_WEEKDAY:
			if (parse_weekday(e->value) < 0) {
				ok = 0;
				bad(cs, e->line, e->col, "USE-1",
				    "'%s' must be a weekday (mon .. sun), not '%s'", e->key, e->value);
			}
			break;
		case P_DUR: {
			double x;
			char unit;
			if (parse_duration(e->value, def->values ? def->values[0] : 0, &x, &unit) < 0 ||
			    x < def->min) {
				ok = 0;
				diag_at(DIAG_ERROR, cs->c->path, e->line, e->col, "USE-1",
					"'%s' must be a duration of working days or hours, like 0.5d or 4h (%s at most 60d or 720h%s), not '%s'",
					e->key, def->min > 0 ? "more than 0," : "from 0,",
					def->values ? "; a bare number is days" : "", e->value);
				cs->errors++;
			}
			break;
		}
		case P_SLOT: {
			int wd, m;
			if (parse_slot(e->value, &wd, &m) < 0) {
				ok = 0;
				bad(cs, e->line, e->col, "USE-1",
				    "'%s' must be a weekday and a time like 'mon 09:30', or 'none', not '%s'",
				    e->key, e->value);
			}
			break;
		}
		}
		if (!ok)
			continue;
		if (def->replaced_by && ini_find(cs->doc, s, def->replaced_by)) {
			diag_at(DIAG_ERROR, c->path, e->line, e->key_col, "USE-1",
				"'%s' and '%s' both set the same thing; keep '%s' (a duration like 0.5d or 4h)",
				e->key, def->replaced_by, def->replaced_by);
			cs->errors++;
			continue;
		}
		ALLOC_GROW(c->params, c->nparams + 1, c->alloc_params);
		p = &c->params[c->nparams++];
		p->key = cstr(c, e->key);
		p->value = cstr(c, e->value);
		p->line = e->line;
		p->col = e->col;
	}
}

static struct pattern *compile_numbering(struct cstate *cs, int k, const char *src,
					 int line, int col)
{
	const char *err;
	int ecol;
	struct pattern *p = pattern_compile(src, &err, &ecol);

	if (!p) {
		diag_at(DIAG_ERROR, cs->c->path, line, col + ecol - 1, "USE-1",
			"bad pattern for %s numbers: %s", kind_names[k], err);
		cs->errors++;
		return NULL;
	}
	pattern_set_origin(p, cs->c->path, line, col);
	for (int g = 0; g < 4 && numbering_groups[k][g]; g++) {
		if (!pattern_has_group(p, numbering_groups[k][g])) {
			diag_at(DIAG_ERROR, cs->c->path, line, col, "USE-1",
				"the %s pattern needs a named group (?<%s>...)",
				kind_names[k], numbering_groups[k][g]);
			cs->errors++;
		}
	}
	if (k == K_JOB && !pattern_has_group(p, "yymm") && !pattern_has_group(p, "yyyymm")) {
		diag_at(DIAG_ERROR, cs->c->path, line, col, "JOBNO-2",
			"the job pattern needs the time: a named group (?<yymm>...) or (?<yyyymm>...)");
		cs->errors++;
	}
	return p;
}

static void do_numbering(struct cstate *cs, size_t s)
{
	const struct ini_section *sec = &cs->doc->sections[s];

	for (size_t i = sec->first; i < sec->first + sec->count; i++) {
		const struct ini_entry *e = &cs->doc->entries[i];
		int k = kind_from_name(e->key);

		if (k < 0) {
			unknown_key(cs, e, "numbering", kind_names, K__N);
			continue;
		}
		pattern_free(cs->c->numbering[k]);
		cs->c->numbering[k] = compile_numbering(cs, k, e->value, e->line, e->col);
	}
}

static const char *section_arg(const char *name, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(name, word, n) || (name[n] != ' ' && name[n] != '\t'))
		return NULL;
	name += n;
	while (*name == ' ' || *name == '\t')
		name++;
	return name;
}

static int valid_staff_id(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static void do_dept(struct cstate *cs, size_t s, const char *code)
{
	struct config *c = cs->c;
	const struct ini_section *sec = &cs->doc->sections[s];
	const struct ini_entry *e;
	struct dept *d;

	check_keys(cs, s, "department", keys_dept, ARRAY_SIZE(keys_dept));
	if (!*code || strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(code)) {
		bad(cs, sec->line, sec->col, "JOBNO-4",
		    "department code '%s' must be capital letters and digits, like CS%s", code, "");
		return;
	}
	if (strmap_get(&c->dept_by_code, code)) {
		bad(cs, sec->line, sec->col, "JOBNO-4", "department '%s' is declared twice%s", code, "");
		return;
	}
	ALLOC_GROW(c->depts, c->ndepts + 1, c->alloc_depts);
	d = &c->depts[c->ndepts++];
	memset(d, 0, sizeof(*d));
	d->code = cstr(c, code);
	d->line = sec->line;
	if ((e = ini_find(cs->doc, s, "name")))
		d->name = cstr(c, e->value);
	else
		bad(cs, sec->line, sec->col, "USE-1", "department '%s' has no name%s", code, "");
	d->kind = "account";
	if ((e = ini_find(cs->doc, s, "kind"))) {
		if (!in_list(e->value, dept_kinds, ARRAY_SIZE(dept_kinds)))
			bad(cs, e->line, e->col, "USE-1",
			    "department kind '%s' is not one of account, creative, production, media, finance, management, other%s",
			    e->value, "");
		else
			d->kind = cstr(c, e->value);
	}
}

/* A free-text value of section s, NULL when absent; a line break or a
 * control character in it is an error (it goes on one line of a letter). */
static const char *one_line(struct cstate *cs, size_t s, const char *key)
{
	const struct ini_entry *e = ini_find(cs->doc, s, key);

	if (!e || !*e->value)
		return NULL;
	for (const char *p = e->value; *p; p++)
		if ((unsigned char)*p < 0x20) {
			bad(cs, e->line, e->col, "USE-1", "'%s' must be one line of text%s", key, "");
			return NULL;
		}
	return cstr(cs->c, e->value);
}

/* [agency]: the letterhead and signature of the client editions. */
static void do_agency(struct cstate *cs, size_t s)
{
	struct agency *a = &cs->c->agency;

	check_keys(cs, s, "agency", keys_agency, ARRAY_SIZE(keys_agency));
	a->name = one_line(cs, s, "name");
	a->name_en = one_line(cs, s, "name_en");
	a->address = one_line(cs, s, "address");
	a->address_en = one_line(cs, s, "address_en");
	a->phone = one_line(cs, s, "phone");
	a->email = one_line(cs, s, "email");
	a->web = one_line(cs, s, "web");
}

/* What a staff member signs a letter to a client with. */
static void staff_signature(struct cstate *cs, size_t s, struct staff *st)
{
	st->phone = one_line(cs, s, "phone");
	st->title = one_line(cs, s, "title");
	st->name_en = one_line(cs, s, "name_en");
	st->title_en = one_line(cs, s, "title_en");
}

static void do_staff(struct cstate *cs, size_t s, const char *id)
{
	struct config *c = cs->c;
	const struct ini_section *sec = &cs->doc->sections[s];
	const struct ini_entry *e;
	struct staff *st;

	check_keys(cs, s, "staff", keys_staff, ARRAY_SIZE(keys_staff));
	if (!valid_staff_id(id)) {
		bad(cs, sec->line, sec->col, "ORG-1",
		    "staff id '%s' must be lower-case letters, digits and . _ -, starting with a letter (like li.ming)%s",
		    id, "");
		return;
	}
	ALLOC_GROW(c->staff, c->nstaff + 1, c->alloc_staff);
	st = &c->staff[c->nstaff++];
	memset(st, 0, sizeof(*st));
	st->id = cstr(c, id);
	st->line = sec->line;
	st->rank = RANK_STAFF;
	if ((e = ini_find(cs->doc, s, "name")))
		st->name = cstr(c, e->value);
	else
		bad(cs, sec->line, sec->col, "ORG-1", "staff '%s' has no name%s", id, "");
	if ((e = ini_find(cs->doc, s, "rank"))) {
		int r = -1;
		for (int k = 0; k < RANK__N; k++)
			if (!strcmp(e->value, rank_names[k]))
				r = k;
		if (r < 0)
			bad(cs, e->line, e->col, "ORG-1",
			    "rank '%s' is not one of AAE, AE, AM, AD, ED, GM, FIN, STAFF%s", e->value, "");
		else
			st->rank = (enum rank)r;
	} else {
		bad(cs, sec->line, sec->col, "ORG-1", "staff '%s' has no rank%s", id, "");
	}
	if ((e = ini_find(cs->doc, s, "department")))
		st->dept = cstr(c, e->value);
	else
		bad(cs, sec->line, sec->col, "ORG-1", "staff '%s' has no department%s", id, "");
	if ((e = ini_find(cs->doc, s, "reports_to"))) {
		st->reports_to = cstr(c, e->value);
		st->reports_to_line = e->line;
		st->reports_to_col = e->col;
	}
	if ((e = ini_find(cs->doc, s, "email")))
		st->email = cstr(c, e->value);
	staff_signature(cs, s, st);
}

/* [rates] (JOB-8): RANK = amount or STAFF = amount, money an hour; the
 * keys are checked against the staff once all are read (check_rates). */
static void do_rates(struct cstate *cs, size_t s)
{
	struct config *c = cs->c;
	const struct ini_section *sec = &cs->doc->sections[s];

	for (size_t i = sec->first; i < sec->first + sec->count; i++) {
		const struct ini_entry *e = &cs->doc->entries[i];
		const char *p = e->value;
		long cents = 0;
		int digits = 0, decimals = -1;
		struct config_rate *r;

		for (; *p && digits <= 9; p++) {
			if (*p == '.' && decimals < 0) {
				decimals = 0;
			} else if (*p >= '0' && *p <= '9' && decimals < 2) {
				cents = cents * 10 + (*p - '0');
				if (decimals >= 0)
					decimals++;
				else
					digits++;
			} else {
				break;
			}
		}
		if (*p || !digits || decimals == 0) {
			bad(cs, e->line, e->col, "JOB-8",
			    "the rate of '%s' is money an hour, like 300 or 287.50, not '%s'", e->key, e->value);
			continue;
		}
		for (decimals = decimals < 0 ? 0 : decimals; decimals < 2; decimals++)
			cents *= 10;
		ALLOC_GROW(c->rates, c->nrates + 1, c->alloc_rates);
		r = &c->rates[c->nrates++];
		r->key = cstr(c, e->key);
		r->cents = cents;
		r->line = e->line;
		r->col = e->key_col;
	}
}

/* A rate names a rank or a person of ae.ini. */
static void check_rates(struct cstate *cs)
{
	struct config *c = cs->c;

	for (size_t i = 0; i < c->nrates; i++) {
		const struct config_rate *r = &c->rates[i];
		int rank = 0;
		for (int k = 0; k < RANK__N; k++)
			rank |= !strcmp(r->key, rank_names[k]);
		if (!rank && !strmap_get(&c->staff_by_id, r->key))
			bad(cs, r->line, r->col, "JOB-8",
			    "[rates] names '%s', which is neither a rank (AAE, AE, AM, AD, ED, GM, FIN, STAFF) nor a staff ID%s",
			    r->key, "");
	}
}

/* [closure NAME]: the company's training or trip (DUE-13); its dates
 * are checked and marked by the calendar, as a calendar file's are. */
static void do_closure(struct cstate *cs, size_t s, const char *name)
{
	struct config *c = cs->c;
	const struct ini_section *sec = &cs->doc->sections[s];
	const struct ini_entry *e;
	struct closure *cl;

	check_keys(cs, s, "closure", keys_closure, ARRAY_SIZE(keys_closure));
	if (!*name) {
		bad(cs, sec->line, sec->col, "DUE-13",
		    "a closure needs a name, like [closure 公司年度培训]%s%s", "", "");
		return;
	}
	if (!(e = ini_find(cs->doc, s, "off"))) {
		bad(cs, sec->line, sec->col, "DUE-13",
		    "closure '%s' has no 'off' dates (off = 2026-12-10..2026-12-11)%s", name, "");
		return;
	}
	ALLOC_GROW(c->closures, c->nclosures + 1, c->alloc_closures);
	cl = &c->closures[c->nclosures++];
	cl->name = cstr(c, name);
	cl->off = cstr(c, e->value);
	cl->line = e->line;
	cl->col = e->col;
}

/* References between staff and departments, once all are read. */
static void check_org(struct cstate *cs)
{
	struct config *c = cs->c;
	const char **ids = xmalloc(sizeof(*ids) * (c->nstaff + 1));
	const char **codes = xmalloc(sizeof(*codes) * (c->ndepts + 1));

	for (size_t i = 0; i < c->nstaff; i++)
		ids[i] = c->staff[i].id;
	for (size_t i = 0; i < c->ndepts; i++)
		codes[i] = c->depts[i].code;
	for (size_t i = 0; i < c->nstaff; i++) {
		const struct staff *st = &c->staff[i];
		const struct ini_entry *e;
		size_t s;

		/* find the section again for positions */
		for (s = 0; s < cs->doc->nsections; s++)
			if (cs->doc->sections[s].line == st->line)
				break;
		if (st->dept && !strmap_get(&c->dept_by_code, st->dept)) {
			const char *near = nearest_word(st->dept, codes, c->ndepts);
			e = ini_find(cs->doc, s, "department");
			diag_at(DIAG_ERROR, c->path, e->line, e->col, "ORG-1",
				"unknown department '%s'%s%s%s", st->dept,
				near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
			cs->errors++;
		}
		if (st->reports_to) {
			e = ini_find(cs->doc, s, "reports_to");
			if (!strmap_get(&c->staff_by_id, st->reports_to)) {
				const char *near = nearest_word(st->reports_to, ids, c->nstaff);
				diag_at(DIAG_ERROR, c->path, e->line, e->col, "ORG-2",
					"unknown staff '%s'%s%s%s", st->reports_to,
					near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
				cs->errors++;
			} else {
				/* the escalation chain must end */
				const char *cur = st->reports_to;
				size_t steps = 0;
				while (cur && steps <= c->nstaff) {
					const struct staff *b = strmap_get(&c->staff_by_id, cur);
					if (!b)
						break;
					if (!strcmp(b->id, st->id)) {
						diag_at(DIAG_ERROR, c->path, e->line, e->col, "ORG-2",
							"'%s' reports to '%s', which leads back to '%s': the escalation chain must end",
							st->id, st->reports_to, st->id);
						cs->errors++;
						break;
					}
					cur = b->reports_to;
					steps++;
				}
			}
		}
	}
	free(ids);
	free(codes);
}

int config_parse(struct config *c, const char *path, const char *buf, size_t len)
{
	struct cstate cs = { c, NULL, 0 };
	struct arena scratch = { 0 };
	struct ini_doc doc;
	const char *tops[ARRAY_SIZE(top_sections)];
	int seen[ARRAY_SIZE(top_sections)] = { 0 };

	memset(c, 0, sizeof(*c));
	c->path = path;
	c->timezone = "Asia/Shanghai";
	c->lang = "zh";
	c->max_file_bytes = 1 << 20;
	c->office_start = 9 * 60;
	c->office_end = 18 * 60;
	c->workdays = 0x1F;
	for (size_t i = 0; i < ARRAY_SIZE(top_sections); i++)
		tops[i] = top_sections[i];

	cs.errors = ini_doc_parse(&doc, &scratch, path, buf, len);
	cs.doc = &doc;
	for (size_t s = 0; s < doc.nsections; s++) {
		const struct ini_section *sec = &doc.sections[s];
		const char *arg;
		int idx = -1;

		for (size_t k = 0; k < 7; k++)
			if (!strcmp(sec->name, top_sections[k]))
				idx = (int)k;
		if (idx >= 0 && seen[idx]++) {
			bad(&cs, sec->line, sec->col, "USE-1", "section [%s] appears twice; merge them%s",
			    sec->name, "");
			continue;
		}
		if (!strcmp(sec->name, "book"))
			do_book(&cs, s);
		else if (!strcmp(sec->name, "office"))
			do_office(&cs, s);
		else if (!strcmp(sec->name, "calendar"))
			do_calendar(&cs, s);
		else if (!strcmp(sec->name, "rules"))
			do_rules(&cs, s);
		else if (!strcmp(sec->name, "numbering"))
			do_numbering(&cs, s);
		else if (!strcmp(sec->name, "agency"))
			do_agency(&cs, s);
		else if (!strcmp(sec->name, "rates"))
			do_rates(&cs, s);
		else if ((arg = section_arg(sec->name, "department")))
			do_dept(&cs, s, arg);
		else if ((arg = section_arg(sec->name, "staff")))
			do_staff(&cs, s, arg);
		else if ((arg = section_arg(sec->name, "closure")))
			do_closure(&cs, s, arg);
		else if (!strcmp(sec->name, "closure"))
			do_closure(&cs, s, "");
		else if (!*sec->name && sec->line == 0) {
			const struct ini_entry *e = &doc.entries[sec->first];
			bad(&cs, e->line, e->key_col, "USE-1",
			    "'%s' is outside any section; put it under [book], [office] ...%s", e->key, "");
		} else {
			const char *near = nearest_word(sec->name, tops, ARRAY_SIZE(tops));
			char hint[96] = "";
			if (near)
				snprintf(hint, sizeof(hint), "; did you mean [%s]?", near);
			bad(&cs, sec->line, sec->col, "USE-1", "unknown section [%s]%s", sec->name, hint);
		}
	}
	/* index staff and departments; duplicates are errors */
	for (size_t i = 0; i < c->ndepts; i++)
		strmap_put(&c->dept_by_code, c->depts[i].code, &c->depts[i]);
	for (size_t i = 0; i < c->nstaff; i++) {
		if (strmap_put(&c->staff_by_id, c->staff[i].id, &c->staff[i]))
			bad(&cs, c->staff[i].line, 1, "ORG-1", "staff '%s' is declared twice%s",
			    c->staff[i].id, "");
	}
	config_index_staff(c);
	/* the rules ask for parameters by the ten thousand: by name, the
	 * last of a key set twice */
	for (size_t i = 0; i < c->nparams; i++)
		strmap_put(&c->param_by_key, c->params[i].key, &c->params[i]);
	check_org(&cs);
	check_rates(&cs);
	for (int k = 0; k < K__N; k++)
		if (!c->numbering[k])
			c->numbering[k] = compile_numbering(&cs, k, default_numbering[k], 0, 0);
	ini_doc_release(&doc);
	arena_release(&scratch);
	return cs.errors;
}

void config_release(struct config *c)
{
	for (int k = 0; k < K__N; k++)
		pattern_free(c->numbering[k]);
	strlist_release(&c->calendar_files);
	free(c->params);
	free(c->closures);
	free(c->rates);
	free(c->staff);
	free(c->staff_ids);
	free(c->depts);
	strmap_release(&c->staff_by_id);
	strmap_release(&c->param_by_key);
	strmap_release(&c->dept_by_code);
	arena_release(&c->arena);
}

const struct dept *config_dept(const struct config *c, const char *code)
{
	return strmap_get(&c->dept_by_code, code);
}

static const struct config_param *find_param(const struct config *c, const char *key)
{
	if (c->param_by_key.cap)
		return strmap_get(&c->param_by_key, key);
	for (size_t i = c->nparams; i-- > 0;)
		if (!strcmp(c->params[i].key, key))
			return &c->params[i];
	return NULL;
}

double config_num(const struct config *c, const char *key, double def)
{
	const struct config_param *p = find_param(c, key);

	return p ? strtod(p->value, NULL) : def;
}

const char *config_str(const struct config *c, const char *key, const char *def)
{
	const struct config_param *p = find_param(c, key);

	return p ? p->value : def;
}

int config_duration(const struct config *c, const char *key, double *amount, char *unit)
{
	const struct config_param *p = find_param(c, key);
	const struct param_def *def = param_def(key);

	if (!p || !def || def->type != P_DUR)
		return 0;
	return parse_duration(p->value, def->values ? def->values[0] : 0, amount, unit) == 0;
}

int config_slot(const struct config *c, const char *key, const char *def,
		int *weekday, int *minute)
{
	const char *v = config_str(c, key, def);

	return v && parse_slot(v, weekday, minute) > 0;
}

int config_param_line(const struct config *c, const char *key)
{
	const struct config_param *p = find_param(c, key);

	return p ? p->line : 0;
}
