/* due_sums.c -- the sums of the journal's past months, .git/ae/due-sums
 * and due-work-sums: see due_sums.h.  Both files, little endian: their
 * kind's eight bytes ("aedsums2", "aedwork1"), the head (nine 64-bit
 * words: settings, ids, records, routine slots or staff, files, entries,
 * the latest line, the work's grouping of tickets and last line
 * counted), each file's entry count and checksum, then the kind's parts,
 * each its count and its items; last, the checksum of all before it.
 * The index's parts: rows (record u32, mask u16 of the events it has,
 * via u8, call-back u8, AM u64, a moment for each event of the mask, the
 * contact's if via), notices (u64), monthly reports sent (entry u32),
 * the routines' first lines (u64).  The work's: due_work_sums.c. */
#include "due_sums.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "fileio.h"

#define HEAD_WORDS 9
#define MAGIC_LEN 8
#define SUM_SEED 0x6165647375ULL
#define MAX_LEN ((size_t)1 << 30)
/* what a journal's line can say (journal_cache.c: 1900-01-01 to 2200) */
#define MOMENT_END ((moment_t)84006 * 1440)

enum { PART_FILES, PART_ROWS, PART_NOTICES, PART_MONTHLY, PART_SLOTS, PART__N };

moment_t due_sums_cutoff(int today)
{
	int y, m, d;
	moment_t mid_last, weeks;

	civil_from_days(today, &y, &m, &d);
	if (--m < 1) {
		m = 12;
		y--;
	}
	mid_last = (moment_t)days_from_civil(y, m, 15) * 1440;
	weeks = (moment_t)(today - 21) * 1440;
	return mid_last < weeks ? mid_last : weeks;
}

uint64_t due_sums_hash(const char *s)
{
	uint64_t h = cache_hash_bytes(SUM_SEED, s, strlen(s));

	return h ? h : 1;
}

/* -- reading */

static uint64_t get64(struct due_sums *s)
{
	uint64_t v;

	if (s->end - s->p < 8) {
		s->bad = 1;
		return 0;
	}
	v = cle64(s->p);
	s->p += 8;
	return v;
}

static uint32_t get32(struct due_sums *s)
{
	uint32_t v;

	if (s->end - s->p < 4) {
		s->bad = 1;
		return 0;
	}
	v = cle32(s->p);
	s->p += 4;
	return v;
}

static unsigned get8(struct due_sums *s)
{
	if (s->end == s->p) {
		s->bad = 1;
		return 0;
	}
	return *s->p++;
}

static const char *const magics[DUE_SUMS__N] = { "aedsums2", "aedwork1" };
static const char *const file_names[DUE_SUMS__N] = { DUE_SUMS_FILE, DUE_WORK_SUMS_FILE };

int due_sums_open(const char *dir, enum due_sums_kind kind, struct due_sums *s)
{
	char *path = xasprintf("%s/%s", dir, file_names[kind]);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	void *m = MAP_FAILED;
	uint64_t w[HEAD_WORDS];

	memset(s, 0, sizeof(*s));
	free(path);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size >= MAGIC_LEN + 8 * (HEAD_WORDS + 1) && (size_t)st.st_size <= MAX_LEN)
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -1;
	s->map = m;
	s->len = (size_t)st.st_size;
	s->p = s->map + MAGIC_LEN;
	s->end = s->map + s->len - 8;
	if (memcmp(s->map, magics[kind], MAGIC_LEN) ||
	    cache_checksum(SUM_SEED, s->map, s->len - 8) != cle64(s->end)) {
		due_sums_close(s);
		return -1;
	}
	for (int i = 0; i < HEAD_WORDS; i++)
		w[i] = get64(s);
	s->head = (struct due_sums_head){ w[0], w[1], w[2], w[3], w[4], w[5], (moment_t)w[6], w[7], w[8] };
	s->left = s->head.nfiles;
	if (s->head.max_at <= 0 || s->head.max_at >= MOMENT_END || s->head.nrecs > UINT32_MAX ||
	    s->head.last > s->head.nentries || s->left > (uint64_t)(s->end - s->p) / 16) {
		due_sums_close(s);
		return -1;
	}
	return 0;
}

