#!/bin/sh
# Exporting the roster: CSV with BOM in the list's order, no formula injection, XLSX read
# back by openpyxl (dates, print settings), written atomically.
. "$(dirname "$0")/lib.sh"

setup_agency
must k unit add "Văn phòng Sở" >/dev/null
must k unit add "=Tổ 1+1" >/dev/null # a unit name that would be a formula
add_person "Đặng Văn Đức" 086090001001 ducdv@$DOMAIN --unit "van phong so" --phone 0912345678 \
	>/dev/null
add_person "Nguyễn Thị Ánh" 086190001002 anhnt@$DOMAIN --unit "van phong so" >/dev/null
add_person "Trương Thị Mỹ Hằng" 086190001003 hangttm@$DOMAIN --position "=1+2" --unit 2 \
	>/dev/null
departed=$(add_person "Lê Văn Tám" 086090001004 tamlv@$DOMAIN --unit "van phong so")
must k subscriber depart "$departed" --date 2026-10-15 --reason retired >/dev/null
must k subscriber add --kind org --name '=HYPERLINK("http://x.vn","bấm")' --tax-code 1500123456 \
	--email org1@$DOMAIN --note "=1+1" >/dev/null
must k subscriber add --kind org --name "+Hội Cựu chiến binh" --tax-code 1500123457 \
	--email org2@$DOMAIN >/dev/null
must k subscriber add --kind org --name "-Đoàn Thanh niên" --tax-code 1500123458 \
	--email org3@$DOMAIN >/dev/null
must k subscriber add --kind org --name "@Công đoàn Sở" --tax-code 1500123459 \
	--email org4@$DOMAIN >/dev/null
run k subscriber list --json
list_json=$OUT
check_eq "the test roster has 8 subscribers" "$(json_get 'len(d)')" 8

# --- CSV -----------------------------------------------------------------------------------

mkdir "$TMP/out"
run k export roster --format csv -o "$TMP/out/roster.csv"
check_rc 0 "export roster --format csv"
check_eq "the CSV starts with a UTF-8 BOM" "$(head -c 3 "$TMP/out/roster.csv" | od -An -tx1 | tr -d ' ')" \
	efbbbf
check_eq "the CSV's header row" "$(head -1 "$TMP/out/roster.csv" | sed 's/^\xef\xbb\xbf//' | tr -d '\r')" \
	"STT,Họ và tên,Loại,Đơn vị,Chức vụ,Số CCCD,Email,Điện thoại,Trạng thái,Ngày nghỉ,ID"
OUT=$("$PY" -c '
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
print(json.dumps({"header": rows[0], "rows": rows[1:], "list": json.loads(sys.argv[2])}))
' "$TMP/out/roster.csv" "$list_json")
check_json "the CSV has the rows of subscriber list --json, in the same order" \
	'[int(r[d["header"].index("ID")]) for r in d["rows"]] == [s["id"] for s in d["list"]]'
check_json "the CSV's rows are numbered 1, 2, ..." \
	'[r[0] for r in d["rows"]] == [str(i + 1) for i in range(len(d["list"]))]'
check_json "Vietnamese names, citizen IDs (leading 0) and e-mails come out exact" \
	'all((r[1].lstrip("\x27"), r[5], r[6]) == (s["name"], s["id_number"] or "", s["email"])
	     for r, s in zip(d["rows"], d["list"]))'
check_json "every cell that starts with = + - @ gets a leading apostrophe" \
	'sorted(c for r in d["rows"] for c in r if c and c[0] in "\x27=+-@") ==
	 sorted(["\x27=HYPERLINK(\"http://x.vn\",\"bấm\")", "\x27+Hội Cựu chiến binh",
	         "\x27-Đoàn Thanh niên", "\x27@Công đoàn Sở", "\x27=Tổ 1+1", "\x27=1+2"])'
check_eq "after a successful export the folder holds only the file (no temporary left)" \
	"$(ls -A "$TMP/out")" roster.csv

run k export roster --format csv -o "$TMP/out/active.csv" --status active --search "nguyen"
check_rc 0 "export roster with the filters of subscriber list"
check_eq "the filters choose the rows" "$(tail -n +2 "$TMP/out/active.csv" | cut -d, -f2)" \
	"Nguyễn Thị Ánh"

echo "old content" >"$TMP/out/roster.csv"
run k export roster --format csv -o "$TMP/out/roster.csv"
check_rc 4 "export over an existing file is refused (exit 4)"
check_has "the refusal names the file and --force" "$ERR" "$TMP/out/roster.csv đã có và không bị ghi đè (--force để ghi đè)"
check_eq "the existing file is kept" "$(cat "$TMP/out/roster.csv")" "old content"
run k export roster --format csv -o "$TMP/out/roster.csv" --force
check_rc 0 "with --force it is replaced"
check_eq "the existing file is replaced" "$(sed -n 2p "$TMP/out/roster.csv" | cut -c1-2)" "1,"
check_eq "no temporary file is left beside it" "$(ls -A "$TMP/out" | tr '\n' ' ')" \
	"active.csv roster.csv "

