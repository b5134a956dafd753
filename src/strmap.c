/* strmap.c -- see strmap.h */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static struct strmap_slot *find(const struct strmap *m, const char *key,
				unsigned long h)
{
	size_t mask = m->cap - 1, i = h & mask;

	for (;;) {
		struct strmap_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && !strcmp(s->key, key)))
			return s;
		i = (i + 1) & mask;
	}
}

void *strmap_get(const struct strmap *m, const char *key)
{
	struct strmap_slot *s;

	if (!m->cap)
		return NULL;
	s = find(m, key, hash_str(key, strlen(key)));
	return s->key ? s->val : NULL;
}

/* The table rebuilt with cap slots (a power of two, above n). */
static void grow_to(struct strmap *m, size_t cap)
{
	struct strmap old = *m;

	m->cap = cap;
	/*
	 * Written before it is read: calloc's fresh pages would be mapped
	 * to the zero page by find()'s first read, then copied on the
	 * write, each copy flushing the TLB of every core the process runs
	 * on (a third of the 100k book's "records indexed" stage).
	 */
	m->slots = xmalloc(m->cap * sizeof(*m->slots));
	mem_prefer_huge(m->slots, m->cap * sizeof(*m->slots));
	memset(m->slots, 0, m->cap * sizeof(*m->slots));
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key) {
			struct strmap_slot *s = find(m, old.slots[i].key, old.slots[i].hash);
			*s = old.slots[i];
			m->n++;
		}
	free(old.slots);
}

static void grow(struct strmap *m)
{
	grow_to(m, m->cap ? m->cap * 2 : 64);
}

void *strmap_put(struct strmap *m, const char *key, void *val)
{
	unsigned long h = hash_str(key, strlen(key));
	struct strmap_slot *s;
	void *prev;

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	s = find(m, key, h);
	if (!s->key) {
		s->key = key;
		s->hash = h;
		s->val = val;
		m->n++;
		return NULL;
	}
	prev = s->val;
	s->val = val;
	return prev;
}

void *strmap_add(struct strmap *m, const char *key, void *val)
{
	return strmap_add_hash(m, key, hash_str(key, strlen(key)), val);
}

void *strmap_add_hash(struct strmap *m, const char *key, unsigned long h, void *val)
{
	struct strmap_slot *s;

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	s = find(m, key, h);
	if (s->key)
		return s->val;
	s->key = key;
	s->hash = h;
	s->val = val;
	m->n++;
	return NULL;
}

void strmap_reserve(struct strmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 64;

	/* one step to the size wanted, not one a doubling */
	while ((n + 1) * 4 > cap * 3)
		cap *= 2;
	if (cap > m->cap)
		grow_to(m, cap);
}

void strmap_release(struct strmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
