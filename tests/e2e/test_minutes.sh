#!/bin/sh
# Minutes as DOCX on the real binary, read back by LibreOffice: a departure whose two
# tokens go to the designated successor, two tokens handed back to the department, a
# lost token; the three kinds in both form sets (Decree 68/2024 by default, Circular
# 185/2019 with --form-set), each converted to text (names with their diacritics, token
# and certificate serials, dates "ngày 05 tháng 02 năm 2026", the Decree 30 header block,
# the number, the form's label) and to PDF; reprint gives the same SHA-256 as the file
# and the register; a refused minutes exits 3 and writes no file.
. "$(dirname "$0")/lib.sh"

if ! command -v soffice >/dev/null; then
	fail "LibreOffice (soffice) reads the documents: .ci/deps installs libreoffice-writer-nogui"
	finish
fi

AGENCY_UP="SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH VĨNH LONG"

# world: one store with the agency, its people, tokens and certificates, and the changes
# the minutes record.  $DB is the store.
world() {
	setup_agency
	must k agency edit --parent "UBND tỉnh Vĩnh Long" --head "Lê Văn Bình" \
		--head-position "Giám đốc" --focal "Phạm Thị Hoa" \
		--focal-position "Chuyên viên CNTT" --recipient "Sở Khoa học và Công nghệ" \
		--place "Vĩnh Long" --address "số 1 đường Lê Lợi, phường 1" >/dev/null
	must k unit add "Văn phòng Sở" >/dev/null
	duc=$(add_person "Đặng Văn Đức" 086090001001 ducdv@$DOMAIN --unit "Văn phòng Sở")
	cuong=$(add_person "Trần Văn Cường" 086090001002 cuongtv@$DOMAIN --unit "Văn phòng Sở")
	lan=$(add_person "Ngô Thị Lan" 086190001003 lannt@$DOMAIN --unit "Văn phòng Sở")
	for t in "TK-0001 $duc 5403AB0001" "TK-0002 $duc 5403AB0002" "TK-0003 $lan 5403AB0003" \
		"TK-0004 $lan 5403AB0004" "TK-0005 $lan 5403AB0005" "TK-0006 $cuong 5403AB0006"; do
		set -- $t
		must k token add --serial "$1" --subscriber "$2" --received 2025-01-10 >/dev/null
		must k cert add --token "$1" --serial "$3" --from 2025-01-10 --to 2027-01-10 >/dev/null
	done
	# Art. 14.4: Đức leaves; both his tokens go, with their passwords, to Cường.
	must k subscriber depart "$duc" --date 2026-02-05 --reason left >/dev/null
	for s in TK-0001 TK-0002; do
		must k token handover --serial $s --to-name "Trần Văn Cường" --to-position "Văn thư" \
			--designation "12/QĐ-SNNMT" --date 2026-02-05 >/dev/null
	done
	# Mẫu 08 / 14: two tokens back to the department after a revocation.
	must k token return --serial TK-0003 --serial TK-0004 --date 2026-03-03 \
		--received-by "Võ Minh Tâm" --reason revoked --notice "45/TB-SKHCN" >/dev/null
	# Mẫu 09 / 15: a lost token (Art. 13.5).
	must k token lost --serial TK-0005 --date 2026-03-02 --place "Bến xe Vĩnh Long" \
		--circumstances "Để quên trên xe buýt" --discovered "Khi cần ký văn bản" >/dev/null
}

# --- the three kinds, in both form sets ------------------------------------------------

for fs in nd68 tt185; do
	DB=$TMP/$fs.db
	world
	opt=""
	[ $fs = tt185 ] && opt="--form-set tt185"
	run ken minutes handover --serial TK-0001 --serial TK-0002 -o "$TMP/$fs-handover.docx" $opt
	check_rc 0 "$fs: handover minutes of two tokens"
	check_eq "$fs: it prints its number and file" "$OUT" \
		"Minutes 01/BB-SNNMT written to $TMP/$fs-handover.docx"
	run ken minutes return --serial TK-0003 --serial TK-0004 -o "$TMP/$fs-return.docx" $opt --json
	check_rc 0 "$fs: return minutes of two tokens"
	check_json "$fs: --json gives the id, number, file and SHA-256" \
		"d['number'] == '02/BB-SNNMT' and d['file'].endswith('$fs-return.docx')
		 and len(d['sha256']) == 64 and d['id'] == 2"
	run k minutes lost --serial TK-0005 -o "$TMP/$fs-lost.docx" --date 2026-03-05 $opt
	check_rc 0 "$fs: lost-token minutes"
