/*
 * sync_renumber.c -- renumbers across a merge: found in the trees (a
 * renumbered record's renumbered_from), the unpushed work of one side on
 * a number the other side renumbered carried over to the new number, and
 * the record whose fields would come from two tickets caught; see sync.h.
 */
#include "sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commitmsg.h"
#include "diag.h"
#include "edit.h"
#include "merge_lines.h"
#include "merge_record.h"
#include "store_sync.h"
#include "utf8.h"

void renumber_list_release(struct renumber_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].from);
		free(l->v[i].to);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int is_record(const char *path)
{
	size_t n = strlen(path);

	return strncmp(path, "journal/", 8) && strchr(path, '/') && n > 4 &&
	       !strcmp(path + n - 4, ".ini") && strncmp(path, "formats/", 8) &&
	       strncmp(path, "calendar/", 9);
}

/* A record path's identifier (its file name less .ini). */
static char *id_of(const char *path)
{
	const char *b = strrchr(path, '/');

	b = b ? b + 1 : path;
	return xstrndup(b, strlen(b) - 4);
}

/* How many fields of a and z differ, id and renumbered_from aside. */
static size_t distance(const char *path, const struct strbuf *a, const struct strbuf *z)
{
	struct strlist keys = { 0 }, lines = { 0 };
	size_t n = 0;

	field_changes(path, a, z, &keys, &lines);
	for (size_t i = 0; i < keys.n; i++)
		n += strcmp(keys.v[i], "id") && strcmp(keys.v[i], "renumbered_from");
	strlist_release(&keys);
	strlist_release(&lines);
	return n;
}

/*
 * Whether the record tip has as `renumbered` (its text t) is the base's
 * record `from` (its text b) under a new number: tip no longer has
 * `from`, or what tip has there agrees with b on fewer fields than t
 * does (the number was given to another record; otherwise the renumbered
 * record was another that had the same number, as when both sides of a
 * merge made one).
 */
static int continues(struct store *s, const char *tip, const char *from, const struct strbuf *b,
		     const struct strbuf *t)
{
	struct strbuf x = STRBUF_INIT;
	int r = 1;

	if (store_read_at(s, tip, from, &x) == 0)
		r = distance(from, b, t) < distance(from, b, &x);
	sb_release(&x);
	return r;
}

int renumbers_between(struct store *s, const char *base, const char *tip,
		      struct renumber_list *out)
{
	struct change_list ch = { 0 };
	struct strbuf t = STRBUF_INIT, o = STRBUF_INIT;

	if (store_diff(s, base, tip, 1, &ch, NULL) < 0)
		return -1;
	for (size_t i = 0; i < ch.n; i++) {
		const char *p = ch.v[i].path, *slash;
		char *from_id, *from;
		if (ch.v[i].type != CH_ADDED || !is_record(p) || store_read_at(s, tip, p, &t) != 0)
			continue;
		if (!(from_id = edit_get(t.buf ? t.buf : "", t.len, "renumbered_from")))
			continue;
		slash = strrchr(p, '/');
		from = xasprintf("%.*s/%s.ini", (int)(slash - p), p, from_id);
		if (*from_id && !strchr(from_id, '/') && strcmp(from, p) &&
		    store_read_at(s, base, from, &o) == 0 && continues(s, tip, from, &o, &t)) {
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			out->v[out->n].from = from;
			out->v[out->n++].to = xstrdup(p);
			from = NULL;
		}
		free(from);
		free(from_id);
	}
	change_list_release(&ch);
	sb_release(&t);
	sb_release(&o);
	return 0;
}

const char *id_mapped(const struct id_map *m, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(m[i].from) == len && !memcmp(m[i].from, s, len))
			return m[i].to;
	return NULL;
}

/*
 * What a character is next to an identifier: 1 a character identifiers
 * are written with in ASCII (letters, digits, '-', '_'), 2 a letter of
 * another script (Han: a client code may be Chinese), 0 anything else
 * (spaces, punctuation, CJK punctuation): always a boundary.
 */
static int id_char_kind(unsigned cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
		       cp == '-' || cp == '_';
	if ((cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x303f) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff0f) ||
	    (cp >= 0xff1a && cp <= 0xff20) || (cp >= 0xff3b && cp <= 0xff40) ||
	    (cp >= 0xff5b && cp <= 0xff65) || cp == 0xa0)
		return 0;
	return 2;
}

/* The code point at s with avail bytes left; a sequence cut short (the
 * text is the book's, not trusted to be valid) is no character: 0. */
