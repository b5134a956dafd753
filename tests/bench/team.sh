#!/bin/sh
# tests/bench/team.sh -- 'make bench', the team's part (run by bench.sh
# after its own, or alone): ae sync and ae renumber on a generated book in
# git shared through a bare remote by two clones, each against what a
# team would run with git instead (issue 10, docs/PERFORMANCE.md).
#
#   BENCH_TEAM_RECORDS  records of the book (default 10000)
#   BENCH_TEAM_LINES    journal lines (default 100000)
#   BENCH_RUNS          timed runs of each command (default 5; the median)
#   BENCH_AE            the ae to measure (default: ./ae of this tree)
#
# The book (tests/bench/gen.c), its bare remote and two clones made with
# ae clone are made once into bench-team/ and reused while the parameters
# are unchanged.  Each measurement starts from the same state: the clone
# reset to its commit and its remote-tracking branch to where it was, so
# that every run fetches and merges the same commits.  Figures:
#
#   1. ae sync with nothing to do, against 'git fetch';
#   2. merging 20 records the other clone changed (this clone having a
#      commit of its own, so a true merge): 'ae sync --no-push' against
#      'git pull --no-commit' (hooks off) followed by 'ae check --staged';
#   3. 'ae renumber OLD NEW' in the merge ae sync stopped because both
#      clones made job OLD (target: under 1 s on 10,000 records).
#
# Last measured (docs/PERFORMANCE.md, "The team"; commit 6457f3c, 2 vCPUs
# at load 9-10, medians of 5, CPU user + sys): git fetch 0.019 s, ae sync
# with nothing to do 0.067 s (3.56x; 6.78x before); git pull + ae check
# --staged 0.223 s, ae sync --no-push 0.353 s (1.59x); ae renumber in the
# merge 0.588 s (1.111 s before: target met in CPU; 1.575 s wall at that
# load).  On a loaded machine compare callgrind's counts, not wall times.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
records=${BENCH_TEAM_RECORDS:-10000}
lines=${BENCH_TEAM_LINES:-100000}
runs=${BENCH_RUNS:-5}
ae=${BENCH_AE:-$top/ae}
bin=$top/build/bench
dir=$top/bench-team
CC=${CC:-cc}

