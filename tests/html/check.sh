#!/bin/sh
# tests/html/check.sh -- 'make html-check': render the HTML reports in a
# real headless browser and check that they print on A4.
#
# For each report (the weekly report in Chinese and English, its client
# editions in Chinese and English, the roster, the tally, the expenses)
# it writes build/html-check/<name>.html from sample-data, takes a
# screenshot at A4's size in CSS pixels (794 x 1123) and prints it to
# PDF, then checks that the PNG is a non-empty PNG and that every page of
# the PDF is A4 (595 x 842 points).  Look at the PNGs yourself: the check
# cannot tell whether Chinese text has a font.  The Chinese client
# edition's screenshot is copied to docs/images/weekly-client.png, the
# one the manual shows.  That tables fit their page is measured by the
# test case report/html-fits-a4 ('make check').
#
# Needs Debian's chromium and a CJK font, installed with
#     apt-get install chromium fonts-noto-cjk
# (CHROMIUM names another browser binary).  Without a browser it says so
# and exits 1; nothing is installed or downloaded.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/html-check
browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
	for b in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
		[ -x "$b" ] && { browser=$b; break; }
	done
fi
if [ -z "$browser" ]; then
	echo "html-check: no chromium; install it with: apt-get install chromium fonts-noto-cjk" >&2
	exit 1
fi
[ -x "$top/ae" ] || { echo "html-check: run 'make' first" >&2; exit 1; }
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT INT TERM

chrome() {
	"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --hide-scrollbars \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" "$@" >"$out/chromium.log" 2>&1
}

fail=0
for spec in "weekly-zh weekly --lang zh" "weekly-en weekly --lang en" \
	    "weekly-client-zh weekly --client SH-202603-COKE-007" \
	    "weekly-client-en weekly --client SH-202607-BAIYI-012" \
	    "roster-zh roster --lang zh" "tally-en tally --lang en" "expenses-en expenses --lang en"; do
	set -- $spec
	name=$1
	shift
	html=$out/$name.html
	AE_FORMATS_DIR=$top/formats "$top/ae" -C "$top/sample-data" --now '2026-11-26 09:00' \
		report "$@" --format html >"$html"
	rm -f "$out/$name.png" "$out/$name.pdf"
	chrome --window-size=794,1123 --screenshot="$out/$name.png" "file://$html" || true
	chrome --no-pdf-header-footer --print-to-pdf="$out/$name.pdf" "file://$html" || true
	# a PNG starts with \211PNG and this one is more than a blank page
	if [ ! -s "$out/$name.png" ] ||
	   [ "$(head -c 4 "$out/$name.png" | od -An -tx1 | tr -d ' \n')" != 89504e47 ] ||
	   [ "$(wc -c <"$out/$name.png")" -lt 20000 ]; then
		echo "html-check: $name: no screenshot (see $out/chromium.log)"
		fail=1
	fi
	if [ ! -s "$out/$name.pdf" ]; then
		echo "html-check: $name: no PDF (see $out/chromium.log)"
		fail=1
		continue
	fi
	pages=$(grep -a -o '/MediaBox \[[^]]*\]' "$out/$name.pdf" | wc -l)
	a4=$(grep -a -o '/MediaBox \[0 0 59[45]\.[0-9]* 841\.[0-9]*\]' "$out/$name.pdf" | wc -l)
	if [ "$pages" -eq 0 ] || [ "$pages" != "$a4" ]; then
		echo "html-check: $name: $a4 of $pages pages are A4"
		fail=1
	else
		echo "html-check: $name: $pages A4 page(s); $out/$name.png, $out/$name.pdf"
	fi
done
if [ $fail = 0 ]; then
	mkdir -p "$top/docs/images"
	cp "$out/weekly-client-zh.png" "$top/docs/images/weekly-client.png"
	echo "html-check: docs/images/weekly-client.png updated"
fi
exit $fail
