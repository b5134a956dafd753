/* pattern_hand.c -- see pattern_hand.h */
#include "pattern_hand.h"

#include <string.h>

/*
 * \s with UCP is \p{Z}, \h and \v: besides ASCII's HT LF VT FF CR and
 * space, U+0085 U+00A0 U+1680 U+180E U+2000..U+200A U+2028 U+2029 U+202F
 * U+205F U+3000, whose lead bytes are C2, E1, E2 and E3.  Bytes: 0 part
 * of a \S character (continuation bytes included), 1 an ASCII space, 2
 * the lead byte of a character that may be a space.
 */
static const unsigned char byte_class[256] = {
	['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
	[0xC2] = 2, [0xE1] = 2, [0xE2] = 2, [0xE3] = 2,
};

/* The byte length of the \s character at s[i], or 0 (a \S one).  The
 * subject is valid UTF-8 (pattern.h). */
static size_t space_at(const unsigned char *s, size_t n, size_t i)
{
	unsigned c = s[i], b;

	if (byte_class[c] != 2)
		return byte_class[c];
	if (c == 0xC2)
		return i + 1 < n && (s[i + 1] == 0x85 || s[i + 1] == 0xA0) ? 2 : 0;
	if (i + 2 >= n)
		return 0;
	b = s[i + 2];
	switch (c) {
	case 0xE1:
		return (s[i + 1] == 0x9A && b == 0x80) || (s[i + 1] == 0xA0 && b == 0x8E) ? 3 : 0;
	case 0xE2:
		if (s[i + 1] == 0x80)
			return b <= 0x8A || b == 0xA8 || b == 0xA9 || b == 0xAF ? 3 : 0;
		return s[i + 1] == 0x81 && b == 0x9F ? 3 : 0;
	default:
		return s[i + 1] == 0x80 && b == 0x80 ? 3 : 0;
	}
}

/* past the \S+ run (or none) at i */
static size_t word_run(const unsigned char *s, size_t n, size_t i)
{
	for (;;) {
		while (i < n && !byte_class[s[i]])
			i++;
		if (i == n || space_at(s, n, i))
			return i;
		i++;	/* a lead byte of a character that is not a space */
	}
}

/* past the \s+ run (or none) at i */
static size_t space_run(const unsigned char *s, size_t n, size_t i)
{
	size_t k;

	while (i < n && (k = space_at(s, n, i)))
		i += k;
	return i;
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* The rest of the line from i, as '.*' then '$' take it, or -1 (a LF). */
static int rest(const unsigned char *s, size_t n, size_t i, size_t *ov, int g)
{
	if (memchr(s + i, '\n', n - i))
		return -1;
	ov[2 * g] = i;
	ov[2 * g + 1] = n;
	return 1;
}

static int done(size_t n, size_t *ov, uint32_t from, uint32_t ovn)
{
	ov[0] = 0;
	ov[1] = n;
	for (uint32_t k = from; k < ovn; k++)
		ov[2 * k] = ov[2 * k + 1] = SIZE_MAX;
	return 1;
}

/*
 * ^(?<date>\S+)\s+(?<time>\S+)\s+(?<who>\S+)\s+(?<verb>\S+)(?:\s+(?<rest>.*))?$
 * \S+ and \s+ meet where one ends, so each run is the longest: no other
 * split can match.
 */
static int journal_line(const char *str, size_t n, size_t *ov, uint32_t ovn)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	if (ovn < 6)
		return -1;
	for (int g = 1; g <= 4; g++) {
		size_t start;

		if (g > 1) {
			if (i == n)
				return 0;
			i = space_run(s, n, i);	/* the last run stopped at one */
		}
		start = i;
		i = word_run(s, n, i);
		if (i == start)
			return 0;
		ov[2 * g] = start;
		ov[2 * g + 1] = i;
	}
	ov[10] = ov[11] = SIZE_MAX;
	if (i < n && rest(s, n, space_run(s, n, i), ov, 5) < 0)
		return -1;
	return done(n, ov, 6, ovn);
}

/*
 * [verb call]: ^(?<client>\S+)(?:\s+(?<important>!))?(?:\s+(?<note>.*))?$
 * '!' is the important mark only when a space or the end follows it;
 * otherwise the note starts with it.
 */
static int verb_call(const char *str, size_t n, size_t *ov, uint32_t ovn)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, j;

	if (ovn < 4)
		return -1;
	i = word_run(s, n, 0);
	if (i == 0)
		return 0;
	ov[2] = 0;
	ov[3] = i;
	ov[4] = ov[5] = ov[6] = ov[7] = SIZE_MAX;
	if (i < n) {
		j = space_run(s, n, i);
		if (j < n && s[j] == '!' && (j + 1 == n || space_at(s, n, j + 1))) {
			ov[4] = j;
			ov[5] = j + 1;
			if (j + 1 < n && rest(s, n, space_run(s, n, j + 1), ov, 3) < 0)
				return -1;
		} else if (rest(s, n, j, ov, 3) < 0) {
			return -1;
		}
	}
	return done(n, ov, 4, ovn);
}

