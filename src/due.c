/* due.c -- see due.h */
#include "due.h"

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pool.h"

/*
 * The index of a field of a kind, remembered by the name's address and
 * the kind (the rules ask by literal names, a million times a run), and
 * checked against the format before use, so that any name, or another
 * book, is answered right; book_field() for what is not remembered.
 */
#define FMEMO 512
static _Thread_local struct fmemo {
	const char *name;
	int kind, index;
} fmemo[FMEMO];

static int field_of(const struct book *b, int kind, const char *name)
{
	struct fmemo *m = &fmemo[(((uintptr_t)name >> 2) * 31 + (unsigned)kind) % FMEMO];
	const struct format *fmt = &b->fmts.kinds[kind];
	int i;

	if (m->name == name && m->kind == kind && m->index < fmt->nfields &&
	    !strcmp(fmt->fields[m->index].name, name))
		return m->index;
	i = book_field(b, kind, name);
	if (i >= 0) {
		m->name = name;
		m->kind = kind;
		m->index = i;
	}
	return i;
}

moment_t rec_moment(const struct book *b, const struct record *r, const char *field)
{
	return rec_moment_at(r, field_of(b, r->kind, field));
}

moment_t rec_moment_at(const struct record *r, int field)
{
	const char *v = rec_str(r, field);
	moment_t m;

	if (!v || parse_datetime(v, strlen(v), &m) != DATE_OK)
		return 0;
	return m;
}

int rec_day(const struct book *b, const struct record *r, const char *field)
{
	const char *v = rec_str(r, field_of(b, r->kind, field));
	int d;

	if (!v || parse_date(v, strlen(v), &d) != DATE_OK)
		return -1;
	return d;
}

const char *rec_field(const struct book *b, const struct record *r, const char *field)
{
	return rec_str(r, field_of(b, r->kind, field));
}

moment_t due_end_of(const struct due_ctx *dc, int day)
{
	return cal_day_end(dc->cal, day);
}

double due_param(const struct due_ctx *dc, const char *key, double def)
{
	return config_num(&dc->b->cfg, key, def);
}

