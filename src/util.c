/* util.c -- see util.h */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "sbfmt.h"
#include "utf8.h"

void die_oom(size_t n)
{
	fprintf(stderr, "ae: out of memory (allocating %zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die_oom(n);
	return q;
}

void mem_prefer_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t from = ((uintptr_t)p + huge - 1) & ~(huge - 1), to = ((uintptr_t)p + n) & ~(huge - 1);

	if (n >= (size_t)4 << 20 && to > from)
		madvise((void *)from, (size_t)(to - from), MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *strn_buf(char *buf, size_t size, const char *s, size_t n)
{
	char *p = n < size ? buf : xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void strn_done(char *p, const char *buf)
{
	if (p != buf)
		free(p);
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	return sb_detach(&sb);
}

void sb_grow_to(struct strbuf *sb, size_t need)
{
	if (need <= sb->alloc)
		return;
	if (need < sb->alloc * 2)
		need = sb->alloc * 2;
	if (need < 64)
		need = 64;
	sb->buf = xrealloc(sb->buf, need);
	sb->alloc = need;
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_addstr(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addch(struct strbuf *sb, int c)
{
	sb_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	/* the conversions ae formats by the ten thousand without stdio,
	 * byte for byte as glibc; anything else by sb_vprintf() */
	sbfmt_vadd(sb, fmt, ap);
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	sb_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= sb->alloc - sb->len) {
		sb_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

char *sb_detach(struct strbuf *sb)
{
	char *p;

	sb_grow(sb, 0);
	sb->buf[sb->len] = '\0';	/* an empty strbuf was never terminated */
	p = sb->buf;
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return p;
}

int sb_read_file(struct strbuf *sb, const char *path, size_t limit)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;
	int ret = 0;

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (sb->len + n > limit) {
			errno = EFBIG;
			ret = -1;
			break;
		}
		sb_add(sb, buf, n);
	}
	if (!ret && ferror(f))
		ret = -1;
	if (fclose(f) != 0)
		ret = -1;
	return ret;
}

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	max_align_t data[];
};

#define ARENA_BLOCK (64 * 1024)

void *arena_alloc(struct arena *a, size_t n)
{
	return arena_alloc_align(a, n, 16);
}

void *arena_alloc_align(struct arena *a, size_t n, size_t align)
{
	struct arena_block *b = a->head;
	size_t need = n ? n : 1, pad = 0;

	if (align >= 16)
		need = (need + 15) & ~(size_t)15;
	if (b && (b->used & (align - 1)))
		pad = align - (b->used & (align - 1));
	if (!b || b->size - b->used < pad + need) {
		size_t size = need > ARENA_BLOCK / 4 ? need : ARENA_BLOCK;
		struct arena_block *nb = xmalloc(sizeof(*nb) + size);

		nb->size = size;
		nb->used = 0;
		if (b && need > ARENA_BLOCK / 4) {
			/* a big one goes behind the head, keeping its room */
			nb->next = b->next;
			b->next = nb;
			nb->used = need;
			a->used += need;
			return nb->data;
		}
		nb->next = b;
		a->head = b = nb;
		pad = 0;
	}
	{
		void *p = (char *)b->data + b->used + pad;
		b->used += pad + need;
		a->used += pad + need;
		return p;
	}
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_align(a, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_reserve(struct arena *a, size_t n)
{
	struct arena_block *nb = xmalloc(sizeof(*nb) + n);

	mem_prefer_huge(nb->data, n);
	nb->size = n;
	nb->used = 0;
	nb->next = a->head;
	a->head = nb;
}

void arena_reset(struct arena *a)
{
	struct arena_block *b = a->head, *keep = NULL;

	while (b) {
		struct arena_block *next = b->next;
		if (!keep && b->size == ARENA_BLOCK) {
			keep = b;
			keep->used = 0;
			keep->next = NULL;
		} else {
			free(b);
		}
		b = next;
	}
	a->head = keep;
	a->used = 0;
}

void arena_adopt(struct arena *a, struct arena *from)
{
	struct arena_block *b = from->head, *last;

	if (!b)
		return;
	/* behind a's head, so that a's room there is still used */
	for (last = b; last->next; last = last->next)
		;
	if (a->head) {
		last->next = a->head->next;
		a->head->next = b;
	} else {
		a->head = b;
	}
	a->used += from->used;
	from->head = NULL;
	from->used = 0;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}

void strlist_add(struct strlist *l, const char *s)
{
	strlist_add_owned(l, xstrdup(s));
}

void strlist_add_owned(struct strlist *l, char *s)
{
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = s;
}

void strlist_add_lines(struct strlist *l, const char *text)
{
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		strlist_add_owned(l, xstrndup(p, n && p[n - 1] == '\r' ? n - 1 : n));
		p = nl ? nl + 1 : NULL;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strlist_sort(struct strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_str);
}

void strlist_release(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

int edit_distance(const char *a, const char *b)
{
	/* in characters: one Chinese character mistyped is one edit */
	return utf8_distance(a, b);
}

const char *nearest_word(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	int bestd = 99;
	int limit = (int)utf8_count(word, strlen(word)) / 3 + 1;

	if (limit > 3)
		limit = 3;
	for (size_t i = 0; i < n; i++) {
		int d = edit_distance(word, cands[i]);
		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	return bestd <= limit ? best : NULL;
}

unsigned long hash_str(const char *s, size_t n)
{
	/* eight bytes a step (a byte a step cost 80 M instructions of a
	 * warm 100,000-record load); the last step's bytes padded with
	 * zeros, the length mixed in, and the whole stirred at the end so
	 * that the low bits a table uses depend on every byte */
	const uint64_t k = 0x9E3779B97F4A7C15ULL;
	uint64_t h = (uint64_t)n * k, w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * k;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	if (n) {
		w = 0;
		for (size_t i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)s[i] << (8 * i);
		h = (h ^ w) * k;
	}
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return (unsigned long)h;
}
