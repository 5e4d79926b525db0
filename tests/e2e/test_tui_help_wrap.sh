#!/bin/sh
# F1 at 80x24, the size issue 3 says is fully usable: a key's words longer than the help's
# box wrap under themselves (tui/widgets/dialog.c ui_help), none is cut with "…" - the token
# list's PIN and return keys, the subscriber's handover key and the frame's Esc line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

setup_agency
binh=$(add_person "Lê Thị Bình" 086090001002 "binh@$DOMAIN")
must k token add --serial TK-0002 --subscriber "$binh" --received 2026-06-01 >/dev/null
must k subscriber depart "$binh" --date 2026-11-20 --reason left >/dev/null

tui_start 80 24 HOME="$TMP" -- --lang en
tui_wait "To do" || fail "kyso shows its first screen"
tui_keys t
tui_wait "TK-0002" 5
tui_help "token list at 80x24" "Confirm PIN changes of the marked tokens, one date for all (Art. 13.3)" \
	"Return the marked tokens to the department, in one minutes"
tui_keys Escape r /
tui_type "le thi binh"
tui_keys Enter Enter
tui_wait "Subscriber: Lê Thị Bình" 5
tui_help "subscriber at 80x24" "Hand over or return the tokens of a departed subscriber (Art. 14.4)" \
	"Back to the previous screen (asks first when typed work would be lost)"
tui_quit "F10 quits"
tui_stop
finish
