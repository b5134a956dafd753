/* sbfmt.c -- see sbfmt.h */
#include "sbfmt.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

/* One conversion, as read from the format. */
struct spec {
	int left, zero;		/* flags '-' and '0' */
	int width;		/* -1: none */
	int prec;		/* -1: none; -2: from the arguments */
	int len;		/* 0, 'H' (hh), 'h', 'l', 'L' (ll), 'z', 'j', 't' */
	char conv;
};

/* Read the conversion after a '%' at *p; 0 when this file does not do
 * it (then printf does the whole format). */
static int read_spec(const char **pp, struct spec *s)
{
	const char *p = *pp;

	memset(s, 0, sizeof(*s));
	s->width = s->prec = -1;
	for (;; p++) {
		if (*p == '-')
			s->left = 1;
		else if (*p == '0')
			s->zero = 1;
		else if (*p == ' ' || *p == '+' || *p == '#' || *p == '\'' || *p == 'I')
			return 0;
		else
			break;
	}
	if (*p == '*') {
		return 0;
	} else if (*p >= '1' && *p <= '9') {
		s->width = 0;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (s->width > 100000)
				return 0;
			s->width = s->width * 10 + (*p - '0');
		}
		if (*p == '$')
			return 0;	/* positional arguments */
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			s->prec = -2;
			p++;
		} else {
			s->prec = 0;
			for (; *p >= '0' && *p <= '9'; p++) {
				if (s->prec > 100000)
					return 0;
				s->prec = s->prec * 10 + (*p - '0');
			}
		}
	}
	switch (*p) {
	case 'h':
		s->len = p[1] == 'h' ? 'H' : 'h';
		p += p[1] == 'h' ? 2 : 1;
		break;
	case 'l':
		s->len = p[1] == 'l' ? 'L' : 'l';
		p += p[1] == 'l' ? 2 : 1;
		break;
	case 'z': case 'j': case 't':
		s->len = *p++;
		break;
	default:
		break;
	}
	s->conv = *p;
	switch (*p) {
	case 's': case 'c':
		/* '0' on a string is printf's own business; so is %ls */
		if (s->zero || s->len)
			return 0;
		if (*p == 'c' && s->prec != -1)
			return 0;
		break;
	case 'd': case 'i': case 'u': case 'x':
		if (s->prec != -1)
			return 0;
		break;
	case '%':
		if (p != *pp)
			return 0;
		break;
	default:
		return 0;
	}
	*pp = p + 1;
	return 1;
}

/* n bytes of s, padded to the spec's width with pad. */
static void put(struct strbuf *sb, const struct spec *s, const char *str, size_t n,
		const char *sign, char pad)
{
	size_t signlen, w, fill;
	char *o;

	if (s->width < 0 && !*sign) {
		sb_add(sb, str, n);
		return;
	}
	signlen = strlen(sign);
	w = n + signlen;
	fill = s->width > 0 && (size_t)s->width > w ? (size_t)s->width - w : 0;

	sb_grow(sb, w + fill);
	o = sb->buf + sb->len;
	if (!s->left && pad == ' ') {
		memset(o, ' ', fill);
		o += fill;
	}
	memcpy(o, sign, signlen);
	o += signlen;
	if (!s->left && pad == '0') {
		memset(o, '0', fill);
		o += fill;
	}
	memcpy(o, str, n);
	o += n;
	if (s->left) {
		memset(o, ' ', fill);
		o += fill;
	}
	*o = '\0';
	sb->len = (size_t)(o - sb->buf);
}

static void put_number(struct strbuf *sb, const struct spec *s, uintmax_t v, int neg)
{
	char digits[3 * sizeof(uintmax_t) + 2], *d = digits + sizeof(digits);
	static const char hex[] = "0123456789abcdef";
	unsigned base = s->conv == 'x' ? 16 : 10;

	do {
		*--d = hex[v % base];
		v /= base;
	} while (v);
	put(sb, s, d, (size_t)(digits + sizeof(digits) - d), neg ? "-" : "",
	    s->zero && !s->left ? '0' : ' ');
}

