# ae -- the account executive's book.  See README.md.
VERSION = 0.1
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/ae
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/ae
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
VIMDIR ?= $(PREFIX)/share/vim/vimfiles
LISPDIR ?= $(PREFIX)/share/emacs/site-lisp
DESTDIR ?=

CC ?= cc
PKGS = libgit2 inih libpcre2-8 zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
# libgit2 is not linked but opened when first called (src/store_lib.h):
# by the SONAME of the one pkg-config finds
PKG_LIBS := $(shell pkg-config --libs $(filter-out libgit2,$(PKGS))) -ldl
LIBGIT2_SONAME := $(shell objdump -p "$$(pkg-config --variable=libdir libgit2)/libgit2.so" 2>/dev/null | \
	sed -n 's/^ *SONAME *//p')
ifeq ($(LIBGIT2_SONAME),)
$(error no SONAME read from libgit2.so (objdump, from binutils, reads it; libgit2-dev installs it))
endif
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wvla -Wno-unused-parameter
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) \
	-DAE_DATADIR='"$(DATADIR)"' -DAE_VERSION='"$(VERSION)"' -DAE_LIBGIT2_SONAME='"$(LIBGIT2_SONAME)"'
ifeq ($(CI),true)
ALL_CFLAGS += -Werror
endif