static unsigned cp_within(const char *s, size_t avail)
{
	unsigned char c = (unsigned char)s[0];
	size_t need = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	int n;

	return need > avail ? 0 : utf8_decode(s, &n);
}

/* The kind of the character that ends just before s[at] (line start: 0). */
static int kind_before(const char *s, size_t at)
{
	size_t i = at;

	if (!at)
		return 0;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80 && at - i < 3)
		i--;
	if (i == 0)
		return 0;
	i--;
	return id_char_kind(cp_within(s + i, at - i));
}

/* The kind of the character at s[at] (the line's end: 0). */
static int kind_at(const char *s, size_t at, size_t end)
{
	if (at >= end || s[at] == '\r')
		return 0;
	return id_char_kind(cp_within(s + at, end - at));
}

/*
 * Whether s[at, at+n) (within a line ending at end) is a whole
 * identifier: the character on either side is no continuation of it.  A
 * character of the same kind as the identifier's own edge would make it
 * a longer word (CS-2611-011, CS-2611-01-R1, X上海-...); anything else,
 * a space, punctuation or a Chinese character, is a boundary, so that
 * "见CS-2611-01的报价" names CS-2611-01.
 */
static int whole_id_at(const char *s, size_t at, size_t n, size_t end)
{
	int first = id_char_kind(cp_within(s + at, n)), last = kind_before(s, at + n);
	int before = kind_before(s, at), after = kind_at(s, at + n, end);

	return !(before && before == first) && !(after && after == last);
}

int rewrite_id_words(const struct id_map *m, size_t n, const char *text, size_t len,
		     const struct strlist *only, struct strbuf *out)
{
	int changed = 0;

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len, ll = end - i;
		int mine = !only;

		if (ll && text[i + ll - 1] == '\r')
			ll--;
		for (size_t k = 0; only && k < only->n && !mine; k++)
			mine = strlen(only->v[k]) == ll && !memcmp(only->v[k], text + i, ll);
		for (size_t j = i; j < end;) {
			const struct id_map *hit = NULL;
			size_t hitlen = 0;
			for (size_t e = 0; mine && e < n; e++) {
				size_t fl = strlen(m[e].from);
				if (fl && fl <= end - j && fl > hitlen && !memcmp(text + j, m[e].from, fl) &&
				    whole_id_at(text, j, fl, end)) {
					hit = &m[e];
					hitlen = fl;
				}
			}
			if (hit) {
				sb_addstr(out, hit->to);
				changed = 1;
				j += hitlen;
			} else {
				sb_addch(out, text[j]);
				j++;
			}
		}
		if (nl)
			sb_addch(out, '\n');
		i = end + 1;
	}
	return changed;
}

/* The lines of z that a lacks, without their line ends. */
static void new_lines(const struct strbuf *a, const struct strbuf *z, struct strlist *out)
{
	struct mlines la = { 0 }, lz = { 0 };

	mlines_split(&la, a->buf ? a->buf : "", a->len);
	mlines_split(&lz, z->buf ? z->buf : "", z->len);
	mlines_added(&la, &lz, out);
	mlines_release(&la);
	mlines_release(&lz);
}

/* Whether line names id, as a whole identifier (whole_id_at). */
static int names(const char *line, const char *id)
{
	size_t n = strlen(id), end = strlen(line);

	for (const char *p = line; n && (p = strstr(p, id)); p++)
		if (whole_id_at(line, (size_t)(p - line), n, end))
			return 1;
	return 0;
}

/* -- carrying our work over -- */