done
DB=$TMP/nd68.db

# --- read back by LibreOffice -----------------------------------------------------------

mkdir -p "$TMP/home" "$TMP/txt" "$TMP/pdf"
started=$(date +%s)
HOME=$TMP/home soffice --headless --convert-to txt:Text --outdir "$TMP/txt" "$TMP"/*.docx \
	>"$TMP/soffice.log" 2>&1
judge "LibreOffice converts the six documents to text" $? "exit 0" "$(cat "$TMP/soffice.log")"
HOME=$TMP/home soffice --headless --convert-to pdf --outdir "$TMP/pdf" "$TMP"/*.docx \
	>"$TMP/soffice.log" 2>&1
judge "LibreOffice converts the six documents to PDF" $? "exit 0" "$(cat "$TMP/soffice.log")"
note "(LibreOffice took $(($(date +%s) - started)) s)"

for fs in nd68 tt185; do
	for kind in handover return lost; do
		f=$TMP/pdf/$fs-$kind.pdf
		if command -v pdfinfo >/dev/null; then
			pages=$(pdfinfo "$f" 2>/dev/null | sed -n 's/^Pages: *//p')
			[ "${pages:-0}" -ge 1 ]
			judge "$fs-$kind.pdf renders (pdfinfo: ${pages:-?} pages)" $? "1 page or more" \
				"$(pdfinfo "$f" 2>&1)"
		else
			[ -s "$f" ]
			judge "$fs-$kind.pdf renders" $? "a PDF" "$(ls -l "$f" 2>&1)"
		fi
	done
done

# has FILE TEXT...: each TEXT is a line's part in the document's text.
has() {
	_f=$1
	shift
	for _t in "$@"; do
		check_has "$(basename "$_f" .txt): \"$_t\"" "$(cat "$_f")" "$_t"
	done
}

for fs in nd68 tt185; do
	for kind in handover return lost; do
		# Decree 30's header block, on every document.
		has "$TMP/txt/$fs-$kind.txt" "UBND TỈNH VĨNH LONG" "$AGENCY_UP" \
			"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "Độc lập - Tự do - Hạnh phúc" \
			"XÁC NHẬN CỦA THỦ TRƯỞNG CƠ QUAN" "GIÁM ĐỐC" "Lê Văn Bình" "Nơi nhận:"
	done
	has "$TMP/txt/$fs-handover.txt" "Số: 01/BB-SNNMT" \
		"Vĩnh Long, ngày 05 tháng 02 năm 2026" \
		"Hôm nay, ngày 05 tháng 02 năm 2026, tại số 1 đường Lê Lợi, phường 1, chúng tôi gồm:" \
		"Ông (bà): Đặng Văn Đức" "Ông (bà): Trần Văn Cường" "Đơn vị: Văn phòng Sở" \
		"Chức vụ: Văn thư" "12/QĐ-SNNMT" "TK-0001" "TK-0002" "5403AB0001" "5403AB0002" \
		"Hiệu lực đến 10/01/2027" "cùng mật khẩu truy cập" "BÊN GIAO" "BÊN NHẬN"
	has "$TMP/txt/$fs-return.txt" "Số: 02/BB-SNNMT" \
		"Vĩnh Long, ngày 03 tháng 3 năm 2026" "Bên nhận (Sở Khoa học và Công nghệ):" \
		"Ông (bà): Phạm Thị Hoa" "Ông (bà): Võ Minh Tâm" "45/TB-SKHCN" "TK-0003" "TK-0004" \
		"5403AB0003" "5403AB0004" "ĐẠI DIỆN BÊN GIAO"
	has "$TMP/txt/$fs-lost.txt" "Số: 03/BB-SNNMT" "Vĩnh Long, ngày 05 tháng 3 năm 2026" \
		"Ông (bà): Ngô Thị Lan" "Thời gian phát hiện thất lạc: ngày 02 tháng 3 năm 2026." \
		"Nơi thất lạc: Bến xe Vĩnh Long." "Hoàn cảnh thất lạc: Để quên trên xe buýt." \
		"TK-0005" "5403AB0005" "Đề nghị Sở Khoa học và Công nghệ thu hồi"
