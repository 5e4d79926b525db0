#!/bin/sh
# The dashboard ("Việc cần làm", the first screen), in tmux at 80x24 and 120x40: the due
# list with each check's count and rule and a "!" on a check with cases; Enter lists the
# cases and opens the subscriber; a fix made by the CLI shows after F5 as "done"; the
# counts by kind and status follow adds and departures (g) and open the roster with the
# same filter; the units screen (the tree, its counts, adding a unit under another, the
# roster of one unit); L switches the language and the next start keeps it (--lang and
# KYSO_LANG still win); NO_COLOR draws no colour and still marks state in text; a resize
# redraws with nothing left of the old size.  The screen and the database are checked.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

# expect_title DESC TEXT: the title row (the first) comes to hold TEXT.
expect_title() {
	_deadline=$(($(date +%s) + TUI_WAIT))
	while :; do
		tui_screen | head -1 | grep -qF -- "$2" && { pass "$1"; return 0; }
		[ "$(date +%s)" -ge "$_deadline" ] && break
		sleep 0.1
	done
	fail "$1"
	note "expected in the title row: $2" "screen:"
	tui_screen | quote_all
	return 1
}

# count SQL-WHERE: active subscribers, departed ones and all, as the dashboard's columns.
counts() {
	sql "select sum(status = 'active'), sum(status <> 'active'), count(*) from subscriber
	     where $1" | tr '|' ' '
}

# count_line LABEL WHERE: the ERE of a count line showing the database's numbers.
count_line() {
	set -- "$1" $(counts "$2")
	printf ' *%s +%s +%s +%s' "$1" "${2:-0}" "${3:-0}" "${4:-0}"
}

due_count() {
	run k due --json
	json_get "[c['count'] for c in d if c['check'] == '$1'][0]"
}

# --- data, by the command line -------------------------------------------------------------

# Everyone is in a sub-domain but Bảy; the agency then takes that sub-domain as its
# domain, which leaves Bảy's address outside (Art. 5.1.b).
SUB=stc.$DOMAIN
setup_agency
office=$(must k unit add "Văn phòng Sở")
water=$(must k unit add "Chi cục Thủy lợi")
tech=$(must k unit add "Phòng Kỹ thuật" --parent "$water")
duc=$(add_person "Đặng Văn Đức" 086090001001 "ducdv@$SUB" --unit "Văn phòng Sở")
anh=$(add_person "Nguyễn Thị Ánh" 086190001002 "anhnt@$SUB" --unit "Phòng Kỹ thuật")
bay=$(add_person "Trần Văn Bảy" 086085000103 "bay.tv@$DOMAIN" --unit "Chi cục Thủy lợi")
must k subscriber add --kind org --name "Trung tâm Dịch vụ nông nghiệp" --tax-code 1500123456 \
	--email "ttdv@$SUB" --unit "Chi cục Thủy lợi" >/dev/null
must k subscriber add --kind device --name "Máy chủ thư điện tử" --email "mail@$SUB" \
	--unit "Văn phòng Sở" >/dev/null
must k agency edit --email-domain "$SUB" >/dev/null
check_eq "(the CLI counts one address outside the domain)" "$(due_count email_outside_domain)" 1

# --- the due list at 80x24 -------------------------------------------------------------------

tui_start 80 24 -- --lang en
expect_title "kyso opens on the dashboard" "To do"
tui_expect_line "the e-mail check shows \"!\", its count 1 and its rule" "E-mail outside" \
	" ! E-mail outside the province's domain +1  Art\. 5\.1\.b"
tui_expect_line "the focal-point check (none recorded) shows \"!\", 1 and its rule" \
	"No focal-point" " ! No focal-point officer recorded +1  Art\. 9\.4"

# The checks of tokens and certificates come first (DESIGN.md §5's order); ten rows down
# is the e-mail check.
to_email_check() { tui_keys Down Down Down Down Down Down Down Down Down Down; }
to_email_check
tui_keys Enter
expect_title "Enter on the e-mail check lists its cases" "Cases"
tui_expect "the case names the subscriber" "Trần Văn Bảy"
tui_expect "and says what is wrong, in full below the list" \
	"#$bay Trần Văn Bảy: \"bay.tv@$DOMAIN\" is not in the domain"
