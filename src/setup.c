/* setup.c -- what every command does first: find and open the book, and
 * settle "now" (see ae.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ae.h"
#include "book.h"
#include "diag.h"

int is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

/* The clock read in the book's time zone. */
static void clock_now(struct globals *g, const char *tz)
{
	time_t t = time(NULL);
	struct tm tm;
	char *old = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;

	setenv("TZ", tz, 1);
	tzset();
	localtime_r(&t, &tm);
	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else {
		unsetenv("TZ");
	}
	tzset();
	g->now = (moment_t)days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 1440 +
		 tm.tm_hour * 60 + tm.tm_min;
}

int open_book(struct globals *g, struct book *b)
{
	char *root = book_find_root(g->dir ? g->dir : ".");
	int r;

	if (!root) {
		error("not inside a book: no ae.ini in '%s' or any folder above it\n"
		      "hint: 'ae init' makes a book here; '-C DIR' runs in another folder",
		      g->dir ? g->dir : ".");
		return EXIT_SYSTEM;
	}
	r = book_open(b, root, g->argv0);
	free(root);
	if (r < 0) {
		book_release(b);
		return EXIT_SYSTEM;
	}
	if (!g->now_given)
		clock_now(g, b->cfg.timezone);
	book_load(b);
	return 0;
}

