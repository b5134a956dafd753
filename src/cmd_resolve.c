/*
 * cmd_resolve.c -- ae resolve: settle one conflict a merge left (a field
 * both sides changed, a journal line, a record deleted on one side and
 * changed on the other) without editing conflict blocks by hand
 * (docs/ae-resolve.1.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae.h"
#include "diag.h"
#include "edit.h"
#include "editing.h"
#include "fileio.h"
#include "merge_conflict.h"
#include "store.h"
#include "store_sync.h"
#include "sync.h"

static const char usage[] =
	"usage: ae resolve RECORD [FIELD] --ours|--theirs\n"
	"       ae resolve RECORD FIELD --value VALUE\n"
	"       ae resolve RECORD --keep|--delete\n"
	"\n"
	"Settle a conflict that a merge ('ae sync', 'git pull') left in RECORD (its\n"
	"identifier, or a path such as journal/2026-11.log): FIELD as this clone\n"
	"had it (--ours), as the other side had it (--theirs), or set to VALUE;\n"
	"without FIELD, every conflict of RECORD with one side.  A journal line\n"
	"is named as 'ae check' names it (line-12).  A record deleted on one side\n"
	"and changed on the other is kept (--keep, as changed) or deleted\n"
	"(--delete).  Every other byte of the file stays as it is.  When nothing\n"
	"is left in conflict, 'ae sync --continue' commits the merge and pushes.\n";

enum mode { M_NONE, M_OURS, M_THEIRS, M_VALUE, M_KEEP, M_DELETE };

/* The conflicted path RECORD names: its identifier or its path. */
static char *conflicted_path(const struct strlist *conflicts, const char *record)
{
	for (size_t i = 0; i < conflicts->n; i++) {
		char *name = resolve_name(conflicts->v[i]);
		int same = !strcmp(name, record) || !strcmp(conflicts->v[i], record);
		free(name);
		if (same)
			return xstrdup(conflicts->v[i]);
	}
	return NULL;
}

static void list_conflicts(struct strbuf *sb, const struct strlist *conflicts)
{
	for (size_t i = 0; i < conflicts->n; i++) {
		char *name = resolve_name(conflicts->v[i]);
		sb_addf(sb, "\n  %s", name);
		free(name);
	}
}

/* Settle the block of key in text (out gets the result).  An exit status. */
static int settle(const char *path, const struct strbuf *text, const char *key, enum mode m,
		  const char *value, struct strbuf *out)
{
	struct conflict_list l;
	const struct conflict_block *b = NULL;
	int status = 0;

	conflict_find(text->buf ? text->buf : "", text->len, &l);
	for (size_t i = 0; i < l.n && !b; i++)
		if (!strcmp(l.v[i].key, key))
			b = &l.v[i];
	if (!b) {
		struct strbuf keys = STRBUF_INIT;
		for (size_t i = 0; i < l.n; i++)
			sb_addf(&keys, "%s'%s'", i ? ", " : "", l.v[i].key);
		error("'%s' has no conflict on '%s'%s%s", path, key, l.n ? "; its conflicts: " : "",
		      keys.buf ? keys.buf : "");
		sb_release(&keys);
		status = EXIT_USAGE;
		goto out;
	}
	if (!strcmp(key, "*")) {
		char *name = resolve_name(path);
		error("both sides made '%s', each its own record: keep both with 'ae renumber %s' (it suggests a free number)",
		      name, name);
		free(name);
		status = EXIT_USAGE;
		goto out;
	}
	if (m != M_VALUE) {
		conflict_resolve(text->buf, text->len, key, m == M_OURS ? MS_OURS : MS_THEIRS, out);
	} else if (!strncmp(key, "line-", 5)) {
		/* a journal line written anew, ending as the file's lines do */
		const char *eol = b->end > b->start + 1 && text->buf[b->end - 2] == '\r' ? "\r\n" : "\n";
		sb_reset(out);
		sb_add(out, text->buf, b->start);
		sb_addf(out, "%s%s", value, eol);
		sb_add(out, text->buf + b->end, text->len - b->end);
	} else if (key[0] == '[') {
		error("'%s' is a setting of a section: settle it with --ours or --theirs, then 'ae set' or edit it",
		      key);
		status = EXIT_USAGE;
	} else {
		/* the side that has the field, with its value replaced */
		struct strbuf side = STRBUF_INIT;
		enum merge_side keep = b->part[MS_OURS][1] > b->part[MS_OURS][0] ? MS_OURS : MS_THEIRS;
		conflict_resolve(text->buf, text->len, key, keep, &side);
		if (edit_set(out, side.buf, side.len, key, value, NULL, 0) < 0) {
			error("'%s' has no section to put '%s' in", path, key);
			status = EXIT_BAD_RECORDS;
		}
		sb_release(&side);
	}
out:
	conflict_list_release(&l);
	return status;
}

