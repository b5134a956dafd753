/* book.c -- see book.h */
#include "book.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "diag.h"
#include "pattern.h"
#include "pool.h"
#include "store.h"
#include "textfile.h"
#include "trace.h"

char *book_find_root(const char *start)
{
	char path[PATH_MAX];

	if (!realpath(start, path))
		return NULL;
	for (;;) {
		char *ini = xasprintf("%s/ae.ini", path);
		struct stat st;
		int found = stat(ini, &st) == 0 && S_ISREG(st.st_mode);
		char *slash;

		free(ini);
		if (found)
			return xstrdup(path);
		slash = strrchr(path, '/');
		if (!slash || slash == path)
			return NULL;
		*slash = '\0';
	}
}

/*
 * The text of a file a diagnostic is about, for its column in display
 * cells or bytes (diag.h): from the book's source, or the shipped formats.
 */
static int read_for_diag(void *ctx, const char *path, struct strbuf *out)
{
	struct book *b = ctx;
	struct source *src = b->src;
	const char *msg, *shipped = "<shipped>/formats/";

	if (!strncmp(path, shipped, strlen(shipped))) {
		src = b->shipped;
		path += strlen(shipped);
	}
	if (!src)
		return -1;
	return src->read(src, path, b->cfg.max_file_bytes * 256 + (1 << 20), out, &msg) == SRC_OK ? 0 : -1;
}

/* Settings and formats from src and shipped, which b owns from now on. */
static int open_sources(struct book *b, struct source *src, struct source *shipped,
			const char *where)
{
	struct strbuf buf = STRBUF_INIT;
	int r;

	memset(b, 0, sizeof(*b));
	b->src = src;
	b->shipped = shipped;
	diag_text_from(read_for_diag, b);
	r = text_load(b->src, "ae.ini", 1 << 20, 1, &buf);
	if (r == 1) {
		sb_release(&buf);
		return error("no ae.ini in '%s'; is this a book? ('ae init' makes one)", where);
	}
	if (r == 0)
		b->config_ok = config_parse(&b->cfg, "ae.ini", buf.buf, buf.len) == 0;
	else
		config_parse(&b->cfg, "ae.ini", "", 0);
	sb_release(&buf);
	formats_load(&b->fmts, b->shipped, b->src, &b->cfg);
	return 0;
}

int book_open_source(struct book *b, struct source *src, struct source *shipped)
{
	return open_sources(b, src, shipped, src->name);
}

static int open_at(struct book *b, const char *root, const char *argv0, int whole)
{
	struct source *src = source_fs_new(root), *shipped;
	char *shipped_dir;
	int r;

	/* its listings on their way while the settings are read */
	if (src && whole)
		source_fs_read_ahead(src);
	if (!src) {
		memset(b, 0, sizeof(*b));
		b->root = xstrdup(root);
		return error("unable to open the book at '%s'", root);
	}
	shipped_dir = formats_shipped_dir(argv0);
	shipped = source_fs_new(shipped_dir);
	if (!shipped)
		diag_at(DIAG_SYSTEM, shipped_dir, 0, 0, NULL,
			"unable to open the shipped formats; set AE_FORMATS_DIR to the formats/ folder of ae");
	free(shipped_dir);
	r = open_sources(b, src, shipped, root);
	b->root = xstrdup(root);
	return r;
}

int book_open(struct book *b, const char *root, const char *argv0)
{
	return open_at(b, root, argv0, 0);
}

int book_open_whole(struct book *b, const char *root, const char *argv0)
{
	return open_at(b, root, argv0, 1);
}

/*
 * Which records to read in full.  NULL: all.  Otherwise the paths named,
 * and the records they name; every other record is known by its file
 * name alone (a stub: identifier and kind, no fields), which is all the
 * rules need of the records a change does not touch.
 */
struct load_plan {
	const struct strmap *only;
	struct strmap wanted_ids;	/* ids named by the records read in full */
};