done
has "$TMP/txt/nd68-return.txt" "Mẫu số 08" "chứng thư chữ ký số"
has "$TMP/txt/nd68-lost.txt" "Mẫu số 09"
has "$TMP/txt/tt185-return.txt" "Mẫu số 14" "chứng thư số"
has "$TMP/txt/tt185-lost.txt" "Mẫu số 15"
check_lacks "Decree 68's return minutes say chứng thư chữ ký số, not chứng thư số" \
	"$(cat "$TMP/txt/nd68-return.txt")" "chứng thư số"
check_lacks "Circular 185's say chứng thư số" "$(cat "$TMP/txt/tt185-return.txt")" \
	"chứng thư chữ ký số"
check_lacks "the staff handover is not a numbered form" "$(cat "$TMP/txt/nd68-handover.txt")" \
	"Mẫu số"
check_lacks "the handover minutes name no other token" "$(cat "$TMP/txt/nd68-handover.txt")" \
	"TK-0003"

# --- the register and reprint ------------------------------------------------------------

sum=$(sha256sum "$TMP/nd68-handover.docx" | cut -c1-64)
check_eq "the register holds the number and the file's SHA-256" \
	"$(sql "select printf('%02d/%s', number, symbol) || ' ' || sha256 from document where id = 1")" \
	"01/BB-SNNMT $sum"
check_eq "the register says which form and form set" \
	"$(sql "select group_concat(kind || ':' || form_set || ':' || coalesce(form, '-'), ' ')
		from document")" \
	"minutes_handover:nd68:- minutes_return:nd68:Mẫu 08 minutes_lost:nd68:Mẫu 09"
check_eq "(tt185) the register says Mẫu 14 and 15" \
	"$(sql "select group_concat(coalesce(form, '-'), ' ') from document" "$TMP/tt185.db")" \
	"- Mẫu 14 Mẫu 15"
check_eq "the handover steps name their minutes" \
	"$(sql "select count(*) from token_step where action = 'handover' and document_id = 1")" 2

run ken minutes reprint 01/BB-SNNMT -o "$TMP/again.docx"
check_rc 0 "reprint 01/BB-SNNMT"
check_has "reprint says the file is the one recorded" "$OUT" "the same as recorded"
check_eq "reprint writes the same bytes" "$(sha256sum "$TMP/again.docx" | cut -c1-64)" "$sum"
run ken minutes reprint 3 -o "$TMP/again3.docx" --json
check_json "reprint --json: identical, with the recorded SHA-256" \
	"d['identical'] is True and d['number'] == '03/BB-SNNMT'
	 and d['sha256'] == '$(sha256sum "$TMP/nd68-lost.docx" | cut -c1-64)'"

sql "update document set content = replace(content, 'Võ Minh Tâm', 'Võ Minh Tám') where id = 2"
run ken minutes reprint 02/BB-SNNMT -o "$TMP/edited.docx"
check_rc 1 "reprint of a record edited by hand exits 1"
check_has "and says the file differs from the record" "$OUT" "differs from the record"

run ken minutes list --json
check_json "minutes list --json: newest first, with the tokens" \
	"[(m['number'], m['tokens']) for m in d] == [('03/BB-SNNMT', ['TK-0005']),
	 ('02/BB-SNNMT', ['TK-0003', 'TK-0004']), ('01/BB-SNNMT', ['TK-0001', 'TK-0002'])]"
run ken minutes list
check_has "minutes list shows the lost-token minutes and their form" "$OUT" "Mẫu 09"

