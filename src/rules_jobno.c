/*
 * rules_jobno.c -- job numbers (JOBNO-1..5): the department and month in
 * the number, its order, and a number never given twice, not even after
 * the ticket that had it was deleted or renumbered (the history tells).
 * See rules.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "diag.h"
#include "edit.h"
#include "numbering.h"
#include "pattern.h"
#include "pool.h"
#include "rules.h"

/*
 * A ticket's number, one a record of the book (by its index; only the
 * tickets' are written, so only theirs are touched: 48 bytes each, fresh
 * memory, which costs here more than the instructions that fill it).
 */
struct jobnum {
	/* the department and YYMM as big-endian numbers (pack()): their
	 * order is strcmp()'s, and they are the strings (unpack()) */
	uint64_t kd0, kd1, kym;
	const char *opened;	/* as YYYY-MM-DD HH:MM (16 bytes), or NULL */
	const struct record *r;
	int seq;
	unsigned char ok;		/* split: it has a department and a sequence */
	unsigned char ordered;		/* checked for order (check_one) */
	unsigned char renumbered;	/* the number was given by ae renumber, later */
};

/* The string s (of at most 8 * words bytes before its NUL) as big-endian
 * numbers, zero after its end: they compare as strcmp() does. */
static void pack(const char *s, uint64_t *out, int words)
{
	for (int w = 0; w < words; w++)
		out[w] = 0;
	for (int i = 0; i < 8 * words && s[i]; i++)
		out[i / 8] |= (uint64_t)(unsigned char)s[i] << (56 - 8 * (i % 8));
}

/* pack()'s words back into the string, in out (8 * words + 1 bytes). */
static void unpack(const uint64_t *w, int words, char *out)
{
	int i;

	for (i = 0; i < 8 * words; i++) {
		char c = (char)(w[i / 8] >> (56 - 8 * (i % 8)));
		if (!c)
			break;
		out[i] = c;
	}
	out[i] = '\0';
}

static int same_month(const struct jobnum *a, const struct jobnum *c)
{
	return a->kd0 == c->kd0 && a->kd1 == c->kd1 && a->kym == c->kym;
}

/* By department, month, sequence and path (strcmp() of each). */
static int jobnum_before(const struct jobnum *a, const struct jobnum *c)
{
	if (a->kd0 != c->kd0)
		return a->kd0 < c->kd0;
	if (a->kd1 != c->kd1)
		return a->kd1 < c->kd1;
	if (a->kym != c->kym)
		return a->kym < c->kym;
	if (a->seq != c->seq)
		return a->seq < c->seq;
	return strcmp(a->r->path, c->r->path) < 0;
}

/*
 * Sort v[0..n) (pointers) by jobnum_before: a merge sort of the runs
 * already in order.  The tickets come in the order of their paths, so a
 * book's job numbers are a few runs (one a year folder), merged in a few
 * passes instead of qsort()'s n log n calls.
 */
static void sort_jobnums(const struct jobnum **v, size_t n)
{
	const struct jobnum **tmp = xmalloc(sizeof(*tmp) * (n + 1)), **src = v, **dst = tmp;

	for (;;) {
		size_t runs = 0, i = 0, o = 0;

		while (i < n) {
			size_t mid = i + 1, end;

			while (mid < n && !jobnum_before(src[mid], src[mid - 1]))
				mid++;
			end = mid;
			if (mid < n) {
				end = mid + 1;
				while (end < n && !jobnum_before(src[end], src[end - 1]))
					end++;
			}
			/* merge src[i..mid) and src[mid..end), stably */
			{
				size_t x = i, y = mid;
				while (x < mid && y < end)
					dst[o++] = jobnum_before(src[y], src[x]) ? src[y++] : src[x++];
				while (x < mid)
					dst[o++] = src[x++];
				while (y < end)
					dst[o++] = src[y++];
			}
			runs++;
			i = end;
		}
		{
			const struct jobnum **t = src;
			src = dst;
			dst = t;
		}
		if (runs <= 1)
			break;
	}
	if (src != v)
		memcpy(v, src, sizeof(*v) * n);
	free(tmp);
}

