/*
 * gen.c -- write a synthetic, valid book for the benchmark (tests/bench).
 *
 *   gen DIR [RECORDS] [JOURNAL_LINES]      (defaults 100000 and 1000000)
 *
 * DIR must not already hold a book.  The settings are the sample book's:
 * ae.ini and calendar/ are copied verbatim from the sample book ($GEN_SAMPLE,
 * else the folder compiled in as GEN_SAMPLE_DIR, else ./sample-data), and
 * ae.ini gets a block appended with the extra account departments and
 * staff a book this size needs (job numbers are DEPT-YYMM-NN, at most 99 a
 * month per department).
 *
 * Records of all five kinds, spread over 2017-2026 in year folders
 * (jobs/2024/CS-2403-07.ini ...): 2% clients, 50% jobs (one in ten a -R
 * revision), 30% contact reports, 10% meetings, 8% complaints.  Every rule
 * ae check enforces is kept: client codes carry the first-contact month and
 * a yearly number; job numbers carry the month opened, run 01.. in the order
 * opened per department and month; revisions follow their original in the
 * same month; creative tickets only for clients whose strategy was agreed
 * before; held meetings and their contact reports name each other; ids of
 * contacts, meetings and complaints carry their day; the journal names only
 * existing staff and records, one file per month.
 *
 * Output is deterministic (a fixed seed; no clock, no hashing order).
 * No dependencies beyond libc.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef GEN_SAMPLE_DIR
#define GEN_SAMPLE_DIR "sample-data"
#endif

#define NA(a) (sizeof(a) / sizeof((a)[0]))
#define FIRST_YEAR 2017
#define NYEARS 10
#define NMONTHS (NYEARS * 12)

/* ---------------------------------------------------------------- basics */

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

static void *xcalloc(size_t n, size_t s)
{
	void *p = calloc(n ? n : 1, s ? s : 1);

	if (!p)
		die("out of memory");
	return p;
}

static uint64_t rng_state = 0x5eed2017ae0c4ec4ULL;

static uint64_t rnd64(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* 0 <= r < n */
static int rnd(int n)
{
	return n <= 1 ? 0 : (int)(rnd64() % (uint64_t)n);
}

static int chance(int percent)
{
	return rnd(100) < percent;
}

#define PICK(a) ((a)[rnd((int)NA(a))])

/* ----------------------------------------------------------------- dates */

static int days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int z, int *yp, int *mp, int *dp)
{
	int era, doe, yoe, y, doy, mp5, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp5 = (5 * doy + 2) / 153;
	d = doy - (153 * mp5 + 2) / 5 + 1;
	m = mp5 < 10 ? mp5 + 3 : mp5 - 9;
	*yp = y + (m <= 2);
	*mp = m;
	*dp = d;
}

static int days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

/* 0 Monday .. 6 Sunday */
static int weekday(int day)
{
	int w = (day + 3) % 7;
	return w < 0 ? w + 7 : w;
}

static int year_of(int day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return y;
}

static int month_first(int mi)
{
	return days_from_civil(FIRST_YEAR + mi / 12, mi % 12 + 1, 1);
}

static int month_last(int mi)
{
	int y = FIRST_YEAR + mi / 12, m = mi % 12 + 1;
	return days_from_civil(y, m, days_in_month(y, m));
}

/* a working day (Mon-Fri) in [a, b], b - a >= 6 or a..b holding one */
static int workday_in(int a, int b)
{
	int d = a + rnd(b - a + 1);

	for (int i = 0; i < 7 && weekday(d) >= 5; i++)
		d = d + 1 <= b ? d + 1 : a;
	return d;
}

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* "2026-11-26" */
static const char *fd(int day)
{
	static char ring[8][16];
	static int k;
	char *b = ring[k++ & 7];
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(b, 16, "%04d-%02d-%02d", y, m, d);
	return b;
}

/* "2026-11-26 09:30" */
static const char *fdt(int day, int minute)
{
	static char ring[8][24];
	static int k;
	char *b = ring[k++ & 7];
	int y, m, d;

	minute = clampi(minute, 0, 1439);
	civil_from_days(day, &y, &m, &d);
	snprintf(b, 24, "%04d-%02d-%02d %02d:%02d", y, m, d, minute / 60, minute % 60);
	return b;
}

/* -------------------------------------------------------------- output */

struct buf {
	char *s;
	size_t n, alloc;
};

static struct buf B;
static unsigned long long total_bytes, total_files;

static void bgrow(struct buf *b, size_t extra)
{
	if (b->n + extra + 1 > b->alloc) {
		size_t na = b->alloc ? b->alloc * 2 : 1 << 16;
		while (na < b->n + extra + 1)
			na *= 2;
		b->s = realloc(b->s, na);
		if (!b->s)
			die("out of memory");
		b->alloc = na;
	}
}

static void bput(const char *s)
{
	size_t n = strlen(s);

	bgrow(&B, n);
	memcpy(B.s + B.n, s, n);
	B.n += n;
	B.s[B.n] = '\0';
}

static void bf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void bf(const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room;
		bgrow(&B, 256);
		room = B.alloc - B.n;
		va_start(ap, fmt);
		n = vsnprintf(B.s + B.n, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			die("vsnprintf failed");
		if ((size_t)n < room) {
			B.n += (size_t)n;
			return;
		}
		bgrow(&B, (size_t)n + 1);
	}
}

static char root[1024];

static void mkdir_p(const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
				die("cannot create %s: %s", tmp, strerror(errno));
			*p = '/';
		}
	}
	if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
		die("cannot create %s: %s", tmp, strerror(errno));
}

static void write_all(const char *path, const char *s, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

	if (fd < 0)
		die("cannot write %s: %s", path, strerror(errno));
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("cannot write %s: %s", path, strerror(errno));
		}
		s += w;
		n -= (size_t)w;
	}
	if (close(fd) < 0)
		die("cannot write %s: %s", path, strerror(errno));
}

/* Write B to root/rel and empty it. */
static void flush_to(const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	write_all(path, B.s, B.n);
	total_bytes += B.n;
	total_files++;
	B.n = 0;
	if (B.s)
		B.s[0] = '\0';
}

/* folder/YYYY, made on first use */
static const char *year_dir(const char *folder, int year)
{
	static char made[8][NYEARS + 2];
	static const char *folders[8];
	static char out[256];
	int f;

	for (f = 0; f < 8 && folders[f] && strcmp(folders[f], folder); f++)
		;
	if (f == 8)
		die("too many folders");
	folders[f] = folder;
	snprintf(out, sizeof(out), "%s/%04d", folder, year);
	if (!made[f][year - FIRST_YEAR]) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", root, out);
		mkdir_p(path);
		made[f][year - FIRST_YEAR] = 1;
	}
	return out;
}

static char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *s;
	size_t n = 0;

	if (fd < 0 || fstat(fd, &st) < 0)
		die("cannot read %s: %s", path, strerror(errno));
	s = xmalloc((size_t)st.st_size + 1);
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, s + n, (size_t)st.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			die("cannot read %s", path);
		n += (size_t)r;
	}
	close(fd);
	s[n] = '\0';
	*len = n;
	return s;
}

/* ----------------------------------------------------------- word pools */

struct city { const char *code, *han, *area; int weight; };
static const struct city cities[] = {
	{ "SH", "上海", "021", 40 }, { "HZ", "杭州", "0571", 10 }, { "NJ", "南京", "025", 8 },
	{ "SZ", "苏州", "0512", 8 }, { "WX", "无锡", "0510", 4 }, { "NB", "宁波", "0574", 5 },
	{ "CZ", "常州", "0519", 3 }, { "NT", "南通", "0513", 3 }, { "JX", "嘉兴", "0573", 3 },
	{ "SX", "绍兴", "0575", 3 }, { "HF", "合肥", "0551", 4 }, { "KS", "昆山", "0512", 3 },
	{ "YZ", "扬州", "0514", 2 }, { "TZ", "台州", "0576", 2 }, { "WZ", "温州", "0577", 2 },
};

