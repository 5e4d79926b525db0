#!/bin/sh
# F1 on every screen of the interface (issue 3, habits: "F1 help, the keys of the current
# screen, scrollable"), on the real binary in tmux at 80x24 in English: the dashboard, a
# due check's cases, the units, the roster, a subscriber, the subscriber's form, the
# departure, the departure handover of tokens, the token list, a token, the token's
# handover and loss flows, the reports.  Each help shows that screen's own keys (at its
# top and scrolled to its end), Esc closes it, and the screen under it is still there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

setup_agency
must k unit add "Văn phòng Sở" >/dev/null
an=$(add_person "Nguyễn Văn An" 086090001001 "an@$DOMAIN" --unit "Văn phòng Sở")
binh=$(add_person "Lê Thị Bình" 086090001002 "binh@$DOMAIN")
must k token add --serial TK-0001 --subscriber "$an" --received 2026-06-01 >/dev/null
must k token add --serial TK-0002 --subscriber "$binh" --received 2026-06-01 >/dev/null
# Bình left without handing her token over: her screen offers the handover (h).
must k subscriber depart "$binh" --date 2026-11-20 --reason left >/dev/null
before=$(db_dump)

# leave: Esc out of a form, saying yes when it asks before discarding.
leave() {
	tui_keys Escape
	if tui_wait "Discard changes?" 1; then tui_keys y; fi
}

tui_start 80 24 HOME="$TMP" -- --lang en
tui_wait "To do" || fail "kyso shows its first screen"
tui_help "dashboard" "Language: Vietnamese or English" "Reports to the department" \
	"On a count: choose active, departed or all" "Redraw the screen"
tui_expect "the dashboard is still there after the help" "Subscribers"

# a click on the check of Bình's token selects it, a second opens its cases
y=$(($(tui_screen | grep -n -F "Departed subscriber's token" | head -1 | cut -d: -f1) - 1))
tui_click 5 "$y"
tui_click 5 "$y"
tui_wait "TK-0002" 5 || fail "the check of the departed subscriber's token opens its cases"
tui_help "a check's cases" "Move by a page, to the first or the last" "Refresh"
tui_keys Escape
tui_keys u
tui_wait "Văn phòng Sở" 5 || fail "u opens the units"
tui_help "units" "Roster of the unit" "Add a unit"
tui_keys Escape

tui_keys r
tui_wait "Nguyễn Văn An" 5 || fail "r opens the roster"
tui_help "roster" "Record the selected subscriber's departure" "The first or the last subscriber" \
	"Clear the search; with none, back"
tui_keys /
tui_type "le thi binh"
tui_keys Enter Enter
tui_wait "Subscriber: Lê Thị Bình" 5 || fail "the roster opens Lê Thị Bình"
tui_help "subscriber" "Choose one of the subscriber's tokens" \
	"Hand over or return the tokens of a departed" "correct the date recorded"
tui_keys h
tui_wait "Handover of tokens" 5 || fail "h opens the departure handover"
tui_help "departure handover" "pick the person from the roster" \
	"Delete to the start, to the end of the text" "How dates are typed"
tui_expect "the handover form is still there after the help" "Handover of tokens"
leave
tui_wait "Subscriber: Lê Thị Bình" 5
tui_keys e
tui_wait "Save" 5 || fail "e opens the subscriber's form"
tui_help "subscriber form" "Delete the word before the cursor" "Open the list of a choice"
leave
tui_keys Escape
tui_wait "Nguyễn Văn An" 5
tui_keys / C-u
tui_type "nguyen van an"
tui_keys Enter Enter
tui_wait "Subscriber: Nguyễn Văn An" 5 || fail "the roster opens Nguyễn Văn An"
tui_keys d
tui_wait "Record" 5 || fail "d opens the departure"
tui_help "departure" "Open the list of reasons; press a button" "How dates are typed"
leave
tui_keys Escape Escape Escape
tui_wait "To do" 5 || fail "Esc goes back to the dashboard"

tui_keys t
tui_wait "TK-0001" 5 || fail "t opens the token list"
tui_help "token list" "Mark or unmark the token (for p and R)" \
	"Return the marked tokens to the department" "Confirm PIN changes of the marked tokens"
tui_keys /
tui_type "TK-0001"
tui_keys Enter Enter
tui_wait "Token: TK-0001" 5 || fail "the list opens TK-0001"
tui_help "token" "Hand over to a designated successor (Art. 14.4)" \
	"Lend with written permission (Art. 14.3)" "Record the token lost (Art. 13.5)" \
	"Write the minutes a step is missing"
tui_keys h
tui_wait "Art. 14.4" 5 || fail "h opens the token's handover"
tui_help "token handover" "pick the person from the roster" "How dates are typed"
leave
tui_wait "Token: TK-0001" 5
tui_keys l
tui_wait "Art. 13.5" 5 || fail "l opens the loss"
tui_help "loss" "pick the person from the roster" "Previous or next field"
leave
tui_keys Escape Escape Escape
tui_wait "To do" 5 || fail "Esc goes back to the dashboard"

tui_keys b
tui_wait "Reports to the department" 5 || fail "b opens the reports"
tui_help "reports" "Numbers at the end, during the period, PIN changes" \
	"In the reports made: write the chosen one again" "Count again"
tui_quit "F10 quits"
tui_stop

check_eq "reading the help changed nothing in the database" "$(db_dump)" "$before"

finish