/* The part `part` being read, its items left in s->left: 0, or -1 when
 * the file is damaged or the part before it was not read to its end
 * (each item at least min bytes). */
static int enter(struct due_sums *s, int part, size_t min)
{
	if (s->bad)
		return -1;
	if (s->part == part)
		return 0;
	if (s->part != part - 1 || s->left) {
		s->bad = 1;
		return -1;
	}
	s->part = part;
	s->left = get64(s);
	if (s->bad || s->left > (uint64_t)(s->end - s->p) / min) {
		s->bad = 1;
		return -1;
	}
	return 0;
}

int due_sums_part(struct due_sums *s, size_t min)
{
	if (s->part == 0 && s->left)
		return -1;	/* the files not read */
	return enter(s, s->part + 1, min);
}

uint64_t due_sums_u64(struct due_sums *s)
{
	return get64(s);
}

uint32_t due_sums_u32(struct due_sums *s)
{
	return get32(s);
}

int due_sums_end(struct due_sums *s)
{
	return !s->bad && !s->left && s->p == s->end ? 0 : -1;
}

/* A moment a line could give (> 0: every one kept was later than 0). */
moment_t due_sums_moment(struct due_sums *s)
{
	moment_t m = (moment_t)get64(s);

	if (m <= 0 || m >= MOMENT_END)
		s->bad = 1;
	return m;
}

moment_t due_sums_moment_or_0(struct due_sums *s)
{
	moment_t m = (moment_t)get64(s);

	if (m < 0 || m >= MOMENT_END)
		s->bad = 1;
	return m;
}

int due_sums_file(struct due_sums *s, uint64_t *n, uint64_t *sum)
{
	if (enter(s, PART_FILES, 16) < 0)
		return -1;
	if (!s->left)
		return 0;
	*n = get64(s);
	*sum = get64(s);
	s->left--;
	return s->bad ? -1 : 1;
}

int due_sums_row(struct due_sums *s, struct due_sums_row *row)
{
	unsigned mask;

	if (enter(s, PART_ROWS, 16) < 0)
		return -1;
	if (!s->left)
		return 0;
	row->rec = get32(s);
	mask = get8(s);
	mask |= get8(s) << 8;
	row->via = (uint8_t)get8(s);
	row->callback = (uint8_t)get8(s);
	row->am = get64(s);
	for (int ev = 0; ev < EV__N; ev++)
		row->last[ev] = mask >> ev & 1 ? due_sums_moment(s) : 0;
	row->contact = row->via ? due_sums_moment(s) : 0;
	if (row->rec >= s->head.nrecs || mask >> EV__N || row->via > 2 || row->callback > 3)
		s->bad = 1;
	s->left--;
	return s->bad ? -1 : 1;
}

int due_sums_notice(struct due_sums *s, long *notice)
{
	if (enter(s, PART_NOTICES, 8) < 0)
		return -1;
	if (!s->left)
		return 0;
	*notice = (long)get64(s);
	s->left--;
	return s->bad ? -1 : 1;
}

int due_sums_monthly(struct due_sums *s, uint32_t *entry)
{
	if (enter(s, PART_MONTHLY, 4) < 0)
		return -1;
	if (!s->left)
		return 0;
	*entry = get32(s);
	/* in the journal's order, each one of the entries summed */
	if (*entry >= s->head.nentries || (s->monthly_seen && *entry <= s->monthly_last))
		s->bad = 1;
	s->monthly_seen = 1;
	s->monthly_last = *entry;
	s->left--;
	return s->bad ? -1 : 1;
}