static int is_stub_path(const struct load_plan *lp, const char *path)
{
	return lp && lp->only && !strmap_get(lp->only, path);
}

static void add_stub(struct book *b, const char *path, int kind)
{
	const char *base = strrchr(path, '/');
	struct record *r;
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base) - 4;
	ALLOC_GROW(b->recs, b->nrecs + 1, b->alloc_recs);
	r = &b->recs[b->nrecs++];
	memset(r, 0, sizeof(*r));
	r->path = arena_strdup(&b->arena, path);
	r->id = arena_strndup(&b->arena, base, n);
	r->id_hash = hash_str(r->id, n);
	r->kind = (short)kind;
	r->line = 1;
	r->stub = 1;
}

/* The identifiers a fully read record names in its fields. */
static void want_refs(struct book *b, const struct record *r, struct load_plan *lp)
{
	const struct format *fmt = &b->fmts.kinds[r->kind];

	for (int k = 0; k < r->nvals; k++)
		if (ftype_ref_kind(fmt->fields[r->vals[k].field].type) >= 0)
			strmap_put(&lp->wanted_ids, rval_text(&r->vals[k]), (void *)1);
}

/*
 * One file of a folder listing, in listing order: what one thread would
 * do with it, done in three steps so that the reading can run on every
 * core (pool.h) and the book still be built, and every diagnostic given,
 * in the order of one thread: plan (in order), read (any order, any
 * thread), commit (in order).
 */
enum entry_action { EA_NONE, EA_READ, EA_STUB };
/* 40 bytes: one a file of the listing, fresh memory each run */
struct load_entry {
	const struct source_entry *e;	/* the listing's (NULL: its diagnostics) */
	const unsigned char *cached;	/* the cache's body it was read from */
	struct diag_batch *diags;
	size_t slot;		/* EA_READ, EA_STUB: its index in b->recs */
	uint32_t cached_len;
	unsigned char kind;
	unsigned char action;	/* enum entry_action */
	unsigned char want_refs;	/* note the ids it names (pass 0 of a plan) */
};
_Static_assert(K__N <= UCHAR_MAX, "a kind in a byte");

struct load_job {
	struct book *b;
	struct cache *cache;	/* or NULL */
	struct load_entry *v;
	size_t n, alloc;
	size_t nslots;		/* records it adds to b->recs */
	struct load_slot {
		struct strbuf buf;
		struct arena strings;
		char pad[POOL_LINE - sizeof(struct strbuf) - sizeof(struct arena)];	/* pool.h */
	} slot[POOL_MAX];
};

static int cmp_entry_path(const void *a, const void *b)
{
	return strcmp(((const struct source_entry *)a)->path, ((const struct source_entry *)b)->path);
}

/* The paths of only in folder, as a listing would give them (a file each:
 * what else they are, the source says when they are read). */
static int list_only(const struct strmap *only, const char *folder, struct source_list *out)
{
	size_t n = strlen(folder), start = out->n;

	for (size_t i = 0; i < only->cap; i++) {
		const char *p = only->slots[i].key;
		if (!p || strncmp(p, folder, n) || p[n] != '/')
			continue;
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		memset(&out->v[out->n], 0, sizeof(out->v[out->n]));
		out->v[out->n].path = xstrdup(p);
		out->v[out->n++].type = SRC_FILE;
	}
	if (out->n - start > 1)
		qsort(out->v + start, out->n - start, sizeof(*out->v), cmp_entry_path);
	return 0;
}

static void plan_kind(struct book *b, int kind, struct load_plan *lp, int pass,
		      struct source_list *list, struct load_job *job)
{
	const char *folder = b->fmts.kinds[kind].folder;
	struct load_entry *le;
	int r;

