/* rules.c -- identity, references, unique fields; see rules.h */
#include "rules.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "diag.h"
#include "pattern.h"

/*
 * The numbering match of each record, made once a run by
 * check_numbering() and used by every later rule (id_group()) while the
 * pattern is repeatable (pattern.h): a 100,000-record book would
 * otherwise match its 50,000 job numbers three times over.  Set for the
 * length of rules_check(); a record outside it, or a pattern that has
 * spent steps, is matched as before.  Each record has its own place,
 * laid out by rules_memo_start(), so that the parts of check_numbering()
 * fill it on several threads with no shared growth; read-only after.
 *
 * Kept only for the kinds a later family asks again (MEMO_KINDS: the
 * tickets' numbers, the clients' codes; any other kind's is matched
 * again if it is asked): fresh memory costs more here than matching.
 */
#define MEMO_KINDS ((1u << K_JOB) | (1u << K_CLIENT))
#define MEMO_NONE UINT32_MAX	/* in at[]: no place */

static struct {
	const struct book *b;
	const struct record *recs;
	size_t n;
	signed char *m;		/* PM_MATCH, PM_NOMATCH, or 0: not kept */
	uint32_t *at;		/* each record's place for its match in ov, or MEMO_NONE */
	uint32_t *ov;
} memo;

void rules_memo_start(const struct book *b)
{
	size_t nov = 0;

	memo.b = b;
	memo.recs = b->recs;
	memo.n = b->nrecs;
	memo.m = xmalloc((b->nrecs + 1) * sizeof(*memo.m));
	memset(memo.m, 0, (b->nrecs + 1) * sizeof(*memo.m));	/* written first: see rules_ids() */
	memo.at = xmalloc((b->nrecs + 1) * sizeof(*memo.at));
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		const struct pattern *p = b->cfg.numbering[r->kind];
		size_t want = p ? 2 * (size_t)pattern_pairs(p) : 0;

		memo.at[i] = MEMO_NONE;
		if (p && !r->stub && (MEMO_KINDS & (1u << r->kind)) && nov + want < MEMO_NONE) {
			memo.at[i] = (uint32_t)nov;
			nov += want;
		}
	}
	memo.ov = xmalloc((nov + 1) * sizeof(*memo.ov));
}

void rules_memo_end(void)
{
	free(memo.m);
	free(memo.at);
	free(memo.ov);
	memset(&memo, 0, sizeof(memo));
}

/* Keep the match just made of r (m: what pattern_match() said). */
static void memo_keep(const struct book *b, const struct record *r, int m)
{
	const struct pattern *p = b->cfg.numbering[r->kind];
	size_t i = (size_t)(r - memo.recs);

	if (memo.b != b || memo.recs != b->recs || i >= memo.n || memo.at[i] == MEMO_NONE ||
	    !pattern_repeatable(p) || (m != PM_MATCH && m != PM_NOMATCH))
		return;
	if (m == PM_MATCH)
		pattern_save(p, memo.ov + memo.at[i]);
	memo.m[i] = (signed char)m;
}

/* r's kept match (*m its answer; the offsets, or NULL for no match), or
 * NULL with *m 0 when there is none to use. */
static const uint32_t *memo_of(const struct book *b, const struct record *r, int *m)
{
	size_t i;

	*m = 0;
	if (memo.b != b || memo.recs != b->recs || r < memo.recs ||
	    (i = (size_t)(r - memo.recs)) >= memo.n || !memo.m[i] ||
	    !pattern_repeatable(b->cfg.numbering[r->kind]))
		return NULL;
	*m = memo.m[i];
	return *m == PM_MATCH ? memo.ov + memo.at[i] : NULL;
}

static int group_into(const char *s, size_t len, char *buf, size_t n)
{
	if (len >= n)
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return 1;
}

