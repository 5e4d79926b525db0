#!/bin/sh
# Importing rosters: CSV (BOM, NFD, semicolons, English headers, --map) and XLSX; the same
# file twice changes nothing; --dry-run writes nothing; a bad row refuses the whole file
# unless --skip-invalid; matched rows update; departed subscribers are not brought back.
. "$(dirname "$0")/lib.sh"

setup_agency

gen() { "$PY" "$GEN_ROSTER" "$@"; }

# import_counts: "added updated unchanged rejected" from the last `run`'s --json output.
import_counts() { json_get '"%s %s %s %s" % (d["added"], d["updated"], d["unchanged"], d["rejected"])'; }

# --- a CSV with a BOM and decomposed names -----------------------------------------------

{
	printf '\357\273\277'
	gen 43 --seed 7 --nfd-share 0.5 | head -41
} >"$TMP/roster.csv"
nfd_rows=$("$PY" -c '
import sys, unicodedata
print(sum(l != unicodedata.normalize("NFC", l) for l in open(sys.argv[1], encoding="utf-8")))
' "$TMP/roster.csv")
check_ne "the test file has names in NFD" "$nfd_rows" 0

run ken import "$TMP/roster.csv"
check_rc 0 "import a CSV with a BOM and NFD names"
check_has "import reports 40 added" "$OUT" "Added 40, updated 0, unchanged 0, rejected 0"
check_lacks "the BOM does not hide the first column" "$OUT$ERR" "Columns not read"
check_eq "40 subscribers are stored" "$(rows subscriber)" 40
names_ok=$(sql "select name from subscriber" | "$PY" -c '
import csv, sys, unicodedata
stored = sorted(sys.stdin.read().splitlines())
given = sorted(unicodedata.normalize("NFC", r["Họ và tên"])
               for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
print("yes" if stored == given and all(unicodedata.is_normalized("NFC", n) for n in stored)
      else "stored %r\ngiven %r" % (stored[:5], given[:5]))' "$TMP/roster.csv")
check_eq "every name is stored as in the file, normalised to NFC" "$names_ok" yes
units_ok=$(sql "select name from unit" | "$PY" -c '
import csv, sys
stored = set(sys.stdin.read().splitlines())
named = {r["Đơn vị"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))}
print("yes" if named <= stored else "missing %r" % sorted(named - stored))' "$TMP/roster.csv")
check_eq "the units named in the file are created" "$units_ok" yes
check_eq "a citizen ID keeps its leading 0" \
	"$(sql "select count(*) from subscriber where id_number like '0%' and length(id_number) = 12")" 40

# --- the same file again changes nothing -------------------------------------------------

subscribers=$(table_sum subscriber unit event)
run k import "$TMP/roster.csv" --json
check_rc 0 "import the same file again"
check_json "import --json has the keys added, updated, unchanged, rejected, errors" \
	'all(isinstance(d[k], int) for k in ("added", "updated", "unchanged", "rejected"))
	 and d["errors"] == []'
check_eq "the same file again: added 0, updated 0, unchanged 40" "$(import_counts)" "0 0 40 0"
check_eq "the same file again leaves subscribers, units and history as they were" \
	"$(table_sum subscriber unit event)" "$subscribers"

# --- dry run -----------------------------------------------------------------------------

# The same roster with row 5 (line 6) promoted and three new rows at the end.
gen 43 --seed 7 --nfd-share 0.5 | "$PY" -c '
import sys
lines = sys.stdin.read().split("\n")
cells = lines[5].split(",")
cells[6] = "Phó Giám đốc"
lines[5] = ",".join(cells)
sys.stdout.write("\n".join(lines))' >"$TMP/changed.csv"
promoted_cccd=$(sed -n 6p "$TMP/changed.csv" | cut -d, -f4)
check_eq "the changed row is a known subscriber's" \
	"$(sql "select count(*) from subscriber where id_number = '$promoted_cccd'")" 1

before=$(data_sum)
run ken import "$TMP/changed.csv" --dry-run
check_rc 0 "import --dry-run"
missing=""
line=2
while [ $line -le 44 ]; do
	printf '%s\n' "$OUT" | grep -q "^row $line:" || missing="$missing $line"
	line=$((line + 1))
done
check_eq "--dry-run reports every data row by its line number (2 to 44)" "$missing" ""
check_has "--dry-run says it wrote nothing" "$OUT" "nothing was written"
check_has "--dry-run counts what would happen" "$OUT" "Added 3, updated 1, unchanged 39"
check_eq "--dry-run writes nothing (subscribers, units, events, audit, imports)" \
	"$(data_sum)" "$before"
run k import "$TMP/changed.csv" --dry-run --json
check_json "--dry-run --json says so and counts" \
	'd["dry_run"] is True and (d["added"], d["updated"], d["unchanged"]) == (3, 1, 39)'
check_json "--dry-run --json reports every row, by line number" \
	'sorted(r["row"] for r in d.get("rows", [])) == list(range(2, 45))'
check_json "--dry-run --json names the subscriber of each row" \
	'all(r.get("name") for r in d.get("rows", [])) and len(d.get("rows", [])) == 43'
check_eq "--dry-run --json writes nothing" "$(data_sum)" "$before"

# --- a changed row updates ---------------------------------------------------------------

run k import "$TMP/changed.csv" --json
check_rc 0 "import the changed file"
check_eq "the changed file: added 3, updated 1, unchanged 39" "$(import_counts)" "3 1 39 0"
promoted=$(sql "select id from subscriber where id_number = '$promoted_cccd'")
check_eq "the updated subscriber has the new position" \
	"$(sql "select position || ' v' || version from subscriber where id = ${promoted:-0}")" \
	"Phó Giám đốc v2"
run k subscriber show "${promoted:-0}" --json
check_json "the subscriber's history shows the update by import, with the change" \
	'd["history"][-1]["kind"] == "subscriber.import_updated"
	 and "Phó Giám đốc" in json.dumps(d["history"][-1], ensure_ascii=False)'

# --- a file with bad rows ----------------------------------------------------------------

DB=$TMP/bad.db
setup_agency
gen 30 --seed 11 --bad 3 >"$TMP/bad.csv" 2>"$TMP/bad.lines"
bad_lines=$(cut -f1 "$TMP/bad.lines" | sort -n | tr '\n' ' ')
check_eq "gen-roster made 3 bad rows" "$(wc -l <"$TMP/bad.lines")" 3

before=$(data_sum)
run k import "$TMP/bad.csv" --json
check_rc 3 "a file with 3 bad rows is refused (exit 3)"
check_eq "the refusal lists exactly the bad lines ($bad_lines)" \
	"$(json_get '" ".join(str(r) for r in sorted(e["row"] for e in d["errors"])) + " "')" \
	"$bad_lines"
check_json "each error names its column and says what is wrong" \
	'all(e["column"] and e["message"] for e in d["errors"]) and d["rejected"] == 3'
check_eq "a refused file writes nothing" "$(data_sum)" "$before"
run ken import "$TMP/bad.csv"
check_rc 3 "a refused file exits 3 without --json too"
for line in $bad_lines; do
	check_has "the text refusal lists line $line" "$ERR" "row $line,"
done
check_eq "still nothing written" "$(data_sum)" "$before"

run k import "$TMP/bad.csv" --skip-invalid --json
check_rc 0 "--skip-invalid imports the good rows"
check_eq "--skip-invalid: added 27, rejected 3" "$(import_counts)" "27 0 0 3"
check_eq "--skip-invalid reports the rejected lines" \
	"$(json_get '" ".join(str(r) for r in sorted(e["row"] for e in d["errors"])) + " "')" \
	"$bad_lines"
check_eq "--skip-invalid stored the 27 good rows" "$(rows subscriber)" 27

# --- other shapes of file ----------------------------------------------------------------

DB=$TMP/shapes.db
setup_agency
cat >"$TMP/english.csv" <<EOF
Full name;Citizen ID;Position;Unit;Email;Phone
Trần Văn Bảy;086085000101;Chuyên viên;Phòng Tài chính - Kế hoạch;bay.tv@$DOMAIN;0912 345 678
Lê Thị Hoa;086185000102;Kế toán;Phòng Tài chính - Kế hoạch;hoa.lt@$DOMAIN;0987.654.321
EOF
run k import "$TMP/english.csv" --json
check_rc 0 "import a semicolon-separated CSV with English headers"
check_eq "semicolons, English headers: 2 added" "$(import_counts)" "2 0 0 0"
check_eq "each column went to its field" \
	"$(sql "select s.name || '|' || s.id_number || '|' || s.position || '|' || u.name || '|' || s.email || '|' || s.phone from subscriber s join unit u on u.id = s.unit_id where s.id_number = '086085000101'")" \
	"Trần Văn Bảy|086085000101|Chuyên viên|Phòng Tài chính - Kế hoạch|bay.tv@$DOMAIN|0912345678"
check_eq "the unit named in the file was created once" \
	"$(sql "select count(*) from unit where name = 'Phòng Tài chính - Kế hoạch'")" 1

cat >"$TMP/odd.csv" <<EOF
Họ tên đầy đủ,Số CCCD,Chức vụ,Email,Ghi chú nội bộ
Phan Văn Chín,086085000201,Chuyên viên,chin.pv@$DOMAIN,đã kiểm tra
EOF
before=$(data_sum)
run ken import "$TMP/odd.csv"
check_rc 3 "a file without a recognised name column is refused"
check_has "the refusal says how to map the column" "$ERR" "--map"
check_eq "nothing is written" "$(data_sum)" "$before"
run ken import "$TMP/odd.csv" --map "Họ tên đầy đủ=fullname" --json
check_rc 3 "--map to a field kyso does not have is refused"
check_json "the problem names the column and the unknown field" \
	'any(e["row"] == 1 and e["column"] == "Họ tên đầy đủ" and "fullname" in e["message"]
	     for e in d["errors"])'
run ken import "$TMP/odd.csv" --map "Họ tên đầy đủ=name" --map "Cột không có=email" --json
check_rc 3 "--map naming a column the file does not have is refused"
check_json "the problem names that column" \
	'any(e["column"] == "Cột không có" and "does not have" in e["message"] for e in d["errors"])'
run ken import "$TMP/odd.csv" --map "no equals sign"
check_rc 2 "--map without COLUMN=FIELD is a usage error"
check_eq "nothing is written by the refused maps" "$(data_sum)" "$before"
run ken import "$TMP/odd.csv" --map "Họ tên đầy đủ=name" --map "Ghi chú nội bộ=-"
check_rc 0 'import --map "Họ tên đầy đủ=name" (and "=-" to leave a column out)'
check_eq "the mapped column gave the name" \
	"$(sql "select name from subscriber where id_number = '086085000201'")" "Phan Văn Chín"

"$PY" - "$TMP/roster.xlsx" "$DOMAIN" <<'EOF'
import datetime, sys
import openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Chức vụ", "Đơn vị", "Email",
           "Điện thoại", "Loại thuê bao"])
