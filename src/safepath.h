/*
 * safepath.h -- opening a file inside the book without ever leaving it.
 *
 * The book arrives from teammates and is untrusted: a folder of it may
 * be a symbolic link to anywhere.  Paths relative to the book are
 * therefore opened one component at a time with openat(2) and
 * O_NOFOLLOW, starting from a descriptor of the book's root, so that a
 * link anywhere on the way is refused rather than followed.  Empty, "."
 * and ".." components are refused before anything is opened.  (Plain
 * openat() calls, not openat2(2), so that the fault injector of the
 * tests, which wraps libc, sees every one.)
 */
#ifndef AE_SAFEPATH_H
#define AE_SAFEPATH_H

#include <sys/types.h>

/* Why rel is not a plain relative path ("" when it is): absolute, empty,
 * or with an empty, "." or ".." component.  A static string. */
const char *safe_path_problem(const char *rel);

/*
 * Open the folder rel (relative to rootfd; "" or "." is the root itself)
 * as an O_DIRECTORY descriptor, creating missing folders (mode 0777 less
 * the umask) when create is set.  On failure returns -1 with errno set;
 * ELOOP means a component is a symbolic link, and then *link (when link
 * is not NULL) is that component's path relative to the root (owned by
 * the caller).
 */
int safe_opendir(int rootfd, const char *rel, int create, char **link);

/*
 * Open the file rel beneath rootfd with flags (O_NOFOLLOW and O_CLOEXEC
 * are added) and mode, every folder on the way opened as by
 * safe_opendir() (created when flags has O_CREAT).  -1 with errno on
 * failure, *link as above.
 */
int safe_open(int rootfd, const char *rel, int flags, mode_t mode, char **link);

/* The folder part of rel ("" for a top-level name) and its last
 * component, both owned by the caller. */
void safe_split(const char *rel, char **dir, char **base);

#endif
