/* template.c -- see template.h */
#include "template.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fileio.h"
#include "strmap.h"

#define MAX_LISTED 20	/* staff or departments listed by name; more are "see ae.ini" */

/* What a field of this type takes, in the book's language. */
static void describe_type(struct strbuf *sb, const struct book *b, const struct fieldspec *fd,
			  int zh)
{
	const struct config *cfg = &b->cfg;

	switch (fd->type) {
	case FT_TEXT:
		sb_addstr(sb, zh ? "一行文字" : "one line of text");
		if (fd->has_max)
			sb_addf(sb, zh ? "，最多 %ld 字" : ", at most %ld characters", fd->max);
		break;
	case FT_PROSE:
		sb_addstr(sb, zh ? "多行文字，续行以空格缩进" : "text over lines, continuation lines indented");
		if (fd->has_min)
			sb_addf(sb, zh ? "，至少 %ld 字" : ", at least %ld characters", fd->min);
		break;
	case FT_LINES:
		sb_addstr(sb, zh ? "每行一项，续行以空格缩进" : "one item a line, continuation lines indented");
		break;
	case FT_DATE:
		sb_addstr(sb, zh ? "日期 YYYY-MM-DD" : "a date YYYY-MM-DD");
		break;
	case FT_DATETIME:
		sb_addstr(sb, zh ? "日期时间 YYYY-MM-DD HH:MM" : "a date and time YYYY-MM-DD HH:MM");
		break;
	case FT_TIME:
		sb_addstr(sb, zh ? "时间 HH:MM" : "a time HH:MM");
		break;
	case FT_ENUM:
		sb_addstr(sb, zh ? "可选 " : "one of ");
		enum_describe(sb, fd->values, fd->nvalues, fd->labels, fd->nlabels);
		break;
	case FT_LIST:
		sb_addstr(sb, zh ? "以逗号分隔的多项" : "items separated by commas");
		if (fd->nvalues) {
			sb_addstr(sb, zh ? "，可选 " : ", from ");
			enum_describe(sb, fd->values, fd->nvalues, fd->labels, fd->nlabels);
		}
		break;
	case FT_BOOL:
		sb_addstr(sb, zh ? "yes 或 no" : "yes or no");
		break;
	case FT_INT:
	case FT_NUMBER:
		sb_addstr(sb, fd->type == FT_INT ? (zh ? "整数" : "a whole number") : (zh ? "数字" : "a number"));
		if (fd->has_min && fd->has_max)
			sb_addf(sb, zh ? " %ld 至 %ld" : " from %ld to %ld", fd->min, fd->max);
		break;
	case FT_MONEY:
		sb_addstr(sb, zh ? "金额，如 12000.50（不写 ¥ 和逗号）" : "an amount like 12000.50 (no ¥, no commas)");
		break;
	case FT_PHONE:
		sb_addstr(sb, zh ? "电话号码" : "a phone number");
		break;
	case FT_EMAIL:
		sb_addstr(sb, zh ? "电子邮件地址" : "an e-mail address");
		break;
	case FT_STAFF:
	case FT_STAFF_LIST:
		sb_addstr(sb, fd->type == FT_STAFF ? (zh ? "员工 ID" : "a staff ID") :
			  (zh ? "以逗号分隔的员工 ID" : "staff IDs separated by commas"));
		if (cfg->nstaff <= MAX_LISTED) {
			sb_addstr(sb, zh ? "：" : ": ");
			for (size_t i = 0; i < cfg->nstaff; i++)
				sb_addf(sb, "%s%s%s%s", i ? ", " : "", cfg->staff[i].id,
					cfg->staff[i].name ? " " : "",
					cfg->staff[i].name ? cfg->staff[i].name : "");
		} else {
			sb_addstr(sb, zh ? "（ae.ini 的 [staff ID]）" : " ([staff ID] of ae.ini)");
		}
		break;
	case FT_DEPT:
		sb_addstr(sb, zh ? "部门代码" : "a department code");
		if (cfg->ndepts <= MAX_LISTED) {
			sb_addstr(sb, zh ? "：" : ": ");
			for (size_t i = 0; i < cfg->ndepts; i++)
				sb_addf(sb, "%s%s%s%s", i ? ", " : "", cfg->depts[i].code,
					cfg->depts[i].name ? " " : "",
					cfg->depts[i].name ? cfg->depts[i].name : "");
		}
		break;
	case FT_CLIENT:
	case FT_JOB:
	case FT_MEETING:
	case FT_CONTACT:
	case FT_COMPLAINT: {
		int k = ftype_ref_kind(fd->type);
		if (zh)
			sb_addf(sb, "%s的编号（%s/ 下的文件名）", b->fmts.kinds[k].label, b->fmts.kinds[k].folder);
		else
			sb_addf(sb, "the identifier of a %s (a file name in %s/)", kind_names[k],
				b->fmts.kinds[k].folder);
		break;
	}
	case FT_ACTIONS:
		sb_addstr(sb, zh ? "每行一项：[ ] YYYY-MM-DD @员工ID 事项" :
			  "one a line: [ ] YYYY-MM-DD @staff-ID what");
		break;
	case FT__N:
		break;
	}
}

