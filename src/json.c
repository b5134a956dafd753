/* json.c -- see json.h */
#include "json.h"

#include <string.h>

#include "tz.h"

void json_strn(struct strbuf *sb, const char *s, size_t n)
{
	sb_addch(sb, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': sb_add(sb, "\\\"", 2); break;
		case '\\': sb_add(sb, "\\\\", 2); break;
		case '\n': sb_add(sb, "\\n", 2); break;
		case '\r': sb_add(sb, "\\r", 2); break;
		case '\t': sb_add(sb, "\\t", 2); break;
		default:
			if (c < 0x20)
				sb_addf(sb, "\\u%04x", c);
			else
				sb_addch(sb, c);
		}
	}
	sb_addch(sb, '"');
}

void json_str(struct strbuf *sb, const char *s)
{
	if (!s)
		sb_addstr(sb, "null");
	else
		json_strn(sb, s, strlen(s));
}

void csv_field(struct strbuf *sb, const char *s)
{
	if (!s)
		s = "";
	if (strpbrk(s, ",\"\r\n")) {
		sb_addch(sb, '"');
		for (; *s; s++) {
			if (*s == '"')
				sb_addch(sb, '"');
			sb_addch(sb, *s);
		}
		sb_addch(sb, '"');
	} else {
		sb_addstr(sb, s);
	}
}

void json_moment(struct strbuf *sb, const char *tz, moment_t m)
{
	char buf[40];

	tz_rfc3339_moment(buf, sizeof(buf), tz, m);
	json_str(sb, buf);
}

void csv_start(struct strbuf *sb, int bom)
{
	/* the mark is how Excel knows the file is UTF-8 and not the ANSI
	 * code page (GBK on a Chinese Windows) */
	if (bom)
		sb_addstr(sb, "\xEF\xBB\xBF");
}

void csv_end_row(struct strbuf *sb)
{
	sb_addstr(sb, "\r\n");
}
