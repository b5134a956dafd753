/*
 * fuzz_cache.c -- libFuzzer target: the parse cache file
 * (.git/ae/parse-cache, cache.h).  A teammate cannot commit it, but a
 * damaged disk or a hostile local file can hold anything: it is
 * untrusted input.
 *
 * The fixed book of fuzz_book.h, with a month of journal, is written
 * once to a folder holding a .git folder (a temporary one, or
 * $AE_FUZZ_CACHE_BOOK, which is kept: seeds.sh runs the real `ae check`
 * there to make real caches), its files dated in the past so that none
 * is "racy".  Each execution then writes the input as that book's cache
 * file, twice:
 *
 *  1. as it is, and opens it with cache_open(), the function `ae check`
 *     reads it with (its header and its checksum checked, each entry
 *     walked; almost every input is thrown away here), and looks up each
 *     record file (cache_find() checks the entry's checksum);
 *  2. mended: every entry that names a file of the book is given that
 *     file's stat data, and cache_seal() rewrites the header and each
 *     entry's checksums so that the file passes those checks, and the
 *     entries reach the decoder.
 *
 * The mended cache is used as ae uses it: each record file looked up
 * (cache_find()) and, when found, decoded (cache_get_record()), its
 * values and lines walked, kept for the next run (cache_keep(): the
 * read one, or a fresh body when it did not decode, as book.c does); the
 * journal loaded by the real journal_load() with the cache, which serves
 * the month from it when it decodes and its records check out (as
 * `ae check` does, keeping no entries, or as the other commands do, as
 * the command that wrote the month did, and then its entries are used
 * by due_collect(), as `ae due` uses them); then cache_close() writes the cache back, and
 * the diagnostics served are printed (to /dev/null) as ae prints them,
 * their columns converted by reading their lines.  The cache written is
 * opened again and must serve every record body kept, byte for byte.
 * See build.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_book.h"
#include "cache.h"
#include "due.h"
#include "record.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* sample-data/journal/2026-11.log: the lines that name the fixed book's
 * records, one naming a client it does not hold, one malformed */
static const char journal_log[] =
	"2026-11-02 09:05 li.ming sent weekly SH-202603-COKE-007\n"
	"2026-11-02 09:12 li.ming call SH-202603-COKE-007 确认本周工作安排，提醒双十二物料清单本周要定\n"
	"2026-11-03 09:15 li.ming call SH-202603-COKE-007 新品KV简报已收到，今天开工作单\n"
	"2026-11-04 09:10 li.ming call SH-202603-COKE-007 约定11月5日10点会议，确认出席人员\n"
	"2026-11-04 15:20 li.ming sent notice MT-20261105-01\n"
	"2026-11-05 08:40 li.ming call SH-202603-COKE-007 会前电话确认10点会议，王经理准时参加\n"
	"2026-11-05 11:40 li.ming expense 86.50 SH-202603-COKE-007 taxi 赴客户开会\n"
	"2026-11-05 17:40 li.ming hours CS-2611-01 2.5 核对门店清单\n"
	"2026-11-06 09:14 li.ming call SH-202603-COKE-007 会议纪要已发，提醒刘婷回复确认\n"
	"2026-11-06 10:00 li.ming sent report CR-20261105-01\n"
	"2026-11-06 11:00 li.ming call SH-202699-NOPE-001 不在账上的客户\n"
	"2026-11-06 li.ming 没有时间\n";

#define JOURNAL_PATH "journal/2026-11.log"

static char *root;			/* the book on disk */
static char *cache_file;		/* ROOT/.git/ae/parse-cache */
static struct source *src;		/* source_fs of root: stat data */
static uint64_t settings;
static FILE *devnull;			/* where the diagnostics are printed */
/* the record files: their listing entries (stat data) and kinds */
static struct source_list lists[K__N];

static void put_file(const char *rel, const char *text, size_t len)
{
	char *path = xasprintf("%s/%s", root, rel), *slash;
	/* 2026-11-30 00:00 UTC: long before any run, never racy */
	struct timespec past[2] = { { 1796083200, 0 }, { 1796083200, 0 } };
	FILE *f;

	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			perror(path);
			exit(1);
		}
		*slash = '/';
	}
	f = fopen(path, "wb");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	if (utimensat(AT_FDCWD, path, past, 0) < 0) {
		perror(path);
		exit(1);
	}
	free(path);
}