int id_match(const struct book *b, const struct record *r, struct idmatch *m)
{
	struct pattern *p = b->cfg.numbering[r->kind];
	int kept;

	if (!p)
		return 0;
	m->p = p;
	m->id = r->id;
	if ((m->saved = memo_of(b, r, &kept)) != NULL || kept)
		return kept == PM_MATCH;
	return pattern_match(p, r->id, strlen(r->id)) == PM_MATCH;
}

int id_group_number(const struct book *b, int kind, const char *group)
{
	const struct pattern *p = b->cfg.numbering[kind];

	return p ? pattern_group_id(p, group) : -1;
}

int id_part(const struct idmatch *m, int group, char *buf, size_t n)
{
	const char *s;
	size_t len;

	if (m->saved)
		return pattern_group_saved(m->p, m->saved, m->id, group, &s, &len) &&
		       group_into(s, len, buf, n);
	return pattern_group_at(m->p, group, &s, &len) && group_into(s, len, buf, n);
}

int id_group(const struct book *b, const struct record *r, const char *group,
	     char *buf, size_t n)
{
	struct idmatch m;

	if (!id_match(b, r, &m))
		return 0;
	return group ? id_part(&m, pattern_group_id(m.p, group), buf, n) : 1;
}

int id_group_again(const struct book *b, const struct record *r, const char *group,
		   char *buf, size_t n)
{
	const struct pattern *p = b->cfg.numbering[r->kind];
	struct idmatch m;
	int kept;

	if (!p)
		return 0;
	m.p = p;
	m.id = r->id;
	m.saved = memo_of(b, r, &kept);
	return id_part(&m, pattern_group_id(p, group), buf, n);
}

void rv_load(struct recvals *t, const struct record *r)
{
	if (!++t->gen) {
		/* once in 2^32 records: no stamp may be taken for the new one */
		memset(t->at, 0, sizeof(t->at));
		t->gen = 1;
	}
	t->r = r;
	for (int k = 0; k < r->nvals; k++) {
		t->at[r->vals[k].field] = t->gen;
		t->v[r->vals[k].field] = &r->vals[k];
	}
}

void field_pos(const struct book *b, const struct record *r, const char *name,
	       int *line, int *col)
{
	const struct rval *v = rec_val(r, book_field(b, r->kind, name));

	if (v) {
		*line = v->line;
		*col = v->col;
	} else {
		*line = r->line ? r->line : 1;
		*col = 1;
	}
}

static const char *id_rule(int kind)
{
	return kind == K_CLIENT ? "REC-2" : kind == K_JOB ? "JOBNO-1" :
	       kind == K_MEETING ? "REC-5" : kind == K_CONTACT ? "REC-4" :
	       kind == K_LETTER ? "ORG-3" : kind == K_REVIEW ? "ORG-4" : "REC-6";
}

/* FNV-1a of s as strcasecmp() sees it (each byte through tolower(),
 * whose table is fold). */
static uint64_t hash_nocase(const unsigned char *fold, const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ fold[(unsigned char)*s]) * 0x100000001b3ULL;
	return h;
}

/*
 * Identifiers are unique across the book, whatever the case.  The records
 * are grouped by identifier (strcasecmp()) in a table of their indices;
 * in each group, every later one names the first, and the first names
 * the second.  Each record is told at most once, at its own line 1, so
 * the order in which groups are found does not show in the output.
 */
