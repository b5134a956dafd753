/*
 * Unit tests of commitgraph.c (issue 15, goal 4): on a history git writes
 * here, with its commit-graph and changed-path filters, every commit's
 * filter must answer "may have" for each path the commit changed (and for
 * its folders: git's murmur3 on Chinese names too, read as git 2.39's
 * version 1 reads them, bytes as signed chars), and "certainly not" for
 * most of the paths it left alone (else the filters are not read at all).
 * A root commit, a merge, a wrong parent and a truncated graph say "may".
 * Each commit's parents as the graph has them (a merge's two; an octopus
 * is left to the caller), and whether libgit2 1.5 can read the graph
 * (not one with git 2.39's generation data, GDA2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/commitgraph.h"
#include "../../src/util.h"

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static const char *const paths[] = {
	"jobs/2026/CA-2611-01.ini", "jobs/2026/CA-2611-02.ini", "jobs/2025/CA-2511-01.ini",
	"clients/客户甲.ini", "客户/乙/丙.ini", "journal/2026-11.log",
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

static void run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "failed: %s\n", cmd);
		exit(1);
	}
}

static void hex(const char *h, unsigned char *o)
{
	for (int i = 0; i < 20; i++)
		sscanf(h + 2 * i, "%2hhx", &o[i]);
}

int main(void)
{
	char dir[] = "/tmp/ae-unit-cg.XXXXXX";
	struct strbuf sb = STRBUF_INIT;
	struct commit_graph *g;
	unsigned nos = 0, maybes = 0;
	char *objdir, *cmd, *list;
	FILE *f;
	char line[256];

	if (!mkdtemp(dir))
		return 1;
	cmd = xasprintf("cd %s && git init -q -b main . && git config user.name t && git config user.email t@t "
			"&& git config commitGraph.changedPathsVersion 1 2>/dev/null; true", dir);
	run(cmd);
	free(cmd);
	/* commit i changes path i % NPATHS (added the first time) */
	for (int i = 0; i < 30; i++) {
		const char *p = paths[i % NPATHS];
		cmd = xasprintf("cd %s && mkdir -p \"$(dirname '%s')\" && echo %d >> '%s' && git add -A && "
				"git commit -qm 'c%d' && git rev-parse HEAD >> changes && echo '%s' >> changes",
				dir, p, i, p, i, p);
		run(cmd);
		free(cmd);
	}
	cmd = xasprintf("cd %s && git commit-graph write --reachable --changed-paths --no-progress", dir);
	run(cmd);
	free(cmd);
	objdir = xasprintf("%s/.git/objects/", dir);
	g = commit_graph_open(objdir);
	CHECK(g && commit_graph_has_filters(g), "no graph with filters read");
	if (!g)
		return 1;
	list = xasprintf("cd %s && git log --format='%%H %%P' --reverse HEAD", dir);
	f = popen(list, "r");
	for (int i = 0; f && fgets(line, sizeof(line), f); i++) {
		unsigned char id[20], parent[20];
		const char *touched = paths[i % NPATHS];

		hex(line, id);
		CHECK(commit_graph_has(g, id), "commit %d not in the graph", i);
		const unsigned char *par[2];

		if (strlen(line) < 81) {
			/* the root commit: no filter to trust */
			CHECK(commit_graph_may_change(g, id, id, touched) == 1, "root commit");
			CHECK(commit_graph_parents(g, id, par) == 0, "the root commit has parents");
			continue;
		}
		hex(line + 41, parent);
		CHECK(commit_graph_parents(g, id, par) == 1 && !memcmp(par[0], parent, 20),
		      "commit %d: not its parent", i);
		CHECK(commit_graph_may_change(g, id, parent, touched) == 1,
		      "commit %d: its own change '%s' said absent", i, touched);
		/* a parent that is not the graph's: nothing certain */
		CHECK(commit_graph_may_change(g, id, id, "none/such.ini") == 1,
		      "commit %d: a wrong parent trusted", i);
		for (size_t k = 0; k < NPATHS; k++) {
			if (!strcmp(paths[k], touched))
				continue;
			if (commit_graph_may_change(g, id, parent, paths[k]))
				maybes++;
			else
				nos++;
		}
	}
	if (f)
		pclose(f);
	/* 29 commits x 5 untouched paths; the filters' false positives are rare */
	CHECK(nos >= 120, "only %u of %u untouched paths certain", nos, nos + maybes);
	/* git 2.39 writes generation data (GDA2) unless told not to */
	CHECK(!commit_graph_libgit2_reads(g), "a graph with generation data v2 said readable by libgit2");
	commit_graph_free(g);

	/* a merge of two, and an octopus of three: their parents */
	cmd = xasprintf("cd %s && git commit -qam changes && for b in a b; do git switch -q -c $b main~3 && echo $b > $b.txt && "
			"git add $b.txt && git commit -qm $b || exit 1; done && git switch -q main && "
			"git merge -q --no-edit a && git rev-parse HEAD HEAD^1 HEAD^2 > two && "
			"echo c > c.txt && git add c.txt && git commit -qm c && git switch -q -c d main~5 && "
			"echo d > d.txt && git add d.txt && git commit -qm d && git switch -q main && "
			"git merge -q --no-edit b d >/dev/null && git rev-parse HEAD > three && "
			"git -c commitGraph.generationVersion=1 commit-graph write --reachable "
			"--changed-paths --no-progress", dir);
	run(cmd);
	free(cmd);
	g = commit_graph_open(objdir);
	CHECK(g && commit_graph_libgit2_reads(g), "a graph of generation v1 said unreadable by libgit2");
	cmd = xasprintf("%s/two", dir);
	if (g && (f = fopen(cmd, "r"))) {
		unsigned char id[3][20];
		const unsigned char *par[2];
		for (int i = 0; i < 3 && fgets(line, sizeof(line), f); i++)
			hex(line, id[i]);
		fclose(f);
		CHECK(commit_graph_parents(g, id[0], par) == 2 && !memcmp(par[0], id[1], 20) &&
		      !memcmp(par[1], id[2], 20), "a merge's parents");
	}
	free(cmd);
	cmd = xasprintf("%s/three", dir);
	if (g && (f = fopen(cmd, "r"))) {
		unsigned char id[20];
		const unsigned char *par[2];
		if (fgets(line, sizeof(line), f))
			hex(line, id);
		fclose(f);
		CHECK(commit_graph_parents(g, id, par) == -1, "an octopus's parents not left to the caller");
	}
	free(cmd);
	commit_graph_free(g);

	/* a truncated graph is not used */
	cmd = xasprintf("%s/.git/objects/info/commit-graph", dir);
	/* git writes it read-only: replaced, not rewritten */
	if (sb_read_file(&sb, cmd, (size_t)1 << 24) == 0 && unlink(cmd) == 0 && (f = fopen(cmd, "w"))) {
		fwrite(sb.buf, 1, sb.len / 2, f);
		fclose(f);
	}
	free(cmd);
	CHECK(commit_graph_open(objdir) == NULL, "a truncated graph read");
	sb_release(&sb);
	free(objdir);
	free(list);
	cmd = xasprintf("rm -rf %s", dir);
	run(cmd);
	free(cmd);
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	else
		printf("commitgraph: ok (%u of %u untouched paths certain)\n", nos, nos + maybes);
	return failures != 0;
}
