/*
 * merge_record.h -- a three-way merge of one record file (or any INI file
 * of the book: ae.ini, formats, calendars) field by field.
 *
 * Each side is read with the parser of the book (inifile.h), so a field
 * is exactly what ae check reads as one: its key line and the lines that
 * continue it.  The comments and blank lines before a field travel with
 * it.  Then, field by field (REC-*, USE-3; docs/ae-merge.5.md):
 *
 * - a field changed (added, deleted) on one side takes that side's lines;
 *   the same change on both is taken once (a change of layout alone,
 *   where both values read the same, keeps ours' lines);
 * - a multi-line value changed on both sides merges line by line inside
 *   the field: changes to different lines combine, lines both sides added
 *   at the same place are both kept (ours first), and an action item
 *   ("[ ] 2026-11-10 @li.ming 提交修改稿") changed on both sides merges as
 *   an item: its mark, its text and its indentation each from the side
 *   that changed it, so a tick on one side and a reworded text on the
 *   other give one ticked, reworded item;
 * - what is left -- both sides changed the same value (or the same lines
 *   of it) differently, or one changed a field the other deleted -- is a
 *   conflict on that field alone (merge_conflict.h), every other field
 *   merged;
 * - comments and blank lines both sides changed at the same place are
 *   all kept, ours first: they are not data, and keeping both loses none.
 *
 * Lines no side changed are copied byte for byte, in ours' order of
 * fields (theirs' when only theirs reordered them); a field theirs added
 * goes after the field it follows in theirs.
 *
 * A side that is not a well-formed INI file (a syntax error, invalid
 * UTF-8, leftover markers) is merged line by line instead, with a
 * conflict where both sides changed the same lines (KEY "line-N").  A
 * file both sides created with different content (no base) is not
 * blended: it is one conflict on the whole file (KEY "*"), since two
 * clones that gave the same number to different work made two records.
 */
#ifndef AE_MERGE_RECORD_H
#define AE_MERGE_RECORD_H

#include <stddef.h>

#include "merge_conflict.h"

/*
 * Merge base, ours and theirs (any may be empty: no such file) into r
 * (initialised here; release with merge_result_release()).  Returns the
 * number of conflicts, 0 for a clean merge.  The sides' syntax errors
 * are not reported: no diag_only() filter may be active during the call.
 */
int merge_record(const char *base, size_t blen, const char *ours, size_t olen,
		 const char *theirs, size_t tlen, struct merge_result *r);

/*
 * Whether the field KEY (as merge_record() names it in a conflict) reads
 * differently in a and b, or is in one only: which commit changed it.
 * A text that cannot be parsed counts as different.
 */
int merge_record_field_differs(const char *a, size_t alen, const char *b, size_t blen,
			       const char *key);

#endif
