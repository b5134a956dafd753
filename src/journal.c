/* journal.c -- see journal.h */
#include "journal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "diag.h"
#include "pattern.h"
#include "textfile.h"
#include "utf8.h"

static const char *const verb_names[] = {
	"call", "visit", "hours", "overtime", "expense", "advance", "sent"
};

struct jline {
	struct book *b;
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
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	diag_at(DIAG_ERROR, jl->path, jl->line, col_at(jl, at), rule, "%s", sb.buf);
	sb_release(&sb);
}

static int find_ref(const struct jline *jl, int kind, const char *p, size_t n,
		    const char *rule)
{
	char *id = xstrndup(p, n);
	const struct record *r = book_record(jl->b, kind, id);

	if (!r) {
		const char *other = NULL;
		for (int k = 0; k < K__N; k++)
			if (k != kind && book_record(jl->b, k, id))
				other = kind_names[k];
		if (other)
			jerr(jl, p, rule, "'%s' is a %s; a %s is wanted here", id, other, kind_names[kind]);
		else
			jerr(jl, p, rule, "unknown %s '%s'", kind_names[kind], id);
	}
	free(id);
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

/* The named groups journal lines are checked by, as bits of verbspec.groups. */
enum { G_CLIENT = 1, G_JOB = 2, G_MEETING = 4, G_CONTACT = 8, G_COMPLAINT = 16,
       G_REF = 32, G_HOURS = 64, G_AMOUNT = 128, G_SPAN = 256, G_IMPORTANT = 512,
       G_WHAT = 1024, G_CATEGORY = 2048, G_DATE = 4096, G_HOLIDAY = 8192,
       G_SATISFACTION = 16384, G_LETTER = 32768 };
static const char *const group_names[] = {
	"client", "job", "meeting", "contact", "complaint", "ref", "hours", "amount",
	"span", "important", "what", "category", "date", "holiday", "satisfaction", "letter"
};

/* Look each verb's groups up once, not on every line. */
static void note_groups(struct journal_grammar *g)
{
	for (int i = 0; i < g->nverbs; i++) {
		g->verbs[i].groups = 0;
		for (size_t k = 0; k < ARRAY_SIZE(group_names); k++)
			if (g->verbs[i].pattern && pattern_has_group(g->verbs[i].pattern, group_names[k]))
				g->verbs[i].groups |= 1u << k;
	}
}

static int group(const struct verbspec *vs, unsigned bit, const char *name,
		 const char **start, size_t *len)
{
	return (vs->groups & bit) && pattern_group(vs->pattern, name, start, len);
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

	if (!pattern_group(vs->pattern, name, start, len))
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

		if (!pattern_group(vs->pattern, gs->name, &gp, &gn) ||
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

static void parse_line(struct jline *jl, size_t n, unsigned short file)
{
	struct book *b = jl->b;
	struct journal_grammar *g = &b->fmts.journal;
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
	    !pattern_group(g->line, "date", &date, &dn) ||
	    !pattern_group(g->line, "time", &time, &tn) ||
	    !pattern_group(g->line, "who", &who, &wn) ||
	    !pattern_group(g->line, "verb", &verb, &vn)) {
		jerr(jl, jl->s, "USE-1",
		     "a journal line is 'YYYY-MM-DD HH:MM staff verb ...', like '2026-11-02 09:12 li.ming call CLIENT note'");
		return;
	}
	if (pattern_group(g->line, "rest", &rest, &rn))
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
		char *id = xstrndup(who, wn);
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
			free(id);
			return;
		}
		je.who = st->id;
		free(id);
	}
	for (int i = 0; i < g->nverbs; i++)
		if (strlen(g->verbs[i].name) == vn && !memcmp(g->verbs[i].name, verb, vn))
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
	for (size_t i = 0; i < ARRAY_SIZE(verb_names); i++)
		if (!strcmp(vs->name, verb_names[i]))
			vi = (int)i;
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
	if (m == PM_MATCH && !strcmp(vs->name, "sent")) {
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
			const struct record *r = book_record(b, K_CLIENT, id);
			if (!r)
				r = book_record(b, K_JOB, id);
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
			je.span_start = (short)a;
			je.span_end = (short)z;
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
			static const char *const words[] = {
				"weekly", "monthly", "plan", "market", "holiday", "finance",
				"callback", "notice", "report", "summary", "claim", "prep", "tally",
				"media", "bizplan", "brand", "letter", "travel", "taxi", "meal", "print",
				"material", "gift", "postage", "other"
			};
			for (size_t i = 0; i < ARRAY_SIZE(words); i++)
				if (strlen(words[i]) == gn && !memcmp(words[i], gp, gn))
					je.what = words[i];
			/* a book's own word ([group NAME] values) lives with its formats */
			if (!je.what) {
				const struct groupspec *gs = journal_group(g, vs->groups & G_WHAT ? "what" : "category");
				int i = gs ? group_value_index(gs, gp, gn) : -1;
				if (i >= 0)
					je.what = gs->values[i];
			}
		}
		if (je.what && !strcmp(je.what, "holiday")) {
			int named = group(vs, G_HOLIDAY, "holiday", &gp, &gn);
			je.amount = cal_holiday_announced(&b->cal, days, named ? gp : NULL, named ? gn : 0);
		}
	}
	je.file = file;
	je.line = jl->line;
	if (b->journal.check_only)
		return;
	ALLOC_GROW(b->journal.v, b->journal.n + 1, b->journal.alloc);
	b->journal.v[b->journal.n++] = je;
	(void)p;
}

