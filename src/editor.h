/*
 * editor.h -- the user's text editor, and the question asked after it
 * (ae new -e, ae edit).
 *
 * The editor is $VISUAL, else $EDITOR, else vi, run by /bin/sh with the
 * file's path as its last argument, so that the variable may carry
 * options (EDITOR='code -w').  It inherits the terminal.
 */
#ifndef AE_EDITOR_H
#define AE_EDITOR_H

/* The editor's command, as the environment gives it. */
const char *editor_command(void);

/* Run the editor on path and wait for it.  0, or -1 (reported: it could
 * not be started, was killed, or exited with a non-zero status). */
int run_editor(const char *path);

/*
 * Ask question on standard error and read one line of standard input
 * (the terminal, or what a script feeds): the answer's first letter,
 * lowercased, when it is one of letters; def for an empty line; asked
 * again (at most three times) for anything else; 0 at the end of the
 * input.
 */
int ask(const char *question, const char *letters, int def);

#endif
