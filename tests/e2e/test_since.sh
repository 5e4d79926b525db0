#!/bin/sh
# History starts when the subscriber did, not when kyso did (issue 11.6): kyso is set up
# in September 2026 and the roster imported with "since" dates (the certificate first
# issued) for some rows and none for others; tokens are added with and without the day
# they came.  The first half's report counts the subscribers and tokens from those
# dates, and says how many rows it assumed from the day they were recorded (the JSON,
# the printed summary, and the workbook read back by openpyxl).  Also: --since on add
# and edit (checked like every date, audited, kept in the history), the import column
# headers, and bad since dates refused with nothing written.
. "$(dirname "$0")/lib.sh"

on() {
	_day=$1
	shift
	KYSO_TODAY=$_day kyso --db "$DB" --lang en "$@"
}

must on 2026-09-10 init --agency "Sở Nông nghiệp và Môi trường" --code SNNMT \
	--email-domain "$DOMAIN" >/dev/null || finish

# The roster as the agency keeps it: two with the day the certificate was first issued
# (three spellings of the header are tried over the test), one without.
cat >"$TMP/roster.csv" <<CSV
Họ và tên,Số CCCD,Chức vụ,Email,Ngày cấp chứng thư
Nguyễn Văn An,086090000001,Chuyên viên,an@$DOMAIN,15/03/2024
Trần Thị Bình,086190000002,Chuyên viên,binh@$DOMAIN,2025-1-5
Lê Văn Cường,086090000003,Chuyên viên,cuong@$DOMAIN,
CSV
run on 2026-09-10 import "$TMP/roster.csv" --json
check_rc 0 "the roster with a 'Ngày cấp chứng thư' column imports"
check_eq "the since dates are stored as ISO dates, blank as none" \
	"$(sql "select name || '=' || coalesce(since_on, '-') from subscriber order by id" | tr '\n' ' ')" \
	"Nguyễn Văn An=2024-03-15 Trần Thị Bình=2025-01-05 Lê Văn Cường=- "
an=$(sql "select id from subscriber where name = 'Nguyễn Văn An'")
binh=$(sql "select id from subscriber where name = 'Trần Thị Bình'")
cuong=$(sql "select id from subscriber where name = 'Lê Văn Cường'")

for h in "Từ ngày" "since"; do
	printf 'Họ và tên,Số CCCD,Chức vụ,Email,%s\nPhạm Thị Dung,086190000004,Chuyên viên,dung@%s,01/06/2023\n' \
		"$h" "$DOMAIN" >"$TMP/h.csv"
	run on 2026-09-10 import "$TMP/h.csv" --dry-run --json
	check_json "the header \"$h\" is read as since" 'd["added"] == 1 and d["errors"] == []'
done

# Tokens: two came with their certificates in 2024 and 2025, one has no day given.
must on 2026-09-10 token add --serial TK-A --subscriber "$an" --received 2024-03-15 >/dev/null
must on 2026-09-10 token add --serial TK-B --subscriber "$binh" --received 05/01/2025 >/dev/null
must on 2026-09-10 token add --serial TK-C --subscriber "$cuong" >/dev/null
check_eq "a token whose day of receipt was given is marked so, one without is not" \
	"$(sql "select serial || '=' || received_given from token order by id" | tr '\n' ' ')" \
	"TK-A=1 TK-B=1 TK-C=0 "

# --- the first half, reported in September ------------------------------------------------

run on 2026-09-10 report --period 2026-H1 --json
check_rc 0 "the first half's report counts"
check_json "subscribers and tokens are counted from their own dates, not from kyso's first day" \
	'd["subscribers_active"] == 2 and d["tokens_in_use"] == 2'
check_has "the report notes on stderr what it assumed: one subscriber recorded on 10/09/2026" \
	"$ERR" "kyso: note: 1 subscriber(s) without a \"since\" date are counted from the day they were recorded in kyso (10/09/2026 to 10/09/2026)"
