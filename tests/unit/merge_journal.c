/*
 * Unit tests of the three-way journal merge (merge_journal.c): added
 * lines kept in time order, deleted lines kept deleted, a line corrected
 * differently on both sides a conflict and never two lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/merge_conflict.h"
#include "../../src/merge_journal.h"

static int failures, checks;

static void expect_merge(int line, const char *b, const char *o, const char *t,
			 const char *want, int want_conflicts)
{
	struct merge_result r;
	struct strbuf out = STRBUF_INIT;
	int n = merge_journal(b, strlen(b), o, strlen(o), t, strlen(t), &r);

	merge_result_render(&r, &out);
	checks++;
	if (n != want_conflicts || strcmp(out.buf ? out.buf : "", want)) {
		printf("merge_journal.c:%d: %d conflicts (want %d)\n--- got\n%s---\n--- want\n%s---\n",
		       line, n, want_conflicts, out.buf ? out.buf : "", want);
		failures++;
	}
	merge_result_release(&r);
	sb_release(&out);
}

#define MERGE(b, o, t, want, nc) expect_merge(__LINE__, b, o, t, want, nc)

#define EXPECT(cond)                                                          \
	do {                                                                  \
		checks++;                                                     \
		if (!(cond)) {                                                \
			printf("merge_journal.c:%d: %s\n", __LINE__, #cond);  \
			failures++;                                           \
		}                                                             \
	} while (0)

#define L1 "2026-11-20 09:10 li.ming call SH-202603-COKE-007 确认排期\n"
#define L2 "2026-11-20 17:35 li.ming hours CS-2611-01 10 排版\n"
#define L3 "2026-11-20 17:40 zhao.lei hours CT-2611-01 2 流程\n"

static void additions(void)
{
	/* both append: interleaved by time */
	MERGE(L1 L2,
	      L1 L2 "2026-11-21 10:00 li.ming call SH-202603-COKE-007 a\n"
		    "2026-11-21 15:00 li.ming call SH-202603-COKE-007 c\n",
	      L1 L2 "2026-11-21 11:00 wang.fang call SH-202603-COKE-007 b\n",
	      L1 L2 "2026-11-21 10:00 li.ming call SH-202603-COKE-007 a\n"
		    "2026-11-21 11:00 wang.fang call SH-202603-COKE-007 b\n"
		    "2026-11-21 15:00 li.ming call SH-202603-COKE-007 c\n", 0);
	/* the same line added on both sides: once */
	MERGE(L1, L1 L2, L1 L2 L3, L1 L2 L3, 0);
	/* a comment travels with the line above it */
	MERGE(L1,
	      L1 "2026-11-21 10:00 li.ming call X a\n# moved to the 22nd\n",
	      L1 "2026-11-21 09:00 wang.fang call X b\n",
	      L1 "2026-11-21 09:00 wang.fang call X b\n2026-11-21 10:00 li.ming call X a\n"
		 "# moved to the 22nd\n", 0);
	/* from an empty file (a month both started) */
	MERGE("", L1, L3, L1 L3, 0);
}

static void deletions(void)
{
	/* deleted on one side, untouched on the other: stays deleted */
	MERGE(L1 L2 L3, L1 L3, L1 L2 L3 "2026-11-21 09:00 wang.fang call X b\n",
	      L1 L3 "2026-11-21 09:00 wang.fang call X b\n", 0);
	/* deleted on both */
	MERGE(L1 L2 L3, L1 L3, L1 L3, L1 L3, 0);
	/* changed on one side, deleted on the other: a conflict */
	MERGE(L1 L2 L3, L1 L3, L1 "2026-11-20 17:35 li.ming hours CS-2611-01 11 排版\n" L3,
	      L1 "<<<<<<< ours line-2\n||||||| base line-2\n" L2 "=======\n"
		 "2026-11-20 17:35 li.ming hours CS-2611-01 11 排版\n>>>>>>> theirs line-2\n" L3, 1);
}