# --- refusals ------------------------------------------------------------------------------

before=$(table_sum document token_step event audit)
run ken minutes handover --serial TK-0006 -o "$TMP/refused.docx"
check_rc 3 "minutes of a token without a handover are refused (exit 3)"
check_has "the refusal names the token" "$ERR" "TK-0006"
run ken minutes handover --serial TK-0001 -o "$TMP/refused.docx"
check_rc 3 "minutes of a handover already in minutes are refused"
check_has "the refusal names the minutes" "$ERR" "01/BB-SNNMT"
run ken minutes lost --serial TK-0005 -o "$TMP/refused.docx" --date 2026-03-01
check_rc 3 "minutes dated before the change are refused"
ls "$TMP" | grep -q "refused" && found=yes || found=no
check_eq "a refused minutes leaves no file, not even a temporary one" "$found" no
check_eq "and changes nothing in the store" "$(table_sum document token_step event audit)" \
	"$before"
run ken minutes handover --serial TK-0001 -o "$TMP/x.docx" --form-set nd99
check_rc 2 "--form-set takes nd68 or tt185 (exit 2)"
run ken minutes handover -o "$TMP/x.docx"
check_rc 2 "minutes without --serial is a usage error"
run ken minutes list --bogus
check_rc 2 "minutes list with an unknown option is a usage error"
check_has "and shows its usage" "$ERR" "usage: kyso minutes list [--json]"

# Two handovers not yet in minutes, to two different successors.
must k token handover --serial TK-0006 --to-name "Ngô Thị Lan" --to-position "Chuyên viên" \
	--designation "13/QĐ-SNNMT" --date 2026-03-06 >/dev/null
must k token handover --serial TK-0001 --to-name "Đặng Thị Hoa" --to-position "Chuyên viên" \
	--designation "14/QĐ-SNNMT" --date 2026-03-06 >/dev/null
refused_unchanged "minutes dated in the future" \
	ken minutes handover --serial TK-0006 -o "$TMP/refused2.docx" --date 2026-12-01
check_has "the refusal says so, with the date" "$ERR" "cannot be dated in the future (01/12/2026)"
refused_unchanged "minutes dated on a day that does not exist" \
	ken minutes handover --serial TK-0006 -o "$TMP/refused2.docx" --date 2026-02-30
check_has "the refusal names the date" "$ERR" '"2026-02-30" is not a real date'
refused_unchanged "one minutes for tokens handed between different people" \
	ken minutes handover --serial TK-0006 --serial TK-0001 -o "$TMP/refused2.docx"
check_has "the refusal names both tokens and the parties" "$ERR" \
	"tokens TK-0006 and TK-0001 were not handed between the same people"
check_has "and says what to do" "$ERR" "write one minutes for each"
before=$(db_dump)
run ken minutes handover --serial NOPE-9 -o "$TMP/refused2.docx"
check_rc 1 "minutes of an unknown serial exit 1"
check_has "and name it" "$ERR" 'no token has the serial "NOPE-9"'
run ken minutes reprint 77 -o "$TMP/refused2.docx"
check_rc 1 "reprint of a number never given exits 1"
check_has "and says there is none" "$ERR" "there is no document 77"
run ken minutes reprint abc -o "$TMP/refused2.docx"
check_rc 3 "reprint of something that is no number exits 3"
check_has "and says what a number looks like" "$ERR" "is not a document number (such as 05/BB-SNNMT)"
check_eq "none of them changed the store" "$(db_dump)" "$before"
ls "$TMP" | grep -q "refused2" && found=yes || found=no
check_eq "none of them left a file, not even a temporary one" "$found" no

run ken minutes handover --serial TK-0006
check_rc 0 "minutes without -o go to the documents' folder"
name=$(ls "$HOME/kyso-documents")
check_match "under the minutes' number" "$name" '^bien-ban-2026-[0-9][0-9]-BB-SNNMT\.docx$'
check_has "the output names the file" "$OUT" "$HOME/kyso-documents/$name"

run ken audit verify
check_rc 0 "the audit chain is intact after the minutes"

finish
