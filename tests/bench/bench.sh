#!/bin/sh
# tests/bench/bench.sh -- 'make bench': how long 'ae check' takes on a big
# book against simply reading every file of it, and how much memory it needs;
# then the other commands, the git store, and the team (tests/bench/team.sh).
#
#   BENCH_RECORDS  records in the synthetic book (default 100000)
#   BENCH_LINES    journal lines (default 1000000)
#   BENCH_RUNS     timed runs of each command (default 5; the median counts)
#   BENCH_AE       the ae to measure (default: ./ae of this tree)
#
# The book is generated once by tests/bench/gen.c into bench-book/ at the
# project root and reused while its parameters (sizes, gen.c, the sample
# ae.ini and calendar it copies) are unchanged.  Caches are not dropped:
# each command runs once untimed to warm them, so the figures are for a
# warm page cache.  The baseline is
#     find bench-book -type f ! -name '.*' -exec cat {} + >/dev/null
# i.e. walking the tree and read(2)ing every file (GNU cat reads in 128 KiB
# blocks and writes to /dev/null).  Wall time and peak RSS come from
# tests/bench/peakrss.c (fork, exec, wait4), as GNU time may be absent.
# Targets (docs/PERFORMANCE.md): ae check within 1x the read time (on
# every core; also timed on one), under 1 KiB of peak memory per record,
# and with the parse cache warm ae check, due and report within 0.1x.  Missing a target is reported, not
# fatal; 'ae check' failing (exit status not 0) is.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
records=${BENCH_RECORDS:-100000}
lines=${BENCH_LINES:-1000000}
runs=${BENCH_RUNS:-5}
book=$top/bench-book
bin=$top/build/bench
ae=${BENCH_AE:-$top/ae}
CC=${CC:-cc}

[ -x "$ae" ] || { echo "bench: $ae is missing; run 'make' first" >&2; exit 1; }
mkdir -p "$bin"

# -- tools
$CC -O2 -std=c11 -Wall -Wextra -o "$bin/peakrss" "$top/tests/bench/peakrss.c"
$CC -O2 -std=c11 -Wall -Wextra -Wno-format-truncation \
	-DGEN_SAMPLE_DIR="\"$top/sample-data\"" -o "$bin/gen" "$top/tests/bench/gen.c"

# -- the book, generated once per set of parameters
sum() { cat "$@" | cksum | cut -d' ' -f1; }
params="records=$records lines=$lines gen=$(sum "$top/tests/bench/gen.c") sample=$(sum "$top/sample-data/ae.ini" "$top"/sample-data/calendar/*)"
if [ -f "$book/.gen-params" ] && [ "$(cat "$book/.gen-params")" = "$params" ]; then
	echo "bench: reusing $book ($records records, $lines journal lines)"
else
	echo "bench: generating $book ($records records, $lines journal lines) ..."
	rm -rf "$book"
	GEN_SAMPLE="$top/sample-data" "$bin/gen" "$book" "$records" "$lines"
	printf '%s\n' "$params" >"$book/.gen-params"
fi
nfiles=$(find "$book" -type f ! -name '.*' | wc -l)
nbytes=$(find "$book" -type f ! -name '.*' -printf '%s\n' | awk '{s += $1} END {print s}')

# -- ae check must pass; this is also its warm-up run
export AE_FORMATS_DIR="$top/formats" AE_NOW='2026-11-26 09:00' LC_ALL=C.UTF-8 NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! "$ae" -C "$book" check >"$tmp/check.out" 2>&1; then
	echo "bench: 'ae -C bench-book check' failed; the first 20 lines:" >&2
	head -n 20 "$tmp/check.out" >&2
	exit 1
fi

