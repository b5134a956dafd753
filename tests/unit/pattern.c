/*
 * Unit test of pattern_hand.c (issue 15): the journal grammar's line
 * pattern and its verbs 'call', 'hours' and 'sent', and the shipped
 * numbering of jobs, contacts, meetings, complaints, letters and reviews,
 * matched by hand when their source is the shipped one, must answer
 * exactly what PCRE2 answers,
 * every group and the match's span, on random lines of the characters
 * that matter: ASCII spaces (HT LF VT FF CR space), Unicode spaces
 * (U+3000, U+00A0, U+2028, U+0085, U+180E, U+2000), words, digits, '.',
 * 'h', '!', the words of 'sent', Chinese (identifiers: letters, digits,
 * '-', 'R', LF, Chinese); and every character between two words and at the
 * start of a line, a space (\s with UCP) or not.  PCRE2's answer is the same pattern behind an empty
 * group, which no matcher by hand knows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/pattern.h"

static size_t id_line(char *line);

static const struct {
	const char *src;
	const char *names[9];
	size_t (*gen)(char *line);	/* a line to try (NULL: words of pieces[]) */
} cases[] = {
	{ "^(?<dept>[A-Z]{2,4})-(?<yymm>[0-9]{4})-(?<seq>[0-9]{2})(?:-R(?<rev>[1-9]))?$",
	  { "dept", "yymm", "seq", "rev", NULL }, id_line },
	{ "^CR-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$", { "yyyymmdd", "seq", NULL }, id_line },
	{ "^MT-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$", { "yyyymmdd", "seq", NULL }, id_line },
	{ "^TS-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$", { "yyyymmdd", "seq", NULL }, id_line },
	{ "^LT-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$", { "yyyymmdd", "seq", NULL }, id_line },
	{ "^RV-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$", { "yyyymmdd", "seq", NULL }, id_line },
	{ "^(?<date>\\S+)\\s+(?<time>\\S+)\\s+(?<who>\\S+)\\s+(?<verb>\\S+)(?:\\s+(?<rest>.*))?$",
	  { "date", "time", "who", "verb", "rest", NULL }, NULL },
	{ "^(?<client>\\S+)(?:\\s+(?<important>!))?(?:\\s+(?<note>.*))?$",
	  { "client", "important", "note", NULL }, NULL },
	{ "^(?<job>\\S+)\\s+(?<hours>[0-9]+(?:\\.[0-9]+)?)h?(?:\\s+(?<note>.*))?$",
	  { "job", "hours", "note", NULL }, NULL },
	{ "(?J)^(?:(?<what>holiday)\\s+(?<client>\\S+)(?:\\s+(?<holiday>\\S+))?|(?<what>callback)\\s+(?<client>\\S+)(?:\\s+(?<satisfaction>满意|一般|不满意|satisfied|neutral|unsatisfied)(?=\\s|$))?|(?<what>weekly|monthly|plan|market|media|bizplan|finance|brand)\\s+(?<client>\\S+)|(?<what>notice)\\s+(?<meeting>\\S+)|(?<what>report)\\s+(?<contact>\\S+)|(?<what>letter)\\s+(?<letter>\\S+)|(?<what>summary|prep|tally|claim))(?:\\s+(?<note>.*))?$",
	  { "what", "client", "holiday", "satisfaction", "meeting", "contact", "letter", "note" },
	  NULL },
};

static const char *const pieces[] = {
	" ", "  ", "\t", "\r", "\v", "\f", "\n", "a", "2026-11-02", "09:12", "li.ming",
	"call", "x", "#", "!", "!", "h", "4", "5.5", ".", "12", "3h", "SX-1", "中", "确认",
	"\xE3\x80\x80" /* U+3000 */, "\xC2\xA0" /* U+00A0 */, "\xE2\x80\xA8" /* U+2028 */,
	"\xC2\x85" /* U+0085 */, "\xE1\xA0\x8E" /* U+180E */, "\xE2\x80\x80" /* U+2000 */,
	"holiday", "callback", "weekly", "plan", "planx", "summary", "claim", "notice", "report",
	"letter", "满意", "不满意", "一般", "satisfied", "unsatisfied", "neutral", "国庆节",
};

static unsigned seed = 15;

static unsigned next(void)
{
	return (seed = seed * 1103515245 + 12345) >> 16;
}

/* An identifier, or nearly one: a head, two runs of digits, a tail,
 * mostly right and now and then wrong by a letter, a digit, a separator,
 * a LF (each case is found matching at least 1,000 times: one()) */
static size_t id_line(char *line)
{
	static const char *const heads[] = {
		"CS", "CT", "C", "ABCD", "ABCDE", "CR", "MT", "TS", "LT", "RV", "cr", "中", "", "A1", "Cs",
	};
	static const char *const seps[] = { "--", "", "_", "\n" };
	static const char *const tails[] = {
		"-R1", "-R9", "-R0", "-R", "R1", "\n", "-R1\n", "x", "-01", " ", "中", "-R12",
	};
	static const int widths[] = { 3, 5, 9, 1, 0 };
	size_t n = 0;
	int parts = next() % 8 ? 2 : 1 + 2 * (int)(next() % 2);

	n += (size_t)sprintf(line + n, "%s", heads[next() % (sizeof(heads) / sizeof(heads[0]))]);
	for (int p = 0; p < parts; p++) {
		int w = next() % 4 ? (p == 0 ? (next() % 2 ? 8 : 4) : 2) :
				     widths[next() % (sizeof(widths) / sizeof(widths[0]))];
		n += (size_t)sprintf(line + n, "%s", next() % 8 ? "-" :
					 seps[next() % (sizeof(seps) / sizeof(seps[0]))]);
		for (int i = 0; i < w; i++)
			line[n++] = (char)('0' + next() % 10);
	}
	if (next() % 2)
		n += (size_t)sprintf(line + n, "%s", tails[next() % (sizeof(tails) / sizeof(tails[0]))]);
	line[n] = '\0';
	return n;
}

