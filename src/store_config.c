/* store_config.c -- values of git's configuration for the person running
 * ae (user.email, user.name, ae.staff); see store.h. */
#include "store_int.h"

#include <stdlib.h>

void store_config_get(const char *root, const char *const *keys, char **values, size_t n)
{
	struct store *s = root ? store_try_open(root) : NULL;
	git_config *cfg = NULL, *snap = NULL;
	int r;

	for (size_t i = 0; i < n; i++)
		values[i] = NULL;
	store_global_init();
	if (s) {
		r = git_repository_config_snapshot(&snap, s->repo);
	} else {
		/* a book outside any repository still has its user's settings */
		r = git_config_open_default(&cfg);
		if (r == 0)
			r = git_config_snapshot(&snap, cfg);
	}
	for (size_t i = 0; r == 0 && i < n; i++) {
		git_buf buf = { 0 };
		if (git_config_get_string_buf(&buf, snap, keys[i]) == 0) {
			if (*buf.ptr)
				values[i] = xstrdup(buf.ptr);
			git_buf_dispose(&buf);
		}
	}
	git_config_free(snap);
	git_config_free(cfg);
	store_free(s);
}
