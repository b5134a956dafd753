/* calendar.c -- see calendar.h */
#include "calendar.h"

#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "diag.h"
#include "inifile.h"
#include "textfile.h"

#define FIRST_YEAR 1990
#define LAST_YEAR 2100

static void rebuild_counts(struct calendar *cal)
{
	int n = 0;

	for (int i = 0; i < cal->ndays; i++) {
		cal->before[i] = n;
		n += cal->working[i];
	}
}

void calendar_init(struct calendar *cal, const struct config *cfg)
{
	memset(cal, 0, sizeof(*cal));
	cal->day0 = days_from_civil(FIRST_YEAR, 1, 1);
	cal->ndays = days_from_civil(LAST_YEAR, 12, 31) - cal->day0 + 1;
	cal->working = xmalloc((size_t)cal->ndays);
	cal->before = xmalloc(sizeof(int) * (size_t)cal->ndays);
	for (int i = 0; i < cal->ndays; i++)
		cal->working[i] = (cfg->workdays >> weekday_of(cal->day0 + i)) & 1;
	rebuild_counts(cal);
	cal->start = cfg->office_start;
	cal->end = cfg->office_end;
	cal->lunch_start = cfg->lunch_start;
	cal->lunch_end = cfg->lunch_end;
	if (cal->lunch_end <= cal->lunch_start) {
		cal->lunch_start = cal->lunch_end = cal->end;
	}
	cal->minutes_per_day = (cal->lunch_start - cal->start) + (cal->end - cal->lunch_end);
}

void calendar_set(struct calendar *cal, int day, int off)
{
	int i = day - cal->day0;

	if (i < 0 || i >= cal->ndays)
		return;
	cal->working[i] = (unsigned char)!off;
	rebuild_counts(cal);
}

void calendar_release(struct calendar *cal)
{
	free(cal->working);
	free(cal->before);
	free(cal->holidays);
	memset(cal, 0, sizeof(*cal));
}

static int in_table(const struct calendar *cal, int day)
{
	return day >= cal->day0 && day < cal->day0 + cal->ndays;
}

int cal_is_working_day(const struct calendar *cal, int day)
{
	return in_table(cal, day) && cal->working[day - cal->day0];
}

static int day_of(moment_t m)
{
	return (int)(m >= 0 ? m / 1440 : -((-m + 1439) / 1440));
}

static int minute_of(moment_t m)
{
	return (int)(m - (moment_t)day_of(m) * 1440);
}

int cal_is_working(const struct calendar *cal, moment_t m)
{
	int t = minute_of(m);

	if (!cal_is_working_day(cal, day_of(m)))
		return 0;
	return (t >= cal->start && t <= cal->lunch_start) ||
	       (t >= cal->lunch_end && t <= cal->end);
}

/* Working minutes of a working day before minute t. */
static int elapsed(const struct calendar *cal, int t)
{
	int a = t < cal->start ? cal->start : t > cal->lunch_start ? cal->lunch_start : t;
	int b = t < cal->lunch_end ? cal->lunch_end : t > cal->end ? cal->end : t;

	return (a - cal->start) + (b - cal->lunch_end);
}

/* The working-minute count of a moment: monotonic over time. */
static long wcount(const struct calendar *cal, moment_t m)
{
	int d = day_of(m);

	if (d < cal->day0)
		return 0;
	if (d >= cal->day0 + cal->ndays)
		d = cal->day0 + cal->ndays - 1;
	{
		int i = d - cal->day0;
		long w = (long)cal->before[i] * cal->minutes_per_day;
		if (cal->working[i])
			w += elapsed(cal, minute_of(m));
		return w;
	}
}

/* The working day that is the k-th (from 0) in the table, or -1. */
static int kth_working(const struct calendar *cal, long k)
{
	int lo = 0, hi = cal->ndays - 1;

	if (k < 0)
		return -1;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (cal->before[mid] + cal->working[mid] <= k)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!cal->working[lo] || cal->before[lo] != k)
		return -1;
	return cal->day0 + lo;
}

/* Where the r-th working minute of a working day ends (0 < r <= a day's
 * minutes), the earliest such minute of the clock: at the lunch break, its
 * start. */
static int earliest_in_day(const struct calendar *cal, long r)
{
	long morning = cal->lunch_start - cal->start;

	return r <= morning ? cal->start + (int)r : cal->lunch_end + (int)(r - morning);
}

/* The same for 0 <= r < a day's minutes, the latest: at the lunch break,
 * its end; 0 is the opening. */
