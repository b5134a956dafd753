/* store_bare.c -- a bare repository read for its commits (the shared
 * remote's pre-receive check), and made by ae init --bare; see
 * store_team.h. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "store_team.h"

/*
 * A pre-receive hook runs before git moves the pushed objects out of
 * quarantine: they are only in $GIT_OBJECT_DIRECTORY (and what it
 * borrows, $GIT_ALTERNATE_OBJECT_DIRECTORIES), which libgit2 does not
 * read by itself.
 */
static void add_quarantine(git_repository *repo)
{
	const char *dir = getenv("GIT_OBJECT_DIRECTORY");
	const char *alt = getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
	git_odb *odb = NULL;

	if ((!dir || !*dir) && (!alt || !*alt))
		return;
	if (git_repository_odb(&odb, repo) < 0)
		return;
	if (dir && *dir)
		git_odb_add_disk_alternate(odb, dir);
	for (const char *p = alt; p && *p;) {
		const char *colon = strchr(p, ':');
		char *one = xstrndup(p, colon ? (size_t)(colon - p) : strlen(p));
		if (*one)
			git_odb_add_disk_alternate(odb, one);
		free(one);
		p = colon ? colon + 1 : NULL;
	}
	git_odb_free(odb);
}

static struct store *wrap_bare(git_repository *repo)
{
	struct store *s = xcalloc(1, sizeof(*s));
	git_config *cfg = NULL;
	git_buf buf = { 0 };

	s->repo = repo;
	s->gitdir = xstrdup(git_repository_path(repo));
	s->workdir = NULL;
	s->prefix = xstrdup("");
	if (git_repository_config_snapshot(&cfg, repo) == 0) {
		if (git_config_get_string_buf(&buf, cfg, "ae.book") == 0 && buf.ptr[0]) {
			size_t n = strlen(buf.ptr);
			free(s->prefix);
			s->prefix = xasprintf("%s%s", buf.ptr, buf.ptr[n - 1] == '/' ? "" : "/");
			git_buf_dispose(&buf);
		}
		git_config_free(cfg);
	}
	add_quarantine(repo);
	return s;
}

struct store *store_open_bare(const char *dir)
{
	git_repository *repo = NULL;

	store_global_init();
	if (git_repository_open_ext(&repo, dir, 0, getenv("GIT_CEILING_DIRECTORIES")) < 0)
		return NULL;
	if (!git_repository_is_bare(repo)) {
		git_repository_free(repo);
		return NULL;
	}
	return wrap_bare(repo);
}

struct store *store_init_bare(const char *dir, int *created)
{
	git_repository *repo = NULL;

	store_global_init();
	*created = 0;
	if (git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0) {
		if (!git_repository_is_bare(repo)) {
			error("'%s' is a repository with a work tree; a shared remote is a bare repository ('ae init --bare NEW-DIR', then push to it)",
			      dir);
			git_repository_free(repo);
			return NULL;
		}
		return wrap_bare(repo);
	}
	if (git_repository_init(&repo, dir, 1) < 0) {
		error("unable to create a bare repository in '%s': %s", dir, store_error());
		return NULL;
	}
	*created = 1;
	return wrap_bare(repo);
}