void rules_ids(struct book *b)
{
	struct idslot {
		uint32_t h;
		uint32_t first;		/* its index + 1; 0: a free slot */
	} *t;
	unsigned char *told;		/* a first that named its second (a bit a record) */
	/* two thirds full at most, and no more: a power of two would be up
	 * to three times the records (fresh memory, dear here); a hash's
	 * slot is its place in [0, cap) as a fraction of 2^32 */
	size_t cap = b->nrecs + b->nrecs / 2 + 16;
	unsigned char fold[256];

	for (int c = 0; c < 256; c++)
		fold[c] = (unsigned char)tolower(c);
	/*
	 * Written before it is read (strmap.c's grow_to() says why): calloc's
	 * fresh pages, read first by the probe below, map the zero page and
	 * are copied on their first write, each copy flushing the TLB of the
	 * other thread's core (5% of a warm check's cycles on the 100k book).
	 */
	t = xmalloc(cap * sizeof(*t));
	memset(t, 0, cap * sizeof(*t));
	told = xmalloc(b->nrecs / 8 + 1);
	memset(told, 0, b->nrecs / 8 + 1);
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i], *other;
		uint64_t h64 = hash_nocase(fold, r->id);
		uint32_t h = (uint32_t)((h64 * 0x9E3779B97F4A7C15ULL) >> 32);	/* its top bits stirred */
		size_t k = (size_t)(((uint64_t)h * cap) >> 32), first;

		while (t[k].first && (t[k].h != h || strcasecmp(b->recs[t[k].first - 1].id, r->id)))
			k = k + 1 == cap ? 0 : k + 1;
		if (!t[k].first) {
			t[k].h = h;
			t[k].first = (uint32_t)i + 1;
			continue;
		}
		first = t[k].first - 1;
		other = &b->recs[first];
		diag_at(DIAG_ERROR, r->path, r->line ? r->line : 1, 1, id_rule(r->kind),
			"identifier '%s' is already used by '%s'; identifiers are never reused or duplicated (renumber one of them)",
			r->id, other->path);
		if (!(told[first / 8] & (1u << (first % 8)))) {
			told[first / 8] |= (unsigned char)(1u << (first % 8));
			diag_at(DIAG_ERROR, other->path, other->line ? other->line : 1, 1,
				id_rule(other->kind),
				"identifier '%s' is also used by '%s'; identifiers are never reused or duplicated (renumber one of them)",
				other->id, r->path);
		}
	}
	free(told);
	free(t);
}

void rules_numbering(struct book *b, size_t from, size_t to)
{
	static const char *const how[K__N] = {
		[K_CLIENT] = "city-YYYYMM-name-NNN, the month zero-padded and a three-digit number (SH-202603-COKE-007)",
		[K_JOB] = "department-YYMM-NN, the month zero-padded and a two-digit number (CS-2611-03; a revision adds -R1)",
		[K_CONTACT] = "CR-YYYYMMDD-NN (the day of the meeting or call, then a two-digit number)",
		[K_MEETING] = "MT-YYYYMMDD-NN (the day of the meeting, then a two-digit number)",
		[K_COMPLAINT] = "TS-YYYYMMDD-NN (the day it was received, then a two-digit number)",
		[K_LETTER] = "LT-YYYYMMDD-NN (the day it was written, then a two-digit number)",
		[K_REVIEW] = "RV-YYYYMMDD-NN (the day it was put up for review, then a two-digit number)",
	};
	static const char *const rule[K__N] = {
		"REC-2", "JOBNO-2", "REC-4", "REC-5", "REC-6", "ORG-3", "ORG-4"
	};
	static const char *const datefield[K__N] = {
		NULL, NULL, "held", "when", "received", "written", "submitted"
	};

	int g_ymd[K__N], f_date[K__N];

	for (int k = 0; k < K__N; k++) {
		g_ymd[k] = id_group_number(b, k, "yyyymmdd");
		f_date[k] = datefield[k] ? book_field(b, k, datefield[k]) : -1;
	}
	for (size_t i = from; i < to; i++) {
		const struct record *r = &b->recs[i];
		char ymd[16];
		int line, col, m;
		struct idmatch im;

		if (!b->cfg.numbering[r->kind] || r->stub)
			continue;
		m = pattern_match(b->cfg.numbering[r->kind], r->id, strlen(r->id));
		memo_keep(b, r, m);
		if (m == PM_DROPPED)
			continue;	/* reported once, in ae.ini */
		if (m == PM_LIMIT) {
			diag_at(DIAG_ERROR, r->path, r->line ? r->line : 1, 1, "SEC-2",
				"the [numbering] %s pattern (%s) is too costly for '%s': it is not checked",
				kind_names[r->kind], pattern_origin(b->cfg.numbering[r->kind]), r->id);
			continue;
		}
		if (m != PM_MATCH) {
			diag_at(DIAG_ERROR, r->path, r->line ? r->line : 1, 1, rule[r->kind],
				"'%s' is not a %s identifier: write %s (the pattern is [numbering] %s in ae.ini)",
				r->id, kind_names[r->kind], how[r->kind], kind_names[r->kind]);
			continue;
		}
		/* the match just made, while the pattern is repeatable (it would
		 * be kept, and not made again, if its kind's were: memo_keep) */
		im.p = b->cfg.numbering[r->kind];
		im.saved = NULL;
		im.id = r->id;
		if (datefield[r->kind] && (pattern_repeatable(im.p) || id_match(b, r, &im)) &&
		    id_part(&im, g_ymd[r->kind], ymd, sizeof(ymd))) {
			const char *v = rec_str(r, f_date[r->kind]);
			int day;
			if (v && strlen(v) >= 10 &&
			    (memcmp(v, ymd, 4) || memcmp(v + 5, ymd + 4, 2) || memcmp(v + 8, ymd + 6, 2)) &&
			    parse_date(v, 10, &day) == DATE_OK) {
				field_pos(b, r, datefield[r->kind], &line, &col);
				diag_at(DIAG_ERROR, r->path, line, col, rule[r->kind],
					"'%s' says %.10s but the identifier '%s' says %.4s-%.2s-%.2s; they must be the same day",
					datefield[r->kind], v, r->id, ymd, ymd + 4, ymd + 6);
			}
		}
	}
}

