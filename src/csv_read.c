/* csv_read.c -- see csv_read.h */
#include "csv_read.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "utf8.h"
#include "util.h"

/* A sheet bigger than this is not a client list. */
#define CSV_MAX_BYTES (64u << 20)

static int read_all(const char *path, struct strbuf *out)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;
	int ret = 0;

	if (!f)
		return error("unable to open '%s': %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (out->len + n > CSV_MAX_BYTES) {
			ret = error("'%s' is larger than %u MiB; is it a client list?", path,
				    CSV_MAX_BYTES >> 20);
			break;
		}
		sb_add(out, buf, n);
	}
	if (!ret && ferror(f))
		ret = error("unable to read '%s': %s", path, strerror(errno));
	fclose(f);
	sb_grow(out, 0);
	return ret;
}

static int line_of(const char *s, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

/* raw (in `from`) into out as UTF-8: 0, or 1 (reported at the bad byte). */
static int convert(const struct strbuf *raw, const char *from, const char *shown,
		   struct strbuf *out)
{
	iconv_t cd = iconv_open("UTF-8", from);
	char *in = raw->buf;
	size_t inleft = raw->len;
	int ret = 0;

	if (cd == (iconv_t)-1)
		return error("unable to convert from '%s': %s", from, strerror(errno));
	while (inleft) {
		char chunk[16384], *o = chunk;
		size_t oleft = sizeof(chunk);
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);

		sb_add(out, chunk, (size_t)(o - chunk));
		if (r == (size_t)-1 && errno != E2BIG) {
			size_t at = (size_t)(in - raw->buf);
			diag_at(DIAG_ERROR, shown, line_of(raw->buf, at), 0, NULL,
				"neither UTF-8 nor %s: byte 0x%02X cannot be read; save the sheet as 'CSV UTF-8', or give its encoding with --encoding",
				from, (unsigned char)raw->buf[at]);
			ret = 1;
			break;
		}
	}
	iconv_close(cd);
	sb_grow(out, 0);
	return ret;
}

/* The file's text as UTF-8 in out, with csv->encoding set: 0, 1 or -1. */
static int decode(struct csv *csv, const struct strbuf *raw, const char *shown,
		  const char *encoding, struct strbuf *out)
{
	const unsigned char *u = (const unsigned char *)raw->buf;
	size_t bad;
	int r;

	if (raw->len >= 4 && (!memcmp(u, "PK\x03\x04", 4) || !memcmp(u, "\xD0\xCF\x11\xE0", 4))) {
		diag_at(DIAG_ERROR, shown, 0, 0, NULL,
			"this is a workbook (.xlsx or .xls), not CSV: save the sheet as 'CSV UTF-8' (or 'CSV') first");
		return 1;
	}
	if (!encoding && raw->len >= 2 && (!memcmp(u, "\xFF\xFE", 2) || !memcmp(u, "\xFE\xFF", 2))) {
		diag_at(DIAG_ERROR, shown, 0, 0, NULL,
			"the file is UTF-16 (Excel's 'Unicode Text'): save the sheet as 'CSV UTF-8' or 'CSV'");
		return 1;
	}
	if (encoding && strcasecmp(encoding, "UTF-8") && strcasecmp(encoding, "UTF8")) {
		csv->encoding = encoding;
		if ((r = convert(raw, encoding, shown, out)) != 0)
			return r;
	} else {
		size_t skip = raw->len >= 3 && !memcmp(u, "\xEF\xBB\xBF", 3) ? 3 : 0;

		if ((bad = utf8_invalid_at(raw->buf + skip, raw->len - skip)) == raw->len - skip) {
			csv->encoding = "UTF-8";
			sb_add(out, raw->buf + skip, raw->len - skip);
		} else if (encoding) {
			diag_at(DIAG_ERROR, shown, line_of(raw->buf, skip + bad), 0, NULL,
				"invalid UTF-8 (byte 0x%02X); is the sheet saved in another encoding? give it with --encoding",
				u[skip + bad]);
			return 1;
		} else {
			csv->encoding = "GB18030";
			if ((r = convert(raw, "GB18030", shown, out)) != 0)
				return r;
		}
	}
	/* GB18030's byte-order mark comes out as U+FEFF */
	if (out->len >= 3 && !memcmp(out->buf, "\xEF\xBB\xBF", 3)) {
		memmove(out->buf, out->buf + 3, out->len - 2);
		out->len -= 3;
	}
	if (memchr(out->buf, '\0', out->len)) {
		diag_at(DIAG_ERROR, shown, line_of(out->buf, (size_t)((char *)memchr(out->buf, '\0', out->len) - out->buf)), 0, NULL,
			"a NUL byte: this is not a sheet saved as CSV text");
		return 1;
	}
	return 0;
}

