/* merge_conflict.c -- see merge_conflict.h */
#include "merge_conflict.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "utf8.h"

#define MARKER_LEN 7

int merge_trivial(const char *base, size_t blen, const char *ours, size_t olen,
		  const char *theirs, size_t tlen, struct merge_result *r)
{
	const char *take;
	size_t n;

	if ((olen == tlen && !memcmp(ours, theirs, olen)) || (blen == tlen && !memcmp(base, theirs, blen)))
		take = ours, n = olen;
	else if (blen == olen && !memcmp(base, ours, blen))
		take = theirs, n = tlen;
	else
		return 0;
	memset(r, 0, sizeof(*r));
	sb_add(mres_text(r), take, n);
	return 1;
}

struct strbuf *mres_text(struct merge_result *r)
{
	struct merge_piece *p;

	if (r->n && !r->v[r->n - 1].key)
		return &r->v[r->n - 1].text;
	ALLOC_GROW(r->v, r->n + 1, r->alloc);
	p = &r->v[r->n++];
	memset(p, 0, sizeof(*p));
	return &p->text;
}

struct merge_piece *mres_conflict(struct merge_result *r, const char *key,
				  const struct strbuf *ours, const struct strbuf *base,
				  const struct strbuf *theirs)
{
	const struct strbuf *parts[3] = { ours, base, theirs };
	struct merge_piece *p;

	ALLOC_GROW(r->v, r->n + 1, r->alloc);
	p = &r->v[r->n++];
	memset(p, 0, sizeof(*p));
	p->key = xstrdup(key);
	for (int i = 0; i < 3; i++)
		if (parts[i] && parts[i]->len)
			sb_add(&p->part[i], parts[i]->buf, parts[i]->len);
	r->conflicts++;
	return p;
}

/* Append s, giving the text before it its final line end if it lacks one. */
static void put(struct strbuf *out, const char *s, size_t n, const char *eol)
{
	if (!n)
		return;
	if (out->len && out->buf[out->len - 1] != '\n')
		sb_addstr(out, eol);
	sb_add(out, s, n);
}

static void marker(struct strbuf *out, char c, const char *label, const char *key,
		   const char *who, const char *eol)
{
	if (out->len && out->buf[out->len - 1] != '\n')
		sb_addstr(out, eol);
	for (int i = 0; i < MARKER_LEN; i++)
		sb_addch(out, c);
	if (label)
		sb_addf(out, " %s %s", label, key);
	if (who)
		sb_addf(out, " by %s", who);
	sb_addstr(out, eol);
}

void merge_result_render(const struct merge_result *r, struct strbuf *out)
{
	const char *eol = r->eol ? r->eol : "\n";

	for (size_t i = 0; i < r->n; i++) {
		const struct merge_piece *p = &r->v[i];
		if (!p->key) {
			put(out, p->text.buf, p->text.len, eol);
			continue;
		}
		marker(out, '<', "ours", p->key, p->who[0], eol);
		put(out, p->part[MS_OURS].buf, p->part[MS_OURS].len, eol);
		marker(out, '|', "base", p->key, NULL, eol);
		put(out, p->part[MS_BASE].buf, p->part[MS_BASE].len, eol);
		marker(out, '=', NULL, NULL, NULL, eol);
		put(out, p->part[MS_THEIRS].buf, p->part[MS_THEIRS].len, eol);
		marker(out, '>', "theirs", p->key, p->who[1], eol);
	}
}

void merge_result_release(struct merge_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct merge_piece *p = &r->v[i];
		sb_release(&p->text);
		for (int k = 0; k < 3; k++)
			sb_release(&p->part[k]);
		free(p->key);
		free(p->who[0]);
		free(p->who[1]);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

const char *conflict_key_line(const char *key, const char *text, size_t tlen, size_t *len)
{
	const char *p = text, *end = text + tlen;
	long want;

	if (strncmp(key, "line-", 5) || !text)
		return NULL;
	want = strtol(key + 5, NULL, 10);
	for (long n = 1; p < end; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n == want) {
			*len = l && p[l - 1] == '\r' ? l - 1 : l;
			return p;
		}
		p = nl ? nl + 1 : end;
	}
	return NULL;
}

/* -- finding blocks -- */

struct cline {
	const char *s;
	size_t len;		/* without the line end */
	size_t start, next;	/* byte offsets of the line and of the one after */
};

/* The kind of marker line l is ('<', '|', '=', '>'), or 0. */
static int marker_kind(const struct cline *l)
{
	char c;

	if (l->len < MARKER_LEN)
		return 0;
	c = l->s[0];
	if (c != '<' && c != '|' && c != '=' && c != '>')
		return 0;
	for (int i = 1; i < MARKER_LEN; i++)
		if (l->s[i] != c)
			return 0;
	if (l->len == MARKER_LEN)
		return c;
	return c != '=' && l->s[MARKER_LEN] == ' ' ? c : 0;
}

