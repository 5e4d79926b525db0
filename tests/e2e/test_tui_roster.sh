#!/bin/sh
# test_tui_roster.sh - the roster screen on the real binary in tmux, at 80x24 and 120x40:
# empty first, then a few thousand generated subscribers plus four whose names hold every kind of
# Vietnamese diacritic; search without diacritics, the position "n/total", End and Home,
# filters by status and unit, sort by unit, columns aligned by display width, a departed
# row that says so, resizing, a mouse click.  The roster only reads: the database is the
# same after every session.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

# en N: N with its thousands grouped the English way (3,004), as the position shows it.
en() { "$PY" -c "print('{:,}'.format($1))"; }

# title_has TEXT: waits for TEXT in the title row.
title_has() {
	_i=0
	while [ "$_i" -lt 50 ]; do
		tui_screen | head -n 1 | grep -qF -- "$1" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# start COLS ROWS: kyso --lang en in tmux.
start() { tui_start "$1" "$2" -- --lang en; }

# roster_reach: the first screen is the dashboard, which opens the roster with r (an
# earlier dashboard opened the roster itself: then no key is needed).
roster_reach() {
	tui_wait "Search:" 3 || tui_keys r
	tui_expect "$1" "Search:"
}

# columns_aligned NAME...: each NAME's row has its unit starting at the column of the
# header "Unit", counted in display columns (a letter with two marks is one column).
columns_aligned() {
	tui_screen | "$PY" -c '
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else (2 if unicodedata.east_asian_width(c) in "WF" else 1) for c in s)
lines = sys.stdin.read().split("\n")
head = next(l for l in lines if "Full name" in l and "Unit" in l)
col = width(head[:head.index("Unit")])
bad = []
for name in sys.argv[1:]:
    row = next((l for l in lines if name in l), None)
    if row is None:
        bad.append("%s: not on the screen" % name)
        continue
    # the unit starts after the name column: the first letter at or after col
    i, w = 0, 0
    while w < col and i < len(row):
        w += width(row[i]); i += 1
    if w != col or row[i - 1] != " " or row[i] == " ":
        bad.append("%s: unit not at column %d: %r" % (name, col, row))
print("\n".join(bad))
sys.exit(1 if bad else 0)
' "$@"
}

N=3000
setup_agency

# --- an empty roster -------------------------------------------------------------------------

start 80 24
roster_reach "empty: the roster opens with no subscriber at all"
tui_expect "empty: it says there is none yet, and how to add one" "No subscribers yet"
tui_expect "empty: the position is 0/0" "0/0"
tui_keys End PPage Down
tui_keys /
tui_type "nguyen"
tui_expect "empty: a search finds nothing, and says so" "No subscriber matches"
tui_quit "empty: F10 quits"
tui_stop

"$GEN_ROSTER" "$N" --domain "$DOMAIN" >"$TMP/roster.csv"
must k import "$TMP/roster.csv" >/dev/null

add_person "Đặng Thị Ngọc Ánh" 086190000001 anhdtn.test@"$DOMAIN" --unit "Văn phòng Sở" >/dev/null
add_person "Nguyễn Văn Hưởng" 086190000002 huongnv.test@"$DOMAIN" --unit "Thanh tra Sở" >/dev/null
add_person "Lê Thị Mỹ Dung" 086190000003 dunglmt.test@"$DOMAIN" --unit "Chi cục Thủy lợi" >/dev/null
bao=$(add_person "Trương Quốc Bảo" 086190000004 baotq.test@"$DOMAIN" --unit "Văn phòng Sở")
must k subscriber depart "$bao" --date 20/11/2026 --reason left >/dev/null
TOTAL=$((N + 4))
total_en=$(en "$TOTAL")
before=$(data_sum)

# --- 80x24 ---------------------------------------------------------------------------------

start 80 24
roster_reach "80x24: the roster opens from the first screen"
tui_expect "80x24: the position of the first row over every subscriber" "1/$total_en"
tui_expect "80x24: the filters and the order are shown" "Sort: Name"
screen=$(tui_screen)
check_has "80x24: the name column" "$screen" "Full name"
check_has "80x24: the unit column" "$screen" "Unit"
check_has "80x24: the position column" "$screen" "Position"
check_has "80x24: the status column" "$screen" "Status"
check_lacks "80x24: no citizen ID column at 80 columns" "$screen" "Citizen ID"
check_has "80x24: the key bar holds every key, the last one too" "$(tui_screen | tail -n 1)" "F10 Quit"

