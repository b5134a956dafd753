# ae -- the account executive's book.  See README.md.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/ae
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
PKGS = libgit2 inih libpcre2-8
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wvla -Wno-unused-parameter
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) \
	-DAE_DATADIR='"$(DATADIR)"'
ifeq ($(CI),true)
ALL_CFLAGS += -Werror
endif

SRCS := $(sort $(wildcard src/*.c))
OBJS := $(SRCS:src/%.c=build/%.o)
LIB_OBJS := $(filter-out build/main.o build/cmd_%.o,$(OBJS))

UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNITS := $(UNIT_SRCS:tests/unit/%.c=build/unit_%)

all: ae

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

check: ae $(UNITS) $(FAULT_SO)
	sh tests/run.sh

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

asan: ae-asan $(ASAN_UNITS) $(FAULT_SO)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		AE_BIN=$(CURDIR)/ae-asan AE_UNIT_DIR=$(CURDIR)/build-asan sh tests/run.sh

valgrind: ae
	AE_WRAP="valgrind -q --error-exitcode=99 --leak-check=full" sh tests/run.sh

bench: ae
	sh tests/bench/bench.sh

fuzz:
	sh tests/fuzz/build.sh

# The HTML reports rendered in headless chromium: a screenshot and an A4
# PDF of each (build/html-check/).  Needs: apt-get install chromium fonts-noto-cjk
html-check: ae
	sh tests/html/check.sh

install: ae
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/formats/calendar $(DESTDIR)$(DATADIR)/doc
	install -m 755 ae $(DESTDIR)$(BINDIR)/ae
	install -m 644 formats/*.ini $(DESTDIR)$(DATADIR)/formats/
	install -m 644 formats/calendar/*.ini $(DESTDIR)$(DATADIR)/formats/calendar/
	install -m 644 docs/*.md $(DESTDIR)$(DATADIR)/doc/

clean-objs:
	rm -rf build ae build-asan ae-asan

clean: clean-objs
	rm -rf tests/out fuzz-build

.PHONY: all check asan valgrind bench fuzz html-check install clean clean-objs
