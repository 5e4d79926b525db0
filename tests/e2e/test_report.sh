#!/bin/sh
# The reports to the department (issue 5): a year of activity scripted through the real
# commands (subscribers, tokens, certificates, a loss, departures with a handover and a
# return, PIN changes, a move between units), the clock moved with KYSO_TODAY; then the
# first half and the year reported on 25/11/2026.  Every number expected is written down
# here from the script's facts, not computed by kyso.  The workbooks are read back with
# openpyxl (tests/e2e/report_check.py): the summary's cells, the SUM formulas and their
# values, the dates, the print settings, the detail sheets.  Also: --json's keys, the
# record (list, sent, again), a sent report written again after the roster changed, the
# due list's report checks, and periods refused with a clear message.
. "$(dirname "$0")/lib.sh"

# on DATE ARG...: kyso on the test's database with today being DATE (English messages).
on() {
	_day=$1
	shift
	KYSO_TODAY=$_day kyso --db "$DB" --lang en "$@"
}

# person DATE NAME UNIT CCCD MAIL: adds a person on DATE; prints the id.
person() {
	must on "$1" subscriber add --kind person --name "$2" --unit "$3" --position "Chuyên viên" \
		--id-number "$4" --email "$5@$DOMAIN"
}

# --- the agency and its people (16/01/2026) ---------------------------------------------

must on 2026-01-16 init --agency "Sở Nông nghiệp và Môi trường" --code SNNMT \
	--email-domain "$DOMAIN" --parent "UBND tỉnh Vĩnh Long" --head "Nguyễn Văn Trưởng" \
	--head-position "Giám đốc" --focal "Lê Văn Bình" --focal-position "Chuyên viên" \
	--place "Vĩnh Long" --recipient "Sở Khoa học và Công nghệ" >/dev/null || finish
VP="Văn phòng Sở" TL="Chi cục Thủy lợi" KN="Trung tâm Khuyến nông"
for u in "$VP" "$TL" "$KN"; do must on 2026-01-16 unit add "$u" >/dev/null; done

s1=$(person 2026-01-16 "Nguyễn Văn An" "$VP" 086090000001 an)
s2=$(person 2026-01-16 "Trần Thị Bình" "$VP" 086190000002 binh)
s3=$(person 2026-01-16 "Lê Văn Cường" "$TL" 086090000003 cuong)
s4=$(person 2026-01-16 "Phạm Thị Dung" "$TL" 086190000004 dung)
s5=$(must on 2026-01-16 subscriber add --kind org --name "Trung tâm Khuyến nông tỉnh" \
	--unit "$KN" --email "ttkn@$DOMAIN")
s6=$(person 2026-01-16 "Hồ Văn Em" "$KN" 086090000006 em)

# token SERIAL SUBSCRIBER [OPTION...] and cert SERIAL FROM TO [OPTION...], on 16/01.
token() {
	_serial=$1 _sub=$2
	shift 2
	must on 2026-01-16 token add --serial "$_serial" --subscriber "$_sub" "$@" >/dev/null
}
for i in 1 2 3 4 6; do eval "token VT-000$i \$s$i"; done
must on 2026-01-16 token add --serial VT-0005 --subscriber "$s5" --keeper "Võ Thị Văn Thư" \
	--keeper-position "Văn thư" >/dev/null
cert() {
	_serial=$1 _from=$2 _to=$3
	shift 3
	must on "$_from" cert add --serial "$_serial" --from "$_from" --to "$_to" "$@" >/dev/null
}
# C1 C2 C4 C5 new this year on their tokens; C3 and C6 issued years ago, on no token.
cert 54C1 2026-01-16 2028-01-15 --token VT-0001
cert 54C2 2026-01-16 2028-01-15 --token VT-0002
cert 54C4 2026-01-16 2028-01-15 --token VT-0004
cert 54C5 2026-01-16 2028-01-15 --token VT-0005
must on 2026-01-16 cert add --serial 54C3 --subscriber "$s3" --from 2024-03-01 --to 2026-08-31 >/dev/null
must on 2026-01-16 cert add --serial 54C6 --subscriber "$s6" --from 2023-06-01 --to 2026-05-31 >/dev/null

