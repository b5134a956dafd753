/*
 * fuzz_book.h -- the fixed part of the fuzzers' in-memory book: a valid
 * ae.ini, its calendar and four records that agree with it and with each
 * other (copies of sample-data/; regenerate by hand if those change).  The
 * whole-book target puts its input beside them (or over one of them),
 * then calls fuzz_check(); the parser targets load the book once
 * (fuzz_template()) and run one parser per execution on a scratch copy.
 *
 * Included by exactly one .c per fuzzer: everything here is static.
 */
#ifndef AE_FUZZ_BOOK_H
#define AE_FUZZ_BOOK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "diag.h"
#include "rules.h"
#include "source.h"
#include "utf8.h"

/* not every target uses every helper */
#define FUZZ_UNUSED __attribute__((unused))

#ifndef AE_FUZZ_FORMATS
#define AE_FUZZ_FORMATS "formats"
#endif

/* sample-data/ae.ini */
FUZZ_UNUSED static const char ae_ini[] =
	"; ae.ini -- the settings of this book (see docs/ae.ini.5.md)\n"
	"\n"
	"[book]\n"
	"name = 华东客户服务部\n"
	"timezone = Asia/Shanghai\n"
	"lang = zh\n"
	"\n"
	"[office]\n"
	"hours = 09:00-18:00\n"
	"lunch = 12:00-13:00\n"
	"\n"
	"[calendar]\n"
	"files = calendar/cn-2026.ini\n"
	"\n"
	"[rules]\n"
	"; DUE-2: a contact report within this many hours of a meeting or important call\n"
	"contact_report_hours = 48\n"
	"; 'calendar' hours, or 'working' hours on the office calendar\n"
	"contact_report_clock = calendar\n"
	"; DUE-1: working days between calls\n"
	"call_every_in_city = 1\n"
	"call_every_out_of_town = 3\n"
	"; JOB-3: the internal deadline this many working hours before the client's\n"
	"internal_lead_hours = 4\n"
	"; JOB-2: the least working days a ticket of each kind needs\n"
	"min_lead_creative = 3\n"
	"min_lead_production = 5\n"
	"min_lead_media = 2\n"
	"min_lead_event = 5\n"
	"min_lead_digital = 3\n"
	"min_lead_research = 5\n"
	"; DUE-13: written holiday notice this many working days before a holiday\n"
	"holiday_notice_days = 5\n"
	"; DUE-12: joint support before after-sales takes over\n"
	"handover_months = 3\n"
	"\n"
	"[numbering]\n"
	"; PCRE2 patterns; named groups say what each part means (docs/ae.ini.5.md)\n"
	"client = ^(?<city>[A-Z]{2,3}|\\p{Han}{2,4})-(?<yyyymm>[0-9]{6})-(?<name>[A-Z0-9]{2,12}|\\p{Han}{2,8})-(?<seq>[0-9]{3})$\n"
	"job = ^(?<dept>[A-Z]{2,4})-(?<yymm>[0-9]{4})-(?<seq>[0-9]{2})(?:-R(?<rev>[1-9]))?$\n"
	"contact = ^CR-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$\n"
	"meeting = ^MT-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$\n"
	"complaint = ^TS-(?<yyyymmdd>[0-9]{8})-(?<seq>[0-9]{2})$\n"
	"\n"
	"[department CS]\n"
	"name = 客户服务一部\n"
	"kind = account\n"
	"\n"
	"[department CT]\n"
	"name = 客户服务二部\n"
	"kind = account\n"
	"\n"
	"[department CR]\n"
	"name = 创意部\n"
	"kind = creative\n"
	"\n"
	"[department PR]\n"
	"name = 制作部\n"
	"kind = production\n"
	"\n"
	"[department MD]\n"
	"name = 媒介部\n"
	"kind = media\n"
	"\n"
	"[department FN]\n"
	"name = 财务部\n"
	"kind = finance\n"
	"\n"
	"[department GM]\n"
	"name = 总经办\n"
	"kind = management\n"
	"\n"
	"[staff huang.jun]\n"
	"name = 黄军\n"
	"rank = GM\n"
	"department = GM\n"
	"\n"
	"[staff he.qiang]\n"
	"name = 何强\n"
	"rank = ED\n"
	"department = GM\n"
	"reports_to = huang.jun\n"
	"\n"
	"[staff zhang.wei]\n"
	"name = 张伟\n"
	"rank = AD\n"
	"department = CS\n"
	"reports_to = huang.jun\n"
	"email = zhang.wei@example.com\n"
	"\n"
	"[staff wang.fang]\n"
	"name = 王芳\n"
	"rank = AM\n"
	"department = CS\n"
	"reports_to = zhang.wei\n"
	"\n"
	"[staff liu.yang]\n"
	"name = 刘洋\n"
	"rank = AM\n"
	"department = CT\n"
	"reports_to = zhang.wei\n"
	"\n"
	"[staff li.ming]\n"
	"name = 李明\n"
	"rank = AE\n"
	"department = CS\n"
	"reports_to = wang.fang\n"
	"email = li.ming@example.com\n"
	"\n"
	"[staff chen.jing]\n"
	"name = 陈静\n"
	"rank = AE\n"
	"department = CS\n"
	"reports_to = wang.fang\n"
	"\n"
	"[staff zhao.lei]\n"
	"name = 赵磊\n"
	"rank = AE\n"
	"department = CT\n"
	"reports_to = liu.yang\n"
	"\n"
	"[staff sun.yue]\n"
	"name = 孙悦\n"
	"rank = AAE\n"
	"department = CS\n"
	"reports_to = li.ming\n"
	"\n"
	"[staff zhou.ting]\n"
	"name = 周婷\n"
	"rank = AAE\n"
	"department = CT\n"
	"reports_to = zhao.lei\n"
	"\n"
	"[staff wu.di]\n"
	"name = 吴迪\n"
	"rank = STAFF\n"
	"department = CR\n"
	"reports_to = he.qiang\n"
	"\n"
	"[staff qian.hui]\n"
	"name = 钱慧\n"
	"rank = FIN\n"
	"department = FN\n"
	"reports_to = huang.jun\n";