/*
 * [verb hours]: ^(?<job>\S+)\s+(?<hours>[0-9]+(?:\.[0-9]+)?)h?(?:\s+(?<note>.*))?$
 * Each part is the longest: a shorter one leaves a digit, '.' or 'h'
 * where only a space or the end may follow.
 */
static int verb_hours(const char *str, size_t n, size_t *ov, uint32_t ovn)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, j, k;

	if (ovn < 4)
		return -1;
	i = word_run(s, n, 0);
	if (i == 0 || i == n)
		return 0;
	ov[2] = 0;
	ov[3] = i;
	j = space_run(s, n, i);
	k = j;
	while (k < n && is_digit(s[k]))
		k++;
	if (k == j)
		return 0;
	if (k + 1 < n && s[k] == '.' && is_digit(s[k + 1])) {
		k++;
		while (k < n && is_digit(s[k]))
			k++;
	}
	ov[4] = j;
	ov[5] = k;
	if (k < n && s[k] == 'h')
		k++;
	ov[6] = ov[7] = SIZE_MAX;
	if (k < n) {
		if (!space_at(s, n, k))
			return 0;
		if (rest(s, n, space_run(s, n, k), ov, 3) < 0)
			return -1;
	}
	return done(n, ov, 4, ovn);
}

/* the length of the first of words[] at s[i..n), or 0 */
static size_t literal_at(const unsigned char *s, size_t n, size_t i, const char *const *words,
			 size_t nwords)
{
	for (size_t k = 0; k < nwords; k++) {
		size_t len;
		if (i == n || (unsigned char)words[k][0] != s[i])
			continue;
		len = strlen(words[k]);
		if (n - i >= len && !memcmp(s + i, words[k], len))
			return len;
	}
	return 0;
}

/* the tail every verb of the grammar ends with, (?:\s+(?<note>.*))?$,
 * from i: 1 (note in pair g, or unset at the end), 0 (a \S character
 * at i), -1 (a LF in the note) */
static int note_tail(const unsigned char *s, size_t n, size_t i, size_t *ov, int g)
{
	ov[2 * g] = ov[2 * g + 1] = SIZE_MAX;
	if (i == n)
		return 1;
	if (!space_at(s, n, i))
		return 0;
	return rest(s, n, space_run(s, n, i), ov, g);
}

/*
 * [verb sent]: (?J)^(?:(?<what>holiday)\s+(?<client>\S+)(?:\s+(?<holiday>\S+))?|
 * (?<what>callback)\s+(?<client>\S+)(?:\s+(?<satisfaction>满意|一般|不满意|satisfied|neutral|unsatisfied)(?=\s|$))?|
 * (?<what>weekly|monthly|plan|market|media|bizplan|finance|brand)\s+(?<client>\S+)|
 * (?<what>notice)\s+(?<meeting>\S+)|(?<what>report)\s+(?<contact>\S+)|(?<what>letter)\s+(?<letter>\S+)|
 * (?<what>summary|prep|tally|claim))(?:\s+(?<note>.*))?$
 * No word of one alternative begins another's, so the first word picks
 * the only alternative that can match; within it each run is the longest.
 * Pairs: what 1 4 7 9 11 13 15, client 2 5 8, holiday 3, satisfaction 6,
 * meeting 10, contact 12, letter 14, note 16.
 */
