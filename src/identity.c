/* identity.c -- see identity.h */
#include "identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "editing.h"
#include "pattern.h"
#include "store.h"
#include "utf8.h"

/* Staff a name may mean, by the first test that finds any. */
static size_t candidates(const struct config *cfg, const char *name,
			 const struct staff **out)
{
	size_t n = 0, len = strlen(name);
	const struct staff *st;

	if (!len)
		return 0;
	if ((st = config_staff(cfg, name))) {
		out[0] = st;
		return 1;
	}
	/* the name (two people may share one), then the ID in other case */
	for (size_t i = 0; i < cfg->nstaff; i++)
		if (cfg->staff[i].name && !strcmp(cfg->staff[i].name, name))
			out[n++] = &cfg->staff[i];
	for (size_t i = 0; i < cfg->nstaff && !n; i++)
		if (!strcasecmp(cfg->staff[i].id, name))
			out[n++] = &cfg->staff[i];
	/* a whole part of the ID between dots: "li" is li.ming, not liu.yang */
	for (size_t i = 0; i < cfg->nstaff && !n; i++) {
		const char *id = cfg->staff[i].id;
		for (const char *p = id; p; p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL) {
			if (!strncasecmp(p, name, len) && (p[len] == '.' || !p[len])) {
				out[n++] = &cfg->staff[i];
				break;
			}
		}
	}
	if (n)
		return n;
	for (size_t i = 0; i < cfg->nstaff; i++) {
		const struct staff *s = &cfg->staff[i];
		if (utf8_has_prefix(s->id, name) || (s->name && utf8_has_prefix(s->name, name)))
			out[n++] = s;
	}
	return n;
}

static void add_person(struct strbuf *sb, const struct staff *s)
{
	sb_addf(sb, "'%s'", s->id);
	if (s->name)
		sb_addf(sb, " (%s)", s->name);
}

/* "; did you mean 'li.ming' (李明)?", or "" when no ID or name is near. */
static char *staff_suggest(const struct config *cfg, const char *name)
{
	const char **words = xmalloc(sizeof(*words) * (2 * cfg->nstaff + 1));
	const char *near;
	struct strbuf sb = STRBUF_INIT;

	/* IDs first, then names: words[i % nstaff] is whose */
	for (size_t i = 0; i < cfg->nstaff; i++) {
		words[i] = cfg->staff[i].id;
		words[cfg->nstaff + i] = cfg->staff[i].name ? cfg->staff[i].name : cfg->staff[i].id;
	}
	near = nearest_word(name, words, 2 * cfg->nstaff);
	for (size_t i = 0; near && i < 2 * cfg->nstaff; i++)
		if (words[i] == near) {
			sb_addstr(&sb, "; did you mean ");
			add_person(&sb, &cfg->staff[i % cfg->nstaff]);
			sb_addch(&sb, '?');
			break;
		}
	free(words);
	return sb_detach(&sb);
}

const struct staff *staff_named(const struct config *cfg, const char *name,
				const struct staff *me, const char *what)
{
	const struct staff **v;
	const struct staff *st = NULL;
	size_t n;

	if (!strcmp(name, "me")) {
		if (!me)
			error("'me' for %s: who you are is not known ('ae whoami' says why)", what);
		return me;
	}
	if (!*name) {
		error("%s names no one: give a staff ID or name", what);
		return NULL;
	}
	v = xmalloc(sizeof(*v) * (cfg->nstaff + 1));
	n = candidates(cfg, name, v);
	if (n == 1) {
		st = v[0];
	} else if (n > 1) {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < n; i++) {
			sb_addstr(&sb, i ? ", " : "");
			add_person(&sb, v[i]);
		}
		error("'%s' for %s is ambiguous: %s", name, what, sb.buf);
		sb_release(&sb);
	} else {
		char *hint = staff_suggest(cfg, name);
		error("unknown staff '%s' for %s%s", name, what,
		      *hint ? hint : " (staff are the [staff ID] sections of ae.ini)");
		free(hint);
	}
	free(v);
	return st;
}

