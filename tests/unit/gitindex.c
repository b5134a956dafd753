/*
 * Unit tests of gitindex.c and of the staged changes read with it (issue
 * 15, goal 3), on indexes git itself writes here: every entry the reader
 * takes equals what `git ls-files -s` says (versions 2, 3 and 4,
 * intent-to-add, skip-worktree, conflicts); a split index is not taken;
 * a truncated or damaged index is not taken or is read without harm (run
 * under ASan by make asan); and store_staged() gives the same list with
 * ae's reader as with libgit2's ($AE_INDEX=libgit2) in every state:
 * cached tree valid, invalidated, absent, HEAD unborn, type changes.
 * The writer: an index written back unchanged is one git reads whole
 * (git fsck checks its trailer; git write-tree trusts its cached tree
 * and must give HEAD's tree), and a kept entry that is racily clean but
 * no longer its file's content is smudged (size 0), one that still is
 * is not.
 */
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/gitindex.h"
#include "../../src/sha1.h"
#include "../../src/store.h"
#include "../../src/util.h"

static int failures;
static char dir[] = "/tmp/ae-unit-ix.XXXXXX";

#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;

	sb_addf(&cmd, "cd %s && ", dir);
	va_start(ap, fmt);
	sb_vaddf(&cmd, fmt, ap);
	va_end(ap);
	if (system(cmd.buf) != 0) {
		fprintf(stderr, "failed: %s\n", cmd.buf);
		exit(1);
	}
	sb_release(&cmd);
}

static char *index_path(void)
{
	return xasprintf("%s/.git/index", dir);
}

/* The reader's entries as `git ls-files -s` prints them. */
static void check_entries(const char *what)
{
	struct gitindex ix;
	char *p = index_path(), *cmd = xasprintf("cd %s && git ls-files -s", dir);
	struct strbuf mine = STRBUF_INIT, git = STRBUF_INIT;
	FILE *f;
	char line[4096];
	int r = gitindex_read(p, &ix);

	CHECK(r == 0, "%s: the index not read (%d)", what, r);
	for (size_t i = 0; r == 0 && i < ix.n; i++) {
		const struct gitindex_entry *e = &ix.v[i];
		sb_addf(&mine, "%06o ", gitindex_mode(e));
		for (int k = 0; k < 20; k++)
			sb_addf(&mine, "%02x", gitindex_id(e)[k]);
		sb_addf(&mine, " %u\t%s\n", gitindex_stage(e), e->path);
	}
	f = popen(cmd, "r");
	while (f && fgets(line, sizeof(line), f))
		sb_addstr(&git, line);
	if (f)
		pclose(f);
	CHECK(mine.buf && git.buf && !strcmp(mine.buf, git.buf), "%s: entries differ:\n%s---\n%s", what,
	      mine.buf ? mine.buf : "", git.buf ? git.buf : "");
	gitindex_release(&ix);
	sb_release(&mine);
	sb_release(&git);
	free(cmd);
	free(p);
}

static void list_of(struct strbuf *out, int libgit2)
{
	struct store *s;
	struct change_list l = { 0 };

	if (libgit2)
		setenv("AE_INDEX", "libgit2", 1);
	else
		unsetenv("AE_INDEX");
	s = store_open(dir, 0);
	if (!s || store_staged(s, &l) < 0) {
		sb_addstr(out, "(failed)");
	} else {
		for (size_t i = 0; i < l.n; i++)
			sb_addf(out, "%d %s\n", (int)l.v[i].type, l.v[i].path);
	}
	change_list_release(&l);
	store_free(s);
	unsetenv("AE_INDEX");
}

/* store_staged with ae's reader equals libgit2's; expect the list. */
static void check_staged(const char *what, const char *expect)
{
	struct strbuf own = STRBUF_INIT, lg = STRBUF_INIT;

	list_of(&own, 0);
	list_of(&lg, 1);
	CHECK(!strcmp(own.buf ? own.buf : "", lg.buf ? lg.buf : ""),
	      "%s: ae's list\n%s--- libgit2's\n%s", what, own.buf ? own.buf : "", lg.buf ? lg.buf : "");
	if (expect)
		CHECK(!strcmp(own.buf ? own.buf : "", expect), "%s: list\n%s--- expected\n%s", what,
		      own.buf ? own.buf : "", expect);
	sb_release(&own);
	sb_release(&lg);
}

/* Whether the root of the cached tree is valid (-1: no TREE). */
static int root_valid(void)
{
	struct gitindex ix;
	char *p = index_path();
	int r = -1;

	if (gitindex_read(p, &ix) == 0 && ix.ntree)
		r = ix.tree[0].id != NULL;
	gitindex_release(&ix);
	free(p);
	return r;
}