static void corrections(void)
{
	const char *o = L1 "2026-11-20 17:35 li.ming hours CS-2611-01 11 排版\n" L3;
	const char *t = L1 "2026-11-20 17:35 li.ming hours CS-2611-01 11.5 排版\n" L3
			"2026-11-21 09:00 wang.fang call X b\n";
	struct merge_result r;
	struct strbuf out = STRBUF_INIT;

	/* corrected on one side: taken */
	MERGE(L1 L2 L3, o, L1 L2 L3, o, 0);
	/* corrected alike on both: once */
	MERGE(L1 L2 L3, o, o, o, 0);
	/* corrected differently: a conflict on that line, the rest merged */
	MERGE(L1 L2 L3, o, t,
	      L1 "<<<<<<< ours line-2\n2026-11-20 17:35 li.ming hours CS-2611-01 11 排版\n"
		 "||||||| base line-2\n" L2 "=======\n"
		 "2026-11-20 17:35 li.ming hours CS-2611-01 11.5 排版\n>>>>>>> theirs line-2\n"
		 L3 "2026-11-21 09:00 wang.fang call X b\n", 1);
	/* settled: exactly one of the two lines */
	EXPECT(merge_journal(L1 L2 L3, strlen(L1 L2 L3), o, strlen(o), t, strlen(t), &r) == 1);
	merge_result_render(&r, &out);
	{
		struct strbuf res = STRBUF_INIT;
		EXPECT(conflict_resolve(out.buf, out.len, "line-2", MS_THEIRS, &res) == 0);
		EXPECT(!strcmp(res.buf, t));
		sb_release(&res);
	}
	merge_result_release(&r);
	sb_release(&out);
	/* the correction of a line's time, with a line added after it */
	MERGE(L1 L2, L1 "2026-11-20 17:53 li.ming hours CS-2611-01 10 排版\n", L1 L2 L3,
	      L1 "2026-11-20 17:53 li.ming hours CS-2611-01 10 排版\n" L3, 0);
	/* which commit changed a line */
	EXPECT(merge_journal_line_gone(L1 L2, strlen(L1 L2), o, strlen(o), L2, strlen(L2) - 1));
	EXPECT(!merge_journal_line_gone(L1 L2, strlen(L1 L2), o, strlen(o), L1, strlen(L1) - 1));
}

static void line_ends(void)
{
	/* a last line without its line end gets one when lines follow */
	MERGE("2026-11-20 09:10 li.ming call X a",
	      "2026-11-20 09:10 li.ming call X a\n2026-11-20 10:00 li.ming call X b",
	      "2026-11-20 09:10 li.ming call X a\n2026-11-20 11:00 zhao.lei call X c\n",
	      "2026-11-20 09:10 li.ming call X a\n2026-11-20 10:00 li.ming call X b\n"
	      "2026-11-20 11:00 zhao.lei call X c\n", 0);
	/* CRLF */
	MERGE("2026-11-20 09:10 a call X\r\n", "2026-11-20 09:10 a call X\r\n2026-11-20 10:00 b call X\r\n",
	      "2026-11-20 09:10 a call X\r\n2026-11-20 09:30 c call X\r\n",
	      "2026-11-20 09:10 a call X\r\n2026-11-20 09:30 c call X\r\n2026-11-20 10:00 b call X\r\n", 0);
}

static void big(void)
{
	/* a department's month: 100,000 lines, each side adding at the end
	 * and one correcting a line in the middle */
	struct strbuf b = STRBUF_INIT, o = STRBUF_INIT, t = STRBUF_INIT, out = STRBUF_INIT;
	struct merge_result r;
	int n;

	for (int i = 0; i < 100000; i++)
		sb_addf(&b, "2026-11-%02d %02d:%02d li.ming call X line %d\n", 1 + i / 4000,
			(i / 60) % 24, i % 60, i);
	sb_add(&o, b.buf, b.len);
	sb_add(&t, b.buf, b.len);
	{
		char *mid = strstr(t.buf, " line 50000\n");
		memcpy(mid, " LINE", 5);	/* corrected in place */
	}
	for (int i = 0; i < 10; i++) {
		sb_addf(&o, "2026-11-30 10:%02d li.ming call X ours %d\n", i * 2, i);
		sb_addf(&t, "2026-11-30 10:%02d wang.fang call X theirs %d\n", i * 2 + 1, i);
	}
	n = merge_journal(b.buf, b.len, o.buf, o.len, t.buf, t.len, &r);
	merge_result_render(&r, &out);
	EXPECT(n == 0);
	EXPECT(out.len == b.len + (o.len - b.len) + (t.len - b.len));
	EXPECT(strstr(out.buf, " LINE 50000\n") != NULL);
	EXPECT(strstr(out.buf, "10:00 li.ming call X ours 0\n2026-11-30 10:01 wang.fang call X theirs 0\n") != NULL);
	merge_result_release(&r);
	sb_reset(&out);
	/* more changes than the diff follows line by line (a renumber on
	 * one side: 4,000 lines across the month), one on the other side */
	for (size_t i = 0, k = 0; i < t.len; i++)
		if (t.buf[i] == 'X' && k++ % 25 == 0)
			t.buf[i] = 'Y';
	{
		char *mid = strstr(o.buf, " line 70001\n");
		memcpy(mid, " LINE", 5);
	}
	n = merge_journal(b.buf, b.len, o.buf, o.len, t.buf, t.len, &r);
	merge_result_render(&r, &out);
	EXPECT(n == 0);
	EXPECT(strstr(out.buf, "call X LINE 70001\n") != NULL);
	EXPECT(strstr(out.buf, "call Y line 25\n") != NULL);
	EXPECT(strstr(out.buf, "call X line 25\n") == NULL);
	EXPECT(out.len == t.len + (o.len - b.len));
	merge_result_release(&r);
	sb_release(&b);
	sb_release(&o);
	sb_release(&t);
	sb_release(&out);
}

int main(void)
{
	additions();
	deletions();
	corrections();
	line_ends();
	big();
	printf("%d checks, %d failures\n", checks, failures);
	return failures != 0;
}