int due_weekday(const struct due_ctx *dc, const char *key, const char *def)
{
	static const char *const wd[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	const char *v = config_str(&dc->b->cfg, key, def);

	for (int i = 0; i < 7; i++)
		if (!strcasecmp(v, wd[i]))
			return i;
	return 0;
}

int due_time(const struct due_ctx *dc, const char *key, int def)
{
	const char *v = config_str(&dc->b->cfg, key, NULL);
	int m;

	return v && parse_time(v, strlen(v), &m) == DATE_OK ? m : def;
}

long due_duration(const struct due_ctx *dc, const char *key, const char *hours_key,
		  double def_amount, char def_unit, int working)
{
	return cal_param_minutes(dc->cal, &dc->b->cfg, key, hours_key, def_amount, def_unit, working);
}

int due_client_since(const struct due_ctx *dc, const struct record *r)
{
	return rec_day(dc->b, r, "first_contact");
}

/* Whether an item due then (the forward rule applied) is listed. */
static int in_view(const struct due_ctx *dc, moment_t due)
{
	int day = day_of_moment(due);

	return !((due >= dc->now && day > dc->horizon_end && day != dc->today) ||
		 day < dc->horizon_start);
}

int due_in_view(const struct due_ctx *dc, moment_t due)
{
	return in_view(dc, cal_next_working(dc->cal, due));
}

/* The item of dc->text, due then (the forward rule applied, in view). */
static void add_text(struct due_ctx *dc, moment_t due, const char *rule, const char *who,
		     const char *client, const char *path, int line, const char *key)
{
	struct due_item *it;
	int day = day_of_moment(due);

	ALLOC_GROW(dc->v, dc->n + 1, dc->alloc);
	it = &dc->v[dc->n++];
	it->due = due;
	it->rule = rule;
	it->what = arena_strndup(&dc->arena, dc->text.buf, dc->text.len);
	it->who = who;
	it->client = client;
	it->path = path;
	it->line = line;
	it->key = arena_strdup(&dc->arena, key);
	it->late = cal_minutes_between(dc->cal, due, dc->now);
	it->late_calendar = dc->now - due;
	if (due < dc->now)
		it->state = DUE_OVERDUE;
	else if (day == dc->today)
		it->state = DUE_TODAY;
	else
		it->state = DUE_UPCOMING;
	/* a deadline passed by a few minutes outside working time is still
	 * late: the working-minute count says 0, the clock says otherwise */
	if (it->state == DUE_OVERDUE && it->late <= 0)
		it->late = 0;
}

static void add_item(struct due_ctx *dc, moment_t due, int fixed, const char *rule,
		     const char *who, const char *client, const char *path, int line,
		     const char *key, const char *fmt, va_list ap)
{
	/* the forward rule, one for every deadline (CAL-1) */
	if (!fixed)
		due = cal_next_working(dc->cal, due);
	if (!in_view(dc, due))
		return;
	sb_reset(&dc->text);
	sb_vaddf(&dc->text, fmt, ap);
	add_text(dc, due, rule, who, client, path, line, key);
}

void due_add_made(struct due_ctx *dc, moment_t due, const char *rule, const char *who,
		  const char *client, const char *path, int line, const char *key)
{
	due = cal_next_working(dc->cal, due);
	if (in_view(dc, due))
		add_text(dc, due, rule, who, client, path, line, key);
}

void due_add(struct due_ctx *dc, moment_t due, const char *rule, const char *who,
	     const char *client, const char *path, int line, const char *key,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_item(dc, due, 0, rule, who, client, path, line, key, fmt, ap);
	va_end(ap);
}

void due_add_fixed(struct due_ctx *dc, moment_t due, const char *rule, const char *who,
		   const char *client, const char *path, int line, const char *key,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_item(dc, due, 1, rule, who, client, path, line, key, fmt, ap);
	va_end(ap);
}

moment_t due_month_end(const struct due_ctx *dc, int day)
{
	int last = cal_month_last_working(dc->cal, day);
	int before = (int)due_param(dc, "month_end_days", 0);

	if (before)
		last = cal_add_days(dc->cal, last, -before);
	return (moment_t)last * 1440 + dc->cal->end;
}

/*
 * The items in order: state, then moment, then rule, path, line and key;
 * items equal in all of those keep the order they were collected in (as
 * glibc's merge sort kept them).  State and moment are packed into one
 * integer key, so that most comparisons are one; the strings are
 * compared only on a tie.  A merge sort of 16-byte keys and indexes.
 */
struct item_key {
	uint64_t key;		/* state, then moment (offset to be unsigned) */
	size_t i;		/* index in dc->v */
};

#define MOMENT_BIAS ((moment_t)1 << 58)

/* Two items by all but their places: 0 when equal in all of those */
static int item_cmp(const struct due_item *a, const struct due_item *b)
{
	int c;

	if (a->state != b->state)
		return (int)a->state - (int)b->state;
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	/* the rules' names are static, a record's path one string */
	if (a->rule != b->rule && (c = strcmp(a->rule, b->rule)))
		return c;
	if (a->path != b->path && (c = strcmp(a->path, b->path)))
		return c;
	if (a->line != b->line)
		return a->line - b->line;
	return strcmp(a->key, b->key);
}

/* a before b: -1, else 1 (never equal: the index decides) */
static int item_before(const struct due_item *v, const struct item_key *ka,
		       const struct item_key *kb)
{
	int c;

	if (ka->key != kb->key)
		return ka->key < kb->key ? -1 : 1;
	if ((c = item_cmp(&v[ka->i], &v[kb->i])))
		return c;
	return ka->i < kb->i ? -1 : 1;
}

static void sort_items(struct due_ctx *dc)
{
	size_t n = dc->n;
	struct item_key *k, *tmp;
	struct due_item *v;
	int packed = 1;

	if (n < 2)
		return;
	k = xmalloc(sizeof(*k) * n);
	tmp = xmalloc(sizeof(*tmp) * n);

	/* a moment past the bias (none a book can give) and every item is
	 * compared by the item itself: key 0 for all */
	for (size_t i = 0; i < n; i++)
		packed &= dc->v[i].due > -MOMENT_BIAS && dc->v[i].due < MOMENT_BIAS;
	for (size_t i = 0; i < n; i++) {
		k[i].i = i;
		k[i].key = packed ? (uint64_t)dc->v[i].state << 60 |
				    (uint64_t)(dc->v[i].due + MOMENT_BIAS) : 0;
	}
	/* bottom-up merge sort, runs of width w from k into tmp, then back */
	for (size_t w = 1; w < n; w *= 2) {
		struct item_key *t;
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t a = lo, b = mid, o = lo;
			while (a < mid && b < hi)
				tmp[o++] = item_before(dc->v, &k[b], &k[a]) < 0 ? k[b++] : k[a++];
			while (a < mid)
				tmp[o++] = k[a++];
			while (b < hi)
				tmp[o++] = k[b++];
		}
		t = k;
		k = tmp;
		tmp = t;
	}
	/* the items into their order where they are, a cycle of moves at a
	 * time (v[i] = the old v[k[i].i]), each place marked done by k[j].i
	 * = j: no second array of items (fresh memory, this VM's dearest) */
	v = dc->v;
	for (size_t i = 0; i < n; i++) {
		struct due_item first;
		size_t j = i;

		if (k[i].i == i)
			continue;
		first = v[i];
		while (k[j].i != i) {
			size_t from = k[j].i;
			v[j] = v[from];
			k[j].i = j;
			j = from;
		}
		v[j] = first;
		k[j].i = j;
	}
	free(k);
	free(tmp);
}

