/* gitconfig.c -- see gitconfig.h */
#include "gitconfig.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* A config file larger than this is not read here (libgit2 then does). */
#define CONFIG_MAX ((size_t)1 << 20)

struct want {
	const char *const *keys;	/* "section.name", lower case, no subsection */
	char **values;
	size_t n;
	/* what the repository's own file says that makes it no plain one */
	int unusual;
};

struct scan {
	const char *p, *end;
	int eof;
};

/* git's get_next_char: "\r\n" is "\n", the end of the file one more "\n" */
static int next_char(struct scan *s)
{
	int c;

	if (s->p >= s->end) {
		s->eof = 1;
		return '\n';
	}
	c = (unsigned char)*s->p++;
	if (c == '\r' && s->p < s->end && *s->p == '\n')
		c = *s->p++;
	return c;
}

static int iskeychar(int c)
{
	return isalnum(c) || c == '-';
}

/* git's parse_value: quotes, escapes, comments, inner blanks kept as
 * spaces, outer ones dropped; -1 on what git calls a bad line */
static int parse_value(struct scan *s, struct strbuf *v)
{
	int quote = 0, comment = 0;
	size_t space = 0;

	sb_reset(v);
	for (;;) {
		int c = next_char(s);
		if (c == '\n') {
			if (quote)
				return -1;
			return 0;
		}
		if (comment)
			continue;
		if (isspace(c) && !quote) {
			if (v->len)
				space++;
			continue;
		}
		if (!quote && (c == ';' || c == '#')) {
			comment = 1;
			continue;
		}
		for (; space; space--)
			sb_addch(v, ' ');
		if (c == '\\') {
			c = next_char(s);
			switch (c) {
			case '\n':
				if (s->eof)
					return -1;
				continue;
			case 't': c = '\t'; break;
			case 'b': c = '\b'; break;
			case 'n': c = '\n'; break;
			case '\\': case '"': break;
			default: return -1;
			}
			sb_addch(v, (char)c);
			continue;
		}
		if (c == '"') {
			quote = !quote;
			continue;
		}
		sb_addch(v, (char)c);
	}
}

/* git's get_base_var, after '[': the section name (lower case) and its
 * subsection; -1 on a bad header */
static int parse_section(struct scan *s, struct strbuf *sec, int *has_sub)
{
	int c;

	sb_reset(sec);
	*has_sub = 0;
	for (;;) {
		c = next_char(s);
		if (s->eof)
			return -1;
		if (c == ']')
			return sec->len ? 0 : -1;
		if (isspace(c)) {
			/* [section "subsection"] */
			do
				c = next_char(s);
			while (c == ' ' || c == '\t');
			if (c != '"')
				return -1;
			*has_sub = 1;
			for (;;) {
				c = next_char(s);
				if (c == '\n')
					return -1;
				if (c == '"')
					break;
				if (c == '\\') {
					c = next_char(s);
					if (c == '\n')
						return -1;
				}
			}
			return next_char(s) == ']' ? 0 : -1;
		}
		if (!iskeychar(c) && c != '.')
			return -1;
		if (c == '.')
			*has_sub = 1;	/* [section.subsection], the old way */
		sb_addch(sec, (char)tolower(c));
	}
}

static void found(struct want *w, const char *sec, int has_sub, const char *key,
		  const char *value)
{
	if (!strcmp(sec, "include") || !strcmp(sec, "includeif"))
		w->unusual = 1;
	if (has_sub)
		return;
	if (!strcmp(sec, "extensions"))
		w->unusual = 1;
	if (!strcmp(sec, "core") && !strcmp(key, "worktree"))
		w->unusual = 1;
	if (!strcmp(sec, "core") && !strcmp(key, "bare") &&
	    (!value || (*value && strcasecmp(value, "false") && strcasecmp(value, "no") &&
			strcasecmp(value, "off") && strcmp(value, "0"))))
		w->unusual = 1;	/* bare, or a value that only libgit2 knows to read */
	if (!strcmp(sec, "core") && !strcmp(key, "repositoryformatversion") &&
	    (!value || (strcmp(value, "0") && strcmp(value, "1"))))
		w->unusual = 1;
	for (size_t i = 0; i < w->n; i++) {
		const char *k = w->keys[i], *dot = strchr(k, '.');
		if (dot && (size_t)(dot - k) == strlen(sec) && !strncmp(k, sec, dot - k) &&
		    !strcasecmp(dot + 1, key)) {
			if (!value)	/* a bare "key": true to git, no string to us */
				w->unusual = 1;
			free(w->values[i]);
			w->values[i] = value && *value ? xstrdup(value) : NULL;
		}
	}
}