/* sample-data/calendar/cn-2026.ini */
FUZZ_UNUSED static const char calendar_ini[] =
	"; 2026 年部分节假日安排 (国务院办公厅通知)\n"
	"; Public holidays ('off') and make-up working days 调休 ('work') of\n"
	"; mainland China in 2026 (CAL-1).  A range is FIRST..LAST, inclusive.\n"
	"\n"
	"[calendar]\n"
	"year = 2026\n"
	"name = 中国大陆 2026 年法定节假日\n"
	"\n"
	"[holiday 元旦]\n"
	"off = 2026-01-01..2026-01-03\n"
	"work = 2026-01-04\n"
	"\n"
	"[holiday 春节]\n"
	"off = 2026-02-15..2026-02-23\n"
	"work = 2026-02-14, 2026-02-28\n"
	"\n"
	"[holiday 清明节]\n"
	"off = 2026-04-04..2026-04-06\n"
	"\n"
	"[holiday 劳动节]\n"
	"off = 2026-05-01..2026-05-05\n"
	"work = 2026-05-09\n"
	"\n"
	"[holiday 端午节]\n"
	"off = 2026-06-19..2026-06-21\n"
	"\n"
	"[holiday 中秋节]\n"
	"off = 2026-09-25..2026-09-27\n"
	"\n"
	"[holiday 国庆节]\n"
	"off = 2026-10-01..2026-10-07\n"
	"work = 2026-09-20, 2026-10-10\n";

/* sample-data/clients/SH-202603-COKE-007.ini */
FUZZ_UNUSED static const char client_ini[] =
	"[client]\n"
	"id = SH-202603-COKE-007\n"
	"name = 上海可口可乐饮料有限公司\n"
	"city = 上海\n"
	"location = in-city\n"
	"first_contact = 2026-03-09\n"
	"department = CS\n"
	"ae = li.ming\n"
	"am = wang.fang\n"
	"ad = zhang.wei\n"
	"status = active\n"
	"segment = standard\n"
	"strategy = agreed\n"
	"strategy_agreed = 2026-04-15\n"
	"contacts =\n"
	"    王建华, 市场部经理, 13816602231, wang.jianhua@coke-sh.example.com\n"
	"    刘婷, 品牌主管, 13917745208, liu.ting@coke-sh.example.com\n"
	"    陈志刚, 渠道营销经理, 021-64281136\n"
	"address = 上海市闵行区紫星路588号\n"
	"phone = 021-64281100\n"
	"project = 2026年度品牌整合传播服务\n"
	"project_manager = 王芳\n"
	"implementation = 李明, 孙悦, 吴迪\n"
	"signed = 2026-04-20\n"
	"started = 2026-05-04\n"
	"service_start = 2026-05-04\n"
	"contract_start = 2026-05-01\n"
	"contract_end = 2027-04-30\n"
	"fee = 960000.00\n"
	"invoiced = 480000.00\n"
	"unpaid = 160000.00\n"
	"notes =\n"
	"    年度服务合同，按季度开票，第三季度服务费16万元尚未到账（财务钱慧跟进）。\n"
	"    11-12月重点：冬季新品（姜汁风味限定装）上市主视觉、双十二门店促销物料、\n"
	"    12月分众楼宇投放。王经理要求每周一上午10点前收到周报，改稿意见以邮件为准。\n";

