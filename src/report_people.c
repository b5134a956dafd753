/* report_people.c -- the reports about people; see report.h.
 *   REC-7  the client roster 客户实绩统计表: owner, last contact, open
 *          jobs, call cadence (DUE-1) and overdue items of each client
 *   REC-7  from the journal: hours (人员工时记录表), overtime (加班单,
 *          DUE-8) and expenses (费用报销单, 差旅费, DUE-9), by person,
 *          client and job
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

void report_common_facts(struct report *r, const struct book *b, const struct report_opts *o,
			 int period)
{
	if (b->cfg.name)
		report_fact(r, NULL, "book", b->cfg.name, NULL);
	if (period)
		report_fact(r, NULL, "month", rprintf(r, "%s (%s)", o->period, rrange(r, o->first, o->last)),
			    o->period);
	report_fact(r, NULL, "as_of", rmoment_full(r, o->now), riso_moment(r, o->now));
	if (o->who)
		report_fact(r, NULL, "who", rprintf(r, "%s (%s)", staff_label(b, o->who), o->who), o->who);
	if (o->client)
		report_fact(r, NULL, "client", rprintf(r, "%s (%s)", client_label(b, o->client), o->client),
			    o->client);
}

/* -- the roster -- */

int report_roster(struct report *r, struct book *b, const struct report_opts *o)
{
	struct rclients cs;
	struct due_ctx dc;
	moment_t *last = xcalloc(b->nrecs + 1, sizeof(*last));
	const char **via = xcalloc(b->nrecs + 1, sizeof(*via));
	long *open = NULL, *overdue = NULL, total_open = 0, total_overdue = 0;
	const char **cadence = NULL;
	struct rsection *s;
	struct rtable *t;

	rclients_init(&cs, b, o);
	open = xcalloc(cs.n + 1, sizeof(*open));
	overdue = xcalloc(cs.n + 1, sizeof(*overdue));
	cadence = xcalloc(cs.n + 1, sizeof(*cadence));
	report_common_facts(r, b, o, 0);
	report_fact(r, NULL, "clients_n", rprintf(r, "%zu", cs.n), NULL);

	/* open jobs; the last contact is DUE-1's own (due.h), so the roster
	 * and the agenda agree */
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *rec = &b->recs[i];
		struct rclient *c;
		const char *st;

		if (rec->kind != K_JOB || !(c = rclients_get(&cs, rec_field(b, rec, "client"))))
			continue;
		st = rec_field(b, rec, "status");
		if (st && (!strcmp(st, "open") || !strcmp(st, "in-progress")))
			open[c - cs.v]++;
	}
	due_collect(&dc, b, o->now, day_of_moment(o->now), r->zh);
	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].kind == K_CLIENT)
			last[i] = due_last_contact(&dc, &b->recs[i], &via[i]);
	for (size_t i = 0; i < dc.n; i++) {
		const struct due_item *it = dc.list[i];
		struct rclient *c = rclients_get(&cs, it->client);
		if (!c)
			continue;
		if (it->state == DUE_OVERDUE)
			overdue[c - cs.v]++;
		if (!strcmp(it->rule, "DUE-1"))
			cadence[c - cs.v] = it->state == DUE_OVERDUE ? "late" :
					    it->state == DUE_TODAY ? "today" : "ok";
	}

	s = report_section(r, "roster", "");
	t = report_table(r, s, "clients", NULL,
			 "code name ae am status last_contact:d via open_jobs:n cadence callback:d satisfaction overdue:n");
	for (size_t i = 0; i < cs.n; i++) {
		const struct record *c = cs.v[i].c;
		const char *ae = rec_field(b, c, "ae"), *am = rec_field(b, c, "am");
		const char *st = rec_field(b, c, "status");
		size_t k = (size_t)(c - b->recs);

		if (!cadence[i] && st && !strcmp(st, "active"))
			cadence[i] = "ok";
		rt_text(r, t, c->id);
		rt_text(r, t, rec_field(b, c, "name"));
		rt_cell(r, t, ae ? staff_label(b, ae) : "", ae ? ae : "");
		rt_cell(r, t, am ? staff_label(b, am) : "", am ? am : "");
		rt_code(r, t, "cli", st);
		rt_moment(r, t, last[k]);
		rt_code(r, t, "occ", via[k]);
		rt_count(r, t, open[i]);
		rt_code(r, t, "cad", cadence[i]);
		/* DUE-11: the last call-back and what its survey found */
		{
			static const char *const sat[] = { NULL, "satisfied", "neutral", "unsatisfied" };
			moment_t cb = due_last(&dc, c, EV_CALLBACK);
			rt_day(r, t, cb ? day_of_moment(cb) : -1);
			rt_code(r, t, "sat", cb ? sat[dc.callback_result[k] & 3] : NULL);
		}
		rt_count(r, t, overdue[i]);
		total_open += open[i];
		total_overdue += overdue[i];
	}
	if (cs.n) {
		rt_foot(t);
		rt_text(r, t, rlabel(r, "total"));
		rt_text(r, t, rprintf(r, RL(r, "%zu 个客户", "%zu clients"), cs.n));
		for (int k = 0; k < 5; k++)
			rt_text(r, t, "");
		rt_count(r, t, total_open);
		for (int k = 0; k < 3; k++)
			rt_text(r, t, "");
		rt_count(r, t, total_overdue);
	}
	due_release(&dc);
	free(cadence);
	free(overdue);
	free(open);
	free(via);
	free(last);
	rclients_release(&cs);
	return 0;
}

