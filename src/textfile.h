/*
 * textfile.h -- fetching a book file as text that is safe to parse.
 *
 * A file is usable when it is a regular file within the size limit,
 * reached through no symbolic link, holds no NUL byte, is valid UTF-8,
 * holds no control character (but TAB and the line ends LF and CRLF) and
 * carries no leftover merge-conflict markers.  Each failure is reported
 * (path:line:col) and the file is not parsed: guessing at such a file
 * could only misplace text, and text with control characters in it could
 * rewrite the terminal of whoever reads a report of it.
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

/*
 * The first control character of buf that plain text has no use for: any
 * C0 byte but TAB, LF and the CR of a CRLF (or the text's last byte), DEL,
 * and the C1 controls U+0080..U+009F.  Printed, such a character can move
 * the cursor, recolour or retitle the terminal; nobody types one on
 * purpose.  Returns its offset, or len.
 */
size_t text_control_at(const char *buf, size_t len);

/*
 * Whether a listed path may be read: no control character at all in it
 * (TAB and line ends included), as a record's identifier is its file
 * name and is printed everywhere.  Reports the path when it may not.
 */
int text_name_ok(const char *path);
/* Whether p[0..n) holds no byte below 0x20, no DEL and no 0xC2 (the
 * first byte of a C1 control): a name of such bytes text_name_ok()
 * passes.  Eight bytes at a time. */
int text_name_clean(const char *p, size_t n);

/* Line (from 1) and column (characters, from 1) of byte off in buf. */
void text_position(const char *buf, size_t off, int *line, int *col);

#endif
