#!/bin/sh
# tests/bench/scale.sh -- the scale table of docs/PERFORMANCE.md (issue 15,
# goal 6): cold 'ae check', warm 'ae due' and peak memory on books of
# 10,000 to 200,000 records (journal lines ten a record), and the same
# machine's 'ledger bal' and 'hledger check' on a 100,000-transaction
# journal.  Run by 'make bench' after bench.sh, or alone.
#
#   BENCH_SCALE   the record counts (default "10000 50000 100000 200000")
#   BENCH_RUNS    timed runs of each command (default 5; the median counts)
#   BENCH_AE      the ae to measure (default: ./ae of this tree)
#
# Each book is generated once per size by tests/bench/gen.c into
# bench-scale/N/ and made a git repository (no commit: the parse cache
# lives in .git/ae/).  Cold: AE_CACHE=0, warm page cache.  Warm: after
# one run that writes the cache (the files are older than that run, so
# none is left out as racy).  Wall time, CPU and peak RSS from peakrss.c.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
sizes=${BENCH_SCALE:-10000 50000 100000 200000}
runs=${BENCH_RUNS:-5}
ae=${BENCH_AE:-$top/ae}
bin=$top/build/bench
CC=${CC:-cc}

[ -x "$ae" ] || { echo "scale: $ae is missing; run 'make' first" >&2; exit 1; }
mkdir -p "$bin"
$CC -O2 -std=c11 -Wall -Wextra -o "$bin/peakrss" "$top/tests/bench/peakrss.c"
$CC -O2 -std=c11 -Wall -Wextra -Wno-format-truncation \
	-DGEN_SAMPLE_DIR="\"$top/sample-data\"" -o "$bin/gen" "$top/tests/bench/gen.c"
export AE_FORMATS_DIR="$top/formats" AE_NOW='2026-11-26 09:00' LC_ALL=C.UTF-8 NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
field() { name=$1; shift; cat "$@" | tr ' ' '\n' | sed -n "s/^$name=//p"; }

# timed NAME CMD...: $runs runs into $tmp/NAME.*
timed() {
	name=$1
	shift
	i=1
	while [ "$i" -le "$runs" ]; do
		"$bin/peakrss" -o "$tmp/$name.$i" "$@" >/dev/null 2>&1 || true
		i=$((i + 1))
	done
}
wall() { field wall_s "$tmp/$1".* | median; }
cpu() { for f in "$tmp/$1".*; do tr ' ' '\n' <"$f" | sed -n 's/^[us][a-z]*_s=//p' | awk '{s += $1} END {print s}'; done | median; }
rss() { field maxrss_kib "$tmp/$1".* | sort -n | tail -n 1; }

echo
echo "scale: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), ae $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')"
printf '\n  %8s %9s %8s | %8s %8s %8s | %8s %8s | %8s %8s %6s %8s | %8s %7s\n' \
	records files MiB "read" "check 1t" "check" "cpu 1t" "cpu" "warm chk" "warm due" "ratio" "due cpu" "RSS MiB" "B/rec"
for n in $sizes; do
	book=$top/bench-scale/$n
	lines=$((n * 10))
	params="records=$n lines=$lines gen=$(cksum <"$top/tests/bench/gen.c" | cut -d' ' -f1)"
	if [ ! -f "$book/.gen-params" ] || [ "$(cat "$book/.gen-params")" != "$params" ]; then
		rm -rf "$book"
		mkdir -p "$top/bench-scale"
		GEN_SAMPLE="$top/sample-data" "$bin/gen" "$book" "$n" "$lines" >/dev/null
		git -C "$book" init -q .
		printf '%s\n' "$params" >"$book/.gen-params"
	fi
	files=$(find "$book" -path "$book/.git" -prune -o -type f ! -name '.*' -print | wc -l)
	mib=$(find "$book" -path "$book/.git" -prune -o -type f ! -name '.*' -printf '%s\n' | awk '{s += $1} END {printf "%.1f", s / 1048576}')
	cd "$book"
	find . -path ./.git -prune -o -type f ! -name '.*' -exec cat {} + >/dev/null
	timed read sh -c "find . -path ./.git -prune -o -type f ! -name '.*' -exec cat {} + >/dev/null"
	AE_CACHE=0 "$ae" check -q >/dev/null 2>&1 || { echo "scale: ae check fails on $book" >&2; exit 1; }
	timed cold1 env AE_CACHE=0 "$ae" --threads 1 check -q
	timed cold env AE_CACHE=0 "$ae" check -q
	"$ae" due --format json >/dev/null 2>&1	# writes the cache, with the journal's entries
	"$ae" check -q >/dev/null 2>&1
	timed warmc "$ae" check -q
	timed warmd "$ae" due --format json
	cd "$top"
	awk -v n="$n" -v files="$files" -v mib="$mib" -v rd="$(wall read)" -v c1="$(wall cold1)" \
	    -v c="$(wall cold)" -v u1="$(cpu cold1)" -v u="$(cpu cold)" -v wc="$(wall warmc)" \
	    -v wd="$(wall warmd)" -v ud="$(cpu warmd)" -v rss="$(rss cold)" 'BEGIN {
		printf "  %8d %9d %8s | %7.3fs %7.3fs %7.3fs | %7.3fs %7.3fs | %7.3fs %7.3fs %5.2fx %7.3fs | %8.1f %7.0f\n",
			n, files, mib, rd, c1, c, u1, u, wc, wd, wd / rd, ud, rss / 1024, rss * 1024 / n
	}'
done
cat <<'EOT'

  read: find + cat of every file; check 1t: cold 'ae --threads 1 check -q';
  check: cold 'ae check -q' on every CPU (AE_CACHE=0); cpu: their user +
  sys; warm chk / warm due: with the parse cache; ratio: warm due / read;
  due cpu: the warm due's user + sys;
  RSS: peak of the cold check, and per record.
EOT

# -- ledger and hledger on 100,000 transactions, for readers who know them
if command -v ledger >/dev/null 2>&1 || command -v hledger >/dev/null 2>&1; then
	j=$top/bench-scale/ledger-100k.journal
	if [ ! -f "$j" ]; then
		mkdir -p "$top/bench-scale"
		awk 'BEGIN {
			for (i = 0; i < 100000; i++) {
				day = i % 28 + 1; mon = int(i / 28) % 12 + 1; yr = 2017 + int(i / 336)
				printf "%04d-%02d-%02d 客户 %d 的费用\n", yr, mon, day, i % 2000
				printf "    Expenses:Clients:C%04d:%s    %d.%02d CNY\n", i % 2000, (i % 3 ? "Taxi" : "Meals"), 10 + i % 900, i % 100
				printf "    Assets:Advances:S%03d\n\n", i % 105
			}
		}' >"$j"
	fi
	echo
	echo "ledger and hledger on $(grep -c '^[0-9]' "$j") transactions ($(du -m "$j" | cut -f1) MiB), same machine, same run:"
	if command -v ledger >/dev/null 2>&1; then
		ledger -f "$j" bal >/dev/null
		timed ledger ledger -f "$j" bal
		echo "  ledger bal       $(wall ledger)s  RSS $(rss ledger) KiB  ($(ledger --version | head -n 1))"
	fi
	if command -v hledger >/dev/null 2>&1; then
		hledger -f "$j" check >/dev/null
		timed hledger hledger -f "$j" check
		echo "  hledger check    $(wall hledger)s  RSS $(rss hledger) KiB  (hledger $(hledger --version | cut -d' ' -f2 | tr -d ,))"
	fi
fi