/*
 * The rules run in parts, each collecting into a context of its own (a
 * copy of dc with its own items, arena and text), on the pool's threads,
 * units taken in turn by whichever thread is free:
 *   0: the contact reports (their contacts, and the reports of calls
 *      indexed for the important calls), then the
 *      tickets read once (revisions, the open ones, their originals)
 *      and their costs begun, the journal's rules and the costs (in one
 *      walk of the journal's months after its sums);
 *   1: the journal index (and the routines' lines, in the same walk),
 *      the meetings held, the records' contacts put with the journal's
 *      once unit 0 has read the reports, then the client rules, which
 *      read the index, and the routines;
 *   2 on: the important calls (DUE-2) of CALL_PARTS runs of the journal,
 *      each once unit 0 has indexed the contact reports;
 * a unit waits only for one before it (the units are taken in order, so
 * the one it waits for is always running by then, on any number of
 * threads), and the calls' parts are work for whichever of units 0 and
 * 1 ends first;
 * then, the index made, the records' rules (which read the index, the
 * revisions and the costs) in SLICES slices a thread, so that the
 * threads share them evenly (tickets, contacts and meetings lie in runs
 * of the records), and the approvals (the index: a brand review sent).
 * The parts' items are put together in the order one thread
 * collects them (clients, records, journal, calls, routines, approvals;
 * a call's item, keyed by its line, is never equal to another's), so the
 * sort, which keeps that order among equals, gives the same list on any
 * number of threads.
 */
enum { P_CLIENT, P_JOURNAL, P_ROUTINE, P_APPROVAL, P__N };
#define SLICES 4
#define CALL_PARTS 8

struct collect {
	struct due_ctx *dc;
	struct due_ctx part[P__N];
	struct due_ctx *slices;
	size_t nslices;
	struct due_ctx calls_part[CALL_PARTS];
	struct due_calls *calls;	/* set by unit 0 (under mu), then ready */
	struct due_reports reports;	/* unit 0's, read once calls is set */
	pthread_mutex_t mu;
	pthread_cond_t ready;
	struct due_work *work;
	struct due_routine *routine;
};

static void part_init(struct due_ctx *part, const struct due_ctx *dc)
{
	*part = *dc;
	part->v = NULL;
	part->n = part->alloc = 0;
	memset(&part->arena, 0, sizeof(part->arena));
	memset(&part->text, 0, sizeof(part->text));
	part->arenas = NULL;
	part->narenas = 0;
}

