/*
 * report_client.c -- the client editions of the weekly status report
 * (DUE-3) and the month-end summary and plan (DUE-7): what the agency
 * sends its client; see report.h and ae-report(1), CLIENT EDITION.
 *
 * Each client gets a letter in its own language (its `lang`, else the
 * book's; --lang beats both): the agency's letterhead ([agency] of
 * ae.ini), the period, the work with its status and the client's
 * deadlines (client_due), what the agency will deliver next and when,
 * the contact reports and meetings (which the client already receives),
 * and the AE's signature.  Nothing internal is written because nothing
 * internal is read: no rule IDs, no due items (so no internal deadline
 * of JOB-3 and no staff to-dos), no "late" flags, and none of the
 * tickets' prose (summary, progress, next steps are the agency's notes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* The client's language: --lang, else its `lang`, else the report's. */
static int client_zh(const struct book *b, const struct record *c, const struct report_opts *o)
{
	const char *l = rec_field(b, c, "lang");

	if (o->lang_given || !l)
		return o->zh;
	return !strcmp(l, "zh");
}

/* The text of the language, falling back on the other one. */
static const char *pick(const struct report *r, const char *zh, const char *en)
{
	if (r->zh)
		return zh ? zh : en;
	return en ? en : zh;
}

/* "上海可口可乐饮料有限公司 王建华 市场部经理": the client and its first
 * contact person (the first line of `contacts`: name, title, phone ...). */
static const char *addressee(struct report *r, struct book *b, const struct record *c)
{
	static const char *const names[] = { "contacts" };
	const char *name = rec_field(b, c, "name"), *contacts, *who = NULL, *title = NULL;

	if (!name)
		name = c->id;
	report_prose(r, b, c, names, &contacts, 1);
	if (contacts) {
		size_t line = strcspn(contacts, "\n"), n = 0;
		char *first = xstrndup(contacts, line), *save = NULL, *part;
		/* ',' or the full-width '，' */
		for (char *p = first; *p; p++)
			if (!strncmp(p, "，", 3)) {
				memmove(p + 1, p + 3, strlen(p + 3) + 1);
				*p = ',';
			}
		for (part = strtok_r(first, ",", &save); part && n < 2; part = strtok_r(NULL, ",", &save), n++) {
			while (*part == ' ')
				part++;
			if (n == 0)
				who = rstr(r, part);
			else
				title = rstr(r, part);
		}
		free(first);
	}
	if (!who)
		return name;
	if (r->zh)
		return rprintf(r, "%s %s%s%s", name, who, title ? " " : "", title ? title : "");
	return rprintf(r, "%s%s%s, %s", who, title ? ", " : "", title ? title : "", name);
}

/* A client's letter: its section, letterhead, heading and facts. */
static struct rsection *letter(struct report *r, struct book *b, const struct record *c,
			       const struct report_opts *o, const char *period_key)
{
	const struct agency *a = &b->cfg.agency;
	const char *name = rec_field(b, c, "name"), *addr = pick(r, a->address, a->address_en);
	struct rsection *s = report_section(r, c->id, name ? name : c->id);
	int today = day_of_moment(o->now);
	char key[40];

	snprintf(key, sizeof(key), "title.%s", r->kind);
	s->heading = rlabel(r, key);
	s->org = pick(r, a->name, a->name_en);
	if (s->org)
		s->org = rstr(r, s->org);
	if (addr)
		report_org_line(r, s, "org_address", addr);
	if (a->phone)
		report_org_line(r, s, "org_phone", a->phone);
	if (a->email)
		report_org_line(r, s, "org_email", a->email);
	if (a->web)
		report_org_line(r, s, "org_web", a->web);
	report_fact(r, s, "to", addressee(r, b, c), c->id);
	report_fact(r, s, period_key, rrange(r, o->first, o->last), o->period);
	report_fact(r, s, "issued", rdate(r, today), riso_day(r, today));
	return s;
}

