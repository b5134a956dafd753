# tests/lib/git.sh -- shared by the git cases' scripts (sourced).
# The runner starts each script inside its copied book with HOME set to a
# scratch folder, so 'git config --global' stays inside the case.
set -eu

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect STATUS CMD...: run CMD, fail unless it exits with STATUS
expect() {
	want=$1
	shift
	set +e
	"$@" >"$HOME/last.out" 2>&1
	got=$?
	set -e
	if [ "$got" != "$want" ]; then
		cat "$HOME/last.out" >&2
		fail "'$*' exited $got, expected $want"
	fi
}

# me NAME EMAIL: the git identity of this case
me() {
	git config --global user.name "$1"
	git config --global user.email "$2"
	git config --global init.defaultBranch main
	git config --global advice.detachedHead false
}

fsck_clean() {
	git fsck --strict --no-progress --no-dangling >"$HOME/fsck.out" 2>&1 || {
		cat "$HOME/fsck.out" >&2
		fail "git fsck --strict found problems"
	}
	if grep -q . "$HOME/fsck.out"; then
		cat "$HOME/fsck.out" >&2
		fail "git fsck --strict printed something"
	fi
}

# a book from the sample, made a repository with one commit
sample_repo() {
	me '李明' 'li.ming@example.com'
	ae init . >/dev/null
	ae commit -m '建账: 导入样例账本' >/dev/null
}