/* A job number's parts, by the [numbering] pattern's groups. */
struct jobsplit {
	int ok;			/* it has a department and a sequence */
	char dept[16], ym[8], seq[8], rev[8];
};

/* The numbers of the [numbering] job pattern's groups, asked once a run. */
struct jobgroups {
	int dept, seq, yymm, yyyymm, rev;
};

static void job_groups(const struct book *b, struct jobgroups *g)
{
	g->dept = id_group_number(b, K_JOB, "dept");
	g->seq = id_group_number(b, K_JOB, "seq");
	g->yymm = id_group_number(b, K_JOB, "yymm");
	g->yyyymm = id_group_number(b, K_JOB, "yyyymm");
	g->rev = id_group_number(b, K_JOB, "rev");
}

/* The department, YYMM and sequence of a job number (one match of the
 * pattern: a big book has 50,000 of them); sp->ok 0 if it has none. */
static void split_number(const struct book *b, const struct jobgroups *g, const struct record *r,
			 struct jobsplit *sp)
{
	struct idmatch m;

	memset(sp, 0, sizeof(*sp));
	sp->ok = id_match(b, r, &m) && id_part(&m, g->dept, sp->dept, sizeof(sp->dept)) &&
		 id_part(&m, g->seq, sp->seq, sizeof(sp->seq));
	if (!sp->ok)
		return;
	if (!id_part(&m, g->yymm, sp->ym, sizeof(sp->ym)) &&
	    id_part(&m, g->yyyymm, sp->ym, sizeof(sp->ym)))
		memmove(sp->ym, sp->ym + 2, 5);
	id_part(&m, g->rev, sp->rev, sizeof(sp->rev));
}

/* "DEPT-YYMM-SEQ" into key (40 bytes), as "%s-%s-%d" would write it. */
static void used_key(char *key, const char *dept, const char *ym, int seq)
{
	char digits[12];
	size_t n = 0, dn = strlen(dept), yn = strlen(ym);
	unsigned u = seq < 0 ? 0u - (unsigned)seq : (unsigned)seq;

	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10));
	if (seq < 0)
		digits[n++] = '-';
	/* dept < 16, ym < 8, 11 digits at most: 37 bytes with the NUL */
	memcpy(key, dept, dn);
	key[dn] = '-';
	memcpy(key + dn + 1, ym, yn);
	key += dn + 1 + yn;
	*key++ = '-';
	while (n)
		*key++ = digits[--n];
	*key = '\0';
}

/* The job format's fields the rules read, looked up once. */
struct jobf {
	int department, issuer, opened, renumbered_from, client;
	/* the department last asked of ae.ini (the tickets come by department) */
	char dept[16];
	const struct dept *known;
};