# --- XLSX ----------------------------------------------------------------------------------

run k export roster --format xlsx -o "$TMP/out/roster.xlsx"
check_rc 0 "export roster --format xlsx"
OUT=$("$PY" - "$TMP/out/roster.xlsx" "$list_json" <<'EOF'
import datetime, json, sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
rows = [[c.value for c in r] for r in ws.iter_rows()]
header = rows[0]
cells = {c.coordinate: c for r in ws.iter_rows() for c in r}
dates = [(c.value.date().isoformat(), c.number_format) for c in cells.values()
         if c.is_date and c.value is not None]
print(json.dumps({
    "header": header,
    "rows": [[v.isoformat() if isinstance(v, datetime.datetime) else v for v in r]
             for r in rows[1:]],
    "list": json.loads(sys.argv[2]),
    "dates": dates,
    "string_types": sorted({cells[k].data_type for k in cells
                            if isinstance(cells[k].value, str)}),
    "has_formula": any(c.data_type == "f" for w in wb.worksheets for r in w.iter_rows()
                       for c in r),
    "orientation": ws.page_setup.orientation,
    "paper": str(ws.page_setup.paperSize),
    "title_rows": ws.print_title_rows,
    "freeze": ws.freeze_panes,
    "filter": ws.auto_filter.ref,
    "font": ws["B1"].font.name,
}, ensure_ascii=False))
EOF
)
check_json "the XLSX header row is the CSV's" \
	'd["header"] == ["STT", "Họ và tên", "Loại", "Đơn vị", "Chức vụ", "Số CCCD", "Email",
	                 "Điện thoại", "Trạng thái", "Ngày nghỉ", "ID"]'
check_json "the XLSX has one row per subscriber, in the list's order" \
	'[r[d["header"].index("ID")] for r in d["rows"]] == [s["id"] for s in d["list"]]'
check_json "Vietnamese names come out exact (NFC), formulas-to-be as plain text" \
	'[r[1] for r in d["rows"]] == [s["name"] for s in d["list"]]'
check_json "citizen IDs are text with their leading 0" \
	'[r[5] for r in d["rows"] if r[5]] == [s["id_number"] for s in d["list"] if s["id_number"]]'
check_json "no cell is a formula: text cells are strings" \
	'not d["has_formula"] and d["string_types"] == ["s"]'
check_json "the departure date is a real date cell shown dd/mm/yyyy" \
	'd["dates"] == [["2026-10-15", "dd/mm/yyyy"]]'
check_json "the sheet prints landscape on A4 (paperSize 9)" \
	'd["orientation"] == "landscape" and d["paper"] == "9"'
check_json "the header row repeats on every printed page" \
	'd["title_rows"] is not None and d["title_rows"].replace("$", "") == "1:1"'
check_json "the header row is frozen (freeze panes at A2)" 'd["freeze"] == "A2"'
check_json "the sheet has an autofilter over the header and every row" \
	'd["filter"] == "A1:K%d" % (len(d["list"]) + 1)'
check_json "the sheet is set in Times New Roman" 'd["font"] == "Times New Roman"'

# --- an export read back by the importer changes nothing -----------------------------------

for format in csv xlsx; do
	run k export roster --format $format -o "$TMP/active.$format" --status active
	run k import "$TMP/active.$format" --dry-run --json
	check_rc 0 "the active roster exported as $format can be imported back"
	check_json "importing the exported $format changes nothing (the apostrophe that guards = + - @ is not taken for data)" \
		'(d["added"], d["updated"], d["unchanged"], d["rejected"]) == (0, 0, 7, 0)'
done

# --- failures leave nothing behind ---------------------------------------------------------

run k export roster --format xlsx -o "$TMP/missing/roster.xlsx"
check_ne "export into a folder that does not exist fails" "$RC" 0
check_eq "no file and no folder are created" "$([ -e "$TMP/missing" ] && echo created)" ""
mkdir "$TMP/out2" "$TMP/out2/taken"
run k export roster --format xlsx -o "$TMP/out2/taken"
check_rc 0 "export onto a folder writes into it"
check_eq "under the default name" "$(ls -A "$TMP/out2/taken")" "danh-sach-thue-bao-2026-11-25.xlsx"
run k export roster --format xlsx -o "$TMP/out2/taken/"
check_eq "again: the name taken gets -2" "$(ls -A "$TMP/out2/taken" | tr '\n' ' ')" \
	"danh-sach-thue-bao-2026-11-25-2.xlsx danh-sach-thue-bao-2026-11-25.xlsx "
check_eq "no temporary file is left" "$(ls -A "$TMP/out2")" taken
run k export roster --format pdf -o "$TMP/out2/roster.pdf"
check_rc 2 "an unknown format is a usage error (exit 2)"
check_eq "nothing is created for it" "$(ls -A "$TMP/out2")" taken

finish
