/* due_index.c -- the index the rules of 'ae due' read (due.h): each
 * record's latest events of the journal (a row for each record named
 * with two kinds of event, one slot for one with one),
 * the contacts the records and the journal give each client (DUE-1), the
 * notices (DUE-13), the month's reports (DUE-7, ORG-4); made in one walk
 * of the journal, from the sums of its past months where the cache has
 * them (due_sums.h) */
#include "due.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "due_sums.h"

moment_t due_last(const struct due_ctx *dc, const struct record *r, enum jevent ev)
{
	size_t rec = (size_t)(r - dc->b->recs);
	unsigned k = dc->row[rec];

	if (k & ROW_ONE)
		return (k & ~ROW_ONE) == (unsigned)ev ? dc->one[rec] : 0;
	return k ? dc->last[(size_t)(k - 1) * EV__N + ev] : 0;
}

const int *due_month_sends(const struct due_ctx *dc, const struct record *r)
{
	static const int none[MR__N * 2];
	unsigned k = dc->row[r - dc->b->recs];

	return k && !(k & ROW_ONE) ? &dc->month_sends[(size_t)(k - 1) * MR__N * 2] : none;
}

/*
 * Record index rec's row, made on first use: the rows, one for each
 * record an event names (31,443 of the 100k book's records), are made
 * in order in arrays with room for a row for every record
 * (index_journal()), never copied as they grow.  Their memory is zeroed
 * ROWS_AHEAD rows at a time, in order, ahead of the rows made, by a
 * write: a page the walk of the journal read first (e->at against the
 * row's latest) would be the kernel's zero page, then copied on the
 * write, each copy flushing the TLB of the other core -- 1,700
 * interprocessor interrupts a run, the walk 45 ms rather than 20 in the
 * 100k book (calloc's pages, and xrealloc() with a memset of each new
 * half, both did that).
 */
#define ROWS_AHEAD 2048

static size_t row_of(struct due_ctx *dc, size_t rec)
{
	unsigned k = dc->row[rec];

	if (!k || (k & ROW_ONE)) {
		if (dc->nrows == dc->zeroed_rows) {
			size_t n = dc->alloc_rows - dc->nrows < ROWS_AHEAD ?
				   dc->alloc_rows - dc->nrows : ROWS_AHEAD;
			memset(dc->last + dc->nrows * EV__N, 0, n * EV__N * sizeof(*dc->last));
			memset(dc->month_sends + dc->nrows * MR__N * 2, 0,
			       n * MR__N * 2 * sizeof(*dc->month_sends));
			dc->zeroed_rows += n;
		}
		dc->row[rec] = (unsigned)++dc->nrows;
		if (k) {
			/* its one event, now one of its row's */
			dc->last[(dc->nrows - 1) * EV__N + (k & ~ROW_ONE)] = dc->one[rec];
			dc->nones--;
		}
	}
	return dc->row[rec] - 1;
}

/*
 * Where record rec's latest event ev is kept: its row's place, or, for a
 * record with no other event yet, its one[] (most records the journal
 * names have one kind of event: a row of EV__N moments each was 3.8 MB
 * of fresh memory in the 100k book, a quarter of it used).  The place is
 * good until the next call for rec: write it first.
 */
static moment_t *last_of(struct due_ctx *dc, size_t rec, int ev)
{
	unsigned k = dc->row[rec];

	if (!k) {
		dc->row[rec] = ROW_ONE | (unsigned)ev;
		dc->one[rec] = 0;
		dc->nones++;
		return &dc->one[rec];
	}
	if (k == (ROW_ONE | (unsigned)ev))
		return &dc->one[rec];
	return &dc->last[row_of(dc, rec) * EV__N + (size_t)ev];
}

moment_t due_last_contact(const struct due_ctx *dc, const struct record *r, const char **via)
{
	size_t k = (size_t)(r - dc->b->recs);

	if (via)
		*via = dc->contact_via[k];
	return dc->contact[k];
}

static int cmp_long(const void *pa, const void *pb)
{
	long a = *(const long *)pa, b = *(const long *)pb;

	return a < b ? -1 : a > b;
}