# --- the first half ------------------------------------------------------------------------

must on 2026-02-10 token pin-changed --serial VT-0001 --date 2026-02-10 >/dev/null
s7=$(person 2026-03-01 "Võ Thị Giang" "$VP" 086190000007 giang)
must on 2026-03-01 token add --serial VT-0007 --subscriber "$s7" --received 2026-03-01 >/dev/null
cert 54C7 2026-03-01 2029-02-28 --token VT-0007
must on 2026-03-15 token lock --serial VT-0003 --date 2026-03-15 >/dev/null
must on 2026-03-17 token recover --serial VT-0003 --date 2026-03-17 >/dev/null
must on 2026-04-02 token lost --serial VT-0004 --date 2026-04-02 \
	--circumstances "Để quên trên xe khách" --place "Bến xe Vĩnh Long" >/dev/null
must on 2026-04-03 cert revoke --serial 54C4 --date 2026-04-03 --reason "token lost" >/dev/null
must on 2026-05-20 subscriber depart "$s2" --date 2026-05-20 --reason left >/dev/null
must on 2026-05-21 cert revoke --serial 54C2 --date 2026-05-21 --reason departure >/dev/null
must on 2026-05-25 token return --serial VT-0002 --date 2026-05-25 --reason departure >/dev/null
must on 2026-06-15 cert add --serial 54C3B --token VT-0003 --issuance renew --from 2026-06-15 \
	--to 2029-06-14 >/dev/null
must on 2026-06-20 token pin-changed --serial VT-0005 --date 2026-06-20 >/dev/null

# --- the second half (before the reports are made on 25/11/2026) --------------------------

must on 2026-07-10 subscriber edit "$s1" --unit "$TL" >/dev/null
must on 2026-08-01 token pin-changed --serial VT-0007 --date 2026-08-01 >/dev/null
must on 2026-08-10 subscriber depart "$s6" --date 2026-08-10 --reason transferred >/dev/null
must on 2026-08-12 token handover --serial VT-0006 --to-name "Đỗ Văn Hùng" \
	--to-position "Chuyên viên" --designation "25/QĐ-SNNMT" --date 2026-08-12 >/dev/null
must on 2026-09-05 cert add --serial 54C5B --token VT-0005 --issuance change --from 2026-09-05 \
	--to 2028-09-04 >/dev/null
s8=$(person 2026-10-01 "Đặng Thị Hoa" "$KN" 086190000008 hoa)
must on 2026-10-01 token add --serial VT-0008 --subscriber "$s8" --received 2026-10-01 >/dev/null
cert 54C8 2026-10-01 2028-09-30 --token VT-0008