static void remove_book(void)
{
	char *cmd = xasprintf("rm -rf '%s'", root);

	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", root);
	free(cmd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *keep = getenv("AE_FUZZ_CACHE_BOOK");
	struct book b;
	char *dir;

	fuzz_template();
	if (keep && *keep) {
		root = xstrdup(keep);
		if (mkdir(root, 0777) < 0 && errno != EEXIST) {
			perror(root);
			exit(1);
		}
	} else {
		const char *tmp = getenv("TMPDIR");
		root = xasprintf("%s/ae-fuzz-cache.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(root)) {
			perror(root);
			exit(1);
		}
		atexit(remove_book);
	}
	for (size_t i = 0; i < sizeof(fuzz_files) / sizeof(fuzz_files[0]); i++)
		put_file(fuzz_files[i].path, fuzz_files[i].text, fuzz_files[i].len);
	put_file(JOURNAL_PATH, journal_log, sizeof(journal_log) - 1);
	/* a .git folder (with a HEAD, below) is all the cache asks for (cache_open()) */
	dir = xasprintf("%s/.git", root);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		perror(dir);
		exit(1);
	}
	free(dir);
	dir = xasprintf("%s/.git/ae", root);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		perror(dir);
		exit(1);
	}
	cache_file = xasprintf("%s/parse-cache", dir);
	free(dir);
	/* and a HEAD in it: a .git folder without one is no repository, and
	 * is looked past (cache.c's git_dir_of()) */
	put_file(".git/HEAD", "ref: refs/heads/main\n", 21);
	src = source_fs_new(root);
	fuzz_scratch(&b, src, 1);
	for (int k = 0; k < K__N; k++) {
		const char *folder = b.fmts.kinds[k].folder;
		if (src->list(src, folder, &lists[k]) < 0) {
			fprintf(stderr, "fuzz: cannot list %s/%s\n", root, folder);
			exit(1);
		}
	}
	settings = cache_settings(&b);
	fuzz_scratch_release(&b, 1);
	devnull = fopen("/dev/null", "w");
	if (!devnull) {
		perror("/dev/null");
		exit(1);
	}
	diag_setup(devnull, DIAG_TEXT, 0);
	/* a file whose ctime (now) is not older than the run's start, in
	 * whole seconds, is not kept: let a second pass */
	usleep(1100 * 1000);
	return 0;
}

static void write_cache_file(const void *data, size_t size)
{
	FILE *f = fopen(cache_file, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(cache_file);
		abort();
	}
}