int due_notified(const struct due_ctx *dc, const struct record *r, size_t h)
{
	long key = (long)(r - dc->b->recs) * 65536 + (long)h;

	return dc->nnotices && bsearch(&key, dc->notices, dc->nnotices, sizeof(long), cmp_long);
}

/* A contact with the client of record index k at m, how. */
static void contact_at(struct due_ctx *dc, size_t k, moment_t m, const char *via)
{
	if (m && m <= dc->now && m >= dc->contact[k]) {
		dc->contact[k] = m;
		dc->contact_via[k] = via;
	}
}

/* A side's arrays, one slot a record, made at its first contact. */
static void reports_init(struct due_reports *rc, size_t nrecs)
{
	rc->at = xcalloc(nrecs + 1, sizeof(*rc->at));
	rc->via = xcalloc(nrecs + 1, sizeof(*rc->via));
	rc->rec = xcalloc(nrecs + 1, sizeof(*rc->rec));
}

/* Record i's contact with the client of record index k at m, how: the
 * latest, of two at one minute the later record's (as one walk of the
 * records in order keeps it). */
static void report_contact(const struct due_ctx *dc, struct due_reports *rc, size_t k,
			   moment_t m, const char *via, size_t i)
{
	if (!rc->at)
		reports_init(rc, dc->b->nrecs);
	if (m && m <= dc->now && m >= rc->at[k]) {
		if (!rc->at[k]) {
			ALLOC_GROW(rc->clients, rc->n + 1, rc->alloc);
			rc->clients[rc->n++] = k;
		}
		rc->at[k] = m;
		rc->via[k] = via;
		rc->rec[k] = i;
	}
}

static void reports_release(struct due_reports *rc)
{
	free(rc->at);
	free(rc->via);
	free(rc->rec);
	free(rc->clients);
	memset(rc, 0, sizeof(*rc));
}

/*
 * The contact reports, which DUE-1 counts as contacts (as the journal's
 * calls and visits), each one's time parsed once for DUE-1 and DUE-2,
 * and the reports of calls indexed for DUE-2's walks of the important
 * calls (calls); and, apart (another thread's while this one reads the
 * reports), the meetings held.  Their contacts are put with the
 * journal's once the journal is walked, as if walked after it: a
 * record's contact at the same minute as the journal's is the one named.
 */
void due_index_reports(struct due_ctx *dc, struct due_reports *rc, struct due_calls *calls)
{
	struct book *b = dc->b;
	int c_client = book_field(b, K_CONTACT, "client"), c_held = book_field(b, K_CONTACT, "held");
	int c_occ = book_field(b, K_CONTACT, "occasion");

	dc->contact_held = xcalloc(b->nrecs + 1, sizeof(*dc->contact_held));
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		const struct record *c;
		const char *cl, *st, *held;

		if (r->kind != K_CONTACT)
			continue;
		cl = rec_str(r, c_client);
		held = rec_str(r, c_held);
		st = rec_str(r, c_occ);
		if (cl && held && st && !strcmp(st, "call"))
			due_calls_add(calls, r, cl, held);
		if (r->bad)
			continue;
		/* a contact report's time, parsed once for DUE-1 and DUE-2 */
		dc->contact_held[i] = rec_moment_at(r, c_held);
		if (!cl || !(c = book_record(b, K_CLIENT, cl)))
			continue;
		report_contact(dc, rc, (size_t)(c - b->recs), dc->contact_held[i],
			       st && !strcmp(st, "call") ? "call" :
			       st && !strcmp(st, "visit") ? "visit" : "meeting", i);
	}
}

void due_index_meetings(struct due_ctx *dc, struct due_reports *rc)
{
	struct book *b = dc->b;
	int m_status = book_field(b, K_MEETING, "status"), m_client = book_field(b, K_MEETING, "client");
	int m_when = book_field(b, K_MEETING, "when");

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		const struct record *c;
		const char *cl, *st;

		/* a meeting counts once held */
		if (r->kind != K_MEETING || r->bad || !(st = rec_str(r, m_status)) || strcmp(st, "held") ||
		    !(cl = rec_str(r, m_client)) || !(c = book_record(b, K_CLIENT, cl)))
			continue;
		report_contact(dc, rc, (size_t)(c - b->recs), rec_moment_at(r, m_when), "meeting", i);
	}
}