tui_expect "(the domain on the next line at 80 columns)" " $SUB"
tui_expect "and shows the unit" "Chi cục Thủy lợi"
tui_keys Enter
expect_title "Enter on the case opens the subscriber" "Subscriber"
tui_expect "the subscriber's screen is Bảy's" "Trần Văn Bảy"
tui_keys Escape
expect_title "Esc goes back to the cases" "Cases"
tui_keys Escape
expect_title "and Esc again to the dashboard" "To do"

run k subscriber edit "$bay" --email "bay.tv@$SUB"
check_rc 0 "(the CLI moves Bảy's address into the domain)"
check_eq "(the CLI counts 0)" "$(due_count email_outside_domain)" 0
tui_expect_line "without F5 the e-mail check follows the change: ✓, 0 and \"done\"" "E-mail outside" \
	" ✓ E-mail outside the province's domain +0  Art\. 5\.1\.b +done"
tui_keys F5
tui_expect "F5 reloads" "Refreshed."
tui_keys Enter
tui_expect "Enter on a check with nothing to do says so" "Nothing to do here."
expect_title "and stays on the dashboard" "To do"

# --- counts by kind and status -------------------------------------------------------------

tui_expect_line "persons: active, departed and total as the database counts them" "Person" \
	"$(count_line Person "kind = 'person'")"
tui_expect_line "organisations" "Organisation" "$(count_line Organisation "kind = 'org'")"
tui_expect_line "devices" "Device/service" "$(count_line Device/service/software "kind = 'device'")"
tui_expect_line "every subscriber" "All subscribers" "$(count_line "All subscribers" "1")"
# The report checks (report_due, report_late) come after the e-mail check: at 80x24 the
# units' line is below the screen until the list scrolls to it (End), and back (Home).
tui_keys End
tui_expect_line "the units" " Units" " Units +$(rows unit)"
tui_keys Home
to_email_check

must k subscriber depart "$anh" --date 2026-11-01 --reason left >/dev/null
yen=$(add_person "Lê Thị Yến" 086190001004 "yenlt@$SUB" --unit "Văn phòng Sở")
tui_keys g
tui_expect_line "after a departure and an add, g shows the new person counts" "Person" \
	"$(count_line Person "kind = 'person'")"
check_eq "(the database: 3 active persons, 1 departed)" "$(counts "kind = 'person'")" "3 1 4"
tui_expect_line "and the new totals" "All subscribers" "$(count_line "All subscribers" "1")"

# The person line, the departed column: Enter opens the roster of departed persons (four
# lines below the e-mail check: the two report checks, the focal point, persons).
tui_keys Down Down Down Down Left
tui_expect_line "← on a count line marks the departed count" "Person" " *Person +3 +\[1\] +4"
tui_keys Enter
expect_title "Enter on it opens the roster" "Roster"
tui_expect "filtered: the departed person is listed" "Nguyễn Thị Ánh"
tui_expect_not "and an active one is not" "Đặng Văn Đức"
tui_keys Escape
expect_title "Esc goes back to the dashboard" "To do"
tui_expect_line "with the same line and column chosen" "Person" " *Person +3 +\[1\] +4"

# The mouse: a click on the active count of persons (row 18, below the fourteen checks;
# the column at 43..53 at 80 columns) chooses it without opening; a second click opens
# the roster of those.
tui_keys Up Up
tui_click 48 18
tui_expect_line "a click on a count chooses it" "Person" " *Person +\[3\] +1 +4"
expect_title "and opens nothing yet" "To do"
tui_click 48 18
expect_title "a click on the chosen count opens the roster" "Roster"
tui_expect "of the active persons" "Lê Thị Yến"
tui_expect_not "and not the departed one" "Nguyễn Thị Ánh"
tui_keys Escape
expect_title "(back)" "To do"

# --- units ------------------------------------------------------------------------------------