/* Per ticket: JOBNO-2, 3 (00), 4, 5. */
static int check_one(struct book *b, struct jobf *f, struct recvals *t,
		     const struct record *r, const struct jobsplit *sp, struct jobnum *jn)
{
	const char *dept = sp->dept, *ym = sp->ym, *seq = sp->seq, *rev = sp->rev;
	const struct rval *v;
	const struct dept *known;
	moment_t opened;
	int line, col;

	if (!sp->ok)
		return 0;
	rv_load(t, r);
	if (!f->dept[0] || strcmp(f->dept, dept)) {
		f->known = config_dept(&b->cfg, dept);
		memcpy(f->dept, dept, sizeof(f->dept));
	}
	known = f->known;
	/* JOBNO-4: each department numbers on its own */
	if ((v = rv_val(t, f->department)) && strcmp(rval_text(v), dept))
		rval_diag(DIAG_ERROR, r->path, v, "JOBNO-4",
			"job number '%s' belongs to department %s, but the ticket's department is %s",
			r->id, dept, rval_text(v));
	else if (!known)
		diag_at(DIAG_ERROR, r->path, r->line, 1, "JOBNO-4",
			"job number '%s' starts with %s, which is not a department in ae.ini",
			r->id, dept);
	/* JOBNO-5: the issuer is named and known (validate); of that department */
	if ((v = rv_val(t, f->issuer)) && known) {
		const struct staff *st = config_staff(&b->cfg, rval_text(v));
		if (st && st->dept && strcmp(st->dept, dept))
			rval_diag(DIAG_WARNING, r->path, v, "JOBNO-5",
				"issuer %s is in department %s, but the ticket is numbered for %s",
				st->id, st->dept, dept);
	}
	/* JOBNO-2: the number contains the month it was opened */
	v = rv_val(t, f->opened);
	if (v && strlen(rval_text(v)) != 16)
		v = NULL;
	if (v && ym[0] && !rev[0] &&
	    (memcmp(rval_text(v) + 2, ym, 2) || memcmp(rval_text(v) + 5, ym + 2, 2)) &&
	    parse_datetime(rval_text(v), 16, &opened) == DATE_OK) {
		field_pos(b, r, "opened", &line, &col);
		diag_at(DIAG_ERROR, r->path, line, col, "JOBNO-2",
			"opened %.7s, but the job number '%s' says 20%.2s-%.2s; the number carries the month the ticket was opened",
			rval_text(v), r->id, ym, ym + 2);
	}
	if (!strcmp(seq, "00")) {
		diag_at(DIAG_ERROR, r->path, r->line, 1, "JOBNO-3",
			"job number '%s' has sequence 00; each month's numbers start at 01", r->id);
		return 0;
	}
	if (rev[0])
		return 0;	/* a revision shares its original's number */
	jn->opened = v ? rval_text(v) : NULL;
	jn->renumbered = rv_val(t, f->renumbered_from) != NULL;
	return 1;
}

/* jn: the number of ticket r, split as sp (not yet checked for order). */
static void jobnum_set(struct jobnum *jn, const struct record *r, const struct jobsplit *sp)
{
	pack(sp->dept, &jn->kd0, 2);
	pack(sp->ym, &jn->kym, 1);
	jn->seq = sp->ok ? atoi(sp->seq) : 0;
	jn->opened = NULL;
	jn->r = r;
	jn->ok = (unsigned char)sp->ok;
	jn->ordered = 0;
	jn->renumbered = 0;
}

/*
 * Whether a ticket opened at c (YYYY-MM-DD HH:MM) was opened before one
 * opened at a, both times known (and not the epoch, which stands for
 * unknown).  The text's order is the times' when both parse: check_order
 * compares the text first and parses only the few that are out of order.
 */
static int opened_before(const char *c, const char *a)
{
	moment_t mc, ma;

	return parse_datetime(c, 16, &mc) == DATE_OK && parse_datetime(a, 16, &ma) == DATE_OK &&
	       mc && ma && mc < ma;
}

/* JOBNO-1/3: within a department and month, numbers are unique and in
 * the order the tickets were opened.  v (pointers into jn) is sorted. */
static void check_order(const struct jobnum **v, size_t n)
{
	sort_jobnums(v, n);
	for (size_t i = 1; i < n; i++) {
		const struct jobnum *a = v[i - 1], *c = v[i];
		if (!same_month(a, c))
			continue;
		if (a->seq == c->seq && !strcmp(a->r->id, c->r->id))
			continue;	/* the same identifier: reported by rules.c */
		if (a->seq == c->seq) {
			char dept[17], ym[9];
			unpack(&c->kd0, 2, dept);
			unpack(&c->kym, 1, ym);
			diag_at(DIAG_ERROR, c->r->path, c->r->line, 1, "JOBNO-1",
				"job number %s-%s-%02d is given twice: here and in '%s'; a number is never duplicated",
				dept, ym, c->seq, a->r->path);
		}
		else if (a->opened && c->opened && strcmp(c->opened, a->opened) < 0 &&
			 !a->renumbered && !c->renumbered &&	/* numbered later, by a renumber */
			 opened_before(c->opened, a->opened))
			diag_at(DIAG_WARNING, c->r->path, c->r->line, 1, "JOBNO-3",
				"'%s' was opened before '%s' but has the higher number; numbers follow the order tickets are opened",
				c->r->id, a->r->id);
	}
}

/* The numbers given out, "DEPT-YYMM-SEQ" (used_key), in a table of their
 * own (open addressing, the keys inside). */
struct numset {
	char (*keys)[40];	/* "" is a free slot */
	size_t cap;
};