/* The records' contacts (the reports', the meetings') put with the
 * journal's, as contact_at() would have, each record after the journal
 * and in the records' order. */
void due_index_contacts(struct due_ctx *dc, struct due_reports *reports, struct due_reports *meetings)
{
	struct due_reports *both[2] = { reports, meetings };

	for (int p = 0; p < 2; p++) {
		const struct due_reports *rc = both[p], *other = both[1 - p];
		for (size_t i = 0; i < rc->n; i++) {
			size_t k = rc->clients[i];
			/* the other's, when later (or the later record) */
			if (other->at && (other->at[k] > rc->at[k] ||
					  (other->at[k] == rc->at[k] && other->rec[k] > rc->rec[k])))
				continue;
			if (rc->at[k] >= dc->contact[k]) {
				dc->contact[k] = rc->at[k];
				dc->contact_via[k] = rc->via[k];
			}
		}
	}
	reports_release(reports);
	reports_release(meetings);
}

/* ORG-4: a monthly report the AM reviewed, waiting for the send it allows. */
struct mreview {
	size_t client;		/* record index */
	int month;		/* year * 12 + month - 1 */
	moment_t at;		/* reviewed */
	int used;
};

struct mreviews {
	struct mreview *v;
	size_t n, alloc;
};

static int cmp_mreview(const void *pa, const void *pb)
{
	const struct mreview *a = pa, *b = pb;

	if (a->client != b->client)
		return a->client < b->client ? -1 : 1;
	if (a->month != b->month)
		return a->month - b->month;
	return a->at < b->at ? -1 : a->at > b->at;
}

static void index_reviews(struct due_ctx *dc, struct mreviews *out)
{
	struct book *b = dc->b;

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i], *c;
		const char *report, *period, *cl;
		moment_t at;
		int y, m;

		if (r->kind != K_REVIEW)
			continue;
		report = rec_field(b, r, "report");
		period = rec_field(b, r, "period");
		cl = rec_field(b, r, "client");
		at = rec_moment(b, r, "reviewed_at");
		if (r->bad || !at || !report || strcmp(report, "monthly") || !period || !cl ||
		    sscanf(period, "%4d-%2d", &y, &m) != 2 || !(c = book_record(b, K_CLIENT, cl)))
			continue;
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n].client = (size_t)(c - b->recs);
		out->v[out->n].month = y * 12 + m - 1;
		out->v[out->n].at = at;
		out->v[out->n].used = 0;
		out->n++;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_mreview);
}

/*
 * Whether a monthly report sent to client rec at `at` was reviewed before:
 * a review of that month or the one before (a summary goes out at the
 * month's end or early the next), reviewed by then, and not yet taken by
 * another send.
 */
static int reviewed_before(struct mreviews *rv, size_t rec, moment_t at)
{
	int y, m, d, month;

	civil_from_days(day_of_moment(at), &y, &m, &d);
	month = y * 12 + m - 1;
	for (size_t i = 0; i < rv->n; i++) {
		struct mreview *x = &rv->v[i];
		if (x->client != rec || x->used || x->at > at || x->month > month || x->month < month - 1)
			continue;
		x->used = 1;
		return 1;
	}
	return 0;
}

/*
 * Letters approved and sent (ORG-3) are written notices: of the holiday
 * or company closure they name, or the first after them (DUE-13), and
 * the contract-end note (DUE-14).
 */
