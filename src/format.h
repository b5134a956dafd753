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

/*
 * A label of an enumerated value, in the user's language: "市内" for
 * in-city.  Records, journal lines and the command line may give either;
 * the book's text keeps what was typed, every rule sees the value.
 */
struct label {
	const char *text;
	int value;		/* index into the values */
};

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
	struct label *labels;		/* their labels, each value's first shown */
	int nlabels;
	int unique;			/* 0, DIAG_WARNING or DIAG_ERROR */
	int filler;			/* reject a value that is one string of at
					 * most this many characters said over and
					 * over (JOB-1); 0: no such check */
	int written_by_ae;		/* only ae writes it (renumbered_from):
					 * not offered by ae new's template */
	int not_before;			/* index of the field whose date this one
					 * may not precede (REC-1), or -1 */
	const char *not_before_name;	/* as written, and where, until every */
	const char *not_before_path;	/* file of the kind is read */
	int not_before_line, not_before_col;
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
	/* journal.c: the pattern's group ids (pattern_group_id) of its
	 * checked groups, by bit of `groups`, and of the grammar's first
	 * [group]s; asked by id on every line, not by name */
	int gid[16];
	int ggid[8];
	size_t namelen;		/* journal.c: strlen(name) */
	int known;		/* journal.c: its index in journal.c's verbs ae knows, or -1 */
};

/* [group NAME] of the grammar: the words a named group may capture. */
struct groupspec {
	const char *name;
	const char **values;
	int nvalues;
	struct label *labels;
	int nlabels;
};

struct journal_grammar {
	struct pattern *line;
	int line_gid[5];	/* journal.c: the line's date, time, who, verb, rest */
	struct verbspec *verbs;
	int nverbs, alloc_verbs;
	struct groupspec *groups;
	int ngroups, alloc_groups;
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

/*
 * Which of values w[0..n) is, as itself or by one of its labels: an
 * index into values, or -1.
 */
int enum_lookup(const char *const *values, int nvalues, const struct label *labels,
		int nlabels, const char *w, size_t n);
/* The same for a field's values, and for a journal group's. */
int field_value_index(const struct fieldspec *fd, const char *w, size_t n);
int group_value_index(const struct groupspec *gs, const char *w, size_t n);
/* A journal group's spec, or NULL. */
const struct groupspec *journal_group(const struct journal_grammar *g, const char *name);

/*
 * The allowed values with their labels, for messages and templates:
 * "in-city (市内), out-of-town (市外)".  Appended to out.
 */
void enum_describe(struct strbuf *out, const char *const *values, int nvalues,
		   const struct label *labels, int nlabels);

/* The value nearest to an unknown word w, by its name or a label, or NULL. */
const char *enum_nearest(const char *const *values, int nvalues, const struct label *labels,
			 int nlabels, const char *w);

/* The label shown for value index i in Chinese output: its first, or the value. */
const char *enum_label(const char *const *values, const struct label *labels, int nlabels, int i);

/*
 * A record's entries by field index (record.c) with every enumerated
 * value given by a label replaced by its value, in a copy of the entry
 * allocated in a: the rules and conditions then compare values.  A list
 * is rewritten only when each of its items is a value or a label (else
 * its problems are reported at the items as typed).  The text of the
 * file is not touched.
 */
struct ini_entry;
void format_canonical_entries(const struct format *fmt, const struct ini_entry **byfield,
			      struct arena *a);

/* The folder holding the shipped formats: $AE_FORMATS_DIR, beside the
 * executable, or the installed data folder.  Owned by the caller. */
char *formats_shipped_dir(const char *argv0);

#endif