static int verb_sent(const char *str, size_t n, size_t *ov, uint32_t ovn)
{
	static const char *const holiday[] = { "holiday" }, *const callback[] = { "callback" },
		*const client[] = { "weekly", "monthly", "plan", "market", "media", "bizplan",
				    "finance", "brand" },
		*const notice[] = { "notice" }, *const report[] = { "report" },
		*const letter[] = { "letter" }, *const alone[] = { "summary", "prep", "tally", "claim" },
		*const sat[] = { "满意", "一般", "不满意", "satisfied", "neutral", "unsatisfied" };
	static const struct {
		const char *const *words;
		size_t nwords;
		int what, arg;	/* pairs; arg 0: none */
	} alts[] = {
		{ holiday, 1, 1, 2 }, { callback, 1, 4, 5 }, { client, 8, 7, 8 }, { notice, 1, 9, 10 },
		{ report, 1, 11, 12 }, { letter, 1, 13, 14 }, { alone, 4, 15, 0 },
	};
	const unsigned char *s = (const unsigned char *)str;
	size_t i, k, len = 0;
	int a, r;

	if (ovn < 17)
		return -1;
	for (a = 0; a < (int)(sizeof(alts) / sizeof(alts[0])); a++)
		if ((len = literal_at(s, n, 0, alts[a].words, alts[a].nwords)))
			break;
	if (!len)
		return 0;
	for (k = 1; k < 17; k++)
		ov[2 * k] = ov[2 * k + 1] = SIZE_MAX;
	ov[2 * alts[a].what] = 0;
	ov[2 * alts[a].what + 1] = len;
	i = len;
	if (alts[a].arg) {
		size_t start;
		if (i == n || !space_at(s, n, i))
			return 0;
		start = space_run(s, n, i);
		i = word_run(s, n, start);
		if (i == start)
			return 0;
		ov[2 * alts[a].arg] = start;
		ov[2 * alts[a].arg + 1] = i;
		if (alts[a].what == 1 && i < n) {
			/* (?:\s+(?<holiday>\S+))? */
			size_t hs = space_run(s, n, i), he = word_run(s, n, hs);
			if (he > hs) {
				ov[6] = hs;
				ov[7] = he;
				i = he;
			}
		} else if (alts[a].what == 4 && i < n) {
			/* (?:\s+(?<satisfaction>...)(?=\s|$))? */
			size_t ws = space_run(s, n, i), wl = literal_at(s, n, ws, sat, 6);
			if (wl && (ws + wl == n || space_at(s, n, ws + wl))) {
				ov[12] = ws;
				ov[13] = ws + wl;
				i = ws + wl;
			}
		}
	}
	r = note_tail(s, n, i, ov, 16);
	if (r <= 0)
		return r;
	ov[0] = 0;
	ov[1] = n;
	for (k = 17; k < ovn; k++)
		ov[2 * k] = ov[2 * k + 1] = SIZE_MAX;
	return 1;
}

/* -- the shipped numbering of ae.ini (config.c), matched for every
 * record's identifier: no '.', no \s; '$' also matches before a final
 * LF, so a LF anywhere is left to PCRE2 */

