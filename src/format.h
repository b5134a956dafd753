/*
 * format.h -- record kinds described as data: formats/<kind>.ini and the
 * journal's line grammar formats/journal.ini.  See docs/ae-formats.5.md.
 *
 * The shipped formats are read first; a book's own formats/<kind>.ini
 * then overrides keys of existing sections and adds fields and checks,
 * so an agency can tighten a rule without touching C.
 */
#ifndef AE_FORMAT_H
#define AE_FORMAT_H

#include "config.h"
#include "source.h"
#include "strmap.h"
#include "util.h"

struct pattern;

enum ftype {
	FT_TEXT, FT_PROSE, FT_LINES, FT_DATE, FT_DATETIME, FT_TIME, FT_ENUM,
	FT_BOOL, FT_INT, FT_NUMBER, FT_MONEY, FT_PHONE, FT_EMAIL, FT_LIST,
	FT_STAFF, FT_STAFF_LIST, FT_DEPT, FT_CLIENT, FT_JOB, FT_MEETING,
	FT_CONTACT, FT_COMPLAINT, FT_ACTIONS, FT__N
};
extern const char *const ftype_names[FT__N];

/* The kind a reference type points at, or -1. */
int ftype_ref_kind(enum ftype t);
/* Whether values of this type may span lines. */
int ftype_multiline(enum ftype t);

/* FIELD=V1|V2 (or FIELD!=V1|V2): a condition on another field's value. */
struct cond {
	int field;
	int negate;
	const char **values;
	int nvalues;
};

struct fieldspec {
	const char *name, *label, *rule, *message;
	enum ftype type;
	int required;
	struct cond *req_if;		/* all must hold */
	int nreq_if;
	struct pattern *pattern;	/* must match (each line, for lines) */
	struct pattern *reject;		/* must not match */
	long min, max;
	int has_min, has_max;
	const char **values;		/* enum and list: the allowed words */
	int nvalues;
	int unique;			/* 0, DIAG_WARNING or DIAG_ERROR */
	const char *def_path;		/* where defined */
	int def_line;
};

struct checkspec {
	const char *name, *message, *rule;
	int field;
	struct cond *conds;
	int nconds;
	struct pattern *pattern, *reject;
	int level;
	const char *def_path;
	int def_line;
};

struct format {
	int kind;
	const char *folder, *label, *rule;
	struct fieldspec *fields;
	int nfields, alloc_fields;
	struct checkspec *checks;
	int nchecks, alloc_checks;
	struct strmap by_name;
};

struct verbspec {
	const char *name, *usage, *rule;
	struct pattern *pattern;
	unsigned groups;	/* which named groups the pattern has (journal.c) */
};

struct journal_grammar {
	struct pattern *line;
	struct verbspec *verbs;
	int nverbs, alloc_verbs;
};

struct formats {
	struct arena arena;
	struct format kinds[K__N];
	struct journal_grammar journal;
};

/*
 * Load the shipped formats from shipped (a source rooted at the shipped
 * formats folder) and overlay the book's own formats/ from book.  Problems
 * are reported; returns the number of errors.
 */
int formats_load(struct formats *f, struct source *shipped, struct source *book,
		 const struct config *cfg);
void formats_release(struct formats *f);

/* Index of field name in fmt, or -1. */
int format_field(const struct format *fmt, const char *name);

/* The folder holding the shipped formats: $AE_FORMATS_DIR, beside the
 * executable, or the installed data folder.  Owned by the caller. */
char *formats_shipped_dir(const char *argv0);

#endif
