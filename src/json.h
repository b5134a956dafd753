/* json.h -- writing JSON text (RFC 8259) and CSV fields (RFC 4180) into a strbuf. */
#ifndef AE_JSON_H
#define AE_JSON_H

#include "util.h"

/* Append s as a quoted JSON string (s may be NULL: writes null). */
void json_str(struct strbuf *sb, const char *s);
void json_strn(struct strbuf *sb, const char *s, size_t n);

/* Append s as one CSV field, quoted when it holds , " CR or LF (NULL: empty). */
void csv_field(struct strbuf *sb, const char *s);

#endif