ws.append([1, "Võ Thị Mười", datetime.datetime(1988, 3, 15), "086188000301", "Chuyên viên",
           "Phòng Hành chính", "muoi.vt@" + sys.argv[2], "0911222333", "Cá nhân"])
ws.append([2, "Huỳnh Văn Út", datetime.date(1990, 12, 31), "086090000302", "Văn thư",
           "Phòng Hành chính", "ut.hv@" + sys.argv[2], "0911222444", "Cá nhân"])
for row in (2, 3):
    ws.cell(row, 3).number_format = "dd/mm/yyyy"
wb.save(sys.argv[1])
EOF
run k import "$TMP/roster.xlsx" --json
check_rc 0 "import an XLSX written by openpyxl, Vietnamese headers"
check_eq "XLSX: 2 added" "$(import_counts)" "2 0 0 0"
check_eq "XLSX: the date cells became the birth dates" \
	"$(sql "select name || ' ' || birth_date from subscriber where birth_date is not null order by birth_date" | tr '\n' ';')" \
	"Võ Thị Mười 1988-03-15;Huỳnh Văn Út 1990-12-31;"
check_eq "XLSX: the unit was created" "$(sql "select count(*) from unit where name = 'Phòng Hành chính'")" 1

# A citizen ID typed as a number loses its leading 0 in Excel.
"$PY" - "$TMP/number.xlsx" "$DOMAIN" <<'EOF'
import sys
import openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["Họ và tên", "Số CCCD", "Chức vụ", "Email"])
ws.append(["Mai Văn Năm", 86090000303, "Chuyên viên", "nam.mv@" + sys.argv[2]])
wb.save(sys.argv[1])
EOF
run k import "$TMP/number.xlsx" --json
check_rc 3 "XLSX: a citizen ID stored as a number (leading 0 lost) is refused"
check_json "the error is on row 2, and mentions the leading 0" \
	'[e["row"] for e in d["errors"]] == [2] and "0" in d["errors"][0]["message"]'

