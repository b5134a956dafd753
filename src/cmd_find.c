/* cmd_find.c -- ae find: where a text is in the book's records and journal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "editing.h"
#include "find.h"
#include "json.h"

static const char usage[] =
	"usage: ae find [--kind KIND] [--client CLIENT] [--format text|json] TEXT...\n"
	"\n"
	"Search every field of every record, and every line of the journal, for\n"
	"TEXT (its words joined by spaces), and print each line that holds it:\n"
	"\n"
	"    PATH:LINE: RECORD FIELD: TEXT       (a record's field, that line of it)\n"
	"    PATH:LINE: journal VERB: LINE       (a journal line)\n"
	"\n"
	"Latin letters match whatever their case; Chinese is matched as written.\n"
	"An enumerated value matches by its labels too (已交付 finds delivered).\n"
	"\n"
	"  --kind KIND       only client, job, contact, meeting, complaint or journal\n"
	"  --client CLIENT   only what is about this client (its records, their\n"
	"                    journal lines)\n"
	"  --format json     an array of objects: path, line, kind, record, field,\n"
	"                    text, label, client\n";

/* Book text as it may reach a terminal: control characters made visible. */
static void add_visible(struct strbuf *sb, const char *s)
{
	sb_add_visible(sb, s, strlen(s), "\t");
}

static void print_text(const struct find_result *res)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < res->n; i++) {
		const struct find_hit *h = &res->v[i];
		sb_reset(&sb);
		add_visible(&sb, h->path);
		sb_addf(&sb, ":%d: ", h->line);
		add_visible(&sb, h->record ? h->record : h->kind);
		sb_addch(&sb, ' ');
		add_visible(&sb, h->field ? h->field : "");
		sb_addstr(&sb, ": ");
		add_visible(&sb, h->text);
		if (h->label) {
			sb_addstr(&sb, " (");
			add_visible(&sb, h->label);
			sb_addch(&sb, ')');
		}
		sb_addch(&sb, '\n');
		fputs(sb.buf, stdout);
	}
	sb_release(&sb);
}

static void json_or_null(struct strbuf *sb, const char *s)
{
	if (s)
		json_str(sb, s);
	else
		sb_addstr(sb, "null");
}

static void print_json(const struct find_result *res)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addch(&sb, '[');
	for (size_t i = 0; i < res->n; i++) {
		const struct find_hit *h = &res->v[i];
		sb_addstr(&sb, i ? ",\n  {" : "\n  {");
		sb_addstr(&sb, "\"path\":");
		json_str(&sb, h->path);
		sb_addf(&sb, ",\"line\":%d,\"kind\":", h->line);
		json_str(&sb, h->kind);
		sb_addstr(&sb, ",\"record\":");
		json_or_null(&sb, h->record);
		sb_addstr(&sb, ",\"field\":");
		json_or_null(&sb, h->field);
		sb_addstr(&sb, ",\"text\":");
		json_str(&sb, h->text);
		sb_addstr(&sb, ",\"label\":");
		json_or_null(&sb, h->label);
		sb_addstr(&sb, ",\"client\":");
		json_or_null(&sb, h->client);
		sb_addch(&sb, '}');
	}
	sb_addstr(&sb, res->n ? "\n]\n" : "]\n");
	fputs(sb.buf, stdout);
	sb_release(&sb);
}

int cmd_find(int argc, char **argv, struct globals *g)
{
	struct find_opts o = { NULL, -1, NULL };
	struct find_result res;
	struct strbuf text = STRBUF_INIT;
	struct book b;
	const char *kind = NULL, *client = NULL, *format = "text";
	int status = 0, bad, words_only = 0, r;

	memset(&res, 0, sizeof(res));
	for (int i = 1; i < argc; i++) {
		if (!words_only && is_help(argv[i])) {
			fputs(usage, stdout);
			goto out;
		} else if (!words_only && !strcmp(argv[i], "--")) {
			words_only = 1;
		} else if (!words_only && ((r = arg_value(argc, argv, &i, "--kind", &kind)) ||
					   (r = arg_value(argc, argv, &i, "--client", &client)) ||
					   (r = arg_value(argc, argv, &i, "--format", &format)))) {
			if (r < 0) {
				status = EXIT_USAGE;
				goto out;
			}
		} else if (!words_only && argv[i][0] == '-' && argv[i][1]) {
			error("unknown option '%s' for find (a text starting with '-' goes after '--')", argv[i]);
			status = EXIT_USAGE;
			goto out;
		} else {
			sb_addf(&text, "%s%s", text.len ? " " : "", argv[i]);
		}
	}
	if (!text.len) {
		fputs(usage, stderr);
		status = EXIT_USAGE;
		goto out;
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		error("--format wants text or json, not '%s'", format);
		status = EXIT_USAGE;
		goto out;
	}
	if (kind && strcmp(kind, "journal") && (o.kind = kind_from_name(kind)) < 0) {
		error("--kind wants client, job, contact, meeting, complaint or journal, not '%s'", kind);
		status = EXIT_USAGE;
		goto out;
	}
	if (kind && !strcmp(kind, "journal"))
		o.kind = FIND_JOURNAL;
	o.text = text.buf;
	diag_setup(stderr, DIAG_TEXT, 0);
	if ((status = open_book_to_read(g, &b, "ae find", &bad)) != 0)
		goto out;
	diag_reset();	/* a search shows bad records too; ae check reports them */
	if (client) {
		const struct record *c = find_record(&b, client, K_CLIENT);
		if (!c) {
			status = EXIT_USAGE;
			book_release(&b);
			goto out;
		}
		o.client = c->id;
	}
	find_run(&b, &o, &res);
	if (!strcmp(format, "json"))
		print_json(&res);
	else
		print_text(&res);
	if (!res.n && strcmp(format, "json"))
		fprintf(stderr, "ae: no field of a record and no journal line holds '%s'%s\n", text.buf,
			kind || client ? " (among those --kind and --client leave)" : "");
	find_result_release(&res);
	book_release(&b);
out:
	sb_release(&text);
	return status;
}