/* Our changes to the record `from`, merged into `to` of theirs. */
static int carry_record(struct store *s, const struct carry_io *io, const struct renumber *r,
			const char *whose, struct strbuf *said)
{
	struct strbuf b = STRBUF_INIT, o = STRBUF_INIT, t = STRBUF_INIT, tx = STRBUF_INIT;
	struct strbuf out = STRBUF_INIT;
	struct strlist keys = { 0 }, lines = { 0 };
	struct merge_result mr;
	int n, ret = 0, have_tx;

	if (store_read_at(s, io->base, r->from, &b) != 0 || store_read_at(s, io->ours, r->from, &o) != 0 ||
	    (b.len == o.len && !memcmp(b.buf ? b.buf : "", o.buf ? o.buf : "", b.len)) ||
	    store_read_at(s, io->theirs, r->to, &t) != 0)
		goto out;	/* we did not change it */
	have_tx = store_read_at(s, io->theirs, r->from, &tx) == 0;
	field_changes(r->from, &b, &o, &keys, &lines);
	n = merge_record(b.buf ? b.buf : "", b.len, o.buf ? o.buf : "", o.len, t.buf ? t.buf : "",
			 t.len, &mr);
	merge_result_render(&mr, &out);
	merge_result_release(&mr);
	if (io->write(io->ctx, r->to, out.buf ? out.buf : "", out.len,
		      n ? (const struct strbuf *[3]){ &b, &o, &t } : NULL) < 0 ||
	    /* the old number stays as theirs has it: gone, or another record */
	    io->write(io->ctx, r->from, have_tx ? (tx.buf ? tx.buf : "") : NULL, tx.len, NULL) < 0) {
		ret = -1;
		goto out;
	}
	sb_addf(said, "  %s: %s changes", r->to, whose);
	for (size_t i = 0; i < keys.n; i++)
		sb_addf(said, "%s%s", i ? ", " : " (", keys.v[i]);
	sb_addf(said, "%s%s\n", keys.n ? ")" : "", n ? ", with a conflict" : "");
out:
	strlist_release(&keys);
	strlist_release(&lines);
	sb_release(&b);
	sb_release(&o);
	sb_release(&t);
	sb_release(&tx);
	sb_release(&out);
	return ret;
}

/* Our references to the old identifier (records we changed, journal
 * lines we added since the merge base) made the new one. */
static int carry_references(struct store *s, const struct carry_io *io, const char *from_id,
			    const char *to_id, const char *skip, const char *whose, struct strbuf *said)
{
	struct change_list ours = { 0 };
	struct strbuf b = STRBUF_INIT, o = STRBUF_INIT, m = STRBUF_INIT, out = STRBUF_INIT;
	int ret = 0;

	if (store_diff(s, io->base, io->ours, 1, &ours, NULL) < 0)
		return -1;
	for (size_t i = 0; i < ours.n && !ret; i++) {
		const char *path = ours.v[i].path;
		int changed = 0;

		if (ours.v[i].type == CH_DELETED || !strcmp(path, skip) ||
		    io->read(io->ctx, path, &m) != 0 || store_read_at(s, io->ours, path, &o) != 0)
			continue;
		if (store_read_at(s, io->base, path, &b) != 0)
			sb_reset(&b);
		sb_reset(&out);
		if (!strncmp(path, "journal/", 8)) {
			struct strlist added = { 0 }, mine = { 0 };
			new_lines(&b, &o, &added);
			for (size_t k = 0; k < added.n; k++)
				if (names(added.v[k], from_id))
					strlist_add(&mine, added.v[k]);
			if (mine.n && rewrite_id_words(&(struct id_map){ from_id, to_id }, 1, m.buf ? m.buf : "", m.len, &mine, &out)) {
				changed = 1;
				sb_addf(said, "  %s: %zu line%s of %ss\n", path, mine.n,
					mine.n == 1 ? "" : "s", whose);
			}
			strlist_release(&added);
			strlist_release(&mine);
		} else if (is_record(path)) {
			struct strlist keys = { 0 }, lines = { 0 };
			sb_add(&out, m.buf ? m.buf : "", m.len);
			field_changes(path, &b, &o, &keys, &lines);
			for (size_t k = 0; k < keys.n; k++) {
				char *v = edit_get(o.buf ? o.buf : "", o.len, keys.v[k]);
				struct strbuf next = STRBUF_INIT;
				if (v && !strcmp(v, from_id) && !strchr(keys.v[k], ']') &&
				    edit_set(&next, out.buf, out.len, keys.v[k], to_id, NULL, 0) == 1) {
					sb_reset(&out);
					sb_add(&out, next.buf, next.len);
					if (!changed)
						sb_addf(said, "  %s:", path);
					sb_addf(said, " %s", keys.v[k]);
					changed = 1;
				}
				sb_release(&next);
				free(v);
			}
			if (changed)
				sb_addch(said, '\n');
			strlist_release(&keys);
			strlist_release(&lines);
		}
		if (changed && io->write(io->ctx, path, out.buf ? out.buf : "", out.len, NULL) < 0)
			ret = -1;
	}
	change_list_release(&ours);
	sb_release(&b);
	sb_release(&o);
	sb_release(&m);
	sb_release(&out);
	return ret;
}

