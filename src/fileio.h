/*
 * fileio.h -- writing files so that a crash leaves the old file or the
 * new one, never a mix: a temporary file beside it, fsync, rename, fsync
 * of the folder; the mode of an existing file is kept.
 *
 * The temporary file is '.NAME.ae-tmp.PID' beside NAME: hidden, so that
 * nothing reads or commits it, and named by the writer's process, so
 * that one a killed writer left is known as stale (fileio_remove_stale).
 *
 * The book's files are written, read and removed relative to a
 * descriptor of the book's folder, one path component at a time
 * (safepath.h): a symbolic link on the way is refused, never followed,
 * so nothing is written or read outside the book.  Those functions
 * return -2 for such a link, after reporting it by name.
 */
#ifndef AE_FILEIO_H
#define AE_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "util.h"

/* Write data to path atomically; new files get mode.  0, or -1 (reported).
 * For files outside the book (.git/hooks); the path is trusted. */
int write_atomic(const char *path, const char *data, size_t len, mode_t mode);

/* A cache file in .git/ae (dir, made if missing): file written from data
 * through a temporary file renamed over it, so that a reader sees a whole
 * file; silently nothing when it cannot be (a cache is a help, never a
 * requirement). */
void cache_file_put(const char *dir, const char *file, const char *data, size_t len);

/* mkdir -p; 0 or -1 (reported). */
int make_dirs(const char *path);

/* Write rel beneath the book's folder rootfd atomically, creating its
 * folders.  0, -1 (reported), -2 (a symbolic link on the way, reported). */
int book_write(int rootfd, const char *rel, const char *data, size_t len, mode_t mode);

/* Remove the file rel beneath rootfd; absent is fine.  0, -1, -2. */
int book_unlink(int rootfd, const char *rel);

/*
 * Read the regular file rel beneath rootfd, at most limit bytes, into out
 * (NUL-terminated).  0; 1 when it does not exist (nothing reported); -1
 * (reported: unreadable); -2 (reported: a symbolic link on the way, not a
 * regular file, larger than limit: what a book must not hold).
 */
int book_read(int rootfd, const char *rel, size_t limit, struct strbuf *out);

/* Whether rel is there beneath rootfd: 1, 0, -1 (reported: unreadable),
 * -2 (a symbolic link on the way, reported). */
int book_exists(int rootfd, const char *rel);

/* Remove the temporary files of writers that are gone from the book's
 * folders (not following links, not entering hidden folders). */
void fileio_remove_stale(int rootfd);

/* Whether a file name (the last component) is a temporary file of ours. */
int fileio_is_temp(const char *name);

#endif