/* The stat data of path in the book, as its listing has it, or NULL. */
static const struct source_entry *book_entry(const char *path, size_t n)
{
	static struct source_list journal;
	static int listed;

	if (!listed) {
		if (src->list(src, "journal", &journal) < 0)
			abort();
		listed = 1;
	}
	for (int k = 0; k <= K__N; k++) {
		const struct source_list *l = k < K__N ? &lists[k] : &journal;
		for (size_t i = 0; i < l->n; i++)
			if (strlen(l->v[i].path) == n && !memcmp(l->v[i].path, path, n))
				return &l->v[i];
	}
	return NULL;
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/*
 * Give each entry of the cache image that names a book file that file's
 * stat data.  An entry (cache.c): its length (4 bytes), then the type
 * (1), size, inode, device, mtime seconds (8 each), mtime nanoseconds
 * (4), ctime seconds (8), ctime nanoseconds (4), the path (length,
 * bytes and a NUL), zeros to the next multiple of 8 in the file, the
 * body; then zeros to the next multiple of 8, where the next one starts.
 */
static void mend_entries(unsigned char *file, size_t len, int *entries)
{
	struct creader r = { file + CACHE_HEADER_BYTES, file + len, 0 };

	while (!r.bad && r.p < r.end) {
		uint32_t n = cget_u32(&r);
		unsigned char *e = (unsigned char *)r.p;
		struct creader er;
		const struct source_entry *se;
		const char *path;
		uint32_t pn;

		if (r.bad || n > (size_t)(r.end - r.p) || n < 1 + 5 * 8 + 2 * 4 + 4)
			return;
		r.p += n;
		r.p += (size_t)(r.end - r.p) < (-(size_t)(r.p - file) & 7) ? (size_t)(r.end - r.p) :
		       (-(size_t)(r.p - file) & 7);
		er.p = e + 1 + 5 * 8 + 2 * 4;
		er.end = e + n;
		er.bad = 0;
		pn = cget_u32(&er);
		if (pn > (size_t)(er.end - er.p))
			continue;
		path = (const char *)er.p;
		se = book_entry(path, pn);
		if (!se)
			continue;
		/* a journal body (after the path's NUL, at a multiple of 8,
		 * and the entry's sums): loaded, then whether it has the
		 * entries */
		if (e[0] == CACHE_JOURNAL) {
			size_t body = (size_t)(er.p - file) + pn + 1;
			body += (-body & 7) + CACHE_ENTRY_SUMS;
			if (body + 2 <= (size_t)(er.end - file))
				*entries = file[body + 1];
		}
		put64(e + 1, (uint64_t)se->size);
		put64(e + 9, se->ino);
		put64(e + 17, se->dev);
		put64(e + 25, (uint64_t)se->mtime_s);
		put32(e + 33, (uint32_t)se->mtime_ns);
		put64(e + 37, (uint64_t)se->ctime_s);
		put32(e + 45, (uint32_t)se->ctime_ns);
	}
}

/* The book's text for the columns of the diagnostics, as book.c reads it. */
static int read_for_diag(void *ctx, const char *path, struct strbuf *out)
{
	const char *msg;

	return src->read(src, path, (size_t)1 << 20, out, &msg) == SRC_OK ? 0 : -1;
}

/* Walk what a served record holds, as the rules and reports read it. */
static size_t use_record(const struct record *r)
{
	size_t sum = strlen(r->id) + strlen(r->path);

	for (int k = 0; k < r->nvals; k++) {
		const struct rval *v = &r->vals[k];
		int line, col;

		sum += strlen(rval_text(v)) + (size_t)v->field;
		if (v->flags & RVAL_MULTI) {
			const int *count = (const int *)(const void *)rval_text(v) - 1;
			for (int i = 0; i < *count; i++) {
				rval_pos(v, i, &line, &col);
				sum += (size_t)line + (size_t)col;
			}
		}
		if (rec_val(r, v->field) != v)
			abort();	/* the fields are in order, each once */
	}
	return sum;
}

/* the record bodies kept for the next run, one per record file */
#define KEPT_MAX 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf mended = STRBUF_INIT;
	struct strbuf kept[KEPT_MAX];
	const struct source_entry *kept_e[KEPT_MAX];
	size_t nkept = 0;
	struct arena strings = { 0 };
	struct cache *c;
	struct book b;
	volatile size_t sum = 0;
	int entries = -1;

	fuzz_scratch(&b, src, 1);
	b.root = root;

	/* 1: as it is */
	write_cache_file(data, size);
	c = cache_open(&b, 0);
	if (!c)
		abort();	/* a book in git, the cache on: there is one */
	for (int k = 0; k < K__N; k++)
		for (size_t i = 0; i < lists[k].n; i++) {
			size_t len;
			const unsigned char *body = lists[k].v[i].type == SRC_FILE ?
				cache_find(c, CACHE_RECORD, &lists[k].v[i], &len) : NULL;
			if (body && len)
				sum += body[len - 1];
		}
	cache_close(c);

	/* 2: mended */
	sb_add(&mended, (const char *)data, size);
	while (mended.len < CACHE_HEADER_BYTES)
		sb_addch(&mended, 0);
	mend_entries((unsigned char *)mended.buf, mended.len, &entries);
	/* `ae check` keeps no journal entries, the other commands do: as
	 * the command that wrote the cache's month did (or by the input's
	 * last bit) */
	if (entries < 0)
		entries = size && (data[size - 1] & 1);
	b.journal.check_only = !entries;
	cache_seal((unsigned char *)mended.buf, mended.len, settings);
	write_cache_file(mended.buf, mended.len);
	c = cache_open(&b, 1);
	b.cache = c;
	diag_text_from(read_for_diag, src);
	for (int k = 0; k < K__N; k++) {
		for (size_t i = 0; i < lists[k].n; i++) {
			const struct source_entry *e = &lists[k].v[i];
			struct strbuf *keep = &kept[nkept];
			const unsigned char *body;
			struct record rec;
			size_t len;

			if (e->type != SRC_FILE || nkept == KEPT_MAX)
				continue;
			*keep = (struct strbuf)STRBUF_INIT;
			kept_e[nkept++] = e;
			body = cache_find(c, CACHE_RECORD, e, &len);
			if (body && cache_get_record(&b, body, len, e->path, &strings, &rec) == 0) {
				if (rec.kind < 0 || rec.kind >= K__N)
					abort();
				sum += use_record(&rec);
				cache_keep(c, CACHE_RECORD, e, body, len, 0);
				sb_add(keep, (const char *)body, len);
			} else {
				/* read from the book instead: the template's record */
				struct cbuf fresh = { STRBUF_INIT };
				const struct record *r = NULL;
				for (size_t j = 0; j < b.nrecs && !r; j++)
					if (!strcmp(b.recs[j].path, e->path))
						r = &b.recs[j];
				if (!r)
					abort();
				cache_put_record(&fresh, r, NULL);
				cache_keep(c, CACHE_RECORD, e, fresh.sb.buf, fresh.sb.len, 0);
				sb_add(keep, fresh.sb.buf, fresh.sb.len);
				sb_release(&fresh.sb);
			}
		}
	}
	journal_load(&b, NULL);
	if (!b.journal.check_only) {
		/* the entries served, used as `ae due` uses them */
		struct due_ctx dc;

		memset(&dc, 0, sizeof(dc));
		/* 2026-11-26 09:00, a month ahead */
		due_collect(&dc, &b, (moment_t)days_from_civil(2026, 11, 26) * 1440 + 540,
			    days_from_civil(2026, 12, 26), 1);
		due_release(&dc);
	}
	b.cache = NULL;
	cache_close(c);
	arena_release(&strings);
	/* the diagnostics served, printed (to /dev/null) as ae prints them:
	 * their columns converted by reading their lines */
	diag_flush();
	diag_text_done(src);

	/* what was written back serves the same record bodies */
	c = cache_open(&b, 0);
	for (size_t i = 0; i < nkept; i++) {
		size_t len;
		const unsigned char *body = cache_find(c, CACHE_RECORD, kept_e[i], &len);
		if (!body || len != kept[i].len || memcmp(body, kept[i].buf, len))
			abort();
		sb_release(&kept[i]);
	}
	cache_close(c);
	(void)sum;
	sb_release(&mended);
	fuzz_scratch_release(&b, 1);
	return 0;
}
