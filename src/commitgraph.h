/*
 * commitgraph.h -- git's commit-graph read for its changed-path Bloom
 * filters (issue 15, goal 4), and written by git when it lags behind.
 *
 * `git commit-graph write --changed-paths` keeps, for every commit, a
 * Bloom filter of the paths (and the folders above them) its diff against
 * its first parent touched.  A filter that says "not there" is certain,
 * so `ae log RECORD` skips reading the trees of every commit that
 * certainly left the record alone, and reads in full only the others
 * (merges, the commits without a filter, the filters' false positives;
 * logcache.h keeps what those changed): the output is the same with or
 * without a graph.
 *
 * The file (objects/info/commit-graph, or the chain of
 * objects/info/commit-graphs/) is read as git documents it
 * (gitformat-commit-graph(5)); every offset and length in it is checked
 * before use, and a file that does not parse, or a hash other than SHA-1,
 * is not used at all.  A filter is trusted only for a commit whose first
 * parent in the graph is the parent the caller walks to (grafts, replaced
 * objects and shallow clones make them differ), and never for a root
 * commit or a merge.  Plain POSIX: no libgit2.
 */
#ifndef AE_COMMITGRAPH_H
#define AE_COMMITGRAPH_H

#include <stddef.h>

struct commit_graph;

/* The graph of the object folder objdir (ending in '/'): NULL when there
 * is none or it cannot be used.  commit_graph_free() it. */
struct commit_graph *commit_graph_open(const char *objdir);
void commit_graph_free(struct commit_graph *g);

/* Whether the commit id (20 bytes) is in the graph. */
int commit_graph_has(const struct commit_graph *g, const unsigned char id[20]);
/* Whether the graph holds changed-path filters for its newest commits. */
int commit_graph_has_filters(const struct commit_graph *g);

/*
 * Whether commit id, whose first and only parent is parent, may have
 * changed path (a repository path, "jobs/2026/CA-2611-01.ini") from it:
 * 0 certainly not; 1 it may have, or the graph cannot say.
 */
int commit_graph_may_change(const struct commit_graph *g, const unsigned char id[20],
			    const unsigned char parent[20], const char *path);

/*
 * The parents of commit id as the graph has them, which is what libgit2's
 * walk and git's follow: their number (0, 1 or 2; parents[i] point into
 * the graph), or -1 when the graph lacks the commit or it has more than
 * two parents (then the caller reads the commit).
 */
int commit_graph_parents(const struct commit_graph *g, const unsigned char id[20],
			 const unsigned char *parents[2]);

/*
 * Whether libgit2 1.5 reads this graph for its walks (its revwalk then
 * takes every commit's parents and time from it instead of reading and
 * inflating each commit): one file (libgit2 does not read a chain), and
 * no chunk it refuses -- git 2.39 writes generation data (GDA2/GDO2) by
 * default, and libgit2 1.5 then throws the whole graph away.
 */
int commit_graph_libgit2_reads(const struct commit_graph *g);

/*
 * Have git write the graph of every reachable commit with its changed-path
 * filters, quietly, as one file that both git and libgit2 read: `git -c
 * commitGraph.generationVersion=1 commit-graph write --reachable
 * --changed-paths` (git keeps the filters the graph there already has, so
 * it computes only the new commits').  0, or -1 when git could not be
 * run or failed.
 */
int commit_graph_write(const char *workdir);

#endif