	/* what the listing says, in its place among the files' diagnostics */
	ALLOC_GROW(job->v, job->n + 1, job->alloc);
	le = &job->v[job->n++];
	memset(le, 0, sizeof(*le));
	diag_capture(&le->diags);
	/* the change alone: no other record is read, nor listed (listing a
	 * commit's 100,000 names cost more than the rest of the check) */
	r = lp && lp->only && b->others_unread ? list_only(lp->only, folder, list) :
	    b->src->list(b->src, folder, list);
	diag_capture(NULL);
	if (r < 0)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct source_entry *e = &list->v[i];
		size_t n = strlen(e->path);
		int is_ini = n > 4 && !strcmp(e->path + n - 4, ".ini");
		int stub = is_stub_path(lp, e->path);

		/* pass 0 reads the named paths; pass 1 everything else */
		if (lp && lp->only && (pass == 0) == stub)
			continue;
		ALLOC_GROW(job->v, job->n + 1, job->alloc);
		le = &job->v[job->n++];
		memset(le, 0, sizeof(*le));
		le->e = e;
		le->kind = (unsigned char)kind;
		diag_capture(&le->diags);
		if (i >= list->clean && !text_name_ok(e->path)) {
			diag_capture(NULL);
			continue;
		}
		switch (e->type) {
		case SRC_DIR:
			break;
		case SRC_SYMLINK:
			source_refuse_link(e->path);
			break;
		case SRC_OTHER:
			diag_at(DIAG_ERROR, e->path, 0, 0, "USE-1",
				"not a regular file; a record must be a plain text file");
			break;
		case SRC_NESTED_REPO:
			diag_at(DIAG_ERROR, e->path, 0, 0, "USE-3",
				"a git repository inside the book: its records would not be in the book's history; move them out of it");
			break;
		case SRC_FILE:
			if (!is_ini) {
				diag_at(DIAG_WARNING, e->path, 0, 0, "USE-1",
					"not a record (record files end in .ini); ignored");
			} else if (stub) {
				const char *base = strrchr(e->path, '/') + 1;
				char *id = xstrndup(base, strlen(base) - 4);
				le->action = strmap_get(&lp->wanted_ids, id) ? EA_READ : EA_STUB;
				free(id);
			} else {
				le->action = EA_READ;
				le->want_refs = lp && lp->only;
			}
			if (le->action != EA_NONE)
				le->slot = b->nrecs + job->nslots++;
			break;
		}
		diag_capture(NULL);
	}
}

static void read_entry(void *ctx, size_t unit)
{
	struct load_job *job = ctx;
	struct load_entry *le = &job->v[unit];
	struct record *rec = &job->b->recs[le->slot];
	int t = pool_slot();

	if (le->action != EA_READ)
		return;
	diag_capture(&le->diags);
	if (job->cache && le->e->type == SRC_FILE) {
		size_t len;
		const unsigned char *body = cache_find(job->cache, CACHE_RECORD, le->e, &len);
		if (body && len <= UINT32_MAX &&
		    cache_get_record(job->b, body, len, le->e->path, &job->slot[t].strings, rec) == 0) {
			le->cached = body;
			le->cached_len = (uint32_t)len;
			diag_capture(NULL);
			return;
		}
	}
	record_read(job->b, le->e->path, le->kind, &job->slot[t].buf, &job->slot[t].strings, rec);
	diag_capture(NULL);
}

/* The units run again on one thread: what the threads did is forgotten. */
static void forget_reads(struct load_job *job)
{
	for (size_t i = 0; i < job->n; i++) {
		struct load_entry *le = &job->v[i];
		if (le->action != EA_READ)
			continue;
		diag_commit(le->diags, 0);
		le->diags = NULL;
		le->cached = NULL;
	}
	for (int t = 0; t < POOL_MAX; t++)
		arena_release(&job->slot[t].strings);
}

/*
 * The parse cache's file read (mapped and its entries walked; each is
 * checked where it is used, cache_find()) on a thread of its own while the records
 * are listed, which is mostly waiting on the kernel's stat.  The book's
 * settings, which key it, are read first on this thread (cache_begin():
 * through the book's source, which is this thread's); the other thread
 * touches only the cache (cache_read()).
 */