static int latest_in_day(const struct calendar *cal, long r)
{
	long morning = cal->lunch_start - cal->start;

	return r < morning ? cal->start + (int)r : cal->lunch_end + (int)(r - morning);
}

/*
 * A moment whose working-minute count is w: the earliest (going forwards,
 * a deadline lands at the close of a day, not the next opening) or the
 * latest (going backwards, at the opening, not the previous close).
 */
static moment_t from_wcount(const struct calendar *cal, long w, int latest, moment_t fallback)
{
	long mpd = cal->minutes_per_day, k, r;
	int day;

	if (mpd <= 0 || w < 0)
		return fallback;
	if (latest) {
		k = w / mpd;
		r = w - k * mpd;
	} else {
		k = w <= 0 ? 0 : (w + mpd - 1) / mpd - 1;
		r = w - k * mpd;
	}
	day = kth_working(cal, k);
	if (day < 0)
		return fallback;
	return (moment_t)day * 1440 + (latest ? latest_in_day(cal, r) : earliest_in_day(cal, r));
}

moment_t cal_next_working(const struct calendar *cal, moment_t m)
{
	int d = day_of(m), t = minute_of(m);

	if (cal_is_working(cal, m))
		return m;
	if (cal_is_working_day(cal, d)) {
		if (t < cal->start)
			return (moment_t)d * 1440 + cal->start;
		if (t < cal->lunch_end)
			return (moment_t)d * 1440 + cal->lunch_end;
	}
	d = cal_add_days(cal, d, 1);
	return (moment_t)d * 1440 + cal->start;
}

moment_t cal_prev_working(const struct calendar *cal, moment_t m)
{
	int d = day_of(m), t = minute_of(m);

	if (cal_is_working(cal, m))
		return m;
	if (cal_is_working_day(cal, d)) {
		if (t > cal->end)
			return (moment_t)d * 1440 + cal->end;
		if (t > cal->lunch_start && t < cal->lunch_end)
			return (moment_t)d * 1440 + cal->lunch_start;
	}
	d = cal_add_days(cal, d, -1);
	return (moment_t)d * 1440 + cal->end;
}

int cal_add_days(const struct calendar *cal, int day, int n)
{
	int i = day - cal->day0, found;
	long k;

	if (i < 0 || i >= cal->ndays)
		return day + n;
	if (n > 0)
		k = cal->before[i] + cal->working[i] + n - 1;
	else if (n < 0)
		k = cal->before[i] + n;
	else
		k = cal->before[i];
	found = kth_working(cal, k);
	return found < 0 ? day + n : found;
}

moment_t cal_add_minutes(const struct calendar *cal, moment_t m, long n)
{
	if (!n)
		return m;
	return from_wcount(cal, wcount(cal, m) + n, n < 0, m + n);
}

long cal_minutes_between(const struct calendar *cal, moment_t a, moment_t b)
{
	return wcount(cal, b) - wcount(cal, a);
}

int cal_days_between(const struct calendar *cal, int a, int b)
{
	int ia = a - cal->day0, ib = b - cal->day0;

	if (ia < 0 || ib < 0 || ia >= cal->ndays || ib >= cal->ndays)
		return b - a;
	return (cal->before[ib] + cal->working[ib]) - (cal->before[ia] + cal->working[ia]);
}

int cal_month_first_working(const struct calendar *cal, int day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	day = days_from_civil(y, m, 1);
	return cal_is_working_day(cal, day) ? day : cal_add_days(cal, day, 1);
}

int cal_month_last_working(const struct calendar *cal, int day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	day = days_from_civil(y, m, days_in_month(y, m));
	return cal_is_working_day(cal, day) ? day : cal_add_days(cal, day, -1);
}

int cal_working_on_or_after(const struct calendar *cal, int day)
{
	return cal_is_working_day(cal, day) ? day : cal_add_days(cal, day, 1);
}

int cal_working_on_or_before(const struct calendar *cal, int day)
{
	return cal_is_working_day(cal, day) ? day : cal_add_days(cal, day, -1);
}

moment_t cal_day_at(const struct calendar *cal, int day, int minute)
{
	return (moment_t)cal_working_on_or_after(cal, day) * 1440 + minute;
}

moment_t cal_day_end(const struct calendar *cal, int day)
{
	return cal_day_at(cal, day, cal->end);
}

int cal_week_last_working(const struct calendar *cal, int day)
{
	int monday = day - weekday_of(day);

	for (int d = monday + 6; d >= monday; d--)
		if (cal_is_working_day(cal, d))
			return d;
	return -1;
}

