/*
 * Unit tests of the field-aware record merge (merge_record.c) and of the
 * conflict blocks it writes (merge_conflict.c): each case is a base, an
 * ours and a theirs, with the merged text expected byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/merge_conflict.h"
#include "../../src/merge_lines.h"
#include "../../src/merge_record.h"

static int failures, checks;

static void show(const char *what, const char *s)
{
	printf("--- %s\n%s\n---\n", what, s);
}

/* Merge and compare with want; want_conflicts the expected count. */
static void expect_merge(int line, const char *b, const char *o, const char *t,
			 const char *want, int want_conflicts)
{
	struct merge_result r;
	struct strbuf out = STRBUF_INIT;
	int n = merge_record(b, strlen(b), o, strlen(o), t, strlen(t), &r);

	merge_result_render(&r, &out);
	checks++;
	if (n != want_conflicts || strcmp(out.buf ? out.buf : "", want)) {
		printf("merge_record.c:%d: %d conflicts (want %d)\n", line, n, want_conflicts);
		show("got", out.buf ? out.buf : "");
		show("want", want);
		failures++;
	}
	/* the merge is symmetric where it is clean */
	if (!want_conflicts) {
		struct merge_result r2;
		struct strbuf out2 = STRBUF_INIT;
		int n2 = merge_record(b, strlen(b), t, strlen(t), o, strlen(o), &r2);
		merge_result_render(&r2, &out2);
		checks++;
		if (n2) {
			printf("merge_record.c:%d: swapped sides conflict\n", line);
			show("got", out2.buf ? out2.buf : "");
			failures++;
		}
		merge_result_release(&r2);
		sb_release(&out2);
	}
	merge_result_release(&r);
	sb_release(&out);
}

#define MERGE(b, o, t, want, nc) expect_merge(__LINE__, b, o, t, want, nc)

