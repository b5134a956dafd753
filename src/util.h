/*
 * util.h -- allocation that cannot fail, growing strings, an arena.
 *
 * Ownership rule for the whole program: a function that returns a pointer
 * documents who frees it.  Strings handed to us by a library (inih, PCRE2,
 * libgit2) are copied before the callback returns, never kept.
 * x* functions abort with a message on out-of-memory; callers never check.
 */
#ifndef AE_UTIL_H
#define AE_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* s[0..n) NUL-terminated in buf (size bytes) when it fits, else in an
 * allocation: an identifier of a line or a field without malloc; give
 * the result to strn_done() with the same buf. */
char *strn_buf(char *buf, size_t size, const char *s, size_t n);
void strn_done(char *p, const char *buf);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * A large allocation about to be filled (a table of the whole book):
 * asks the kernel for huge pages for the part of [p, p + n) they can
 * cover, so that filling it takes a fault every 2 MiB, not every 4 KiB
 * (the 100k book's journal array, 48 MB, took 11,700 faults on two
 * threads, each page first read and then written costing the other
 * core a TLB flush).  Nothing below 4 MiB; only a hint.
 */
void mem_prefer_huge(void *p, size_t n);
/* "ae: out of memory", then abort(): for allocators other than ours. */
void die_oom(size_t n) __attribute__((noreturn));

/* Grow *p (holding *alloc elements of elsize) so that it holds at least n. */
#define ALLOC_GROW(p, n, alloc)                                          \
	do {                                                             \
		if ((size_t)(n) > (alloc)) {                             \
			size_t ag_new_ = (alloc) ? (alloc) * 2 : 16;     \
			while (ag_new_ < (size_t)(n))                    \
				ag_new_ *= 2;                            \
			(p) = xrealloc((p), ag_new_ * sizeof(*(p)));     \
			(alloc) = ag_new_;                               \
		}                                                        \
	} while (0)

/* A growing NUL-terminated string.  buf is never NULL after any add. */
struct strbuf {
	char *buf;
	size_t len, alloc;
};
#define STRBUF_INIT { NULL, 0, 0 }

/* Room for extra more bytes and the NUL: the check inline (a JSON item
 * asks some twenty times), the growing not. */
void sb_grow_to(struct strbuf *sb, size_t need);
static inline void sb_grow(struct strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 > sb->alloc)
		sb_grow_to(sb, sb->len + extra + 1);
}
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_addstr(struct strbuf *sb, const char *s);
void sb_addch(struct strbuf *sb, int c);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* vsnprintf itself into sb: sbfmt.c's way out for what it does not do. */
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_reset(struct strbuf *sb);
void sb_release(struct strbuf *sb);
/* Hand the buffer to the caller (who frees it) and reset sb. */
char *sb_detach(struct strbuf *sb);
/* Append the file at path, at most limit bytes: 0, or -1 with errno set
 * (EFBIG past the limit; what was read stays in sb). */
int sb_read_file(struct strbuf *sb, const char *path, size_t limit);

/*
 * An arena: many small allocations freed at once.  Used for the strings
 * of records, which live as long as the book.
 */
struct arena {
	struct arena_block *head;
	size_t used;	/* bytes handed out, for the memory benchmark */
};
void *arena_alloc(struct arena *a, size_t n);
/* The next allocations from one room of n bytes, made now (on huge pages
 * where they fit: mem_prefer_huge()), for a thread about to fill a lot. */
void arena_reserve(struct arena *a, size_t n);
/* With a given alignment (1 for strings: no padding between them). */
void *arena_alloc_align(struct arena *a, size_t n, size_t align);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* Forget everything allocated, keeping one block for reuse. */
void arena_reset(struct arena *a);
void arena_release(struct arena *a);
/* Move every block of `from` into a (what was allocated stays where it
 * is, now freed with a); `from` is left empty. */
void arena_adopt(struct arena *a, struct arena *from);

/* A list of owned strings. */
struct strlist {
	char **v;
	size_t n, alloc;
};
void strlist_add(struct strlist *l, const char *s);
void strlist_add_owned(struct strlist *l, char *s);
/* The lines of text (NULL: none), each without its end (LF, or CR LF). */
void strlist_add_lines(struct strlist *l, const char *text);
void strlist_sort(struct strlist *l);
void strlist_release(struct strlist *l);

/* Levenshtein distance in characters (utf8.h), capped; for "did you mean" hints. */
int edit_distance(const char *a, const char *b);
/* The candidate closest to word within a useful distance, or NULL. */
const char *nearest_word(const char *word, const char *const *cands, size_t n);

/* A hash of s[0..n) for tables (not kept anywhere: free to change). */
unsigned long hash_str(const char *s, size_t n);

#endif
