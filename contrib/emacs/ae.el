;;; ae.el --- ae check's diagnostics in Emacs compilation mode  -*- lexical-binding: t -*-

;; Part of ae, the account executive's book.  See ae-check(1).

;;; Commentary:

;; `ae check' prints every problem as
;;
;;     path:line:col: error|warning: message [RULE]
;;
;; with the path relative to the book's folder and the column in display
;; cells by default (a Chinese character is two, a tab goes to the next
;; multiple of 8), which is how compilation mode reads columns
;; (`compilation-error-screen-columns' is t by default).  With this file
;; on the load path:
;;
;;     (require 'ae)
;;
;; then M-x compile RET ae check RET in the book's folder, and
;; M-g n / M-g p (`next-error', `previous-error') land on the character
;; each problem names, after Chinese text too.

;;; Code:

(require 'compile)

(defconst ae-compilation-regexp
  '(ae "^\\([^:\n]+\\):\\([0-9]+\\)\\(?::\\([0-9]+\\)\\)?: \\(?:error\\|\\(warning\\)\\): "
       1 2 3 (4))
  "A line of `ae check': FILE:LINE[:COL]: error|warning: MESSAGE.")

(defconst ae-compilation-regexp-file
  '(ae-file "^\\([^: \n]+\\): \\(?:error\\|\\(warning\\)\\): "
            1 nil nil (2))
  "A problem of a whole file in `ae check': FILE: error|warning: MESSAGE.")

(dolist (entry (list ae-compilation-regexp ae-compilation-regexp-file))
  (setq compilation-error-regexp-alist-alist
        (cons entry (assq-delete-all (car entry) compilation-error-regexp-alist-alist)))
  (add-to-list 'compilation-error-regexp-alist (car entry)))

(provide 'ae)

;;; ae.el ends here