long cal_days_minutes(const struct calendar *cal, double days)
{
	double m = days * cal->minutes_per_day;

	return (long)(m < 0 ? m - 0.5 : m + 0.5);
}

long cal_param_minutes(const struct calendar *cal, const struct config *cfg, const char *key,
		       const char *hours_key, double def_amount, char def_unit, int working)
{
	double amount = def_amount;
	char unit = def_unit;

	if (!config_duration(cfg, key, &amount, &unit) && hours_key &&
	    config_param_line(cfg, hours_key)) {
		amount = config_num(cfg, hours_key, 0);
		unit = 'h';
	}
	if (unit == 'h')
		return (long)(amount * 60 + 0.5);
	return working ? cal_days_minutes(cal, amount) : (long)(amount * 1440 + 0.5);
}

size_t cal_holiday_head(const struct calendar *cal, size_t i)
{
	while (i > 0 && cal->holidays[i - 1].name == cal->holidays[i].name)
		i--;
	return i;
}

/* -- the calendar files -- */

struct cload {
	struct calendar *cal;
	struct book *b;
	const char *path;
	int errors;
};

static void cerr(struct cload *cl, const struct ini_entry *e, int line, int col,
		 const char *fmt, const char *a, const char *b2)
{
	diag_at(DIAG_ERROR, cl->path, e ? e->line : line, e ? e->col : col, "CAL-1", fmt, a, b2);
	cl->errors++;
}

/* Each item of "2026-01-01..2026-01-03, 2026-01-05": call fn(first, last). */
static void each_range(struct cload *cl, const struct ini_entry *e, int allow_range,
		       void (*fn)(struct cload *, const struct ini_entry *, int, int, void *),
		       void *arg)
{
	char *dup = xstrdup(e->value), *save = NULL;

	for (char *w = strtok_r(dup, ", \n", &save); w; w = strtok_r(NULL, ", \n", &save)) {
		char *dots = strstr(w, "..");
		int a, z;

		if (dots && !allow_range) {
			cerr(cl, e, 0, 0, "'%s': make-up working days are single dates%s", w, "");
			continue;
		}
		if (dots)
			*dots = '\0';
		if (parse_date(w, strlen(w), &a) != DATE_OK) {
			cerr(cl, e, 0, 0, "'%s' is not a date (%s)", w, date_problem(w, strlen(w), 0, 1));
			continue;
		}
		z = a;
		if (dots && parse_date(dots + 2, strlen(dots + 2), &z) != DATE_OK) {
			cerr(cl, e, 0, 0, "'%s' is not a date (%s)", dots + 2,
			     date_problem(dots + 2, strlen(dots + 2), 0, 1));
			continue;
		}
		if (z < a || z - a > 31) {
			cerr(cl, e, 0, 0, "the range %s..%s must run forwards and last at most a month",
			     w, dots + 2);
			continue;
		}
		fn(cl, e, a, z, arg);
	}
	free(dup);
}

/* What an 'off' list belongs to: a holiday, or a closure of the company. */
struct offspec {
	const char *name;
	int closure;
};

static void mark_off(struct cload *cl, const struct ini_entry *e, int a, int z, void *arg)
{
	const struct offspec *os = arg;
	struct calendar *cal = cl->cal;
	struct holiday *h;

	for (int d = a; d <= z; d++)
		if (in_table(cal, d))
			cal->working[d - cal->day0] = 0;
	ALLOC_GROW(cal->holidays, cal->nholidays + 1, cal->alloc_holidays);
	h = &cal->holidays[cal->nholidays++];
	h->name = os->name;
	h->closure = (unsigned char)os->closure;
	h->first = a;
	h->last = z;
	h->path = cl->path;
	h->line = e->line;
}

static void mark_work(struct cload *cl, const struct ini_entry *e, int a, int z, void *arg)
{
	struct calendar *cal = cl->cal;

	(void)arg;
	(void)z;
	if (!in_table(cal, a))
		return;
	if (cal->working[a - cal->day0] && ((cl->b->cfg.workdays >> weekday_of(a)) & 1)) {
		char buf[16];
		format_date(buf, a);
		diag_at(DIAG_WARNING, cl->path, e->line, e->col, "CAL-1",
			"%s is already a working weekday; a make-up working day (调休) is a day that would otherwise be off",
			buf);
	}
	cal->working[a - cal->day0] = 1;
}