struct py { const char *py, *han; };
static const struct py brands[] = {
	{ "HUAXIN", "华信" }, { "JINLING", "金陵" }, { "BAIYI", "百怡" }, { "YUEXIN", "悦心" },
	{ "LINJIA", "邻家" }, { "HENGYUAN", "恒远" }, { "MINGDA", "明达" }, { "TIANHE", "天禾" },
	{ "JIAHE", "嘉禾" }, { "XINGCHEN", "星辰" }, { "LANSHAN", "蓝山" }, { "QINGFENG", "清风" },
	{ "HAIRUN", "海润" }, { "RUIFENG", "瑞丰" }, { "JINHUI", "金辉" }, { "YIKANG", "怡康" },
	{ "WANFU", "万福" }, { "HUAMEI", "华美" }, { "XINYUAN", "鑫源" }, { "LONGTENG", "龙腾" },
	{ "FUXING", "福星" }, { "BOYA", "博雅" }, { "TAIHE", "泰禾" }, { "HONGDA", "宏达" },
	{ "SHENGSHI", "盛世" }, { "YONGAN", "永安" }, { "GUANGMING", "光明" }, { "CHANGJIANG", "长江" },
	{ "LVYUAN", "绿源" }, { "MEIDA", "美达" }, { "KANGLE", "康乐" }, { "TIANYI", "天翼" },
	{ "HUATAI", "华泰" }, { "JIANIAN", "嘉年" }, { "XIANGYUN", "祥云" }, { "RONGSHENG", "荣盛" },
	{ "BAOLI", "宝利" }, { "ZHENGDA", "正大" }, { "YUNDA", "运达" }, { "SHIJI", "世纪" },
	{ "HUACHEN", "华辰" }, { "JINXIU", "锦绣" }, { "LIANHUA", "莲花" }, { "ANTAI", "安泰" },
	{ "DINGSHENG", "鼎盛" }, { "WEILAI", "未来" }, { "YANGGUANG", "阳光" }, { "CHUNFENG", "春风" },
	{ "HAITIAN", "海天" }, { "SHUIMU", "水木" }, { "QIMING", "启明" }, { "HUIZHONG", "汇众" },
	{ "NUOYA", "诺亚" }, { "JIAYI", "嘉怡" }, { "TONGDA", "通达" }, { "ZHUOYUE", "卓越" },
	{ "XINCHENG", "新城" }, { "LVCHENG", "绿城" }, { "YIPIN", "一品" }, { "HEXIE", "和谐" },
};

static const char *const suffix_standard[] = {
	"食品有限公司", "饮料有限公司", "电子科技有限公司", "服饰有限公司", "日化用品有限公司",
	"家居用品有限公司", "汽车销售服务有限公司", "医药连锁有限公司", "教育科技有限公司",
	"乳业有限公司", "酒业有限公司", "百货有限公司",
};
static const char *const suffix_estate[] = {
	"置业有限公司", "房地产开发有限公司", "地产集团有限公司", "物业服务有限公司",
};
static const char *const suffix_after[] = {
	"信息技术有限公司", "软件有限公司", "电子商务有限公司", "网络科技有限公司",
};
static const char *const suffix_retail[] = {
	"便利店", "生活超市", "百货商行", "食杂店", "烟酒商行",
};

static const struct py surnames[] = {
	{ "wang", "王" }, { "li", "李" }, { "zhang", "张" }, { "liu", "刘" }, { "chen", "陈" },
	{ "yang", "杨" }, { "zhao", "赵" }, { "huang", "黄" }, { "zhou", "周" }, { "wu", "吴" },
	{ "xu", "徐" }, { "sun", "孙" }, { "hu", "胡" }, { "zhu", "朱" }, { "gao", "高" },
	{ "lin", "林" }, { "he", "何" }, { "guo", "郭" }, { "ma", "马" }, { "luo", "罗" },
	{ "song", "宋" }, { "zheng", "郑" }, { "xie", "谢" }, { "han", "韩" }, { "tang", "唐" },
	{ "feng", "冯" }, { "shen", "沈" }, { "cao", "曹" }, { "peng", "彭" }, { "lu", "陆" },
};
static const struct py givens[] = {
	{ "wei", "伟" }, { "fang", "芳" }, { "na", "娜" }, { "min", "敏" }, { "jing", "静" },
	{ "li", "丽" }, { "qiang", "强" }, { "lei", "磊" }, { "jun", "军" }, { "yang", "洋" },
	{ "yong", "勇" }, { "yan", "艳" }, { "jie", "杰" }, { "juan", "娟" }, { "tao", "涛" },
	{ "ming", "明" }, { "chao", "超" }, { "xia", "霞" }, { "ping", "平" }, { "gang", "刚" },
	{ "hui", "慧" }, { "ting", "婷" }, { "yue", "悦" }, { "di", "迪" }, { "xin", "欣" },
	{ "hao", "浩" }, { "kai", "凯" }, { "chen", "晨" }, { "yu", "宇" }, { "bo", "博" },
	{ "lin", "琳" }, { "qian", "倩" }, { "shuang", "爽" }, { "peng", "鹏" }, { "hua", "华" },
};
static const char *const given2[] = {
	"建华", "志刚", "美玲", "晓雯", "立群", "国强", "佳怡", "俊杰", "慧敏", "令杰",
	"可欣", "海燕", "文斌", "雪梅", "振宇", "晓东", "丽娟", "明辉", "春燕", "子涵",
	"思远", "雅琴", "德明", "秀英", "永刚", "桂兰", "伟东", "晓峰", "婷婷", "凯文",
};
static const char *const titles_person[] = {
	"市场部经理", "品牌主管", "渠道营销经理", "总经理", "财务主管", "采购经理", "品牌总监",
	"市场专员", "运营总监", "营销副总", "IT主管", "销售经理", "店长", "行政主管",
};
static const char *const districts_sh[] = {
	"浦东新区", "徐汇区", "长宁区", "静安区", "闵行区", "普陀区", "杨浦区", "黄浦区",
};
static const char *const districts[] = {
	"高新区", "经济开发区", "新城区", "工业园区", "中心城区", "滨湖新区", "老城区",
};
static const char *const roads[] = {
	"人民路", "中山路", "解放路", "建设路", "文化路", "天山路", "南京西路", "淮海中路",
	"延安路", "文三路", "星湖街", "紫星路", "长江路", "湖滨路", "新华路", "漕溪北路",
	"世纪大道", "钱江路", "学府路", "金鸡湖大道",
};
static const char *const buildings[] = {
	"", "", "", " 国际广场A座", " 创意产业园5幢", " 时代大厦", " 科技园B区", " 金融中心",
};

/* Prose: clauses joined into lines of sentences. */
static const char *const clauses[] = {
	"客户要求本周内提交修改稿", "主视觉需突出新品卖点", "门店物料尺寸已与店长核对",
	"媒介排期按客户预算调整", "投放数据每周一汇总给客户", "文案调性保持温润克制",
	"活动场地已完成初步踏勘", "报价单已提交客户财务审核", "设计稿经创意总监内审通过",
	"客户对第一稿整体方向认可", "需补充竞品近三个月的投放情况", "印刷打样需客户现场签样",
	"视频脚本第二稿增加产品演示镜头", "调研问卷回收率达到预期", "座谈会纪要已整理发客户",
	"楼书户型图以规划院最新蓝图为准", "售楼处包装物料下周进场安装", "线上活动页面已完成测试",
	"小程序会员积分规则待客户确认", "年终答谢会嘉宾名单由客户提供", "户外广告点位已锁定",
	"分众楼宇投放从下月一日开始", "新品上市发布会流程已过一遍", "物料清单按门店等级分三档",
	"客户希望缩短审批流程", "合同付款节点按季度执行", "发票已寄出待客户签收",
	"制作部确认排期可以满足交付时间", "创意简报经客户签字确认", "摄影棚档期已预订",
	"品牌手册更新版本需法务审核", "社交媒体内容日历已排至月底", "直播脚本需增加互动环节",
	"客户市场部人员有调整需重新对接", "本季度服务费已按合同开票", "门头灯箱尺寸复核无误",
	"客户提出增加两处户外点位", "活动预算超出部分需客户书面确认", "样品寄送地址已更新",
	"消费者调研样本量扩大到八百份", "渠道促销政策与经销商同步", "试吃活动人员培训已完成",
	"开业物料运输安排在周二上午", "客户要求每周一上午收到周报", "改稿意见以邮件为准",
	"媒体邀约名单已确认三十家", "KV延展尺寸共计十二种", "包装设计需符合新国标标注要求",
	"TVC拍摄日期待导演档期确定", "广告法用语已逐条核对", "社区活动报名人数超过预期",
	"售后回访中客户提出两项改进建议", "系统巡检未发现异常", "服务器续费已提醒客户",
	"培训资料已移交客户IT部门", "年度回顾报告框架已确定", "结案报告需附全年投放数据",
	"下一步重点是双十二门店促销", "客户对响应速度表示满意", "节假日前完成全部物料交付",
};
static const char *const closers[] = {
	"。", "。", "。", "，请相关同事跟进。", "，下周复核。", "，已告知客户。",
};