# -- warm up the baseline, then time both
cd "$top"
readall() { find bench-book -type f ! -name '.*' -exec cat {} + >/dev/null; }
readall
i=1
while [ "$i" -le "$runs" ]; do
	"$bin/peakrss" -o "$tmp/cat.$i" sh -c "find bench-book -type f ! -name '.*' -exec cat {} + >/dev/null"
	"$bin/peakrss" -o "$tmp/ae1.$i" "$ae" -C "$book" --threads 1 check -q >/dev/null 2>&1 || true
	if ! "$bin/peakrss" -o "$tmp/ae.$i" "$ae" -C "$book" check -q >"$tmp/check.out" 2>&1; then
		echo "bench: 'ae check' failed on run $i; the first 20 lines:" >&2
		head -n 20 "$tmp/check.out" >&2
		exit 1
	fi
	i=$((i + 1))
done

# field NAME FILES...: the values of NAME=, one a line
field() { name=$1; shift; cat "$@" | tr ' ' '\n' | sed -n "s/^$name=//p"; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
minmax() { sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.3f  %.3f", lo, hi}'; }

# cpu NAME: user + sys of each run
cpu() { for f in "$tmp/$1".*; do tr ' ' '\n' <"$f" | sed -n 's/^[us][a-z]*_s=//p' | awk '{s += $1} END {print s}'; done; }

ae1_med=$(field wall_s "$tmp"/ae1.* | median)
ae1_cpu=$(cpu ae1 | median)
cat_med=$(field wall_s "$tmp"/cat.* | median)
ae_med=$(field wall_s "$tmp"/ae.* | median)
cat_mm=$(field wall_s "$tmp"/cat.* | minmax)
ae_mm=$(field wall_s "$tmp"/ae.* | minmax)
cat_cpu=$(cpu cat | median)
ae_cpu=$(cpu ae | median)
ae_user=$(field user_s "$tmp"/ae.* | median)
ae_sys=$(field sys_s "$tmp"/ae.* | median)
rss=$(field maxrss_kib "$tmp"/ae.* | sort -n | tail -n 1)

awk -v cat="$cat_med" -v ae="$ae_med" -v catmm="$cat_mm" -v aemm="$ae_mm" \
    -v catcpu="$cat_cpu" -v aecpu="$ae_cpu" -v aeuser="$ae_user" -v aesys="$ae_sys" \
    -v rss="$rss" -v rec="$records" -v lines="$lines" -v runs="$runs" \
    -v ae1="$ae1_med" -v ae1cpu="$ae1_cpu" \
    -v files="$nfiles" -v bytes="$nbytes" -v load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" \
    -v cpus="$(nproc 2>/dev/null)" 'BEGIN {
	ratio = ae / cat
	per_rec = rss * 1024 / rec
	per_all = rss * 1024 / (rec + lines)
	printf "\nae check on bench-book: %d records, %d journal lines; %d files, %.1f MiB\n",
		rec, lines, files, bytes / 1048576
	printf "warm page cache; %d timed runs of each after one warm-up run; %s CPUs, load %s\n\n",
		runs, cpus, load
	printf "  %-30s %9s  %13s  %9s\n", "wall time", "median", "min    max", "cpu med"
	printf "  %-30s %8.3fs  %13s  %8.3fs\n", "read all files (find + cat)", cat, catmm, catcpu
	printf "  %-30s %8.3fs  %13s  %8.3fs  (user %.3f, sys %.3f)\n", "ae check -q", ae, aemm,
		aecpu, aeuser, aesys
	printf "  %-30s %8.3fs  %13s  %8.3fs\n", "ae --threads 1 check -q", ae1, "", ae1cpu
	printf "  %-30s %8.2fx  %-13s  %8.2fx  %s\n", "ratio ae check / read", ratio,
		"target <= 1x", aecpu / catcpu, ratio <= 1 ? "MET" : "NOT MET"
	printf "  %-30s %8.2fx\n", "speed-up of the threads", ae1 / ae
	printf "\n  %-30s %8.1f MiB (largest of the runs)\n", "peak RSS of ae check", rss / 1024
	printf "  %-30s %8.0f B     target < 1024 B  %s\n", "  per record", per_rec,
		per_rec < 1024 ? "MET" : "NOT MET"
	printf "  %-30s %8.0f B\n", "  per record + journal line", per_all
}'

# -- ae report weekly: the whole department's weekly report (DUE-3) on the
# same book, against ae check above.  Target (docs/PERFORMANCE.md, '## ae
# report weekly'): within 1.5x the wall time of ae check.  One untimed
# warm-up run, then $runs timed runs; the report must exit 0.
if ! "$ae" -C "$book" report weekly >"$tmp/weekly.out" 2>"$tmp/weekly.err"; then
	echo "bench: 'ae -C bench-book report weekly' failed; the first 20 lines:" >&2
	head -n 20 "$tmp/weekly.err" >&2
	exit 1
fi
i=1
while [ "$i" -le "$runs" ]; do
	if ! "$bin/peakrss" -o "$tmp/wk.$i" "$ae" -C "$book" report weekly >"$tmp/weekly.out" 2>"$tmp/weekly.err"; then
		echo "bench: 'ae report weekly' failed on run $i; the first 20 lines:" >&2
		head -n 20 "$tmp/weekly.err" >&2
		exit 1
	fi
	i=$((i + 1))
done
wk_med=$(field wall_s "$tmp"/wk.* | median)
wk_mm=$(field wall_s "$tmp"/wk.* | minmax)
wk_cpu=$(cpu wk | median)
wk_rss=$(field maxrss_kib "$tmp"/wk.* | sort -n | tail -n 1)
wk_clients=$(grep -c '^-' "$tmp/weekly.out" || true)
wk_lines=$(wc -l <"$tmp/weekly.out")
awk -v ae="$ae_med" -v aecpu="$ae_cpu" -v wk="$wk_med" -v wkmm="$wk_mm" -v wkcpu="$wk_cpu" \
    -v rss="$wk_rss" -v clients="$wk_clients" -v lines="$wk_lines" 'BEGIN {
	ratio = wk / ae
	printf "\nae report weekly on bench-book: %d client sections, %d lines of text\n\n", clients, lines
	printf "  %-30s %9s  %13s  %9s\n", "wall time", "median", "min    max", "cpu med"
	printf "  %-30s %8.3fs  %13s  %8.3fs\n", "ae report weekly", wk, wkmm, wkcpu
	printf "  %-30s %8.2fx  %-13s  %8.2fx  %s\n", "ratio report / ae check", ratio,
		"target <= 1.5x", wkcpu / aecpu, ratio <= 1.5 ? "MET" : "NOT MET"
	printf "  %-30s %8.1f MiB (largest of the runs)\n", "peak RSS of ae report weekly", rss / 1024
}'