/* -- the journal: sums by person, client and job -- */

struct agg {
	const char *key;	/* staff id, client code, job id, category; "" none */
	long n, sum;
};

struct aggs {
	struct agg *v;
	size_t n, alloc;
	struct strmap map;	/* key -> index + 1 */
};

static void agg_add(struct aggs *a, const char *key, long amount)
{
	size_t i = (size_t)strmap_get(&a->map, key ? key : "");

	if (!i) {
		ALLOC_GROW(a->v, a->n + 1, a->alloc);
		a->v[a->n].key = key ? key : "";
		a->v[a->n].n = 0;
		a->v[a->n].sum = 0;
		strmap_put(&a->map, a->v[a->n].key, (void *)(a->n + 1));
		i = ++a->n;
	}
	a->v[i - 1].n++;
	a->v[i - 1].sum += amount;
}

static void agg_release(struct aggs *a)
{
	free(a->v);
	strmap_release(&a->map);
}

static const struct config *sort_cfg;

/* people in the order of ae.ini; others (and none) after them */
static long staff_order(const char *id)
{
	const struct staff *st = *id ? config_staff(sort_cfg, id) : NULL;

	return st ? (long)(st - sort_cfg->staff) : (long)sort_cfg->nstaff + (*id ? 0 : 1);
}

