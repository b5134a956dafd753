/* fileio.h -- writing files so that a crash leaves the old file or the new
 * one, never a mix: a temporary file beside it, fsync, rename, fsync of the
 * folder; the mode of an existing file is kept. */
#ifndef AE_FILEIO_H
#define AE_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

/* Write data to path atomically; new files get mode.  0, or -1 (reported). */
int write_atomic(const char *path, const char *data, size_t len, mode_t mode);

/* mkdir -p; 0 or -1 (reported). */
int make_dirs(const char *path);

#endif