struct cache_opening {
	struct book *b;
	struct cache *c;
	pthread_t thread;
	int running;
};

static void *read_cache_file(void *arg)
{
	struct cache_opening *co = arg;

	cache_read(co->c);
	/* the second core is idle while the first lists: the entries'
	 * sums, which the threads reading the records would check */
	cache_check_ahead(co->c);
	return NULL;
}

static void cache_opening_start(struct cache_opening *co, struct book *b)
{
	co->b = b;
	co->c = cache_begin(b, b->cache_write);
	co->running = co->c && pool_threads() > 1 &&
		      pthread_create(&co->thread, NULL, read_cache_file, co) == 0;
	if (!co->running) {
		cache_read(co->c);
		b->cache = co->c;
	}
}

static void cache_opening_wait(struct cache_opening *co)
{
	if (!co || !co->running)
		return;
	cache_stop_ahead(co->c);
	pthread_join(co->thread, NULL);
	co->running = 0;
	co->b->cache = co->c;
}

static void load_pass(struct book *b, struct load_plan *lp, int pass, struct cache_opening *co)
{
	struct source_list lists[K__N];
	struct load_job job;

	memset(&job, 0, sizeof(job));
	memset(lists, 0, sizeof(lists));
	job.b = b;
	for (int k = 0; k < K__N; k++)
		plan_kind(b, k, lp, pass, &lists[k], &job);
	trace_perf("records listed");
	cache_opening_wait(co);
	trace_perf("cache opened");
	job.cache = b->cache;
	/* each thread writes its records into their places: b->recs does
	 * not move while they run, and holds them once, not twice */
	ALLOC_GROW(b->recs, b->nrecs + job.nslots, b->alloc_recs);
	mem_prefer_huge(b->recs + b->nrecs, job.nslots * sizeof(*b->recs));
	if (cache_size(job.cache) >= (size_t)16 << 20) {
		/*
		 * The records' values and names (about a quarter of the
		 * cache's bytes in the 100k book: 29 MB of 113) go to fresh
		 * memory, on huge pages: first touched at 4 KiB a fault, 48
		 * MB cost 33-50 ms here, on huge pages 16-18.  Each thread's
		 * room is more than its share, in address space only.
		 */
		for (int t = 0; t < pool_threads() && t < POOL_MAX; t++)
			arena_reserve(&job.slot[t].strings, cache_size(job.cache) / 2 / (size_t)pool_threads());
	}
	pattern_defer_costly(job.cache != NULL);
	pool_run(job.n, 0, read_entry, &job);
	pattern_defer_costly(0);
	trace_perf("records read");
	if (pattern_serial_needed()) {
		/* a costly pattern: its budget is charged on one thread, in
		 * order, every file read */
		forget_reads(&job);
		pattern_serial_reset();
		cache_spoil(job.cache);
		job.cache = NULL;
		for (size_t i = 0; i < job.n; i++)
			if (job.v[i].action == EA_READ) {
				/* the planning's diagnostics of a read are none */
				read_entry(&job, i);
			}
	}
	for (size_t i = 0; i < job.n; i++) {
		struct load_entry *le = &job.v[i];

		if (le->action == EA_READ && job.cache && le->e->type == SRC_FILE) {
			if (le->cached) {
				cache_keep(job.cache, CACHE_RECORD, le->e, le->cached, le->cached_len, 0);
			} else {
				struct cbuf body = { STRBUF_INIT };
				cache_put_record(&body, &b->recs[le->slot], le->diags);
				cache_keep(job.cache, CACHE_RECORD, le->e, body.sb.buf, body.sb.len, 0);
				sb_release(&body.sb);
			}
		}
		diag_commit(le->diags, SIZE_MAX);
		if (le->action == EA_STUB) {
			add_stub(b, le->e->path, le->kind);
		} else if (le->action == EA_READ) {
			b->nrecs++;	/* le->slot: read there already */
			if (le->want_refs)
				want_refs(b, &b->recs[b->nrecs - 1], lp);
		}
	}
	for (int t = 0; t < POOL_MAX; t++) {
		arena_adopt(&b->arena, &job.slot[t].strings);
		sb_release(&job.slot[t].buf);
	}
	free(job.v);
	for (int k = 0; k < K__N; k++)
		source_list_release(&lists[k]);
}