static void index_letters(struct due_ctx *dc, size_t *alloc_notices)
{
	struct book *b = dc->b;

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i], *c;
		const char *kind, *cl, *holiday;
		moment_t sent;
		size_t k;

		if (r->kind != K_LETTER)
			continue;
		kind = rec_field(b, r, "kind");
		cl = rec_field(b, r, "client");
		holiday = rec_field(b, r, "holiday");
		sent = rec_moment(b, r, "sent_at");
		if (r->bad || !sent || sent > dc->now || !kind || !rec_field(b, r, "approved_by") ||
		    !cl || !(c = book_record(b, K_CLIENT, cl)))
			continue;
		k = (size_t)(c - b->recs);
		if (!strcmp(kind, "holiday") || !strcmp(kind, "training")) {
			long h = cal_holiday_announced(dc->cal, day_of_moment(sent), holiday,
						       holiday ? strlen(holiday) : 0);
			if (h > 0) {
				ALLOC_GROW(dc->notices, dc->nnotices + 1, *alloc_notices);
				dc->notices[dc->nnotices++] = (long)k * 65536 + (h - 1);
			}
		} else if (!strcmp(kind, "contract-end")) {
			moment_t *slot = last_of(dc, k, EV_FINANCE);
			if (sent > *slot)
				*slot = sent;
		}
	}
}

static int cmp_entry_time(const void *pa, const void *pb)
{
	const struct jentry *a = *(const struct jentry *const *)pa, *b = *(const struct jentry *const *)pb;

	return a->at < b->at ? -1 : a->at > b->at ? 1 : a->line - b->line;
}

/* The monthly reports sent (index_journal() lists them, in the journal's
 * order) counted for their months (DUE-7): those that went out without
 * the AM's review (ORG-4), the sends matched to the reviews in time
 * order, count as unreviewed instead. */
static void count_monthly(struct due_ctx *dc, const struct jentry **sends, size_t n)
{
	const struct jentry **by_time = xmalloc(sizeof(*by_time) * (n + 1));
	unsigned char *bad = xcalloc(n + 1, 1);
	struct mreviews reviews = { 0 };

	if (n) {
		memcpy(by_time, sends, sizeof(*by_time) * n);
		qsort(by_time, n, sizeof(*by_time), cmp_entry_time);
		index_reviews(dc, &reviews);
	}
	/* by_time[i] back to its place in sends: both are in the journal's
	 * array, sends in its order */
	for (size_t i = 0; i < n; i++) {
		const struct jentry *e = by_time[i];
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (sends[mid] < e)
				lo = mid + 1;
			else
				hi = mid;
		}
		bad[lo] = !reviewed_before(&reviews, (size_t)e->rec, e->at);
	}
	for (size_t i = 0; i < n; i++) {
		const struct jentry *e = sends[i];
		size_t rec = (size_t)e->rec;
		for (int w = 0; w < 2; w++) {
			if (e->at < dc->month_since[w])
				continue;
			/* ORG-4: the month's report counts once the AM reviewed it */
			if (bad[i])
				dc->month_unreviewed[rec * 2 + (size_t)w]++;
			else
				dc->month_sends[(row_of(dc, rec) * MR__N + MR_MONTHLY) * 2 + (size_t)w]++;
		}
	}
	free(reviews.v);
	free(by_time);
	free(bad);
}

/* The event a 'sent' line records, by what was sent, or -1. */
static int sent_event(const char *w)
{
	switch (w[0]) {
	case 'w': return !strcmp(w, "weekly") ? EV_WEEKLY : -1;
	case 'm': return !strcmp(w, "monthly") ? EV_MONTHLY : !strcmp(w, "market") ? EV_MARKET :
			 !strcmp(w, "media") ? EV_MEDIA : -1;
	case 'p': return !strcmp(w, "plan") ? EV_PLAN : -1;
	case 'b': return !strcmp(w, "bizplan") ? EV_BIZPLAN : !strcmp(w, "brand") ? EV_BRAND : -1;
	case 'h': return !strcmp(w, "holiday") ? EV_HOLIDAY : -1;
	case 'f': return !strcmp(w, "finance") ? EV_FINANCE : -1;
	case 'c': return !strcmp(w, "callback") ? EV_CALLBACK : -1;
	case 'n': return !strcmp(w, "notice") ? EV_NOTICE : -1;
	case 'r': return !strcmp(w, "report") ? EV_REPORT : -1;
	default: return -1;
	}
}