. "$top/tests/bench/common.sh"
sum() { cat "$@" | cksum | cut -d' ' -f1; }
params="records=$records lines=$lines gen=$(sum "$top/tests/bench/gen.c") sample=$(sum "$top/sample-data/ae.ini" "$top"/sample-data/calendar/*) setup=1"
newjob() { # clone title: a new job ticket for the book's first client, committed
	client=$(cd "$dir/$1" && find clients -name '*.ini' | sort | head -n 1)
	client=${client##*/}
	"$ae" -C "$dir/$1" new job --no-edit "client=${client%.ini}" "title=$2" work=production \
		'client_due=2026-12-20 10:00' "description=$2：门店物料设计及印刷共三款" >"$dir/new.out" 2>&1 ||
		{ cat "$dir/new.out" >&2; echo "bench: ae new job failed in $1" >&2; exit 1; }
}
if [ -f "$dir/.params" ] && [ "$(cat "$dir/.params")" = "$params" ]; then
	echo "bench: reusing $dir ($records records, $lines journal lines)"
else
	echo "bench: making $dir ($records records, $lines journal lines, a remote, two clones) ..."
	rm -rf "$dir"
	mkdir -p "$dir"
	GEN_SAMPLE="$top/sample-data" "$bin/gen" "$dir/seed" "$records" "$lines" >/dev/null
	(
		cd "$dir/seed"
		sed -i -e '/^\[staff wang.fang\]$/a email = wang.fang@example.com' ae.ini
		git init -q -b main . && git config user.name '李明' && git config user.email li.ming@example.com
		"$ae" init . >/dev/null
		git add -A && git commit -q --no-verify -m 'the bench book'
	)
	git clone -q --bare "$dir/seed" "$dir/remote.git"
	"$ae" clone "file://$dir/remote.git" "$dir/a" >/dev/null 2>&1
	"$ae" clone "file://$dir/remote.git" "$dir/b" >/dev/null 2>&1
	git -C "$dir/a" config user.name '李明' && git -C "$dir/a" config user.email li.ming@example.com
	git -C "$dir/b" config user.name '王芳' && git -C "$dir/b" config user.email wang.fang@example.com
	base=$(git -C "$dir/a" rev-parse HEAD)
	# b changes 20 job tickets, one field each, and pushes
	(
		cd "$dir/b"
		for f in $(find jobs -name '*.ini' ! -name '*-R*' | sort | head -n 20); do
			sed -i 's/^next = .*/next = 王芳的下一步/' "$f"
			grep -q '^next = ' "$f" || printf 'next = 王芳的下一步\n' >>"$f"
		done
		git commit -q --no-verify -am '20 tickets: next' && git push -q origin main
	)
	theirs=$(git -C "$dir/b" rev-parse HEAD)
	# a changed another record meanwhile: a true merge
	f=$(find "$dir/a/jobs" -name '*.ini' ! -name '*-R*' | sort | tail -n 1)
	sed -i 's/^next = .*/next = 李明的下一步/' "$f"
	grep -q '^next = ' "$f" || printf 'next = 李明的下一步\n' >>"$f"
	git -C "$dir/a" commit -q --no-verify -am 'one ticket: next'
	mine=$(git -C "$dir/a" rev-parse HEAD)
	# both make the next job number offline, on a branch 'dup' of each:
	# a merge with a duplicate
	git -C "$dir/b" checkout -q -b dup
	newjob b 王芳的新单 && git -C "$dir/b" push -q origin dup
	git -C "$dir/a" checkout -q -b dup
	git -C "$dir/a" config branch.dup.remote origin
	git -C "$dir/a" config branch.dup.merge refs/heads/dup
	newjob a 李明的新单
	dup=$(git -C "$dir/a" show --format= --name-only HEAD | sed -n 's/^jobs\/\(.*\/\)\{0,1\}\([^/]*\)\.ini$/\2/p')
	mine_dup=$(git -C "$dir/a" rev-parse HEAD)
	theirs_dup=$(git -C "$dir/b" rev-parse HEAD)
	git -C "$dir/a" checkout -q main
	git -C "$dir/a" fetch -q origin
	printf 'base=%s\ntheirs=%s\nmine=%s\ndup=%s\nmine_dup=%s\ntheirs_dup=%s\n' \
		"$base" "$theirs" "$mine" "$dup" "$mine_dup" "$theirs_dup" >"$dir/.states"
	printf '%s\n' "$params" >"$dir/.params"
fi
. "$dir/.states"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$dir/a"
# at BRANCH HEAD UPSTREAM: the branch and its origin/BRANCH where a
# measurement starts
at() {
	git merge --abort >/dev/null 2>&1 || true
	git reset -q --hard
	git checkout -q "$1"
	git reset -q --hard "$2"
	git update-ref "refs/remotes/origin/$1" "$3"
}
field() { name=$1; shift; cat "$@" | tr ' ' '\n' | sed -n "s/^$name=//p"; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# cpu NAME: the median of user + sys (children included) of NAME's runs
cpu() { for f in "$tmp/$1".*; do tr ' ' '\n' <"$f" | sed -n 's/^[us][a-z]*_s=//p' | awk '{s += $1} END {print s}'; done | median; }
fails() { echo "bench: $*" >&2; exit 1; }

# 1. nothing to do: a has everything b pushed, b everything of a
final=$theirs
at main "$final" "$final"
git fetch -q origin; "$ae" sync >/dev/null 2>&1 || fails "ae sync with nothing to do failed"
i=1
while [ "$i" -le "$runs" ]; do
	"$bin/peakrss" -o "$tmp/fetch.$i" git fetch -q origin
	"$bin/peakrss" -o "$tmp/sync0.$i" "$ae" sync >"$tmp/out" 2>&1
	grep -q '^already in sync' "$tmp/out" || fails "ae sync had something to do: $(cat "$tmp/out")"
	i=$((i + 1))
done

# 2. the 20 records b changed, merged into a's commit
i=0
while [ "$i" -le "$runs" ]; do	# run 0 warms up
	at main "$mine" "$base"
	"$bin/peakrss" -o "$tmp/sync20.$i" "$ae" sync --no-push >"$tmp/out" 2>&1 || fails "ae sync --no-push: $(cat "$tmp/out")"
	[ "$(git log -1 --format=%P | wc -w)" = 2 ] || fails "ae sync did not merge"
	[ "$(git rev-parse HEAD^2)" = "$theirs" ] || fails "ae sync merged something else"
	at main "$mine" "$base"
	"$bin/peakrss" -o "$tmp/pull20.$i" sh -c "git -c core.hooksPath=/dev/null pull -q --no-edit --no-commit origin main >/dev/null 2>&1 && '$ae' check --staged -q" ||
		fails "git pull + ae check --staged failed"
	i=$((i + 1))
done
rm -f "$tmp"/sync20.0 "$tmp"/pull20.0

# 3. both made job $dup: ae sync stops, ae renumber moves a's
i=0
while [ "$i" -le "$runs" ]; do
	at dup "$mine_dup" "$theirs"
	"$ae" sync --no-push >"$tmp/out" 2>&1 && fails "ae sync found no duplicate"
	grep -q "both sides of the merge made '$dup'" "$tmp/out" || fails "no duplicate said: $(cat "$tmp/out")"
	new=$("$ae" renumber "$dup" 2>&1 | sed -n "s/^the next free number for $dup is \([^:]*\):.*/\1/p")
	[ -n "$new" ] || fails "no free number suggested"
	"$bin/peakrss" -o "$tmp/ren.$i" "$ae" renumber "$dup" "$new" >"$tmp/out" 2>&1 || fails "ae renumber: $(cat "$tmp/out")"
	[ "$(git log -1 --format=%P | wc -w)" = 2 ] || fails "ae renumber did not conclude the merge"
	i=$((i + 1))
done
rm -f "$tmp"/ren.0
at main "$final" "$final"

awk -v fetch="$(field wall_s "$tmp"/fetch.* | median)" -v s0="$(field wall_s "$tmp"/sync0.* | median)" \
    -v pull="$(field wall_s "$tmp"/pull20.* | median)" -v s20="$(field wall_s "$tmp"/sync20.* | median)" \
    -v ren="$(field wall_s "$tmp"/ren.* | median)" \
    -v cfetch="$(cpu fetch)" -v cs0="$(cpu sync0)" -v cpull="$(cpu pull20)" -v cs20="$(cpu sync20)" \
    -v cren="$(cpu ren)" -v rec="$records" -v lines="$lines" -v runs="$runs" \
    -v load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" -v cpus="$(nproc 2>/dev/null)" 'BEGIN {
	printf "\nthe team on bench-team: %d records, %d journal lines, a bare remote (file://), two clones\n", rec, lines
	printf "medians of %d runs; %s CPUs, load %s (cpu: user + sys, children included)\n\n", runs, cpus, load
	printf "  %-42s %8s %6s  %8s %6s\n", "", "wall", "ratio", "cpu", "ratio"
	printf "  %-42s %7.3fs %6s  %7.3fs %6s\n", "git fetch (nothing new)", fetch, "", cfetch, ""
	printf "  %-42s %7.3fs %5.2fx  %7.3fs %5.2fx\n", "ae sync (nothing to do)", s0, s0 / fetch, cs0, cs0 / cfetch
	printf "  %-42s %7.3fs %6s  %7.3fs %6s\n", "git pull --no-commit + ae check --staged", pull, "", cpull, ""
	printf "  %-42s %7.3fs %5.2fx  %7.3fs %5.2fx\n", "ae sync --no-push (20 records merged)", s20, s20 / pull, cs20, cs20 / cpull
	printf "  %-42s %7.3fs %6s  %7.3fs  target < 1 s: wall %s, cpu %s\n", "ae renumber in ae sync'"'"'s merge", ren, "", cren,
		ren < 1 ? "MET" : "NOT MET", cren < 1 ? "MET" : "NOT MET"
}'
