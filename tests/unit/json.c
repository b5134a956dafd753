/*
 * Unit test of json.c's json_strn: strings of every length up to 80
 * bytes, with a byte to escape (a control character, '"', '\\') or a
 * UTF-8 byte at every place, written after text already in the buffer,
 * against a byte-at-a-time writer of the same JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/json.h"

static void ref(struct strbuf *sb, const unsigned char *s, size_t n)
{
	sb_addch(sb, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned c = s[i];
		if (c == '"')
			sb_addstr(sb, "\\\"");
		else if (c == '\\')
			sb_addstr(sb, "\\\\");
		else if (c == '\n')
			sb_addstr(sb, "\\n");
		else if (c == '\r')
			sb_addstr(sb, "\\r");
		else if (c == '\t')
			sb_addstr(sb, "\\t");
		else if (c < 0x20)
			sb_addf(sb, "\\u%04x", c);
		else
			sb_addch(sb, (char)c);
	}
	sb_addch(sb, '"');
}

int main(void)
{
	static const unsigned char odd[] = { 0x00, 0x01, 0x1f, '"', '\\', '\n', '\t', 0x20,
					     0x7f, 0x80, 0xe4, 0xff };
	unsigned char s[96];
	int checks = 0, failures = 0;

	for (size_t n = 0; n <= 80; n++)
		for (size_t at = 0; at <= n; at++)
			for (size_t k = 0; k < sizeof(odd); k++)
				for (size_t lead = 0; lead < 3; lead++) {
					struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;
					for (size_t i = 0; i < n; i++)
						s[i] = (unsigned char)('a' + (i * 7 + k) % 26);
					if (at < n)
						s[at] = odd[k];
					/* a second one further on */
					if (at + 17 < n)
						s[at + 17] = odd[(k + 3) % sizeof(odd)];
					for (size_t i = 0; i < lead * 5; i++) {
						sb_addch(&got, 'x');
						sb_addch(&want, 'x');
					}
					json_strn(&got, (const char *)s, n);
					ref(&want, s, n);
					checks++;
					if (got.len != want.len || memcmp(got.buf, want.buf, got.len) ||
					    got.buf[got.len]) {
						printf("json.c: json_strn of %zu bytes, %02x at %zu: got %s, want %s\n",
						       n, odd[k], at, got.buf, want.buf);
						failures++;
					}
					sb_release(&got);
					sb_release(&want);
				}
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