/*
 * The label of a marker line: "<word> KEY[ by WHO]" after the marker.
 * Returns 1 with key and who (owned; who may be NULL) when the word is
 * the one expected.
 */
static int label(const struct cline *l, const char *word, char **key, char **who)
{
	const char *p = l->s + MARKER_LEN + 1, *end = l->s + l->len, *by;
	size_t w = strlen(word);

	*key = *who = NULL;
	if (l->len <= MARKER_LEN + 1 + w + 1 || memcmp(p, word, w) || p[w] != ' ')
		return 0;
	p += w + 1;
	by = NULL;
	for (const char *q = p; q + 4 <= end; q++)
		if (!memcmp(q, " by ", 4)) {
			by = q;
			break;
		}
	if ((by ? by : end) == p)
		return 0;
	*key = xstrndup(p, (size_t)((by ? by : end) - p));
	if (by && by + 4 < end)
		*who = xstrndup(by + 4, (size_t)(end - by - 4));
	return 1;
}

static size_t split_lines(const char *text, size_t len, struct cline **out)
{
	struct cline *v = NULL;
	size_t n = 0, alloc = 0, off = 0;

	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t next = nl ? (size_t)(nl - text) + 1 : len;
		size_t l = (nl ? (size_t)(nl - text) : len) - off;

		if (l && text[off + l - 1] == '\r')
			l--;
		ALLOC_GROW(v, n + 1, alloc);
		v[n].s = text + off;
		v[n].len = l;
		v[n].start = off;
		v[n].next = next;
		n++;
		off = next;
	}
	*out = v;
	return n;
}

size_t conflict_find(const char *text, size_t len, struct conflict_list *out)
{
	struct cline *ls = NULL;
	size_t n = split_lines(text, len, &ls);

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		struct conflict_block b;
		size_t mid = 0, sep = 0, end = 0;
		char *bkey = NULL, *bwho = NULL, *ekey = NULL;
		int ok = 0;

		if (!marker_kind(&ls[i]))
			continue;
		memset(&b, 0, sizeof(b));
		if (marker_kind(&ls[i]) == '<' && label(&ls[i], "ours", &b.key, &b.who[0])) {
			for (size_t j = i + 1; j < n && !end; j++) {
				int k = marker_kind(&ls[j]);
				if (!k)
					continue;
				if (k == '|' && !mid && !sep)
					mid = j;
				else if (k == '=' && mid && !sep && ls[j].len == MARKER_LEN)
					sep = j;
				else if (k == '>' && sep)
					end = j;
				else
					break;
			}
		}
		if (end) {
			char *tw = NULL;
			ok = label(&ls[mid], "base", &bkey, &bwho) && !strcmp(bkey, b.key) && !bwho &&
			     label(&ls[end], "theirs", &ekey, &tw) && !strcmp(ekey, b.key);
			b.who[1] = tw;
		}
		free(bkey);
		free(bwho);
		free(ekey);
		if (!ok) {
			free(b.key);
			free(b.who[0]);
			free(b.who[1]);
			out->stray++;
			continue;
		}
		b.line = (int)i + 1;
		b.start = ls[i].start;
		b.end = ls[end].next;
		b.part[MS_OURS][0] = ls[i].next;
		b.part[MS_OURS][1] = ls[mid].start;
		b.part[MS_BASE][0] = ls[mid].next;
		b.part[MS_BASE][1] = ls[sep].start;
		b.part[MS_THEIRS][0] = ls[sep].next;
		b.part[MS_THEIRS][1] = ls[end].start;
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = b;
		i = end;
	}
	free(ls);
	return out->n;
}

void conflict_list_release(struct conflict_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].who[0]);
		free(l->v[i].who[1]);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* -- describing and settling -- */

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* s[0..n) trimmed, at most 60 characters, into sb. */
static void shown(struct strbuf *sb, const char *s, size_t n)
{
	size_t chars = 0, i = 0;

	while (n && is_blank((unsigned char)*s))
		s++, n--;
	while (n && is_blank((unsigned char)s[n - 1]))
		n--;
	for (; i < n; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > 60)
			break;
	}
	sb_addch(sb, '\'');
	sb_add(sb, s, i);
	if (i < n)
		sb_addstr(sb, "...");
	sb_addch(sb, '\'');
}

/*
 * One side's value as a person reads it: a record field's value (text
 * after "name =", or its first continuation line), or a journal line,
 * with how many more lines follow.
 */
