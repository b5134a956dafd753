/*
 * fuzz_logcache.c -- libFuzzer target: the log cache file
 * (.git/ae/log-cache, logcache.c) as a hostile disk could hold it.
 *
 * The input is the file without its CRC-32 trailer, which the target
 * appends (a checksum that fails makes the file empty: every input would
 * stop there): so every count, offset and length in it is what the
 * reader must check.  The file is opened, every commit id found in the
 * input is asked about (a path, every change, another parent), an entry
 * is added and the file written back and read again: the entries it
 * kept must still answer as before.  See build.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "logcache.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *gitdir, *file, *dir;

static void count_change(const char *path, size_t len, const unsigned char *old,
			 const unsigned char *new, void *arg)
{
	size_t *n = arg;

	/* every byte of the path is readable */
	for (size_t i = 0; i < len; i++)
		*n += (unsigned char)path[i] == 0xff;
	*n += old[0] + new[19] > 600;
	(*n)++;
}

static void ask(struct log_cache *lc, const uint8_t *data, size_t size, int *answers)
{
	unsigned char old[20], new[20];

	/* ids at every 4-byte step of the input: the entries' own among them */
	for (size_t at = 0; at + 40 <= size && at < 4096; at += 4) {
		size_t n = 0;
		int r = log_cache_path(lc, data + at, data + at + 20, "jobs/2026/CA-2611-01.ini",
				       old, new);
		int e = log_cache_each(lc, data + at, data + at + 20, count_change, &n);
		if (answers)
			answers[at / 4] = r * 3 + (e == 0);
		(void)log_cache_path(lc, data + at, data + at, "", old, new);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int answers[1024], again[1024];
	uLong crc;
	unsigned char trailer[4];
	FILE *f;
	struct log_cache *lc;
	struct log_change ch;

	if (!gitdir) {
		char tmpl[] = "/tmp/ae-fuzz-lc.XXXXXX";
		if (!mkdtemp(tmpl))
			abort();
		dir = xstrdup(tmpl);
		gitdir = xasprintf("%s/", dir);
		file = xasprintf("%s/ae/log-cache", dir);
		unsetenv("AE_CACHE");
	}
	{
		char *ae = xasprintf("%s/ae", dir);
		(void)mkdir(ae, 0777);
		free(ae);
	}
	crc = crc32(crc32(0L, Z_NULL, 0), data, (uInt)size);
	for (int i = 0; i < 4; i++)
		trailer[i] = (unsigned char)(crc >> (8 * i));
	if (!(f = fopen(file, "wb")))
		abort();
	if (size)
		fwrite(data, 1, size, f);
	fwrite(trailer, 1, 4, f);
	fclose(f);

	memset(answers, 0, sizeof(answers));
	memset(again, 0, sizeof(again));
	lc = log_cache_open(gitdir);
	ask(lc, data, size, answers);
	/* a new commit, kept beside what the file has, and written */
	memset(&ch, 0, sizeof(ch));
	ch.path = "jobs/2026/CA-2611-01.ini";
	ch.new[0] = 1;
	log_cache_add(lc, (const unsigned char *)"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
			  "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe",
		      (const unsigned char *)"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"
			  "\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14", &ch, 1);
	log_cache_close(lc);
	/* read back: what the file answered, it answers still (the written
	 * file keeps every entry that was whole) */
	lc = log_cache_open(gitdir);
	ask(lc, data, size, again);
	log_cache_close(lc);
	for (size_t i = 0; i < 1024; i++)
		if (answers[i] > 0 && again[i] != answers[i])
			abort();
	unlink(file);
	return 0;
}
