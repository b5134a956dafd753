/*
 * Unit test of ae's merge drivers run inside libgit2 (store_mergedrv.c),
 * as ae sync will run them: a scratch repository with two branches,
 * merged in memory with store_merge_files(); the record's adjacent
 * fields merge cleanly, the contested field is one conflict block naming
 * who made each side, and the journal keeps both sides' lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/store.h"
#include "../../src/store_team.h"

static int failures, checks;

#define EXPECT(cond)                                                             \
	do {                                                                     \
		checks++;                                                        \
		if (!(cond)) {                                                   \
			printf("merge_inprocess.c:%d: %s\n", __LINE__, #cond);   \
			failures++;                                              \
		}                                                                \
	} while (0)

static int sh(const char *cmd)
{
	int r = system(cmd);

	if (r != 0)
		printf("merge_inprocess.c: '%s' failed\n", cmd);
	return r;
}

static const struct merged_file *find(const struct merged_files *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].path, path))
			return &l->v[i];
	return NULL;
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[1024], cmd[4096];
	struct store *s;
	struct merged_files out = { 0 };
	const struct merged_file *f;
	int r;

	snprintf(dir, sizeof(dir), "%s/ae-unit-merge.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_DATE", "2026-11-26T09:00:00+08:00", 1);
	setenv("GIT_COMMITTER_DATE", "2026-11-26T09:00:00+08:00", 1);
	snprintf(cmd, sizeof(cmd),
		 "set -e; cd '%s'; git init -q -b main .; "
		 "git config user.name 李明; git config user.email li.ming@example.com; "
		 "mkdir jobs journal; "
		 "printf '*.ini merge=ae-record\\njournal/*.log merge=ae-journal\\n' > .gitattributes; "
		 "printf '[job]\\nid = CS-2611-01\\nstatus = in-progress\\nnext = a\\nbudget = 1.00\\n' > jobs/CS-2611-01.ini; "
		 "printf '2026-11-20 09:00 li.ming call X a\\n' > journal/2026-11.log; "
		 "git add -A; git commit -qm base; "
		 "git checkout -qb theirs; "
		 "sed -i 's/^status = .*/status = on-hold/; s/^next = .*/next = b/' jobs/CS-2611-01.ini; "
		 "printf '2026-11-21 10:00 wang.fang call X c\\n' >> journal/2026-11.log; "
		 "git -c user.name=王芳 -c user.email=wang.fang@example.com commit -qam theirs; "
		 "git checkout -q main; "
		 "sed -i 's/^status = .*/status = delivered/; s/^budget = .*/budget = 2.00/' jobs/CS-2611-01.ini; "
		 "printf '2026-11-21 09:30 li.ming call X b\\n' >> journal/2026-11.log; "
		 "git commit -qam ours",
		 dir);
	if (sh(cmd))
		return 1;
	s = store_open(dir, 0);
	EXPECT(s != NULL);
	if (!s)
		return 1;
	r = store_merge_files(s, "main", "theirs", &out);
	EXPECT(r == 1);
	f = find(&out, "jobs/CS-2611-01.ini");
	EXPECT(f && f->conflicts == 1);
	if (f) {
		const char *head = "[job]\nid = CS-2611-01\n"
				   "<<<<<<< ours status by 李明 <li.ming@example.com> in ";
		EXPECT(!strncmp(f->text.buf, head, strlen(head)));
		EXPECT(strstr(f->text.buf, "status = delivered\n||||||| base status\nstatus = in-progress\n=======\nstatus = on-hold\n>>>>>>> theirs status by 王芳 <wang.fang@example.com> in ") != NULL);
		EXPECT(strstr(f->text.buf, "next = b\nbudget = 2.00\n") != NULL);
	}
	f = find(&out, "journal/2026-11.log");
	EXPECT(f && f->conflicts == 0);
	if (f)
		EXPECT(!strcmp(f->text.buf, "2026-11-20 09:00 li.ming call X a\n"
					    "2026-11-21 09:30 li.ming call X b\n"
					    "2026-11-21 10:00 wang.fang call X c\n"));
	merged_files_release(&out);
	store_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	sh(cmd);
	printf("%d checks, %d failures\n", checks, failures);
	return failures != 0;
}
