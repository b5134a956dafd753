/*
 * json.h -- writing JSON text (RFC 8259) and CSV (RFC 4180) into a strbuf,
 * as ae(1) (CSV AND JSON) promises for every file ae writes:
 *   JSON  UTF-8, date-times in RFC 3339 with the book's offset
 *         ("2026-11-19T18:00:00+08:00"), dates as YYYY-MM-DD;
 *   CSV   RFC 4180 fields, CRLF after every row, UTF-8 with a byte-order
 *         mark first unless the user asks for none (--no-bom), headers in
 *         the output language, date-times as YYYY-MM-DD HH:MM of the book.
 */
#ifndef AE_JSON_H
#define AE_JSON_H

#include "date.h"
#include "util.h"

/* Append s as a quoted JSON string (s may be NULL: writes null). */
void json_str(struct strbuf *sb, const char *s);
void json_strn(struct strbuf *sb, const char *s, size_t n);

/* Append s as one CSV field, quoted when it holds , " CR or LF (NULL: empty). */
void csv_field(struct strbuf *sb, const char *s);

/* A date-time of the book's zone tz as a quoted RFC 3339 string. */
void json_moment(struct strbuf *sb, const char *tz, moment_t m);

/* A CSV file's start: the byte-order mark when bom is set. */
void csv_start(struct strbuf *sb, int bom);
/* The end of a CSV row: CRLF. */
void csv_end_row(struct strbuf *sb);

#endif