/* One file's settings into w; 0 when read or absent, -1 when it cannot
 * be read here (a bad line, too big, unreadable). */
static int read_file(struct want *w, const char *path)
{
	struct strbuf text = STRBUF_INIT, sec = STRBUF_INIT, key = STRBUF_INIT,
		      val = STRBUF_INIT;
	struct scan s;
	int has_sub = 0, comment = 0, ret = 0, insec = 0;
	struct stat st;

	if (stat(path, &st) < 0)
		return 0;
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > CONFIG_MAX ||
	    sb_read_file(&text, path, CONFIG_MAX) < 0) {
		sb_release(&text);
		return -1;
	}
	s.p = text.buf;
	s.end = text.buf + text.len;
	s.eof = 0;
	if (s.end - s.p >= 3 && !memcmp(s.p, "\xef\xbb\xbf", 3))
		s.p += 3;
	for (;;) {
		int c = next_char(&s);
		if (c == '\n') {
			if (s.eof)
				break;
			comment = 0;
			continue;
		}
		if (comment || isspace(c))
			continue;
		if (c == '#' || c == ';') {
			comment = 1;
			continue;
		}
		if (c == '[') {
			if (parse_section(&s, &sec, &has_sub) < 0) {
				ret = -1;
				break;
			}
			insec = 1;
			continue;
		}
		if (!isalpha(c) || !insec) {
			ret = -1;
			break;
		}
		/* git's get_value: the name, blanks, then '=' and a value or
		 * the end of the line */
		sb_reset(&key);
		sb_addch(&key, (char)tolower(c));
		for (;;) {
			c = next_char(&s);
			if (s.eof || !iskeychar(c))
				break;
			sb_addch(&key, (char)tolower(c));
		}
		while (c == ' ' || c == '\t')
			c = next_char(&s);
		if (c == '\n') {
			found(w, sec.buf, has_sub, key.buf, NULL);
			if (s.eof)
				break;
			continue;
		}
		if (c != '=' || parse_value(&s, &val) < 0) {
			ret = -1;
			break;
		}
		found(w, sec.buf, has_sub, key.buf, val.buf ? val.buf : "");
		if (s.eof)
			break;
	}
	sb_release(&text);
	sb_release(&sec);
	sb_release(&key);
	sb_release(&val);
	return ret;
}

/* Whether dir is one of $GIT_CEILING_DIRECTORIES' absolute folders (the
 * search for a repository does not go up into one; relative entries are
 * ignored, as libgit2 does). */
static int is_ceiling(const char *dir, const char *ceilings)
{
	size_t dn = strlen(dir);

	while (ceilings && *ceilings) {
		const char *end = strchr(ceilings, ':');
		size_t n = end ? (size_t)(end - ceilings) : strlen(ceilings);
		while (n > 1 && ceilings[n - 1] == '/')
			n--;
		if (ceilings[0] == '/' && (n == 1 ? dn == 0 : (n == dn && !memcmp(ceilings, dir, n))))
			return 1;
		ceilings = end ? end + 1 : NULL;
	}
	return 0;
}