/* one line of prose of at least min_chars characters (Han count roughly) */
static void prose_line(int min_chars)
{
	int chars = 0;

	for (int k = 0; chars < min_chars || k == 0; k++) {
		const char *c = PICK(clauses);
		if (k)
			bput("，");
		bput(c);
		chars += (int)strlen(c) / 3 + 1;
	}
	bput(PICK(closers));
}

/* field = (newline) indented lines */
static void prose_field(const char *key, int lines, int min_chars)
{
	bf("%s =\n", key);
	for (int i = 0; i < lines; i++) {
		bput("    ");
		prose_line(min_chars);
		bput("\n");
	}
}

static void numbered_field(const char *key, int lines)
{
	bf("%s =\n", key);
	for (int i = 0; i < lines; i++) {
		bf("    %d. ", i + 1);
		prose_line(14);
		bput("\n");
	}
}

static const char *const job_titles[6][6] = {
	/* creative */ { "新品上市主视觉设计", "年度品牌广告创意", "楼书设计", "节日促销海报设计",
			 "品牌形象升级提案", "TVC脚本创意" },
	/* media */ { "分众楼宇投放", "户外大牌投放", "社交媒体投放", "电台广告投放",
		      "地铁灯箱投放", "信息流广告投放" },
	/* production */ { "门店促销物料制作", "售楼处包装制作", "展架及易拉宝制作", "产品包装打样",
			   "宣传画册印刷", "礼品定制" },
	/* event */ { "新品发布会", "年终客户答谢会", "开业庆典活动", "社区文化节", "经销商大会",
		      "门店试吃活动" },
	/* digital */ { "活动页面开发", "会员小程序迭代", "官网改版", "直播活动运营",
			"社交媒体内容运营", "电商详情页设计" },
	/* research */ { "消费者调研", "竞品广告监测", "年度品牌回顾", "渠道满意度调查",
			 "新品概念测试", "门店神秘访客" },
};
static const char *const work_names[6] = {
	"creative", "media", "production", "event", "digital", "research"
};

static const char *const subjects[] = {
	"确认本周工作安排", "新品上市方案讨论", "修改稿意见沟通", "活动执行细节确认",
	"合同续约及报价沟通", "季度工作回顾", "投放效果复盘", "物料制作进度确认",
	"调研中期汇报", "年度计划讨论", "售后服务回访", "开业活动筹备",
};
static const char *const topics[] = {
	"新品上市方案提案会", "季度工作回顾会", "年度计划沟通会", "活动执行协调会",
	"创意提案评审会", "调研结果汇报会", "投放复盘会", "物料验收会", "合同续约洽谈会",
};
static const char *const rooms[] = {
	"客户总部会议室", "我司大会议室", "客户市场部会议室", "售楼处洽谈区", "门店现场",
	"线上视频会议", "我司三楼会议室",
};
static const char *const gists[] = {
	"来电投诉修改稿迟迟未交，要求今天给出明确时间",
	"来电询问本季度发票何时寄出以及付款方式",
	"反映门店物料尺寸与实际不符，需要重新制作",
	"投诉户外广告画面出现错字，要求尽快更换",
	"询问活动报名人数统计及现场安排",
	"反映周报未按约定时间送达",
	"投诉活动现场人员迟到，影响开场",
	"询问合同到期后续约条件",
	"反映小程序登录异常，会员无法积分",
	"投诉印刷品颜色与样稿差异较大",
};
static const char *const jnotes[] = {
	"确认本周排期", "提醒客户反馈修改意见", "确认物料安装时间", "沟通报价细节",
	"确认会议时间", "跟进发票签收", "确认活动流程", "修改稿审阅", "方案细化",
	"整理会议纪要", "与导演沟通档期", "数据整理", "文案修改", "设计调整",
	"现场巡查", "客户拜访", "样品寄送", "排期核对", "结案报告校对", "问卷数据清洗",
};

/* ------------------------------------------------------------ the model */

enum rank { AAE, AE, AM, AD };
static const char *const rank_names[] = { "AAE", "AE", "AM", "AD" };

struct staff {
	char id[32];
	char han[16];
	int rank, dept;
};

struct dept {
	char code[8];
	int existing;			/* declared by the sample ae.ini */
	int ad, am, ae[3], aae[2];	/* staff indices */
};

struct client {
	char id[64];
	char name[128];
	char addr[192];
	char phone[24];
	int city, brand, seg, dept, fc, strategy, agreed, ae;
	int per_year_seq;
};

struct job {
	char id[32];
	int day, minute, dept, client, work, seq, rev, parent, nrev, issuer;
	int due, delivered, closed;	/* planned by plan_jobs() */
	const char *status;
};

struct meeting {
	char id[24];
	int day, minute, client, status, contact;
};

struct contact {
	char id[24];
	int day, minute, client, meeting, occasion;
};

static struct staff *staff;
static int nstaff, alloc_staff;
static struct dept *depts;
static int ndepts;
static struct client *clients;
static int nclients;
static int *dept_clients, *dept_clients_n, *dept_clients_off;	/* per dept, by fc */
static struct job *jobs;
static int njobs;
static struct meeting *meetings;
static int nmeetings;
static struct contact *contacts;
static int ncontacts;

static char **taken_staff;	/* staff ids declared in the sample ae.ini */
static int ntaken_staff;
static char **sample_depts;
static int nsample_depts, *sample_dept_account;
static char sample_gm[512];

static int NOW;		/* 2026-11-26, as the test suite's AE_NOW */
static int START;	/* 2017-01-01 */
static int END;		/* 2026-12-31 */

static const char *person_name(void)
{
	static char ring[8][32];
	static int k;
	char *b = ring[k++ & 7];

	if (chance(70))
		snprintf(b, 32, "%s%s", PICK(surnames).han, PICK(given2));
	else
		snprintf(b, 32, "%s%s", PICK(surnames).han, PICK(givens).han);
	return b;
}

static const char *mobile(void)
{
	static char ring[4][24];
	static int k;
	char *b = ring[k++ & 3];
	static const char *const pre[] = { "138", "139", "136", "158", "150", "186", "189", "135" };

	snprintf(b, 24, "%s%08d", PICK(pre), rnd(100000000));
	return b;
}

static int staff_taken(const char *id)
{
	for (int i = 0; i < ntaken_staff; i++)
		if (!strcmp(taken_staff[i], id))
			return 1;
	for (int i = 0; i < nstaff; i++)
		if (!strcmp(staff[i].id, id))
			return 1;
	return 0;
}

static int add_staff(int rank, int dept)
{
	struct staff *s;
	const struct py *sn = &PICK(surnames), *gn = &PICK(givens);
	char id[32];

	if (nstaff == alloc_staff) {
		alloc_staff = alloc_staff ? alloc_staff * 2 : 64;
		staff = realloc(staff, sizeof(*staff) * (size_t)alloc_staff);
		if (!staff)
			die("out of memory");
	}
	snprintf(id, sizeof(id), "%s.%s", sn->py, gn->py);
	for (int n = 2; staff_taken(id); n++)
		snprintf(id, sizeof(id), "%s.%s%d", sn->py, gn->py, n);
	s = &staff[nstaff];
	snprintf(s->id, sizeof(s->id), "%s", id);
	snprintf(s->han, sizeof(s->han), "%s%s", sn->han, gn->han);
	s->rank = rank;
	s->dept = dept;
	return nstaff++;
}

static int sample_has_dept(const char *code)
{
	for (int i = 0; i < nsample_depts; i++)
		if (!strcmp(sample_depts[i], code))
			return 1;
	return 0;
}

/* Scan the sample ae.ini for [department X] (and their kind) and [staff X]. */
static void scan_sample_ini(const char *s)
{
	const char *cur_dept = NULL;
	char cur_staff[512] = "";

	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char line[512];

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, s, n);
		line[n] = '\0';
		if (line[0] == '[') {
			char *close = strchr(line, ']');
			cur_dept = NULL;
			cur_staff[0] = '\0';
			if (close) {
				*close = '\0';
				if (!strncmp(line + 1, "department ", 11)) {
					sample_depts = realloc(sample_depts, sizeof(char *) * (size_t)(nsample_depts + 1));
					sample_dept_account = realloc(sample_dept_account, sizeof(int) * (size_t)(nsample_depts + 1));
					sample_depts[nsample_depts] = strdup(line + 12);
					sample_dept_account[nsample_depts] = 1;	/* the default kind */
					cur_dept = sample_depts[nsample_depts++];
				} else if (!strncmp(line + 1, "staff ", 6)) {
					taken_staff = realloc(taken_staff, sizeof(char *) * (size_t)(ntaken_staff + 1));
					taken_staff[ntaken_staff++] = strdup(line + 7);
					snprintf(cur_staff, sizeof(cur_staff), "%s", line + 7);
				}
			}
		} else if (cur_dept && !strncmp(line, "kind", 4)) {
			sample_dept_account[nsample_depts - 1] = strstr(line, "account") != NULL;
		} else if (cur_staff[0] && !strncmp(line, "rank", 4) && strstr(line, "= GM") &&
			   !sample_gm[0]) {
			snprintf(sample_gm, sizeof(sample_gm), "%s", cur_staff);
		}
		s = nl ? nl + 1 : s + n;
	}
}

