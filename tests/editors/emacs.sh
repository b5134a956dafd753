#!/bin/sh
# tests/editors/emacs.sh -- 'make emacs-check': Emacs's compilation mode,
# with contrib/emacs/ae.el, visits each problem 'ae check' reports on the
# very character it names, after Chinese text and a tab (issue 14).
# Needs emacs (apt-get install emacs-nox); not part of 'make check', as
# vim's twin case (tests/cases/editors/) is, because emacs is large.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
command -v emacs >/dev/null || { echo "emacs-check: emacs is not installed (apt-get install emacs-nox)"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ae-emacs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cp -R "$top/sample-data" "$tmp/book"
cd "$tmp/book"
sed -i 's/^\[holiday 国庆节\]$/[holiday 国庆节 中秋节] 连休八天/' calendar/cn-2026.ini
sed -i 's/^assignees = .*/assignees = sun.yue，	wu.dii/' jobs/CS-2611-07.ini
export LC_ALL=C.UTF-8 AE_NOW='2026-11-26 09:00' AE_FORMATS_DIR="$top/formats"
ae=${AE_BIN:-$top/ae}
"$ae" check >"$tmp/errs.txt" 2>&1 && { echo "emacs-check: ae check found nothing"; exit 1; }
"$ae" check -q --column-unit=char | cut -d: -f1-3 | sed 's|^.*/||' >"$tmp/want"
cat >"$tmp/visit.el" <<EOF2
(add-to-list 'load-path "$top/contrib/emacs")
(require 'ae)
(let ((buf (get-buffer-create "*ae*")) (n 0))
  (with-current-buffer buf
    (insert-file-contents "$tmp/errs.txt")
    (setq default-directory "$tmp/book/")
    (compilation-mode)
    (compilation--ensure-parse (point-max)))
  (while (< n $(wc -l <"$tmp/want"))
    (setq n (1+ n))
    (with-current-buffer buf
      (goto-char (point-min))
      (forward-line (1- n))
      (compile-goto-error))
    (set-buffer (window-buffer (selected-window)))
    (princ (format "%s:%d:%d\n" (buffer-name) (line-number-at-pos)
                   (1+ (- (point) (line-beginning-position)))))))
EOF2
emacs -Q --batch -l "$tmp/visit.el" 2>/dev/null >"$tmp/got"
if diff -u "$tmp/want" "$tmp/got"; then
	echo "emacs-check: Emacs visits every problem on the character named"
else
	echo "emacs-check: Emacs lands elsewhere than ae check says"
	exit 1
fi
