/*
 * gitindex.h -- git's index file (gitformat-index(5)) read and written by
 * ae itself (issue 15, goal 3): libgit2 1.5 hashes the whole file again
 * on every read (311 M instructions of a 9.3 MB index) and builds an
 * object per entry; git does neither.
 *
 * The reader takes versions 2, 3 and 4 into one buffer: the entries point
 * into it, in the order the file has them (checked: sorted by path, then
 * stage), with no allocation per entry.  The trailing checksum is not
 * verified, as git does not on a read.  The cached-tree extension (TREE)
 * is parsed; the resolve-undo one (REUC) is kept as bytes; the other
 * optional ones (UNTR, FSMN, EOIE, IEOT ...) are skipped.  The index is
 * untrusted input: every length and offset is checked, and what the
 * reader cannot take (a split index's "link", a sparse index's "sdir" or
 * folder entries, another required extension, a file that does not parse)
 * makes it answer "not mine", for the caller to use libgit2, which says
 * what is wrong.
 *
 * The writer (gitindex_write) writes version 2 or 3 from such an index
 * with a few entries replaced, inserted or removed: the other entries'
 * bytes as they were.  Plain POSIX: no libgit2.
 */
#ifndef AE_GITINDEX_H
#define AE_GITINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "util.h"

/* entry flags (the on-disk 16 bits) and extended flags (version 3) */
#define GITINDEX_F_VALID	0x8000
#define GITINDEX_F_EXTENDED	0x4000
#define GITINDEX_F_STAGE	0x3000
#define GITINDEX_X_SKIP_WORKTREE 0x4000
#define GITINDEX_X_INTENT_TO_ADD 0x2000

struct gitindex_entry {
	const char *path;		/* NUL-terminated, in the index's buffers */
	const unsigned char *raw;	/* its 62 bytes on disk: stat data, id, flags */
	uint32_t len;			/* of path */
	uint32_t disk;			/* versions 2, 3: its bytes on disk from raw */
	uint16_t flags, xflags;
};

/* One node of the cached tree, in the file's order (pre-order). */
struct gitindex_tree {
	const char *name;		/* the folder's name ("" the root), not NUL-terminated */
	uint32_t namelen;
	int32_t count;			/* entries below it; -1: invalidated */
	uint32_t nsub;			/* its children follow it */
	uint32_t end;			/* the node after its whole subtree */
	const unsigned char *id;	/* the tree's id; NULL when invalidated */
};

struct gitindex {
	unsigned char *buf;		/* the file */
	size_t size;
	struct stat st;			/* of the file read */
	unsigned version;
	struct gitindex_entry *v;
	size_t n;
	char *paths;			/* version 4: the whole paths */
	struct gitindex_tree *tree;	/* NULL: no TREE extension */
	size_t ntree;
	const unsigned char *reuc;	/* the REUC extension's data, or NULL */
	uint32_t reuc_len;
	int conflicts;			/* an entry of stage 1-3 */
};

/*
 * Read the index file at path into ix (gitindex_release it, also after
 * a failure): 0; 1 not mine (absent, damaged, or a kind this reader does
 * not take: use libgit2); -1 a system error (errno).  The file is read
 * through one descriptor, so a rename of a new index into place during
 * the read cannot tear it; it is read again (a few times) when the parse
 * fails and the path names another file by then.
 */
int gitindex_read(const char *path, struct gitindex *ix);
/*
 * The index at path read once and shared by a run's readers (read-only,
 * never freed: a later call that finds the file changed reads it again
 * and keeps the older read too); NULL when it cannot be read here.  For
 * the quick paths that answer without libgit2 (store_removed_quick,
 * store_plainly_settled); never for an index ae is about to write.
 */
const struct gitindex *gitindex_shared(const char *path);
void gitindex_release(struct gitindex *ix);

static inline uint32_t gitindex_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline unsigned gitindex_stage(const struct gitindex_entry *e)
{
	return (e->flags & GITINDEX_F_STAGE) >> 12;
}
static inline unsigned gitindex_mode(const struct gitindex_entry *e)
{
	return gitindex_be32(e->raw + 24);
}
static inline uint32_t gitindex_size(const struct gitindex_entry *e)
{
	return gitindex_be32(e->raw + 36);
}
static inline const unsigned char *gitindex_id(const struct gitindex_entry *e)
{
	return e->raw + 40;
}

/* Order of two (path, stage) as the index sorts them: <0, 0, >0. */
int gitindex_cmp(const char *a, size_t alen, unsigned astage,
		 const char *b, size_t blen, unsigned bstage);
/*
 * The position of (path, stage), or -(where it would go) - 1.
 */
long gitindex_find(const struct gitindex *ix, const char *path, size_t len, unsigned stage);
/*
 * The first position in [lo, hi) whose path does not begin with prefix,
 * where those that do are all at lo's end of the range (a folder's).
 */
size_t gitindex_prefix_end(const struct gitindex *ix, size_t lo, size_t hi,
			   const char *prefix, size_t plen);
/* The child of the cached-tree node `node` named name, or -1. */
long gitindex_tree_child(const struct gitindex *ix, size_t node, const char *name, size_t len);

/*
 * One entry of a new index: path (repository path), its mode, blob id and
 * the work tree file's stat data (so that git sees it clean).
 */
struct gitindex_new {
	const char *path;
	int remove;			/* 1: the entry goes (no other field used) */
	unsigned mode;
	unsigned char id[20];
	struct stat st;
};

/*
 * A folder along a changed path ("" the root, "jobs/2026" ...): its tree
 * in HEAD (has_head) and in the new commit (has_new), for the cached
 * tree (gitindex_write).
 */
struct gitindex_newtree {
	const char *path;
	int has_head, has_new;
	unsigned char head[20], id[20];
};

/*
 * Write ix (version 2 or 3: gitindex_writable()) with the entries of ch
 * (sorted by path, each once) replaced, inserted or removed, the cached
 * tree updated with trees (the other folders along the changed paths
 * invalidated), REUC kept, the other extensions dropped, and the SHA-1
 * trailer, to fd.  The new entries keep the stat data given, as git add
 * does.  An entry kept whose mtime is not older than the old index file
 * (racily clean: changed within the same tick as that write, unseen) is
 * handled as git does: when the work tree's file (under workdir) no
 * longer matches it, its size is written as 0, so that git compares its
 * content.  0, or -1 (errno).
 */
int gitindex_write(int fd, const struct gitindex *ix, const struct gitindex_new *ch, size_t nch,
		   const struct gitindex_newtree *trees, size_t ntrees, const char *workdir);
/* Whether gitindex_write takes ix: version 2 or 3, no conflict, no
 * extended flag other than skip-worktree and intent-to-add. */
int gitindex_writable(const struct gitindex *ix);

#endif
