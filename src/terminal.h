/*
 * terminal.h -- the terminal ae writes to: its size, and the pager that
 * long output goes through, the way git does it.
 */
#ifndef AE_TERMINAL_H
#define AE_TERMINAL_H

#include <stddef.h>

/*
 * The terminal's width in cells: $COLUMNS when it is a number, else the
 * terminal's own (TIOCGWINSZ on fd), else 80.  Its height likewise:
 * $LINES, the terminal's own, else 24.
 */
int term_columns(int fd);
int term_rows(int fd);

/*
 * Write text to standard output; when it has more lines than the
 * terminal's rows, through the pager: $PAGER (empty or "cat": none), else
 * "less -FRX", run by /bin/sh with LESS=FRX and LV=-c set unless the user
 * set them.  A pager that cannot be started leaves the text written
 * directly.  Call only when standard output is a terminal.
 */
void pager_write(const char *text, size_t len);

#endif
