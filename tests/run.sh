#!/bin/sh
# tests/run.sh -- run every test case; print 'N passed, N failed'.
#
# A case is a folder tests/cases/<area>/<behaviour>/ holding:
#   cmd        the command line, run by sh in the case's book ('ae' is on PATH)
#   book/      the input book, copied to a scratch folder first; or
#   base       a file naming a book to start from (e.g. 'sample-data'),
#              less the paths listed in 'delete', with files/ copied over it
#   expected   the expected standard output
#   stderr     (optional) the expected standard error
#   status     (optional) the expected exit status, 0 when absent
# or, for what data cannot say, an executable 'script' run with the same
# environment that must exit 0.
#
# Every case runs with TZ=UTC, LC_ALL=C.UTF-8, NO_COLOR=1 and
# AE_NOW='2026-11-26 09:00' unless its cmd sets otherwise.
# UPDATE=1 rewrites expected/stderr/status from what ae printed: review
# with 'git diff'.  Arguments select cases whose path contains them.
# AE_WRAP runs ae under a wrapper (valgrind).

top=$(cd "$(dirname "$0")/.." && pwd)
cases="$top/tests/cases"
# each run has its own scratch folder, so runs may overlap; a passing
# run removes it, a failing one leaves it for inspection.  It is outside
# the project's own repository, so that git cases cannot touch it.
out=$(mktemp -d "${TMPDIR:-/tmp}/ae-tests.XXXXXX")
mkdir -p "$out/bin"

bin=${AE_BIN:-$top/ae}
if [ -n "$AE_WRAP" ]; then
	printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$AE_WRAP" "$bin" >"$out/bin/ae"
else
	printf '#!/bin/sh\nexec "%s" "$@"\n' "$bin" >"$out/bin/ae"
fi
chmod +x "$out/bin/ae"

# ThreadSanitizer's reports (make tsan) go to files in $out/san, not to
# standard error, so that a script that hides ae's errors cannot hide
# them: each case and unit test fails if it left one
san="$out/san"
if [ -n "$TSAN_OPTIONS" ]; then
	mkdir -p "$san"
	TSAN_OPTIONS="$TSAN_OPTIONS log_path=$san/tsan"
	export TSAN_OPTIONS
fi
# san_report NAME WHERE: a report in $san fails NAME; moved to WHERE
san_report() {
	[ -d "$san" ] && [ -n "$(ls "$san")" ] || return 1
	echo "FAIL $1: ThreadSanitizer report"
	cat "$san"/* | grep -E '^(WARNING|SUMMARY|  (Read|Write|Previous|Atomic|Mutex)|    #[0-3] )' | head -n 30 | sed 's/^/    /'
	mv "$san"/* "$2"/
}

pass=0
fail=0
failed=""

for dir in $(find "$cases" -mindepth 2 -maxdepth 3 -type d | sort); do
	[ -f "$dir/cmd" ] || [ -f "$dir/script" ] || continue
	name=${dir#"$cases"/}
	if [ $# -gt 0 ]; then
		keep=0
		for pat in "$@"; do
			case "$name" in *"$pat"*) keep=1 ;; esac
		done
		[ $keep = 1 ] || continue
	fi
	work="$out/work/$name"
	mkdir -p "$work"
	book="$work/book"
	if [ -f "$dir/base" ]; then
		cp -R "$top/$(cat "$dir/base")" "$book"
	elif [ -d "$dir/book" ]; then
		cp -R "$dir/book" "$book"
	else
		mkdir -p "$book"
	fi
	# the base less what 'delete' names, then files/ over it: a case can
	# empty a folder of the base and fill it with its own records
	if [ -f "$dir/delete" ]; then
		while read -r p; do [ -n "$p" ] && rm -rf "${book:?}/$p"; done <"$dir/delete"
	fi
	if [ -d "$dir/files" ]; then
		cp -R "$dir/files/." "$book/"
	fi
	if [ -f "$dir/setup" ]; then
		(cd "$book" && sh "$dir/setup") >/dev/null 2>&1
	fi
	env_run() {
		env TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1 AE_NOW='2026-11-26 09:00' \
			AE_FORMATS_DIR="$top/formats" PATH="$out/bin:$PATH" \
			TOP="$top" CASE="$dir" HOME="$work" \
			GIT_CEILING_DIRECTORIES="$out/work" \
			GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_DATE='2026-11-26T09:00:00+08:00' \
			GIT_COMMITTER_DATE='2026-11-26T09:00:00+08:00' "$@"
	}
	if [ -f "$dir/script" ]; then
		ok=1
		(cd "$book" && env_run sh "$dir/script") >"$work/out" 2>&1 || ok=0
		if [ $ok = 0 ]; then
			echo "FAIL $name"
			sed 's/^/    /' "$work/out" | tail -n 20
		fi
		san_report "$name" "$work" && ok=0
		if [ $ok = 1 ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			failed="$failed $name"
		fi
		continue
	fi
	(cd "$book" && env_run sh -c "$(cat "$dir/cmd")") >"$work/stdout" 2>"$work/stderr" </dev/null
	status=$?
	want_status=0
	[ -f "$dir/status" ] && want_status=$(cat "$dir/status")
	if [ "$UPDATE" = 1 ]; then
		cp "$work/stdout" "$dir/expected"
		if [ -s "$work/stderr" ] || [ -f "$dir/stderr" ]; then cp "$work/stderr" "$dir/stderr"; fi
		if [ "$status" != 0 ]; then echo "$status" >"$dir/status"; else rm -f "$dir/status"; fi
		want_status=$status
	fi
	ok=1
	if [ "$status" != "$want_status" ]; then
		ok=0
		echo "FAIL $name: exit status $status, expected $want_status"
	fi
	if ! diff -u "$dir/expected" "$work/stdout" >"$work/diff" 2>&1; then
		ok=0
		echo "FAIL $name: standard output differs"
		head -n 30 "$work/diff" | sed 's/^/    /'
	fi
	if [ -f "$dir/stderr" ] && ! diff -u "$dir/stderr" "$work/stderr" >"$work/diff2" 2>&1; then
		ok=0
		echo "FAIL $name: standard error differs"
		head -n 30 "$work/diff2" | sed 's/^/    /'
	fi
	# sanitizer and valgrind reports fail a case whatever it printed
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|== ?[0-9]+ ?== (Invalid|Conditional|.*definitely lost)' "$work/stderr" 2>/dev/null; then
		ok=0
		echo "FAIL $name: sanitizer or valgrind report"
		grep -E 'Sanitizer|runtime error|==' "$work/stderr" | head -n 10 | sed 's/^/    /'
	fi
	san_report "$name" "$work" && ok=0
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $name"
	fi
done

# C unit tests where data cases cannot reach (calendar arithmetic)
for t in "${AE_UNIT_DIR:-$top/build}"/unit_*; do
	[ -x "$t" ] || continue
	ok=1
	if ! "$t" >"$out/$(basename "$t").log" 2>&1; then
		ok=0
		echo "FAIL $(basename "$t")"
		tail -n 20 "$out/$(basename "$t").log" | sed 's/^/    /'
	fi
	san_report "$(basename "$t")" "$out" && ok=0
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $(basename "$t")"
	fi
done

[ -n "$failed" ] && echo "failed:$failed (scratch in $out)"
[ "$fail" = 0 ] && rm -rf "$out"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
