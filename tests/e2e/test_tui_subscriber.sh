#!/bin/sh
# One subscriber in the full-screen interface: added through the form with Vietnamese
# typed precomposed and decomposed (Backspace takes a whole letter), stored NFC; an edit
# refused with every problem next to its field and nothing written, then fixed; a
# departure; a form kept as a draft on SIGHUP and on SIGTERM and offered at the next
# start; two kyso on one database editing one subscriber, the stale save refused with the
# typed text kept.  Each step checks the screen and the database.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

setup_agency
must k unit add "Phòng Kế hoạch" >/dev/null
must k unit add "Văn phòng Sở" >/dev/null
AGENCY="Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long"
NAME="Nguyễn Thị Ngọc Ánh"

# --- helpers: the way to the screens, as an officer goes -----------------------------------

# start COLS ROWS: kyso in English on the test's database, waiting for its first screen.
start() {
	tui_start "$1" "$2" -- --lang en
	tui_wait "$AGENCY" || fail "kyso shows its first screen"
}

# new_form: the dashboard's roster (r), then a new subscriber (a).
new_form() {
	tui_keys r
	tui_wait "Roster" 5
	tui_keys a
	tui_wait "New subscriber" || fail "the roster opens the form for a new subscriber"
}

# open_subscriber WORDS: the roster (r), a search (/ WORDS), the first row opened (Enter).
open_subscriber() {
	tui_keys r
	tui_wait "Roster" 5
	tui_keys /
	tui_type "$1"
	tui_keys Enter Enter
	tui_wait "History" || fail "the roster opens the subscriber found by \"$1\""
}

# line LABEL: the screen's row for LABEL (labels start at column 1).
line() { tui_screen | grep -m1 "^ $1" || true; }

# below LABEL: the row under LABEL's (where the form puts the field's problem).
below() { tui_screen | grep -m1 -A1 "^ $1" | tail -1; }

# A person's form opens on the name; Tab goes on to Unit, Position, Citizen ID, ID issued
# on, ID issued by, Date of birth, E-mail, Phone (8 Tabs), Address, Since, Note, [Save].

# --- add: Vietnamese typed decomposed, a Backspace over ễ -------------------------------------

start 80 24
new_form
tui_type "$(nfd 'Nguyễ')"
tui_keys BSpace
tui_wait_gone "Nguyễ" 3
check_match "Backspace over a decomposed ễ removes the whole letter" \
	"$(line 'Full name')" ' Full name \* +Nguy'
tui_type "$(nfd 'ễn Thị Ngọc Ánh')"
# The field keeps the letters as they were typed (decomposed) until they are stored.
tui_expect "the name typed decomposed shows as one name" "$(nfd "Full name *    $NAME")"
# At 80x24 the values start at column 16; the unit is on row 3.
tui_click 20 3
tui_expect "a click on the unit opens the list" "Filter:"
tui_type "ke hoach"
tui_keys Enter
tui_expect "the unit is chosen without diacritics" "Phòng Kế hoạch"
# After the pick the keys are on the next field: the position.
tui_type "Chuyên viên"
tui_keys Tab
tui_type "079 190 001 234"
tui_keys Tab
tui_type "01/02/2021"
tui_keys Tab
tui_type "Cục Cảnh sát QLHC về TTXH"
tui_keys Tab
tui_type "15/03/1990"
tui_keys Tab
tui_type "anh.ntn@$DOMAIN"
tui_keys Tab
tui_type "0912 345 678"
tui_expect "the form fits 80x24, its button too" "[ Save ]"
tui_click_on "[ Save ]"
tui_expect "a click on Save saves and says so" "Added $NAME"
tui_expect "the detail screen follows" "Subscriber: Nguyễn"
tui_expect "the detail shows dates as dd/mm/yyyy" "15/03/1990"
tui_expect "the history has the addition" "Added, by"
id=$(sql "select id from subscriber where name = '$NAME'")
check_ne "one row with the name, in NFC" "$id" ""
check_eq "the name is stored NFC, byte for byte" \
	"$(sql "select hex(name) from subscriber where id = ${id:-0}")" "$(hex "$(nfc "$NAME")")"
check_eq "the fields are stored normalised" \
	"$(sql "select u.name, s.position, s.id_number, s.id_issued_on, s.birth_date, s.email, s.phone, hex(s.id_issued_by) from subscriber s join unit u on u.id = s.unit_id where s.id = ${id:-0}")" \
	"Phòng Kế hoạch|Chuyên viên|079190001234|2021-02-01|1990-03-15|anh.ntn@$DOMAIN|0912345678|$(hex 'Cục Cảnh sát QLHC về TTXH')"

# --- edit: two problems at once, nothing written, then fixed ---------------------------------

