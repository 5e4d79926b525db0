#!/bin/sh
# test_tui_reports.sh - the reports screen on the real binary in tmux (80x24): opened
# with b from the dashboard, the period due offered (due, late and sent labelled); its numbers by unit with the
# total and by kind, the other pages with ← →; another period chosen (three ranges that
# are not periods refused, saying why); the workbook written with its progress, the file
# read back by openpyxl; the reports made listed, one marked sent (the database says so)
# after a day in the future, no dispatch number and a day before the report were refused
# with nothing written; F1 lists the keys; Esc goes back.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

on() {
	_day=$1
	shift
	KYSO_TODAY=$_day kyso --db "$DB" --lang en "$@"
}

must on 2026-01-16 init --agency "Sở Nông nghiệp và Môi trường" --code SNNMT \
	--email-domain "$DOMAIN" --focal "Lê Văn Bình" --head "Nguyễn Văn Trưởng" >/dev/null || finish
must on 2026-01-16 unit add "Văn phòng Sở" >/dev/null
must on 2026-01-16 unit add "Chi cục Thủy lợi" >/dev/null
an=$(must on 2026-01-16 subscriber add --kind person --name "Nguyễn Văn An" --unit "Văn phòng Sở" \
	--position "Chuyên viên" --id-number 086090000001 --email "an@$DOMAIN")
must on 2026-01-16 subscriber add --kind person --name "Lê Thị Bảy" --unit "Chi cục Thủy lợi" \
	--position "Chuyên viên" --id-number 086190000002 --email "bay@$DOMAIN" >/dev/null
must on 2026-01-16 token add --serial VT-0001 --subscriber "$an" >/dev/null
must on 2026-01-16 cert add --serial 54C1 --token VT-0001 --from 2026-01-16 --to 2028-01-15 >/dev/null
must on 2026-03-10 token pin-changed --serial VT-0001 --date 2026-03-10 >/dev/null

# Today is 25/11/2026: the second half is due (by 15/01/2027), so it is the one offered;
# the first half (due 15/07) and the year (due 20/11) are late, and the list says so.
tui_start 80 24 -- --lang en
tui_expect "the dashboard shows the late report" "Report to the department late"
tui_keys b
tui_expect "b opens the reports screen" "Reports to the department"
tui_expect "the report due is offered: the second half, with its deadline" \
	"Period 2026-H2: 01/07/2026 to 25/11/2026 — due by 15/01/2027"
tui_keys p
tui_expect "p lists the periods" "Another range of dates"
tui_expect "the one due leads the list, labelled due" "2026-H2  (01/07/2026 - 25/11/2026)  due by 15/01/2027"
tui_expect "the year is labelled late" "2026  (01/01/2026 - 25/11/2026)  late: it was due by 20/11/2026"
tui_expect "the first half is labelled late" "2026-H1  (01/01/2026 - 30/06/2026)  late: it was due by 15/07/2026"
tui_keys Down Down Enter
tui_expect "the first half is chosen" "Period 2026-H1: 01/01/2026 to 30/06/2026 — late: it was due by 15/07/2026"
tui_expect_line "Văn phòng Sở: 1 subscriber, 1 token, 1 valid certificate" "Văn phòng Sở" \
	' *Văn phòng Sở +1 +1 +1 +0 +0 +0'
tui_expect_line "Chi cục Thủy lợi: 1 subscriber, no token" "Chi cục Thủy lợi" \
	' *Chi cục Thủy lợi +1 +0 +0 +0 +0 +0'
tui_expect_line "the total row" "Total" ' *Total +2 +1 +1 +0 +0 +0'
tui_expect_line "by kind: persons" "Persons" ' *Persons +2 +1 +1 +0 +0 +0'
tui_keys Right
tui_expect "→: the numbers of the period" "During the period"
tui_expect_line "one certificate issued in the half" "Total" ' *Total +1 +0 +0 +0 +0 +0 +0 +0'
tui_keys Right
tui_expect "→ again: the PIN changes" "PIN changes (Art. 13.3)"
tui_expect_line "one PIN change done" "Total" ' *Total +1 +0 +0'
check_eq "no line is wider than 80 columns" "$(tui_screen | "$PY" -c '
import sys
print(max(len(l) for l in sys.stdin.read().split("\n")) <= 80)')" True