static int digits_at(const char *s, size_t n, size_t at, size_t k)
{
	if (at + k > n)
		return 0;
	for (size_t i = at; i < at + k; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void unset_from(size_t *ov, uint32_t from, uint32_t ovn)
{
	for (uint32_t k = from; k < ovn; k++)
		ov[2 * k] = ov[2 * k + 1] = SIZE_MAX;
}

/* ^(?<dept>[A-Z]{2,4})-(?<yymm>[0-9]{4})-(?<seq>[0-9]{2})(?:-R(?<rev>[1-9]))?$ */
static int id_job(const char *s, size_t n, size_t *ov, uint32_t ovn)
{
	size_t d = 0, at;

	if (ovn < 5 || memchr(s, '\n', n))
		return -1;
	/* [A-Z]{2,4} then '-': a fifth letter leaves no '-' to backtrack to */
	while (d < n && d < 5 && s[d] >= 'A' && s[d] <= 'Z')
		d++;
	if (d < 2 || d > 4 || d >= n || s[d] != '-' || !digits_at(s, n, d + 1, 4) ||
	    d + 5 >= n || s[d + 5] != '-' || !digits_at(s, n, d + 6, 2))
		return 0;
	at = d + 8;
	ov[2] = 0;
	ov[3] = d;
	ov[4] = d + 1;
	ov[5] = d + 5;
	ov[6] = d + 6;
	ov[7] = at;
	if (at == n) {
		ov[8] = ov[9] = SIZE_MAX;
	} else if (at + 3 == n && s[at] == '-' && s[at + 1] == 'R' && s[at + 2] >= '1' &&
		   s[at + 2] <= '9') {
		ov[8] = at + 2;
		ov[9] = n;
	} else {
		return 0;
	}
	ov[0] = 0;
	ov[1] = n;
	unset_from(ov, 5, ovn);
	return 1;
}

/* ^XX-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$ for the prefix XX */
static int id_dated(const char *s, size_t n, size_t *ov, uint32_t ovn, const char *xx)
{
	if (ovn < 3 || memchr(s, '\n', n))
		return -1;
	if (n != 14 || s[0] != xx[0] || s[1] != xx[1] || s[2] != '-' || !digits_at(s, n, 3, 8) ||
	    s[11] != '-' || !digits_at(s, n, 12, 2))
		return 0;
	ov[0] = 0;
	ov[1] = n;
	ov[2] = 3;
	ov[3] = 11;
	ov[4] = 12;
	ov[5] = 14;
	unset_from(ov, 3, ovn);
	return 1;
}

static int id_contact(const char *s, size_t n, size_t *ov, uint32_t ovn)
{
	return id_dated(s, n, ov, ovn, "CR");
}

static int id_meeting(const char *s, size_t n, size_t *ov, uint32_t ovn)
{
	return id_dated(s, n, ov, ovn, "MT");
}

static int id_complaint(const char *s, size_t n, size_t *ov, uint32_t ovn)
{
	return id_dated(s, n, ov, ovn, "TS");
}

static int id_letter(const char *s, size_t n, size_t *ov, uint32_t ovn)
{
	return id_dated(s, n, ov, ovn, "LT");
}

static int id_review(const char *s, size_t n, size_t *ov, uint32_t ovn)
{
	return id_dated(s, n, ov, ovn, "RV");
}

static const struct {
	const char *src;
	pattern_hand_fn fn;
} known[] = {
	{ "^(?<dept>[A-Z]{2,4})-(?<yymm>[0-9]{4})-(?<seq>[0-9]{2})(?:-R(?<rev>[1-9]))?$", id_job },
	{ "^CR-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$", id_contact },
	{ "^MT-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$", id_meeting },
	{ "^TS-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$", id_complaint },
	{ "^LT-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$", id_letter },
	{ "^RV-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$", id_review },
	{ "^(?<date>\\S+)\\s+(?<time>\\S+)\\s+(?<who>\\S+)\\s+(?<verb>\\S+)(?:\\s+(?<rest>.*))?$",
	  journal_line },
	{ "^(?<client>\\S+)(?:\\s+(?<important>!))?(?:\\s+(?<note>.*))?$", verb_call },
	{ "^(?<job>\\S+)\\s+(?<hours>[0-9]+(?:\\.[0-9]+)?)h?(?:\\s+(?<note>.*))?$", verb_hours },
	{ "(?J)^(?:(?<what>holiday)\\s+(?<client>\\S+)(?:\\s+(?<holiday>\\S+))?|(?<what>callback)\\s+(?<client>\\S+)(?:\\s+(?<satisfaction>满意|一般|不满意|satisfied|neutral|unsatisfied)(?=\\s|$))?|(?<what>weekly|monthly|plan|market|media|bizplan|finance|brand)\\s+(?<client>\\S+)|(?<what>notice)\\s+(?<meeting>\\S+)|(?<what>report)\\s+(?<contact>\\S+)|(?<what>letter)\\s+(?<letter>\\S+)|(?<what>summary|prep|tally|claim))(?:\\s+(?<note>.*))?$",
	  verb_sent },
};

pattern_hand_fn pattern_hand(const char *src)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(src, known[i].src))
			return known[i].fn;
	return NULL;
}
