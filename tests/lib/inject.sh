# tests/lib/inject.sh -- errors of many kinds put into a book (sourced),
# for the cases that compare ae's output across runs that must agree
# (threads, the parse cache): unknown fields, a field before the first
# section, empty records, impossible dates, a byte that is no UTF-8, a
# symbolic link, a file that is no record, journal lines naming nobody
# or with a stray word.
#
# inject DIR: put them into the book at DIR (the record list is kept in
# $HOME/recs)
inject() {
	find "$1" -name '*.ini' ! -path "$1/formats/*" ! -name ae.ini | sort >"$HOME/recs"
	awk 'NR % 37 == 5' "$HOME/recs" | while read -r f; do printf 'unknwn = x\n' >>"$f"; done
	awk 'NR % 53 == 7' "$HOME/recs" | while read -r f; do sed -i '1i early = 1' "$f"; done
	awk 'NR % 101 == 11' "$HOME/recs" | while read -r f; do : >"$f"; done
	awk 'NR % 89 == 13' "$HOME/recs" | while read -r f; do sed -i 's/^\(date[a-z_]* = \).*/\12026-02-30/' "$f"; done
	f=$(awk 'NR == 3' "$HOME/recs")
	printf 'note = \377\n' >>"$f"
	ln -s ../ae.ini "$(dirname "$f")/link.ini"
	echo 'not a record' >"$(dirname "$f")/notes.txt"
	for j in "$1"/journal/*.log; do
		awk '{ if (NR % 7 == 3) sub(/ [a-z]+\.[a-z]+ /, " nobody.here "); if (NR % 11 == 4) $0 = $0 " 额外"; print }' "$j" >"$j.new"
		mv "$j.new" "$j"
	done
}
