/*
 * rules_jobno.c -- job numbers (JOBNO-1..5): the department and month in
 * the number, its order, and a number never given twice, not even after
 * the ticket that had it was deleted or renumbered (the history tells).
 * See rules.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "diag.h"
#include "edit.h"
#include "numbering.h"
#include "rules.h"

struct jobnum {
	char dept[16], ym[8];
	int seq;
	moment_t opened;
	int renumbered;		/* the number was given by ae renumber, later */
	const struct record *r;
};

static int cmp_jobnum(const void *pa, const void *pb)
{
	const struct jobnum *a = pa, *b = pb;
	int c = strcmp(a->dept, b->dept);

	if (c)
		return c;
	if ((c = strcmp(a->ym, b->ym)))
		return c;
	if (a->seq != b->seq)
		return a->seq - b->seq;
	return strcmp(a->r->path, b->r->path);
}

/* A job number's parts, by the [numbering] pattern's groups. */
struct jobsplit {
	int ok;			/* it has a department and a sequence */
	char dept[16], ym[8], seq[8], rev[8];
};

/* The department, YYMM and sequence of a job number (one match of the
 * pattern: a big book has 50,000 of them); sp->ok 0 if it has none. */
static void split_number(const struct book *b, const struct record *r, struct jobsplit *sp)
{
	sp->ym[0] = sp->rev[0] = '\0';
	sp->ok = id_group(b, r, "dept", sp->dept, sizeof(sp->dept)) &&
		 id_group_again(b, r, "seq", sp->seq, sizeof(sp->seq));
	if (!sp->ok)
		return;
	if (!id_group_again(b, r, "yymm", sp->ym, sizeof(sp->ym)) &&
	    id_group_again(b, r, "yyyymm", sp->ym, sizeof(sp->ym)))
		memmove(sp->ym, sp->ym + 2, 5);
	id_group_again(b, r, "rev", sp->rev, sizeof(sp->rev));
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

/* Per ticket: JOBNO-2, 3 (00), 4, 5. */
static int check_one(struct book *b, const struct record *r, const struct jobsplit *sp,
		     struct jobnum *jn)
{
	const char *dept = sp->dept, *ym = sp->ym, *seq = sp->seq, *rev = sp->rev;
	const struct rval *v;
	int line, col;

	if (!sp->ok)
		return 0;
	/* JOBNO-4: each department numbers on its own */
	if ((v = rec_val(r, book_field(b, K_JOB, "department"))) && strcmp(v->value, dept))
		diag_at(DIAG_ERROR, r->path, v->line, v->col, "JOBNO-4",
			"job number '%s' belongs to department %s, but the ticket's department is %s",
			r->id, dept, v->value);
	else if (!config_dept(&b->cfg, dept))
		diag_at(DIAG_ERROR, r->path, r->line, 1, "JOBNO-4",
			"job number '%s' starts with %s, which is not a department in ae.ini",
			r->id, dept);
	/* JOBNO-5: the issuer is named and known (validate); of that department */
	if ((v = rec_val(r, book_field(b, K_JOB, "issuer"))) && config_dept(&b->cfg, dept)) {
		const struct staff *st = config_staff(&b->cfg, v->value);
		if (st && st->dept && strcmp(st->dept, dept))
			diag_at(DIAG_WARNING, r->path, v->line, v->col, "JOBNO-5",
				"issuer %s is in department %s, but the ticket is numbered for %s",
				st->id, st->dept, dept);
	}
	/* JOBNO-2: the number contains the month it was opened */
	v = rec_val(r, book_field(b, K_JOB, "opened"));
	if (v && strlen(v->value) == 16 && ym[0] && !rev[0] &&
	    parse_datetime(v->value, 16, &(moment_t){0}) == DATE_OK &&
	    (memcmp(v->value + 2, ym, 2) || memcmp(v->value + 5, ym + 2, 2))) {
		field_pos(b, r, "opened", &line, &col);
		diag_at(DIAG_ERROR, r->path, line, col, "JOBNO-2",
			"opened %.7s, but the job number '%s' says 20%.2s-%.2s; the number carries the month the ticket was opened",
			v->value, r->id, ym, ym + 2);
	}
	if (!strcmp(seq, "00")) {
		diag_at(DIAG_ERROR, r->path, r->line, 1, "JOBNO-3",
			"job number '%s' has sequence 00; each month's numbers start at 01", r->id);
		return 0;
	}
	if (rev[0])
		return 0;	/* a revision shares its original's number */
	memcpy(jn->dept, dept, sizeof(jn->dept));
	memcpy(jn->ym, ym, sizeof(jn->ym));
	jn->seq = atoi(seq);
	jn->opened = 0;
	if (v && strlen(v->value) == 16)
		parse_datetime(v->value, 16, &jn->opened);
	jn->renumbered = rec_str(r, book_field(b, K_JOB, "renumbered_from")) != NULL;
	jn->r = r;
	return 1;
}

/* JOBNO-1/3: within a department and month, numbers are unique and in
 * the order the tickets were opened. */
static void check_order(struct jobnum *jn, size_t n)
{
	qsort(jn, n, sizeof(*jn), cmp_jobnum);
	for (size_t i = 1; i < n; i++) {
		const struct jobnum *a = &jn[i - 1], *c = &jn[i];
		if (strcmp(a->dept, c->dept) || strcmp(a->ym, c->ym))
			continue;
		if (a->seq == c->seq && !strcmp(a->r->id, c->r->id))
			continue;	/* the same identifier: reported by rules.c */
		if (a->seq == c->seq)
			diag_at(DIAG_ERROR, c->r->path, c->r->line, 1, "JOBNO-1",
				"job number %s-%s-%02d is given twice: here and in '%s'; a number is never duplicated",
				c->dept, c->ym, c->seq, a->r->path);
		else if (a->opened && c->opened && c->opened < a->opened &&
			 !a->renumbered && !c->renumbered)	/* numbered later, by a renumber */
			diag_at(DIAG_WARNING, c->r->path, c->r->line, 1, "JOBNO-3",
				"'%s' was opened before '%s' but has the higher number; numbers follow the order tickets are opened",
				c->r->id, a->r->id);
	}
}

/* Whether number dept-ym-seq was given out (see add_used). */
static int number_used(const struct strmap *used, const char *dept, const char *ym, int seq)
{
	char key[40];

	used_key(key, dept, ym, seq);
	return strmap_get(used, key) != NULL;
}

/* "CS-2611-3" of a job id that has one (a revision gives its original's). */
static void add_used(const struct jobsplit *sp, struct strmap *used, struct arena *a)
{
	char key[40];

	if (sp->ok && sp->ym[0]) {
		used_key(key, sp->dept, sp->ym, atoi(sp->seq));
		if (!strmap_get(used, key))
			strmap_put(used, arena_strdup(a, key), (void *)1);
	}
}

/*
 * JOBNO-3: a month's first ticket of a department is 01, and each number
 * follows one given out before: in the book, or in its history (a gap
 * left by a deleted ticket is fine).
 */
static void check_first(struct book *b, const struct jobnum *jn, size_t n,
			const struct jobsplit *split, const struct removed_ids *gone)
{
	struct strmap used = { 0 };
	struct arena a = { 0 };

	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].kind == K_JOB)
			add_used(&split[i], &used, &a);
	for (size_t i = 0; i < gone->ids.n; i++) {
		struct record fake = { 0 };
		struct jobsplit sp;
		fake.id = gone->ids.v[i];
		fake.kind = K_JOB;
		split_number(b, &fake, &sp);
		add_used(&sp, &used, &a);
	}
	for (size_t i = 0; i < n; i++) {
		const struct jobnum *j = &jn[i];
		int below = 0;

		if (j->r->stub || j->seq <= 1 || number_used(&used, j->dept, j->ym, j->seq - 1))
			continue;
		for (int k = 1; k < j->seq && !below; k++)
			below = number_used(&used, j->dept, j->ym, k);
		if (!below)
			diag_at(DIAG_ERROR, j->r->path, j->r->line, 1, "JOBNO-3",
				"'%s' is the first ticket of department %s in 20%.2s-%.2s, but a month's numbers start at 01 (%s-%s-01)%s",
				j->r->id, j->dept, j->ym, j->ym + 2, j->dept, j->ym,
				gone->history ? "; the history shows no ticket before it" : "");
		else if (gone->history)
			/* without a history, a gap may be a ticket deleted: said only with one */
			diag_at(DIAG_WARNING, j->r->path, j->r->line, 1, "JOBNO-3",
				"'%s' skips %s-%s-%02d, which no ticket had, in the book or its history; numbers follow one another",
				j->r->id, j->dept, j->ym, j->seq - 1);
	}
	strmap_release(&used);
	arena_release(&a);
}