#define EXPECT(cond)                                                          \
	do {                                                                  \
		checks++;                                                     \
		if (!(cond)) {                                                \
			printf("merge_record.c:%d: %s\n", __LINE__, #cond);   \
			failures++;                                           \
		}                                                             \
	} while (0)

static const char job[] =
	"[job]\n"
	"id = CS-2611-01\n"
	"client = SH-202603-COKE-007\n"
	"; the client asked for the 27th\n"
	"client_due = 2026-11-27 18:00\n"
	"internal_due = 2026-11-27 10:00\n"
	"status = in-progress\n"
	"description =\n"
	"    双十二门店促销物料：堆头围板、货架贴、吊旗三类，\n"
	"    含打样、大货印刷、分拣及物流配送到仓。\n"
	"progress =\n"
	"    11-09 提交报价及打样。\n"
	"    11-10 客户书面确认报价。\n"
	"next = 大货到仓\n";

/* job with one line replaced: from -> to */
static char *with(const char *text, const char *from, const char *to)
{
	static char bufs[32][4096];
	static int k;
	char *b = bufs[k++ % 32];
	const char *at = strstr(text, from);

	if (!at) {
		printf("test bug: '%s' not in text\n", from);
		failures++;
		snprintf(b, 4096, "%s", text);
		return b;
	}
	snprintf(b, 4096, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return b;
}

static void adjacent_fields(void)
{
	/* different, adjacent fields: one each */
	const char *o = with(job, "internal_due = 2026-11-27 10:00\n", "internal_due = 2026-11-27 09:00\n");
	const char *t = with(job, "status = in-progress\n", "status = delivered\n");
	char want[4096];

	snprintf(want, sizeof(want), "%s", with(o, "status = in-progress\n", "status = delivered\n"));
	MERGE(job, o, t, want, 0);
	/* the same change on both sides: once */
	MERGE(job, t, t, t, 0);
	/* a change on one side, nothing on the other */
	MERGE(job, job, t, t, 0);
}

static void same_field(void)
{
	const char *o = with(job, "status = in-progress\n", "status = delivered\n");
	const char *t = with(with(job, "status = in-progress\n", "status = on-hold\n"),
			     "next = 大货到仓\n", "next = 等客户确认\n");
	const char *want =
		"[job]\n"
		"id = CS-2611-01\n"
		"client = SH-202603-COKE-007\n"
		"; the client asked for the 27th\n"
		"client_due = 2026-11-27 18:00\n"
		"internal_due = 2026-11-27 10:00\n"
		"<<<<<<< ours status\n"
		"status = delivered\n"
		"||||||| base status\n"
		"status = in-progress\n"
		"=======\n"
		"status = on-hold\n"
		">>>>>>> theirs status\n"
		"description =\n"
		"    双十二门店促销物料：堆头围板、货架贴、吊旗三类，\n"
		"    含打样、大货印刷、分拣及物流配送到仓。\n"
		"progress =\n"
		"    11-09 提交报价及打样。\n"
		"    11-10 客户书面确认报价。\n"
		"next = 等客户确认\n";
	struct strbuf out = STRBUF_INIT;

	MERGE(job, o, t, want, 1);
	/* settled mechanically: each side gives a record with that side's value */
	EXPECT(conflict_resolve(want, strlen(want), "status", MS_THEIRS, &out) == 0);
	EXPECT(!strcmp(out.buf, with(with(job, "status = in-progress\n", "status = on-hold\n"),
				     "next = 大货到仓\n", "next = 等客户确认\n")));
	EXPECT(conflict_resolve(want, strlen(want), "status", MS_OURS, &out) == 0);
	EXPECT(!strcmp(out.buf, with(with(job, "status = in-progress\n", "status = delivered\n"),
				     "next = 大货到仓\n", "next = 等客户确认\n")));
	EXPECT(conflict_resolve(want, strlen(want), "next", MS_OURS, &out) == -1);
	sb_release(&out);
}

static void layout_only(void)
{
	/* both set the same value, laid out differently: no conflict, ours kept */
	const char *o = with(job, "status = in-progress\n", "status = delivered\n");
	const char *t = with(job, "status = in-progress\n", "status   =   delivered\n");

	MERGE(job, o, t, o, 0);
}

static void multiline(void)
{
	/* different lines of one multi-line value */
	const char *o = with(job, "    11-09 提交报价及打样。\n", "    11-09 提交报价及打样（两版）。\n");
	const char *t = with(job, "    11-10 客户书面确认报价。\n", "    11-10 客户邮件确认报价。\n");
	const char *both = with(o, "    11-10 客户书面确认报价。\n", "    11-10 客户邮件确认报价。\n");
	/* both add a line at the end of a value: both kept, ours first */
	const char *oa = with(job, "    11-10 客户书面确认报价。\n", "    11-10 客户书面确认报价。\n    11-20 大货开印。\n");
	const char *ta = with(job, "    11-10 客户书面确认报价。\n", "    11-10 客户书面确认报价。\n    11-21 物流排期。\n");
	const char *wa = with(job, "    11-10 客户书面确认报价。\n",
			      "    11-10 客户书面确认报价。\n    11-20 大货开印。\n    11-21 物流排期。\n");
	/* the same line changed differently: a conflict on that field */
	const char *oc = with(job, "    11-09 提交报价及打样。\n", "    11-09 提交报价。\n");
	const char *tc = with(with(job, "    11-09 提交报价及打样。\n", "    11-09 提交打样。\n"),
			      "    11-10 客户书面确认报价。\n", "    11-11 客户书面确认报价。\n");
	const char *wc =
		"[job]\n"
		"id = CS-2611-01\n"
		"client = SH-202603-COKE-007\n"
		"; the client asked for the 27th\n"
		"client_due = 2026-11-27 18:00\n"
		"internal_due = 2026-11-27 10:00\n"
		"status = in-progress\n"
		"description =\n"
		"    双十二门店促销物料：堆头围板、货架贴、吊旗三类，\n"
		"    含打样、大货印刷、分拣及物流配送到仓。\n"
		"<<<<<<< ours progress\n"
		"progress =\n"
		"    11-09 提交报价。\n"
		"    11-11 客户书面确认报价。\n"
		"||||||| base progress\n"
		"progress =\n"
		"    11-09 提交报价及打样。\n"
		"    11-10 客户书面确认报价。\n"
		"=======\n"
		"progress =\n"
		"    11-09 提交打样。\n"
		"    11-11 客户书面确认报价。\n"
		">>>>>>> theirs progress\n"
		"next = 大货到仓\n";

	MERGE(job, o, t, both, 0);
	MERGE(job, oa, ta, wa, 1 - 1);
	MERGE(job, oc, tc, wc, 1);
}

static const char cr[] =
	"[contact]\n"
	"id = CR-20261124-01\n"
	"subject = 邀请函修改意见补充\n"
	"actions =\n"
	"    [x] 2026-11-24 @zhou.ting 通知创意部补充修改\n"
	"    [ ] 2026-11-27 @zhou.ting 报伴手礼三款样品及报价\n"
	"    [ ] 2026-11-28 @li.ming 确认签到二维码\n"
	"sent = 2026-11-24 17:40\n";

static void action_items(void)
{
	/* a tick on one side, the text reworded on the other: one ticked item */
	const char *o = with(cr, "    [ ] 2026-11-27 @zhou.ting", "    [x] 2026-11-27 @zhou.ting");
	const char *t = with(cr, "报伴手礼三款样品及报价\n", "报伴手礼三款样品及报价（含运费）\n");
	const char *w = with(o, "报伴手礼三款样品及报价\n", "报伴手礼三款样品及报价（含运费）\n");
	/* ticks of neighbouring items on each side */
	const char *o2 = with(cr, "    [ ] 2026-11-27", "    [x] 2026-11-27");
	const char *t2 = with(cr, "    [ ] 2026-11-28", "    [X] 2026-11-28");
	const char *w2 = with(o2, "    [ ] 2026-11-28", "    [X] 2026-11-28");
	/* both reword the same item differently: a conflict */
	const char *o3 = with(cr, "报伴手礼三款样品及报价\n", "报伴手礼两款样品\n");
	const char *t3 = with(cr, "报伴手礼三款样品及报价\n", "报伴手礼四款样品\n");
	/* an item added by each side at the end: both kept */
	const char *o4 = with(cr, "确认签到二维码\n", "确认签到二维码\n    [ ] 2026-11-30 @li.ming 寄样品\n");
	const char *t4 = with(cr, "确认签到二维码\n", "确认签到二维码\n    [ ] 2026-12-01 @zhou.ting 回访\n");
	const char *w4 = with(o4, "寄样品\n", "寄样品\n    [ ] 2026-12-01 @zhou.ting 回访\n");

	MERGE(cr, o, t, w, 0);
	MERGE(cr, o2, t2, w2, 0);
	{
		struct merge_result r;
		EXPECT(merge_record(cr, strlen(cr), o3, strlen(o3), t3, strlen(t3), &r) == 1);
		EXPECT(r.conflicts == 1);
		merge_result_release(&r);
	}
	MERGE(cr, o4, t4, w4, 0);
}

static void fields_added_and_deleted(void)
{
	/* theirs adds a field after 'status'; ours deletes 'next' */
	const char *t = with(job, "status = in-progress\n", "status = in-progress\nconfirmed = 2026-11-10\n");
	const char *o = with(job, "next = 大货到仓\n", "");
	const char *w = with(o, "status = in-progress\n", "status = in-progress\nconfirmed = 2026-11-10\n");
	/* deleted on one side, changed on the other: a conflict */
	const char *t2 = with(job, "next = 大货到仓\n", "next = 大货到仓（11月27日）\n");
	const char *w2 = with(job, "next = 大货到仓\n",
			      "<<<<<<< ours next\n"
			      "||||||| base next\n"
			      "next = 大货到仓\n"
			      "=======\n"
			      "next = 大货到仓（11月27日）\n"
			      ">>>>>>> theirs next\n");
	/* both add the same field differently */
	const char *o3 = with(job, "next = 大货到仓\n", "next = 大货到仓\nbudget = 100.00\n");
	const char *t3 = with(job, "next = 大货到仓\n", "next = 大货到仓\nbudget = 120.00\n");

	MERGE(job, o, t, w, 0);
	MERGE(job, o, t2, w2, 1);
	{
		struct merge_result r;
		EXPECT(merge_record(job, strlen(job), o3, strlen(o3), t3, strlen(t3), &r) == 1);
		merge_result_release(&r);
	}
}

static void comments_and_layout(void)
{
	/* a comment changed on one side, a field on the other */
	const char *o = with(job, "; the client asked for the 27th\n", "; the client asked for the 27th, by phone\n");
	const char *t = with(job, "client_due = 2026-11-27 18:00\n", "client_due = 2026-11-28 18:00\n");
	const char *w = with(o, "client_due = 2026-11-27 18:00\n", "client_due = 2026-11-28 18:00\n");
	/* both changed the comment: both kept, no conflict */
	const char *t2 = with(job, "; the client asked for the 27th\n", "; asked on 11-02\n");
	const char *w2 = with(job, "; the client asked for the 27th\n",
			      "; the client asked for the 27th, by phone\n; asked on 11-02\n");
	/* CRLF files stay CRLF, a missing final line end stays missing */
	const char *bc = "[job]\r\nid = X\r\nstatus = a\r\nnext = n";
	const char *oc = "[job]\r\nid = X\r\nstatus = b\r\nnext = n";
	const char *tc = "[job]\r\nid = X\r\nstatus = a\r\nnext = m";

	MERGE(job, o, t, w, 0);
	MERGE(job, o, t2, w2, 0);
	MERGE(bc, oc, tc, "[job]\r\nid = X\r\nstatus = b\r\nnext = m", 0);
}

static void unparsable_and_new(void)
{
	/* a side with a syntax error merges by lines */
	const char *b = "[job]\nid = X\nstatus = a\nnext = n\n";
	const char *o = "[job]\nid = X\nstatus = a\nnext = n\nthis is not a field\n";
	const char *t = "[job]\nid = X\nstatus = b\nnext = n\n";
	struct merge_result r;

	MERGE(b, o, t, "[job]\nid = X\nstatus = b\nnext = n\nthis is not a field\n", 0);
	EXPECT(merge_record(b, strlen(b), o, strlen(o), t, strlen(t), &r) == 0 && r.by_lines);
	merge_result_release(&r);
	/* both made the file, differently: one conflict on the whole of it */
	MERGE("", "[job]\nid = X\ntitle = a\n", "[job]\nid = X\ntitle = b\n",
	      "<<<<<<< ours *\n[job]\nid = X\ntitle = a\n||||||| base *\n=======\n"
	      "[job]\nid = X\ntitle = b\n>>>>>>> theirs *\n", 1);
	/* both made it alike: once */
	MERGE("", "[job]\nid = X\n", "[job]\nid = X\n", "[job]\nid = X\n", 0);
}

static void several_sections(void)
{
	/* ae.ini: fields named with their section */
	const char *b = "[book]\nname = a\n\n[staff li.ming]\nname = 李明\nrank = AE\n\n[staff wang.fang]\nrank = AM\n";
	const char *o = "[book]\nname = a\n\n[staff li.ming]\nname = 李明\nrank = AM\n\n[staff wang.fang]\nrank = AM\n";
	const char *t = "[book]\nname = a\n\n[staff li.ming]\nname = 李明\nrank = AD\n\n[staff wang.fang]\nrank = AM\n\n[staff zhao.lei]\nrank = AE\n";
	struct merge_result r;
	struct strbuf out = STRBUF_INIT;

	EXPECT(merge_record(b, strlen(b), o, strlen(o), t, strlen(t), &r) == 1);
	EXPECT(r.conflicts == 1);
	merge_result_render(&r, &out);
	EXPECT(strstr(out.buf, "<<<<<<< ours [staff li.ming] rank\n") != NULL);
	EXPECT(strstr(out.buf, "[staff zhao.lei]\nrank = AE\n") != NULL);
	EXPECT(merge_record_field_differs(o, strlen(o), t, strlen(t), "[staff li.ming] rank"));
	EXPECT(!merge_record_field_differs(o, strlen(o), t, strlen(t), "[book] name"));
	merge_result_release(&r);
	sb_release(&out);
}

static void order_and_line_ends(void)
{
	/* theirs reordered the fields, ours changed one: theirs' order, ours' value */
	const char *b = "[job]\nid = X\ntitle = t\nstatus = a\nnext = n\n";
	const char *o = "[job]\nid = X\ntitle = t\nstatus = b\nnext = n\n";
	const char *t = "[job]\nid = X\nnext = n\ntitle = t\nstatus = a\n";
	/* a conflict in a CRLF file: the markers end in CRLF too */
	const char *bc = "[job]\r\nid = X\r\nstatus = a\r\n";
	const char *oc = "[job]\r\nid = X\r\nstatus = b\r\n";
	const char *tc = "[job]\r\nid = X\r\nstatus = c\r\n";
	/* deleted on both sides: gone, with the comment above it */
	const char *bd = "[job]\nid = X\n; why\nnext = n\nstatus = a\n";
	const char *od = "[job]\nid = X\nstatus = a\n";
	const char *td = "[job]\nid = X\nstatus = b\n";

	MERGE(b, o, t, "[job]\nid = X\nnext = n\ntitle = t\nstatus = b\n", 0);
	MERGE(bc, oc, tc, "[job]\r\nid = X\r\n<<<<<<< ours status\r\nstatus = b\r\n"
			  "||||||| base status\r\nstatus = a\r\n=======\r\nstatus = c\r\n"
			  ">>>>>>> theirs status\r\n", 1);
	MERGE(bd, od, td, "[job]\nid = X\nstatus = b\n", 0);
}

static void blocks(void)
{
	const char *text =
		"[job]\n"
		"<<<<<<< ours status by 李明 <li.ming@example.com> in 1a2b3c4\n"
		"status = delivered\n"
		"||||||| base status\n"
		"status = in-progress\n"
		"=======\n"
		">>>>>>> theirs status\n"
		"next = x\n";
	struct conflict_list l;
	struct strbuf out = STRBUF_INIT;

	EXPECT(conflict_find(text, strlen(text), &l) == 1);
	EXPECT(l.stray == 0);
	EXPECT(l.v[0].line == 2);
	EXPECT(!strcmp(l.v[0].key, "status"));
	EXPECT(l.v[0].who[0] && !strcmp(l.v[0].who[0], "李明 <li.ming@example.com> in 1a2b3c4"));
	EXPECT(l.v[0].who[1] == NULL);
	conflict_list_release(&l);
	EXPECT(conflict_resolve(text, strlen(text), "status", MS_THEIRS, &out) == 0);
	EXPECT(!strcmp(out.buf, "[job]\nnext = x\n"));
	/* git's own markers are not ae's blocks */
	EXPECT(conflict_find("<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n", 34, &l) == 0);
	EXPECT(l.stray == 3);
	conflict_list_release(&l);
	sb_release(&out);
}

static void lines(void)
{
	/* changes to neighbouring lines are separate regions */
	struct mlines b, o, t;
	struct mregion *r = NULL;
	size_t n;

	mlines_split(&b, "a\nb\nc\nd\n", 8);
	mlines_split(&o, "a\nB\nc\nd\n", 8);
	mlines_split(&t, "a\nb\nC\nd\n", 8);
	n = merge3(&b, &o, &t, &r);
	EXPECT(n == 4);
	EXPECT(r[1].kind == MR_OURS && r[2].kind == MR_THEIRS);
	free(r);
	mlines_release(&b);
	mlines_release(&o);
	mlines_release(&t);
}

/* A field one version lacks: which commit changed it (ae sync's message
 * asks this of a field added on one side; it read past the last field). */
static void field_in_one_version(void)
{
	const char *a = "[job]\nid = CS-2611-10\ntitle = 海报\n";
	const char *z = "[job]\nid = CS-2611-10\ntitle = 海报\nnext = 下一步\n";

	EXPECT(merge_record_field_differs(a, strlen(a), z, strlen(z), "next"));
	EXPECT(merge_record_field_differs(z, strlen(z), a, strlen(a), "next"));
	EXPECT(!merge_record_field_differs(a, strlen(a), z, strlen(z), "budget"));
	EXPECT(!merge_record_field_differs(a, strlen(a), z, strlen(z), "title"));
}

/* The lines one side added to a journal: each line of z that a has
 * nowhere, line ends aside, in z's order (ae renumber and ae sync ask it
 * of journals of thousands of lines; it was quadratic). */
static void added_lines(void)
{
	const char *a = "l1\nl2\r\nl3";
	const char *z = "l0\nl1\r\nl2\nl4\nl3\nl5";
	struct mlines la = { 0 }, lz = { 0 };
	struct strlist out = { 0 };

	mlines_split(&la, a, strlen(a));
	mlines_split(&lz, z, strlen(z));
	mlines_added(&la, &lz, &out);
	EXPECT(out.n == 3);
	EXPECT(out.n == 3 && !strcmp(out.v[0], "l0") && !strcmp(out.v[1], "l4") && !strcmp(out.v[2], "l5"));
	strlist_release(&out);
	mlines_release(&la);
	mlines_release(&lz);
}

int main(void)
{
	adjacent_fields();
	same_field();
	layout_only();
	multiline();
	action_items();
	fields_added_and_deleted();
	comments_and_layout();
	unparsable_and_new();
	several_sections();
	order_and_line_ends();
	blocks();
	lines();
	field_in_one_version();
	added_lines();
	printf("%d checks, %d failures\n", checks, failures);
	return failures != 0;
}
