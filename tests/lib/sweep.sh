# tests/lib/sweep.sh -- what the fault-injection and kill -9 sweeps share
# (sourced after git.sh).  A sweep runs one command many times, each time
# in a fresh copy of the same book and repository, breaking it at a
# different point, and checks that the book is whole afterwards: the
# command made its whole change and committed it, or changed nothing, and
# running it again makes exactly one change.

# small_book: the sample book (the case's base) cut down to one client,
# one job and one contact report, with the journal lines that name only
# them (no letters or reviews): a sweep runs its command many times
small_book() {
	rm -rf complaints meetings letters reviews
	find clients -name '*.ini' ! -name SH-202603-COKE-007.ini -exec rm -f {} +
	find jobs -name '*.ini' ! -name CS-2611-01.ini -exec rm -f {} +
	find contacts -name '*.ini' ! -name CR-20261117-01.ini -exec rm -f {} +
	/usr/bin/python3 - <<'PY'
import glob, re
keep = {'SH-202603-COKE-007', 'CS-2611-01', 'CR-20261117-01'}
for f in glob.glob('journal/*.log'):
    lines = [l for l in open(f, encoding='utf-8')
             if all(t in keep for t in l.split()[2:] if re.match(r'^[^\s-]+-[0-9]', t))]
    open(f, 'w', encoding='utf-8').write(''.join(lines))
PY
}

# sweep_reference DIR KIND CMD...: DIR is a book with its repository as
# it is before CMD.  KIND is 'once' when CMD run a second time changes
# nothing more (ae set, ae commit, ae renumber), 'append' when it makes a
# second change (ae call, ae new).  Runs CMD once (and twice) without
# faults in copies, keeping the commits H0, H1, H2 and the work trees
# $SW/a, $SW/w1, $SW/w2 that every run is compared with, and makes the
# copy $SW/t that the runs break (sweep_reset puts it back).  Sweeps
# that run at once are told apart by $SWEEP_NAME.
sweep_reference() {
	src=$1
	KIND=$2
	shift 2
	SW=$HOME/sweep${SWEEP_NAME:-}
	rm -rf "$SW"
	mkdir -p "$SW"
	cp -a "$src" "$SW/a"
	H0=$(git -C "$SW/a" rev-parse HEAD)
	cp -a "$SW/a" "$SW/w1"
	(cd "$SW/w1" && "$@") >"$SW/ref.out" 2>&1 || { cat "$SW/ref.out" >&2; fail "'$*' failed without a fault"; }
	H1=$(git -C "$SW/w1" rev-parse HEAD)
	[ "$H1" != "$H0" ] || fail "'$*' committed nothing"
	if [ "$KIND" = append ]; then
		cp -a "$SW/w1" "$SW/w2"
		(cd "$SW/w2" && "$@") >"$SW/ref.out" 2>&1 || fail "'$*' failed the second time"
		H2=$(git -C "$SW/w2" rev-parse HEAD)
		[ "$(git -C "$SW/w2" rev-parse HEAD^)" = "$H1" ] || fail "'$*' twice is not two commits"
	else
		cp -a "$SW/w1" "$SW/w2"
		H2=$H1
	fi
	BRANCH=$(git -C "$SW/a" symbolic-ref HEAD)
	[ -f "$SW/a/.git/$BRANCH" ] || fail "the branch is not a loose ref"
	sweep_changed
	CHANGED=$(cat "$SW/changed")
	cp -a "$SW/a" "$SW/t"
}

