#!/bin/sh
# tests/fuzz/replay.sh T -- replay fuzz target T's past findings
# (tests/fuzz/regress_T, each fixed once) and its seeds (corpus_T), the
# test case tests/cases/fuzz/T of `make check`, so that a finding that
# comes back fails a commit and not only the next fuzzing run:
#
#   1. through build-asan/fuzz_T: the target built by gcc under ASan and
#      UBSan with tests/fuzz/replay.c as its main() (the Makefile's
#      fuzz-replay, a prerequisite of make check);
#   2. when clang is installed, through fuzz-build/fuzz_T as well, the
#      libFuzzer binary of build.sh (-fsanitize=fuzzer,address,undefined),
#      which replays the files it is given: clang's UBSan sees what gcc's
#      does not (a NULL + 0: regress_cache/journal-none-decoded).
#
# Either stops at the first report or trap; the input it ran last is
# named above the report.  The binaries are built, not rebuilt, here.
# FUZZ_REPLAY_CLANG=0 skips step 2, =1 requires it.
set -u

t=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
inputs=
for d in "$top/tests/fuzz/regress_$t" "$top/tests/fuzz/corpus_$t"; do
	[ -d "$d" ] && inputs="$inputs $d"
done
if [ -z "$inputs" ]; then
	echo "fuzz_$t: no regress_$t nor corpus_$t"
	exit 1
fi
# the tests' own environment is no fuzzer's: formats from this tree
unset AE_FUZZ_AEINI AE_FUZZ_CACHE_BOOK
AE_FORMATS_DIR="$top/formats"
export AE_FORMATS_DIR
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
LSAN_OPTIONS=suppressions=$top/tests/lsan.supp
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS

gcc_bin="$top/build-asan/fuzz_$t"
if [ ! -x "$gcc_bin" ]; then
	echo "$gcc_bin not built (make fuzz-replay)"
	exit 1
fi
# shellcheck disable=SC2086
"$gcc_bin" $inputs || { echo "fuzz_$t (gcc, ASan+UBSan) failed: status $?"; exit 1; }

clang=${FUZZ_REPLAY_CLANG:-}
if [ -z "$clang" ]; then
	clang=0
	command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1 && clang=1
fi
[ "$clang" = 1 ] || exit 0
clang_bin="$top/fuzz-build/fuzz_$t"
if [ ! -x "$clang_bin" ]; then
	echo "$clang_bin not built (make fuzz-replay, with clang installed)"
	exit 1
fi
# the corpora's file names hold no blanks
# shellcheck disable=SC2046,SC2086
"$clang_bin" -runs=1 $(for d in $inputs; do ls -d "$d"/*; done) ||
	{ echo "fuzz_$t (clang, libFuzzer) failed: status $?"; exit 1; }