# --- what the reports must say ---------------------------------------------------------------
#
# Numbers in report.h's order: subscribers_active tokens_in_use certs_valid certs_expiring
# certs_expired certs_revoked | issued renewed changed revoked recovered lost handed_over
# handed_back | pin_changes_done pin_due pin_overdue.  PIN: every 6 months, due within
# 30 days.
#
# First half, at 30/06 (An still in Văn phòng: his move is in July; Bình departed; Hoa not
# yet there).  Tokens in use VT-1 VT-3 VT-5 VT-6 VT-7; PIN due: VT-3 and VT-6 (clock
# 16/01, due 16/07).  Valid C1 C3 C3B C5 C7, C3 ending 31/08 (expiring), C6 expired,
# C2 C4 revoked.  Issued C1 C2 C4 C5 C7, renewed C3B, revoked C4 C2; VT-3 recovered,
# VT-4 lost, VT-2 handed back, PINs VT-1 VT-5.
H1_VP="2,2,2,0,0,1, 3,0,0,1,0,0,0,1, 1,0,0"
H1_TL="2,1,2,1,0,1, 1,1,0,1,1,1,0,0, 0,1,0"
H1_KN="2,2,1,0,1,0, 1,0,0,0,0,0,0,0, 1,1,0"
H1_TOTAL="6,5,5,1,1,2, 5,1,0,2,1,1,0,1, 2,2,0"
H1_ORG="1,1,1,0,0,0, 1,0,0,0,0,0,0,0, 1,0,0"
H1_PERSON="5,4,4,1,1,2, 4,1,0,2,1,1,0,1, 1,2,0"
# The year, counted to 25/11 (An in Thủy lợi now; Em departed, his token handed over).
# Tokens in use VT-1 VT-3 VT-5 VT-6 VT-7 VT-8; PIN overdue VT-1 (10/02) VT-3 VT-6 (16/01),
# due VT-5 (20/06 -> 20/12).  Valid C1 C3B C5 C5B C7 C8, expired C3 C6, revoked C2 C4.
Y_VP="1,1,1,0,0,1, 2,0,0,1,0,0,0,1, 1,0,0"
Y_TL="3,2,2,0,1,1, 2,1,0,1,1,1,0,0, 1,0,2"
Y_KN="2,3,3,0,1,0, 2,0,1,0,0,0,1,0, 1,1,1"
Y_TOTAL="6,6,6,0,2,2, 6,1,1,2,1,1,1,1, 3,1,3"
Y_ORG="1,1,2,0,0,0, 1,0,1,0,0,0,0,0, 1,1,0"
Y_PERSON="5,5,4,0,2,2, 5,1,0,2,1,1,1,1, 2,0,3"
ZERO="0,0,0,0,0,0, 0,0,0,0,0,0,0,0, 0,0,0"

KEYS="subscribers_active tokens_in_use certs_valid certs_expiring certs_expired certs_revoked
issued renewed changed revoked recovered lost handed_over handed_back pin_changes_done pin_due
pin_overdue"

# json_numbers: the 17 numbers of object d (a Python expression) as "a,b,...".
json_numbers() {
	json_get "','.join(str($1[k]) for k in '''$KEYS'''.split())"
}

nospace() { printf '%s' "$1" | tr -d ' '; }

# --- the first half, counted after the second half changed things ------------------------

run k report --period 2026-H1 --json
check_rc 0 "report --period 2026-H1 --json (no file) exits 0"
check_json "--json has exactly the 17 keys, in order, and by_unit" \
	"list(d) == '''$KEYS'''.split() + ['by_unit']"
check_json "by_unit holds every unit with the same 17 keys" \
	"sorted(d['by_unit']) == sorted(['$VP', '$TL', '$KN']) and
	 all(list(v) == '''$KEYS'''.split() for v in d['by_unit'].values())"
check_eq "H1 totals are the first half's" "$(json_numbers d)" "$(nospace "$H1_TOTAL")"
check_eq "H1 Văn phòng Sở (An counted there: he moved in July)" \
	"$(json_numbers "d['by_unit']['$VP']")" "$(nospace "$H1_VP")"
check_eq "H1 Chi cục Thủy lợi" "$(json_numbers "d['by_unit']['$TL']")" "$(nospace "$H1_TL")"
check_eq "H1 Trung tâm Khuyến nông" "$(json_numbers "d['by_unit']['$KN']")" "$(nospace "$H1_KN")"
check_eq "counting wrote no report" "$(rows report)" 0

run ken report --period 2026-H1 -o "$TMP/h1.xlsx"
check_rc 0 "report --period 2026-H1 -o h1.xlsx exits 0"
check_has "it says which record it made" "$OUT" "Report #1 written to"
check_eq "the report is recorded" "$(sql "select id || ' ' || period || ' ' || from_on || ' ' || to_on from report")" \
	"1 2026-H1 2026-01-01 2026-06-30"
check_eq "with the file's SHA-256" "$(sql "select sha256 from report where id = 1")" \
	"$(sha256sum "$TMP/h1.xlsx" | cut -c1-64)"