const struct staff *staff_option(const struct book *b, const char *name, const char *what)
{
	struct identity id;
	const struct staff *st = NULL;

	if (strcmp(name, "me"))
		return staff_named(&b->cfg, name, NULL, what);
	if (identity_find(&id, &b->cfg, b->root, NULL) == 0)
		st = staff_named(&b->cfg, name, id.staff, what);
	identity_release(&id);
	return st;
}

const char *identity_rule_name(enum id_rule rule)
{
	switch (rule) {
	case ID_AS: return "--as";
	case ID_ENV: return "$AE_STAFF";
	case ID_GIT_STAFF: return "git config ae.staff";
	case ID_EMAIL: return "git config user.email";
	case ID_NAME: return "git config user.name";
	case ID_NONE: break;
	}
	return "no rule";
}

int identity_find(struct identity *id, const struct config *cfg, const char *root,
		  const char *as)
{
	static const char *const keys[] = { "ae.staff", "user.email", "user.name" };
	char *values[3];
	const char *env = getenv("AE_STAFF");

	memset(id, 0, sizeof(*id));
	store_config_lookup(root, keys, values, 3);
	id->git_staff = values[0];
	id->git_email = values[1];
	id->git_name = values[2];
	id->env_staff = env && *env ? env : NULL;
	if (as && strcmp(as, "me")) {
		if (!(id->staff = staff_named(cfg, as, NULL, "--as")))
			return -1;
		id->rule = ID_AS;
		return 0;
	}
	if (id->env_staff) {
		if (!(id->staff = staff_named(cfg, id->env_staff, NULL, "$AE_STAFF")))
			return -1;
		id->rule = ID_ENV;
		return 0;
	}
	if (id->git_staff) {
		if (!(id->staff = staff_named(cfg, id->git_staff, NULL, "git config ae.staff")))
			return -1;
		id->rule = ID_GIT_STAFF;
		return 0;
	}
	for (size_t i = 0; id->git_email && i < cfg->nstaff; i++)
		if (cfg->staff[i].email && !strcasecmp(cfg->staff[i].email, id->git_email)) {
			id->staff = &cfg->staff[i];
			id->rule = ID_EMAIL;
			return 0;
		}
	for (size_t i = 0; id->git_name && i < cfg->nstaff; i++) {
		const struct staff *s = &cfg->staff[i];
		if ((s->name && !strcmp(s->name, id->git_name)) || !strcmp(s->id, id->git_name)) {
			id->staff = s;
			id->rule = ID_NAME;
			return 0;
		}
	}
	return 0;
}

void identity_release(struct identity *id)
{
	free(id->git_name);
	free(id->git_email);
	free(id->git_staff);
	memset(id, 0, sizeof(*id));
}

char *identity_unknown_text(const struct identity *id)
{
	const char *e = id->git_email, *n = id->git_name;

	return xasprintf("who are you? git's user.email is %s%s%s and user.name %s%s%s, and neither matches a staff member of ae.ini\n"
			 "hint: give your [staff] section 'email = <your git user.email>', or name yourself with 'git config ae.staff ID' or $AE_STAFF",
			 e ? "'" : "", e ? e : "unset", e ? "'" : "",
			 n ? "'" : "", n ? n : "unset", n ? "'" : "");
}

const char *client_code_name(const struct book *b, const char *id, char *buf, size_t size)
{
	struct pattern *p = b->cfg.numbering[K_CLIENT];
	const char *s;
	size_t n;

	if (p && pattern_match(p, id, strlen(id)) == PM_MATCH && pattern_group(p, "name", &s, &n))
		snprintf(buf, size, "%.*s", (int)n, s);
	else
		snprintf(buf, size, "%s", id);
	return buf;
}