int cmd_resolve(int argc, char **argv, struct globals *g)
{
	const char *record = NULL, *field = NULL, *value = NULL;
	enum mode m = M_NONE;
	struct store *s = NULL;
	struct strlist conflicts = { 0 }, staged = { 0 };
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	struct change_set cs = { 0 };
	struct rollback *rb = NULL;
	char *root = NULL, *path = NULL;
	int status = 0, rootfd = -1, have[3], present, left;

	for (int i = 1; i < argc; i++) {
		enum mode now = M_NONE;
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--ours")) {
			now = M_OURS;
		} else if (!strcmp(argv[i], "--theirs")) {
			now = M_THEIRS;
		} else if (!strcmp(argv[i], "--keep")) {
			now = M_KEEP;
		} else if (!strcmp(argv[i], "--delete")) {
			now = M_DELETE;
		} else if (arg_value(argc, argv, &i, "--value", &value) != 0) {
			if (!value)
				return EXIT_USAGE;
			now = M_VALUE;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			error("unknown option '%s' for resolve", argv[i]);
			fputs(usage, stderr);
			return EXIT_USAGE;
		} else if (!record) {
			record = argv[i];
		} else if (!field) {
			field = argv[i];
		} else {
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
		if (now != M_NONE) {
			if (m != M_NONE) {
				error("give one of --ours, --theirs, --value, --keep, --delete");
				return EXIT_USAGE;
			}
			m = now;
		}
	}
	if (!record || m == M_NONE || (m == M_VALUE && !field) ||
	    ((m == M_KEEP || m == M_DELETE) && field)) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (g->at) {
		error("--at reads the past; resolve changes the present (drop --at)");
		return EXIT_USAGE;
	}
	if (!(root = book_find_root(g->dir ? g->dir : "."))) {
		error("not inside a book: no ae.ini here or above");
		return EXIT_SYSTEM;
	}
	if ((status = lock_book(g, root, argc, argv)) != 0)
		goto out_nolock;
	if (!(s = store_open(root, 1)) || store_conflicts(s, &conflicts) < 0) {
		status = EXIT_SYSTEM;
		goto out;
	}
	if (!store_merging(s) && !conflicts.n) {
		error("no merge in progress: there is nothing to resolve");
		status = EXIT_USAGE;
		goto out;
	}
	if (!(path = conflicted_path(&conflicts, record))) {
		struct strbuf sb = STRBUF_INIT;
		list_conflicts(&sb, &conflicts);
		if (conflicts.n)
			error("'%s' is not in conflict; what is:%s", record, sb.buf);
		else
			error("'%s' is not in conflict: nothing is; 'ae sync --continue' concludes the merge",
			      record);
		sb_release(&sb);
		status = EXIT_USAGE;
		goto out;
	}
	if ((rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		error("unable to open the book's folder '%s': %s", root, strerror(errno));
		status = EXIT_SYSTEM;
		goto out;
	}
	present = book_read(rootfd, path, (size_t)1 << 28, &text);
	if (present < 0) {
		status = present == -2 ? EXIT_BAD_RECORDS : EXIT_SYSTEM;
		goto out;
	}
	present = present == 0;
	store_conflict_stages(s, path, have);
	if (m == M_KEEP || m == M_DELETE) {
		if (!have[0] || have[1] == have[2]) {
			error("'%s' was not deleted on one side: settle its fields with --ours, --theirs or --value",
			      record);
			status = EXIT_USAGE;
			goto out;
		}
		if (m == M_DELETE) {
			change_set_add(&cs, path, NULL, 0);
		} else if (!present) {
			/* the changed side's version, as it was committed */
			if (store_read_stage(s, path, have[1] ? 2 : 3, &out) != 0) {
				status = EXIT_SYSTEM;
				goto out;
			}
			change_set_add(&cs, path, xstrndup(out.buf ? out.buf : "", out.len), out.len);
		}
	} else if (!present) {
		error("'%s' is not in the work tree: it was deleted on one side; keep it with 'ae resolve %s --keep' or delete it with --delete",
		      path, record);
		status = EXIT_USAGE;
		goto out;
	} else if (field) {
		if ((status = settle(path, &text, field, m, value, &out)) != 0)
			goto out;
		change_set_add(&cs, path, xstrndup(out.buf, out.len), out.len);
	} else {
		/* every conflict of the record, to one side */
		struct conflict_list l;
		struct strbuf cur = STRBUF_INIT;
		sb_add(&cur, text.buf ? text.buf : "", text.len);
		conflict_find(cur.buf ? cur.buf : "", cur.len, &l);
		if (!l.n) {
			error("'%s' has no conflict block; keep it or delete it with --keep or --delete", record);
			status = EXIT_USAGE;
		}
		for (size_t i = 0; i < l.n && !status; i++) {
			status = settle(path, &cur, l.v[i].key, m, NULL, &out);
			sb_reset(&cur);
			sb_add(&cur, out.buf ? out.buf : "", out.len);
		}
		conflict_list_release(&l);
		if (!status) {
			size_t len = cur.len;
			change_set_add(&cs, path, cur.buf ? sb_detach(&cur) : xstrdup(""), len);
		}
		sb_release(&cur);
		if (status)
			goto out;
	}
	/* written under the rollback journal; staged once no block is left */
	if (cs.n && (status = write_changes(g, root, &cs, &rb)) != 0)
		goto out;
	{
		struct conflict_list l;
		const struct file_change *c = cs.n ? &cs.v[0] : NULL;
		size_t blocks = c && c->text ? conflict_find(c->text, c->len, &l) : 0;
		if (c && c->text)
			conflict_list_release(&l);
		if (!blocks) {
			strlist_add(&staged, path);
			if (store_stage_paths(s, g->lock, &staged) < 0) {
				status = rb ? end_write(rb, EXIT_SYSTEM, 0) : EXIT_SYSTEM;
				rb = NULL;
				goto out;
			}
		}
		if (rb)
			status = end_write(rb, 0, 0);
		rb = NULL;
		if (!blocks)
			store_swap_done(g->lock);
		if (status)
			goto out;
		if (m == M_KEEP || m == M_DELETE)
			printf("%s %s\n", m == M_KEEP ? "kept" : "deleted", path);
		else
			printf("settled %s%s%s of %s with %s\n", field ? "'" : "every conflict",
			       field ? field : "", field ? "'" : "", path,
			       m == M_OURS ? "ours (this clone's)" : m == M_THEIRS ? "theirs" : "the value given");
		strlist_release(&conflicts);
		if (store_conflicts(s, &conflicts) < 0) {
			status = EXIT_SYSTEM;
			goto out;
		}
		left = (int)conflicts.n;
		if (left) {
			struct strbuf sb = STRBUF_INIT;
			list_conflicts(&sb, &conflicts);
			printf("still in conflict:%s\n", sb.buf);
			sb_release(&sb);
		} else {
			printf("nothing is left in conflict: 'ae sync --continue' commits the merge and pushes it\n");
		}
	}
out:
	end_change(g);
out_nolock:
	if (rootfd >= 0)
		close(rootfd);
	store_free(s);
	change_set_release(&cs);
	strlist_release(&conflicts);
	strlist_release(&staged);
	sb_release(&text);
	sb_release(&out);
	free(path);
	free(root);
	return status;
}