static void collect_unit(void *ctx, size_t unit)
{
	struct collect *c = ctx;
	struct due_calls *calls;
	struct due_reports meetings = { 0 };

	if (unit >= 2) {
		size_t k = unit - 2, n = c->dc->b->journal.n, per = n / CALL_PARTS + 1;
		pthread_mutex_lock(&c->mu);
		while (!c->calls)
			pthread_cond_wait(&c->ready, &c->mu);
		pthread_mutex_unlock(&c->mu);
		due_calls_rules(&c->calls_part[k], c->calls, k * per, (k + 1) * per);
		sort_items(&c->calls_part[k]);
		return;
	}
	switch (unit) {
	case 0:
		calls = due_calls_new();
		due_index_reports(c->dc, &c->reports, calls);
		pthread_mutex_lock(&c->mu);
		c->calls = calls;
		pthread_cond_broadcast(&c->ready);
		pthread_mutex_unlock(&c->mu);
		due_work_tickets(c->work, c->dc->b, c->dc->now);
		due_work_journal(&c->part[P_JOURNAL], c->work);
		sort_items(&c->part[P_JOURNAL]);
		break;
	default:
		due_index_journal(c->dc, c->routine);
		due_index_meetings(c->dc, &meetings);
		/* the records' contacts, once unit 0 has read the reports */
		pthread_mutex_lock(&c->mu);
		while (!c->calls)
			pthread_cond_wait(&c->ready, &c->mu);
		pthread_mutex_unlock(&c->mu);
		due_index_contacts(c->dc, &c->reports, &meetings);
		part_init(&c->part[P_CLIENT], c->dc);
		due_client_rules(&c->part[P_CLIENT]);
		sort_items(&c->part[P_CLIENT]);
		due_routine_rules(&c->part[P_ROUTINE], c->routine);
		sort_items(&c->part[P_ROUTINE]);
		break;
	}
}

static void slice_unit(void *ctx, size_t unit)
{
	struct collect *c = ctx;
	size_t n = c->dc->b->nrecs, per = n / c->nslices + 1;

	if (unit == c->nslices) {
		due_approval_rules(&c->part[P_APPROVAL]);
		sort_items(&c->part[P_APPROVAL]);
		return;
	}
	due_work_records(&c->slices[unit], c->work, unit * per, (unit + 1) * per);
	sort_items(&c->slices[unit]);
}

/*
 * The parts, each sorted, merged into dc in order: an item before every
 * other part's first; among equals, the earlier part's (as if they were
 * one list in the parts' order, sorted keeping that order among equals),
 * by a heap of the parts' next items (four comparisons an item of
 * thirteen parts, not twelve), as pointers into the parts' arrays: those
 * and the parts' arenas are kept by dc.
 */
struct part_head {
	const struct due_item *it;
	size_t part;
};

static int head_before(const struct part_head *a, const struct part_head *b)
{
	int c = item_cmp(a->it, b->it);

	return c ? c < 0 : a->part < b->part;
}

