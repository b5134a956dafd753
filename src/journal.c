/* journal.c -- see journal.h */
#include "journal.h"
#include "journal_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "cache.h"
#include "diag.h"
#include "pattern.h"
#include "pool.h"
#include "strmap.h"
#include "textfile.h"
#include "utf8.h"

static const char *const verb_names[] = {
	"call", "visit", "hours", "overtime", "expense", "advance", "sent"
};

struct jline {
	const struct book *b;
	struct jfile *out;
	const char *path;
	int line;
	const char *s;		/* the line */
	int month_first, month_last;	/* day numbers of the file's month, or -1 */
};

static int col_at(const struct jline *jl, const char *p)
{
	return (int)utf8_count(jl->s, (size_t)(p - jl->s)) + 1;
}

static void jerr(const struct jline *jl, const char *at, const char *rule,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void jerr(const struct jline *jl, const char *at, const char *rule,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vat(DIAG_ERROR, jl->path, jl->line, col_at(jl, at), rule, fmt, ap);
	va_end(ap);
}

/* book_record(), the question and its answer noted for the parse cache */
static const struct record *lookup(const struct jline *jl, int kind, const char *id)
{
	const struct record *r = book_record(jl->b, kind, id);
	struct jfile *jf = jl->out;
	size_t n = strlen(id);
	char *key;

	if (!jf->note_deps)
		return r;
	key = arena_alloc_align(&jf->deps_arena, n + 2, 1);
	key[0] = (char)('0' + kind);
	memcpy(key + 1, id, n + 1);
	if (!strmap_get(&jf->dep_index, key)) {
		ALLOC_GROW(jf->deps, jf->ndeps + 1, jf->alloc_deps);
		jf->deps[jf->ndeps].id = key + 1;
		jf->deps[jf->ndeps].kind = kind;
		jf->deps[jf->ndeps].found = r != NULL;
		strmap_put(&jf->dep_index, key, (void *)(jf->ndeps + 1));
		jf->ndeps++;
	}
	return r;
}

static int find_ref(const struct jline *jl, int kind, const char *p, size_t n,
		    const char *rule)
{
	char small[64];
	char *id = strn_buf(small, sizeof(small), p, n);
	const struct record *r = lookup(jl, kind, id);

	if (!r) {
		const char *other = NULL;
		for (int k = 0; k < K__N; k++)
			if (k != kind && lookup(jl, k, id))
				other = kind_names[k];
		if (other)
			jerr(jl, p, rule, "'%s' is a %s; a %s is wanted here", id, other, kind_names[kind]);
		else
			jerr(jl, p, rule, "unknown %s '%s'", kind_names[kind], id);
	}
	strn_done(id, small);
	return r ? (int)(r - jl->b->recs) : -1;
}

/*
 * ORG-3: a letter the journal says was sent had been approved by then
 * (by whom is rules_letter.c's business): 1, or 0 (reported at p).
 */
static int letter_approved(const struct jline *jl, int rec, moment_t sent, const char *p)
{
	const struct book *b = jl->b;
	const struct record *r = &b->recs[rec];
	const char *by = rec_str(r, book_field(b, K_LETTER, "approved_by"));
	const char *at = rec_str(r, book_field(b, K_LETTER, "approved_at"));
	moment_t when;

	if (r->stub)
		return 1;	/* not loaded: a partial check of other files */
	jl->out->content_deps = 1;
	if (!by || !at) {
		jerr(jl, p, "ORG-3", "'%s' was not approved: a letter goes to the client only once its AM or AD has approved it ('ae approve %s')",
		     r->id, r->id);
		return 0;
	}
	if (parse_datetime(at, strlen(at), &when) == DATE_OK && when > sent) {
		jerr(jl, p, "ORG-3", "'%s' was approved at %s, after this line: a letter goes to the client only once it is approved",
		     r->id, at);
		return 0;
	}
	return 1;
}

static long parse_cents(const char *p, size_t n, int *ok)
{
	long whole = 0, frac = 0;
	size_t i = 0, dec = 0;

	*ok = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9' && i < 10)
		whole = whole * 10 + (p[i++] - '0');
	if (i == 0)
		return 0;
	if (i < n && p[i] == '.') {
		i++;
		while (i < n && p[i] >= '0' && p[i] <= '9' && dec < 3) {
			frac = frac * 10 + (p[i++] - '0');
			dec++;
		}
		if (dec == 0 || dec > 2)
			return 0;
		if (dec == 1)
			frac *= 10;
	}
	if (i != n)
		return 0;
	*ok = 1;
	return whole * 100 + frac;
}

/* the words of je.what that ae itself knows */
const char *const journal_words[JOURNAL_NWORDS] = {
	"weekly", "monthly", "plan", "market", "holiday", "finance",
	"callback", "notice", "report", "summary", "claim", "prep", "tally",
	"media", "bizplan", "brand", "letter", "travel", "taxi", "meal", "print",
	"material", "gift", "postage", "other"
};

/* journal.whos and journal.whats, made once for the book's config and
 * grammar: an entry's who and what are indexes into them. */
static void make_tables(struct book *b)
{
	struct journal *j = &b->journal;
	const struct groupspec *gs[2] = { journal_group(&b->fmts.journal, "what"),
					  journal_group(&b->fmts.journal, "category") };
	size_t n = 1 + JOURNAL_NWORDS;

	if (j->whats)
		return;
	j->whos = xmalloc(sizeof(*j->whos) * (b->cfg.nstaff + 1));
	for (size_t i = 0; i < b->cfg.nstaff; i++)
		j->whos[i] = b->cfg.staff[i].id;
	for (int k = 0; k < 2; k++)
		n += gs[k] ? (size_t)gs[k]->nvalues : 0;
	j->nwhats = n < JOURNAL_MAX_WHATS + 1 ? n : JOURNAL_MAX_WHATS + 1;
	j->whats = xmalloc(sizeof(*j->whats) * j->nwhats);
	n = 0;
	j->whats[n++] = NULL;
	for (size_t i = 0; i < JOURNAL_NWORDS; i++)
		j->whats[n++] = journal_words[i];
	for (int k = 0; k < 2; k++) {
		j->what_base[k] = n;
		for (int i = 0; gs[k] && i < gs[k]->nvalues && n < j->nwhats; i++)
			j->whats[n++] = gs[k]->values[i];
	}
}

/* their lengths, by note_groups() */
static size_t journal_word_len[JOURNAL_NWORDS];

/* The named groups journal lines are checked by, as bits of verbspec.groups. */
enum { G_CLIENT = 1, G_JOB = 2, G_MEETING = 4, G_CONTACT = 8, G_COMPLAINT = 16,
       G_REF = 32, G_HOURS = 64, G_AMOUNT = 128, G_SPAN = 256, G_IMPORTANT = 512,
       G_WHAT = 1024, G_CATEGORY = 2048, G_DATE = 4096, G_HOLIDAY = 8192,
       G_SATISFACTION = 16384, G_LETTER = 32768 };
static const char *const group_names[] = {
	"client", "job", "meeting", "contact", "complaint", "ref", "hours", "amount",
	"span", "important", "what", "category", "date", "holiday", "satisfaction", "letter"
};

_Static_assert(ARRAY_SIZE(group_names) <= 16, "verbspec.gid holds them");
static const char *const line_names[] = { "date", "time", "who", "verb", "rest" };
enum { L_DATE, L_TIME, L_WHO, L_VERB, L_REST };

/* Look each verb's groups up once, not on every line: which it has, and
 * their ids, so that a line asks for a group by number (a million lines
 * asked nine names each, by a binary search of strcmp). */
static void note_groups(struct journal_grammar *g)
{
	for (size_t k = 0; k < ARRAY_SIZE(journal_words); k++)
		journal_word_len[k] = strlen(journal_words[k]);
	for (size_t k = 0; k < ARRAY_SIZE(line_names); k++)
		g->line_gid[k] = g->line ? pattern_group_id(g->line, line_names[k]) : -1;
	for (int i = 0; i < g->nverbs; i++) {
		struct verbspec *vs = &g->verbs[i];
		vs->namelen = strlen(vs->name);
		vs->known = -1;
		for (size_t k = 0; k < ARRAY_SIZE(verb_names); k++)
			if (!strcmp(vs->name, verb_names[k]))
				vs->known = (int)k;
		vs->groups = 0;
		for (size_t k = 0; k < ARRAY_SIZE(group_names); k++) {
			vs->gid[k] = vs->pattern ? pattern_group_id(vs->pattern, group_names[k]) : -1;
			if (vs->pattern && pattern_has_group(vs->pattern, group_names[k]))
				vs->groups |= 1u << k;
		}
		for (int k = 0; k < (int)ARRAY_SIZE(vs->ggid); k++)
			vs->ggid[k] = vs->pattern && k < g->ngroups ?
				      pattern_group_id(vs->pattern, g->groups[k].name) : -1;
	}
}

static int group(const struct verbspec *vs, unsigned bit, const char *name,
		 const char **start, size_t *len)
{
	(void)name;	/* the id noted for it */
	return (vs->groups & bit) &&
	       pattern_group_at(vs->pattern, vs->gid[__builtin_ctz(bit)], start, len);
}

static int line_group(const struct journal_grammar *g, int k, const char **start, size_t *len)
{
	return pattern_group_at(g->line, g->line_gid[k], start, len);
}

/*
 * The text of named group `name` in the last match of vs, as its value
 * when a [group NAME] of the grammar lists the group's words and it was
 * given by a label (交通 for taxi).  0 when the group was not set.
 */
static int group_value(const struct journal_grammar *g, const struct verbspec *vs,
		       const char *name, const char **start, size_t *len)
{
	const struct groupspec *gs = journal_group(g, name);
	int i;

	int k = gs ? (int)(gs - g->groups) : -1;

	if (!(k >= 0 && k < (int)ARRAY_SIZE(vs->ggid) ? pattern_group_at(vs->pattern, vs->ggid[k], start, len) :
						      pattern_group(vs->pattern, name, start, len)))
		return 0;
	if (gs && (i = group_value_index(gs, *start, *len)) >= 0) {
		*start = gs->values[i];
		*len = strlen(gs->values[i]);
	}
	return 1;
}

/* Every [group NAME] the verb's pattern set holds one of its words: 0, or -1 (reported). */
static int check_groups(const struct jline *jl, const struct journal_grammar *g,
			const struct verbspec *vs)
{
	for (int k = 0; k < g->ngroups; k++) {
		const struct groupspec *gs = &g->groups[k];
		const char *gp;
		size_t gn;
		struct strbuf all = STRBUF_INIT;
		char *word;
		const char *near;

		if (!(k < (int)ARRAY_SIZE(vs->ggid) ? pattern_group_at(vs->pattern, vs->ggid[k], &gp, &gn) :
						      pattern_group(vs->pattern, gs->name, &gp, &gn)) ||
		    group_value_index(gs, gp, gn) >= 0)
			continue;
		word = xstrndup(gp, gn);
		near = enum_nearest(gs->values, gs->nvalues, gs->labels, gs->nlabels, word);
		enum_describe(&all, gs->values, gs->nvalues, gs->labels, gs->nlabels);
		if (near)
			jerr(jl, gp, vs->rule, "'%s' is not a %s: did you mean '%s'? (one of %s)",
			     word, gs->name, near, all.buf);
		else
			jerr(jl, gp, vs->rule, "'%s' is not a %s: use one of %s", word, gs->name, all.buf);
		sb_release(&all);
		free(word);
		return -1;
	}
	return 0;
}

static void parse_line(struct jline *jl, size_t n)
{
	const struct book *b = jl->b;
	const struct journal_grammar *g = &b->fmts.journal;
	const char *p, *date, *time, *who, *verb, *rest = NULL;
	size_t dn, tn, wn, vn, rn = 0;
	int days, minute, vi = -1, ok, m;
	struct jentry je;
	const struct verbspec *vs = NULL;
	const char *rule_override = NULL;

	memset(&je, 0, sizeof(je));
	je.rec = -1;
	if (!g->line)
		return;
	m = pattern_match(g->line, jl->s, n);
	if (m == PM_DROPPED)
		return;		/* reported once, where the pattern is */
	if (m == PM_LIMIT) {
		jerr(jl, jl->s, "SEC-2",
		     "the journal's line pattern (%s) is too costly for this line: it is not checked",
		     pattern_origin(g->line));
		return;
	}
	if (m != PM_MATCH ||
	    !line_group(g, L_DATE, &date, &dn) ||
	    !line_group(g, L_TIME, &time, &tn) ||
	    !line_group(g, L_WHO, &who, &wn) ||
	    !line_group(g, L_VERB, &verb, &vn)) {
		jerr(jl, jl->s, "USE-1",
		     "a journal line is 'YYYY-MM-DD HH:MM staff verb ...', like '2026-11-02 09:12 li.ming call CLIENT note'");
		return;
	}
	if (line_group(g, L_REST, &rest, &rn))
		while (rn && (rest[rn - 1] == ' ' || rest[rn - 1] == '\t'))
			rn--;
	if (parse_date(date, dn, &days) != DATE_OK) {
		jerr(jl, date, "USE-1", "not a date: '%.*s' (%s)", (int)dn, date,
		     date_problem(date, dn, 0, 1));
		return;
	}
	if (parse_time(time, tn, &minute) != DATE_OK) {
		jerr(jl, time, "USE-1", "not a time: '%.*s' (%s)", (int)tn, time,
		     date_problem(time, tn, 1, 0));
		return;
	}
	if (jl->month_first >= 0 && (days < jl->month_first || days > jl->month_last)) {
		jerr(jl, date, "USE-1", "%.*s does not belong in %s; each month's activities go in its own journal/YYYY-MM.log",
		     (int)dn, date, jl->path);
		return;
	}
	je.at = (moment_t)days * 1440 + minute;
	{
		char small[64];
		char *id = strn_buf(small, sizeof(small), who, wn);
		const struct staff *st = config_staff(&b->cfg, id);
		if (!st) {
			const char **ids = xmalloc(sizeof(*ids) * (b->cfg.nstaff + 1));
			const char *near;
			for (size_t i = 0; i < b->cfg.nstaff; i++)
				ids[i] = b->cfg.staff[i].id;
			near = nearest_word(id, ids, b->cfg.nstaff);
			jerr(jl, who, "ORG-1", "unknown staff '%s'%s%s%s", id,
			     near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
			free(ids);
			strn_done(id, small);
			return;
		}
		if (st - b->cfg.staff > JOURNAL_MAX_STAFF) {
			jerr(jl, who, "ORG-1", "'%s' is staff member %zu; the journal names the first %d only",
			     id, (size_t)(st - b->cfg.staff) + 1, JOURNAL_MAX_STAFF + 1);
			strn_done(id, small);
			return;
		}
		je.who = (unsigned short)(st - b->cfg.staff);
		strn_done(id, small);
	}
	for (int i = 0; i < g->nverbs; i++)
		if (g->verbs[i].namelen == vn && !memcmp(g->verbs[i].name, verb, vn))
			vs = &g->verbs[i];
	if (!vs) {
		char *word = xstrndup(verb, vn);
		const char **names = xmalloc(sizeof(*names) * ((size_t)g->nverbs + 1));
		const char *near;
		for (int i = 0; i < g->nverbs; i++)
			names[i] = g->verbs[i].name;
		near = nearest_word(word, names, (size_t)g->nverbs);
		jerr(jl, verb, "USE-1", "unknown activity '%s'%s%s%s", word,
		     near ? "; did you mean '" : " (see formats/journal.ini for the verbs)",
		     near ? near : "", near ? "'?" : "");
		free(names);
		free(word);
		return;
	}
	vi = vs->known;
	je.verb = (unsigned char)(vi < 0 ? JV_OTHER : vi);
	if (!rest) {
		rest = verb + vn;
		rn = 0;
	}
	m = vs->pattern ? pattern_match(vs->pattern, rest, rn) : PM_NOMATCH;
	if (m == PM_DROPPED)
		return;
	if (m == PM_LIMIT) {
		jerr(jl, rn ? rest : verb, "SEC-2",
		     "the pattern of '%s' (%s) is too costly for this line: it is not checked",
		     vs->name, pattern_origin(vs->pattern));
		return;
	}
	if (m == PM_MATCH && vi == JV_SENT) {
		/* a 'sent' line serves the rule of what was sent */
		static const struct { const char *what, *rule; } sent_rules[] = {
			{ "weekly", "DUE-3" }, { "monthly", "DUE-7" }, { "plan", "DUE-7" },
			{ "market", "DUE-7" }, { "holiday", "DUE-13" }, { "finance", "DUE-14" },
			{ "callback", "DUE-11" }, { "notice", "DUE-6" }, { "report", "DUE-2" },
			{ "summary", "DUE-5" }, { "claim", "DUE-9" }, { "prep", "DUE-4" },
			{ "tally", "JOB-6" }, { "media", "DUE-7" }, { "bizplan", "DUE-17" },
			{ "brand", "ORG-4" }, { "letter", "ORG-3" },
		};
		const char *gp;
		size_t gn;
		if (group_value(g, vs, "what", &gp, &gn))
			for (size_t i = 0; i < ARRAY_SIZE(sent_rules); i++)
				if (strlen(sent_rules[i].what) == gn && !memcmp(sent_rules[i].what, gp, gn))
					rule_override = sent_rules[i].rule;
	}
	if (m != PM_MATCH) {
		jerr(jl, rn ? rest : verb, vs->rule, "malformed '%s' line; write: %s", vs->name,
		     vs->usage ? vs->usage : vs->name);
		return;
	}
	/* a group's words ([group NAME]), then the groups known by their names */
	if (check_groups(jl, g, vs) < 0)
		return;
	{
		static const struct { const char *group; int kind; } refs[] = {
			{ "client", K_CLIENT }, { "job", K_JOB }, { "meeting", K_MEETING },
			{ "contact", K_CONTACT }, { "complaint", K_COMPLAINT },
		};
		const char *gp;
		size_t gn;

		for (size_t i = 0; i < ARRAY_SIZE(refs); i++)
			if (group(vs, 1u << i, refs[i].group, &gp, &gn)) {
				je.rec = find_ref(jl, refs[i].kind, gp, gn, rule_override ? rule_override : vs->rule);
				if (je.rec < 0)
					return;
			}
		if (group(vs, G_LETTER, "letter", &gp, &gn)) {
			je.rec = find_ref(jl, K_LETTER, gp, gn, "ORG-3");
			if (je.rec < 0 || !letter_approved(jl, je.rec, je.at, gp))
				return;
		}
		if (group(vs, G_REF, "ref", &gp, &gn)) {
			char *id = xstrndup(gp, gn);
			const struct record *r = lookup(jl, K_CLIENT, id);
			if (!r)
				r = lookup(jl, K_JOB, id);
			if (!r) {
				jerr(jl, gp, vs->rule, "unknown client or job '%s'", id);
				free(id);
				return;
			}
			je.rec = (int)(r - b->recs);
			free(id);
		}
		if (group(vs, G_HOURS, "hours", &gp, &gn)) {
			long h = parse_cents(gp, gn, &ok);
			if (!ok || h <= 0 || h > 2400) {
				jerr(jl, gp, "REC-7", "hours must be more than 0 and at most 24, with at most two decimals: '%.*s'",
				     (int)gn, gp);
				return;
			}
			je.amount = h;
		}
		if (group(vs, G_AMOUNT, "amount", &gp, &gn)) {
			long c = parse_cents(gp, gn, &ok);
			if (!ok || c <= 0) {
				jerr(jl, gp, "DUE-9", "not an amount of money: '%.*s' (digits with at most two decimals, more than 0)",
				     (int)gn, gp);
				return;
			}
			je.amount = c;
		}
		if (group(vs, G_SPAN, "span", &gp, &gn)) {
			const char *dash = memchr(gp, '-', gn);
			int a, z;
			if (!dash ||
			    parse_time(gp, (size_t)(dash - gp), &a) != DATE_OK ||
			    parse_time(dash + 1, gn - (size_t)(dash - gp) - 1, &z) != DATE_OK ||
			    a == z) {
				jerr(jl, gp, "DUE-8", "not a time span: '%.*s' (HH:MM-HH:MM, 24-hour clock, zero-padded)",
				     (int)gn, gp);
				return;
			}
			je.span_start = (unsigned)a;
			je.span_end = (unsigned)z;
			je.amount = days;
		}
		if (group(vs, G_DATE, "date", &gp, &gn)) {
			int d;
			if (parse_date(gp, gn, &d) != DATE_OK) {
				jerr(jl, gp, "DUE-8", "not a date: '%.*s' (%s)", (int)gn, gp,
				     date_problem(gp, gn, 0, 1));
				return;
			}
			if (d < days - 31 || d > days + 31) {
				jerr(jl, gp, "DUE-8", "the overtime's date %.*s is more than a month from the line's; the line is written when the form is filed",
				     (int)gn, gp);
				return;
			}
			je.amount = d;
		}
		if (group(vs, G_SATISFACTION, "satisfaction", &gp, &gn)) {
			static const char *const sat[] = {
				"满意", "一般", "不满意", "satisfied", "neutral", "unsatisfied"
			};
			for (size_t i = 0; i < ARRAY_SIZE(sat); i++)
				if (strlen(sat[i]) == gn && !memcmp(sat[i], gp, gn))
					je.amount = (long)(i % 3) + 1;
		}
		if (group(vs, G_IMPORTANT, "important", &gp, &gn))
			je.important = 1;
		if (((vs->groups & G_WHAT) && group_value(g, vs, "what", &gp, &gn)) ||
		    ((vs->groups & G_CATEGORY) && group_value(g, vs, "category", &gp, &gn))) {
			for (size_t i = 0; i < ARRAY_SIZE(journal_words); i++)
				if (journal_word_len[i] == gn && !memcmp(journal_words[i], gp, gn))
					je.what = (unsigned short)(1 + i);
			/* a book's own word ([group NAME] values) lives with its formats */
			if (!je.what) {
				int k = vs->groups & G_WHAT ? 0 : 1;
				const struct groupspec *gs = journal_group(g, k ? "category" : "what");
				int i = gs ? group_value_index(gs, gp, gn) : -1;
				size_t base = b->journal.what_base[k], at = base + (size_t)i;
				if (i >= 0 && at >= b->journal.nwhats) {
					/* gp is the group's own word now: the line's
					 * text is where the error is */
					const char *in = jl->s;
					size_t inn;
					group(vs, k ? G_CATEGORY : G_WHAT, k ? "category" : "what", &in, &inn);
					jerr(jl, in, "USE-1", "'%.*s' is word %d of its group; the journal knows the first %zu only",
					     (int)gn, gp, i + 1, b->journal.nwhats > base ? b->journal.nwhats - base : 0);
					return;
				}
				if (i >= 0)
					je.what = (unsigned short)at;
			}
		}
		if (je.what && !strcmp(jentry_what(&b->journal, &je), "holiday")) {
			int named = group(vs, G_HOLIDAY, "holiday", &gp, &gn);
			je.amount = cal_holiday_announced(&b->cal, days, named ? gp : NULL, named ? gn : 0);
		}
	}
	je.line = jl->line;
	if (b->journal.check_only)
		return;
	ALLOC_GROW(jl->out->v, jl->out->n + 1, jl->out->alloc);
	jl->out->v[jl->out->n++] = je;
	(void)p;
}

static void load_file(const struct book *b, struct jfile *jf, struct strbuf *buf)
{
	struct jline jl;
	const char *path = jf->path, *base = strrchr(path, '/') + 1, *s, *end;
	int y, m;

	memset(&jl, 0, sizeof(jl));
	jl.b = b;
	jl.out = jf;
	jl.path = path;
	jl.month_first = -1;
	if (strlen(base) == 11 && sscanf(base, "%4d-%2d.log", &y, &m) == 2 &&
	    base[4] == '-' && m >= 1 && m <= 12 && y >= 1900 && y < 2200) {
		jl.month_first = days_from_civil(y, m, 1);
		jl.month_last = jl.month_first + days_in_month(y, m) - 1;
	} else {
		diag_at(DIAG_ERROR, path, 0, 0, "USE-1",
			"a journal file is named after its month, YYYY-MM.log (like 2026-11.log)");
	}
	if (text_load(b->src, path, b->cfg.max_file_bytes * 256, 1, buf) != 0)
		return;
	jf->loaded = 1;
	jf->diags_before_lines = diag_batch_size(jf->diags);
	s = buf->buf;
	end = buf->buf + buf->len;
	if (buf->len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		const char *t = s;

		jl.line++;
		jl.s = s;
		if (n && s[n - 1] == '\r')
			n--;
		while (t < s + n && (*t == ' ' || *t == '\t'))
			t++;
		if (t < s + n && *t != '#') {
			jf->lines++;
			parse_line(&jl, n);
		}
		s = nl ? nl + 1 : end;
	}
}

struct jjob {
	const struct book *b;
	struct cache *cache;	/* or NULL */
	uint64_t digest;	/* ids_digest(), with a cache */
	struct jfile *files;
	/* the cache's image of the journal (cache.h), if it has one made
	 * under today's digest; how many months of it are this run's
	 * (place_entries()) */
	struct cache_image image;
	int has_image;
	size_t image_months;
	struct jbuf {
		struct strbuf sb;
		unsigned char *bits;	/* jfile_check_image()'s */
		char pad[POOL_LINE - sizeof(struct strbuf) - sizeof(unsigned char *)];	/* pool.h: one cache line a thread */
	} bufs[POOL_MAX];
};

static void read_jfile(void *ctx, size_t unit)
{
	struct jjob *job = ctx;
	struct jfile *jf = &job->files[unit];

	if (!jf->read)
		return;
	diag_capture(&jf->diags);
	if (job->cache && !jf->not_cached) {
		size_t len;
		const unsigned char *body = cache_find(job->cache, CACHE_JOURNAL, jf->e, &len);
		if (body && jfile_get(job->b, jf, job->digest, body, len) == 0) {
			/* kept as it is, unless made anew (jf->body) */
			jf->cached = jf->body.len ? NULL : body;
			jf->cached_len = len;
			diag_capture(NULL);
			return;
		}
	}
	load_file(job->b, jf, &job->bufs[pool_slot()].sb);
	diag_capture(NULL);
	if (job->cache) {
		/* the body now, so that the lookups noted can go */
		struct cbuf body = { STRBUF_INIT };
		jfile_put(job->b, jf, job->digest, &body);
		jf->body = body.sb;
		jf->body_tail = jfile_tail(job->b, jf);
		strmap_release(&jf->dep_index);
		arena_release(&jf->deps_arena);
		free(jf->deps);
		jf->deps = NULL;
		jf->ndeps = jf->alloc_deps = 0;
	}
}

/*
 * How many of the files placed, from the first, have their entries in the
 * cache's image just where they go (each marked in_image): each is the
 * same cached body the image's month was made from, at the same place, of
 * the same count; *end, where the entries after them go.
 */
static size_t image_prefix(struct jjob *job, size_t n, size_t *end)
{
	size_t k = 0;

	*end = 0;
	if (!job->has_image)
		return 0;
	for (size_t i = 0; i < n && k < job->image.nmonths; i++) {
		struct jfile *jf = &job->files[i];
		size_t at, cnt;
		uint64_t sum;
		const unsigned char *body;

		if (!jf->placed)
			continue;
		body = cache_image_month(job->cache, &job->image, k, &at, &cnt, &sum);
		if (!jf->cached || !jf->enc || body != jf->cached || at != jf->at || cnt != jf->n)
			break;
		jf->image_sum = sum;
		jf->in_image = 1;
		*end = at + cnt;
		k++;
	}
	return k;
}

/*
 * Where each file's entries go in the book's array, files in order (the
 * array grown once for all of them): a file not loaded has none, nor has
 * one past the 65,535th (commit_jfile() says so).  The array is the
 * cache's image where its first months are this run's (checked there,
 * not decoded), the months after them put after it.
 */
static void place_entries(struct book *b, struct jjob *job, size_t n)
{
	struct journal *j = &b->journal;
	struct jfile *files = job->files;
	size_t at = j->n, nfiles = j->nfiles, from;

	for (size_t i = 0; i < n; i++) {
		struct jfile *jf = &files[i];

		jf->placed = jf->loaded && nfiles < 65535;
		jf->in_image = 0;
		if (!jf->placed)
			continue;
		nfiles++;
		jf->at = at;
		at += jf->n;
	}
	job->image_months = image_prefix(job, n, &from);
	if (job->image_months) {
		if (cache_image_open(job->cache, job->image.entries + from * sizeof(*j->v),
				     (at - from) * sizeof(*j->v)) == 0) {
			j->v = (struct jentry *)(void *)job->image.entries;
			j->alloc = at;
			j->mapped = 1;
			return;
		}
		for (size_t i = 0; i < n; i++)
			files[i].in_image = 0;
	}
	if (j->mapped) {
		/* a month of the image was damaged: none of it is used */
		j->v = NULL;
		j->alloc = 0;
		j->mapped = 0;
	}
	ALLOC_GROW(j->v, at, j->alloc);
	/* filled on every core right after (fill_jfile()) */
	if (at > j->n)
		mem_prefer_huge(j->v + j->n, (at - j->n) * sizeof(*j->v));
}

/* A file's entries into their place (place_entries()), on the pool: a
 * cached file's decoded there (jfile_decode()), a read one's copied. */
static void fill_jfile(void *ctx, size_t unit)
{
	struct jjob *job = ctx;
	struct jfile *jf = &job->files[unit];
	struct jentry *out;

	if (!jf->placed)
		return;
	if (jf->in_image) {
		struct jbuf *buf = &job->bufs[pool_slot()];
		if (!buf->bits)
			buf->bits = xcalloc(job->b->nrecs / 8 + 1, 1);
		jf->decode_bad = jfile_check_image(job->b, jf, job->digest, buf->bits) < 0;
		return;
	}
	if (jf->enc) {
		jf->decode_bad = jfile_decode(job->b, jf) < 0;
		return;
	}
	if (!jf->n)
		return;	/* none (ae check keeps none): the array may not even exist */
	out = job->b->journal.v + jf->at;
	memcpy(out, jf->v, sizeof(*out) * jf->n);
}

/* What reading jf found, forgotten, so that it can be read again (a file
 * to read had nothing said when planned: its diagnostics all go). */
static void forget_jfile(struct jfile *jf)
{
	diag_commit(jf->diags, 0);
	jf->diags = NULL;
	free(jf->v);
	jf->v = NULL;
	jf->n = jf->alloc = jf->lines = jf->diags_before_lines = 0;
	jf->loaded = jf->decode_bad = 0;
	jf->cached = NULL;
	jf->enc = NULL;
	free(jf->recs);
	jf->recs = NULL;
	sb_release(&jf->body);
	strmap_release(&jf->dep_index);
	arena_release(&jf->deps_arena);
	free(jf->deps);
	jf->deps = NULL;
	jf->ndeps = jf->alloc_deps = 0;
}

/* A cached file one of whose entries ae could not have written (a
 * damaged cache): forgotten, and its text read instead. */
static void read_again(struct jjob *job, size_t unit)
{
	struct jfile *jf = &job->files[unit];

	forget_jfile(jf);
	jf->not_cached = 1;
	read_jfile(job, unit);
}

/* A file's diagnostics, name and count added to the book, files in order
 * (its entries are in place already). */
static void commit_jfile(struct book *b, struct cache *c, struct jfile *jf)
{
	struct journal *j = &b->journal;
	size_t had;

	jf->kept = CACHE_NOT_KEPT;
	if (c && jf->read && !jf->content_deps) {
		if (jf->cached) {
			jf->kept = cache_keep(c, CACHE_JOURNAL, jf->e, jf->cached, jf->cached_len,
					      cache_tail_len(jf->cached));
		} else if (jf->body.len) {
			jf->kept = cache_keep(c, CACHE_JOURNAL, jf->e, jf->body.buf, jf->body.len,
					      jf->body_tail);
		}
	}
	sb_release(&jf->body);
	strmap_release(&jf->dep_index);
	arena_release(&jf->deps_arena);
	free(jf->deps);
	free(jf->v);
	free(jf->recs);
	jf->recs = NULL;
	jf->enc = NULL;

	if (!jf->placed) {
		if (jf->loaded) {
			diag_commit(jf->diags, jf->diags_before_lines);
			diag_at(DIAG_ERROR, jf->path, 0, 0, "USE-1", "too many journal files");
		} else {
			diag_commit(jf->diags, SIZE_MAX);
		}
		return;
	}
	diag_commit(jf->diags, SIZE_MAX);
	had = j->alloc_files;
	ALLOC_GROW(j->files, j->nfiles + 1, j->alloc_files);
	if (j->alloc_files != had) {
		j->file_at = xrealloc(j->file_at, sizeof(*j->file_at) * j->alloc_files);
		j->file_sum = xrealloc(j->file_sum, sizeof(*j->file_sum) * j->alloc_files);
	}
	if (jf->in_image && j->image_files == j->nfiles)
		j->file_sum[j->image_files++] = jf->image_sum;
	j->file_at[j->nfiles] = jf->at;
	j->files[j->nfiles++] = arena_strdup(&b->arena, jf->path);
	j->lines += jf->lines;
	j->n = jf->at + jf->n;
}

/*
 * The array as the cache's image for the next run: its months from the
 * first, as long as each is kept in the cache; the cache written for it
 * if the image read had fewer of them.
 */
static void keep_image(struct book *b, struct jjob *job, size_t n)
{
	struct cache_image_month *m = xmalloc((n ? n : 1) * sizeof(*m));
	size_t k = 0, end = 0;

	for (size_t i = 0; i < n; i++) {
		const struct jfile *jf = &job->files[i];
		if (!jf->placed)
			continue;
		if (jf->kept == CACHE_NOT_KEPT)
			break;
		m[k++] = (struct cache_image_month){ .kept = jf->kept, .at = jf->at, .n = jf->n };
		end = jf->at + jf->n;
	}
	cache_put_image(job->cache, job->digest, b->journal.v, sizeof(*b->journal.v), end, m, k);
	if (k > job->image_months)
		cache_dirty(job->cache);
	free(m);
}

int journal_load(struct book *b, const struct strmap *only)
{
	struct source_list list = { 0 };
	struct jjob job;

	memset(&job, 0, sizeof(job));
	note_groups(&b->fmts.journal);
	make_tables(b);
	if (b->src->list(b->src, "journal", &list) < 0)
		return -1;
	job.b = b;
	job.files = xcalloc(list.n + 1, sizeof(*job.files));
	for (size_t i = 0; i < list.n; i++) {
		const struct source_entry *e = &list.v[i];
		struct jfile *jf = &job.files[i];
		size_t n = strlen(e->path);

		jf->path = e->path;
		jf->e = e;
		jf->note_deps = b->cache != NULL;
		diag_capture(&jf->diags);
		if (e->type == SRC_DIR || !text_name_ok(e->path))
			;
		else if (e->type == SRC_NESTED_REPO)
			diag_at(DIAG_ERROR, e->path, 0, 0, "USE-3",
				"a git repository inside the book: its journal would not be in the book's history");
		else if (e->type == SRC_SYMLINK)
			source_refuse_link(e->path);
		else if (e->type != SRC_FILE)
			diag_at(DIAG_ERROR, e->path, 0, 0, "USE-1",
				"not a regular file (a device or socket); journal files are plain text");
		else if (n > 4 && !strcmp(e->path + n - 4, ".log"))
			jf->read = !only || strmap_get(only, e->path);
		else
			diag_at(DIAG_WARNING, e->path, 0, 0, "USE-1",
				"not a journal file (journal files are YYYY-MM.log); ignored");
		diag_capture(NULL);
	}
	job.cache = b->cache;
	if (job.cache)
		job.digest = journal_ids_digest(b);
	/* the image: only for the whole journal, into an empty array */
	job.has_image = job.cache && !only && !b->journal.check_only && !b->journal.n &&
			!b->journal.v &&
			cache_get_image(job.cache, sizeof(struct jentry), &job.image) == 0 &&
			job.image.digest == job.digest && job.digest;
	pattern_defer_costly(job.cache != NULL);
	pool_run(list.n, 1, read_jfile, &job);
	pattern_defer_costly(0);
	if (pattern_serial_needed()) {
		/* a costly pattern: its budget is charged on one thread, in
		 * order, every file read */
		pattern_serial_reset();
		cache_spoil(job.cache);
		job.cache = NULL;
		for (size_t i = 0; i < list.n; i++) {
			struct jfile *jf = &job.files[i];
			if (!jf->read)
				continue;
			forget_jfile(jf);
			jf->note_deps = 0;
			read_jfile(&job, i);
		}
	}
	/* the book's entries in one allocation, each file's put in its place
	 * on every core; a damaged cached file read again, and all placed
	 * anew (its count may differ) */
	for (;;) {
		int again = 0;

		place_entries(b, &job, list.n);
		pool_run(list.n, 1, fill_jfile, &job);
		for (size_t i = 0; i < list.n; i++)
			if (job.files[i].decode_bad) {
				read_again(&job, i);
				again = 1;
			}
		if (!again)
			break;
	}
	for (size_t i = 0; i < list.n; i++)
		commit_jfile(b, job.cache, &job.files[i]);
	if (job.cache && !only && !b->journal.check_only)
		keep_image(b, &job, list.n);
	for (int t = 0; t < POOL_MAX; t++) {
		sb_release(&job.bufs[t].sb);
		free(job.bufs[t].bits);
	}
	free(job.files);
	source_list_release(&list);
	return 0;
}

/* The last file whose entries start at or before e's: e's (an empty
 * file starts where the next one does, and comes before it). */
size_t jentry_file(const struct journal *j, const struct jentry *e)
{
	size_t at = (size_t)(e - j->v), lo = 0, hi = j->nfiles;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (j->file_at[mid] <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

void journal_release(struct journal *j)
{
	if (!j->mapped)
		free(j->v);
	free(j->files);
	free(j->file_at);
	free(j->file_sum);
	free(j->whos);
	free(j->whats);
	memset(j, 0, sizeof(*j));
}