# -- ae due: every deadline of the department on the same book.  Target
# (docs/PERFORMANCE.md, '## ae due'): within 1.3x the wall time of ae check.
"$ae" -C "$book" due >/dev/null 2>&1 || { echo "bench: 'ae due' failed" >&2; exit 1; }
i=1
while [ "$i" -le "$runs" ]; do
	"$bin/peakrss" -o "$tmp/due.$i" "$ae" -C "$book" due --format json >"$tmp/due.out" 2>/dev/null
	i=$((i + 1))
done
due_med=$(field wall_s "$tmp"/due.* | median)
due_mm=$(field wall_s "$tmp"/due.* | minmax)
due_cpu=$(cpu due | median)
due_rss=$(field maxrss_kib "$tmp"/due.* | sort -n | tail -n 1)
due_items=$(grep -c '"state"' "$tmp/due.out" || true)
awk -v ae="$ae_med" -v aecpu="$ae_cpu" -v d="$due_med" -v dmm="$due_mm" -v dcpu="$due_cpu" \
    -v rss="$due_rss" -v items="$due_items" 'BEGIN {
	printf "\nae due on bench-book: %d items\n\n", items
	printf "  %-30s %8.3fs  %13s  %8.3fs\n", "ae due --format json", d, dmm, dcpu
	printf "  %-30s %8.2fx  %-13s  %8.2fx  %s\n", "ratio due / ae check", d / ae,
		"target <= 1.3x", dcpu / aecpu, d / ae <= 1.3 ? "MET" : "NOT MET"
	printf "  %-30s %8.1f MiB\n", "peak RSS of ae due", rss / 1024
}'

