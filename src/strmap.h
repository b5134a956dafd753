/*
 * strmap.h -- a hash map from strings to a pointer, open addressing.
 * Keys are not copied: they must outlive the map (arena strings do).
 */
#ifndef AE_STRMAP_H
#define AE_STRMAP_H

#include <stddef.h>

struct strmap {
	struct strmap_slot { const char *key; unsigned long hash; void *val; } *slots;
	size_t n, cap;
};

/* Value for key, or NULL. */
void *strmap_get(const struct strmap *m, const char *key);
/* Set key; returns the previous value (NULL if none). */
void *strmap_put(struct strmap *m, const char *key, void *val);
/* Set key unless it is set: NULL, or the value it had (then left as it is). */
void *strmap_add(struct strmap *m, const char *key, void *val);
/* The same, key's hash_str() given. */
void *strmap_add_hash(struct strmap *m, const char *key, unsigned long hash, void *val);
/* Room for n keys, so that putting them grows the table no more. */
void strmap_reserve(struct strmap *m, size_t n);
/* The slot a key of that hash is looked for first brought towards the
 * cache, for a look-up or an add a few steps later. */
static inline void strmap_prefetch(const struct strmap *m, unsigned long hash)
{
	if (m->cap)
		__builtin_prefetch(&m->slots[hash & (m->cap - 1)], 1);
}
void strmap_release(struct strmap *m);

#endif
