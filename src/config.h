/*
 * config.h -- the book's settings, ae.ini at its root.
 *
 * Staff and their ranks, departments, office hours, calendar files, rule
 * parameters and the numbering patterns.  See docs/ae.ini.5.md.  All
 * strings live in the config's arena.
 */
#ifndef AE_CONFIG_H
#define AE_CONFIG_H

#include "strmap.h"
#include "util.h"

struct pattern;

enum rank { RANK_AAE, RANK_AE, RANK_AM, RANK_AD, RANK_ED, RANK_GM, RANK_FIN,
	    RANK_STAFF, RANK__N };
extern const char *const rank_names[RANK__N];

struct staff {
	const char *id, *name, *dept, *reports_to, *email;
	enum rank rank;
	int line;
	/* what a letter to a client signs with (the client editions of the
	 * reports); NULL when not set */
	const char *phone, *title, *name_en, *title_en;
	int reports_to_line, reports_to_col;	/* where reports_to is set, or 0 */
};

/* [agency]: the agency as its clients know it, for the letterhead and
 * the signature of the client editions; each NULL when not set. */
struct agency {
	const char *name, *name_en, *address, *address_en, *phone, *email, *web;
};

struct dept {
	const char *code, *name, *kind;
	int line;
};

/* The record kinds the C rules know. */
enum kind { K_CLIENT, K_JOB, K_CONTACT, K_MEETING, K_COMPLAINT, K_LETTER, K_REVIEW,
	    K__N };
extern const char *const kind_names[K__N];
int kind_from_name(const char *name);	/* -1 if unknown */

/* [closure NAME] of ae.ini: company training or a trip (DUE-13); the
 * calendar reads its 'off' dates. */
struct closure {
	const char *name, *off;
	int line, col;
};

struct config_param {
	const char *key, *value;
	int line, col;
};

/* [rates]: an hour of a rank's or a person's time, for the cost of a
 * ticket (JOB-8); key is a rank name or a staff ID. */
struct config_rate {
	const char *key;
	long cents;
	int line, col;
};

struct config {
	struct arena arena;
	const char *path;		/* "ae.ini" */
	const char *name, *timezone, *lang;
	size_t max_file_bytes;
	int office_start, office_end;	/* minutes from midnight */
	int lunch_start, lunch_end;	/* equal when there is no lunch break */
	unsigned workdays;		/* bit 0 = Monday */
	struct strlist calendar_files;
	int calendar_line;
	struct config_param *params;
	size_t nparams, alloc_params;
	struct closure *closures;
	size_t nclosures, alloc_closures;
	struct config_rate *rates;
	size_t nrates, alloc_rates;
	struct pattern *numbering[K__N];
	struct agency agency;
	struct staff *staff;
	size_t nstaff, alloc_staff;
	struct dept *depts;
	size_t ndepts, alloc_depts;
	struct strmap staff_by_id, dept_by_code;
	struct strmap param_by_key;	/* [rules] by key, once parsed */
	/* staff by the address of their ID string (config_staff) */
	struct staff_id { const char *id; size_t index; } *staff_ids;
	size_t staff_ids_mask;
};

/* Parse ae.ini text (already checked as text).  Problems are reported;
 * returns the number of errors. */
int config_parse(struct config *c, const char *path, const char *buf, size_t len);
void config_release(struct config *c);

const struct staff *config_staff(const struct config *c, const char *id);
/* For config_parse(): index the staff by the address of their IDs, once
 * staff_by_id is complete (config_staff.c). */
void config_index_staff(struct config *c);
const struct dept *config_dept(const struct config *c, const char *code);

/*
 * A rule parameter from [rules], or def when absent.  Values were checked
 * by config_parse() against the table of known parameters.
 */
double config_num(const struct config *c, const char *key, double def);
const char *config_str(const struct config *c, const char *key, const char *def);
/*
 * A duration parameter: 1 when it is set, with its amount and unit ('d'
 * working days, 'h' hours), else 0.  The calendar turns days into minutes
 * (cal_days_minutes).
 */
int config_duration(const struct config *c, const char *key, double *amount, char *unit);
/* A weekly slot parameter ('mon 09:30'; def when absent): 1 and its
 * weekday (0 Monday) and minute, or 0 for 'none'. */
int config_slot(const struct config *c, const char *key, const char *def,
		int *weekday, int *minute);
/* Where a parameter was set (for diagnostics), or 0. */
int config_param_line(const struct config *c, const char *key);

/* Whether `who` is `boss` or reports to boss, directly or not. */
int config_reports_to(const struct config *c, const char *who, const char *boss);

/*
 * The hourly rate of staff member st in cents ([rates]: the person's own,
 * else their rank's), or -1 when ae.ini gives none.
 */
long config_rate(const struct config *c, const struct staff *st);

#endif