SRCS := $(sort $(wildcard src/*.c))
OBJS := $(SRCS:src/%.c=build/%.o)
LIB_OBJS := $(filter-out build/main.o build/cmd_%.o,$(OBJS))

UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNITS := $(UNIT_SRCS:tests/unit/%.c=build/unit_%)

all: ae man completions

ae: $(OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(PKG_LIBS) $(LDFLAGS)

build/%.o: src/%.c src/*.h | build
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build:
	mkdir -p build

build/unit_%: tests/unit/%.c $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

# The fault injector of the fault-injection sweep (tests/faultinject/):
# makes the Nth I/O call of ae fail, loaded with LD_PRELOAD
FAULT_SO = build/faultinject.so
$(FAULT_SO): tests/faultinject/faultinject.c | build
	$(CC) $(ALL_CFLAGS) -shared -fPIC -o $@ $< -ldl

check: all $(UNITS) $(FAULT_SO) man-lint fuzz-replay ae-tsan ae-asan
	sh tests/run.sh

# The manual pages: docs/NAME.SECTION.md through docs/man.awk (no
# GitHub title line, wide tables as definitions) and Debian's lowdown
# into roff (build/man/NAME.SECTION), titled by the file name.  lowdown
# 1.0 writes code in \fC, a font terminals lack: it is bold, as man pages
# show literal text; and a paragraph macro right after a heading is
# dropped, as mandoc -Tlint asks.  Dated by SOURCE_DATE_EPOCH (what
# dpkg-buildpackage sets from debian/changelog), else the last commit.
LOWDOWN ?= lowdown
MANDATE ?= $(shell if [ -n "$$SOURCE_DATE_EPOCH" ]; then date -u -d "@$$SOURCE_DATE_EPOCH" +%F; \
	else git log -1 --format=%cs 2>/dev/null || date -u -r Makefile +%F; fi)
MAN_MD := $(sort $(wildcard docs/*.[1-8].md))
MANS := $(MAN_MD:docs/%.md=build/man/%)

man: $(MANS)

build/man/%: docs/%.md docs/man.awk Makefile | build/man
	awk -f docs/man.awk $< | $(LOWDOWN) -s -Tman --nroff-nolinks \
		-M "title=$$(echo '$(basename $*)' | tr a-z A-Z)" \
		-M "section=$(patsubst .%,%,$(suffix $*))" -M shiftheadinglevelby=-1 \
		-M "date=$(MANDATE)" -M "source=ae $(VERSION)" -M "volume=ae manual" \
	| sed 's/\\fC/\\fB/g' | awk 'h == 2 && /^\.[LP]P$$/ { h = 0; next } { print } \
		/^\.TH / { print ".ad l"; print ".nh" } \
		/^\.S[HS]$$/ { h = 1; next } h == 1 { h = 2; next } { h = 0 }' >$@.tmp
	mv $@.tmp $@

build/man:
	mkdir -p build/man

# Every page through mandoc's linter: any warning fails.
man-lint: $(MANS)
	mandoc -Tlint -Wwarning $(MANS)

# The completion scripts, as 'ae completion' prints them.
completions: build/completion/ae build/completion/_ae

build/completion/ae: ae
	mkdir -p build/completion
	./ae completion bash >$@

build/completion/_ae: ae
	mkdir -p build/completion
	./ae completion zsh >$@

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer,
# built apart (build-asan/, ./ae-asan) so the normal build is untouched.
SAN = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_OBJS := $(SRCS:src/%.c=build-asan/%.o)
ASAN_LIB_OBJS := $(filter-out build-asan/main.o build-asan/cmd_%.o,$(ASAN_OBJS))
ASAN_UNITS := $(UNIT_SRCS:tests/unit/%.c=build-asan/unit_%)

build-asan/%.o: src/%.c src/*.h | build-asan
	$(CC) $(ALL_CFLAGS) $(SAN) -c -o $@ $<

build-asan:
	mkdir -p build-asan

ae-asan: $(ASAN_OBJS)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $(ASAN_OBJS) $(PKG_LIBS) $(LDFLAGS)

build-asan/unit_%: tests/unit/%.c $(ASAN_LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $< $(ASAN_LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

asan: ae-asan $(ASAN_UNITS) $(FAULT_SO) fuzz-replay
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		AE_BIN=$(CURDIR)/ae-asan AE_UNIT_DIR=$(CURDIR)/build-asan sh tests/run.sh

# The fuzz targets' past findings and seeds replayed in make check
# (tests/cases/fuzz/T runs tests/fuzz/replay.sh T): each target linked
# with tests/fuzz/replay.c, a main() in place of libFuzzer's, on gcc's
# ASan and UBSan objects (build-asan/fuzz_T); and, when clang is
# installed, the libFuzzer targets of build.sh (fuzz-build/), whose
# UBSan sees more.
FUZZ_TARGETS = ini record journal aeini format calendar edit cache book logcache listing
FUZZ_REPLAYS := $(FUZZ_TARGETS:%=build-asan/fuzz_%)

build-asan/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_book.h tests/fuzz/replay.c $(ASAN_LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(SAN) -Isrc -DAE_FUZZ_FORMATS='"$(CURDIR)/formats"' -o $@ \
		$< tests/fuzz/replay.c $(ASAN_LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

fuzz-replay: $(FUZZ_REPLAYS)
	if command -v $${FUZZ_CC:-clang} >/dev/null 2>&1; then LIBGIT2_SONAME=$(LIBGIT2_SONAME) sh tests/fuzz/build.sh; fi

# The suite under ThreadSanitizer (build-tsan/, ./ae-tsan; libgit2 and
# PCRE2 are not instrumented: tests/tsan.supp says why each entry is not
# ours), on 2 threads and on 8, so that the pool's parts interleave
# differently; any report fails the case that made it (tests/run.sh).
# TSAN_CASES selects cases as tests/run.sh's arguments do (default: all).
TSAN = -O1 -g -fsanitize=thread -fno-omit-frame-pointer
TSAN_OBJS := $(SRCS:src/%.c=build-tsan/%.o)
TSAN_LIB_OBJS := $(filter-out build-tsan/main.o build-tsan/cmd_%.o,$(TSAN_OBJS))
TSAN_UNITS := $(UNIT_SRCS:tests/unit/%.c=build-tsan/unit_%)
TSAN_ENV = TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	AE_BIN=$(CURDIR)/ae-tsan AE_UNIT_DIR=$(CURDIR)/build-tsan

build-tsan/%.o: src/%.c src/*.h | build-tsan
	$(CC) $(ALL_CFLAGS) $(TSAN) -c -o $@ $<

build-tsan:
	mkdir -p build-tsan

ae-tsan: $(TSAN_OBJS)
	$(CC) $(ALL_CFLAGS) $(TSAN) -o $@ $(TSAN_OBJS) $(PKG_LIBS) $(LDFLAGS)

build-tsan/unit_%: tests/unit/%.c $(TSAN_LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(TSAN) -o $@ $< $(TSAN_LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

tsan: ae-tsan $(TSAN_UNITS) $(FAULT_SO) fuzz-replay
	$(TSAN_ENV) AE_THREADS=2 sh tests/run.sh $(TSAN_CASES)
	$(TSAN_ENV) AE_THREADS=8 sh tests/run.sh $(TSAN_CASES)

valgrind: ae fuzz-replay
	AE_WRAP="valgrind -q --error-exitcode=99 --leak-check=full" sh tests/run.sh

bench: ae
	sh tests/bench/bench.sh

fuzz:
	LIBGIT2_SONAME=$(LIBGIT2_SONAME) sh tests/fuzz/build.sh

# every fuzz target for FUZZ_SECONDS (default 60) or FUZZ_RUNS executions
# each, then a table of their figures (tests/fuzz/run.sh)
fuzz-run: fuzz
	sh tests/fuzz/run.sh

# The HTML reports rendered in headless chromium: a screenshot and an A4
# PDF of each (build/html-check/).  Needs: apt-get install chromium fonts-noto-cjk
html-check: ae
	sh tests/html/check.sh

# What 'make install' puts under PREFIX (in DESTDIR), and 'make uninstall'
# takes away: the program, the shipped formats and calendars, the man
# pages, the bash and zsh completion, the vim and Emacs files, and the
# user's documentation (the README and the manual's Markdown; not
# HACKING.md nor PERFORMANCE.md, which are for those who work on ae).
# Uninstall removes exactly these files, and the folders that are ae's
# own (share/ae, share/doc/ae) once empty; shared folders stay.
FORMATS := $(sort $(wildcard formats/*.ini))
CALENDARS := $(sort $(wildcard formats/calendar/*.ini))
MAN_SECTIONS := $(sort $(patsubst .%,%,$(suffix $(MANS))))
MANUAL_MD := docs/README.md $(MAN_MD)

install: ae man completions
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/formats/calendar \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(VIMDIR)/compiler $(DESTDIR)$(LISPDIR) $(DESTDIR)$(DOCDIR)/manual \
		$(foreach s,$(MAN_SECTIONS),$(DESTDIR)$(MANDIR)/man$(s))
	install -m 755 ae $(DESTDIR)$(BINDIR)/ae
	install -m 644 $(FORMATS) $(DESTDIR)$(DATADIR)/formats/
	install -m 644 $(CALENDARS) $(DESTDIR)$(DATADIR)/formats/calendar/
	$(foreach s,$(MAN_SECTIONS),install -m 644 $(filter %.$(s),$(MANS)) $(DESTDIR)$(MANDIR)/man$(s)/;)
	install -m 644 build/completion/ae $(DESTDIR)$(BASHCOMPDIR)/ae
	install -m 644 build/completion/_ae $(DESTDIR)$(ZSHCOMPDIR)/_ae
	install -m 644 contrib/vim/compiler/ae.vim $(DESTDIR)$(VIMDIR)/compiler/ae.vim
	install -m 644 contrib/emacs/ae.el $(DESTDIR)$(LISPDIR)/ae.el
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -m 644 $(MANUAL_MD) $(DESTDIR)$(DOCDIR)/manual/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ae
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/formats/,$(notdir $(FORMATS)))
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/formats/calendar/,$(notdir $(CALENDARS)))
	rm -f $(foreach m,$(MANS),$(DESTDIR)$(MANDIR)/man$(patsubst .%,%,$(suffix $(m)))/$(notdir $(m)))
	rm -f $(DESTDIR)$(BASHCOMPDIR)/ae $(DESTDIR)$(ZSHCOMPDIR)/_ae
	rm -f $(DESTDIR)$(VIMDIR)/compiler/ae.vim $(DESTDIR)$(LISPDIR)/ae.el
	rm -f $(DESTDIR)$(DOCDIR)/README.md $(addprefix $(DESTDIR)$(DOCDIR)/manual/,$(notdir $(MANUAL_MD)))
	-rmdir $(DESTDIR)$(DATADIR)/formats/calendar $(DESTDIR)$(DATADIR)/formats $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(DOCDIR)/manual $(DESTDIR)$(DOCDIR) 2>/dev/null

# The Debian package, built by dpkg-buildpackage from a copy of the
# sources in build/deb/ (the .deb lands beside it, not in the project's
# parent folder), then lintian: any error fails.  Needs: apt-get install
# devscripts debhelper lintian (and the Build-Depends of debian/control).
# tests/deb/check.sh then installs it with apt-get and tries it.
deb:
	rm -rf build/deb
	mkdir -p build/deb/ae-$(VERSION)
	if git rev-parse --git-dir >/dev/null 2>&1; then \
		git ls-files -z | xargs -0 cp --parents -t build/deb/ae-$(VERSION); \
	else \
		tar -c --exclude=./build --exclude=./ae --exclude='./build-*' . | tar -x -C build/deb/ae-$(VERSION); \
	fi
	cd build/deb/ae-$(VERSION) && dpkg-buildpackage -us -uc -b
	lintian --fail-on error build/deb/ae_$(VERSION)_*.changes

deb-check: deb
	sh tests/deb/check.sh build/deb/ae_$(VERSION)_*.deb

# Emacs's compilation mode on ae check's output (needs emacs).
emacs-check: ae
	sh tests/editors/emacs.sh

clean-objs:
	rm -rf build ae build-asan ae-asan build-tsan ae-tsan

clean: clean-objs
	rm -rf tests/out fuzz-build

.PHONY: all man man-lint completions uninstall deb deb-check emacs-check check asan tsan valgrind fuzz-replay bench fuzz fuzz-run html-check install clean clean-objs