/* What index_journal() keeps while it walks. */
struct jwalk {
	const struct journal *j;
	int f_am;
	const signed char *event;	/* sent_event() of journal.whats */
	const char **am_of;	/* the config's string of each client's AM */
	unsigned char *am_known;
	size_t alloc_notices;
	const struct jentry **monthly;
	size_t nmonthly, alloc_monthly;
};

/* The config's string of record rec's AM (its field f_am), or NULL when
 * it names none or no staff member. */
static const char *am_of_record(const struct book *b, int f_am, size_t rec)
{
	const char *am = rec_str(&b->recs[rec], f_am);
	const struct staff *st = am ? config_staff(&b->cfg, am) : NULL;

	return st ? st->id : NULL;
}

/* A journal's contact, as due_sums_row.via says it: none, a call, a visit. */
static const char *const via_name[] = { NULL, "call", "visit" };

/* A call or visit (e: of a record, by now): the latest of each, the
 * client's latest contact and the AM's own (DUE-1, DUE-11). */
static void index_contact_line(struct due_ctx *dc, struct jwalk *w, const struct jentry *e)
{
	size_t rec = (size_t)e->rec;
	int ev = e->verb == JV_CALL ? EV_CALL : EV_VISIT;
	moment_t *last = last_of(dc, rec, ev);

	if (e->at > *last)
		*last = e->at;
	if (!w->am_known[rec]) {
		w->am_of[rec] = am_of_record(dc->b, w->f_am, rec);
		w->am_known[rec] = 1;
	}
	contact_at(dc, rec, e->at, via_name[ev == EV_CALL ? 1 : 2]);
	/* e->who is the config's string of the staff its name finds
	 * (journal.h), so is am_of[rec]: one name, one address; an AM who
	 * is not staff made no line */
	if (w->am_of[rec] && w->am_of[rec] == jentry_who(w->j, e)) {
		last = last_of(dc, rec, EV_AM_CONTACT);
		if (e->at > *last)
			*last = e->at;
	}
}

/* The month report kinds of the events (DUE-7, DUE-10), or -1. */
static const signed char month_report_of[EV__N] = {
	[EV_CALL] = -1, [EV_VISIT] = -1, [EV_WEEKLY] = -1, [EV_MONTHLY] = MR_MONTHLY,
	[EV_PLAN] = MR_PLAN, [EV_MARKET] = MR_MARKET, [EV_MEDIA] = MR_MEDIA,
	[EV_BIZPLAN] = MR_BIZPLAN, [EV_HOLIDAY] = -1, [EV_FINANCE] = -1, [EV_CALLBACK] = -1,
	[EV_NOTICE] = -1, [EV_REPORT] = -1, [EV_AM_CONTACT] = -1, [EV_BRAND] = -1,
};

/* A line saying what was sent (e: of a record, by now, an event): the
 * latest of each kind, the last callback's result (DUE-11), the notices
 * (DUE-13), the month's reports (DUE-7, DUE-10). */
static void index_sent_line(struct due_ctx *dc, struct jwalk *w, const struct jentry *e)
{
	size_t rec = (size_t)e->rec;
	int ev = w->event[e->what], mr = month_report_of[ev];
	moment_t *last = last_of(dc, rec, ev);

	if (ev == EV_CALLBACK && e->at >= *last)
		dc->callback_result[rec] = (unsigned char)e->amount;
	if (ev == EV_HOLIDAY && e->amount > 0) {
		ALLOC_GROW(dc->notices, dc->nnotices + 1, w->alloc_notices);
		dc->notices[dc->nnotices++] = (long)rec * 65536 + (e->amount - 1);
	}
	if (e->at > *last)
		*last = e->at;
	if (mr == MR_MONTHLY) {
		/* counted once the reviews are matched (ORG-4) */
		ALLOC_GROW(w->monthly, w->nmonthly + 1, w->alloc_monthly);
		w->monthly[w->nmonthly++] = e;
	} else if (mr >= 0) {
		size_t k = row_of(dc, rec) * MR__N + (size_t)mr;
		for (int m = 0; m < 2; m++)
			if (e->at >= dc->month_since[m])
				dc->month_sends[k * 2 + (size_t)m]++;
	}
}

