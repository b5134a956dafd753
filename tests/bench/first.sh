#!/bin/sh
# tests/bench/first.sh -- the first commit of a generated book (issue 15,
# goal 5): 'ae init' then 'ae commit' in a copy of the book, against
# 'git init && git add -A && git commit' in another copy, each timed with
# peakrss (CPU user + sys; the wall time is the machine's load's as much
# as ours: the load average is printed beside it).
#
#   BENCH_FIRST_RECORDS  records of the book (default 10000)
#   BENCH_FIRST_LINES    journal lines (default 100000)
#   BENCH_RUNS           runs of each (default 3)
#   BENCH_AE             the ae to measure (default: ./ae of this tree)
#   BENCH_STRACE=1       also 'strace -c -f' one run of each (needs strace)
#
# The book is generated once into bench-first/seed and copied for every
# run (the copy is not timed).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
records=${BENCH_FIRST_RECORDS:-10000}
lines=${BENCH_FIRST_LINES:-100000}
runs=${BENCH_RUNS:-3}
ae=${BENCH_AE:-$top/ae}
bin=$top/build/bench
dir=$top/bench-first
CC=${CC:-cc}

. "$top/tests/bench/common.sh"
export HOME="$dir/home" GIT_CEILING_DIRECTORIES="$dir"
params="records=$records lines=$lines gen=$(cksum <"$top/tests/bench/gen.c" | cut -d' ' -f1)"
if ! [ -f "$dir/.params" ] || [ "$(cat "$dir/.params")" != "$params" ]; then
	echo "bench: making $dir/seed ($records records, $lines journal lines) ..."
	rm -rf "$dir"
	mkdir -p "$dir/home"
	GEN_SAMPLE="$top/sample-data" "$bin/gen" "$dir/seed" "$records" "$lines" >/dev/null
	printf '%s\n' "$params" >"$dir/.params"
fi
mkdir -p "$dir/home"
git config --global user.name '李明'
git config --global user.email li.ming@example.com
git config --global init.defaultBranch main

fresh() { rm -rf "$dir/run" && cp -a "$dir/seed" "$dir/run" && sync; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" "$2"; }
report() { # label file
	printf '%-28s cpu %6.3f s (user %6.3f sys %6.3f)  wall %7.3f s at load %s  peak %s KiB\n' "$1" \
		"$(echo "$(field user_s "$2") + $(field sys_s "$2")" | bc)" "$(field user_s "$2")" \
		"$(field sys_s "$2")" "$(field wall_s "$2")" "$(cut -d' ' -f1 /proc/loadavg)" "$(field maxrss_kib "$2")"
}
for i in $(seq "$runs"); do
	fresh
	(cd "$dir/run" && "$bin/peakrss" -o "$dir/git.time" sh -c \
		'git init -q . && git add -A && git commit -q --no-verify -m "the book"')
	report "git init+add+commit" "$dir/git.time"
	fresh
	(cd "$dir/run" && "$ae" init . >/dev/null &&
		"$bin/peakrss" -o "$dir/ae.time" "$ae" commit -m 'the book' >/dev/null)
	report "ae commit (after ae init)" "$dir/ae.time"
	git -C "$dir/run" count-objects -v | tr '\n' ' ' && echo
done
if [ "${BENCH_STRACE:-}" = 1 ]; then
	fresh
	(cd "$dir/run" && strace -c -f -o "$dir/git.strace" sh -c \
		'git init -q . && git add -A && git commit -q --no-verify -m "the book"')
	fresh
	(cd "$dir/run" && "$ae" init . >/dev/null &&
		strace -c -f -o "$dir/ae.strace" "$ae" commit -m 'the book' >/dev/null)
	echo "strace -c -f: $dir/git.strace $dir/ae.strace"
	head -n 25 "$dir/ae.strace"
fi
