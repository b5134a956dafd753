/* commitgraph.c -- git's commit-graph and its changed-path Bloom filters;
 * see commitgraph.h. */
#include "commitgraph.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#define HASH_LEN 20
#define PARENT_NONE 0x70000000u
#define MAX_LAYERS 64

struct layer {
	unsigned char *map;
	size_t size;
	uint32_t n;		/* commits in this layer */
	uint32_t base;		/* commits in the layers below */
	const unsigned char *fanout, *oids, *data;
	const unsigned char *bidx, *bdat;	/* NULL: no filters */
	size_t bdat_len;
	uint32_t hash_version, num_hashes;
	const unsigned char *edges;	/* EDGE: a merge's parents past the first */
	size_t nedges;
	int foreign;		/* a chunk libgit2 1.5 refuses (GDA2, GDO2, ...) */
};

struct commit_graph {
	struct layer layers[MAX_LAYERS];
	int nlayers;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* One graph file mapped and its chunks found: 0, or -1 (not usable). */
static int layer_load(struct layer *l, const char *path, uint32_t base, int nbases)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	const unsigned char *p;
	size_t data_len = 0, bidx_len = 0;
	unsigned nchunks;

	memset(l, 0, sizeof(*l));
	l->base = base;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 8 + 12 + HASH_LEN ||
	    (uint64_t)st.st_size > ((uint64_t)1 << 40)) {
		close(fd);
		return -1;
	}
	l->size = (size_t)st.st_size;
	l->map = mmap(NULL, l->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (l->map == MAP_FAILED) {
		l->map = NULL;
		return -1;
	}
	p = l->map;
	/* "CGPH", version 1, SHA-1, chunks, base graphs */
	if (memcmp(p, "CGPH", 4) || p[4] != 1 || p[5] != 1 || p[7] != nbases)
		return -1;
	nchunks = p[6];
	if (8 + ((size_t)nchunks + 1) * 12 > l->size - HASH_LEN)
		return -1;
	for (unsigned i = 0; i < nchunks; i++) {
		const unsigned char *e = p + 8 + (size_t)i * 12;
		uint64_t off = be64(e + 4), end = be64(e + 16);
		const unsigned char *at;
		size_t len;

		if (off > end || end > l->size - HASH_LEN)
			return -1;
		at = p + off;
		len = (size_t)(end - off);
		if (!memcmp(e, "OIDF", 4) && len == 256 * 4) {
			l->fanout = at;
		} else if (!memcmp(e, "OIDL", 4)) {
			l->oids = at;
			if (len % HASH_LEN)
				return -1;
			l->n = (uint32_t)(len / HASH_LEN);
		} else if (!memcmp(e, "CDAT", 4)) {
			l->data = at;
			data_len = len;
		} else if (!memcmp(e, "BIDX", 4)) {
			l->bidx = at;
			bidx_len = len;
		} else if (!memcmp(e, "BDAT", 4) && len >= 12) {
			l->bdat = at;
			l->bdat_len = len;
		} else if (!memcmp(e, "EDGE", 4) && len % 4 == 0) {
			l->edges = at;
			l->nedges = len / 4;
		} else if (memcmp(e, "BIDX", 4) && memcmp(e, "BDAT", 4)) {
			l->foreign = 1;
		}
	}
	if (!l->fanout || !l->oids || !l->data || be32(l->fanout + 255 * 4) != l->n ||
	    data_len != (size_t)l->n * (HASH_LEN + 16))
		return -1;
	for (int i = 1; i < 256; i++)
		if (be32(l->fanout + (size_t)i * 4) < be32(l->fanout + (size_t)(i - 1) * 4))
			return -1;
	if (l->bidx && l->bdat && bidx_len == (size_t)l->n * 4) {
		l->hash_version = be32(l->bdat);
		l->num_hashes = be32(l->bdat + 4);
		if ((l->hash_version != 1 && l->hash_version != 2) || !l->num_hashes ||
		    l->num_hashes > 32)
			l->bidx = l->bdat = NULL;
	} else {
		l->bidx = l->bdat = NULL;
	}
	return 0;
}

static void layer_free(struct layer *l)
{
	if (l->map)
		munmap(l->map, l->size);
	l->map = NULL;
}