static void scenarios(void)
{
	sh("git init -q -b main . && git config user.name t && git config user.email t@t && "
	   "mkdir -p jobs/2026 jobs/2025 clients journal && "
	   "for i in 1 2 3 4 5; do echo a$i > jobs/2026/J$i.ini; echo b$i > jobs/2025/J$i.ini; "
	   "echo c$i > clients/C$i.ini; done && echo l > journal/2026-11.log && echo x > ae.ini");
	/* HEAD unborn: everything added */
	sh("git add -A");
	check_entries("unborn");
	check_staged("unborn", NULL);
	sh("git commit -qm one");
	CHECK(root_valid() == 1, "after a commit the cached tree is valid");
	check_staged("nothing staged", "");

	/* version 2: a change, a new file, a deletion; the rest cached */
	sh("echo A > jobs/2026/J2.ini && echo n > jobs/2026/J9.ini && git rm -q clients/C3.ini && "
	   "git add jobs");
	CHECK(root_valid() == 0, "git add invalidates the root");
	check_entries("v2");
	check_staged("v2", "2 clients/C3.ini\n1 jobs/2026/J2.ini\n0 jobs/2026/J9.ini\n");
	/* git write-tree makes every node valid again: all skipped but none */
	sh("git write-tree > /dev/null");
	check_staged("v2, cached tree rebuilt", "2 clients/C3.ini\n1 jobs/2026/J2.ini\n0 jobs/2026/J9.ini\n");
	sh("git commit -qm two");

	/* version 3: intent-to-add, skip-worktree */
	sh("echo new > clients/C9.ini && git add -N clients/C9.ini && "
	   "git update-index --skip-worktree jobs/2025/J1.ini && echo m > jobs/2025/J2.ini && git add jobs/2025/J2.ini");
	check_entries("v3");
	check_staged("v3", NULL);
	sh("git rm -q --cached clients/C9.ini && rm clients/C9.ini && git update-index --no-skip-worktree jobs/2025/J1.ini && "
	   "git commit -qm three");

	/* a type change: a file made a link, a file made a folder */
	sh("ln -sf J1.ini jobs/2026/link.ini && git add jobs/2026/link.ini && git commit -qm link && "
	   "rm jobs/2026/link.ini && echo f > jobs/2026/link.ini && git rm -q --cached jobs/2026/J3.ini && "
	   "rm jobs/2026/J3.ini && mkdir jobs/2026/J3.ini && echo d > jobs/2026/J3.ini/x && git add -A jobs");
	check_entries("type changes");
	check_staged("type changes", NULL);
	sh("git commit -qm types");

	/* version 4 */
	sh("git update-index --index-version 4 && echo v4 > clients/C1.ini && echo w > clients/C8.ini && "
	   "git add clients && git rm -q jobs/2025/J5.ini");
	check_entries("v4");
	check_staged("v4", "1 clients/C1.ini\n0 clients/C8.ini\n2 jobs/2025/J5.ini\n");
	sh("git commit -qm four && git update-index --index-version 2");

	/* no cached tree: git read-tree writes none */
	sh("git read-tree HEAD && echo r > jobs/2025/J4.ini && git add jobs/2025/J4.ini");
	check_entries("read-tree");
	check_staged("read-tree", "1 jobs/2025/J4.ini\n");
	sh("git commit -qm five");

	/* conflicts: a path both sides changed, one both sides added */
	sh("git checkout -q -b other && echo o > jobs/2026/J1.ini && echo o > jobs/2026/both.ini && "
	   "git add -A && git commit -qm other && git checkout -q main && echo m > jobs/2026/J1.ini && "
	   "echo m > jobs/2026/both.ini && git add -A && git commit -qm main && "
	   "(git merge -q other >/dev/null 2>&1; true)");
	check_entries("conflicts");
	check_staged("conflicts", NULL);
	sh("git merge --abort");

	/* a split index: not taken, and the answer is libgit2's */
	sh("echo s > jobs/2026/J4.ini && git add jobs && git update-index --split-index");
	{
		struct gitindex ix;
		char *p = index_path();
		CHECK(gitindex_read(p, &ix) == 1, "a split index taken");
		gitindex_release(&ix);
		free(p);
	}
	check_staged("split index", NULL);
	sh("git update-index --no-split-index");
	check_staged("split index undone", "1 jobs/2026/J4.ini\n");
}