static void load_file(struct cload *cl, const char *path)
{
	struct strbuf buf = STRBUF_INIT;
	struct arena scratch = { 0 };
	struct ini_doc doc;
	int r = text_load(cl->b->src, path, cl->b->cfg.max_file_bytes, 0, &buf);

	cl->path = arena_strdup(&cl->b->arena, path);
	if (r == 1) {
		diag_at(DIAG_ERROR, "ae.ini", cl->b->cfg.calendar_line, 0, "CAL-1",
			"calendar file '%s' does not exist", path);
		cl->errors++;
	}
	if (r != 0) {
		sb_release(&buf);
		return;
	}
	ini_doc_parse(&doc, &scratch, cl->path, buf.buf, buf.len);
	/* make-up days after holidays, closures after both, whatever the
	 * order in the file: a closure on a make-up day closes it */
	for (int pass = 0; pass < 3; pass++) {
		for (size_t s = 0; s < doc.nsections; s++) {
			const struct ini_section *sec = &doc.sections[s];
			const struct ini_entry *e;
			int closure = !strncmp(sec->name, "closure ", 8) && sec->name[8];

			if (!strcmp(sec->name, "calendar")) {
				if (pass)
					continue;
				for (size_t i = sec->first; i < sec->first + sec->count; i++) {
					e = &doc.entries[i];
					if (!strcmp(e->key, "year")) {
						int y = atoi(e->value);
						if (y < FIRST_YEAR || y > LAST_YEAR)
							cerr(cl, e, 0, 0, "year '%s' is out of range%s", e->value, "");
						else {
							if (!cl->cal->first_year || y < cl->cal->first_year)
								cl->cal->first_year = y;
							if (y > cl->cal->last_year)
								cl->cal->last_year = y;
						}
					} else if (strcmp(e->key, "name")) {
						cerr(cl, e, 0, 0, "unknown key '%s' in [calendar] (year, name)%s", e->key, "");
					}
				}
			} else if ((!strncmp(sec->name, "holiday ", 8) && sec->name[8]) || closure) {
				struct offspec os = { NULL, closure };
				for (size_t i = sec->first; i < sec->first + sec->count; i++) {
					e = &doc.entries[i];
					if (!strcmp(e->key, "off")) {
						if (pass == (closure ? 2 : 0)) {
							if (!os.name)
								os.name = arena_strdup(&cl->b->arena, sec->name + 8);
							each_range(cl, e, 1, mark_off, &os);
						}
					} else if (!strcmp(e->key, "work") && !closure) {
						if (pass == 1)
							each_range(cl, e, 0, mark_work, NULL);
					} else if (!pass) {
						cerr(cl, e, 0, 0, closure ? "unknown key '%s' in a closure (off)%s" :
						     "unknown key '%s' in a holiday (off, work)%s", e->key, "");
					}
				}
			} else if (!pass) {
				cerr(cl, NULL, sec->line, sec->col,
				     "unknown section [%s]; a calendar has [calendar], [holiday NAME] and [closure NAME]%s",
				     sec->name, "");
			}
		}
	}
	ini_doc_release(&doc);
	arena_release(&scratch);
	sb_release(&buf);
}

int calendar_load(struct calendar *cal, struct book *b)
{
	struct cload cl = { cal, b, NULL, 0 };

	calendar_init(cal, &b->cfg);
	for (size_t i = 0; i < b->cfg.calendar_files.n; i++)
		load_file(&cl, b->cfg.calendar_files.v[i]);
	/* the closures of ae.ini (DUE-13): after the files, so they win */
	cl.path = b->cfg.path;
	for (size_t i = 0; i < b->cfg.nclosures; i++) {
		const struct closure *c = &b->cfg.closures[i];
		struct ini_entry e;
		struct offspec os = { c->name, 1 };

		memset(&e, 0, sizeof(e));
		e.key = "off";
		e.value = c->off;
		e.line = c->line;
		e.col = c->col;
		each_range(&cl, &e, 1, mark_off, &os);
	}
	rebuild_counts(cal);
	return cl.errors;
}

long cal_holiday_announced(const struct calendar *cal, int day, const char *name, size_t n)
{
	long best = -1;
	int named = 0;

	for (size_t i = 0; name && i < cal->nholidays; i++)
		named |= strlen(cal->holidays[i].name) == n && !memcmp(cal->holidays[i].name, name, n);
	for (size_t i = 0; i < cal->nholidays; i++) {
		const struct holiday *h = &cal->holidays[i];
		if (named ? strlen(h->name) != n || memcmp(h->name, name, n) || h->last < day :
			    h->first <= day || h->first > day + 30)
			continue;
		if (best < 0 || h->first < cal->holidays[best].first)
			best = (long)i;
	}
	return best < 0 ? 0 : 1 + (long)cal_holiday_head(cal, (size_t)best);
}