# -- the git store: a repository of the bench book, made once (bench-repo/).
# ae commit of one changed record against 'git add f && git commit'; ae
# check --staged of that change against a full ae check (targets: not
# slower; at most a tenth).  Then ae log against git log on a history of
# BENCH_COMMITS commits (default 5000) made with git fast-import.
repo=$top/bench-repo
commits=${BENCH_COMMITS:-5000}
if [ ! -f "$repo/.bench-params" ] || [ "$(cat "$repo/.bench-params")" != "$params commits=$commits attrs=ae-drivers" ]; then
	echo "bench: making $repo (a copy of the book in git, $commits commits of history) ..."
	rm -rf "$repo"
	cp -R "$book" "$repo"
	rm -f "$repo/.gen-params"
	(
		cd "$repo"
		git init -q -b main . && git config user.name '李明' && git config user.email li.ming@example.com
		git config gc.auto 0
		# the attributes ae init writes: ae's merge drivers, never merge=union
		# (which would bring deleted journal lines back); no hooks, so
		# that 'git commit' below is git's alone
		printf '*.ini text eol=lf merge=ae-record\njournal/**/*.log text eol=lf merge=ae-journal\n' > .gitattributes
		git add -A && git commit -qm 'the bench book'
		# history: each commit adds a comment line to one of 200 jobs;
		# half carry ae's Record: trailer, half are plain commits
		jobs=$(find jobs -name '*.ini' | head -n 200)
		base=$(git rev-parse HEAD)
		LC_ALL=C awk -v n="$commits" -v jobs="$jobs" -v base="$base" 'BEGIN {
			nj = split(jobs, j, "\n")
			for (k = 1; k <= nj; k++) {
				text[k] = ""
				while ((getline l < j[k]) > 0)
					text[k] = text[k] l "\n"
				close(j[k])
			}
			for (i = 1; i <= n; i++) {
				k = (i % nj) + 1
				p = j[k]
				msg = (i % 2) ? sprintf("job: next changed %d\n\nRecord: %s\n", i, p) : sprintf("plain commit %d\n", i)
				printf "commit refs/heads/main\ncommitter 李明 <li.ming@example.com> %d +0800\n", 1780000000 + i
				printf "data %d\n%s", length(msg), msg
				if (i == 1) printf "from %s\n", base
				text[k] = text[k] sprintf("; history %d\n", i)
				printf "M 100644 inline %s\ndata %d\n%s\n", p, length(text[k]), text[k]
			}
		}' | git fast-import --quiet
		git checkout -q -f main
		# packed, as a repository in use is after git's automatic gc
		git gc -q
	)
	printf '%s\n' "$params commits=$commits attrs=ae-drivers" >"$repo/.bench-params"
fi
cd "$repo"
# every file and git's own read back into memory before each timed part:
# a host that pages out what was idle for a minute (DAMON's pageout, on
# the machine of docs/PERFORMANCE.md's fifth session) would otherwise
# time the disk -- git and ae in turn, whichever read a file first
warm() { find . -type f -exec cat {} + >/dev/null 2>&1 || true; }
warm
# git log of one record before ae has written the changed-path filters
# (git gc's graph has none; a repository made before this bench's first
# run of ae commit): the baseline of goal 4
rm -rf .git/objects/info/commit-graph .git/objects/info/commit-graphs
git commit-graph write --reachable --no-progress
p=$(git log -1 --format= --name-only HEAD~"$((runs * 3 + 10))" -- jobs | head -n 1)
git log --oneline -- "$p" >/dev/null
i=1
while [ "$i" -le "$runs" ]; do
	"$bin/peakrss" -o "$tmp/g0.$i" sh -c "git log --format='%h %an %s' -- '$p' >/dev/null"
	i=$((i + 1))