# Another period: the year (counted to today).
tui_keys p
tui_wait "Another range of dates" 5
tui_keys Up Enter
tui_expect "the year is chosen" "Period 2026: 01/01/2026 to 25/11/2026"

# Periods that are not: each refused with why, the period chosen stays.
# bad_range RANGE MESSAGE: another range of dates typed, refused with MESSAGE.
bad_range() {
	tui_keys p
	tui_wait "Another range of dates" 5
	tui_keys End Enter
	tui_wait "From..to (dd/mm/yyyy..dd/mm/yyyy):" 5
	tui_type "$1"
	tui_keys Enter
	tui_expect "$1 is not a period" "Not a period"
	tui_expect_text "$1: it says why" "$2"
	tui_keys Enter
	tui_expect "$1: the period chosen stays" "Period 2026: 01/01/2026 to 25/11/2026"
}
bad_range "01/06/2026..01/05/2026" "the period ends on 01/05/2026, before it begins (01/06/2026)"
bad_range "30/02/2026..31/03/2026" 'the period'"'"'s start "30/02/2026" is not a real date'
bad_range "01/12/2026..31/12/2026" "begins after today (25/11/2026)"

# Write it.
tui_keys w
tui_expect "w asks for the file" "Write to the file (.xlsx):"
tui_keys C-u
tui_type "$TMP/nam-2026.xlsx"
tui_keys Enter
tui_expect "the report is written and recorded" "Report #1 written to"
check_eq "the file exists" "$(test -s "$TMP/nam-2026.xlsx" && echo yes)" yes
run "$PY" -c "
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], data_only=True)['Tổng hợp']
total = [r for r in ws.iter_rows(values_only=True) if r[0] == 'Tổng cộng'][0]
print(total[2], total[3], total[4])" "$TMP/nam-2026.xlsx"
check_eq "openpyxl reads it: 2 subscribers, 1 token, 1 valid certificate in total" "$OUT" "2 1 1"
check_eq "the database records it" "$(sql "select period || ' ' || to_on from report")" "2026 2026-11-25"
tui_keys Enter

# The reports made; mark it sent.
tui_keys Tab
tui_expect "Tab lists the reports made" "not sent"
tui_expect_line "the report is listed with its period and date" "#1" \
	' *#1 +2026 +25/11/2026( +2)? +not sent'
# mark_sent DAY DISPATCH: s, the day typed over the one offered, then the dispatch number.
mark_sent() {
	tui_keys s
	tui_wait "Sent on (dd/mm/yyyy):" 5
	tui_keys C-u
	tui_type "$1"
	tui_keys Enter
	tui_wait "Dispatch number:" 5
	tui_type "$2"
	tui_keys Enter
}

before=$(db_dump)
mark_sent 01/12/2026 ""
tui_expect "a day after today and no dispatch number are refused" "Not marked sent"
tui_expect_text "the day is named" "Date: is after today (25/11/2026)"
tui_expect_text "and the missing dispatch number" "Dispatch number: is required"
tui_keys Enter
mark_sent 24/11/2026 "125/SNNMT-VP"
tui_expect_text "a day before the report was made is refused" \
	"Date: is before the report was made (25/11/2026)"
tui_keys Enter
tui_expect_line "the report is still not sent" "#1" ' *#1 +2026 +25/11/2026( +2)? +not sent'
check_eq "and the database is as it was" "$(db_dump)" "$before"

tui_keys s
tui_expect "s asks for the day it was sent" "Sent on (dd/mm/yyyy):"
tui_keys Enter
tui_expect "then its dispatch number" "Dispatch number:"
tui_type "125/SNNMT-VP"
tui_keys Enter
tui_expect "the list says sent, with the number" "sent 25/11/2026, No. 125/SNNMT-VP"
check_eq "the database says so" "$(sql "select sent_on || ' ' || dispatch from report where id = 1")" \
	"2026-11-25 125/SNNMT-VP"
tui_expect "the period's label says sent" "Period 2026: 01/01/2026 to 25/11/2026 — sent on 25/11/2026"
tui_keys p
tui_expect "so does the list of periods" "2026  (01/01/2026 - 25/11/2026)  sent on 25/11/2026"
tui_keys Escape

tui_keys F1
tui_expect "F1 lists the keys" "Numbers at the end, during the period, PIN changes"
tui_keys Escape
tui_keys Escape
tui_expect "Esc goes back to the dashboard" "Subscribers"
tui_quit "F10 quits"
tui_stop
finish