/* Write the index back through gitindex_write with ch; 0 or -1. */
static int rewrite(const struct gitindex_new *ch, size_t nch)
{
	struct gitindex ix;
	char *p = index_path(), *tmp = xasprintf("%s.new", p), *wd = xasprintf("%s/", dir);
	int fd, r = -1;

	if (gitindex_read(p, &ix) == 0 && (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0) {
		r = gitindex_write(fd, &ix, ch, nch, NULL, 0, wd);
		close(fd);
		if (r == 0)
			r = rename(tmp, p);
	}
	gitindex_release(&ix);
	free(tmp);
	free(wd);
	free(p);
	return r;
}

/* The size git's index records for path (-1: absent). */
static long recorded_size(const char *path)
{
	struct gitindex ix;
	char *p = index_path();
	long size = -1, i;

	if (gitindex_read(p, &ix) == 0 && (i = gitindex_find(&ix, path, strlen(path), 0)) >= 0)
		size = (long)gitindex_size(&ix.v[i]);
	gitindex_release(&ix);
	free(p);
	return size;
}

static void writer(void)
{
	struct gitindex_new e = { 0 };
	char *abs = xasprintf("%s/clients/C2.ini", dir);
	unsigned char other[20];
	struct sha1 h;

	/* written back unchanged: git takes it, trailer and cached tree */
	sh("git reset -q --hard && git write-tree > /dev/null && git rev-parse HEAD^{tree} > .git/tree.want");
	CHECK(rewrite(NULL, 0) == 0, "the index not written");
	sh("git fsck --no-dangling --no-progress && git write-tree > .git/tree.got && cmp -s .git/tree.want .git/tree.got && "
	   "test -z \"$(git status --porcelain --untracked-files=no)\"");
	check_entries("written back");
	/* an entry saying other content at the file's own stat data: after
	 * the index is older than the file, racily clean but changed */
	sha1_init(&h);
	sha1_update(&h, "blob 3\0xyz", 10);
	sha1_final(&h, other);
	e.path = "clients/C2.ini";
	e.mode = 0100644;
	memcpy(e.id, other, 20);
	CHECK(lstat(abs, &e.st) == 0, "no clients/C2.ini");
	sh("printf xyz | git hash-object -w --stdin > /dev/null");
	CHECK(rewrite(&e, 1) == 0, "the index not written");
	CHECK(recorded_size("clients/C2.ini") == (long)e.st.st_size, "the new entry's size");
	sh("touch -d '2000-01-01' .git/index");
	CHECK(rewrite(NULL, 0) == 0, "the index not written");
	CHECK(recorded_size("clients/C2.ini") == 0, "a racily clean, changed entry not smudged");
	CHECK(recorded_size("clients/C1.ini") > 0, "a racily clean, unchanged entry smudged");
	sh("test \"$(git status --porcelain --untracked-files=no)\" = 'MM clients/C2.ini' || "
	   "{ git status --porcelain; false; }");
	sh("git reset -q --hard");
	free(abs);
}

/* Truncated and damaged copies: read or refused, never a crash. */
static void damaged(void)
{
	char *p = index_path(), *copy = xasprintf("%s/damaged", dir);
	struct strbuf sb = STRBUF_INIT;
	unsigned taken = 0, refused = 0;

	if (sb_read_file(&sb, p, (size_t)1 << 24) < 0 || sb.len < 100) {
		CHECK(0, "no index to damage");
		return;
	}
	for (size_t cut = 0; cut <= sb.len; cut += cut < 200 ? 1 : 7) {
		struct gitindex ix;
		FILE *f = fopen(copy, "w");
		fwrite(sb.buf, 1, cut, f);
		fclose(f);
		if (gitindex_read(copy, &ix) == 0)
			taken++;
		else
			refused++;
		gitindex_release(&ix);
	}
	CHECK(refused > 100, "truncated indexes taken");
	for (size_t at = 0; at < sb.len; at++) {
		struct gitindex ix;
		FILE *f = fopen(copy, "w");
		unsigned char keep = (unsigned char)sb.buf[at];
		sb.buf[at] = (char)(keep ^ (at % 3 == 0 ? 0xff : at % 3 == 1 ? 0x01 : 0x80));
		fwrite(sb.buf, 1, sb.len, f);
		fclose(f);
		sb.buf[at] = (char)keep;
		if (gitindex_read(copy, &ix) == 0) {
			/* what is taken is still in order and bounded */
			for (size_t i = 0; i < ix.n; i++)
				CHECK(strlen(ix.v[i].path) == ix.v[i].len, "a path's length");
			taken++;
		} else {
			refused++;
		}
		gitindex_release(&ix);
	}
	fprintf(stderr, "damaged: %u taken, %u refused\n", taken, refused);
	sb_release(&sb);
	free(copy);
	free(p);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	scenarios();
	writer();
	damaged();
	sh("cd / && rm -rf %s", dir);
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	return failures != 0;
}