static char *find_gitdir(const char *root, int *hard)
{
	const char *ceilings = getenv("GIT_CEILING_DIRECTORIES");
	char *dir = xstrdup(root);
	struct stat st;
	dev_t dev = 0;
	int first = 1;
	size_t n = strlen(dir);

	*hard = 0;
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	if (n == 1)
		dir[--n] = '\0';	/* "/" is "", so that "/.git" is its .git */
	for (;;) {
		char *dotgit, *slash;

		if (stat(dir[0] ? dir : "/", &st) < 0) {
			*hard = 1;
			break;
		}
		if (!first && st.st_dev != dev) {
			*hard = 1;	/* libgit2 does not cross file systems */
			break;
		}
		dev = st.st_dev;
		first = 0;
		dotgit = xasprintf("%s/.git", dir);
		if (lstat(dotgit, &st) == 0) {
			struct stat head, objects, refs, common;
			char *h = xasprintf("%s/HEAD", dotgit), *o = xasprintf("%s/objects", dotgit),
			     *r = xasprintf("%s/refs", dotgit), *c = xasprintf("%s/commondir", dotgit);
			int repo = S_ISDIR(st.st_mode) && lstat(h, &head) == 0 &&
				   stat(o, &objects) == 0 && S_ISDIR(objects.st_mode) &&
				   stat(r, &refs) == 0 && S_ISDIR(refs.st_mode);
			/* a folder that shares another's (commondir): libgit2's */
			int shared = lstat(c, &common) == 0;
			free(h);
			free(o);
			free(r);
			free(c);
			if (repo && !shared && st.st_uid == geteuid()) {
				free(dir);
				return dotgit;
			}
			if (!S_ISDIR(st.st_mode) || repo) {
				*hard = 1;	/* a worktree's .git file; another's repository */
				free(dotgit);
				break;
			}
		}
		free(dotgit);
		if (!dir[0] || !(slash = strrchr(dir, '/')))
			break;
		*slash = '\0';
		if (is_ceiling(dir, ceilings))
			break;
	}
	free(dir);
	return NULL;
}

/* Whether the environment moves repositories or configuration. */
static int env_moves(void)
{
	static const char *const refuse[] = {
		"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR",
		"GIT_CONFIG", "GIT_CONFIG_COUNT", "GIT_CONFIG_PARAMETERS",
		"GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_DISCOVERY_ACROSS_FILESYSTEM",
	};

	for (size_t i = 0; i < sizeof(refuse) / sizeof(*refuse); i++)
		if (getenv(refuse[i]))
			return 1;
	return 0;
}

char *gitconfig_gitdir(const char *root, int *hard)
{
	struct want w = { NULL, NULL, 0, 0 };
	char *gitdir, *path;
	int bad;

	*hard = 1;
	if (env_moves() || !root || root[0] != '/')
		return NULL;
	if (!(gitdir = find_gitdir(root, hard)))
		return NULL;
	path = xasprintf("%s/config", gitdir);
	bad = read_file(&w, path);
	free(path);
	if (bad || w.unusual) {
		*hard = 1;
		free(gitdir);
		return NULL;
	}
	return gitdir;
}

int gitconfig_lookup(const char *root, const char *const *keys, char **values, size_t n)
{
	struct want w = { keys, values, n, 0 };
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	char *gitdir = NULL, *path;
	int hard = 0, bad = 0;

	for (size_t i = 0; i < n; i++)
		values[i] = NULL;
	if (env_moves())
		return -1;
	if (!home || home[0] != '/' || (xdg && xdg[0] != '/'))
		return -1;
	if (root && (!root[0] || root[0] != '/'))
		return -1;
	if (root && !(gitdir = find_gitdir(root, &hard)) && hard)
		return -1;

	/* lowest first, as libgit2 1.5 ranks them (it reads /etc/gitconfig
	 * even under $GIT_CONFIG_NOSYSTEM, and so does this) */
	bad |= read_file(&w, "/etc/gitconfig");
	path = xdg ? xasprintf("%s/git/config", xdg) : xasprintf("%s/.config/git/config", home);
	bad |= read_file(&w, path);
	free(path);
	path = xasprintf("%s/.gitconfig", home);
	bad |= read_file(&w, path);
	free(path);
	if (gitdir) {
		path = xasprintf("%s/config", gitdir);
		bad |= read_file(&w, path);
		free(path);
		free(gitdir);
	}
	if (bad || w.unusual) {
		for (size_t i = 0; i < n; i++) {
			free(values[i]);
			values[i] = NULL;
		}
		return -1;
	}
	return 0;
}
