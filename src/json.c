/* json.c -- see json.h */
#include "json.h"

#include <string.h>

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
