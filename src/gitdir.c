/* gitdir.c -- the repository folder of a book; see gitdir.h. */
#include "gitdir.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

char *git_dir_of(const char *root)
{
	char *dir = xstrdup(root);

	for (;;) {
		char *dotgit = xasprintf("%s/.git", dir), *slash;
		struct stat st;

		if (lstat(dotgit, &st) == 0 && S_ISDIR(st.st_mode)) {
			/* a folder that is no repository is looked past, as git does */
			char *head = xasprintf("%s/HEAD", dotgit);
			int repo = lstat(head, &st) == 0;
			free(head);
			if (repo) {
				free(dir);
				return dotgit;
			}
		}
		if (lstat(dotgit, &st) == 0 && S_ISREG(st.st_mode)) {
			struct strbuf sb = STRBUF_INIT;
			char *found = NULL;
			if (sb_read_file(&sb, dotgit, 4096) == 0 && !strncmp(sb.buf, "gitdir: ", 8)) {
				size_t n = strcspn(sb.buf + 8, "\r\n");
				sb.buf[8 + n] = '\0';
				found = sb.buf[8] == '/' ? xstrdup(sb.buf + 8) :
					xasprintf("%s/%s", dir, sb.buf + 8);
			}
			sb_release(&sb);
			free(dotgit);
			free(dir);
			return found;
		}
		free(dotgit);
		slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			free(dir);
			return NULL;
		}
		*slash = '\0';
	}
}