/* sample-data/jobs/CS-2611-01.ini */
FUZZ_UNUSED static const char job_ini[] =
	"[job]\n"
	"id = CS-2611-01\n"
	"form = job\n"
	"client = SH-202603-COKE-007\n"
	"title = 双十二门店促销物料\n"
	"work = production\n"
	"department = CS\n"
	"issuer = li.ming\n"
	"signed_by = wang.fang\n"
	"assignees = sun.yue\n"
	"opened = 2026-11-02 10:30\n"
	"client_due = 2026-11-27 18:00\n"
	"internal_due = 2026-11-27 10:00\n"
	"status = in-progress\n"
	"confirmed = 2026-11-10\n"
	"budget = 138000.00\n"
	"summary = 双十二门店物料打样已确认，大货印刷中，11月27日到客户仓库。\n"
	"description =\n"
	"    双十二门店促销物料：堆头围板、货架贴、吊旗三类，覆盖320家门店，\n"
	"    含打样、大货印刷、分拣及物流配送到仓。\n"
	"progress =\n"
	"    11-09 提交报价及打样。\n"
	"    11-10 客户书面确认报价。\n"
	"    11-20 大货开印，印刷厂每日回传进度。\n"
	"next = 11月27日上午大货到仓，下午安排物流按门店分拣配送。\n";

/* sample-data/meetings/MT-20261105-01.ini */
FUZZ_UNUSED static const char meeting_ini[] =
	"[meeting]\n"
	"id = MT-20261105-01\n"
	"client = SH-202603-COKE-007\n"
	"organiser = li.ming\n"
	"who = 王建华（市场部经理）, 刘婷（品牌主管）, 陈志刚（渠道营销经理）, 王芳, 李明, 孙悦\n"
	"where = 可口可乐闵行办公室3楼第二会议室\n"
	"when = 2026-11-05 10:00\n"
	"duration = 90\n"
	"topic = 双十二门店物料及冬季新品KV方向确认会\n"
	"confirm =\n"
	"    1. 双十二门店物料种类、数量及门店清单。\n"
	"    2. 12月户外媒介预算去向（候车亭或分众楼宇）。\n"
	"    3. 新品KV创意简报及提交时间。\n"
	"agenda =\n"
	"    10:00 双十二门店物料方案（30分钟）\n"
	"    10:30 12月媒介建议（20分钟）\n"
	"    10:50 新品KV简报确认（30分钟）\n"
	"    11:20 总结与分工（10分钟）\n"
	"status = held\n"
	"notice_sent = 2026-11-04 15:20\n"
	"confirm_call = 2026-11-05 08:40\n"
	"minutes =\n"
	"    1. 门店物料：堆头围板、货架贴、吊旗三类，320家门店，11月27日到仓。\n"
	"    2. 12月候车亭排期取消，预算转投分众楼宇，另开媒介单。\n"
	"    3. 新品KV按简报出三套方向，11月13日提交。\n"
	"    4. 物料报价11月9日前提交，客户11月10日书面确认。\n"
	"minutes_confirmed = 2026-11-09\n"
	"contact_report = CR-20261105-01\n";

/* sample-data/contacts/CR-20261105-01.ini */
FUZZ_UNUSED static const char contact_ini[] =
	"[contact]\n"
	"id = CR-20261105-01\n"
	"client = SH-202603-COKE-007\n"
	"occasion = meeting\n"
	"held = 2026-11-05 10:00\n"
	"meeting = MT-20261105-01\n"
	"author = li.ming\n"
	"attendees = 王建华, 刘婷, 陈志刚, 王芳, 李明, 孙悦\n"
	"distribution = 王建华, 刘婷, 陈志刚, li.ming, sun.yue, wang.fang, wu.di\n"
	"subject = 双十二门店物料及冬季新品KV方向确认会\n"
	"conclusions =\n"
	"    1. 双十二门店物料：堆头围板、货架贴、吊旗三类，320家门店，11月27日到仓。\n"
	"    2. 12月候车亭排期取消，预算转投分众楼宇，另开媒介单。\n"
	"    3. 新品KV按简报出三套方向，11月13日提交。\n"
	"discussion =\n"
	"    客户希望门店物料与新品KV风格统一，但KV要到11月13日才定，\n"
	"    双方同意双十二物料沿用现有品牌画面，新品只用贴纸覆盖。\n"
	"actions =\n"
	"    [x] 2026-11-09 @sun.yue 提交门店物料报价及打样\n"
	"    [x] 2026-11-10 @li.ming 取得客户书面确认物料报价\n"
	"    [x] 2026-11-13 @li.ming 提交KV三套方向\n"
	"    [x] 2026-11-17 @li.ming 开分众楼宇媒介工作单\n"
	"sent = 2026-11-06 10:00\n";