done
f=$(find jobs -name '*.ini' | sort | tail -n 1)
stamp=0
edit() { stamp=$((stamp + 1)); sed -i "s/^next = .*/next = bench $stamp/" "$f"; grep -q '^next = ' "$f" || printf 'next = bench %d\n' "$stamp" >> "$f"; }
i=1
warm
while [ "$i" -le "$runs" ]; do
	edit; "$bin/peakrss" -o "$tmp/gc.$i" sh -c "git add '$f' && git commit -qm 'bench $i'" >/dev/null
	edit; "$bin/peakrss" -o "$tmp/ac.$i" "$ae" commit --as li.ming "$f" >/dev/null 2>&1
	edit; "$bin/peakrss" -o "$tmp/aa.$i" "$ae" commit --as li.ming >/dev/null 2>&1
	edit; git add "$f"
	"$bin/peakrss" -o "$tmp/st.$i" "$ae" check --staged -q >/dev/null 2>&1
	git commit -qm "staged $i"
	i=$((i + 1))
done
warm
"$ae" check -q >/dev/null 2>&1 || true	# warm the repository's copy of the files
"$bin/peakrss" -o "$tmp/full.1" env AE_CACHE=0 "$ae" check -q >/dev/null 2>&1 || true
# the parse cache (.git/ae/parse-cache): written by one run of each, then warm
sleep 1
"$ae" due --format json >/dev/null 2>&1 || true
"$ae" report weekly >/dev/null 2>&1 || true
i=1
while [ "$i" -le "$runs" ]; do
	"$bin/peakrss" -o "$tmp/cc.$i" env AE_CACHE=0 "$ae" check -q >/dev/null 2>&1 || true
	"$bin/peakrss" -o "$tmp/wc.$i" "$ae" check -q >/dev/null 2>&1 || true
	"$bin/peakrss" -o "$tmp/cd.$i" env AE_CACHE=0 "$ae" due --format json >/dev/null 2>&1 || true
	"$bin/peakrss" -o "$tmp/wd.$i" "$ae" due --format json >/dev/null 2>&1 || true
	"$bin/peakrss" -o "$tmp/ww.$i" "$ae" report weekly >/dev/null 2>&1 || true
	i=$((i + 1))
done
# ae's commits above had git write the graph with its filters (64
# commits or more behind HEAD, or none: commitgraph.h)
# (the first run of each round without the log cache, .git/ae/log-cache:
# every commit the filters cannot rule out read from its trees; then
# again, answered from what that run kept)
"$ae" log "$p" >/dev/null 2>&1; git log --oneline -- "$p" >/dev/null
i=1
while [ "$i" -le "$runs" ]; do
	"$bin/peakrss" -o "$tmp/gl.$i" sh -c "git log --format='%h %an %s' -- '$p' >/dev/null"
	rm -f .git/ae/log-cache
	"$bin/peakrss" -o "$tmp/a1.$i" sh -c "'$ae' log '$p' >/dev/null"
	"$bin/peakrss" -o "$tmp/al.$i" sh -c "'$ae' log '$p' >/dev/null"
	i=$((i + 1))
