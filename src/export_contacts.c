/* export_contacts.c -- see export_contacts.h */
#include "export_contacts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

/* Surnames of two characters (复姓), kept whole in N. */
static const char *const compound_surnames[] = {
	"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容",
	"长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "澹台", "端木",
};

/* s[0..n) trimmed of blanks, owned. */
static char *part(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

/* The next comma, ASCII or Chinese (U+FF0C), in s[0..n), or NULL; *w its width. */
static const char *next_comma(const char *s, size_t n, size_t *w)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ',') {
			*w = 1;
			return s + i;
		}
		if (i + 3 <= n && !memcmp(s + i, "\xEF\xBC\x8C", 3)) {
			*w = 3;
			return s + i;
		}
	}
	return NULL;
}

void people_add(struct people *p, const struct book *b, const struct record *r)
{
	int fc = book_field(b, K_CLIENT, "contacts");
	const char *lines = fc >= 0 ? rec_str(r, fc) : NULL;
	int fn = book_field(b, K_CLIENT, "name"), fa = book_field(b, K_CLIENT, "address");

	for (const char *s = lines; s && *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char *f[4] = { NULL, NULL, NULL, NULL };
		const char *at = s;
		size_t left = len;

		/* name, title, phone, then the rest is the e-mail */
		for (int k = 0; k < 4; k++) {
			size_t w = 0;
			const char *c = k < 3 ? next_comma(at, left, &w) : NULL;
			size_t n = c ? (size_t)(c - at) : left;
			f[k] = part(at, n);
			if (!c) {
				for (int j = k + 1; j < 4; j++)
					f[j] = xstrdup("");
				break;
			}
			left -= n + w;
			at = c + w;
		}
		if (*f[0]) {
			struct person *pe;
			ALLOC_GROW(p->v, p->n + 1, p->alloc);
			pe = &p->v[p->n++];
			pe->client = r->id;
			pe->org = fn >= 0 && rec_str(r, fn) ? rec_str(r, fn) : "";
			pe->address = fa >= 0 && rec_str(r, fa) ? rec_str(r, fa) : "";
			pe->name = f[0];
			pe->title = f[1];
			pe->phone = f[2];
			pe->email = f[3];
		} else {
			for (int k = 0; k < 4; k++)
				free(f[k]);
		}
		s = nl ? nl + 1 : s + len;
	}
}

void people_release(struct people *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].title);
		free(p->v[i].phone);
		free(p->v[i].email);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* A text value of RFC 6350 (3.4): backslash, comma, semicolon, line end escaped. */
static void vtext(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == ',' || *s == ';')
			sb_addch(sb, '\\');
		if (*s == '\n') {
			sb_addstr(sb, "\\n");
			continue;
		}
		sb_addch(sb, *s);
	}
}

/* line (no line end) folded at 75 bytes, never inside a character, then CRLF. */
static void content_line(struct strbuf *out, const struct strbuf *line)
{
	size_t i = 0, room = 75;

	while (line->len - i > room) {
		size_t cut = i + room;
		while (cut > i && ((unsigned char)line->buf[cut] & 0xC0) == 0x80)
			cut--;
		sb_add(out, line->buf + i, cut - i);
		sb_addstr(out, "\r\n ");
		i = cut;
		room = 74;	/* the leading space counts */
	}
	sb_add(out, line->buf + i, line->len - i);
	sb_addstr(out, "\r\n");
}

static void prop(struct strbuf *out, const char *name, const char *value, int escape)
{
	struct strbuf line = STRBUF_INIT;

	sb_addstr(&line, name);
	sb_addch(&line, ':');
	if (escape)
		vtext(&line, value);
	else
		sb_addstr(&line, value);
	content_line(out, &line);
	sb_release(&line);
}