/*
 * The journal walked once for the index and for the routines' lines (rt),
 * a run of JWALK_RUN entries at a time: first the run's entries sorted
 * into lists of those that count, by what they are, with no branch, then
 * each list in order.  Half of a million lines count, of three verbs in
 * no order: a branch on each was a mispredicted jump every other line
 * (the old walk, one switch a line, took 15 ms of which 6 were the
 * tests).  Within a list the journal's order is kept; a call or visit
 * and a line saying what was sent never touch the same value, so their
 * lists may go in either order.
 */
#define JWALK_RUN 2048

/* The journal's entries [from, to) walked into the index, JWALK_RUN at a
 * time. */
static void walk(struct due_ctx *dc, struct jwalk *w, struct due_routine *rt, size_t from,
		 size_t to)
{
	const struct journal *j = w->j;
	const signed char *event = w->event;
	unsigned short contacts[JWALK_RUN], sent[JWALK_RUN], events[JWALK_RUN];
	const moment_t now = dc->now;

	for (size_t base = from; base < to; base += JWALK_RUN) {
		const struct jentry *v = j->v + base;
		size_t n = to - base < JWALK_RUN ? to - base : JWALK_RUN;
		size_t nc = 0, ns = 0, ne = 0;

		for (size_t i = 0; i < n; i++) {
			const struct jentry *e = &v[i];
			unsigned verb = e->verb;
			int counts = (e->rec >= 0) & (e->at <= now);
			int is_sent = verb == JV_SENT;

			contacts[nc] = (unsigned short)i;
			nc += (size_t)(counts & (verb <= JV_VISIT));
			sent[ns] = (unsigned short)i;
			ns += (size_t)is_sent;
			events[ne] = (unsigned short)i;
			ne += (size_t)(counts & is_sent & (event[e->what] >= 0));
		}
		for (size_t i = 0; i < nc; i++)
			index_contact_line(dc, w, &v[contacts[i]]);
		/* the only lines it reads: a call saved */
		for (size_t i = 0; i < ns; i++)
			due_routine_line(rt, &v[sent[i]]);
		for (size_t i = 0; i < ne; i++)
			index_sent_line(dc, w, &v[events[i]]);
	}
}

/* The AM record rec's calls are matched against, as due_sums_row.am
 * says it (known[rec] set by the walk's first call or visit of it). */
static uint64_t am_hash(const struct jwalk *w, size_t rec)
{
	return w->am_known[rec] ? due_sums_hash(w->am_of[rec] ? w->am_of[rec] : "") : 0;
}

/* Whether the sums' parts after the files say what a walk would have:
 * every AM the same, every monthly report one the walk lists. */
static int sums_hold(const struct due_ctx *dc, struct jwalk *w, struct due_sums *s)
{
	const struct book *b = dc->b;
	struct due_sums_row row;
	long notice;
	uint32_t k;
	moment_t first;
	int r;

	while ((r = due_sums_row(s, &row)) > 0) {
		const char *am;

		if (!row.am)
			continue;
		am = am_of_record(b, w->f_am, row.rec);
		if (due_sums_hash(am ? am : "") != row.am)
			return 0;
	}
	if (!r)
		while ((r = due_sums_notice(s, &notice)) > 0)
			;
	if (!r)
		while ((r = due_sums_monthly(s, &k)) > 0) {
			const struct jentry *e = &b->journal.v[k];
			if (e->verb != JV_SENT || e->rec < 0 || w->event[e->what] != EV_MONTHLY)
				return 0;
		}
	if (!r)
		while ((r = due_sums_slot(s, &first)) > 0)
			;
	return r == 0;
}

/*
 * The sums of the journal's first files (due_sums.h) read into the
 * index, if they are this book's and this run's: the entries they
 * cover (in *nfiles files, the latest line *max_at), else 0 (nothing
 * read: the journal is walked from its first line).
 */