done
cd "$top"
awk -v gc="$(field wall_s "$tmp"/gc.* | median)" -v ac="$(field wall_s "$tmp"/ac.* | median)" \
    -v aa="$(field wall_s "$tmp"/aa.* | median)" -v st="$(field wall_s "$tmp"/st.* | median)" \
    -v full="$(field wall_s "$tmp"/full.1)" -v gl="$(field wall_s "$tmp"/gl.* | median)" \
    -v al="$(field wall_s "$tmp"/al.* | median)" -v commits="$commits" \
    -v a1="$(field wall_s "$tmp"/a1.* | median)" \
    -v g0="$(field wall_s "$tmp"/g0.* | median)" \
    -v cc="$(field wall_s "$tmp"/cc.* | median)" -v wc="$(field wall_s "$tmp"/wc.* | median)" \
    -v cd="$(field wall_s "$tmp"/cd.* | median)" -v wd="$(field wall_s "$tmp"/wd.* | median)" \
    -v ww="$(field wall_s "$tmp"/ww.* | median)" -v rd="$cat_med" 'BEGIN {
	printf "\nthe git store on bench-repo (the bench book in git, %d commits of history)\n\n", commits
	printf "  %-34s %8.3fs\n", "git add f && git commit", gc
	printf "  %-34s %8.3fs  %5.2fx  target <= 0.6x %s\n", "ae commit f (one record)", ac, ac / gc, ac <= gc * 0.6 ? "MET" : "NOT MET"
	printf "  %-34s %8.3fs  %5.2fx  (finds the change itself)\n", "ae commit (no path)", aa, aa / gc
	printf "  %-34s %8.3fs\n", "ae check (full, in the repo)", full
	printf "  %-34s %8.3fs  %5.2fx  target <= 0.1x %s\n", "ae check --staged (one record)", st, st / full, st <= full / 10 ? "MET" : "NOT MET"
	printf "  %-34s %8.3fs  %5.2fx  target < 50 ms %s\n", "  (absolute)", st, st / full, st < 0.05 ? "MET" : "NOT MET"
	printf "  %-34s %8.3fs\n", "git log -- path, no filters", g0
	printf "  %-34s %8.3fs\n", "git log -- path, graph by ae", gl
	printf "  %-34s %8.3fs  %5.2fx  (no log cache yet)\n", "ae log RECORD, first run", a1, a1 / g0
	printf "  %-34s %8.3fs  %5.2fx  target <= 0.5x %s\n", "ae log RECORD, graph by ae", al, al / g0, al <= g0 / 2 ? "MET" : "NOT MET"
	printf "  %-34s %8.3fs  %5.2fx  (to git log with the same graph)\n", "", al, al / gl
	printf "\nthe parse cache on bench-repo (cold: AE_CACHE=0; ratios to the read of bench-book)\n\n"
	printf "  %-34s %8.3fs  %5.2fx\n", "ae check -q, cold", cc, cc / rd
	printf "  %-34s %8.3fs  %5.2fx  target <= 0.1x %s\n", "ae check -q, warm", wc, wc / rd, wc <= rd / 10 ? "MET" : "NOT MET"
	printf "  %-34s %8.3fs  %5.2fx\n", "ae due --format json, cold", cd, cd / rd
	printf "  %-34s %8.3fs  %5.2fx  target <= 0.1x %s\n", "ae due --format json, warm", wd, wd / rd, wd <= rd / 10 ? "MET" : "NOT MET"
	printf "  %-34s %8.3fs  %5.2fx  target <= 0.1x %s\n", "ae report weekly, warm", ww, ww / rd, ww <= rd / 10 ? "MET" : "NOT MET"
	printf "  %-34s %8.3fs  %5.2fx  target < 150 ms %s\n", "  (absolute) check, warm", wc, wc / rd, wc < 0.15 ? "MET" : "NOT MET"
	printf "  %-34s %8.3fs  %5.2fx  target < 150 ms %s\n", "  (absolute) due, warm", wd, wd / rd, wd < 0.15 ? "MET" : "NOT MET"
	printf "  %-34s %8.3fs  %5.2fx  target < 150 ms %s\n", "  (absolute) report weekly, warm", ww, ww / rd, ww < 0.15 ? "MET" : "NOT MET"
}'

# -- the cost of a hostile journal grammar (SEC-2): its own script
sh "$top/tests/bench/patterns.sh"

# -- the scale table (issue 15, goal 6): its own script
sh "$top/tests/bench/scale.sh"

# -- issue 15's cold and warm figures, each interleaved with the read
# (a shared host's speed drifts): its own script
sh "$top/tests/bench/interleave.sh"

# -- the team: ae sync and ae renumber (tests/bench/team.sh)
sh "$top/tests/bench/team.sh"
