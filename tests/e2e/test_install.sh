#!/bin/sh
# make install and make uninstall, as a packager runs them (DESTDIR, PREFIX): the files
# and their modes, the manual page as man shows it, the installed kyso speaking Vietnamese
# from the catalogue installed beside it with no path of the build tree inside, and
# uninstall taking away what install put.  ./kyso is left as it was.
. "$(dirname "$0")/lib.sh"

for tool in make man groff strings; do
	if ! command -v "$tool" >/dev/null; then
		fail "$tool is not installed (.ci/deps test installs it)"
		finish
	fi
done

# mk TARGET VAR=VALUE...: make in the checkout, quiet, whatever make this test runs under.
mk() { run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$TOP" "$@"; }

# files DIR: the files under DIR with their modes, one "MODE PATH" a line, sorted.
files() { (cd "$1" && find . -type f -exec stat -c '%a %n' {} + | sort); }

UNKNOWN_VI="tùy chọn không hợp lệ"
if ! grep -qxF "msgstr \"$UNKNOWN_VI\"" "$TOP/tui/po/vi.po"; then
	fail "vi.po translates \"unknown option\" as this test expects: $UNKNOWN_VI"
fi

# --- install ---------------------------------------------------------------------------

stage=$TMP/stage
tree_kyso=$(stat -c '%i %Y' "$TOP/kyso" 2>&1)
mk install DESTDIR="$stage" PREFIX=/usr
check_rc 0 "make install DESTDIR=\$TMP/stage PREFIX=/usr"
check_eq "make install leaves ./kyso as it was" "$(stat -c '%i %Y' "$TOP/kyso" 2>&1)" "$tree_kyso"
check_eq "the binary (755), the manual page and the catalogue (644) are installed" \
	"$(files "$stage")" "644 ./usr/share/locale/vi/LC_MESSAGES/kyso.mo
644 ./usr/share/man/man1/kyso.1
755 ./usr/bin/kyso"
bin=$stage/usr/bin/kyso

# --- the manual page -------------------------------------------------------------------

page=$stage/usr/share/man/man1/kyso.1
shown=$(LC_ALL=C.UTF-8 MANPAGER=cat COLUMNS=80 man -l "$page" 2>"$TMP/man.err")
check_eq "man -l shows the page without a complaint" "$?:$(cat "$TMP/man.err")" "0:"
for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS FILES ENVIRONMENT "EXIT STATUS" \
	EXAMPLES; do
	printf '%s\n' "$shown" | grep -qx "$section"
	judge "the page has the section $section" $? "a line \"$section\"" "$shown"
done
# A terminal without UTF-8 shows it without a complaint too (the page is ASCII).
check_eq "man -l in the C locale shows the page without a complaint" \
	"$(LC_ALL=C MANPAGER=cat COLUMNS=80 man -l "$page" 2>&1 >/dev/null)" ""
for device in utf8 ascii; do
	check_eq "groff -man -T$device -ww reads the page without a warning" \
		"$(LC_ALL=C.UTF-8 groff -man -T$device -ww -z "$page" 2>&1)" ""
done

# The commands of `kyso --help` are those of the page's COMMANDS section, no more, no less.
run "$bin" --lang en --help
helped=$(printf '%s\n' "$OUT" | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p' | sort -u)
listed=$(printf '%s\n' "$shown" | sed -n '/^COMMANDS/,/^       -o /s/^       \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p' |
	sort -u)
check_ne "kyso --help lists commands" "$helped" ""
check_eq "the page's COMMANDS are those of kyso --help" "$listed" "$helped"

# --- the installed kyso ----------------------------------------------------------------

# Nothing here names a catalogue folder: the installed kyso finds its own.
run env -u KYSO_LOCALEDIR "$bin" --lang vi --bogus
check_rc 2 "the installed kyso: an unknown option is a usage error"
check_has "the installed kyso speaks Vietnamese from the catalogue beside it" "$ERR" "$UNKNOWN_VI"
run env -u KYSO_LOCALEDIR "$bin" --lang vi --help
vi_help=$OUT
run kyso --lang vi --help
check_eq "the installed kyso's --help is the Vietnamese one of ./kyso" "$vi_help" "$OUT"
run env -u KYSO_LOCALEDIR "$bin" --lang en --bogus
check_has "the installed kyso speaks English with --lang en" "$ERR" "unknown option"
run env -u KYSO_LOCALEDIR "$bin" --lang vi --db "$DB" init --agency "Sở Thử" --code THU \
	--email-domain "$DOMAIN"
check_rc 0 "the installed kyso sets up a database"

strings -a "$bin" >"$TMP/strings"
check_eq "the installed kyso holds no path of the build tree ($TOP)" \
	"$(grep -F "$TOP" "$TMP/strings")" ""
check_has "the installed kyso names PREFIX's catalogue folder" "$(cat "$TMP/strings")" \
	/usr/share/locale

# Without the catalogue beside it, it looks in /usr/share/locale (where there is none here).
if [ ! -e /usr/share/locale/vi/LC_MESSAGES/kyso.mo ]; then
	mv "$stage/usr/share/locale" "$stage/usr/share/locale.away"
	run env -u KYSO_LOCALEDIR "$bin" --lang vi --bogus
	check_lacks "without the catalogue beside it, the installed kyso has none" "$ERR" \
		"$UNKNOWN_VI"
	mv "$stage/usr/share/locale.away" "$stage/usr/share/locale"
fi

# --- uninstall -------------------------------------------------------------------------

mk uninstall DESTDIR="$stage" PREFIX=/usr
check_rc 0 "make uninstall DESTDIR=\$TMP/stage PREFIX=/usr"
check_eq "make uninstall removes the three files" "$(files "$stage")" ""
check_eq "make uninstall leaves ./kyso as it was" "$(stat -c '%i %Y' "$TOP/kyso" 2>&1)" \
	"$tree_kyso"

finish
