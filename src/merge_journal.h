/*
 * merge_journal.h -- a three-way merge of one journal file
 * (journal/YYYY-MM.log), line by line, each line one activity
 * (docs/ae-merge.5.md).
 *
 * Each side's changes against the merge base are read as what happened
 * to each base line -- kept, deleted, or changed into a new line (paired
 * by its date, time, staff and verb, or as the one line replacing the one
 * line) -- and which lines were added.  Then:
 *
 * - lines added on either side are kept; a line both sides added alike
 *   is kept once;
 * - a line deleted on one side stays deleted, whatever the other side
 *   left untouched (a union merge brings it back);
 * - a line changed on one side takes the change; the same change on both
 *   is taken once;
 * - a line changed differently on both sides, or changed on one and
 *   deleted on the other, is a conflict on that line (KEY "line-N", N
 *   its line in the merge base), never two lines: the hours of a line
 *   both corrected are not counted twice;
 * - the result is in time order: base lines stay where they are, and
 *   lines added at the same place by both sides (most often at the end)
 *   are interleaved by their date and time, ours first at the same
 *   minute.  Comments and blank lines travel with the line above them.
 *
 * The date and time are the first two words of a line, as in the
 * shipped grammar (ae-journal(5)).  Pure functions.
 */
#ifndef AE_MERGE_JOURNAL_H
#define AE_MERGE_JOURNAL_H

#include <stddef.h>

#include "merge_conflict.h"

/*
 * Merge base, ours and theirs (any may be empty) into r (initialised
 * here; release with merge_result_release()).  Returns the number of
 * conflicts, 0 for a clean merge.
 */
int merge_journal(const char *base, size_t blen, const char *ours, size_t olen,
		  const char *theirs, size_t tlen, struct merge_result *r);

/*
 * Whether line (its text, without line end) is in a more often than in
 * b: whether the commit from a to b changed or deleted it.
 */
int merge_journal_line_gone(const char *a, size_t alen, const char *b, size_t blen,
			    const char *line, size_t n);

#endif