static uint64_t key_hash(const char *k)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 0x100000001b3ULL;
	return h ^ (h >> 31);
}

/* Whether number dept-ym-seq was given out (see add_used). */
static int number_used(const struct numset *used, const char *dept, const char *ym, int seq)
{
	char key[40];
	size_t k;

	used_key(key, dept, ym, seq);
	for (k = key_hash(key) & (used->cap - 1); used->keys[k][0]; k = (k + 1) & (used->cap - 1))
		if (!strcmp(used->keys[k], key))
			return 1;
	return 0;
}

/* Put key ("DEPT-YYMM-SEQ", used_key()) in the table, once. */
static void add_key(struct numset *used, const char key[40])
{
	size_t k;

	for (k = key_hash(key) & (used->cap - 1); used->keys[k][0]; k = (k + 1) & (used->cap - 1))
		if (!strcmp(used->keys[k], key))
			return;
	memcpy(used->keys[k], key, 40);
}

/* "CS-2611-3" of a job id that has one (a revision gives its original's). */
static void add_used(const struct jobsplit *sp, struct numset *used)
{
	char key[40];

	if (!sp->ok || !sp->ym[0])
		return;
	used_key(key, sp->dept, sp->ym, atoi(sp->seq));
	add_key(used, key);
}

/* The same of a ticket of the book (jobnum_set() kept its split). */
static void add_used_jobnum(const struct jobnum *jn, struct numset *used)
{
	char key[40], dept[17], ym[9];

	if (!jn->ok || !jn->kym)
		return;
	unpack(&jn->kd0, 2, dept);
	unpack(&jn->kym, 1, ym);
	used_key(key, dept, ym, jn->seq);
	add_key(used, key);
}

/* Every number the book's tickets and its history gave out. */
static void numset_fill(struct numset *used, const struct book *b, const struct jobnum *jn,
			const struct jobsplit *gsplit, size_t ngone)
{
	size_t want = 2 * (b->nrecs + ngone) + 2;

	used->cap = 16;
	while (used->cap < want)
		used->cap <<= 1;
	used->keys = xmalloc(used->cap * sizeof(*used->keys));
	memset(used->keys, 0, used->cap * sizeof(*used->keys));	/* see rules_ids() */
	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].kind == K_JOB)
			add_used_jobnum(&jn[i], used);
	for (size_t i = 0; i < ngone; i++)
		add_used(&gsplit[i], used);
}

/*
 * JOBNO-3: a month's first ticket of a department is 01, and each number
 * follows one given out before: in the book, or in its history (a gap
 * left by a deleted ticket is fine).  v is sorted (check_order): a number
 * whose month in the book has the one before it needs no look-up, and
 * the table of every number given out is made only when one does not.
 */
static void check_first(struct book *b, const struct jobnum *const *v, size_t n,
			const struct jobnum *jn, const struct jobsplit *gsplit, size_t ngone,
			int history)
{
	struct numset used = { 0 };

	for (size_t i = 0; i < n; i++) {
		const struct jobnum *j = v[i];
		char dept[17], ym[9];
		size_t k = i;
		int below = 0;

		if (j->r->stub || j->seq <= 1)
			continue;
		/* the number before it in the same month of the book */
		while (k > 0 && same_month(v[k - 1], j) && v[k - 1]->seq == j->seq)
			k--;
		if (j->kym && k > 0 && same_month(v[k - 1], j) && v[k - 1]->seq == j->seq - 1)
			continue;	/* it is given out: add_used_jobnum() put it */
		if (!used.keys)
			numset_fill(&used, b, jn, gsplit, ngone);
		unpack(&j->kd0, 2, dept);
		unpack(&j->kym, 1, ym);
		if (number_used(&used, dept, ym, j->seq - 1))
			continue;
		for (int s = 1; s < j->seq && !below; s++)
			below = number_used(&used, dept, ym, s);
		if (!below)
			diag_at(DIAG_ERROR, j->r->path, j->r->line, 1, "JOBNO-3",
				"'%s' is the first ticket of department %s in 20%.2s-%.2s, but a month's numbers start at 01 (%s-%s-01)%s",
				j->r->id, dept, ym, ym + 2, dept, ym,
				history ? "; the history shows no ticket before it" : "");
		else if (history)
			/* without a history, a gap may be a ticket deleted: said only with one */
			diag_at(DIAG_WARNING, j->r->path, j->r->line, 1, "JOBNO-3",
				"'%s' skips %s-%s-%02d, which no ticket had, in the book or its history; numbers follow one another",
				j->r->id, dept, ym, j->seq - 1);
	}
	free(used.keys);
}