int renumber_carry(struct store *s, const struct carry_io *io, const struct renumber *r,
		   int ours_renumbered, struct strbuf *said)
{
	char *from_id = id_of(r->from), *to_id = id_of(r->to);
	size_t before = said->len, mark;
	const char *whose = ours_renumbered ? "their" : "your";
	int ret;

	if (ours_renumbered)
		sb_addf(said, "%s was renumbered %s on this side; the work on %s that arrived now uses %s:\n",
			from_id, to_id, from_id, to_id);
	else
		sb_addf(said, "%s was renumbered %s on the other side; your unpushed work on %s now uses %s:\n",
			from_id, to_id, from_id, to_id);
	mark = said->len;
	ret = carry_record(s, io, r, whose, said);
	if (!ret)
		ret = carry_references(s, io, from_id, to_id, r->from, whose, said);
	if (said->len == mark) {
		said->len = before;	/* nothing of that side used it */
		if (said->buf)
			said->buf[before] = '\0';
	}
	free(from_id);
	free(to_id);
	return ret;
}

/* The plan of ae sync, as a carry_io. */
struct plan_io {
	struct store *s;
	struct merge_plan *p;
};

static int plan_read(void *ctx, const char *path, struct strbuf *out)
{
	struct plan_io *pi = ctx;
	struct plan_file *f = merge_plan_find(pi->p, path);

	sb_reset(out);
	if (f) {
		if (!f->present || f->conflict != PLAN_CLEAN)
			return 1;
		sb_add(out, f->text.buf ? f->text.buf : "", f->text.len);
		return 0;
	}
	return store_read_at(pi->s, pi->p->ours, path, out);
}

static int plan_write(void *ctx, const char *path, const char *text, size_t len,
		      const struct strbuf *const *stages)
{
	struct plan_io *pi = ctx;
	struct merge_plan *p = pi->p;
	struct plan_file *f = merge_plan_find(p, path);

	if (!text) {
		/* gone where ours never had it: out of the plan, which changes ours */
		struct strbuf o = STRBUF_INIT;
		int absent = store_read_at(pi->s, p->ours, path, &o) == 1;
		sb_release(&o);
		if (absent) {
			if (f) {
				if (f->conflict != PLAN_CLEAN)
					p->conflicts--;
				free(f->path);
				sb_release(&f->text);
				*f = p->v[--p->n];
			}
			return 0;
		}
	}
	if (!f) {
		ALLOC_GROW(p->v, p->n + 1, p->alloc);
		f = &p->v[p->n++];
		memset(f, 0, sizeof(*f));
		f->path = xstrdup(path);
		f->mode = 0100644;
	}
	if (f->conflict != PLAN_CLEAN)
		p->conflicts--;
	f->conflict = PLAN_CLEAN;
	memset(f->stage_oid, 0, sizeof(f->stage_oid));
	sb_reset(&f->text);
	f->present = text != NULL;
	if (text)
		sb_add(&f->text, text, len);
	if (stages) {
		/* the conflict's versions, as git keeps them */
		for (int k = 0; k < 3; k++) {
			if (store_blob_write(pi->s, stages[k]->buf ? stages[k]->buf : "", stages[k]->len,
					     f->stage_oid[k]) < 0)
				return -1;
			f->stage_mode[k] = 0100644;
		}
		f->conflict = PLAN_BLOCKS;
		p->conflicts++;
	}
	return 0;
}

static int cmp_plan(const void *a, const void *b)
{
	return strcmp(((const struct plan_file *)a)->path, ((const struct plan_file *)b)->path);
}

int renumber_carry_over(struct store *s, struct merge_plan *p, struct strbuf *said)
{
	struct renumber_list rl = { 0 }, ml = { 0 };
	struct plan_io pi = { s, p };
	struct carry_io io = { p->base, p->ours, p->theirs, plan_read, plan_write, &pi };
	/* the same with the sides swapped: their work over our renumber */
	struct carry_io swapped = { p->base, p->theirs, p->ours, plan_read, plan_write, &pi };
	int ret = 0;

	if (!p->base[0])
		return 0;
	if (renumbers_between(s, p->base, p->theirs, &rl) < 0 ||
	    renumbers_between(s, p->base, p->ours, &ml) < 0) {
		renumber_list_release(&rl);
		return -1;
	}
	for (size_t i = 0; i < rl.n && !ret; i++)
		ret = renumber_carry(s, &io, &rl.v[i], 0, said);
	for (size_t i = 0; i < ml.n && !ret; i++)
		ret = renumber_carry(s, &swapped, &ml.v[i], 1, said);
	qsort(p->v, p->n, sizeof(*p->v), cmp_plan);
	renumber_list_release(&rl);
	renumber_list_release(&ml);
	return ret;
}

/* -- the check in the middle of a merge -- */

