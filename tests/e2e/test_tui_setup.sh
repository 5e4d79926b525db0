#!/bin/sh
# The first run in the full-screen interface: on an empty database kyso opens the setup
# screen; the agency profile is checked as `kyso init` checks it (every problem next to
# its field, nothing written), then saved; the first units, one under another; the offer
# to import a roster, declined; the dashboard takes over.  At 80x24 and at 120x40, with a
# profile kept as a draft when kyso is stopped half-way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

AGENCY="Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long"

# line LABEL: the screen's row for the field LABEL (labels start at column 1).
line() { tui_screen | grep -m1 "^ $1" || true; }

# --- 80x24: problems, then a good profile, units, no import -------------------------------

tui_start 80 24 -- --lang en
tui_expect "an empty database opens the setup screen" "First run: set up the agency"
tui_expect "the profile's fields are listed" "Focal-point e-mail"
tui_expect "80x24: the save button is on the screen" "[ Save and continue ]"

tui_type "$AGENCY"
tui_keys Tab Tab Tab
tui_type "vinhlong"
tui_keys Tab Tab Tab Tab Tab Tab
tui_type "quang@gmail.com"
tui_keys F2
tui_expect "a missing code is named next to its field" "! is required"
tui_expect "a bad e-mail domain is named" "\"vinhlong\" is not a domain name"
tui_expect "an e-mail outside the domain is named (all problems at once)" "\"quang@gmail.com\""
tui_expect "the status line counts the problems" "Not saved: 3 problem(s)"
check_eq "nothing is written while there are problems" "$(sql 'select count(*) from agency')" 0
check_has "the code's problem is on the row under it" \
	"$(tui_screen | grep -A1 '^ Code \*' | tail -1)" "! is required"
# q is a letter while a field has the keys: the e-mail above was typed with it.
check_has "q typed in a field is text, not quit" "$(line 'Focal-point e-mail')" "quang@gmail.com"

# The keys are on the first bad field, the code.
tui_type "SNNMT"
tui_keys Tab Tab End
tui_type ".gov.vn"
tui_keys Tab Tab Tab Tab Tab Tab C-u
tui_type "quang@vinhlong.gov.vn"
tui_keys Tab Tab
tui_type "Vĩnh Long"
tui_keys F2
tui_expect "a good profile leads to the units" "Unit name"
check_eq "the agency is written once" "$(sql 'select count(*) from agency')" 1
check_eq "its columns are as typed" \
	"$(sql 'select name, code, email_domain, focal_email, place from agency')" \
	"$AGENCY|SNNMT|vinhlong.gov.vn|quang@vinhlong.gov.vn|Vĩnh Long"
tui_expect "no units yet" "(no units yet)"

# Enter in the name adds the unit; the second goes under the first.
tui_type "Phòng Kế hoạch"
tui_keys Enter
tui_expect "the first unit is listed" "• Phòng Kế hoạch"
tui_keys Tab Enter
tui_expect "Under opens the list of units" "Filter:"
tui_type "ke hoach"
tui_keys Enter
tui_expect "the parent is chosen" "Under        Phòng Kế hoạch"
# The pick moved the keys on to the code.
tui_type "TH"
tui_keys BTab BTab
tui_type "Tổ Tin học"
tui_keys Tab Tab
tui_expect "the code typed after the pick is in its field" "Unit code    TH"
tui_keys Enter
tui_expect "the second unit is listed under the first" "    • Tổ Tin học [TH]"
check_eq "two units" "$(sql 'select count(*) from unit')" 2
check_eq "the second sits under the first, with its code" \
	"$(sql "select c.name || '|' || c.code from unit c join unit p on p.id = c.parent_id where p.name = 'Phòng Kế hoạch'")" \
	"Tổ Tin học|TH"
check_eq "the first is at the top" "$(sql "select parent_id is null from unit where name = 'Phòng Kế hoạch'")" 1

# A unit that is there already is refused next to the name.
tui_type "phong ke hoach"
tui_keys Enter
tui_expect "a duplicate unit is refused next to its name" "already exists"
check_eq "still two units" "$(sql 'select count(*) from unit')" 2
tui_keys C-u

tui_keys F2
tui_expect "the import is offered" "Import an existing roster file"
tui_keys n
tui_wait_gone "First run" 5
tui_expect_not "the setup screen is gone" "First run"
tui_expect "the dashboard shows, titled with the agency" "kyso │ $AGENCY"
tui_keys F10
check_eq "F10 quits after the setup" "$(tui_wait_exit)" 0

# --- 120x40: a profile kept as a draft, then given up -------------------------------------

rm -f "$DB" "$DB-wal" "$DB-shm"
tui_start 120 40 -- --lang en
tui_expect "120x40: the setup screen" "First run: set up the agency"
tui_type "Sở Tài chính"
tui_keys Tab
tui_type "STC"
tui_keys Tab Tab
tui_type "bad domain"
tui_keys F2
tui_expect "120x40: the problem shows" "\"bad domain\" is not a domain name"
check_eq "120x40: nothing written" "$(sql 'select count(*) from agency')" 0
tui_signal HUP
check_eq "SIGHUP ends kyso with 129" "$(tui_wait_exit)" 129
check_eq "the typed profile is kept as a draft" \
	"$(sql "select form, json_extract(fields, '\$.name'), json_extract(fields, '\$.email_domain') from draft")" \
	"setup|Sở Tài chính|bad domain"

tui_start 120 40 -- --lang en
tui_expect "the next start offers the draft" "while the agency profile was being typed"
tui_keys Enter
tui_expect "the profile comes back as typed" "Sở Tài chính"
check_has "the domain too" "$(line 'E-mail domain')" "bad domain"
check_eq "the restored draft is deleted" "$(sql 'select count(*) from draft')" 0
tui_keys F10
tui_expect "quitting with typed work asks first" "Discard changes?"
tui_keys y
check_eq "then kyso ends" "$(tui_wait_exit)" 0
check_eq "and nothing was written" "$(sql 'select count(*) from agency')" 0

tui_stop
finish
