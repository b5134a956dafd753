/* book.c -- see book.h */
#include "book.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "store.h"
#include "textfile.h"

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

int book_open(struct book *b, const char *root, const char *argv0)
{
	struct source *src = source_fs_new(root), *shipped;
	char *shipped_dir;
	int r;

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
			strmap_put(&lp->wanted_ids, r->vals[k].value, (void *)1);
}

static void load_kind(struct book *b, int kind, struct strbuf *buf, struct load_plan *lp,
		      int pass)
{
	const char *folder = b->fmts.kinds[kind].folder;
	struct source_list list = { 0 };

	if (b->src->list(b->src, folder, &list) < 0)
		return;
	for (size_t i = 0; i < list.n; i++) {
		const struct source_entry *e = &list.v[i];
		size_t n = strlen(e->path);
		int is_ini = n > 4 && !strcmp(e->path + n - 4, ".ini");
		int stub = is_stub_path(lp, e->path);

		/* pass 0 reads the named paths; pass 1 everything else */
		if (lp && lp->only && (pass == 0) == stub)
			continue;
		if (!text_name_ok(e->path))
			continue;
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
				if (strmap_get(&lp->wanted_ids, id))
					record_load(b, e->path, kind, buf);
				else
					add_stub(b, e->path, kind);
				free(id);
			} else {
				size_t before = b->nrecs;
				record_load(b, e->path, kind, buf);
				if (lp && lp->only && b->nrecs > before)
					want_refs(b, &b->recs[b->nrecs - 1], lp);
			}
			break;
		}
	}
	source_list_release(&list);
}

static int load(struct book *b, const struct strmap *only)
{
	struct strbuf buf = STRBUF_INIT;
	struct load_plan lp;

	memset(&lp, 0, sizeof(lp));
	lp.only = only;
	if (diag_count(DIAG_SYSTEM)) {
		/* without the formats every field would be "unknown": say nothing more */
		calendar_init(&b->cal, &b->cfg);
		return -1;
	}
	for (int pass = 0; pass < (only ? (b->others_unread ? 1 : 2) : 1); pass++)
		for (int k = 0; k < K__N; k++)
			load_kind(b, k, &buf, only ? &lp : NULL, pass);
	sb_release(&buf);
	strmap_release(&lp.wanted_ids);
	calendar_load(&b->cal, b);
	for (size_t i = 0; i < b->nrecs; i++) {
		struct record *r = &b->recs[i];
		/* the first one wins the index; duplicates are judged by the rules */
		if (!strmap_get(&b->by_id[r->kind], r->id))
			strmap_put(&b->by_id[r->kind], r->id, r);
	}
	if (!b->others_unread)
		journal_load(b, only);
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

int book_field(const struct book *b, int kind, const char *name)
{
	return format_field(&b->fmts.kinds[kind], name);
}