/* "必填", "选填", or when: "status 为 delivered/closed 时必填". */
static void describe_need(struct strbuf *sb, const struct format *fmt, const struct fieldspec *fd,
			  int zh)
{
	if (fd->required) {
		sb_addstr(sb, zh ? "必填" : "required");
		return;
	}
	if (!fd->nreq_if) {
		sb_addstr(sb, zh ? "选填" : "optional");
		return;
	}
	sb_addstr(sb, zh ? "当 " : "required when ");
	for (int i = 0; i < fd->nreq_if; i++) {
		const struct cond *c = &fd->req_if[i];
		if (c->field < 0)
			continue;
		sb_addf(sb, "%s%s %s ", i ? (zh ? " 且 " : " and ") : "", fmt->fields[c->field].name,
			c->negate ? (zh ? "不为" : "is not") : (zh ? "为" : "is"));
		for (int k = 0; k < c->nvalues; k++)
			sb_addf(sb, "%s%s", k ? "/" : "", c->values[k]);
	}
	if (zh)
		sb_addstr(sb, " 时必填");
}

/* The help line of one field, without its newline. */
static void help_line(struct strbuf *sb, const struct book *b, const struct format *fmt,
		      const struct fieldspec *fd, int zh)
{
	sb_addstr(sb, ";; ");
	if (zh && fd->label)
		sb_addf(sb, "%s %s：", fd->label, fd->name);
	else if (fd->label)
		sb_addf(sb, "%s (%s): ", fd->name, fd->label);
	else
		sb_addf(sb, zh ? "%s：" : "%s: ", fd->name);
	describe_need(sb, fmt, fd, zh);
	sb_addstr(sb, zh ? "；" : "; ");
	describe_type(sb, b, fd, zh);
	if (fd->message && (fd->type == FT_LINES || fd->type == FT_TEXT || fd->type == FT_PROSE))
		sb_addf(sb, zh ? "（%s）" : " (%s)", fd->message);
}

static const char *header(int zh)
{
	return zh ? ";; 填好各字段后保存退出。以 ;; 开头的说明行会在保存时删除；值可写标签（如 市内）。" :
		    ";; Fill in the fields, save and quit. The ';;' help lines are removed when saved; values may be given by their labels.";
}

static const char *optional_head(int zh)
{
	return zh ? ";; 也可以填写这些选填字段（另起一行写 字段 = 值）：" :
		    ";; The record may also have these optional fields (write them as 'name = value'):";
}

/* The field a line "name = ..." sets, or -1. */
static int field_of_line(const struct format *fmt, const char *line, size_t n)
{
	size_t k = 0;
	char name[128];

	while (k < n && k < sizeof(name) - 1 && line[k] != ' ' && line[k] != '=' && line[k] != '\t')
		k++;
	if (!k || k >= sizeof(name) - 1 || (line[0] == ';' || line[0] == '#' || line[0] == '['))
		return -1;
	memcpy(name, line, k);
	name[k] = '\0';
	return format_field(fmt, name);
}

char *template_annotate(const struct book *b, int kind, const char *text)
{
	const struct format *fmt = &b->fmts.kinds[kind];
	int zh = !strcmp(b->cfg.lang, "zh");
	unsigned char *present = xcalloc((size_t)fmt->nfields + 1, 1);
	struct strbuf out = STRBUF_INIT;
	int optional = 0;

	for (const char *s = text; *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		int f = field_of_line(fmt, s, n);

		if (f >= 0 && strcmp(fmt->fields[f].name, "id")) {
			help_line(&out, b, fmt, &fmt->fields[f], zh);
			sb_addch(&out, '\n');
			present[f] = 1;
		}
		sb_add(&out, s, n);
		sb_addch(&out, '\n');
		if (s == text && *s == '[') {
			sb_addstr(&out, header(zh));
			sb_addch(&out, '\n');
		}
		s += n + (nl != NULL);
	}
	for (int f = 0; f < fmt->nfields; f++) {
		const struct fieldspec *fd = &fmt->fields[f];
		if (present[f] || !strcmp(fd->name, "id") || fd->written_by_ae)
			continue;
		if (!optional++) {
			sb_addstr(&out, optional_head(zh));
			sb_addch(&out, '\n');
		}
		help_line(&out, b, fmt, fd, zh);
		sb_addch(&out, '\n');
	}
	free(present);
	return sb_detach(&out);
}

int template_strip(const struct book *b, int kind, const char *text, size_t len,
		   struct strbuf *out)
{
	const struct format *fmt = &b->fmts.kinds[kind];
	int zh = !strcmp(b->cfg.lang, "zh"), removed = 0;
	struct strlist lines = { 0 };
	struct strmap help;

	/* every line this module writes for the kind, whatever was in the template */
	memset(&help, 0, sizeof(help));
	strlist_add(&lines, header(zh));
	strlist_add(&lines, optional_head(zh));
	for (int f = 0; f < fmt->nfields; f++) {
		struct strbuf sb = STRBUF_INIT;
		help_line(&sb, b, fmt, &fmt->fields[f], zh);
		strlist_add_owned(&lines, sb_detach(&sb));
	}
	for (size_t i = 0; i < lines.n; i++)
		strmap_put(&help, lines.v[i], (void *)1);
	sb_reset(out);
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i, m = n;
		char *line;
		if (m && text[i + m - 1] == '\r')
			m--;	/* an editor may have written CRLF */
		line = xstrndup(text + i, m);
		if (!strncmp(line, ";;", 2) && strmap_get(&help, line))
			removed = 1;
		else
			sb_add(out, text + i, n + (nl != NULL));
		free(line);
		i += n + (nl != NULL);
	}
	sb_grow(out, 0);
	strmap_release(&help);
	strlist_release(&lines);
	return removed;
}