void sbfmt_vadd(struct strbuf *sb, const char *fmt, va_list ap)
{
	const char *p = fmt;
	size_t start = sb->len;
	va_list from_start;

	va_copy(from_start, ap);
	sb_grow(sb, 0);
	for (;;) {
		const char *pct = strchr(p, '%');
		struct spec s;

		if (!pct) {
			sb_addstr(sb, p);
			break;
		}
		if (pct > p)
			sb_add(sb, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == 's') {
			/* the common case: a plain %s */
			const char *str = va_arg(ap, const char *);
			p++;
			if (!str)
				str = "(null)";
			sb_addstr(sb, str);
			continue;
		}
		if (!read_spec(&p, &s)) {
			/* not ours: printf does the whole format */
			sb->len = start;
			sb->buf[start] = '\0';
			sb_vprintf(sb, fmt, from_start);
			break;
		}
		if (s.prec == -2) {
			int pr = va_arg(ap, int);
			s.prec = pr < 0 ? -1 : pr;
		}
		switch (s.conv) {
		case '%':
			sb_addch(sb, '%');
			break;
		case 'c': {
			char c = (char)(unsigned char)va_arg(ap, int);
			put(sb, &s, &c, 1, "", ' ');
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			size_t n;
			if (!str)
				str = s.prec < 0 || s.prec >= 6 ? "(null)" : "";
			n = s.prec < 0 ? strlen(str) : strnlen(str, (size_t)s.prec);
			put(sb, &s, str, n, "", ' ');
			break;
		}
		case 'd': case 'i': {
			intmax_t v;
			switch (s.len) {
			case 'H': v = (signed char)va_arg(ap, int); break;
			case 'h': v = (short)va_arg(ap, int); break;
			case 'l': v = va_arg(ap, long); break;
			case 'L': v = va_arg(ap, long long); break;
			case 'z': v = va_arg(ap, ssize_t); break;
			case 'j': v = va_arg(ap, intmax_t); break;
			case 't': v = va_arg(ap, ptrdiff_t); break;
			default: v = va_arg(ap, int); break;
			}
			put_number(sb, &s, v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v, v < 0);
			break;
		}
		default: {	/* 'u', 'x' */
			uintmax_t v;
			switch (s.len) {
			case 'H': v = (unsigned char)va_arg(ap, unsigned); break;
			case 'h': v = (unsigned short)va_arg(ap, unsigned); break;
			case 'l': v = va_arg(ap, unsigned long); break;
			case 'L': v = va_arg(ap, unsigned long long); break;
			case 'z': v = va_arg(ap, size_t); break;
			case 'j': v = va_arg(ap, uintmax_t); break;
			case 't': v = (uintmax_t)va_arg(ap, ptrdiff_t); break;
			default: v = va_arg(ap, unsigned); break;
			}
			put_number(sb, &s, v, 0);
			break;
		}
		}
	}
	va_end(from_start);
}

void sbfmt_add(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbfmt_vadd(sb, fmt, ap);
	va_end(ap);
}

int sbfmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	sbfmt_vadd(&sb, fmt, ap);
	va_end(ap);
	if (size) {
		n = sb.len < size - 1 ? sb.len : size - 1;
		memcpy(buf, sb.buf, n);
		buf[n] = '\0';
	}
	n = sb.len;
	sb_release(&sb);
	return (int)n;
}

int sbfmt_join(char *buf, size_t size, ...)
{
	va_list ap;
	const char *part;
	size_t len = 0;

	va_start(ap, size);
	while ((part = va_arg(ap, const char *))) {
		size_t n = strlen(part);
		if (size && len < size - 1) {
			size_t room = size - 1 - len;
			memcpy(buf + len, part, n < room ? n : room);
		}
		len += n;
	}
	va_end(ap);
	if (size)
		buf[len < size - 1 ? len : size - 1] = '\0';
	return (int)len;
}