/* One record's step of its kind's part of book_ids_digest(). */
static uint64_t ids_step(uint64_t d, unsigned long hash, size_t index)
{
	d = (d ^ (uint64_t)hash ^ ((uint64_t)index << 40)) * 0x9E3779B97F4A7C15ULL;
	return d ^ (d >> 31);
}

#define IDS_SEED 0x243F6A8885A308D3ULL

/* The records of each kind, in the book's order: the indexes of kind k's
 * are at[k] .. at[k + 1] of idx (one pass over the records, not one a
 * kind: 100,000 records are 5 MB), or those indexes themselves when the
 * records are in the order of their kinds, as the folders are listed
 * (idx NULL). */
struct kind_index {
	struct book *b;
	size_t at[K__N + 1];
	size_t *idx;
};

static size_t kind_record(const struct kind_index *ki, size_t k)
{
	return ki->idx ? ki->idx[k] : k;
}

#define INDEX_AHEAD 8

/* The records of one kind by identifier, on the pool (a map a kind), and
 * the kind's part of the ids' digest. */
static void index_kind(void *ctx, size_t kind)
{
	struct kind_index *ki = ctx;
	struct book *b = ki->b;
	struct strmap *m = &b->by_id[kind];
	uint64_t d = IDS_SEED ^ kind;

	strmap_reserve(m, ki->at[kind + 1] - ki->at[kind]);
	for (size_t k = ki->at[kind]; k < ki->at[kind + 1]; k++) {
		size_t i = kind_record(ki, k);
		struct record *r = &b->recs[i];
		unsigned long h;
		/* the slots wanted next on their way (each a miss in a table
		 * of megabytes), the id's hash made where it was read, so that
		 * its bytes are not read again unless another id hashes alike */
		if (k + INDEX_AHEAD < ki->at[kind + 1])
			strmap_prefetch(m, b->recs[kind_record(ki, k + INDEX_AHEAD)].id_hash);
		/* the first one wins the index; duplicates are judged by the rules */
		h = r->id_hash ? r->id_hash : hash_str(r->id, strlen(r->id));
		strmap_add_hash(m, r->id, h, r);
		d = ids_step(d, h, i);
	}
	b->ids_digest_kind[kind] = d;
}

static void index_kinds(struct book *b)
{
	struct kind_index ki = { .b = b };
	size_t fill[K__N + 1] = { 0 };
	int prev = 0, in_order = 1;

	for (size_t i = 0; i < b->nrecs; i++) {
		int k = b->recs[i].kind;
		if (k >= 0 && k < K__N)
			ki.at[k + 1]++;
		in_order &= k >= prev && k < K__N;
		prev = k;
	}
	for (int k = 0; k < K__N; k++)
		ki.at[k + 1] += ki.at[k];
	if (!in_order) {
		memcpy(fill, ki.at, sizeof(fill));
		ki.idx = xmalloc(sizeof(*ki.idx) * (b->nrecs + 1));
		for (size_t i = 0; i < b->nrecs; i++)
			if (b->recs[i].kind >= 0 && b->recs[i].kind < K__N)
				ki.idx[fill[b->recs[i].kind]++] = i;
	}
	pool_run(K__N, 1, index_kind, &ki);
	free(ki.idx);
}

