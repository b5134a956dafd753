/*
 * ae.h -- what main.c hands every command: the global options, parsed
 * once (as git does), and the command table.
 */
#ifndef AE_AE_H
#define AE_AE_H

#include "date.h"

struct book;
struct book_lock;

struct globals {
	const char *argv0;
	const char *dir;	/* -C DIR */
	const char *at;		/* --at REV */
	int staged;		/* read the book from the index (ae check --staged) */
	int check_only;		/* only checking: keep no journal entries */
	moment_t now;		/* --now or $AE_NOW or the clock, book wall time */
	int now_given;
	const char *now_text;
	/* the book lock, while a command that changes the book holds it
	 * (editing.h: open_book_to_change()) */
	struct book_lock *lock;
};

struct command {
	const char *name;
	int (*run)(int argc, char **argv, struct globals *g);
	const char *summary;
};

/* Open and load the book for a command (at g->dir or the working dir).
 * Returns 0, or an exit status with the problem reported. */
int open_book(struct globals *g, struct book *b);

/* The same, the book opened (settings, formats) but no record or journal
 * file read yet: the caller loads it (book_load, or book_load_only when
 * it needs a few files of a big book). */
int open_book_unloaded(struct globals *g, struct book *b);

/* The same for commands that read the book to compute from it (due,
 * report): broken settings stop them; *bad counts records with errors,
 * which they skip or show as far as they can. */
int open_book_to_read(struct globals *g, struct book *b, const char *what, int *bad);

/* The rules' now for book b (JOB-7: a confirmation is not in the future):
 * g->now as --now or $AE_NOW gave it, else the clock on the book's wall
 * (g->now is settled then).  Returns it. */
moment_t book_now(struct globals *g, struct book *b);

/* Whether arg is -h or --help. */
int is_help(const char *arg);

/*
 * An option with a value, as "--name VALUE" or "--name=VALUE" at argv[*i]:
 * 1 and *out set (and *i moved past it), 0 if argv[*i] is not that
 * option, -1 (reported) when the value is missing.
 */
int arg_value(int argc, char **argv, int *i, const char *name, const char **out);

int cmd_check(int argc, char **argv, struct globals *g);
int cmd_due(int argc, char **argv, struct globals *g);
int cmd_init(int argc, char **argv, struct globals *g);
int cmd_commit(int argc, char **argv, struct globals *g);
int cmd_log(int argc, char **argv, struct globals *g);
int cmd_report(int argc, char **argv, struct globals *g);
int cmd_set(int argc, char **argv, struct globals *g);
int cmd_close(int argc, char **argv, struct globals *g);
int cmd_tick(int argc, char **argv, struct globals *g);
int cmd_journal_entry(int argc, char **argv, struct globals *g);
int cmd_new(int argc, char **argv, struct globals *g);
int cmd_renumber(int argc, char **argv, struct globals *g);
int cmd_complete(int argc, char **argv, struct globals *g);
int cmd_show(int argc, char **argv, struct globals *g);
int cmd_completion(int argc, char **argv, struct globals *g);
int cmd_merge_driver(int argc, char **argv, struct globals *g);
int cmd_clone(int argc, char **argv, struct globals *g);
int cmd_import(int argc, char **argv, struct globals *g);
int cmd_export(int argc, char **argv, struct globals *g);
int cmd_whoami(int argc, char **argv, struct globals *g);
int cmd_watch(int argc, char **argv, struct globals *g);
int cmd_sign(int argc, char **argv, struct globals *g);
int cmd_approve(int argc, char **argv, struct globals *g);
int cmd_sync(int argc, char **argv, struct globals *g);
int cmd_resolve(int argc, char **argv, struct globals *g);
int cmd_edit(int argc, char **argv, struct globals *g);
int cmd_note(int argc, char **argv, struct globals *g);
int cmd_find(int argc, char **argv, struct globals *g);
int cmd_help(int argc, char **argv, struct globals *g);

/* The table of commands (main.c). */
extern const struct command commands[];
extern const size_t ncommands;

#endif