/* The AE's signature, then the agency's name. */
static void signature(struct report *r, struct rsection *s, const struct book *b,
		      const struct record *c)
{
	const char *id = rec_field(b, c, "ae");
	const struct staff *st = id ? config_staff(&b->cfg, id) : NULL;
	const char *org = pick(r, b->cfg.agency.name, b->cfg.agency.name_en);
	struct strbuf sb = STRBUF_INIT;

	sb_addstr(&sb, RL(r, "此致\n敬礼！\n", "Best regards,\n"));
	if (st) {
		char key[32];
		const char *title;
		snprintf(key, sizeof(key), "rank.%s", rank_names[st->rank]);
		title = r->zh ? st->title : st->title_en;
		if (!title)
			title = rlabel(r, key);
		if (!strcmp(title, key))
			title = NULL;
		sb_addf(&sb, "\n%s", r->zh ? st->name : st->name_en ? st->name_en : st->name);
		if (title)
			sb_addf(&sb, "\n%s", title);
		if (st->phone && st->email)
			sb_addf(&sb, r->zh ? "\n电话 %s　邮箱 %s" : "\nPhone %s · %s", st->phone, st->email);
		else if (st->phone || st->email)
			sb_addf(&sb, r->zh && st->phone ? "\n电话 %s" : r->zh ? "\n邮箱 %s" : st->phone ? "\nPhone %s" : "\n%s",
				st->phone ? st->phone : st->email);
	}
	if (org)
		sb_addf(&sb, "\n%s", org);
	report_signature(r, s, sb.buf);
	sb_release(&sb);
}