uint64_t book_ids_digest(const struct book *b)
{
	uint64_t part[K__N], h = IDS_SEED ^ b->nrecs;

	if (b->ids_digested == b->nrecs && b->nrecs) {
		memcpy(part, b->ids_digest_kind, sizeof(part));
	} else {
		/* not indexed by load() (the fuzzers): the same, here */
		for (int k = 0; k < K__N; k++)
			part[k] = IDS_SEED ^ (uint64_t)k;
		for (size_t i = 0; i < b->nrecs; i++) {
			const char *id = b->recs[i].id;
			int k = b->recs[i].kind;
			if (k >= 0 && k < K__N)
				part[k] = ids_step(part[k], hash_str(id, strlen(id)), i);
		}
	}
	for (int k = 0; k < K__N; k++) {
		h = (h ^ part[k]) * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 31;
	}
	return h ? h : 1;	/* 0 is "none" in a cache body */
}

static int load(struct book *b, const struct strmap *only)
{
	struct load_plan lp;
	struct cache_opening co;

	memset(&lp, 0, sizeof(lp));
	lp.only = only;
	if (diag_count(DIAG_SYSTEM)) {
		/* without the formats every field would be "unknown": say nothing more */
		calendar_init(&b->cal, &b->cfg);
		return -1;
	}
	memset(&co, 0, sizeof(co));
	if (!only && !diag_filtering())
		cache_opening_start(&co, b);
	for (int pass = 0; pass < (only ? (b->others_unread ? 1 : 2) : 1); pass++)
		load_pass(b, only ? &lp : NULL, pass, &co);
	strmap_release(&lp.wanted_ids);
	trace_perf("records");
	calendar_load(&b->cal, b);
	index_kinds(b);
	b->ids_digested = b->nrecs;
	trace_perf("records indexed");
	if (!b->others_unread)
		journal_load(b, only);
	trace_perf("journal");
	free(b->cache_dir);
	b->cache_dir = cache_dir(b->cache);
	b->cache_settings = cache_settings_of(b->cache);
	b->cache_writes = cache_writes(b->cache);
	/* records read from the cache point into it */
	cache_close_hold(b->cache, &b->cache_hold);
	b->cache = NULL;
	return 0;
}

int book_load(struct book *b)
{
	return load(b, NULL);
}

int book_load_only(struct book *b, const struct strmap *only, int alone)
{
	b->others_unread = alone;
	return load(b, only);
}

void book_release(struct book *b)
{
	diag_text_done(b);	/* while the files can still be read */
	for (int k = 0; k < K__N; k++)
		strmap_release(&b->by_id[k]);
	journal_release(&b->journal);
	calendar_release(&b->cal);
	free(b->recs);
	formats_release(&b->fmts);
	config_release(&b->cfg);
	arena_release(&b->arena);
	cache_hold_release(b->cache_hold);
	free(b->cache_dir);
	if (b->src)
		b->src->free(b->src);
	if (b->shipped)
		b->shipped->free(b->shipped);
	store_free(b->store);
	free(b->root);
	memset(b, 0, sizeof(*b));
}

const struct record *book_record(const struct book *b, int kind, const char *id)
{
	return strmap_get(&b->by_id[kind], id);
}

/*
 * Commands ask for the same few fields of every record, by names that are
 * mostly string literals (1.7 million asks in a 100,000-record 'ae due'):
 * each thread remembers the answer for a name's address, and an answer is
 * used only if the format's field at that index has that name (names are
 * unique in a format), so a stale memory can cost a look-up, never give a
 * wrong field.
 */
#define FIELD_MEMO 64
static _Thread_local struct field_memo {
	const char *name;
	int kind, index;
} field_memo[FIELD_MEMO];

int book_field(const struct book *b, int kind, const char *name)
{
	const struct format *fmt = &b->fmts.kinds[kind];
	struct field_memo *m = &field_memo[((uintptr_t)name >> 3) % FIELD_MEMO];
	int i;

	if (m->name == name && m->kind == kind && m->index < fmt->nfields &&
	    !strcmp(fmt->fields[m->index].name, name))
		return m->index;
	i = format_field(fmt, name);
	if (i >= 0) {
		m->name = name;
		m->kind = kind;
		m->index = i;
	}
	return i;
}
