/* pattern.c -- see pattern.h.  The only file that compiles PCRE2 patterns. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "pattern.h"

#include <limits.h>
#include <pcre2.h>
#include <stdatomic.h>
#include <string.h>

#include "diag.h"
#include "pattern_hand.h"
#include "pool.h"
#include "utf8.h"
#include "util.h"

/* the interpreter's backtracking depth and memory (JIT ignores them) */
#define DEPTH_LIMIT 10000
#define HEAP_LIMIT_KIB 20480

/*
 * Threads (pool.h): a pattern's compiled code is shared, read only; each
 * thread matches with its own match data (md[slot], made on its first
 * match there) and match context (the step limit is set on every call).
 * The JIT's stack is PCRE2's default, on the machine stack of the thread
 * that matches, so it is per thread too.
 */
struct pattern {
	pcre2_code *code;
	struct pslot {
		pcre2_match_data *md;
		PCRE2_SIZE *ov;		/* md's offsets (fixed for its life) */
		uint32_t ovn;		/* their pairs */
		const char *subject;
		char pad[POOL_LINE - 32];	/* pool.h: one cache line a thread */
	} slot[POOL_MAX];
	char *src;
	int jit;
	/* the named groups, as pcre2's name table (sorted by name, the
	 * numbers of a duplicated name together), looked up without it */
	struct pname {
		const char *name;	/* in pcre2's table */
		int first, n;		/* into nums */
		unsigned single;	/* its number when the name is not duplicated, else UINT_MAX */
	} *names;
	int nnames;
	int *nums;
	unsigned pairs;		/* the capture groups, and the whole match */
	char *origin;		/* "path:line", or NULL */
	char *opath;		/* the origin's parts, for the diagnostic */
	int oline, ocol;
	unsigned long spent;	/* steps charged beyond the first allowance */
	int dropped;
	int costly;		/* subjects that needed more than the first allowance */
	/* a matcher by hand for a pattern known by its source
	 * (pattern_hand.h), or NULL */
	pattern_hand_fn by_hand;
};

static pcre2_match_context *mctx[POOL_MAX];
_Static_assert(sizeof(struct pslot) == POOL_LINE, "a slot a cache line");
_Static_assert(sizeof(PCRE2_SIZE) == sizeof(size_t) && PCRE2_UNSET == SIZE_MAX,
	       "pattern_hand.h writes PCRE2's offsets as size_t");
/* a subject needed more than the first allowance while threads ran (or
 * while the parse cache was in use) */
static atomic_int serial_needed;
static int deferring;

static void note_names(struct pattern *p)
{
	uint32_t count = 0, size = 0;
	PCRE2_SPTR table = NULL;

	if (pcre2_pattern_info(p->code, PCRE2_INFO_NAMECOUNT, &count) != 0 || !count ||
	    pcre2_pattern_info(p->code, PCRE2_INFO_NAMEENTRYSIZE, &size) != 0 ||
	    pcre2_pattern_info(p->code, PCRE2_INFO_NAMETABLE, &table) != 0)
		return;
	p->names = xcalloc(count, sizeof(*p->names));
	p->nums = xcalloc(count, sizeof(*p->nums));
	for (uint32_t i = 0; i < count; i++) {
		PCRE2_SPTR e = table + (size_t)i * size;
		const char *name = (const char *)e + 2;

		if (!p->nnames || strcmp(p->names[p->nnames - 1].name, name)) {
			p->names[p->nnames].name = name;
			p->names[p->nnames].first = (int)i;
			p->nnames++;
		}
		p->names[p->nnames - 1].n++;
		p->nums[i] = (e[0] << 8) | e[1];
	}
	for (int k = 0; k < p->nnames; k++)
		p->names[k].single = p->names[k].n == 1 ? (unsigned)p->nums[p->names[k].first] : UINT_MAX;
}

struct pattern *pattern_compile(const char *src, const char **err, int *errcol)
{
	static char msg[256];
	struct pattern *p;
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *code;