void commit_graph_free(struct commit_graph *g)
{
	if (!g)
		return;
	for (int i = 0; i < g->nlayers; i++)
		layer_free(&g->layers[i]);
	free(g);
}

/* The chain's files, base first: 0, or -1. */
static int load_chain(struct commit_graph *g, const char *objdir)
{
	char *chain = xasprintf("%sinfo/commit-graphs/commit-graph-chain", objdir);
	struct strbuf sb = STRBUF_INIT;
	uint32_t base = 0;
	int ret = -1;

	if (sb_read_file(&sb, chain, (size_t)1 << 20) < 0 || !sb.len)
		goto out;
	for (char *line = sb.buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		char *path;
		struct layer *l;
		size_t len;

		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		if (len != 2 * HASH_LEN || strspn(line, "0123456789abcdef") < len ||
		    g->nlayers == MAX_LAYERS)
			goto out;
		path = xasprintf("%sinfo/commit-graphs/graph-%.*s.graph", objdir, (int)len, line);
		l = &g->layers[g->nlayers];
		if (layer_load(l, path, base, g->nlayers) < 0) {
			layer_free(l);
			free(path);
			goto out;
		}
		free(path);
		if (l->n > UINT32_MAX - base)
			goto out;
		base += l->n;
		g->nlayers++;
	}
	ret = g->nlayers ? 0 : -1;
out:
	sb_release(&sb);
	free(chain);
	return ret;
}

struct commit_graph *commit_graph_open(const char *objdir)
{
	struct commit_graph *g = xcalloc(1, sizeof(*g));
	char *single = xasprintf("%sinfo/commit-graph", objdir);
	int r;

	/* as git reads it: the single file if there is one, else the chain */
	if (access(single, F_OK) == 0) {
		r = layer_load(&g->layers[0], single, 0, 0);
		g->nlayers = 1;
	} else {
		r = load_chain(g, objdir);
	}
	free(single);
	if (r < 0) {
		commit_graph_free(g);
		return NULL;
	}
	return g;
}