static int work_text(struct source *work, const char *path, struct strbuf *out)
{
	const char *msg;

	sb_reset(out);
	return work->read(work, path, (size_t)1 << 30, out, &msg) == SRC_OK ? 0 : 1;
}

/* One direction: `renamer` renumbered, `other` may still use the number. */
static int check_side(struct store *s, const char *base, const char *renamer, const char *other,
		      const char *who, struct source *work)
{
	struct renumber_list rl = { 0 };
	struct change_list theirs = { 0 };
	struct strbuf b = STRBUF_INIT, o = STRBUF_INIT, w = STRBUF_INIT;
	int reported = 0;

	if (renumbers_between(s, base, renamer, &rl) < 0 || !rl.n ||
	    store_diff(s, base, other, 1, &theirs, NULL) < 0)
		goto out;
	for (size_t i = 0; i < rl.n; i++) {
		char *from_id = id_of(rl.v[i].from), *to_id = id_of(rl.v[i].to);
		struct strbuf kept = STRBUF_INIT;
		/* the old number given to another record by the side that renumbered */
		int reused = store_read_at(s, renamer, rl.v[i].from, &kept) == 0;

		for (size_t k = 0; k < theirs.n; k++) {
			const char *path = theirs.v[k].path;
			if (theirs.v[k].type == CH_DELETED || work_text(work, path, &w) != 0 ||
			    store_read_at(s, other, path, &o) != 0)
				continue;
			if (store_read_at(s, base, path, &b) != 0)
				sb_reset(&b);
			if (!strcmp(path, rl.v[i].from)) {
				if (reused && (w.len != kept.len || memcmp(w.buf ? w.buf : "", kept.buf ? kept.buf : "", w.len))) {
					diag_at(DIAG_ERROR, path, 1, 1, "JOBNO-1",
						"'%s' would mix two records: one side renumbered it '%s' and gave '%s' to another record, and the other side changed it since; those changes belong to %s: 'ae renumber %s %s' carries them over",
						from_id, to_id, from_id, to_id, from_id, to_id);
					reported++;
				}
				continue;
			}
			if (!strncmp(path, "journal/", 8)) {
				struct strlist added = { 0 };
				new_lines(&b, &o, &added);
				for (size_t a = 0; a < added.n; a++) {
					int line = 1;
					const char *at;
					if (!names(added.v[a], from_id) || !(at = strstr(w.buf ? w.buf : "", added.v[a])))
						continue;
					for (const char *q = w.buf; q < at; q++)
						line += *q == '\n';
					diag_at(DIAG_ERROR, path, line, 1, "JOBNO-1",
						"this line names '%s', which %s of the merge renumbered '%s'; 'ae renumber %s %s' makes it name %s",
						from_id, who, to_id, from_id, to_id, to_id);
					reported++;
				}
				strlist_release(&added);
			} else if (is_record(path)) {
				struct strlist keys = { 0 }, lines = { 0 };
				field_changes(path, &b, &o, &keys, &lines);
				for (size_t a = 0; a < keys.n; a++) {
					char *v = edit_get(w.buf ? w.buf : "", w.len, keys.v[a]);
					if (v && !strcmp(v, from_id)) {
						diag_at(DIAG_ERROR, path, 1, 1, "JOBNO-1",
							"'%s' names '%s', which %s of the merge renumbered '%s'; 'ae renumber %s %s' makes it name %s",
							keys.v[a], from_id, who, to_id, from_id, to_id, to_id);
						reported++;
					}
					free(v);
				}
				strlist_release(&keys);
				strlist_release(&lines);
			}
		}
		sb_release(&kept);
		free(from_id);
		free(to_id);
	}
out:
	renumber_list_release(&rl);
	change_list_release(&theirs);
	sb_release(&b);
	sb_release(&o);
	sb_release(&w);
	return reported;
}

int renumber_check_merge(struct store *s, const char *base, const char *ours,
			 const char *theirs, struct source *work)
{
	if (!base || !base[0])
		return 0;
	return check_side(s, base, theirs, ours, "the other side", work) +
	       check_side(s, base, ours, theirs, "this side", work);
}

int renumber_check_merging(struct store *s, struct source *work, int fetched)
{
	char head[41], theirs[41], base[41];
	const char *other = store_merging(s) ? "MERGE_HEAD" : fetched ? "FETCH_HEAD" : NULL;

	if (!other || store_head_id(s, head) < 0 || store_rev(s, other, theirs) != 0 ||
	    store_merge_base_of(s, head, theirs, base) != 0)
		return 0;
	return renumber_check_merge(s, base, head, theirs, work);
}
