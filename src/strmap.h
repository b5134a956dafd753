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
void strmap_release(struct strmap *m);

#endif
