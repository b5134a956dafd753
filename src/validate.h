/*
 * validate.h -- checking one field value against its fieldspec: type,
 * required, pattern, length and the format's [check] rules.  Each problem
 * is reported at the value's line and column with the field's rule ID.
 */
#ifndef AE_VALIDATE_H
#define AE_VALIDATE_H

#include "config.h"
#include "format.h"
#include "inifile.h"

struct pattern;

struct vctx {
	const struct config *cfg;
	const struct format *fmt;
	const char *path;
	int errors;
};

/* Check value e of field fd; returns 0 if it is good. */
int validate_field(struct vctx *v, const struct fieldspec *fd,
		   const struct ini_entry *e, int skip_pattern);

/* Whether every condition holds for the entries given by field index. */
int conds_hold(const struct cond *c, int n, const struct ini_entry *const *byfield);

/* An action item line "[ ] 2026-11-27 @li.ming text" split apart. */
struct action {
	int done;
	int due;		/* day number */
	const char *owner;	/* points into the line */
	size_t owner_len;
	const char *text;
	size_t date_off, owner_off, text_off;	/* byte offsets in the line */
};
/* Parse one line; 0 on success, otherwise a static message. */
const char *action_parse(const char *line, size_t n, struct action *a);

#endif