/*
 * JOBNO-1: a number is never reused.  A ticket whose number a removed
 * ticket had is the same ticket when it was opened at the same time for
 * the same client (put back), else a different one taking its number.
 */
static void check_reuse(struct book *b, const struct removed_ids *gone)
{
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		const char *text, *opened = rec_field_of(b, r, "opened"), *client = rec_field_of(b, r, "client");
		char *was_opened, *was_client;

		if (r->kind != K_JOB || r->stub || !(text = strmap_get(&gone->text, r->id)) || !*text)
			continue;
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

void rules_jobno(struct book *b)
{
	struct jobnum *jn = xmalloc(sizeof(*jn) * (b->nrecs + 1));
	/* each number split once, for every rule below */
	struct jobsplit *split = xmalloc(sizeof(*split) * (b->nrecs + 1));
	struct removed_ids gone;
	struct strmap keep = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];

		if (r->kind != K_JOB)
			continue;
		split_number(b, r, &split[i]);
		/* a record known by name only can clash with a changed one only by
		 * having the same identifier, which rules.c reports */
		if (r->stub)
			continue;
		if (check_one(b, r, &split[i], &jn[n]))
			n++;
		strmap_put(&keep, r->id, (void *)1);
	}
	check_order(jn, n);
	/* what the history says matters to the tickets read in full; a change
	 * checked alone (no number moved) needs none of it */
	if (!b->others_unread) {
		removed_ids_read(&gone, b, K_JOB, &keep);
		check_reuse(b, &gone);
		check_first(b, jn, n, split, &gone);
		removed_ids_release(&gone);
	}
	strmap_release(&keep);
	free(split);
	free(jn);
}
