#!/bin/sh
# tests/fuzz/seeds.sh -- (re)write the seed corpora of the targets that
# take whole book files, from sample-data/, formats/ and the files of the
# test cases, so that every seed is a file ae really meets.  The seeds
# of fuzz_record and fuzz_journal are hand-made and kept as they are;
# fuzz_edit's get hand-made edits appended.  Run by hand after the sample
# or the cases change much; the seeds are committed.
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
f=tests/fuzz

# name FILE: a seed name from a path
name() { printf '%s' "$1" | tr '/' '-' | sed 's/\.ini$//; s/\.log$//'; }
# put DIR NAME PREFIX FILE: a seed, PREFIX (printf escapes) then FILE
put() { { printf "$3"; cat "$4"; } >"$f/corpus_$1/$2"; }

rm -rf $f/corpus_ini $f/corpus_aeini $f/corpus_format $f/corpus_calendar $f/corpus_book $f/corpus_edit
mkdir -p $f/corpus_ini $f/corpus_aeini $f/corpus_format $f/corpus_calendar $f/corpus_book $f/corpus_edit

# ini: every kind of INI file, as is
for p in sample-data/ae.ini sample-data/calendar/*.ini formats/*.ini \
	sample-data/clients/SH-202603-COKE-007.ini sample-data/jobs/CS-2611-01.ini \
	sample-data/contacts/CR-20261105-01.ini; do
	put ini "$(name "$p")" '' "$p"
done
for p in tests/cases/check/ini-*/files/*/*.ini tests/cases/check/bad-input-*/files/*/*.ini; do
	[ -f "$p" ] && put ini "$(name "${p#tests/cases/check/}")" '' "$p"
done

# aeini: the sample's, and every ae.ini of the check cases
put aeini sample '' sample-data/ae.ini
for p in tests/cases/*/*/files/ae.ini tests/cases/*/*/book/ae.ini; do
	[ -f "$p" ] && put aeini "$(echo "$p" | cut -d/ -f4)" '' "$p"
done

# calendar: the sample's and the shipped one, and the cases'
put calendar sample '' sample-data/calendar/cn-2026.ini
for p in tests/cases/*/*/files/calendar/*.ini; do
	[ -f "$p" ] && put calendar "$(echo "$p" | cut -d/ -f4)" '' "$p"
done

# format: the shipped files as overlays (selector byte: the kind, 5 the
# journal grammar), and the cases' overlays
i=0
for k in client job contact meeting complaint journal; do
	put format "shipped-$k" "\\$(printf '%03o' $i)" formats/$k.ini
	for p in tests/cases/*/*/files/formats/$k.ini; do
		[ -f "$p" ] && put format "$(echo "$p" | cut -d/ -f4)" "\\$(printf '%03o' $i)" "$p"
	done
	i=$((i + 1))
done

# book: a file of each selector (see fuzz_book.c)
put book client '\000' sample-data/clients/SH-202610-YUEXIN-014.ini
put book job '\001' sample-data/jobs/CS-2611-02-R1.ini
put book contact '\002' sample-data/contacts/CR-20261105-01.ini
put book meeting '\003' sample-data/meetings/MT-20261105-01.ini
put book complaint '\004' sample-data/complaints/TS-20261106-01.ini
put book journal '\005' sample-data/journal/2026-11.log
put book aeini '\006' sample-data/ae.ini
put book calendar '\007' sample-data/calendar/cn-2026.ini
put book format-journal '\010' formats/journal.ini
i=9
for k in client job contact meeting complaint; do
	for p in tests/cases/*/*/files/formats/$k.ini; do
		[ -f "$p" ] && put book "format-$(echo "$p" | cut -d/ -f4)" "\\$(printf '%03o' $i)" "$p"
	done
	i=$((i + 1))
done

# edit: a record of each kind, then edits (see fuzz_edit.c): set a field
# (op 0, key byte), set a multi-line value, remove one, tick item 2
e() { printf "$@" >>"$out"; }
i=0
for p in sample-data/clients/SH-202603-COKE-007.ini sample-data/jobs/CS-2611-01.ini \
	sample-data/contacts/CR-20261125-01.ini sample-data/meetings/MT-20261105-01.ini \
	sample-data/complaints/TS-20261106-01.ini; do
	out=$f/corpus_edit/$(name "$p")
	{ printf "\\$(printf '%03o' $i)"; cat "$p"; printf '\000'; } >"$out"
	e '\000\003新的值\000'
	e '\000\011第一行\n\n  第二行  \000'
	e '\000\005\000'
	e '\003\377\035'
	i=$((i + 1))
