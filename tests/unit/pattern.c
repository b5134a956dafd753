/*
 * Unit test of pattern.c's matchers by hand (issue 15): the journal
 * grammar's shipped line pattern is split without PCRE2 when the line
 * allows; it must answer exactly what PCRE2 answers, every group, on
 * random lines of the characters that matter: ASCII spaces (HT LF VT FF
 * CR space), Unicode spaces (U+3000, U+00A0, U+2028, U+0085, U+180E,
 * U+2000), letters, Chinese, '#', '!' -- and the same pattern given with
 * an empty group in front, which PCRE2 matches the same and which no
 * matcher by hand knows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/pattern.h"

static const char line_src[] =
	"^(?<date>\\S+)\\s+(?<time>\\S+)\\s+(?<who>\\S+)\\s+(?<verb>\\S+)(?:\\s+(?<rest>.*))?$";

static const char *const pieces[] = {
	" ", "  ", "\t", "\r", "\v", "\f", "\n", "a", "2026-11-02", "09:12", "li.ming",
	"call", "x", "#", "!", "中", "确认", "\xE3\x80\x80" /* U+3000 */,
	"\xC2\xA0" /* U+00A0 */, "\xE2\x80\xA8" /* U+2028 */, "\xC2\x85" /* U+0085 */,
	"\xE1\xA0\x8E" /* U+180E */, "\xE2\x80\x80" /* U+2000 */,
};

int main(void)
{
	const char *err;
	int col, fails = 0;
	struct pattern *fast = pattern_compile(line_src, &err, &col);
	char *slow_src = malloc(sizeof(line_src) + 4);
	struct pattern *slow;
	static const char *const names[] = { "date", "time", "who", "verb", "rest" };
	unsigned seed = 15;
	long hand = 0;

	sprintf(slow_src, "(?:)%s", line_src);
	slow = pattern_compile(slow_src, &err, &col);
	if (!fast || !slow) {
		fprintf(stderr, "pattern: does not compile\n");
		return 1;
	}
	for (int round = 0; round < 400000; round++) {
		char line[256];
		size_t n = 0;
		int k = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 12;
		int mf, ms;

		/* mostly well-formed words apart by one space, now and then not */
		for (int i = 0; i < k; i++) {
			unsigned r = (seed = seed * 1103515245 + 12345) >> 16;
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
		mf = pattern_match(fast, line, n);
		ms = pattern_match(slow, line, n);
		if (mf != ms) {
			fprintf(stderr, "pattern: '%s': by hand %d, PCRE2 %d\n", line, mf, ms);
			fails++;
			continue;
		}
		hand++;
		if (mf != PM_MATCH)
			continue;
		for (int g = 0; g < 5; g++) {
			const char *a = NULL, *b = NULL;
			size_t an = 0, bn = 0;
			int ha = pattern_group(fast, names[g], &a, &an);
			int hb = pattern_group(slow, names[g], &b, &bn);
			if (ha != hb || (ha && (a != b || an != bn))) {
				fprintf(stderr, "pattern: '%s': group %s differs\n", line, names[g]);
				fails++;
			}
		}
		{
			size_t ao, al, bo, bl;
			pattern_span(fast, &ao, &al);
			pattern_span(slow, &bo, &bl);
			if (ao != bo || al != bl) {
				fprintf(stderr, "pattern: '%s': match span differs\n", line);
				fails++;
			}
		}
		if (fails > 20)
			break;
	}
	pattern_free(fast);
	pattern_free(slow);
	free(slow_src);
	if (fails)
		return 1;
	printf("pattern: %ld lines, by hand as PCRE2\n", hand);
	return 0;
}
