#!/bin/sh
# The Vietnamese catalogue (tui/po/vi.po) is complete: every message the sources mark
# with _() or N_() is in it, translated, none fuzzy, and msgfmt --check accepts it; so no
# change can leave English in the Vietnamese interface.  The messages are read from the
# sources exactly as `make pot` reads them (its xgettext command, with another output).
# The checks are first shown to catch each kind of hole on spoilt copies of vi.po.
. "$(dirname "$0")/lib.sh"

PO=$TOP/tui/po/vi.po

for tool in xgettext msgfmt msgcmp msgmerge msgattrib; do
	if ! command -v "$tool" >/dev/null; then
		fail "$tool is not installed (Debian package gettext)"
		finish
	fi
done

# --- the messages of the sources, as `make pot` extracts them ---------------------------

xgettext_cmd=$(make -s -n -C "$TOP" pot 2>/dev/null | grep '^xgettext ' | head -1)
if [ -z "$xgettext_cmd" ]; then
	fail "make -n pot names its xgettext command"
	finish
fi
pass "make -n pot names its xgettext command"
xgettext_cmd=$(printf '%s\n' "$xgettext_cmd" | sed "s| -o [^ ]*| -o '$TMP/sources.pot'|")
(cd "$TOP" && eval "$xgettext_cmd") 2>"$TMP/.xgettext"
rc=$?
judge "xgettext reads the sources as make pot does" $rc "exit 0" "$(cat "$TMP/.xgettext")"
[ "$rc" -eq 0 ] || finish
count=$(grep -c '^msgid ' "$TMP/sources.pot")
check_ne "the sources mark messages for translation" "$count" 0

# problems PO: prints what keeps PO from being complete for sources.pot (nothing when it
# is complete) and returns non-zero when something does.
problems() {
	_bad=0
	if ! msgfmt --check -o /dev/null "$1" 2>"$TMP/.check"; then
		echo "msgfmt --check refuses it:"
		cat "$TMP/.check"
		_bad=1
	fi
	_stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$1" 2>&1)
	case $_stats in
	*fuzzy* | *untranslated*)
		echo "msgfmt --statistics: $_stats"
		_bad=1
		;;
	esac
	if ! msgcmp -N "$1" "$TMP/sources.pot" >/dev/null 2>&1; then
		# which messages: merged onto the sources' template, the ones left empty or fuzzy
		msgmerge -q -N "$1" "$TMP/sources.pot" -o "$TMP/.merged.po" 2>/dev/null
		echo "messages of the sources that are missing, untranslated or fuzzy in it:"
		{
			msgattrib --untranslated --no-wrap --no-location "$TMP/.merged.po"
			msgattrib --only-fuzzy --no-wrap --no-location "$TMP/.merged.po"
		} 2>/dev/null | grep '^msgid "[^"]' | sed 's/^msgid /  /' | sort -u
		_bad=1
	fi
	return $_bad
}

# --- the checks catch each kind of hole ----------------------------------------------------

# spoil SED_SCRIPT: a copy of vi.po changed by a sed script, in $TMP/spoilt.po
spoil() { sed "$1" "$PO" >"$TMP/spoilt.po"; }

spoil '/^msgid "Token change without its minutes"$/{n;s/.*/msgstr ""/}'
! problems "$TMP/spoilt.po" >"$TMP/.p"
judge "an untranslated message is caught" $? "a problem naming it" "$(cat "$TMP/.p")"
check_has "and named" "$(cat "$TMP/.p")" "Token change without its minutes"

spoil '/^msgid "Lost"$/i\
#, fuzzy'
! problems "$TMP/spoilt.po" >"$TMP/.p"
judge "a fuzzy message is caught" $? "a problem" "$(cat "$TMP/.p")"
check_has "and counted" "$(cat "$TMP/.p")" "fuzzy"

spoil '/^msgid "Locked token awaiting recovery"$/,/^$/d'
! problems "$TMP/spoilt.po" >"$TMP/.p"
judge "a message of the sources missing from vi.po is caught" $? "a problem naming it" \
	"$(cat "$TMP/.p")"
check_has "and named" "$(cat "$TMP/.p")" "Locked token awaiting recovery"

spoil '/^msgid "no token #%lld"$/{n;s/.*/msgstr "không có token #%s"/}'
! problems "$TMP/spoilt.po" >"$TMP/.p"
judge "a translation whose printf format differs is caught" $? "a problem" "$(cat "$TMP/.p")"

# --- vi.po itself --------------------------------------------------------------------------

problems "$PO" >"$TMP/.p"
judge "vi.po translates every message of the sources (none missing, untranslated or fuzzy)" \
	$? "no problem" "$(cat "$TMP/.p")"
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$PO" 2>&1)
check_match "msgfmt --statistics counts only translated messages" "$stats" \
	'[0-9]+ translated messages?\.'

# --- and kyso speaks it -------------------------------------------------------------------

run kyso --lang vi token states
check_has "kyso --lang vi: the token table's header is Vietnamese" "$OUT" "Lệnh"
check_match "kyso --lang vi: its rules are Vietnamese (Art. 13 is a message too)" \
	"$(printf '%s\n' "$OUT" | grep '^token add ')" 'token add .* Đang dùng .* Điều 13'
run kyso --lang en token states
check_match "kyso --lang en: the same row in English" \
	"$(printf '%s\n' "$OUT" | grep '^token add ')" 'token add .* In use .* Art\. 13'

finish