/* The commit's layer and position there: the layer, or NULL. */
static const struct layer *find(const struct commit_graph *g, const unsigned char id[20],
				uint32_t *pos)
{
	for (int k = g->nlayers - 1; k >= 0; k--) {
		const struct layer *l = &g->layers[k];
		uint32_t lo = id[0] ? be32(l->fanout + (size_t)(id[0] - 1) * 4) : 0;
		uint32_t hi = be32(l->fanout + (size_t)id[0] * 4);

		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			int c = memcmp(l->oids + (size_t)mid * HASH_LEN, id, HASH_LEN);
			if (!c) {
				*pos = mid;
				return l;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}

int commit_graph_has(const struct commit_graph *g, const unsigned char id[20])
{
	uint32_t pos;

	return g && find(g, id, &pos) != NULL;
}

int commit_graph_has_filters(const struct commit_graph *g)
{
	return g && g->nlayers && g->layers[g->nlayers - 1].bidx != NULL;
}

/* The id of the commit at position pos of the whole chain, or NULL. */
static const unsigned char *id_at(const struct commit_graph *g, uint32_t pos)
{
	for (int k = 0; k < g->nlayers; k++)
		if (pos >= g->layers[k].base && pos - g->layers[k].base < g->layers[k].n)
			return g->layers[k].oids + (size_t)(pos - g->layers[k].base) * HASH_LEN;
	return NULL;
}

int commit_graph_parents(const struct commit_graph *g, const unsigned char id[20],
			 const unsigned char *parents[2])
{
	const struct layer *l;
	const unsigned char *d;
	uint32_t pos, p1, p2;

	if (!g || !(l = find(g, id, &pos)))
		return -1;
	d = l->data + (size_t)pos * (HASH_LEN + 16);
	p1 = be32(d + HASH_LEN);
	p2 = be32(d + HASH_LEN + 4);
	if (p1 == PARENT_NONE)
		return p2 == PARENT_NONE ? 0 : -1;
	if (!(parents[0] = id_at(g, p1)))
		return -1;
	if (p2 == PARENT_NONE)
		return 1;
	if (p2 & 0x80000000u) {
		/* an octopus: its second parent heads its list of edges,
		 * which ends with the one whose top bit is set */
		uint32_t at = p2 & 0x7fffffffu, e;
		if (at >= l->nedges)
			return -1;
		e = be32(l->edges + (size_t)at * 4);
		if (!(e & 0x80000000u))
			return -1;	/* more than two: the caller reads the commit */
		p2 = e & 0x7fffffffu;
	}
	return (parents[1] = id_at(g, p2)) ? 2 : -1;
}

int commit_graph_libgit2_reads(const struct commit_graph *g)
{
	return g && g->nlayers == 1 && !g->layers[0].foreign && !g->layers[0].base;
}

/* git's murmur3 (bloom.c); version 1 read the bytes as signed chars. */
static uint32_t murmur3(uint32_t seed, const char *data, size_t len, int version)
{
	const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
	uint32_t k;
	size_t i;

#define BYTE(x) (version == 1 ? (uint32_t)(int32_t)(signed char)(x) : (uint32_t)(unsigned char)(x))
#define ROTL(v, r) (((v) << (r)) | ((v) >> (32 - (r))))
	for (i = 0; i + 4 <= len; i += 4) {
		k = BYTE(data[i]) | BYTE(data[i + 1]) << 8 | BYTE(data[i + 2]) << 16 |
		    BYTE(data[i + 3]) << 24;
		k *= c1;
		k = ROTL(k, 15);
		k *= c2;
		seed ^= k;
		seed = ROTL(seed, 13) * 5 + 0xe6546b64;
	}
	k = 0;
	switch (len & 3) {
	case 3:
		k ^= BYTE(data[i + 2]) << 16;
		/* fall through */
	case 2:
		k ^= BYTE(data[i + 1]) << 8;
		/* fall through */
	case 1:
		k ^= BYTE(data[i]);
		k *= c1;
		k = ROTL(k, 15);
		k *= c2;
		seed ^= k;
		break;
	}
#undef BYTE
#undef ROTL
	seed ^= (uint32_t)len;
	seed ^= seed >> 16;
	seed *= 0x85ebca6b;
	seed ^= seed >> 13;
	seed *= 0xc2b2ae35;
	seed ^= seed >> 16;
	return seed;
}

/* Whether the filter may hold the key (path's first len bytes). */
static int filter_has(const struct layer *l, const unsigned char *f, size_t flen,
		      const char *key, size_t len)
{
	uint32_t h0 = murmur3(0x293ae76f, key, len, (int)l->hash_version);
	uint32_t h1 = murmur3(0x7e646e2c, key, len, (int)l->hash_version);
	uint64_t bits = (uint64_t)flen * 8;

	for (uint32_t i = 0; i < l->num_hashes; i++) {
		uint64_t bit = (uint32_t)(h0 + i * h1) % bits;
		if (!(f[bit / 8] & (1u << (bit % 8))))
			return 0;
	}
	return 1;
}

int commit_graph_may_change(const struct commit_graph *g, const unsigned char id[20],
			    const unsigned char parent[20], const char *path)
{
	const struct layer *l;
	const unsigned char *d, *pid, *f;
	uint32_t pos, p1, p2, start, end;
	size_t plen = strlen(path);

	if (!g || !(l = find(g, id, &pos)) || !l->bidx || !plen)
		return 1;
	d = l->data + (size_t)pos * (HASH_LEN + 16);
	p1 = be32(d + HASH_LEN);
	p2 = be32(d + HASH_LEN + 4);
	/* one parent, the one walked to */
	if (p1 == PARENT_NONE || p2 != PARENT_NONE || !(pid = id_at(g, p1)) ||
	    memcmp(pid, parent, HASH_LEN))
		return 1;
	start = pos ? be32(l->bidx + (size_t)(pos - 1) * 4) : 0;
	end = be32(l->bidx + (size_t)pos * 4);
	/* an empty filter says nothing (git: "unknown") */
	if (end <= start || end > l->bdat_len - 12)
		return 1;
	f = l->bdat + 12 + start;
	/* the path and every folder above it, as git asks */
	for (size_t len = plen; len; ) {
		if (!filter_has(l, f, end - start, path, len))
			return 0;
		while (len && path[len - 1] != '/')
			len--;
		if (len)
			len--;
	}
	return 1;
}

int commit_graph_write(const char *workdir)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		execlp("git", "git", "-C", workdir, "-c", "commitGraph.generationVersion=1",
		       "commit-graph", "write", "--reachable", "--changed-paths", "--no-progress",
		       (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