# Search as you type, without diacritics.
tui_keys /
tui_type "dang thi ngoc anh"
tui_expect "80x24: \"dang thi ngoc anh\" finds Đặng Thị Ngọc Ánh" "Đặng Thị Ngọc Ánh"
run k subscriber list --search "dang thi ngoc anh" --json
matches=$(json_get 'len(d)')
tui_expect "80x24: the position counts the matches ($matches)" "1/$matches"
out=$(columns_aligned "Đặng Thị Ngọc Ánh")
judge "80x24: the unit column starts at the same screen column on a name with diacritics" \
	$? "the unit under the header" "$out"

# Every row the search shows matches it.
tui_keys Escape
tui_expect "80x24: Esc clears the search" "1/$total_en"
tui_keys /
tui_type "nguyen van huong"
tui_expect "80x24: \"nguyen van huong\" finds Nguyễn Văn Hưởng" "Nguyễn Văn Hưởng"
tui_keys Enter
tui_keys Escape
tui_expect "80x24: Esc in the list clears the search too" "1/$total_en"

# Columns: names with and without marks side by side (the generated names hold every
# vowel with every tone).
tui_keys /
tui_type "thi"
tui_expect "80x24: a common word lists many" "Thị"
tui_keys Enter
out=$(tui_screen | "$PY" -c '
import sys, unicodedata
lines = sys.stdin.read().split("\n")
head = next(l for l in lines if "Full name" in l)
col = head.index("Unit")
rows = [l for l in lines[lines.index(head) + 1:] if " Thị " in l or l.startswith("Thị ")]
bad = [l for l in rows if len(l) <= col or l[col - 1] != " " or l[col] == " "]
print("%d rows, misaligned: %r" % (len(rows), bad))
sys.exit(1 if bad or len(rows) < 10 else 0)')
judge "80x24: every row's unit starts under the header" $? "aligned rows" "$out"
tui_keys Escape

# End and Home: the last row at once, counted from the end.
tui_keys End
tui_expect "80x24: End shows the last row's position" "$total_en/$total_en"
last=$(sql "select name from subscriber order by sort_key desc, name_fold desc, id desc limit 1")
tui_expect "80x24: End shows the last subscriber in Vietnamese order ($last)" "$last"
tui_keys PPage
tui_expect "80x24: PgUp from the end counts back a page" "$(en $((TOTAL - 18)))/$total_en"
tui_keys Home
tui_expect "80x24: Home goes back to the first" "1/$total_en"
tui_keys Down Down NPage
tui_expect "80x24: Down twice and PgDn: row 21" "21/$total_en"
tui_keys Home

# A mouse click selects; a click on the selected row opens it.
tui_click 10 8
tui_expect "80x24: a click on the fifth row selects it" "5/$total_en"
fifth=$(tui_screen | sed -n 9p | sed 's/  .*//')
tui_click 10 8
title_has "$fifth"
judge "80x24: a click on the selected row opens it ($fifth)" $? "$fifth in the title" \
	"$(tui_screen | head -n 1)"
tui_keys Escape
tui_expect "80x24: back from it, the selection is kept" "5/$total_en"

# Filter by status: the departed.
tui_keys F6
tui_wait "Departed" 5
tui_type "departed"
tui_keys Enter
tui_expect "80x24: the status filter shows on the filter line" "Status: Departed"
tui_expect "80x24: one departed subscriber" "1/1"
row=$(tui_line "Trương Quốc Bảo")
check_has "80x24: the departed row says so in its status column" "$row" "Left"

# Filter by unit: Văn phòng Sở.
tui_keys F6
tui_wait "Any status" 5
tui_type "any"
tui_keys Enter
tui_keys F4
tui_wait "All units" 5
tui_type "van phong so"
tui_keys Enter
tui_expect "80x24: the unit filter shows on the filter line" "Unit: Văn phòng Sở"
in_unit=$(sql "select count(*) from subscriber s join unit u on u.id = s.unit_id where u.name = 'Văn phòng Sở'")
in_unit_en=$(en "$in_unit")
tui_expect "80x24: the position counts the unit's subscribers ($in_unit)" "1/$in_unit_en"
others=$(tui_screen | sed -n '5,22p' | grep -vc "Văn phòng Sở")
check_eq "80x24: every row shown is in the unit" "$others" 0

# Sort by unit, every unit.
tui_keys F4
tui_wait "All units" 5
tui_type "all units"
tui_keys Enter
tui_keys F8
tui_wait "Sort by" 5
tui_type "unit"
tui_keys Enter
tui_expect "80x24: the order shows on the filter line" "Sort: Unit"
first_unit=$(sql "select u.name from unit u where exists (select 1 from subscriber s where s.unit_id = u.id) order by u.sort_key limit 1")
first_row=$(tui_screen | sed -n 5p)
check_has "80x24: sorted by unit, the first row is in the first unit ($first_unit)" \
	"$first_row" "$("$PY" -c 'import sys; print(sys.argv[1][:20])' "$first_unit")"
tui_keys End
tui_expect "80x24: End in unit order" "$total_en/$total_en"
tui_keys F8
tui_wait "Sort by" 5
tui_type "name"
tui_keys Enter
tui_expect "80x24: back to name order" "Sort: Name"

# Resize mid-screen: more columns at 120x40, fewer again at 80x24.
tui_resize 120 40
tui_expect "resize to 120x40: the citizen ID column appears" "Citizen ID"
tui_expect "resize to 120x40: the e-mail column appears" "E-mail"
tui_resize 80 24
tui_wait_gone "Citizen ID"
judge "resize back to 80x24: the citizen ID column goes" $? "no Citizen ID" \
	"$(tui_screen | sed -n 4p)"
tui_expect "resize back to 80x24: the position is still shown" "/$total_en"

tui_quit "80x24: F10 quits"
tui_stop
check_eq "80x24: the roster wrote nothing" "$(data_sum)" "$before"

# --- 120x40 --------------------------------------------------------------------------------

start 120 40
roster_reach "120x40: the roster opens"
screen=$(tui_screen)
for col in "Full name" Kind Unit Position "Citizen ID" E-mail Phone Status; do
	check_has "120x40: the column $col" "$screen" "$col"
done
tui_keys /
tui_type "le thi my dung"
tui_expect "120x40: \"le thi my dung\" finds Lê Thị Mỹ Dung" "Lê Thị Mỹ Dung"
row=$(tui_line "Lê Thị Mỹ Dung")
check_has "120x40: the row shows the citizen ID" "$row" "086190000003"
check_has "120x40: the row shows the unit" "$row" "Chi cục Thủy lợi"
tui_keys C-u
tui_type "truong quoc bao"
tui_expect "120x40: \"truong quoc bao\" finds the departed Trương Quốc Bảo" "Trương Quốc Bảo"
row=$(tui_line "Trương Quốc Bảo")
check_has "120x40: the departed row says so in its status column" "$row" "Left"
out=$(columns_aligned "Trương Quốc Bảo")
judge "120x40: the unit column lines up on a departed row" $? "the unit under the header" "$out"
tui_keys Escape
tui_type "086190000002"
tui_expect "120x40: typing in the list does nothing" "1/$total_en"
tui_keys /
tui_type "0861900000"
tui_expect "120x40: a citizen ID's first digits find its holders" "1/4"
# In name order: Ánh, Bảo (departed, not selected), Dung, Hưởng.  The departed row is
# drawn otherwise than the active one under it (greyed; dim without colour).
attrs=$(tmux_ capture-pane -e -p -t "$TUI_SESSION" | "$PY" -c '
import re, sys
lines = sys.stdin.read().split("\n")
def style(name):
    l = next((l for l in lines if name in l), "")
    return "".join(re.findall(r"\x1b\[[0-9;]*m", l.split(name)[0]))
print("same" if style("Trương Quốc Bảo") == style("Lê Thị Mỹ Dung") else "different")')
check_eq "120x40: the departed row is drawn greyed, unlike an active one" "$attrs" different
tui_resize 80 24
tui_wait_gone "Citizen ID"
judge "resize to 80x24 while searching: the citizen ID column goes" $? "no Citizen ID" \
	"$(tui_screen | sed -n 4p)"
tui_expect "resize to 80x24 while searching: the search stays" "0861900000"
tui_quit "120x40: F10 quits"
tui_stop
check_eq "120x40: the roster wrote nothing" "$(data_sum)" "$before"

# --- / on the dashboard: the roster opens searching (issue 11.8) ----------------------------

start 80 24
tui_wait "To do" || fail "the dashboard shows"
tui_keys /
tui_expect "/ on the dashboard opens the roster" "Search:"
tui_type "dang thi ngoc anh"
tui_expect "typing goes to the search: \"dang thi ngoc anh\" finds Đặng Thị Ngọc Ánh" "Đặng Thị Ngọc Ánh"
tui_expect "the search field holds what was typed" "dang thi ngoc anh"
tui_expect_not "no letter was taken as a command (d: departure)" "departure"
tui_keys Escape
tui_expect "Esc clears the search" "1/$total_en"
tui_keys q
tui_expect "q closes the roster: back on the dashboard" "To do"
tui_quit "q on the dashboard quits" q
tui_stop

finish