static const char *cn_number(int n)
{
	static const char *const d[] = { "", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
	static char b[32];

	if (n < 10)
		snprintf(b, sizeof(b), "%s", d[n]);
	else if (n < 20)
		snprintf(b, sizeof(b), "十%s", d[n % 10]);
	else
		snprintf(b, sizeof(b), "%s十%s", d[n / 10], d[n % 10]);
	return b;
}

static void make_depts(int want)
{
	char code[8];
	int n = 0;

	depts = xcalloc((size_t)want, sizeof(*depts));
	/* the sample's own account departments first */
	for (int i = 0; i < nsample_depts && n < want; i++)
		if (sample_dept_account[i]) {
			snprintf(depts[n].code, sizeof(depts[n].code), "%s", sample_depts[i]);
			depts[n++].existing = 1;
		}
	for (int a = 'C'; a <= 'Z' && n < want; a++)
		for (int b = 'A'; b <= 'Z' && n < want; b++) {
			snprintf(code, sizeof(code), "%c%c", a, b);
			if (sample_has_dept(code))
				continue;
			snprintf(depts[n].code, sizeof(depts[n].code), "%s", code);
			depts[n++].existing = 0;
		}
	ndepts = n;
	for (int i = 0; i < ndepts; i++) {
		struct dept *d = &depts[i];
		d->ad = add_staff(AD, i);
		d->am = add_staff(AM, i);
		for (int k = 0; k < 3; k++)
			d->ae[k] = add_staff(AE, i);
		for (int k = 0; k < 2; k++)
			d->aae[k] = add_staff(AAE, i);
	}
}

static void append_ini(void)
{
	int num = 0;

	bput("\n; ---- generated by tests/bench/gen.c: the extra account departments and\n"
	     "; ---- staff a book of this size needs (at most 99 jobs a month each)\n");
	for (int i = 0; i < nsample_depts; i++)
		num += sample_dept_account[i];
	for (int i = 0; i < ndepts; i++) {
		if (depts[i].existing)
			continue;
		bf("\n[department %s]\nname = 客户服务%s部\nkind = account\n", depts[i].code,
		   cn_number(++num));
	}
	for (int i = 0; i < nstaff; i++) {
		const struct staff *s = &staff[i];
		const struct dept *d = &depts[s->dept];
		int boss = s->rank == AM ? d->ad : s->rank == AE ? d->am :
			   s->rank == AAE ? d->ae[i % 3] : -1;
		bf("\n[staff %s]\nname = %s\nrank = %s\ndepartment = %s\n", s->id, s->han,
		   rank_names[s->rank], d->code);
		if (boss >= 0)
			bf("reports_to = %s\n", staff[boss].id);
		else if (sample_gm[0])
			bf("reports_to = %s\n", sample_gm);
	}
}

static void copy_calendar(const char *sample)
{
	char src[4096], dst[4096];
	DIR *d;
	struct dirent *de;

	snprintf(src, sizeof(src), "%s/calendar", sample);
	d = opendir(src);
	if (!d)
		return;
	snprintf(dst, sizeof(dst), "%s/calendar", root);
	mkdir_p(dst);
	while ((de = readdir(d)) != NULL) {
		char from[8192], to[8192];
		struct stat st;
		size_t n;
		char *s;

		if (de->d_name[0] == '.')
			continue;
		snprintf(from, sizeof(from), "%s/%s", src, de->d_name);
		if (stat(from, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		snprintf(to, sizeof(to), "%s/%s", dst, de->d_name);
		s = read_file(from, &n);
		write_all(to, s, n);
		total_bytes += n;
		total_files++;
		free(s);
	}
	closedir(d);
}

/* ---------------------------------------------------------------- clients */

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int pick_city(void)
{
	int total = 0, r;

	for (size_t i = 0; i < NA(cities); i++)
		total += cities[i].weight;
	r = rnd(total);
	for (size_t i = 0; i < NA(cities); i++) {
		if (r < cities[i].weight)
			return (int)i;
		r -= cities[i].weight;
	}
	return 0;
}

static void make_clients(int n)
{
	int founding = ndepts * 3 < n ? ndepts * 3 : n;
	int first = days_from_civil(2017, 1, 2), last = days_from_civil(2026, 10, 31);
	int seq[NYEARS] = { 0 };

	int *fc = xmalloc(sizeof(int) * (size_t)n);

	/* a few founding clients on the first working day, then one every
	 * few (working) days; sorted, as pick_client() searches by it */
	for (int i = 0; i < n; i++) {
		if (i < founding)
			fc[i] = first;
		else
			fc[i] = first + 1 + (int)((long long)(i - founding) * (last - first - 1) / (n - founding)) + rnd(3);
		fc[i] = clampi(fc[i], first, last);
		if (weekday(fc[i]) >= 5)
			fc[i] -= weekday(fc[i]) - 4;
		if (fc[i] < first)
			fc[i] = first;
	}
	qsort(fc, (size_t)n, sizeof(int), cmp_int);
	clients = xcalloc((size_t)n, sizeof(*clients));
	nclients = n;
	for (int i = 0; i < n; i++) {
		struct client *c = &clients[i];
		const struct city *ct;
		int y, m, d;

		c->fc = fc[i];
		c->city = pick_city();
		c->brand = rnd((int)NA(brands));
		c->seg = chance(55) ? 0 : chance(34) ? 1 : chance(50) ? 2 : 3;	/* standard, real-estate, after-sales, retail */
		c->dept = i % ndepts;
		c->strategy = c->seg == 3 ? 2 : chance(70) ? 0 : chance(50) ? 1 : 2;
		c->agreed = c->fc + 14 + rnd(60);
		c->ae = chance(80) ? depts[c->dept].ae[rnd(3)] : depts[c->dept].aae[rnd(2)];
		civil_from_days(c->fc, &y, &m, &d);
		c->per_year_seq = ++seq[y - FIRST_YEAR];
		if (c->per_year_seq > 999)
			die("more than 999 clients in %d; lower RECORDS", y);
		ct = &cities[c->city];
		if (chance(8))
			snprintf(c->id, sizeof(c->id), "%s-%04d%02d-%s-%03d", ct->han, y, m,
				 brands[c->brand].han, c->per_year_seq);
		else
			snprintf(c->id, sizeof(c->id), "%s-%04d%02d-%s-%03d", ct->code, y, m,
				 brands[c->brand].py, c->per_year_seq);
		if (c->seg == 3)
			snprintf(c->name, sizeof(c->name), "%s%s%s（%s店）", brands[c->brand].han,
				 PICK(suffix_retail), "", PICK(roads));
		else
			snprintf(c->name, sizeof(c->name), "%s%s%s", ct->han, brands[c->brand].han,
				 c->seg == 0 ? PICK(suffix_standard) : c->seg == 1 ? PICK(suffix_estate) :
				 PICK(suffix_after));
		snprintf(c->addr, sizeof(c->addr), "%s市%s%s%d号%s", ct->han, c->city == 0 ? PICK(districts_sh) : PICK(districts),
			 PICK(roads), 1 + rnd(999), PICK(buildings));
		snprintf(c->phone, sizeof(c->phone), "%s-%d%07d", ct->area, 5 + rnd(4), rnd(10000000));
	}
	free(fc);
	/* per department, in first-contact order */
	dept_clients = xmalloc(sizeof(int) * (size_t)n);
	dept_clients_n = xcalloc((size_t)ndepts, sizeof(int));
	dept_clients_off = xcalloc((size_t)ndepts + 1, sizeof(int));
	for (int i = 0; i < n; i++)
		dept_clients_n[clients[i].dept]++;
	for (int k = 0; k < ndepts; k++)
		dept_clients_off[k + 1] = dept_clients_off[k] + dept_clients_n[k];
	{
		int *fill = xcalloc((size_t)ndepts, sizeof(int));
		for (int i = 0; i < n; i++) {
			int k = clients[i].dept;
			dept_clients[dept_clients_off[k] + fill[k]++] = i;
		}
		free(fill);
	}
}

static const char *lower(const char *s)
{
	static char b[32];
	size_t i;

	for (i = 0; s[i] && i < sizeof(b) - 1; i++)
		b[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	b[i] = '\0';
	return b;
}

static void write_client(int i)
{
	const struct client *c = &clients[i];
	const struct city *ct = &cities[c->city];
	const struct dept *d = &depts[c->dept];
	int signed_day = c->fc + 20 + rnd(60), start = signed_day + 7 + rnd(20);
	int years = 1 + rnd(3), fee = (5 + rnd(120)) * 8000;
	int inv = fee / 4 * rnd(5), unpaid = chance(60) ? 0 : inv / 3;
	char rel[256];

	bput("[client]\n");
	bf("id = %s\nname = %s\ncity = %s\nlocation = %s\nfirst_contact = %s\n", c->id, c->name,
	   ct->han, c->city == 0 ? "in-city" : "out-of-town", fd(c->fc));
	bf("department = %s\nae = %s\nam = %s\nad = %s\n", d->code, staff[c->ae].id,
	   staff[d->am].id, staff[d->ad].id);
	bf("status = %s\n", c->fc < NOW - 4 * 365 ? (chance(60) ? "ended" : "active") :
	   c->fc > NOW - 60 ? "prospect" : chance(90) ? "active" : "paused");
	bf("segment = %s\n", (const char *[]){ "standard", "real-estate", "after-sales", "retail" }[c->seg]);
	bf("strategy = %s\n", (const char *[]){ "agreed", "drafting", "none" }[c->strategy]);
	if (c->strategy == 0)
		bf("strategy_agreed = %s\n", fd(c->agreed));
	bput("contacts =\n");
	for (int k = 0, nk = 2 + rnd(2); k < nk; k++) {
		const struct py *sn = &PICK(surnames);
		if (k == 0 || chance(50))
			bf("    %s%s, %s, %s, %s.%c%c@%s.example.com\n", sn->han, PICK(given2),
			   PICK(titles_person), mobile(), sn->py, 'a' + rnd(26), 'a' + rnd(26),
			   lower(brands[c->brand].py));
		else
			bf("    %s%s, %s, %s-%d%07d\n", sn->han, PICK(given2), PICK(titles_person),
			   ct->area, 5 + rnd(4), rnd(10000000));
	}
	bf("address = %s\nphone = %s\n", c->addr, c->phone);
	bf("project = %d年度%s\n", year_of(signed_day),
	   (const char *[]){ "品牌整合传播服务", "营销推广服务", "售楼处包装及推广",
			     "系统实施及售后服务", "门店开业及促销物料" }[c->seg == 0 ? rnd(2) : c->seg + 1]);
	bf("project_manager = %s\n", staff[d->am].han);
	bf("implementation = %s, %s, %s\n", staff[c->ae].han, staff[d->aae[0]].han, staff[d->aae[1]].han);
	bf("signed = %s\nstarted = %s\nservice_start = %s\n", fd(signed_day), fd(start), fd(start));
	if (c->seg == 2) {
		int acc = start + 300 + rnd(60);
		bf("accepted = %s\nfree_service_start = %s\nfree_service_end = %s\n", fd(acc),
		   fd(acc + 1), fd(acc + 365));
	}
	bf("contract_start = %s\ncontract_end = %s\n", fd(start), fd(start + 365 * years - 1));
	bf("fee = %d.00\ninvoiced = %d.00\nunpaid = %d.00\n", fee, inv, unpaid);
	switch (c->seg) {
	case 1:
		bf("sales_site = %s%s售楼处（%s）\n", ct->han, brands[c->brand].han, PICK(roads));
		break;
	case 2: {
		int acc = start + 330;
		bput("handover_docs = survey, analysis, confirmation, acceptance, open-issues, contacts, server\n");
		bf("handover_complete = %s\naftersales_from = %s\ncallback_month = %d\n",
		   fd(acc + 90), fd(acc + 180), 1 + rnd(12));
		break;
	}
	case 3: {
		static const char *const banks[] = { "ABC", "ICBC", "CCB", "BOC", "BOCOM", "RCC" };
		const char *bank = PICK(banks);
		bf("order_phone = %s-%d%07d\n", ct->area, 2 + (i / 10000000) % 7, i % 10000000);
		bf("market_type = %s\n", (const char *[]){ "city", "county", "town", "village" }[rnd(4)]);
		bf("client_type = %s\n", (const char *[]){ "supermarket", "convenience", "grocery",
			"restaurant", "entertainment", "other" }[rnd(6)]);
		bf("route = %s%d号线（周%s送货）\n", ct->han, 1 + rnd(9),
		   (const char *[]){ "一、周四", "二、周五", "三、周六" }[rnd(3)]);
		bf("bank = %s\n", bank);
		if (!strcmp(bank, "ICBC"))
			bf("account = 180%06d%010d\n", rnd(1000000), i);
		else
			bf("account = 62%07d%010d\n", rnd(10000000), i);
		bf("id_card = %d%05d%04d%02d%02d%03d%d\n", 1 + rnd(6), rnd(100000), 1960 + rnd(40),
		   1 + rnd(12), 1 + rnd(28), rnd(1000), rnd(10));
		bf("verified_by = %s\n", staff[d->am].id);
		break;
	}
	}
	prose_field("notes", 2 + rnd(2), 18 + rnd(12));
	snprintf(rel, sizeof(rel), "%s/%s.ini", year_dir("clients", year_of(c->fc)), c->id);
	flush_to(rel);
}

/* a client of dept first contacted on or before day (any department if
 * none), or -1 */
static int pick_client(int dept, int day)
{
	int lo = 0, hi, n;

	if (dept >= 0) {
		const int *v = dept_clients + dept_clients_off[dept];
		n = dept_clients_n[dept];
		hi = n;
		while (lo < hi) {	/* count with fc <= day */
			int mid = (lo + hi) / 2;
			if (clients[v[mid]].fc <= day)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0)
			return v[rnd(lo)];
	}
	lo = 0;
	hi = nclients;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (clients[mid].fc <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? rnd(lo) : -1;
}

/* ------------------------------------------------------------------- jobs */

static int cmp_job_open(const void *pa, const void *pb)
{
	const struct job *a = pa, *b = pb;

	if (a->dept != b->dept)
		return a->dept - b->dept;
	if (a->day != b->day)
		return a->day - b->day;
	return a->minute - b->minute;
}

static int cmp_job_time(const void *pa, const void *pb)
{
	const struct job *a = pa, *b = pb;

	if (a->day != b->day)
		return a->day - b->day;
	if (a->minute != b->minute)
		return a->minute - b->minute;
	return strcmp(a->id, b->id);
}

static int pick_work(const struct client *c, int day)
{
	static const int weights[6] = { 35, 15, 20, 10, 12, 8 };
	int r = rnd(100), w = 0;

	for (int k = 0; k < 6; k++) {
		if (r < weights[k]) {
			w = k;
			break;
		}
		r -= weights[k];
	}
	/* JOB-4: creative work only for a client with a strategy agreed by then */
	if (w == 0 && (c->strategy != 0 || c->agreed > day))
		w = 1 + rnd(5);
	return w;
}

static void make_jobs(int n)
{
	int nrev = n / 10, norig = n - nrev;

	jobs = xcalloc((size_t)n, sizeof(*jobs));
	for (int mi = 0; mi < NMONTHS; mi++) {
		int k = (int)((long long)norig * (mi + 1) / NMONTHS - (long long)norig * mi / NMONTHS);
		int kr = (int)((long long)nrev * (mi + 1) / NMONTHS - (long long)nrev * mi / NMONTHS);
		int first = month_first(mi), last = month_last(mi), start = njobs;
		int *count = xcalloc((size_t)ndepts, sizeof(int));

		if (mi == 0)
			first += 2;	/* after the founding clients' first contact */
		for (int j = 0; j < k; j++) {
			struct job *jb = &jobs[njobs];
			int d = rnd(ndepts), tries = 0;
			while (count[d] >= 99) {
				d = (d + 1) % ndepts;
				if (++tries > ndepts)
					die("more than %d jobs in a month; lower RECORDS", 99 * ndepts);
			}
			count[d]++;
			memset(jb, 0, sizeof(*jb));
			jb->dept = d;
			jb->day = workday_in(first, last);
			jb->minute = 9 * 60 + rnd(8 * 60 + 30);
			jb->client = pick_client(d, jb->day);
			if (jb->client < 0)
				die("no client for a job on %s", fd(jb->day));
			jb->work = pick_work(&clients[jb->client], jb->day);
			jb->parent = -1;
			jb->issuer = chance(70) ? depts[d].ae[rnd(3)] : depts[d].aae[rnd(2)];
			njobs++;
		}
		/* JOBNO-3: numbered in the order opened, per department and month */
		qsort(jobs + start, (size_t)k, sizeof(*jobs), cmp_job_open);
		for (int j = start, prev = -1, s = 0; j < start + k; j++) {
			struct job *jb = &jobs[j];
			int y, m, dd;
			s = jb->dept == prev ? s + 1 : 1;
			prev = jb->dept;
			jb->seq = s;
			civil_from_days(jb->day, &y, &m, &dd);
			snprintf(jb->id, sizeof(jb->id), "%s-%02d%02d-%02d", depts[jb->dept].code,
				 y % 100, m, s);
		}
		/* revisions: -R1, -R2 ... of an original of the same month */
		for (int j = 0; j < kr && k > 0; j++) {
			struct job *jb = &jobs[njobs];
			int p = start + rnd(k), tries = 0;
			const struct job *pj;
			while (jobs[p].nrev >= 9 && tries++ < k)
				p = start + (p - start + 1) % k;
			if (jobs[p].nrev >= 9)
				break;
			pj = &jobs[p];
			*jb = *pj;
			jb->parent = p;
			jb->rev = ++jobs[p].nrev;
			jb->nrev = 0;
			jb->day = pj->day + 1 + rnd(10);
			if (jb->day > last) {
				jb->day = last;
				if (jb->day == pj->day)
					jb->minute = pj->minute + 30;
			}
			snprintf(jb->id, sizeof(jb->id), "%.24s-R%d", pj->id, jb->rev % 10);
			njobs++;
		}
		free(count);
	}
}

/* Each ticket's due, status and dates; then JOB-5: an original is not
 * closed out while a revision of it is still open, so it stays delivered. */
static void plan_jobs(void)
{
	for (int i = 0; i < njobs; i++) {
		struct job *jb = &jobs[i];
		int lead = 5 + rnd(15), due = jb->day + lead;
		int delivered = due - rnd(3), closed = delivered + 3 + rnd(25);
		const char *status;

		if (due < NOW - 30)
			status = chance(88) ? "closed" : chance(60) ? "delivered" : "cancelled";
		else if (due < NOW)
			status = chance(60) ? "delivered" : chance(70) ? "in-progress" : "closed";
		else
			status = chance(50) ? "open" : "in-progress";
		if (!strcmp(status, "closed") && closed > NOW)
			status = "delivered";
		if (delivered < jb->day)
			delivered = jb->day;
		jb->due = due;
		jb->delivered = delivered;
		jb->closed = closed;
		jb->status = status;
	}
	for (int i = 0; i < njobs; i++) {
		struct job *p = &jobs[jobs[i].parent];
		if (jobs[i].rev && !strcmp(p->status, "closed") && strcmp(jobs[i].status, "closed") &&
		    strcmp(jobs[i].status, "cancelled"))
			p->status = "delivered";
	}
}

static void write_job(int i)
{
	const struct job *jb = &jobs[i];
	const struct client *c = &clients[jb->client];
	const struct dept *d = &depts[jb->dept];
	int due = jb->due, due_min = 18 * 60;
	const char *status = jb->status;
	int delivered = jb->delivered, closed = jb->closed;
	char rel[256];

	bput("[job]\n");
	bf("id = %s\nform = %s\n", jb->id, jb->rev ? "revision" : chance(8) ? "concept" : "job");
	if (jb->rev)
		bf("parent = %s\n", jobs[jb->parent].id);
	bf("client = %s\n", c->id);
	bf("title = %s%s%s\n", brands[c->brand].han, job_titles[jb->work][rnd(6)],
	   jb->rev ? (const char *[]){ "修改", "调整", "补充修改" }[rnd(3)] : "");
	bf("work = %s\ndepartment = %s\nissuer = %s\nsigned_by = %s\n", work_names[jb->work],
	   d->code, staff[jb->issuer].id, staff[d->am].id);
	bf("assignees = %s, %s\n", staff[d->aae[rnd(2)]].id, staff[d->ae[rnd(3)]].id);
	bf("opened = %s\nclient_due = %s\ninternal_due = %s\n", fdt(jb->day, jb->minute),
	   fdt(due, due_min), fdt(due, 10 * 60));
	bf("status = %s\n", status);
	/* JOB-7: all but creative work is confirmed by the client before it
	 * is executed: on or before the delivery, never after today */
	if (jb->work != 0 &&
	    (!strcmp(status, "in-progress") || !strcmp(status, "delivered") || !strcmp(status, "closed"))) {
		int conf = jb->day + rnd(3);
		if (strcmp(status, "in-progress") && conf > delivered)
			conf = delivered;
		if (conf > NOW)
			conf = NOW;
		bf("confirmed = %s\n", fd(conf));
	}
	if (!strcmp(status, "delivered") || !strcmp(status, "closed"))
		bf("delivered = %s\n", fdt(delivered, 14 * 60 + rnd(4 * 60)));
	if (!strcmp(status, "closed"))
		bf("closed = %s\n", fd(closed));
	if (chance(70))
		bf("budget = %d.00\n", (2 + rnd(100)) * 1000);
	bput("summary = ");
	prose_line(16);
	bput("\n");
	prose_field("description", 2, 24 + rnd(10));
	if (jb->work == 0) {
		bput("brief =\n");
		bput("    背景：");
		prose_line(20);
		bput("\n    目标：");
		prose_line(16);
		bput("\n    受众：");
		prose_line(12);
		bput("\n    交付：");
		prose_line(12);
		bput("\n");
		/* JOB-1: the parts of a creative brief; a revision works to
		 * its original's */
		if (!jb->rev) {
			bput("brief_objective = 让");
			prose_line(14);
			bput("\nbrief_audience = 面向");
			prose_line(10);
			bput("\nbrief_message = 传达");
			prose_line(10);
			bput("\nbrief_deliverables = 交付");
			prose_line(10);
			bput("\n");
		}
	}
	if (strcmp(status, "closed") && strcmp(status, "cancelled")) {
		bput("next = ");
		prose_line(12);
		bput("\n");
	}
	snprintf(rel, sizeof(rel), "%s/%s.ini", year_dir("jobs", year_of(jb->day)), jb->id);
	flush_to(rel);
}

/* ------------------------------------------------- meetings and contacts */

static int cmp_meeting(const void *pa, const void *pb)
{
	const struct meeting *a = pa, *b = pb;

	return a->day != b->day ? a->day - b->day : a->minute - b->minute;
}

static int cmp_contact(const void *pa, const void *pb)
{
	const struct contact *a = pa, *b = pb;

	if (a->day != b->day)
		return a->day - b->day;
	if (a->minute != b->minute)
		return a->minute - b->minute;
	return a->meeting - b->meeting;
}

static void make_meetings_contacts(int nm, int nc)
{
	int first = START + 2;
	int *mseq_day = NULL, cap = END - START + 2;

	meetings = xcalloc((size_t)nm, sizeof(*meetings));
	contacts = xcalloc((size_t)nc + (size_t)nm, sizeof(*contacts));
	for (int i = 0; i < nm; i++) {
		struct meeting *m = &meetings[i];
		m->day = workday_in(first, END);
		m->minute = (9 + rnd(8)) * 60 + (rnd(2) ? 30 : 0);
		m->client = pick_client(-1, m->day);
		m->status = m->day > NOW ? 0 : chance(88) ? 1 : 2;	/* planned, held, cancelled */
		m->contact = -1;
	}
	qsort(meetings, (size_t)nm, sizeof(*meetings), cmp_meeting);
	mseq_day = xcalloc((size_t)cap, sizeof(int));
	for (int i = 0; i < nm; i++) {
		struct meeting *m = &meetings[i];
		int y, mo, d;
		while (mseq_day[m->day - START] >= 99 && m->day < END)
			m->day++;	/* a full day: the next one */
		if (mseq_day[m->day - START] >= 99)
			die("more than 99 meetings a day; lower RECORDS");
		civil_from_days(m->day, &y, &mo, &d);
		snprintf(m->id, sizeof(m->id), "MT-%04d%02d%02d-%02d", y, mo, d, ++mseq_day[m->day - START]);
		m->contact = -2;
	}
	nmeetings = nm;
	/* every held meeting gets its contact report; the rest are calls and visits */
	for (int i = 0; i < nm; i++)
		if (meetings[i].status == 1 && ncontacts < nc) {
			struct contact *c = &contacts[ncontacts++];
			c->day = meetings[i].day;
			c->minute = meetings[i].minute;
			c->client = meetings[i].client;
			c->meeting = i;
			c->occasion = 0;
		}
	while (ncontacts < nc) {
		struct contact *c = &contacts[ncontacts++];
		c->day = workday_in(first, NOW);
		c->minute = (9 + rnd(9)) * 60 + rnd(4) * 15;
		c->client = pick_client(-1, c->day);
		c->meeting = -1;
		c->occasion = chance(80) ? 1 : 2;	/* call, visit */
	}
	qsort(contacts, (size_t)ncontacts, sizeof(*contacts), cmp_contact);
	memset(mseq_day, 0, sizeof(int) * (size_t)cap);
	for (int i = 0; i < ncontacts; i++) {
		struct contact *c = &contacts[i];
		int y, mo, d;
		while (mseq_day[c->day - START] >= 99 && c->day < END)
			c->day++;	/* a full day: the next one */
		if (mseq_day[c->day - START] >= 99)
			die("more than 99 contact reports a day; lower RECORDS");
		civil_from_days(c->day, &y, &mo, &d);
		snprintf(c->id, sizeof(c->id), "CR-%04d%02d%02d-%02d", y, mo, d, ++mseq_day[c->day - START]);
		if (c->meeting >= 0)
			meetings[c->meeting].contact = i;
	}
	free(mseq_day);
}

static void write_meeting(int i)
{
	const struct meeting *m = &meetings[i];
	const struct client *c = &clients[m->client];
	const struct dept *d = &depts[c->dept];
	char rel[256];

	bput("[meeting]\n");
	bf("id = %s\nclient = %s\norganiser = %s\n", m->id, c->id, staff[c->ae].id);
	bf("who = %s（%s）, %s（%s）, %s, %s\n", person_name(), PICK(titles_person), person_name(),
	   PICK(titles_person), staff[c->ae].han, staff[d->am].han);
	bf("where = %s %s\n", c->name, PICK(rooms));
	bf("when = %s\nduration = %d\n", fdt(m->day, m->minute), (1 + rnd(6)) * 30);
	bf("topic = %s%s\n", brands[c->brand].han, PICK(topics));
	numbered_field("confirm", 2 + rnd(2));
	bput("agenda =\n");
	for (int k = 0, t = m->minute, nk = 2 + rnd(2); k < nk; k++) {
		int len = (1 + rnd(3)) * 15;
		bf("    %02d:%02d ", t / 60 % 24, t % 60);
		prose_line(10);
		bf("（%d分钟）\n", len);
		t += len;
	}
	bf("status = %s\n", (const char *[]){ "planned", "held", "cancelled" }[m->status]);
	bf("notice_sent = %s\n", fdt(m->day - 1 - rnd(3), 10 * 60 + rnd(6) * 30));
	if (chance(60))
		bf("confirm_call = %s\n", fdt(m->day - 1, 16 * 60 + rnd(4) * 15));
	if (m->status == 1) {
		prose_field("minutes", 2 + rnd(2), 20);
		bf("minutes_confirmed = %s\n", fd(m->day + 1 + rnd(3)));
		if (m->contact >= 0)
			bf("contact_report = %s\n", contacts[m->contact].id);
	}
	snprintf(rel, sizeof(rel), "%s/%s.ini", year_dir("meetings", year_of(m->day)), m->id);
	flush_to(rel);
}

static void write_contact(int i)
{
	const struct contact *ct = &contacts[i];
	const struct client *c = &clients[ct->client];
	const struct dept *d = &depts[c->dept];
	const char *p1 = person_name(), *p2 = person_name();
	char rel[256];

	bput("[contact]\n");
	bf("id = %s\nclient = %s\noccasion = %s\nheld = %s\n", ct->id, c->id,
	   (const char *[]){ "meeting", "call", "visit" }[ct->occasion], fdt(ct->day, ct->minute));
	if (ct->meeting >= 0)
		bf("meeting = %s\n", meetings[ct->meeting].id);
	bf("author = %s\n", staff[c->ae].id);
	bf("attendees = %s, %s, %s\n", p1, p2, staff[c->ae].han);
	bf("distribution = %s, %s, %s, %s, %s\n", p1, p2, staff[c->ae].id, staff[d->am].id,
	   staff[d->aae[rnd(2)]].id);
	bf("subject = %s\n", PICK(subjects));
	numbered_field("conclusions", 2 + rnd(2));
	if (chance(70))
		prose_field("discussion", 2, 22);
	bput("actions =\n");
	for (int k = 0, nk = 1 + rnd(3); k < nk; k++) {
		int due = ct->day + 2 + rnd(12);
		bf("    [%c] %s @%s ", due < NOW ? 'x' : ' ', fd(due),
		   staff[k ? d->aae[rnd(2)] : c->ae].id);
		prose_line(8);
		bput("\n");
	}
	bf("sent = %s\n", fdt(ct->day + 1, 9 * 60 + rnd(8) * 30));
	snprintf(rel, sizeof(rel), "%s/%s.ini", year_dir("contacts", year_of(ct->day)), ct->id);
	flush_to(rel);
}

/* ------------------------------------------------------------- complaints */

struct complaint { int day, minute, client; };

static int cmp_complaint(const void *pa, const void *pb)
{
	const struct complaint *a = pa, *b = pb;

	return a->day != b->day ? a->day - b->day : a->minute - b->minute;
}

static void make_write_complaints(int n)
{
	struct complaint *v = xcalloc((size_t)n, sizeof(*v));
	int cap = END - START + 2, *seq = xcalloc((size_t)cap, sizeof(int));
	static const char *const other_depts[] = { "CR", "PR", "MD", "FN" };

	for (int i = 0; i < n; i++) {
		v[i].day = workday_in(START + 2, NOW);
		v[i].minute = (9 + rnd(9)) * 60 + rnd(60);
		v[i].client = pick_client(-1, v[i].day);
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_complaint);
	for (int i = 0; i < n; i++) {
		const struct complaint *cp = &v[i];
		const struct client *c = &clients[cp->client];
		const struct dept *d = &depts[c->dept];
		char id[32], rel[256];
		const char *status, *resp;
		int y, mo, dd, day = cp->day, resolved;

		while (seq[day - START] >= 99 && day < END)
			day++;	/* a full day: the next one */
		if (seq[day - START] >= 99)
			die("more than 99 complaints a day; lower RECORDS");
		civil_from_days(day, &y, &mo, &dd);
		snprintf(id, sizeof(id), "TS-%04d%02d%02d-%02d", y, mo, dd, ++seq[day - START]);
		resolved = day + 1 + rnd(5);
		if (day < NOW - 30)
			status = chance(85) ? "closed" : "resolved";
		else
			status = (const char *[]){ "open", "in-progress", "resolved" }[rnd(3)];
		if (resolved + 3 > NOW && (!strcmp(status, "closed") || !strcmp(status, "resolved")))
			status = "in-progress";
		resp = chance(50) || !sample_has_dept("CR") ? d->code : PICK(other_depts);
		if (!sample_has_dept(resp))
			resp = d->code;
		bput("[complaint]\n");
		bf("id = %s\nreceived = %s\nrecorded_by = %s\n", id, fdt(day, cp->minute),
		   staff[d->aae[rnd(2)]].id);
		if (chance(92))
			bf("client = %s\n", c->id);
		bf("name = %s\nphone = %s\naddress = %s\nmanager = %s\n", c->name, c->phone, c->addr,
		   staff[c->ae].id);
		bf("gist =\n    %s%s%s，", PICK(titles_person), person_name(), PICK(gists));
		prose_line(10);
		bput("\n    ");
		prose_line(16);
		bput("\n");
		bf("kind = %s\nresponsible = %s\nstatus = %s\n", chance(60) ? "complaint" : "enquiry",
		   resp, status);
		bput("follow_up =\n");
		for (int k = 0, nk = 1 + rnd(3); k < nk; k++) {
			int fdday = day + k * 2, fy, fm, fdd;
			civil_from_days(fdday, &fy, &fm, &fdd);
			bf("    %02d-%02d %s", fm, fdd, staff[c->ae].han);
			prose_line(14);
			bput("\n");
		}
		if (!strcmp(status, "resolved") || !strcmp(status, "closed"))
			bf("resolved = %s\n", fdt(resolved, 11 * 60 + rnd(6 * 60)));
		if (!strcmp(status, "closed")) {
			bf("callback = %s\n", fdt(resolved + 1 + rnd(2), 10 * 60 + rnd(7 * 60)));
			bf("satisfaction = %s\n", chance(75) ? "satisfied" : chance(70) ? "neutral" : "unsatisfied");
		}
		snprintf(rel, sizeof(rel), "%s/%s.ini", year_dir("complaints", y), id);
		flush_to(rel);
	}
	free(v);
	free(seq);
}

/* ---------------------------------------------------------------- journal */

static void write_journal(long long lines)
{
	/* jobs by time opened, for the hours of the last two months */
	struct job *bytime = xmalloc(sizeof(*bytime) * (size_t)(njobs ? njobs : 1));
	int jlo = 0, jhi = 0, clo = 0, chi = 0, mlo = 0, mhi = 0, ccount = 0;
	char dir[2048];

	memcpy(bytime, jobs, sizeof(*bytime) * (size_t)njobs);
	qsort(bytime, (size_t)njobs, sizeof(*bytime), cmp_job_time);
	snprintf(dir, sizeof(dir), "%s/journal", root);
	mkdir_p(dir);
	for (int mi = 0; mi < NMONTHS; mi++) {
		long long n = lines * (mi + 1) / NMONTHS - lines * mi / NMONTHS;
		int first = month_first(mi), last = month_last(mi), wd = 0, w = 0;
		char rel[64];

		for (int d = first; d <= last; d++)
			wd += weekday(d) < 5;
		for (int day = first; day <= last; day++) {
			long long k;
			if (weekday(day) >= 5)
				continue;
			k = n * (w + 1) / wd - n * w / wd;
			w++;
			/* what exists by this day */
			while (ccount < nclients && clients[ccount].fc <= day)
				ccount++;
			while (jhi < njobs && bytime[jhi].day < day)
				jhi++;
			while (jlo < jhi && bytime[jlo].day < day - 60)
				jlo++;
			while (chi < ncontacts && contacts[chi].day < day)
				chi++;
			while (clo < chi && contacts[clo].day < day - 3)
				clo++;
			while (mlo < nmeetings && meetings[mlo].day <= day)
				mlo++;
			if (mhi < mlo)
				mhi = mlo;
			while (mhi < nmeetings && meetings[mhi].day <= day + 10)
				mhi++;
			for (long long i = 0; i < k; i++) {
				int minute = 8 * 60 + 30 + (int)(i * 600 / k);
				int r = rnd(100);
				const struct client *c = ccount ? &clients[rnd(ccount)] : NULL;
				const struct job *jb = jhi > jlo ? &bytime[jlo + rnd(jhi - jlo)] : NULL;
				const char *who;

				if (!c) {
					bf("# %s %02d:%02d nothing yet\n", fd(day), minute / 60, minute % 60);
					continue;
				}
				who = staff[c->ae].id;
				bf("%s %02d:%02d ", fd(day), minute / 60, minute % 60);
				if (r < 36 && jb) {
					const struct dept *d = &depts[jb->dept];
					bf("%s hours %s %d%s %s\n",
					   staff[rnd(2) ? d->aae[rnd(2)] : d->ae[rnd(3)]].id, jb->id,
					   1 + rnd(6), rnd(2) ? ".5" : "", PICK(jnotes));
				} else if (r < 64 || !jb) {
					bf("%s call %s%s %s\n", who, c->id, chance(10) ? " !" : "", PICK(jnotes));
				} else if (r < 72) {
					bf("%s sent weekly %s\n", who, c->id);
				} else if (r < 76 && chi > clo) {
					const struct contact *ct = &contacts[clo + rnd(chi - clo)];
					bf("%s sent report %s\n", staff[clients[ct->client].ae].id, ct->id);
				} else if (r < 78 && mhi > mlo) {
					const struct meeting *m = &meetings[mlo + rnd(mhi - mlo)];
					bf("%s sent notice %s\n", staff[clients[m->client].ae].id, m->id);
				} else if (r < 86) {
					bf("%s sent summary 今日小结及明日计划\n", who);
				} else if (r < 87) {
					bf("%s sent %s %s\n", who,
					   (const char *[]){ "monthly", "plan", "market", "holiday", "finance",
							     "callback" }[rnd(6)], c->id);
				} else if (r < 89) {
					bf("%s visit %s %s\n", who, c->id, PICK(jnotes));
				} else if (r < 95) {
					static const char *const cats[] = { "travel", "taxi", "meal", "print",
						"material", "gift", "postage", "other" };
					bf("%s expense %d.%02d %s %s %s\n", who, 10 + rnd(2000), rnd(100),
					   rnd(2) ? c->id : jb->id, PICK(cats), PICK(jnotes));
				} else if (r < 99) {
					int s = 18 * 60 + rnd(4) * 30, e = s + (1 + rnd(6)) * 30;
					bf("%s overtime %02d:%02d-%02d:%02d %s %s\n",
					   staff[depts[jb->dept].aae[rnd(2)]].id, s / 60, s % 60, e / 60 % 24,
					   e % 60, jb->id, PICK(jnotes));
				} else {
					bf("%s advance %d.00 %s %s\n", who, (1 + rnd(20)) * 500, c->id,
					   "差旅备用金");
				}
			}
		}
		snprintf(rel, sizeof(rel), "journal/%04d-%02d.log", FIRST_YEAR + mi / 12, mi % 12 + 1);
		flush_to(rel);
	}
	free(bytime);
}

/* ------------------------------------------------------------------- main */

int main(int argc, char **argv)
{
	long long records = 100000, lines = 1000000;
	const char *sample = getenv("GEN_SAMPLE");
	char path[4096], *ini;
	size_t ini_len;
	struct stat st;
	int nclient, njob, ncontact, nmeeting, ncompl;

	if (argc < 2 || argc > 4 || argv[1][0] == '-') {
		fprintf(stderr, "usage: gen DIR [RECORDS] [JOURNAL_LINES]\n");
		return 2;
	}
	if (argc > 2)
		records = atoll(argv[2]);
	if (argc > 3)
		lines = atoll(argv[3]);
	if (records < 100 || lines < 0)
		die("RECORDS must be at least 100 and JOURNAL_LINES at least 0");
	if (!sample || !*sample)
		sample = GEN_SAMPLE_DIR;
	snprintf(root, sizeof(root), "%s", argv[1]);
	snprintf(path, sizeof(path), "%s/ae.ini", root);
	if (stat(path, &st) == 0)
		die("%s already holds a book; remove it first", root);
	mkdir_p(root);

	START = days_from_civil(FIRST_YEAR, 1, 1);
	END = days_from_civil(FIRST_YEAR + NYEARS - 1, 12, 31);
	NOW = days_from_civil(2026, 11, 26);

	nclient = (int)(records * 2 / 100);
	njob = (int)(records / 2);
	ncontact = (int)(records * 30 / 100);
	nmeeting = (int)(records / 10);
	ncompl = (int)(records - nclient - njob - ncontact - nmeeting);
	if (nclient > 999 * NYEARS) {
		/* REC-2: a client number is three digits within its year */
		njob += nclient - 999 * NYEARS;
		nclient = 999 * NYEARS;
	}
	if (nclient < 1)
		nclient = 1;

	/* the settings: the sample's ae.ini and calendar, plus departments */
	snprintf(path, sizeof(path), "%s/ae.ini", sample);
	ini = read_file(path, &ini_len);
	scan_sample_ini(ini);
	{
		int per_month = (njob - njob / 10) / NMONTHS + 1;
		int want = (per_month + 29) / 30;	/* about 30 a month each: far from 99 */
		make_depts(want < 2 ? 2 : want);
	}
	bput(ini);
	if (ini_len && ini[ini_len - 1] != '\n')
		bput("\n");
	free(ini);
	append_ini();
	flush_to("ae.ini");
	copy_calendar(sample);

	make_clients(nclient);
	for (int i = 0; i < nclients; i++)
		write_client(i);
	make_jobs(njob);
	plan_jobs();
	for (int i = 0; i < njobs; i++)
		write_job(i);
	make_meetings_contacts(nmeeting, ncontact);
	for (int i = 0; i < nmeetings; i++)
		write_meeting(i);
	for (int i = 0; i < ncontacts; i++)
		write_contact(i);
	make_write_complaints(ncompl);
	write_journal(lines);

	printf("gen: %s: %d clients, %d jobs, %d contacts, %d meetings, %d complaints "
	       "(%d records), %lld journal lines in %d files; %d departments, %d staff added; "
	       "%llu files, %llu bytes\n",
	       root, nclients, njobs, ncontacts, nmeetings, ncompl,
	       nclients + njobs + ncontacts + nmeetings + ncompl, lines, NMONTHS, ndepts, nstaff,
	       total_files, total_bytes);
	free(B.s);
	return 0;
}
