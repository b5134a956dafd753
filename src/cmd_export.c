/* cmd_export.c -- ae export contacts: the clients' contact people for a
 * phone or a mail program, as vCard 4.0 or CSV (REC-1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "editing.h"
#include "export_contacts.h"

static const char usage[] =
	"usage: ae export contacts [--client CLIENT]... [--format vcf|csv] [--lang zh|en]\n"
	"                          [--no-bom]\n"
	"\n"
	"Write the contact people of the clients (each line of a client's\n"
	"'contacts') on standard output: as vCard 4.0 (RFC 6350), one card per\n"
	"person, for a phone, a mail program or khard; or as CSV (RFC 4180, CRLF,\n"
	"a UTF-8 byte-order mark so that Excel reads the Chinese).\n"
	"\n"
	"  --client CLIENT  only this client (a code or a unique part of one);\n"
	"                   may be given more than once.  Default: every client\n"
	"  --format F       vcf (default) or csv\n"
	"  --lang L         the CSV header: zh or en; default ae.ini [book] lang\n"
	"  --no-bom         no byte-order mark before the CSV, for scripts\n"
	"\n"
	"Clients with errors are left out with a warning (run 'ae check').\n";

static int cmp_rec(const void *a, const void *b)
{
	const struct record *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

int cmd_export(int argc, char **argv, struct globals *g)
{
	const char *format = "vcf", *lang = NULL, *v;
	const char **names = xcalloc((size_t)argc + 1, sizeof(*names));
	const struct record **recs = NULL;
	struct people people = { 0 };
	struct strbuf out = STRBUF_INIT;
	struct book b;
	int nnames = 0, bom = 1, bad = 0, skipped = 0, status = 0, opened = 0, r;
	size_t n = 0;

	if (argc < 2 || is_help(argv[1]) || strcmp(argv[1], "contacts")) {
		if (argc >= 2 && !is_help(argv[1]))
			error("ae export knows 'contacts', not '%s'", argv[1]);
		fputs(usage, argc >= 2 && is_help(argv[1]) ? stdout : stderr);
		free(names);
		return argc >= 2 && is_help(argv[1]) ? 0 : EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			goto out;
		} else if ((r = arg_value(argc, argv, &i, "--client", &v)) != 0) {
			if (r < 0)
				goto usage;
			names[nnames++] = v;
		} else if ((r = arg_value(argc, argv, &i, "--format", &format)) != 0 ||
			   (r = arg_value(argc, argv, &i, "--lang", &lang)) != 0) {
			if (r < 0)
				goto usage;
		} else if (!strcmp(argv[i], "--no-bom")) {
			bom = 0;
		} else {
			error("unknown argument '%s' for export contacts", argv[i]);
			goto usage;
		}
	}
	if (strcmp(format, "vcf") && strcmp(format, "csv")) {
		error("--format is vcf or csv, not '%s'", format);
		goto usage;
	}
	if (lang && strcmp(lang, "zh") && strcmp(lang, "en")) {
		error("--lang is zh or en, not '%s'", lang);
		goto usage;
	}
	diag_setup(stderr, DIAG_TEXT, 0);
	if ((status = open_book_to_read(g, &b, "export contacts", &bad)) != 0)
		goto out;
	opened = 1;
	diag_reset();
	recs = xcalloc(b.nrecs + 1, sizeof(*recs));
	if (nnames) {
		for (int i = 0; i < nnames; i++) {
			const struct record *c = find_record(&b, names[i], K_CLIENT);
			if (!c) {
				status = EXIT_USAGE;
				goto out;
			}
			recs[n++] = c;
		}
	} else {
		for (size_t i = 0; i < b.nrecs; i++)
			if (b.recs[i].kind == K_CLIENT)
				recs[n++] = &b.recs[i];
		qsort(recs, n, sizeof(*recs), cmp_rec);
	}
	for (size_t i = 0; i < n; i++) {
		if (recs[i]->bad) {
			skipped++;
			continue;
		}
		people_add(&people, &b, recs[i]);
	}
	if (skipped)
		warning("%d client%s with errors left out; run 'ae check'", skipped,
			skipped == 1 ? "" : "s");
	if (!strcmp(format, "vcf"))
		people_vcard(&out, &people);
	else
		people_csv(&out, &people, lang ? !strcmp(lang, "zh") : !strcmp(b.cfg.lang, "zh"), bom);
	if (out.len && fwrite(out.buf, 1, out.len, stdout) != out.len) {
		status = error("unable to write the contacts");
		status = EXIT_SYSTEM;
	}
	goto out;
usage:
	fputs(usage, stderr);
	status = EXIT_USAGE;
out:
	if (opened)
		book_release(&b);
	people_release(&people);
	sb_release(&out);
	free(recs);
	free(names);
	return status;
}
