#!/bin/sh
# tests/fuzz/build.sh -- build the libFuzzer targets into fuzz-build/
# ('make fuzz' runs this; it only builds).
#
#   fuzz_record    one record file of any kind (fuzz_record.c)
#   fuzz_journal   one journal/YYYY-MM.log (fuzz_journal.c)
#
# Both load an in-memory book (src/source_mem.c) and run every check of
# 'ae check' under AddressSanitizer, LeakSanitizer and UBSan; any report
# stops the run.  To fuzz, keep new inputs out of the seed corpus by
# naming a scratch folder first:
#
#   mkdir -p fuzz-build/corpus_record
#   fuzz-build/fuzz_record -max_total_time=600 -rss_limit_mb=2048 \
#       -dict=tests/fuzz/record.dict -artifact_prefix=fuzz-build/ \
#       fuzz-build/corpus_record tests/fuzz/corpus_record
#
# (the same with journal).  The seeds of fuzz_record start with the kind
# byte (see fuzz_record.c).  Replay one input: fuzz-build/fuzz_record FILE.
# Minimise a crash: fuzz-build/fuzz_record -minimize_crash=1 -runs=100000 FILE.
# The shipped formats are read from this repository's formats/ (compiled
# in) or $AE_FORMATS_DIR; $AE_FUZZ_AEINI replaces the embedded ae.ini.
#
# FUZZ_SECONDS=N sh tests/fuzz/build.sh  also runs each target for N
# seconds, one after the other, and fails if either finds a problem.
# FUZZ_CC chooses the compiler (clang).  The targets link the library
# (src/*.c but main.c and the commands cmd_*.c), as the unit tests do.
set -e

top=$(cd "$(dirname "$0")/../.." && pwd)
out="$top/fuzz-build"
cc=${FUZZ_CC:-clang}
pkgs="libgit2 inih libpcre2-8"
cflags="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes -Wvla
	-Wno-unused-parameter -g -O1 -fno-omit-frame-pointer
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-I$top/src -DAE_DATADIR=\"/usr/local/share/ae\"
	-DAE_FUZZ_FORMATS=\"$top/formats\" $(pkg-config --cflags $pkgs)"
libs=$(pkg-config --libs $pkgs)

mkdir -p "$out/obj"
objs=
for c in "$top"/src/*.c; do
	name=$(basename "$c" .c)
	case $name in main | cmd_*) continue ;; esac	# the Makefile's LIB_OBJS
	# shellcheck disable=SC2086
	$cc $cflags -c -o "$out/obj/$name.o" "$c"
	objs="$objs $out/obj/$name.o"
done
for t in record journal; do
	# shellcheck disable=SC2086
	$cc $cflags -o "$out/fuzz_$t" "$top/tests/fuzz/fuzz_$t.c" $objs $libs
	echo "built fuzz-build/fuzz_$t"
done

[ -n "$FUZZ_SECONDS" ] || exit 0
status=0
for t in record journal; do
	mkdir -p "$out/corpus_$t"
	"$out/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 \
		-dict="$top/tests/fuzz/$t.dict" -artifact_prefix="$out/" \
		"$out/corpus_$t" "$top/tests/fuzz/corpus_$t" || status=1
done
exit $status