check_eq "and its totals" "$(sql "select totals from report where id = 1" | "$PY" -c "
import json, sys; d = json.load(sys.stdin); print(','.join(str(d[k]) for k in '''$KEYS'''.split()))")" \
	"$(nospace "$H1_TOTAL")"

# check_workbook XLSX WHAT PERIOD_TEXT END TL KN VP TOTAL PERSONS ORGS ROSTER HANDOVERS:
# report_check.py reads XLSX with openpyxl and compares it with what is expected: the
# period's words on the title block, the numbers of the three units (in their tree
# order), the total and the kinds (no device), the roster on END (a JSON object: name ->
# unit), the events dated up to END, the handovers' serials (a JSON array) and the loss.
check_workbook() {
	_x=$1 _what=$2
	shift 2
	_events=$(sql "select count(*) from event where on_date between '2026-01-01' and '$2'
		and (kind like 'subscriber.%' or kind like 'token.%' or kind like 'cert.%')")
	"$PY" - "$TL" "$KN" "$VP" "$ZERO" "$_events" "$@" >"$_x.json" <<-'EOF'
		import json, sys
		tl, kn, vp, zero, events, period, end, n_tl, n_kn, n_vp, total, persons, orgs, \
		    roster, handovers = sys.argv[1:]
		num = lambda s: [int(x) for x in s.replace(" ", "").split(",")]
		print(json.dumps({
		    "units": {tl: num(n_tl), kn: num(n_kn), vp: num(n_vp)},
		    "total": num(total),
		    "kinds": [num(persons), num(orgs), num(zero)],
		    "title": ["UBND TỈNH VĨNH LONG", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
		              "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		              "Vĩnh Long, ngày 25 tháng 11 năm 2026", "BÁO CÁO", period,
		              "Kính gửi: Sở Khoa học và Công nghệ", "NGƯỜI LẬP BIỂU", "GIÁM ĐỐC"],
		    "names": ["Lê Văn Bình", "Nguyễn Văn Trưởng"],
		    "roster": json.loads(roster),
		    "events": int(events),
		    "handovers": json.loads(handovers),
		    "losses": ["VT-0004"],
		}, ensure_ascii=False))
	EOF
	"$PY" "$E2E_DIR/report_check.py" "$_x" "$_x.json" >"$_x.check"
	judge "$_what read back by openpyxl holds every expected cell and setting" $? \
		"every check of report_check.py" "$(grep 'not ok' -A1 "$_x.check")"
	echo "# $(grep -c '^ok' "$_x.check") checks of $_what passed" >&3
}

# The roster on 30/06: the six active then, each in the unit they were in then.
check_workbook "$TMP/h1.xlsx" "the H1 workbook" \
	"6 tháng đầu năm 2026 (số liệu từ ngày 01/01/2026 đến ngày 30/06/2026)" 2026-06-30 \
	"$H1_TL" "$H1_KN" "$H1_VP" "$H1_TOTAL" "$H1_PERSON" "$H1_ORG" \
	"{\"Nguyễn Văn An\": \"$VP\", \"Lê Văn Cường\": \"$TL\", \"Phạm Thị Dung\": \"$TL\",
	  \"Trung tâm Khuyến nông tỉnh\": \"$KN\", \"Hồ Văn Em\": \"$KN\", \"Võ Thị Giang\": \"$VP\"}" \
	'[]'

# --- the year, made on 25/11 (the annual report is due by 20/11) ------------------------

run k report --period 2026 -o "$TMP/year.xlsx" --json
check_rc 0 "report --period 2026 -o year.xlsx --json exits 0"
check_eq "the year's totals (counted to today, 25/11)" "$(json_numbers d)" "$(nospace "$Y_TOTAL")"
check_eq "the year's Thủy lợi (An moved there)" "$(json_numbers "d['by_unit']['$TL']")" \
	"$(nospace "$Y_TL")"
check_eq "the year ends today in the record" "$(sql "select to_on from report where id = 2")" \
	2026-11-25
check_workbook "$TMP/year.xlsx" "the year's workbook" \
	"Năm 2026 (số liệu từ ngày 01/01/2026 đến ngày 25/11/2026)" 2026-11-25 \
	"$Y_TL" "$Y_KN" "$Y_VP" "$Y_TOTAL" "$Y_PERSON" "$Y_ORG" \
	"{\"Nguyễn Văn An\": \"$TL\", \"Lê Văn Cường\": \"$TL\", \"Phạm Thị Dung\": \"$TL\",
	  \"Trung tâm Khuyến nông tỉnh\": \"$KN\", \"Võ Thị Giang\": \"$VP\",
	  \"Đặng Thị Hoa\": \"$KN\"}" \
	'["VT-0006"]'

# --- the record: list, sent, written again -----------------------------------------------

run ken report list
check_rc 0 "report list exits 0"
check_has "the list shows the first half, not sent" "$OUT" "not sent"
run k report list --json
check_json "report list --json: newest first, with period, totals, file, sha256, sent" \
	"[r['id'] for r in d] == [2, 1] and d[1]['period'] == '2026-H1' and
	 d[1]['totals']['subscribers_active'] == 6 and d[1]['sent_on'] is None and
	 d[1]['file'].endswith('h1.xlsx') and len(d[1]['sha256']) == 64"

refused_unchanged "sent with a date after today and no dispatch number" \
	on 2026-11-25 report sent 1 --date 2026-11-26 --dispatch ""
check_has "it names the date" "$ERR" "is after today"
check_has "and the dispatch number" "$ERR" "Dispatch number: is required"
refused_unchanged "sent before the report was made" \
	on 2026-11-25 report sent 1 --date 2026-11-24 --dispatch "125/SNNMT-VP"
check_has "it says when the report was made" "$ERR" "Date: is before the report was made (25/11/2026)"
refused_unchanged "sent on a day that does not exist" \
	on 2026-11-25 report sent 1 --date 2026-02-30 --dispatch "125/SNNMT-VP"
check_has "it names the date as typed" "$ERR" 'Date: "2026-02-30" is not a real date'
before=$(db_dump)
run on 2026-11-25 report sent 9 --date 2026-11-25 --dispatch "125/SNNMT-VP"
check_rc 1 "marking a report that was never made exits 1"
check_has "and names it" "$ERR" "no report #9"
check_eq "and changes nothing" "$(db_dump)" "$before"
run on 2026-11-25 report sent 1 --date 2026-11-25 --dispatch "125/SNNMT-VP" --if-version 1
check_rc 0 "report sent 1 --date --dispatch --if-version 1 exits 0"
run on 2026-11-25 report sent 1 --date 2026-11-25 --dispatch "126/SNNMT-VP" --if-version 1
check_rc 4 "a second mark with the old version is a conflict (exit 4)"
check_has "it says the report changed since it was read" "$ERR" \
	"report #1 changed since it was read (version 2, not 1)"
check_eq "the record says sent, under its number" \
	"$(sql "select sent_on || ' ' || dispatch || ' ' || version from report where id = 1")" \
	"2026-11-25 125/SNNMT-VP 2"

run ken report again 1 -o "$TMP/h1-again.xlsx"
check_rc 0 "report again 1 -o exits 0"
check_has "untouched history gives the same file" "$OUT" "the same file as recorded"
check_eq "byte for byte" "$(sha256sum <"$TMP/h1-again.xlsx" | cut -c1-64)" \
	"$(sha256sum <"$TMP/h1.xlsx" | cut -c1-64)"

# The roster changes after the report was sent: Dung's departure is recorded late, dated
# in March; Cường moves.  Counting the half again sees it; the sent report does not.
must on 2026-11-25 subscriber depart "$s4" --date 2026-03-01 --reason retired >/dev/null
must on 2026-11-25 subscriber edit "$s3" --unit "$VP" >/dev/null
run k report --period 2026-H1 --json
check_eq "counted again, the half has one subscriber fewer" \
	"$(json_get "d['subscribers_active']")" 5
run k report again 1 -o "$TMP/h1-sent.xlsx" --json
check_rc 0 "report again 1 after the edits exits 0"
check_eq "written again, the sent report keeps its totals" "$(json_numbers d)" \
	"$(nospace "$H1_TOTAL")"
check_eq "and its units" "$(json_numbers "d['by_unit']['$TL']")" "$(nospace "$H1_TL")"
"$PY" - "$TMP/h1-sent.xlsx" "$H1_TOTAL" "$H1_TL" "$TL" <<-'EOF' >"$TMP/again.check"
	import sys, openpyxl
	ws = openpyxl.load_workbook(sys.argv[1], data_only=True)["Tổng hợp"]
	rows = {r[1]: list(r[2:19]) for r in ws.iter_rows(values_only=True) if r[1]}
	total = [r for r in ws.iter_rows(values_only=True) if r[0] == "Tổng cộng"][0][2:19]
	num = lambda s: [int(x) for x in s.replace(" ", "").split(",")]
	sys.exit(0 if list(total) == num(sys.argv[2]) and rows[sys.argv[4]] == num(sys.argv[3]) else 1)
EOF
judge "the workbook written again shows the numbers as sent" $? "H1's totals and units" \
	"$(cat "$TMP/again.check")"

# --- the due list ----------------------------------------------------------------------------

run k due --json
check_json "the first half is sent: only the annual report is late (due 20/11)" \
	"[c['count'] for c in d if c['check'] == 'report_late'] == [1] and
	 [c['count'] for c in d if c['check'] == 'report_due'] == [0]"
check_json "its item names the annual report and its deadline" \
	"'20/11/2026' in [c for c in d if c['check'] == 'report_late'][0]['items'][0]['detail']"
must on 2026-11-25 report sent 2 --date 2026-11-25 --dispatch "127/SNNMT-VP" >/dev/null
run k due --json
check_json "once the annual report is sent, nothing is late" \
	"[c['count'] for c in d if c['check'] == 'report_late'] == [0]"
run k due --at 2026-12-20 --json
check_json "on 20/12 the second half is coming due (by 15/01)" \
	"[c['count'] for c in d if c['check'] == 'report_due'] == [1]"
run ken due
check_has "the human due list names the report checks" "$OUT" "Report to the department late"

# --- periods refused --------------------------------------------------------------------------

for bad in 2026-H3 "2026-02-30..2026-03-31" "2026-06-01..2026-05-01" 2027 26; do
	run ken report --period "$bad" --json
	check_rc 3 "--period $bad exits 3"
done
refused_unchanged "a period refused with -o records nothing" \
	ken report --period 2026-H3 -o "$TMP/x.xlsx"
run ken report again 1
check_rc 0 "report again without -o writes to the documents' folder"
check_eq "under the period's name" "$(ls "$HOME/kyso-documents")" "bao-cao-2026-H1.xlsx"
run ken report --period 2026-H3
check_has "the message says what a period is" "$ERR" "write 2026-H1, 2026-H2, 2026 or FROM..TO"
run ken report --period 2026-06-01..2026-05-01
check_has "an end before the start is said so" "$ERR" "before it begins"
run ken report --period 2027-H1
check_has "a period in the future is said so" "$ERR" "begins after today"
run ken report -o "$TMP/x.xlsx"
check_rc 2 "report without --period exits 2"
run ken report sent
check_rc 2 "report sent without an id exits 2"
run ken report list extra
check_rc 2 "report list with an extra argument exits 2"
check_has "and names it" "$ERR" 'unexpected argument "extra"'
run ken report again 99 -o "$TMP/x.xlsx"
check_rc 1 "report again of no such report exits 1"
check_eq "nothing was written for them" "$(ls "$TMP"/x.xlsx* 2>/dev/null | wc -l)" 0

finish
