#!/bin/sh
# tests/fuzz/run.sh -- 'make fuzz-run': run every libFuzzer target of
# build.sh (built first by 'make fuzz') and print its figures.
#
#   FUZZ_SECONDS=N   each target runs at most N seconds (default 60 when
#                    FUZZ_RUNS is not given)
#   FUZZ_RUNS=N      each target runs at most N executions (with
#                    FUZZ_SECONDS too, whichever comes first:
#                    FUZZ_RUNS=10000000 FUZZ_SECONDS=3600 is the long run)
#   FUZZ_TARGETS     the targets to run (default: all of build.sh)
#
# One after the other, each with its seeds (tests/fuzz/corpus_T, read
# only), the inputs of its past findings (tests/fuzz/regress_T, each
# fixed, with a test in make check too), its corpus so far
# (fuzz-build/corpus_T, which grows from run to run, and is the only
# folder written to), its dictionary tests/fuzz/T.dict, -timeout=25 (an input that
# takes longer is a finding: a hang), -rss_limit_mb=2048.  The log of
# each is fuzz-build/T.log, a finding fuzz-build/T-crash-... (or leak-,
# timeout-, oom-).  Prints a Markdown table, one row per target:
# executions, seconds, rate, coverage (cov: edges, ft: features) and the
# corpus at the end, and whether anything was found; exits 1 if anything
# was.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
out="$top/fuzz-build"
targets=${FUZZ_TARGETS:-"ini record journal aeini format calendar edit cache book logcache listing"}
runs=${FUZZ_RUNS:-}
secs=${FUZZ_SECONDS:-}
[ -z "$runs" ] && [ -z "$secs" ] && secs=60
limits=
[ -n "$secs" ] && limits="-max_total_time=$secs"
[ -n "$runs" ] && limits="$limits -runs=$runs"

status=0
printf '| target | executions | seconds | exec/s | cov | ft | corpus | result |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---|\n'
for t in $targets; do
	bin="$out/fuzz_$t"
	if [ ! -x "$bin" ]; then
		printf '| fuzz_%s | | | | | | | not built (make fuzz) |\n' "$t"
		status=1
		continue
	fi
	mkdir -p "$out/corpus_$t"
	dict="$top/tests/fuzz/$t.dict"
	regress=
	[ -d "$top/tests/fuzz/regress_$t" ] && regress="$top/tests/fuzz/regress_$t"
	start=$(date +%s)
	# shellcheck disable=SC2086
	"$bin" $limits -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
		-dict="$dict" -artifact_prefix="$out/$t-" \
		"$out/corpus_$t" "$top/tests/fuzz/corpus_$t" $regress >"$out/$t.log" 2>&1
	rc=$?
	end=$(date +%s)
	log="$out/$t.log"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	# libFuzzer's rate is whole executions per whole second of its run
	if [ "${rate:-0}" = 0 ] && [ -n "$execs" ] && [ "$end" -gt "$start" ]; then
		rate=$((execs / (end - start)))
	fi
	# the last status line: "#N  DONE  cov: C ft: F corp: U/S ..."
	last=$(grep '^#[0-9]' "$log" | tail -n 1)
	cov=$(printf '%s' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(printf '%s' "$last" | sed -n 's/.* corp: \([^ ]*\).*/\1/p')
	if [ $rc = 0 ]; then
		result="no finding"
	else
		status=1
		art=$(grep -o "Test unit written to [^ ]*" "$log" | tail -n 1 | sed 's/Test unit written to //')
		why=$(grep -o 'ERROR: [A-Za-z]*Sanitizer: [a-z-]*\|ERROR: libFuzzer: [a-z-]*\|runtime error: [^:]*' "$log" | head -n 1)
		result="FOUND: ${why:-exit $rc}${art:+ ($art)}"
	fi
	printf '| fuzz_%s | %s | %s | %s | %s | %s | %s | %s |\n' "$t" "${execs:-?}" \
		"$((end - start))" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
exit $status
