#!/bin/sh
# tests/bench/patterns.sh -- the cost of a hostile journal grammar (SEC-2,
# issue 9 item 8); run by 'make bench' after bench.sh's sections, or
# alone: sh tests/bench/patterns.sh.
#
# A copy of the sample book whose formats/journal.ini gives 'call' a
# nested quantifier, (\w+\s?)*, and whose journal holds PATTERN_LINES
# (default 100000) call lines that the pattern cannot match (each ends in
# '!'): on every one of them PCRE2 backtracks exponentially.  Timed: 'ae
# check', 'ae due' and an unrelated 'ae set --no-commit', the median of
# BENCH_RUNS (default 5) runs after one warm-up; the same book with the
# shipped grammar is the baseline.  Target (docs/PERFORMANCE.md): each
# under 2 s.  Missing it is reported, not fatal.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
lines=${PATTERN_LINES:-100000}
runs=${BENCH_RUNS:-5}
ae=${BENCH_AE:-$top/ae}
bin=$top/build/bench
CC=${CC:-cc}

mkdir -p "$bin"
[ -x "$bin/peakrss" ] || $CC -O2 -std=c11 -Wall -Wextra -o "$bin/peakrss" "$top/tests/bench/peakrss.c"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export AE_FORMATS_DIR="$top/formats" AE_NOW='2026-11-26 09:00' LC_ALL=C.UTF-8 NO_COLOR=1

# the books: the same journal under the shipped and the hostile grammar
for b in shipped hostile; do
	cp -R "$top/sample-data" "$tmp/$b"
	rm "$tmp/$b"/journal/*
done
awk -v n="$lines" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "2026-11-%02d %02d:%02d li.ming call SH-202603-COKE-007 确认 本周 排期 确认 本周 排期 确认 本周 排期 确认 本周 排期 确认 本周 排期 确认 本周 排期 第%d次!\n",
			i % 30 + 1, 9 + i % 9, i % 60, i
}' >"$tmp/shipped/journal/2026-11.log"
cp "$tmp/shipped/journal/2026-11.log" "$tmp/hostile/journal/"
mkdir -p "$tmp/hostile/formats"
printf '[verb call]\npattern = ^(?<client>\\S+)(?:\\s+(?<note>(\\w+\\s?)*))?$\n' \
	>"$tmp/hostile/formats/journal.ini"

# time NAME BOOK CMD...: the median wall time of CMD in BOOK
time_of() {
	name=$1 book=$2
	shift 2
	(cd "$book" && "$@" >/dev/null 2>&1) || true	# warm-up; the status is the book's
	i=1
	while [ "$i" -le "$runs" ]; do
		(cd "$book" && "$bin/peakrss" -o "$tmp/$name.$i" "$@" >/dev/null 2>&1) || true
		i=$((i + 1))
	done
	cat "$tmp/$name".* | tr ' ' '\n' | sed -n 's/^wall_s=//p' | sort -g |
		awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

(cd "$tmp/hostile" && "$ae" check >"$tmp/check.out" 2>&1) || true
dropped=$(grep -c 'error: pattern too costly' "$tmp/check.out" || true)
perline=$(grep -c 'too costly for this line' "$tmp/check.out" || true)
printf '\nhostile journal grammar: %d call lines, (\\w+\\s?)* in formats/journal.ini\n' "$lines"
printf '(ae check: %d line(s) reported too costly, the pattern dropped %d time(s))\n\n' "$perline" "$dropped"
printf '  %-40s %10s %10s  %s\n' "wall time, median of $runs" "shipped" "hostile" "target < 2 s"
for c in "check -q" "due" "set --no-commit CS-2611-01 next=bench"; do
	# shellcheck disable=SC2086
	s=$(time_of "s$(echo "$c" | cut -c1-3)" "$tmp/shipped" "$ae" $c)
	# shellcheck disable=SC2086
	h=$(time_of "h$(echo "$c" | cut -c1-3)" "$tmp/hostile" "$ae" $c)
	awk -v c="ae $c" -v s="$s" -v h="$h" 'BEGIN {
		printf "  %-40s %9.3fs %9.3fs  %s\n", c, s, h, h < 2 ? "MET" : "NOT MET" }'
done