static int one(const char *src, const char *const *names, size_t (*gen)(char *), long *same)
{
	const char *err;
	int col, fails = 0;
	long matched = 0;
	struct pattern *fast = pattern_compile(src, &err, &col);
	char *slow_src = malloc(strlen(src) + 5);
	struct pattern *slow;

	sprintf(slow_src, "(?:)%s", src);
	slow = pattern_compile(slow_src, &err, &col);
	if (!fast || !slow) {
		fprintf(stderr, "pattern: '%s' does not compile\n", src);
		return 1;
	}
	for (int round = 0; round < 300000 && fails < 20; round++) {
		char line[256];
		size_t n = 0;
		int k = 1 + (int)(next() % 10);
		int mf, ms;

		/* words mostly apart by one space, now and then not */
		for (int i = 0; !gen && i < k; i++) {
			unsigned r = next();
			const char *piece = pieces[r % (sizeof(pieces) / sizeof(pieces[0]))];
			size_t pn = strlen(piece);
			if (n + pn + 1 >= sizeof(line))
				break;
			memcpy(line + n, piece, pn);
			n += pn;
			if ((r >> 8) % 3 == 0)
				line[n++] = ' ';
		}
		line[n] = '\0';
		if (gen)
			n = gen(line);
		mf = pattern_match(fast, line, n);
		ms = pattern_match(slow, line, n);
		if (mf != ms) {
			fprintf(stderr, "pattern: '%s' on '%s': by hand %d, PCRE2 %d\n", src, line, mf, ms);
			fails++;
			continue;
		}
		(*same)++;
		if (mf != PM_MATCH)
			continue;
		matched++;
		for (int g = 0; names[g]; g++) {
			const char *a = NULL, *b = NULL;
			size_t an = 0, bn = 0;
			int ha = pattern_group(fast, names[g], &a, &an);
			int hb = pattern_group(slow, names[g], &b, &bn);
			if (ha != hb || (ha && (a != b || an != bn))) {
				fprintf(stderr, "pattern: '%s' on '%s': group %s differs\n", src, line, names[g]);
				fails++;
			}
		}
		{
			/* every pair, the duplicated names' numbers too */
			uint32_t sa[64], sb[64];
			unsigned pairs = pattern_pairs(fast);
			if (pairs > 32 || pairs != pattern_pairs(slow)) {
				fprintf(stderr, "pattern: '%s': pairs differ\n", src);
				return fails + 1;
			}
			pattern_save(fast, sa);
			pattern_save(slow, sb);
			if (memcmp(sa, sb, 2 * pairs * sizeof(uint32_t))) {
				fprintf(stderr, "pattern: '%s' on '%s': the pairs differ\n", src, line);
				fails++;
			}
		}
		{
			size_t ao, al, bo, bl;
			pattern_span(fast, &ao, &al);
			pattern_span(slow, &bo, &bl);
			if (ao != bo || al != bl) {
				fprintf(stderr, "pattern: '%s' on '%s': match span differs\n", src, line);
				fails++;
			}
		}
	}
	/* a test that never matches proves nothing of the groups */
	if (matched < 1000) {
		fprintf(stderr, "pattern: '%s' matched only %ld of the lines tried\n", src, matched);
		fails++;
	}
	pattern_free(fast);
	pattern_free(slow);
	free(slow_src);
	return fails;
}

/* UTF-8 of cp into b: its length */
static size_t put_utf8(char *b, unsigned cp)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | cp >> 18);
	b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	b[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Every character, between two words and at the start: a space to the
 * matcher by hand exactly when it is one to PCRE2 (\s with UCP) */
static int every_character(void)
{
	const char *err;
	int col, fails = 0;
	struct pattern *fast = pattern_compile(cases[1].src, &err, &col);
	char *slow_src = malloc(strlen(cases[1].src) + 5);
	struct pattern *slow;

	sprintf(slow_src, "(?:)%s", cases[1].src);
	slow = pattern_compile(slow_src, &err, &col);
	for (unsigned cp = 1; cp <= 0x10FFFF && fails < 20; cp++) {
		char line[16];
		size_t n;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		for (int at = 0; at < 2; at++) {
			const char *a = NULL, *b = NULL;
			size_t an = 0, bn = 0;
			int mf, ms;

			n = 0;
			if (at)
				line[n++] = 'x';
			n += put_utf8(line + n, cp);
			line[n++] = 'y';
			mf = pattern_match(fast, line, n);
			ms = pattern_match(slow, line, n);
			if (mf != ms || (mf == PM_MATCH &&
					 (!pattern_group(fast, "client", &a, &an) ||
					  !pattern_group(slow, "client", &b, &bn) || a != b || an != bn))) {
				fprintf(stderr, "pattern: U+%04X is judged otherwise by hand\n", cp);
				fails++;
			}
		}
	}
	pattern_free(fast);
	pattern_free(slow);
	free(slow_src);
	return fails;
}

int main(void)
{
	long same = 0;
	int fails = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		fails += one(cases[i].src, cases[i].names, cases[i].gen, &same);
	fails += every_character();
	if (fails)
		return 1;
	printf("pattern: %ld lines, by hand as PCRE2\n", same);
	return 0;
}
