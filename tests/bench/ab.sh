#!/bin/sh
# tests/bench/ab.sh -- two builds of ae compared on one command, on a
# machine whose speed drifts: A and B alternate, each on its own watched
# copy of the book (so that a build with another parse-cache layout does
# not rewrite the other's), A first in odd rounds and B first in even
# ones; each round's difference B - A is kept, and the report is the
# medians, the mean difference with its standard error, and each stage's
# median from AE_TRACE_PERF.  A difference within two standard errors is
# noise.  Run after tests/bench/bench.sh has made bench-book/ (or give
# BOOK); nothing else should run meanwhile (a test run in the background
# moved figures by 10-15%).
#
#   usage: tests/bench/ab.sh A B COMMAND ARGS...
#          e.g. tests/bench/ab.sh /tmp/ae-old ./ae due --format json
#   BOOK         the book (default: bench-book/ of this tree); copied,
#                made a git repository and committed once, into
#                bench-ab/a and bench-ab/b
#   BENCH_RUNS   rounds (default 20)
set -eu

[ $# -ge 3 ] || { echo "usage: tests/bench/ab.sh A B COMMAND ARGS..." >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
a=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
b=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
shift 2
book=${BOOK:-$top/bench-book}
runs=${BENCH_RUNS:-20}
ae=$a
bin=$top/build/bench
CC=${CC:-cc}

[ -d "$book" ] || { echo "ab: no $book: run 'make bench' first, or give BOOK" >&2; exit 1; }
[ -x "$b" ] || { echo "ab: $b is missing" >&2; exit 1; }
. "$top/tests/bench/common.sh"
for side in a b; do
	repo=$top/bench-ab/$side
	if [ ! -d "$repo/.git" ]; then
		rm -rf "$repo"
		mkdir -p "$top/bench-ab"
		cp -a "$book" "$repo"
		git -C "$repo" init -q .
		git -C "$repo" add -A
		git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm book
	fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# one SIDE BUILD COMMAND...: a timed run, "wall cpu" in ms out, its
# stages appended to $tmp/stages.SIDE
one() {
	side=$1
	build=$2
	shift 2
	(cd "$top/bench-ab/$side" &&
	 AE_TRACE_PERF=1 "$bin/peakrss" -o "$tmp/t" "$build" "$@" 2>>"$tmp/err.$side" >/dev/null) || true
	grep '^ae-perf:' "$tmp/err.$side" >>"$tmp/stages.$side" || true
	: >"$tmp/err.$side"
	tr ' ' '\n' <"$tmp/t" | awk -F= '$1 == "wall_s" {w = $2} $1 == "user_s" {u = $2}
		$1 == "sys_s" {s = $2} END {printf "%.2f %.2f\n", w * 1000, (u + s) * 1000}'
}

echo "ab: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $runs rounds of: $*"
echo "  A $a"
echo "  B $b"
for side in a b; do
	build=$a
	[ "$side" = b ] && build=$b
	(cd "$top/bench-ab/$side" && "$build" watch start >/dev/null 2>&1) || true
	# warm: the parse cache written anew by this build (an old one was
	# slower on this VM, whatever build wrote it: the same build on both
	# copies differed by 10-15 ms until both caches were rewritten), then
	# no file younger than a second
	rm -f "$top/bench-ab/$side/.git/ae/parse-cache"
	(cd "$top/bench-ab/$side" && "$build" "$@" >/dev/null 2>&1; sleep 1; "$build" "$@" >/dev/null 2>&1) || true
done
: >"$tmp/stages.a"
: >"$tmp/stages.b"
i=1
while [ "$i" -le "$runs" ]; do
	if [ $((i % 2)) = 1 ]; then
		ta=$(one a "$a" "$@")
		tb=$(one b "$b" "$@")
	else
		tb=$(one b "$b" "$@")
		ta=$(one a "$a" "$@")
	fi
	echo "$ta $tb" >>"$tmp/rounds"
	i=$((i + 1))
done
awk '{ wa[NR] = $1; ca[NR] = $2; wb[NR] = $3; cb[NR] = $4; d[NR] = $3 - $1; e[NR] = $4 - $2 }
function med(v, n,   i, j, t, w) {
	for (i = 1; i <= n; i++) w[i] = v[i]
	for (i = 2; i <= n; i++) for (j = i; j > 1 && w[j - 1] > w[j]; j--) { t = w[j]; w[j] = w[j - 1]; w[j - 1] = t }
	return (n % 2) ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2
}
function mean(v, n,   i, s) { for (i = 1; i <= n; i++) s += v[i]; return s / n }
function se(v, n,   i, m, s) { m = mean(v, n); for (i = 1; i <= n; i++) s += (v[i] - m) ^ 2; return n > 1 ? sqrt(s / (n - 1) / n) : 0 }
END {
	n = NR
	printf "  wall  A %7.1f ms  B %7.1f ms  B - A %+6.1f ms +- %.1f (mean, standard error)\n", med(wa, n), med(wb, n), mean(d, n), se(d, n)
	printf "  cpu   A %7.1f ms  B %7.1f ms  B - A %+6.1f ms +- %.1f\n", med(ca, n), med(cb, n), mean(e, n), se(e, n)
}' "$tmp/rounds"
echo "  stages (median ms of each, A then B):"
for side in a b; do
	sed -n 's/^ae-perf: \(.*[^ ]\) *+ *\([0-9.]*\) ms .*/\1|\2/p' "$tmp/stages.$side" >"$tmp/st.$side"
done
awk -F'|' 'FNR == 1 { f++ }
	{ if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } v[f, $1, ++c[f, $1]] = $2 }
function med(f, s,   n, i, j, t, w) {
	n = c[f, s]
	for (i = 1; i <= n; i++) w[i] = v[f, s, i]
	for (i = 2; i <= n; i++) for (j = i; j > 1 && w[j - 1] > w[j]; j--) { t = w[j]; w[j] = w[j - 1]; w[j - 1] = t }
	return n ? ((n % 2) ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2) : 0
}
END { for (i = 1; i <= k; i++) printf "    %-22s %7.1f %7.1f\n", order[i], med(1, order[i]), med(2, order[i]) }' "$tmp/st.a" "$tmp/st.b"
