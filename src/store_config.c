/* store_config.c -- git's configuration: the values that say who runs ae
 * (store.h), the index a hook is given, the hooks folder and the
 * settings of a clone (store_team.h). */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "gitconfig.h"
#include "store_team.h"

int store_use_env_index(struct store *s)
{
	const char *env = getenv("GIT_INDEX_FILE");

	if (!env || !*env)
		return 0;
	/* read when first needed (store_index), by ae's own reader if it can */
	free(s->index_path);
	s->index_path = env[0] == '/' || !s->workdir ? xstrdup(env) :
			xasprintf("%s%s", s->workdir, env);
	s->index_pending = 1;
	return 0;
}

char *store_config_get(struct store *s, const char *key)
{
	git_config *cfg = NULL;
	git_buf buf = { 0 };
	char *v = NULL;

	if (git_repository_config_snapshot(&cfg, s->repo) < 0)
		return NULL;
	if (git_config_get_string_buf(&buf, cfg, key) == 0) {
		v = xstrdup(buf.ptr);
		git_buf_dispose(&buf);
	}
	git_config_free(cfg);
	return v;
}

int store_config_set(struct store *s, const char *key, const char *value)
{
	git_config *cfg = NULL, *local = NULL;
	int ret = 0;

	if (git_repository_config(&cfg, s->repo) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0 ||
	    git_config_set_string(local, key, value) < 0)
		ret = error("unable to set %s in the repository's configuration: %s", key,
			    store_error());
	git_config_free(local);
	git_config_free(cfg);
	return ret;
}

char *store_hooks_dir(struct store *s)
{
	char *hp = store_config_get(s, "core.hooksPath");
	char *dir;
	size_t n;

	if (!hp || !*hp)	/* a linked worktree runs the hooks of the main repository */
		dir = xasprintf("%shooks", git_repository_commondir(s->repo));
	else if (hp[0] == '/')
		dir = xstrdup(hp);
	else if (hp[0] == '~' && hp[1] == '/' && getenv("HOME"))
		dir = xasprintf("%s%s", getenv("HOME"), hp + 1);
	else
		dir = xasprintf("%s%s", s->workdir ? s->workdir : s->gitdir, hp);
	free(hp);
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	return dir;
}

void store_config_lookup(const char *root, const char *const *keys, char **values, size_t n)
{
	struct store *s;
	git_config *cfg = NULL, *snap = NULL;
	int r;

	/* the usual case without starting libgit2 (gitconfig.h) */
	if (gitconfig_lookup(root, keys, values, n) == 0)
		return;
	s = root ? store_try_open(root) : NULL;
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
