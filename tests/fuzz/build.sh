#!/bin/sh
# tests/fuzz/build.sh -- build the libFuzzer targets into fuzz-build/
# ('make fuzz' runs this; it only builds).  'make fuzz-run' (run.sh) runs
# them all and prints their figures.
#
#   parser targets: one parser per execution, the fixed book of
#   fuzz_book.h loaded once (thousands of executions a second)
#     fuzz_ini       the INI reader alone, and the spans the editor uses
#     fuzz_record    one record file of any kind (first byte: the kind)
#     fuzz_journal   one journal/YYYY-MM.log
#     fuzz_aeini     ae.ini
#     fuzz_format    a book's formats/KIND.ini or formats/journal.ini
#     fuzz_calendar  a calendar file
#     fuzz_edit      the editor: set and tick, read back by the parser
#     fuzz_cache     the parse cache file (.git/ae/parse-cache) of a fixed
#                    book on disk, read and its entries served (cache.c)
#     fuzz_logcache  the log cache file (.git/ae/log-cache, logcache.c),
#                    its CRC made right, asked about, added to, written
#                    and read back
#     fuzz_listing   the kept listings of ae watch (.git/ae/listing-cache,
#                    fsmonitor.c), checksum made right, decoded, kept,
#                    written and read back
#   whole-book target
#     fuzz_book      any file of the fixed book (first byte: which), then
#                    the whole book loaded, checked and its deadlines
#                    computed
#
# All run under AddressSanitizer, LeakSanitizer and UBSan; any report
# stops the run.  Each target T has its seeds in tests/fuzz/corpus_T and
# its dictionary in tests/fuzz/T.dict (or the one its header names).  To
# fuzz one by hand, keep new inputs out of the seed corpus by naming a
# scratch folder first:
#
#   mkdir -p fuzz-build/corpus_record
#   fuzz-build/fuzz_record -max_total_time=600 -rss_limit_mb=2048 \
#       -dict=tests/fuzz/record.dict -artifact_prefix=fuzz-build/ \
#       fuzz-build/corpus_record tests/fuzz/corpus_record
#
# Replay one input: fuzz-build/fuzz_record FILE.  Minimise a crash:
# fuzz-build/fuzz_record -minimize_crash=1 -runs=100000 FILE.  The
# shipped formats are read from this repository's formats/ (compiled in)
# or $AE_FORMATS_DIR; $AE_FUZZ_AEINI replaces the fixed book's ae.ini.
# FUZZ_CC chooses the compiler (clang); FUZZ_TARGETS="record edit" builds
# only those.  The targets link the library (src/*.c but main.c and the
# commands cmd_*.c), as the unit tests do.
set -e

top=$(cd "$(dirname "$0")/../.." && pwd)
out="$top/fuzz-build"
cc=${FUZZ_CC:-clang}
pkgs="libgit2 inih libpcre2-8 zlib"
# libgit2 opened when first called, as the Makefile builds ae (src/store_lib.h)
soname=${LIBGIT2_SONAME:-$(objdump -p "$(pkg-config --variable=libdir libgit2)/libgit2.so" |
	sed -n 's/^ *SONAME *//p')}
[ -n "$soname" ] || { echo "fuzz/build.sh: no SONAME read from libgit2.so (objdump)" >&2; exit 1; }
cflags="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes -Wvla
	-Wno-unused-parameter -g -O1 -fno-omit-frame-pointer
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-fsanitize-coverage-ignorelist=$top/tests/fuzz/coverage-ignore.txt
	-I$top/src -DAE_DATADIR=\"/usr/local/share/ae\"
	-DAE_FUZZ_FORMATS=\"$top/formats\" -DAE_LIBGIT2_SONAME=\"$soname\"
	$(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs inih libpcre2-8 zlib) -ldl"
targets=${FUZZ_TARGETS:-"ini record journal aeini format calendar edit cache book logcache listing"}

mkdir -p "$out/obj"
# new flags, compiler or ignore list rebuild everything
sig="$cc $cflags $(cksum <"$top/tests/fuzz/coverage-ignore.txt")"
if [ "$(cat "$out/obj/.flags" 2>/dev/null)" != "$sig" ]; then
	rm -f "$out"/obj/*.o
	printf '%s\n' "$sig" >"$out/obj/.flags"
fi
objs=
for c in "$top"/src/*.c; do
	name=$(basename "$c" .c)
	case $name in main | cmd_*) continue ;; esac	# the Makefile's LIB_OBJS
	o="$out/obj/$name.o"
	# rebuilt when its source or any header is newer
	if [ ! -f "$o" ] || [ -n "$(find "$c" "$top"/src/*.h -newer "$o" 2>/dev/null | head -n 1)" ]; then
		# shellcheck disable=SC2086
		$cc $cflags -c -o "$o" "$c"
	fi
	objs="$objs $o"
done
for t in $targets; do
	bin="$out/fuzz_$t"
	# relinked when its source, the book, the flags or an object is newer
	# (make check runs this each time: nine links are half a minute)
	# shellcheck disable=SC2086
	if [ -f "$bin" ] && [ -z "$(find "$top/tests/fuzz/fuzz_$t.c" "$top/tests/fuzz/fuzz_book.h" \
		"$out/obj/.flags" $objs -newer "$bin" 2>/dev/null | head -n 1)" ]; then
		continue
	fi
	# shellcheck disable=SC2086
	$cc $cflags -o "$bin" "$top/tests/fuzz/fuzz_$t.c" $objs $libs
	echo "built fuzz-build/fuzz_$t"
done