void rules_refs(struct book *b, size_t from, size_t to)
{
	/* each kind's fields that name a record (ftype_ref_kind), in field
	 * order (a record's values are: the same order of diagnostics), and
	 * the kind each names; a record's other values are not looked at */
	struct reffield {
		unsigned char field;
		signed char target;
	} *refs[K__N];
	int nrefs[K__N];

	if (b->others_unread)
		return;	/* the references did not change, and their targets are unread */
	for (int k = 0; k < K__N; k++) {
		const struct format *fmt = &b->fmts.kinds[k];
		refs[k] = xmalloc(sizeof(*refs[k]) * ((size_t)fmt->nfields + 1));
		nrefs[k] = 0;
		for (int f = 0; f < fmt->nfields && f < 256; f++) {
			int target = ftype_ref_kind(fmt->fields[f].type);
			struct reffield *rf;
			if (target < 0)
				continue;
			rf = &refs[k][nrefs[k]++];
			rf->field = (unsigned char)f;
			rf->target = (signed char)target;
		}
	}
	for (size_t i = from; i < to; i++) {
		const struct record *r = &b->recs[i];
		const struct format *fmt = &b->fmts.kinds[r->kind];
		const struct reffield *rf = refs[r->kind];

		for (int q = 0; q < nrefs[r->kind]; q++) {
			const struct rval *v = rec_val(r, rf[q].field);
			const struct fieldspec *fd;
			int target = rf[q].target;
			const char *other = NULL;

			if (!v)
				continue;
			fd = &fmt->fields[v->field];
			if (book_record(b, target, rval_text(v)) ||
			    strchr(rval_text(v), ' ') || strchr(rval_text(v), '/'))
				continue;	/* found, or already reported as malformed */
			for (int kk = 0; kk < K__N; kk++)
				if (kk != target && book_record(b, kk, rval_text(v)))
					other = kind_names[kk];
			if (other)
				rval_diag(DIAG_ERROR, r->path, v, fd->rule,
					"'%s' must name a %s, but '%s' is a %s", fd->name,
					kind_names[target], rval_text(v), other);
			else
				rval_diag(DIAG_ERROR, r->path, v, fd->rule,
					"unknown %s '%s' in '%s' (no %s/%s.ini in the book)",
					kind_names[target], rval_text(v), fd->name,
					b->fmts.kinds[target].folder, rval_text(v));
		}
	}
	for (int k = 0; k < K__N; k++)
		free(refs[k]);
}

