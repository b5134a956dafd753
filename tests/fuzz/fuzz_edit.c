/*
 * fuzz_edit.c -- libFuzzer target: the editor (edit.c), held to what
 * 'ae set' and 'ae tick' promise.
 *
 * Input: a kind byte (modulo 5), a record's text up to the first NUL,
 * then up to eight edits, each an operation byte and its operands:
 *
 *   op even   set: a key byte (a field of the kind's format, or a key the
 *             text already has, or, rarely, a key that is no name), then
 *             the value: the bytes up to the next NUL
 *   op odd    tick: item (op >> 1) % 8 + 1 of 'actions' (or of another
 *             field), done or open by bit 4
 *
 * Each edit is applied to the text the previous one left.  Asserted
 * (abort on failure), by parsing the result with the parser, not the
 * editor: a value the file cannot hold is refused and changes nothing; a
 * set that succeeds reads back as exactly edit_normalize(value) (or
 * absent, for ""), with every other field's key, value and bytes
 * unchanged and in order (a file's last line may gain the line end it
 * lacked, when a field is added after it); a tick changes one character,
 * a box's, from open to done or back; any other answer leaves the text
 * as it was.
 */
#include <stddef.h>
#include <stdint.h>

#include "edit.h"
#include "editing.h"
#include "fuzz_book.h"
#include "inifile.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_edit: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static const char **orders[K__N];
static size_t norders[K__N];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	for (int k = 0; k < K__N; k++)
		orders[k] = field_order(fuzz_template(), k, &norders[k]);
	return 0;
}

struct parsed {
	struct arena a;
	struct ini_doc doc;
	long sec;
};

static void parse(struct parsed *p, const char *text, size_t len)
{
	memset(p, 0, sizeof(*p));
	ini_doc_parse_quiet(&p->doc, &p->a, text, len);
	p->sec = -1;
	for (size_t i = 0; i < p->doc.nsections && p->sec < 0; i++)
		if (p->doc.sections[i].line > 0)
			p->sec = (long)i;
}

static void unparse(struct parsed *p)
{
	ini_doc_release(&p->doc);
	arena_release(&p->a);
}

/* The edited field of the record's section, to be passed over. */
static int is_target(const struct parsed *p, const struct ini_entry *e, const char *key)
{
	return e->section == p->sec && p->sec >= 0 && !strcmp(e->key, key);
}

/* Bytes of e's span in t before the line end(s) closing it. */
static size_t body(const char *t, const struct ini_entry *e)
{
	size_t n = e->end - e->start;

	while (n && (t[e->start + n - 1] == '\n' || t[e->start + n - 1] == '\r'))
		n--;
	return n;
}

/*
 * Every field of a but key is in b: same section, key and value, in the
 * same order, with the same bytes (when bytes); key in b is returned.
 */
static const struct ini_entry *others_same(const struct parsed *a, const char *ta,
					   const struct parsed *b, const char *tb,
					   const char *key, int bytes)
{
	const struct ini_entry *got = NULL;
	size_t i = 0, j = 0;

	CHECK(a->doc.nsections == b->doc.nsections);
	for (size_t s = 0; s < a->doc.nsections; s++)
		CHECK(!strcmp(a->doc.sections[s].name, b->doc.sections[s].name));
	for (;;) {
		while (i < a->doc.nentries && is_target(a, &a->doc.entries[i], key))
			i++;
		while (j < b->doc.nentries && is_target(b, &b->doc.entries[j], key)) {
			CHECK(!got);	/* one field of that name */
			got = &b->doc.entries[j++];
		}
		if (i == a->doc.nentries || j == b->doc.nentries)
			break;
		{
			const struct ini_entry *x = &a->doc.entries[i++], *y = &b->doc.entries[j++];
			CHECK(x->section == y->section);
			CHECK(!strcmp(x->key, y->key));
			CHECK(!strcmp(x->value, y->value));
			if (bytes) {
				/* the same bytes, but for the line end a file's last
				 * line gets when a field is added after it */
				size_t xn = body(ta, x), yn = body(tb, y);
				CHECK(xn == yn && !memcmp(ta + x->start, tb + y->start, xn));
				CHECK(y->end - y->start >= x->end - x->start);
			}
		}
	}
	CHECK(i == a->doc.nentries && j == b->doc.nentries);
	return got;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data, *end = in + size, *nul;
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	int kind;

	if (size < 1)
		return 0;
	kind = data[0] % K__N;
	in++;
	nul = memchr(in, '\0', (size_t)(end - in));
	if (!nul)
		nul = end;
	if (!fuzz_is_text(in, (size_t)(nul - in)))
		return 0;
	sb_add(&text, in, (size_t)(nul - in));
	in = nul < end ? nul + 1 : end;

	for (int n = 0; n < 8 && in < end; n++) {
		struct parsed before, after;
		unsigned op = (unsigned char)*in++;
		int r;

		parse(&before, text.buf, text.len);
		if (!(op & 1)) {
			/* set */
			unsigned ks = in < end ? (unsigned char)*in++ : 0;
			const char *v = in, *vend = memchr(in, '\0', (size_t)(end - in));
			char *key, *value, *norm;
			const struct ini_entry *got;

			vend = vend ? vend : end;
			in = vend < end ? vend + 1 : end;
			if (ks < 0xC0 || !before.doc.nentries)
				key = ks < 0xF8 ? xstrdup(orders[kind][ks % norders[kind]]) :
						  xstrndup(v, (size_t)(vend - v) % 5);
			else
				key = xstrdup(before.doc.entries[ks % before.doc.nentries].key);
			value = xstrndup(v, (size_t)(vend - v));
			r = edit_set(&out, text.buf, text.len, key, value, orders[kind], norders[kind]);
			if (edit_value_problem(key, value))
				CHECK(r == EDIT_BAD_VALUE);
			if (r <= 0) {
				CHECK(out.len == text.len && !memcmp(out.buf, text.buf, text.len));
			}
			if (r >= 0) {
				norm = edit_normalize(value);
				parse(&after, out.buf, out.len);
				CHECK(after.sec == before.sec);
				got = others_same(&before, text.buf, &after, out.buf, key, 1);
				CHECK(*norm ? got && !strcmp(got->value, norm) : !got);
				unparse(&after);
				free(norm);
			}
			free(key);
			free(value);
		} else {
			/* tick */
			int item = (int)((op >> 1) % 8) + 1, done = (op >> 4) & 1;
			const char *key = (op & 0xE0) ? "actions" : orders[kind][(op >> 5) % norders[kind]];
			size_t diff = 0, at = 0;

			r = edit_tick(&out, text.buf, text.len, key, item, done);
			CHECK(out.len == text.len);
			for (size_t i = 0; i < text.len; i++)
				if (out.buf[i] != text.buf[i]) {
					diff++;
					at = i;
				}
			CHECK(diff == (r == 1));
			if (r == 1) {
				CHECK(at > 0 && at + 1 < text.len && text.buf[at - 1] == '[' && text.buf[at + 1] == ']');
				CHECK(strchr(" xX", text.buf[at]) && out.buf[at] == (done ? 'x' : ' '));
				parse(&after, out.buf, out.len);
				others_same(&before, text.buf, &after, out.buf, key, 1);
				unparse(&after);
			}
		}
		unparse(&before);
		if (r == 1) {
			sb_reset(&text);
			sb_add(&text, out.buf, out.len);
		}
	}
	sb_release(&text);
	sb_release(&out);
	return 0;
}
