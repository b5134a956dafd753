/*
 * commitmsg.h -- the message of an ae commit, written to be read in
 * git log as a work diary (USE-3):
 *
 *     job CS-2611-03: status in-progress -> delivered
 *
 *     job CS-2611-03 (jobs/CS-2611-03.ini)
 *       status: in-progress -> delivered
 *       delivered: (none) -> 2026-11-26 10:00
 *
 *     Record: jobs/CS-2611-03.ini
 *     Approved-by: 王芳 <wang.fang@example.com>
 *
 * One summary line naming the records and what changed, a body listing
 * the field changes of each record, and trailers: a Record: line per file
 * (ae log reads them instead of diffing trees) and Approved-by: naming
 * the person committing where an approval field (signed_by, verified_by,
 * approved_by, reviewed_by) changed to name that person.  A name typed
 * for someone else gives no trailer: an approval is given by its giver
 * ('ae sign', 'ae approve').
 */
#ifndef AE_COMMITMSG_H
#define AE_COMMITMSG_H

#include "book.h"
#include "store.h"

/*
 * The message for changes (the new contents are read from b's source, the
 * old ones from HEAD), committed by me; summary replaces the generated
 * first line.  Each approval field of a record that existed before and
 * now names someone other than me is added to others as "signed_by of
 * jobs/CS-2611-03.ini names wang.fang" (for a warning).
 */
char *commit_message(struct book *b, struct store *s, const struct change_list *changes,
		     const char *summary, const struct staff *me, struct strlist *others);

/* How a message names the file at path: its kind and identifier, "job
 * CS-2611-02", "journal 2026-11", "settings ae" (owned).  The commit's
 * and the merge's messages (sync_msg.c) name files alike. */
char *commitmsg_label(const char *path);

/*
 * The fields (keys as the log names them: "status", or "[staff li.ming]
 * email" in a file of several sections) whose values differ between two
 * versions of an INI file (either may be NULL: absent), each with its
 * line "status: in-progress -> delivered" in lines.  Appends to keys and
 * lines; returns how many.
 */
size_t field_changes(const char *path, const struct strbuf *old, const struct strbuf *new,
		     struct strlist *keys, struct strlist *lines);

#endif
