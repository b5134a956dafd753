/*
 * pattern_hand.h -- the busiest shipped patterns matched by hand (issue
 * 15): the journal grammar's line pattern and its verbs 'call', 'hours'
 * and 'sent' (formats/journal.ini), and the numbering of job tickets,
 * contact reports, meetings, complaints, letters and reviews (ae.ini's
 * [numbering] as ae init writes it), known by their exact source.  Each answers exactly as PCRE2 with UTF and UCP does (\s is
 * \p{Z}, \h and \v: U+3000 is a space); a LF where '.' would meet it
 * is left to PCRE2.  tests/unit/pattern.c holds each to PCRE2 on random
 * lines, every capture pair, and every character as a space or not.
 */
#ifndef AE_PATTERN_HAND_H
#define AE_PATTERN_HAND_H

#include <stddef.h>
#include <stdint.h>

/*
 * Match s[0..n): 1, with the capture pairs in ov (ovn pairs; an unset
 * group SIZE_MAX, which is PCRE2_UNSET), as PCRE2 sets them; 0 no match;
 * -1 PCRE2 must say (ov may have been written).
 */
typedef int (*pattern_hand_fn)(const char *s, size_t n, size_t *ov, uint32_t ovn);

/* The matcher of the pattern whose source is src, or NULL.  Valid only
 * where '.' stops at LF alone (the library's default newline). */
pattern_hand_fn pattern_hand(const char *src);

#endif