before=$(table_sum subscriber event audit)
tui_keys e
tui_expect "e opens the edit form" "Edit subscriber: Nguyễn"
tui_keys Tab Tab Tab C-u
tui_type "07919000123"
tui_keys Tab Tab Tab Tab C-u
tui_type "anh@gmail.com"
tui_keys F2
tui_expect "a short citizen ID is refused" "has 11 digits; a citizen ID has 12"
tui_expect "an e-mail outside the domain is refused" "\"anh@gmail.com\" is not in the domain"
tui_expect "both are counted" "Not saved: 2 problem(s)"
check_has "the citizen ID's problem is under it" "$(below 'Citizen ID')" "has 11 digits"
check_has "the e-mail's problem is under it" "$(below 'E-mail')" "is not in the domain"
check_eq "a refused edit writes nothing" "$(table_sum subscriber event audit)" "$before"
tui_resize 120 40
tui_expect "after a resize the problems are still shown" "has 11 digits; a citizen ID has 12 (was a leading 0 lost in Excel?)"
tui_expect "and what was typed" "anh@gmail.com"
tui_resize 80 24
tui_expect "back at 80x24 too" "\"anh@gmail.com\" is not in the domain"
# The keys are on the first bad field: the citizen ID.
tui_keys C-u
tui_type "079190001235"
tui_keys Tab Tab Tab Tab C-u
tui_type "anh.nguyen@$DOMAIN"
tui_keys F2
tui_expect "the fixed edit is saved" "Saved $NAME"
tui_expect "back on the detail screen" "Subscriber: Nguyễn"
check_eq "the edit is in the database, version 2" \
	"$(sql "select id_number, email, version from subscriber where id = ${id:-0}")" \
	"079190001235|anh.nguyen@$DOMAIN|2"
tui_keys End
tui_expect "the history shows the change, old to new" "E-mail: anh.ntn@$DOMAIN → anh.nguyen@$DOMAIN"

# --- depart: a list of reasons, today by default, a date in the future refused ---------------

tui_keys d
tui_expect "d opens the departure" "Record departure"
tui_expect "the date is today by default" "25/11/2026"
tui_keys Enter
tui_type "retired"
tui_keys Enter
tui_expect "the reason is picked from a list" "Retired"
# The pick moved the keys on to the date.
# A letter is not for a date: refused aloud, the date kept as it was, still selected.
tui_type "x"
tui_expect "a letter typed into the date is refused and the status line says why" \
	"A date is typed dd/mm/yyyy: digits and / - . only"
tui_expect "the date is kept as it was" "25/11/2026 "
# The field got the keys with its date selected: what is typed replaces it, no C-u.
tui_type "31/12/2026"
tui_expect "the date typed over the prefilled one replaces it" "31/12/2026"
tui_keys Tab
tui_type "Nghỉ hưu theo chế độ"
tui_keys F2
tui_expect "a date in the future is refused next to it" "31/12/2026 is in the future"
check_eq "nothing is recorded" "$(sql "select status from subscriber where id = ${id:-0}")" active
# The keys went back to the bad date, selected again: typing replaces it.
tui_type "20/11/2026"
tui_keys F2
tui_expect "the departure is recorded" "Departed: Retired on 20/11/2026"
check_eq "status, date and note are stored" \
	"$(sql "select status, departed_on, departure_note, version from subscriber where id = ${id:-0}")" \
	"retired|2026-11-20|Nghỉ hưu theo chế độ|3"
tui_keys d
tui_expect_text "a departed subscriber cannot depart again: d offers to correct the date" \
	"already departed on 20/11/2026"
tui_expect "the date recorded is offered, to type over" "Correct the date to (dd/mm/yyyy): 20/11/2026"
tui_type "18/11/2026"
tui_keys Enter
tui_expect "the correction is said" "Departure date corrected to 18/11/2026"
tui_keys End
tui_expect "the history says it as the command line does: the earlier date and the new" \
	"Departure date: 20/11/2026 → 18/11/2026"
check_eq "the corrected date is stored" \
	"$(sql "select departed_on from subscriber where id = ${id:-0}")" 2026-11-18
check_eq "the correction is audited with the earlier date" \
	"$(sql "select count(*) from event where subscriber_id = ${id:-0} and kind = 'subscriber.corrected' and detail like '%2026-11-20%'")" 1
tui_keys F10
check_eq "F10 quits" "$(tui_wait_exit)" 0

# --- SIGHUP with a new subscriber typed: a draft, offered and saved --------------------------

start 80 24
new_form
tui_type "Trần Văn Đức"
tui_keys Tab Tab
tui_type "Kế toán viên"
tui_keys Tab
tui_type "086090001234"
tui_keys Tab Tab Tab Tab
tui_type "duc.tv@$DOMAIN"
tui_signal HUP
check_eq "SIGHUP ends kyso with 129" "$(tui_wait_exit)" 129
check_eq "the form is kept as a draft, as typed" \
	"$(sql "select form, subscriber_id is null, json_extract(fields, '\$.name'), json_extract(fields, '\$.position'), json_extract(fields, '\$.email') from draft")" \
	"subscriber|1|Trần Văn Đức|Kế toán viên|duc.tv@$DOMAIN"
check_eq "nothing was added" "$(sql "select count(*) from subscriber where name = 'Trần Văn Đức'")" 0