/* The client edition's words for the internal columns. */
static void client_labels(struct report *r, struct rtable *t)
{
	static const char *const map[][2] = {
		{ "job", "c.ref" }, { "contact", "c.ref" }, { "meeting", "c.ref" },
		{ "title", "c.item" }, { "submit", "c.opened" }, { "client_due", "c.due" },
		{ "delivered", "c.delivered" }, { "complete", "c.delivered" },
		{ "approval", "c.approval" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		rt_relabel(r, t, map[i][0], map[i][1]);
}

static int mday(moment_t m)
{
	return m ? day_of_moment(m) : -1;
}

static int open_at(const struct rjob *j, int day)
{
	const char *st = rjob_status_at(j, day);

	return !strcmp(st, "open") || !strcmp(st, "in-progress");
}

/* -- what comes next: deliveries and meetings, by time -- */

struct plan_row {
	moment_t when;
	const char *what;
};

struct plan {
	struct plan_row *v;
	size_t n, alloc;
};

static void plan_add(struct plan *p, moment_t when, const char *what)
{
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	p->v[p->n].when = when;
	p->v[p->n++].what = what;
}

static int cmp_plan(const void *a, const void *b)
{
	const struct plan_row *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return strcmp(x->what, y->what);
}

/* The deliveries due from..until that are still to come at the end of
 * last, and the meetings planned then; the table plan. */
static void plan_table(struct report *r, struct rsection *s, struct book *b, struct rclient *c,
		       int last, int from, int until, const char *title_key)
{
	struct plan p = { NULL, 0, 0 };
	struct rtable *t;

	for (size_t i = 0; i < c->njobs; i++) {
		const struct rjob *j = &c->jobs[i];
		if (mday(j->due) < from || mday(j->due) > until || !open_at(j, last))
			continue;
		plan_add(&p, j->due, rprintf(r, RL(r, "交付：%s（%s）", "Delivery: %s (%s)"),
					     j->title ? j->title : j->id, j->id));
	}
	for (size_t i = 0; i < c->nmeetings; i++) {
		const struct record *m = c->meetings[i];
		const char *st = rec_field(b, m, "status"), *topic = rec_field(b, m, "topic");
		const char *where = rec_field(b, m, "where");
		moment_t when = rec_moment(b, m, "when");
		if (mday(when) < from || mday(when) > until || (st && strcmp(st, "planned")))
			continue;
		plan_add(&p, when, where ? rprintf(r, RL(r, "会议：%s（%s）", "Meeting: %s (%s)"), topic ? topic : m->id, where)
					 : rprintf(r, RL(r, "会议：%s", "Meeting: %s"), topic ? topic : m->id));
	}
	if (p.n > 1)
		qsort(p.v, p.n, sizeof(*p.v), cmp_plan);
	t = report_table(r, s, "plan", rlabel(r, title_key), "when:d what");
	for (size_t i = 0; i < p.n; i++) {
		rt_moment(r, t, p.v[i].when);
		rt_text(r, t, p.v[i].what);
	}
	free(p.v);
}

/* The contact reports of the period, which the client has received. */
static void contacts_table(struct report *r, struct rsection *s, struct book *b, struct rclient *c,
			   const char *title_key, int conclusions)
{
	struct rtable *t;

	if (!c->ncontacts)
		return;
	qsort_r(c->contacts, c->ncontacts, sizeof(*c->contacts), report_cmp_by_time, b);
	t = report_table(r, s, "contacts", rlabel(r, title_key),
			 conclusions ? "contact when:d occasion subject conclusions:w"
				     : "contact when:d occasion subject");
	client_labels(r, t);
	for (size_t i = 0; i < c->ncontacts; i++) {
		const struct record *cr = c->contacts[i];
		static const char *const names[] = { "conclusions" };
		const char *concl = NULL;

		rt_text(r, t, cr->id);
		rt_moment(r, t, rec_moment(b, cr, "held"));
		rt_code(r, t, "occ", rec_field(b, cr, "occasion"));
		rt_text(r, t, rec_field(b, cr, "subject"));
		if (conclusions) {
			report_prose(r, b, cr, names, &concl, 1);
			rt_text(r, t, concl);
		}
	}
}

/* Jobs, contact reports and meetings of each client the report covers:
 * every job (the letters pick by date), the contact reports held within
 * first..last, the meetings from first to until. */
static void collect(struct rclients *cs, struct book *b, const struct report_opts *o, int until)
{
	struct rjob_fields jf;

	rclients_init(cs, b, o);
	rjob_fields(b, &jf);
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *rec = &b->recs[i];
		struct rclient *c;
		moment_t m;

		if (!(c = rclients_for(cs, b, rec)))
			continue;
		if (rec->kind == K_JOB) {
			struct rjob j;
			rjob_read_fields(&jf, rec, &j);
			rclient_add_job(c, &j);
		} else if (rec->kind == K_CONTACT) {
			m = rec_moment(b, rec, "held");
			if (mday(m) >= o->first && mday(m) <= o->last)
				rclient_add_rec(&c->contacts, &c->ncontacts, &c->acontacts, rec);
		} else if (rec->kind == K_MEETING) {
			m = rec_moment(b, rec, "when");
			if (mday(m) >= o->first && mday(m) <= until)
				rclient_add_rec(&c->meetings, &c->nmeetings, &c->ameetings, rec);
		}
	}
}

/* Whether a client gets a letter: always when named, else while served
 * or when anything happened or is planned. */
static int writes_to(const struct book *b, const struct report_opts *o, const struct rclient *c,
		     int from, int until)
{
	const char *status = rec_field(b, c->c, "status");
	int first = rec_day(b, c->c, "first_contact");

	if (o->client || c->ncontacts || c->nmeetings)
		return 1;
	if (status && !strcmp(status, "active") && first <= o->last)
		return 1;
	for (size_t i = 0; i < c->njobs; i++)
		if (rjob_active(&c->jobs[i], o->first, o->last) ||
		    (mday(c->jobs[i].due) >= from && mday(c->jobs[i].due) <= until))
			return 1;
	return 0;
}

/* The report's own language: the letters' when they all share one. */
static void report_language(struct report *r, int zh0)
{
	int zh = r->nsecs ? r->secs[0]->zh : zh0;
	char key[40];

	for (size_t i = 1; i < r->nsecs; i++)
		if (r->secs[i]->zh != zh)
			zh = zh0;
	r->zh = zh;
	snprintf(key, sizeof(key), "title.%s", r->kind);
	r->title = rlabel(r, key);
}

static void weekly_letter(struct report *r, struct book *b, const struct report_opts *o,
			  struct rclient *c)
{
	struct rsection *s = letter(r, b, c->c, o, "week");
	struct rtable *t;

	if (c->njobs > 1)
		qsort(c->jobs, c->njobs, sizeof(*c->jobs), report_cmp_job);
	t = report_table(r, s, "work", rlabel(r, "t.c_work"), "job title status client_due:d delivered:d");
	client_labels(r, t);
	for (size_t i = 0; i < c->njobs; i++) {
		const struct rjob *j = &c->jobs[i];
		if (!rjob_active(j, o->first, o->last))
			continue;
		rt_text(r, t, j->id);
		rt_text(r, t, j->title);
		rt_code(r, t, "cjob", rjob_status_at(j, o->last));
		rt_moment(r, t, j->due);
		rt_moment(r, t, mday(j->delivered) <= o->last ? j->delivered : 0);
	}
	contacts_table(r, s, b, c, "t.c_contacts", 1);
	if (c->nmeetings) {
		qsort_r(c->meetings, c->nmeetings, sizeof(*c->meetings), report_cmp_by_time, b);
		t = NULL;
		for (size_t i = 0; i < c->nmeetings; i++) {
			const struct record *m = c->meetings[i];
			moment_t when = rec_moment(b, m, "when");
			if (mday(when) > o->last)
				continue;
			if (!t) {
				t = report_table(r, s, "meetings", rlabel(r, "t.c_meetings"),
						 "meeting when:d topic where status");
				client_labels(r, t);
			}
			rt_text(r, t, m->id);
			rt_moment(r, t, when);
			rt_text(r, t, rec_field(b, m, "topic"));
			rt_text(r, t, rec_field(b, m, "where"));
			rt_code(r, t, "mtg", rec_field(b, m, "status"));
		}
	}
	plan_table(r, s, b, c, o->last, o->last + 1, o->last + 7, "t.c_plan");
	signature(r, s, b, c->c);
}

int report_weekly_client(struct report *r, struct book *b, const struct report_opts *o)
{
	struct rclients cs;
	int zh0 = r->zh;

	r->page_per_section = 1;
	r->letters = 1;
	collect(&cs, b, o, o->last + 7);
	for (size_t i = 0; i < cs.n; i++) {
		if (!writes_to(b, o, &cs.v[i], o->last + 1, o->last + 7))
			continue;
		r->zh = client_zh(b, cs.v[i].c, o);
		weekly_letter(r, b, o, &cs.v[i]);
		r->zh = zh0;
	}
	report_language(r, zh0);
	rclients_release(&cs);
	return 0;
}

static void monthly_letter(struct report *r, struct book *b, const struct report_opts *o,
			   struct rclient *c, int nfirst, int nlast)
{
	struct rsection *s = letter(r, b, c->c, o, "month");
	struct rtable *t;
	size_t nwork = 0, started = 0, delivered = 0, done = 0, ndeliver = 0, nmeet = 0;

	if (c->njobs > 1)
		qsort(c->jobs, c->njobs, sizeof(*c->jobs), report_cmp_job);
	for (size_t i = 0; i < c->njobs; i++) {
		const struct rjob *j = &c->jobs[i];
		if (rjob_active(j, o->first, o->last)) {
			nwork++;
			started += mday(j->opened) >= o->first && mday(j->opened) <= o->last;
			delivered += mday(j->delivered) >= o->first && mday(j->delivered) <= o->last;
			done += j->closed >= o->first && j->closed <= o->last;
		}
		ndeliver += mday(j->due) >= nfirst && mday(j->due) <= nlast && open_at(j, o->last);
	}
	for (size_t i = 0; i < c->nmeetings; i++) {
		const char *st = rec_field(b, c->meetings[i], "status");
		int d = mday(rec_moment(b, c->meetings[i], "when"));
		nmeet += d >= nfirst && d <= nlast && (!st || !strcmp(st, "planned"));
	}
	report_text(r, s, rprintf(r, RL(r, "本月推进工作 %zu 项（新立项 %zu 项，交付 %zu 项，完成 %zu 项），沟通纪要 %zu 份；下月计划交付 %zu 项，会议 %zu 场。",
					"Work this month: %zu (started %zu, delivered %zu, completed %zu); contact reports: %zu. Planned for next month: deliveries %zu, meetings %zu."),
				  nwork, started, delivered, done, c->ncontacts, ndeliver, nmeet));
	t = report_table(r, s, "work", rlabel(r, "t.c_month_work"),
			 "job title status submit:d client_due:d complete:d approval:d");
	client_labels(r, t);
	for (size_t i = 0; i < c->njobs; i++) {
		const struct rjob *j = &c->jobs[i];
		int approval = j->closed >= 0 && j->closed <= o->last ? j->closed : -1;
		if (!rjob_active(j, o->first, o->last))
			continue;
		if (approval < 0 && j->confirmed >= 0 && j->confirmed <= o->last)
			approval = j->confirmed;
		rt_text(r, t, j->id);
		rt_text(r, t, j->title);
		rt_code(r, t, "cjob", rjob_status_at(j, o->last));
		rt_day(r, t, mday(j->opened));
		rt_moment(r, t, j->due);
		rt_day(r, t, mday(j->delivered) <= o->last ? mday(j->delivered) : -1);
		rt_day(r, t, approval);
	}
	contacts_table(r, s, b, c, "t.c_month_contacts", 0);
	plan_table(r, s, b, c, o->last, nfirst, nlast, "t.c_month_plan");
	signature(r, s, b, c->c);
}

int report_monthly_client(struct report *r, struct book *b, const struct report_opts *o)
{
	struct rclients cs;
	int zh0 = r->zh, y, m, d, nfirst = o->last + 1, nlast;

	civil_from_days(nfirst, &y, &m, &d);
	nlast = nfirst + days_in_month(y, m) - 1;
	r->page_per_section = 1;
	r->letters = 1;
	collect(&cs, b, o, nlast);
	for (size_t i = 0; i < cs.n; i++) {
		if (!writes_to(b, o, &cs.v[i], nfirst, nlast))
			continue;
		r->zh = client_zh(b, cs.v[i].c, o);
		monthly_letter(r, b, o, &cs.v[i], nfirst, nlast);
		r->zh = zh0;
	}
	report_language(r, zh0);
	rclients_release(&cs);
	return 0;
}