static void describe(struct strbuf *sb, const char *s, size_t n, int journal)
{
	struct cline *ls = NULL;
	size_t nl = split_lines(s, n, &ls), first = 0;
	const char *v = nl ? ls[0].s : "";
	size_t vl = nl ? ls[0].len : 0;

	if (!journal && nl) {
		const char *eq = memchr(v, '=', vl), *colon = memchr(v, ':', vl);
		if (!eq || (colon && colon < eq))
			eq = colon;
		if (eq) {
			vl -= (size_t)(eq + 1 - v);
			v = eq + 1;
		}
		while (vl && is_blank((unsigned char)*v))
			v++, vl--;
		if (!vl && nl > 1) {
			first = 1;
			v = ls[1].s;
			vl = ls[1].len;
		}
	}
	shown(sb, v, vl);
	if (nl > first + 1)
		sb_addf(sb, " and %zu more line%s", nl - first - 1, nl - first - 1 == 1 ? "" : "s");
	free(ls);
}

char *conflict_record_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	if (!base || !strncmp(path, "journal/", 8) || !strncmp(path, "formats/", 8) ||
	    !strncmp(path, "calendar/", 9))
		return xstrdup(path);
	base++;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".ini"))
		return xstrndup(base, n - 4);
	return xstrdup(path);
}

int conflict_report(const char *path, const char *text, size_t len)
{
	struct conflict_list l;
	size_t n;

	/* every file read passes here: most have no marker at all, and
	 * most have no '<' either (memchr is many times memmem's speed) */
	if (!memchr(text, '<', len) || !memmem(text, len, "<<<<<<< ", 8))
		return 0;
	n = conflict_find(text, len, &l);

	if (!n || l.stray) {
		conflict_list_release(&l);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct conflict_block *b = &l.v[i];
		int journal = !strncmp(b->key, "line-", 5);
		struct strbuf msg = STRBUF_INIT;
		static const char *const side_name[3] = { "ours", "base", "theirs" };

		if (!strcmp(b->key, "*")) {
			const char *slash = strrchr(path, '/');
			char *id = xstrdup(slash ? slash + 1 : path);
			char *dot = strrchr(id, '.');
			if (dot)
				*dot = '\0';
			diag_at(DIAG_ERROR, path, b->line, 1, !strncmp(path, "jobs/", 5) ? "JOBNO-1" : "USE-3",
				"both sides of the merge made '%s', each its own record (ours%s%s, theirs%s%s); a number is never duplicated: 'ae renumber %s NEW' keeps both, giving this clone's one NEW ('ae renumber %s' suggests a free number)",
				id, b->who[0] ? " by " : "", b->who[0] ? b->who[0] : "",
				b->who[1] ? " by " : "", b->who[1] ? b->who[1] : "", id, id);
			free(id);
			sb_release(&msg);
			continue;
		}
		if (journal)
			sb_addf(&msg, "both sides of the merge changed %s of the merge base differently:",
				b->key);
		else
			sb_addf(&msg, "both sides of the merge changed '%s' differently:", b->key);
		for (int k = 0; k < 3; k++) {
			/* ours, theirs, then what both started from */
			int s = k == 0 ? MS_OURS : k == 1 ? MS_THEIRS : MS_BASE;
			size_t from = b->part[s][0], to = b->part[s][1];
			sb_addf(&msg, "%s %s ", k ? ";" : "", side_name[s]);
			if (from == to)
				sb_addstr(&msg, s == MS_BASE ? "had none" : "deleted it");
			else
				describe(&msg, text + from, to - from, journal);
			if (s != MS_BASE && b->who[s / 2])
				sb_addf(&msg, " (by %s)", b->who[s / 2]);
		}
		{
			/* the way out, named as ae resolve takes it */
			char *name = conflict_record_name(path);
			int quote = strchr(b->key, ' ') != NULL;
			sb_addf(&msg, "; settle it with 'ae resolve %s %s%s%s --ours|--theirs%s'", name,
				quote ? "\"" : "", b->key, quote ? "\"" : "",
				b->key[0] == '[' ? "" : "|--value V");
			free(name);
		}
		diag_at(DIAG_ERROR, path, b->line, 1, "USE-3", "%s", msg.buf);
		sb_release(&msg);
	}
	conflict_list_release(&l);
	return (int)n;
}

int conflict_resolve(const char *text, size_t len, const char *key, enum merge_side side,
		     struct strbuf *out)
{
	struct conflict_list l;
	int ret = -1;

	conflict_find(text, len, &l);
	for (size_t i = 0; i < l.n; i++) {
		const struct conflict_block *b = &l.v[i];
		if (strcmp(b->key, key))
			continue;
		sb_reset(out);
		sb_add(out, text, b->start);
		sb_add(out, text + b->part[side][0], b->part[side][1] - b->part[side][0]);
		sb_add(out, text + b->end, len - b->end);
		ret = 0;
		break;
	}
	conflict_list_release(&l);
	return ret;
}
