/*
 * textfile.h -- fetching a book file as text that is safe to parse.
 *
 * A file is usable when it is a regular file within the size limit, holds
 * no NUL byte, is valid UTF-8 and carries no leftover merge-conflict
 * markers.  Each failure is reported (path:line:col) and the file is not
 * parsed: guessing at such a file could only misplace text.
 */
#ifndef AE_TEXTFILE_H
#define AE_TEXTFILE_H

#include "source.h"
#include "util.h"

/*
 * Read path from src into out and check it.  Returns 0 if usable, 1 if it
 * does not exist (nothing reported), -1 if reported as unusable.  An empty
 * file is an error unless allow_empty.
 */
int text_load(struct source *src, const char *path, size_t limit,
	      int allow_empty, struct strbuf *out);

/* Line (from 1) and column (characters, from 1) of byte off in buf. */
void text_position(const char *buf, size_t off, int *line, int *col);

#endif
