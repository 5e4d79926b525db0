# kyso - build, set-up, tests and benchmarks.  See README.md.
#
#   make          build ./kyso
#   make run      install what is missing, build, open kyso on its default database
#   make test     install what is missing, build, run every test (also under ASan/UBSan
#                 and valgrind)
#   make check    the quick loop: unit tests and command-line end-to-end tests, in
#                 parallel, without the sanitizer build or the interface tests
#   make bench    benchmarks (figures printed; never a failure on speed)
#   make install  build kyso for PREFIX (default /usr/local) and install it, its manual
#                 page and its catalogues under DESTDIR/PREFIX; make uninstall removes them

CC      ?= cc
PKGS    := sqlite3 libcrypto icu-uc icu-i18n libutf8proc xlsxwriter jansson libzip expat ncursesw
CSTD    := -std=c11 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror
OPT     ?= -O2 -g
LOCALEDIR := $(abspath build/locale)
# Set by `make install` only: where the installed kyso looks for its catalogues first,
# from its own folder (core/i18n.c).
LOCALEDIR_NEAR_EXE :=

# pkg-config is asked only when building, so that `make deps` works before it exists.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lcsv -lm -pthread

CPPFLAGS += -Iinclude -Itui -DKYSO_LOCALEDIR='"$(LOCALEDIR)"'
CPPFLAGS += $(if $(LOCALEDIR_NEAR_EXE),-DKYSO_LOCALEDIR_NEAR_EXE='"$(LOCALEDIR_NEAR_EXE)"')
CFLAGS   += $(CSTD) $(WARN) $(OPT) -pthread -MMD -MP

CORE_SRC    := $(wildcard core/*.c)
REPORTS_SRC := $(wildcard reports/*.c)
TUI_SRC     := $(wildcard tui/*.c tui/cli/*.c tui/screens/*.c tui/widgets/*.c)
TUI_LIB_SRC := $(filter-out tui/main.c,$(TUI_SRC))
LIB_SRC     := $(CORE_SRC) $(REPORTS_SRC)
UNIT_SRC    := $(wildcard tests/unit/test_*.c)

B ?= build/release
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
TUI_OBJ  := $(TUI_LIB_SRC:%.c=$(B)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

PO  := $(wildcard tui/po/*.po)
MO  := $(PO:tui/po/%.po=build/locale/%/LC_MESSAGES/kyso.mo)

.PHONY: all deps deps-build run test check check-asan unit-bins asan-unit-bins bench clean pot \
	install uninstall

all: kyso $(MO)

# Copied then renamed, so that a kyso still running keeps its binary.
kyso: $(B)/kyso
	cp $< $@.tmp
	mv -f $@.tmp $@

$(B)/kyso: $(B)/tui/main.o $(B)/libkysotui.a $(B)/libkyso.a $(B)/layers.ok
	$(CC) $(LDFLAGS) -o $@ $(filter-out %.ok,$^) $(PKG_LIBS)

# The build fails when an #include points the wrong way between the layers (README,
# "Architecture").
HEADERS := $(wildcard include/kyso/*.h core/*.h reports/*.h tui/*/*.h)
$(B)/layers.ok: tests/layers $(LIB_SRC) $(TUI_SRC) $(HEADERS)
	sh tests/layers
	@mkdir -p $(@D)
	@touch $@

$(B)/libkyso.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# tui/ without main.c, so that unit tests can reach its modules too.
$(B)/libkysotui.a: $(TUI_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/libkysotui.a $(B)/libkyso.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(shell pkg-config --cflags cmocka) $(CFLAGS) $(LDFLAGS) $(TEST_LDFLAGS) \
		-o $@ $< $(B)/libkysotui.a $(B)/libkyso.a $(PKG_LIBS) $(shell pkg-config --libs cmocka)

# test_err makes realloc fail at will (a problem that cannot be kept must still count).
$(B)/tests/test_err: TEST_LDFLAGS = -Wl,--wrap=realloc

build/locale/%/LC_MESSAGES/kyso.mo: tui/po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# The message template, regenerated from the sources (msgmerge keeps the translations).
pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -kNC_:1c,2 -o tui/po/kyso.pot $(LIB_SRC) $(TUI_SRC)
	for po in $(PO); do msgmerge -q -U --backup=none $$po tui/po/kyso.pot; done

deps:
	@sh .ci/deps test

deps-build:
	@sh .ci/deps build

run: deps-build
	$(MAKE) all
	./kyso

test: deps
	$(MAKE) all
	$(MAKE) unit-bins
	$(MAKE) B=build/asan OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		LDFLAGS='-fsanitize=address,undefined' build/asan/kyso asan-unit-bins
	sh tests/run-all

# The quick loop while working (minutes): no sanitizer build, no tmux; see tests/check.
check: deps
	$(MAKE) all unit-bins
	sh tests/check

unit-bins: $(UNIT_BIN)
asan-unit-bins: $(UNIT_BIN)

check-asan: deps
	$(MAKE) B=build/asan OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		LDFLAGS='-fsanitize=address,undefined' build/asan/kyso asan-unit-bins
	KYSO_ONLY=asan sh tests/run-all

bench: deps
	$(MAKE) all
	sh tests/bench/run

clean:
	rm -rf build kyso

# Where `make install` puts kyso: DESTDIR (a staging folder, for packages) then PREFIX.
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
MAN1DIR  = $(PREFIX)/share/man/man1
PREFIX_LOCALEDIR = $(PREFIX)/share/locale
LANGS   := $(PO:tui/po/%.po=%)
INSTALL_MO = $(LANGS:%=$(DESTDIR)$(PREFIX_LOCALEDIR)/%/LC_MESSAGES/kyso.mo)

# The installed kyso is built apart in build/install (./kyso and the tests keep theirs),
# with PREFIX's catalogue folder compiled in and the build tree's path mapped out of the
# debug information.  build/install/prefix changes with PREFIX, and i18n.o with it.
IB := build/install
$(IB)/core/i18n.o: $(IB)/prefix

install: $(MO)
	@mkdir -p $(IB)
	@echo '$(PREFIX)' | cmp -s - $(IB)/prefix || echo '$(PREFIX)' >$(IB)/prefix
	$(MAKE) B=$(IB) LOCALEDIR='$(PREFIX_LOCALEDIR)' LOCALEDIR_NEAR_EXE=../share/locale \
		OPT='$(OPT) -ffile-prefix-map=$(CURDIR)=.' $(IB)/kyso
	install -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(MAN1DIR)'
	install -m 755 $(IB)/kyso '$(DESTDIR)$(BINDIR)/kyso'
	install -m 644 tui/kyso.1 '$(DESTDIR)$(MAN1DIR)/kyso.1'
	for l in $(LANGS); do \
		install -d '$(DESTDIR)$(PREFIX_LOCALEDIR)'/$$l/LC_MESSAGES && \
		install -m 644 build/locale/$$l/LC_MESSAGES/kyso.mo \
			'$(DESTDIR)$(PREFIX_LOCALEDIR)'/$$l/LC_MESSAGES/kyso.mo || exit 1; \
	done

uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/kyso' '$(DESTDIR)$(MAN1DIR)/kyso.1' $(INSTALL_MO:%='%')

-include $(shell find build -name '*.d' 2>/dev/null)
