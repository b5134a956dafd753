# docs/man.awk -- the Markdown of a manual page made ready for lowdown's
# roff (see 'man' in the Makefile); the Markdown itself is what GitHub
# shows.
#
# - The first line, '# NAME(SECTION)', is dropped: roff has its own title.
# - A table of five or more columns (the FIELDS tables of the record
#   kinds, the [rules] of ae.ini) cannot fit 80 columns of a terminal:
#   each row becomes a definition, its first cell the term and the other
#   cells 'Heading: value', one per line.  Narrower tables are kept.
# Code blocks are copied as they are.

function flush(   i, j, n, cells, nh, out) {
	if (!nt)
		return
	nh = split_row(t[1], head)
	if (nh < 5) {
		for (i = 1; i <= nt; i++)
			print t[i]
	} else {
		for (i = 3; i <= nt; i++) {
			n = split_row(t[i], cells)
			print cells[1]
			out = ""
			for (j = 2; j <= n; j++)
				if (cells[j] != "")
					out = out (out == "" ? ": " : "  \n  ") head[j] ": " cells[j]
			print (out == "" ? ": -" : out)
			print ""
		}
	}
	nt = 0
}

# The cells of a table row into a[1..n], trimmed; '\|' is a pipe.
function split_row(row, a,   n, i, s) {
	gsub(/\\\|/, "\001", row)
	sub(/^[ \t]*\|/, "", row)
	sub(/\|[ \t]*$/, "", row)
	n = split(row, a, "|")
	for (i = 1; i <= n; i++) {
		s = a[i]
		gsub(/^[ \t]+|[ \t]+$/, "", s)
		gsub(/\001/, "\\|", s)
		a[i] = s
	}
	return n
}

NR == 1 && /^# / { next }
/^```/ { flush(); fence = !fence; print; next }
fence { print; next }
/^\|/ { t[++nt] = $0; next }
{ flush(); print }
END { flush() }