static size_t sums_read(struct due_ctx *dc, struct jwalk *w, struct due_routine *rt,
			moment_t cutoff, size_t *nfiles, moment_t *max_at, size_t *held)
{
	const struct book *b = dc->b;
	const struct journal *j = &b->journal;
	struct due_sums s, rows;
	struct due_sums_row row;
	size_t entries = 0;
	long notice;
	uint32_t k;
	moment_t first;

	*held = 0;
	if (!b->cache_dir || due_sums_open(b->cache_dir, DUE_SUMS_INDEX, &s) < 0)
		return 0;
	*held = s.head.nfiles;
	if (s.head.settings != b->cache_settings || s.head.ids != book_ids_digest(b) ||
	    s.head.nrecs != b->nrecs || s.head.nslots != due_routine_slots(rt) ||
	    s.head.max_at >= cutoff || !due_sums_files_hold(&s, j))
		goto stale;
	rows = s;
	if (!sums_hold(dc, w, &s))
		goto stale;
	/* read again, into the index */
	while (due_sums_row(&rows, &row) > 0) {
		size_t rec = row.rec;
		int ev = 0, evs = 0;
		/* as the walk left it: one kind of event, or a row */
		for (int i = 0; i < EV__N; i++)
			if (row.last[i]) {
				ev = i;
				evs++;
			}
		if (evs <= 1)
			*last_of(dc, rec, ev) = row.last[ev];
		else
			memcpy(&dc->last[row_of(dc, rec) * EV__N], row.last, sizeof(row.last));
		if (row.am) {
			/* its AM, as the walk's first call would read it */
			w->am_of[rec] = am_of_record(b, w->f_am, rec);
			w->am_known[rec] = 1;
		}
		dc->contact[rec] = row.contact;
		dc->contact_via[rec] = via_name[row.via];
		dc->callback_result[rec] = row.callback;
	}
	while (due_sums_notice(&rows, &notice) > 0) {
		ALLOC_GROW(dc->notices, dc->nnotices + 1, w->alloc_notices);
		dc->notices[dc->nnotices++] = notice;
	}
	while (due_sums_monthly(&rows, &k) > 0) {
		ALLOC_GROW(w->monthly, w->nmonthly + 1, w->alloc_monthly);
		w->monthly[w->nmonthly++] = &j->v[k];
	}
	for (size_t i = 0; due_sums_slot(&rows, &first) > 0; i++)
		if (first)
			due_routine_put(rt, i, first);
	*nfiles = s.head.nfiles;
	*max_at = s.head.max_at;
	entries = s.head.nentries;
stale:
	due_sums_close(&s);
	return entries;
}

/* The index as the walk of the first nfiles files (their entries and
 * latest line in h) left it, written to the book's sums. */
static void sums_write(const struct due_ctx *dc, const struct jwalk *w, struct due_routine *rt,
		       struct due_sums_head *h)
{
	const struct book *b = dc->b;
	const struct journal *j = &b->journal;
	struct due_sums_out o;
	struct due_sums_row row;

	due_sums_begin(&o, DUE_SUMS_INDEX, h, j);
	due_sums_count(&o, dc->nrows + dc->nones);
	memset(&row, 0, sizeof(row));
	for (size_t rec = 0; rec < b->nrecs; rec++) {
		unsigned k = dc->row[rec];
		if (!k)
			continue;
		row.rec = (uint32_t)rec;
		if (k & ROW_ONE) {
			memset(row.last, 0, sizeof(row.last));
			row.last[k & ~ROW_ONE] = dc->one[rec];
		} else {
			memcpy(row.last, &dc->last[(size_t)(k - 1) * EV__N], sizeof(row.last));
		}
		row.via = dc->contact_via[rec] == via_name[1] ? 1 : dc->contact_via[rec] == via_name[2] ? 2 : 0;
		row.contact = row.via ? dc->contact[rec] : 0;
		row.callback = dc->callback_result[rec];
		row.am = am_hash(w, rec);
		due_sums_put_row(&o, &row);
	}
	due_sums_count(&o, dc->nnotices);
	for (size_t i = 0; i < dc->nnotices; i++)
		due_sums_put_u64(&o, (uint64_t)dc->notices[i]);
	due_sums_count(&o, w->nmonthly);
	for (size_t i = 0; i < w->nmonthly; i++)
		due_sums_put_u32(&o, (uint32_t)(w->monthly[i] - j->v));
	due_sums_count(&o, h->nslots);
	for (size_t i = 0; i < h->nslots; i++)
		due_sums_put_u64(&o, (uint64_t)due_routine_first(rt, i));
	due_sums_write(&o, b->cache_dir);
}

