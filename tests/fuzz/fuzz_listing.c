/*
 * fuzz_listing.c -- libFuzzer target: the kept listings of `ae watch`
 * (.git/ae/listing-cache, fsmonitor.c) as a hostile disk could hold them.
 *
 * The input is the file less its header and the book's root, which the
 * target writes around it (the section count from the input's first four
 * bytes, the length and checksum made right), so that every section and
 * entry reaches the decoder.  Each kept listing is decoded as a warm
 * listing would be; what comes out must be what a walk could give: plain
 * paths inside the folder, strictly in a walk's order.  Each is kept
 * again (fsmonitor_listed()), the file written and read back, and must
 * give the same entries.  See build.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "fsmonitor.h"
#include "safepath.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LIST_SEED 0x6165206c69737473ULL

static char *root, *file;

static void put(struct strbuf *sb, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		sb_addch(sb, (char)(v >> (8 * i)));
}

/* a walk's order: '/' below every other byte, above the end */
static int walk_before(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned ca = (unsigned char)*a, cb = (unsigned char)*b;
		if (ca != cb) {
			ca = !ca ? 0 : ca == '/' ? 1 : ca + 1;
			cb = !cb ? 0 : cb == '/' ? 1 : cb + 1;
			return ca < cb;
		}
		if (!ca)
			return 0;
	}
}

static void check(const char *dir, const struct source_list *l)
{
	size_t dn = strlen(dir);

	for (size_t i = 0; i < l->n; i++) {
		const char *p = l->v[i].path;
		if (strncmp(p, dir, dn) || p[dn] != '/' || *safe_path_problem(p) ||
		    strstr(p, "/.") || l->v[i].type > SRC_OTHER)
			abort();
		if (i && !walk_before(l->v[i - 1].path, p))
			abort();
	}
}

static int same(const struct source_list *a, const struct source_list *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct source_entry *x = &a->v[i], *y = &b->v[i];
		if (strcmp(x->path, y->path) || x->type != y->type || x->size != y->size ||
		    x->mtime_s != y->mtime_s || x->mtime_ns != y->mtime_ns ||
		    x->ctime_s != y->ctime_s || x->ctime_ns != y->ctime_ns ||
		    x->ino != y->ino || x->dev != y->dev || x->has_stat != y->has_stat)
			return 0;
	}
	return 1;
}

/* l's paths copied: a listing lives no longer than its source (the
 * kept ones point into the mapped file), and these are compared after
 * the monitor that made them is freed */
static void own_paths(struct source_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].in_block) {
			l->v[i].path = xstrdup(l->v[i].path);
			l->v[i].in_block = 0;
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	struct fsmonitor *m;
	struct source_list got[8];
	const char *dirs[8];
	char *kept[8];
	struct fsm_token tok = { 1, 2, 1 };
	size_t n = 0, rn;
	FILE *f;

	if (!root) {
		char tmpl[] = "/tmp/ae-fuzz-ls.XXXXXX";
		if (!mkdtemp(tmpl))
			abort();
		root = xstrdup(tmpl);
		{
			char *g = xasprintf("%s/.git", root), *h = xasprintf("%s/.git/HEAD", root),
			     *a = xasprintf("%s/.git/ae", root);
			(void)mkdir(g, 0777);
			(void)mkdir(a, 0777);
			f = fopen(h, "w");
			if (f)
				fclose(f);
			free(g);
			free(h);
			free(a);
		}
		file = xasprintf("%s/.git/ae/listing-cache", root);
		unsetenv("AE_CACHE");
		unsetenv("AE_WATCH");
	}
	if (size < 4)
		return 0;
	rn = strlen(root);
	sb_add(&sb, "AELIST02", 8);
	sb_add(&sb, (const char *)data, 4);
	put(&sb, 0, 4);
	put(&sb, 0, 8);
	put(&sb, 0, 8);
	put(&sb, rn, 4);
	sb_add(&sb, root, rn);
	sb_add(&sb, (const char *)data + 4, size - 4);
	{
		size_t len = sb.len - 32;
		uint64_t sum = cache_checksum(LIST_SEED, sb.buf + 32, len);
		for (int i = 0; i < 8; i++) {
			sb.buf[16 + i] = (char)((uint64_t)len >> (8 * i));
			sb.buf[24 + i] = (char)(sum >> (8 * i));
		}
	}
	if (!(f = fopen(file, "wb")))
		abort();
	fwrite(sb.buf, 1, sb.len, f);
	fclose(f);
	sb_release(&sb);

	memset(got, 0, sizeof(got));
	m = fsmonitor_new(root);
	if (!m)
		abort();
	for (size_t i = 0; n < 8; i++) {
		const char *dir;
		int r = fsmonitor_kept(m, i, &dir, &got[n]);
		if (r < 0)
			break;
		if (r == 0) {
			if (got[n].n)
				abort();	/* a section refused leaves nothing */
			continue;
		}
		check(dir, &got[n]);
		own_paths(&got[n]);
		kept[n] = xstrdup(dir);
		dirs[n] = kept[n];
		n++;
	}
	/* kept again, written, read back: the same entries */
	for (size_t i = 0; i < n; i++)
		fsmonitor_listed(m, dirs[i], &got[i], &tok);
	fsmonitor_free(m);
	m = fsmonitor_new(root);
	for (size_t i = 0; i < n; i++) {
		struct source_list again = { 0 };
		const char *dir = NULL;
		int found = 0;
		for (size_t j = 0; !found; j++) {
			int r = fsmonitor_kept(m, j, &dir, &again);
			if (r < 0)
				break;
			if (r == 1 && !strcmp(dir, dirs[i]))
				found = 1;
			else
				source_list_release(&again);
		}
		if (!found || !same(&got[i], &again))
			abort();
		source_list_release(&again);
	}
	fsmonitor_free(m);
	for (size_t i = 0; i < 8; i++)
		source_list_release(&got[i]);
	for (size_t i = 0; i < n; i++)
		free(kept[i]);
	unlink(file);
	return 0;
}
