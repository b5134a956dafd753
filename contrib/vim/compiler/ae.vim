" Vim compiler file
" Compiler:	ae check (the account executive's book)
" Use:		:compiler ae, then :make in the book's folder; :cnext, :copen.
"
" ae check prints 'path:line:col: error|warning: message [RULE]', paths
" relative to the book's folder.  Its columns are display cells by default
" (a Chinese character is two, a tab goes to the next multiple of 8),
" which is what %v reads, so the cursor lands on the character named even
" after Chinese text.  (%c would read bytes: 'ae check --column-unit=byte'.)

if exists("current_compiler")
  finish
endif
let current_compiler = "ae"

if exists(":CompilerSet") != 2
  command -nargs=* CompilerSet setlocal <args>
endif

let s:cpo_save = &cpo
set cpo&vim

CompilerSet makeprg=ae\ check\ --column-unit=display
CompilerSet errorformat=
      \%f:%l:%v:\ %trror:\ %m,
      \%f:%l:%v:\ %tarning:\ %m,
      \%f:%l:\ %trror:\ %m,
      \%f:%l:\ %tarning:\ %m,
      \%f:\ %trror:\ %m,
      \%f:\ %tarning:\ %m,
      \%-G%.%#

let &cpo = s:cpo_save
unlet s:cpo_save
