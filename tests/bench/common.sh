# tests/bench/common.sh -- sourced by the bench scripts that make their
# own books and repositories (first.sh, team.sh): ae checked, the tools
# (peakrss, gen) built once into $bin, and the environment that makes
# runs repeatable (a fixed "now", formats, dates, no system git config).
# The sourcing script sets top, ae, bin and CC first.

[ -x "$ae" ] || { echo "bench: $ae is missing; run 'make' first" >&2; exit 1; }
mkdir -p "$bin"
[ -x "$bin/peakrss" ] || $CC -O2 -std=c11 -Wall -Wextra -o "$bin/peakrss" "$top/tests/bench/peakrss.c"
[ -x "$bin/gen" ] || $CC -O2 -std=c11 -Wall -Wextra -Wno-format-truncation \
	-DGEN_SAMPLE_DIR="\"$top/sample-data\"" -o "$bin/gen" "$top/tests/bench/gen.c"

export AE_FORMATS_DIR="$top/formats" AE_NOW='2026-11-26 09:00' LC_ALL=C.UTF-8 NO_COLOR=1 TZ=UTC
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_DATE='2026-11-26T09:00:00+08:00' GIT_COMMITTER_DATE='2026-11-26T09:00:00+08:00'