int due_sums_slot(struct due_sums *s, moment_t *first)
{
	int entering = s->part != PART_SLOTS;

	if (enter(s, PART_SLOTS, 8) < 0)
		return -1;
	if (entering && s->left != s->head.nslots)
		s->bad = 1;
	if (s->bad)
		return -1;
	if (!s->left)
		return s->p == s->end ? 0 : -1;
	*first = due_sums_moment_or_0(s);
	s->left--;
	return s->bad ? -1 : 1;
}

void due_sums_close(struct due_sums *s)
{
	if (s->map)
		munmap((void *)s->map, s->len);
	memset(s, 0, sizeof(*s));
}

/* -- writing */

static void put64(struct due_sums_out *o, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	sb_add(&o->sb, (const char *)b, 8);
}

static void put32(struct due_sums_out *o, uint32_t v)
{
	unsigned char b[4];

	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	sb_add(&o->sb, (const char *)b, 4);
}

void due_sums_begin(struct due_sums_out *o, enum due_sums_kind kind, const struct due_sums_head *h,
		    const struct journal *j)
{
	o->sb = (struct strbuf)STRBUF_INIT;
	o->kind = kind;
	sb_add(&o->sb, magics[kind], MAGIC_LEN);
	put64(o, h->settings);
	put64(o, h->ids);
	put64(o, h->nrecs);
	put64(o, h->nslots);
	put64(o, h->nfiles);
	put64(o, h->nentries);
	put64(o, (uint64_t)h->max_at);
	put64(o, h->groups);
	put64(o, h->last);
	for (size_t f = 0; f < h->nfiles; f++) {
		put64(o, journal_file_end(j, f) - j->file_at[f]);
		put64(o, j->file_sum[f]);
	}
}

void due_sums_count(struct due_sums_out *o, uint64_t n)
{
	put64(o, n);
}

void due_sums_put_row(struct due_sums_out *o, const struct due_sums_row *row)
{
	unsigned mask = 0;

	for (int ev = 0; ev < EV__N; ev++)
		mask |= (unsigned)(row->last[ev] != 0) << ev;
	put32(o, row->rec);
	sb_addch(&o->sb, (char)(mask & 0xFF));
	sb_addch(&o->sb, (char)(mask >> 8));
	sb_addch(&o->sb, (char)row->via);
	sb_addch(&o->sb, (char)row->callback);
	put64(o, row->am);
	for (int ev = 0; ev < EV__N; ev++)
		if (row->last[ev])
			put64(o, (uint64_t)row->last[ev]);
	if (row->via)
		put64(o, (uint64_t)row->contact);
}

void due_sums_put_u64(struct due_sums_out *o, uint64_t v)
{
	put64(o, v);
}

void due_sums_put_u32(struct due_sums_out *o, uint32_t v)
{
	put32(o, v);
}

void due_sums_write(struct due_sums_out *o, const char *dir)
{
	char *path = xasprintf("%s/%s", dir, file_names[o->kind]);

	put64(o, cache_checksum(SUM_SEED, o->sb.buf, o->sb.len));
	cache_file_put(dir, path, o->sb.buf, o->sb.len);
	free(path);
	sb_release(&o->sb);
}

size_t due_sums_files_past(const struct journal *j, size_t files, moment_t cutoff, moment_t *max_at)
{
	for (; files < j->image_files; files++) {
		moment_t most = 0;
		for (size_t i = j->file_at[files]; i < journal_file_end(j, files); i++)
			most = j->v[i].at > most ? j->v[i].at : most;
		if (most >= cutoff)
			break;
		*max_at = most > *max_at ? most : *max_at;
	}
	return files;
}

int due_sums_files_hold(struct due_sums *s, const struct journal *j)
{
	uint64_t n, sum;
	size_t f = 0;

	if (!s->head.nfiles || s->head.nfiles > j->image_files)
		return 0;
	for (; due_sums_file(s, &n, &sum) > 0; f++)
		if (n != journal_file_end(j, f) - j->file_at[f] || sum != j->file_sum[f])
			return 0;
	return !s->bad && f == s->head.nfiles && s->head.nentries == journal_file_end(j, f - 1);
}
