/*
 * rollback.h -- the rollback journal of a change to the book: the old
 * content of every file a command is about to change, kept on disk in
 * .git/ae-rollback until the change is committed, so that a failure or a
 * kill -9 leaves the book as it was (as SQLite's rollback journal keeps
 * a database whole).
 *
 * The order of a change, under the book lock: rollback_add() each file
 * and rollback_save() (the old contents synced), then the files are
 * written, then committed, then rollback_done().  When anything fails,
 * rollback_undo() puts the old files back.  When the command was killed,
 * the next writer finds the journal under the lock and calls
 * rollback_recover(), which does the same unless the commit landed.
 *
 * A file is put back only while it holds exactly what the command wrote
 * (its length and hash are kept): text that someone typed into it since
 * is never overwritten.  Plain POSIX.
 */
#ifndef AE_ROLLBACK_H
#define AE_ROLLBACK_H

#include <stddef.h>

struct rollback;

/* A journal for the book whose folder is the descriptor rootfd (rb
 * keeps a duplicate), in the git folder gitdir (ending in '/'; NULL for a book
 * outside git: the journal is then kept in memory only); head is HEAD's
 * commit id (hex) before the change, or "" while the branch is unborn. */
struct rollback *rollback_new(const char *gitdir, int rootfd, const char *head);

/* Keep path's present content (or its absence); the command will make
 * it text (len bytes), or remove it when text is NULL.  0, -1 (reported:
 * unreadable), -2 (a symbolic link on the way, reported). */
int rollback_add(struct rollback *rb, const char *path, const char *text, size_t len);

/* Write the journal, synced: only then may the files be written.
 * 0, or -1 (reported). */
int rollback_save(struct rollback *rb);

/* The change is committed (or only to be written): forget the journal
 * and free rb. */
void rollback_done(struct rollback *rb);

/* The change failed: put back every file that holds what the command
 * wrote, forget the journal, free rb.  0; 1 when a file was changed by
 * someone since and is kept (reported); -1 (reported) when a file could
 * not be put back: the journal stays for the next writer. */
int rollback_undo(struct rollback *rb);

/*
 * A journal that a killed writer left in gitdir: put its files back
 * unless its commit landed (or HEAD moved since it began: then the files
 * are left as they are), and forget it.  head is HEAD now ("" unborn).
 * 0 (also when there was none), or -1 (reported).
 */
int rollback_recover(const char *gitdir, int rootfd, int landed, const char *head);

#endif
