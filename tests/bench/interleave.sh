#!/bin/sh
# tests/bench/interleave.sh -- issue 15's warm and cold figures on a
# machine whose speed drifts (a shared host): each command is timed in
# rounds interleaved with the read of every file (find + cat), and its
# ratio is to the read's median of the same rounds.  Run after
# tests/bench/bench.sh has made bench-book/ (or give BOOK).
#
#   BOOK         the book (default: bench-book/ of this tree); a copy of
#                it is made a git repository, committed once, in
#                bench-interleave/ (for the warm runs: the parse cache
#                lives in .git/ae/)
#   BENCH_RUNS   rounds (default 5)
#   BENCH_AE     the ae to measure (default: ./ae of this tree)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
book=${BOOK:-$top/bench-book}
runs=${BENCH_RUNS:-5}
ae=${BENCH_AE:-$top/ae}
bin=$top/build/bench
CC=${CC:-cc}
repo=$top/bench-interleave

[ -d "$book" ] || { echo "interleave: no $book: run 'make bench' first, or give BOOK" >&2; exit 1; }
. "$top/tests/bench/common.sh"
if [ ! -d "$repo/.git" ]; then
	rm -rf "$repo"
	cp -a "$book" "$repo"
	git -C "$repo" init -q .
	git -C "$repo" add -A
	git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm book
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

med() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
f() { tr ' ' '\n' <"$1" | sed -n "s/^$2=//p"; }
# run NAME CMD...: $runs rounds of (read, CMD) in the repository
run() {
	name=$1
	shift
	i=1
	while [ "$i" -le "$runs" ]; do
		(cd "$repo" && "$bin/peakrss" -o "$tmp/r.$i" sh -c "find . -path ./.git -prune -o -type f ! -name '.*' -exec cat {} + >/dev/null")
		(cd "$repo" && "$bin/peakrss" -o "$tmp/c.$i" "$@" >/dev/null 2>&1) || true
		i=$((i + 1))
	done
	rd=$(for g in "$tmp"/r.*; do f "$g" wall_s; done | med)
	w=$(for g in "$tmp"/c.*; do f "$g" wall_s; done | med)
	c=$(for g in "$tmp"/c.*; do echo "$(f "$g" user_s) $(f "$g" sys_s)"; done | awk '{print $1 + $2}' | med)
	r=$(for g in "$tmp"/c.*; do f "$g" maxrss_kib; done | sort -n | tail -n 1)
	awk -v n="$name" -v w="$w" -v c="$c" -v rd="$rd" -v r="$r" 'BEGIN {
		printf "  %-28s %7.3fs  cpu %7.3fs  read %7.3fs  %5.2fx  %6.0f MiB\n", n, w, c, rd, w / rd, r / 1024
	}'
	rm -f "$tmp"/r.* "$tmp"/c.*
}

echo "interleave: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), ae $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')"
cd "$repo"
"$ae" check -q >/dev/null 2>&1 || true
"$ae" due --format json >/dev/null 2>&1 || true
"$ae" report weekly >/dev/null 2>&1 || true
sleep 1	# no file younger than a second is cached (racy)
"$ae" check -q >/dev/null 2>&1 || true
"$ae" due --format json >/dev/null 2>&1 || true
run "cold check" env AE_CACHE=0 "$ae" check -q
run "cold check, 1 thread" env AE_CACHE=0 "$ae" --threads 1 check -q
run "warm check" "$ae" check -q
run "warm due --format json" "$ae" due --format json
run "warm due (text)" "$ae" due
run "warm report weekly" "$ae" report weekly
# the same with ae watch's monitor (ae-watch(1)): listings kept, only what
# changed stat'ed
"$ae" watch start >/dev/null 2>&1 || echo "  (ae watch did not start)"
"$ae" check -q >/dev/null 2>&1 || true
"$ae" due --format json >/dev/null 2>&1 || true
run "watched warm check" "$ae" check -q
run "watched warm due --format json" "$ae" due --format json
run "watched warm due (text)" "$ae" due
run "watched warm report weekly" "$ae" report weekly
"$ae" watch stop >/dev/null 2>&1 || true
echo "  targets: cold check <= 1.0x the read; warm check, due, report < 150 ms (and <= 0.1x)"
