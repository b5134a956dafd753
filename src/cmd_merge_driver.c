/*
 * cmd_merge_driver.c -- the hidden 'ae merge-driver': ae's record and
 * journal merges spoken in git's merge-driver protocol, for 'git merge'
 * and 'git pull' (gitattributes(5), "Defining a custom merge driver").
 *
 * git runs, from the top of the work tree,
 *     ae merge-driver record|journal %O %A %B %P
 * with the merge base, ours and theirs in temporary files and the path
 * in the repository; the result goes to %A, and the exit status is 0 for
 * a clean merge, 1 for conflicts (then git keeps the three stages in the
 * index and %A, with ae's conflict blocks, in the work tree).  Ours is
 * HEAD; theirs is the commit git names in $GITHEAD_<id> ('git merge'
 * sets it), from which the blocks say who made each side.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "diag.h"
#include "fileio.h"
#include "merge_journal.h"
#include "merge_record.h"
#include "store.h"
#include "store_team.h"

/* A side bigger than this is not merged (the file stays in conflict). */
#define DRIVER_MAX_BYTES ((size_t)256 << 20)

extern char **environ;

static const char usage[] =
	"usage: ae merge-driver record|journal BASE OURS THEIRS PATH\n"
	"\n"
	"git's merge driver for a book (set up by 'ae init'; see ae-merge(5)):\n"
	"merges BASE, OURS and THEIRS, writes the result to OURS, and exits 0\n"
	"when clean, 1 when fields or journal lines are left in conflict.\n";

static int slurp(const char *path, struct strbuf *out)
{
	if (sb_read_file(out, path, DRIVER_MAX_BYTES) == 0)
		return 0;
	if (errno == EFBIG)
		return error("'%s' is larger than %zu bytes: not merged", path, DRIVER_MAX_BYTES);
	return error("unable to read '%s': %s", path, strerror(errno));
}

/* The commit being merged in, as git names it to a merge driver. */
static const char *theirs_commit(void)
{
	for (char **e = environ; e && *e; e++)
		if (!strncmp(*e, "GITHEAD_", 8)) {
			static char hex[65];
			const char *eq = strchr(*e, '=');
			size_t n = eq ? (size_t)(eq - *e) - 8 : 0;
			if (n >= 4 && n < sizeof(hex)) {
				memcpy(hex, *e + 8, n);
				hex[n] = '\0';
				return hex;
			}
		}
	return NULL;
}

static void name_sides(struct merge_result *r, const char *path, const struct strbuf *base)
{
	struct store *s = store_try_open(".");
	const char *theirs = theirs_commit();

	if (!s)
		return;
	for (size_t i = 0; i < r->n; i++) {
		struct merge_piece *p = &r->v[i];
		const char *line;
		size_t len = 0;
		if (!p->key)
			continue;
		line = conflict_key_line(p->key, base->buf, base->len, &len);
		p->who[0] = store_merge_who(s, "HEAD", theirs, path, p->key, line, len);
		if (theirs)
			p->who[1] = store_merge_who(s, theirs, "HEAD", path, p->key, line, len);
	}
	store_free(s);
}

int cmd_merge_driver(int argc, char **argv, struct globals *g)
{
	struct strbuf side[3] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT }, out = STRBUF_INIT;
	struct merge_result r;
	int journal, n, status = EXIT_SYSTEM;

	(void)g;
	if (argc == 2 && is_help(argv[1])) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc != 6 || (strcmp(argv[1], "record") && strcmp(argv[1], "journal"))) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	journal = !strcmp(argv[1], "journal");
	for (int i = 0; i < 3; i++)
		if (slurp(argv[2 + i], &side[i]) < 0)
			goto out;
	n = (journal ? merge_journal : merge_record)(
		side[0].buf ? side[0].buf : "", side[0].len, side[1].buf ? side[1].buf : "",
		side[1].len, side[2].buf ? side[2].buf : "", side[2].len, &r);
	if (n)
		name_sides(&r, argv[5], &side[0]);
	merge_result_render(&r, &out);
	merge_result_release(&r);
	if (write_atomic(argv[3], out.buf ? out.buf : "", out.len, 0644) < 0)
		goto out;
	if (n)
		fprintf(stderr, "ae: %d conflict%s in %s: 'ae check' describes %s\n", n,
			n == 1 ? "" : "s", argv[5], n == 1 ? "it" : "them");
	status = n ? 1 : 0;
out:
	for (int i = 0; i < 3; i++)
		sb_release(&side[i]);
	sb_release(&out);
	return status;
}