static char *normalise(const char *s, enum ftype t)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *s; s++) {
		if (t == FT_PHONE && (*s == ' ' || *s == '-' || *s == '(' || *s == ')'))
			continue;
		sb_addch(&sb, t == FT_EMAIL ? tolower((unsigned char)*s) : *s);
	}
	return sb_detach(&sb);
}

/* Fields marked unique in the formats: two records must not share a value. */
void rules_unique_fields(struct book *b)
{
	for (int k = 0; k < K__N; k++) {
		const struct format *fmt = &b->fmts.kinds[k];
		for (int f = 0; f < fmt->nfields; f++) {
			const struct fieldspec *fd = &fmt->fields[f];
			struct strmap seen = { 0 };
			struct strlist keys = { 0 };

			if (!fd->unique)
				continue;
			for (size_t i = 0; i < b->nrecs; i++) {
				const struct record *r = &b->recs[i];
				const struct rval *v;
				const struct record *o;
				char *key;

				if (r->kind != k || !(v = rec_val(r, f)))
					continue;
				key = normalise(rval_text(v), fd->type);
				strlist_add_owned(&keys, key);
				o = strmap_get(&seen, key);
				if (!o) {
					strmap_put(&seen, key, (void *)r);
					continue;
				}
				rval_diag((enum diag_level)fd->unique, r->path, v, fd->rule,
					"%s '%s' is shared with %s '%s' (%s); two %ss must not share it",
					fd->name, rval_text(v), kind_names[k], o->id, o->path, kind_names[k]);
			}
			strmap_release(&seen);
			strlist_release(&keys);
		}
	}
}

/* A meeting and its contact report name each other, for the same client. */
void rules_meetings(struct book *b, size_t from, size_t to)
{
	int m_client = book_field(b, K_MEETING, "client");
	int m_report = book_field(b, K_MEETING, "contact_report");
	int c_client = book_field(b, K_CONTACT, "client");
	int c_meeting = book_field(b, K_CONTACT, "meeting");
	int c_occasion = book_field(b, K_CONTACT, "occasion");

	for (size_t i = from; i < to; i++) {
		const struct record *r = &b->recs[i];

		if (r->kind == K_MEETING) {
			const struct rval *v = rec_val(r, m_report);
			const struct record *c = v ? book_record(b, K_CONTACT, rval_text(v)) : NULL;
			const char *back;

			if (!c)
				continue;
			back = rec_str(c, c_meeting);
			if (!back || strcmp(back, r->id))
				rval_diag(DIAG_ERROR, r->path, v, "REC-5",
					"contact report '%s' does not name this meeting back (its 'meeting' is %s%s%s)",
					c->id, back ? "'" : "empty", back ? back : "", back ? "'" : "");
		} else if (r->kind == K_CONTACT) {
			const struct rval *v = rec_val(r, c_meeting);
			const struct record *m = v ? book_record(b, K_MEETING, rval_text(v)) : NULL;
			const char *cc, *mc, *occ;

			if (!m)
				continue;
			{
				const char *back = rec_str(m, m_report);
				if (!back || strcmp(back, r->id))
					rval_diag(DIAG_ERROR, r->path, v, "REC-5",
						"meeting '%s' does not name this contact report back (its 'contact_report' is %s%s%s)",
						m->id, back ? "'" : "empty", back ? back : "", back ? "'" : "");
			}
			cc = rec_str(r, c_client);
			mc = rec_str(m, m_client);
			if (cc && mc && strcmp(cc, mc))
				rval_diag(DIAG_ERROR, r->path, v, "REC-4",
					"meeting '%s' is with client '%s', but this report is for '%s'",
					m->id, mc, cc);
			occ = rec_str(r, c_occasion);
			if (occ && strcmp(occ, "meeting"))
				rval_diag(DIAG_ERROR, r->path, v, "REC-4",
					"the report names meeting '%s' but its occasion is '%s'; set occasion = meeting",
					m->id, occ);
		}
	}
}
