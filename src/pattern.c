/* pattern.c -- see pattern.h.  The only file that compiles PCRE2 patterns. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "pattern.h"

#include <pcre2.h>
#include <string.h>

#include "diag.h"
#include "utf8.h"
#include "util.h"

/* the interpreter's backtracking depth and memory (JIT ignores them) */
#define DEPTH_LIMIT 10000
#define HEAP_LIMIT_KIB 20480

struct pattern {
	pcre2_code *code;
	pcre2_match_data *md;
	const char *subject;
	char *src;
	int jit;
	char *origin;		/* "path:line", or NULL */
	char *opath;		/* the origin's parts, for the diagnostic */
	int oline, ocol;
	unsigned long spent;	/* steps charged beyond the first allowance */
	int dropped;
	int costly;		/* subjects that needed more than the first allowance */
};

static pcre2_match_context *mctx;

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
	if (!mctx) {
		mctx = pcre2_match_context_create(NULL);
		pcre2_set_depth_limit(mctx, DEPTH_LIMIT);
		pcre2_set_heap_limit(mctx, HEAP_LIMIT_KIB);
	}
	p = xcalloc(1, sizeof(*p));
	p->code = code;
	p->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	p->md = pcre2_match_data_create_from_pattern(code, NULL);
	if (!p->md) {
		pcre2_code_free(code);
		free(p);
		*err = "out of memory";
		*errcol = 1;
		return NULL;
	}
	p->src = xstrdup(src);
	return p;
}

void pattern_free(struct pattern *p)
{
	if (!p)
		return;
	pcre2_match_data_free(p->md);
	pcre2_code_free(p->code);
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

int pattern_match(struct pattern *p, const char *s, size_t n)
{
	uint32_t steps = PATTERN_STEPS_FIRST;
	int rc;

	p->subject = s;
	if (p->dropped)
		return PM_DROPPED;
	for (;;) {
		pcre2_set_match_limit(mctx, steps);
		rc = pcre2_match(p->code, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK,
				 p->md, mctx);
		if (!out_of_steps(rc) || steps >= PATTERN_STEPS_MAX)
			break;
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

static int group_number(const struct pattern *p, const char *name)
{
	PCRE2_SPTR first, last;
	int size = pcre2_substring_nametable_scan(p->code, (PCRE2_SPTR)name,
						  &first, &last);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
	uint32_t count = pcre2_get_ovector_count(p->md);
	int fallback = -1;

	if (size < 0)
		return -1;
	for (PCRE2_SPTR e = first; e <= last; e += size) {
		int num = (e[0] << 8) | e[1];
		if (fallback < 0)
			fallback = num;
		if ((uint32_t)num < count && ov[2 * num] != PCRE2_UNSET)
			return num;
	}
	return fallback;
}

int pattern_group(const struct pattern *p, const char *name,
		  const char **start, size_t *len)
{
	int num = group_number(p, name);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);

	if (num < 0 || (uint32_t)num >= pcre2_get_ovector_count(p->md) ||
	    ov[2 * num] == PCRE2_UNSET)
		return 0;
	*start = p->subject + ov[2 * num];
	*len = ov[2 * num + 1] - ov[2 * num];
	return 1;
}

int pattern_has_group(const struct pattern *p, const char *name)
{
	PCRE2_SPTR first, last;

	return pcre2_substring_nametable_scan(p->code, (PCRE2_SPTR)name,
					      &first, &last) > 0;
}

void pattern_span(const struct pattern *p, size_t *off, size_t *len)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);

	*off = ov[0];
	*len = ov[1] - ov[0];
}