/*
 * The journal walked for the index (from its sums where they hold) and
 * for the routines' lines (rt).  When more of the first files than the sums hold are all
 * before the cutoff, and were the image's (their checksums known), the
 * sums are made anew at the end of the last of them.
 */
void due_index_journal(struct due_ctx *dc, struct due_routine *rt)
{
	const struct journal *j = &dc->b->journal;
	struct jwalk w = { .j = j, .f_am = book_field(dc->b, K_CLIENT, "am") };
	signed char *event = xmalloc(j->nwhats + 1);
	moment_t cutoff = due_sums_cutoff(dc->today), max_at = 0;
	size_t from, files = 0, to_files, held;
	int y, m, d;
	/* a month-end report counts from the middle of its month on */
	civil_from_days(dc->today, &y, &m, &d);
	dc->month_since[1] = (moment_t)days_from_civil(y, m, 15) * 1440;
	if (--m < 1) {
		m = 12;
		y--;
	}
	dc->month_since[0] = (moment_t)days_from_civil(y, m, 15) * 1440;
	dc->row = xcalloc(dc->b->nrecs + 1, sizeof(*dc->row));
	dc->one = xmalloc((dc->b->nrecs + 1) * sizeof(*dc->one));
	/* zeroed by row_of(), in order */
	dc->last = xmalloc((dc->b->nrecs + 1) * EV__N * sizeof(*dc->last));
	dc->month_sends = xmalloc((dc->b->nrecs + 1) * MR__N * 2 * sizeof(*dc->month_sends));
	dc->alloc_rows = dc->b->nrecs + 1;
	dc->contact = xcalloc(dc->b->nrecs + 1, sizeof(*dc->contact));
	dc->contact_via = xcalloc(dc->b->nrecs + 1, sizeof(*dc->contact_via));
	dc->callback_result = xcalloc(dc->b->nrecs + 1, 1);
	dc->month_unreviewed = xcalloc(dc->b->nrecs * 2 + 1, sizeof(*dc->month_unreviewed));
	/* each record's AM, read at its first call or visit */
	w.am_of = xcalloc(dc->b->nrecs + 1, sizeof(*w.am_of));
	w.am_known = xcalloc(dc->b->nrecs + 1, 1);
	/* what 0 is none; every entry's what is below nwhats (journal.h) */
	event[0] = -1;
	for (size_t i = 1; i < j->nwhats; i++)
		event[i] = (signed char)(j->whats[i] ? sent_event(j->whats[i]) : -1);
	w.event = event;
	from = sums_read(dc, &w, rt, cutoff, &files, &max_at, &held);
	/* the files after them whose lines are all before the cutoff */
	to_files = due_sums_files_past(j, files, cutoff, &max_at);
	/* (not over sums of more files: a run of an earlier day, a past
	 * week's report, does not undo a later one's) */
	if (to_files > files && to_files >= held && dc->b->cache_dir && dc->b->cache_writes) {
		struct due_sums_head h = {
			.settings = dc->b->cache_settings, .ids = book_ids_digest(dc->b),
			.nrecs = dc->b->nrecs, .nslots = due_routine_slots(rt),
			.nfiles = to_files, .nentries = journal_file_end(j, to_files - 1), .max_at = max_at,
		};
		walk(dc, &w, rt, from, h.nentries);
		sums_write(dc, &w, rt, &h);
		from = h.nentries;
	}
	walk(dc, &w, rt, from, j->n);
	index_letters(dc, &w.alloc_notices);
	if (dc->nnotices > 1)
		qsort(dc->notices, dc->nnotices, sizeof(long), cmp_long);
	count_monthly(dc, w.monthly, w.nmonthly);
	free(w.monthly);
	free(w.am_of);
	free(w.am_known);
	free(event);
}