/*
 * JOBNO-1: a number is never reused.  A ticket whose number a removed
 * ticket had is the same ticket when it was opened at the same time for
 * the same client (put back), else a different one taking its number.
 */
static void check_reuse(struct book *b, const struct jobf *f, const struct removed_ids *gone)
{
	if (!gone->text.n)
		return;		/* nothing removed */
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		const char *text, *opened, *client;
		char *was_opened, *was_client;

		if (r->kind != K_JOB || r->stub || !(text = strmap_get(&gone->text, r->id)) || !*text)
			continue;
		opened = rec_str(r, f->opened);
		client = rec_str(r, f->client);
		was_opened = edit_get(text, strlen(text), "opened");
		was_client = edit_get(text, strlen(text), "client");
		if ((!was_opened || !opened || strcmp(was_opened, opened)) ||
		    (was_client && client && strcmp(was_client, client)))
			diag_at(DIAG_ERROR, r->path, r->line ? r->line : 1, 1, "JOBNO-1",
				"job number '%s' was another ticket's (opened %s for %s), removed from the book in its history; a number is never reused: give this ticket a new one ('ae renumber %s NEW', 'ae new job')",
				r->id, was_opened ? was_opened : "?", was_client ? was_client : "?", r->id);
		free(was_opened);
		free(was_client);
	}
}

/* A run of the job-number rules, in steps (rules.h). */
struct jobno_run {
	struct book *b;
	struct jobnum *jn;		/* by record index, the tickets' only: each
					 * number split once, for every rule below */
	const struct jobnum **v;	/* the numbers in order (check_order) */
	size_t n;
	struct jobgroups g;
	struct removed_ids gone;
	int read_gone;
	int ordered, may_skip;
	size_t next_present;		/* in_book()'s first guess */
};

/* removed_ids_read's keep: the ids of the tickets read in full, whose
 * removed text check_reuse() compares. */
static int read_in_full(const char *id, void *arg)
{
	const struct jobno_run *j = arg;
	const struct book *b = j->b;
	const struct record *r = book_record(b, K_JOB, id);

	if (!r)
		return 0;
	if (!r->stub)
		return 1;
	/* the index names the first of that id: another may be read in full */
	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].kind == K_JOB && !b->recs[i].stub && !strcmp(b->recs[i].id, id))
			return 1;
	return 0;
}

/* The parts of the numbers the history gave out (gone's ids), into *out. */
static size_t split_gone(struct book *b, const struct jobgroups *g, const struct removed_ids *gone,
			 struct jobsplit **out)
{
	const struct pattern *p = b->cfg.numbering[K_JOB];
	size_t n = 0;

	*out = xmalloc(sizeof(**out) * (gone->ids.n + 1));
	for (size_t i = 0; i < gone->ids.n; i++) {
		struct record fake = { 0 };
		/* a number the book has is in the table already, split the
		 * same; matched again only to charge what it did (SEC-2) */
		if (p && pattern_repeatable(p) && book_record(b, K_JOB, gone->ids.v[i]))
			continue;
		fake.id = gone->ids.v[i];
		fake.kind = K_JOB;
		split_number(b, g, &fake, &(*out)[n++]);
	}
	return n;
}

static void jobno_fields(struct book *b, struct jobf *f)
{
	f->department = book_field(b, K_JOB, "department");
	f->issuer = book_field(b, K_JOB, "issuer");
	f->opened = book_field(b, K_JOB, "opened");
	f->renumbered_from = book_field(b, K_JOB, "renumbered_from");
	f->client = book_field(b, K_JOB, "client");
	f->dept[0] = '\0';
	f->known = NULL;
}