static void load_file(struct book *b, const char *path, struct strbuf *buf)
{
	struct jline jl;
	const char *base = strrchr(path, '/') + 1, *s, *end;
	int y, m;
	unsigned short file;

	memset(&jl, 0, sizeof(jl));
	jl.b = b;
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
	if (b->journal.nfiles >= 65535) {
		diag_at(DIAG_ERROR, path, 0, 0, "USE-1", "too many journal files");
		return;
	}
	ALLOC_GROW(b->journal.files, b->journal.nfiles + 1, b->journal.alloc_files);
	file = (unsigned short)b->journal.nfiles;
	b->journal.files[b->journal.nfiles++] = arena_strdup(&b->arena, path);
	jl.path = b->journal.files[file];
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
			b->journal.lines++;
			parse_line(&jl, n, file);
		}
		s = nl ? nl + 1 : end;
	}
}

int journal_load(struct book *b, const struct strmap *only)
{
	struct source_list list = { 0 };
	struct strbuf buf = STRBUF_INIT;

	note_groups(&b->fmts.journal);
	if (b->src->list(b->src, "journal", &list) < 0)
		return -1;
	for (size_t i = 0; i < list.n; i++) {
		const struct source_entry *e = &list.v[i];
		size_t n = strlen(e->path);

		if (e->type == SRC_DIR || !text_name_ok(e->path))
			continue;
		if (e->type == SRC_NESTED_REPO)
			diag_at(DIAG_ERROR, e->path, 0, 0, "USE-3",
				"a git repository inside the book: its journal would not be in the book's history");
		else if (e->type == SRC_SYMLINK)
			source_refuse_link(e->path);
		else if (e->type != SRC_FILE)
			diag_at(DIAG_ERROR, e->path, 0, 0, "USE-1",
				"not a regular file (a device or socket); journal files are plain text");
		else if (n > 4 && !strcmp(e->path + n - 4, ".log")) {
			if (!only || strmap_get(only, e->path))
				load_file(b, e->path, &buf);
		}
		else
			diag_at(DIAG_WARNING, e->path, 0, 0, "USE-1",
				"not a journal file (journal files are YYYY-MM.log); ignored");
	}
	sb_release(&buf);
	source_list_release(&list);
	return 0;
}

void journal_release(struct journal *j)
{
	free(j->v);
	free(j->files);
	memset(j, 0, sizeof(*j));
}
