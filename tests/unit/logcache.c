/*
 * Unit tests of logcache.c (issue 15, goal 4): what is kept is found
 * again by the next open (commit, parent and path; another parent is not
 * known; a path given twice is one change with both blobs); a file
 * damaged in any single byte, cut at any length, or of random bytes is
 * used as empty, never read past its end (run under ASan in `make
 * asan`), and written anew whole; entries of two runs merge, the file's
 * kept when both have one commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "../../src/logcache.h"
#include "../../src/util.h"

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static void id_of(unsigned char *id, int n)
{
	memset(id, 0, 20);
	id[0] = (unsigned char)(n >> 8);
	id[1] = (unsigned char)n;
	id[19] = 0x5a;
}

/* commit n changed paths "f/n-k.ini" for k < n % 5, each from blob 1000+k to 2000+k */
static void add_commit(struct log_cache *lc, int n)
{
	struct log_change v[5];
	char path[5][32];
	unsigned char c[20], p[20];
	int k;

	for (k = 0; k < n % 5; k++) {
		snprintf(path[k], sizeof(path[k]), "f/%d-%d.ini", n, k);
		v[k].path = path[k];
		id_of(v[k].old, 1000 + k);
		id_of(v[k].new, 2000 + k);
	}
	id_of(c, n);
	id_of(p, n + 50000);
	log_cache_add(lc, c, p, v, (size_t)k);
}

/* Every commit of [from, to) answers as add_commit() made it, or -1 for
 * all when want_known is 0. */
static int check_range(const struct log_cache *lc, int from, int to, int want_known)
{
	int bad = 0;

	for (int n = from; n < to; n++) {
		unsigned char c[20], p[20], o[20], w[20], eo[20], ew[20];
		char path[32];
		id_of(c, n);
		id_of(p, n + 50000);
		for (int k = 0; k < 5; k++) {
			int r;
			snprintf(path, sizeof(path), "f/%d-%d.ini", n, k);
			r = log_cache_path(lc, c, p, path, o, w);
			id_of(eo, 1000 + k);
			id_of(ew, 2000 + k);
			if (!want_known)
				bad += r != -1;
			else if (k < n % 5)
				bad += r != 1 || memcmp(o, eo, 20) || memcmp(w, ew, 20);
			else
				bad += r != 0;
		}
		/* another parent: not known */
		bad += log_cache_path(lc, c, c, "f/x.ini", o, w) != -1;
	}
	return bad;
}