start 80 24
tui_expect_text "the next start offers the draft" "a new subscriber, Trần Văn Đức. Restore what was typed?"
tui_keys Enter
tui_expect "the form comes back with the text typed" "Full name *    Trần Văn Đức"
check_has "every field comes back" "$(line 'E-mail')" "duc.tv@$DOMAIN"
check_eq "a restored draft is deleted" "$(sql 'select count(*) from draft')" 0
tui_keys F2
tui_expect "the restored form saves" "Added Trần Văn Đức"
duc=$(sql "select id from subscriber where name = 'Trần Văn Đức'")
check_eq "the subscriber is in the database" "$(sql "select position, id_number from subscriber where id = ${duc:-0}")" \
	"Kế toán viên|086090001234"
tui_keys F10
check_eq "F10 quits" "$(tui_wait_exit)" 0

# --- SIGTERM with an edit typed: kept when declined, discarded only when asked ---------------

start 80 24
open_subscriber "tran van duc"
tui_keys e
tui_wait "Edit subscriber"
tui_keys Tab Tab Tab Tab Tab Tab Tab Tab
tui_type "0987 654 321"
tui_signal TERM
check_eq "SIGTERM ends kyso with 143" "$(tui_wait_exit)" 143
check_eq "the edit is kept as a draft on its version" \
	"$(sql "select form, subscriber_id, base_version, json_extract(fields, '\$.phone') from draft")" \
	"subscriber|${duc:-0}|1|0987 654 321"

start 80 24
tui_expect_text "the edit is offered" "an edit of Trần Văn Đức (#${duc:-0})"
tui_keys n
tui_expect_text "declining asks whether to delete it" "Delete what was typed for good?"
tui_keys n
check_eq "declined twice, the draft is kept" "$(sql 'select count(*) from draft')" 1
tui_keys F10
check_eq "F10 quits" "$(tui_wait_exit)" 0

start 80 24
tui_expect_text "the kept draft is offered again" "an edit of Trần Văn Đức"
tui_keys Enter
tui_expect "the edit comes back" "0987 654 321"
tui_keys Escape
tui_expect "Esc on a changed form asks" "Discard changes?"
tui_keys y
tui_expect "discarding goes back to the detail screen" "Subscriber: Trần Văn Đức"
check_eq "the phone was never written" "$(sql "select phone is null from subscriber where id = ${duc:-0}")" 1
check_eq "no draft is left" "$(sql 'select count(*) from draft')" 0
tui_keys F10
check_eq "F10 quits" "$(tui_wait_exit)" 0

# --- two kyso on one database, 120x40: the stale save refused, the text kept ----------------

start 120 40
one=$TUI_SESSION
open_subscriber "tran van duc"
tui_keys e
tui_wait "Edit subscriber"
start 120 40
two=$TUI_SESSION
open_subscriber "tran van duc"
tui_keys e
tui_wait "Edit subscriber"

tui_use "$one"
tui_keys Tab Tab Tab Tab Tab Tab Tab Tab
tui_type "0911111111"
tui_keys F2
tui_expect "the first kyso saves" "Saved Trần Văn Đức"

tui_use "$two"
tui_keys Tab Tab Tab Tab Tab Tab Tab Tab
tui_type "0922222222"
tui_keys Tab Tab Tab
tui_type "Ghi chú của máy hai"
tui_keys F2
tui_expect_text "the second kyso's save is refused as stale" "was changed by someone else since you read it"
tui_keys n
tui_wait_gone "Changed by someone else" 5
tui_expect "what was typed is still on the screen" "0922222222"
tui_expect "all of it" "Ghi chú của máy hai"
check_eq "the database has the first kyso's value" \
	"$(sql "select phone, note is null, version from subscriber where id = ${duc:-0}")" "0911111111|1|2"
tui_keys F2
tui_expect_text "saving again offers to write over the new version" "Save your changes over the other version?"
tui_keys y
tui_expect "the officer's choice saves" "Saved Trần Văn Đức"
check_eq "the second kyso's changes are written on version 3" \
	"$(sql "select phone, note, version from subscriber where id = ${duc:-0}")" \
	"0922222222|Ghi chú của máy hai|3"

tui_stop

# --- a name typed in lower case is offered in title case (issue 11.10) -----------------------

start 80 24
new_form
tui_type "lê thị thu hương"
tui_keys F5
tui_expect "F5 on a form reloads nothing and says so" "Nothing to reload here: what you typed is kept."
tui_expect "what was typed is still there" "lê thị thu hương"
tui_keys Tab Tab
tui_type "Chuyên viên"
tui_keys Tab
tui_type "079190009876"
tui_keys Tab Tab Tab Tab
tui_type "huonglt@$DOMAIN"
tui_keys F2
tui_expect_text "the name is offered as names are written, Vietnamese letters included" \
	'Write the name as "Lê Thị Thu Hương"?'
tui_keys Enter
tui_expect "yes saves it so" "Added Lê Thị Thu Hương"
check_eq "the name is stored in title case" \
	"$(sql "select count(*) from subscriber where name = 'Lê Thị Thu Hương'")" 1
tui_keys F10
tui_wait_exit >/dev/null
tui_stop
finish