FUZZ_UNUSED static const struct {
	const char *path, *text;
	size_t len;
} fuzz_files[] = {
	{ "ae.ini", ae_ini, sizeof(ae_ini) - 1 },
	{ "calendar/cn-2026.ini", calendar_ini, sizeof(calendar_ini) - 1 },
	{ "clients/SH-202603-COKE-007.ini", client_ini, sizeof(client_ini) - 1 },
	{ "jobs/CS-2611-01.ini", job_ini, sizeof(job_ini) - 1 },
	{ "meetings/MT-20261105-01.ini", meeting_ini, sizeof(meeting_ini) - 1 },
	{ "contacts/CR-20261105-01.ini", contact_ini, sizeof(contact_ini) - 1 },
};

/* $AE_FUZZ_AEINI, read once, replaces the embedded ae.ini. */
FUZZ_UNUSED static char *fuzz_aeini;
FUZZ_UNUSED static size_t fuzz_aeini_len;

FUZZ_UNUSED static void fuzz_init(void)
{
	const char *path = getenv("AE_FUZZ_AEINI");
	FILE *f;
	struct strbuf sb = STRBUF_INIT;
	char chunk[4096];
	size_t n;

	if (!path || !*path || fuzz_aeini)
		return;
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_add(&sb, chunk, n);
	fclose(f);
	fuzz_aeini_len = sb.len;
	fuzz_aeini = sb_detach(&sb);
}

/* A new in-memory book holding the fixed files. */
FUZZ_UNUSED static struct source *fuzz_book(void)
{
	struct source *src = source_mem_new();

	for (size_t i = 0; i < sizeof(fuzz_files) / sizeof(fuzz_files[0]); i++)
		source_mem_put(src, fuzz_files[i].path, fuzz_files[i].text,
			       fuzz_files[i].len);
	if (fuzz_aeini)
		source_mem_put(src, "ae.ini", fuzz_aeini, fuzz_aeini_len);
	return src;
}

/* The shipped formats, from $AE_FORMATS_DIR or this repository's formats/. */
FUZZ_UNUSED static struct source *fuzz_shipped(void)
{
	const char *dir = getenv("AE_FORMATS_DIR");

	return source_fs_new(dir && *dir ? dir : AE_FUZZ_FORMATS);
}

/* Open, load and check the book in src (which it frees); print nothing. */
FUZZ_UNUSED static void fuzz_check(struct source *src)
{
	struct book b;

	if (book_open_source(&b, src, fuzz_shipped()) == 0) {
		book_load(&b);
		rules_check(&b);
	}
	diag_reset();
	book_release(&b);
}

/*
 * The fixed book, opened and loaded once for the targets that exercise
 * one parser alone: its settings, formats, calendar and records stay,
 * and each execution works on a shallow copy (fuzz_scratch()) whose own
 * allocations it frees again.  Diagnostics are collected and dropped.
 */
FUZZ_UNUSED static struct book fuzz_T;

FUZZ_UNUSED static struct book *fuzz_template(void)
{
	static int loaded;

	if (!loaded) {
		fuzz_init();
		if (book_open_source(&fuzz_T, fuzz_book(), fuzz_shipped()) < 0) {
			fprintf(stderr, "fuzz: the fixed book does not open\n");
			exit(1);
		}
		book_load(&fuzz_T);
		if (diag_count(DIAG_ERROR) || diag_count(DIAG_SYSTEM)) {
			fprintf(stderr, "fuzz: the fixed book has errors; is AE_FORMATS_DIR right?\n");
			diag_flush();
			exit(1);
		}
		diag_reset();
		loaded = 1;
	}
	return &fuzz_T;
}

/*
 * A copy of the template reading from src (not owned), with an arena
 * and a journal of its own, and no records unless keep_records;
 * fuzz_scratch_release() frees what an execution added and nothing of
 * the template.
 */
FUZZ_UNUSED static void fuzz_scratch(struct book *b, struct source *src, int keep_records)
{
	*b = *fuzz_template();
	b->src = src;
	memset(&b->arena, 0, sizeof(b->arena));
	memset(&b->journal, 0, sizeof(b->journal));
	if (!keep_records) {
		b->recs = NULL;
		b->nrecs = b->alloc_recs = 0;
		memset(b->by_id, 0, sizeof(b->by_id));
	}
}

FUZZ_UNUSED static void fuzz_scratch_release(struct book *b, int keep_records)
{
	if (!keep_records)
		free(b->recs);
	journal_release(&b->journal);
	arena_release(&b->arena);
	diag_reset();
}

/* Whether data[0..n) is text the parsers are handed: valid UTF-8, no NUL
 * (text_load() refuses anything else before a parser sees it). */
FUZZ_UNUSED static int fuzz_is_text(const char *data, size_t n)
{
	return !memchr(data, '\0', n) && utf8_invalid_at(data, n) == n;
}

#endif