done
# the cases of issue 9 item 7: a column-0 comment inside a value, an
# indented '[注]' line, a '[X]' action item
out=$f/corpus_edit/comment-inside-value
{ printf '\001[job]\nid = CS-2611-01\ndescription =\n    第一行\n; 注\n    第二行\n[注] x\nnext = y\n\000'; } >"$out"
e '\000\022X\000\000\031z\000'
out=$f/corpus_edit/bracket-lines
{ printf '\002[contact]\nid = CR-20261125-01\nactions =\n    [X] 2026-11-25 @li.ming a\n    [注] b\n    [ ] 2026-11-30 @sun.yue c\nsent = 2026-11-25 18:00\n\000'; } >"$out"
e '\000\377x\000\003\005\000'
# calendars: hand-made ones beside the sample's (no case has its own)
printf '[calendar]\nyear = 2027\nname = x\n\n[holiday 春节]\noff = 2027-02-05..2027-02-12\nwork = 2027-02-14, 2027-02-20\n\n[holiday 元旦]\noff = 2027-01-01\n' \
	>$f/corpus_calendar/two-holidays-2027
printf '[calendar]\nyear = 2026\nyear = 2027\n[holiday x]\noff = 2026-12-31..2027-01-02\nwork = 2026-12-27\n[holiday y]\nwork = 2026-02-14\noff = 2026-13-01\n' \
	>$f/corpus_calendar/across-years-and-bad
printf '[calendar]\nyear = 1899\n[holiday z]\noff = 2026-10-07..2026-10-01\n[nope]\nk = v\n' \
	>$f/corpus_calendar/out-of-range

# cache: real parse caches, written by the real `ae check` and `ae due`
# (./ae, from make) in git repositories: of fuzz_cache's own book (its files, so that
# the entries name them), of the sample book, of a small generated book
# (tests/bench/gen.c); then cuts and single bit flips of the first
if [ -x ./ae ] && [ -x fuzz-build/fuzz_cache ]; then
	rm -rf $f/corpus_cache
	mkdir -p $f/corpus_cache
	tmp=$(mktemp -d)
	AE_FUZZ_CACHE_BOOK=$tmp/fixed fuzz-build/fuzz_cache -runs=0 >/dev/null 2>&1
	cp -R sample-data $tmp/sample
	cc -O1 -DGEN_SAMPLE_DIR="\"$top/sample-data\"" -o $tmp/gen tests/bench/gen.c
	$tmp/gen $tmp/gen-book 100 400 >/dev/null
	for b in fixed sample gen-book; do
		rm -f $tmp/$b/.git/ae/parse-cache
		git -C $tmp/$b init -q
	done
	sleep 2		# no file as new as the run: none is racy (cache.h)
	# ae check keeps no journal entries in the cache, ae due does
	for b in fixed sample gen-book; do
		(cd $tmp/$b && "$top/ae" check >/dev/null 2>&1) || true
		cp $tmp/$b/.git/ae/parse-cache $f/corpus_cache/$b
		(cd $tmp/$b && "$top/ae" due >/dev/null 2>&1) || true
		cp $tmp/$b/.git/ae/parse-cache $f/corpus_cache/$b-due
	done
	c=$f/corpus_cache/fixed
	size=$(wc -c <$c)
	for n in 8 40 47 48 100 $((size / 2)) $((size - 1)); do
		head -c $n $c >$f/corpus_cache/fixed-cut-$n
	done
	# a bit flipped in the header, the first entry's stat data, its path,
	# its body, the last byte
	for off in 9 20 52 60 110 200 $((size / 2)) $((size - 1)); do
		x=$f/corpus_cache/fixed-flip-$off
		cp $c $x
		byte=$(od -An -tu1 -j$off -N1 $c | tr -d ' ')
		printf "\\$(printf '%03o' $((byte ^ 4)))" | dd of=$x bs=1 seek=$off conv=notrunc 2>/dev/null
	done
	rm -rf $tmp
else
	echo "seeds: corpus_cache kept: build ./ae (make) and fuzz_cache (make fuzz) first" >&2
fi

# one seed per content
for d in $f/corpus_*; do
	for x in "$d"/*; do printf '%s %s\n' "$(cksum <"$x" | cut -d' ' -f1)" "$x"; done |
		sort -k1,1 -k2,2 | awk 'seen[$1]++ {print $2}' | xargs -r rm -f
done
echo "seeds: $(ls $f/corpus_ini | wc -l) ini, $(ls $f/corpus_aeini | wc -l) aeini, $(ls $f/corpus_format | wc -l) format, $(ls $f/corpus_calendar | wc -l) calendar, $(ls $f/corpus_book | wc -l) book, $(ls $f/corpus_edit | wc -l) edit, $(ls $f/corpus_cache | wc -l) cache"
