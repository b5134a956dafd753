#!/bin/sh
# tests/deb/check.sh DEB -- 'make deb-check' (a CI step after the suite):
# the package 'make deb' built installs with apt-get, puts ae on PATH
# with its formats, man pages, completions and editor files, runs on a
# copy of the sample book, and is purged without a trace.  As root, on
# a machine where ae is not installed otherwise (CI).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
deb=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
fail() { echo "deb-check: FAIL: $*"; exit 1; }
[ -f "$deb" ] || fail "no package '$1' (make deb)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ae-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

# docker's minimised Debian images tell dpkg to drop every man page
if grep -qs '^path-exclude=*/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
	fail "this machine's dpkg drops man pages (path-exclude in /etc/dpkg/dpkg.cfg.d/): the package's pages cannot be tried here"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "$deb" >"$tmp/apt.out" 2>&1 || { cat "$tmp/apt.out"; fail "apt-get install $deb"; }

[ "$(command -v ae)" = /usr/bin/ae ] || fail "ae is not /usr/bin/ae on PATH"
ae --version | grep -qx 'ae 0\.[0-9.]*' || fail "ae --version"
cp -R "$top/sample-data" "$tmp/book"
(cd / && env -u AE_FORMATS_DIR AE_NOW='2026-11-26 09:00' ae -C "$tmp/book" check) >"$tmp/check.out" 2>&1 ||
	{ cat "$tmp/check.out"; fail "the installed ae does not check the sample book clean"; }
grep -q 'checked: no problems' "$tmp/check.out" || fail "ae check said: $(cat "$tmp/check.out")"
# ae opens libgit2 when it first calls it (src/store_lib.h): the package
# says it needs it, and the installed ae reads a history with it
dpkg-deb -f "$deb" Depends | grep -q 'libgit2-[0-9]' ||
	fail "the package does not depend on libgit2: $(dpkg-deb -f "$deb" Depends)"
(cd "$tmp/book" && git init -q . && git add -A &&
 git -c user.name=deb -c user.email=deb@example.com commit -qm 'the sample book' &&
 env -u AE_FORMATS_DIR ae log -n 1) >"$tmp/log.out" 2>&1 ||
	{ cat "$tmp/log.out"; fail "the installed ae cannot read the book's history"; }
grep -q 'the sample book' "$tmp/log.out" || fail "ae log said: $(cat "$tmp/log.out")"

for page in ae ae-due ae-check '5 ae.ini' '5 ae-job'; do
	# shellcheck disable=SC2086
	f=$(man -w $page) || fail "man -w $page"
	case "$f" in /usr/share/man/man[15]/*.gz) ;; *) fail "man $page is '$f'" ;; esac
	# shellcheck disable=SC2086
	MANWIDTH=80 man -P cat $page >"$tmp/man.out" 2>"$tmp/man.err" || fail "man $page"
	[ -s "$tmp/man.err" ] && { cat "$tmp/man.err"; fail "man $page warned"; }
	grep -q '^NAME' "$tmp/man.out" || fail "man $page has no NAME"
done

[ -f /usr/share/bash-completion/completions/ae ] || fail "no bash completion"
if [ -f /usr/share/bash-completion/bash_completion ]; then
	bash --norc -c '. /usr/share/bash-completion/bash_completion; __load_completion ae && complete -p ae' |
		grep -q -- '-F _ae' || fail "bash-completion does not load ae's completion"
fi
[ -f /usr/share/zsh/vendor-completions/_ae ] || fail "no zsh completion"
if command -v zsh >/dev/null; then
	zsh -fc '(( ${#${^fpath}/_ae(N)} ))' || fail "_ae is not on zsh's fpath"
fi
[ -f /usr/share/vim/vimfiles/compiler/ae.vim ] || fail "no vim compiler file"
if command -v vim >/dev/null; then
	vim -Nu NONE -i NONE -es -c 'compiler ae' -c "call writefile([&errorformat], '$tmp/efm')" -c 'qa!' </dev/null >/dev/null 2>&1 || true
	grep -q '%v' "$tmp/efm" 2>/dev/null || fail "vim does not find ':compiler ae'"
fi
[ -f /usr/share/emacs/site-lisp/ae.el ] || fail "no Emacs file"
[ -f /usr/share/doc/ae/copyright ] || fail "no copyright file"
ls /usr/share/doc/ae | grep -qi hacking && fail "developers' docs installed"

apt-get purge -y -qq ae >"$tmp/apt.out" 2>&1 || { cat "$tmp/apt.out"; fail "apt-get purge ae"; }
for p in /usr/bin/ae /usr/share/ae /usr/share/doc/ae /usr/share/man/man1/ae.1.gz \
	/usr/share/bash-completion/completions/ae /usr/share/zsh/vendor-completions/_ae; do
	[ -e "$p" ] && fail "purge left $p"
done
echo "deb-check: $(basename "$deb") installs, works and purges cleanly"