static int cmp_person(const void *pa, const void *pb)
{
	const struct agg *a = pa, *b = pb;
	long x = staff_order(a->key), y = staff_order(b->key);

	if (x != y)
		return x < y ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* expense categories in the journal grammar's order */
static int cmp_category(const void *pa, const void *pb)
{
	static const char *const order[] = {
		"travel", "taxi", "meal", "print", "material", "gift", "postage", "other"
	};
	const struct agg *a = pa, *b = pb;
	size_t x = 0, y = 0;

	while (x < ARRAY_SIZE(order) && strcmp(order[x], a->key))
		x++;
	while (y < ARRAY_SIZE(order) && strcmp(order[y], b->key))
		y++;
	if (x != y)
		return x < y ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* by key; the empty key ("none") last */
static int cmp_key(const void *pa, const void *pb)
{
	const struct agg *a = pa, *b = pb;

	if (!*a->key != !*b->key)
		return *a->key ? -1 : 1;
	return strcmp(a->key, b->key);
}

enum sumkind { SUM_HOURS, SUM_MONEY };

static void rt_sum(struct report *r, struct rtable *t, enum sumkind k, long v)
{
	if (k == SUM_MONEY)
		rt_money(r, t, v);
	else
		rt_hundredths(r, t, v);
}

static void foot(struct report *r, struct rtable *t, int blanks, enum sumkind k,
		 const struct aggs *a)
{
	long n = 0, sum = 0;

	if (!a->n)
		return;
	for (size_t i = 0; i < a->n; i++) {
		n += a->v[i].n;
		sum += a->v[i].sum;
	}
	rt_foot(t);
	rt_text(r, t, rlabel(r, "total"));
	for (int i = 0; i < blanks; i++)
		rt_text(r, t, "");
	rt_count(r, t, n);
	rt_sum(r, t, k, sum);
}

static const char *none_label(struct report *r, const char *what)
{
	return !strcmp(what, "job") ? RL(r, "（无工作单）", "(no job)") : RL(r, "（无客户）", "(no client)");
}

/* The three tables every journal report has: by person, client and job. */
static void agg_tables(struct report *r, struct rsection *s, const struct book *b,
		       struct aggs *people, struct aggs *clients, struct aggs *jobs,
		       const char *count_col, enum sumkind k)
{
	const char *sum_col = k == SUM_MONEY ? "amount:n" : "hours:n";
	struct rtable *t;

	sort_cfg = &b->cfg;
	if (people->n > 1)
		qsort(people->v, people->n, sizeof(*people->v), cmp_person);
	if (clients->n > 1)
		qsort(clients->v, clients->n, sizeof(*clients->v), cmp_key);
	if (jobs->n > 1)
		qsort(jobs->v, jobs->n, sizeof(*jobs->v), cmp_key);

	t = report_table(r, s, "by_person", NULL, rprintf(r, "person %s %s", count_col, sum_col));
	for (size_t i = 0; i < people->n; i++) {
		rt_cell(r, t, staff_label(b, people->v[i].key), people->v[i].key);
		rt_count(r, t, people->v[i].n);
		rt_sum(r, t, k, people->v[i].sum);
	}
	foot(r, t, 0, k, people);

	t = report_table(r, s, "by_client", NULL, rprintf(r, "code client_name %s %s", count_col, sum_col));
	for (size_t i = 0; i < clients->n; i++) {
		const char *id = clients->v[i].key;
		rt_text(r, t, *id ? id : none_label(r, "client"));
		rt_text(r, t, *id ? client_label(b, id) : "");
		rt_count(r, t, clients->v[i].n);
		rt_sum(r, t, k, clients->v[i].sum);
	}
	foot(r, t, 1, k, clients);

	t = report_table(r, s, "by_job", NULL, rprintf(r, "job client_name title %s %s", count_col, sum_col));
	for (size_t i = 0; i < jobs->n; i++) {
		const char *id = jobs->v[i].key;
		const struct record *j = *id ? book_record(b, K_JOB, id) : NULL;
		const char *client = j ? rec_field(b, j, "client") : NULL;
		rt_text(r, t, *id ? id : none_label(r, "job"));
		rt_text(r, t, client ? client_label(b, client) : "");
		rt_text(r, t, j ? rec_field(b, j, "title") : "");
		rt_count(r, t, jobs->v[i].n);
		rt_sum(r, t, k, jobs->v[i].sum);
	}
	foot(r, t, 2, k, jobs);
}

/* The job and client an entry is about (either may be NULL). */
static void entry_refs(const struct book *b, const struct jentry *e, const char **job,
		       const char **client)
{
	const struct record *rec = e->rec >= 0 ? &b->recs[e->rec] : NULL;

	*job = *client = NULL;
	if (!rec)
		return;
	if (rec->kind == K_JOB) {
		*job = rec->id;
		*client = rec_field(b, rec, "client");
	} else if (rec->kind == K_CLIENT) {
		*client = rec->id;
	}
}

/* Whether the report takes entry e, of verb v. */
static int entry_wanted(const struct book *b, const struct report_opts *o,
			const struct jentry *e, int verb)
{
	const char *job, *client;
	int day = day_of_moment(e->at);

	if (e->verb != verb || day < o->first || day > o->last)
		return 0;
	if (!report_who_matches(b, jentry_who(&b->journal, e), o->who))
		return 0;
	entry_refs(b, e, &job, &client);
	return !o->client || (client && !strcmp(client, o->client));
}

int report_hours(struct report *r, struct book *b, const struct report_opts *o)
{
	struct aggs people = { 0 }, clients = { 0 }, jobs = { 0 };
	long total = 0;
	struct rsection *s;

	report_common_facts(r, b, o, 1);
	for (size_t i = 0; i < b->journal.n; i++) {
		const struct jentry *e = &b->journal.v[i];
		const char *job, *client;
		if (!entry_wanted(b, o, e, JV_HOURS))
			continue;
		entry_refs(b, e, &job, &client);
		agg_add(&people, jentry_who(&b->journal, e), e->amount);
		agg_add(&clients, client, e->amount);
		agg_add(&jobs, job, e->amount);
		total += e->amount;
	}
	{
		char buf[40];
		snprintf(buf, sizeof(buf), "%ld.%02ld", total / 100, total % 100);
		report_fact(r, NULL, "total_hours", buf, NULL);
	}
	s = report_section(r, "hours", "");
	agg_tables(r, s, b, &people, &clients, &jobs, "entries:n", SUM_HOURS);
	agg_release(&people);
	agg_release(&clients);
	agg_release(&jobs);
	return 0;
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct jentry *a = *(const struct jentry *const *)pa;
	const struct jentry *b = *(const struct jentry *const *)pb;

	/* then by file and line: their order in the journal's array */
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* The entries of verb v the report takes, in time order. */
static const struct jentry **entries(const struct book *b, const struct report_opts *o,
				     int verb, size_t *n)
{
	const struct jentry **v = xmalloc(sizeof(*v) * (b->journal.n + 1));

	*n = 0;
	for (size_t i = 0; i < b->journal.n; i++)
		if (entry_wanted(b, o, &b->journal.v[i], verb))
			v[(*n)++] = &b->journal.v[i];
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_entry);
	return v;
}

static int time_param(const struct book *b, const char *key, int def)
{
	const char *v = config_str(&b->cfg, key, NULL);
	int m;

	if (v && parse_time(v, strlen(v), &m) == DATE_OK)
		return m;
	return def;
}

int report_overtime(struct report *r, struct book *b, const struct report_opts *o)
{
	struct aggs people = { 0 }, clients = { 0 }, jobs = { 0 };
	int form_by = time_param(b, "overtime_form_by", 17 * 60);
	int late_after = time_param(b, "overtime_late_after", 23 * 60);
	size_t n;
	const struct jentry **v = entries(b, o, JV_OVERTIME, &n);
	long total = 0;
	struct rsection *s;
	struct rtable *t;

	report_common_facts(r, b, o, 1);
	s = report_section(r, "overtime", "");
	t = report_table(r, s, "list", NULL, "date:d person span hours:n job client filed form late_start");
	t->counted = 1;
	for (size_t i = 0; i < n; i++) {
		const struct jentry *e = v[i];
		const char *job, *client;
		/* DUE-8: the day worked is the span's date when the line gives
		 * one (filed the next morning), else the line's own day; the
		 * form is late when filed after form_by of the day worked */
		int day = (int)e->amount, fday = day_of_moment(e->at);
		int filed = (int)(e->at - (moment_t)fday * 1440);
		int form_late = e->at > cal_day_at(&b->cal, day, form_by);
		long minutes = e->span_end - e->span_start;
		long h;
		int late_start = e->span_end > late_after || e->span_end < e->span_start;

		if (minutes < 0)
			minutes += 1440;
		h = (minutes * 100 + 30) / 60;
		entry_refs(b, e, &job, &client);
		rt_day(r, t, day);
		rt_cell(r, t, staff_label(b, jentry_who(&b->journal, e)), jentry_who(&b->journal, e));
		rt_text(r, t, rprintf(r, "%02d:%02d-%02d:%02d", e->span_start / 60, e->span_start % 60,
				      e->span_end / 60, e->span_end % 60));
		rt_hundredths(r, t, h);
		rt_text(r, t, job);
		rt_cell(r, t, client ? client_label(b, client) : "", client ? client : "");
		if (fday == day) {
			rt_text(r, t, rprintf(r, "%02d:%02d", filed / 60, filed % 60));
		} else {
			char when[20];
			format_moment(when, e->at);
			rt_text(r, t, rprintf(r, "%s", when));
		}
		rt_code(r, t, "form", form_late ? "late" : "ok");
		rt_cell(r, t, late_start ? rlabel(r, "yes") : "", late_start ? "yes" : "");
		agg_add(&people, jentry_who(&b->journal, e), h);
		agg_add(&clients, client, h);
		agg_add(&jobs, job, h);
		total += h;
	}
	{
		char buf[40];
		snprintf(buf, sizeof(buf), "%ld.%02ld", total / 100, total % 100);
		report_fact(r, NULL, "total_hours", buf, NULL);
	}
	agg_tables(r, s, b, &people, &clients, &jobs, "count:n", SUM_HOURS);
	agg_release(&people);
	agg_release(&clients);
	agg_release(&jobs);
	free(v);
	return 0;
}

int report_expenses(struct report *r, struct book *b, const struct report_opts *o)
{
	struct aggs people = { 0 }, clients = { 0 }, jobs = { 0 }, cats = { 0 };
	size_t n, na;
	const struct jentry **v = entries(b, o, JV_EXPENSE, &n);
	const struct jentry **adv = entries(b, o, JV_ADVANCE, &na);
	long total = 0, total_adv = 0;
	struct rsection *s;
	struct rtable *t;

	report_common_facts(r, b, o, 1);
	for (size_t i = 0; i < n; i++)
		total += v[i]->amount;
	for (size_t i = 0; i < na; i++)
		total_adv += adv[i]->amount;
	report_fact(r, NULL, "total_amount", rmoney(r, total), NULL);
	report_fact(r, NULL, "total_advances", rmoney(r, total_adv), NULL);
	s = report_section(r, "expenses", "");
	t = report_table(r, s, "list", NULL, "date:d person client job category amount:n");
	t->counted = 1;
	for (size_t i = 0; i < n; i++) {
		const struct jentry *e = v[i];
		const char *job, *client;
		entry_refs(b, e, &job, &client);
		rt_day(r, t, day_of_moment(e->at));
		rt_cell(r, t, staff_label(b, jentry_who(&b->journal, e)), jentry_who(&b->journal, e));
		rt_cell(r, t, client ? client_label(b, client) : "", client ? client : "");
		rt_text(r, t, job);
		rt_code(r, t, "cat", jentry_what(&b->journal, e));
		rt_money(r, t, e->amount);
		agg_add(&people, jentry_who(&b->journal, e), e->amount);
		agg_add(&clients, client, e->amount);
		agg_add(&jobs, job, e->amount);
		agg_add(&cats, jentry_what(&b->journal, e), e->amount);
	}
	if (n) {
		rt_foot(t);
		rt_text(r, t, rlabel(r, "total"));
		for (int k = 0; k < 4; k++)
			rt_text(r, t, "");
		rt_money(r, t, total);
	}
	agg_tables(r, s, b, &people, &clients, &jobs, "count:n", SUM_MONEY);
	if (cats.n > 1)
		qsort(cats.v, cats.n, sizeof(*cats.v), cmp_category);
	t = report_table(r, s, "by_category", NULL, "category count:n amount:n");
	for (size_t i = 0; i < cats.n; i++) {
		rt_code(r, t, "cat", cats.v[i].key);
		rt_count(r, t, cats.v[i].n);
		rt_money(r, t, cats.v[i].sum);
	}
	foot(r, t, 0, SUM_MONEY, &cats);
	t = report_table(r, s, "advances", NULL, "date:d person client amount:n");
	t->counted = 1;
	for (size_t i = 0; i < na; i++) {
		const struct jentry *e = adv[i];
		const char *job, *client;
		entry_refs(b, e, &job, &client);
		rt_day(r, t, day_of_moment(e->at));
		rt_cell(r, t, staff_label(b, jentry_who(&b->journal, e)), jentry_who(&b->journal, e));
		rt_cell(r, t, client ? client_label(b, client) : "", client ? client : "");
		rt_money(r, t, e->amount);
	}
	if (na) {
		rt_foot(t);
		rt_text(r, t, rlabel(r, "total"));
		rt_text(r, t, "");
		rt_text(r, t, "");
		rt_money(r, t, total_adv);
	}
	agg_release(&people);
	agg_release(&clients);
	agg_release(&jobs);
	agg_release(&cats);
	free(adv);
	free(v);
	return 0;
}