check_has "and one token" "$ERR" "kyso: note: 1 token(s) without the day they came"
check_json "the JSON keeps its 17 keys and by_unit" 'len(d) == 18'
run on 2026-09-10 report --period 2025 --json
check_json "the year 2025 counts the two whose history began by its end" \
	'd["subscribers_active"] == 2 and d["tokens_in_use"] == 2'
run on 2026-09-10 report --period 2024 --json
check_json "2024 counts Nguyễn Văn An alone" 'd["subscribers_active"] == 1 and d["tokens_in_use"] == 1'
run on 2026-09-10 report --period 2026-H2 --json
check_json "the current half counts everyone recorded in it" \
	'd["subscribers_active"] == 3 and d["tokens_in_use"] == 3'
check_eq "and assumes nothing" "$ERR" ""

run on 2026-09-10 report --period 2026-H1
check_has "the printed summary says which subscribers were assumed" "$OUT" \
	"1 subscriber(s) without a \"since\" date are counted from the day they were recorded in kyso (10/09/2026 to 10/09/2026)"
check_has "and which tokens" "$OUT" "1 token(s) without the day they came"

run on 2026-09-10 report --period 2026-H1 -o "$TMP/h1.xlsx"
check_rc 0 "the first half's workbook is written"
notes=$("$PY" - "$TMP/h1.xlsx" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
print("\n".join(str(c.value) for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("- ")))
PY
)
check_has "the workbook's notes say how many subscribers were assumed and from when" "$notes" \
	"1 thuê bao chưa có ngày bắt đầu sử dụng (ngày cấp chứng thư chữ ký số lần đầu) được tính từ ngày nhập vào kyso (ngày 10/09/2026)"
check_has "and the tokens" "$notes" "1 thiết bị lưu khóa bí mật (token) chưa có ngày nhận"
run on 2026-09-10 report again 1 -o "$TMP/again.xlsx"
check_has "the record keeps what was assumed" "$OUT" "1 subscriber(s) without a \"since\" date" 

# Once the officer gives the missing date, the report counts the subscriber.
run on 2026-09-11 subscriber edit "$cuong" --since 2026-02-01
check_rc 0 "subscriber edit --since records the date"
run on 2026-09-11 report --period 2026-H1 --json
check_json "the first half now counts Lê Văn Cường" 'd["subscribers_active"] == 3'
check_lacks "and assumes no subscriber" "$ERR" "subscriber(s) without" 
run on 2026-09-11 subscriber show "$cuong" --json
check_json "the edit is in the history with the earlier value" \
	'any(e["kind"] == "subscriber.edited" and e["detail"].get("since") == [None, "2026-02-01"]
	     for e in d["history"])'
run on 2026-09-11 subscriber show "$cuong"
check_has "subscriber show prints it as a date" "$OUT" "Since: — → 01/02/2026"

# --- bad since dates ---------------------------------------------------------------------

before=$(db_dump)
run on 2026-09-11 subscriber edit "$an" --since 2027-01-01
check_rc 3 "a since date in the future is refused"
check_has "saying which field and why" "$ERR" "Since: 01/01/2027 is in the future"
run on 2026-09-11 subscriber edit "$an" --since 31/02/2024
check_rc 3 "a since date that is not a date is refused"
check_has "naming the date" "$ERR" "\"31/02/2024\" is not a real date"
run on 2026-09-11 subscriber edit "$an" --birth-date 1990-01-01 --since 1989-05-01
check_rc 3 "a since date before the date of birth is refused"
check_has "saying so" "$ERR" "Since: is before the date of birth"
check_eq "nothing was written by the refused edits" "$(db_dump)" "$before"
printf 'Họ và tên,Số CCCD,Chức vụ,Email,Từ ngày\nVõ Văn Em,086090000009,Chuyên viên,em@%s,2030-01-01\n' \
	"$DOMAIN" >"$TMP/bad.csv"
run on 2026-09-11 import "$TMP/bad.csv" --json
check_rc 3 "an import row with a since date in the future is refused"
check_json "the error names row 2 and the column" \
	'd["errors"][0]["row"] == 2 and d["errors"][0]["column"] == "Since"'
check_eq "and nothing was written" "$(db_dump)" "$before"

finish