tui_keys Down Down Down Down Enter
expect_title "Enter on the units line opens the units" "Units"
# A unit counts its sub-units' subscribers too, as its roster lists them (issue 11.10).
tui_expect_line "the tree: Chi cục Thủy lợi with its and Phòng Kỹ thuật's subscribers" \
	"Chi cục Thủy lợi" " Chi cục Thủy lợi +2 +1"
tui_expect_line "Phòng Kỹ thuật indented under it (its one subscriber departed)" \
	"Phòng Kỹ thuật" "   Phòng Kỹ thuật +0 +1"
tui_expect_line "Văn phòng Sở" "Văn phòng Sở" " Văn phòng Sở +3 +0"
check_eq "(the database agrees)" \
	"$(sql "select count(*) from subscriber where unit_id = $water and status = 'active'") $(sql "select count(*) from subscriber where unit_id = $tech and status <> 'active'") $(sql "select count(*) from subscriber where unit_id = $office and status = 'active'")" \
	"2 1 3"
tui_screen | sed -n 3,5p | awk '{print $1, $2, $3}' >"$TMP/order"
check_eq "the children come right after their parent, in Vietnamese order" \
	"$(cat "$TMP/order")" "$(printf 'Chi cục Thủy\nPhòng Kỹ thuật\nVăn phòng Sở')"

tui_keys a
tui_expect "a asks for the new unit's name" "Add a unit"
tui_type "Phòng Tổ chức"
tui_keys Enter
tui_expect "then under which unit" "Under which unit?"
tui_type "chi cuc"
tui_keys Enter
tui_expect "the unit is added" "Unit added: Phòng Tổ chức"
check_eq "it is in the database, under Chi cục Thủy lợi" \
	"$(sql "select parent_id from unit where name = 'Phòng Tổ chức'")" "$water"
tui_expect_line "and shows indented under it" "Phòng Tổ chức" "   Phòng Tổ chức +0 +0"

units=$(rows unit)
tui_keys a
tui_expect "(a again)" "Add a unit"
tui_type "VĂN PHÒNG SỞ"
tui_keys Enter
tui_expect "(under which unit)" "Under which unit?"
tui_keys Enter
tui_expect "a name already taken (without case or diacritics) is refused, saying why" \
	"already exists"
tui_expect "and the name is asked again with what was typed" "VĂN PHÒNG SỞ"
tui_keys Escape
tui_expect_not "Esc gives up" "Name: VĂN"
check_eq "no unit was added" "$(rows unit)" "$units"

tui_keys End
tui_expect_line "(Văn phòng Sở is chosen)" "Văn phòng Sở" " Văn phòng Sở +3 +0"
tui_keys Enter
expect_title "Enter on a unit opens the roster" "Roster"
tui_expect "of that unit: Đức is listed" "Đặng Văn Đức"
tui_expect_not "Bảy (another unit) is not" "Trần Văn Bảy"
tui_keys Escape
expect_title "back to the units" "Units"
tui_keys Escape
tui_expect_line "back on the dashboard the units are counted again" " Units" " Units +4"

tui_keys r
expect_title "r opens the roster" "Roster"
tui_expect "with everyone" "Trần Văn Bảy"
tui_keys Escape
expect_title "Esc comes back" "To do"

# --- resize -------------------------------------------------------------------------------------

tui_resize 120 40
tui_expect_line "at 120x40 the key bar is on the last row" "F1 Help" "F1 Help .*F10 Quit"
check_eq "and on that row only" "$(tui_screen | grep -c 'F1 Help')" 1
check_eq "the last row is the bar" "$(tui_screen | sed -n 40p | cut -c1-7)" "F1 Help"
tui_resize 80 24
tui_wait_gone "Refreshed." 1
check_eq "back at 80x24 the bar is on row 24" "$(tui_screen | sed -n 24p | cut -c1-7)" "F1 Help"
check_eq "and nowhere else" "$(tui_screen | grep -c 'F1 Help')" 1
check_eq "no row is wider than 80 columns" \
	"$(tui_screen | awk '{ if (length($0) > 80) n++ } END { print n + 0 }')" 0