# --- rows that would make two subscribers one ---------------------------------------------

printf 'Họ và tên,Số CCCD,Chức vụ,Email\nTrần Văn Bảy,086085000101,Chuyên viên,chin.pv@%s\n' \
	"$DOMAIN" >"$TMP/crossed.csv"
before=$(data_sum)
run k import "$TMP/crossed.csv" --json
check_rc 3 "a row with one subscriber's citizen ID and another's e-mail is refused"
check_json "the error is on line 2" '[e["row"] for e in d["errors"]] == [2]'
printf 'Họ và tên,Số CCCD,Chức vụ,Email\nTrần Văn Bảy,086085000999,CV,bay.tv@%s\nTrần Văn Bảy,086085000999,CV,bay2.tv@%s\n' \
	"$DOMAIN" "$DOMAIN" >"$TMP/twice.csv"
run k import "$TMP/twice.csv" --json
check_rc 3 "a file naming one citizen ID on two rows is refused"
check_json "the error is on the repeating line 3" '[e["row"] for e in d["errors"]] == [3]'
check_eq "nothing is written" "$(data_sum)" "$before"

# --- a departed subscriber is not brought back -------------------------------------------

hoa=$(sql "select id from subscriber where id_number = '086185000102'")
must k subscriber depart "$hoa" --date 2026-10-01 --reason transferred >/dev/null
before=$(data_sum)
run ken import "$TMP/english.csv" --json
check_rc 3 "a row with a departed subscriber's citizen ID is refused"
check_json "the error is on line 3, column Citizen ID, and says the subscriber departed" \
	'[(e["row"], e["column"]) for e in d["errors"]] == [(3, "Citizen ID")]
	 and "departed" in d["errors"][0]["message"]'
check_eq "nothing is written" "$(data_sum)" "$before"
check_eq "the departed subscriber stays departed" \
	"$(sql "select status from subscriber where id = ${hoa:-0}")" transferred

# --- a wrong file: every row refused, the report does not grow with it --------------------

{
	echo "Họ và tên,Số CCCD,Chức vụ,Email"
	i=0
	while [ $i -lt 1500 ]; do
		printf 'Nguyễn Văn Sai,%012d,Chuyên viên,sai%d@gmail.com\n' $((790000000000 + i)) $i
		i=$((i + 1))
	done
} >"$TMP/wrong.csv"
before=$(data_sum)
run k import "$TMP/wrong.csv" --json
check_rc 3 "a file whose every row is outside the domain is refused"
check_json "all 1500 rows are counted as rejected" 'd["rejected"] == 1500'
check_json "1000 problems are listed, the other 500 counted" \
	'len(d["errors"]) == 1000 and d["errors_not_shown"] == 500'
check_eq "nothing is written" "$(data_sum)" "$before"
run ken import "$TMP/wrong.csv"
check_has "the human report says how many more problems there are" "$ERR" "500 more problem"

finish