char *record_suggest(const struct book *b, const char *name, int kind)
{
	const struct record *best = NULL;
	int chars = (int)utf8_count(name, strlen(name));
	int bestd = 99, limit = chars / 3 + 1;
	/* a part of a long name is near on fewer edits: "可口乐" of 上海可口可乐… */
	int part_extra = chars >= 3 ? limit - (chars / 4 + 1) : limit + 1;
	int f_name = book_field(b, K_CLIENT, "name");
	struct strbuf sb = STRBUF_INIT;

	if (limit > 3)
		limit = 3;
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct record *r = &b->recs[i];
		int d;
		if (kind >= 0 && r->kind != kind)
			continue;
		d = utf8_distance(name, r->id);
		if (r->kind == K_CLIENT) {
			char part[128];
			const char *nm = rec_str(r, f_name);
			int d2 = utf8_distance(name, client_code_name(b, r->id, part, sizeof(part)));
			if (d2 < d)
				d = d2;
			if (nm && (d2 = utf8_distance(name, nm)) < d)
				d = d2;
			if (nm && (d2 = utf8_substring_distance(name, nm) + part_extra) < d)
				d = d2;
		}
		if (d < bestd) {
			bestd = d;
			best = r;
		}
	}
	if (best && bestd <= limit) {
		const char *nm = best->kind == K_CLIENT ? rec_str(best, f_name) : NULL;
		sb_addf(&sb, "; did you mean '%s'", best->id);
		if (nm)
			sb_addf(&sb, " (%s)", nm);
		sb_addch(&sb, '?');
	}
	return sb_detach(&sb);
}

/* Staff names in a list ("李明、陈静") replaced by IDs, separators kept. */
static int name_list(const struct book *b, const char *what, const char *v, struct strbuf *out)
{
	while (*v) {
		size_t n = 0, lead = strspn(v, " \t");
		const struct staff *st;
		char *name;
		sb_add(out, v, lead);
		v += lead;
		while (v[n] && v[n] != ',' && strncmp(v + n, "，", 3) && strncmp(v + n, "、", 3))
			n++;
		while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
			n--;
		name = xstrndup(v, n);
		st = n ? staff_option(b, name, what) : NULL;
		free(name);
		if (n && !st)
			return -1;
		if (st)
			sb_addstr(out, st->id);
		v += n;
		n = strspn(v, " \t");
		n += v[n] == ',' ? 1 : v[n] ? 3 : 0;
		sb_add(out, v, n);
		v += n;
	}
	return 0;
}

/* The @owner of each action item line replaced by a staff ID. */
static int action_owners(const struct book *b, const char *what, const char *v, struct strbuf *out)
{
	while (*v) {
		const char *nl = strchr(v, '\n'), *at;
		size_t n = nl ? (size_t)(nl - v) + 1 : strlen(v);
		char *line = xstrndup(v, n);
		/* "[ ] DATE @owner what": the first word starting with @ */
		at = strstr(line, " @");
		if (at) {
			size_t w = strcspn(at + 2, " \t\n");
			char *name = xstrndup(at + 2, w);
			const struct staff *st = w ? staff_option(b, name, what) : NULL;
			free(name);
			if (w && !st) {
				free(line);
				return -1;
			}
			sb_add(out, line, (size_t)(at - line) + 2);
			if (st)
				sb_addstr(out, st->id);
			sb_addstr(out, at + 2 + w);
		} else {
			sb_addstr(out, line);
		}
		free(line);
		v += n;
	}
	return 0;
}

char *field_value_named(const struct book *b, const struct fieldspec *fd, const char *value)
{
	struct strbuf out = STRBUF_INIT;
	char *what = xasprintf("'%s'", fd->name);
	int kind = ftype_ref_kind(fd->type), r = 0;

	if (!*value) {
		sb_addstr(&out, "");
	} else if (fd->type == FT_STAFF) {
		const struct staff *st = staff_option(b, value, what);
		if (st)
			sb_addstr(&out, st->id);
		r = st ? 0 : -1;
	} else if (fd->type == FT_STAFF_LIST) {
		r = name_list(b, what, value, &out);
	} else if (fd->type == FT_ACTIONS) {
		r = action_owners(b, what, value, &out);
	} else if (kind >= 0) {
		const struct record *rec = find_record(b, value, kind);
		if (rec)
			sb_addstr(&out, rec->id);
		r = rec ? 0 : -1;
	} else {
		sb_addstr(&out, value);
	}
	free(what);
	if (r < 0) {
		sb_release(&out);
		return NULL;
	}
	return sb_detach(&out);
}
