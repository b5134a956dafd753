/*
 * fuzz_ini.c -- libFuzzer target: the INI reader alone (inifile.c over
 * inih), and the promises it makes to the editor.
 *
 * The input is any book file.  Text the reader is never handed (invalid
 * UTF-8, a NUL byte: text_load() refuses those) is skipped.  Besides
 * memory errors, it checks what inifile.h promises: every field's span
 * lies inside the text and in order (start <= vstart <= end), its value
 * lines lie inside the span, in order (an empty last line of a text
 * with no line end starts at its end), and spans and sections do not
 * overlap -- the editor cuts and pastes by them.  See build.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_book.h"
#include "inifile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether line k of a value (lines joined by '\n') is empty. */
static int line_empty(const char *v, int k)
{
	for (; k > 0 && v; k--)
		if ((v = strchr(v, '\n')))
			v++;
	return v && (*v == '\n' || *v == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct arena a = { 0 };
	struct ini_doc doc;
	size_t last_end = 0;

	if (!fuzz_is_text(text, size))
		return 0;
	ini_doc_parse(&doc, &a, "fuzz.ini", text, size);
	for (size_t i = 0; i < doc.nentries; i++) {
		const struct ini_entry *e = &doc.entries[i];
		size_t prev = e->start;

		if (!(e->start <= e->vstart && e->vstart <= e->end && e->end <= size) ||
		    e->start < last_end || e->section < 0 || (size_t)e->section >= doc.nsections)
			__builtin_trap();
		for (int k = 0; k < e->nlines; k++) {
			if (e->voff[k] == SIZE_MAX)
				continue;
			/* a line starts inside the span; an empty one may start
			 * at its very end when that is the end of the text (a
			 * last line "key =" with no line end) */
			if (e->voff[k] < prev || e->voff[k] > e->end ||
			    (e->voff[k] == e->end && (e->end != size || !line_empty(e->value, k))))
				__builtin_trap();
			prev = e->voff[k];
		}
		last_end = e->end;
	}
	for (size_t s = 0; s < doc.nsections; s++) {
		const struct ini_section *sec = &doc.sections[s];
		if (sec->first + sec->count > doc.nentries || sec->start > sec->end || sec->end > size)
			__builtin_trap();
	}
	ini_doc_release(&doc);
	arena_release(&a);
	diag_reset();
	return 0;
}