static uint64_t fnv64(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* A UUID (RFC 9562 version 8) from the client's code and the person's name. */
static void uid(struct strbuf *out, const struct person *pe)
{
	uint64_t a = fnv64(pe->name, fnv64(pe->client, 0xcbf29ce484222325ULL));
	uint64_t b = fnv64(pe->client, fnv64(pe->name, 0x84222325cbf29ce4ULL));
	char v[64];

	a = (a & ~0xF000ULL) | 0x8000ULL;			/* version 8 */
	b = (b & ~(3ULL << 62)) | (2ULL << 62);			/* the variant */
	snprintf(v, sizeof(v), "urn:uuid:%08x-%04x-%04x-%04x-%012llx",
		 (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xFFFF, (unsigned)a & 0xFFFF,
		 (unsigned)(b >> 48), (unsigned long long)(b & 0xFFFFFFFFFFFFULL));
	prop(out, "UID", v, 0);
}

/* N: family;given;;; -- a Chinese name's surname is its first character
 * (or a compound surname); other names end in the family name. */
static void name_parts(struct strbuf *out, const char *name)
{
	struct strbuf line = STRBUF_INIT;
	size_t n = strlen(name), cut = 0;
	int len, han = n > 0 && utf8_is_han(utf8_decode(name, &len));
	const char *sp = strrchr(name, ' ');

	if (han) {
		cut = (size_t)len;
		for (size_t i = 0; i < ARRAY_SIZE(compound_surnames); i++)
			if (!strncmp(name, compound_surnames[i], strlen(compound_surnames[i])) &&
			    n > strlen(compound_surnames[i]))
				cut = strlen(compound_surnames[i]);
		if (cut >= n)
			cut = 0;
	}
	sb_addstr(&line, "N:");
	if (han && cut) {
		char *fam = xstrndup(name, cut);
		vtext(&line, fam);
		sb_addch(&line, ';');
		vtext(&line, name + cut);
		free(fam);
	} else if (!han && sp) {
		char *given = xstrndup(name, (size_t)(sp - name));
		vtext(&line, sp + 1);
		sb_addch(&line, ';');
		vtext(&line, given);
		free(given);
	} else {
		sb_addch(&line, ';');
		vtext(&line, name);
	}
	sb_addstr(&line, ";;;");
	content_line(out, &line);
	sb_release(&line);
}

/* A mainland mobile number: 11 digits from 13-19. */
static int is_mobile(const char *phone)
{
	char d[32];
	size_t n = 0;

	for (const char *s = phone; *s && n < sizeof(d) - 1; s++)
		if (*s >= '0' && *s <= '9')
			d[n++] = *s;
	d[n] = '\0';
	if (n == 13 && !strncmp(d, "86", 2))
		memmove(d, d + 2, 12), n = 11;
	return n == 11 && d[0] == '1' && d[1] >= '3';
}

void people_vcard(struct strbuf *out, const struct people *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct person *pe = &p->v[i];
		struct strbuf line = STRBUF_INIT;

		sb_addstr(out, "BEGIN:VCARD\r\nVERSION:4.0\r\n");
		prop(out, "PRODID", "-//ae//ae export contacts//EN", 0);
		uid(out, pe);
		prop(out, "FN", pe->name, 1);
		name_parts(out, pe->name);
		if (*pe->org)
			prop(out, "ORG", pe->org, 1);
		if (*pe->title)
			prop(out, "TITLE", pe->title, 1);
		if (*pe->phone)
			prop(out, is_mobile(pe->phone) ? "TEL;VALUE=text;TYPE=cell" : "TEL;VALUE=text;TYPE=work,voice",
			     pe->phone, 1);
		if (*pe->email)
			prop(out, "EMAIL;TYPE=work", pe->email, 1);
		if (*pe->address) {
			sb_addstr(&line, "ADR;TYPE=work:;;");
			vtext(&line, pe->address);
			sb_addstr(&line, ";;;;");
			content_line(out, &line);
		}
		prop(out, "CATEGORIES", pe->client, 1);
		prop(out, "X-AE-CLIENT", pe->client, 1);
		sb_addstr(out, "END:VCARD\r\n");
		sb_release(&line);
	}
}

/* One CSV cell (RFC 4180), then a comma or the row's end (ae(1), CSV
 * AND JSON: the convention every CSV of ae follows, json.h). */
static void csv_cell(struct strbuf *sb, const char *s, int last)
{
	csv_field(sb, s);
	if (last)
		csv_end_row(sb);
	else
		sb_addch(sb, ',');
}

void people_csv(struct strbuf *out, const struct people *p, int zh, int bom)
{
	static const char *const head_zh[] = { "客户代码", "客户名称", "姓名", "职务", "电话", "邮箱", "地址" };
	static const char *const head_en[] = { "client", "client name", "name", "title", "phone", "e-mail", "address" };

	csv_start(out, bom);
	for (size_t k = 0; k < ARRAY_SIZE(head_zh); k++)
		csv_cell(out, zh ? head_zh[k] : head_en[k], k + 1 == ARRAY_SIZE(head_zh));
	for (size_t i = 0; i < p->n; i++) {
		const struct person *pe = &p->v[i];
		const char *cells[] = { pe->client, pe->org, pe->name, pe->title, pe->phone,
					pe->email, pe->address };
		for (size_t k = 0; k < ARRAY_SIZE(cells); k++)
			csv_cell(out, cells[k], k + 1 == ARRAY_SIZE(cells));
	}
}