static void sift_down(struct part_head *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct part_head t;
		if (l < n && head_before(&h[l], &h[m]))
			m = l;
		if (l + 1 < n && head_before(&h[l + 1], &h[m]))
			m = l + 1;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void merge_parts(struct due_ctx *dc, struct due_ctx **parts, size_t k)
{
	size_t total = 0, nh = 0, *at = xcalloc(k, sizeof(*at));
	struct part_head *h = xmalloc((k + 1) * sizeof(*h));

	for (size_t p = 0; p < k; p++) {
		total += parts[p]->n;
		if (parts[p]->n)
			h[nh++] = (struct part_head){ parts[p]->v, p };
	}
	for (size_t i = nh / 2; i-- > 0;)
		sift_down(h, nh, i);
	dc->list = xmalloc(sizeof(*dc->list) * (total + 1));
	dc->arenas = xcalloc(k, sizeof(*dc->arenas));
	dc->parts_v = xcalloc(k, sizeof(*dc->parts_v));
	for (dc->n = 0; dc->n < total; dc->n++) {
		size_t p = h[0].part;
		dc->list[dc->n] = h[0].it;
		if (++at[p] < parts[p]->n) {
			h[0].it = &parts[p]->v[at[p]];
		} else {
			h[0] = h[--nh];
		}
		sift_down(h, nh, 0);
	}
	for (size_t p = 0; p < k; p++) {
		dc->arenas[dc->narenas++] = parts[p]->arena;
		dc->parts_v[dc->nparts_v++] = parts[p]->v;
		sb_release(&parts[p]->text);
	}
	free(h);
	free(at);
}

void due_collect(struct due_ctx *dc, struct book *b, moment_t now,
		 int horizon_end, int zh)
{
	due_collect_from(dc, b, now, INT_MIN, horizon_end, zh);
}

void due_collect_from(struct due_ctx *dc, struct book *b, moment_t now, int first,
		      int horizon_end, int zh)
{
	struct collect c = { .dc = dc };
	struct due_ctx **parts;
	size_t k = 0;

	memset(dc, 0, sizeof(*dc));
	dc->b = b;
	dc->cal = &b->cal;
	dc->now = now;
	dc->today = day_of_moment(now);
	dc->horizon_end = horizon_end;
	dc->horizon_start = first;
	dc->zh = zh;
	due_work_params(dc);
	/* what the parts that do not read the index read of dc is set */
	part_init(&c.part[P_JOURNAL], dc);
	part_init(&c.part[P_ROUTINE], dc);
	c.routine = due_routine_begin(dc);
	c.work = due_work_new(b);
	for (size_t i = 0; i < CALL_PARTS; i++)
		part_init(&c.calls_part[i], dc);
	pthread_mutex_init(&c.mu, NULL);
	pthread_cond_init(&c.ready, NULL);
	pool_run(2 + CALL_PARTS, 1, collect_unit, &c);
	pthread_cond_destroy(&c.ready);
	pthread_mutex_destroy(&c.mu);
	due_calls_release(c.calls);
	/* the parts that read the index are copied from dc once it is made */
	part_init(&c.part[P_APPROVAL], dc);
	c.nslices = (size_t)pool_threads() * SLICES;
	c.slices = xcalloc(c.nslices, sizeof(*c.slices));
	for (size_t i = 0; i < c.nslices; i++)
		part_init(&c.slices[i], dc);
	pool_run(c.nslices + 1, 1, slice_unit, &c);
	due_work_release(c.work);
	/* in the order one thread collects them */
	parts = xmalloc(sizeof(*parts) * (P__N + c.nslices + CALL_PARTS));
	parts[k++] = &c.part[P_CLIENT];
	for (size_t i = 0; i < c.nslices; i++)
		parts[k++] = &c.slices[i];
	parts[k++] = &c.part[P_JOURNAL];
	for (size_t i = 0; i < CALL_PARTS; i++)
		parts[k++] = &c.calls_part[i];
	parts[k++] = &c.part[P_ROUTINE];
	parts[k++] = &c.part[P_APPROVAL];
	merge_parts(dc, parts, k);
	free(parts);
	free(c.slices);
}

void due_release(struct due_ctx *dc)
{
	free(dc->v);
	free(dc->list);
	for (size_t i = 0; i < dc->nparts_v; i++)
		free(dc->parts_v[i]);
	free(dc->parts_v);
	free(dc->row);
	free(dc->last);
	free(dc->one);
	free(dc->month_sends);
	free(dc->month_unreviewed);
	free(dc->contact);
	free(dc->contact_via);
	free(dc->contact_held);
	free(dc->callback_result);
	free(dc->notices);
	arena_release(&dc->arena);
	for (size_t i = 0; i < dc->narenas; i++)
		arena_release(&dc->arenas[i]);
	free(dc->arenas);
	sb_release(&dc->text);
	memset(dc, 0, sizeof(*dc));
}