/* The separator the header row uses most, outside quotes: , ; or tab. */
static char guess_delim(const char *s, size_t n)
{
	size_t comma = 0, semi = 0, tab = 0;
	int quoted = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && (s[i] == '\n' || s[i] == '\r'))
			break;
		else if (!quoted && s[i] == ',')
			comma++;
		else if (!quoted && s[i] == ';')
			semi++;
		else if (!quoted && s[i] == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

/* The cells as the next row (taking them), unless all are empty. */
static void add_row(struct csv *csv, struct strlist *cells, int row)
{
	int blank = 1;

	for (size_t i = 0; i < cells->n; i++)
		blank = blank && !*cells->v[i];
	if (blank) {
		strlist_release(cells);
		return;
	}
	ALLOC_GROW(csv->rows, csv->n + 1, csv->alloc);
	csv->rows[csv->n].cells = cells->v;
	csv->rows[csv->n].n = (int)cells->n;
	csv->rows[csv->n].row = row;
	csv->n++;
	memset(cells, 0, sizeof(*cells));
}

/* RFC 4180 cells of s[0..n): 0, or 1 (reported). */
static int parse(struct csv *csv, const char *s, size_t n, const char *shown)
{
	struct strlist cells = { 0 };
	struct strbuf cell = STRBUF_INIT;
	size_t i = 0;
	int row = 1, col = 1, ret = 0;

	csv->delim = guess_delim(s, n);
	while (i < n) {
		int end_of_row = 0;

		sb_reset(&cell);
		if (s[i] == '"') {
			int start_row = row;
			i++;
			for (;;) {
				if (i >= n) {
					diag_at(DIAG_ERROR, shown, start_row, col, NULL,
						"a quoted cell is not closed: the file ends inside it");
					ret = 1;
					goto out;
				}
				if (s[i] == '"' && i + 1 < n && s[i + 1] == '"') {
					sb_addch(&cell, '"');
					i += 2;
				} else if (s[i] == '"') {
					i++;
					break;
				} else if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
					i++;	/* a line break in a cell is LF */
				} else {
					sb_addch(&cell, s[i++]);
				}
			}
			if (i < n && s[i] != csv->delim && s[i] != '\n' && s[i] != '\r') {
				diag_at(DIAG_ERROR, shown, start_row, col, NULL,
					"text after the closing quote of a cell; a quote inside a quoted cell is written twice (\"\")");
				ret = 1;
				goto out;
			}
		} else {
			while (i < n && s[i] != csv->delim && s[i] != '\n' && s[i] != '\r')
				sb_addch(&cell, s[i++]);
		}
		strlist_add(&cells, cell.len ? cell.buf : "");
		if (i >= n) {
			end_of_row = 1;
		} else if (s[i] == csv->delim) {
			i++;
			col++;
			if (i >= n) {
				strlist_add(&cells, "");	/* "a,b," ends in an empty cell */
				end_of_row = 1;
			}
		} else {
			/* CRLF, LF, or a lone CR (old Mac Excel) */
			i += s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
			end_of_row = 1;
		}
		if (end_of_row) {
			/* one record is one row of the sheet, line breaks in
			 * its cells or not */
			add_row(csv, &cells, row);
			row++;
			col = 1;
		}
	}
out:
	strlist_release(&cells);
	sb_release(&cell);
	return ret;
}

int csv_read_file(struct csv *csv, const char *path, const char *shown,
		  const char *encoding)
{
	struct strbuf raw = STRBUF_INIT, text = STRBUF_INIT;
	int r;

	memset(csv, 0, sizeof(*csv));
	if (read_all(path, &raw) < 0) {
		sb_release(&raw);
		return -1;
	}
	r = decode(csv, &raw, shown, encoding, &text);
	sb_release(&raw);
	if (r == 0)
		r = parse(csv, text.buf, text.len, shown);
	sb_release(&text);
	return r;
}

void csv_release(struct csv *csv)
{
	for (size_t i = 0; i < csv->n; i++) {
		for (int k = 0; k < csv->rows[i].n; k++)
			free(csv->rows[i].cells[k]);
		free(csv->rows[i].cells);
	}
	free(csv->rows);
	memset(csv, 0, sizeof(*csv));
}