	code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &ec, &eo, NULL);
	if (!code) {
		pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof(msg));
		*err = msg;
		*errcol = (int)utf8_count(src, eo) + 1;
		return NULL;
	}
	p = xcalloc(1, sizeof(*p));
	p->code = code;
	p->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	p->slot[0].md = pcre2_match_data_create_from_pattern(code, NULL);
	if (!p->slot[0].md) {
		pcre2_code_free(code);
		free(p);
		*err = "out of memory";
		*errcol = 1;
		return NULL;
	}
	p->slot[0].ov = pcre2_get_ovector_pointer(p->slot[0].md);
	p->slot[0].ovn = pcre2_get_ovector_count(p->slot[0].md);
	p->src = xstrdup(src);
	note_names(p);
	{
		uint32_t top = 0;
		if (pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &top) != 0)
			top = 0;
		p->pairs = top + 1;
	}
	{
		/* '.' stops at LF only with the library's default newline LF */
		uint32_t nl = 0;
		if (pcre2_pattern_info(code, PCRE2_INFO_NEWLINE, &nl) == 0 && nl == PCRE2_NEWLINE_LF)
			p->by_hand = pattern_hand(src);
	}
	return p;
}

void pattern_free(struct pattern *p)
{
	if (!p)
		return;
	for (int i = 0; i < POOL_MAX; i++)
		pcre2_match_data_free(p->slot[i].md);
	pcre2_code_free(p->code);
	free(p->names);
	free(p->nums);
	free(p->src);
	free(p->origin);
	free(p->opath);
	free(p);
}

const char *pattern_source(const struct pattern *p)
{
	return p->src;
}

void pattern_set_origin(struct pattern *p, const char *path, int line, int col)
{
	free(p->origin);
	free(p->opath);
	p->origin = xasprintf("%s:%d", path, line);
	p->opath = xstrdup(path);
	p->oline = line;
	p->ocol = col;
}

const char *pattern_origin(const struct pattern *p)
{
	return p->origin ? p->origin : "(pattern)";
}

static int out_of_steps(int rc)
{
	return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	       rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT ||
	       rc == PCRE2_ERROR_NOMEMORY;
}

int pattern_serial_needed(void)
{
	return atomic_load(&serial_needed);
}

void pattern_serial_reset(void)
{
	atomic_store(&serial_needed, 0);
}

void pattern_defer_costly(int on)
{
	deferring = on;
}

int pattern_match(struct pattern *p, const char *s, size_t n)
{
	uint32_t steps = PATTERN_STEPS_FIRST;
	int rc, t = pool_slot();
	pcre2_match_context *mc = mctx[t];

	p->slot[t].subject = s;
	if (p->dropped)
		return PM_DROPPED;
	if (!mc) {
		mc = mctx[t] = pcre2_match_context_create(NULL);
		if (!mc)
			die_oom(sizeof(void *));
		pcre2_set_depth_limit(mc, DEPTH_LIMIT);
		pcre2_set_heap_limit(mc, HEAP_LIMIT_KIB);
	}
	if (!p->slot[t].md) {
		if (!(p->slot[t].md = pcre2_match_data_create_from_pattern(p->code, NULL)))
			die_oom(sizeof(void *));
		p->slot[t].ov = pcre2_get_ovector_pointer(p->slot[t].md);
		p->slot[t].ovn = pcre2_get_ovector_count(p->slot[t].md);
	}
	if (p->by_hand) {
		int r = p->by_hand(s, n, p->slot[t].ov, p->slot[t].ovn);
		if (r >= 0)
			return r ? PM_MATCH : PM_NOMATCH;
	}
	for (;;) {
		pcre2_set_match_limit(mc, steps);
		/* the JIT's entry itself: what pcre2_match() would call after
		 * checks this call does not need (the subject is valid UTF-8,
		 * its length given, no option) */
		rc = p->jit ? pcre2_jit_match(p->code, (PCRE2_SPTR)s, n, 0, 0, p->slot[t].md, mc) :
			      pcre2_match(p->code, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK,
					  p->slot[t].md, mc);
		if (!out_of_steps(rc) || steps >= PATTERN_STEPS_MAX)
			break;
		if (pool_active() || deferring) {
			/* charging the budget (SEC-2) in the order of one
			 * thread is what keeps the run's output the same: the
			 * caller does this job again on one thread */
			atomic_store(&serial_needed, 1);
			return PM_LIMIT;
		}
		if (steps == PATTERN_STEPS_FIRST)
			p->costly++;
		steps *= 10;
		p->spent += steps;
	}
	if (p->spent > PATTERN_BUDGET && !p->dropped) {
		p->dropped = 1;
		diag_at(DIAG_ERROR, p->opath ? p->opath : "(pattern)", p->oline, p->ocol, "SEC-2",
			"pattern too costly: %d subjects needed more than %d steps each, %lu more in all; it is not used for the rest of this run, so what it checks goes unchecked: simplify it (no nested quantifier such as (a+)+)",
			p->costly, PATTERN_STEPS_FIRST, p->spent);
	}
	if (rc >= 0)
		return PM_MATCH;
	if (rc == PCRE2_ERROR_NOMATCH)
		return PM_NOMATCH;
	return PM_LIMIT;
}

