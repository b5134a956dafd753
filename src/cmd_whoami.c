/* cmd_whoami.c -- ae whoami: who ae takes you for, and by which rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "book.h"
#include "diag.h"
#include "identity.h"

static const char usage[] =
	"usage: ae whoami [--id]\n"
	"\n"
	"Say which staff member of ae.ini ae takes you for, and why.  The first\n"
	"of these rules that gives an answer decides, in every command:\n"
	"\n"
	"  1. $AE_STAFF                a staff ID or name (li.ming, 李明, li)\n"
	"  2. git config ae.staff      the same, from git's settings\n"
	"  3. git config user.email    equal to a staff member's email in ae.ini\n"
	"  4. git config user.name     equal to a staff member's name or ID\n"
	"\n"
	"Commands that take --as STAFF put it before all four.\n"
	"\n"
	"  --id    print only the staff ID (nothing, and exit 1, when unknown)\n"
	"\n"
	"Exit status: 0 known, 1 no rule matched, 2 a setting names no one.\n";

static void quoted(const char *s)
{
	if (s)
		printf("'%s'", s);
	else
		fputs("unset", stdout);
}

int cmd_whoami(int argc, char **argv, struct globals *g)
{
	struct identity id;
	struct book b;
	char *root;
	int only_id = 0, r, status = 0;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--id")) {
			only_id = 1;
		} else {
			error("unknown argument '%s' for whoami", argv[i]);
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (!(root = book_find_root("."))) {
		error("not inside a book: no ae.ini here or in any folder above it\n"
		      "hint: who you are is a staff member of the book's ae.ini; '-C DIR' runs in another folder");
		return EXIT_SYSTEM;
	}
	/* only the settings matter: the records are not read */
	diag_setup(stderr, DIAG_TEXT, 0);
	r = book_open(&b, root, g->argv0);
	if (r < 0 || !b.config_ok) {
		diag_flush();
		error("the book's settings are wrong; fix them ('ae check') first");
		book_release(&b);
		free(root);
		return r < 0 ? EXIT_SYSTEM : EXIT_BAD_RECORDS;
	}
	diag_reset();
	if (identity_find(&id, &b.cfg, root, NULL) < 0) {
		status = EXIT_USAGE;
	} else if (only_id) {
		if (id.staff)
			printf("%s\n", id.staff->id);
		else
			status = EXIT_BAD_RECORDS;
	} else {
		const struct staff *st = id.staff;
		const char *const rule_of[] = { NULL, NULL, "1", "2", "3", "4" };
		if (st) {
			const struct staff *boss = st->reports_to ? config_staff(&b.cfg, st->reports_to) : NULL;
			const struct dept *d = st->dept ? config_dept(&b.cfg, st->dept) : NULL;
			printf("%s%s%s (%s", st->id, st->name ? " " : "", st->name ? st->name : "",
			       rank_names[st->rank]);
			if (d)
				printf(", %s %s", d->code, d->name ? d->name : "");
			if (boss)
				printf(", reports to %s%s%s", boss->id, boss->name ? " " : "",
				       boss->name ? boss->name : "");
			printf(")\n");
			printf("by rule %s, %s: ", rule_of[id.rule], identity_rule_name(id.rule));
			switch (id.rule) {
			case ID_ENV:
				printf("'%s' names [staff %s] (ae.ini:%d)\n", id.env_staff, st->id, st->line);
				break;
			case ID_GIT_STAFF:
				printf("'%s' names [staff %s] (ae.ini:%d)\n", id.git_staff, st->id, st->line);
				break;
			case ID_EMAIL:
				printf("'%s' is the email of [staff %s] (ae.ini:%d)\n", id.git_email, st->id, st->line);
				break;
			default:
				printf("'%s' is the %s of [staff %s] (ae.ini:%d)\n", id.git_name,
				       st->name && !strcmp(st->name, id.git_name) ? "name" : "ID", st->id, st->line);
				break;
			}
		} else {
			printf("no one: no rule names a staff member of ae.ini\n");
		}
		printf("\n  1. $AE_STAFF              ");
		quoted(id.env_staff);
		printf("\n  2. git config ae.staff    ");
		quoted(id.git_staff);
		printf("\n  3. git config user.email  ");
		quoted(id.git_email);
		printf("\n  4. git config user.name   ");
		quoted(id.git_name);
		printf("\n");
		if (!st) {
			char *why = identity_unknown_text(&id);
			error("%s", why);
			free(why);
			status = EXIT_BAD_RECORDS;
		}
	}
	identity_release(&id);
	book_release(&b);
	free(root);
	return status;
}