# sweep_changed: the book paths a run may change (those that differ
# between $SW/a and $SW/w2), one a line, into $SW/changed
sweep_changed() {
	diff -r -q -x .git "$SW/a" "$SW/w2" 2>/dev/null | while read -r line; do
		case $line in
		"Files "*" differ")
			f=${line#Files "$SW/a/"}
			echo "${f%% and *}"
			;;
		"Only in "*)
			d=${line#Only in }
			d=${d%%: *}
			d=${d#"$SW/a"}
			d=${d#"$SW/w2"}
			echo "${d#/}${d:+/}${line##*: }"
			;;
		esac
	done >"$SW/changed"
}

# sweep_reset DIR: DIR (a copy of $SW/a, left whole by the last run and
# its retry: sweep_after_retry checked it) made $SW/a again without
# copying it whole: the changed files, the branch, the index
sweep_reset() {
	rm -rf $(for f in $CHANGED; do echo "$1/$f"; done)
	for f in $CHANGED; do
		[ ! -e "$SW/a/$f" ] || cp -pR "$SW/a/$f" "$1/$f"
	done
	printf '%s\n' "$H0" >"$1/.git/$BRANCH"
	cp -p "$SW/a/.git/index" "$1/.git/index"
}

# head_of DIR: the commit the branch of DIR points at (a loose ref), in $h
head_of() {
	read -r h <"$1/.git/$BRANCH"
}

# same_tree REF DIR: the files of the book (not .git) are byte for byte
# those of REF, with no file more (a temporary file) or less
same_tree() {
	diff -r -q -x .git "$1" "$2" >"$SW/diff.out" 2>&1
}

# sweep_after_failure DIR STATUS LABEL: DIR right after a run that was
# made to fail (STATUS its exit status): HEAD is the old commit and the
# files the old ones, or HEAD is the one commit the command makes and the
# files the new ones; the index is HEAD's; nothing temporary is left.
sweep_after_failure() {
	head_of "$1"
	if [ "$h" = "$H0" ]; then
		[ "$2" != 0 ] || fail "$3: exit 0 but nothing committed"
		same_tree "$SW/a" "$1" || { cat "$SW/diff.out" >&2; fail "$3: failed, but the book's files are not the old ones"; }
	elif [ "$h" = "$H1" ]; then
		same_tree "$SW/w1" "$1" || { cat "$SW/diff.out" >&2; fail "$3: committed, but the book's files are not the new ones"; }
	else
		fail "$3: HEAD is neither the old commit nor the one the command makes"
	fi
	git -C "$1" diff --cached --quiet || fail "$3: the index differs from HEAD"
	FIRST=$h
}

# sweep_after_kill DIR LABEL: DIR right after a kill -9: every book file
# is its old version or its new one, HEAD the old commit or the new one.
# (What the killed command left half done is the next writer's to
# finish or undo: sweep_after_retry checks that.)
sweep_after_kill() {
	head_of "$1"
	[ "$h" = "$H0" ] || [ "$h" = "$H1" ] || fail "$2: HEAD is neither the old commit nor the one the command makes"
	diff -r -q -x .git "$SW/a" "$1" 2>&1 | while read -r line; do
		case $line in
		"Files "*" differ")
			f=${line#Files "$SW/a/"}
			f=${f%% and *}
			cmp -s "$SW/w1/$f" "$1/$f" || fail "$2: '$f' is neither old nor new"
			;;
		"Only in $1"*": ."*".ae-tmp."*) ;;	# a temporary file: the next writer's to remove
		"Only in $1"*)
			d=${line#"Only in $1"}
			d=${d%%: *}
			n=${line##*: }
			cmp -s "$SW/w1${d}/$n" "$1${d}/$n" || fail "$2: '${d#/}/$n' is neither absent nor new"
			;;
		"Only in $SW/a"*)
			d=${line#"Only in $SW/a"}
			d=${d%%: *}
			n=${line##*: }
			[ ! -e "$SW/w1${d}/$n" ] || fail "$2: '${d#/}/$n' vanished"
			;;
		*) fail "$2: $line" ;;
		esac
	done || fail "$2"
	FIRST=$h
}

# sweep_after_retry DIR STATUS LABEL: DIR after the command ran again,
# without faults: exactly one change in all, or two for an 'append'
# command whose first run had landed; nothing half done is left.
sweep_after_retry() {
	head_of "$1"
	if [ "$FIRST" = "$H0" ] || [ "$KIND" = once ]; then
		[ "$h" = "$H1" ] || fail "$3: the retry did not make exactly the one change"
		want=$SW/w1
	else
		[ "$h" = "$H2" ] || fail "$3: the retry did not make exactly one more change"
		want=$SW/w2
	fi
	[ "$FIRST" != "$H0" ] || [ "$2" = 0 ] || fail "$3: the retry exited $2"
	same_tree "$want" "$1" || { cat "$SW/diff.out" >&2; fail "$3: after the retry the book's files are not the new ones"; }
	for f in index.lock ae-index ae-index.lock ae-index-mark ae-rollback; do
		[ ! -e "$1/.git/$f" ] || fail "$3: .git/$f is left"
	done
	git -C "$1" diff --cached --quiet || fail "$3: after the retry the index differs from HEAD"
	(cd "$1" && fsck_clean) || fail "$3: git fsck"
}