struct jobno_run *rules_jobno_start(struct book *b)
{
	struct jobno_run *j = xcalloc(1, sizeof(*j));

	j->b = b;
	j->jn = xmalloc(sizeof(*j->jn) * (b->nrecs + 1));
	job_groups(b, &j->g);
	return j;
}

void rules_jobno_records(struct jobno_run *j, size_t from, size_t to)
{
	struct book *b = j->b;
	struct recvals *rv = xcalloc(1, sizeof(*rv));
	struct jobf f;

	jobno_fields(b, &f);
	for (size_t i = from; i < to; i++) {
		const struct record *r = &b->recs[i];
		struct jobsplit sp;

		if (r->kind != K_JOB)
			continue;
		split_number(b, &j->g, r, &sp);
		jobnum_set(&j->jn[i], r, &sp);
		/* a record known by name only can clash with a changed one only by
		 * having the same identifier, which rules.c reports */
		if (r->stub)
			continue;
		j->jn[i].ordered = (unsigned char)check_one(b, &f, rv, r, &sp, &j->jn[i]);
	}
	free(rv);
}

void rules_jobno_order(struct jobno_run *j)
{
	size_t n = 0;

	j->v = xmalloc(sizeof(*j->v) * (j->b->nrecs + 1));
	for (size_t i = 0; i < j->b->nrecs; i++)
		if (j->b->recs[i].kind == K_JOB && j->jn[i].ordered)
			j->v[n++] = &j->jn[i];
	j->n = n;
	check_order(j->v, n);
	j->ordered = 1;
}

/*
 * removed_ids_read_skip's skip: an id the book has, which split_gone()
 * would skip (the same test).  HEAD's files come in the order of their
 * paths, as the book's tickets do: the ticket after the last one found
 * is tried first, and the map (a hash and two reads far apart in memory,
 * for each of 50,000 ids of a big book) asked only when it is not that
 * one.  Every indexed record is in the map by its id, so both say the same.
 */
static int in_book(const char *id, void *arg)
{
	struct jobno_run *j = arg;
	const struct book *b = j->b;
	const struct pattern *p = b->cfg.numbering[K_JOB];
	const struct record *r;
	size_t i = j->next_present;

	if (!p || !pattern_repeatable(p))
		return 0;
	if (i < b->ids_digested && b->recs[i].kind == K_JOB && !strcmp(b->recs[i].id, id)) {
		j->next_present = i + 1;
		return 1;
	}
	if (!(r = book_record(b, K_JOB, id)))
		return 0;
	j->next_present = (size_t)(r - b->recs) + 1;
	return 1;
}

void rules_jobno_history(struct jobno_run *j)
{
	/* what the history says matters to the tickets read in full; a change
	 * checked alone (no number moved) needs none of it */
	if (j->b->others_unread)
		return;
	/* split_gone() would skip the ids the book has, while the pattern
	 * is repeatable: left out as they are read, when that cannot change
	 * before split_gone() (the pattern is charged nothing on several
	 * threads, and on one the numbering is done by now) */
	j->may_skip = pool_active() || j->ordered;
	removed_ids_read_skip(&j->gone, j->b, K_JOB, read_in_full, j->may_skip ? in_book : NULL, j);
	j->read_gone = 1;
}

void rules_jobno_first(struct jobno_run *j)
{
	struct book *b = j->b;
	struct jobsplit *gsplit;
	struct jobf f;
	size_t ngone;

	if (!j->read_gone)
		return;
	jobno_fields(b, &f);
	check_reuse(b, &f, &j->gone);
	ngone = split_gone(b, &j->g, &j->gone, &gsplit);
	check_first(b, j->v, j->n, j->jn, gsplit, ngone, j->gone.history);
	free(gsplit);
	/* released here, on the thread that ran this step, not after the
	 * threads are done: 50,000 strings in a big book */
	removed_ids_release(&j->gone);
	j->read_gone = 0;
}

void rules_jobno_end(struct jobno_run *j)
{
	if (!j)
		return;
	if (j->read_gone)
		removed_ids_release(&j->gone);
	free(j->v);
	free(j->jn);
	free(j);
}