tui_quit "q quits from the dashboard" q
tui_stop

# --- language: L switches and is kept -------------------------------------------------------------

tui_start 120 40 -- --lang en
expect_title "(120x40, English)" "To do"
tui_keys L
tui_expect "L switches to Vietnamese at once" "Email ngoài miền của tỉnh"
check_eq "the choice is kept in the setting" "$(sql "select value from setting where key = 'language'")" vi
check_eq "the change goes through the audit chain, as setting set does" \
	"$(sql "select count(*) from audit where action = 'setting.set' and subject = 'language' and payload like '%\"vi\"%'")" 1
tui_quit "quit" q
tui_stop
tui_start 120 40
tui_expect "started again without --lang, kyso speaks Vietnamese" "Email ngoài miền của tỉnh"
tui_keys L
tui_expect "L switches back to English" "E-mail outside the province's domain"
check_eq "and the setting says so" "$(sql "select value from setting where key = 'language'")" en
tui_quit "quit" q
tui_stop
tui_start 80 24
tui_expect "started again without --lang, kyso speaks English" "E-mail outside the province's domain"
tui_quit "quit" q
tui_stop
tui_start 80 24 KYSO_LANG=vi
tui_expect "KYSO_LANG=vi wins over the setting" "Email ngoài miền của tỉnh"
tui_quit "quit" q
tui_stop
tui_start 80 24 -- --lang vi
tui_expect "--lang vi wins over the setting" "Email ngoài miền của tỉnh"
tui_quit "quit" q
tui_stop
check_eq "neither changed the setting" "$(sql "select value from setting where key = 'language'")" en

# --- NO_COLOR -------------------------------------------------------------------------------------

sql "update subscriber set email = 'bay.tv@$DOMAIN' where id = $bay"
must k agency edit --focal "Lê Văn Bình" >/dev/null
tui_start 80 24 NO_COLOR=1 -- --lang en
tui_expect_line "without colour a check with cases is still marked \"!\"" "E-mail outside" \
	" ! E-mail outside the province's domain +1  Art\. 5\.1\.b"
tui_expect_line "and one with none \"✓ ... done\"" "No focal-point" \
	" ✓ No focal-point officer recorded +0  Art\. 9\.4 +done"
esc=$(printf '\033')
tmux_ capture-pane -e -p -t "$TUI_SESSION" >"$TMP/sgr"
if grep -qE "$esc\[([0-9]+;)*(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5|48;5)(;[0-9]+)*m" "$TMP/sgr"; then
	fail "NO_COLOR=1: no colour is drawn"
	quote <"$TMP/sgr"
else
	pass "NO_COLOR=1: no colour is drawn"
fi
tui_quit "quit" q
tui_stop

# --- more cases than are listed (120x40) ------------------------------------------------------------

"$PY" "$GEN_ROSTER" 120 --seed 5 --domain "$SUB" >"$TMP/more.csv"
must k import "$TMP/more.csv" >/dev/null
must k agency edit --email-domain other.gov.vn >/dev/null
outside=$(due_count email_outside_domain)
check_eq "(every active subscriber is outside the new domain)" "$outside" \
	"$(sql "select count(*) from subscriber where status = 'active'")"
tui_start 120 40 -- --lang en
tui_expect_line "the count is every case" "E-mail outside" \
	" ! E-mail outside the province's domain +$outside  Art\. 5\.1\.b"
to_email_check
tui_keys Enter
expect_title "(the cases)" "Cases"
tui_expect "the first 100 are listed and the others counted" "… and $((outside - 100)) more"
run k due --json
last=$(json_get "[c for c in d if c['check'] == 'email_outside_domain'][0]['items'][99]['subscriber_id']")
tui_keys End
tui_expect "End selects the 100th case, as due --json lists them" "#$last "
tui_keys q
tui_expect "q closes the list and goes back to the dashboard" "E-mail outside the province"
tui_quit "q on the dashboard quits" q
tui_stop

finish