static const struct pname *find_name(const struct pattern *p, const char *name)
{
	for (int i = 0; i < p->nnames; i++)
		if (p->names[i].name[0] == name[0] && !strcmp(p->names[i].name, name))
			return &p->names[i];
	return NULL;
}

/* Group `id` of the last match on thread slot t. */
static int group_at(const struct pattern *p, int t, int id, const char **start, size_t *len)
{
	const PCRE2_SIZE *ov;
	uint32_t count;
	const struct pname *pn;
	int num;

	if (!p->slot[t].md || id < 0 || id >= p->nnames)
		return 0;	/* never matched on this thread, or no such group */
	ov = p->slot[t].ov;
	count = p->slot[t].ovn;
	pn = &p->names[id];
	num = p->nums[pn->first];
	for (int k = pn->first; k < pn->first + pn->n; k++)
		if ((uint32_t)p->nums[k] < count && ov[2 * p->nums[k]] != PCRE2_UNSET) {
			num = p->nums[k];
			break;
		}
	if ((uint32_t)num >= count || ov[2 * num] == PCRE2_UNSET)
		return 0;
	*start = p->slot[t].subject + ov[2 * num];
	*len = ov[2 * num + 1] - ov[2 * num];
	return 1;
}

int pattern_group(const struct pattern *p, const char *name,
		  const char **start, size_t *len)
{
	return group_at(p, pool_slot(), pattern_group_id(p, name), start, len);
}

int pattern_group_at(const struct pattern *p, int id, const char **start, size_t *len)
{
	int t = pool_slot();
	const struct pslot *sl = &p->slot[t];
	unsigned num;

	/* a name given once (the rule), without group_at()'s search of
	 * its numbers: journal.c asks nine groups a line */
	if ((unsigned)id >= (unsigned)p->nnames || !sl->md)
		return 0;
	num = p->names[id].single;
	if (num == UINT_MAX)
		return group_at(p, t, id, start, len);
	if (num >= sl->ovn || sl->ov[2 * num] == PCRE2_UNSET)
		return 0;
	*start = sl->subject + sl->ov[2 * num];
	*len = sl->ov[2 * num + 1] - sl->ov[2 * num];
	return 1;
}

int pattern_has_group(const struct pattern *p, const char *name)
{
	return find_name(p, name) != NULL;
}

void pattern_span(const struct pattern *p, size_t *off, size_t *len)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->slot[pool_slot()].md);

	*off = ov[0];
	*len = ov[1] - ov[0];
}

int pattern_repeatable(const struct pattern *p)
{
	return !p->costly && !p->dropped;
}

unsigned pattern_pairs(const struct pattern *p)
{
	return p->pairs;
}

void pattern_save(const struct pattern *p, uint32_t *saved)
{
	int t = pool_slot();
	const PCRE2_SIZE *ov = p->slot[t].ov;
	uint32_t count = p->slot[t].ovn;
	uint32_t n = 2 * (count < p->pairs ? count : p->pairs), i;

	/* PCRE2_UNSET, and any offset past 32 bits, is UINT32_MAX: unset */
	for (i = 0; i < n; i++)
		saved[i] = ov[i] < UINT32_MAX ? (uint32_t)ov[i] : UINT32_MAX;
	for (; i < 2 * p->pairs; i++)
		saved[i] = UINT32_MAX;
}

int pattern_group_id(const struct pattern *p, const char *name)
{
	const struct pname *pn = find_name(p, name);

	return pn ? (int)(pn - p->names) : -1;
}

int pattern_group_saved(const struct pattern *p, const uint32_t *saved, const char *subject,
			int id, const char **start, size_t *len)
{
	const struct pname *pn;
	int num;

	if (id < 0 || id >= p->nnames)
		return 0;
	pn = &p->names[id];
	num = p->nums[pn->first];
	for (int k = pn->first; k < pn->first + pn->n; k++)
		if ((unsigned)p->nums[k] < p->pairs && saved[2 * p->nums[k]] != UINT32_MAX) {
			num = p->nums[k];
			break;
		}
	if ((unsigned)num >= p->pairs || saved[2 * num] == UINT32_MAX ||
	    saved[2 * num + 1] < saved[2 * num])
		return 0;
	*start = subject + saved[2 * num];
	*len = saved[2 * num + 1] - saved[2 * num];
	return 1;
}