int main(void)
{
	char dir[] = "/tmp/ae-unit-lc.XXXXXX";
	char *gitdir, *file;
	struct log_cache *lc;
	struct strbuf good = STRBUF_INIT, sb = STRBUF_INIT;
	FILE *f;

	if (!mkdtemp(dir))
		return 1;
	gitdir = xasprintf("%s/", dir);
	file = xasprintf("%s/ae/log-cache", dir);
	unsetenv("AE_CACHE");

	/* empty: nothing known, nothing written */
	lc = log_cache_open(gitdir);
	CHECK(check_range(lc, 0, 10, 0) == 0, "an empty cache knows something");
	log_cache_close(lc);
	CHECK(access(file, F_OK) != 0, "an empty cache was written");

	/* kept in one run (in no order), found by the next */
	lc = log_cache_open(gitdir);
	for (int n = 299; n >= 0; n--)
		add_commit(lc, n * 7 % 300);
	log_cache_close(lc);
	lc = log_cache_open(gitdir);
	CHECK(check_range(lc, 0, 300, 1) == 0, "kept commits not found again");
	CHECK(check_range(lc, 300, 310, 0) == 0, "commits never kept are known");
	/* a second run's commits merge with the file's */
	for (int n = 300; n < 400; n++)
		add_commit(lc, n);
	add_commit(lc, 5);	/* one the file has: the file's kept */
	log_cache_close(lc);
	lc = log_cache_open(gitdir);
	CHECK(check_range(lc, 0, 400, 1) == 0, "a second run's commits lost or the first's");
	log_cache_close(lc);

	/* a path given twice: one change, the old blob of one and the new of the other */
	{
		struct log_change v[2];
		unsigned char c[20], p[20], o[20], w[20], zero[20] = { 0 }, b1[20], b2[20];
		id_of(c, 9000);
		id_of(p, 9001);
		id_of(b1, 1);
		id_of(b2, 2);
		v[0].path = v[1].path = "jobs/x";
		memcpy(v[0].old, b1, 20);
		memset(v[0].new, 0, 20);
		memset(v[1].old, 0, 20);
		memcpy(v[1].new, b2, 20);
		lc = log_cache_open(gitdir);
		log_cache_add(lc, c, p, v, 2);
		log_cache_close(lc);
		lc = log_cache_open(gitdir);
		CHECK(log_cache_path(lc, c, p, "jobs/x", o, w) == 1 && !memcmp(o, b1, 20) &&
		      !memcmp(w, b2, 20), "a path given twice not merged");
		CHECK(log_cache_path(lc, c, p, "jobs", o, w) == 0 && memcmp(zero, b1, 20),
		      "a prefix of a path matched it");
		log_cache_close(lc);
	}

	/* an entry damaged past its first change, the checksum made right:
	 * it says nothing at all, not even of the path before the damage
	 * (the writer drops it whole) */
	{
		struct log_change v[2];
		unsigned char c[20], p[20], o[20], w[20];
		size_t n;
		uLong sum;
		unsigned char *b;
		id_of(c, 1);
		id_of(p, 2);
		v[0].path = "a.ini";
		v[1].path = "b.ini";
		memset(v[0].old, 1, 20);
		memset(v[0].new, 2, 20);
		memset(v[1].old, 3, 20);
		memset(v[1].new, 4, 20);
		unlink(file);
		lc = log_cache_open(gitdir);
		log_cache_add(lc, c, p, v, 2);
		log_cache_close(lc);
		sb_reset(&sb);
		if (sb_read_file(&sb, file, 1 << 20) < 0)
			return 1;
		b = (unsigned char *)sb.buf;
		n = sb.len - 4;
		/* the second change's path length (after the first: 2 + 5 + 40) */
		b[n - (2 + 5 + 40)] = 0xff;
		b[n - (2 + 5 + 40) + 1] = 0x7f;
		sum = crc32(crc32(0L, Z_NULL, 0), b, (uInt)n);
		for (int i = 0; i < 4; i++)
			b[n + (size_t)i] = (unsigned char)(sum >> (8 * i));
		f = fopen(file, "w");
		fwrite(sb.buf, 1, sb.len, f);
		fclose(f);
		lc = log_cache_open(gitdir);
		CHECK(log_cache_path(lc, c, p, "a.ini", o, w) == -1,
		      "a damaged entry answered for the path before the damage");
		CHECK(log_cache_path(lc, c, p, "b.ini", o, w) == -1, "a damaged entry answered");
		log_cache_close(lc);
		unlink(file);
		/* the file of the earlier runs back, for the damage below */
		lc = log_cache_open(gitdir);
		for (int k = 0; k < 400; k++)
			add_commit(lc, k);
		log_cache_close(lc);
	}

	/* damage: every single byte flipped, every length cut */
	if (sb_read_file(&good, file, (size_t)1 << 24) < 0)
		return 1;
	for (size_t at = 0; at < good.len; at += at < 64 ? 1 : 97) {
		sb_reset(&sb);
		sb_add(&sb, good.buf, good.len);
		sb.buf[at] ^= 0x20;
		f = fopen(file, "w");
		fwrite(sb.buf, 1, sb.len, f);
		fclose(f);
		lc = log_cache_open(gitdir);
		CHECK(check_range(lc, 0, 400, 0) == 0, "a file with byte %zu flipped was used", at);
		log_cache_close(lc);
	}
	for (size_t len = 0; len < good.len; len += len < 64 ? 1 : 101) {
		f = fopen(file, "w");
		fwrite(good.buf, 1, len, f);
		fclose(f);
		lc = log_cache_open(gitdir);
		CHECK(check_range(lc, 0, 400, 0) == 0, "a file cut at %zu was used", len);
		log_cache_close(lc);
	}
	srand(7);
	for (int round = 0; round < 200; round++) {
		size_t len = (size_t)(rand() % 4096);
		f = fopen(file, "w");
		for (size_t i = 0; i < len; i++)
			fputc(rand() & 0xff, f);
		fclose(f);
		lc = log_cache_open(gitdir);
		CHECK(check_range(lc, 0, 20, 0) == 0, "random bytes used as a cache");
		/* and written anew, whole */
		add_commit(lc, 3);
		log_cache_close(lc);
		lc = log_cache_open(gitdir);
		CHECK(check_range(lc, 3, 4, 1) == 0, "the cache was not written anew over random bytes");
		log_cache_close(lc);
	}

	/* AE_CACHE=0: nothing read, nothing written */
	setenv("AE_CACHE", "0", 1);
	unlink(file);
	lc = log_cache_open(gitdir);
	add_commit(lc, 3);
	log_cache_close(lc);
	CHECK(access(file, F_OK) != 0, "AE_CACHE=0 wrote the log cache");

	sb_release(&good);
	sb_release(&sb);
	{
		char *cmd = xasprintf("rm -rf %s", dir);
		if (system(cmd) != 0)
			failures++;
		free(cmd);
	}
	free(gitdir);
	free(file);
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	else
		printf("logcache: ok\n");
	return failures != 0;
}
